// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Why a mail piece is where it is (mail/piece_why.h), not Lob's API:
 *   GET /v1/_frank/pieces/{id}/why              the account's own piece (secret key, its mode)
 *   GET /v1/_frank/production/pieces/{id}/why   any account's (operator key)
 * The same story `frank pieces why` prints.
 */
#include <string.h>
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "mail/piece_why.h"

static int answer(struct req *rq, json_t *why)
{
	respond_json(rq, 200, why);
	json_decref(why);
	return 0;
}

static int customer_why(struct req *rq, struct api_error *err)
{
	json_t *why = piece_why(rq->app->store, rq->path_id, rq->key.account_id, err);
	if (!why)
		return -1;
	const char *mode = json_string_value(json_object_get(why, "mode"));
	if (!mode || strcmp(mode, rq->key.mode == MODE_LIVE ? "live" : "test") != 0) {
		json_decref(why);	/* the other mode's pieces are not this key's */
		return api_fail(err, ERR_NOT_FOUND, "no mail piece %.40s", rq->path_id);
	}
	return answer(rq, why);
}

static int operator_why(struct req *rq, struct api_error *err)
{
	json_t *why = piece_why(rq->app->store, rq->path_id, NULL, err);
	return why ? answer(rq, why) : -1;
}

const struct route piece_why_routes[] = {
	{ HTTP_GET, "/v1/_frank/pieces/{id}/why", customer_why, NULL, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};

const struct route production_piece_why_routes[] = {
	{ HTTP_GET, "/v1/_frank/production/pieces/{id}/why", operator_why, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};
