// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * USPS scan files and the audit log of the mail room. A scan file (IV-MTR JSON: an array of
 * piece-scan records or {"records": […]}; or pipe-delimited with a header row, as
 * `frank ingest-scans` reads) arrives as a multipart form and goes to
 * POST /v1/_frank/production/scans as records or delimited text; the counts come back as
 * the next page's notice. The audit log lists dash_audit_list newest first, by id.
 */
#include "core/jsonutil.h"
#include "dashboard/call.h"
#include "dashboard/mailroom.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/dashboard_store.h"
#include "core/parse.h"
#include <string.h>

#define AUDIT_PER_PAGE 50

static int scans_render(struct req *rq, int status, const char *error, struct api_error *err)
{
	json_t *ctx = json_object();
	if (error)
		json_object_set_new(ctx, "error", json_string(error));
	return view_page(rq, status, "mr_scans", "USPS scans", ctx, err);
}

int mr_scans_page(struct req *rq, struct api_error *err)
{
	return scans_render(rq, 200, NULL, err);
}

int mr_scans_upload(struct req *rq, struct api_error *err)
{
	const json_t *file = json_object_get(rq->body_json, "file");
	const json_t *content = json_object_get(file, "content");
	const char *text = json_string_value(content);
	size_t len = json_string_length(content);
	const char *name = dash_str(file, "filename");
	if (!text || !len)
		return scans_render(rq, 422, "Choose a scan file to upload.", err);
	json_t *body = arena_own_json(rq->arena, json_object());
	size_t lead = strspn(text, " \t\r\n\xef\xbb\xbf");
	if (text[lead] == '[' || text[lead] == '{') {
		json_error_t je;
		json_t *doc = arena_own_json(rq->arena, json_loadb(text, len, 0, &je));
		if (!doc)
			return scans_render(rq, 422,
					    arena_strfmt(rq->arena, "%s is not JSON: line %d: %s",
							 name, je.line, je.text),
					    err);
		const json_t *records = json_is_array(doc) ? doc : json_object_get(doc, "records");
		if (!json_is_array(records))
			return scans_render(rq, 422,
					    "A JSON scan file is an array of records or "
					    "{\"records\": […]}.",
					    err);
		json_object_set(body, "records", (json_t *)records);
	} else {
		json_object_set_new(body, "delimited", json_stringn(text, len));
	}
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/_frank/production/scans", body, &a) != 200)
		return scans_render(rq, a.status >= 500 ? 500 : 422, dash_answer_message(&a), err);
	long long applied = json_integer_value(json_object_get(a.json, "applied"));
	long long duplicate = json_integer_value(json_object_get(a.json, "duplicate"));
	long long unmatched = json_integer_value(json_object_get(a.json, "unmatched"));
	long long invalid = json_integer_value(json_object_get(a.json, "invalid"));
	long long rejected = json_integer_value(json_object_get(a.json, "rejected"));
	long long read = applied + duplicate + unmatched + invalid + rejected;
	const char *counts = arena_strfmt(
		rq->arena,
		"%lld records read: %lld matched (%lld new, %lld already known), %lld unmatched, "
		"%lld rejected (%lld invalid, %lld timed wrong).",
		read, applied + duplicate, applied, duplicate, unmatched, invalid + rejected,
		invalid, rejected);
	view_audit(rq, "scans.ingested", mr_clip(rq, name, 60), counts);
	return view_redirect(rq, "/dashboard/mailroom/scans",
			     mr_clip(rq, arena_strfmt(rq->arena, "%.100s: %s", name, counts), 600));
}

int mr_audit_page(struct req *rq, struct api_error *err)
{
	long long before = 0;
	const char *b = view_query(rq, "before", NULL);
	if (b && *b && parse_llong(b, 1, (1LL << 62), &before) < 0)
		return api_fail(err, ERR_INVALID, "before must be an entry number");
	struct dash_audit *rows = arena_alloc(rq->arena, sizeof(*rows) * (AUDIT_PER_PAGE + 1));
	int n = dash_audit_list(rq->app->store, before, rows, AUDIT_PER_PAGE + 1, err);
	if (n < 0)
		return -1;
	bool older = n > AUDIT_PER_PAGE;
	if (older)
		n = AUDIT_PER_PAGE;
	json_t *list = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(list,
				      json_pack("{sIssssssssss}", "id", (json_int_t)rows[i].id, "at",
						view_time(rq, rows[i].at_ms), "actor", rows[i].actor,
						"action", rows[i].action, "target", rows[i].target,
						"detail", rows[i].detail));
	json_t *ctx = json_pack("{sosbsbsI}", "entries", list, "older", older, "paged",
				before != 0, "last", (json_int_t)(n ? rows[n - 1].id : 0));
	return view_page(rq, 200, "mr_audit", "Audit log", ctx, err);
}
