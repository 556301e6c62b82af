/*
 * The render queue: every pushed piece is rendered once; a transient failure is retried
 * (later, not in a spin) until it succeeds; stop waits for the piece being rendered. Grouped:
 * a worker takes waiting pieces of one kind together (prepare sees them, at most
 * RENDER_GROUP_MAX, then n = 0), and each still goes through the render function.
 * Fair share: one account's slow pieces never hold every worker (another account's piece
 * renders meanwhile), and a free worker serves the waiting accounts in turn.
 */
#include "mail/render_queue.h"
#include "test.h"
#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <time.h>
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
		if (strcmp(items[i].kind, items[0].kind) != 0 || items[i].attempts != 0)
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

static void push_as(struct render_queue *q, const char *account, const char *id)
{
	struct store_scope sc = { .account_id = account, .mode = MODE_TEST, .kind = "letter" };
	render_queue_push(q, &sc, id);
}

static void fair_share(void)
{
	/* three workers, as frankd runs them: the slow account takes two, never the third */
	struct render_queue *q = render_queue_start(3, render_held, NULL);
	char id[40];
	for (int i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "ltr_slow%d", i);
		push_as(q, "acc_slow", id);
	}
	wait_for(&slow_started, 2, 5000);
	usleep(100000);	/* time for a third worker to take a slow piece, if it would */
	CHECK_INT(atomic_load(&slow_started), 2, "one account holds 2 of 3 workers, not all");
	push_as(q, "acc_other", "ltr_other");
	wait_for(&order_len, 1, 5000);
	CHECK_INT(atomic_load(&order_len), 1, "another account's piece rendered meanwhile");
	CHECK_STR(order[0], "ltr_other", "it was that piece");
	atomic_store(&released, 1);
	wait_for(&order_len, 5, 5000);
	CHECK_INT(atomic_load(&order_len), 5, "then the slow account's four");
	render_queue_stop(q);

	/* one worker, held by a first piece while three accounts queue: they are served in turn */
	atomic_store(&released, 0);
	atomic_store(&slow_started, 0);
	atomic_store(&order_len, 0);
	q = render_queue_start(1, render_held, NULL);
	push_as(q, "acc_slow", "ltr_gate");
	wait_for(&slow_started, 1, 5000);
	static const char *const pushes[][2] = {
		{ "acc_a", "a1" }, { "acc_a", "a2" }, { "acc_a", "a3" }, { "acc_b", "b1" },
		{ "acc_b", "b2" }, { "acc_b", "b3" }, { "acc_c", "c1" },
	};
	for (size_t i = 0; i < sizeof(pushes) / sizeof(pushes[0]); i++)
		push_as(q, pushes[i][0], pushes[i][1]);
	atomic_store(&released, 1);
	wait_for(&order_len, 8, 5000);
	char got[128] = "";
	for (int i = 1; i < atomic_load(&order_len); i++) {
		size_t used = strlen(got);
		snprintf(got + used, sizeof(got) - used, "%s%s", i > 1 ? " " : "", order[i]);
	}
	CHECK_STR(got, "a1 b1 c1 a2 b2 a3 b3", "round-robin across accounts, each in its order");
	render_queue_stop(q);
}

int main(void)
{
	struct render_queue *q = render_queue_start(2, render, NULL);
	struct store_scope sc = { .account_id = "acc_1", .mode = MODE_TEST, .kind = "letter" };
	CHECK(q != NULL, "queue starts");
	char id[40];
	for (int i = 0; i < 50; i++) {
		snprintf(id, sizeof(id), "ltr_%02d", i);
		render_queue_push(q, &sc, id);
	}
	render_queue_push(q, &sc, "ltr_flaky");
	wait_for(&done_ok, 51, 10000);
	CHECK_INT(atomic_load(&done_ok), 51, "every piece rendered once");
	CHECK_INT(atomic_load(&flaky_calls), 3, "a transient failure is retried until it works");
	CHECK_INT(atomic_load(&calls), 53, "no piece is rendered twice after success");
	CHECK_INT(render_queue_depth(q), 0, "the queue is empty afterwards");
	render_queue_stop(q);

	atomic_store(&calls, 0);
	atomic_store(&done_ok, 0);
	q = render_queue_start_grouped(1, render_slowly, prepare, NULL);
	CHECK(q != NULL, "a grouped queue starts");
	struct store_scope pc = sc;
	pc.kind = "postcard";
	for (int i = 0; i < 100; i++) {
		snprintf(id, sizeof(id), "pc_%02d", i);
		render_queue_push(q, i % 2 ? &sc : &pc, id);
	}
	wait_for(&done_ok, 100, 10000);
	CHECK_INT(atomic_load(&done_ok), 100, "grouped: every piece rendered once");
	CHECK_INT(atomic_load(&calls), 100, "grouped: none twice");
	CHECK(atomic_load(&groups) >= 2, "pieces that waited were taken in groups (%d)",
	      atomic_load(&groups));
	CHECK(atomic_load(&largest) <= RENDER_GROUP_MAX && atomic_load(&largest) >= 2,
	      "a group holds 2 to RENDER_GROUP_MAX pieces (largest %d)", atomic_load(&largest));
	CHECK_INT(atomic_load(&mixed), 0, "a group holds one kind, fresh pieces only");
	CHECK_INT(atomic_load(&clears), atomic_load(&groups), "each group is followed by n = 0");
	render_queue_stop(q);
	fair_share();
	return test_done();
}
