// SPDX-License-Identifier: AGPL-3.0-or-later
/* Campaign sends over SQLite: upload rows, objects by campaign (store/campaign_store.h). */
#include "store/campaign_store.h"
#include "store/sqlite_conn.h"
#include <string.h>

static const char SQL_ROWS_PENDING[] =
	"SELECT row_no, piece FROM upload_rows WHERE upload_id = ? AND valid = 1"
	" AND piece_id IS NULL AND row_no > ? ORDER BY row_no LIMIT ?";

int store_upload_rows_pending(struct store *s, const char *upload_id, long long after,
			      size_t max, struct arena *a, struct store_upload_row **rows,
			      size_t *n, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_ROWS_PENDING);
	int rc = 0, r;
	*n = 0;
	*rows = arena_calloc(a, sizeof(**rows) * (max ? max : 1));
	if (!st || !*rows) {
		conn_release(s, c);
		return db_fail(err, c->db, "upload rows");
	}
	db_bind_text(st, 1, upload_id);
	db_bind_int64(st, 2, after);
	db_bind_int64(st, 3, (long long)max);
	while ((r = db_step(st)) == DB_ROW && *n < max) {
		const char *piece = (const char *)db_col_text(st, 1);
		(*rows)[*n] = (struct store_upload_row){
			.row_no = db_col_int64(st, 0),
			.piece = arena_strdup(a, piece ? piece : "{}") };
		(*n)++;
	}
	if (r != DB_DONE && r != DB_ROW)
		rc = db_fail(err, c->db, "upload rows");
	db_reset(st);
	conn_release(s, c);
	return rc;
}

static const char SQL_ROWS_COUNT[] =
	"SELECT COUNT(*), COUNT(piece_id) FROM upload_rows WHERE upload_id = ? AND valid = 1";

int store_upload_rows_count(struct store *s, const char *upload_id, long long *valid,
			    long long *with_piece, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_ROWS_COUNT);
	int rc = 0;
	if (!st) {
		rc = db_fail(err, c->db, "upload rows");
	} else {
		db_bind_text(st, 1, upload_id);
		if (db_step(st) == DB_ROW) {
			*valid = db_col_int64(st, 0);
			*with_piece = db_col_int64(st, 1);
		} else {
			rc = db_fail(err, c->db, "upload rows");
		}
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}

#define SQL_FIND_BY_WHERE \
	"SELECT id, json FROM objects WHERE account_id = ? AND mode = ? AND kind = ?" \
	" AND deleted = 0 AND json_extract(json, ?) = ? ORDER BY "
/* statements are cached by their text's address: one constant per order */
static const char SQL_FIND_NEWEST[] = SQL_FIND_BY_WHERE "created_ms DESC, id DESC LIMIT ?";
static const char SQL_FIND_OLDEST[] = SQL_FIND_BY_WHERE "created_ms, id LIMIT ?";

static int each_found(struct store *s, const struct store_scope *sc, const char *path,
		      const char *value, size_t max, bool newest_first,
		      void (*fn)(void *ctx, const char *id, const char *json), void *ctx,
		      struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, newest_first ? SQL_FIND_NEWEST : SQL_FIND_OLDEST);
	int rc = 0, r;
	if (!st) {
		conn_release(s, c);
		return db_fail(err, c->db, "objects by field");
	}
	sq_bind_scope(st, 1, sc);
	db_bind_text(st, 4, path);
	db_bind_text(st, 5, value);
	db_bind_int64(st, 6, (long long)max);
	while ((r = db_step(st)) == DB_ROW)
		fn(ctx, (const char *)db_col_text(st, 0),
		   (const char *)db_col_text(st, 1));
	if (r != DB_DONE)
		rc = db_fail(err, c->db, "objects by field");
	db_reset(st);
	conn_release(s, c);
	return rc;
}

struct found {
	struct arena *a;
	char **id, **json;
	bool any;
};

static void keep_found(void *ctx, const char *id, const char *json)
{
	struct found *f = ctx;
	*f->id = arena_strdup(f->a, id);
	*f->json = arena_strdup(f->a, json);
	f->any = true;
}

int store_object_find_by(struct store *s, const struct store_scope *sc, const char *path,
			 const char *value, struct arena *a, char **id_out, char **json_out,
			 struct api_error *err)
{
	struct found f = { .a = a, .id = id_out, .json = json_out };
	if (each_found(s, sc, path, value, 1, true, keep_found, &f, err) < 0)
		return -1;
	return f.any ? 0 : 1;
}

int store_each_found_by(struct store *s, const struct store_scope *sc, const char *path,
			const char *value, size_t max,
			void (*fn)(void *ctx, const char *id, const char *json), void *ctx,
			struct api_error *err)
{
	return each_found(s, sc, path, value, max, false, fn, ctx, err);
}

static const char SQL_CAMPAIGN_PIECES[] =
	"SELECT id, kind FROM objects WHERE campaign_id = ? AND account_id = ? AND mode = ?"
	" AND deleted = 0 AND kind <> 'creative' AND id > ? ORDER BY id LIMIT ?";

int store_campaign_pieces(struct store *s, const char *account_id, enum store_mode mode,
			  const char *campaign_id, const char *after_id, size_t max,
			  struct arena *a, char ***ids, char ***kinds, size_t *n,
			  struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_CAMPAIGN_PIECES);
	int rc = 0, r;
	*n = 0;
	*ids = arena_calloc(a, sizeof(char *) * (max ? max : 1));
	*kinds = arena_calloc(a, sizeof(char *) * (max ? max : 1));
	if (!st || !*ids || !*kinds) {
		conn_release(s, c);
		return db_fail(err, c->db, "campaign pieces");
	}
	db_bind_text(st, 1, campaign_id);
	db_bind_text(st, 2, account_id);
	db_bind_int(st, 3, mode);
	db_bind_text(st, 4, after_id);
	db_bind_int64(st, 5, (long long)max);
	while ((r = db_step(st)) == DB_ROW && *n < max) {
		(*ids)[*n] = arena_strdup(a, (const char *)db_col_text(st, 0));
		(*kinds)[*n] = arena_strdup(a, (const char *)db_col_text(st, 1));
		(*n)++;
	}
	if (r != DB_DONE && r != DB_ROW)
		rc = db_fail(err, c->db, "campaign pieces");
	db_reset(st);
	conn_release(s, c);
	return rc;
}

/* ---- the write: a row gets its piece (or fails at the send), once ---- */

static const char SQL_ROW_PIECE[] =
	"UPDATE upload_rows SET piece_id = ? WHERE upload_id = ? AND row_no = ? AND valid = 1"
	" AND piece_id IS NULL";
static const char SQL_ROW_FAILED[] =
	"UPDATE upload_rows SET valid = 0, errors = ? WHERE upload_id = ? AND row_no = ?"
	" AND valid = 1 AND piece_id IS NULL";

int sq_upload_row_apply(struct conn *c, const struct store_change *ch, struct api_error *err)
{
	bool failed = ch->obj.json != NULL;
	db_stmt *st = sq_stmt(c, failed ? SQL_ROW_FAILED : SQL_ROW_PIECE);
	if (!st)
		return db_fail(err, c->db, "upload row");
	db_bind_text(st, 1, failed ? ch->obj.json : ch->obj.id);
	db_bind_text(st, 2, ch->code);
	db_bind_int64(st, 3, ch->number);
	if (step_done(c, st, err) < 0)
		return -1;
	return db_changes(c->db) > 0 ? 0 : 1;
}
