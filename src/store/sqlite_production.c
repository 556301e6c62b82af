// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print runs on SQLite (store/production_store.h): the cut as one writer job, the run and
 * piece rows, and the reads the API and the build job make.
 */
#include "store/production_store.h"
#include "store/sqlite_conn.h"
#include <stdlib.h>
#include <string.h>

#define WHAT "print runs"

static db_stmt *prepare(struct conn *c, const char *sql, struct api_error *err)
{
	return sq_prepare(c, sql, WHAT, err);
}

static const char *col_dup(db_stmt *st, int col, struct arena *a)
{
	const unsigned char *v = db_col_text(st, col);
	return v ? arena_strndup(a, (const char *)v, (size_t)db_col_bytes(st, col)) : NULL;
}

/* ---- the candidates ---- */

/* the IMb is the 20-digit code among the piece's barcodes (an IMpb is 22 or more) */
static const char SQL_CANDIDATES[] =
	"SELECT o.id, o.account_id, o.mode, o.kind, o.json,"
	" (SELECT i.json FROM objects i WHERE i.id = 'inp_' || substr(o.id, instr(o.id, '_') + 1)"
	"  AND i.kind = 'piece_input'),"
	" (SELECT t.code FROM tracking_codes t WHERE t.object_id = o.id AND length(t.code) = 20"
	"  LIMIT 1),"
	" EXISTS (SELECT 1 FROM print_run_pieces p WHERE p.object_id = o.id AND p.state = '"
	PIECE_SPOILED "')"
	" FROM objects o WHERE o.kind IN (SELECT value FROM json_each(?1)) AND o.send_date <= ?2"
	" AND o.mode = ?3 AND o.status = 'rendered' AND o.deleted = 0 AND o.print_run_id IS NULL"
	" AND (CAST(?4 AS TEXT) IS NULL OR o.account_id IN (SELECT value FROM json_each(?4)))"
	" ORDER BY o.created_ms, o.id";

int prod_candidates(struct store *s, const struct prod_query *q,
		    int (*fn)(void *ctx, const struct prod_candidate *p, struct api_error *err),
		    void *ctx, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, SQL_CANDIDATES, err);
	int rc = -1, r = DB_DONE;
	if (st) {
		db_bind_text(st, 1, q->kinds_json);
		db_bind_int64(st, 2, q->cutoff_ms);
		db_bind_int(st, 3, q->mode);
		db_bind_text(st, 4, q->accounts_json);
		rc = 0;
		while (rc == 0 && (r = db_step(st)) == DB_ROW) {
			struct prod_candidate p = {
				.id = (const char *)db_col_text(st, 0),
				.account_id = (const char *)db_col_text(st, 1),
				.mode = db_col_int(st, 2) ? MODE_LIVE : MODE_TEST,
				.kind = (const char *)db_col_text(st, 3),
				.json = (const char *)db_col_text(st, 4),
				.input_json = (const char *)db_col_text(st, 5),
				.imb = (const char *)db_col_text(st, 6),
				.reprint = db_col_int(st, 7) != 0,
			};
			rc = fn(ctx, &p, err);
		}
		if (rc == 0 && r != DB_DONE)
			rc = db_fail(err, c->db, "print run candidates");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

/* ---- the cut ---- */

static const char SQL_LOCK[] =
	"UPDATE objects SET print_run_id = ?1 WHERE id = ?2 AND print_run_id IS NULL"
	" AND deleted = 0 AND status = 'rendered'";
static const char SQL_RUN_INSERT[] =
	"INSERT INTO print_runs (id, mode, status, cutoff_ms, pieces, created_ms, updated_ms, json,"
	" plan) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8)";
static const char SQL_PIECE_INSERT[] =
	"INSERT INTO print_run_pieces (run_id, object_id, lot_id, account_id, mode, kind, state,"
	" updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, '" PIECE_LOCKED "', ?7)";

static int lock_all(struct conn *c, struct prod_cut *cut, size_t *n_locked,
		    struct api_error *err)
{
	db_stmt *st = prepare(c, SQL_LOCK, err);
	if (!st)
		return -1;
	*n_locked = 0;
	for (size_t i = 0; i < cut->n; i++) {
		db_bind_text(st, 1, cut->run_id);
		db_bind_text(st, 2, cut->ids[i]);
		int r = db_step(st);
		db_reset(st);
		if (r != DB_DONE) {
			db_finalize(st);
			return db_fail(err, c->db, "print run lock");
		}
		cut->locked[i] = db_changes(c->db) == 1;
		*n_locked += cut->locked[i];
	}
	db_finalize(st);
	return 0;
}

static int insert_pieces(struct conn *c, const struct prod_cut *cut, struct api_error *err)
{
	db_stmt *st = prepare(c, SQL_PIECE_INSERT, err);
	if (!st)
		return -1;
	for (size_t i = 0; i < cut->n; i++) {
		if (!cut->locked[i])
			continue;
		db_bind_text(st, 1, cut->run_id);
		db_bind_text(st, 2, cut->ids[i]);
		db_bind_text(st, 3, cut->lot_ids[i]);
		db_bind_text(st, 4, cut->account_ids[i]);
		db_bind_int(st, 5, cut->mode);
		db_bind_text(st, 6, cut->kinds[i]);
		db_bind_int64(st, 7, cut->now_ms);
		int r = db_step(st);
		db_reset(st);
		if (r != DB_DONE) {
			db_finalize(st);
			return db_fail(err, c->db, "print run pieces");
		}
	}
	db_finalize(st);
	return 0;
}

static int cut_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct prod_cut *cut = ctx;
	size_t n_locked;
	if (lock_all(c, cut, &n_locked, err) < 0)
		return -1;
	if (n_locked == 0)
		return 1;	/* nothing changed: the savepoint has nothing to undo */
	if (cut->finish(cut->ctx, cut, err) < 0)
		return -1;
	db_stmt *st = prepare(c, SQL_RUN_INSERT, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, cut->run_id);
	db_bind_int(st, 2, cut->mode);
	db_bind_text(st, 3, cut->status);
	db_bind_int64(st, 4, cut->cutoff_ms);
	db_bind_int64(st, 5, (long long)n_locked);
	db_bind_int64(st, 6, cut->now_ms);
	db_bind_text(st, 7, cut->run_json);
	db_bind_text(st, 8, cut->plan_json);
	if (sq_change(c, st, "print run insert", err) < 0 || insert_pieces(c, cut, err) < 0)
		return -1;
	if (cut->job.kind && sq_job_insert(c, NULL, cut->mode, &cut->job, err) < 0)
		return -1;
	return 0;
}

