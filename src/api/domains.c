// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Custom domains (/v1/domains): a host name of the customer's on which its links answer,
 * once the name points at frankd. `status` is configured when the domain shares an address
 * with --link-host (a CNAME to it, or the same records), checked at create and on every
 * retrieve (net/dns_match.h); a list shows the state last seen. A name is one account's; a
 * domain with live links cannot be deleted (Lob's rule).
 */
#include "api/links.h"
#include "api/list.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "net/dns_match.h"
#include "store/link_store.h"
#include <string.h>

static const char *const statuses[] = { "configured", "not_configured", NULL };

/* spec: domains */
static const struct field domain_fields[] = {
	{ "domain", FT_STRING, F_REQUIRED, .max = LINK_HOST_MAX },
	{ "error_redirect_link", FT_STRING, 0, .max = LINK_URL_MAX },
	FIELD_END
};

/* spec: domain_list parameters */
static const struct list_filter domain_filters[] = {
	{ "status", LF_TEXT, "$.status", statuses },
	{ NULL, LF_TEXT, NULL, NULL }
};

const struct resource domain_res = {
	.kind = DOMAIN_KIND,
	.id_prefix = "dom_",
	.fields = domain_fields,
	.list_filters = domain_filters,
	.ops = { .present = links_present },
};

static const char *domain_status(struct req *rq, const char *domain)
{
	char host[LINK_HOST_MAX + 1];
	return links_host(rq, host) && dns_same_address(domain, host) ? "configured"
								    : "not_configured";
}

static int domain_create(struct req *rq, struct api_error *err)
{
	char id[40], host[LINK_HOST_MAX + 1], link_host[LINK_HOST_MAX + 1] = "";
	if (ids_new(domain_res.id_prefix, id, sizeof(id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *obj = res_build(rq, &domain_res, id, err);
	if (!obj)
		return -1;
	const char *name = json_string_value(json_object_get(obj, "domain"));
	if (!link_host_normalise(name, host, sizeof(host)) || !strchr(host, '.') || host[0] == '[')
		return api_fail(err, ERR_INVALID, "domain must be a host name such as links.example.com");
	links_host(rq, link_host);
	if (strcmp(host, link_host) == 0)
		return api_fail(err, ERR_INVALID, "domain %s is this Frank's own short link host", host);
	int taken = store_domain_taken(rq->app->store, host, err);
	if (taken != 0)
		return taken < 0 ? -1 : api_fail(err, ERR_INVALID, "domain %s is already registered", host);
	const char *error_link = json_string_value(json_object_get(obj, "error_redirect_link"));
	if (error_link && links_check_target(rq, error_link, "error_redirect_link", host, err) < 0)
		return -1;
	json_t *out = arena_own_json(rq->arena, json_object());
	json_object_set_new(out, "id", json_string(id));
	json_object_set_new(out, "domain", json_string(host));
	if (error_link)
		json_object_set_new(out, "error_redirect_link", json_string(error_link));
	json_object_set_new(out, "status", json_string(domain_status(rq, host)));
	links_dates(out, rq->now_ms, true);
	json_object_set_new(out, "object", json_string(DOMAIN_KIND));
	struct store_change *ch = res_change_insert(rq, &domain_res, out, true);
	return res_commit(rq, &ch, 1, out, err);
}

/* GET /v1/domains/{id}: the stored domain with its state as DNS has it now */
static int domain_get(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "domain not found");
	json_t *d = arena_own_json(rq->arena, json_loads(links_present(rq, json), 0, NULL));
	const char *name = json_string_value(json_object_get(d, "domain"));
	if (!d || !name)
		return api_fail(err, ERR_INTERNAL, "stored domain does not parse");
	json_object_set_new(d, "status", json_string(domain_status(rq, name)));
	return respond_json(rq, 200, d);
}

/* DELETE /v1/domains/{id}: only once its links are deleted */
static int domain_delete(struct req *rq, struct api_error *err)
{
	const char *link = NULL;
	int rc = links_find(rq, LINK_KIND, "$.domain_id", rq->path_id, &link, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return api_fail(err, ERR_NOT_DELETABLE,
				"domain %s still has links: delete them first", rq->path_id);
	return res_delete(rq, err);
}

const struct route domain_routes[] = {
	{ HTTP_GET, "/v1/domains", res_list, &domain_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/domains", domain_create, &domain_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/domains/{id}", domain_get, &domain_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/domains/{id}", domain_delete, &domain_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
