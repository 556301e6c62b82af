// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * "Send a letter" (/dashboard/letters/new): a template of the account, a recipient and a
 * sender (a saved address, or typed), merge variables as JSON, colour, use and mail type;
 * POST /v1/letters does the rest. Lob's error messages come back into the form, the input
 * kept (422); a letter made opens its page.
 */
#include "dashboard/pieces.h"
#include "core/jsonutil.h"
#include "dashboard/call.h"
#include "dashboard/view.h"
#include <string.h>

#define LIST_LIMIT "100"

/* an address's typed fields: the form's name is "<to|from>_<API name>" */
static const struct {
	const char *api, *label;
} address_fields[] = {
	{ "name", "Name" },
	{ "company", "Company" },
	{ "address_line1", "Address line 1" },
	{ "address_line2", "Address line 2" },
	{ "address_city", "City" },
	{ "address_state", "State" },
	{ "address_zip", "ZIP code" },
	{ "address_country", "Country" },
};
#define N_ADDRESS_FIELDS (sizeof(address_fields) / sizeof(address_fields[0]))

static const struct choice use_types[] = { { "operational", "Operational" },
					   { "marketing", "Marketing" },
					   { NULL, NULL } };
static const struct choice mail_types[] = { { "usps_first_class", "USPS First Class" },
					    { "usps_standard", "USPS Standard" },
					    { NULL, NULL } };
static const struct choice colors[] = { { "false", "Black and white" },
					{ "true", "Colour" },
					{ NULL, NULL } };

static const char *field(struct req *rq, const char *name, const char *def)
{
	const char *v = rq->method == HTTP_POST ? view_form(rq, name) : NULL;
	return v ? v : def;
}

/* the data of the API's list at path (the arena's), or an empty array */
static const json_t *api_list(struct req *rq, const char *path)
{
	struct dash_answer ans;
	const json_t *data = dash_call(rq, HTTP_GET, path, NULL, &ans) == 200
				     ? json_object_get(ans.json, "data")
				     : NULL;
	return json_is_array(data) ? data : arena_own_json(rq->arena, json_array());
}

/* a select's options of a list's objects: value id, label from label_key and the id */
static json_t *list_options(struct req *rq, const json_t *data, const char *label_key,
			    const char *current)
{
	json_t *a = json_array();
	size_t i;
	const json_t *o;
	json_array_foreach(data, i, o) {
		const char *id = json_string_value(json_object_get(o, "id"));
		const char *label = json_string_value(json_object_get(o, label_key));
		if (!id)
			continue;
		json_array_append_new(
			a, json_pack("{sssssb}", "value", id, "label",
				     label && *label ? arena_strfmt(rq->arena, "%s (%s)", label, id)
						     : id,
				     "selected", strcmp(id, current) == 0));
	}
	return a;
}

/* the typed fields of one party, with what was typed */
static json_t *address_inputs(struct req *rq, const char *party)
{
	json_t *a = json_array();
	for (size_t i = 0; i < N_ADDRESS_FIELDS; i++) {
		const char *name = arena_strfmt(rq->arena, "%s_%s", party, address_fields[i].api);
		bool country = strcmp(address_fields[i].api, "address_country") == 0;
		json_array_append_new(a, json_pack("{ssssss}", "name", name, "label",
						   address_fields[i].label, "value",
						   field(rq, name, country ? "US" : "")));
	}
	return a;
}

