// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * store.h's object calls on SQLite: insert (with metadata, event and idempotency key in the
 * same transaction), get, soft delete, idempotency lookups, and keyset-paginated lists.
 */
#include "store/store.h"
#include "store/sqlite_conn.h"
#include "core/ids.h"
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char SQL_OBJ_INSERT[] =
	"INSERT INTO objects (id, account_id, mode, kind, created_ms, updated_ms, json, status,"
	" send_date, campaign_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " SQ_STATUS_OF("?7") ", "
	SQ_SEND_DATE_OF("?7") ", " SQ_CAMPAIGN_OF("?7") ")";
static const char SQL_META_INSERT[] =
	"INSERT INTO metadata (object_id, account_id, mode, kind, key, value)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_EVENT_INSERT[] =
	"INSERT INTO events (id, account_id, mode, type, object_id, created_ms, json)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_IDEM_GET[] =
	"SELECT object_id, created_ms FROM idempotency_keys"
	" WHERE account_id = ? AND mode = ? AND kind = ? AND key = ?";
static const char SQL_IDEM_DELETE[] =
	"DELETE FROM idempotency_keys WHERE account_id = ? AND mode = ? AND kind = ? AND key = ?";
static const char SQL_IDEM_INSERT[] =
	"INSERT INTO idempotency_keys (account_id, mode, kind, key, object_id, created_ms)"
	" VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_OBJ_GET[] =
	"SELECT json FROM objects WHERE id = ? AND account_id = ? AND mode = ? AND kind = ?"
	" AND deleted = 0";
static const char SQL_OBJ_WAS_DELETED[] =
	"SELECT 1 FROM objects WHERE id = ? AND account_id = ? AND mode = ? AND kind = ?"
	" AND deleted = 1";
static const char SQL_OBJ_DELETE[] =
	"UPDATE objects SET deleted = 1, updated_ms = ?1, json = ?2, " SQ_TYPED_SET("?2")
	" WHERE id = ?3 AND account_id = ?4 AND mode = ?5 AND kind = ?6 AND deleted = 0";

void sq_bind_scope(db_stmt *st, int first, const struct store_scope *sc)
{
	db_bind_text(st, first, sc->account_id);
	db_bind_int(st, first + 1, sc->mode);
	db_bind_text(st, first + 2, sc->kind);
}

/* 0 found and fresh (id copied), 1 none, -1 error */
int sq_idem_get(struct conn *c, const struct store_scope *sc, const char *key,
		    long long now_ms, long long ttl_ms, char *id_out)
{
	db_stmt *st = sq_stmt(c, SQL_IDEM_GET);
	if (!st)
		return -1;
	sq_bind_scope(st, 1, sc);
	db_bind_text(st, 4, key);
	int r = db_step(st);
	if (r == DB_DONE)
		return 1;
	if (r != DB_ROW)
		return -1;
	if (db_col_int64(st, 1) + ttl_ms <= now_ms)
		return 1;
	copy_col(st, 0, id_out, 40);
	return 0;
}

int sq_idem_put(struct conn *c, const struct store_scope *sc, const char *key,
		    const char *object_id, long long now_ms, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_IDEM_DELETE);	/* an expired record, if any */
	if (!st)
		return db_fail(err, c->db, "idempotency");
	sq_bind_scope(st, 1, sc);
	db_bind_text(st, 4, key);
	if (step_done(c, st, err) < 0)
		return -1;
	st = sq_stmt(c, SQL_IDEM_INSERT);
	if (!st)
		return db_fail(err, c->db, "idempotency");
	sq_bind_scope(st, 1, sc);
	db_bind_text(st, 4, key);
	db_bind_text(st, 5, object_id);
	db_bind_int64(st, 6, now_ms);
	return step_done(c, st, err);
}

