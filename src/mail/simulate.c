/*
 * The simulation thread (see simulate.h). Journeys live in the store (store/tracking_store.h):
 * every test piece gets one when it is stored, due at its send date; the thread wakes every
 * TICK_MS (the test clock can jump at any moment), walks the due ones through the steps whose
 * time has come, and records the next step and its time. A step is written with the piece
 * (scans_simulate: one transaction with its event) before the journey moves on; a crash in
 * between replays the step, which tracking_add then finds to be the same event again.
 */
#include "mail/simulate.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "mail/scans.h"
#include "mail/settings.h"
#include "mail/tracking.h"
#include "store/tracking_store.h"
#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TICK_MS 250
#define HOUR_MS 3600000.0
#define RETRY_MS 1000		/* a piece still rendering, or a store hiccup: look again */
#define DISCOVER_BATCH 256
#define DUE_BATCH 64
#define STANDARD_SLOWER 3.0	/* Marketing Mail: ~10 transit business days against 3 */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* kinds with Lob tracking event types */
static const char *const sim_kinds[] = { "letter", "postcard", "self_mailer", "check", NULL };

/*
 * Journeys as USPS Tracking codes (tracking.c maps them; a normal piece keeps only the names
 * its shape has, so one plan serves both). Hours follow Lob: delivery "typically 4–6 business
 * days" after the send date for First-Class; Processed for Delivery a business day before.
 */
