// SPDX-License-Identifier: AGPL-3.0-or-later
/* Every account's objects of one kind (kind_store.h), in one statement. */
#include "store/kind_store.h"
#include "store/sqlite_conn.h"

static const char kind_sql[] =
	"SELECT json FROM objects WHERE kind = ?1 AND deleted = 0 AND (?2 OR mode = 1)"
	" ORDER BY created_ms, id LIMIT ?3";

int store_objects_of_kind(struct store *s, const char *kind, bool include_test, json_t **out,
			  struct api_error *err)
{
	*out = NULL;
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_prepare(c, kind_sql, "objects of a kind", err);
	int rc = -1;
	if (st) {
		json_t *all = json_array();
		sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 2, include_test ? 1 : 0);
		sqlite3_bind_int(st, 3, STORE_KIND_ALL_MAX);
		int r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			json_t *o = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
			if (o)
				json_array_append_new(all, o);
		}
		if (r == SQLITE_DONE) {
			*out = all;
			rc = 0;
		} else {
			json_decref(all);
			rc = db_fail(err, c->db, "objects of a kind");
		}
	}
	sqlite3_finalize(st);
	conn_release(s, c);
	return rc;
}
