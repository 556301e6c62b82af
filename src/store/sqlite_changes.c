// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * store_apply: change sets (inserts, read-modify-write updates, deletes) in one transaction
 * on the writer thread. Updates read the current row inside the transaction, so the writer's
 * serial order is the only order: no lost updates, no torn reads.
 */
#include "store/store.h"
#include "store/sqlite_conn.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_CUR_GET[] =
	"SELECT json, print_run_id FROM objects WHERE id = ? AND account_id = ? AND mode = ? AND kind = ?"
	" AND deleted = 0";
static const char SQL_CUR_SET[] =
	"UPDATE objects SET json = ?1, updated_ms = ?2, deleted = ?3, " SQ_TYPED_SET("?1")
	" WHERE id = ?4 AND account_id = ?5 AND mode = ?6 AND kind = ?7";
static const char SQL_META_CLEAR[] = "DELETE FROM metadata WHERE object_id = ?";

/* the stored JSON (a copy the caller frees), NULL if absent; *failed on a database error;
 * run_id (40 bytes) gets the print run that locks the object, "" when none */
static char *current_json(struct conn *c, const struct store_change *ch, bool *failed,
			  char run_id[40])
{
	db_stmt *st = sq_stmt(c, SQL_CUR_GET);
	*failed = !st;
	if (!st)
		return NULL;
	db_bind_text(st, 1, ch->obj.id);
	sq_bind_scope(st, 2, &ch->sc);
	int r = db_step(st);
	char *json = r == DB_ROW ? strdup((const char *)db_col_text(st, 0)) : NULL;
	run_id[0] = '\0';
	if (r == DB_ROW)
		copy_col(st, 1, run_id, 40);
	*failed = (r != DB_ROW && r != DB_DONE) || (r == DB_ROW && !json);
	db_reset(st);
	return json;
}

static int apply_update(struct conn *c, struct store_change *ch, struct api_error *err)
{
	bool failed;
	char run_id[40];
	char *cur = current_json(c, ch, &failed, run_id);
	if (failed)
		return db_fail(err, c->db, "object read for update");
	if (!cur)
		return 1;
	if (ch->op == STORE_DELETE && run_id[0]) {
		/* the cut locked it in this same serial order: a cancel never races a print run */
		free(cur);
		return api_fail(err, ERR_NOT_DELETABLE,
				"This %s can no longer be canceled: it is in print run %s and is "
				"being printed", ch->sc.kind, run_id);
	}
	const char *meta = NULL;
	const char *next = ch->mutate(cur, ch->ctx, &ch->ev, &meta, err);
	free(cur);
	if (!next)
		return -1;
	db_stmt *st = sq_stmt(c, SQL_CUR_SET);
	if (!st)
		return db_fail(err, c->db, "object update");
	db_bind_text(st, 1, next);
	db_bind_int64(st, 2, ch->obj.updated_ms);
	db_bind_int(st, 3, ch->op == STORE_DELETE);
	db_bind_text(st, 4, ch->obj.id);
	sq_bind_scope(st, 5, &ch->sc);
	if (step_done(c, st, err) < 0)
		return -1;
	if (meta) {
		st = sq_stmt(c, SQL_META_CLEAR);
		if (!st)
			return db_fail(err, c->db, "metadata");
		db_bind_text(st, 1, ch->obj.id);
		if (step_done(c, st, err) < 0 || sq_meta_put(c, &ch->sc, ch->obj.id, meta, err) < 0)
			return -1;
	}
	return sq_event_put(c, &ch->sc, ch->obj.id, ch->obj.updated_ms, &ch->ev, err);
}

static const char SQL_CODE_PUT[] =
	"INSERT INTO tracking_codes (code, object_id, account_id, mode, kind)"
	" VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET object_id = excluded.object_id,"
	" account_id = excluded.account_id, mode = excluded.mode, kind = excluded.kind";

static int apply_tracking_code(struct conn *c, const struct store_change *ch,
			       struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_CODE_PUT);
	if (!st)
		return db_fail(err, c->db, "tracking code");
	db_bind_text(st, 1, ch->code);
	db_bind_text(st, 2, ch->obj.id);
	sq_bind_scope(st, 3, &ch->sc);
	return step_done(c, st, err);
}

static const char SQL_COUNTER_SET[] =
	"INSERT INTO sequences (name, value) VALUES (?, ?)"
	" ON CONFLICT(name) DO UPDATE SET value = excluded.value";

