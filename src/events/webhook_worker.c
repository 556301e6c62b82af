/* Webhook fan-out (event log → deliveries) and sending (see webhook_worker.h). */
#include "events/webhook_worker.h"
#include "core/arena.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "events/event.h"
#include "net/post.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CURSOR "webhooks:events"
#define BATCH 200
#define IDLE_MS 100
#define BACKOFF_CAP_MS (6LL * 3600 * 1000)

struct webhook_worker {
	struct store *store;
	bool allow_private;
	long long retry_base_ms;
	pthread_t dispatcher, sender;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	unsigned pokes;
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
	long long d = base_ms;
	for (unsigned i = 1; i < failed_attempts && d < BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > BACKOFF_CAP_MS)
		d = BACKOFF_CAP_MS;
	/* ±20%: receivers that fail together do not retry together */
	long long span = d / 5;
	return span ? d - span + (long long)(jitter_seed % (unsigned)(2 * span + 1)) : d;
}

/* waits until poked, stopping, or ms passed; false when stopping */
static bool nap(struct webhook_worker *w, unsigned *seen, long ms)
{
	struct timespec ts;
	pthread_mutex_lock(&w->lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	while (!w->stopping && w->pokes == *seen)
		if (pthread_cond_timedwait(&w->wake, &w->lock, &ts) != 0)
			break;
	*seen = w->pokes;
	bool go = !w->stopping;
	pthread_mutex_unlock(&w->lock);
	return go;
}

void webhook_worker_poke(struct webhook_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->pokes++;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

/* ---- dispatcher: events → deliveries ---- */

struct hook {
	char id[40], account[40];
	enum store_mode mode;
	json_t *obj;
};

struct hooks {
	struct hook *h;
	size_t n, cap;
};

static void collect_hook(void *ctx, const struct store_scope *sc, const char *id, const char *json)
{
	struct hooks *hs = ctx;
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 16;
		struct hook *h = realloc(hs->h, cap * sizeof(*h));
		if (!h)
			return;
		hs->h = h;
		hs->cap = cap;
	}
	struct hook *k = &hs->h[hs->n];
	k->obj = json_loads(json, 0, NULL);
	if (!k->obj || !json_is_true(json_object_get(k->obj, "enabled"))) {
		json_decref(k->obj);
		return;
	}
	snprintf(k->id, sizeof(k->id), "%s", id);
	snprintf(k->account, sizeof(k->account), "%s", sc->account_id);
	k->mode = sc->mode;
	hs->n++;
}

static bool subscribed(const json_t *hook, const char *type)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(hook, "event_types"), i, t)
		if (json_is_string(t) && strcmp(json_string_value(t), type) == 0)
			return true;
	return false;
}

/* one batch of events; the number handled, or -1 */
static int dispatch_batch(struct webhook_worker *w, long long *cursor)
{
	struct arena *a = arena_new();
	struct api_error err;
	struct store_event_row *ev;
	size_t n;
	struct hooks hs = { 0 };
	int rc = -1;
	if (!a || store_events_after(w->store, *cursor, BATCH, a, &ev, &n, &err) < 0)
		goto out;
	if (n == 0) {
		rc = 0;
		goto out;
	}
	if (store_each_of_kind(w->store, "webhook", NULL, -1, 100000, collect_hook, &hs, &err) < 0)
		goto out;
	size_t cap = 1, used = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < hs.n; k++)
			cap += strcmp(hs.h[k].account, ev[i].account_id) == 0 && hs.h[k].mode == ev[i].mode;
	struct store_change *ch = arena_calloc(a, sizeof(*ch) * cap);
	long long now = clock_now_ms();
	char when[25];
	time_format_iso(now, when);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < hs.n; k++) {
			struct hook *h = &hs.h[k];
			if (strcmp(h->account, ev[i].account_id) != 0 || h->mode != ev[i].mode ||
			    !subscribed(h->obj, ev[i].type))
				continue;
			char *id = arena_alloc(a, 40);
			if (ids_new("whd_", id, 40) < 0)
				goto out;
			json_t *d = arena_own_json(a, json_pack(
				"{sssssssssss[]sIssssssss}", "id", id, "webhook_id", h->id, "event_id",
				ev[i].id, "event_type", ev[i].type, "status", "pending", "attempts",
				"next_attempt_ms", (json_int_t)now, "next_attempt", when,
				"date_created", when, "date_modified", when, "object",
				"webhook_delivery"));
			ch[used++] = (struct store_change){
				.op = STORE_INSERT,
				.sc = { .account_id = arena_strdup(a, h->account), .mode = h->mode,
					.kind = "webhook_delivery" },
				.obj = { .id = id, .created_ms = now, .updated_ms = now,
					 .json = arena_dump_json(a, d) },
			};
		}
	}
	/* the cursor moves with the deliveries: each event is fanned out once */
	ch[used++] = (struct store_change){ .op = STORE_SET_COUNTER, .code = CURSOR,
					    .number = ev[n - 1].seq };
	struct store_change_set set = { .changes = ch, .n = used };
	if (store_apply_sync(w->store, &set, &err) < 0)
		goto out;
	*cursor = ev[n - 1].seq;
	rc = (int)n;
