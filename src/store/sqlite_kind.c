// SPDX-License-Identifier: AGPL-3.0-or-later
/* Every account's objects of one kind (kind_store.h), in one statement. */
#include "store/kind_store.h"
#include "store/sqlite_conn.h"

static const char kind_sql[] =
	"SELECT json FROM objects WHERE kind = ?1 AND deleted = 0 AND (?2 <> 0 OR mode = 1)"
	" ORDER BY created_ms, id LIMIT ?3";

int store_objects_of_kind(struct store *s, const char *kind, bool include_test, json_t **out,
			  struct api_error *err)
{
	*out = NULL;
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, kind_sql, "objects of a kind", err);
	int rc = -1;
	if (st) {
		json_t *all = json_array();
		db_bind_text_copy(st, 1, kind, -1);
		db_bind_int(st, 2, include_test ? 1 : 0);
		db_bind_int(st, 3, STORE_KIND_ALL_MAX);
		int r;
		while ((r = db_step(st)) == DB_ROW) {
			json_t *o = json_loads((const char *)db_col_text(st, 0), 0, NULL);
			if (o)
				json_array_append_new(all, o);
		}
		if (r == DB_DONE) {
			*out = all;
			rc = 0;
		} else {
			json_decref(all);
			rc = db_fail(err, c->db, "objects of a kind");
		}
	}
	db_finalize(st);
	conn_release(s, c);
	return rc;
}
