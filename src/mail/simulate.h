// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The test-mode tracking simulation (an opt-in account setting; Lob gives test pieces no
 * tracking): test letters, postcards, self-mailers and checks whose send date passes while
 * the setting is on walk through Mailed → In Transit → In Local Area → Processed for Delivery
 * → Delivered (certified letters: the certified events with their details), or — for a
 * chosen share of pieces — a re-route, a return to sender, or (certified) a delivery issue
 * first. Steps are hours of real USPS pace after the send date divided by the speed, on
 * frankd's clock; each step emits its webhook event as live mail would.
 */
#ifndef FRANK_MAIL_SIMULATE_H
#define FRANK_MAIL_SIMULATE_H
#include <stdbool.h>
#include <stddef.h>
#include "jobs/jobs.h"
#include "store/store.h"

#define SIM_MAX_STEPS 10

/* shares of journeys (0 to 1 each; what the sum leaves is clean journeys) */
struct sim_shares {
	double reroute, returned, issue;	/* issue: certified letters only */
};

enum sim_place { AT_SENDER, AT_RECIPIENT };

struct sim_step {
	const char *code;	/* the USPS Tracking code it stands for (mapped by tracking.c) */
	const char *notes;	/* certified: USPS's text, when it says more than the code's */
	double hours;		/* after the send date, at real pace */
	enum sim_place place;	/* whose ZIP is the event's location */
};

/*
 * The journey of piece_id (the same every time: the variant comes from a hash of the id):
 * fills out and returns the number of steps. standard_mail: USPS Marketing Mail's slower
 * transit.
 */
size_t sim_plan(const char *piece_id, bool certified, bool standard_mail,
		const struct sim_shares *shares, struct sim_step out[SIM_MAX_STEPS]);

/*
 * Registers the journeys' job kind (JOB_TRACKING_SIM, store/jobs_store.h) and its pool on j.
 * The store enqueues a job for every test piece, due at its send date; each run walks the
 * steps whose time has come and is due again at the next one. 0, or -1.
 */
int simulate_register(struct jobs *j, struct store *s);
#endif
