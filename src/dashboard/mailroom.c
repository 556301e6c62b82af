// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail room's home, "Due today": what a cut would take now (rendered pieces no run holds,
 * due by the cutoff, counted per product and account, live and test apart: the cut's own
 * conditions, store/mailroom_store.h), and the form that cuts a print run through
 * POST /v1/_frank/production/print_runs. Also the mail room's route table.
 */
#include "dashboard/pages.h"
#include "core/jsonutil.h"
#include "core/mail_product.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "dashboard/call.h"
#include "dashboard/mailroom.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/mailroom_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DUE_MAX_ROWS 4096
#define DAY_MS 86400000LL
#define ACCOUNTS_SHOWN 50

const char *mr_clip(struct req *rq, const char *s, size_t max)
{
	char *out = arena_alloc(rq->arena, max + 1);
	utf8_sanitize(out, max + 1, s ? s : "", s ? strlen(s) : 0, true);
	return out;
}

const json_t *mr_api_get(struct req *rq, const char *path, struct api_error *err)
{
	struct dash_answer a;
	if (dash_call(rq, HTTP_GET, path, NULL, &a) == 200 && a.json)
		return a.json;
	api_fail(err, a.status == 404 ? ERR_NOT_FOUND : a.status >= 500 ? ERR_INTERNAL : ERR_INVALID,
		 "%s", dash_answer_message(&a));
	return NULL;
}

const char *mr_kinds_json(struct req *rq, bool runs_only)
{
	json_t *a = json_array();
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *mp = mail_product_at(i);
		if (!runs_only || mp->print_runs)
			json_array_append_new(a, json_string(mp->object));
	}
	char *text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	const char *out = arena_strdup(rq->arena, text ? text : "[]");
	free(text);
	return out;
}

/* adds n to row[key].live or .test of the table obj (rows keyed by label) */
static void tally(json_t *rows, const char *key_name, const char *key, enum store_mode mode,
		  long long n)
{
	json_t *row = json_object_get(rows, key);
	if (!row) {
		row = json_pack("{sssIsI}", key_name, key, "live", (json_int_t)0, "test",
				(json_int_t)0);
		json_object_set_new(rows, key, row);
	}
	const char *col = mode == MODE_LIVE ? "live" : "test";
	json_object_set_new(row, col,
			    json_integer(json_integer_value(json_object_get(row, col)) + n));
}

static json_t *values_of(json_t *rows, size_t max)
{
	json_t *out = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(rows, k, v)
		if (json_array_size(out) < max)
			json_array_append(out, v);
	json_decref(rows);
	return out;
}

/* the form's cutoff as "YYYY-MM-DDTHH:MM" (UTC) for a datetime-local control */
static const char *local_value(struct req *rq, long long ms)
{
	char iso[25];
	time_format_iso(ms, iso);
	return arena_strfmt(rq->arena, "%.16s", iso);
}

