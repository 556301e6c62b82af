// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank migrate-store: SQLite's frank.db into PostgreSQL (migrate_store.h), written on db.h
 * for both sides. One row per table below; the copy and the check read the same columns in
 * the same primary-key order on both engines (TEXT is COLLATE "C" on PostgreSQL: byte order,
 * as SQLite's BINARY).
 *
 * Canonical text of a row, hashed with SHA-256 per table: each selected column as "-" when
 * NULL, else "<bytes>:<text>", one after the other (lengths make it unambiguous); integers
 * are their decimal text on both engines.
 */
#include "store/migrate_store.h"
#include "core/parse.h"
#include "store/backup.h"
#include "store/db.h"
#include "store/migrations.h"
#include "store/store.h"
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_COLS 24
#define MAX_PK 4
#define VERIFY_PAGE 5000
#define VERIFY_PAGE_TEXT "5000"
/* one INSERT carries at most this many rows, or this many bytes of values */
#define BATCH_ROWS 1000
#define BATCH_BYTES (8u << 20)

struct mtable {
	const char *name;
	const char *cols;	/* SQLite's columns, in its order (PostgreSQL keeps it) */
	const char *pk;
	bool rowid;	/* SQLite's implicit rowid goes into PostgreSQL's `rowid` identity */
};

/* parents before children (the foreign keys hold on PostgreSQL too) */
static const struct mtable tables[] = {
	{ "accounts", "id,name,created_ms", "id", false },
	{ "api_keys", "id,account_id,mode,type,hash,prefix,created_ms,revoked", "id", false },
	{ "objects", "id,account_id,mode,kind,created_ms,updated_ms,deleted,status,send_date,"
		     "campaign_id,json,print_run_id", "id", true },
	{ "metadata", "object_id,account_id,mode,kind,key,value", "object_id,key", false },
	{ "events", "id,account_id,mode,type,object_id,created_ms,json", "id", true },
	{ "idempotency_keys", "account_id,mode,kind,key,object_id,created_ms",
	  "account_id,mode,kind,key", false },
	{ "sequences", "name,value", "name", false },
	{ "tracking_codes", "code,object_id,account_id,mode,kind", "code", false },
	{ "c321_users", "id,account_id,email,password_hash,created_ms", "id", false },
	{ "c321_sessions", "token_hash,user_id,created_ms,expires_ms", "token_hash", false },
	{ "c321_keys", "id,user_id,account_id,mode,name,permissions,hash,prefix,created_ms,"
		       "revoked_ms", "id", false },
	{ "operators", "id,email,password_hash,created_ms", "id", false },
	{ "operator_keys", "id,operator_id,hash,prefix,created_ms,revoked_ms", "id", false },
	{ "jobs", "id,kind,ref,lane,account_id,mode,payload,due_ms,state,lease_owner,"
		  "lease_until_ms,attempts,last_error,created_ms,updated_ms", "id", false },
	{ "print_runs", "id,mode,status,cutoff_ms,pieces,created_ms,updated_ms,json,plan", "id",
	  false },
	{ "print_run_pieces", "run_id,object_id,lot_id,account_id,mode,kind,state,updated_ms",
	  "run_id,object_id", true },
	{ "upload_rows", "upload_id,row_no,valid,piece,errors,piece_id,original",
	  "upload_id,row_no", false },
	{ "ledger", "id,account_id,mode,type,amount_cents,object_id,object_kind,description,"
		    "created_ms", "id", false },
	{ "dashboard_members", "user_id,account_id,role,created_ms", "user_id,account_id", false },
	{ "dashboard_sessions", "token_hash,user_id,operator_id,email,account_id,mode,csrf,"
				"created_ms,expires_ms", "token_hash", false },
	{ "audit_log", "id,at_ms,actor,action,target,detail", "id", false },
};
#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/* not copied: PostgreSQL's triggers on objects rebuild piece_days (verified afterwards;
 * rows a status change emptied, n = 0, stay in SQLite and count nothing) */
static const struct mtable piece_days = {
	"piece_days", "account_id,mode,day,kind,status,n", "account_id,mode,day,kind,status", false
};
static const char *const not_copied[] = { "piece_days", "schema_version" };

