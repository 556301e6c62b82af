// SPDX-License-Identifier: AGPL-3.0-or-later
/* Dashboard pages: templates, the layout, redirects and the headers they share (view.h). */
#include "dashboard/view.h"
#include "core/html.h"
#include "core/config.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "store/dashboard_store.h"
#include "template/handlebars.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIEW_MAX_TEMPLATES 96
#define VIEW_TEMPLATE_MAX_BYTES (256 * 1024)
#define NOTICE_COOKIE "frank_notice"

/* compiled once, on first use, and kept: templates are part of the installed program */
static struct {
	pthread_mutex_t mu;
	int n;
	struct {
		char name[48];
		struct hbs_template *t;
	} slot[VIEW_MAX_TEMPLATES];
} cache = { .mu = PTHREAD_MUTEX_INITIALIZER };

static const struct hbs_template *load(const struct req *rq, const char *name,
				       struct api_error *err)
{
	const struct hbs_template *found = NULL;
	pthread_mutex_lock(&cache.mu);
	for (int i = 0; i < cache.n && !found; i++)
		if (strcmp(cache.slot[i].name, name) == 0)
			found = cache.slot[i].t;
	if (!found && cache.n < VIEW_MAX_TEMPLATES) {
		const char *dir = rq->app->cfg && rq->app->cfg->share_dir ? rq->app->cfg->share_dir
									 : ".";
		char path[1024];
		snprintf(path, sizeof(path), "%s/web/templates/%s.hbs", dir, name);
		FILE *f = fopen(path, "rb");
		char *src = f ? malloc(VIEW_TEMPLATE_MAX_BYTES) : NULL;
		size_t n = src ? fread(src, 1, VIEW_TEMPLATE_MAX_BYTES, f) : 0;
		if (src && n > 0 && n < VIEW_TEMPLATE_MAX_BYTES) {
			struct hbs_template *t = hbs_compile(src, n, HBS_HANDLEBARS, NULL, err);
			if (t) {
				snprintf(cache.slot[cache.n].name, sizeof(cache.slot[0].name), "%s",
					 name);
				cache.slot[cache.n++].t = t;
				found = t;
				src = NULL;	/* the compiled template points into its source */
			} else {
				log_msg(LOG_ERROR, "dashboard template %s: %s", path, err->message);
			}
		} else {
			log_msg(LOG_ERROR, "dashboard template %s cannot be read", path);
		}
		free(src);
		if (f)
			fclose(f);
	}
	pthread_mutex_unlock(&cache.mu);
	if (!found)
		api_fail(err, ERR_INTERNAL, "dashboard template %s is missing", name);
	return found;
}

static char *render(struct req *rq, const char *name, const json_t *ctx, struct api_error *err)
{
	const struct hbs_template *t = load(rq, name, err);
	if (!t)
		return NULL;
	size_t n;
	char *out = hbs_render(t, ctx, false, NULL, &n, err);
	if (!out)
		return NULL;
	char *copy = arena_strndup(rq->arena, out, n);
	free(out);
	return copy;
}