int sq_meta_put(struct conn *c, const struct store_scope *sc, const char *object_id,
		const char *metadata_json, struct api_error *err)
{
	json_t *meta = json_loads(metadata_json, 0, NULL);
	const char *k;
	json_t *v;
	int rc = 0;
	if (!json_is_object(meta)) {
		json_decref(meta);
		return 0;
	}
	json_object_foreach(meta, k, v) {
		db_stmt *st = sq_stmt(c, SQL_META_INSERT);
		if (!st || !json_is_string(v)) {
			rc = st ? 0 : db_fail(err, c->db, "metadata");
			if (rc < 0)
				break;
			continue;
		}
		db_bind_text(st, 1, object_id);
		sq_bind_scope(st, 2, sc);
		db_bind_text(st, 5, k);
		db_bind_text(st, 6, json_string_value(v));
		rc = step_done(c, st, err);
		if (rc < 0)
			break;
	}
	json_decref(meta);
	return rc;
}

int sq_event_put(struct conn *c, const struct store_scope *sc, const char *object_id,
		     long long now_ms, const struct store_event *ev, struct api_error *err)
{
	if (!ev || !ev->id)
		return 0;
	db_stmt *st = sq_stmt(c, SQL_EVENT_INSERT);
	if (!st)
		return db_fail(err, c->db, "event");
	db_bind_text(st, 1, ev->id);
	db_bind_text(st, 2, sc->account_id);
	db_bind_int(st, 3, sc->mode);
	db_bind_text(st, 4, ev->type);
	db_bind_text(st, 5, object_id);
	db_bind_int64(st, 6, now_ms);
	db_bind_text(st, 7, ev->json);
	if (step_done(c, st, err) < 0)
		return -1;
	return sq_jobs_after_event(c, sc, ev->id, now_ms, err);
}

int sq_insert_rows(struct conn *c, const struct store_scope *sc,
		       const struct store_object *obj, const struct store_event *ev,
		       struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_OBJ_INSERT);
	if (!st)
		return db_fail(err, c->db, "object insert");
	db_bind_text(st, 1, obj->id);
	sq_bind_scope(st, 2, sc);
	db_bind_int64(st, 5, obj->created_ms);
	db_bind_int64(st, 6, obj->updated_ms);
	db_bind_text(st, 7, obj->json);
	if (step_done(c, st, err) < 0)
		return -1;
	if (obj->metadata_json && sq_meta_put(c, sc, obj->id, obj->metadata_json, err) < 0)
		return -1;
	if (sq_jobs_after_insert(c, sc, obj->id, obj->created_ms, err) < 0)
		return -1;
	return sq_event_put(c, sc, obj->id, obj->created_ms, ev, err);
}

static int insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	const struct store_insert *j = ctx;
	if (j->idem_key) {
		/* jobs run one after another on the writer: check-then-insert is atomic */
		int rc = sq_idem_get(c, j->sc, j->idem_key, j->obj->created_ms, j->idem_ttl_ms,
				  j->existing_id);
		if (rc == 0)
			return 1;
		if (rc < 0)
			return db_fail(err, c->db, "idempotency");
		if (sq_idem_put(c, j->sc, j->idem_key, j->obj->id, j->obj->created_ms, err) < 0)
			return -1;
	}
	return sq_insert_rows(c, j->sc, j->obj, j->ev, err);
}

int store_object_insert(struct store *s, const struct store_insert *in, struct api_error *err,
			const struct store_done *done)
{
	return writer_submit(&s->writer, insert_job, (void *)in, err, done->fn, done->ctx);
}

int store_object_get(struct store *s, const struct store_scope *sc, const char *id,
		     struct arena *a, char **json_out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_OBJ_GET);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "object get");
		goto out;
	}
	db_bind_text(st, 1, id);
	sq_bind_scope(st, 2, sc);
	int r = db_step(st);
	if (r == DB_ROW) {
		*json_out = arena_strndup(a, (const char *)db_col_text(st, 0),
					  (size_t)db_col_bytes(st, 0));
		rc = 0;
	} else if (r == DB_DONE) {
		rc = 1;
	} else {
		rc = db_fail(err, c->db, "object get");
	}
	db_reset(st);
