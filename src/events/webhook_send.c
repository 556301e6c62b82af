// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * webhook.deliver (webhooks.h): one attempt to deliver an event to a webhook, recorded on the
 * delivery in the transaction that settles the job. An attempt made but not recorded (frankd
 * died in between) is made again with the same event id: at least once.
 */
#include "events/webhooks.h"
#include "events/webhooks_internal.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/timeutil.h"
#include "events/event.h"
#include "net/post.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* retries go on for 3 days: the lag buckets reach that far */
static const double lag_buckets[] = { 0.1, 0.5, 1, 5, 15, 60, 300, 1800, 3600, 21600, 86400,
				      259200 };
static const struct metric delivery_lag = {
	"frank_webhook_delivery_lag_seconds",
	"From a delivery's creation (the event's fan-out) to its successful attempt",
	METRIC_HISTOGRAM, { NULL }, lag_buckets, sizeof(lag_buckets) / sizeof(lag_buckets[0])
};
static const struct metric delivery_attempts = {
	"frank_webhook_attempts_total",
	"Webhook delivery attempts, by result: succeeded, failed (retried later), dead (the last "
	"attempt failed), dropped (webhook disabled or deleted, event gone)",
	METRIC_COUNTER, { "result" }, NULL, 0
};

void webhook_signature(const char *secret, const char *timestamp, const char *body, size_t len,
		       char out[WEBHOOK_SIGNATURE_HEX + 1])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	size_t tl = strlen(timestamp);
	unsigned char *msg = malloc(tl + 1 + len + 1);
	if (!msg) {
		out[0] = '\0';
		return;
	}
	memcpy(msg, timestamp, tl);
	msg[tl] = '.';
	memcpy(msg + tl + 1, body, len);
	HMAC(EVP_sha256(), secret, (int)strlen(secret), msg, tl + 1 + len, mac, &maclen);
	free(msg);
	for (unsigned i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
	out[WEBHOOK_SIGNATURE_HEX] = '\0';
}

long long webhook_backoff_ms(long long base_ms, unsigned failed_attempts, unsigned jitter_seed)
{
	return jobs_backoff_ms(base_ms, WEBHOOK_BACKOFF_CAP_MS, failed_attempts, jitter_seed);
}

/* ---- recording, on the store's writer thread ---- */

struct attempt_record {
	struct arena *a;	/* the sender's: it waits for the commit */
	const char *attempt;	/* {date, status_code, latency_ms, error?} */
	const char *status;	/* the delivery's from now on */
	long long next_ms;	/* pending: the next attempt */
	long long now_ms;
};

static const char *record_attempt(const char *current, void *ctx, struct store_event *ev,
				  const char **metadata_json, struct api_error *err)
{
	struct attempt_record *r = ctx;
	char when[25];
	(void)ev;
	(void)metadata_json;
	json_t *d = arena_own_json(r->a, json_loads(current, 0, NULL));
	json_t *attempt = json_loads(r->attempt, 0, NULL);
	if (!d || !attempt) {
		json_decref(attempt);
		api_fail(err, ERR_INTERNAL, "the delivery does not parse");
		return NULL;
	}
	if (!json_is_array(json_object_get(d, "attempts")))
		json_object_set_new(d, "attempts", json_array());
	json_array_append_new(json_object_get(d, "attempts"), attempt);
	json_object_set_new(d, "status", json_string(r->status));
	if (strcmp(r->status, "pending") == 0) {
		time_format_iso(r->next_ms, when);
		json_object_set_new(d, "next_attempt_ms", json_integer(r->next_ms));
		json_object_set_new(d, "next_attempt", json_string(when));
	}
	time_format_iso(r->now_ms, when);
	json_object_set_new(d, "date_modified", json_string(when));
	return arena_dump_json(r->a, d);
}

struct disable {
	struct arena *a;
	const char *id;
	enum store_mode mode;
	long long now_ms;
};

