// SPDX-License-Identifier: AGPL-3.0-or-later
/* Upload rows on SQLite (store/upload_store.h): batched inserts with the upload's counts. */
#include "store/upload_store.h"
#include "store/sqlite_conn.h"
#include <string.h>

#define WHAT "upload rows"

static const char SQL_CLEAR[] = "DELETE FROM upload_rows WHERE upload_id = ?";
static const char SQL_INSERT[] =
	"INSERT INTO upload_rows (upload_id, row_no, valid, piece, errors, original)"
	" VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (upload_id, row_no) DO UPDATE SET"
	" valid = excluded.valid, piece = excluded.piece, errors = excluded.errors,"
	" original = excluded.original, piece_id = NULL";
static const char SQL_OBJECT[] =
	"SELECT json FROM objects WHERE id = ? AND account_id = ? AND mode = ? AND kind = ?"
	" AND deleted = 0";
static const char SQL_OBJECT_SET[] =
	"UPDATE objects SET json = ?1, updated_ms = ?2, " SQ_TYPED_SET("?1") " WHERE id = ?3";

static int update_object(struct conn *c, const struct upload_batch *b, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_OBJECT);
	if (!st)
		return db_fail(err, c->db, WHAT);
	db_bind_text(st, 1, b->upload_id);
	sq_bind_scope(st, 2, b->sc);
	int r = db_step(st);
	if (r != DB_ROW) {
		db_reset(st);
		return r == DB_DONE ? 1 : db_fail(err, c->db, WHAT);
	}
	const char *json = b->update((const char *)db_col_text(st, 0), b->ctx);
	db_reset(st);
	if (!json)
		return 0;
	db_stmt *up = sq_stmt(c, SQL_OBJECT_SET);
	if (!up)
		return db_fail(err, c->db, WHAT);
	db_bind_text(up, 1, json);
	db_bind_int64(up, 2, b->now_ms);
	db_bind_text(up, 3, b->upload_id);
	return step_done(c, up, err);
}

static int write_batch(struct conn *c, void *ctx, struct api_error *err)
{
	const struct upload_batch *b = ctx;
	if (b->update) {
		int rc = update_object(c, b, err);
		if (rc != 0)
			return rc;
	}
	if (b->clear) {
		db_stmt *st = sq_stmt(c, SQL_CLEAR);
		if (!st)
			return db_fail(err, c->db, WHAT);
		db_bind_text(st, 1, b->upload_id);
		if (step_done(c, st, err) < 0)
			return -1;
	}
	db_stmt *ins = b->n ? sq_stmt(c, SQL_INSERT) : NULL;
	if (b->n && !ins)
		return db_fail(err, c->db, WHAT);
	for (size_t i = 0; i < b->n; i++) {
		const struct upload_row *r = &b->rows[i];
		db_reset(ins);	/* bindings only take on a reset statement */
		db_bind_text(ins, 1, b->upload_id);
		db_bind_int64(ins, 2, r->row_no);
		db_bind_int(ins, 3, r->valid);
		db_bind_text(ins, 4, r->piece);
		db_bind_text(ins, 5, r->errors);
		db_bind_text(ins, 6, r->original);
		if (step_done(c, ins, err) < 0)
			return -1;
	}
	return 0;
}

int upload_rows_write(struct store *s, const struct upload_batch *b, struct api_error *err)
{
	return sq_submit_and_wait(s, write_batch, (void *)b, err);
}

int upload_rows_write_async(struct store *s, const struct upload_batch *b, struct api_error *err,
			    const struct store_done *done)
{
	return writer_submit(&s->writer, write_batch, (void *)b, err, done->fn, done->ctx);
}

static const char *const SQL_PAGE[] = {
	"SELECT row_no, valid, piece, errors, piece_id, original FROM upload_rows WHERE upload_id = ?"
	" ORDER BY row_no LIMIT ? OFFSET ?",
	"SELECT row_no, valid, piece, errors, piece_id, original FROM upload_rows WHERE upload_id = ?"
	" AND valid = 1 ORDER BY row_no LIMIT ? OFFSET ?",
	"SELECT row_no, valid, piece, errors, piece_id, original FROM upload_rows WHERE upload_id = ?"
	" AND valid = 0 ORDER BY row_no LIMIT ? OFFSET ?",
};
static const char *const SQL_COUNT[] = {
	"SELECT count(*) FROM upload_rows WHERE upload_id = ?",
	"SELECT count(*) FROM upload_rows WHERE upload_id = ? AND valid = 1",
	"SELECT count(*) FROM upload_rows WHERE upload_id = ? AND valid = 0",
};