static const struct sim_step clean[] = {
	{ "OA", NULL, 0, AT_SENDER },	{ "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "OF", NULL, 72, AT_RECIPIENT },
	/* notes: Lob's own example of a certified Delivered event */
	{ "01", "Delivered, Front Desk/Reception/Mail Room", 80, AT_RECIPIENT },
};
/* Lob's help page: In Transit → Return to Sender → In Transit → Processed for Delivery →
 * Delivered */
static const struct sim_step returned[] = {
	{ "OA", NULL, 0, AT_SENDER },	 { "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "21", NULL, 60, AT_RECIPIENT },	/* No Such Number */
	{ "10", NULL, 72, AT_RECIPIENT }, { "07", NULL, 96, AT_SENDER },
	{ "OF", NULL, 120, AT_SENDER },	 { "01", NULL, 128, AT_SENDER },
};
static const struct sim_step rerouted[] = {
	{ "OA", NULL, 0, AT_SENDER },	 { "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "06", NULL, 60, AT_RECIPIENT },	/* Forwarded */
	{ "10", NULL, 66, AT_RECIPIENT }, { "07", NULL, 96, AT_RECIPIENT },
	{ "OF", NULL, 120, AT_RECIPIENT }, { "01", NULL, 128, AT_RECIPIENT },
};
static const struct sim_step issue[] = {
	{ "OA", NULL, 0, AT_SENDER },	 { "10", NULL, 12, AT_SENDER },
	{ "07", NULL, 48, AT_RECIPIENT }, { "OF", NULL, 72, AT_RECIPIENT },
	{ "02", NULL, 76, AT_RECIPIENT },	/* notice left: nobody to sign */
	{ "16", NULL, 96, AT_RECIPIENT }, { "43", NULL, 100, AT_RECIPIENT },
};

/* a stable number in [0, 1) per piece (FNV-1a) */
static double fraction(const char *id)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h / 4294967296.0;
}

size_t sim_plan(const char *piece_id, bool certified, bool standard_mail,
		const struct sim_shares *shares, struct sim_step out[SIM_MAX_STEPS])
{
	double u = fraction(piece_id);
	const struct sim_step *plan = clean;
	size_t n = N_OF(clean);
	if (u < shares->returned) {
		plan = returned;
		n = N_OF(returned);
	} else if (u < shares->returned + shares->reroute) {
		plan = rerouted;
		n = N_OF(rerouted);
	} else if (certified && u < shares->returned + shares->reroute + shares->issue) {
		plan = issue;
		n = N_OF(issue);
	}
	for (size_t i = 0; i < n; i++) {
		out[i] = plan[i];
		if (standard_mail)
			out[i].hours *= STANDARD_SLOWER;
	}
	return n;
}

/*
 * Shares from the stored settings (tracking_simulation.{reroute,return,issue}_share, 0 to 1);
 * 0 where absent or out of range.
 */
static void shares_load(struct store *s, const char *account, struct arena *a,
			struct sim_shares *out)
{
	struct store_scope sc = { .account_id = account, .mode = MODE_LIVE, .kind = SETTINGS_KIND };
	struct api_error err;
	char id[48], *json;
	memset(out, 0, sizeof(*out));
	settings_id(account, id);
	if (store_object_get(s, &sc, id, a, &json, &err) != 0)
		return;
	json_t *o = arena_own_json(a, json_loads(json, 0, NULL));
	json_t *ts = json_object_get(o, "tracking_simulation");
	const char *keys[] = { "reroute_share", "return_share", "issue_share" };
	double *to[] = { &out->reroute, &out->returned, &out->issue };
	for (size_t i = 0; i < 3; i++) {
		double v = json_number_value(json_object_get(ts, keys[i]));
		*to[i] = v > 0 && v <= 1 ? v : 0;
	}
}

/* the address's 5-digit ZIP, or "" (foreign postal codes are no USPS facility) */
static void zip5(const json_t *address, char out[10])
{
	const char *z = json_string_value(json_object_get(address, "address_zip"));
	out[0] = '\0';
	if (z && strspn(z, "0123456789") >= 5)
		snprintf(out, 10, "%.5s", z);
}

struct simulator {
	struct store *store;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stopping;
	bool stuck;		/* a journey could not be moved: do not spin on it */
};

static void move(struct simulator *sim, const struct store_journey *j, int step, long long due)
{
	struct api_error err;
	if (store_journey_set(sim->store, j->object_id, step, due, &err) < 0) {
		log_msg(LOG_WARN, "simulation %s: %s", j->object_id, err.message);
		sim->stuck = true;
	}
}

/* the due steps of one journey, then its next step and time (or its end) */
static void walk(struct simulator *sim, const struct store_journey *j, long long now)
{
	struct store_scope sc = { .account_id = j->account_id, .mode = MODE_TEST, .kind = j->kind };
	struct account_settings st;
	struct api_error err;
	struct arena *a = arena_new();
	char *json = NULL;
	if (!a || settings_load(sim->store, j->account_id, &st, &err) < 0) {
		move(sim, j, j->step, now + RETRY_MS);
		arena_free(a);
		return;
	}
	/* its send date passed with the simulation off: no journey, as in Lob's test mode */
	int rc = st.simulate_tracking
			 ? store_object_get(sim->store, &sc, j->object_id, a, &json, &err)
			 : 1;
	json_t *piece = rc == 0 ? arena_own_json(a, json_loads(json, 0, NULL)) : NULL;
	const char *status = json_string_value(json_object_get(piece, "status"));
	long long send;
	if (rc < 0 || (status && strcmp(status, "processed") == 0)) {
		move(sim, j, j->step, now + RETRY_MS);	/* not printable yet: wait for the render */
		arena_free(a);
		return;
	}
	if (!piece || (status && strcmp(status, "failed") == 0) ||
	    time_parse_iso(json_string_value(json_object_get(piece, "send_date")), &send) < 0) {
		move(sim, j, j->step, -1);	/* canceled, failed, or never to be mailed */
		arena_free(a);
		return;
	}
	struct sim_shares shares;
	struct sim_step steps[SIM_MAX_STEPS];
	shares_load(sim->store, j->account_id, a, &shares);
	const char *mt = json_string_value(json_object_get(piece, "mail_type"));
	size_t n = sim_plan(j->object_id, tracking_piece_certified(piece),
			    mt && strcmp(mt, "usps_standard") == 0, &shares, steps);
	size_t i = j->step > 0 ? (size_t)j->step : 0;
	long long at = 0;
	for (; i < n; i++) {
		at = send + (long long)(steps[i].hours * HOUR_MS / st.simulation_speed);
		if (at > now)
			break;
		struct tracking_scan scan = { .time_ms = at };
		if (!tracking_certified_for_code(steps[i].code, &scan))
			continue;
		if (steps[i].notes)
			scan.notes = steps[i].notes;
		const char *whose = steps[i].place == AT_SENDER ? "from" : "to";
		zip5(json_object_get(piece, whose), scan.location);
		if (scans_simulate(sim->store, &sc, j->object_id, &scan, &err) < 0) {
			log_msg(LOG_WARN, "simulation %s: %s", j->object_id, err.message);
			move(sim, j, (int)i, now + RETRY_MS);
			arena_free(a);
			return;
		}
	}
	move(sim, j, (int)i, i < n ? at : -1);
	arena_free(a);
}

/* waits TICK_MS or until stopped; false when stopping */
static bool nap(struct simulator *sim)
{
	struct timespec ts;
	pthread_mutex_lock(&sim->lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += TICK_MS * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	if (!sim->stopping)
		pthread_cond_timedwait(&sim->wake, &sim->lock, &ts);
	bool go = !sim->stopping;
	pthread_mutex_unlock(&sim->lock);
	return go;
}

static bool stopping(struct simulator *sim)
{
	pthread_mutex_lock(&sim->lock);
	bool stop = sim->stopping;
	pthread_mutex_unlock(&sim->lock);
	return stop;
}

static void *sim_main(void *arg)
{
	struct simulator *sim = arg;
	struct store_journey due[DUE_BATCH];
	for (;;) {
		struct api_error err;
		int seen = 0;
		/* new pieces since the last look (a bounded catch-up per tick) */
		for (int k = 0; k < 16; k++) {
			seen = store_journeys_discover(sim->store, sim_kinds, DISCOVER_BATCH, &err);
			if (seen < DISCOVER_BATCH)
				break;
		}
		if (seen < 0)
			log_msg(LOG_WARN, "simulation: %s", err.message);
		long long now = clock_now_ms();
		int n = store_journeys_due(sim->store, now, due, DUE_BATCH, &err);
		if (n < 0)
			log_msg(LOG_WARN, "simulation: %s", err.message);
		sim->stuck = false;
		for (int i = 0; i < n && !stopping(sim); i++)
			walk(sim, &due[i], now);
		if (n == DUE_BATCH && !sim->stuck && !stopping(sim))
			continue;	/* more are due */
		if (!nap(sim))
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
		pthread_cond_destroy(&sim->wake);
		pthread_mutex_destroy(&sim->lock);
		free(sim);
		log_msg(LOG_ERROR, "simulation: cannot start its thread");
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
