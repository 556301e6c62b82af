// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One mail piece (/dashboard/letters/ltr_…): its fields, its proof (page thumbnails and the
 * PDF, Frank's own signed links), its tracking timeline, its events, and Cancel for members
 * and owners (DELETE /v1/<kind>/{id}; after the cancellation window, the API's message).
 */
#include "dashboard/pieces.h"
#include "dashboard/call.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/dashboard_store.h"
#include "store/piece_search_store.h"
#include <string.h>

#define MAX_EVENTS 50

/* how a field is shown */
enum show { SHOW_TEXT, SHOW_TIME, SHOW_BOOL, SHOW_MONEY };

struct field {
	const char *key, *label;
	enum show show;
};

/* the main fields, in the order a sender reads them; absent ones are left out */
static const struct field fields[] = {
	{ "status", "Status", SHOW_TEXT },
	{ "description", "Description", SHOW_TEXT },
	{ "send_date", "Send date", SHOW_TIME },
	{ "expected_delivery_date", "Expected delivery", SHOW_TEXT },
	{ "mail_type", "Mail type", SHOW_TEXT },
	{ "use_type", "Use type", SHOW_TEXT },
	{ "carrier", "Carrier", SHOW_TEXT },
	{ "tracking_number", "Tracking number", SHOW_TEXT },
	{ "color", "Colour", SHOW_BOOL },
	{ "double_sided", "Double-sided", SHOW_BOOL },
	{ "size", "Size", SHOW_TEXT },
	{ "check_number", "Check number", SHOW_TEXT },
	{ "amount", "Amount", SHOW_MONEY },
	{ "memo", "Memo", SHOW_TEXT },
	{ "campaign_id", "Campaign", SHOW_TEXT },
	{ "template_id", "Template", SHOW_TEXT },
	{ "date_created", "Created", SHOW_TIME },
};

/* an address object's lines (name, company, street, city line, country) */
static json_t *address_lines(struct req *rq, const json_t *a)
{
	json_t *lines = json_array();
	if (json_is_string(a)) {	/* not expanded: its id */
		json_array_append_new(lines, json_copy((json_t *)a));
		return lines;
	}
	static const char *const keys[] = { "name", "company", "address_line1", "address_line2" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = json_string_value(json_object_get(a, keys[i]));
		if (v && *v)
			json_array_append_new(lines, json_string(v));
	}
	const char *city = json_string_value(json_object_get(a, "address_city"));
	const char *state = json_string_value(json_object_get(a, "address_state"));
	const char *zip = json_string_value(json_object_get(a, "address_zip"));
	const char *country = json_string_value(json_object_get(a, "address_country"));
	json_array_append_new(lines, json_string(arena_strfmt(rq->arena, "%s %s %s",
							      city ? city : "", state ? state : "",
							      zip ? zip : "")));
	if (country && *country)
		json_array_append_new(lines, json_string(country));
	return lines;
}

static const char *field_text(struct req *rq, const json_t *v, enum show show)
{
	switch (show) {
	case SHOW_TIME:
		return view_iso(rq, json_string_value(v));
	case SHOW_BOOL:
		return json_is_true(v) ? "Yes" : "No";
	case SHOW_MONEY:
		return json_is_number(v) ? arena_strfmt(rq->arena, "$%.2f", json_number_value(v))
					 : "";
	case SHOW_TEXT:
		break;
	}
	if (json_is_integer(v))
		return arena_strfmt(rq->arena, "%lld", (long long)json_integer_value(v));
	return json_string_value(v);
}

/*
 * A signed link of Frank's as a path of this site: frankd serves the files' paths itself
 * whatever --asset-url names (lob-assets.com by default, which a browser cannot reach), so
 * the page's own origin serves them and the CSP's img-src 'self' holds.
 */
static const char *own_link(struct req *rq, const char *url)
{
	const char *bases[] = { rq->app->asset_url, rq->app->public_url };
	for (size_t i = 0; url && i < 2; i++) {
		size_t n = bases[i] ? strlen(bases[i]) : 0;
		if (n && strncmp(url, bases[i], n) == 0 && url[n] == '/')
			return url + n;
	}
	return url && url[0] == '/' && url[1] != '/' ? url : NULL;
}

static json_t *thumbnails(struct req *rq, const json_t *piece)
{
	json_t *out = json_array();
	size_t i;
	const json_t *t;
	json_array_foreach(json_object_get(piece, "thumbnails"), i, t) {
		const char *medium = own_link(rq, json_string_value(json_object_get(t, "medium")));
		const char *large = own_link(rq, json_string_value(json_object_get(t, "large")));
		if (medium)
			json_array_append_new(out, json_pack("{sssssi}", "src", medium, "large",
							     large ? large : medium, "page",
							     (int)i + 1));
	}
	return out;
}

/* newest first, as a timeline reads */
static json_t *timeline(struct req *rq, const json_t *piece)
{
	json_t *out = json_array();
	const json_t *events = json_object_get(piece, "tracking_events");
	for (size_t i = json_array_size(events); i-- > 0;) {
		const json_t *e = json_array_get(events, i);
		const char *location = json_string_value(json_object_get(e, "location"));
		json_array_append_new(
			out, json_pack("{s:s?,s:s,s:s}", "name",
				       json_string_value(json_object_get(e, "name")), "time",
				       view_iso(rq, json_string_value(json_object_get(e, "time"))),
				       "location", location ? location : ""));
	}
	return out;
}

static json_t *piece_events_json(struct req *rq, const char *id, struct api_error *err)
{
	char **rows = arena_alloc(rq->arena, sizeof(char *) * MAX_EVENTS);
	int n = piece_events(rq->app->store, rq->dash->account_id, rq->dash->mode, id, rows,
			     MAX_EVENTS, rq->arena, err);
	if (n < 0)
		return NULL;
	json_t *out = json_array();
	for (int i = 0; i < n; i++) {
		json_t *e = json_loads(rows[i], 0, NULL);
		const char *type =
			json_string_value(json_object_get(json_object_get(e, "event_type"), "id"));
		json_array_append_new(
			out, json_pack("{s:s?,s:s?,s:s}", "id",
				       json_string_value(json_object_get(e, "id")), "type", type,
				       "time",
				       view_iso(rq, json_string_value(
							    json_object_get(e, "date_created")))));
		json_decref(e);
	}
	return out;
}

/* the piece's page; error (may be NULL) is a failed cancel's message */
static int show(struct req *rq, const struct piece_kind *k, int status, const char *error,
		struct api_error *err)
{
	struct dash_answer a;
	dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/%s/%s", k->path, rq->path_id), NULL,
		  &a);
	if (a.status == 404)
		return api_fail(err, ERR_NOT_FOUND, "There is no %s %s in this account's %s data.",
				k->one, rq->path_id, rq->dash->mode == MODE_LIVE ? "live" : "test");
	if (a.status != 200 || !json_is_object(a.json))
		return api_fail(err, ERR_INTERNAL, "%s", dash_answer_message(&a));
	const json_t *p = a.json;
	json_t *facts = json_array();
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const json_t *v = json_object_get(p, fields[i].key);
		const char *text = v && !json_is_null(v) ? field_text(rq, v, fields[i].show) : NULL;
		if (text && *text)
			json_array_append_new(facts, json_pack("{ssss}", "label", fields[i].label,
							       "value", text));
	}
	json_t *metadata = json_array();
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)json_object_get(p, "metadata"), key, v)
		json_array_append_new(metadata, json_pack("{ss,s:s?}", "key", key, "value",
							  json_string_value(v)));
	json_t *events = piece_events_json(rq, rq->path_id, err);
	if (!events) {
		json_decref(facts);
		json_decref(metadata);
		return -1;
	}
	const char *pdf = own_link(rq, json_string_value(json_object_get(p, "url")));
	json_t *ctx = json_pack("{sssssssssososososososo}", "id", rq->path_id, "path", k->path,
				"one", k->one, "title", k->title, "to",
				address_lines(rq, json_object_get(p, "to")), "from",
				address_lines(rq, json_object_get(p, "from")), "facts", facts,
				"metadata", metadata, "thumbnails", thumbnails(rq, p), "tracking",
				timeline(rq, p), "events", events);
	if (pdf)
		json_object_set_new(ctx, "pdf", json_string(pdf));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	const char *title = arena_strfmt(rq->arena, "%c%s %s", k->one[0] - 32, k->one + 1,
					 rq->path_id);
	json_object_set_new(ctx, "heading", json_string(title));
	return view_page(rq, status, "piece", title, ctx, err);
}