static const char *col_dup(db_stmt *st, int col, struct arena *a)
{
	const unsigned char *v = db_col_text(st, col);
	return v ? arena_strndup(a, (const char *)v, (size_t)db_col_bytes(st, col)) : NULL;
}

static void read_row(db_stmt *st, struct arena *a, struct upload_row *r)
{
	r->row_no = db_col_int64(st, 0);
	r->valid = db_col_int(st, 1) != 0;
	r->piece = a ? col_dup(st, 2, a) : (const char *)db_col_text(st, 2);
	r->errors = a ? col_dup(st, 3, a) : (const char *)db_col_text(st, 3);
	r->piece_id = a ? col_dup(st, 4, a) : (const char *)db_col_text(st, 4);
	r->original = a ? col_dup(st, 5, a) : (const char *)db_col_text(st, 5);
}

int upload_rows_page(struct store *s, const char *upload_id, enum upload_rows_filter f,
		     long long offset, unsigned limit, struct arena *a, struct upload_row **rows,
		     size_t *n, long long *total, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	int rc = -1;
	*n = 0;
	*rows = arena_calloc(a, (limit ? limit : 1) * sizeof(**rows));
	/* one read transaction: the page and the count agree */
	if (sq_exec(c->db, "BEGIN", err) < 0)
		goto out;
	/* per call, not cached: a report page is one request, the cache has 64 slots */
	db_stmt *cnt = sq_prepare(c, SQL_COUNT[f], WHAT, err);
	db_stmt *st = cnt ? sq_prepare(c, SQL_PAGE[f], WHAT, err) : NULL;
	if (!cnt || !st) {
		db_finalize(cnt);
		goto end;
	}
	db_bind_text(cnt, 1, upload_id);
	if (db_step(cnt) != DB_ROW) {
		rc = db_fail(err, c->db, WHAT);
		db_finalize(cnt);
		db_finalize(st);
		goto end;
	}
	*total = db_col_int64(cnt, 0);
	db_finalize(cnt);
	db_bind_text(st, 1, upload_id);
	db_bind_int64(st, 2, limit);
	db_bind_int64(st, 3, offset);
	int r;
	while ((r = db_step(st)) == DB_ROW && *n < limit)
		read_row(st, a, &(*rows)[(*n)++]);
	rc = r == DB_ROW || r == DB_DONE ? 0 : db_fail(err, c->db, WHAT);
	db_finalize(st);
end:
	db_exec(c->db, "COMMIT");
out:
	conn_release(s, c);
	return rc;
}

static const char *const SQL_EACH[] = {
	"SELECT row_no, valid, piece, errors, piece_id, original FROM upload_rows WHERE upload_id = ?"
	" ORDER BY row_no",
	"SELECT row_no, valid, piece, errors, piece_id, original FROM upload_rows WHERE upload_id = ?"
	" AND valid = 1 ORDER BY row_no",
	"SELECT row_no, valid, piece, errors, piece_id, original FROM upload_rows WHERE upload_id = ?"
	" AND valid = 0 ORDER BY row_no",
};

int upload_rows_each(struct store *s, const char *upload_id, enum upload_rows_filter f,
		     int (*fn)(void *ctx, const struct upload_row *r, struct api_error *err),
		     void *ctx, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, SQL_EACH[f], WHAT, err);
	int rc = 0, r = DB_DONE;
	if (!st) {
		rc = -1;
	} else {
		db_bind_text(st, 1, upload_id);
		while (rc == 0 && (r = db_step(st)) == DB_ROW) {
			struct upload_row row;
			read_row(st, NULL, &row);
			rc = fn(ctx, &row, err);
		}
		if (rc == 0 && r != DB_DONE)
			rc = db_fail(err, c->db, WHAT);
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}
