// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internal to the store: the connection pool and statement helpers shared by its files, on
 * either engine (db.h).
 */
#ifndef FRANK_STORE_CONN_H
#define FRANK_STORE_CONN_H
#include <pthread.h>
#include <stdbool.h>
#include "core/err.h"
#include "store/db.h"
#include "store/jobs_store.h"
#include "store/store.h"

/* every static statement of the store fits: a full cache would prepare one per call */
#define STMT_CACHE 64

struct conn {
	struct db *db;
	bool busy;
	struct {
		const char *sql;	/* static string: cached by address */
		db_stmt *st;
	} cache[STMT_CACHE];
	struct store_jobs_news *news;	/* the writer's: jobs enqueued in this batch */
};

/* a write run by the writer thread inside the batch's transaction: 0, 1 (no change), -1 */
typedef int (*write_fn)(struct conn *c, void *ctx, struct api_error *err);

struct write_job;

struct writer {
	struct conn conn;	/* the writer thread's own connection */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;
	struct write_job *head, *tail;
	bool stopping, running;
	unsigned long long batches, jobs;	/* for the log at shutdown */
	long long ns_jobs, ns_commit;		/* time spent running jobs, committing */
	struct store_jobs_news news;		/* jobs enqueued by the batch running */
	pthread_mutex_t listen_lock;		/* held while the listener runs */
	void (*listen)(void *ctx, const struct store_jobs_news *n);
	void *listen_ctx;
};

struct pg_listener;

struct store {
	bool postgres;
	struct pg_listener *listener;	/* PostgreSQL: wakes this node's workers for jobs
					 * another node enqueued */
	pthread_mutex_t lock;
	pthread_cond_t freed;
	unsigned n;
	struct conn *conns;
	struct writer writer;
};

/* pg_listen.c: LISTEN for other nodes' job news, handed to the writer's listener */
int pg_listen_start(struct store *s, const struct store_options *opt, struct api_error *err);
void pg_listen_stop(struct store *s);
/* the channel each commit that enqueued jobs notifies (PostgreSQL) */
#define PG_JOBS_CHANNEL "frank_jobs"
/* the test clock's new offset (clock_shared.c), applied by every node's listener */
#define PG_CLOCK_CHANNEL "frank_clock"

/* sqlite_writer.c: group commit */
int writer_start(struct writer *w, struct api_error *err);
/* drains the queue, then stops the thread */
void writer_stop(struct writer *w);
/*
 * queues fn; once its batch is committed (or failed), done(done_ctx, rc) runs on the writer
 * thread with fn's return value (-1 also when the commit failed, with *err set). ctx and err
 * must stay valid until then. 0 queued, -1 (out of memory) with *err set.
 */
int writer_submit(struct writer *w, write_fn fn, void *ctx, struct api_error *err,
		  void (*done)(void *done_ctx, int rc), void *done_ctx);

/* sqlite_changes.c: submits fn and blocks until its batch is committed; fn's rc, or -1 */
int sq_submit_and_wait(struct store *s, write_fn fn, void *ctx, struct api_error *err);

/* logs the engine's error, sets a generic 500 (503 when PostgreSQL is unreachable), -1 */
int db_fail(struct api_error *err, struct db *db, const char *what);
int sq_exec(struct db *db, const char *sql, struct api_error *err);
/* blocks until a connection is free */
struct conn *conn_acquire(struct store *s);
void conn_release(struct store *s, struct conn *c);
/* cached, reset statement for a static SQL string; NULL (logged) on error */
db_stmt *sq_stmt(struct conn *c, const char *sql);
void copy_col(db_stmt *st, int col, char *out, size_t outlen);
int step_done(struct conn *c, db_stmt *st, struct api_error *err);
/*
 * For statements run a few times per request, prepared per call rather than taking slots of
 * the statement cache: sq_prepare() gives the statement or NULL (logged as `what`, 500 in
 * *err); sq_change() steps and finalizes one that returns no rows: 0 when it changed a row,
 * 1 when none, -1 error.
 */
