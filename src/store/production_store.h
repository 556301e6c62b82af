// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Store calls for print runs (migration 9, src/production/, docs/internals/production.md).
 * A run is cut in one writer transaction: its pieces are locked (objects.print_run_id),
 * the run row, its plan and its piece rows are inserted, and its build job is enqueued —
 * all or nothing, so a crash mid-cut leaves the whole run or none, and a piece is locked in
 * one run at most. A locked piece cannot be deleted (store_apply refuses STORE_DELETE with
 * not_deletable), so a cancel can never race a cut: the writer orders them.
 */
#ifndef FRANK_STORE_PRODUCTION_STORE_H
#define FRANK_STORE_PRODUCTION_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* a piece's state in a run (print_run_pieces.state) */
#define PIECE_LOCKED "locked"
#define PIECE_PRINTED "printed"
#define PIECE_MAILED "mailed"
#define PIECE_SPOILED "spoiled"

/* which pieces a cut may take */
struct prod_query {
	enum store_mode mode;
	long long cutoff_ms;	/* send_date at or before it */
	const char *kinds_json;		/* JSON array of kinds */
	const char *accounts_json;	/* JSON array of account ids, or NULL: every account */
};

/* a rendered piece no run holds, with what its plan needs */
struct prod_candidate {
	const char *id, *account_id, *kind;
	enum store_mode mode;
	const char *json;	/* the piece as served */
	const char *input_json;	/* its private render input (files, bank numbers), or NULL */
	const char *imb;	/* its IMb tracking code (20 digits), or NULL */
	bool reprint;		/* spoiled in an earlier run: printed again with the same IMb */
};

/* every eligible piece, oldest first; fn returns 0 to go on, -1 to stop (its error). 0/-1 */
int prod_candidates(struct store *s, const struct prod_query *q,
		    int (*fn)(void *ctx, const struct prod_candidate *p, struct api_error *err),
		    void *ctx, struct api_error *err);

/*
 * The cut. In the writer's transaction: each of ids[n] is locked when it is still eligible
 * (rendered, not deleted, in no run): locked[i] says which. Then finish(ctx) — still inside
 * the transaction — builds the run from the locked pieces and fills the fields below it;
 * then the run, its pieces and the job are written. 0 committed, 1 nothing locked (no run,
 * nothing written), -1 with *err (nothing written).
 */
struct prod_cut {
	const char *run_id;
	enum store_mode mode;
	long long cutoff_ms, now_ms;
	const char *const *ids;
	const char *const *account_ids, *const *kinds;
	size_t n;
	bool *locked;		/* n flags, set by the cut */
	int (*finish)(void *ctx, struct prod_cut *cut, struct api_error *err);
	void *ctx;
	/* set by finish */
	const char *status, *run_json, *plan_json;
	const char *const *lot_ids;	/* per piece (locked ones) */
	struct store_job_new job;	/* enqueued with the run (kind NULL: none) */
};
int prod_run_cut(struct store *s, struct prod_cut *cut, struct api_error *err);

/* a run: 0 found (strings in a), 1 none, -1 error. plan may be NULL (not read) */
struct prod_run_row {
	char id[40], status[16];
	enum store_mode mode;
	long long cutoff_ms, created_ms, updated_ms, pieces;
	const char *json, *plan;
};
int prod_run_get(struct store *s, const char *id, bool with_plan, struct arena *a,
		 struct prod_run_row *out, struct api_error *err);

/* runs newest first, at most limit, older than before_id when set; *n rows in a. 0/-1 */
int prod_run_list(struct store *s, size_t limit, const char *before_id, struct arena *a,
		  struct prod_run_row **rows, size_t *n, struct api_error *err);

/*
 * Read-modify-write of a run on the writer thread: fn gets the row (plan included) and
 * returns the new JSON and status (NULL: leave the row) or -1 with *err to abort. 0, 1 no
 * such run, -1 error.
 */
int prod_run_update(struct store *s, const char *id, long long now_ms,
		    int (*fn)(void *ctx, const struct prod_run_row *row, const char **json,
			      const char **status, struct api_error *err),
		    void *ctx, struct api_error *err);

/* one piece of a run */
struct prod_piece_row {
	char object_id[40], lot_id[40], account_id[40], kind[32], state[16];
	enum store_mode mode;
};
/* the pieces of run_id (all, or of one lot when lot_id is set); *n rows in a. 0/-1 */
int prod_run_pieces(struct store *s, const char *run_id, const char *lot_id, struct arena *a,
		    struct prod_piece_row **rows, size_t *n, struct api_error *err);
/* the run that holds object_id now (its lock): 0 found (run_id 40 bytes), 1 none, -1 */
int prod_piece_run(struct store *s, const char *object_id, char run_id[40],
		   struct api_error *err);

/*
 * Moves pieces of run_id to state `to` (printed, mailed, spoiled), in one transaction;
 * only pieces whose state is in from_json (a JSON array) move. A spoiled piece also loses
 * its lock, so the next cut takes it again (as a reprint). changed[i] says which moved. 0/-1
 */
int prod_pieces_set_state(struct store *s, const char *run_id, const char *const *ids, size_t n,
			  const char *from_json, const char *to, long long now_ms, bool *changed,
			  struct api_error *err);
#endif
