// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Events (/v1/events): every state change Frank records, newest first, as Lob's event
 * objects. A Frank extension with Lob's shapes (Lob shows events in its dashboard only).
 */
#include "api/list.h"
#include "api/resource.h"
#include "core/jsonutil.h"
#include "events/catalogue.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include <string.h>

static int events_list(struct req *rq, struct api_error *err);
static int events_get(struct req *rq, struct api_error *err);

const struct resource event_res = { .kind = "event", .id_prefix = "evt_" };

const struct route event_routes[] = {
	{ HTTP_GET, "/v1/events", events_list, &event_res, KEY_SECRET, NULL, 0 },
	{ HTTP_GET, "/v1/events/{id}", events_get, &event_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};

/* the list parameters of every list, plus event_type (one of Lob's event type ids) */
static int events_list(struct req *rq, struct api_error *err)
{
	struct store_list_query q = { .source = SOURCE_EVENTS };
	json_t *query = arena_own_json(rq->arena, json_deep_copy(rq->query));
	const json_t *type = json_object_get(query, "event_type");
	if (type) {
		if (!json_is_string(type) || !event_type_find(json_string_value(type)))
			return api_fail(err, ERR_INVALID,
					"event_type must be one of Lob's event types, e.g. letter.delivered");
		q.event_type = arena_strdup(rq->arena, json_string_value(type));
		json_object_del(query, "event_type");
	}
	if (list_parse_query(query, rq->arena, &q, err) < 0)
		return -1;
	if (q.n_meta)
		return api_fail(err, ERR_INVALID, "metadata is not allowed");
	q.source = SOURCE_EVENTS;
	q.scope = rq->scope;
	return list_respond(rq, &q, err);
}

static int events_get(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	int rc = store_event_get(rq->app->store, rq->scope.account_id, rq->scope.mode,
				 rq->path_id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "event not found");
	rq->status = 200;
	rq->resp_body = json;
	rq->resp_len = strlen(json);
	rq->resp_type = "application/json";
	return 0;
}
