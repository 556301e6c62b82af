// SPDX-License-Identifier: AGPL-3.0-or-later
/* Scrape-time reads of the store (ops_store.h); the two engines differ in the hints and sizes. */
#include "store/ops_store.h"
#include "store/sqlite_conn.h"
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

int store_jobs_counts(struct store *s, void (*fn)(const struct store_job_count *c, void *ctx),
		      void *ctx, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, "SELECT kind, state, COUNT(*), MIN(due_ms) FROM jobs"
					 " INDEXED BY jobs_due GROUP BY kind, state",
				      "jobs counts", err);
	int rc = st ? 0 : -1, r = DB_DONE;
	while (st && (r = db_step(st)) == DB_ROW) {
		struct store_job_count jc = { .state = (enum store_job_state)db_col_int(st, 1),
					      .n = db_col_int64(st, 2),
					      .min_due_ms = db_col_int64(st, 3) };
		copy_col(st, 0, jc.kind, sizeof(jc.kind));
		fn(&jc, ctx);
	}
	if (st && r != DB_DONE)
		rc = db_fail(err, c->db, "jobs counts");
	db_finalize(st);
	conn_release(s, c);
	return rc;
}

int store_db_bytes(struct store *s, const char *data_dir, long long *bytes,
		   struct api_error *err)
{
	char wal[PATH_MAX];
	struct stat stt;
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_prepare(c, s->postgres ? "SELECT pg_database_size(current_database())"
						: "SELECT page_count * page_size FROM pragma_page_count(),"
						  " pragma_page_size()",
				 "database size", err);
	int rc = -1;
	if (st && db_step(st) == DB_ROW) {
		*bytes = db_col_int64(st, 0);
		rc = 0;
	} else if (st) {
		rc = db_fail(err, c->db, "database size");
	}
	db_finalize(st);
	conn_release(s, c);
	int w = snprintf(wal, sizeof(wal), "%s/frank.db-wal", data_dir);
	if (rc == 0 && w > 0 && (size_t)w < sizeof(wal) && stat(wal, &stt) == 0)
		*bytes += (long long)stt.st_size;
	return rc;
}

bool store_ready(struct store *s, char *why, size_t n)
{
	if (!s) {
		snprintf(why, n, "the store is not open");
		return false;
	}
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, "SELECT 1");
	bool ok = st && db_step(st) == DB_ROW;
	if (!ok)
		snprintf(why, n, "the store does not answer: %s", db_errmsg(c->db));
	conn_release(s, c);
	return ok;
}
