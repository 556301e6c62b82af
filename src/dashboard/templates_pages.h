// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The templates group of the dashboard (pages.h: dash_template_routes): templates with their
 * versions and preview, addresses, address verification. Every page runs Frank's own API
 * through dash_call; these are the handlers the route table in templates.c names, and the
 * small helpers they share. docs/internals/dashboard.md.
 */
#ifndef FRANK_DASHBOARD_TEMPLATES_PAGES_H
#define FRANK_DASHBOARD_TEMPLATES_PAGES_H
#include <jansson.h>
#include "core/err.h"
#include "core/jsonutil.h"
#include "dashboard/call.h"
#include "http/req.h"

/* an id from the page's path is safe to put into an API path: [A-Za-z0-9_], 1..64 */
bool dash_id_ok(const char *id);
/*
 * The API path of one page of a list: base ("/v1/templates") with limit and the page's
 * after/before cursor (from the query), and extra ("&x=y", may be NULL); in the arena.
 */
const char *dash_list_path(struct req *rq, const char *base, int limit, const char *extra);
/* {"next": page link, "prev": page link} (either absent) from a list answer's next_url and
 * previous_url, for the dashboard's page at path; stolen by the caller's ctx */
json_t *dash_pager(struct req *rq, const char *path, const json_t *list);
/* a link of Frank's answer ("https://host/v1/…?sig") as a path of this origin, or NULL */
const char *dash_local_link(struct req *rq, const char *url);
/* a string member, or "" (for templates that show it) */
const char *dash_str(const json_t *obj, const char *key);

int dash_templates_list(struct req *rq, struct api_error *err);
int dash_template_new(struct req *rq, struct api_error *err);
int dash_template_create(struct req *rq, struct api_error *err);
int dash_template_show(struct req *rq, struct api_error *err);
int dash_template_version(struct req *rq, struct api_error *err);
int dash_template_publish(struct req *rq, struct api_error *err);
int dash_template_delete(struct req *rq, struct api_error *err);
int dash_template_preview(struct req *rq, struct api_error *err);
/* the preview form refused: the template's page again, 422, its message, variables kept */
int dash_template_preview_refused(struct req *rq, const char *message, struct api_error *err);
/* the preview section of a template's page: ctx gains "preview" from ?proof= */
void dash_template_preview_ctx(struct req *rq, json_t *ctx);

int dash_addresses_list(struct req *rq, struct api_error *err);
int dash_address_new(struct req *rq, struct api_error *err);
int dash_address_create(struct req *rq, struct api_error *err);
int dash_address_show(struct req *rq, struct api_error *err);
int dash_address_delete(struct req *rq, struct api_error *err);

/* the verify page; extra (stolen, may be NULL) adds results or errors to its context */
int dash_verify_page_with(struct req *rq, int status, json_t *extra, struct api_error *err);
int dash_verify_page(struct req *rq, struct api_error *err);
int dash_verify_us(struct req *rq, struct api_error *err);
int dash_verify_intl(struct req *rq, struct api_error *err);
int dash_verify_csv(struct req *rq, struct api_error *err);
#endif
