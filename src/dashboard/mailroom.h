// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail room's pages (dash_mailroom_routes, operators only): shared by mailroom*.c. The
 * pages drive the operator API (/v1/_frank/production/…) through dash_call as the signed-in
 * operator, and read the store only where that API has no listing (store/mailroom_store.h).
 * docs/internals/dashboard_mailroom.md.
 */
#ifndef FRANK_DASHBOARD_MAILROOM_H
#define FRANK_DASHBOARD_MAILROOM_H
#include <jansson.h>
#include "core/err.h"
#include "dashboard/page_util.h"
#include "http/req.h"

/* pages of mailroom.c: due pieces and the cut */
int mr_due_page(struct req *rq, struct api_error *err);
int mr_cut(struct req *rq, struct api_error *err);
/* mailroom_runs.c: runs, a run, its marks */
int mr_runs_page(struct req *rq, struct api_error *err);
int mr_run_page(struct req *rq, struct api_error *err);
int mr_mark_printed(struct req *rq, struct api_error *err);
int mr_mark_mailed(struct req *rq, struct api_error *err);
int mr_mark_spoiled(struct req *rq, struct api_error *err);
int mr_mark_scan(struct req *rq, struct api_error *err);
/* mailroom_failed.c: failed renders, a piece's story, a retry */
int mr_failed_page(struct req *rq, struct api_error *err);
int mr_why_page(struct req *rq, struct api_error *err);
int mr_retry(struct req *rq, struct api_error *err);
/* mailroom_log.c: USPS scan files and the audit log */
int mr_scans_page(struct req *rq, struct api_error *err);
int mr_scans_upload(struct req *rq, struct api_error *err);
int mr_audit_page(struct req *rq, struct api_error *err);

/* GET path of the operator API for the session: its JSON answer, or NULL with *err (the
 * API's message; a 404 stays a 404) */
const json_t *mr_api_get(struct req *rq, const char *path, struct api_error *err);
/* s as well-formed UTF-8 of at most max bytes (a character clipped by %.Ns dropped), in
 * the arena: for notices and audit entries made of what clients sent */
const char *mr_clip(struct req *rq, const char *s, size_t max);
/* a JSON array text of the products' kinds (runs_only: those the mail room prints) */
const char *mr_kinds_json(struct req *rq, bool runs_only);
#endif
