// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Templates (/v1/templates) and their versions (/v1/templates/{id}/versions). A template is
 * stored as one object that embeds its versions, so a version and the template that
 * publishes it can never disagree: creating, updating or deleting a version is one atomic
 * read-modify-write of the template (res_mutate). The HTML is compiled when it is saved, so
 * a syntax error answers invalid_template_html at once, as Lob's does.
 */
#include "api/list.h"
#include "api/resource.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "template/handlebars.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const char *const engines[] = { "legacy", "handlebars", NULL };

/* spec: template_writable; versions: template_version_writable (no metadata) */
static const struct field template_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "html", FT_STRING, F_REQUIRED, .max = 100000 },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	{ "engine", FT_STRING, 0, .enum_vals = engines, .dflt = "legacy" },
	{ "required_vars", FT_STRING_ARRAY, 0, .max = 100, .item_max = 200 },
	FIELD_END
};

static const struct field version_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "html", FT_STRING, F_REQUIRED, .max = 100000 },
	{ "engine", FT_STRING, 0, .enum_vals = engines, .dflt = "legacy" },
	{ "required_vars", FT_STRING_ARRAY, 0, .max = 100, .item_max = 200 },
	FIELD_END
};

/* spec: template_update; template_version_updatable */
static const struct field template_update_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "published_version", FT_STRING, 0, .max = 40 },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	FIELD_END
};

static const struct field version_update_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "engine", FT_STRING, 0, .enum_vals = engines },
	{ "required_vars", FT_STRING_ARRAY, 0, .max = 100, .item_max = 200 },
	FIELD_END
};

static json_t *owned(struct req *rq, json_t *v)
{
	return arena_own_json(rq->arena, v);
}

/*
 * Compiles html with engine to find its merge variables; the version object, or NULL with
 * *err (invalid_template_html). required_vars must be names the template reads.
 */
static json_t *version_object(struct req *rq, const char *id, const json_t *given,
			      struct api_error *err)
{
	const char *html = json_string_value(json_object_get(given, "html"));
	const char *engine = json_string_value(json_object_get(given, "engine"));
	const json_t *required = json_object_get(given, "required_vars");
	bool hbs = engine && strcmp(engine, "handlebars") == 0;
	if (required && json_array_size(required) && !hbs) {
		api_fail(err, ERR_INVALID, "required_vars is only available for handlebars templates");
		return NULL;
	}
	struct hbs_template *t = hbs_compile(html, strlen(html), hbs ? HBS_HANDLEBARS : HBS_LEGACY,
					     NULL, err);
	if (!t)
		return NULL;
	json_t *keys = json_deep_copy(hbs_required_vars(t));
	hbs_free(t);
	char when[25];
	time_format_iso(rq->now_ms, when);
	json_t *v = json_object();
	json_object_set_new(v, "id", json_string(id));
	json_object_set(v, "description", json_object_get(given, "description")
						  ? json_object_get(given, "description") : json_null());
	json_object_set_new(v, "html", json_string(html));
	json_object_set_new(v, "engine", json_string(hbs ? "handlebars" : "legacy"));
	if (required)
		json_object_set(v, "required_vars", (json_t *)required);
	/* Lob's dashboard hint: block helpers need the JSON editor rather than a form */
	json_object_set_new(v, "suggest_json_editor", json_boolean(strstr(html, "{{#") != NULL));
	json_object_set_new(v, "merge_variables", json_pack("{so}", "keys", keys ? keys : json_array()));
	json_object_set_new(v, "date_created", json_string(when));
	json_object_set_new(v, "date_modified", json_string(when));
	json_object_set_new(v, "object", json_string("version"));
	return owned(rq, v);
}