/* the page, with the form's input kept (form NULL: defaults) and an error (NULL: none) */
static int due_render(struct req *rq, int status, const json_t *form, const char *error,
		      struct api_error *err)
{
	long long cutoff = rq->now_ms;
	const char *cq = view_query(rq, "cutoff", NULL);
	long long parsed;
	if (cq && *cq && time_parse_iso(cq, &parsed) == 0 && parsed <= rq->now_ms + DAY_MS)
		cutoff = parsed;
	const char *kinds = mr_kinds_json(rq, true);
	struct mailroom_due *rows = arena_alloc(rq->arena, sizeof(*rows) * DUE_MAX_ROWS);
	int n = mailroom_due_counts(rq->app->store, kinds, cutoff, rows, DUE_MAX_ROWS, err);
	if (n < 0)
		return -1;
	json_t *by_product = json_object(), *by_account = json_object();
	long long live = 0, test = 0;
	for (int i = 0; i < n; i++) {
		tally(by_product, "product", rows[i].kind, rows[i].mode, rows[i].n);
		tally(by_account, "account", rows[i].account_id, rows[i].mode, rows[i].n);
		*(rows[i].mode == MODE_LIVE ? &live : &test) += rows[i].n;
	}
	size_t accounts = json_object_size(by_account);
	/* what is due later today (UTC), for the shift's plan */
	long long end_of_day = rq->now_ms / DAY_MS * DAY_MS + DAY_MS - 1;
	long long later = 0;
	if (end_of_day > cutoff) {
		int m = mailroom_due_counts(rq->app->store, kinds, end_of_day, rows, DUE_MAX_ROWS,
					    err);
		if (m < 0)
			return -1;
		for (int i = 0; i < m; i++)
			if (rows[i].mode == MODE_LIVE)
				later += rows[i].n;
		later -= live;
	}
	/* the cut form: its products (checked as sent, or all), cutoff, accounts, test */
	const json_t *sent = json_object_get(form, "products");
	json_t *products = json_array();
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *mp = mail_product_at(i);
		if (!mp->print_runs)
			continue;
		bool checked = !form;
		size_t j;
		json_t *v;
		json_array_foreach(sent, j, v)
			checked = checked || (json_is_string(v) &&
					      strcmp(json_string_value(v), mp->object) == 0);
		json_array_append_new(products, json_pack("{sssb}", "object", mp->object,
							  "checked", checked));
	}
	const char *f_cutoff = json_string_value(json_object_get(form, "cutoff"));
	const char *f_accounts = json_string_value(json_object_get(form, "accounts"));
	json_t *ctx = json_pack(
		"{sssIsIsIsososIsbsssssbss?}", "cutoff_shown", view_time(rq, cutoff), "live",
		(json_int_t)live, "test", (json_int_t)test, "later", (json_int_t)later,
		"by_product", values_of(by_product, 64), "by_account",
		values_of(by_account, ACCOUNTS_SHOWN), "accounts_n", (json_int_t)accounts,
		"accounts_more", accounts > ACCOUNTS_SHOWN, "form_cutoff",
		f_cutoff ? f_cutoff : local_value(rq, rq->now_ms), "form_accounts",
		f_accounts ? f_accounts : "", "form_test",
		json_object_get(form, "include_test") != NULL,
		"error", error);
	json_object_set_new(ctx, "products", products);
	json_object_set_new(ctx, "any", json_boolean(live + test > 0));
	return view_page(rq, status, "mr_due", "Due today", ctx, err);
}

int mr_due_page(struct req *rq, struct api_error *err)
{
	return due_render(rq, 200, NULL, NULL, err);
}

/* "acc_1, acc_2 acc_3" → ["acc_1","acc_2","acc_3"] */
static json_t *split_ids(const char *s)
{
	json_t *out = json_array();
	while (s && *s) {
		size_t skip = strspn(s, " ,\t\r\n");
		s += skip;
		size_t n = strcspn(s, " ,\t\r\n");
		if (n)
			json_array_append_new(out, json_stringn(s, n));
		s += n;
	}
	return out;
}

