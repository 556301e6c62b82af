/* Internal to the SQLite store: the connection pool and statement helpers shared by its files. */
#ifndef FRANK_SQLITE_CONN_H
#define FRANK_SQLITE_CONN_H
#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include "core/err.h"

#define STMT_CACHE 32

struct conn {
	sqlite3 *db;
	bool busy;
	struct {
		const char *sql;	/* static string: cached by address */
		sqlite3_stmt *st;
	} cache[STMT_CACHE];
};

struct store {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned n;
	struct conn *conns;
};

/* logs the SQLite error, sets a generic 500 and returns -1 */
int db_fail(struct api_error *err, sqlite3 *db, const char *what);
int sq_exec(sqlite3 *db, const char *sql, struct api_error *err);
/* blocks until a connection is free */
struct conn *conn_acquire(struct store *s);
void conn_release(struct store *s, struct conn *c);
/* cached, reset statement for a static SQL string; NULL (logged) on error */
sqlite3_stmt *sq_stmt(struct conn *c, const char *sql);
/* binds text (SQLITE_STATIC: v must outlive the step) or NULL */
void bind_text(sqlite3_stmt *st, int i, const char *v);
void copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen);
int step_done(struct conn *c, sqlite3_stmt *st, struct api_error *err);
int tx_begin(struct conn *c, struct api_error *err);
/* commits when rc >= 0, else rolls back; returns rc, or -1 if the commit failed */
int tx_end(struct conn *c, int rc, struct api_error *err);
#endif