int prod_run_cut(struct store *s, struct prod_cut *cut, struct api_error *err)
{
	return sq_submit_and_wait(s, cut_job, cut, err);
}

/* ---- runs ---- */

#define RUN_COLS "id, mode, status, cutoff_ms, pieces, created_ms, updated_ms, json"

static void run_row(db_stmt *st, struct arena *a, struct prod_run_row *out)
{
	copy_col(st, 0, out->id, sizeof(out->id));
	out->mode = db_col_int(st, 1) ? MODE_LIVE : MODE_TEST;
	copy_col(st, 2, out->status, sizeof(out->status));
	out->cutoff_ms = db_col_int64(st, 3);
	out->pieces = db_col_int64(st, 4);
	out->created_ms = db_col_int64(st, 5);
	out->updated_ms = db_col_int64(st, 6);
	out->json = col_dup(st, 7, a);
	out->plan = db_col_count(st) > 8 ? col_dup(st, 8, a) : NULL;
}

static int run_read(struct conn *c, const char *id, bool with_plan, struct arena *a,
		    struct prod_run_row *out, struct api_error *err)
{
	db_stmt *st = prepare(c, with_plan ? "SELECT " RUN_COLS ", plan FROM print_runs WHERE id = ?"
					       : "SELECT " RUN_COLS " FROM print_runs WHERE id = ?",
				   err);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	int r = db_step(st);
	if (r == DB_ROW)
		run_row(st, a, out);
	int rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "print run");
	db_finalize(st);
	return rc;
}

int prod_run_get(struct store *s, const char *id, bool with_plan, struct arena *a,
		 struct prod_run_row *out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	int rc = run_read(c, id, with_plan, a, out, err);
	conn_release(s, c);
	return rc;
}

int prod_run_list(struct store *s, size_t limit, const char *before_id, struct arena *a,
		  struct prod_run_row **rows, size_t *n, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(
		c,
		"SELECT " RUN_COLS " FROM print_runs WHERE CAST(?1 AS TEXT) IS NULL OR (created_ms, id) <"
		" (SELECT created_ms, id FROM print_runs WHERE id = ?1) ORDER BY created_ms DESC,"
		" id DESC LIMIT ?2",
		err);
	int rc = -1, r = DB_DONE;
	*n = 0;
	*rows = arena_calloc(a, sizeof(**rows) * (limit ? limit : 1));
	if (st) {
		db_bind_text(st, 1, before_id);
		db_bind_int64(st, 2, (long long)limit);
		while (*n < limit && (r = db_step(st)) == DB_ROW)
			run_row(st, a, &(*rows)[(*n)++]);
		rc = r == DB_ROW || r == DB_DONE ? 0 : db_fail(err, c->db, "print runs");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

struct update_job {
	const char *id;
	long long now_ms;
	int (*fn)(void *ctx, const struct prod_run_row *row, const char **json,
		  const char **status, struct api_error *err);
	void *ctx;
};

static int update_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct update_job *u = ctx;
	struct arena *a = arena_new();
	struct prod_run_row row;
	if (!a)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	int rc = run_read(c, u->id, true, a, &row, err);
	const char *json = NULL, *status = NULL;
	if (rc == 0)
		rc = u->fn(u->ctx, &row, &json, &status, err);
	if (rc == 0 && json && status) {
		db_stmt *st = prepare(c, "UPDATE print_runs SET json = ?, status = ?,"
					      " updated_ms = ? WHERE id = ?", err);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, json);
			db_bind_text(st, 2, status);
			db_bind_int64(st, 3, u->now_ms);
			db_bind_text(st, 4, u->id);
			rc = sq_change(c, st, "print run update", err) < 0 ? -1 : 0;
		}
	}
	arena_free(a);
	return rc;
}