/* POST /dashboard/mailroom/runs: the form → the print-run body of the API → the run */
int mr_cut(struct req *rq, struct api_error *err)
{
	json_t *body = arena_own_json(rq->arena, json_object());
	const char *cutoff = view_form(rq, "cutoff");
	if (cutoff && *cutoff) {
		long long ms;
		char iso[25];
		if (time_parse_iso(cutoff, &ms) < 0)
			return due_render(rq, 422, rq->body_json,
					  "The cutoff is not a date and time (YYYY-MM-DDTHH:MM, UTC).",
					  err);
		time_format_iso(ms, iso);
		json_object_set_new(body, "cutoff", json_string(iso));
	}
	const json_t *products = json_object_get(rq->body_json, "products");
	if (json_is_string(products))
		json_object_set_new(body, "products", json_pack("[O]", products));
	else if (json_array_size(products))
		json_object_set(body, "products", (json_t *)products);
	else
		return due_render(rq, 422, rq->body_json, "Choose at least one product to print.",
				  err);
	json_t *accounts = split_ids(view_form(rq, "accounts"));
	if (json_array_size(accounts))
		json_object_set_new(body, "accounts", accounts);
	else
		json_decref(accounts);
	if (view_form(rq, "include_test"))
		json_object_set_new(body, "include_test", json_true());
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/_frank/production/print_runs", body, &a) != 200)
		return due_render(rq, a.status >= 500 ? 500 : 422, rq->body_json,
				  dash_answer_message(&a), err);
	const char *id = json_string_value(json_object_get(a.json, "id"));
	long long pieces = json_integer_value(json_object_get(a.json, "pieces"));
	size_t lots = json_array_size(json_object_get(a.json, "lots"));
	const char *mode = json_string_value(json_object_get(a.json, "mode"));
	view_audit(rq, "print_run.cut", id,
		   arena_strfmt(rq->arena, "%lld %s pieces in %zu lots, cutoff %s", pieces,
				mode ? mode : "", lots,
				json_string_value(json_object_get(a.json, "cutoff"))));
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/mailroom/runs/%s", id),
			     arena_strfmt(rq->arena, "Print run %s cut: %lld pieces in %zu lots.",
					  id, pieces, lots));
}

const struct route dash_mailroom_routes[] = {
	{ HTTP_GET, "/dashboard/mailroom", mr_due_page, NULL, 0, DASH_SCOPE_OPERATOR, 0 },
	{ HTTP_GET, "/dashboard/mailroom/runs", mr_runs_page, NULL, 0, DASH_SCOPE_OPERATOR, 0 },
	{ HTTP_POST, "/dashboard/mailroom/runs", mr_cut, NULL, 0, DASH_SCOPE_OPERATOR, R_BODY },
	{ HTTP_GET, "/dashboard/mailroom/runs/{id}", mr_run_page, NULL, 0, DASH_SCOPE_OPERATOR, 0 },
	{ HTTP_POST, "/dashboard/mailroom/runs/{id}/printed", mr_mark_printed, NULL, 0,
	  DASH_SCOPE_OPERATOR, R_BODY },
	{ HTTP_POST, "/dashboard/mailroom/runs/{id}/mailed", mr_mark_mailed, NULL, 0,
	  DASH_SCOPE_OPERATOR, R_BODY },
	{ HTTP_POST, "/dashboard/mailroom/runs/{id}/spoiled", mr_mark_spoiled, NULL, 0,
	  DASH_SCOPE_OPERATOR, R_BODY },
	{ HTTP_POST, "/dashboard/mailroom/runs/{id}/scan", mr_mark_scan, NULL, 0,
	  DASH_SCOPE_OPERATOR, R_BODY },
	{ HTTP_GET, "/dashboard/mailroom/failed", mr_failed_page, NULL, 0, DASH_SCOPE_OPERATOR, 0 },
	{ HTTP_GET, "/dashboard/mailroom/failed/{id}", mr_why_page, NULL, 0, DASH_SCOPE_OPERATOR,
	  0 },
	{ HTTP_POST, "/dashboard/mailroom/failed/{id}/retry", mr_retry, NULL, 0,
	  DASH_SCOPE_OPERATOR, R_BODY },
	{ HTTP_GET, "/dashboard/mailroom/scans", mr_scans_page, NULL, 0, DASH_SCOPE_OPERATOR, 0 },
	{ HTTP_POST, "/dashboard/mailroom/scans", mr_scans_upload, NULL, 0, DASH_SCOPE_OPERATOR,
	  R_BODY },
	{ HTTP_GET, "/dashboard/mailroom/audit", mr_audit_page, NULL, 0, DASH_SCOPE_OPERATOR, 0 },
	{ .pattern = NULL }
};