/* PostgreSQL identities set past the highest copied value */
static const struct { const char *table, *col; } identities[] = {
	{ "objects", "rowid" }, { "events", "rowid" }, { "print_run_pieces", "rowid" },
	{ "jobs", "id" }, { "audit_log", "id" },
};

/* the write lock of frankd's writer (sqlite_writer.c): a node started too early waits */
static const char SQL_WRITE_LOCK[] = "SELECT pg_advisory_xact_lock(x'4672616e6b57'::bigint)";

/* a table's selected columns, resolved against both databases */
struct tinfo {
	const struct mtable *t;
	char names[MAX_COLS][64];
	bool is_int[MAX_COLS];
	int ncol;	/* selected: cols, then rowid */
	int pk[MAX_PK], npk;
	char list[1024];	/* "a, b, rowid" */
	char order[256];	/* "a, b" */
};

static int split(const char *csv, char out[][64], int max)
{
	int n = 0;
	for (const char *p = csv; *p && n < max; n++) {
		size_t len = strcspn(p, ",");
		snprintf(out[n], 64, "%.*s", (int)len, p);
		p += len + (p[len] == ',');
	}
	return n;
}

static int tinfo_init(struct tinfo *ti, const struct mtable *t, struct api_error *err)
{
	memset(ti, 0, sizeof(*ti));
	ti->t = t;
	ti->ncol = split(t->cols, ti->names, MAX_COLS - 1);
	if (t->rowid)
		snprintf(ti->names[ti->ncol++], 64, "rowid");
	char pk[MAX_PK][64];
	ti->npk = split(t->pk, pk, MAX_PK);
	for (int i = 0; i < ti->npk; i++) {
		ti->pk[i] = -1;
		for (int c = 0; c < ti->ncol; c++)
			if (strcmp(pk[i], ti->names[c]) == 0)
				ti->pk[i] = c;
		if (ti->pk[i] < 0) {
			api_fail(err, ERR_INTERNAL, "migrate-store: %s: key %s not a column", t->name,
				 pk[i]);
			return -1;
		}
	}
	size_t off = 0, o2 = 0;
	for (int c = 0; c < ti->ncol; c++)
		off += (size_t)snprintf(ti->list + off, sizeof(ti->list) - off, "%s%s", c ? ", " : "",
					ti->names[c]);
	for (int i = 0; i < ti->npk; i++)
		o2 += (size_t)snprintf(ti->order + o2, sizeof(ti->order) - o2, "%s%s", i ? ", " : "",
				       ti->names[ti->pk[i]]);
	return 0;
}

static int fail_db(struct api_error *err, struct db *db, const char *what, const char *table)
{
	api_fail(err, ERR_INTERNAL, "migrate-store: %s%s%s: %s", what, table ? " " : "",
		 table ? table : "", db_errmsg(db));
	return -1;
}

/*
 * The columns on both sides: SQLite's must be exactly the table's (else this build does not
 * know the installation's schema), PostgreSQL's types say which are integers
 */
static int tinfo_check(struct tinfo *ti, struct db *src, struct db *dst, struct api_error *err)
{
	db_stmt *st;
	int n = 0, expect = ti->ncol - (ti->t->rowid ? 1 : 0);
	bool same = true;
	if (db_prepare(src, "SELECT name FROM pragma_table_info(?1) ORDER BY cid", &st) != DB_OK)
		return fail_db(err, src, "reading the columns of", ti->t->name);
	db_bind_text(st, 1, ti->t->name);
	while (db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		same = same && n < expect && name && strcmp(name, ti->names[n]) == 0;
		n++;
	}
	db_finalize(st);
	if (!same || n != expect) {
		api_fail(err, ERR_INTERNAL, "migrate-store: the SQLite table %s does not have the"
			 " columns this frank copies (%s): a newer or older schema?", ti->t->name,
			 ti->t->cols);
		return -1;
	}
	if (db_prepare(dst, "SELECT column_name, data_type FROM information_schema.columns"
			    " WHERE table_schema = current_schema() AND table_name = ?1", &st) != DB_OK)
		return fail_db(err, dst, "reading the columns of", ti->t->name);
	db_bind_text(st, 1, ti->t->name);
	int found = 0;
	while (db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		const char *type = (const char *)db_col_text(st, 1);
		for (int c = 0; c < ti->ncol; c++) {
			if (name && strcmp(name, ti->names[c]) == 0) {
				found++;
				ti->is_int[c] = type && (strcmp(type, "bigint") == 0 ||
							 strcmp(type, "integer") == 0 ||
							 strcmp(type, "smallint") == 0);
			}
		}
	}
	db_finalize(st);
	if (found != ti->ncol) {
		api_fail(err, ERR_INTERNAL, "migrate-store: the PostgreSQL table %s lacks columns"
			 " this frank copies (%s)", ti->t->name, ti->list);
		return -1;
	}
	return 0;
}

