// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /dashboard/settings: the account's settings through GET/POST /v1/_frank/settings
 * (mail/settings.h): cancellation windows per product, address and merge-variable
 * strictness, the default use_type — which govern live mail, so the API changes them only
 * for live data (a test-mode session is told to switch) — and the test-mode tracking
 * simulation. In test mode, the clock (GET/POST /v1/_frank/clock): movable only when frankd
 * runs with FRANK_CLOCK; otherwise shown read-only, saying so. Owners change, others look.
 */
#include "dashboard/account.h"
#include "core/mail_product.h"
#include "core/parse.h"
#include "dashboard/view.h"
#include "http/app.h"
#include <math.h>
#include <string.h>

#define CLOCK_MAX_HOURS (31 * 24)

static json_t *options(const char *const *names, const char *chosen)
{
	json_t *a = json_array();
	for (size_t i = 0; names[i]; i++)
		json_array_append_new(a, json_pack("{sssssb}", "value", names[i], "label",
						   *names[i] ? names[i] : "none (each piece says)",
						   "selected", strcmp(names[i], chosen) == 0));
	return a;
}

static const char *const strictness[] = { "relaxed", "normal", "strict", NULL };
static const char *const merge[] = { "relaxed", "strict", NULL };
static const char *const use_types[] = { "", "marketing", "operational", NULL };

static const char *num(struct req *rq, const json_t *v)
{
	return arena_strfmt(rq->arena, "%g", json_number_value(v));
}

static int settings_page(struct req *rq, int status, const char *error, struct api_error *err)
{
	struct dash_answer s, c;
	if (acct_call(rq, HTTP_GET, "/v1/_frank/settings", NULL, &s, err) < 0)
		return -1;
	json_t *w = json_object_get(s.json, "cancellation_windows"), *windows = json_array();
	for (size_t i = 0; i < mail_product_count(); i++) {
		const char *obj = mail_product_at(i)->object;
		json_t *v = json_object_get(w, obj);
		if (!v)
			continue;
		char *label = arena_strdup(rq->arena, obj);
		for (char *p = label; *p; p++)
			if (*p == '_')
				*p = ' ';
		json_array_append_new(windows, json_pack("{sssssI}", "object", obj, "label", label,
							 "minutes",
							 (json_int_t)json_integer_value(v)));
	}
	json_t *sim = json_object_get(s.json, "tracking_simulation");
	const char *use = acct_str(s.json, "default_use_type", "");
	bool live = rq->dash->mode == MODE_LIVE;
	json_t *ctx = json_pack(
		"{sosososos{sbssssssss}sbss?}", "windows", windows, "strictness",
		options(strictness, acct_str(s.json, "us_address_strictness", "")), "merge",
		options(merge, acct_str(s.json, "merge_variable_strictness", "")), "use_types",
		options(use_types, use), "sim", "enabled",
		json_is_true(json_object_get(sim, "enabled")), "speed",
		num(rq, json_object_get(sim, "speed")), "reroute",
		num(rq, json_object_get(sim, "reroute_share")), "return",
		num(rq, json_object_get(sim, "return_share")), "issue",
		num(rq, json_object_get(sim, "issue_share")), "live", live, "error", error);
	if (!live && dash_call(rq, HTTP_GET, "/v1/_frank/clock", NULL, &c) == 200)
		json_object_set_new(ctx, "clock",
				    json_pack("{sssb}", "now", view_iso(rq, acct_str(c.json, "now",
										    NULL)),
					      "movable",
					      json_is_true(json_object_get(c.json, "test_clock"))));
	return view_page(rq, status, "acct_settings", "Settings", ctx, err);
}

int acct_settings(struct req *rq, struct api_error *err)
{
	return settings_page(rq, 200, NULL, err);
}

/* a form number as JSON; text that is not one goes as it is, for the API's own message */
static json_t *form_number(const char *v, bool integer)
{
	long long n;
	double d;
	if (integer && v && parse_llong(v, 0, 1LL << 40, &n) == 0)
		return json_integer(n);
	if (!integer && v && parse_double(v, -1e9, 1e9, &d) == 0)
		return json_real(d);
	return json_string(v ? v : "");
}

/* the API's answer: back to the page, or the page again with its message */
static int after_post(struct req *rq, const struct dash_answer *a, const char *what,
		      struct api_error *err)
{
	if (a->status == 200) {
		view_audit(rq, "settings.changed", rq->dash->account_id, what);
		return view_redirect(rq, "/dashboard/settings", "Settings saved.");
	}
	if (a->status >= 500)
		return acct_fail(a, err);
	return settings_page(rq, a->status == 403 ? 403 : 422, dash_answer_message(a), err);
}

int acct_settings_save(struct req *rq, struct api_error *err)
{
	json_t *body = arena_own_json(rq->arena, json_object()), *w = json_object();
	json_object_set_new(body, "cancellation_windows", w);
	for (size_t i = 0; i < mail_product_count(); i++) {
		const char *obj = mail_product_at(i)->object;
		const char *v = view_form(rq, arena_strfmt(rq->arena, "cw_%s", obj));
		if (v)
			json_object_set_new(w, obj, form_number(v, true));
	}
	static const char *const fields[] = { "us_address_strictness", "merge_variable_strictness",
					      NULL };
	for (size_t i = 0; fields[i]; i++)
		if (view_form(rq, fields[i]))
			json_object_set_new(body, fields[i], json_string(view_form(rq, fields[i])));
	const char *use = view_form(rq, "default_use_type");
	if (use)
		json_object_set_new(body, "default_use_type", *use ? json_string(use) : json_null());
	struct dash_answer a;
	dash_call(rq, HTTP_POST, "/v1/_frank/settings", body, &a);
	return after_post(rq, &a, "live mail", err);
}

int acct_settings_simulation(struct req *rq, struct api_error *err)
{
	json_t *sim = json_object();
	json_t *body = arena_own_json(rq->arena, json_pack("{so}", "tracking_simulation", sim));
	json_object_set_new(sim, "enabled", json_boolean(view_form(rq, "enabled") != NULL));
	static const char *const fields[][2] = { { "speed", "speed" },
						 { "reroute", "reroute_share" },
						 { "return", "return_share" },
						 { "issue", "issue_share" } };
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (view_form(rq, fields[i][0]))
			json_object_set_new(sim, fields[i][1],
					    form_number(view_form(rq, fields[i][0]), false));
	struct dash_answer a;
	dash_call(rq, HTTP_POST, "/v1/_frank/settings", body, &a);
	return after_post(rq, &a, "tracking simulation", err);
}

int acct_settings_clock(struct req *rq, struct api_error *err)
{
	double hours;
	const char *v = view_form(rq, "advance_hours");
	if (rq->dash->mode == MODE_LIVE)
		return settings_page(rq, 422, "The test clock is for test data only.", err);
	if (!v || parse_double(v, 0, CLOCK_MAX_HOURS, &hours) < 0)
		return settings_page(rq, 422, "Move the clock forward by 0 to 744 hours.", err);
	json_t *body = arena_own_json(rq->arena, json_pack("{sI}", "advance_seconds",
							   (json_int_t)llround(hours * 3600)));
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/_frank/clock", body, &a) != 200)
		return a.status >= 500 ? acct_fail(&a, err)
				       : settings_page(rq, 422, dash_answer_message(&a), err);
	view_audit(rq, "clock.advanced", "test clock", v);
	return view_redirect(rq, "/dashboard/settings", "The test clock moved forward.");
}
