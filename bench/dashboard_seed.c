// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Fills an account with mail pieces for bench/dashboard.mjs, fast: clones of the pieces the
 * API made in that account and mode (letters, postcards, self-mailers, checks), written
 * through the store's own change sets (store_apply_sync), so every clone gets the rows an
 * API-made piece gets: the object with its typed columns (status, send_date), its metadata
 * rows, its `<kind>.created` event, and the test-mode tracking job. No render is queued: the
 * clone keeps the proof of the piece it copies.
 *
 * Each clone has a new id (ids_new, as the API), a creation time spread evenly over the last
 * DAYS days, date_created/date_modified/send_date/expected_delivery_date moved with it, its
 * own recipient name and metadata ({"customer_id": "C0001234", "segment": "s3",
 * "batch": "b12"}), and a status by age: processed (younger than 10 minutes), then 1.5 %
 * failed, else rendered, and tracking events Mailed → Delivered as days pass (tracking.c's
 * shapes). 2 % are canceled before they were mailed: deleted with a `<kind>.deleted` event,
 * as a cancel leaves them.
 * Each piece is its own change set, queued as the API queues them; the writer's group
 * commits take them together while the next ones are made. 5,000 are in flight at most. frankd must not be running on
 * DIR.
 *
 * Usage: dashboard_seed DIR ACCOUNT test|live N [DAYS]
 * Prints one JSON line: {"pieces": N, "canceled": …, "seconds": …, "cpu_seconds": …,
 * "by_kind": {…}} (cpu_seconds: user + system time of both threads, store opening included).
 */
#include "core/ids.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "events/event.h"
#include "mail/tracking.h"
#include "store/store.h"
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define BATCH 5000
#define MAX_SEEDS 256
#define DAY_MS 86400000LL

struct kind {
	const char *name, *prefix;
	unsigned share;		/* of 100 */
	json_t *seeds[MAX_SEEDS];
	size_t n;
	long long count;
};

