// SPDX-License-Identifier: AGPL-3.0-or-later
/* rate_store.h: one upsert per request, the row's lock orders the nodes' counts. */
#include "store/rate_store.h"
#include "store/sqlite_conn.h"

/* old windows go every so many takes: a key seen once must not stay forever */
#define SWEEP_EVERY 4096

static const char SQL_TAKE[] =
	"INSERT INTO rate_windows (key, end_ms, n) VALUES (?1, ?2, 1)"
	" ON CONFLICT (key) DO UPDATE SET"
	" n = CASE WHEN rate_windows.end_ms <= ?3 THEN 1 ELSE rate_windows.n + 1 END,"
	" end_ms = CASE WHEN rate_windows.end_ms <= ?3 THEN ?2 ELSE rate_windows.end_ms END"
	" RETURNING end_ms, n";
static const char SQL_SWEEP[] = "DELETE FROM rate_windows WHERE end_ms < ?";

int store_rate_take(struct store *s, const char *key, long long now_ms, long long new_end_ms,
		    long long *end_ms, long long *count)
{
	static _Atomic unsigned long takes;
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_TAKE);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, key);
		db_bind_int64(st, 2, new_end_ms);
		db_bind_int64(st, 3, now_ms);
		if (db_step(st) == DB_ROW) {
			*end_ms = db_col_int64(st, 0);
			*count = db_col_int64(st, 1);
			rc = 0;
		}
		db_reset(st);
	}
	if (rc == 0 && ++takes % SWEEP_EVERY == 0 && (st = sq_stmt(c, SQL_SWEEP))) {
		db_bind_int64(st, 1, now_ms);
		db_step(st);
		db_reset(st);
	}
	conn_release(s, c);
	return rc;
}
