// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The jobs runtime (jobs.h): pools of threads claiming, running and settling jobs.
 *
 * One mutex guards the runtime. In a pool, one idle thread at a time claims — for as many
 * idle threads as the pool has, so claimed jobs never wait with their lease running — and
 * hands the batches over; the others wait on the pool's condition variable. Each kind keeps
 * when it is next due (frankd's clock) and when a lease of another worker next runs out
 * (real time); news from the store's commits lower them, and a claim that finds less than it
 * asked for reads them again. The mutex is never held across a store call: the store's
 * writer calls the listener, which takes it.
 */
#include "jobs/jobs.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/timeutil.h"
#include <errno.h>
#include <limits.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define JOBS_PURGE_EVERY_MS (15LL * 60 * 1000)
#define JOBS_DONE_KEEP_MS (60LL * 60 * 1000)		/* finished jobs: an hour, for a look */
#define JOBS_DEAD_KEEP_MS (30LL * 24 * 3600 * 1000)	/* dead ones: a month, to find out why */

/* lanes served lately, per kind (fair turns across lanes); the oldest is forgotten first */
#define SERVED_MAX 128
struct served_lane {
	char lane[JOB_REF_MAX];
	unsigned long long seq;
};

struct kind_state {
	struct job_kind k;
	struct served_lane served[SERVED_MAX];
	size_t n_served;
	unsigned long long serve_seq;
	long long next_due;	/* frankd's clock; LLONG_MIN: look now */
	long long next_lease;	/* real time */
	bool blocked;		/* due jobs wait for a lane: wait for one to free */
	unsigned news;		/* bumped by every wake-up, to spot one during a claim */
	long long looked_ms;	/* monotonic: when the store was last read for it */
};

struct lane_slot {
	char lane[JOB_REF_MAX];
	size_t kind;
	unsigned running;
};

/* claimed jobs waiting for a thread: one handler call */
struct batch {
	size_t kind;
	struct arena *a;	/* holds the jobs and their payloads */
	struct store_job *jobs;
	size_t n;
	struct batch *next;
};

struct pool {
	struct jobs *j;
	char name[24];
	unsigned threads, started, busy;
	pthread_t *tids;
	pthread_cond_t cond;
	bool claiming;
	struct batch *ready, *ready_tail;
	unsigned n_ready;
	size_t rr;		/* the kind the next look starts at: kinds take turns */
};

struct periodic {
	char name[JOB_KIND_MAX];
	long long every_ms;
	long (*fn)(void *ctx, struct api_error *err);
	void *ctx;
};

struct jobs {
	struct store *store;
	struct periodic periodic[JOBS_MAX_PERIODIC];
	size_t n_periodic;
	char owner[64];
	pthread_mutex_t lock;
	bool stopping, started;
	atomic_bool halting;	/* stopping, for handlers (read without the lock) */
	struct kind_state kinds[JOBS_MAX_KINDS];
	size_t n_kinds;
	struct pool pools[JOBS_MAX_POOLS];
	size_t n_pools;
	struct lane_slot *lanes;
	size_t n_lanes, cap_lanes;
	bool shared;			/* other nodes claim from the same table */
	pthread_t heartbeat;		/* shared: keeps this node's leases alive */
	bool heartbeat_started;
};

/* ---- policy ---- */

long long jobs_backoff_ms(long long base_ms, long long cap_ms, unsigned failures,
			  unsigned jitter_seed)
{
	long long d = base_ms > 0 ? base_ms : 1;
	for (unsigned i = 1; i < failures && (cap_ms <= 0 || d < cap_ms) && d < LLONG_MAX / 4; i++)
		d *= 2;
	if (cap_ms > 0 && d > cap_ms)
		d = cap_ms;
	/* ±20%: jobs that fail together do not retry together */
	long long span = d / 5;
	return span ? d - span + (long long)(jitter_seed % (unsigned long long)(2 * span + 1)) : d;
}

static unsigned jitter_seed(void)
{
	unsigned char r[4] = { 0 };
	RAND_bytes(r, sizeof(r));
	return (unsigned)r[0] | (unsigned)r[1] << 8 | (unsigned)r[2] << 16 | (unsigned)r[3] << 24;
}

static void settle_change(const struct job_run *r, struct store_change *ch,
			  enum store_job_state state)
{
	*ch = (struct store_change){ .op = STORE_JOB_SETTLE,
				     .sc = { .account_id = r->job->account_id,
					     .mode = r->job->mode, .kind = "job" },
				     .settle = { .id = r->job->id, .owner = r->owner,
						 .state = state } };
}

void job_settle_done(const struct job_run *r, struct store_change *ch)
{
	settle_change(r, ch, JOB_DONE);
}

bool job_settle_failed(const struct job_run *r, const char *error, long long now_ms,
		       struct store_change *ch, long long *retry_ms)
{
	const struct job_policy *p = &r->kind->policy;
	bool final = (p->max_attempts && r->job->attempts >= p->max_attempts) ||
		     (p->max_age_ms && now_ms - r->job->created_ms >= p->max_age_ms);
	settle_change(r, ch, final ? JOB_DEAD : JOB_QUEUED);
	ch->settle.error = error;
	if (!final) {
		*retry_ms = now_ms + jobs_backoff_ms(p->backoff_base_ms, p->backoff_cap_ms,
						     r->job->attempts, jitter_seed());
		ch->settle.due_ms = *retry_ms;
	}
	return !final;
}

/* ---- lanes: jobs of each lane running in this process ---- */

static struct lane_slot *lane_find(struct jobs *j, size_t kind, const char *lane, bool add)
{
	for (size_t i = 0; i < j->n_lanes; i++)
		if (j->lanes[i].kind == kind && strcmp(j->lanes[i].lane, lane) == 0)
			return &j->lanes[i];
	if (!add)
		return NULL;
	if (j->n_lanes == j->cap_lanes) {
		size_t cap = j->cap_lanes ? j->cap_lanes * 2 : 16;
		struct lane_slot *l = realloc(j->lanes, cap * sizeof(*l));
		if (!l)
			return NULL;
		j->lanes = l;
		j->cap_lanes = cap;
	}
	struct lane_slot *l = &j->lanes[j->n_lanes++];
	snprintf(l->lane, sizeof(l->lane), "%s", lane);
	l->kind = kind;
	l->running = 0;
	return l;
}

/* the lane had its turn now: the next claims prefer the lanes that waited longer */
static void lane_served(struct kind_state *ks, const char *lane)
{
	struct served_lane *slot = NULL;
	for (size_t i = 0; i < ks->n_served && !slot; i++)
		if (strcmp(ks->served[i].lane, lane) == 0)
			slot = &ks->served[i];
	if (!slot && ks->n_served < SERVED_MAX)
		slot = &ks->served[ks->n_served++];
	for (size_t i = 0; !slot && i < SERVED_MAX; i++)	/* full: the least recent goes */
		if (i == 0 || ks->served[i].seq < slot->seq)
			slot = &ks->served[i];
	snprintf(slot->lane, sizeof(slot->lane), "%s", lane);
	slot->seq = ++ks->serve_seq;
}

/* a batch's jobs are of one lane (or of none): it holds one place of that lane */
static void lane_take(struct jobs *j, size_t kind, const struct batch *b)
{
	struct lane_slot *l = b->jobs[0].lane[0] ? lane_find(j, kind, b->jobs[0].lane, true) : NULL;
	if (l) {
		l->running++;
		lane_served(&j->kinds[kind], b->jobs[0].lane);
	}
}

static void lane_give_back(struct jobs *j, size_t kind, const struct batch *b)
{
	struct lane_slot *l = b->jobs[0].lane[0] ? lane_find(j, kind, b->jobs[0].lane, false)
						  : NULL;
	if (l && l->running && --l->running == 0)
		*l = j->lanes[--j->n_lanes];	/* idle lanes leave the table */
	if (j->kinds[kind].k.policy.lane_limit) {
		/* news: a claim running now, which found every lane full, must not say blocked */
		j->kinds[kind].blocked = false;
		j->kinds[kind].news++;
	}
}

/* the kind's lanes in use, copied into a (the claim runs without the lock) */
static const struct store_lane_count *lanes_copy(struct jobs *j, size_t kind, struct arena *a,
						 size_t *n)
{
	struct store_lane_count *out = arena_calloc(a, sizeof(*out) * (j->n_lanes + 1));
	*n = 0;
	for (size_t i = 0; out && i < j->n_lanes; i++)
		if (j->lanes[i].kind == kind)
			out[(*n)++] = (struct store_lane_count){
				.lane = arena_strdup(a, j->lanes[i].lane),
				.running = j->lanes[i].running };
	return out;
}

static const struct store_lane_served *served_copy(const struct kind_state *ks, struct arena *a,
						   size_t *n)
{
	struct store_lane_served *out = arena_calloc(a, sizeof(*out) * (ks->n_served + 1));
	*n = 0;
	for (size_t i = 0; out && i < ks->n_served; i++)
		out[(*n)++] = (struct store_lane_served){
			.lane = arena_strdup(a, ks->served[i].lane), .seq = ks->served[i].seq };
	return out;
}

/* ---- waking ---- */

static void wake_kind(struct jobs *j, size_t k, long long due_ms)
{
	struct kind_state *ks = &j->kinds[k];
	if (due_ms < ks->next_due)
		ks->next_due = due_ms;
	ks->blocked = false;	/* maybe a lane that is free */
	ks->news++;
	pthread_cond_broadcast(&j->pools[ks->k.pool].cond);
}

static void on_store_news(void *ctx, const struct store_jobs_news *n)
{
	struct jobs *j = ctx;
	pthread_mutex_lock(&j->lock);
	for (size_t i = 0; i < n->n; i++)
		for (size_t k = 0; k < j->n_kinds; k++)
			if (strcmp(j->kinds[k].k.name, n->k[i].kind) == 0)
				wake_kind(j, k, n->k[i].due_ms);
	for (size_t k = 0; n->more && k < j->n_kinds; k++)
		wake_kind(j, k, LLONG_MIN);
	pthread_mutex_unlock(&j->lock);
}

static void on_clock_advance(void *ctx)
{
	/* due times are on the moved clock: sleeps computed before the jump are too long */
	struct jobs *j = ctx;
	pthread_mutex_lock(&j->lock);
	for (size_t k = 0; k < j->n_kinds; k++) {
		j->kinds[k].news++;
		pthread_cond_broadcast(&j->pools[j->kinds[k].k.pool].cond);
	}
	pthread_mutex_unlock(&j->lock);
}

static long long real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* waits on the pool's condition for at most ms (CLOCK_MONOTONIC, set at init) */
static void pool_wait(struct pool *p, long long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ms / 1000);
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&p->cond, &p->j->lock, &ts);
}

