// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Rendering as a job kind (mail/render_jobs.h) on the real jobs runtime and a real store:
 * every piece committed with its render job is rendered once; a transient failure is retried
 * (later, not in a spin) until it succeeds. Grouped: a worker takes fresh pieces of one
 * account together (prepare sees runs of one kind, 2 to RENDER_GROUP_MAX, then n = 0), and
 * each still goes through the render function. Fair share: one account's slow pieces never
 * hold every worker (another account's piece renders meanwhile), and a free worker serves
 * the waiting accounts in turn.
 */
#include "mail/render_jobs.h"
#include "core/timeutil.h"
#include "test.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_int calls, done_ok, flaky_calls;

static int render(void *ctx, const struct render_item *it, struct api_error *err)
{
	(void)ctx;
	atomic_fetch_add(&calls, 1);
	if (strcmp(it->id, "ltr_flaky") == 0 && atomic_fetch_add(&flaky_calls, 1) < 2)
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "browser restarting");
	atomic_fetch_add(&done_ok, 1);
	return 0;
}

static atomic_int groups, grouped, clears, largest, mixed, slow;

static void prepare(void *ctx, const struct render_item *items, size_t n)
{
	(void)ctx;
	if (n == 0) {
		atomic_fetch_add(&clears, 1);
		return;
	}
	atomic_fetch_add(&groups, 1);
	atomic_fetch_add(&grouped, (int)n);
	if ((int)n > atomic_load(&largest))
		atomic_store(&largest, (int)n);
	for (size_t i = 1; i < n; i++)
		if (strcmp(items[i].kind, items[0].kind) != 0 || items[i].attempts != 0 ||
		    strcmp(items[i].account_id, items[0].account_id) != 0)
			atomic_fetch_add(&mixed, 1);
}

static int render_slowly(void *ctx, const struct render_item *it, struct api_error *err)
{
	if (atomic_fetch_add(&slow, 1) == 0)
		usleep(200000);	/* the first piece holds its worker while the rest queue up */
	return render(ctx, it, err);
}

static void wait_for(atomic_int *v, int want, int max_ms)
{
	for (int i = 0; i < max_ms / 10 && atomic_load(v) < want; i++)
		usleep(10000);
}

/* a store in a fresh directory, and a runtime with the render kind on it */
struct bench {
	char dir[32];
	struct store *s;
	struct jobs *j;
	struct render_jobs r;
};

static bool bench_start(struct bench *b, unsigned workers, render_fn fn, render_prepare_fn prep)
{
	struct api_error err;
	snprintf(b->dir, sizeof(b->dir), "/tmp/frank-rj-XXXXXX");
	if (!mkdtemp(b->dir))
		return false;
	struct store_options opt = { .dir = b->dir, .pool_size = 4 };
	b->s = store_open(&opt, &err);
	b->r = (struct render_jobs){ .workers = workers, .fn = fn, .prepare = prep,
				     .retry_base_ms = 20 };
	b->j = b->s ? jobs_new(b->s) : NULL;
	return b->j && render_jobs_register(b->j, &b->r) == 0 && jobs_start(b->j, true) == 0;
}