static int apply_counter(struct conn *c, const struct store_change *ch, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_COUNTER_SET);
	if (!st)
		return db_fail(err, c->db, "counter");
	db_bind_text(st, 1, ch->code);
	db_bind_int64(st, 2, ch->number);
	return step_done(c, st, err);
}

static int apply_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct store_change_set *set = ctx;
	if (set->idem_key && set->n && set->changes[0].op == STORE_INSERT) {
		const struct store_change *first = &set->changes[0];
		/* jobs run one after another on the writer: check-then-insert is atomic */
		int rc = sq_idem_get(c, &first->sc, set->idem_key, first->obj.created_ms,
				     set->idem_ttl_ms, set->existing_id);
		if (rc == 0)
			return 1;
		if (rc < 0)
			return db_fail(err, c->db, "idempotency");
		if (sq_idem_put(c, &first->sc, set->idem_key, first->obj.id, first->obj.created_ms,
				err) < 0)
			return -1;
	}
	for (size_t i = 0; i < set->n; i++) {
		struct store_change *ch = &set->changes[i];
		int rc;
		switch (ch->op) {
		case STORE_INSERT:
			rc = sq_insert_rows(c, &ch->sc, &ch->obj, &ch->ev, err);
			break;
		case STORE_TRACKING_CODE:
			rc = apply_tracking_code(c, ch, err);
			break;
		case STORE_SET_COUNTER:
			rc = apply_counter(c, ch, err);
			break;
		case STORE_JOB:
			rc = sq_job_insert(c, ch->sc.account_id, ch->sc.mode, &ch->job, err);
			break;
		case STORE_JOB_SETTLE:
			rc = sq_job_settle(c, &ch->settle, err);
			break;
		case STORE_UPLOAD_ROW:
			rc = sq_upload_row_apply(c, ch, err);
			break;
		case STORE_LEDGER:
			rc = sq_ledger_apply(c, ch, err);
			break;
		default:
			rc = apply_update(c, ch, err);
		}
		if (rc < 0)
			return -1;
		if (rc > 0) {
			/* a missing object or a lost lease: undo the set's earlier changes */
			if (ch->op == STORE_JOB_SETTLE)
				api_fail(err, ERR_NOT_FOUND, "job %lld is no longer this worker's",
					 ch->settle.id);
			else if (ch->op == STORE_UPLOAD_ROW)
				api_fail(err, ERR_CONFLICT, "row %lld of upload %s already has its piece",
					 ch->number, ch->code);
			else
				api_fail(err, ERR_NOT_FOUND, "%s not found", ch->sc.kind);
			return i == 0 ? 1 : -1;
		}
	}
	return 0;
}

int store_apply(struct store *s, struct store_change_set *set, struct api_error *err,
		const struct store_done *done)
{
	return writer_submit(&s->writer, apply_job, set, err, done->fn, done->ctx);
}

/* ---- waiting for a write (tools, sequences) ---- */