static int template_before_store(struct req *rq, const json_t *body, json_t *obj,
				 struct api_error *err)
{
	(void)body;
	char *vid = arena_alloc(rq->arena, 40);
	if (ids_new("vrsn_", vid, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *version = version_object(rq, vid, obj, err);
	if (!version)
		return -1;
	/* Lob's order: id, description, versions, published_version, metadata */
	json_t *id = json_incref(json_object_get(obj, "id"));
	json_t *meta = json_incref(json_object_get(obj, "metadata"));
	json_t *desc = json_incref(json_object_get(obj, "description"));
	json_object_clear(obj);
	json_object_set_new(obj, "id", id);
	json_object_set_new(obj, "description", desc ? desc : json_null());
	json_object_set_new(obj, "versions", json_pack("[O]", version));
	json_object_set(obj, "published_version", version);
	json_object_set_new(obj, "metadata", meta ? meta : json_object());
	return 0;
}

/* the version with this id in the template, or NULL (index in *at) */
static json_t *find_version(json_t *tmpl, const char *vid, size_t *at)
{
	json_t *versions = json_object_get(tmpl, "versions");
	size_t i;
	json_t *v;
	json_array_foreach(versions, i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		if (id && vid && strcmp(id, vid) == 0) {
			if (at)
				*at = i;
			return v;
		}
	}
	return NULL;
}

static int template_apply_update(struct req *rq, json_t *obj, const json_t *changes,
				 struct api_error *err)
{
	(void)rq;
	const char *vid = json_string_value(json_object_get(changes, "published_version"));
	if (vid) {
		json_t *v = find_version(obj, vid, NULL);
		if (!v)
			return api_fail(err, ERR_NOT_FOUND,
					"published_version %.40s is not a version of this template", vid);
		json_object_set(obj, "published_version", v);
	}
	json_t *desc = json_object_get(changes, "description");
	if (desc)
		json_object_set(obj, "description", desc);
	json_t *meta = json_object_get(changes, "metadata");
	if (meta)
		json_object_set(obj, "metadata", meta);
	return 0;
}

static const char *const template_updatable[] = { "description", "published_version",
						  "metadata", NULL };

const struct resource template_res = {
	.kind = "template",
	.id_prefix = "tmpl_",
	.fields = template_fields,
	.update_fields = template_update_fields,
	.ops = { .before_store = template_before_store, .apply_update = template_apply_update },
	.updatable = template_updatable,
};

/* ---- versions: changes to the embedded array ---- */

static int version_add(struct req *rq, json_t *tmpl, void *ctx, struct res_change *out,
		       struct api_error *err)
{
	(void)err;
	json_t *version = ctx;
	json_array_append(json_object_get(tmpl, "versions"), version);
	out->response = version;
	return 0;
}

static int version_create(struct req *rq, struct api_error *err)
{
	json_t *given = owned(rq, json_object());
	char *vid = arena_alloc(rq->arena, 40);
	if (fields_validate(version_fields, rq->body_json, rq->arena, given, err) < 0)
		return -1;
	if (ids_new("vrsn_", vid, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *version = version_object(rq, vid, given, err);
	if (!version)
		return -1;
	return res_mutate(rq, rq->path_id, version_add, version, false, err);
}

static int version_not_found(struct req *rq, struct api_error *err)
{
	return api_fail(err, ERR_NOT_FOUND, "version %.40s not found", rq->path_sub);
}

static int version_change(struct req *rq, json_t *tmpl, void *ctx, struct res_change *out,
			  struct api_error *err)
{
	const json_t *changes = ctx;
	json_t *v = find_version(tmpl, rq->path_sub, NULL);
	if (!v)
		return version_not_found(rq, err);
	json_object_update_existing(v, (json_t *)changes);
	json_object_update_missing(v, (json_t *)changes);
	char when[25];
	time_format_iso(rq->now_ms, when);
	json_object_set_new(v, "date_modified", json_string(when));
	json_t *pub = json_object_get(tmpl, "published_version");
	if (strcmp(json_string_value(json_object_get(pub, "id")), rq->path_sub) == 0)
		json_object_set(tmpl, "published_version", v);
	out->response = v;
	return 0;
}

static int version_update(struct req *rq, struct api_error *err)
{
	json_t *changes = owned(rq, json_object());
	if (fields_validate_update(version_update_fields, NULL, rq->body_json, rq->arena, changes,
				   rq, err) < 0)
		return -1;
	return res_mutate(rq, rq->path_id, version_change, changes, false, err);
}

static int version_remove(struct req *rq, json_t *tmpl, void *ctx, struct res_change *out,
			  struct api_error *err)
{
	(void)ctx;
	size_t at;
	if (!find_version(tmpl, rq->path_sub, &at))
		return version_not_found(rq, err);
	const char *pub = json_string_value(
		json_object_get(json_object_get(tmpl, "published_version"), "id"));
	if (pub && strcmp(pub, rq->path_sub) == 0)
		return api_fail(err, ERR_NOT_DELETABLE,
				"A template's published_version can not be deleted");
	json_array_remove(json_object_get(tmpl, "versions"), at);
	out->response = owned(rq, json_pack("{sssb}", "id", rq->path_sub, "deleted", 1));
	return 0;
}

static int version_delete(struct req *rq, struct api_error *err)
{
	return res_mutate(rq, rq->path_id, version_remove, NULL, false, err);
}

/* reads the template for the version endpoints; NULL with *err */
static json_t *load_template(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc > 0)
		api_fail(err, ERR_NOT_FOUND, "template not found");
	return rc == 0 ? owned(rq, json_loads(json, 0, NULL)) : NULL;
}

static int version_get(struct req *rq, struct api_error *err)
{
	json_t *tmpl = load_template(rq, err);
	if (!tmpl)
		return -1;
	json_t *v = find_version(tmpl, rq->path_sub, NULL);
	if (!v)
		return version_not_found(rq, err);
	return respond_json(rq, 200, v);
}

/* versions newest first, paged with the same cursors and filters as every Lob list */
static int version_list(struct req *rq, struct api_error *err)
{
	struct store_list_query q = { 0 };
	if (list_parse_query(rq->query, rq->arena, &q, err) < 0)
		return -1;
	json_t *tmpl = load_template(rq, err);
	if (!tmpl)
		return -1;
	const char *base = arena_strfmt(rq->arena, "%s%s", rq->app->public_url, rq->path);
	json_t *env = owned(rq, list_embedded(&q, json_object_get(tmpl, "versions"), rq->arena, base,
					      rq->query_string));
	return respond_json(rq, 200, env);
}

const struct route template_routes[] = {
	{ HTTP_GET, "/v1/templates", res_list, &template_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/templates", res_create, &template_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/templates/{id}", res_get, &template_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/templates/{id}", res_update, &template_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_DELETE, "/v1/templates/{id}", res_delete, &template_res, KEY_SECRET, NULL, 0 },
	{ HTTP_GET, "/v1/templates/{id}/versions", version_list, &template_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/templates/{id}/versions", version_create, &template_res, KEY_SECRET, NULL,
	  R_BODY },
	{ HTTP_GET, "/v1/templates/{id}/versions/{sub}", version_get, &template_res, KEY_SECRET,
	  NULL, 0 },
	{ HTTP_POST, "/v1/templates/{id}/versions/{sub}", version_update, &template_res, KEY_SECRET,
	  NULL, R_BODY },
	{ HTTP_DELETE, "/v1/templates/{id}/versions/{sub}", version_delete, &template_res,
	  KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
