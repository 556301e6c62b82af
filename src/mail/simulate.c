/* A thread that advances simulated journeys of test pieces (see simulate.h). */
#include "mail/simulate.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/scans.h"
#include "mail/settings.h"
#include "mail/tracking.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICK_MS 250
#define HOUR_MS 3600000LL

/* the journey: each step at hours after the send date, at real USPS pace (speed 1) */
static const struct step {
	const char *name;
	double hours;
	const char *code;	/* certified: the USPS Tracking code it stands for */
	const char *zip_from;	/* "from" or "to": where the scan happens */
} journey[] = {
	{ "Mailed", 0, "OA", "from" },
	{ "In Transit", 12, "10", "from" },
	{ "In Local Area", 48, "07", "to" },
	{ "Processed for Delivery", 72, "OF", "to" },
	{ "Delivered", 80, "01", "to" },
};

struct simulator {
	struct store *store;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
};

struct candidate {
	char id[40], account[40], kind[16];
	json_t *obj;
};

struct candidates {
	struct candidate c[64];
	size_t n;
};

static void collect(void *ctx, const struct store_scope *sc, const char *id, const char *json)
{
	struct candidates *cs = ctx;
	if (sc->mode != MODE_TEST || cs->n == 64)
		return;
	struct candidate *c = &cs->c[cs->n];
	c->obj = json_loads(json, 0, NULL);
	if (!c->obj)
		return;
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->account, sizeof(c->account), "%s", sc->account_id);
	snprintf(c->kind, sizeof(c->kind), "%s", sc->kind);
	cs->n++;
}

static bool has_step(const json_t *piece, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(piece, "tracking_events"), i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));
		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

static void advance(struct simulator *sim, struct candidate *c)
{
	struct account_settings st;
	struct api_error err;
	long long send, now = clock_now_ms();
	if (settings_load(sim->store, c->account, &st, &err) < 0 || !st.simulate_tracking ||
	    time_parse_iso(json_string_value(json_object_get(c->obj, "send_date")), &send) < 0 ||
	    now < send)
		return;
	const char *service = json_string_value(json_object_get(c->obj, "extra_service"));
	bool certified = service && strncmp(service, "certified", 9) == 0;
	struct store_scope sc = { .account_id = c->account, .mode = MODE_TEST, .kind = c->kind };
	for (size_t i = 0; i < sizeof(journey) / sizeof(journey[0]); i++) {
		long long due = send + (long long)(journey[i].hours * HOUR_MS / st.simulation_speed);
		if (due > now)
			break;
		if (has_step(c->obj, journey[i].name))
			continue;
		struct tracking_scan scan = { .name = journey[i].name, .time_ms = due };
		if (certified)
			tracking_certified_for_code(journey[i].code, &scan);
		const char *zip = json_string_value(json_object_get(
			json_object_get(c->obj, journey[i].zip_from), "address_zip"));
		snprintf(scan.location, sizeof(scan.location), "%.5s", zip ? zip : "");
		if (scans_simulate(sim->store, &sc, c->id, &scan, &err) < 0) {
			log_msg(LOG_WARN, "simulation %s: %s", c->id, err.message);
			return;
		}
	}
}

static void *sim_main(void *arg)
{
	struct simulator *sim = arg;
	static const char *const kinds[] = { "letter", "postcard" };
	for (;;) {
		for (size_t k = 0; k < 2; k++) {
			struct candidates cs = { .n = 0 };
			struct api_error err;
			/* rendered pieces not yet delivered are the only ones with steps to come */
			if (store_each_of_kind(sim->store, kinds[k], "rendered", -1, 64, collect, &cs,
					       &err) < 0)
				log_msg(LOG_WARN, "simulation: %s", err.message);
			for (size_t i = 0; i < cs.n; i++) {
				if (!has_step(cs.c[i].obj, "Delivered"))
					advance(sim, &cs.c[i]);
				json_decref(cs.c[i].obj);
			}
		}
		struct timespec ts;
		pthread_mutex_lock(&sim->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += TICK_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		if (!sim->stopping)
			pthread_cond_timedwait(&sim->wake, &sim->lock, &ts);
		bool stop = sim->stopping;
		pthread_mutex_unlock(&sim->lock);
		if (stop)
			break;
	}
	return NULL;
}

struct simulator *simulator_start(struct store *s)
{
	struct simulator *sim = calloc(1, sizeof(*sim));
	if (!sim)
		return NULL;
	sim->store = s;
	pthread_mutex_init(&sim->lock, NULL);
	pthread_cond_init(&sim->wake, NULL);
	if (pthread_create(&sim->thread, NULL, sim_main, sim) != 0) {
		free(sim);
		return NULL;
	}
	return sim;
}

void simulator_stop(struct simulator *sim)
{
	if (!sim)
		return;
	pthread_mutex_lock(&sim->lock);
	sim->stopping = true;
	pthread_cond_broadcast(&sim->wake);
	pthread_mutex_unlock(&sim->lock);
	pthread_join(sim->thread, NULL);
	pthread_cond_destroy(&sim->wake);
	pthread_mutex_destroy(&sim->lock);
	free(sim);
}