/* every SQLite table is one this build copies or knows to leave */
static int check_table_set(struct db *src, struct api_error *err)
{
	db_stmt *st;
	if (db_prepare(src, "SELECT name FROM sqlite_master WHERE type = 'table'"
			    " AND name NOT LIKE 'sqlite_%' ORDER BY name", &st) != DB_OK)
		return fail_db(err, src, "listing the tables", NULL);
	int rc = 0;
	while (rc == 0 && db_step(st) == DB_ROW) {
		const char *name = (const char *)db_col_text(st, 0);
		bool known = false;
		for (size_t i = 0; i < N_TABLES; i++)
			known = known || strcmp(name, tables[i].name) == 0;
		for (size_t i = 0; i < sizeof(not_copied) / sizeof(not_copied[0]); i++)
			known = known || strcmp(name, not_copied[i]) == 0;
		if (!known) {
			api_fail(err, ERR_INTERNAL, "migrate-store: the SQLite database has a table"
				 " this frank does not know (%s): use the frank of the same version"
				 " as the frankd that wrote it", name);
			rc = -1;
		}
	}
	db_finalize(st);
	return rc;
}

static int check_schema_version(struct db *src, struct api_error *err)
{
	db_stmt *st;
	int want = store_migrations[store_migrations_count - 1].version, have = -1;
	if (db_prepare(src, "SELECT max(version) FROM schema_version", &st) != DB_OK)
		return fail_db(err, src, "reading the schema version", NULL);
	if (db_step(st) == DB_ROW && !db_col_null(st, 0))
		have = db_col_int(st, 0);
	db_finalize(st);
	if (have == want)
		return 0;
	api_fail(err, ERR_INTERNAL, "migrate-store: the SQLite database is at schema version %d,"
		 " this frank copies version %d: %s", have, want, have < want ?
		 "start this version's frankd on it once (it migrates the schema), stop it, then"
		 " migrate" : "use the frank of the version that wrote it");
	return -1;
}

/* ------------------------------------------------------------------------ */
/* copy                                                                     */

struct batch {
	char **vals;	/* rows × ncol, NULL for SQL NULL */
	int rows;
	size_t bytes;
	db_stmt *full;	/* the INSERT of BATCH_ROWS rows, prepared once */
};

static char *insert_sql(const struct tinfo *ti, int rows)
{
	size_t cap = strlen(ti->list) + 128 + (size_t)rows * (size_t)ti->ncol * 24;
	char *sql = malloc(cap);
	if (!sql)
		return NULL;
	size_t off = (size_t)snprintf(sql, cap, "INSERT INTO %s (%s) VALUES ", ti->t->name,
				      ti->list);
	for (int r = 0; r < rows; r++) {
		sql[off++] = r ? ',' : ' ';
		sql[off++] = '(';
		for (int c = 0; c < ti->ncol; c++)
			off += (size_t)snprintf(sql + off, cap - off, "%s%s", c ? ", " : "",
						ti->is_int[c] ? "CAST(? AS BIGINT)" : "?");
		sql[off++] = ')';
	}
	snprintf(sql + off, cap - off, " ON CONFLICT DO NOTHING");
	return sql;
}

static void batch_clear(struct batch *b, int ncol)
{
	for (int i = 0; i < b->rows * ncol; i++) {
		free(b->vals[i]);
		b->vals[i] = NULL;
	}
	b->rows = 0;
	b->bytes = 0;
}

