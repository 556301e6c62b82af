// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The jobs table and runtime: claims in due-time order, leases that run out taken over (a
 * crashed worker's job runs again), settles fenced by the lease, backoff with jitter, dead
 * after the policy's attempts or age, lanes (a limit per lane, lanes served in turn), the
 * jobs the store enqueues itself, retention purges, periodic jobs, the wake-up latency of a
 * sleeping pool, and a stop that lets the running job finish.
 */
#include "jobs/jobs.h"
#include "core/timeutil.h"
#include "test.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static struct store *open_store(char *dir)
{
	struct api_error err;
	if (!mkdtemp(dir))
		return NULL;
	struct store_options opt = { .dir = dir, .pool_size = 4, .sync_full = false };
	return store_open(&opt, &err);
}

static void close_store(struct store *s, const char *dir)
{
	char cmd[96];
	store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# %s not removed\n", dir);
}

static void enqueue(struct store *s, const char *kind, const char *ref, const char *lane,
		    long long due_ms)
{
	struct api_error err;
	struct store_job_new j = { .kind = kind, .ref = ref, .lane = lane, .due_ms = due_ms };
	if (jobs_enqueue(s, "acc_1", MODE_TEST, &j, &err) < 0)
		printf("# enqueue %s: %s\n", ref, err.message);
}

/* claims for `calls` handler calls of `batch` jobs */
static size_t claim(struct store *s, const char *kind, const char *owner, long long now,
		    long long real, size_t calls, size_t batch, unsigned lane_limit,
		    const struct store_lane_count *running, size_t n_running, struct arena *a,
		    struct store_job **out)
{
	struct api_error err;
	size_t n = 0;
	struct store_claim q = { .kind = kind, .owner = owner, .now_ms = now, .real_ms = real,
				 .lease_ms = 1000, .batches = calls, .batch = batch,
				 .lane_limit = lane_limit, .running = running,
				 .n_running = n_running };
	if (store_jobs_claim(s, &q, a, out, &n, &err) < 0)
		printf("# claim: %s\n", err.message);
	return n;
}