db_stmt *sq_prepare(struct conn *c, const char *sql, const char *what,
			 struct api_error *err);
int sq_change(struct conn *c, db_stmt *st, const char *what, struct api_error *err);
/* sqlite_objects.c, shared with the store's other files: inside the caller's transaction */
int sq_meta_put(struct conn *c, const struct store_scope *sc, const char *object_id,
		const char *metadata_json, struct api_error *err);
int sq_event_put(struct conn *c, const struct store_scope *sc, const char *object_id,
		 long long now_ms, const struct store_event *ev, struct api_error *err);
void sq_bind_scope(db_stmt *st, int first, const struct store_scope *sc);
/* a list page from st's rows (id, created_ms, json; limit + 1 asked for, newest first or
 * toward the newest for `before`), ended by store_list_page_done: DB_DONE, or the
 * failed step's code (st is the caller's to finalize) */
int sq_page_rows(db_stmt *st, const struct store_list_query *q, struct arena *a,
		 struct store_list_result *out);
/* 0 found and fresh (id copied, 40 bytes), 1 none, -1 error */
int sq_idem_get(struct conn *c, const struct store_scope *sc, const char *key,
		long long now_ms, long long ttl_ms, char *id_out);
int sq_idem_put(struct conn *c, const struct store_scope *sc, const char *key,
		const char *object_id, long long now_ms, struct api_error *err);
/* the object row, its metadata rows and its event */
int sq_insert_rows(struct conn *c, const struct store_scope *sc, const struct store_object *obj,
		   const struct store_event *ev, struct api_error *err);
int tx_begin(struct conn *c, struct api_error *err);
/* commits when rc >= 0, else rolls back; returns rc, or -1 if the commit failed */
int tx_end(struct conn *c, int rc, struct api_error *err);

/* sqlite_campaigns.c: STORE_UPLOAD_ROW inside the writer's transaction; 0, 1 (the row is
 * not valid or has its piece already), -1 */
int sq_upload_row_apply(struct conn *c, const struct store_change *ch, struct api_error *err);

/* sqlite_ledger.c: STORE_LEDGER inside the writer's transaction; 0 or -1 */
int sq_ledger_apply(struct conn *c, const struct store_change *ch, struct api_error *err);

/* sqlite_jobs.c, inside the caller's transaction (the writer's) */
int sq_job_insert(struct conn *c, const char *account_id, enum store_mode mode,
		  const struct store_job_new *j, struct api_error *err);
/* 0 settled, 1 the lease is no longer owner's, -1 error */
int sq_job_settle(struct conn *c, const struct store_job_settle *st, struct api_error *err);
/* the jobs the store enqueues itself (jobs_store.h): after an event, after an object */
int sq_jobs_after_event(struct conn *c, const struct store_scope *sc, const char *event_id,
			long long now_ms, struct api_error *err);
int sq_jobs_after_insert(struct conn *c, const struct store_scope *sc, const char *object_id,
			 long long now_ms, struct api_error *err);

/*
 * The typed columns (status, send_date in epoch ms, campaign_id) as SQL over the object's
 * JSON, parameter p: written with the JSON, so workers and list filters read indexed
 * columns instead of parsing every row.
 */
#define SQ_STATUS_OF(p) "json_extract(" p ", '$.status')"
#define SQ_SEND_DATE_OF(p)                                                                  \
	"CAST(ROUND((julianday(json_extract(" p ", '$.send_date')) - 2440587.5) * 86400000.0)" \
	" AS BIGINT)"
#define SQ_CAMPAIGN_OF(p) "json_extract(" p ", '$.campaign_id')"
#define SQ_TYPED_SET(p)                                                                     \
	"status = " SQ_STATUS_OF(p) ", send_date = " SQ_SEND_DATE_OF(p) ", campaign_id = "  \
	SQ_CAMPAIGN_OF(p)
#endif