int prod_run_update(struct store *s, const char *id, long long now_ms,
		    int (*fn)(void *ctx, const struct prod_run_row *row, const char **json,
			      const char **status, struct api_error *err),
		    void *ctx, struct api_error *err)
{
	struct update_job u = { id, now_ms, fn, ctx };
	return sq_submit_and_wait(s, update_job, &u, err);
}

/* ---- pieces ---- */

int prod_run_pieces(struct store *s, const char *run_id, const char *lot_id, struct arena *a,
		    struct prod_piece_row **rows, size_t *n, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT object_id, lot_id, account_id, mode, kind, state FROM"
				      " print_run_pieces WHERE run_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR"
				      " lot_id = ?2) ORDER BY rowid",
				   err);
	int rc = -1, r = DB_DONE;
	size_t cap = 64;
	*n = 0;
	*rows = arena_calloc(a, sizeof(**rows) * cap);
	if (st) {
		db_bind_text(st, 1, run_id);
		db_bind_text(st, 2, lot_id);
		while ((r = db_step(st)) == DB_ROW) {
			if (*n == cap) {
				struct prod_piece_row *more = arena_calloc(a, sizeof(*more) * cap * 2);
				memcpy(more, *rows, sizeof(*more) * cap);
				*rows = more;
				cap *= 2;
			}
			struct prod_piece_row *p = &(*rows)[(*n)++];
			copy_col(st, 0, p->object_id, sizeof(p->object_id));
			copy_col(st, 1, p->lot_id, sizeof(p->lot_id));
			copy_col(st, 2, p->account_id, sizeof(p->account_id));
			p->mode = db_col_int(st, 3) ? MODE_LIVE : MODE_TEST;
			copy_col(st, 4, p->kind, sizeof(p->kind));
			copy_col(st, 5, p->state, sizeof(p->state));
		}
		rc = r == DB_DONE ? 0 : db_fail(err, c->db, "print run pieces");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

int prod_piece_run(struct store *s, const char *object_id, char run_id[40],
		   struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT print_run_id FROM objects WHERE id = ?"
				      " AND print_run_id IS NOT NULL", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, object_id);
		int r = db_step(st);
		if (r == DB_ROW)
			copy_col(st, 0, run_id, 40);
		rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "piece run");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

struct state_job {
	const char *run_id, *const *ids, *from_json, *to;
	size_t n;
	long long now_ms;
	bool *changed;
};

static int state_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct state_job *j = ctx;
	bool spoil = strcmp(j->to, PIECE_SPOILED) == 0;
	db_stmt *st = prepare(c, "UPDATE print_run_pieces SET state = ?1, updated_ms = ?2"
				      " WHERE run_id = ?3 AND object_id = ?4 AND state IN"
				      " (SELECT value FROM json_each(?5))", err);
	db_stmt *unlock = spoil ? prepare(c, "UPDATE objects SET print_run_id = NULL"
						  " WHERE id = ?1 AND print_run_id = ?2", err)
				     : NULL;
	int rc = st && (!spoil || unlock) ? 0 : -1;
	for (size_t i = 0; rc == 0 && i < j->n; i++) {
		db_bind_text(st, 1, j->to);
		db_bind_int64(st, 2, j->now_ms);
		db_bind_text(st, 3, j->run_id);
		db_bind_text(st, 4, j->ids[i]);
		db_bind_text(st, 5, j->from_json);
		int r = db_step(st);
		db_reset(st);
		if (r != DB_DONE) {
			rc = db_fail(err, c->db, "print run piece state");
			break;
		}
		j->changed[i] = db_changes(c->db) == 1;
		if (spoil && j->changed[i]) {
			db_bind_text(unlock, 1, j->ids[i]);
			db_bind_text(unlock, 2, j->run_id);
			r = db_step(unlock);
			db_reset(unlock);
			if (r != DB_DONE)
				rc = db_fail(err, c->db, "print run unlock");
		}
	}
	db_finalize(st);
	db_finalize(unlock);
	return rc;
}

int prod_pieces_set_state(struct store *s, const char *run_id, const char *const *ids, size_t n,
			  const char *from_json, const char *to, long long now_ms, bool *changed,
			  struct api_error *err)
{
	struct state_job j = { run_id, ids, from_json, to, n, now_ms, changed };
	return sq_submit_and_wait(s, state_job, &j, err) < 0 ? -1 : 0;
}
