// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Account settings, a Frank extension (Lob keeps them in its dashboard):
 * GET  /v1/_frank/settings  → the account's settings (defaults until changed)
 * POST /v1/_frank/settings  → a partial update, e.g. {"cancellation_windows":{"letter":60}}
 * Settings are account-wide (both modes read them). Those that govern live mail change only
 * with a live secret key; a test key may change the test-mode tracking simulation.
 */
#include "api/resource.h"
#include "core/jsonutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "mail/settings.h"

static const struct resource settings_res = { .kind = SETTINGS_KIND, .id_prefix = "acs_" };

static int settings_get(struct req *rq, struct api_error *err)
{
	struct account_settings s;
	if (settings_load(rq->app->store, rq->key.account_id, &s, err) < 0)
		return -1;
	json_t *body = arena_own_json(rq->arena, settings_to_json(&s, rq->key.account_id));
	return respond_json(rq, 200, body);
}

/* on the writer thread: the stored settings with the changes applied */
static int settings_change(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			   struct api_error *err)
{
	struct account_settings s;
	char *cur = arena_dump_json(rq->arena, obj);
	if (settings_from_json(cur, &s) < 0 || settings_apply(&s, ctx, err) < 0)
		return -1;
	json_t *next = arena_own_json(rq->arena, settings_to_json(&s, rq->key.account_id));
	json_object_clear(obj);
	json_object_update(obj, next);
	out->response = obj;
	return 0;
}

static int settings_post(struct req *rq, struct api_error *err)
{
	struct account_settings s;
	char id[48], *json = NULL;
	const char *live = settings_live_field(rq->body_json);
	if (live && rq->key.mode != MODE_LIVE) {
		api_fail(err, ERR_UNAUTHORIZED, "%s governs live mail: change it with a live secret "
			 "key (live_…). A test key may change tracking_simulation only.", live);
		err->status = 403;
		return -1;
	}
	settings_id(rq->key.account_id, id);
	rq->scope.mode = MODE_LIVE;	/* account-wide: kept in live scope */
	rq->scope.kind = SETTINGS_KIND;
	int rc = store_object_get(rq->app->store, &rq->scope, id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return res_mutate(rq, arena_strdup(rq->arena, id), settings_change, rq->body_json,
				  false, err);
	/* first change: validate over the defaults, then insert */
	settings_defaults(&s);
	if (settings_apply(&s, rq->body_json, err) < 0)
		return -1;
	json_t *obj = arena_own_json(rq->arena, settings_to_json(&s, rq->key.account_id));
	struct store_change *ch = res_change_insert(rq, &settings_res, obj, false);
	if (!ch)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	return res_commit(rq, &ch, 1, obj, err);
}

const struct route settings_routes[] = {
	{ HTTP_GET, "/v1/_frank/settings", settings_get, &settings_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/_frank/settings", settings_post, &settings_res, KEY_SECRET, NULL, R_BODY },
	{ .pattern = NULL }
};