/* the webhook disabled, with its webhook.disabled event (the secret masked in the event) */
static const char *disable_hook(const char *current, void *ctx, struct store_event *ev,
				const char **metadata_json, struct api_error *err)
{
	struct disable *d = ctx;
	char when[25], *evt_id = arena_alloc(d->a, 40);
	(void)metadata_json;
	json_t *h = arena_own_json(d->a, json_loads(current, 0, NULL));
	if (!h || !evt_id) {
		api_fail(err, ERR_INTERNAL, "the webhook does not parse");
		return NULL;
	}
	time_format_iso(d->now_ms, when);
	json_object_set_new(h, "enabled", json_false());
	json_object_set_new(h, "disabled_reason", json_string("deliveries failed for 3 days"));
	json_object_set_new(h, "date_modified", json_string(when));
	json_t *body = arena_own_json(d->a, json_deep_copy(h));
	webhook_mask_secret(body);
	json_t *e = arena_own_json(d->a, event_new("webhook.disabled", d->mode, body, d->id,
						    d->now_ms, evt_id));
	if (e)
		*ev = (struct store_event){ .id = evt_id, .type = "webhook.disabled",
					    .json = arena_dump_json(d->a, e) };
	return arena_dump_json(d->a, h);
}

/* ---- one attempt ---- */

/* POSTs the event to the hook; the attempt's record; *ok when it was accepted (2xx), NULL
 * when the runtime stopped it */
static json_t *post_event(struct webhooks *w, const struct job_run *run, struct arena *a,
			  const json_t *hook, const char *event_json, long long now, bool *ok)
{
	char ts[24], sig[WEBHOOK_SIGNATURE_HEX + 1], when[25];
	snprintf(ts, sizeof(ts), "%lld", now);
	webhook_signature(json_string_value(json_object_get(hook, "secret")), ts, event_json,
			  strlen(event_json), sig);
	const char *headers[] = { "Content-Type: application/json",
				  arena_strfmt(a, "Lob-Signature-Timestamp: %s", ts),
				  arena_strfmt(a, "Lob-Signature: %s", sig),
				  "User-Agent: Frank-Webhooks/1", NULL };
	struct net_post_opts o = { .allow_private = w->opt.allow_private,
				   .cancel = run->stopping };
	struct net_post_result r;
	*ok = net_post(json_string_value(json_object_get(hook, "url")), headers, event_json,
		       strlen(event_json), &o, &r) == 0;
	if (r.canceled)
		return NULL;
	time_format_iso(now, when);
	json_t *attempt = arena_own_json(a, json_pack("{ss}", "date", when));
	json_object_set_new(attempt, "status_code", r.status ? json_integer(r.status) : json_null());
	json_object_set_new(attempt, "latency_ms", json_integer(r.latency_ms));
	if (!*ok)
		json_object_set_new(attempt, "error", json_string(r.error));
	return attempt;
}

/* one batch: jobs of one webhook (their lane), sent in turn on its kept-alive connection
 * and recorded in one commit */
struct batch {
	struct webhooks *w;
	struct arena *a;
	struct store_change *ch;
	size_t n, cap;
	const char *hook_id;	/* the webhook read for the batch */
	json_t *hook;		/* NULL: deleted */
	bool disabled;		/* disabled by this batch */
};

static struct store_change *add(struct batch *b)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct store_change *ch = arena_calloc(b->a, cap * sizeof(*ch));
		if (b->n)
			memcpy(ch, b->ch, b->n * sizeof(*ch));
		b->ch = ch;
		b->cap = cap;
	}
	return &b->ch[b->n++];
}

/* the delivery's webhook, read once per batch */
static json_t *hook_of(struct batch *b, const struct store_job *j, const char *hook_id)
{
	char *json;
	struct api_error err;
	if (b->hook_id && strcmp(b->hook_id, hook_id) == 0)
		return b->disabled ? NULL : b->hook;
	struct store_scope sc = { .account_id = j->account_id, .mode = j->mode, .kind = "webhook" };
	b->hook_id = arena_strdup(b->a, hook_id);
	b->disabled = false;
	b->hook = store_object_get(b->w->store, &sc, hook_id, b->a, &json, &err) == 0
			  ? arena_own_json(b->a, json_loads(json, 0, NULL))
			  : NULL;
	return b->hook;
}

/* one attempt and the changes recording it; false when the job is not to be recorded now
 * (its outcome says what happens to it) */
