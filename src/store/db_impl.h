// SPDX-License-Identifier: AGPL-3.0-or-later
/* Internal to db.c and db_pg.c: the connection and statement behind db.h. */
#ifndef FRANK_STORE_DB_IMPL_H
#define FRANK_STORE_DB_IMPL_H
#include "store/db.h"
#include <libpq-fe.h>
#include <sqlite3.h>

struct pg_conn;
struct pg_stmt;

struct db {
	enum db_engine engine;
	sqlite3 *lite;
	struct pg_conn *pg;
};

struct db_stmt {
	struct db *db;
	sqlite3_stmt *lite;
	struct pg_stmt *pg;
};

/* db_pg.c: db.h's calls on PostgreSQL */
/* a libpq connection with frank's defaults (connect_timeout) under the URI's own */
PGconn *pg_connect(const char *conninfo);
void pg_close(struct pg_conn *c);
const char *pg_errmsg(struct pg_conn *c);
bool pg_lost(const struct pg_conn *c);
int pg_reconnect(struct pg_conn *c);
int pg_exec(struct pg_conn *c, const char *sql);
struct pg_stmt *pg_prepare(struct pg_conn *c, const char *sql);
int pg_step(struct pg_conn *c, struct pg_stmt *st);
void pg_reset(struct pg_stmt *st);
void pg_clear_bindings(struct pg_stmt *st);
void pg_finalize(struct pg_stmt *st);
int pg_changes(struct pg_conn *c);
/* a parameter's type as the server is told it: int8, text, or left to the statement */
enum pg_type { PG_UNKNOWN, PG_INT, PG_TEXT };
void pg_bind(struct pg_stmt *st, int i, const char *v, int len, bool copy, enum pg_type t);
const char *pg_col(struct pg_stmt *st, int col, int *len);
int pg_col_count(struct pg_stmt *st);
#endif