/* ---- running a batch ---- */

static const double delay_buckets[] = { 0.005, 0.025, 0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600,
					21600 };
static const struct metric job_runs = {
	"frank_job_runs_total",
	"Jobs run, by kind and outcome: ok, again (a next step scheduled), failed (retried or "
	"dead), released (back to the queue at a stop), settled (the handler recorded it)",
	METRIC_COUNTER, { "kind", "outcome" }, NULL, 0
};
static const struct metric job_seconds = {
	"frank_job_handler_seconds", "Time of one handler call (a batch of jobs of one kind)",
	METRIC_HISTOGRAM, { "kind" }, metric_buckets_seconds, 15
};
static const struct metric job_delay = {
	"frank_job_start_delay_seconds", "From a job's due time to the start of its run",
	METRIC_HISTOGRAM, { "kind" }, delay_buckets, sizeof(delay_buckets) / sizeof(delay_buckets[0])
};

static const char *outcome_name(enum job_outcome o)
{
	switch (o) {
	case JOB_OK: return "ok";
	case JOB_AGAIN: return "again";
	case JOB_FAILED: return "failed";
	case JOB_RELEASED: return "released";
	case JOB_SETTLED: return "settled";
	}
	return "unknown";
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void settle_by_runtime(struct jobs *j, struct job_run *r)
{
	struct store_change ch;
	struct api_error err;
	long long now = clock_now_ms(), retry = 0;
	switch (r->outcome) {
	case JOB_SETTLED:
		return;
	case JOB_RELEASED:
		settle_change(r, &ch, JOB_QUEUED);
		ch.settle.unclaim = true;
		break;
	case JOB_OK:
		job_settle_done(r, &ch);
		break;
	case JOB_AGAIN:
		settle_change(r, &ch, JOB_QUEUED);
		ch.settle.due_ms = r->again_ms;
		ch.settle.payload = r->payload;
		ch.settle.fresh = true;
		break;
	case JOB_FAILED:
		if (!job_settle_failed(r, r->error, now, &ch, &retry))
			log_msg(LOG_WARN, "jobs: %s %s is dead after %u attempts: %s", r->job->kind,
				r->job->ref, r->job->attempts, r->error);
		break;
	}
	struct store_change_set set = { .changes = &ch, .n = 1 };
	int rc = store_apply_sync(j->store, &set, &err);
	if (rc != 0)
		log_msg(LOG_WARN, "jobs: %s %s not settled (%s): it runs again when its lease ends",
			r->job->kind, r->job->ref, rc < 0 ? err.message : "lease lost");
}

static void run_batch(struct jobs *j, struct batch *b)
{
	const struct job_kind *k = &j->kinds[b->kind].k;
	struct job_run *runs = arena_calloc(b->a, sizeof(*runs) * b->n);
	if (!runs)
		return;	/* the leases run out and the jobs run again */
	for (size_t i = 0; i < b->n; i++)
		runs[i] = (struct job_run){ .job = &b->jobs[i], .outcome = JOB_OK, .kind = k,
					    .owner = j->owner, .arena = b->a,
					    .stopping = &j->halting };
	long long now = clock_now_ms();
	for (size_t i = 0; i < b->n; i++)
		metric_obs(&job_delay, b->jobs[i].due_ms < now ? (double)(now - b->jobs[i].due_ms) / 1000.0 : 0,
			   k->name);
	double t0 = mono_s();
	k->run(k->ctx, runs, b->n);
	metric_obs(&job_seconds, mono_s() - t0, k->name);
	for (size_t i = 0; i < b->n; i++) {
		metric_inc(&job_runs, k->name, outcome_name(runs[i].outcome));
		settle_by_runtime(j, &runs[i]);
	}
}

/* jobs claimed but never started (the runtime stops): back to the queue, as they were */
static void release_batch(struct jobs *j, struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct job_run r = { .job = &b->jobs[i], .outcome = JOB_RELEASED,
				     .kind = &j->kinds[b->kind].k, .owner = j->owner };
		settle_by_runtime(j, &r);
	}
}