struct wait {
	int rc;
	bool done;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void wait_done(void *ctx, int rc)
{
	struct wait *w = ctx;
	pthread_mutex_lock(&w->lock);
	w->rc = rc;
	w->done = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

int sq_submit_and_wait(struct store *s, write_fn fn, void *ctx, struct api_error *err)
{
	struct wait w = { .rc = -1 };
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	int rc = writer_submit(&s->writer, fn, ctx, err, wait_done, &w);
	if (rc == 0) {
		pthread_mutex_lock(&w.lock);
		while (!w.done)
			pthread_cond_wait(&w.cond, &w.lock);
		pthread_mutex_unlock(&w.lock);
		rc = w.rc;
	}
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

const char *store_mutate_replace(const char *current_json, void *ctx, struct store_event *ev,
				 const char **metadata_json, struct api_error *err)
{
	(void)current_json;
	(void)ev;
	(void)metadata_json;
	(void)err;
	return ctx;
}

int store_apply_sync(struct store *s, struct store_change_set *set, struct api_error *err)
{
	return sq_submit_and_wait(s, apply_job, set, err);
}

/* ---- sequences ---- */

/* reserves ?3 values; returns the last of them */
static const char SQL_SEQ_NEXT[] =
	"INSERT INTO sequences (name, value) VALUES (?1, ?2 + ?3 - 1)"
	" ON CONFLICT(name) DO UPDATE SET value = sequences.value + ?3 RETURNING value";

struct seq_job {
	const char *name;
	long long start, count, value;
};

static int seq_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct seq_job *w = ctx;
	db_stmt *st = sq_stmt(c, SQL_SEQ_NEXT);
	if (!st)
		return db_fail(err, c->db, "sequence");
	db_bind_text(st, 1, w->name);
	db_bind_int64(st, 2, w->start);
	db_bind_int64(st, 3, w->count);
	int r = db_step(st);
	if (r == DB_ROW)
		w->value = db_col_int64(st, 0);
	db_reset(st);
	return r == DB_ROW ? 0 : db_fail(err, c->db, "sequence");
}

int store_sequence_next(struct store *s, const char *name, long long start, long long *value,
			struct api_error *err)
{
	struct seq_job w = { .name = name, .start = start, .count = 1 };
	int rc = sq_submit_and_wait(s, seq_job, &w, err);
	*value = w.value;
	return rc < 0 ? -1 : 0;
}

/* blocks of reserved values, per store and name (a few names: one per Mailer ID) */
#define SEQ_BLOCKS 8
static struct {
	const struct store *s;
	char name[64];
	long long next, end;	/* next value to hand out; end: one past the block */
} seq_blocks[SEQ_BLOCKS];
static pthread_mutex_t seq_blocks_lock = PTHREAD_MUTEX_INITIALIZER;

int store_sequence_next_block(struct store *s, const char *name, long long start,
			      long long block, long long *value, struct api_error *err)
{
	size_t i, free_slot = SEQ_BLOCKS;
	pthread_mutex_lock(&seq_blocks_lock);
	for (i = 0; i < SEQ_BLOCKS; i++) {
		if (seq_blocks[i].s == s && strcmp(seq_blocks[i].name, name) == 0)
			break;
		if (!seq_blocks[i].s && free_slot == SEQ_BLOCKS)
			free_slot = i;
	}
	if (i == SEQ_BLOCKS && free_slot == SEQ_BLOCKS) {	/* table full: no caching */
		pthread_mutex_unlock(&seq_blocks_lock);
		return store_sequence_next(s, name, start, value, err);
	}
	if (i == SEQ_BLOCKS) {
		i = free_slot;
		seq_blocks[i].s = s;
		snprintf(seq_blocks[i].name, sizeof(seq_blocks[i].name), "%s", name);
		seq_blocks[i].next = seq_blocks[i].end = 0;
	}
	if (seq_blocks[i].next >= seq_blocks[i].end) {
		/* the whole block is committed before any of it is used: never a repeat */
		struct seq_job w = { .name = name, .start = start, .count = block };
		if (sq_submit_and_wait(s, seq_job, &w, err) < 0) {
			pthread_mutex_unlock(&seq_blocks_lock);
			return -1;
		}
		seq_blocks[i].next = w.value - block + 1;
		seq_blocks[i].end = w.value + 1;
	}
	*value = seq_blocks[i].next++;
	pthread_mutex_unlock(&seq_blocks_lock);
	return 0;
}

void store_sequence_forget(const struct store *s)
{
	pthread_mutex_lock(&seq_blocks_lock);
	for (size_t i = 0; i < SEQ_BLOCKS; i++)
		if (seq_blocks[i].s == s)
			seq_blocks[i].s = NULL;
	pthread_mutex_unlock(&seq_blocks_lock);
}

/* ---- tracking codes ---- */

static const char SQL_CODE_GET[] =
	"SELECT object_id, account_id, mode, kind FROM tracking_codes WHERE code = ?";

int store_tracking_lookup(struct store *s, const char *code, struct store_tracked *out,
			  struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_CODE_GET);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "tracking code");
	} else {
		db_bind_text(st, 1, code);
		int r = db_step(st);
		if (r == DB_ROW) {
			copy_col(st, 0, out->object_id, sizeof(out->object_id));
			copy_col(st, 1, out->account_id, sizeof(out->account_id));
			out->mode = db_col_int(st, 2) ? MODE_LIVE : MODE_TEST;
			copy_col(st, 3, out->kind, sizeof(out->kind));
			rc = 0;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "tracking code");
		}
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}

/* ---- leftover work ---- */

static const char SQL_WITH_STATUS[] =
	"SELECT id, account_id, mode FROM objects WHERE kind = ? AND status = ? AND deleted = 0"
	" ORDER BY created_ms";