static void bench_stop(struct bench *b)
{
	char cmd[64];
	jobs_stop(b->j);
	store_free(b->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", b->dir);
	if (system(cmd) != 0)
		printf("# %s not removed\n", b->dir);
}

/* what a create commits: the piece's render job, in its own change set */
static void push(struct bench *b, const char *account, const char *kind, const char *id)
{
	struct api_error err;
	struct arena *a = arena_new();
	struct store_scope sc = { .account_id = account, .mode = MODE_TEST, .kind = kind };
	struct store_change ch;
	render_job_change(&ch, &sc, id, clock_now_ms(), a);
	struct store_change_set set = { .changes = &ch, .n = 1 };
	if (store_apply_sync(b->s, &set, &err) != 0)
		printf("# push %s: %s\n", id, err.message);
	arena_free(a);
}

/* pieces of acc_slow hold their worker until released; the order of every render is kept */
static atomic_int released, slow_started, order_len;
static char order[64][40];
static pthread_mutex_t order_lock = PTHREAD_MUTEX_INITIALIZER;

static int render_held(void *ctx, const struct render_item *it, struct api_error *err)
{
	(void)ctx;
	(void)err;
	if (strcmp(it->account_id, "acc_slow") == 0) {
		atomic_fetch_add(&slow_started, 1);
		while (!atomic_load(&released))
			usleep(1000);
	}
	pthread_mutex_lock(&order_lock);
	int n = atomic_load(&order_len);
	if (n < 64) {
		snprintf(order[n], sizeof(order[n]), "%s", it->id);
		atomic_store(&order_len, n + 1);
	}
	pthread_mutex_unlock(&order_lock);
	return 0;
}

static void fair_share(void)
{
	/* three workers, as frankd runs them: the slow account takes two, never the third */
	struct bench b;
	if (!CHECK(bench_start(&b, 3, render_held, NULL), "three render workers start"))
		return;
	char id[40];
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "ltr_slow%d", i);
		push(&b, "acc_slow", "letter", id);
	}
	wait_for(&slow_started, 2, 5000);
	usleep(300000);	/* time for a third worker to take a slow piece, if it would */
	CHECK_INT(atomic_load(&slow_started), 2, "one account holds 2 of 3 workers, not all");
	push(&b, "acc_other", "letter", "ltr_other");
	wait_for(&order_len, 1, 5000);
	CHECK_INT(atomic_load(&order_len), 1, "another account's piece rendered meanwhile");
	CHECK_STR(order[0], "ltr_other", "it was that piece");
	atomic_store(&released, 1);
	wait_for(&order_len, 5, 5000);
	CHECK_INT(atomic_load(&order_len), 5, "then the slow account's four");
	bench_stop(&b);

	/* one worker, held by a first piece while three accounts queue: they are served in turn */
	atomic_store(&released, 0);
	atomic_store(&slow_started, 0);
	atomic_store(&order_len, 0);
	if (!CHECK(bench_start(&b, 1, render_held, NULL), "one render worker starts"))
		return;
	push(&b, "acc_slow", "letter", "ltr_gate");
	wait_for(&slow_started, 1, 5000);
	static const char *const pushes[][2] = {
		{ "acc_a", "a1" }, { "acc_a", "a2" }, { "acc_a", "a3" }, { "acc_b", "b1" },
		{ "acc_b", "b2" }, { "acc_b", "b3" }, { "acc_c", "c1" },
	};
	for (size_t i = 0; i < sizeof(pushes) / sizeof(pushes[0]); i++)
		push(&b, pushes[i][0], "letter", pushes[i][1]);
	atomic_store(&released, 1);
	wait_for(&order_len, 8, 5000);
	char got[128] = "";
	for (int i = 1; i < atomic_load(&order_len); i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof(got) - used, "%s%s", i > 1 ? " " : "", order[i]);
	}
	CHECK_STR(got, "a1 b1 c1 a2 b2 a3 b3", "accounts in turn, each in its order");
	bench_stop(&b);
}

int main(void)
{
	struct bench b;
	char id[40];
	if (CHECK(bench_start(&b, 2, render, NULL), "render workers start")) {
		for (int i = 0; i < 50; i++) {
			snprintf(id, sizeof(id), "ltr_%02d", i);
			push(&b, "acc_1", "letter", id);
		}
		push(&b, "acc_1", "letter", "ltr_flaky");
		wait_for(&done_ok, 51, 10000);
		CHECK_INT(atomic_load(&done_ok), 51, "every piece rendered once");
		CHECK_INT(atomic_load(&flaky_calls), 3,
			  "a transient failure is retried until it works");
		CHECK_INT(atomic_load(&calls), 53, "no piece is rendered twice after success");
		bench_stop(&b);
	}

	atomic_store(&calls, 0);
	atomic_store(&done_ok, 0);
	if (CHECK(bench_start(&b, 1, render_slowly, prepare), "a grouping worker starts")) {
		push(&b, "acc_1", "letter", "pc_gate");
		for (int i = 0; i < 100; i++) {
			snprintf(id, sizeof(id), "pc_%02d", i);
			push(&b, "acc_1", i % 2 ? "letter" : "postcard", id);
		}
		wait_for(&done_ok, 101, 10000);
		CHECK_INT(atomic_load(&done_ok), 101, "grouped: every piece rendered once");
		CHECK_INT(atomic_load(&calls), 101, "grouped: none twice");
		CHECK(atomic_load(&groups) >= 2, "pieces that waited were taken in groups (%d)",
		      atomic_load(&groups));
		CHECK(atomic_load(&largest) <= RENDER_GROUP_MAX && atomic_load(&largest) >= 2,
		      "a group holds 2 to RENDER_GROUP_MAX pieces (largest %d)",
		      atomic_load(&largest));
		CHECK_INT(atomic_load(&mixed), 0, "a group holds one kind and account, fresh pieces only");
		CHECK_INT(atomic_load(&clears), atomic_load(&groups), "each group is followed by n = 0");
		bench_stop(&b);
	}
	fair_share();
	return test_done();
}
