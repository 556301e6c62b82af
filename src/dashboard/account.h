// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The account's pages (dash_account_routes): webhooks, API keys, settings, certified mail,
 * campaigns. Each file serves one of them; this header lists their handlers for the route
 * table (account_routes.c) and the few helpers they share (account_common.c).
 */
#ifndef FRANK_DASHBOARD_ACCOUNT_H
#define FRANK_DASHBOARD_ACCOUNT_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"
#include "core/jsonutil.h"
#include "dashboard/call.h"
#include "dashboard/page_util.h"
#include "http/req.h"
#include "store/dashboard_store.h"

/* rows of a list page: at most this many (the speed target: lists are paged by cursor) */
#define ACCT_PAGE 20

/* ---- helpers (account_common.c) ---- */

/* "limit=N" plus the page's cursor (its query's after=/before= as the API's list takes it,
 * or cursor= for /api/v1), in the arena; a cursor that is not URL-safe text is ignored */
const char *acct_list_query(struct req *rq, int limit, const char *cursor_name);
/* runs method path (dash_call) for the session: 0 when the API answered 200, else -1 with
 * its error as the page's (acct_fail) */
int acct_call(struct req *rq, enum http_method method, const char *path, const json_t *body,
	      struct dash_answer *a, struct api_error *err);
/* a failed API answer as the page's error (its status and Lob's message); always -1 */
int acct_fail(const struct dash_answer *a, struct api_error *err);
/* a string member, or def */
const char *acct_str(const json_t *o, const char *key, const char *def);
/* dollars (a JSON number) as "$8.90", or "" */
const char *acct_dollars(struct req *rq, const json_t *v);
/* the answer's bytes (a PDF …) as rq's response, with the dashboard's headers */
int acct_send_bytes(struct req *rq, const struct dash_answer *a);

/* ---- handlers ---- */
int acct_webhooks(struct req *rq, struct api_error *err);
int acct_webhook_create(struct req *rq, struct api_error *err);
int acct_webhook(struct req *rq, struct api_error *err);
int acct_webhook_reveal(struct req *rq, struct api_error *err);
int acct_webhook_rotate(struct req *rq, struct api_error *err);
int acct_webhook_delete(struct req *rq, struct api_error *err);
int acct_webhook_retry(struct req *rq, struct api_error *err);

int acct_keys(struct req *rq, struct api_error *err);
int acct_key_create(struct req *rq, struct api_error *err);
int acct_key_revoke(struct req *rq, struct api_error *err);

int acct_settings(struct req *rq, struct api_error *err);
int acct_settings_save(struct req *rq, struct api_error *err);
int acct_settings_simulation(struct req *rq, struct api_error *err);
int acct_settings_clock(struct req *rq, struct api_error *err);

int acct_certified(struct req *rq, struct api_error *err);
int acct_certified_label(struct req *rq, struct api_error *err);
int acct_certified_receipt(struct req *rq, struct api_error *err);

int acct_campaigns(struct req *rq, struct api_error *err);
int acct_campaign(struct req *rq, struct api_error *err);
int acct_campaign_send(struct req *rq, struct api_error *err);
#endif
