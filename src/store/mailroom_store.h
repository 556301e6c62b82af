// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Read-only store calls of the dashboard's mail room (src/dashboard/mailroom*.c) where the
 * production API has no listing: what a cut would take now (counts, no JSON read), failed
 * renders across accounts, and the state of each lot's pieces in a run. Every query runs
 * on an index: objects_due (migration 17: the rendered pieces no run holds), objects_work
 * (kind, status, created_ms) and print_run_pieces' primary key.
 */
#ifndef FRANK_STORE_MAILROOM_STORE_H
#define FRANK_STORE_MAILROOM_STORE_H
#include "core/err.h"
#include "store/store.h"

/* rendered pieces no run holds, due by a cutoff, per kind, account and mode */
struct mailroom_due {
	char kind[24];
	char account_id[40];
	enum store_mode mode;
	long long n;
};
/* kinds_json: a JSON array of the kinds a cut takes. The number of rows (≤ max), or -1 */
int mailroom_due_counts(struct store *s, const char *kinds_json, long long cutoff_ms,
			struct mailroom_due *out, int max, struct api_error *err);

/* a failed render */
struct mailroom_failed {
	char id[40], account_id[40], kind[24];
	enum store_mode mode;
	long long created_ms;
	char reason[64];	/* failure_reason.failure_reason */
	char remediation[512];	/* failure_reason.remediation */
};
/*
 * Failed, not canceled pieces of kinds_json in every account, newest first, older than the
 * piece before_id (NULL: from the newest): the number (≤ max), or -1
 */
int mailroom_failed_list(struct store *s, const char *kinds_json, const char *before_id,
			 struct mailroom_failed *out, int max, struct api_error *err);

/* how many of a run's pieces are in each state, per lot */
struct mailroom_lot_state {
	char lot_id[40];
	char state[16];		/* locked, printed, mailed, spoiled */
	long long n;
};
int mailroom_run_states(struct store *s, const char *run_id, struct mailroom_lot_state *out,
			int max, struct api_error *err);
#endif
