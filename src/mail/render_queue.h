/*
 * The render queue: worker threads that take mail pieces from `processed` to `rendered` or
 * `failed`. The piece row itself is the durable job — its status says whether work is left —
 * so the queue in memory only orders the work: it is refilled from the store at start-up
 * (pieces still `processed` after a crash or restart) and fed after each create commits.
 * A transient failure (store busy, browser restarting) is retried with backoff; a piece the
 * customer sent wrong is marked failed by the render function, not retried.
 * Workers are shared fairly across accounts (render_share.h): each account's pieces wait in
 * their own order, one account holds at most all workers but one, and free workers go
 * round-robin to the accounts with pieces waiting.
 */
#ifndef FRANK_MAIL_RENDER_QUEUE_H
#define FRANK_MAIL_RENDER_QUEUE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "store/store.h"

struct render_item {
	char id[40], account_id[40], kind[24];
	enum store_mode mode;
	unsigned attempts;
};

/* 0: done (rendered or failed), -1: transient, try again later (*err says why, logged) */
typedef int (*render_fn)(void *ctx, const struct render_item *item, struct api_error *err);

/*
 * Called by a worker before it renders a group of fresh pieces of one account and kind it took
 * together (items[0..n), n ≥ 2), and with n = 0 after them: the place to render their HTML in one batch. Each piece
 * still goes through render_fn, which decides its outcome.
 */
typedef void (*render_prepare_fn)(void *ctx, const struct render_item *items, size_t n);

#define RENDER_GROUP_MAX 32	/* pieces one worker takes at once when many wait */

struct render_queue;

/* NULL on failure to start threads; prepare may be NULL (pieces one by one) */
struct render_queue *render_queue_start(unsigned workers, render_fn fn, void *ctx);
struct render_queue *render_queue_start_grouped(unsigned workers, render_fn fn,
						render_prepare_fn prepare, void *ctx);
/* queues a piece (copied); safe from any thread, including the store's writer */
void render_queue_push(struct render_queue *q, const struct store_scope *sc, const char *id);
/* queues every piece of these kinds still `processed` in the store; 0 or -1 */
int render_queue_recover(struct render_queue *q, struct store *s, const char *const *kinds,
			 struct api_error *err);
/* pieces waiting or being rendered */
unsigned render_queue_depth(struct render_queue *q);
/* finishes the pieces being rendered, leaves the rest (they are still `processed`), stops */
void render_queue_stop(struct render_queue *q);
#endif