/* ---- claiming ---- */

/*
 * The next kind of the pool to claim for (*refresh false) or only to read its next due time
 * for (*refresh true: nothing was heard of it for JOBS_RECHECK_MS), or -1 and *sleep_ms
 * until one of these may be so. Kinds take turns.
 */
static long pick_kind(struct jobs *j, struct pool *p, bool *refresh, long long *sleep_ms)
{
	long long now = clock_now_ms(), real = real_ms(), mono = clock_mono_ms();
	long long wait = JOBS_RECHECK_MS;
	size_t mine[JOBS_MAX_KINDS], n = 0;
	for (size_t k = 0; k < j->n_kinds; k++)
		if (j->kinds[k].k.pool == (unsigned)(p - j->pools))
			mine[n++] = k;
	for (size_t i = 0; i < n; i++) {
		size_t k = mine[(p->rr + i) % n];
		struct kind_state *ks = &j->kinds[k];
		bool due = (ks->next_due <= now && !ks->blocked) || ks->next_lease <= real;
		long long since = mono - ks->looked_ms;
		if (due || since >= JOBS_RECHECK_MS) {
			p->rr = (p->rr + i + 1) % n;
			*refresh = !due;
			return (long)k;
		}
		if (!ks->blocked && ks->next_due - now < wait)
			wait = ks->next_due - now;
		if (ks->next_lease - real < wait)
			wait = ks->next_lease - real;
		if (JOBS_RECHECK_MS - since < wait)
			wait = JOBS_RECHECK_MS - since;
	}
	*sleep_ms = wait < 1 ? 1 : wait;
	return -1;
}

