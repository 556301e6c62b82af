// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook fan-out as jobs: events written in bursts (many per fan-out batch) become exactly
 * one pending delivery per enabled webhook of their account and mode subscribed to their type,
 * each with its delivery job; disabled webhooks, other types and the other mode get none.
 * (The deliveries' POSTs go nowhere: private addresses are refused without a connection.)
 */
#include "events/event.h"
#include "events/webhooks.h"
#include "core/timeutil.h"
#include "test.h"
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

static void put(struct store *s, enum store_mode mode, const char *kind, const char *id,
		const char *json, bool with_event)
{
	struct api_error err;
	char evt_id[40];
	json_t *body = json_loads(json, 0, NULL);
	json_t *ev = with_event ? event_new("address.created", mode, body, id, clock_now_ms(), evt_id)
				: NULL;
	char *ev_json = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	struct store_change ch = { .op = STORE_INSERT,
				   .sc = { .account_id = "acc_1", .mode = mode, .kind = kind },
				   .obj = { .id = id, .created_ms = clock_now_ms(),
					    .updated_ms = clock_now_ms(), .json = json },
				   .ev = { .id = ev ? evt_id : NULL, .type = "address.created",
					   .json = ev_json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	if (store_apply_sync(s, &set, &err) != 0)
		printf("# insert %s: %s\n", id, err.message);
	free(ev_json);
	json_decref(ev);
	json_decref(body);
}

struct count {
	const char *hook;
	unsigned n;
	json_t *events;	/* event ids seen */
	bool twice;
};

static void count_delivery(void *ctx, const char *id, const char *json)
{
	struct count *c = ctx;
	(void)id;
	json_t *d = json_loads(json, 0, NULL);
	const char *hook = json_string_value(json_object_get(d, "webhook_id"));
	const char *ev = json_string_value(json_object_get(d, "event_id"));
	if (hook && ev && strcmp(hook, c->hook) == 0) {
		c->n++;
		c->twice |= json_object_get(c->events, ev) != NULL;
		json_object_set_new(c->events, ev, json_true());
	}
	json_decref(d);
}

/* the deliveries to hook; *once: no event twice and each event's fan-out ran once */
static unsigned deliveries(struct store *s, enum store_mode mode, const char *hook, bool *once)
{
	struct api_error err;
	struct count c = { .hook = hook, .events = json_object() };
	struct store_scope sc = { .account_id = "acc_1", .mode = mode, .kind = "webhook_delivery" };
	store_each_in_scope(s, &sc, 100000, count_delivery, &c, &err);
	if (once) {
		struct arena *a = arena_new();
		const char *ev;
		json_t *v;
		*once = !c.twice;
		json_object_foreach(c.events, ev, v) {
			struct store_job j;
			enum store_job_state st;
			char *why;
			*once &= store_job_find(s, JOB_WEBHOOK_FANOUT, ev, a, &j, &st, &why, &err) == 0 &&
				 st == JOB_DONE && j.attempts == 1;
		}
		arena_free(a);
	}
	json_decref(c.events);
	return c.n;
}

int main(void)
{
	char dir[] = "/tmp/frank-fanout-XXXXXX";
	struct api_error err;
	if (!CHECK(mkdtemp(dir) != NULL, "temp dir"))
		return test_done();
	struct store_options opt = { .dir = dir, .pool_size = 4, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	const char *hook = "{\"url\":\"http://127.0.0.1:9/h\",\"enabled\":true,"
			   "\"event_types\":[\"address.created\"],\"secret\":\"whsec_x\"}";
	put(s, MODE_TEST, "webhook", "whk_on", hook, false);
	put(s, MODE_TEST, "webhook", "whk_off",
	    "{\"url\":\"http://127.0.0.1:9/h\",\"enabled\":false,"
	    "\"event_types\":[\"address.created\"],\"secret\":\"whsec_x\"}", false);
	put(s, MODE_TEST, "webhook", "whk_other_type",
	    "{\"url\":\"http://127.0.0.1:9/h\",\"enabled\":true,"
	    "\"event_types\":[\"letter.created\"],\"secret\":\"whsec_x\"}", false);
	put(s, MODE_LIVE, "webhook", "whk_live", hook, false);

	/* a burst before the workers start: fan-out batches of 64 events, 3 of them */
	char id[32];
	for (int i = 0; i < 150; i++) {
		snprintf(id, sizeof(id), "adr_%04d", i);
		put(s, MODE_TEST, "address", id, "{\"name\":\"x\"}", true);
	}
	struct webhooks w = { .store = s, .opt = { .senders = 1, .per_endpoint = 1 } };
	struct jobs *j = jobs_new(s);
	CHECK(j && webhooks_register(j, &w) == 0 && jobs_start(j, true) == 0, "jobs start");
	/* and events while they run */
	for (int i = 150; i < 200; i++) {
		snprintf(id, sizeof(id), "adr_%04d", i);
		put(s, MODE_TEST, "address", id, "{\"name\":\"x\"}", true);
	}
	bool once = false;
	for (int t = 0; t < 200 && deliveries(s, MODE_TEST, "whk_on", NULL) < 200; t++)
		usleep(20 * 1000);
	usleep(200 * 1000);
	jobs_stop(j);
	CHECK_INT(deliveries(s, MODE_TEST, "whk_on", &once), 200,
		  "every event to the subscribed webhook");
	CHECK(once, "each once, by a fan-out that ran once (no failed batch retried)");
	CHECK_INT(deliveries(s, MODE_TEST, "whk_off", NULL), 0, "none to a disabled webhook");
	CHECK_INT(deliveries(s, MODE_TEST, "whk_other_type", NULL), 0,
		  "none to a webhook of other types");
	CHECK_INT(deliveries(s, MODE_LIVE, "whk_live", NULL), 0, "none to the other mode");
	long long due, lease;
	store_jobs_next(s, JOB_WEBHOOK_FANOUT, NULL, &due, &lease, &err);
	CHECK(due == LLONG_MAX && lease == LLONG_MAX, "no fan-out job is left queued or running");
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
