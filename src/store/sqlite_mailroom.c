// SPDX-License-Identifier: AGPL-3.0-or-later
/* The mail room's reads on SQLite (mailroom_store.h): pooled connections, one query each. */
#include "store/mailroom_store.h"
#include "store/sqlite_conn.h"

#define WHAT "mail room"

int mailroom_due_counts(struct store *s, const char *kinds_json, long long cutoff_ms,
			struct mailroom_due *out, int max, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	/* the cut's own conditions (sqlite_production.c SQL_CANDIDATES), counted on
	 * objects_due (migration 17): only the pieces waiting, none of their JSON */
	db_stmt *st = sq_prepare(
		c,
		"SELECT kind, account_id, mode, COUNT(*) FROM objects INDEXED BY objects_due"
		" WHERE kind IN (SELECT value FROM json_each(?1)) AND status = 'rendered'"
		" AND deleted = 0 AND print_run_id IS NULL AND send_date <= ?2"
		" GROUP BY kind, mode, account_id ORDER BY 1, 2, 3",
		WHAT, err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, kinds_json);
		db_bind_int64(st, 2, cutoff_ms);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			copy_col(st, 0, out[n].kind, sizeof(out[n].kind));
			copy_col(st, 1, out[n].account_id, sizeof(out[n].account_id));
			out[n].mode = db_col_int(st, 2) ? MODE_LIVE : MODE_TEST;
			out[n].n = db_col_int64(st, 3);
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "pieces due");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}

int mailroom_failed_list(struct store *s, const char *kinds_json, const char *before_id,
			 struct mailroom_failed *out, int max, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(
		c,
		"SELECT id, account_id, kind, mode, created_ms,"
		" json_extract(json, '$.failure_reason.failure_reason'),"
		" json_extract(json, '$.failure_reason.remediation')"
		" FROM objects INDEXED BY objects_work"
		" WHERE kind IN (SELECT value FROM json_each(?1)) AND status = 'failed'"
		" AND deleted = 0 AND (CAST(?2 AS TEXT) IS NULL OR (created_ms, id) <"
		" (SELECT created_ms, id FROM objects WHERE id = ?2))"
		" ORDER BY created_ms DESC, id DESC LIMIT ?3",
		WHAT, err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, kinds_json);
		db_bind_text(st, 2, before_id);
		db_bind_int(st, 3, max);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			copy_col(st, 0, out[n].id, sizeof(out[n].id));
			copy_col(st, 1, out[n].account_id, sizeof(out[n].account_id));
			copy_col(st, 2, out[n].kind, sizeof(out[n].kind));
			out[n].mode = db_col_int(st, 3) ? MODE_LIVE : MODE_TEST;
			out[n].created_ms = db_col_int64(st, 4);
			copy_col(st, 5, out[n].reason, sizeof(out[n].reason));
			copy_col(st, 6, out[n].remediation, sizeof(out[n].remediation));
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "failed pieces");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}

int mailroom_run_states(struct store *s, const char *run_id, struct mailroom_lot_state *out,
			int max, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c,
				      "SELECT lot_id, state, COUNT(*) FROM print_run_pieces"
				      " WHERE run_id = ? GROUP BY 1, 2 ORDER BY 1, 2",
				      WHAT, err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, run_id);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			copy_col(st, 0, out[n].lot_id, sizeof(out[n].lot_id));
			copy_col(st, 1, out[n].state, sizeof(out[n].state));
			out[n].n = db_col_int64(st, 2);
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "print run pieces");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}
