// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * db.h on PostgreSQL with libpq. Statements are sent with PQexecParams (parsed by the server
 * on each run, no server-side state to lose with the connection), parameters and results as
 * text, typed: integers as int8 so `x + ?` and `LIMIT ?` type themselves, text as text so
 * `? IS NULL OR col = ?` has a type (an unknown one there is an error). A NULL text is
 * text; a NULL bound as such (or never bound) is of unknown type, typed by its context.
 */
#include "store/db_impl.h"
#include "store/pg_sql.h"
#include "core/log.h"
#include "core/parse.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INT8_OID 20
#define TEXT_OID 25

struct pg_conn {
	PGconn *conn;
	unsigned timeout_ms;
	char err[512];
	char sqlstate[6];
	int changes;
	bool lost;
	bool resetting;
};

struct pg_stmt {
	char *sql;
	int nparams;
	const char **values;
	char **owned;	/* copies made by the bind, freed on rebind and finalize */
	int *lengths;
	Oid *types;
	PGresult *res;
	int row, nrows;
	bool ran;
	bool oom;	/* a bind could not copy its value: the run fails rather than store NULL */
};

/* notices ("relation already exists, skipping") are not errors: keep them off stderr */
static void quiet_notice(void *arg, const char *message)
{
	(void)arg;
	log_msg(LOG_DEBUG, "postgres: %s", message);
}

static int session_setup(struct pg_conn *c)
{
	char sql[160];
	PQsetNoticeProcessor(c->conn, quiet_notice, NULL);
	snprintf(sql, sizeof(sql),
		 "SET TimeZone = 'UTC'; SET client_min_messages = warning;"
		 " SET statement_timeout = %u", c->timeout_ms);
	return pg_exec(c, sql);
}

PGconn *pg_connect(const char *conninfo)
{
	/* a server that is down must not hold a request (or a reconnect) for ever: 5 s unless
	 * the URI sets its own connect_timeout (its values come after, so they win) */
	static const char *const keys[] = { "connect_timeout", "dbname", NULL };
	const char *values[] = { "5", conninfo, NULL };
	return PQconnectdbParams(keys, values, 1);
}

struct db *db_open_pg(const char *conninfo, unsigned statement_timeout_ms, char *why,
		      size_t why_len)
{
	struct db *db = calloc(1, sizeof(*db));
	struct pg_conn *c = calloc(1, sizeof(*c));
	if (!db || !c) {
		free(db);
		free(c);
		snprintf(why, why_len, "out of memory");
		return NULL;
	}
	db->engine = DB_POSTGRES;
	db->pg = c;
	c->timeout_ms = statement_timeout_ms;
	c->conn = pg_connect(conninfo);
	if (PQstatus(c->conn) != CONNECTION_OK || session_setup(c) != DB_OK) {
		/* libpq's message ends with a newline */
		snprintf(why, why_len, "%.*s", (int)strcspn(PQerrorMessage(c->conn), "\n"),
			 PQerrorMessage(c->conn));
		db_close(db);
		return NULL;
	}
	return db;
}

void pg_close(struct pg_conn *c)
{
	if (!c)
		return;
	PQfinish(c->conn);
	free(c);
}

const char *pg_errmsg(struct pg_conn *c)
{
	return c->err;
}

bool pg_lost(const struct pg_conn *c)
{
	return c->lost;
}

/* a new connection with the same parameters and session settings; 0 or -1 (c->err says why) */
static int reset_connection(struct pg_conn *c)
{
	c->resetting = true;	/* session_setup's own statements do not retry */
	PQreset(c->conn);
	int rc = -1;
	if (PQstatus(c->conn) != CONNECTION_OK)
		snprintf(c->err, sizeof(c->err), "%.*s",
			 (int)strcspn(PQerrorMessage(c->conn), "\n"), PQerrorMessage(c->conn));
	else if (session_setup(c) == DB_OK)
		rc = 0;
	c->resetting = false;
	if (rc == 0)
		c->lost = false;
	return rc;
}

int pg_reconnect(struct pg_conn *c)
{
	if (PQstatus(c->conn) == CONNECTION_OK && !c->lost)
		return 0;
	return reset_connection(c);
}

/* records why res failed; DB_ERROR */
static int failed(struct pg_conn *c, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	snprintf(c->sqlstate, sizeof(c->sqlstate), "%s", state ? state : "");
	const char *msg = res ? PQresultErrorMessage(res) : "";
	if (!*msg)
		msg = PQerrorMessage(c->conn);
	snprintf(c->err, sizeof(c->err), "%.*s", (int)strcspn(msg, "\n"), msg);
	/* class 08: connection exception; 57P0x: the server is shutting down or starting */
	c->lost = PQstatus(c->conn) != CONNECTION_OK || strncmp(c->sqlstate, "08", 2) == 0 ||
		  strncmp(c->sqlstate, "57P0", 4) == 0;
	return DB_ERROR;
}

static void count_changes(struct pg_conn *c, PGresult *res)
{
	long long n = 0;
	const char *t = PQcmdTuples(res);
	c->changes = t && *t && parse_llong(t, 0, 2147483647, &n) == 0 ? (int)n : 0;
}

/*
 * A connection the server closed (a restart, an administrator, a failover) looks idle until
 * it is used. A statement that was not inside a transaction is sent again once on a new
 * connection, so each pooled connection does not cost a failed request to find out.
 */