int store_each_with_status(struct store *s, const char *const *kinds, const char *status,
			   void (*fn)(void *ctx, const struct store_scope *sc, const char *id),
			   void *ctx, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	int rc = 0;
	for (const char *const *k = kinds; *k && rc == 0; k++) {
		db_stmt *st = sq_stmt(c, SQL_WITH_STATUS);
		if (!st) {
			rc = db_fail(err, c->db, "leftover work");
			break;
		}
		db_bind_text(st, 1, *k);
		db_bind_text(st, 2, status);
		int r;
		while ((r = db_step(st)) == DB_ROW) {
			char id[40], account[40];
			copy_col(st, 0, id, sizeof(id));
			copy_col(st, 1, account, sizeof(account));
			struct store_scope sc = { .account_id = account,
						  .mode = db_col_int(st, 2) ? MODE_LIVE : MODE_TEST,
						  .kind = *k };
			fn(ctx, &sc, id);
		}
		if (r != DB_DONE)
			rc = db_fail(err, c->db, "leftover work");
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}

/* ---- reads authorised by a signature, not a key ---- */

static const char SQL_GET_UNSCOPED[] =
	"SELECT json FROM objects WHERE id = ? AND kind = ? AND deleted = 0";

int store_object_get_unscoped(struct store *s, const char *kind, const char *id,
			      struct arena *a, char **json_out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_GET_UNSCOPED);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "object get");
	} else {
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, kind);
		int r = db_step(st);
		if (r == DB_ROW) {
			*json_out = arena_strndup(a, (const char *)db_col_text(st, 0),
						  (size_t)db_col_bytes(st, 0));
			rc = 0;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "object get");
		}
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}

/* ---- consumers: counters, the event log in order, objects by kind ---- */

static const char SQL_COUNTER_GET[] = "SELECT value FROM sequences WHERE name = ?";

int store_counter_get(struct store *s, const char *name, long long *value, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_COUNTER_GET);
	int rc = 0;
	*value = 0;
	if (!st) {
		rc = db_fail(err, c->db, "counter");
	} else {
		db_bind_text(st, 1, name);
		int r = db_step(st);
		if (r == DB_ROW)
			*value = db_col_int64(st, 0);
		else if (r != DB_DONE)
			rc = db_fail(err, c->db, "counter");
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}

static const char SQL_EVENTS_AFTER[] =
	"SELECT rowid, id, account_id, mode, type, json FROM events WHERE rowid > ?"
	" ORDER BY rowid LIMIT ?";

int store_events_after(struct store *s, long long after, size_t max, struct arena *a,
		       struct store_event_row **rows, size_t *n, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_EVENTS_AFTER);
	int rc = 0, r;
	*n = 0;
	*rows = arena_calloc(a, sizeof(**rows) * (max ? max : 1));
	if (!st) {
		rc = db_fail(err, c->db, "events");	/* c->db is read before the release */
		conn_release(s, c);
		return rc;
	}
	db_bind_int64(st, 1, after);
	db_bind_int64(st, 2, (long long)max);
	while ((r = db_step(st)) == DB_ROW && *n < max) {
		struct store_event_row *e = &(*rows)[(*n)++];
		e->seq = db_col_int64(st, 0);
		copy_col(st, 1, e->id, sizeof(e->id));
		copy_col(st, 2, e->account_id, sizeof(e->account_id));
		e->mode = db_col_int(st, 3) ? MODE_LIVE : MODE_TEST;
		copy_col(st, 4, e->type, sizeof(e->type));
		e->json = arena_strndup(a, (const char *)db_col_text(st, 5),
					(size_t)db_col_bytes(st, 5));
	}
	if (r != DB_ROW && r != DB_DONE)
		rc = db_fail(err, c->db, "events");
	db_reset(st);
	conn_release(s, c);
	return rc;
}

static const char SQL_IN_SCOPE[] =
	"SELECT id, json FROM objects WHERE account_id = ? AND mode = ? AND kind = ? AND deleted = 0"
	" ORDER BY created_ms LIMIT ?";

int store_each_in_scope(struct store *s, const struct store_scope *sc, size_t max,
			void (*fn)(void *ctx, const char *id, const char *json), void *ctx,
			struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_IN_SCOPE);
	int rc = 0, r;
	if (!st) {
		rc = db_fail(err, c->db, "objects");	/* c->db is read before the release */
		conn_release(s, c);
		return rc;
	}
	sq_bind_scope(st, 1, sc);
	db_bind_int64(st, 4, (long long)max);
	while ((r = db_step(st)) == DB_ROW) {
		char id[40];
		copy_col(st, 0, id, sizeof(id));
		fn(ctx, id, (const char *)db_col_text(st, 1));
	}
	if (r != DB_DONE)
		rc = db_fail(err, c->db, "objects");
	db_reset(st);
	conn_release(s, c);
	return rc;
}
