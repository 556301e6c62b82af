// SPDX-License-Identifier: AGPL-3.0-or-later
/* The dashboard's piece look-ups on SQLite (piece_search_store.h): reads on a pooled connection. */
#include "store/piece_search_store.h"
#include "store/sqlite_conn.h"
#include <ctype.h>
#include <string.h>

/* the expression of the objects_to_name index (migration 16): written the same way here,
 * or SQLite does not use the index */
#define NAME_EXPR "lower(json_extract(json, '$.to.name'))"

/*
 * [lo, hi): every text that starts with lo sorts in it (hi is lo with its last byte one
 * higher; a byte 0xff cannot end UTF-8 text, and a lower-cased prefix never holds one)
 */
static void prefix_range(struct arena *a, const char *prefix, char **lo, char **hi)
{
	size_t n = strlen(prefix);
	*lo = arena_alloc(a, n + 1);
	for (size_t i = 0; i <= n; i++)
		(*lo)[i] = (char)tolower((unsigned char)prefix[i]);
	*hi = arena_strdup(a, *lo);
	if (n)
		(*hi)[n - 1] = (char)((unsigned char)(*hi)[n - 1] + 1);
}

int piece_search_name(struct store *s, const struct store_list_query *q, const char *prefix,
		      struct arena *a, struct store_list_result *out, struct api_error *err)
{
	if (!prefix[0])
		return api_fail(err, ERR_INVALID, "a name to search for is needed");
	char *lo, *hi;
	prefix_range(a, prefix, &lo, &hi);
	const struct store_cursor *cur = q->before ? q->before : q->after;
	/* a range on objects_to_name, which holds created_ms too: the matches are ordered
	 * and cut to a page from the index alone; only the page's rows are read */
#define MATCHES "SELECT rowid FROM objects WHERE account_id = ?1 AND mode = ?2 AND kind = ?3" \
		" AND deleted = 0 AND " NAME_EXPR " >= ?4 AND " NAME_EXPR " < ?5"
#define PAGE(cmp, order) "SELECT id, created_ms, json FROM objects WHERE rowid IN (" MATCHES \
		cmp " ORDER BY created_ms " order ", id " order " LIMIT ?8)" \
		" ORDER BY created_ms " order ", id " order
	const char *sql =
		q->before ? PAGE(" AND (created_ms > ?6 OR (created_ms = ?6 AND id > ?7))", "ASC")
		: q->after ? PAGE(" AND (created_ms < ?6 OR (created_ms = ?6 AND id < ?7))", "DESC")
			   : PAGE(" AND CAST(?6 AS BIGINT) IS NULL AND CAST(?7 AS TEXT) IS NULL", "DESC");
#undef PAGE
#undef MATCHES
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, sql, "piece search", err);
	int rc = -1;
	if (st) {
		sq_bind_scope(st, 1, &q->scope);
		db_bind_text(st, 4, lo);
		db_bind_text(st, 5, hi);
		if (cur) {
			db_bind_int64(st, 6, cur->created_ms);
			db_bind_text(st, 7, cur->id);
		}
		db_bind_int(st, 8, (int)q->limit + 1);	/* one more: a page after? */
		int r = sq_page_rows(st, q, a, out);
		db_finalize(st);
		rc = r == DB_DONE ? 0 : db_fail(err, c->db, "piece search");
	}
	conn_release(s, c);
	return rc;
}

int piece_events(struct store *s, const char *account_id, enum store_mode mode,
		 const char *object_id, char **out, int max, struct arena *a,
		 struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	/* events_object (migration 16): the object's events only. Named, because the planner
	 * otherwise takes events_list for its order and reads every event of the account
	 * (bench/dashboard: 0.8 s a page at 110,000 events) */
	db_stmt *st = sq_prepare(c, "SELECT json FROM events INDEXED BY events_object"
					 " WHERE object_id = ?1"
					 " AND account_id = ?2 AND mode = ?3"
					 " ORDER BY created_ms DESC, id DESC LIMIT ?4",
				      "piece events", err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, object_id);
		db_bind_text(st, 2, account_id);
		db_bind_int(st, 3, (int)mode);
		db_bind_int(st, 4, max);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max)
			out[n++] = arena_strndup(a, (const char *)db_col_text(st, 0),
						 (size_t)db_col_bytes(st, 0));
		db_finalize(st);
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "piece events");
	}
	conn_release(s, c);
	return n;
}
