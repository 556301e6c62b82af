// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The durable jobs table: one row per piece of background work (a webhook fan-out, a delivery
 * attempt, a tracking journey's next step…). A row has its kind, what it works on (ref, an
 * optional JSON payload), its account and mode, when it is due, a lease (owner and expiry:
 * a worker that dies leaves a lease that runs out, and the job runs again), its attempts and
 * last error, and its state. src/jobs/ runs the rows; this header is all it knows of storage.
 *
 * Jobs are enqueued in the transaction of the change that causes them (STORE_JOB in a change
 * set, store.h), so a committed change never loses its job. The store also enqueues two
 * kinds itself, for every writer (frankd, the CLI):
 *   JOB_WEBHOOK_FANOUT  for each event written in an account and mode that has a webhook;
 *   JOB_TRACKING_SIM    for each test-mode mail piece stored with a send date (due then).
 * Due times are on frankd's clock (clock_now_ms, which tests move); leases on real time.
 */
#ifndef FRANK_STORE_JOBS_STORE_H
#define FRANK_STORE_JOBS_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

#define JOB_WEBHOOK_FANOUT "webhook.fanout"
#define JOB_TRACKING_SIM "tracking.simulate"

#define JOB_KIND_MAX 32
#define JOB_REF_MAX 48

/* a claimed job */
struct store_job {
	long long id;
	char kind[JOB_KIND_MAX], ref[JOB_REF_MAX], lane[JOB_REF_MAX], account_id[40];
	enum store_mode mode;
	const char *payload;	/* JSON in the claim's arena, or NULL */
	long long due_ms, created_ms;
	unsigned attempts;	/* claims so far, this one included */
};

/* handler calls on one lane (e.g. one webhook endpoint) this process is running */
struct store_lane_count {
	const char *lane;
	unsigned running;
};

/* when this process last gave a lane a handler call (a growing number; lanes not listed
 * were not served lately) */
struct store_lane_served {
	const char *lane;
	unsigned long long seq;
};

struct store_claim {
	const char *kind;
	const char *owner;		/* this process's lease name */
	long long now_ms;		/* frankd's clock: jobs due at or before it */
	long long real_ms, lease_ms;	/* real time; the lease runs lease_ms from it */
	size_t batches, batch;		/* handler calls to fill, jobs per call */
	/* lane_limit > 0: a call's jobs are of one lane, and a lane has at most lane_limit
	 * calls running at once, counting `running` */
	unsigned lane_limit;
	const struct store_lane_count *running;
	size_t n_running;
	/* lanes served lately: the lanes served longest ago (or never) go first */
	const struct store_lane_served *served;
	size_t n_served;
};

/*
 * Claims jobs of q->kind for up to q->batches calls of q->batch jobs, soonest due first:
 * queued ones that are due, and running ones whose lease ran out (their worker died) held by
 * another owner, those first. Each gets the lease and one more attempt. With lanes, each
 * lane gives at most one call per claim, the lanes served longest ago first (q->served: one
 * lane with thousands of jobs waiting takes its turn, it does not hold back a lane that has
 * one), then those whose oldest due job is soonest; a call's jobs are adjacent in *out.
 * *out (in a) holds *n jobs. 0 or -1.
 */
int store_jobs_claim(struct store *s, const struct store_claim *q, struct arena *a,
		     struct store_job **out, size_t *n, struct api_error *err);

/*
 * When kind next needs a worker: *due_ms, the earliest due time of its queued jobs
 * (LLONG_MAX: none), and *lease_ms, the earliest real time a lease of another owner runs
 * out (LLONG_MAX: none). A read. 0 or -1.
 */
int store_jobs_next(struct store *s, const char *kind, const char *owner, long long *due_ms,
		    long long *lease_ms, struct api_error *err);

/* every running job's lease ends now (the SQLite store serves one process: at its start, a
 * running job belongs to a process that is gone). The number released, or -1 */
long store_jobs_release_all(struct store *s, struct api_error *err);
/* several nodes: owner's running jobs are leased until until_real_ms (wall clock); the
 * number renewed, or -1 */
long store_jobs_renew(struct store *s, const char *owner, long long until_real_ms,
		      struct api_error *err);

/* deletes the jobs of kind in state due before before_ms, a few thousand per commit (the
 * writer serves requests in between); the number, or -1 */
long store_jobs_purge(struct store *s, const char *kind, enum store_job_state state,
		      long long before_ms, struct api_error *err);

/* a job's state and attempts by kind and ref (tests, tools): 0 found, 1 none, -1 error.
 * The newest row of that kind and ref wins. */
int store_job_find(struct store *s, const char *kind, const char *ref, struct arena *a,
		   struct store_job *out, enum store_job_state *state, char **last_error,
		   struct api_error *err);

/*
 * Deletes the objects of kind whose status is `status`, created before before_ms (with their
 * metadata), a few thousand per commit: retention of finished work. The number, or -1.
 */
long store_objects_purge(struct store *s, const char *kind, const char *status,
			 long long before_ms, struct api_error *err);

/*
 * What the writer enqueued or rescheduled in one commit: the kinds (up to JOBS_NEWS_KINDS,
 * then `more`) and for each the earliest due time. Given to the listener after the commit.
 */
#define JOBS_NEWS_KINDS 8
struct store_jobs_news {
	struct {
		char kind[JOB_KIND_MAX];
		long long due_ms;
	} k[JOBS_NEWS_KINDS];
	size_t n;
	bool more;	/* other kinds too: look at every kind */
};

/*
 * fn runs on the writer thread after each commit that enqueued or rescheduled jobs (the
 * wake-up of sleeping workers). One listener; fn NULL removes it, and once this returns fn
 * is not running and will not run again.
 */
void store_jobs_listen(struct store *s, void (*fn)(void *ctx, const struct store_jobs_news *n),
		       void *ctx);
#endif