out:
	for (size_t k = 0; k < hs.n; k++)
		json_decref(hs.h[k].obj);
	free(hs.h);
	if (rc < 0)
		log_msg(LOG_WARN, "webhooks: fan-out failed: %s", err.message);
	arena_free(a);
	return rc;
}

static void *dispatcher_main(void *arg)
{
	struct webhook_worker *w = arg;
	struct api_error err;
	long long cursor = 0;
	unsigned seen = 0;
	if (store_counter_get(w->store, CURSOR, &cursor, &err) < 0)
		log_msg(LOG_ERROR, "webhooks: cursor unreadable: %s", err.message);
	for (;;) {
		int n = dispatch_batch(w, &cursor);
		if (n > 0) {
			webhook_worker_poke(w);	/* the sender has work */
			if (n == BATCH)
				continue;
		}
		if (!nap(w, &seen, n < 0 ? 1000 : IDLE_MS))
			break;
	}
	return NULL;
}

/* ---- sender ---- */

struct due {
	char id[40], account[40];
	enum store_mode mode;
	json_t *obj;
	long long updated_ms;
};

struct dues {
	struct due d[32];
	size_t n;
};

static void collect_due(void *ctx, const struct store_scope *sc, const char *id, const char *json)
{
	struct dues *ds = ctx;
	if (ds->n == sizeof(ds->d) / sizeof(ds->d[0]))
		return;
	struct due *d = &ds->d[ds->n];
	d->obj = json_loads(json, 0, NULL);
	if (!d->obj)
		return;
	snprintf(d->id, sizeof(d->id), "%s", id);
	snprintf(d->account, sizeof(d->account), "%s", sc->account_id);
	d->mode = sc->mode;
	ds->n++;
}

static const char *replace_with(const char *current, void *ctx, struct store_event *ev,
				const char **metadata_json, struct api_error *err)
{
	(void)current;
	(void)ev;
	(void)metadata_json;
	(void)err;
	return ctx;
}