static int settle(struct store *s, const struct store_job *j, const char *owner,
		  enum store_job_state state)
{
	struct api_error err;
	struct store_change ch = { .op = STORE_JOB_SETTLE, .sc = { .account_id = "acc_1",
								    .kind = "job" },
				   .settle = { .id = j->id, .owner = owner, .state = state } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	return store_apply_sync(s, &set, &err);
}

static void store_claims(void)
{
	char dir[] = "/tmp/frank-jobs-XXXXXX";
	struct store *s = open_store(dir);
	struct arena *a = arena_new();
	struct store_job *got;
	if (!CHECK(s != NULL, "store opens"))
		return;
	enqueue(s, "t.order", "c", NULL, 1030);
	enqueue(s, "t.order", "a", NULL, 1010);
	enqueue(s, "t.order", "b", NULL, 1020);
	enqueue(s, "t.order", "later", NULL, 5000);
	enqueue(s, "t.order", "a", NULL, 4000);	/* the same job again: kept, still due at 1010 */
	size_t n = claim(s, "t.order", "w1", 2000, 0, 10, 1, 0, NULL, 0, a, &got);
	CHECK_INT(n, 3, "the three due jobs, not the later one, and no duplicate");
	CHECK(n == 3 && strcmp(got[0].ref, "a") == 0 && strcmp(got[1].ref, "b") == 0 &&
	      strcmp(got[2].ref, "c") == 0, "soonest due first");
	CHECK(n == 3 && got[0].attempts == 1 && got[0].due_ms == 1010, "one attempt, due at 1010");
	CHECK_INT(claim(s, "t.order", "w2", 2000, 0, 10, 1, 0, NULL, 0, a, &got), 0,
		  "claimed jobs are nobody else's while their lease runs");
	long long due, lease;
	struct api_error err;
	store_jobs_next(s, "t.order", "w2", &due, &lease, &err);
	CHECK(due == 5000 && lease == 1000, "next due 5000; w1's leases end at real time 1000");

	/* w1 dies: its leases run out, w2 takes the jobs over; w1's settle no longer counts */
	n = claim(s, "t.order", "w2", 2000, 1001, 10, 1, 0, NULL, 0, a, &got);
	CHECK_INT(n, 3, "after the lease ends, another worker takes the jobs over");
	CHECK(n && got[0].attempts == 2, "as a second attempt");
	struct store_job stale = got[0];
	CHECK_INT(settle(s, &stale, "w1", JOB_DONE), 1, "the dead worker cannot settle it");
	CHECK_INT(settle(s, &stale, "w2", JOB_DONE), 0, "its new owner can");
	enum store_job_state st;
	char *why;
	store_job_find(s, "t.order", stale.ref, a, &stale, &st, &why, &err);
	CHECK_INT(st, JOB_DONE, "done");
	enqueue(s, "t.order", stale.ref, NULL, 1500);
	CHECK_INT(claim(s, "t.order", "w2", 2000, 1001, 10, 1, 0, NULL, 0, a, &got), 1,
		  "a done job's kind and ref can be enqueued again");

	/* settles in the change set of the work: a lost lease undoes the set */
	enqueue(s, "t.fence", "f", NULL, 0);
	n = claim(s, "t.fence", "w3", 10, 0, 1, 1, 0, NULL, 0, a, &got);
	struct store_change ch[2] = {
		{ .op = STORE_SET_COUNTER, .code = "t.fence", .number = 7 },
		{ .op = STORE_JOB_SETTLE, .sc = { .account_id = "acc_1", .kind = "job" },
		  .settle = { .id = n ? got[0].id : 0, .owner = "someone else",
			      .state = JOB_DONE } },
	};
	struct store_change_set set = { .changes = ch, .n = 2 };
	long long counter = -1;
	CHECK_INT(store_apply_sync(s, &set, &err), -1, "a settle without the lease fails the set");
	store_counter_get(s, "t.fence", &counter, &err);
	CHECK_INT(counter, 0, "and the work it came with is not applied");
	arena_free(a);
	close_store(s, dir);
}

static void lanes(void)
{
	char dir[] = "/tmp/frank-lanes-XXXXXX";
	struct store *s = open_store(dir);
	struct arena *a = arena_new();
	struct store_job *got;
	if (!CHECK(s != NULL, "store opens"))
		return;
	char ref[16];
	for (int i = 0; i < 5; i++) {
		snprintf(ref, sizeof(ref), "slow%d", i);
		enqueue(s, "t.lane", ref, "whk_slow", 100 + i);	/* the oldest work */
	}
	for (int i = 0; i < 3; i++) {
		snprintf(ref, sizeof(ref), "fast%d", i);
		enqueue(s, "t.lane", ref, "whk_fast", 200 + i);
	}
	enqueue(s, "t.lane", "other", "whk_other", 300);
	size_t n = claim(s, "t.lane", "w", 1000, 0, 1, 2, 2, NULL, 0, a, &got);
	CHECK(n == 2 && strcmp(got[0].ref, "slow0") == 0 && strcmp(got[1].ref, "slow1") == 0,
	      "one call: up to a batch of jobs of one lane, the lane with the oldest job");
	n = claim(s, "t.lane", "w", 1000, 0, 3, 2, 2, NULL, 0, a, &got);
	CHECK(n == 5 && strcmp(got[0].lane, "whk_slow") == 0 && strcmp(got[1].lane, "whk_slow") == 0 &&
	      strcmp(got[2].lane, "whk_fast") == 0 && strcmp(got[3].lane, "whk_fast") == 0 &&
	      strcmp(got[4].lane, "whk_other") == 0,
	      "three calls: one per lane, a lane's jobs together, oldest lane first");
	struct store_lane_count running[] = { { "whk_slow", 2 }, { "whk_fast", 1 } };
	n = claim(s, "t.lane", "w", 1000, 0, 10, 2, 2, running, 2, a, &got);
	CHECK(n == 1 && strcmp(got[0].ref, "fast2") == 0,
	      "a lane at its limit gives nothing, however old its work; another lane gives its rest");
	arena_free(a);
	close_store(s, dir);
}

static void store_rules(void)
{
	char dir[] = "/tmp/frank-rules-XXXXXX";
	struct store *s = open_store(dir);
	struct arena *a = arena_new();
	struct api_error err;
	struct store_job j;
	enum store_job_state st;
	char *why;
	if (!CHECK(s != NULL, "store opens"))
		return;
	struct store_change ch = {
		.op = STORE_INSERT, .sc = { .account_id = "acc_1", .mode = MODE_TEST, .kind = "address" },
		.obj = { .id = "adr_1", .created_ms = 1, .updated_ms = 1, .json = "{}" },
		.ev = { .id = "evt_1", .type = "address.created", .json = "{}" } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	store_apply_sync(s, &set, &err);
	CHECK_INT(store_job_find(s, JOB_WEBHOOK_FANOUT, "evt_1", a, &j, &st, &why, &err), 1,
		  "no webhook in the account: an event needs no fan-out");
	ch.sc.kind = "webhook";
	ch.obj.id = "whk_1";
	ch.ev.id = NULL;
	store_apply_sync(s, &set, &err);
	ch.sc.kind = "address";
	ch.obj.id = "adr_2";
	ch.ev.id = "evt_2";
	store_apply_sync(s, &set, &err);
	CHECK_INT(store_job_find(s, JOB_WEBHOOK_FANOUT, "evt_2", a, &j, &st, &why, &err), 0,
		  "with a webhook, the event's fan-out is enqueued in its transaction");
	CHECK(st == JOB_QUEUED && strcmp(j.account_id, "acc_1") == 0 && j.mode == MODE_TEST,
	      "queued, in the event's account and mode");
	ch.sc.mode = MODE_LIVE;
	ch.obj.id = "adr_3";
	ch.ev.id = "evt_3";
	store_apply_sync(s, &set, &err);
	CHECK_INT(store_job_find(s, JOB_WEBHOOK_FANOUT, "evt_3", a, &j, &st, &why, &err), 1,
		  "a test-mode webhook does not fan out live events");
	arena_free(a);
	close_store(s, dir);
}

static void insert_delivery(struct store *s, const char *id, const char *status, long long at)
{
	struct api_error err;
	char json[96];
	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"status\":\"%s\"}", id, status);
	struct store_change ch = { .op = STORE_INSERT,
				   .sc = { .account_id = "acc_1", .kind = "webhook_delivery" },
				   .obj = { .id = id, .created_ms = at, .updated_ms = at,
					    .json = json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	store_apply_sync(s, &set, &err);
}

static void retention(void)
{
	char dir[] = "/tmp/frank-purge-XXXXXX";
	struct store *s = open_store(dir);
	struct arena *a = arena_new();
	struct api_error err;
	char *json;
	if (!CHECK(s != NULL, "store opens"))
		return;
	insert_delivery(s, "whd_old_ok", "succeeded", 1000);
	insert_delivery(s, "whd_old_failed", "failed", 1000);
	insert_delivery(s, "whd_old_pending", "pending", 1000);
	insert_delivery(s, "whd_new_ok", "succeeded", 5000);
	long n = store_objects_purge(s, "webhook_delivery", "succeeded", 2000, &err);
	n += store_objects_purge(s, "webhook_delivery", "failed", 2000, &err);
	CHECK_INT(n, 2, "the finished deliveries older than the retention are purged");
	struct store_scope sc = { .account_id = "acc_1", .kind = "webhook_delivery" };
	CHECK(store_object_get(s, &sc, "whd_old_ok", a, &json, &err) == 1 &&
	      store_object_get(s, &sc, "whd_old_failed", a, &json, &err) == 1,
	      "gone from the store");
	CHECK(store_object_get(s, &sc, "whd_old_pending", a, &json, &err) == 0 &&
	      store_object_get(s, &sc, "whd_new_ok", a, &json, &err) == 0,
	      "a pending delivery and a recent one stay");

	struct store_job *got;
	enqueue(s, "t.purge", "done_old", NULL, 100);
	enqueue(s, "t.purge", "done_new", NULL, 900);
	enqueue(s, "t.purge", "queued", NULL, 100000);
	size_t k = claim(s, "t.purge", "w", 1000, 0, 10, 1, 0, NULL, 0, a, &got);
	for (size_t i = 0; i < k; i++)
		settle(s, &got[i], "w", JOB_DONE);
	CHECK_INT(store_jobs_purge(s, "t.purge", JOB_DONE, 500, &err), 1,
		  "done jobs due before the cut-off are purged");
	enum store_job_state st;
	char *why;
	struct store_job j;
	CHECK(store_job_find(s, "t.purge", "done_old", a, &j, &st, &why, &err) == 1 &&
	      store_job_find(s, "t.purge", "done_new", a, &j, &st, &why, &err) == 0 &&
	      store_job_find(s, "t.purge", "queued", a, &j, &st, &why, &err) == 0,
	      "the newer done job and the queued one stay");
	arena_free(a);
	close_store(s, dir);
}

/* ---- the runtime ---- */

struct probe {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned runs;
	long long started_mono[16];
	long long started_now[16];
	unsigned fail_times;	/* fail this many runs */
	unsigned sleep_ms;	/* each run takes this long */
};

static void probe_run(void *ctx, struct job_run *runs, size_t n)
{
	struct probe *p = ctx;
	for (size_t i = 0; i < n; i++) {
		pthread_mutex_lock(&p->lock);
		unsigned k = p->runs;
		if (k < 16) {
			p->started_mono[k] = clock_mono_ms();
			p->started_now[k] = clock_now_ms();
		}
		bool fail = p->runs < p->fail_times;
		unsigned sleep_ms = p->sleep_ms;
		pthread_mutex_unlock(&p->lock);
		if (sleep_ms)
			usleep(sleep_ms * 1000);
		if (fail) {
			runs[i].outcome = JOB_FAILED;
			snprintf(runs[i].error, sizeof(runs[i].error), "receiver down (%u)", k + 1);
		}
		pthread_mutex_lock(&p->lock);
		p->runs++;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
	}
}

/* the probe's fields, read and written under its lock (its handler runs on other threads) */
static unsigned runs_of(struct probe *p)
{
	pthread_mutex_lock(&p->lock);
	unsigned n = p->runs;
	pthread_mutex_unlock(&p->lock);
	return n;
}

static long long started(struct probe *p, unsigned k, bool mono)
{
	pthread_mutex_lock(&p->lock);
	long long t = mono ? p->started_mono[k] : p->started_now[k];
	pthread_mutex_unlock(&p->lock);
	return t;
}

static void set_sleep(struct probe *p, unsigned ms)
{
	pthread_mutex_lock(&p->lock);
	p->sleep_ms = ms;
	pthread_mutex_unlock(&p->lock);
}

/* waits until the probe ran `runs` times or ms passed; the number of runs */
static unsigned wait_runs(struct probe *p, unsigned runs, long long ms)
{
	long long end = clock_mono_ms() + ms;
	pthread_mutex_lock(&p->lock);
	while (p->runs < runs && clock_mono_ms() < end) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cond, &p->lock, &ts);
	}
	unsigned got = p->runs;
	pthread_mutex_unlock(&p->lock);
	return got;
}

static struct jobs *runtime(struct store *s, struct probe *p, const struct job_policy *pol)
{
	struct jobs *j = jobs_new(s);
	int pool = jobs_add_pool(j, "test", 2);
	struct job_kind k = { .name = "t.probe", .pool = (unsigned)pool, .run = probe_run, .ctx = p,
			      .policy = *pol };
	jobs_add_kind(j, &k);
	return j;
}

static void wake_up(void)
{
	char dir[] = "/tmp/frank-wake-XXXXXX";
	struct store *s = open_store(dir);
	struct probe p = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	struct job_policy pol = { .lease_ms = 5000, .backoff_base_ms = 10 };
	if (!CHECK(s != NULL, "store opens"))
		return;
	struct jobs *j = runtime(s, &p, &pol);
	CHECK_INT(jobs_start(j, false), 0, "the runtime starts");
	usleep(300 * 1000);	/* asleep: nothing is due */
	long long worst_now = 0, worst_later = 0;
	for (unsigned i = 0; i < 5; i++) {
		char ref[16];
		snprintf(ref, sizeof(ref), "now%u", i);
		long long t0 = clock_mono_ms();
		enqueue(s, "t.probe", ref, NULL, clock_now_ms());
		wait_runs(&p, 2 * i + 1, 2000);
		long long lat = started(&p, 2 * i, true) - t0;
		worst_now = lat > worst_now ? lat : worst_now;
		/* due in 200 ms: the sleeping pool wakes at its due time */
		snprintf(ref, sizeof(ref), "later%u", i);
		long long due = clock_now_ms() + 200;
		enqueue(s, "t.probe", ref, NULL, due);
		wait_runs(&p, 2 * i + 2, 2000);
		long long late = started(&p, 2 * i + 1, false) - due;
		worst_later = late > worst_later ? late : worst_later;
		CHECK(late >= 0, "a job due later does not start early (%lld ms)", late);
	}
	printf("# wake-up: a job due now started within %lld ms of the enqueue; a job due later "
	       "within %lld ms of its due time (worst of 5)\n", worst_now, worst_later);
	/* the latency is a measurement (printed above; issue 13 wants < 50 ms on a quiet
	 * machine); what the test asserts is that the pool was woken, not found by its
	 * JOBS_RECHECK_MS recheck, with room for a loaded machine */
	CHECK(worst_now < JOBS_RECHECK_MS / 2, "a due job starts on its commit's wake-up (%lld ms)",
	      worst_now);
	CHECK(worst_later < JOBS_RECHECK_MS / 2,
	      "a job due later starts at its due time, not at a recheck (%lld ms)", worst_later);

	/* the test clock jumps: a job due in an hour is due now */
	long long t0 = clock_mono_ms();
	enqueue(s, "t.probe", "hour", NULL, clock_now_ms() + 3600 * 1000);
	usleep(100 * 1000);
	clock_advance_ms(3600 * 1000);
	wait_runs(&p, 11, 2000);
	CHECK_INT(runs_of(&p), 11, "after the clock jumps, the job due an hour later runs");
	CHECK(started(&p, 10, true) - t0 < 100 + JOBS_RECHECK_MS / 2,
	      "woken by the jump, not by a recheck (%lld ms after it)",
	      started(&p, 10, true) - t0 - 100);
	jobs_stop(j);
	close_store(s, dir);
}

static void retries(void)
{
	char dir[] = "/tmp/frank-retry-XXXXXX";
	struct store *s = open_store(dir);
	struct arena *a = arena_new();
	struct api_error err;
	struct store_job job;
	enum store_job_state st;
	char *why = NULL;
	if (!CHECK(s != NULL, "store opens"))
		return;
	/* a receiver that is down: three attempts, then dead */
	struct probe p = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
			   .fail_times = 100 };
	struct job_policy pol = { .max_attempts = 3, .backoff_base_ms = 40, .backoff_cap_ms = 1000,
				  .lease_ms = 5000 };
	struct jobs *j = runtime(s, &p, &pol);
	jobs_start(j, false);
	enqueue(s, "t.probe", "down", NULL, clock_now_ms());
	wait_runs(&p, 3, 3000);
	usleep(200 * 1000);
	CHECK_INT(runs_of(&p), 3, "three attempts, no fourth");
	long long gap1 = started(&p, 1, true) - started(&p, 0, true);
	long long gap2 = started(&p, 2, true) - started(&p, 1, true);
	CHECK(gap1 >= 32 && gap1 < 48 + 50, "the first retry after ~40 ms ±20%% (%lld ms)", gap1);
	CHECK(gap2 >= 64 && gap2 < 96 + 50, "the second after ~80 ms: doubling (%lld ms)", gap2);
	store_job_find(s, "t.probe", "down", a, &job, &st, &why, &err);
	CHECK_INT(st, JOB_DEAD, "dead after the policy's attempts");
	CHECK_STR(why, "receiver down (3)", "with its last error");
	CHECK_INT(job.attempts, 3, "three attempts recorded");
	jobs_stop(j);