static int form_page(struct req *rq, int status, const char *error, struct api_error *err)
{
	const json_t *templates = api_list(rq, "/v1/templates?limit=" LIST_LIMIT);
	const json_t *addresses = api_list(rq, "/v1/addresses?limit=" LIST_LIMIT);
	json_t *ctx = json_object();
	json_object_set_new(ctx, "templates", list_options(rq, templates, "description",
							   field(rq, "template_id", "")));
	json_object_set_new(ctx, "to_choices",
			    list_options(rq, addresses, "name", field(rq, "to_id", "")));
	json_object_set_new(ctx, "from_choices",
			    list_options(rq, addresses, "name", field(rq, "from_id", "")));
	json_object_set_new(ctx, "to_fields", address_inputs(rq, "to"));
	json_object_set_new(ctx, "from_fields", address_inputs(rq, "from"));
	json_object_set_new(ctx, "use_types",
			    choice_options(use_types, field(rq, "use_type", "operational")));
	json_object_set_new(ctx, "mail_types",
			    choice_options(mail_types, field(rq, "mail_type", "usps_first_class")));
	json_object_set_new(ctx, "colors", choice_options(colors, field(rq, "color", "false")));
	static const char *const texts[] = { "merge_variables", "metadata", "description" };
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		json_object_set_new(ctx, texts[i], json_string(field(rq, texts[i], "")));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	return view_page(rq, status, "letter_new", "Send a letter", ctx, err);
}

int dash_letter_new_form(struct req *rq, struct api_error *err)
{
	return form_page(rq, 200, NULL, err);
}

/* a saved address's id, or the typed fields as an address object (empty ones left out) */
static json_t *party(struct req *rq, const char *who)
{
	const char *id = view_form(rq, arena_strfmt(rq->arena, "%s_id", who));
	if (id && *id)
		return json_string(id);
	json_t *a = json_object();
	for (size_t i = 0; i < N_ADDRESS_FIELDS; i++) {
		const char *v = view_form(rq, arena_strfmt(rq->arena, "%s_%s", who,
							   address_fields[i].api));
		if (v && *v)
			json_object_set_new(a, address_fields[i].api, json_string(v));
	}
	return a;
}

/* a JSON object typed into a textarea (empty: none); NULL and *bad when it is not one */
static json_t *json_field(struct req *rq, const char *name, bool *bad)
{
	const char *text = view_form(rq, name);
	if (!text || !*text)
		return NULL;
	json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(v)) {
		json_decref(v);
		*bad = true;
		return NULL;
	}
	return v;
}

int dash_letter_new_submit(struct req *rq, struct api_error *err)
{
	const char *template_id = view_form(rq, "template_id");
	if (!template_id || !*template_id)
		return form_page(rq, 422, "Choose a template for the letter.", err);
	bool bad_merge = false, bad_meta = false;
	json_t *merge = json_field(rq, "merge_variables", &bad_merge);
	json_t *meta = json_field(rq, "metadata", &bad_meta);
	if (bad_merge || bad_meta) {
		json_decref(merge);
		json_decref(meta);
		return form_page(rq, 422,
				 bad_merge ? "Merge variables must be a JSON object, such as "
					     "{\"name\": \"Ada\"}."
					   : "Metadata must be a JSON object of strings, such as "
					     "{\"batch\": \"june\"}.",
				 err);
	}
	const char *color = view_form(rq, "color");
	const char *description = view_form(rq, "description");
	json_t *body = json_pack("{sosossss?ss?sb}", "to", party(rq, "to"), "from",
				 party(rq, "from"), "file", template_id, "use_type",
				 view_form(rq, "use_type"), "mail_type", view_form(rq, "mail_type"),
				 "color", color && strcmp(color, "true") == 0);
	if (merge)
		json_object_set_new(body, "merge_variables", merge);
	if (meta)
		json_object_set_new(body, "metadata", meta);
	if (description && *description)
		json_object_set_new(body, "description", json_string(description));
	struct dash_answer a;
	dash_call(rq, HTTP_POST, "/v1/letters", body, &a);
	json_decref(body);
	const char *id = json_string_value(json_object_get(a.json, "id"));
	if (a.status != 200 || !id)
		return form_page(rq, 422, dash_answer_message(&a), err);
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/letters/%s", id),
			     arena_strfmt(rq->arena, "Letter %s was created.", id));
}
