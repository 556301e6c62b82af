// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One piece's story from the store (why_store.h), in one statement. json_group_array is
 * COALESCEd: PostgreSQL's json_agg over no rows is NULL where SQLite's gives [].
 */
#include "store/why_store.h"
#include "store/sqlite_conn.h"

static const char why_sql[] =
	"SELECT json_object("
	"  'id', o.id, 'kind', o.kind, 'account_id', o.account_id,"
	"  'mode', CASE o.mode WHEN 1 THEN 'live' ELSE 'test' END,"
	"  'deleted', json(CASE o.deleted WHEN 0 THEN 'false' ELSE 'true' END),"
	"  'piece', json(o.json),"
	"  'render_notes', (SELECT json(json_extract(i.json, '$.render_notes')) FROM objects i"
	"    WHERE i.id = 'inp_' || substr(o.id, instr(o.id, '_') + 1)"
	"    AND i.kind = 'piece_input'),"
	"  'jobs', (SELECT COALESCE(json_group_array(json_object('kind', j.kind,"
	"    'state', CASE j.state WHEN 0 THEN 'queued' WHEN 1 THEN 'running'"
	"      WHEN 2 THEN 'done' ELSE 'dead' END,"
	"    'attempts', j.attempts, 'last_error', j.last_error, 'due_ms', j.due_ms,"
	"    'updated_ms', j.updated_ms)), json('[]')) FROM (SELECT * FROM jobs WHERE ref = o.id"
	"    ORDER BY id) j),"
	"  'print_runs', (SELECT COALESCE(json_group_array(json_object('run_id', r.run_id,"
	"    'lot_id', r.lot_id, 'state', r.state, 'updated_ms', r.updated_ms)), json('[]'))"
	"    FROM (SELECT * FROM print_run_pieces WHERE object_id = o.id"
	"    ORDER BY updated_ms) r),"
	"  'events', (SELECT COALESCE(json_group_array(json_object('type', e.type,"
	"    'created_ms', e.created_ms)), json('[]')) FROM (SELECT type, created_ms FROM events"
	"    WHERE account_id = o.account_id AND mode = o.mode AND object_id = o.id"
	"    ORDER BY created_ms, rowid) e))"
	" FROM objects o WHERE o.id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR o.account_id = ?2)"
	" AND o.kind IN ('letter', 'postcard', 'self_mailer', 'check', 'snap_pack', 'booklet')";

int store_piece_why(struct store *s, const char *id, const char *account_id, json_t **out,
		    struct api_error *err)
{
	*out = NULL;
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, why_sql, "piece story", err);
	int rc = -1;
	if (st) {
		db_bind_text_copy(st, 1, id, -1);
		if (account_id)
			db_bind_text_copy(st, 2, account_id, -1);
		int r = db_step(st);
		if (r == DB_ROW) {
			const char *text = (const char *)db_col_text(st, 0);
			*out = text ? json_loads(text, 0, NULL) : NULL;
			rc = *out ? 0 : api_fail(err, ERR_INTERNAL, "the piece's story does not parse");
		} else if (r == DB_DONE) {
			rc = 1;
		} else {
			rc = db_fail(err, c->db, "piece story");
		}
	}
	db_finalize(st);
	conn_release(s, c);
	return rc;
}
