// SPDX-License-Identifier: AGPL-3.0-or-later
/* Short links' reads over the objects table (link_store.h); indexes of migration 12. */
#include "store/link_store.h"
#include "store/sqlite_conn.h"
#include <limits.h>
#include <string.h>

/* the partial index objects_short_link: the WHERE terms are the index's own */
static const char SQL_RESOLVE[] =
	"SELECT id, account_id, mode, kind, json_extract(json, '$.redirect_link'),"
	" json_extract(json, '$.resource_id') FROM objects"
	" WHERE json_extract(json, '$.short_link') = ?1"
	" AND kind IN ('link', 'qr_link') AND deleted = 0";

static const char *col_dup(db_stmt *st, int col, struct arena *a)
{
	const unsigned char *t = db_col_text(st, col);
	return t ? arena_strdup(a, (const char *)t) : NULL;
}

int store_link_resolve(struct store *s, const char *short_link, struct arena *a,
		       struct link_target *out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, SQL_RESOLVE, "link resolve", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, short_link);
		int r = db_step(st);
		if (r == DB_ROW) {
			memset(out, 0, sizeof(*out));
			copy_col(st, 0, out->id, sizeof(out->id));
			copy_col(st, 1, out->account_id, sizeof(out->account_id));
			out->mode = db_col_int(st, 2) ? MODE_LIVE : MODE_TEST;
			copy_col(st, 3, out->kind, sizeof(out->kind));
			out->redirect = col_dup(st, 4, a);
			out->resource_id = col_dup(st, 5, a);
			rc = out->redirect ? 0 : db_fail(err, c->db, "link without redirect_link");
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "link resolve");
		}
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

static const char SQL_DOMAIN[] =
	"SELECT 1 FROM objects WHERE json_extract(json, '$.domain') = ?1"
	" AND kind = 'domain' AND deleted = 0";

int store_domain_taken(struct store *s, const char *domain, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, SQL_DOMAIN, "domain lookup", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, domain);
		int r = db_step(st);
		rc = r == DB_ROW ? 1 : r == DB_DONE ? 0 : db_fail(err, c->db, "domain lookup");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

static const char SQL_DOMAIN_ERROR_LINK[] =
	"SELECT json_extract(json, '$.error_redirect_link') FROM objects"
	" WHERE json_extract(json, '$.domain') = ?1 AND kind = 'domain' AND deleted = 0";

int store_domain_error_link(struct store *s, const char *domain, struct arena *a,
			    const char **url_out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, SQL_DOMAIN_ERROR_LINK, "domain error link", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, domain);
		int r = db_step(st);
		if (r == DB_ROW) {
			*url_out = col_dup(st, 0, a);
			rc = *url_out ? 0 : 1;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "domain error link");
		}
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

/* one account's QR links; the filters are unset when their parameter is NULL (never bound:
 * the CASTs give PostgreSQL its type) */
#define QR_FROM                                                                              \
	" FROM objects l WHERE l.account_id = ?1 AND l.mode = ?2 AND l.kind = 'qr_link'"     \
	" AND l.deleted = 0 AND (CAST(?3 AS BIGINT) IS NULL OR l.created_ms > ?3)"           \
	" AND (CAST(?4 AS BIGINT) IS NULL OR l.created_ms >= ?4)"                            \
	" AND (CAST(?5 AS BIGINT) IS NULL OR l.created_ms < ?5)"                             \
	" AND (CAST(?6 AS BIGINT) IS NULL OR l.created_ms <= ?6)"                            \
	" AND (CAST(?7 AS TEXT) IS NULL OR json_extract(l.json, '$.resource_id') IN"         \
	" (SELECT value FROM json_each(?7)))"                                                 \
	" AND (CAST(?8 AS BIGINT) IS NULL OR (?8 <> 0) = EXISTS (SELECT 1 FROM objects c"    \
	" WHERE json_extract(c.json, '$.link_id') = l.id AND c.kind = 'link_click'))"

