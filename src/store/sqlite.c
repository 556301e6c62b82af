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
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/sqlite_conn.h"

/* ------------------------------------------------------------------------ */
/* connections                                                              */
/* ------------------------------------------------------------------------ */

int db_fail(struct api_error *err, sqlite3 *db, const char *what)
{
	log_msg(LOG_ERROR, "sqlite: %s: %s", what, db ? sqlite3_errmsg(db) : "no handle");
	return api_fail(err, ERR_INTERNAL, "An internal error occurred. Please try again.");
}

int sq_exec(sqlite3 *db, const char *sql, struct api_error *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_msg(LOG_ERROR, "sqlite: %s", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return api_fail(err, ERR_INTERNAL, "An internal error occurred. Please try again.");
	}
	return 0;
}

static int conn_open(struct conn *c, const char *path, bool sync_full, struct api_error *err)
{
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return db_fail(err, c->db, path);
	sqlite3_busy_timeout(c->db, 10000);
	if (sq_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
		 "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000; PRAGMA temp_store=MEMORY;", err) < 0)
		return -1;
	return sq_exec(c->db, sync_full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;",
		    err);
}

static void conn_close(struct conn *c)
{
	for (int i = 0; i < STMT_CACHE; i++)
		sqlite3_finalize(c->cache[i].st);
	sqlite3_close(c->db);
}

