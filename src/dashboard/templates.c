// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Templates in the dashboard: the list, a new template, a template's page with its HTML
 * editor (saving makes a new version), its versions (publishing one makes it the
 * published_version through the API's update), deleting, and its preview
 * (templates_preview.c). All of it through Frank's API (dash_call), so validation, errors
 * and events are the API's own. Also the group's route table.
 */
#include "dashboard/pages.h"
#include "dashboard/templates_pages.h"
#include "core/html.h"
#include "dashboard/view.h"
#include <stdlib.h>
#include <string.h>

#define PAGE 20

int dash_templates_list(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (dash_call(rq, HTTP_GET, dash_list_path(rq, "/v1/templates", PAGE, NULL), NULL, &a) !=
	    200)
		return api_fail(err, a.status == 422 ? ERR_INVALID : ERR_INTERNAL, "%s",
				dash_answer_message(&a));
	json_t *rows = json_array();
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(a.json, "data"), i, t) {
		json_t *pub = json_object_get(t, "published_version");
		json_array_append_new(rows, json_pack("{ssssssss}", "id", dash_str(t, "id"),
						      "description", dash_str(t, "description"),
						      "published", dash_str(pub, "id"), "updated",
						      view_iso(rq, dash_str(t, "date_modified"))));
	}
	json_t *ctx = json_pack("{soso}", "templates", rows, "pager",
				dash_pager(rq, "/dashboard/templates", a.json));
	return view_page(rq, 200, "tpl_list", "Templates", ctx, err);
}

static int new_form(struct req *rq, int status, const char *error, struct api_error *err)
{
	const char *html = view_form(rq, "html");
	json_t *ctx = json_pack("{ss?ssss}", "error", error, "description",
				error ? (view_form(rq, "description") ? view_form(rq, "description") : "")
				      : "",
				"html", error && html ? html
						      : "<html>\n<body>\n  <h1>Hello {{name}}</h1>\n"
							"</body>\n</html>\n");
	json_object_set_new(ctx, "handlebars",
			    json_boolean(!error || !view_form(rq, "engine") ||
					 strcmp(view_form(rq, "engine"), "handlebars") == 0));
	return view_page(rq, status, "tpl_new", "New template", ctx, err);
}

int dash_template_new(struct req *rq, struct api_error *err)
{
	return new_form(rq, 200, NULL, err);
}

/* the body of a create or a new version, from the form */
static json_t *html_body(struct req *rq)
{
	const char *desc = view_form(rq, "description"), *engine = view_form(rq, "engine");
	json_t *body = json_pack("{ss}", "html", view_form(rq, "html") ? view_form(rq, "html") : "");
	if (desc && *desc)
		json_object_set_new(body, "description", json_string(desc));
	json_object_set_new(body, "engine", json_string(engine && *engine ? engine : "handlebars"));
	return arena_own_json(rq->arena, body);
}

int dash_template_create(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/templates", html_body(rq), &a) / 100 != 2)
		return new_form(rq, 422, dash_answer_message(&a), err);
	const char *id = dash_str(a.json, "id");
	view_audit(rq, "template.create", id, NULL);
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/templates/%s", id),
			     "Template created.");
}

/* sample merge variables: each variable the published version reads, valued by its name */
static const char *sample_vars(struct req *rq, const json_t *version)
{
	json_t *vars = json_object();
	size_t i;
	json_t *k;
	json_array_foreach(json_object_get(json_object_get(version, "merge_variables"), "keys"), i,
			   k)
		if (json_is_string(k))
			json_object_set_new(vars, json_string_value(k), json_string(json_string_value(k)));
	char *s = json_dumps(vars, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(vars);
	const char *out = s ? arena_strdup(rq->arena, s) : "{}";
	free(s);
	return out;
}

/* the template's page; after a refused form, status 422 with error and the input kept */
static int show(struct req *rq, int status, const char *error, const char *preview_error,
		struct api_error *err)
{
	const char *id = rq->path_id;
	if (!dash_id_ok(id))
		return api_fail(err, ERR_NOT_FOUND, "template not found");
	struct dash_answer a, v;
	if (dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/templates/%s", id), NULL, &a) !=
	    200)
		return api_fail(err, a.status == 404 ? ERR_NOT_FOUND : ERR_INTERNAL, "%s",
				dash_answer_message(&a));
	const json_t *pub = json_object_get(a.json, "published_version");
	const char *pub_id = dash_str(pub, "id");
	json_t *versions = json_array();
	json_t *pager = NULL;
	const char *vbase = arena_strfmt(rq->arena, "/v1/templates/%s/versions", id);
	if (dash_call(rq, HTTP_GET, dash_list_path(rq, vbase, PAGE, NULL), NULL, &v) == 200) {
		size_t i;
		json_t *x;
		json_array_foreach(json_object_get(v.json, "data"), i, x)
			json_array_append_new(
				versions,
				json_pack("{sssssssb}", "id", dash_str(x, "id"), "description",
					  dash_str(x, "description"), "created",
					  view_iso(rq, dash_str(x, "date_created")), "published",
					  strcmp(dash_str(x, "id"), pub_id) == 0));
		pager = dash_pager(rq, arena_strfmt(rq->arena, "/dashboard/templates/%s", id),
				   v.json);
	}
	const char *html = error ? view_form(rq, "html") : NULL;
	const char *vdesc = error ? view_form(rq, "description") : NULL;
	const char *vars = preview_error ? view_form(rq, "merge_variables") : NULL;
	json_t *ctx = json_pack("{sssssssssssoso}", "id", id, "description",
				dash_str(a.json, "description"), "published", pub_id, "updated",
				view_iso(rq, dash_str(a.json, "date_modified")), "engine",
				dash_str(pub, "engine"), "versions", versions, "pager",
				pager ? pager : json_object());
	json_object_set_new(ctx, "html", json_string(html ? html : dash_str(pub, "html")));
	json_object_set_new(ctx, "merge_variables",
			    json_string(vars ? vars : sample_vars(rq, pub)));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	if (preview_error)
		json_object_set_new(ctx, "preview_error", json_string(preview_error));
	if (vdesc)
		json_object_set_new(ctx, "version_description", json_string(vdesc));
	json_object_set_new(ctx, "handlebars", json_boolean(strcmp(dash_str(pub, "engine"),
								   "legacy") != 0));
	dash_template_preview_ctx(rq, ctx);
	const char *desc = dash_str(a.json, "description");
	return view_page(rq, status, "tpl_show",
			 arena_strfmt(rq->arena, "Template %s", *desc ? desc : id), ctx, err);
}

int dash_template_show(struct req *rq, struct api_error *err)
{
	return show(rq, 200, NULL, NULL, err);
}

int dash_template_version(struct req *rq, struct api_error *err)
{
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "template not found");
	struct dash_answer a;
	const char *path = arena_strfmt(rq->arena, "/v1/templates/%s/versions", rq->path_id);
	if (dash_call(rq, HTTP_POST, path, html_body(rq), &a) / 100 != 2)
		return show(rq, 422, dash_answer_message(&a), NULL, err);
	view_audit(rq, "template.version", rq->path_id, dash_str(a.json, "id"));
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/templates/%s", rq->path_id),
			     arena_strfmt(rq->arena, "Saved as version %s. Publish it to use it.",
					  dash_str(a.json, "id")));
}

