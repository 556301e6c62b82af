// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The address book in the dashboard: the list (newest first, a page at a time through the
 * API's cursors, or one address found by its id), a form that creates one (POST
 * /v1/addresses: Lob's own validation, its message shown in the form with the input kept),
 * an address's page and deleting it.
 */
#include "dashboard/templates_pages.h"
#include "dashboard/view.h"
#include <string.h>

#define PAGE 20

/* the form's fields, in the API's names, as the form shows them */
static const struct {
	const char *name, *label, *autocomplete;
	int max;
	bool required;
} form_fields[] = {
	{ "name", "Name", "name", 40, false },
	{ "company", "Company", "organization", 40, false },
	{ "address_line1", "Address line 1", "address-line1", 64, true },
	{ "address_line2", "Address line 2", "address-line2", 64, false },
	{ "address_city", "City", "address-level2", 200, false },
	{ "address_state", "State", "address-level1", 200, false },
	{ "address_zip", "ZIP or postal code", "postal-code", 40, false },
	{ "address_country", "Country (two letters)", "country", 56, false },
	{ "email", "E-mail", "email", 100, false },
	{ "phone", "Phone", "tel", 40, false },
	{ "description", "Description", "off", 255, false },
};
#define N_FIELDS (sizeof(form_fields) / sizeof(form_fields[0]))

static const char *one_line(struct req *rq, const json_t *a)
{
	return arena_strfmt(rq->arena, "%s%s%s, %s %s %s", dash_str(a, "address_line1"),
			    *dash_str(a, "address_line2") ? ", " : "", dash_str(a, "address_line2"),
			    dash_str(a, "address_city"), dash_str(a, "address_state"),
			    dash_str(a, "address_zip"));
}

static json_t *row(struct req *rq, const json_t *a)
{
	const char *who = *dash_str(a, "name") ? dash_str(a, "name") : dash_str(a, "company");
	return json_pack("{ssssssssss}", "id", dash_str(a, "id"), "who", who, "address",
			 one_line(rq, a), "country", dash_str(a, "address_country"), "created",
			 view_iso(rq, dash_str(a, "date_created")));
}

int dash_addresses_list(struct req *rq, struct api_error *err)
{
	const char *id = view_query(rq, "id", NULL);
	struct dash_answer a;
	json_t *ctx = json_object();
	if (id && *id) {	/* one address, by its id */
		json_object_set_new(ctx, "id", json_string(id));
		json_object_set_new(ctx, "searched", json_true());
		json_t *rows = json_array();
		if (dash_id_ok(id) &&
		    dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/addresses/%s", id), NULL,
			      &a) == 200)
			json_array_append_new(rows, row(rq, a.json));
		json_object_set_new(ctx, "addresses", rows);
		json_object_set_new(ctx, "pager", json_object());
		return view_page(rq, 200, "addr_list", "Addresses", ctx, err);
	}
	if (dash_call(rq, HTTP_GET, dash_list_path(rq, "/v1/addresses", PAGE, NULL), NULL, &a) !=
	    200) {
		json_decref(ctx);
		return api_fail(err, a.status == 422 ? ERR_INVALID : ERR_INTERNAL, "%s",
				dash_answer_message(&a));
	}
	json_t *rows = json_array();
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(a.json, "data"), i, x)
		json_array_append_new(rows, row(rq, x));
	json_object_set_new(ctx, "addresses", rows);
	json_object_set_new(ctx, "pager", dash_pager(rq, "/dashboard/addresses", a.json));
	return view_page(rq, 200, "addr_list", "Addresses", ctx, err);
}

static int form(struct req *rq, int status, const char *error, struct api_error *err)
{
	json_t *fields = json_array();
	for (size_t i = 0; i < N_FIELDS; i++) {
		const char *v = view_form(rq, form_fields[i].name);
		if (!v && strcmp(form_fields[i].name, "address_country") == 0)
			v = "US";
		json_array_append_new(fields,
				      json_pack("{sssssssssisb}", "name", form_fields[i].name,
						"label", form_fields[i].label, "autocomplete",
						form_fields[i].autocomplete, "value", v ? v : "",
						"max", form_fields[i].max, "required",
						form_fields[i].required));
	}
	json_t *ctx = json_pack("{soss?}", "fields", fields, "error", error);
	return view_page(rq, status, "addr_new", "New address", ctx, err);
}

int dash_address_new(struct req *rq, struct api_error *err)
{
	return form(rq, 200, NULL, err);
}

int dash_address_create(struct req *rq, struct api_error *err)
{
	json_t *body = arena_own_json(rq->arena, json_object());
	for (size_t i = 0; i < N_FIELDS; i++) {
		const char *v = view_form(rq, form_fields[i].name);
		if (v && *v)	/* an empty box is an absent field, as in Lob's dashboard */
			json_object_set_new(body, form_fields[i].name, json_string(v));
	}
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/addresses", body, &a) / 100 != 2)
		return form(rq, 422, dash_answer_message(&a), err);
	const char *id = dash_str(a.json, "id");
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/addresses/%s", id),
			     "Address created.");
}

int dash_address_show(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id) ||
	    dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/addresses/%s", rq->path_id),
		      NULL, &a) != 200)
		return api_fail(err, ERR_NOT_FOUND, "address not found");
	json_t *facts = json_array();
	for (size_t i = 0; i < N_FIELDS; i++) {
		const char *v = dash_str(a.json, form_fields[i].name);
		if (*v)
			json_array_append_new(facts, json_pack("{ssss}", "label",
							       form_fields[i].label, "value", v));
	}
	json_t *ctx = json_pack("{sssoss}", "id", rq->path_id, "facts", facts, "created",
				view_iso(rq, dash_str(a.json, "date_created")));
	return view_page(rq, 200, "addr_show", arena_strfmt(rq->arena, "Address %s", rq->path_id),
			 ctx, err);
}

int dash_address_delete(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "address not found");
	if (dash_call(rq, HTTP_DELETE, arena_strfmt(rq->arena, "/v1/addresses/%s", rq->path_id),
		      NULL, &a) / 100 != 2)
		return api_fail(err, a.status == 404 ? ERR_NOT_FOUND : ERR_INVALID, "%s",
				dash_answer_message(&a));
	return view_redirect(rq, "/dashboard/addresses",
			     arena_strfmt(rq->arena, "Address %s was deleted.", rq->path_id));
}
