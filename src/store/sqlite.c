// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * store.h on SQLite: WAL mode, a pool of connections (one per concurrent caller), prepared
 * statements cached per connection. Writes are single transactions (BEGIN IMMEDIATE, so two
 * writers never deadlock on a lock upgrade).
 */
#include "store/store.h"
#include "store/migrations.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/timeutil.h"
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/sqlite_conn.h"

/* ------------------------------------------------------------------------ */
/* connections                                                              */
/* ------------------------------------------------------------------------ */

int db_fail(struct api_error *err, struct db *db, const char *what)
{
	log_msg(LOG_ERROR, "store: %s: %s", what, db ? db_errmsg(db) : "no handle");
	if (db && db_lost(db))
		return api_fail(err, ERR_SERVICE_UNAVAILABLE,
				"The database is unavailable. Please try again shortly.");
	return api_fail(err, ERR_INTERNAL, "An internal error occurred. Please try again.");
}

int sq_exec(struct db *db, const char *sql, struct api_error *err)
{
	if (db_exec(db, sql) != DB_OK)
		return db_fail(err, db, "exec");
	return 0;
}

static int conn_open(struct conn *c, const struct store_options *opt, const char *path,
		     struct api_error *err)
{
	char why[512];
	c->db = opt->database ? db_open_pg(opt->database, opt->statement_timeout_ms, why, sizeof(why))
			      : db_open_sqlite(path, opt->sync_full, why, sizeof(why));
	if (!c->db) {
		log_msg(LOG_ERROR, "store: %s", why);
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "cannot open the store: %s", why);
	}
	return 0;
}

static void conn_close(struct conn *c)
{
	for (int i = 0; i < STMT_CACHE; i++)
		db_finalize(c->cache[i].st);
	db_close(c->db);
}

struct conn *conn_acquire(struct store *s)
{
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (unsigned i = 0; i < s->n; i++) {
			if (!s->conns[i].busy) {
				s->conns[i].busy = true;
				pthread_mutex_unlock(&s->lock);
				/* a connection PostgreSQL dropped: try again now (its
				 * statements then fail with 503 until the server is back) */
				if (db_lost(s->conns[i].db))
					db_reconnect(s->conns[i].db);
				return &s->conns[i];
			}
		}
		pthread_cond_wait(&s->freed, &s->lock);
	}
}