out:
	conn_release(s, c);
	return rc;
}

int store_object_was_deleted(struct store *s, const struct store_scope *sc, const char *id,
			     struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_OBJ_WAS_DELETED);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "object deleted");
	} else {
		db_bind_text(st, 1, id);
		sq_bind_scope(st, 2, sc);
		int r = db_step(st);
		rc = r == DB_ROW ? 1 : r == DB_DONE ? 0 : db_fail(err, c->db, "object deleted");
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}

static int delete_job(struct conn *c, void *ctx, struct api_error *err)
{
	const struct store_delete *j = ctx;
	db_stmt *st = sq_stmt(c, SQL_OBJ_DELETE);
	if (!st)
		return db_fail(err, c->db, "object delete");
	db_bind_int64(st, 1, j->now_ms);
	db_bind_text(st, 2, j->deleted_json);
	db_bind_text(st, 3, j->id);
	sq_bind_scope(st, 4, j->sc);
	if (step_done(c, st, err) < 0)
		return -1;
	if (db_changes(c->db) == 0)
		return 1;
	return sq_event_put(c, j->sc, j->id, j->now_ms, j->ev, err);
}

int store_object_delete(struct store *s, const struct store_delete *del, struct api_error *err,
			const struct store_done *done)
{
	return writer_submit(&s->writer, delete_job, (void *)del, err, done->fn, done->ctx);
}

static const char SQL_EVENT_GET[] =
	"SELECT json FROM events WHERE id = ? AND account_id = ? AND mode = ?";

int store_event_get(struct store *s, const char *account_id, enum store_mode mode,
		    const char *id, struct arena *a, char **json_out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_EVENT_GET);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "event get");
	} else {
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, account_id);
		db_bind_int(st, 3, mode);
		int r = db_step(st);
		if (r == DB_ROW) {
			*json_out = arena_strndup(a, (const char *)db_col_text(st, 0),
						  (size_t)db_col_bytes(st, 0));
			rc = 0;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "event get");
		}
	}
	conn_release(s, c);
	return rc;
}

int store_idem_lookup(struct store *s, const struct store_scope *sc, const char *key,
		      long long now_ms, long long ttl_ms, char *id_out)
{
	struct conn *c = conn_acquire(s);
	int rc = sq_idem_get(c, sc, key, now_ms, ttl_ms, id_out);
	conn_release(s, c);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* lists: keyset pagination on (created_ms, id), newest first               */
/* ------------------------------------------------------------------------ */

struct sqlbuf {
	char text[4096];
	size_t len;
	bool overflow;
};

static void sql_add(struct sqlbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > sizeof(b->text)) {
		b->overflow = true;
		return;
	}
	memcpy(b->text + b->len, s, n + 1);
	b->len += n;
}

static const char *source_table(const struct store_list_query *q)
{
	return q->source == SOURCE_EVENTS   ? " FROM events"
	       : q->source == SOURCE_LEDGER ? " FROM ledger_rows"
					    : " FROM objects";
}

/* a filter on a field with a typed column (written with the JSON, indexed): that column */
static const char *typed_column(const struct store_list_query *q, const struct store_json_filter *f)
{
	if (q->source != SOURCE_OBJECTS || f->op != JF_EQ || f->boolean >= 0)
		return NULL;
	if (strcmp(f->path, "$.status") == 0)
		return " AND status";
	if (strcmp(f->path, "$.campaign_id") == 0)
		return " AND campaign_id";
	return NULL;
}

