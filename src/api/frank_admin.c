// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Frank extensions for operators and tests (not Lob's API): the test clock.
 * GET  /v1/_frank/clock                      → {"now","test_clock"}
 * POST /v1/_frank/clock {"advance_seconds":N} → moves frankd's clock forward
 * Moving the clock is only possible when frankd was started with FRANK_CLOCK (a test
 * deployment); otherwise POST answers 404 like an unknown endpoint, so production servers
 * cannot have their time changed through the API.
 */
#include <math.h>
#include <stdlib.h>
#include "core/parse.h"
#include "core/timeutil.h"
#include "http/response.h"
#include "http/route.h"
#include "http/app.h"
#include "store/clock_store.h"

/* a month: enough for cancellation windows, send dates and three days of webhook retries */
#define CLOCK_MAX_ADVANCE_S (31.0 * 24 * 3600)

static json_t *clock_json(void)
{
	char iso[25];
	time_format_iso(clock_now_ms(), iso);
	return json_pack("{sssb}", "now", iso, "test_clock", clock_is_test());
}

static int clock_get(struct req *rq, struct api_error *err)
{
	(void)err;
	json_t *body = clock_json();
	respond_json(rq, 200, body);
	json_decref(body);
	return 0;
}

static int clock_advance(struct req *rq, struct api_error *err)
{
	if (!clock_is_test())
		return api_fail(err, ERR_UNRECOGNIZED_ENDPOINT,
				"The clock can only be moved when frankd runs with FRANK_CLOCK set");
	json_t *v = json_object_get(rq->body_json, "advance_seconds");
	double s;
	if (json_is_number(v))
		s = json_number_value(v);
	else if (json_is_string(v)) {
		/* form bodies carry numbers as text */
		if (parse_double(json_string_value(v), 0, CLOCK_MAX_ADVANCE_S, &s) < 0)
			s = NAN;
	} else {
		return api_fail(err, ERR_INVALID, "advance_seconds is required");
	}
	if (!isfinite(s) || s < 0 || s > CLOCK_MAX_ADVANCE_S)
		return api_fail(err, ERR_INVALID,
				"advance_seconds must be between 0 and %.0f", CLOCK_MAX_ADVANCE_S);
	long long delta = (long long)llround(s * 1000), shared;
	if (!store_is_postgres(rq->app->store)) {
		clock_advance_ms(delta);
	} else {
		/* every node moves: the offset is the database's (clock_store.h) */
		if (store_clock_advance(rq->app->store, delta, &shared, err) < 0)
			return -1;
		clock_advance_to(shared);
	}
	json_t *body = clock_json();
	respond_json(rq, 200, body);
	json_decref(body);
	return 0;
}

const struct route frank_admin_routes[] = {
	{ HTTP_GET, "/v1/_frank/clock", clock_get, NULL, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/_frank/clock", clock_advance, NULL, KEY_SECRET, NULL, R_BODY },
	{ .pattern = NULL }
};