/* one transaction: the rows of b into dst; *copied += rows inserted */
static int batch_flush(struct batch *b, const struct tinfo *ti, struct db *dst,
		       long long *copied, struct api_error *err)
{
	if (b->rows == 0)
		return 0;
	db_stmt *st = b->full;
	if (b->rows < BATCH_ROWS || !st) {
		char *sql = insert_sql(ti, b->rows);
		int prc = sql ? db_prepare(dst, sql, &st) : DB_ERROR;
		free(sql);
		if (prc != DB_OK)
			return fail_db(err, dst, "preparing the insert into", ti->t->name);
		if (b->rows == BATCH_ROWS)
			b->full = st;
	}
	for (int i = 0; i < b->rows * ti->ncol; i++)
		db_bind_text(st, i + 1, b->vals[i]);
	int rc = -1;
	if (db_exec(dst, "BEGIN IMMEDIATE") != DB_OK)
		fail_db(err, dst, "starting a transaction on", ti->t->name);
	else if (db_exec(dst, SQL_WRITE_LOCK) != DB_OK || db_step(st) != DB_DONE)
		fail_db(err, dst, "inserting into", ti->t->name);
	else {
		*copied += db_changes(dst);
		if (db_exec(dst, "COMMIT") != DB_OK)
			fail_db(err, dst, "committing", ti->t->name);
		else
			rc = 0;
	}
	if (rc < 0)
		db_exec(dst, "ROLLBACK");
	if (st == b->full) {
		db_reset(st);
		db_clear_bindings(st);
	} else {
		db_finalize(st);
	}
	batch_clear(b, ti->ncol);
	return rc;
}

static size_t batch_rows(void)
{
	/* FRANK_MIGRATE_BATCH (1..BATCH_ROWS): smaller batches, for tests and measurements */
	const char *env = getenv("FRANK_MIGRATE_BATCH");
	unsigned long n;
	return env && *env && parse_ulong(env, BATCH_ROWS, &n) == 0 && n > 0 ? n : BATCH_ROWS;
}

static int copy_table(const struct tinfo *ti, struct db *src, struct db *dst, long long *copied,
		      long long *read, struct api_error *err)
{
	char sql[2048];
	db_stmt *st;
	snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY %s", ti->list, ti->t->name,
		 ti->order);
	if (db_prepare(src, sql, &st) != DB_OK)
		return fail_db(err, src, "reading", ti->t->name);
	struct batch b = { .vals = calloc((size_t)BATCH_ROWS * (size_t)ti->ncol, sizeof(char *)) };
	size_t limit = batch_rows();
	int rc = b.vals ? 0 : -1, step;
	if (!b.vals)
		api_fail(err, ERR_INTERNAL, "out of memory");
	while (rc == 0 && (step = db_step(st)) == DB_ROW) {
		for (int c = 0; c < ti->ncol && rc == 0; c++) {
			const char *v = (const char *)db_col_text(st, c);
			if (v && !(b.vals[b.rows * ti->ncol + c] = strdup(v))) {
				api_fail(err, ERR_INTERNAL, "out of memory");
				rc = -1;
			}
			b.bytes += v ? (size_t)db_col_bytes(st, c) : 0;
		}
		b.rows++;
		(*read)++;
		if (rc == 0 && ((size_t)b.rows >= limit || b.bytes >= BATCH_BYTES)) {
			rc = batch_flush(&b, ti, dst, copied, err);
			fprintf(stderr, "migrate-store: %s %lld rows\n", ti->t->name, *read);
		}
	}
	if (rc == 0 && step != DB_DONE)
		rc = fail_db(err, src, "reading", ti->t->name);
	if (rc == 0)
		rc = batch_flush(&b, ti, dst, copied, err);
	if (b.vals)
		batch_clear(&b, ti->ncol);
	db_finalize(b.full);
	free(b.vals);
	db_finalize(st);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* verify                                                                   */

struct digest {
	EVP_MD_CTX *ctx;
	long long rows;
	char hex[65];
};

static void hash_row(struct digest *d, db_stmt *st, int ncol)
{
	for (int c = 0; c < ncol; c++) {
		char len[24];
		if (db_col_null(st, c)) {
			EVP_DigestUpdate(d->ctx, "-", 1);
			continue;
		}
		int n = db_col_bytes(st, c);
		int k = snprintf(len, sizeof(len), "%d:", n);
		EVP_DigestUpdate(d->ctx, len, (size_t)k);
		EVP_DigestUpdate(d->ctx, db_col_text(st, c), (size_t)n);
	}
	d->rows++;
}