void view_headers(struct req *rq)
{
	/* no inline script anywhere: the dashboard's JavaScript is /dashboard/static/frank.js;
	 * proofs are images and PDFs from Frank's own signed links, never customer HTML */
	req_add_header(rq, "Content-Security-Policy",
		       "default-src 'self'; script-src 'self'; style-src 'self'; "
		       "img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
		       "form-action 'self'; frame-ancestors 'none'; frame-src 'self'");
	req_add_header(rq, "X-Content-Type-Options", "nosniff");
	req_add_header(rq, "Referrer-Policy", "same-origin");
	req_add_header(rq, "X-Frame-Options", "DENY");
	req_add_header(rq, "Cache-Control", "no-store");
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* the notice cookie's value, percent-decoded, in the arena; NULL when there is none */
static const char *take_notice(struct req *rq)
{
	static const char name[] = NOTICE_COOKIE "=";
	const char *c = rq->h.cookie ? strstr(rq->h.cookie, name) : NULL;
	if (!c || (c != rq->h.cookie && c[-1] != ' ' && c[-1] != ';'))
		return NULL;
	c += sizeof(name) - 1;
	size_t n = strcspn(c, ";");
	if (n == 0 || n > 1024)
		return NULL;
	char *out = arena_alloc(rq->arena, n + 1), *o = out;
	for (size_t i = 0; i < n; i++) {
		int hi = i + 2 < n + 1 && c[i] == '%' ? hexval(c[i + 1]) : -1;
		int lo = hi >= 0 ? hexval(c[i + 2]) : -1;
		if (lo >= 0) {
			*o++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*o++ = c[i];
		}
	}
	*o = '\0';
	req_add_header(rq, "Set-Cookie", NOTICE_COOKIE "=; Path=/dashboard; Max-Age=0; HttpOnly; "
					 "SameSite=Strict");
	return out;
}

struct nav_item {
	const char *href, *label;
	bool operator;	/* shown to operators (else to users) */
};

/* the menu, in order: a user's pages, then the mail room's */
static const struct nav_item nav[] = {
	{ "/dashboard/", "Overview", false },
	{ "/dashboard/letters", "Letters", false },
	{ "/dashboard/postcards", "Postcards", false },
	{ "/dashboard/self_mailers", "Self-mailers", false },
	{ "/dashboard/checks", "Checks", false },
	{ "/dashboard/templates", "Templates", false },
	{ "/dashboard/addresses", "Addresses", false },
	{ "/dashboard/verify", "Verify addresses", false },
	{ "/dashboard/campaigns", "Campaigns", false },
	{ "/dashboard/webhooks", "Webhooks", false },
	{ "/dashboard/keys", "API keys", false },
	{ "/dashboard/certified", "Certified mail", false },
	{ "/dashboard/settings", "Settings", false },
	{ "/dashboard/team", "Team", false },
	{ "/dashboard/mailroom", "Due today", true },
	{ "/dashboard/mailroom/runs", "Print runs", true },
	{ "/dashboard/mailroom/failed", "Failed renders", true },
	{ "/dashboard/mailroom/scans", "USPS scans", true },
	{ "/dashboard/mailroom/audit", "Audit log", true },
};

static bool is_current(const char *path, const char *href)
{
	size_t n = strlen(href);
	if (strcmp(href, "/dashboard/") == 0 || strcmp(href, "/dashboard/mailroom") == 0)
		return strcmp(path, href) == 0 || (strncmp(path, href, n) == 0 &&
						  path[n] == '\0');
	return strncmp(path, href, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static json_t *session_json(struct req *rq)
{
	const struct dash_session *ds = rq->dash;
	if (!ds)
		return json_null();
	bool op = ds->operator_id[0] != '\0';
	json_t *accounts = json_array();
	if (!op) {
		struct dash_membership m[32];
		struct api_error err = { .kind = ERR_NONE };
		int n = dash_member_list(rq->app->store, ds->user_id, m, 32, &err);
		for (int i = 0; i < n; i++)
			json_array_append_new(accounts,
					      json_pack("{sssssssb}", "id", m[i].account_id, "name",
							m[i].account_name, "role",
							dash_role_name(m[i].role), "current",
							strcmp(m[i].account_id, ds->account_id) == 0));
	}
	return json_pack("{sssssbsbsssoss}", "email", ds->email, "role",
			 op ? "operator" : dash_role_name(ds->role), "operator", op, "live",
			 ds->mode == MODE_LIVE, "account_id", ds->account_id, "accounts", accounts,
			 "mode", ds->mode == MODE_LIVE ? "live" : "test");
}

int view_page(struct req *rq, int status, const char *name, const char *title, json_t *ctx,
	      struct api_error *err)
{
	if (!ctx)
		ctx = json_object();
	arena_own_json(rq->arena, ctx);
	const struct dash_session *ds = rq->dash;
	bool op = ds && ds->operator_id[0];
	json_object_set_new(ctx, "csrf", json_string(ds ? ds->csrf : ""));
	json_object_set_new(ctx, "session", session_json(rq));
	json_object_set_new(ctx, "can_write", json_boolean(ds && !op && ds->role >= ROLE_MEMBER));
	json_object_set_new(ctx, "is_owner", json_boolean(ds && !op && ds->role >= ROLE_OWNER));
	char *body = render(rq, name, ctx, err);
	if (!body)
		return -1;
	json_t *menu = json_array();
	for (size_t i = 0; ds && i < sizeof(nav) / sizeof(nav[0]); i++)
		if (nav[i].operator == op)
			json_array_append_new(menu, json_pack("{sssssb}", "href", nav[i].href,
							      "label", nav[i].label, "current",
							      is_current(rq->path, nav[i].href)));
	const char *notice = take_notice(rq);
	json_t *page = arena_own_json(
		rq->arena,
		json_pack("{sssssosOsOss?}", "title", title, "body", body, "nav", menu, "session",
			  json_object_get(ctx, "session"), "csrf", json_object_get(ctx, "csrf"),
			  "notice", notice));
	char *html = page ? render(rq, "layout", page, err) : NULL;
	if (!html)
		return page ? -1 : api_fail(err, ERR_INTERNAL, "out of memory");
	rq->status = status ? status : 200;
	rq->resp_body = html;
	rq->resp_len = strlen(html);
	rq->resp_type = "text/html; charset=utf-8";
	view_headers(rq);
	return 0;
}

int view_redirect(struct req *rq, const char *location, const char *notice)
{
	rq->status = 303;
	req_add_header(rq, "Location", location);
	if (notice)
		req_add_header(rq, "Set-Cookie",
			       arena_strfmt(rq->arena,
					    NOTICE_COOKIE "=%s; Path=/dashboard; Max-Age=60; "
					    "HttpOnly; SameSite=Strict",
					    url_encode(rq->arena, notice)));
	rq->resp_body = "";
	rq->resp_len = 0;
	rq->resp_type = "text/html; charset=utf-8";
	view_headers(rq);
	return 0;
}

const char *view_query(const struct req *rq, const char *name, const char *def)
{
	const char *v = json_string_value(json_object_get(rq->query, name));
	return v ? v : def;
}

const char *view_form(const struct req *rq, const char *name)
{
	return json_string_value(json_object_get(rq->body_json, name));
}

const char *view_time(struct req *rq, long long ms)
{
	char iso[25];
	time_format_iso(ms, iso);
	return arena_strfmt(rq->arena, "%.10s %.5s UTC", iso, iso + 11);
}

const char *view_iso(struct req *rq, const char *iso)
{
	long long ms;
	if (!iso || time_parse_iso(iso, &ms) != 0)
		return "";
	return view_time(rq, ms);
}

void view_audit(struct req *rq, const char *action, const char *target, const char *detail)
{
	struct api_error err = { .kind = ERR_NONE };
	const char *who = rq->dash ? rq->dash->email : "?";
	if (dash_audit_add(rq->app->store, who, action, target, detail, rq->now_ms, &err) < 0)
		log_msg(LOG_ERROR, "audit log: %s", err.message);
}
