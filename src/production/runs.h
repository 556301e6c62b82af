// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print runs: the cut (eligible pieces → locked run with its lot plan, one transaction),
 * the run object as served, its build (job kind print_run.build: print files and manifests
 * into DATA/print_runs/<run id>/ and the hot folder), the confirmations (printed, mailed,
 * spoiled) and the daily cut. docs/internals/production.md.
 */
#ifndef FRANK_PRODUCTION_RUNS_H
#define FRANK_PRODUCTION_RUNS_H
#include "production/manifest.h"
#include "production/printfile.h"
#include <stdbool.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define RUN_KIND_BUILD "print_run.build"
#define RUN_KIND_DAILY "print_run.daily"
/* how far ahead of now a cutoff may be: a cutoff is "what is due by then", not a plan */
#define RUN_CUTOFF_MAX_AHEAD_MS (24LL * 3600 * 1000)
#define RUN_PLACEHOLDER_MAILER_ID "999999999"

/* run statuses */
#define RUN_BUILDING "building"
#define RUN_READY "ready"
#define RUN_FAILED "failed"
#define RUN_PRINTED "printed"
#define RUN_MAILED "mailed"

struct runs_config {
	const char *data_dir;
	const char *mailer_id;
	const char *print_dir;	/* --print-dir: the hot folder, or NULL */
	const char *file_url;	/* base of the signed file links */
	/* the mail room's identity on the paperwork (NULL: not configured) */
	const char *mailer_name;	/* --mailer-name: the 3877's sender */
	const char *mailer_address;	/* --mailer-address: "LINE1, CITY, ST ZIP" */
	const char *post_office;	/* --post-office: the entry office on the 3877 */
	const char *permit;		/* --permit: "NUMBER, CITY, ST" for permit imprints */
	/* the press room's equipment (NULL: the defaults) */
	const char *press_sheet;	/* --press-sheet: "WxH" in inches, cards' n-up sheet */
	const char *inserter_marks;	/* --inserter-marks: datamatrix | omr | none */
};

/* the mail room's identity, parsed from a runs_config (strings point into buf) */
struct mail_room {
	struct manifest_sender sender;
	struct manifest_permit permit;
	struct permit_imprint imprint;
	bool has_permit;
	double sheet_w_in, sheet_h_in;	/* 0: printfile's default */
	enum print_marks marks;
	char buf[768];
};
/* 0, or -1 naming the flag that does not parse (checked at frankd's start) */
int runs_mail_room(const struct runs_config *cfg, struct mail_room *out, struct api_error *err);

/* a cut's request, parsed */
struct run_request {
	long long cutoff_ms;
	bool test;		/* include_test: a rehearsal of test pieces only */
	const char *kinds_json;	/* JSON array */
	const char *accounts_json;	/* JSON array or NULL */
};

/*
 * {cutoff?, products?, accounts?, include_test?} → *out (strings in a). Unknown products or
 * accounts, a cutoff more than RUN_CUTOFF_MAX_AHEAD_MS ahead: ERR_INVALID / ERR_NOT_FOUND
 * with a message naming the value. cutoff defaults to now. 0 or -1.
 */
int runs_parse_request(struct store *s, const json_t *body, long long now_ms, struct arena *a,
		       struct run_request *out, struct api_error *err);

/*
 * Cuts a run: run_id_out (40 bytes) gets its id. Live runs need a real Mailer ID. 0, or -1
 * with *err (ERR_NOT_FOUND-free: nothing eligible is ERR_INVALID naming the cutoff).
 */
int runs_cut(struct store *s, const struct runs_config *cfg, const struct run_request *rq,
	     long long now_ms, char run_id_out[40], struct api_error *err);

/* the run as served (new reference), file links signed for 30 days from now_ms; NULL/err */
json_t *runs_get(struct store *s, const struct runs_config *cfg, const char *id,
		 long long now_ms, struct api_error *err);
/* {"object":"list","data":[…]} newest first, at most limit, older than before (a run id) */
json_t *runs_list(struct store *s, const struct runs_config *cfg, size_t limit,
		  const char *before, long long now_ms, struct api_error *err);

/*
 * Confirmations on run id: which pieces — every piece of the run (refs NULL), the pieces of
 * some lots, or pieces named by id or by DataMatrix contents "<run id>|<piece id>|<i>|<n>".
 * printed and spoiled change the run's pieces; mailed also writes each piece's "Mailed"
 * tracking event (and its <kind>.mailed event) at mail_ms. The answer is the run, with
 * "confirmed" counts (new reference). A piece of another run, an unknown lot, a run already
 * mailed: ERR_INVALID / ERR_NOT_FOUND naming it.
 */
enum run_confirm { CONFIRM_PRINTED, CONFIRM_MAILED, CONFIRM_SPOILED };
struct run_refs {
	const json_t *lots;	/* array of lot ids, or NULL */
	const json_t *pieces;	/* array of piece ids / DataMatrix strings, or NULL */
};
json_t *runs_confirm(struct store *s, const struct runs_config *cfg, const char *id,
		     enum run_confirm what, const struct run_refs *refs, long long mail_ms,
		     long long now_ms, struct api_error *err);

/* mail_date: a date-time, or a date (today: now; a past day: its noon); absent: now. 0/-1 */
int runs_mail_time(const json_t *v, long long now_ms, long long *out, struct api_error *err);

struct jobs;
/* registers print_run.build (and the daily cut when at_hhmm is set: "HH:MM" in tz) */
int runs_register(struct jobs *j, struct store *s, const struct runs_config *cfg,
		  const char *at_hhmm, const char *tz, struct api_error *err);

/* the build, synchronously (the job's body; the CLI and the bench call it). 0 or -1 */
int runs_build(struct store *s, const struct runs_config *cfg, const char *id,
	       struct api_error *err);

/* the daily cut's next time after now_ms: HH:MM in tz, skipping Sundays and USPS holidays */
int runs_daily_next(const char *at_hhmm, const char *tz, long long now_ms, long long *next_ms,
		    struct api_error *err);
#endif