/*
 * Count and hash of a table, in primary-key order. SQLite steps one statement; PostgreSQL
 * (whose results arrive whole) reads pages of VERIFY_PAGE rows after the last key, inside
 * the caller's snapshot. `where` narrows both the same way (or "").
 */
static int digest_table(const struct tinfo *ti, struct db *db, const char *where,
			struct digest *d, struct api_error *err)
{
	bool paged = db_engine(db) == DB_POSTGRES;
	char last[MAX_PK][256];
	bool more = true, first = true;
	d->rows = 0;
	if (!(d->ctx = EVP_MD_CTX_new()) || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(d->ctx);
		api_fail(err, ERR_INTERNAL, "out of memory");
		return -1;
	}
	int rc = 0;
	while (rc == 0 && more) {
		char sql[3072], cond[1024] = "";
		size_t off = 0;
		if (paged && !first) {
			off += (size_t)snprintf(cond, sizeof(cond), "(%s) > (", ti->order);
			for (int i = 0; i < ti->npk; i++)
				off += (size_t)snprintf(cond + off, sizeof(cond) - off, "%s%s",
							i ? ", " : "", ti->is_int[ti->pk[i]] ?
							"CAST(? AS BIGINT)" : "?");
			snprintf(cond + off, sizeof(cond) - off, ")");
		}
		snprintf(sql, sizeof(sql), "SELECT %s FROM %s%s%s%s%s ORDER BY %s%s", ti->list,
			 ti->t->name, *where || *cond ? " WHERE " : "", where,
			 *where && *cond ? " AND " : "", cond, ti->order,
			 paged ? " LIMIT " VERIFY_PAGE_TEXT : "");
		db_stmt *st;
		if (db_prepare(db, sql, &st) != DB_OK) {
			rc = fail_db(err, db, "checking", ti->t->name);
			break;
		}
		for (int i = 0; paged && !first && i < ti->npk; i++)
			db_bind_text(st, i + 1, last[i]);
		int n = 0, step;
		while ((step = db_step(st)) == DB_ROW) {
			hash_row(d, st, ti->ncol);
			n++;
			for (int i = 0; paged && i < ti->npk; i++) {
				const char *v = (const char *)db_col_text(st, ti->pk[i]);
				snprintf(last[i], sizeof(last[i]), "%s", v ? v : "");
			}
		}
		if (step != DB_DONE)
			rc = fail_db(err, db, "checking", ti->t->name);
		db_finalize(st);
		first = false;
		more = paged && n == VERIFY_PAGE;
	}
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	EVP_DigestFinal_ex(d->ctx, md, &mdlen);
	EVP_MD_CTX_free(d->ctx);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(d->hex + 2 * i, 3, "%02x", md[i]);
	return rc;
}

/* both sides of one table: its entry of the summary; *ok cleared on a difference */
static json_t *verify_table(const struct tinfo *ti, struct db *src, struct db *dst,
			    const char *where, long long copied, long long read, bool *ok,
			    struct api_error *err)
{
	struct digest a = { 0 }, b = { 0 };
	if (digest_table(ti, src, where, &a, err) < 0 || digest_table(ti, dst, where, &b, err) < 0)
		return NULL;
	bool same = a.rows == b.rows && strcmp(a.hex, b.hex) == 0;
	if (!same) {
		*ok = false;
		fprintf(stderr, "migrate-store: %s differs: SQLite %lld rows sha256 %s, PostgreSQL"
			" %lld rows sha256 %s\n", ti->t->name, a.rows, a.hex, b.rows, b.hex);
	}
	return json_pack("{sssIsIsIsIsbss}", "table", ti->t->name, "rows_copied",
			 (json_int_t)copied, "rows_present", (json_int_t)(read - copied), "count",
			 (json_int_t)a.rows, "count_target", (json_int_t)b.rows, "checksum_ok", same,
			 "sha256", a.hex);
}