struct conn *conn_acquire(struct store *s)
{
	pthread_mutex_lock(&s->lock);
	for (;;) {
		for (unsigned i = 0; i < s->n; i++) {
			if (!s->conns[i].busy) {
				s->conns[i].busy = true;
				pthread_mutex_unlock(&s->lock);
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
		sqlite3_reset(c->cache[i].st);
	pthread_mutex_lock(&s->lock);
	c->busy = false;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->lock);
}

/* a reset, cleared statement for sql (a static string), or NULL (logged) */
sqlite3_stmt *sq_stmt(struct conn *c, const char *sql)
{
	int i, free_slot = -1;
	for (i = 0; i < STMT_CACHE; i++) {
		if (c->cache[i].sql == sql) {
			sqlite3_reset(c->cache[i].st);
			sqlite3_clear_bindings(c->cache[i].st);
			return c->cache[i].st;
		}
		if (!c->cache[i].sql && free_slot < 0)
			free_slot = i;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		log_msg(LOG_ERROR, "sqlite: prepare: %s", sqlite3_errmsg(c->db));
		return NULL;
	}
	if (free_slot >= 0) {
		c->cache[free_slot].sql = sql;
		c->cache[free_slot].st = st;
	}
	/* a full cache would leak st: dynamic SQL (lists) uses stmt_dynamic instead */
	return st;
}

static int migrate(struct conn *c, struct api_error *err)
{
	sqlite3_stmt *st = NULL;
	/* every version not recorded is applied, not only those above the highest: branches
	 * developed side by side number theirs 11, 12, 13 while another's 14 may have been
	 * applied first */
	bool have[MIGRATION_VERSION_MAX + 1] = { false };
	if (sq_exec(c->db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);",
		 err) < 0)
		return -1;
	if (sqlite3_prepare_v2(c->db, "SELECT version FROM schema_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return db_fail(err, c->db, "migrate");
	while (sqlite3_step(st) == SQLITE_ROW) {
		int v = sqlite3_column_int(st, 0);
		if (v >= 0 && v <= MIGRATION_VERSION_MAX)
			have[v] = true;
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < store_migrations_count; i++) {
		const struct migration *m = &store_migrations[i];
		char ver[64];
		if (m->version < 0 || m->version > MIGRATION_VERSION_MAX)
			return api_fail(err, ERR_INTERNAL, "migration %d is out of range", m->version);
		if (have[m->version])
			continue;
		if (sq_exec(c->db, "BEGIN IMMEDIATE", err) < 0)
			return -1;
		snprintf(ver, sizeof(ver), "INSERT INTO schema_version VALUES (%d)", m->version);
		if (sq_exec(c->db, m->sql, err) < 0 || sq_exec(c->db, ver, err) < 0) {
			sq_exec(c->db, "ROLLBACK", err);
			return -1;
		}
		if (sq_exec(c->db, "COMMIT", err) < 0)
			return -1;
		log_msg(LOG_INFO, "store: applied migration %d", m->version);
	}
	return 0;
}

struct store *store_open(const struct store_options *opt, struct api_error *err)
{
	char path[4096];
	if (mkdir(opt->dir, 0700) < 0 && errno != EEXIST) {
		api_fail(err, ERR_INTERNAL, "cannot create data directory %s: %s", opt->dir,
			 strerror(errno));
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/frank.db", opt->dir) >= sizeof(path)) {
		api_fail(err, ERR_INTERNAL, "data directory path too long");
		return NULL;
	}
	struct store *s = calloc(1, sizeof(*s));
	if (!s) {
		api_fail(err, ERR_INTERNAL, "out of memory");
		return NULL;
	}
	s->n = opt->pool_size ? opt->pool_size : 1;
	s->conns = calloc(s->n, sizeof(*s->conns));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->freed, NULL);
	for (unsigned i = 0; s->conns && i < s->n; i++) {
		if (conn_open(&s->conns[i], path, opt->sync_full, err) < 0)
			goto fail;
		if (i == 0 && migrate(&s->conns[0], err) < 0)
			goto fail;
	}
	if (s->conns && (conn_open(&s->writer.conn, path, opt->sync_full, err) < 0 ||
			 writer_start(&s->writer, err) < 0))
		goto fail;
	if (s->conns)
		return s;
	api_fail(err, ERR_INTERNAL, "out of memory");
fail:
	store_free(s);
	return NULL;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	store_sequence_forget(s);
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

void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void copy_col(sqlite3_stmt *st, int col, char *out, size_t outlen)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	snprintf(out, outlen, "%s", v ? (const char *)v : "");
}

/* runs a statement that returns no rows; 0 or -1 */
int step_done(struct conn *c, sqlite3_stmt *st, struct api_error *err)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return db_fail(err, c->db, "step");
	return 0;
}

sqlite3_stmt *sq_prepare(struct conn *c, const char *sql, const char *what,
			 struct api_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(err, c->db, what);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int sq_change(struct conn *c, sqlite3_stmt *st, const char *what, struct api_error *err)
{
	int r = sqlite3_step(st);
	sqlite3_finalize(st);
	if (r != SQLITE_DONE)
		return db_fail(err, c->db, what);
	return sqlite3_changes(c->db) > 0 ? 0 : 1;
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
	" WHERE ?1 IS NULL OR account_id = ?1 ORDER BY created_ms, id";
static const char SQL_KEY_REVOKE[] = "UPDATE api_keys SET revoked = 1 WHERE id = ?";

int store_account_create(struct store *s, const char *name, char *id_out, struct api_error *err)
{
	if (ids_new("acc_", id_out, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_stmt(c, SQL_ACCOUNT_INSERT);
	int rc = -1;
	if (st) {
		bind_text(st, 1, id_out);
		bind_text(st, 2, name);
		sqlite3_bind_int64(st, 3, clock_now_ms());
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
	sqlite3_stmt *st = sq_stmt(c, SQL_ACCOUNT_COUNT);
	long n = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	conn_release(s, c);
	return n;
}

int store_account_first(struct store *s, char *id_out)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_stmt(c, SQL_ACCOUNT_FIRST);
	int rc = -1;
	if (st) {
		int r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			copy_col(st, 0, id_out, 40);
			rc = 0;
		} else if (r == SQLITE_DONE) {
			rc = 1;
		}
	}
	conn_release(s, c);
	return rc;
}

bool store_account_exists(struct store *s, const char *account_id)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_stmt(c, SQL_ACCOUNT_EXISTS);
	bool found = false;
	if (st) {
		bind_text(st, 1, account_id);
		found = sqlite3_step(st) == SQLITE_ROW;
	}
	conn_release(s, c);
	return found;
}

int store_key_insert(struct store *s, const struct key_info *k, const char *key_hash,
		     struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_stmt(c, SQL_KEY_INSERT);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "key insert");
	} else {
		bind_text(st, 1, k->id);
		bind_text(st, 2, k->account_id);
		sqlite3_bind_int(st, 3, k->mode);
		sqlite3_bind_int(st, 4, k->type);
		bind_text(st, 5, key_hash);
		bind_text(st, 6, k->prefix);
		sqlite3_bind_int64(st, 7, k->created_ms);
		rc = step_done(c, st, err);
	}
	conn_release(s, c);
	return rc;
}

static void key_from_row(sqlite3_stmt *st, struct key_info *k)
{
	copy_col(st, 0, k->id, sizeof(k->id));
	copy_col(st, 1, k->account_id, sizeof(k->account_id));
	k->mode = sqlite3_column_int(st, 2) ? MODE_LIVE : MODE_TEST;
	k->type = sqlite3_column_int(st, 3) == KEY_TYPE_PUBLISHABLE ? KEY_TYPE_PUBLISHABLE
								    : KEY_TYPE_SECRET;
	copy_col(st, 4, k->prefix, sizeof(k->prefix));
	k->created_ms = sqlite3_column_int64(st, 5);
	k->revoked = sqlite3_column_int(st, 6) != 0;
}

int store_key_lookup(struct store *s, const char *key_hash, struct key_info *out)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_stmt(c, SQL_KEY_LOOKUP);
	int rc = -1;
	if (st) {
		bind_text(st, 1, key_hash);
		int r = sqlite3_step(st);
		if (r == SQLITE_ROW) {
			key_from_row(st, out);
			rc = out->revoked ? 1 : 0;
		} else if (r == SQLITE_DONE) {
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
	sqlite3_stmt *st = sq_stmt(c, SQL_KEY_EACH);
	int rc = -1;
	if (st) {
		bind_text(st, 1, account_id);
		int r;
		struct key_info k;
		for (r = sqlite3_step(st); r == SQLITE_ROW; r = sqlite3_step(st)) {
			key_from_row(st, &k);
			fn(&k, ctx);
		}
		rc = r == SQLITE_DONE ? 0 : -1;
	}
	conn_release(s, c);
	return rc;
}

int store_key_revoke(struct store *s, const char *key_id)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = sq_stmt(c, SQL_KEY_REVOKE);
	int rc = -1;
	if (st) {
		bind_text(st, 1, key_id);
		if (sqlite3_step(st) == SQLITE_DONE)
			rc = sqlite3_changes(c->db) > 0 ? 0 : 1;
	}
	conn_release(s, c);
	return rc;
}