static void push_ready(struct pool *p, struct batch *b)
{
	b->next = NULL;
	if (p->ready_tail)
		p->ready_tail->next = b;
	else
		p->ready = b;
	p->ready_tail = b;
	p->n_ready++;
}

static struct batch *pop_ready(struct pool *p)
{
	struct batch *b = p->ready;
	if (b) {
		p->ready = b->next;
		if (!p->ready)
			p->ready_tail = NULL;
		p->n_ready--;
	}
	return b;
}

/* reads when kind k is next due; called and returns with the lock held */
static void refresh(struct jobs *j, struct pool *p, size_t k)
{
	struct kind_state *ks = &j->kinds[k];
	struct api_error err;
	long long due, lease;
	unsigned news = ks->news;
	p->claiming = true;
	pthread_mutex_unlock(&j->lock);
	int rc = store_jobs_next(j->store, ks->k.name, j->owner, &due, &lease, &err);
	pthread_mutex_lock(&j->lock);
	p->claiming = false;
	ks->looked_ms = clock_mono_ms();
	if (rc < 0) {
		log_msg(LOG_WARN, "jobs: %s: %s", ks->k.name, err.message);
	} else if (ks->news == news) {
		ks->next_due = due;	/* it may come from another process: no news of it */
		ks->next_lease = lease;
	}
	pthread_cond_broadcast(&p->cond);
}

