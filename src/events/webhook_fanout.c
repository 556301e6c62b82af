// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * webhook.fanout (webhooks.h): events → pending deliveries and their delivery jobs. A batch
 * of fan-out jobs is settled in the one transaction that stores its deliveries: each event
 * is fanned out once, even if frankd dies in between.
 */
#include "events/webhooks.h"
#include "events/webhooks_internal.h"
#include "core/arena.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include <stdio.h>
#include <string.h>

#define HOOKS_MAX 1000	/* webhooks of one account and mode read for a fan-out */

struct hook {
	const char *id;
	const json_t *types;
};

/* the enabled webhooks of one account and mode */
struct hooks {
	const char *account;
	enum store_mode mode;
	struct arena *a;
	struct hook *h;
	size_t n, cap;
	struct hooks *next;
};

static void collect_hook(void *ctx, const char *id, const char *json)
{
	struct hooks *hs = ctx;
	json_t *o = arena_own_json(hs->a, json_loads(json, 0, NULL));
	if (!o || !json_is_true(json_object_get(o, "enabled")))
		return;
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 8;
		struct hook *h = arena_alloc(hs->a, cap * sizeof(*h));
		if (!h)
			return;
		if (hs->n)
			memcpy(h, hs->h, hs->n * sizeof(*h));
		hs->h = h;
		hs->cap = cap;
	}
	hs->h[hs->n++] = (struct hook){ .id = arena_strdup(hs->a, id),
					.types = json_object_get(o, "event_types") };
}

/* the webhooks of the job's account and mode, read once per batch; NULL on a store error */
static struct hooks *hooks_of(struct store *s, struct hooks **cache, const struct store_job *j,
			      struct arena *a, struct api_error *err)
{
	for (struct hooks *h = *cache; h; h = h->next)
		if (h->mode == j->mode && strcmp(h->account, j->account_id) == 0)
			return h;
	struct hooks *h = arena_calloc(a, sizeof(*h));
	h->account = arena_strdup(a, j->account_id);
	h->mode = j->mode;
	h->a = a;
	struct store_scope sc = { .account_id = h->account, .mode = j->mode, .kind = "webhook" };
	if (store_each_in_scope(s, &sc, HOOKS_MAX, collect_hook, h, err) < 0)
		return NULL;
	h->next = *cache;
	*cache = h;
	return h;
}

static bool subscribed(const json_t *types, const char *type)
{
	size_t i;
	json_t *t;
	json_array_foreach(types, i, t)
		if (json_is_string(t) && strcmp(json_string_value(t), type) == 0)
			return true;
	return false;
}

struct changes {
	struct store_change *ch;
	size_t n, cap;
};

static struct store_change *change_add(struct changes *c, struct arena *a)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct store_change *ch = arena_calloc(a, cap * sizeof(*ch));
		if (!ch)
			return NULL;
		if (c->n)
			memcpy(ch, c->ch, c->n * sizeof(*ch));
		c->ch = ch;
		c->cap = cap;
	}
	return &c->ch[c->n++];
}

/* a pending delivery of event_id to hook, and its job; false when out of memory */
static bool add_delivery(struct changes *c, struct arena *a, const struct store_job *j,
			 const char *hook_id, const char *event_id, const char *type,
			 long long now)
{
	char *id = arena_alloc(a, 40), when[25];
	if (!id || ids_new("whd_", id, 40) < 0)
		return false;
	time_format_iso(now, when);
	json_t *d = arena_own_json(a, json_pack(
		"{sssssssssss[]sIssssssss}", "id", id, "webhook_id", hook_id, "event_id", event_id,
		"event_type", type, "status", "pending", "attempts", "next_attempt_ms",
		(json_int_t)now, "next_attempt", when, "date_created", when, "date_modified", when,
		"object", "webhook_delivery"));
	const char *json = arena_dump_json(a, d);
	/* two places first: a second change_add may move the array */
	if (!json || !change_add(c, a) || !change_add(c, a))
		return false;
	struct store_change *ins = &c->ch[c->n - 2], *job = &c->ch[c->n - 1];
	struct store_scope sc = { .account_id = arena_strdup(a, j->account_id), .mode = j->mode,
				  .kind = "webhook_delivery" };
	*ins = (struct store_change){ .op = STORE_INSERT, .sc = sc,
				      .obj = { .id = id, .created_ms = now, .updated_ms = now,
					       .json = json } };
	*job = (struct store_change){ .op = STORE_JOB, .sc = sc };
	webhook_delivery_job(id, arena_strdup(a, hook_id), now, &job->job);
	return true;
}

/* the deliveries of one event (the job's ref); 0, 1 (the event is gone), -1 */
static int fan_out(struct webhooks *w, struct hooks **cache, struct changes *c, struct arena *a,
		   const struct store_job *j, long long now, struct api_error *err)
{
	char *json;
	int rc = store_event_get(w->store, j->account_id, j->mode, j->ref, a, &json, err);
	if (rc != 0)
		return rc;
	json_t *ev = arena_own_json(a, json_loads(json, 0, NULL));
	const char *type = json_string_value(
		json_object_get(json_object_get(ev, "event_type"), "id"));
	struct hooks *hs = hooks_of(w->store, cache, j, a, err);
	if (!hs)
		return -1;
	for (size_t k = 0; type && k < hs->n; k++)
		if (subscribed(hs->h[k].types, type) &&
		    !add_delivery(c, a, j, hs->h[k].id, j->ref, type, now))
			return api_fail(err, ERR_INTERNAL, "out of memory");
	return 0;
}

void webhook_fanout_run(void *ctx, struct job_run *runs, size_t n)
{
	struct webhooks *w = ctx;
	struct arena *a = arena_new();
	struct hooks *cache = NULL;
	struct changes c = { 0 };
	struct api_error err = { 0 };
	long long now = clock_now_ms();
	size_t settled = 0;
	for (size_t i = 0; a && i < n; i++) {
		size_t before = c.n;
		int rc = fan_out(w, &cache, &c, a, runs[i].job, now, &err);
		struct store_change *done = rc >= 0 ? change_add(&c, a) : NULL;
		if (!done) {
			c.n = before;	/* this one is retried on its own */
			runs[i].outcome = JOB_FAILED;
			snprintf(runs[i].error, sizeof(runs[i].error), "%s", err.message);
			continue;
		}
		job_settle_done(&runs[i], done);
		runs[i].outcome = JOB_SETTLED;
		settled++;
	}
	struct store_change_set set = { .changes = c.ch, .n = c.n };
	if (settled && store_apply_sync(w->store, &set, &err) != 0) {
		log_msg(LOG_WARN, "webhooks: fan-out of %zu events not recorded: %s", settled,
			err.message);
		for (size_t i = 0; i < n; i++)
			if (runs[i].outcome == JOB_SETTLED) {
				runs[i].outcome = JOB_FAILED;
				snprintf(runs[i].error, sizeof(runs[i].error), "%s", err.message);
			}
	}
	if (!a)
		for (size_t i = 0; i < n; i++) {
			runs[i].outcome = JOB_FAILED;
			snprintf(runs[i].error, sizeof(runs[i].error), "out of memory");
		}
	arena_free(a);
}