/* each identity past the highest value copied (for audit_log, past SQLite's AUTOINCREMENT
 * high-water mark too, so an id is never given twice) */
static int set_identities(struct db *src, struct db *dst, struct api_error *err)
{
	long long audit_seq = 0;
	db_stmt *st;
	if (db_prepare(src, "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'", &st) == DB_OK) {
		if (db_step(st) == DB_ROW)
			audit_seq = db_col_int64(st, 0);
		db_finalize(st);
	}
	for (size_t i = 0; i < sizeof(identities) / sizeof(identities[0]); i++) {
		char sql[512];
		bool audit = strcmp(identities[i].table, "audit_log") == 0;
		snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%s', '%s'), m)"
			 " FROM (SELECT GREATEST(max(%s), %lld) AS m FROM %s) x WHERE m > 0",
			 identities[i].table, identities[i].col, identities[i].col,
			 audit ? audit_seq : 0LL, identities[i].table);
		if (db_exec(dst, sql) != DB_OK)
			return fail_db(err, dst, "moving the identity of", identities[i].table);
	}
	return 0;
}

static int max_of(struct db *db, const char *table, const char *col, long long *out)
{
	char sql[256];
	db_stmt *st;
	snprintf(sql, sizeof(sql), "SELECT max(%s) FROM %s", col, table);
	if (db_prepare(db, sql, &st) != DB_OK)
		return -1;
	int rc = db_step(st);
	*out = rc == DB_ROW && !db_col_null(st, 0) ? db_col_int64(st, 0) : 0;
	db_finalize(st);
	return rc == DB_ROW ? 0 : -1;
}

/*
 * Refused when PostgreSQL nodes have written (an identity past SQLite's highest value): a
 * copy would put back rows they deleted since (finished jobs would run again). Only an empty
 * database, or one an earlier run filled from the same directory, is copied into.
 */
