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
#include "dashboard/page_util.h"
#include "http/req.h"


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
