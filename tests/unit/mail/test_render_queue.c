/*
 * The render queue: every pushed piece is rendered once; a transient failure is retried
 * (later, not in a spin) until it succeeds; stop waits for the piece being rendered. Grouped:
 * a worker takes waiting pieces of one kind together (prepare sees them, at most
 * RENDER_GROUP_MAX, then n = 0), and each still goes through the render function.
 */
#include "mail/render_queue.h"
#include "test.h"
#include <pthread.h>
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
	return test_done();
}
