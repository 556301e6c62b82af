// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Pages of the dashboard: Handlebars templates from <share>/web/templates (the same engine as
 * Lob templates, template/handlebars.h: {{value}} is escaped, so a customer's text is never
 * markup), rendered inside layout.hbs with the navigation, the session and the form token.
 * Every page leaves with the same security headers: a Content-Security-Policy without inline
 * script, no caching, no framing. docs/internals/dashboard.md.
 */
#ifndef FRANK_DASHBOARD_VIEW_H
#define FRANK_DASHBOARD_VIEW_H
#include <jansson.h>
#include "core/err.h"
#include "http/req.h"

/*
 * Renders web/templates/<name>.hbs with ctx inside the layout, as rq's response (status 200
 * unless status says otherwise). ctx (stolen, may be NULL) gains "csrf" (the session's form
 * token), "session" ({email, role, operator, live, account_id}), "can_write" (member or
 * owner) and "is_owner". 0, or -1 with *err (a missing template is an internal error).
 */
int view_page(struct req *rq, int status, const char *name, const char *title, json_t *ctx,
	      struct api_error *err);
/* 303 to location (a path of the dashboard); notice (may be NULL) is shown once there */
int view_redirect(struct req *rq, const char *location, const char *notice);
/* the security headers every dashboard answer carries (pages, errors, redirects) */
void view_headers(struct req *rq);
/* a query parameter of the page as a string, or def */
const char *view_query(const struct req *rq, const char *name, const char *def);
/* a form field as a string (NULL when absent or not a string) */
const char *view_form(const struct req *rq, const char *name);
/* an epoch time as the dashboard shows it: "2026-12-07 18:58 UTC", in the arena */
const char *view_time(struct req *rq, long long ms);
/* an ISO 8601 time from the API as the dashboard shows it ("" for NULL/invalid) */
const char *view_iso(struct req *rq, const char *iso);
/* records one action in the audit log (operators' and owners' changes); never fails a page */
void view_audit(struct req *rq, const char *action, const char *target, const char *detail);
#endif