static int check_target_untouched(struct db *src, struct db *dst, struct api_error *err)
{
	/* another installation's database: an account DIR does not have */
	db_stmt *ids, *has;
	if (db_prepare(dst, "SELECT id FROM accounts ORDER BY id", &ids) != DB_OK)
		return fail_db(err, dst, "reading", "accounts");
	if (db_prepare(src, "SELECT 1 FROM accounts WHERE id = ?1", &has) != DB_OK) {
		db_finalize(ids);
		return fail_db(err, src, "reading", "accounts");
	}
	int rc = 0;
	while (rc == 0 && db_step(ids) == DB_ROW) {
		const char *id = (const char *)db_col_text(ids, 0);
		db_bind_text(has, 1, id);
		if (db_step(has) != DB_ROW) {
			api_fail(err, ERR_CONFLICT, "migrate-store: the PostgreSQL database has an"
				 " account this data directory does not (%s): it is another"
				 " installation's; refused", id);
			rc = -1;
		}
		db_reset(has);
	}
	db_finalize(has);
	db_finalize(ids);
	if (rc < 0)
		return -1;
	for (size_t i = 0; i < sizeof(identities) / sizeof(identities[0]); i++) {
		long long a, b;
		if (max_of(src, identities[i].table, identities[i].col, &a) < 0)
			return fail_db(err, src, "reading", identities[i].table);
		if (max_of(dst, identities[i].table, identities[i].col, &b) < 0)
			return fail_db(err, dst, "reading", identities[i].table);
		if (b > a) {
			api_fail(err, ERR_CONFLICT, "migrate-store: the PostgreSQL database has %s"
				 " written after this copy (%s %lld > %lld): nodes ran on it; refused,"
				 " a copy would bring back what they changed", identities[i].table,
				 identities[i].col, b, a);
			return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------ */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* the target's migrations, run the way frankd runs them */
static int migrate_target(const char *data_dir, const char *to, struct api_error *err)
{
	struct store_options opt = { .dir = data_dir, .database = to, .pool_size = 1 };
	struct store *s = store_open(&opt, err);
	if (!s)
		return -1;
	store_free(s);
	return 0;
}

static json_t *run(struct db *src, struct db *dst, struct api_error *err)
{
	static struct tinfo ti[N_TABLES], pd;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (check_schema_version(src, err) < 0 || check_table_set(src, err) < 0 ||
	    tinfo_init(&pd, &piece_days, err) < 0 || tinfo_check(&pd, src, dst, err) < 0 ||
	    check_target_untouched(src, dst, err) < 0)
		return NULL;
	for (size_t i = 0; i < N_TABLES; i++)
		if (tinfo_init(&ti[i], &tables[i], err) < 0 ||
		    tinfo_check(&ti[i], src, dst, err) < 0)
			return NULL;
	/* one snapshot of SQLite for copy and check (the directory's lock keeps frankd away) */
	if (db_exec(src, "BEGIN") != DB_OK) {
		fail_db(err, src, "starting a read transaction", NULL);
		return NULL;
	}
	long long copied[N_TABLES] = { 0 }, read[N_TABLES] = { 0 }, total = 0, total_read = 0;
	for (size_t i = 0; i < N_TABLES; i++) {
		if (copy_table(&ti[i], src, dst, &copied[i], &read[i], err) < 0) {
			db_exec(src, "ROLLBACK");
			return NULL;
		}
		total += copied[i];
		total_read += read[i];
	}
	double copy_s = seconds_since(&t0);
	if (set_identities(src, dst, err) < 0 || db_exec(dst, "BEGIN") != DB_OK) {
		if (!err->message[0])
			fail_db(err, dst, "starting a read transaction", NULL);
		db_exec(src, "ROLLBACK");
		return NULL;
	}
	json_t *list = json_array();
	bool ok = true;
	for (size_t i = 0; i < N_TABLES && list; i++) {
		json_t *e = verify_table(&ti[i], src, dst, "", copied[i], read[i], &ok, err);
		if (!e) {
			json_decref(list);
			list = NULL;
		} else {
			json_array_append_new(list, e);
		}
	}
	json_t *e = list ? verify_table(&pd, src, dst, "n <> 0", 0, 0, &ok, err) : NULL;
	db_exec(dst, "COMMIT");
	db_exec(src, "ROLLBACK");
	if (!e) {
		json_decref(list);
		return NULL;
	}
	json_object_set_new(e, "rows_present", json_null());
	json_object_set_new(e, "rebuilt", json_string("by the triggers on objects (rows with n > 0)"));
	json_array_append_new(list, e);
	return json_pack("{sbsbsIsIsosfsfss}", "ok", ok, "copied", total > 0, "rows_copied",
			 (json_int_t)total, "rows_read", (json_int_t)total_read, "tables", list,
			 "seconds", seconds_since(&t0), "rows_per_second",
			 copy_s > 0 ? (double)total / copy_s : 0.0, "files",
			 "stay in the data directory: start the PostgreSQL nodes with --database and"
			 " the same --data");
}

json_t *store_migrate(const char *data_dir, const char *to, struct api_error *err)
{
	char path[4096], why[512];
	if (!to || (strncmp(to, "postgres://", 11) != 0 && strncmp(to, "postgresql://", 13) != 0)) {
		api_fail(err, ERR_INVALID, "--to must be a postgres:// or postgresql:// URI");
		return NULL;
	}
	if ((size_t)snprintf(path, sizeof(path), "%s/frank.db", data_dir) >= sizeof(path)) {
		api_fail(err, ERR_INVALID, "data directory path too long");
		return NULL;
	}
	if (access(path, R_OK) != 0) {
		api_fail(err, ERR_NOT_FOUND, "%s: no SQLite database to migrate (frank init or"
			 " frankd writes it)", path);
		return NULL;
	}
	int lock = store_lock_dir(data_dir, err);
	if (lock < 0)
		return NULL;
	json_t *out = NULL;
	struct db *src = NULL, *dst = NULL;
	if (migrate_target(data_dir, to, err) < 0)
		goto done;
	if (!(src = db_open_sqlite(path, false, why, sizeof(why)))) {
		api_fail(err, ERR_INTERNAL, "migrate-store: %s: %s", path, why);
		goto done;
	}
	if (!(dst = db_open_pg(to, 0, why, sizeof(why)))) {
		api_fail(err, ERR_INTERNAL, "migrate-store: PostgreSQL: %s", why);
		goto done;
	}
	out = run(src, dst, err);
done:
	db_close(dst);
	db_close(src);
	close(lock);
	return out;
}
