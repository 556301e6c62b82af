// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internal to the store: one connection to SQLite or PostgreSQL behind one statement API, so
 * every store file is written once. The calls mirror SQLite's (prepare, bind, step, column,
 * reset), because the store was written on them and SQLite's step loop is the simpler model
 * to emulate: on PostgreSQL a statement runs at its first step (libpq, text results) and the
 * following steps walk the result's rows.
 *
 * SQL is written in SQLite's dialect, with the few constructs both engines share; the
 * PostgreSQL side rewrites it at prepare time (pg_sql.h: `?N` placeholders, three function
 * names) and its migrations define the SQLite functions the store uses (json_extract,
 * julianday, json_each, instr). Bind indexes and column indexes are SQLite's (from 1, from 0).
 */
#ifndef FRANK_STORE_DB_H
#define FRANK_STORE_DB_H
#include <stdbool.h>
#include <stddef.h>

struct db;
typedef struct db_stmt db_stmt;

enum db_engine { DB_SQLITE, DB_POSTGRES };

/* step results, numerically SQLite's (SQLITE_OK, SQLITE_ROW, SQLITE_DONE) */
enum { DB_OK = 0, DB_ERROR = 1, DB_ROW = 100, DB_DONE = 101 };

/* SQLite file (created if missing); NULL with *why set (static text or the engine's) */
struct db *db_open_sqlite(const char *path, bool sync_full, char *why, size_t why_len);
/*
 * PostgreSQL from a libpq connection string or URI; statement_timeout_ms 0 keeps the
 * server's. NULL with *why set.
 */
struct db *db_open_pg(const char *conninfo, unsigned statement_timeout_ms, char *why,
		      size_t why_len);
void db_close(struct db *db);
enum db_engine db_engine(const struct db *db);
/* the engine's message for the last failure on this connection */
const char *db_errmsg(struct db *db);
/*
 * true when the last failure was the connection, not the statement (PostgreSQL down or
 * restarted): the caller answers 503; the next db_reconnect() tries again
 */
bool db_lost(const struct db *db);
/* re-establishes a lost connection (statements prepared on it are still valid); 0 or -1 */
int db_reconnect(struct db *db);

/* one or more statements without parameters or rows; DB_OK or DB_ERROR */
int db_exec(struct db *db, const char *sql);
/* DB_OK with *out set, or DB_ERROR (db_errmsg says why) */
int db_prepare(struct db *db, const char *sql, db_stmt **out);
int db_step(db_stmt *st);
/* ready to run again with the same bindings */
void db_reset(db_stmt *st);
void db_clear_bindings(db_stmt *st);
void db_finalize(db_stmt *st);
/* rows changed by the last INSERT, UPDATE or DELETE run on db */
int db_changes(struct db *db);

void db_bind_int64(db_stmt *st, int i, long long v);
void db_bind_int(db_stmt *st, int i, int v);
/* v must stay valid until the statement is reset or finalized; NULL binds NULL */
void db_bind_text(db_stmt *st, int i, const char *v);
/* copies len bytes of v (len < 0: up to its NUL) */
void db_bind_text_copy(db_stmt *st, int i, const char *v, int len);
void db_bind_null(db_stmt *st, int i);
/* what json_extract gives SQL for a JSON boolean: SQLite's 1/0, the PostgreSQL
 * migration's '1'/'0' (compared with it, an integer would be a type error there) */
void db_bind_json_bool(db_stmt *st, int i, bool v);

long long db_col_int64(db_stmt *st, int col);
int db_col_int(db_stmt *st, int col);
/* NULL for SQL NULL; valid until the next step, reset or finalize */
const unsigned char *db_col_text(db_stmt *st, int col);
int db_col_bytes(db_stmt *st, int col);
bool db_col_null(db_stmt *st, int col);
int db_col_count(db_stmt *st);

/* the SQLite handle, for what only SQLite has (online backup, integrity check); NULL on PG */
struct sqlite3 *db_sqlite_handle(struct db *db);
#endif
