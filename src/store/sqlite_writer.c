// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Group commit: one writer thread owns a connection and runs every object write. Requests
 * queue a job and wait; the writer takes all queued jobs, runs each inside its own
 * SAVEPOINT (a failing job rolls back alone) in one transaction, commits once (one fsync
 * for the batch) and only then wakes the waiters. So a 2xx still means "committed", and
 * writes never sleep in SQLite's busy handler fighting over the lock.
 *
 * On PostgreSQL every node has its writer, and each batch first takes one cluster-wide
 * advisory lock: the writes of all nodes run one batch at a time, as on SQLite, so the
 * store's read-then-write code (sequences, idempotency keys, job claims) stays correct
 * without serialization retries, and event rows get their order (rowid) in commit order.
 * Reads, rendering and deliveries scale with the nodes; writes scale with batching.
 */
#include "store/sqlite_conn.h"
#include "core/log.h"
#include "core/metrics.h"
#include <semaphore.h>
#include <stdlib.h>
#include <time.h>

#define WRITER_BATCH_MAX 256

struct write_job {
	write_fn fn;
	void *ctx;
	struct api_error *err;
	int rc;
	void (*done)(void *done_ctx, int rc);	/* called on the writer thread after the commit */
	void *done_ctx;
	struct write_job *next;
};

static struct api_error ignored_error;

static const double batch_buckets[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256 };
static const struct metric commit_seconds = {
	"frank_store_commit_seconds",
	"Time the store's writer spent in COMMIT (the fsync of a group commit)",
	METRIC_HISTOGRAM, { NULL }, metric_buckets_seconds, 15
};
static const struct metric batch_writes = {
	"frank_store_batch_writes", "Writes committed together in one group commit",
	METRIC_HISTOGRAM, { NULL }, batch_buckets, sizeof(batch_buckets) / sizeof(batch_buckets[0])
};
static const struct metric commit_failures = {
	"frank_store_commit_failures_total", "Group commits that failed and were rolled back",
	METRIC_COUNTER, { NULL }, NULL, 0
};

/* prepared once per connection rather than parsed for every job */
static const char SQL_SAVEPOINT[] = "SAVEPOINT job";
static const char SQL_ROLLBACK_TO[] = "ROLLBACK TO job";
static const char SQL_RELEASE[] = "RELEASE job";
/* PostgreSQL: the cluster's write lock, held to the end of the batch's transaction */
static const char SQL_WRITE_LOCK[] = "SELECT pg_advisory_xact_lock(x'4672616e6b57'::bigint)";
/* delivered to the other nodes' listeners at the commit (pg_listen.c) */
static const char SQL_NOTIFY_JOBS[] = "NOTIFY " PG_JOBS_CHANNEL;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int step_cached(struct conn *c, const char *sql)
{
	db_stmt *st = sq_stmt(c, sql);
	if (!st)
		return -1;
	int rc = db_step(st);
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

static void run_batch(struct writer *w, struct write_job *jobs)
{
	struct conn *c = &w->conn;
	struct write_job *j;
	w->news.n = 0;
	w->news.more = false;
	c->news = &w->news;
	bool pg = db_engine(c->db) == DB_POSTGRES;
	if (db_lost(c->db))
		db_reconnect(c->db);
	bool ok = sq_exec(c->db, "BEGIN IMMEDIATE", &ignored_error) == 0 &&
		  (!pg || sq_exec(c->db, SQL_WRITE_LOCK, &ignored_error) == 0);
	long long t0 = now_ns();
	for (j = jobs; j && ok; j = j->next) {
		if (step_cached(c, SQL_SAVEPOINT) < 0) {
			j->rc = db_fail(j->err, c->db, "savepoint");
			continue;
		}
		j->rc = j->fn(c, j->ctx, j->err);
		if (j->rc < 0)
			step_cached(c, SQL_ROLLBACK_TO);
		step_cached(c, SQL_RELEASE);
	}
	long long t1 = now_ns();
	if (ok && pg && (w->news.n || w->news.more) &&
	    sq_exec(c->db, SQL_NOTIFY_JOBS, &ignored_error) < 0)
		ok = false;
	if (ok && sq_exec(c->db, "COMMIT", &ignored_error) < 0)
		ok = false;
	if (!ok) {
		struct api_error why = { 0 };
		db_fail(&why, c->db, "group commit");
		sq_exec(c->db, "ROLLBACK", &ignored_error);
		for (j = jobs; j; j = j->next)
			if (j->rc >= 0)
				j->rc = api_fail(j->err, why.kind, "%s", why.message);
	}
	long long t2 = now_ns();
	w->ns_jobs += t1 - t0;
	w->ns_commit += t2 - t1;
	size_t n = 0;
	for (j = jobs; j; j = j->next)
		n++;
	if (ok) {
		metric_observe(&commit_seconds, (double)(t2 - t1) / 1e9, NULL);
		metric_observe(&batch_writes, (double)n, NULL);
	} else {
		metric_add(&commit_failures, 1, NULL);
	}
	if (ok && (w->news.n || w->news.more)) {
		/* committed jobs: wake the workers that sleep until their next due time */
		pthread_mutex_lock(&w->listen_lock);
		if (w->listen)
			w->listen(w->listen_ctx, &w->news);
		pthread_mutex_unlock(&w->listen_lock);
	}
	/* cached statements must not hold the snapshot open between batches */
	for (int i = 0; i < STMT_CACHE && c->cache[i].st; i++)
		db_reset(c->cache[i].st);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	pthread_setname_np(pthread_self(), "frank-writer");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->work, &w->lock);
		if (!w->head && w->stopping)
			break;
		struct write_job *batch = w->head, *last = batch;
		size_t n = 1;
		while (last->next && n < WRITER_BATCH_MAX) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->lock);
		run_batch(w, batch);
		for (struct write_job *j = batch, *next; j; j = next) {
			next = j->next;
			j->done(j->done_ctx, j->rc);
			free(j);
		}
		pthread_mutex_lock(&w->lock);
		w->batches++;
		w->jobs += n;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int writer_start(struct writer *w, struct api_error *err)
{
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_mutex_init(&w->listen_lock, NULL);
	metric_add(&commit_failures, 0, NULL);	/* shown as 0 from the start */
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0)
		return api_fail(err, ERR_INTERNAL, "cannot start the store's writer thread");
	w->running = true;
	return 0;
}

void writer_stop(struct writer *w)
{
	if (!w->running)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->listen_lock);
	w->running = false;
}

int writer_submit(struct writer *w, write_fn fn, void *ctx, struct api_error *err,
		  void (*done)(void *done_ctx, int rc), void *done_ctx)
{
	struct write_job *job = calloc(1, sizeof(*job));
	if (!job)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	job->fn = fn;
	job->ctx = ctx;
	job->err = err;
	job->done = done;
	job->done_ctx = done_ctx;
	pthread_mutex_lock(&w->lock);
	if (w->tail)
		w->tail->next = job;
	else
		w->head = job;
	w->tail = job;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return 0;
}