static struct kind kinds[] = {
	{ "letter", "ltr_", 60, { 0 }, 0, 0 },
	{ "postcard", "psc_", 25, { 0 }, 0, 0 },
	{ "self_mailer", "sfm_", 10, { 0 }, 0, 0 },
	{ "check", "chk_", 5, { 0 }, 0, 0 },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static const char *const first_names[] = {
	"Harry", "Maria", "James", "Aisha", "Wei", "Olivia", "Carlos", "Fatima", "Noah", "Emma",
	"Liam", "Sofia", "Mateo", "Chloe", "Arjun", "Grace", "Kenji", "Zoe", "Omar", "Lucy",
	"Diego", "Hana", "Ethan", "Priya", "Lucas", "Mia", "Samuel", "Nora", "Ivan", "Leah",
};
static const char *const last_names[] = {
	"Zhang", "Garcia", "Smith", "Khan", "Chen", "Johnson", "Rodriguez", "Ali", "Brown",
	"Nguyen", "Williams", "Lopez", "Kim", "Patel", "Martin", "Tanaka", "Miller", "Hassan",
	"Davis", "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Jackson", "White",
	"Harris", "Clark", "Lewis", "Walker",
};
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* xorshift64*: the same spread on every run */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void collect(void *ctx, const char *id, const char *json)
{
	struct kind *k = ctx;
	(void)id;
	json_t *j = json_loads(json, 0, NULL);
	if (j && k->n < MAX_SEEDS)
		k->seeds[k->n++] = j;
	else
		json_decref(j);
}

/* moves an ISO field by delta ms (the clone's time against the seed's) */
static void shift_time(json_t *o, const char *field, long long delta, bool date_only)
{
	long long ms;
	const char *v = json_string_value(json_object_get(o, field));
	if (!v || time_parse_iso(v, &ms) < 0)
		return;
	char out[25];
	time_format_iso(ms + delta, out);
	if (date_only)
		out[10] = '\0';
	json_object_set_new(o, field, json_string(out));
}

/* the USPS journey of a piece mailed a day after it was made, as far as `now` has gone */
static void add_tracking(json_t *piece, const char *kind, long long created, long long now)
{
	static const char *const steps[] = { "Mailed", "In Transit", "In Local Area",
					     "Processed for Delivery", "Delivered" };
	for (size_t i = 0; i < N_OF(steps); i++) {
		struct tracking_scan scan = { .name = steps[i],
					      .time_ms = created + DAY_MS + (long long)i * DAY_MS };
		if (scan.time_ms > now)
			break;
		snprintf(scan.location, sizeof(scan.location), "%s", i < 2 ? "94107" : "10001");
		const char *type;
		if (tracking_add(piece, kind, &scan, &type) < 0)
			break;
	}
}

struct cancel_ctx {
	const char *json;
	struct store_event ev;
};

/* the canceled piece as the cancel leaves it, with its event */
static const char *cancel_mutate(const char *current, void *ctx, struct store_event *ev,
				 const char **metadata_json, struct api_error *err)
{
	struct cancel_ctx *c = ctx;
	(void)current;
	(void)metadata_json;
	(void)err;
	if (c->ev.id)
		*ev = c->ev;
	return c->json;
}

static char *dump_event(const char *type, enum store_mode mode, json_t *body, const char *id,
			long long at, char *evt_id, struct arena *a)
{
	json_t *ev = event_new(type, mode, body, id, at, evt_id);
	if (!ev)
		return NULL;
	char *s = json_dumps(ev, JSON_COMPACT);
	json_decref(ev);
	char *out = arena_strdup(a, s);
	free(s);
	return out;
}

static const char *dump(json_t *j, struct arena *a)
{
	char *s = json_dumps(j, JSON_COMPACT);
	char *out = arena_strdup(a, s);
	free(s);
	return out;
}

/* one clone: its changes appended to ch (1 or 2); the number written */
static int clone_piece(struct kind *k, long long i, const char *account, enum store_mode mode,
		       long long now, long long days, struct store_change *ch, struct arena *a,
		       long long *canceled)
{
	json_t *seed = k->seeds[(size_t)i % k->n];
	json_t *p = json_deep_copy(seed);
	char id[40];
	if (ids_new(k->prefix, id, sizeof(id)) < 0) {
		json_decref(p);
		return -1;
	}
	long long created = now - (long long)(rnd() % (uint64_t)(days * DAY_MS));
	long long seed_created;
	if (time_parse_iso(json_string_value(json_object_get(seed, "date_created")),
			   &seed_created) < 0)
		seed_created = now;
	long long delta = created - seed_created;
	json_object_set_new(p, "id", json_string(id));
	shift_time(p, "date_created", delta, false);
	shift_time(p, "date_modified", delta, false);
	shift_time(p, "send_date", delta, false);
	shift_time(p, "expected_delivery_date", delta, true);
	json_t *to = json_object_get(p, "to");
	if (json_is_object(to)) {
		char name[64];
		snprintf(name, sizeof(name), "%s %s", first_names[rnd() % N_OF(first_names)],
			 last_names[rnd() % N_OF(last_names)]);
		json_object_set_new(to, "name", json_string(name));
	}
	char cust[24], seg[24], batch[24];
	snprintf(cust, sizeof(cust), "C%07lld", i);
	snprintf(seg, sizeof(seg), "s%lu", (unsigned long)(rnd() % 8));
	snprintf(batch, sizeof(batch), "b%lld", (now - created) / DAY_MS);
	json_t *meta = json_pack("{ssssss}", "customer_id", cust, "segment", seg, "batch", batch);
	json_object_set_new(p, "metadata", meta);
	const char *status = now - created < 10 * 60 * 1000 ? "processed"
			     : rnd() % 1000 < 15		? "failed"
								: "rendered";
	json_object_set_new(p, "status", json_string(status));
	json_object_set_new(p, "tracking_events", json_array());
	if (strcmp(status, "processed") == 0)	/* not rendered yet: no proof */
		json_object_set_new(p, "thumbnails", json_array());
	bool cancel = rnd() % 100 < 2;	/* canceled before it was mailed */
	if (!cancel && strcmp(status, "rendered") == 0)
		add_tracking(p, k->name, created, now);

	struct store_scope sc = { account, mode, k->name };
	char *evt_id = arena_alloc(a, 40);
	char type[64];
	snprintf(type, sizeof(type), "%s.created", k->name);
	const char *ev = dump_event(type, mode, p, id, created, evt_id, a);
	ch[0] = (struct store_change){ .op = STORE_INSERT, .sc = sc };
	ch[0].sc.kind = k->name;
	ch[0].obj = (struct store_object){ .id = arena_strdup(a, id), .created_ms = created,
					   .updated_ms = created, .json = dump(p, a),
					   .metadata_json = dump(meta, a) };
	if (ev)
		ch[0].ev = (struct store_event){ evt_id, arena_strdup(a, type), ev };
	int n = 1;
	/* canceled a few minutes after they were made (before their send date) */
	if (cancel) {
		long long at = created + 5 * 60 * 1000;
		char when[25];
		time_format_iso(at, when);
		json_object_set_new(p, "deleted", json_true());
		json_object_set_new(p, "date_modified", json_string(when));
		struct cancel_ctx *c = arena_calloc(a, sizeof(*c));
		char *del_id = arena_alloc(a, 40);
		snprintf(type, sizeof(type), "%s.deleted", k->name);
		const char *dev = dump_event(type, mode, p, id, at, del_id, a);
		c->json = dump(p, a);
		if (dev)
			c->ev = (struct store_event){ del_id, arena_strdup(a, type), dev };
		ch[1] = (struct store_change){ .op = STORE_DELETE, .sc = ch[0].sc,
					       .mutate = cancel_mutate, .ctx = c };
		ch[1].obj = (struct store_object){ .id = ch[0].obj.id, .updated_ms = at };
		n = 2;
		(*canceled)++;
	}
	json_decref(p);
	k->count++;
	return n;
}

struct wait {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t done, failed;
};

/* on the store's writer thread, once a piece is committed */
static void piece_done(void *ctx, int rc)
{
	struct wait *w = ctx;
	pthread_mutex_lock(&w->mu);
	w->done++;
	if (rc != 0)
		w->failed++;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static struct kind *pick_kind(void)
{
	unsigned r = (unsigned)(rnd() % 100), acc = 0;
	for (size_t i = 0; i < N_KINDS; i++) {
		acc += kinds[i].share;
		if (r < acc && kinds[i].n)
			return &kinds[i];
	}
	return &kinds[0];	/* a kind without seeds: its share goes to letters */
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: dashboard_seed DIR ACCOUNT test|live N [DAYS]\n");
		return 2;
	}
	const char *dir = argv[1], *account = argv[2];
	enum store_mode mode = strcmp(argv[3], "live") == 0 ? MODE_LIVE : MODE_TEST;
	long long n, days = 30;
	if (parse_llong(argv[4], 1, 100000000, &n) < 0 ||
	    (argc > 5 && parse_llong(argv[5], 1, 3650, &days) < 0)) {
		fprintf(stderr, "dashboard_seed: N and DAYS must be positive\n");
		return 2;
	}
	struct api_error err = { 0 };
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	if (!s) {
		fprintf(stderr, "dashboard_seed: %s\n", err.message);
		return 1;
	}
	for (size_t i = 0; i < N_KINDS; i++) {
		struct store_scope sc = { account, mode, kinds[i].name };
		if (store_each_in_scope(s, &sc, MAX_SEEDS, collect, &kinds[i], &err) < 0) {
			fprintf(stderr, "dashboard_seed: %s\n", err.message);
			return 1;
		}
	}
	if (!kinds[0].n) {
		fprintf(stderr, "dashboard_seed: no letters to clone in %s (%s)\n", account, argv[3]);
		return 1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long long now = clock_now_ms();
	struct store_change *ch = calloc(2 * BATCH, sizeof(*ch));
	struct store_change_set *sets = calloc(BATCH, sizeof(*sets));
	struct api_error *errs = calloc(BATCH, sizeof(*errs));
	long long done = 0, canceled = 0;
	while (done < n) {
		struct arena *a = arena_new();
		struct wait w = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0 };
		struct store_done cb = { piece_done, &w };
		size_t nch = 0, nsets = 0;
		long long batch_end = done + BATCH < n ? done + BATCH : n;
		for (; done < batch_end; done++) {
			int c = clone_piece(pick_kind(), done, account, mode, now, days, ch + nch, a,
					    &canceled);
			if (c < 0) {
				fprintf(stderr, "dashboard_seed: no entropy for an id\n");
				return 1;
			}
			/* one set per piece, queued as the API queues it: the writer commits the
			 * first ones while the rest are made */
			sets[nsets] = (struct store_change_set){ .changes = ch + nch, .n = (size_t)c };
			if (store_apply(s, &sets[nsets], &errs[nsets], &cb) < 0) {
				fprintf(stderr, "dashboard_seed: %s\n", errs[nsets].message);
				return 1;
			}
			nsets++;
			nch += (size_t)c;
		}
		pthread_mutex_lock(&w.mu);
		while (w.done < nsets)
			pthread_cond_wait(&w.cv, &w.mu);
		pthread_mutex_unlock(&w.mu);
		if (w.failed) {
			fprintf(stderr, "dashboard_seed: %zu pieces before %lld not stored\n", w.failed,
				done);
			return 1;
		}
		arena_free(a);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	json_t *by = json_object();
	for (size_t i = 0; i < N_KINDS; i++)
		json_object_set_new(by, kinds[i].name, json_integer(kinds[i].count));
	struct rusage ru;	/* both threads: this one making pieces, the store's writer */
	getrusage(RUSAGE_SELF, &ru);
	double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		     (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
	json_t *out = json_pack("{sIsIsfsfso}", "pieces", (json_int_t)n, "canceled",
				(json_int_t)canceled, "seconds", secs, "cpu_seconds", cpu, "by_kind",
				by);
	char *line = json_dumps(out, JSON_COMPACT);
	printf("%s\n", line);
	free(line);
	json_decref(out);
	for (size_t i = 0; i < N_KINDS; i++)
		for (size_t j = 0; j < kinds[i].n; j++)
			json_decref(kinds[i].seeds[j]);
	free(ch);
	free(sets);
	free(errs);
	store_free(s);
	return 0;
}