/* the WHERE clause shared by the page query and the count; parameters bound in order */
static void where_clause(struct sqlbuf *b, const struct store_list_query *q)
{
	if (q->source != SOURCE_OBJECTS)	/* events and ledger rows: of one type, or all */
		sql_add(b, q->event_type ? " WHERE account_id = ? AND mode = ? AND type = ?"
					 : " WHERE account_id = ? AND mode = ? AND CAST(?3 AS TEXT) IS NULL");
	else
		sql_add(b, " WHERE account_id = ? AND mode = ? AND kind = ? AND deleted = 0");
	if (q->created_gt != LLONG_MIN)
		sql_add(b, " AND created_ms > ?");
	if (q->created_gte != LLONG_MIN)
		sql_add(b, " AND created_ms >= ?");
	if (q->created_lt != LLONG_MIN)
		sql_add(b, " AND created_ms < ?");
	if (q->created_lte != LLONG_MIN)
		sql_add(b, " AND created_ms <= ?");
	for (size_t i = 0; i < q->n_meta; i++)
		sql_add(b, " AND id IN (SELECT object_id FROM metadata WHERE account_id = ?"
			   " AND mode = ? AND kind = ? AND key = ? AND value = ?)");
	static const char *const ops[] = { [JF_EQ] = " = ?", [JF_GT] = " > ?", [JF_GTE] = " >= ?",
					   [JF_LT] = " < ?", [JF_LTE] = " <= ?" };
	for (size_t i = 0; i < q->n_jf; i++) {
		const struct store_json_filter *f = &q->jf[i];
		/* the path is a constant from a filter table, never request text */
		if (f->op == JF_SCHEDULED || f->op == JF_UNSCHEDULED) {
			sql_add(b, f->op == JF_SCHEDULED ? " AND json_extract(json, '$.send_date') >"
							 : " AND json_extract(json, '$.send_date') <=");
			sql_add(b, " json_extract(json, '$.date_created')");
			continue;
		}
		const char *typed = typed_column(q, f);
		if (typed) {
			sql_add(b, typed);
		} else {
			sql_add(b, " AND json_extract(json, '");
			sql_add(b, f->path);
			sql_add(b, "')");
		}
		sql_add(b, ops[f->op]);
	}
}

static int bind_where(db_stmt *st, const struct store_list_query *q)
{
	int i = 1;
	db_bind_text(st, i, q->scope.account_id);
	db_bind_int(st, i + 1, q->scope.mode);
	db_bind_text(st, i + 2, q->source != SOURCE_OBJECTS ? q->event_type : q->scope.kind);
	i += 3;
	const long long bounds[] = { q->created_gt, q->created_gte, q->created_lt, q->created_lte };
	for (size_t k = 0; k < 4; k++)
		if (bounds[k] != LLONG_MIN)
			db_bind_int64(st, i++, bounds[k]);
	for (size_t k = 0; k < q->n_meta; k++) {
		sq_bind_scope(st, i, &q->scope);
		db_bind_text(st, i + 3, q->meta[k].key);
		db_bind_text(st, i + 4, q->meta[k].value);
		i += 5;
	}
	for (size_t k = 0; k < q->n_jf; k++) {
		const struct store_json_filter *f = &q->jf[k];
		if (f->op == JF_SCHEDULED || f->op == JF_UNSCHEDULED)
			continue;
		if (f->boolean >= 0)
			db_bind_json_bool(st, i++, f->boolean);
		else
			db_bind_text(st, i++, f->text);
	}
	return i;
}

static int list_total(struct conn *c, const struct store_list_query *q, long long *total,
		      struct api_error *err)
{
	struct sqlbuf b = { .len = 0 };
	db_stmt *st = NULL;
	sql_add(&b, "SELECT COUNT(*)");
	sql_add(&b, source_table(q));
	where_clause(&b, q);
	if (b.overflow || db_prepare(c->db, b.text, &st) != DB_OK)
		return db_fail(err, c->db, "list count");
	bind_where(st, q);
	int r = db_step(st);
	*total = r == DB_ROW ? db_col_int64(st, 0) : 0;
	db_finalize(st);
	return r == DB_ROW ? 0 : db_fail(err, c->db, "list count");
}