int dash_template_publish(struct req *rq, struct api_error *err)
{
	const char *vid = view_form(rq, "version");
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "template not found");
	json_t *body = arena_own_json(rq->arena, json_pack("{ss}", "published_version",
							   vid ? vid : ""));
	struct dash_answer a;
	const char *path = arena_strfmt(rq->arena, "/v1/templates/%s", rq->path_id);
	if (dash_call(rq, HTTP_POST, path, body, &a) / 100 != 2)
		return show(rq, 422, dash_answer_message(&a), NULL, err);
	view_audit(rq, "template.publish", rq->path_id, vid);
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/templates/%s", rq->path_id),
			     arena_strfmt(rq->arena, "Version %s is published.", vid));
}

int dash_template_delete(struct req *rq, struct api_error *err)
{
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "template not found");
	struct dash_answer a;
	const char *path = arena_strfmt(rq->arena, "/v1/templates/%s", rq->path_id);
	if (dash_call(rq, HTTP_DELETE, path, NULL, &a) / 100 != 2)
		return show(rq, 422, dash_answer_message(&a), NULL, err);
	view_audit(rq, "template.delete", rq->path_id, NULL);
	return view_redirect(rq, "/dashboard/templates",
			     arena_strfmt(rq->arena, "Template %s was deleted.", rq->path_id));
}

int dash_template_preview_refused(struct req *rq, const char *message, struct api_error *err)
{
	return show(rq, 422, NULL, message, err);
}

const struct route dash_template_routes[] = {
	{ HTTP_GET, "/dashboard/templates", dash_templates_list, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_GET, "/dashboard/templates/new", dash_template_new, NULL, 0, DASH_SCOPE_MEMBER, 0 },
	{ HTTP_POST, "/dashboard/templates", dash_template_create, NULL, 0, DASH_SCOPE_MEMBER,
	  R_BODY },
	{ HTTP_GET, "/dashboard/templates/{id}", dash_template_show, NULL, 0, DASH_SCOPE_VIEWER,
	  0 },
	{ HTTP_POST, "/dashboard/templates/{id}/versions", dash_template_version, NULL, 0,
	  DASH_SCOPE_MEMBER, R_BODY },
	{ HTTP_POST, "/dashboard/templates/{id}/publish", dash_template_publish, NULL, 0,
	  DASH_SCOPE_MEMBER, R_BODY },
	{ HTTP_POST, "/dashboard/templates/{id}/delete", dash_template_delete, NULL, 0,
	  DASH_SCOPE_MEMBER, R_BODY },
	{ HTTP_POST, "/dashboard/templates/{id}/preview", dash_template_preview, NULL, 0,
	  DASH_SCOPE_MEMBER, R_BODY },
	{ HTTP_GET, "/dashboard/addresses", dash_addresses_list, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_GET, "/dashboard/addresses/new", dash_address_new, NULL, 0, DASH_SCOPE_MEMBER, 0 },
	{ HTTP_POST, "/dashboard/addresses", dash_address_create, NULL, 0, DASH_SCOPE_MEMBER,
	  R_BODY },
	{ HTTP_GET, "/dashboard/addresses/{id}", dash_address_show, NULL, 0, DASH_SCOPE_VIEWER,
	  0 },
	{ HTTP_POST, "/dashboard/addresses/{id}/delete", dash_address_delete, NULL, 0,
	  DASH_SCOPE_MEMBER, R_BODY },
	{ HTTP_GET, "/dashboard/verify", dash_verify_page, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/verify/us", dash_verify_us, NULL, 0, DASH_SCOPE_MEMBER, R_BODY },
	{ HTTP_POST, "/dashboard/verify/intl", dash_verify_intl, NULL, 0, DASH_SCOPE_MEMBER,
	  R_BODY },
	{ HTTP_POST, "/dashboard/verify/csv", dash_verify_csv, NULL, 0, DASH_SCOPE_MEMBER,
	  R_BODY },
	{ .pattern = NULL }
};