void conn_release(struct store *s, struct conn *c)
{
	/*
	 * A cached SELECT left on a row keeps a read transaction open; a later BEGIN IMMEDIATE
	 * on this connection would then fail with SQLITE_BUSY (stale snapshot). Reset them all.
	 */
	for (int i = 0; i < STMT_CACHE && c->cache[i].st; i++)
		db_reset(c->cache[i].st);
	pthread_mutex_lock(&s->lock);
	c->busy = false;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* a reset, cleared statement for sql (a static string), or NULL (logged) */
db_stmt *sq_stmt(struct conn *c, const char *sql)
{
	int i, free_slot = -1;
	for (i = 0; i < STMT_CACHE; i++) {
		if (c->cache[i].sql == sql) {
			db_reset(c->cache[i].st);
			db_clear_bindings(c->cache[i].st);
			return c->cache[i].st;
		}
		if (!c->cache[i].sql && free_slot < 0)
			free_slot = i;
	}
	db_stmt *st = NULL;
	if (db_prepare(c->db, sql, &st) != DB_OK) {
		log_msg(LOG_ERROR, "store: prepare: %s", db_errmsg(c->db));
		return NULL;
	}
	if (free_slot >= 0) {
		c->cache[free_slot].sql = sql;
		c->cache[free_slot].st = st;
	}
	/* a full cache would leak st: dynamic SQL (lists) uses stmt_dynamic instead */
	return st;
}

/* several nodes may start at once on one PostgreSQL database: one migrates, the others wait */
#define MIGRATE_LOCK "4672616e6b"	/* "Frank" */

static int migrate(struct conn *c, struct api_error *err)
{
	bool pg = db_engine(c->db) == DB_POSTGRES;
	const struct migration *list = pg ? store_migrations_pg : store_migrations;
	size_t count = pg ? store_migrations_pg_count : store_migrations_count;
	db_stmt *st = NULL;
	/* every version not recorded is applied, not only those above the highest: branches
	 * developed side by side number theirs 11, 12, 13 while another's 14 may have been
	 * applied first */
	bool have[MIGRATION_VERSION_MAX + 1] = { false };
	if (pg && sq_exec(c->db, "SELECT pg_advisory_lock(x'" MIGRATE_LOCK "'::bigint)", err) < 0)
		return -1;
	int rc = -1;
	if (sq_exec(c->db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
		    err) < 0)
		goto out;
	if (db_prepare(c->db, "SELECT version FROM schema_version", &st) != DB_OK) {
		db_fail(err, c->db, "migrate");
		goto out;
	}
	while (db_step(st) == DB_ROW) {
		int v = db_col_int(st, 0);
		if (v >= 0 && v <= MIGRATION_VERSION_MAX)
			have[v] = true;
	}
	db_finalize(st);
	for (size_t i = 0; i < count; i++) {
		const struct migration *m = &list[i];
		char ver[64];
		if (m->version < 0 || m->version > MIGRATION_VERSION_MAX) {
			api_fail(err, ERR_INTERNAL, "migration %d is out of range", m->version);
			goto out;
		}
		if (have[m->version])
			continue;
		if (sq_exec(c->db, "BEGIN IMMEDIATE", err) < 0)
			goto out;
		snprintf(ver, sizeof(ver), "INSERT INTO schema_version VALUES (%d)", m->version);
		if (sq_exec(c->db, m->sql, err) < 0 || sq_exec(c->db, ver, err) < 0) {
			sq_exec(c->db, "ROLLBACK", err);
			goto out;
		}
		if (sq_exec(c->db, "COMMIT", err) < 0)
			goto out;
		log_msg(LOG_INFO, "store: applied %s migration %d", pg ? "PostgreSQL" : "SQLite",
			m->version);
	}
	rc = 0;
out:
	if (pg) {
		struct api_error ignored;
		sq_exec(c->db, "SELECT pg_advisory_unlock(x'" MIGRATE_LOCK "'::bigint)", &ignored);
	}
	return rc;
}

struct store *store_open(const struct store_options *opt_in, struct api_error *err)
{
	char path[4096];
	struct store_options opt = *opt_in;
	if (!opt.database) {
		const char *env = getenv("FRANK_DATABASE");
		opt.database = env && *env ? env : NULL;
	}
	if (opt.database && strncmp(opt.database, "postgres://", 11) != 0 &&
	    strncmp(opt.database, "postgresql://", 13) != 0) {
		api_fail(err, ERR_INTERNAL, "--database must be a postgres:// or postgresql:// URI"
			 " (SQLite needs none: it lives in --data)");
		return NULL;
	}
	if (mkdir(opt.dir, 0700) < 0 && errno != EEXIST) {
		api_fail(err, ERR_INTERNAL, "cannot create data directory %s: %s", opt.dir,
			 strerror(errno));
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/frank.db", opt.dir) >= sizeof(path)) {
		api_fail(err, ERR_INTERNAL, "data directory path too long");
		return NULL;
	}
	struct store *s = calloc(1, sizeof(*s));
	if (!s) {
		api_fail(err, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	s->n = opt.pool_size ? opt.pool_size : 1;
	s->conns = calloc(s->n, sizeof(*s->conns));
	s->postgres = opt.database != NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	for (unsigned i = 0; s->conns && i < s->n; i++) {
		if (conn_open(&s->conns[i], &opt, path, err) < 0)
			goto fail;
		if (i == 0 && migrate(&s->conns[0], err) < 0)
			goto fail;
	}
	if (s->conns && (conn_open(&s->writer.conn, &opt, path, err) < 0 ||
			 writer_start(&s->writer, err) < 0))
		goto fail;
	if (s->conns && s->postgres && pg_listen_start(s, &opt, err) < 0)
		goto fail;
	if (s->conns)
		return s;
	api_fail(err, ERR_INTERNAL, "out of memory");
fail:
	store_free(s);
	return NULL;
}

bool store_is_postgres(const struct store *s)
{
	return s->postgres;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	store_sequence_forget(s);
	pg_listen_stop(s);
	writer_stop(&s->writer);
	if (s->writer.conn.db && s->writer.jobs) {
		log_msg(LOG_INFO, "store: %llu writes in %llu commits; %lld ms running them, %lld ms committing",
			s->writer.jobs, s->writer.batches, s->writer.ns_jobs / 1000000,
			s->writer.ns_commit / 1000000);
	}
	if (s->writer.conn.db)
		conn_close(&s->writer.conn);
	for (unsigned i = 0; s->conns && i < s->n; i++)
		if (s->conns[i].db)
			conn_close(&s->conns[i]);
	free(s->conns);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->freed);
	free(s);
}

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

void copy_col(db_stmt *st, int col, char *out, size_t outlen)
{
	const unsigned char *v = db_col_text(st, col);
	snprintf(out, outlen, "%s", v ? (const char *)v : "");
}

/* runs a statement that returns no rows; 0 or -1 */
int step_done(struct conn *c, db_stmt *st, struct api_error *err)
{
	int rc = db_step(st);
	if (rc != DB_DONE)
		return db_fail(err, c->db, "step");
	return 0;
}

db_stmt *sq_prepare(struct conn *c, const char *sql, const char *what,
			 struct api_error *err)
{
	db_stmt *st = NULL;
	if (db_prepare(c->db, sql, &st) != DB_OK) {
		db_fail(err, c->db, what);
		db_finalize(st);
		return NULL;
	}
	return st;
}

int sq_change(struct conn *c, db_stmt *st, const char *what, struct api_error *err)
{
	int r = db_step(st);
	db_finalize(st);
	if (r != DB_DONE)
		return db_fail(err, c->db, what);
	return db_changes(c->db) > 0 ? 0 : 1;
}

int tx_begin(struct conn *c, struct api_error *err)
{
	return sq_exec(c->db, "BEGIN IMMEDIATE", err);
}

int tx_end(struct conn *c, int rc, struct api_error *err)
{
	struct api_error ignored;
	if (rc < 0) {
		sq_exec(c->db, "ROLLBACK", &ignored);
		return rc;
	}
	if (sq_exec(c->db, "COMMIT", err) < 0) {
		sq_exec(c->db, "ROLLBACK", &ignored);
		return -1;
	}
	return rc;
}

/* ------------------------------------------------------------------------ */
/* accounts and keys                                                        */
/* ------------------------------------------------------------------------ */

static const char SQL_ACCOUNT_INSERT[] =
	"INSERT INTO accounts (id, name, created_ms) VALUES (?, ?, ?)";
static const char SQL_ACCOUNT_COUNT[] = "SELECT COUNT(*) FROM accounts";
static const char SQL_ACCOUNT_FIRST[] =
	"SELECT id FROM accounts ORDER BY created_ms, id LIMIT 1";
static const char SQL_ACCOUNT_EXISTS[] = "SELECT 1 FROM accounts WHERE id = ?";
static const char SQL_KEY_INSERT[] =
	"INSERT INTO api_keys (id, account_id, mode, type, hash, prefix, created_ms)"
	" VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_KEY_LOOKUP[] =
	"SELECT id, account_id, mode, type, prefix, created_ms, revoked FROM api_keys"
	" WHERE hash = ?";
static const char SQL_KEY_EACH[] =
	"SELECT id, account_id, mode, type, prefix, created_ms, revoked FROM api_keys"
	" WHERE CAST(?1 AS TEXT) IS NULL OR account_id = ?1 ORDER BY created_ms, id";
static const char SQL_KEY_REVOKE[] = "UPDATE api_keys SET revoked = 1 WHERE id = ?";

int store_account_create(struct store *s, const char *name, char *id_out, struct api_error *err)
{
	if (ids_new("acc_", id_out, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_ACCOUNT_INSERT);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, id_out);
		db_bind_text(st, 2, name);
		db_bind_int64(st, 3, clock_now_ms());
		rc = step_done(c, st, err);
	} else {
		rc = db_fail(err, c->db, "account insert");
	}
	conn_release(s, c);
	return rc;
}

long store_account_count(struct store *s)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_ACCOUNT_COUNT);
	long n = -1;
	if (st && db_step(st) == DB_ROW)
		n = (long)db_col_int64(st, 0);
	conn_release(s, c);
	return n;
}

