/*
 * The render queue: every pushed piece is rendered once; a transient failure is retried
 * (later, not in a spin) until it succeeds; stop waits for the piece being rendered.
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
	return test_done();
}
