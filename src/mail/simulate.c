// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The simulation's job kind (see simulate.h). The store enqueues JOB_TRACKING_SIM for every
 * test piece stored with a send date, due then; a run walks the piece through the steps whose
 * time has come and is due again at the next (its step in the payload). A step is written
 * with the piece (scans_simulate: one transaction with its event) before the job moves on; a
 * crash in between replays the step, which tracking_add then finds to be the same event again.
 */
#include "mail/simulate.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/scans.h"
#include "mail/settings.h"
#include "mail/tracking.h"
#include "store/jobs_store.h"
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS 3600000.0
#define RENDER_WAIT_MS 1000	/* a piece still rendering: look again */
#define STANDARD_SLOWER 3.0	/* Marketing Mail: ~10 transit business days against 3 */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Journeys as USPS Tracking codes (tracking.c maps them; a normal piece keeps only the names
 * its shape has, so one plan serves both). Hours follow Lob: delivery "typically 4–6 business
 * days" after the send date for First-Class; Processed for Delivery a business day before.
 */
static const struct sim_step clean[] = {
	{ "OA", NULL, 0, AT_SENDER },	{ "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "OF", NULL, 72, AT_RECIPIENT },
	/* notes: Lob's own example of a certified Delivered event */
	{ "01", "Delivered, Front Desk/Reception/Mail Room", 80, AT_RECIPIENT },
};
/* Lob's help page: In Transit → Return to Sender → In Transit → Processed for Delivery →
 * Delivered */
static const struct sim_step returned[] = {
	{ "OA", NULL, 0, AT_SENDER },	 { "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "21", NULL, 60, AT_RECIPIENT },	/* No Such Number */
	{ "10", NULL, 72, AT_RECIPIENT }, { "07", NULL, 96, AT_SENDER },
	{ "OF", NULL, 120, AT_SENDER },	 { "01", NULL, 128, AT_SENDER },
};
static const struct sim_step rerouted[] = {
	{ "OA", NULL, 0, AT_SENDER },	 { "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "06", NULL, 60, AT_RECIPIENT },	/* Forwarded */
	{ "10", NULL, 66, AT_RECIPIENT }, { "07", NULL, 96, AT_RECIPIENT },
	{ "OF", NULL, 120, AT_RECIPIENT }, { "01", NULL, 128, AT_RECIPIENT },
};
static const struct sim_step issue[] = {
	{ "OA", NULL, 0, AT_SENDER },	 { "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "OF", NULL, 72, AT_RECIPIENT },
	{ "02", NULL, 76, AT_RECIPIENT },	/* notice left: nobody to sign */
	{ "16", NULL, 96, AT_RECIPIENT }, { "43", NULL, 100, AT_RECIPIENT },
};

/* a stable number in [0, 1) per piece (FNV-1a) */
static double fraction(const char *id)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h / 4294967296.0;
}

size_t sim_plan(const char *piece_id, bool certified, bool standard_mail,
		const struct sim_shares *shares, struct sim_step out[SIM_MAX_STEPS])
{
	double u = fraction(piece_id);
	const struct sim_step *plan = clean;
	size_t n = N_OF(clean);
	if (u < shares->returned) {
		plan = returned;
		n = N_OF(returned);
	} else if (u < shares->returned + shares->reroute) {
		plan = rerouted;
		n = N_OF(rerouted);
	} else if (certified && u < shares->returned + shares->reroute + shares->issue) {
		plan = issue;
		n = N_OF(issue);
	}
	for (size_t i = 0; i < n; i++) {
		out[i] = plan[i];
		if (standard_mail)
			out[i].hours *= STANDARD_SLOWER;
	}
	return n;
}

/*
 * Shares from the stored settings (tracking_simulation.{reroute,return,issue}_share, 0 to 1);
 * 0 where absent or out of range.
 */
static void shares_load(struct store *s, const char *account, struct arena *a,
			struct sim_shares *out)
{
	struct store_scope sc = { .account_id = account, .mode = MODE_LIVE, .kind = SETTINGS_KIND };
	struct api_error err;
	char id[48], *json;
	memset(out, 0, sizeof(*out));
	settings_id(account, id);
	if (store_object_get(s, &sc, id, a, &json, &err) != 0)
		return;
	json_t *o = arena_own_json(a, json_loads(json, 0, NULL));
	json_t *ts = json_object_get(o, "tracking_simulation");
	const char *keys[] = { "reroute_share", "return_share", "issue_share" };
	double *to[] = { &out->reroute, &out->returned, &out->issue };
	for (size_t i = 0; i < 3; i++) {
		double v = json_number_value(json_object_get(ts, keys[i]));
		*to[i] = v > 0 && v <= 1 ? v : 0;
	}
}

/* the address's 5-digit ZIP, or "" (foreign postal codes are no USPS facility) */
static void zip5(const json_t *address, char out[10])
{
	const char *z = json_string_value(json_object_get(address, "address_zip"));
	out[0] = '\0';
	if (z && strspn(z, "0123456789") >= 5)
		snprintf(out, 10, "%.5s", z);
}

/* the journey's piece kind and the step it has reached, from the job's payload
 * ({"kind": "letter", "step": n}); false if it has none */
static bool journey_of(const struct store_job *j, char kind[32], size_t *step)
{
	json_t *p = j->payload ? json_loads(j->payload, 0, NULL) : NULL;
	const char *k = json_string_value(json_object_get(p, "kind"));
	json_int_t n = json_integer_value(json_object_get(p, "step"));
	snprintf(kind, 32, "%s", k ? k : "");
	*step = n > 0 && n < SIM_MAX_STEPS ? (size_t)n : 0;
	json_decref(p);
	return kind[0] != '\0';
}

/* the run failed (retried with the kind's backoff); -1 */
static int failed(struct job_run *run, const char *why)
{
	run->outcome = JOB_FAILED;
	snprintf(run->error, sizeof(run->error), "%s", why);
	return -1;
}

/* the due steps of one journey, then its next step and time (or its end); 0 or -1 */
static int walk(struct store *s, struct job_run *run)
{
	const struct store_job *j = run->job;
	char kind[32];
	size_t i;
	struct store_scope sc = { .account_id = j->account_id, .mode = MODE_TEST, .kind = kind };
	struct account_settings st;
	struct api_error err;
	struct arena *a = run->arena;
	char *json = NULL;
	long long now = clock_now_ms(), send;
	if (!journey_of(j, kind, &i))
		return failed(run, "the job does not name the piece's kind");
	if (settings_load(s, j->account_id, &st, &err) < 0)
		return failed(run, err.message);
	/* its send date passed with the simulation off: no journey, as in Lob's test mode */
	if (!st.simulate_tracking)
		return 0;
	int rc = store_object_get(s, &sc, j->ref, a, &json, &err);
	if (rc < 0)
		return failed(run, err.message);
	json_t *piece = rc == 0 ? arena_own_json(a, json_loads(json, 0, NULL)) : NULL;
	const char *status = json_string_value(json_object_get(piece, "status"));
	if (status && strcmp(status, "processed") == 0) {
		run->outcome = JOB_AGAIN;	/* not printable yet: wait for the render */
		run->again_ms = now + RENDER_WAIT_MS;
		return 0;
	}
	if (!piece || (status && strcmp(status, "failed") == 0) ||
	    time_parse_iso(json_string_value(json_object_get(piece, "send_date")), &send) < 0)
		return 0;	/* canceled, failed, or never to be mailed: the journey ends */
	struct sim_shares shares;
	struct sim_step steps[SIM_MAX_STEPS];
	shares_load(s, j->account_id, a, &shares);
	const char *mt = json_string_value(json_object_get(piece, "mail_type"));
	size_t n = sim_plan(j->ref, tracking_piece_certified(piece),
			    mt && strcmp(mt, "usps_standard") == 0, &shares, steps);
	long long at = 0;
	for (; i < n; i++) {
		at = send + (long long)(steps[i].hours * HOUR_MS / st.simulation_speed);
		if (at > now)
			break;
		struct tracking_scan scan = { .time_ms = at };
		if (!tracking_certified_for_code(steps[i].code, &scan))
			continue;
		if (steps[i].notes)
			scan.notes = steps[i].notes;
		const char *whose = steps[i].place == AT_SENDER ? "from" : "to";
		zip5(json_object_get(piece, whose), scan.location);
		if (scans_simulate(s, &sc, j->ref, &scan, &err) < 0)
			return failed(run, err.message);	/* replayed: the same events */
	}
	if (i < n) {
		run->outcome = JOB_AGAIN;
		run->again_ms = at;
		run->payload = arena_strfmt(a, "{\"kind\":\"%s\",\"step\":%zu}", kind, i);
	}
	return 0;
}

static void sim_run(void *ctx, struct job_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		walk(ctx, &runs[i]);
}

int simulate_register(struct jobs *j, struct store *s)
{
	int pool = jobs_add_pool(j, "tracking", 2);
	struct job_kind k = { .name = JOB_TRACKING_SIM, .pool = (unsigned)pool, .run = sim_run,
			      .ctx = s,
			      .policy = { .max_attempts = 20, .backoff_base_ms = 1000,
					  .backoff_cap_ms = 60000, .lease_ms = 60000 } };
	return pool < 0 ? -1 : jobs_add_kind(j, &k);
}
