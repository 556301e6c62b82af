// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Short links (/v1/links): a long URL (redirect_link) behind https://HOST/SLUG, HOST being
 * frankd's --link-host or one of the account's custom domains (/v1/domains), SLUG random
 * (link_rules.h) or the customer's. The redirect itself is link_redirect.c.
 */
#include "api/links.h"
#include "api/list.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/config.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "store/link_store.h"
#include <limits.h>
#include <string.h>

/* spec: link_single */
static const struct field link_fields[] = {
	{ "title", FT_STRING, 0, .max = 255 },
	{ "redirect_link", FT_STRING, F_REQUIRED, .max = LINK_URL_MAX },
	{ "domain", FT_STRING, 0, .max = LINK_HOST_MAX },
	{ "slug", FT_STRING, 0, .max = LINK_SLUG_MAX },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	FIELD_END
};

/* spec: link_update */
static const struct field link_update_fields[] = {
	{ "title", FT_STRING, 0, .max = 255 },
	{ "redirect_link", FT_STRING, F_REQUIRED, .max = LINK_URL_MAX },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	FIELD_END
};

/* spec: links_list parameters (campaign_id: Frank's links have none, so it finds none) */
static const struct list_filter link_filters[] = {
	{ "domain_id", LF_TEXT, "$.domain_id", NULL },
	{ "campaign_id", LF_TEXT, "$.campaign_id", NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};

const struct resource link_res = {
	.kind = LINK_KIND,
	.id_prefix = "lnk_",
	.fields = link_fields,
	.list_filters = link_filters,
	.ops = { .present = links_present },
};

bool links_host(const struct req *rq, char *out)
{
	const char *h = rq->app && rq->app->cfg ? rq->app->cfg->link_host : NULL;
	return h && *h && link_host_normalise(h, out, LINK_HOST_MAX + 1);
}

int links_check_target(struct req *rq, const char *url, const char *field, const char *own,
		       struct api_error *err)
{
	char link_host[LINK_HOST_MAX + 1] = "", host[LINK_HOST_MAX + 1];
	links_host(rq, link_host);
	const char *const own_hosts[] = { link_host, own ? own : "", NULL };
	if (link_url_check(url, field, own_hosts, host, err) < 0)
		return -1;
	int taken = store_domain_taken(rq->app->store, host, err);
	if (taken < 0)
		return -1;
	if (taken)
		return api_fail(err, ERR_INVALID,
				"%s points at the short link domain %s (a redirect loop)", field, host);
	return 0;
}

const char *links_short_link(struct req *rq, const char *host, const char *slug,
			     struct api_error *err)
{
	char random[LINK_SLUG_RANDOM_LEN + 1];
	struct link_target t;
	if (slug && !link_slug_valid(slug)) {
		api_fail(err, ERR_INVALID,
			 "slug must be 1 to %d characters of letters, digits, '-' and '_'",
			 LINK_SLUG_MAX);
		return NULL;
	}
	/* a random slug is taken once in 10^17: tried again, not answered */
	for (int attempt = 0; attempt < 3; attempt++) {
		if (!slug && link_slug_random(random, sizeof(random)) < 0) {
			api_fail(err, ERR_INTERNAL, "no entropy for a slug");
			return NULL;
		}
		const char *url = arena_strfmt(rq->arena, "https://%s/%s", host, slug ? slug : random);
		int rc = store_link_resolve(rq->app->store, url, rq->arena, &t, err);
		if (rc < 0)
			return NULL;
		if (rc == 1)
			return url;
		if (slug)
			break;
	}
	api_fail(err, ERR_INVALID, "slug %s is already in use on %s", slug ? slug : "", host);
	return NULL;
}

void links_dates(json_t *obj, long long now_ms, bool created)
{
	char when[25];
	time_format_iso(now_ms, when);
	if (created)
		json_object_set_new(obj, "created_at", json_string(when));
	json_object_set_new(obj, "updated_at", json_string(when));
	json_object_del(obj, "date_created");
	json_object_del(obj, "date_modified");
}

const char *links_present(struct req *rq, const char *json)
{
	json_t *o = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	if (!o || !json_object_get(o, "date_modified"))
		return json;
	json_object_del(o, "date_modified");
	json_object_del(o, "date_created");
	const char *out = arena_dump_json(rq->arena, o);
	return out ? out : json;
}

int links_find(struct req *rq, const char *kind, const char *path, const char *value,
	       const char **json_out, struct api_error *err)
{
	struct store_json_filter jf = { .path = path, .op = JF_EQ, .text = value, .boolean = -1 };
	struct store_list_query q = { .scope = rq->scope, .limit = 1, .jf = &jf, .n_jf = 1,
				      .created_gt = LLONG_MIN, .created_gte = LLONG_MIN,
				      .created_lt = LLONG_MIN, .created_lte = LLONG_MIN };
	struct store_list_result r = { 0 };
	q.scope.kind = kind;
	if (store_object_list(rq->app->store, &q, rq->arena, &r, err) < 0)
		return -1;
	if (!r.n)
		return 1;
	*json_out = r.json[0];
	return 0;
}

/* the account's domain named `name`: its id into id_out (40), or 404 */
static int own_domain(struct req *rq, const char *name, char *id_out, struct api_error *err)
{
	char host[LINK_HOST_MAX + 1];
	const char *json = NULL;
	if (!link_host_normalise(name, host, sizeof(host)))
		return api_fail(err, ERR_INVALID, "domain must be a host name");
	int rc = links_find(rq, DOMAIN_KIND, "$.domain", host, &json, err);
	if (rc < 0)
		return -1;
	json_t *d = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
	const char *id = json_string_value(json_object_get(d, "id"));
	if (!id)
		return api_fail(err, ERR_NOT_FOUND, "domain %s is not one of this account's domains",
				host);
	snprintf(id_out, 40, "%s", id);
	return 0;
}

static int link_create(struct req *rq, struct api_error *err)
{
	char id[40], host[LINK_HOST_MAX + 1], domain_id[40] = "";
	if (ids_new(link_res.id_prefix, id, sizeof(id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *obj = res_build(rq, &link_res, id, err);
	if (!obj)
		return -1;
	const char *domain = json_string_value(json_object_get(obj, "domain"));
	if (domain) {
		if (own_domain(rq, domain, domain_id, err) < 0)
			return -1;
		link_host_normalise(domain, host, sizeof(host));
	} else if (!links_host(rq, host)) {
		return api_fail(err, ERR_INVALID,
				"domain is required: this Frank has no short link host (frankd --link-host)");
	}
	const char *url = json_string_value(json_object_get(obj, "redirect_link"));
	if (links_check_target(rq, url, "redirect_link", host, err) < 0)
		return -1;
	const char *short_link = links_short_link(
		rq, host, json_string_value(json_object_get(obj, "slug")), err);
	if (!short_link)
		return -1;
	json_t *out = arena_own_json(rq->arena, json_object());
	json_object_set_new(out, "id", json_string(id));
	if (json_object_get(obj, "title"))
		json_object_set(out, "title", json_object_get(obj, "title"));
	if (domain_id[0])
		json_object_set_new(out, "domain_id", json_string(domain_id));
	json_object_set_new(out, "redirect_link", json_string(url));
	json_object_set_new(out, "short_link", json_string(short_link));
	const json_t *meta = json_object_get(obj, "metadata");
	json_object_set_new(out, "metadata", meta ? json_incref((json_t *)meta) : json_object());
	links_dates(out, rq->now_ms, true);
	json_object_set_new(out, "object", json_string(LINK_KIND));
	struct store_change *ch = res_change_insert(rq, &link_res, out, true);
	return res_commit(rq, &ch, 1, out, err);
}

struct link_change {
	const json_t *changes;
};

static int apply_link_update(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			     struct api_error *err)
{
	(void)err;
	struct link_change *c = ctx;
	json_object_update(obj, (json_t *)c->changes);
	links_dates(obj, rq->now_ms, false);
	if (json_object_get(c->changes, "metadata"))
		out->metadata = json_object_get(obj, "metadata");
	out->response = arena_own_json(rq->arena, json_deep_copy(obj));
	return 0;
}

/* PATCH /v1/links/{id} (spec: link_update) */
static int link_update(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	json_t *changes = arena_own_json(rq->arena, json_object());
	/* only what the body names changes (metadata stays unless given) */
	if (fields_validate_update(link_update_fields, NULL, rq->body_json, rq->arena, changes, rq,
				   err) < 0)
		return -1;
	if (!json_string_value(json_object_get(changes, "redirect_link")))
		return api_fail(err, ERR_INVALID, "redirect_link is required");
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "link not found");
	json_t *cur = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *short_link = json_string_value(json_object_get(cur, "short_link"));
	char host[LINK_HOST_MAX + 1] = "";
	if (short_link && strncmp(short_link, "https://", 8) == 0) {
		size_t n = strcspn(short_link + 8, "/");
		if (n < sizeof(host))
			memcpy(host, short_link + 8, n), host[n] = '\0';
	}
	if (links_check_target(rq, json_string_value(json_object_get(changes, "redirect_link")),
			       "redirect_link", host, err) < 0)
		return -1;
	struct link_change *c = arena_calloc(rq->arena, sizeof(*c));
	c->changes = changes;
	return res_mutate(rq, rq->path_id, apply_link_update, c, false, err);
}

const struct route link_routes[] = {
	{ HTTP_GET, "/v1/links", res_list, &link_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/links", link_create, &link_res, KEY_SECRET, NULL, R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/links/{id}", res_get, &link_res, KEY_SECRET, NULL, 0 },
	{ HTTP_PATCH, "/v1/links/{id}", link_update, &link_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_DELETE, "/v1/links/{id}", res_delete, &link_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
