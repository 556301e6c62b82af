// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A list of mail pieces (/dashboard/letters, …): the API's list with its filters as a GET
 * form and its before/after cursors as previous/next links, 25 to a page. The search box
 * takes an id (opens the piece), key:value (metadata) or the start of a recipient's name
 * (the store's name index: the API has no such filter).
 */
#include "dashboard/pieces.h"
#include "core/html.h"
#include "core/parse.h"
#include "dashboard/call.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/dashboard_store.h"
#include "store/piece_search_store.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SIZE 25
#define SEARCH_MAX 100

/* the form's fields: name in the page's query, how it reaches the API */
struct filter {
	const char *field;	/* the dashboard's parameter */
	const char *api;	/* the API's parameter */
	bool end_of_day;	/* a date that ends a range: the whole day counts */
	bool letters_only;	/* the API has it for letters only */
};

static const struct filter filters[] = {
	{ "status", "status", false, false },
	{ "created_from", "date_created[gte]", false, false },
	{ "created_to", "date_created[lte]", true, false },
	{ "send_from", "send_date[gte]", false, false },
	{ "send_to", "send_date[lte]", true, false },
	{ "campaign_id", "campaign_id", false, false },
	{ "mail_type", "mail_type", false, false },
	{ "color", "color", false, true },
	{ "meta_key", NULL, false, false },	/* with meta_value: metadata={"key":"value"} */
	{ "meta_value", NULL, false, false },
};
#define N_FILTERS (sizeof(filters) / sizeof(filters[0]))

static const struct choice statuses[] = { { "", "Any" },
					  { "processed", "Processed" },
					  { "rendered", "Rendered" },
					  { "failed", "Failed" },
					  { NULL, NULL } };
static const struct choice mail_types[] = { { "", "Any" },
					    { "usps_first_class", "First class" },
					    { "usps_standard", "Standard" },
					    { NULL, NULL } };
static const struct choice colors[] = { { "", "Any" },
					{ "true", "Colour" },
					{ "false", "Black and white" },
					{ NULL, NULL } };

static const char *trimmed(struct req *rq, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(rq->arena, s, n < SEARCH_MAX ? n : SEARCH_MAX);
}

/* an id of one of the kinds: prefix, then letters and digits only */
static const struct piece_kind *id_kind(const char *q)
{
	const struct piece_kind *k = piece_kind_of_id(q);
	if (!k || !q[strlen(k->prefix)])
		return NULL;
	for (const char *p = q + strlen(k->prefix); *p; p++)
		if (!isalnum((unsigned char)*p))
			return NULL;
	return k;
}

/* a query string of its parts (name, value pairs; empty values left out), in the arena */
struct qs {
	char *text;
	size_t len, cap;
};

static void qs_add(struct req *rq, struct qs *q, const char *name, const char *value)
{
	if (!value || !*value)
		return;
	const char *part = arena_strfmt(rq->arena, "%s%s=%s", q->len ? "&" : "", name,
					url_encode(rq->arena, value));
	size_t n = strlen(part);
	if (q->len + n + 1 > q->cap) {
		size_t cap = (q->cap + n) * 2 + 64;
		char *grown = arena_alloc(rq->arena, cap);
		memcpy(grown, q->text ? q->text : "", q->len);
		q->text = grown;
		q->cap = cap;
	}
	memcpy(q->text + q->len, part, n + 1);
	q->len += n;
}

/* the value of param in a URL's query (next_url's after=…), in the arena, or NULL */
static const char *url_param(struct req *rq, const char *url, const char *param)
{
	const char *q = url ? strchr(url, '?') : NULL;
	size_t n = strlen(param);
	while (q && *q) {
		q++;
		if (strncmp(q, param, n) == 0 && q[n] == '=')
			return arena_strndup(rq->arena, q + n + 1, strcspn(q + n + 1, "&"));
		q = strchr(q, '&');
	}
	return NULL;
}

/* a list row as the table shows it */
static json_t *row_of(struct req *rq, const struct piece_kind *k, const json_t *p)
{
	const json_t *events = json_object_get(p, "tracking_events");
	const json_t *last = json_array_get(events, json_array_size(events) - 1);
	const char *tracking = json_string_value(json_object_get(last, "name"));
	const char *number = json_string_value(json_object_get(p, "tracking_number"));
	const char *status = json_string_value(json_object_get(p, "status"));
	return json_pack("{sO?ssss?ssssssssss?}", "id", json_object_get(p, "id"), "path", k->path,
			 "to", json_string_value(json_object_get(json_object_get(p, "to"), "name")),
			 "status", status ? status : "",
			 "send_date",
			 view_iso(rq, json_string_value(json_object_get(p, "send_date"))),
			 "created",
			 view_iso(rq, json_string_value(json_object_get(p, "date_created"))),
			 "tracking", tracking ? tracking : number ? "Not yet scanned" : "—",
			 "tracking_number", number);
}

/* "created_ms.id", the name search's own cursor (the API's cursors are the API's) */
static const struct store_cursor *name_cursor(struct req *rq, const char *text)
{
	const char *dot = text ? strchr(text, '.') : NULL;
	struct store_cursor *c = arena_calloc(rq->arena, sizeof(*c));
	const char *ms = dot ? arena_strndup(rq->arena, text, (size_t)(dot - text)) : NULL;
	if (!ms || parse_llong(ms, 0, (1LL << 53), &c->created_ms) < 0 ||
	    strlen(dot + 1) >= sizeof(c->id))
		return NULL;
	memcpy(c->id, dot + 1, strlen(dot + 1) + 1);
	return c;
}

/* one page of pieces whose recipient's name starts with name */
static int by_name(struct req *rq, const struct piece_kind *k, const char *name, json_t *rows,
		   const char **next, const char **prev, struct api_error *err)
{
	struct store_list_query q = { .scope = { rq->dash->account_id, rq->dash->mode, k->kind },
				      .limit = PAGE_SIZE };
	q.after = name_cursor(rq, view_query(rq, "after", NULL));
	q.before = q.after ? NULL : name_cursor(rq, view_query(rq, "before", NULL));
	struct store_list_result r = { 0 };
	if (piece_search_name(rq->app->store, &q, name, rq->arena, &r, err) < 0)
		return -1;
	for (size_t i = 0; i < r.n; i++) {
		json_t *p = json_loads(r.json[i], 0, NULL);
		if (p)
			json_array_append_new(rows, row_of(rq, k, p));
		json_decref(p);
	}
	if (r.n && r.more_older)
		*next = arena_strfmt(rq->arena, "%lld.%s", r.cursors[r.n - 1].created_ms,
				     r.cursors[r.n - 1].id);
	if (r.n && r.more_newer)
		*prev = arena_strfmt(rq->arena, "%lld.%s", r.cursors[0].created_ms,
				     r.cursors[0].id);
	return 0;
}

int dash_pieces_list(struct req *rq, struct api_error *err)
{
	const struct piece_kind *k = piece_kind_of_path(rq->path);
	if (!k)
		return api_fail(err, ERR_NOT_FOUND, "There is no such page.");
	const char *search = trimmed(rq, view_query(rq, "q", ""));
	const struct piece_kind *idk = id_kind(search);
	if (idk)	/* an id opens its piece, whatever list it was typed in */
		return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/%s/%s", idk->path,
						      search), NULL);
	json_t *form = json_object();
	struct qs api = { 0 }, keep = { 0 };	/* the API's query; the page's, for its links */
	qs_add(rq, &api, "limit", "25");
	qs_add(rq, &keep, "q", search);
	const char *colon = strchr(search, ':');
	const char *meta_key = view_query(rq, "meta_key", ""), *meta_value =
		view_query(rq, "meta_value", "");
	if (colon && colon != search) {	/* key:value searches metadata */
		meta_key = arena_strndup(rq->arena, search, (size_t)(colon - search));
		meta_value = colon + 1;
	}
	bool filtered = *search != '\0';
	for (size_t i = 0; i < N_FILTERS; i++) {
		const struct filter *f = &filters[i];
		const char *v = trimmed(rq, view_query(rq, f->field, ""));
		if (f->letters_only && !k->color)
			v = "";
		json_object_set_new(form, f->field, json_string(v));
		qs_add(rq, &keep, f->field, v);
		filtered |= *v != '\0';
		if (!f->api || !*v)
			continue;
		if (f->end_of_day && strlen(v) == 10)	/* a date: up to its last moment */
			v = arena_strfmt(rq->arena, "%sT23:59:59.999Z", v);
		qs_add(rq, &api, f->api, v);
	}
	if (*meta_key) {
		json_t *m = json_pack("{ss}", meta_key, meta_value);
		char *text = m ? json_dumps(m, JSON_COMPACT) : NULL;
		qs_add(rq, &api, "metadata", text ? arena_strdup(rq->arena, text) : "{}");
		free(text);
		json_decref(m);
	}
	json_t *rows = json_array();
	const char *next = NULL, *prev = NULL, *error = NULL;
	int status = 200;
	const char *after = view_query(rq, "after", ""), *before = view_query(rq, "before", "");
	if (*search && !colon) {
		if (by_name(rq, k, search, rows, &next, &prev, err) < 0) {
			json_decref(rows);
			json_decref(form);
			return -1;
		}
	} else {
		qs_add(rq, &api, "after", after);
		qs_add(rq, &api, "before", *after ? "" : before);
		struct dash_answer a;
		if (dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/%s?%s", k->path, api.text),
			      NULL, &a) == 200) {
			size_t i;
			json_t *p;
			json_array_foreach(json_object_get(a.json, "data"), i, p)
				json_array_append_new(rows, row_of(rq, k, p));
			next = url_param(rq, json_string_value(json_object_get(a.json, "next_url")),
					 "after");
			prev = url_param(rq,
					 json_string_value(json_object_get(a.json, "previous_url")),
					 "before");
		} else {
			error = dash_answer_message(&a);
			status = a.status >= 400 && a.status < 500 ? 422 : 502;
		}
	}
	const char *base = arena_strfmt(rq->arena, "/dashboard/%s?%s%s", k->path,
					keep.text ? keep.text : "", keep.len ? "&" : "");
	json_t *ctx = json_pack(
		"{sssssssssssbsbso}", "path", k->path, "title", k->title, "one", k->one, "q",
		search, "base", base, "letters", k->color,
		"filtered", filtered || *after || *before, "form", form);
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "empty", json_boolean(json_array_size(rows) == 0));
	json_object_set_new(ctx, "statuses",
			    choice_options(statuses, view_query(rq, "status", "")));
	json_object_set_new(ctx, "mail_types",
			    choice_options(mail_types, view_query(rq, "mail_type", "")));
	json_object_set_new(ctx, "colors", choice_options(colors, view_query(rq, "color", "")));
	if (next)
		json_object_set_new(ctx, "next",
				    json_string(arena_strfmt(rq->arena, "%safter=%s", base,
							     url_encode(rq->arena, next))));
	if (prev)
		json_object_set_new(ctx, "prev",
				    json_string(arena_strfmt(rq->arena, "%sbefore=%s", base,
							     url_encode(rq->arena, prev))));
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	return view_page(rq, status, "pieces", k->title, ctx, err);
}