/* ordered outside: PostgreSQL names a select-list alias only bare in ORDER BY, not in `IS NULL` */
static const char SQL_QR_PAGE[] =
	"SELECT id, resource_id, created_ms, last FROM (SELECT l.id AS id,"
	" json_extract(l.json, '$.resource_id') AS resource_id, l.created_ms AS created_ms,"
	" (SELECT MAX(c.created_ms) FROM objects c WHERE json_extract(c.json, '$.link_id') = l.id"
	" AND c.kind = 'link_click') AS last" QR_FROM ") q"
	" ORDER BY last IS NULL, last DESC, created_ms DESC, id DESC LIMIT ?9 OFFSET ?10";

static const char SQL_QR_TOTAL[] = "SELECT COUNT(*)" QR_FROM;

static const char SQL_QR_SCANS[] =
	"SELECT (SELECT COUNT(*) FROM objects c WHERE json_extract(c.json, '$.link_id') = ?1"
	" AND c.kind = 'link_click'),"
	" (SELECT COALESCE(json_group_array(json_object('ip_location',"
	" json_extract(json, '$.ip_location'), 'scan_date', json_extract(json, '$.scan_date'))),"
	" json('[]')) FROM (SELECT json FROM objects c"
	" WHERE json_extract(c.json, '$.link_id') = ?1 AND c.kind = 'link_click'"
	" ORDER BY c.created_ms DESC LIMIT ?2) s)";

static void bind_filters(db_stmt *st, const struct qr_query *q)
{
	const long long when[4] = { q->created_gt, q->created_gte, q->created_lt, q->created_lte };
	db_bind_text(st, 1, q->account_id);
	db_bind_int(st, 2, q->mode == MODE_LIVE);
	for (int i = 0; i < 4; i++)
		if (when[i] != LLONG_MIN)
			db_bind_int64(st, 3 + i, when[i]);
	db_bind_text(st, 7, q->resource_ids);
	if (q->scanned >= 0)
		db_bind_int(st, 8, q->scanned);
}

static int scans_of(struct conn *c, const char *link_id, struct arena *a, struct qr_row *row,
		    struct api_error *err)
{
	db_stmt *st = sq_prepare(c, SQL_QR_SCANS, "qr scans", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, link_id);
	db_bind_int(st, 2, QR_SCANS_MAX);
	int rc = 0;
	if (db_step(st) == DB_ROW) {
		row->scans = db_col_int64(st, 0);
		row->scans_json = col_dup(st, 1, a);
	} else {
		rc = db_fail(err, c->db, "qr scans");
	}
	db_finalize(st);
	if (rc == 0 && !row->scans_json)
		row->scans_json = "[]";
	return rc;
}

int store_qr_analytics(struct store *s, const struct qr_query *q, struct arena *a,
		       struct qr_row **rows, size_t *n, long long *total, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	int rc = 0;
	*n = 0;
	*rows = arena_calloc(a, (q->limit ? q->limit : 1) * sizeof(**rows));
	char (*ids)[40] = arena_calloc(a, (q->limit ? q->limit : 1) * sizeof(*ids));
	db_stmt *st = sq_prepare(c, SQL_QR_PAGE, "qr analytics", err);
	if (!st || !*rows || !ids) {
		rc = st ? api_fail(err, ERR_INTERNAL, "out of memory") : -1;
	} else {
		bind_filters(st, q);
		db_bind_int(st, 9, (int)q->limit);
		db_bind_int(st, 10, (int)q->offset);
		int r;
		while ((r = db_step(st)) == DB_ROW && *n < q->limit) {
			struct qr_row *row = &(*rows)[*n];
			copy_col(st, 0, ids[*n], sizeof(ids[*n]));
			row->resource_id = col_dup(st, 1, a);
			row->created_ms = db_col_int64(st, 2);
			(*n)++;
		}
		if (r != DB_ROW && r != DB_DONE)
			rc = db_fail(err, c->db, "qr analytics");
	}
	if (st)
		db_finalize(st);
	for (size_t i = 0; rc == 0 && i < *n; i++)
		rc = scans_of(c, ids[i], a, &(*rows)[i], err);
	if (rc == 0 && q->want_total) {
		st = sq_prepare(c, SQL_QR_TOTAL, "qr analytics total", err);
		if (!st) {
			rc = -1;
		} else {
			bind_filters(st, q);
			if (db_step(st) == DB_ROW)
				*total = db_col_int64(st, 0);
			else
				rc = db_fail(err, c->db, "qr analytics total");
			db_finalize(st);
		}
	}
	conn_release(s, c);
	return rc;
}