static bool deliver_one(struct batch *b, struct job_run *run)
{
	const struct store_job *j = run->job;
	struct arena *a = b->a;
	struct api_error err;
	char *json = NULL, *event_json = NULL, when[25];
	long long now = clock_now_ms();
	struct store_scope dsc = { .account_id = j->account_id, .mode = j->mode,
				   .kind = "webhook_delivery" };
	int rc = store_object_get(b->w->store, &dsc, j->ref, a, &json, &err);
	if (rc != 0) {	/* gone (deleted, purged): nothing to send */
		run->outcome = rc > 0 ? JOB_OK : JOB_FAILED;
		snprintf(run->error, sizeof(run->error), "%s", err.message);
		return false;
	}
	json_t *d = arena_own_json(a, json_loads(json, 0, NULL));
	const char *hook_id = json_string_value(json_object_get(d, "webhook_id"));
	const char *event_id = json_string_value(json_object_get(d, "event_id"));
	json_t *hook = hook_id ? hook_of(b, j, hook_id) : NULL;
	struct attempt_record *rec = arena_calloc(a, sizeof(*rec));
	*rec = (struct attempt_record){ .a = a, .status = "failed", .now_ms = now };
	struct store_change settle;
	bool ok = false, retry = false;
	time_format_iso(now, when);
	json_t *attempt;
	if (!hook || !json_is_true(json_object_get(hook, "enabled"))) {
		attempt = arena_own_json(a, json_pack("{ssss}", "date", when, "error",
						      "the webhook was deleted or disabled"));
		job_settle_done(run, &settle);
	} else if (!event_id || store_event_get(b->w->store, j->account_id, j->mode, event_id, a,
						&event_json, &err) != 0) {
		attempt = arena_own_json(a, json_pack("{ssss}", "date", when, "error",
						      "the event is gone"));
		job_settle_done(run, &settle);
	} else {
		attempt = post_event(b->w, run, a, hook, event_json, now, &ok);
		if (!attempt) {	/* frankd stops: sent again at the next start, same event id */
			run->outcome = JOB_RELEASED;
			return false;
		}
		const char *why = json_string_value(json_object_get(attempt, "error"));
		if (ok)
			job_settle_done(run, &settle);
		else
			retry = job_settle_failed(run, why, now, &settle, &rec->next_ms);
		rec->status = ok ? "succeeded" : retry ? "pending" : "failed";
	}
	metric_inc(&delivery_attempts, ok ? "succeeded" : retry ? "failed"
					: !hook || !event_json ? "dropped" : "dead");
	if (ok)
		metric_observe(&delivery_lag, (double)(now - j->created_ms) / 1000.0, NULL);
	rec->attempt = arena_dump_json(a, attempt);
	*add(b) = (struct store_change){ .op = STORE_UPDATE, .sc = dsc,
					 .obj = { .id = arena_strdup(a, j->ref), .updated_ms = now },
					 .mutate = record_attempt, .ctx = rec };
	if (hook && !ok && !retry && settle.settle.state == JOB_DEAD) {
		/* failing for days: give up, and stop sending to the endpoint */
		struct disable *dis = arena_calloc(a, sizeof(*dis));
		*dis = (struct disable){ .a = a, .id = b->hook_id, .mode = j->mode, .now_ms = now };
		dsc.kind = "webhook";
		*add(b) = (struct store_change){ .op = STORE_UPDATE, .sc = dsc,
						 .obj = { .id = b->hook_id, .updated_ms = now },
						 .mutate = disable_hook, .ctx = dis };
		b->disabled = true;
		log_msg(LOG_WARN, "webhooks: %s disabled after 3 days of failures", b->hook_id);
	}
	*add(b) = settle;
	run->outcome = JOB_SETTLED;
	return true;
}

void webhook_deliver_run(void *ctx, struct job_run *runs, size_t n)
{
	struct batch b = { .w = ctx, .a = arena_new() };
	struct api_error err;
	size_t recorded = 0;
	for (size_t i = 0; i < n; i++) {
		if (atomic_load(runs[i].stopping)) {
			runs[i].outcome = JOB_RELEASED;	/* not tried: as it was */
			continue;
		}
		recorded += deliver_one(&b, &runs[i]);
	}
	struct store_change_set set = { .changes = b.ch, .n = b.n };
	int rc = recorded ? store_apply_sync(b.w->store, &set, &err) : 0;
	if (rc != 0) {
		/* not recorded: the runtime retries these jobs (the attempts are made again) */
		log_msg(LOG_WARN, "webhooks: %zu attempts not recorded: %s", recorded,
			rc > 0 ? "a delivery is gone" : err.message);
		for (size_t i = 0; i < n; i++)
			if (runs[i].outcome == JOB_SETTLED) {
				runs[i].outcome = JOB_FAILED;
				snprintf(runs[i].error, sizeof(runs[i].error), "attempt not recorded");
			}
	}
	arena_free(b.a);
}