/* the claimed jobs from..from+n as a batch of their own (own arena: batches end apart) */
static struct batch *batch_of(size_t k, const struct store_job *from, size_t n)
{
	struct batch *b = calloc(1, sizeof(*b));
	struct arena *a = b ? arena_new() : NULL;
	struct store_job *jobs = a ? arena_calloc(a, sizeof(*jobs) * n) : NULL;
	if (!jobs) {
		arena_free(a);
		free(b);
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		jobs[i] = from[i];
		if (from[i].payload)
			jobs[i].payload = arena_strdup(a, from[i].payload);
	}
	*b = (struct batch){ .kind = k, .a = a, .jobs = jobs, .n = n };
	return b;
}

/* claims jobs of kind k for the pool's idle threads; called and returns with the lock held */
static void claim(struct jobs *j, struct pool *p, size_t k)
{
	struct kind_state *ks = &j->kinds[k];
	unsigned batch = ks->k.policy.batch ? ks->k.policy.batch : 1;
	unsigned idle = p->threads - p->busy - p->n_ready;
	struct arena *a = arena_new();
	size_t n_lanes = 0, n = 0;
	struct store_job *got = NULL;
	struct api_error err;
	if (!a || idle == 0) {
		arena_free(a);
		return;
	}
	const struct store_lane_count *lanes = lanes_copy(j, k, a, &n_lanes);
	size_t n_served = 0;
	const struct store_lane_served *served = served_copy(ks, a, &n_served);
	struct store_claim q = { .kind = ks->k.name, .owner = j->owner, .now_ms = clock_now_ms(),
				 .real_ms = real_ms(),
				 .lease_ms = j->shared && ks->k.policy.lease_ms > JOBS_SHARED_LEASE_MS
						     ? JOBS_SHARED_LEASE_MS : ks->k.policy.lease_ms,
				 .batches = idle, .batch = batch,
				 .lane_limit = ks->k.policy.lane_limit, .running = lanes,
				 .n_running = n_lanes, .served = served, .n_served = n_served };
	size_t max = (size_t)idle * batch;
	unsigned news = ks->news;
	long long due = LLONG_MIN, lease = LLONG_MAX;
	p->claiming = true;
	pthread_mutex_unlock(&j->lock);
	int rc = store_jobs_claim(j->store, &q, a, &got, &n, &err);
	if (rc == 0 && n < max)	/* all there was: when is the next? */
		rc = store_jobs_next(j->store, ks->k.name, j->owner, &due, &lease, &err);
	pthread_mutex_lock(&j->lock);
	p->claiming = false;
	ks->looked_ms = clock_mono_ms();
	if (rc < 0) {
		log_msg(LOG_WARN, "jobs: %s: %s", ks->k.name, err.message);
		ks->next_due = q.now_ms + 1000;	/* the store failed: not in a tight loop */
	} else if (n == max || (q.lane_limit && n)) {
		ks->next_due = LLONG_MIN;	/* maybe more (lanes give one call per claim) */
	} else if (ks->news == news) {
		/* due work left means its lanes are full: wait for one to free */
		ks->blocked = due <= q.now_ms && ks->k.policy.lane_limit;
		ks->next_due = due;
		ks->next_lease = lease;
	}
	/* else news came during the claim: keep what it said */
	/* calls of up to `batch` jobs, each of one lane (the store gives a lane's jobs together) */
	for (size_t i = 0, len; i < n; i += len) {
		for (len = 1; i + len < n && len < batch &&
			      strcmp(got[i + len].lane, got[i].lane) == 0; len++)
			;
		struct batch *b = batch_of(k, got + i, len);
		if (!b)
			continue;	/* their leases run out and they run again */
		lane_take(j, k, b);
		push_ready(p, b);
	}
	arena_free(a);
	pthread_cond_broadcast(&p->cond);
}