static int list_page(struct conn *c, const struct store_list_query *q, struct arena *a,
		     struct store_list_result *out, struct api_error *err)
{
	struct sqlbuf b = { .len = 0 };
	db_stmt *st = NULL;
	const struct store_cursor *cur = q->before ? q->before : q->after;
	sql_add(&b, "SELECT id, created_ms, json");
	sql_add(&b, source_table(q));
	where_clause(&b, q);
	if (q->before)
		sql_add(&b, " AND (created_ms > ? OR (created_ms = ? AND id > ?))"
			    " ORDER BY created_ms ASC, id ASC LIMIT ?");
	else if (q->after)
		sql_add(&b, " AND (created_ms < ? OR (created_ms = ? AND id < ?))"
			    " ORDER BY created_ms DESC, id DESC LIMIT ?");
	else
		sql_add(&b, " ORDER BY created_ms DESC, id DESC LIMIT ?");
	if (q->offset)
		sql_add(&b, " OFFSET ?");
	if (b.overflow || db_prepare(c->db, b.text, &st) != DB_OK)
		return db_fail(err, c->db, "list");
	int i = bind_where(st, q);
	if (cur) {
		db_bind_int64(st, i++, cur->created_ms);
		db_bind_int64(st, i++, cur->created_ms);
		db_bind_text(st, i++, cur->id);
	}
	db_bind_int(st, i++, (int)q->limit + 1);	/* one more tells whether a page follows */
	if (q->offset)
		db_bind_int64(st, i, q->offset);
	int r = sq_page_rows(st, q, a, out);
	db_finalize(st);
	return r == DB_DONE ? 0 : db_fail(err, c->db, "list");
}

int sq_page_rows(db_stmt *st, const struct store_list_query *q, struct arena *a,
		 struct store_list_result *out)
{
	out->json = arena_alloc(a, sizeof(char *) * (q->limit + 1));
	out->cursors = arena_alloc(a, sizeof(struct store_cursor) * (q->limit + 1));
	out->n = 0;
	int r;
	for (r = db_step(st); r == DB_ROW && out->n <= q->limit; r = db_step(st)) {
		struct store_cursor *sc = &out->cursors[out->n];
		copy_col(st, 0, sc->id, sizeof(sc->id));
		sc->created_ms = db_col_int64(st, 1);
		out->json[out->n++] = arena_strndup(a, (const char *)db_col_text(st, 2),
						    (size_t)db_col_bytes(st, 2));
	}
	if (r != DB_ROW && r != DB_DONE)
		return r;
	bool more = out->n > q->limit;
	if (more)
		out->n = q->limit;
	store_list_page_done(q, more, out);
	return DB_DONE;
}

void store_list_page_done(const struct store_list_query *q, bool more,
			  struct store_list_result *out)
{
	if (q->before) {
		/* read from the cursor toward the newest: turned round, newest first */
		for (size_t i = 0, j = out->n ? out->n - 1 : 0; i < j; i++, j--) {
			char *tj = out->json[i];
			struct store_cursor tc = out->cursors[i];
			out->json[i] = out->json[j];
			out->cursors[i] = out->cursors[j];
			out->json[j] = tj;
			out->cursors[j] = tc;
		}
		out->more_newer = more;
		out->more_older = true;	/* the cursor row itself is older */
	} else {
		out->more_older = more;
		out->more_newer = q->after != NULL;	/* and newer: previous_url after paging on */
	}
}

int store_object_list(struct store *s, const struct store_list_query *q, struct arena *a,
		      struct store_list_result *out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	int rc = sq_exec(c->db, "BEGIN", err);	/* one snapshot for the page and the count */
	if (rc == 0)
		rc = list_page(c, q, a, out, err);
	if (rc == 0 && q->want_total)
		rc = list_total(c, q, &out->total, err);
	rc = tx_end(c, rc, err);
	conn_release(s, c);
	return rc;
}
