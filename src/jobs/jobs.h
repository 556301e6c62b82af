// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Background work. Every kind of job (a webhook fan-out, a delivery attempt, a tracking
 * journey's next step, housekeeping; later campaign sends and print runs) registers a
 * handler and a policy; pools of threads run the rows of the durable jobs table
 * (store/jobs_store.h). A worker claims due jobs with a lease, runs the handler and settles
 * each job: done, again at a later time (a next step), or failed — retried with exponential
 * backoff and jitter until the policy gives up, then dead. A lease that runs out (its worker
 * died) lets another worker take the job.
 *
 * Threads sleep until their kinds' next due time or a wake-up: a commit that enqueued jobs
 * (the store tells the runtime), a jump of the test clock, or a lane freed. Other processes
 * writing the same database (the CLI) cannot signal, so a sleeping pool also looks at the
 * jobs table's due-time index every JOBS_RECHECK_MS — one indexed read per kind, never a scan.
 */
#ifndef FRANK_JOBS_H
#define FRANK_JOBS_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include "store/jobs_store.h"
#include "store/store.h"

#define JOBS_RECHECK_MS 2000
#define JOBS_SHARED_LEASE_MS 15000	/* several nodes: how soon a dead node's jobs move */
#define JOBS_MAX_KINDS 32
#define JOBS_MAX_POOLS 12
#define JOBS_MAX_PERIODIC 8

struct job_policy {
	unsigned max_attempts;		/* a failure on this attempt is final; 0: no limit */
	long long max_age_ms;		/* a failure this long after the enqueue is final; 0: none */
	long long backoff_base_ms;	/* the first retry's delay; doubling */
	long long backoff_cap_ms;	/* the longest delay (0: no cap) */
	long long lease_ms;		/* longer than the handler can run */
	unsigned batch;			/* jobs per handler call; 0 means 1 */
	unsigned lane_limit;		/* jobs of one lane running at once; 0: no lanes */
};

enum job_outcome {
	JOB_OK,		/* done */
	JOB_AGAIN,	/* a next step: due again at again_ms, attempts start over */
	JOB_FAILED,	/* retried after the policy's backoff, or dead when the policy says */
	JOB_SETTLED,	/* the handler settled it in its own change set (job_settle_*) */
	JOB_RELEASED,	/* not done, because the runtime stops: queued again as it was */
};

struct job_kind;

/* one claimed job as its handler sees it; the handler sets the outcome (JOB_OK if left) */
struct job_run {
	const struct store_job *job;
	enum job_outcome outcome;
	long long again_ms;	/* JOB_AGAIN: when (frankd's clock) */
	const char *payload;	/* JOB_AGAIN: the payload from now on (NULL keeps it) */
	char error[256];	/* JOB_FAILED: why (kept as the job's last error) */
	struct arena *arena;	/* lives until the job is settled: for what the outcome points to */
	const atomic_bool *stopping;	/* turns true when the runtime stops: a handler that
					 * waits long (a POST) gives up and answers JOB_RELEASED */
	const struct job_kind *kind;
	const char *owner;
};

struct job_kind {
	const char *name;	/* at most JOB_KIND_MAX - 1 characters; a table-wide name */
	struct job_policy policy;
	unsigned pool;		/* from jobs_add_pool */
	/* runs n ≤ policy.batch claimed jobs of this kind; must be thread-safe */
	void (*run)(void *ctx, struct job_run *runs, size_t n);
	void *ctx;
};

/* the delay before retry n (after n failures, n ≥ 1): base doubling, capped, ±20% jitter */
long long jobs_backoff_ms(long long base_ms, long long cap_ms, unsigned failures,
			  unsigned jitter_seed);

/*
 * For handlers that settle a job in the change set that records its effect (exactly once:
 * the effect and the settle commit together, or neither does). ch becomes the change:
 */
void job_settle_done(const struct job_run *r, struct store_change *ch);
/* a failure: false when the policy makes it final (ch settles the job dead), else true with
 * *retry_ms, when it runs again */
bool job_settle_failed(const struct job_run *r, const char *error, long long now_ms,
		       struct store_change *ch, long long *retry_ms);

struct jobs;

/* a runtime on store s; pool 0 ("housekeeping", one thread) exists from the start */
struct jobs *jobs_new(struct store *s);
/* a pool of threads; its index, or -1 (too many pools) */
int jobs_add_pool(struct jobs *j, const char *name, unsigned threads);
/* registers a kind (copied; name and ctx must outlive the runtime); 0, or -1 */
int jobs_add_kind(struct jobs *j, const struct job_kind *k);
/*
 * Other nodes run jobs from the same store (PostgreSQL): leases are at most
 * JOBS_SHARED_LEASE_MS and a thread renews this node's while it lives. Before jobs_start.
 */
void jobs_share(struct jobs *j);
/*
 * Starts the pools. release_leases: the store serves this process only (SQLite), so a
 * running job at start belongs to a process that is gone: it is due again now instead of
 * when its lease runs out (never with other nodes: their running jobs are theirs). 0, or -1
 * (threads not started; jobs_stop still frees).
 */
int jobs_start(struct jobs *j, bool release_leases);
/*
 * Stops: no job is claimed any more, the handlers running finish and settle (bounded by the
 * handlers' own time limits), jobs claimed but not started are released, the threads end;
 * then nothing calls into the runtime again and it is freed. NULL is fine.
 */
void jobs_stop(struct jobs *j);

/* started, not stopping, every pool's threads running (/readyz); false with why */
bool jobs_running(struct jobs *j, char *why, size_t n);

/*
 * Periodic work on the housekeeping pool (retention purges): fn(ctx, err) runs every
 * every_ms, the first time every_ms after the start; it returns how many things it did (for
 * the log) or -1 with *err (retried with backoff). Before jobs_start; 0, or -1.
 */
int jobs_add_periodic(struct jobs *j, const char *name, long long every_ms,
		      long (*fn)(void *ctx, struct api_error *err), void *ctx);

/* enqueues one job now (its own transaction): seeds of periodic work, tools. 0 or -1 */
int jobs_enqueue(struct store *s, const char *account_id, enum store_mode mode,
		 const struct store_job_new *job, struct api_error *err);
#endif