static void *pool_main(void *arg)
{
	struct pool *p = arg;
	struct jobs *j = p->j;
	char name[16];
	snprintf(name, sizeof(name), "jobs-%.10s", p->name);
	pthread_setname_np(pthread_self(), name);
	pthread_mutex_lock(&j->lock);
	while (!j->stopping) {
		struct batch *b = pop_ready(p);
		if (b) {
			p->busy++;
			pthread_mutex_unlock(&j->lock);
			run_batch(j, b);
			pthread_mutex_lock(&j->lock);
			p->busy--;
			lane_give_back(j, b->kind, b);
			pthread_cond_broadcast(&p->cond);	/* a thread and maybe a lane are free */
			arena_free(b->a);
			free(b);
			continue;
		}
		if (p->claiming) {
			pthread_cond_wait(&p->cond, &j->lock);
			continue;
		}
		long long sleep_ms = 0;
		bool look_only = false;
		long k = pick_kind(j, p, &look_only, &sleep_ms);
		if (k < 0)
			pool_wait(p, sleep_ms);
		else if (look_only)
			refresh(j, p, (size_t)k);
		else
			claim(j, p, (size_t)k);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* ---- periodic work ---- */

static void periodic_run(void *ctx, struct job_run *runs, size_t n)
{
	struct periodic *p = ctx;
	for (size_t i = 0; i < n; i++) {
		struct api_error err;
		long did = p->fn(p->ctx, &err);
		if (did < 0) {
			runs[i].outcome = JOB_FAILED;
			snprintf(runs[i].error, sizeof(runs[i].error), "%s", err.message);
			continue;
		}
		if (did)
			log_msg(LOG_INFO, "jobs: %s: %ld", p->name, did);
		runs[i].outcome = JOB_AGAIN;
		runs[i].again_ms = clock_now_ms() + p->every_ms;
	}
}

int jobs_add_periodic(struct jobs *j, const char *name, long long every_ms,
		      long (*fn)(void *ctx, struct api_error *err), void *ctx)
{
	if (j->n_periodic == JOBS_MAX_PERIODIC)
		return -1;
	struct periodic *p = &j->periodic[j->n_periodic];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->every_ms = every_ms;
	p->fn = fn;
	p->ctx = ctx;
	struct job_kind k = { .name = p->name, .pool = 0, .run = periodic_run, .ctx = p,
			      .policy = { .backoff_base_ms = 60000, .backoff_cap_ms = every_ms,
					  .lease_ms = 10 * 60 * 1000 } };
	if (jobs_add_kind(j, &k) < 0)
		return -1;
	j->n_periodic++;
	return 0;
}

/* finished jobs leave the table after an hour, dead ones after a month */
static long jobs_purge(void *ctx, struct api_error *err)
{
	struct jobs *j = ctx;
	long long now = clock_now_ms();
	long total = 0;
	for (size_t k = 0; k < j->n_kinds; k++) {
		long done = store_jobs_purge(j->store, j->kinds[k].k.name, JOB_DONE,
					     now - JOBS_DONE_KEEP_MS, err);
		long dead = done < 0 ? -1
				     : store_jobs_purge(j->store, j->kinds[k].k.name, JOB_DEAD,
							now - JOBS_DEAD_KEEP_MS, err);
		if (dead < 0)
			return -1;
		total += done + dead;
	}
	return total;
}

/* ---- lifecycle ---- */

struct jobs *jobs_new(struct store *s)
{
	struct jobs *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->store = s;
	unsigned char r[4] = { 0 };
	RAND_bytes(r, sizeof(r));
	snprintf(j->owner, sizeof(j->owner), "frankd-%ld-%02x%02x%02x%02x", (long)getpid(), r[0],
		 r[1], r[2], r[3]);
	pthread_mutex_init(&j->lock, NULL);
	if (jobs_add_pool(j, "housekeeping", 1) != 0) {
		jobs_stop(j);
		return NULL;
	}
	jobs_add_periodic(j, "jobs.purge", JOBS_PURGE_EVERY_MS, jobs_purge, j);
	return j;
}

int jobs_add_pool(struct jobs *j, const char *name, unsigned threads)
{
	if (j->started || j->n_pools == JOBS_MAX_POOLS || threads == 0) {
		log_msg(LOG_ERROR, "jobs: pool %s not added (%s)", name,
			j->n_pools == JOBS_MAX_POOLS ? "JOBS_MAX_POOLS reached" : "started, or no threads");
		return -1;
	}
	struct pool *p = &j->pools[j->n_pools];
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	p->j = j;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->threads = threads;
	return (int)j->n_pools++;
}

int jobs_add_kind(struct jobs *j, const struct job_kind *k)
{
	if (j->started || j->n_kinds == JOBS_MAX_KINDS || k->pool >= j->n_pools || !k->run ||
	    strlen(k->name) >= JOB_KIND_MAX) {
		log_msg(LOG_ERROR, "jobs: kind %s not added (%s)", k->name,
			j->n_kinds == JOBS_MAX_KINDS ? "JOBS_MAX_KINDS reached" : "a bad kind");
		return -1;
	}
	j->kinds[j->n_kinds++] = (struct kind_state){ .k = *k, .next_due = LLONG_MIN,
						      .next_lease = LLONG_MAX };
	return 0;
}

int jobs_enqueue(struct store *s, const char *account_id, enum store_mode mode,
		 const struct store_job_new *job, struct api_error *err)
{
	struct store_change ch = { .op = STORE_JOB, .sc = { .account_id = account_id,
							    .mode = mode, .kind = "job" },
				   .job = *job };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	return store_apply_sync(s, &set, err) < 0 ? -1 : 0;
}

/*
 * Several nodes: a lease is short, so a node that dies loses its jobs to the others within
 * JOBS_SHARED_LEASE_MS, and this thread renews the leases of the jobs this node runs (long
 * renders, slow webhooks) while it lives.
 */
static void *heartbeat_main(void *arg)
{
	struct jobs *j = arg;
	pthread_setname_np(pthread_self(), "frank-leases");
	long long next = clock_mono_ms() + JOBS_SHARED_LEASE_MS / 3;
	while (!atomic_load(&j->halting)) {
		struct timespec nap = { 0, 100 * 1000000L };
		nanosleep(&nap, NULL);
		if (clock_mono_ms() < next)
			continue;
		struct api_error err;
		if (store_jobs_renew(j->store, j->owner, real_ms() + JOBS_SHARED_LEASE_MS, &err) < 0)
			log_msg(LOG_WARN, "jobs: leases not renewed: %s", err.message);
		next = clock_mono_ms() + JOBS_SHARED_LEASE_MS / 3;
	}
	return NULL;
}

void jobs_share(struct jobs *j)
{
	j->shared = true;
}

int jobs_start(struct jobs *j, bool release_leases)
{
	struct api_error err;
	if (j->shared) {
		if (pthread_create(&j->heartbeat, NULL, heartbeat_main, j) != 0) {
			log_msg(LOG_ERROR, "jobs: the lease heartbeat did not start");
			return -1;
		}
		j->heartbeat_started = true;
	}
	if (release_leases) {
		long n = store_jobs_release_all(j->store, &err);
		if (n > 0)
			log_msg(LOG_INFO, "jobs: %ld jobs left running by the last run are due again", n);
	}
	/* one row per periodic kind, in one commit: a restart keeps the rows it finds */
	struct store_change seeds[JOBS_MAX_PERIODIC];
	for (size_t i = 0; i < j->n_periodic; i++)
		seeds[i] = (struct store_change){
			.op = STORE_JOB, .sc = { .mode = MODE_TEST, .kind = "job" },
			.job = { .kind = j->periodic[i].name, .ref = "periodic",
				 .due_ms = clock_now_ms() + j->periodic[i].every_ms } };
	struct store_change_set set = { .changes = seeds, .n = j->n_periodic };
	if (set.n && store_apply_sync(j->store, &set, &err) < 0)
		log_msg(LOG_WARN, "jobs: periodic work not scheduled: %s", err.message);
	store_jobs_listen(j->store, on_store_news, j);
	clock_on_advance(on_clock_advance, j);
	pthread_mutex_lock(&j->lock);
	j->started = true;
	pthread_mutex_unlock(&j->lock);
	for (size_t i = 0; i < j->n_pools; i++) {
		struct pool *p = &j->pools[i];
		p->tids = calloc(p->threads, sizeof(*p->tids));
		for (unsigned t = 0; p->tids && t < p->threads; t++) {
			if (pthread_create(&p->tids[t], NULL, pool_main, p) != 0) {
				log_msg(LOG_ERROR, "jobs: pool %s: thread %u did not start", p->name, t);
				return -1;
			}
			p->started++;
		}
		if (!p->tids)
			return -1;
	}
	return 0;
}

bool jobs_running(struct jobs *j, char *why, size_t n)
{
	if (!j) {
		snprintf(why, n, "the jobs runtime is not running");
		return false;
	}
	pthread_mutex_lock(&j->lock);
	bool ok = j->started && !j->stopping;
	if (!ok)
		snprintf(why, n, "the jobs runtime is %s", j->started ? "stopping" : "not started");
	for (size_t i = 0; ok && i < j->n_pools; i++) {
		const struct pool *p = &j->pools[i];
		if (p->started < p->threads) {
			snprintf(why, n, "jobs pool %s runs %u of its %u threads", p->name, p->started,
				 p->threads);
			ok = false;
		}
	}
	pthread_mutex_unlock(&j->lock);
	return ok;
}

void jobs_stop(struct jobs *j)
{
	if (!j)
		return;
	/* first nothing outside calls in any more, then the threads end */
	if (j->started) {
		store_jobs_listen(j->store, NULL, NULL);
		clock_on_advance(NULL, NULL);
	}
	atomic_store(&j->halting, true);
	if (j->heartbeat_started)
		pthread_join(j->heartbeat, NULL);
	pthread_mutex_lock(&j->lock);
	j->stopping = true;
	for (size_t i = 0; i < j->n_pools; i++)
		pthread_cond_broadcast(&j->pools[i].cond);
	pthread_mutex_unlock(&j->lock);
	for (size_t i = 0; i < j->n_pools; i++) {
		struct pool *p = &j->pools[i];
		for (unsigned t = 0; t < p->started; t++)
			pthread_join(p->tids[t], NULL);
		struct batch *b;
		while ((b = pop_ready(p))) {
			release_batch(j, b);
			arena_free(b->a);
			free(b);
		}
		free(p->tids);
		pthread_cond_destroy(&p->cond);
	}
	free(j->lanes);
	pthread_mutex_destroy(&j->lock);
	free(j);
}