	/* a policy by age: a failure past it is final */
	struct probe q = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER,
			   .fail_times = 100 };
	struct job_policy aged = { .max_age_ms = 3LL * 24 * 3600 * 1000, .backoff_base_ms = 60000,
				   .lease_ms = 5000 };
	j = runtime(s, &q, &aged);
	jobs_start(j, false);
	enqueue(s, "t.probe", "aged", NULL, clock_now_ms());
	wait_runs(&q, 1, 2000);
	usleep(100 * 1000);
	store_job_find(s, "t.probe", "aged", a, &job, &st, &why, &err);
	CHECK(st == JOB_QUEUED && job.due_ms > clock_now_ms() + 40000,
	      "a young job that fails waits for its backoff (a minute)");
	clock_advance_ms(3LL * 24 * 3600 * 1000 + 1000);	/* three days pass */
	wait_runs(&q, 2, 2000);
	usleep(100 * 1000);
	store_job_find(s, "t.probe", "aged", a, &job, &st, &why, &err);
	CHECK_INT(runs_of(&q), 2, "after three days the retry is due at once");
	CHECK_INT(st, JOB_DEAD, "and, failing again past the policy's age, dead");
	jobs_stop(j);

	/* backoff: doubling, capped, jittered ±20% */
	bool within = true, varied = false;
	long long first = jobs_backoff_ms(1000, 8000, 1, 0);
	for (unsigned seed = 0; seed < 200; seed++) {
		long long d1 = jobs_backoff_ms(1000, 8000, 1, seed * 7919u);
		long long d5 = jobs_backoff_ms(1000, 8000, 5, seed * 7919u);
		within &= d1 >= 800 && d1 <= 1200 && d5 >= 6400 && d5 <= 9600;
		varied |= d1 != first;
	}
	CHECK(within, "1 s doubling, capped at 8 s, each ±20%%");
	CHECK(varied, "jitter: not every delay is the same");
	arena_free(a);
	close_store(s, dir);
}

