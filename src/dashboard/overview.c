// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The overview: the account's mail pieces of the last 30 days by status, drawn as a stacked
 * bar chart (SVG written here: numbers and escaped names only, no script, no chart library),
 * with the same figures as a table for screen readers, and first steps for a new account.
 */
#include "dashboard/pages.h"
#include "core/html.h"
#include "dashboard/call.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/dashboard_store.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define DAYS 30
#define DAY_MS 86400000LL
#define MAX_STATUSES 8
#define MAX_ROWS 2048

/* the statuses' colours, in order of first appearance (readable on white, and apart) */
static const char *const palette[MAX_STATUSES] = { "#2563eb", "#16a34a", "#d97706", "#9333ea",
						   "#dc2626", "#0891b2", "#4b5563", "#be185d" };

struct series {
	char status[32];
	long long per_day[DAYS];
	long long total;
};

static int series_of(struct series *s, int *n, const char *status)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(s[i].status, status) == 0)
			return i;
	int last = MAX_STATUSES - 1;	/* past the palette: one "other" series */
	if (*n == MAX_STATUSES) {
		snprintf(s[last].status, sizeof(s[last].status), "other");
		return last;
	}
	memset(&s[*n], 0, sizeof(s[*n]));
	snprintf(s[*n].status, sizeof(s[*n].status), "%s", status);
	return (*n)++;
}

/* appends to a fixed buffer; the chart's size is bounded (30 bars of 8 statuses) */
struct out {
	char *buf;
	size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap - 1;
}

static const char *chart_svg(struct req *rq, const struct series *s, int ns, long long since_ms)
{
	long long max = 1;
	for (int d = 0; d < DAYS; d++) {
		long long sum = 0;
		for (int i = 0; i < ns; i++)
			sum += s[i].per_day[d];
		if (sum > max)
			max = sum;
	}
	const int W = 720, H = 220, left = 40, bottom = 24, bw = (W - left) / DAYS;
	struct out o = { arena_alloc(rq->arena, 96 * 1024), 0, 96 * 1024 };
	o.buf[0] = '\0';
	put(&o, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-labelledby=\"chart-title\"><title id=\"chart-title\">Mail pieces created per "
		"day over the last 30 days, by status</title><text x=\"0\" y=\"12\" "
		"class=\"axis\">%lld</text><text x=\"0\" y=\"%d\" class=\"axis\">0</text>",
	    W, H, max, H - bottom);
	for (int d = 0; d < DAYS; d++) {
		double y = H - bottom;
		const char *day = view_time(rq, since_ms + d * DAY_MS);
		for (int i = 0; i < ns; i++) {
			if (!s[i].per_day[d])
				continue;
			double h = (double)s[i].per_day[d] * (H - bottom - 16) / (double)max;
			y -= h;
			put(&o, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\">"
				"<title>%.10s: %lld %s</title></rect>",
			    left + d * bw, y, bw - 2, h, palette[i], day, s[i].per_day[d],
			    html_escape(rq->arena, s[i].status));
		}
		if (d % 7 == 0)
			put(&o, "<text x=\"%d\" y=\"%d\" class=\"axis\">%.5s</text>", left + d * bw,
			    H - 6, day + 5);
	}
	put(&o, "</svg>");
	return o.buf;
}

int dash_overview(struct req *rq, struct api_error *err)
{
	if (rq->dash->operator_id[0])	/* an operator's home is the mail room */
		return view_redirect(rq, "/dashboard/mailroom", NULL);
	if (rq->dash->role == ROLE_NONE) {	/* removed from the account since signing in */
		api_fail(err, ERR_UNAUTHORIZED, "You no longer belong to this account.");
		err->status = 403;
		return -1;
	}
	long long today = rq->now_ms / DAY_MS * DAY_MS;
	long long since = today - (DAYS - 1) * DAY_MS;
	struct dash_count *rows = arena_alloc(rq->arena, sizeof(*rows) * MAX_ROWS);
	int n = dash_piece_counts(rq->app->store, rq->dash->account_id, rq->dash->mode, since, rows,
				  MAX_ROWS, err);
	if (n < 0)
		return -1;
	struct series s[MAX_STATUSES];
	int ns = 0;
	long long total = 0;
	json_t *kinds = json_object();
	for (int i = 0; i < n; i++) {
		if (rows[i].day < 0 || rows[i].day >= DAYS)
			continue;
		int k = series_of(s, &ns, rows[i].status);
		s[k].per_day[rows[i].day] += rows[i].n;
		s[k].total += rows[i].n;
		total += rows[i].n;
		json_t *kn = json_object_get(kinds, rows[i].kind);
		json_object_set_new(kinds, rows[i].kind,
				    json_integer(json_integer_value(kn) + rows[i].n));
	}
	json_t *legend = json_array();
	for (int i = 0; i < ns; i++)
		json_array_append_new(legend, json_pack("{sssssI}", "status", s[i].status, "color",
							palette[i], "count", (json_int_t)s[i].total));
	json_t *by_kind = json_array();
	const char *k;
	json_t *v;
	json_object_foreach(kinds, k, v)
		json_array_append_new(by_kind, json_pack("{sssO}", "kind", k, "count", v));
	json_decref(kinds);
	/* the newest letters, through the API itself (dashboard/call.h) */
	struct dash_answer recent;
	json_t *letters = json_array();
	if (dash_call(rq, HTTP_GET, "/v1/letters?limit=5", NULL, &recent) == 200) {
		size_t i;
		json_t *l;
		json_array_foreach(json_object_get(recent.json, "data"), i, l)
			json_array_append_new(
				letters,
				json_pack("{sO?sO?ss}", "id", json_object_get(l, "id"), "to",
					  json_object_get(json_object_get(l, "to"), "name"), "created",
					  view_iso(rq, json_string_value(
							       json_object_get(l, "date_created")))));
	}
	json_t *ctx = json_pack("{sIsosossso}", "total", (json_int_t)total, "legend", legend,
				"by_kind", by_kind, "chart_svg", chart_svg(rq, s, ns, since),
				"recent", letters);
	return view_page(rq, 200, "overview", "Overview", ctx, err);
}