int dash_piece_show(struct req *rq, struct api_error *err)
{
	const struct piece_kind *k = piece_kind_of_path(rq->path);
	if (!k || piece_kind_of_id(rq->path_id) != k)
		return api_fail(err, ERR_NOT_FOUND, "There is no such page.");
	return show(rq, k, 200, NULL, err);
}

int dash_piece_cancel(struct req *rq, struct api_error *err)
{
	const struct piece_kind *k = piece_kind_of_path(rq->path);
	if (!k || piece_kind_of_id(rq->path_id) != k)
		return api_fail(err, ERR_NOT_FOUND, "There is no such page.");
	struct dash_answer a;
	dash_call(rq, HTTP_DELETE, arena_strfmt(rq->arena, "/v1/%s/%s", k->path, rq->path_id),
		  NULL, &a);
	if (a.status == 404)
		return api_fail(err, ERR_NOT_FOUND, "There is no %s %s.", k->one, rq->path_id);
	if (a.status != 200)	/* too late, or already canceled: the API says which */
		return show(rq, k, 422, dash_answer_message(&a), err);
	view_audit(rq, "piece.cancel", rq->path_id, k->one);
	/* a canceled piece is gone from the API (GET answers 404, as Lob's): back to the list */
	const char *notice = arena_strfmt(rq->arena, "The %s %s was canceled: it will not be "
						  "printed or mailed", k->one, rq->path_id);
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/%s", k->path), notice);
}
