// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhooks, a Frank extension with Lob's semantics (Lob manages them in its dashboard):
 *   POST/GET /v1/webhooks, GET/POST/DELETE /v1/webhooks/{id},
 *   POST /v1/webhooks/{id}/rotate_secret,
 *   GET /v1/webhooks/{id}/deliveries, POST /v1/webhooks/{id}/deliveries/{sub}/retry.
 * A webhook belongs to the key's mode and receives that mode's events of the types it lists.
 * Its secret is shown whole on create and on rotate, masked on every other read.
 * Deliveries are jobs (events/webhooks.h).
 */
#include "api/list.h"
#include "api/resource.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "events/catalogue.h"
#include "events/webhooks.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "net/ssrf.h"
#include <netdb.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

static const struct field webhook_fields[] = {
	{ "url", FT_STRING, F_REQUIRED, .max = SSRF_URL_MAX },
	{ "event_types", FT_STRING_ARRAY, F_REQUIRED, .max = 100, .item_max = 80 },
	{ "enabled", FT_BOOL, 0, .dflt = "true" },
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	FIELD_END
};

static const struct field webhook_update_fields[] = {
	{ "url", FT_STRING, 0, .max = SSRF_URL_MAX },
	{ "event_types", FT_STRING_ARRAY, 0, .max = 100, .item_max = 80 },
	{ "enabled", FT_BOOL, 0, .max = 0 },
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	FIELD_END
};

static bool allow_private(struct req *rq)
{
	return rq->app->cfg && strcmp(rq->app->cfg->allow_private_urls, "1") == 0;
}

/* http(s), and — unless the operator allows private targets — a host resolving only to public addresses */
static int check_url(struct req *rq, const char *url, struct api_error *err)
{
	if (ssrf_url_check(url, err) < 0) {
		err->kind = ERR_INVALID;
		return -1;
	}
	if (allow_private(rq))
		return 0;
	const char *host = strstr(url, "://") + 3;
	size_t n = strcspn(host, ":/?#");
	char name[256];
	if (*host == '[') {	/* an IPv6 literal */
		host++;
		n = strcspn(host, "]");
	}
	if (n == 0 || n >= sizeof(name))
		return api_fail(err, ERR_INVALID, "url must name a host");
	memcpy(name, host, n);
	name[n] = '\0';
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	if (getaddrinfo(name, NULL, &hints, &res) != 0)
		return api_fail(err, ERR_INVALID, "url host %.100s does not resolve", name);
	int rc = 0;
	for (struct addrinfo *ai = res; ai && rc == 0; ai = ai->ai_next)
		if (!ssrf_addr_allowed(ai->ai_addr, false))
			rc = api_fail(err, ERR_INVALID,
				      "url host %.100s resolves to a private or loopback address (%s); "
				      "set FRANK_ALLOW_PRIVATE_URLS=1 to allow it", name,
				      ssrf_addr_class(ai->ai_addr));
	freeaddrinfo(res);
	return rc;
}

static int check_event_types(const json_t *types, struct api_error *err)
{
	size_t i;
	json_t *t;
	if (!json_array_size(types))
		return api_fail(err, ERR_INVALID, "event_types must contain at least 1 items");
	json_array_foreach(types, i, t)
		if (!event_type_find(json_string_value(t)))
			return api_fail(err, ERR_INVALID, "event_types[%zu] %.80s is not a Lob event type", i,
					json_string_value(t));
	return 0;
}

static const char *new_secret(struct req *rq)
{
	unsigned char r[24];
	char hex[49];
	if (RAND_bytes(r, sizeof(r)) != 1)
		return NULL;
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	return arena_strfmt(rq->arena, "whsec_%s", hex);
}

static int webhook_before_store(struct req *rq, const json_t *body, json_t *obj,
				struct api_error *err)
{
	(void)body;
	const char *secret = new_secret(rq);
	if (check_url(rq, json_string_value(json_object_get(obj, "url")), err) < 0 ||
	    check_event_types(json_object_get(obj, "event_types"), err) < 0)
		return -1;
	if (!secret)
		return api_fail(err, ERR_INTERNAL, "no entropy for a secret");
	json_object_set_new(obj, "secret", json_string(secret));
	json_object_set_new(obj, "mode", json_string(rq->scope.mode == MODE_LIVE ? "live" : "test"));
	return 0;
}

static int webhook_apply_update(struct req *rq, json_t *obj, const json_t *changes,
				struct api_error *err)
{
	const char *url = json_string_value(json_object_get(changes, "url"));
	const json_t *types = json_object_get(changes, "event_types");
	if ((url && check_url(rq, url, err) < 0) || (types && check_event_types(types, err) < 0))
		return -1;
	json_object_update(obj, (json_t *)changes);
	if (json_is_true(json_object_get(changes, "enabled")))
		json_object_del(obj, "disabled_reason");
	return 0;
}