struct ticks {
	pthread_mutex_t lock;
	unsigned n;
};

static long tick(void *ctx, struct api_error *err)
{
	struct ticks *t = ctx;
	(void)err;
	pthread_mutex_lock(&t->lock);
	t->n++;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

static void periodic(void)
{
	char dir[] = "/tmp/frank-tick-XXXXXX";
	struct store *s = open_store(dir);
	struct ticks t = { .lock = PTHREAD_MUTEX_INITIALIZER };
	if (!CHECK(s != NULL, "store opens"))
		return;
	struct jobs *j = jobs_new(s);
	CHECK_INT(jobs_add_periodic(j, "t.tick", 100, tick, &t), 0, "a periodic job");
	jobs_start(j, false);
	usleep(550 * 1000);
	jobs_stop(j);
	pthread_mutex_lock(&t.lock);
	unsigned n = t.n;
	pthread_mutex_unlock(&t.lock);
	CHECK(n >= 4 && n <= 5, "runs every 100 ms, the first after 100 ms (%u in 550 ms)", n);
	struct api_error err;
	struct arena *a = arena_new();
	struct store_job job;
	enum store_job_state st;
	char *why;
	CHECK(store_job_find(s, "t.tick", "periodic", a, &job, &st, &why, &err) == 0 &&
	      st == JOB_QUEUED, "one row, queued for its next run");
	arena_free(a);
	close_store(s, dir);
}

static void takeover_and_stop(void)
{
	char dir[] = "/tmp/frank-crash-XXXXXX";
	struct store *s = open_store(dir);
	struct arena *a = arena_new();
	struct store_job *got;
	if (!CHECK(s != NULL, "store opens"))
		return;
	/* a worker claims a job with a 300 ms lease, then dies */
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long real = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	enqueue(s, "t.probe", "orphan", NULL, clock_now_ms());
	struct api_error err;
	struct store_claim q = { .kind = "t.probe", .owner = "crashed", .now_ms = clock_now_ms(),
				 .real_ms = real, .lease_ms = 300, .batches = 1, .batch = 1 };
	size_t n = 0;
	store_jobs_claim(s, &q, a, &got, &n, &err);
	CHECK_INT(n, 1, "claimed by a worker that then dies");
	struct probe p = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };
	struct job_policy pol = { .lease_ms = 5000, .backoff_base_ms = 10 };
	struct jobs *j = runtime(s, &p, &pol);
	long long t0 = clock_mono_ms();
	jobs_start(j, false);
	wait_runs(&p, 1, 3000);
	long long after = clock_mono_ms() - t0;
	CHECK_INT(runs_of(&p), 1, "another runtime takes the job over when the lease ends");
	CHECK(after >= 250 && after < 300 + 150, "at the lease's end, not before (%lld ms)", after);

	/* a stop lets the running job finish and settle */
	set_sleep(&p, 300);
	enqueue(s, "t.probe", "slow", NULL, clock_now_ms());
	usleep(100 * 1000);	/* it is running */
	jobs_stop(j);
	enum store_job_state st;
	char *why;
	struct store_job job;
	store_job_find(s, "t.probe", "slow", a, &job, &st, &why, &err);
	CHECK_INT(st, JOB_DONE, "a stop lets the running job finish and settles it");

	/* a process that starts with release_leases: running jobs of the one before are due */
	enqueue(s, "t.probe", "left", NULL, clock_now_ms());
	q.owner = "previous";
	q.lease_ms = 60000;
	q.now_ms = clock_now_ms();
	store_jobs_claim(s, &q, a, &got, &n, &err);
	unsigned before = runs_of(&p);
	set_sleep(&p, 0);
	j = runtime(s, &p, &pol);
	jobs_start(j, true);
	wait_runs(&p, before + 1, 2000);
	CHECK_INT(runs_of(&p), before + 1, "released at start: it runs at once, not in a minute");
	jobs_stop(j);
	arena_free(a);
	close_store(s, dir);
}

int main(void)
{
	store_claims();
	lanes();
	store_rules();
	retention();
	wake_up();
	periodic();
	retries();
	takeover_and_stop();
	return test_done();
}
