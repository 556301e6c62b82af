// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db.h: SQLite's calls directly, PostgreSQL's through db_pg.c. The branch per call is the
 * price of writing the store once; next to a statement's run it does not show.
 */
#include "store/db_impl.h"
#include "core/parse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct db *db_open_sqlite(const char *path, bool sync_full, char *why, size_t why_len)
{
	struct db *db = calloc(1, sizeof(*db));
	if (!db) {
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	db->engine = DB_SQLITE;
	if (sqlite3_open_v2(path, &db->lite, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(why, why_len, "%s: %s", path, db->lite ? sqlite3_errmsg(db->lite)
							       : "cannot open");
		db_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db->lite, 10000);
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
		    "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000;"
		    " PRAGMA temp_store=MEMORY;") != DB_OK ||
	    db_exec(db, sync_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;") !=
		    DB_OK) {
		snprintf(why, why_len, "%s: %s", path, sqlite3_errmsg(db->lite));
		db_close(db);
		return NULL;
	}
	return db;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (db->engine == DB_SQLITE)
		sqlite3_close(db->lite);
	else
		pg_close(db->pg);
	free(db);
}

enum db_engine db_engine(const struct db *db)
{
	return db->engine;
}

const char *db_errmsg(struct db *db)
{
	return db->engine == DB_SQLITE ? sqlite3_errmsg(db->lite) : pg_errmsg(db->pg);
}

bool db_lost(const struct db *db)
{
	return db->engine == DB_POSTGRES && pg_lost(db->pg);
}

int db_reconnect(struct db *db)
{
	return db->engine == DB_POSTGRES ? pg_reconnect(db->pg) : 0;
}

int db_exec(struct db *db, const char *sql)
{
	if (db->engine == DB_POSTGRES)
		return pg_exec(db->pg, sql);
	return sqlite3_exec(db->lite, sql, NULL, NULL, NULL) == SQLITE_OK ? DB_OK : DB_ERROR;
}

int db_prepare(struct db *db, const char *sql, db_stmt **out)
{
	db_stmt *st = calloc(1, sizeof(*st));
	*out = NULL;
	if (!st)
		return DB_ERROR;
	st->db = db;
	if (db->engine == DB_SQLITE) {
		/* persistent: the store caches its static statements for the connection's life */
		if (sqlite3_prepare_v3(db->lite, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->lite,
				       NULL) != SQLITE_OK) {
			sqlite3_finalize(st->lite);
			free(st);
			return DB_ERROR;
		}
	} else if (!(st->pg = pg_prepare(db->pg, sql))) {
		free(st);
		return DB_ERROR;
	}
	*out = st;
	return DB_OK;
}

int db_step(db_stmt *st)
{
	if (st->lite) {
		int rc = sqlite3_step(st->lite);
		return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_ERROR;
	}
	return pg_step(st->db->pg, st->pg);
}

void db_reset(db_stmt *st)
{
	if (st->lite)
		sqlite3_reset(st->lite);
	else
		pg_reset(st->pg);
}

void db_clear_bindings(db_stmt *st)
{
	if (st->lite)
		sqlite3_clear_bindings(st->lite);
	else
		pg_clear_bindings(st->pg);
}

void db_finalize(db_stmt *st)
{
	if (!st)
		return;
	if (st->lite)
		sqlite3_finalize(st->lite);
	else
		pg_finalize(st->pg);
	free(st);
}

int db_changes(struct db *db)
{
	return db->engine == DB_SQLITE ? sqlite3_changes(db->lite) : pg_changes(db->pg);
}

void db_bind_int64(db_stmt *st, int i, long long v)
{
	if (st->lite) {
		sqlite3_bind_int64(st->lite, i, v);
		return;
	}
	char buf[24];
	int n = snprintf(buf, sizeof(buf), "%lld", v);
	pg_bind(st->pg, i, buf, n, true, PG_INT);
}

void db_bind_int(db_stmt *st, int i, int v)
{
	db_bind_int64(st, i, v);
}

void db_bind_text(db_stmt *st, int i, const char *v)
{
	if (st->lite)
		v ? sqlite3_bind_text(st->lite, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st->lite, i);
	else
		pg_bind(st->pg, i, v, -1, false, PG_TEXT);
}

void db_bind_text_copy(db_stmt *st, int i, const char *v, int len)
{
	if (st->lite)
		v ? sqlite3_bind_text(st->lite, i, v, len, SQLITE_TRANSIENT)
		  : sqlite3_bind_null(st->lite, i);
	else
		pg_bind(st->pg, i, v, len, true, PG_TEXT);
}

void db_bind_null(db_stmt *st, int i)
{
	if (st->lite)
		sqlite3_bind_null(st->lite, i);
	else
		pg_bind(st->pg, i, NULL, 0, false, PG_UNKNOWN);
}

void db_bind_json_bool(db_stmt *st, int i, bool v)
{
	if (st->lite)
		sqlite3_bind_int(st->lite, i, v);
	else
		pg_bind(st->pg, i, v ? "1" : "0", 1, true, PG_TEXT);
}

/*
 * PostgreSQL answers in text: integers as digits, booleans (a comparison in a select list)
 * as t/f, numeric sums with a fraction. Read them as SQLite would give the same value.
 */
static long long text_int64(const char *v)
{
	long long n;
	if (!v || !*v)
		return 0;
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	if (parse_llong(v, -9223372036854775807LL - 1, 9223372036854775807LL, &n) == 0)
		return n;
	double d;
	if (parse_double(v, -9.2e18, 9.2e18, &d) == 0)
		return (long long)d;
	return 0;
}

long long db_col_int64(db_stmt *st, int col)
{
	if (st->lite)
		return sqlite3_column_int64(st->lite, col);
	return text_int64(pg_col(st->pg, col, NULL));
}

int db_col_int(db_stmt *st, int col)
{
	return (int)db_col_int64(st, col);
}

const unsigned char *db_col_text(db_stmt *st, int col)
{
	if (st->lite)
		return sqlite3_column_text(st->lite, col);
	return (const unsigned char *)pg_col(st->pg, col, NULL);
}

int db_col_bytes(db_stmt *st, int col)
{
	if (st->lite)
		return sqlite3_column_bytes(st->lite, col);
	int len = 0;
	pg_col(st->pg, col, &len);
	return len;
}

bool db_col_null(db_stmt *st, int col)
{
	if (st->lite)
		return sqlite3_column_type(st->lite, col) == SQLITE_NULL;
	return pg_col(st->pg, col, NULL) == NULL;
}

int db_col_count(db_stmt *st)
{
	return st->lite ? sqlite3_column_count(st->lite) : pg_col_count(st->pg);
}

struct sqlite3 *db_sqlite_handle(struct db *db)
{
	return db->engine == DB_SQLITE ? db->lite : NULL;
}