int store_account_first(struct store *s, char *id_out)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_ACCOUNT_FIRST);
	int rc = -1;
	if (st) {
		int r = db_step(st);
		if (r == DB_ROW) {
			copy_col(st, 0, id_out, 40);
			rc = 0;
		} else if (r == DB_DONE) {
			rc = 1;
		}
	}
	conn_release(s, c);
	return rc;
}

bool store_account_exists(struct store *s, const char *account_id)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_ACCOUNT_EXISTS);
	bool found = false;
	if (st) {
		db_bind_text(st, 1, account_id);
		found = db_step(st) == DB_ROW;
	}
	conn_release(s, c);
	return found;
}

int store_key_insert(struct store *s, const struct key_info *k, const char *key_hash,
		     struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_KEY_INSERT);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "key insert");
	} else {
		db_bind_text(st, 1, k->id);
		db_bind_text(st, 2, k->account_id);
		db_bind_int(st, 3, k->mode);
		db_bind_int(st, 4, k->type);
		db_bind_text(st, 5, key_hash);
		db_bind_text(st, 6, k->prefix);
		db_bind_int64(st, 7, k->created_ms);
		rc = step_done(c, st, err);
	}
	conn_release(s, c);
	return rc;
}

static void key_from_row(db_stmt *st, struct key_info *k)
{
	copy_col(st, 0, k->id, sizeof(k->id));
	copy_col(st, 1, k->account_id, sizeof(k->account_id));
	k->mode = db_col_int(st, 2) ? MODE_LIVE : MODE_TEST;
	k->type = db_col_int(st, 3) == KEY_TYPE_PUBLISHABLE ? KEY_TYPE_PUBLISHABLE
								    : KEY_TYPE_SECRET;
	copy_col(st, 4, k->prefix, sizeof(k->prefix));
	k->created_ms = db_col_int64(st, 5);
	k->revoked = db_col_int(st, 6) != 0;
}

int store_key_lookup(struct store *s, const char *key_hash, struct key_info *out)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_KEY_LOOKUP);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, key_hash);
		int r = db_step(st);
		if (r == DB_ROW) {
			key_from_row(st, out);
			rc = out->revoked ? 1 : 0;
		} else if (r == DB_DONE) {
			rc = 1;
		}
	}
	conn_release(s, c);
	return rc;
}

int store_key_each(struct store *s, const char *account_id,
		   void (*fn)(const struct key_info *, void *), void *ctx)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_KEY_EACH);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, account_id);
		int r;
		struct key_info k;
		for (r = db_step(st); r == DB_ROW; r = db_step(st)) {
			key_from_row(st, &k);
			fn(&k, ctx);
		}
		rc = r == DB_DONE ? 0 : -1;
	}
	conn_release(s, c);
	return rc;
}

int store_key_revoke(struct store *s, const char *key_id)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_KEY_REVOKE);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, key_id);
		if (db_step(st) == DB_DONE)
			rc = db_changes(c->db) > 0 ? 0 : 1;
	}
	conn_release(s, c);
	return rc;
}