static bool retry_on_new_connection(struct pg_conn *c, PGTransactionStatusType before,
				    const PGresult *res)
{
	ExecStatusType s = PQresultStatus(res);
	if (s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK || before != PQTRANS_IDLE ||
	    PQstatus(c->conn) == CONNECTION_OK || c->resetting)
		return false;
	return reset_connection(c) == 0;
}

int pg_exec(struct pg_conn *c, const char *sql)
{
	int n;
	char *text = pg_sql_translate(sql, &n);
	if (!text) {
		snprintf(c->err, sizeof(c->err), "out of memory");
		return DB_ERROR;
	}
	PGTransactionStatusType before = PQtransactionStatus(c->conn);
	PGresult *res = PQexec(c->conn, text);
	if (retry_on_new_connection(c, before, res)) {
		PQclear(res);
		res = PQexec(c->conn, text);
	}
	free(text);
	ExecStatusType s = PQresultStatus(res);
	int rc = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK ? DB_OK : failed(c, res);
	if (rc == DB_OK)
		count_changes(c, res);
	PQclear(res);
	return rc;
}

struct pg_stmt *pg_prepare(struct pg_conn *c, const char *sql)
{
	struct pg_stmt *st = calloc(1, sizeof(*st));
	if (!st || !(st->sql = pg_sql_translate(sql, &st->nparams))) {
		free(st);
		snprintf(c->err, sizeof(c->err), "out of memory");
		return NULL;
	}
	size_t n = st->nparams ? (size_t)st->nparams : 1;
	st->values = calloc(n, sizeof(*st->values));
	st->owned = calloc(n, sizeof(*st->owned));
	st->lengths = calloc(n, sizeof(*st->lengths));
	st->types = calloc(n, sizeof(*st->types));
	if (!st->values || !st->owned || !st->lengths || !st->types) {
		pg_finalize(st);
		snprintf(c->err, sizeof(c->err), "out of memory");
		return NULL;
	}
	st->row = -1;
	return st;
}

int pg_step(struct pg_conn *c, struct pg_stmt *st)
{
	if (!st->ran) {
		st->ran = true;
		if (st->oom) {
			snprintf(c->err, sizeof(c->err), "out of memory binding a parameter");
			return DB_ERROR;
		}
		PGTransactionStatusType before = PQtransactionStatus(c->conn);
		st->res = PQexecParams(c->conn, st->sql, st->nparams, st->types, st->values,
				       st->lengths, NULL, 0);
		if (retry_on_new_connection(c, before, st->res)) {
			PQclear(st->res);
			st->res = PQexecParams(c->conn, st->sql, st->nparams, st->types,
					       st->values, st->lengths, NULL, 0);
		}
		ExecStatusType s = PQresultStatus(st->res);
		if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK)
			return failed(c, st->res);
		count_changes(c, st->res);
		st->nrows = PQntuples(st->res);
	}
	if (!st->res || st->row >= st->nrows)
		return DB_DONE;
	return ++st->row < st->nrows ? DB_ROW : DB_DONE;
}

void pg_reset(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->ran = false;
	st->row = -1;
	st->nrows = 0;
}

void pg_clear_bindings(struct pg_stmt *st)
{
	for (int i = 0; i < st->nparams; i++) {
		free(st->owned[i]);
		st->owned[i] = NULL;
		st->values[i] = NULL;
		st->lengths[i] = 0;
	}
	st->oom = false;
}

void pg_finalize(struct pg_stmt *st)
{
	if (!st)
		return;
	pg_reset(st);
	if (st->owned)
		pg_clear_bindings(st);
	free(st->values);
	free(st->owned);
	free(st->lengths);
	free(st->types);
	free(st->sql);
	free(st);
}

int pg_changes(struct pg_conn *c)
{
	return c->changes;
}

void pg_bind(struct pg_stmt *st, int i, const char *v, int len, bool copy, enum pg_type t)
{
	/* SQLite ignores a bind past the statement's parameters; so do we */
	if (i < 1 || i > st->nparams)
		return;
	i--;
	free(st->owned[i]);
	st->owned[i] = NULL;
	st->types[i] = t == PG_INT ? INT8_OID : t == PG_TEXT ? TEXT_OID : 0;
	if (!v) {
		st->values[i] = NULL;
		return;
	}
	size_t n = len < 0 ? strlen(v) : (size_t)len;
	if (copy || len >= 0) {
		/* text goes NUL-terminated: libpq reads text parameters up to their NUL */
		char *p = malloc(n + 1);
		if (!p) {
			st->values[i] = NULL;
			st->oom = true;
			return;
		}
		memcpy(p, v, n);
		p[n] = '\0';
		st->owned[i] = p;
		v = p;
	}
	st->values[i] = v;
	st->lengths[i] = (int)n;
}

const char *pg_col(struct pg_stmt *st, int col, int *len)
{
	if (!st->res || st->row < 0 || st->row >= st->nrows || col < 0 ||
	    col >= PQnfields(st->res) || PQgetisnull(st->res, st->row, col)) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = PQgetlength(st->res, st->row, col);
	return PQgetvalue(st->res, st->row, col);
}

int pg_col_count(struct pg_stmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}
