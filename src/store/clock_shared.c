// SPDX-License-Identifier: AGPL-3.0-or-later
/* clock_store.h: one row, test_clock (PostgreSQL migration 2); NOTIFY carries the new offset. */
#include "store/clock_store.h"
#include "store/sqlite_conn.h"

static const char SQL_JOIN[] =
	"INSERT INTO test_clock (id, offset_ms) VALUES (1, ?) ON CONFLICT DO NOTHING";
static const char SQL_GET[] = "SELECT offset_ms FROM test_clock WHERE id = 1";
/* the notification leaves with the commit: a node never hears of an offset not stored */
static const char SQL_ADVANCE[] =
	"WITH moved AS (UPDATE test_clock SET offset_ms = offset_ms + ?1 WHERE id = 1"
	" RETURNING offset_ms)"
	" SELECT offset_ms, pg_notify('" PG_CLOCK_CHANNEL "', CAST(offset_ms AS TEXT)) FROM moved";

static int one_value(struct conn *c, const char *sql, long long bind, long long *out,
		     struct api_error *err)
{
	db_stmt *st = sq_prepare(c, sql, "test clock", err);
	if (!st)
		return -1;
	db_bind_int64(st, 1, bind);
	int r = db_step(st);
	if (r == DB_ROW)
		*out = db_col_int64(st, 0);
	db_finalize(st);
	if (r != DB_ROW)
		return r == DB_DONE ? api_fail(err, ERR_INTERNAL, "the shared test clock has no row")
				    : db_fail(err, c->db, "test clock");
	return 0;
}

int store_clock_join(struct store *s, long long offset_ms, long long *shared_ms,
		     struct api_error *err)
{
	if (!s->postgres)
		return api_fail(err, ERR_INTERNAL, "the shared test clock needs PostgreSQL");
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, SQL_JOIN, "test clock", err);
	int rc = -1;
	if (st) {
		db_bind_int64(st, 1, offset_ms);
		rc = db_step(st) == DB_DONE ? 0 : db_fail(err, c->db, "test clock");
		db_finalize(st);
	}
	if (rc == 0)
		rc = one_value(c, SQL_GET, 0, shared_ms, err);
	conn_release(s, c);
	return rc;
}

int store_clock_advance(struct store *s, long long delta_ms, long long *shared_ms,
			struct api_error *err)
{
	if (!s->postgres)
		return api_fail(err, ERR_INTERNAL, "the shared test clock needs PostgreSQL");
	struct conn *c = conn_acquire(s);
	int rc = one_value(c, SQL_ADVANCE, delta_ms, shared_ms, err);
	conn_release(s, c);
	return rc;
}