/* every read shows the secret's last 4 characters only */
static const char *webhook_present(struct req *rq, const char *json)
{
	json_t *o = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	if (!json_string_value(json_object_get(o, "secret")))
		return json;
	webhook_mask_secret(o);
	const char *out = arena_dump_json(rq->arena, o);
	return out ? out : json;
}

static const char *const webhook_updatable[] = { "url", "event_types", "enabled", "description",
						 NULL };

const struct resource webhook_res = {
	.kind = "webhook",
	.id_prefix = "whk_",
	.fields = webhook_fields,
	.update_fields = webhook_update_fields,
	.updatable = webhook_updatable,
	.ops = { .before_store = webhook_before_store, .apply_update = webhook_apply_update,
		 .present = webhook_present },
};

static int rotate(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		  struct api_error *err)
{
	(void)ctx;
	const char *secret = new_secret(rq);
	if (!secret)
		return api_fail(err, ERR_INTERNAL, "no entropy for a secret");
	json_object_set_new(obj, "secret", json_string(secret));
	out->response = obj;
	return 0;
}

static int webhook_rotate(struct req *rq, struct api_error *err)
{
	return res_mutate(rq, rq->path_id, rotate, NULL, false, err);
}

/* the webhook's deliveries, newest first, with Lob's list parameters */
static int deliveries_list(struct req *rq, struct api_error *err)
{
	struct store_list_query q = { 0 };
	char *json;
	if (list_parse_query(rq->query, rq->arena, &q, err) < 0)
		return -1;
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "webhook not found");
	struct store_json_filter *f = arena_calloc(rq->arena, sizeof(*f));
	*f = (struct store_json_filter){ .path = "$.webhook_id", .op = JF_EQ, .text = rq->path_id,
					 .boolean = -1 };
	q.scope = rq->scope;
	q.scope.kind = "webhook_delivery";
	q.jf = f;
	q.n_jf = 1;
	return list_respond(rq, &q, err);
}

/* pending again, due now */
static void mark_pending(json_t *d, long long now_ms)
{
	char when[25];
	time_format_iso(now_ms, when);
	json_object_set_new(d, "status", json_string("pending"));
	json_object_set_new(d, "next_attempt_ms", json_integer(now_ms));
	json_object_set_new(d, "next_attempt", json_string(when));
	json_object_set_new(d, "date_modified", json_string(when));
}

/* on the store's writer thread: the stored delivery marked, whatever attempts it has now */
static const char *retry_on_writer(const char *current, void *ctx, struct store_event *ev,
				   const char **metadata_json, struct api_error *err)
{
	struct req *rq = ctx;
	(void)ev;
	(void)metadata_json;
	json_t *d = arena_own_json(rq->arena, json_loads(current, 0, NULL));
	if (!d) {
		api_fail(err, ERR_INTERNAL, "stored delivery does not parse");
		return NULL;
	}
	mark_pending(d, rq->now_ms);
	return arena_dump_json(rq->arena, d);
}

/* the delivery sent again now: marked pending with its job, in one transaction */
static int delivery_retry(struct req *rq, struct api_error *err)
{
	struct store_scope sc = rq->scope;
	char *json;
	sc.kind = "webhook_delivery";
	int rc = store_object_get(rq->app->store, &sc, rq->path_sub, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	json_t *d = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
	const char *owner = json_string_value(json_object_get(d, "webhook_id"));
	if (!owner || strcmp(owner, rq->path_id) != 0)
		return api_fail(err, ERR_NOT_FOUND, "delivery not found");
	mark_pending(d, rq->now_ms);
	struct store_change *up = arena_calloc(rq->arena, sizeof(*up));
	struct store_change *job = arena_calloc(rq->arena, sizeof(*job));
	*up = (struct store_change){ .op = STORE_UPDATE, .sc = sc,
				     .obj = { .id = rq->path_sub, .updated_ms = rq->now_ms },
				     .mutate = retry_on_writer, .ctx = rq };
	*job = (struct store_change){ .op = STORE_JOB, .sc = sc };
	webhook_delivery_job(rq->path_sub, rq->path_id, rq->now_ms, &job->job);
	struct store_change *const changes[] = { up, job };
	return res_commit(rq, changes, 2, d, err);
}

const struct route webhook_routes[] = {
	{ HTTP_GET, "/v1/webhooks", res_list, &webhook_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/webhooks", res_create, &webhook_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/webhooks/{id}", res_get, &webhook_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/webhooks/{id}", res_update, &webhook_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_DELETE, "/v1/webhooks/{id}", res_delete, &webhook_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/webhooks/{id}/rotate_secret", webhook_rotate, &webhook_res, KEY_SECRET,
	  NULL, 0 },
	{ HTTP_GET, "/v1/webhooks/{id}/deliveries", deliveries_list, &webhook_res, KEY_SECRET, NULL,
	  0 },
	{ HTTP_POST, "/v1/webhooks/{id}/deliveries/{sub}/retry", delivery_retry, &webhook_res,
	  KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