/* writes obj over the stored object, with an event of type event_type (NULL: none) */
static int save(struct store *s, const char *account, enum store_mode mode, const char *kind,
		const char *id, json_t *obj, long long now, const char *event_type)
{
	struct api_error err;
	char *json = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
	char evt_id[40];
	json_t *e = event_type ? event_new(event_type, mode, obj, id, now, evt_id) : NULL;
	char *ejson = e ? json_dumps(e, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(e);
	struct store_change ch = { .op = STORE_UPDATE,
				   .sc = { .account_id = account, .mode = mode, .kind = kind },
				   .obj = { .id = id, .updated_ms = now },
				   .ev = { .id = ejson ? evt_id : NULL, .type = event_type, .json = ejson },
				   .mutate = replace_with, .ctx = json };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	int rc = json ? store_apply_sync(s, &set, &err) : -1;
	free(json);
	free(ejson);
	return rc;
}

static void send_one(struct webhook_worker *w, struct due *d)
{
	struct arena *a = arena_new();
	struct api_error err;
	char *hook_json = NULL, *event_json = NULL, when[25];
	long long now = clock_now_ms();
	struct store_scope sc = { .account_id = d->account, .mode = d->mode, .kind = "webhook" };
	const char *hook_id = json_string_value(json_object_get(d->obj, "webhook_id"));
	const char *event_id = json_string_value(json_object_get(d->obj, "event_id"));
	json_t *attempt = json_object(), *hook = NULL;
	time_format_iso(now, when);
	json_object_set_new(attempt, "date", json_string(when));
	int hrc = hook_id ? store_object_get(w->store, &sc, hook_id, a, &hook_json, &err) : 1;
	hook = hrc == 0 ? arena_own_json(a, json_loads(hook_json, 0, NULL)) : NULL;
	if (!hook || !json_is_true(json_object_get(hook, "enabled"))) {
		json_object_set_new(attempt, "error", json_string("the webhook was deleted or disabled"));
		json_object_set_new(d->obj, "status", json_string("failed"));
	} else if (store_event_get(w->store, d->account, d->mode, event_id, a, &event_json, &err) != 0) {
		json_object_set_new(attempt, "error", json_string("the event is gone"));
		json_object_set_new(d->obj, "status", json_string("failed"));
	} else {
		char ts[24], sig[WEBHOOK_SIGNATURE_HEX + 1];
		snprintf(ts, sizeof(ts), "%lld", now);
		webhook_signature(json_string_value(json_object_get(hook, "secret")), ts, event_json,
				  strlen(event_json), sig);
		char *h_ts = arena_strfmt(a, "Lob-Signature-Timestamp: %s", ts);
		char *h_sig = arena_strfmt(a, "Lob-Signature: %s", sig);
		const char *headers[] = { "Content-Type: application/json", h_ts, h_sig,
					  "User-Agent: Frank-Webhooks/1", NULL };
		struct net_post_opts o = { .allow_private = w->allow_private };
		struct net_post_result r;
		int ok = net_post(json_string_value(json_object_get(hook, "url")), headers, event_json,
				  strlen(event_json), &o, &r) == 0;
		json_object_set_new(attempt, "status_code", r.status ? json_integer(r.status) : json_null());
		json_object_set_new(attempt, "latency_ms", json_integer(r.latency_ms));
		if (!ok)
			json_object_set_new(attempt, "error", json_string(r.error));
		json_t *tries = json_object_get(d->obj, "attempts");
		json_array_append(tries, attempt);
		long long created = now;
		time_parse_iso(json_string_value(json_object_get(d->obj, "date_created")), &created);
		if (ok) {
			json_object_set_new(d->obj, "status", json_string("succeeded"));
		} else if (now - created >= WEBHOOK_RETRY_WINDOW_MS) {
			/* failing for days: give up, and stop sending to the endpoint */
			json_object_set_new(d->obj, "status", json_string("failed"));
			json_object_set_new(hook, "enabled", json_false());
			json_object_set_new(hook, "disabled_reason",
					    json_string("deliveries failed for 3 days"));
			save(w->store, d->account, d->mode, "webhook", hook_id, hook, now,
			     "webhook.disabled");
			log_msg(LOG_WARN, "webhooks: %s disabled after 3 days of failures", hook_id);
		} else {
			unsigned char rnd[4];
			RAND_bytes(rnd, sizeof(rnd));
			unsigned seed = (unsigned)rnd[0] | (unsigned)rnd[1] << 8 | (unsigned)rnd[2] << 16;
			long long next = now + webhook_backoff_ms(w->retry_base_ms,
								  (unsigned)json_array_size(tries), seed);
			time_format_iso(next, when);
			json_object_set_new(d->obj, "next_attempt_ms", json_integer(next));
			json_object_set_new(d->obj, "next_attempt", json_string(when));
		}
		json_decref(attempt);
		attempt = NULL;
	}
	if (attempt) {
		json_array_append_new(json_object_get(d->obj, "attempts"), attempt);
	}
	time_format_iso(now, when);
	json_object_set_new(d->obj, "date_modified", json_string(when));
	d->updated_ms = now;	/* recorded with the pass's other deliveries */
	arena_free(a);
}

/* one commit for a pass's attempts: the fsync is paid once, not per delivery */
static void save_all(struct webhook_worker *w, struct dues *ds)
{
	struct store_change ch[sizeof(ds->d) / sizeof(ds->d[0])];
	char *json[sizeof(ds->d) / sizeof(ds->d[0])];
	size_t n = 0;
	struct api_error err;
	for (size_t i = 0; i < ds->n; i++) {
		struct due *d = &ds->d[i];
		json[n] = json_dumps(d->obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (!json[n])
			continue;
		ch[n] = (struct store_change){
			.op = STORE_UPDATE,
			.sc = { .account_id = d->account, .mode = d->mode, .kind = "webhook_delivery" },
			.obj = { .id = d->id, .updated_ms = d->updated_ms },
			.mutate = replace_with, .ctx = json[n] };
		n++;
	}
	struct store_change_set set = { .changes = ch, .n = n };
	if (n && store_apply_sync(w->store, &set, &err) < 0)
		log_msg(LOG_WARN, "webhooks: %zu attempts not recorded (%s); they will be sent again",
			n, err.message);
	for (size_t i = 0; i < n; i++)
		free(json[i]);
}

static void *sender_main(void *arg)
{
	struct webhook_worker *w = arg;
	unsigned seen = 0;
	for (;;) {
		struct dues ds = { .n = 0 };
		struct api_error err;
		if (store_each_of_kind(w->store, "webhook_delivery", "pending", clock_now_ms(), 32,
				       collect_due, &ds, &err) < 0)
			log_msg(LOG_WARN, "webhooks: %s", err.message);
		for (size_t i = 0; i < ds.n; i++)
			send_one(w, &ds.d[i]);
		save_all(w, &ds);
		for (size_t i = 0; i < ds.n; i++)
			json_decref(ds.d[i].obj);
		if (ds.n == 32)
			continue;
		if (!nap(w, &seen, IDLE_MS))
			break;
	}
	net_post_thread_release();
	return NULL;
}

struct webhook_worker *webhook_worker_start(struct store *s, bool allow_private,
					    long long retry_base_ms)
{
	struct webhook_worker *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->store = s;
	w->allow_private = allow_private;
	w->retry_base_ms = retry_base_ms > 0 ? retry_base_ms : 60000;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->dispatcher, NULL, dispatcher_main, w) != 0) {
		free(w);
		return NULL;
	}
	if (pthread_create(&w->sender, NULL, sender_main, w) != 0) {
		pthread_mutex_lock(&w->lock);
		w->stopping = true;
		pthread_cond_broadcast(&w->wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->dispatcher, NULL);
		free(w);
		return NULL;
	}
	return w;
}

void webhook_worker_stop(struct webhook_worker *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->dispatcher, NULL);
	pthread_join(w->sender, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
