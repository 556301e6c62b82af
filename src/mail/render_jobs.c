// SPDX-License-Identifier: AGPL-3.0-or-later
/* The `piece.render` job kind: a claimed batch (one account's) becomes render_fn calls. */
#include "mail/render_jobs.h"
#include "core/log.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define RETRY_BASE_MS 250
#define RETRY_MAX_MS 60000
#define RENDER_LEASE_MS (30 * 60 * 1000)	/* above a group's render budgets */

void render_job_change(struct store_change *ch, const struct store_scope *sc, const char *id,
		       long long now_ms, struct arena *a)
{
	*ch = (struct store_change){
		.op = STORE_JOB, .sc = *sc,
		.job = { .kind = JOB_PIECE_RENDER, .ref = id, .lane = sc->account_id,
			 .payload = arena_strfmt(a, "{\"kind\":\"%s\"}", sc->kind),
			 .due_ms = now_ms } };
}

/* the piece the job names, or false (a payload Frank did not write: the job is dropped) */
static bool item_of(const struct store_job *job, struct render_item *it)
{
	json_t *p = job->payload ? json_loads(job->payload, 0, NULL) : NULL;
	const char *kind = json_string_value(json_object_get(p, "kind"));
	bool ok = kind && strlen(kind) < sizeof(it->kind);
	if (ok) {
		*it = (struct render_item){ .mode = job->mode,
					    .attempts = job->attempts ? job->attempts - 1 : 0 };
		snprintf(it->kind, sizeof(it->kind), "%s", kind);
		snprintf(it->id, sizeof(it->id), "%.39s", job->ref);
		snprintf(it->account_id, sizeof(it->account_id), "%s", job->account_id);
	}
	json_decref(p);
	return ok;
}

/* the batch's order for rendering: by kind (stable), so pieces of one kind form one group */
static void order_by_kind(const struct render_item *items, size_t n, size_t *idx)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = i;
		for (; k > 0 && strcmp(items[idx[k - 1]].kind, items[i].kind) > 0; k--)
			idx[k] = idx[k - 1];
		idx[k] = i;
	}
}

/* the end of the group starting at idx[from]: fresh pieces of its kind; prepare sees a
 * group of two or more */
static size_t group_end(const struct render_item *items, const bool *ok, const size_t *idx,
			size_t from, size_t n)
{
	const struct render_item *first = &items[idx[from]];
	size_t to = from + 1;
	if (!ok[idx[from]] || first->attempts != 0)
		return to;
	while (to < n && ok[idx[to]] && items[idx[to]].attempts == 0 &&
	       strcmp(items[idx[to]].kind, first->kind) == 0)
		to++;
	return to;
}

static void render_one(const struct render_jobs *r, struct job_run *run,
		       const struct render_item *it)
{
	if (atomic_load(run->stopping)) {
		run->outcome = JOB_RELEASED;	/* the next start renders it */
		return;
	}
	struct api_error err = { 0 };
	if (r->fn(r->ctx, it, &err) == 0)
		return;
	run->outcome = JOB_FAILED;
	snprintf(run->error, sizeof(run->error), "%s", err.message);
	log_msg(LOG_WARN, "render %s: %s (attempt %u)", it->id, err.message, it->attempts + 1);
}

static void render_run(void *ctx, struct job_run *runs, size_t n)
{
	const struct render_jobs *r = ctx;
	struct render_item items[RENDER_GROUP_MAX], group[RENDER_GROUP_MAX];
	bool ok[RENDER_GROUP_MAX];
	size_t idx[RENDER_GROUP_MAX], all = n;
	if (n > RENDER_GROUP_MAX)
		n = RENDER_GROUP_MAX;	/* cannot happen (policy.batch); the rest are released */
	for (size_t i = 0; i < n; i++) {
		ok[i] = item_of(runs[i].job, &items[i]);
		if (!ok[i])	/* JOB_OK: settled, nothing to do */
			log_msg(LOG_WARN, "render job %s: no piece kind in its payload; dropped",
				runs[i].job->ref);
	}
	order_by_kind(items, n, idx);
	for (size_t from = 0, to; from < n; from = to) {
		to = group_end(items, ok, idx, from, n);
		bool grouped = r->prepare && to - from > 1;
		for (size_t i = from; grouped && i < to; i++)
			group[i - from] = items[idx[i]];
		if (grouped)
			r->prepare(r->ctx, group, to - from);
		for (size_t i = from; i < to; i++)
			if (ok[idx[i]])
				render_one(r, &runs[idx[i]], &items[idx[i]]);
		if (grouped)
			r->prepare(r->ctx, NULL, 0);
	}
	for (size_t i = n; i < all; i++)
		runs[i].outcome = JOB_RELEASED;
}

/* the most workers one account may hold: all but one (1 when there is only one) */
static unsigned share_cap(unsigned workers)
{
	return workers > 1 ? workers - 1 : 1;
}

int render_jobs_register(struct jobs *j, struct render_jobs *r)
{
	if (!r->workers)
		r->workers = 1;
	int pool = jobs_add_pool(j, "render", r->workers);
	if (pool < 0)
		return -1;
	struct job_kind k = {
		.name = JOB_PIECE_RENDER, .pool = (unsigned)pool, .run = render_run, .ctx = r,
		/* the render function fails a piece for good after its own limit of attempts */
		.policy = { .backoff_base_ms = r->retry_base_ms ? r->retry_base_ms : RETRY_BASE_MS,
			    .backoff_cap_ms = RETRY_MAX_MS, .lease_ms = RENDER_LEASE_MS,
			    .batch = r->prepare ? RENDER_GROUP_MAX : 1,
			    .lane_limit = share_cap(r->workers) } };
	return jobs_add_kind(j, &k);
}
