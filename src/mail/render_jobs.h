// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Rendering as a job kind of the jobs runtime (jobs/jobs.h): each mail piece's create commits,
 * in its own transaction, a `piece.render` job (lane: its account). Render workers are a pool
 * of the runtime; a job takes a piece from `processed` to `rendered` or `failed`. A transient
 * failure (store busy, browser restarting) is retried with the runtime's backoff; a piece the
 * customer sent wrong is marked failed by the render function, not retried.
 * Workers are shared fairly across accounts through the runtime's lanes: one account holds at
 * most all workers but one, so another account's piece always finds a
 * worker even while the first one's hostile files use up their budgets, and free workers go to
 * the account served longest ago, so a campaign of thousands waits its turn behind nobody and
 * nobody waits behind it.
 */
#ifndef FRANK_MAIL_RENDER_JOBS_H
#define FRANK_MAIL_RENDER_JOBS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"
#include "jobs/jobs.h"
#include "store/store.h"

#define JOB_PIECE_RENDER "piece.render"
#define RENDER_GROUP_MAX 16	/* fresh pieces of one account a worker takes at once */

struct render_item {
	char id[40], account_id[40], kind[24];
	enum store_mode mode;
	unsigned attempts;	/* failures before this attempt */
};

/* 0: done (rendered or failed), -1: transient, try again later (*err says why, logged) */
typedef int (*render_fn)(void *ctx, const struct render_item *item, struct api_error *err);

/*
 * Called by a worker before it renders a group of fresh pieces of one account and kind it took
 * together (items[0..n), n ≥ 2), and with n = 0 after them: the place to render their HTML in
 * one batch. Each piece still goes through render_fn, which decides its outcome.
 */
typedef void (*render_prepare_fn)(void *ctx, const struct render_item *items, size_t n);

struct render_jobs {
	unsigned workers;		/* threads of the render pool */
	render_fn fn;
	render_prepare_fn prepare;	/* NULL: pieces one by one */
	void *ctx;
	long long retry_base_ms;	/* 0: 250 ms, doubling up to a minute */
};

/* registers the kind and its pool on j (before jobs_start); r must outlive j. 0 or -1 */
int render_jobs_register(struct jobs *j, struct render_jobs *r);

/* the change (in the piece's own change set) that queues its render now; strings in a */
void render_job_change(struct store_change *ch, const struct store_scope *sc, const char *id,
		       long long now_ms, struct arena *a);
#endif
