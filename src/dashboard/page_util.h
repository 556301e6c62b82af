// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What every group of dashboard pages needs around the API's answers (page_util.c): ids
 * from the path, a list's page of the API and the page links back, links of Frank's own
 * answers on this origin, string members for templates.
 */
#ifndef FRANK_DASHBOARD_PAGE_UTIL_H
#define FRANK_DASHBOARD_PAGE_UTIL_H
#include <stdbool.h>
#include <jansson.h>
#include "http/req.h"

/* an id from the page's path is safe to put into an API path: [A-Za-z0-9_], 1..64 */
bool dash_id_ok(const char *id);
/*
 * The API path of one page of a list: base ("/v1/templates") with limit and the page's
 * after/before cursor (from the query), and extra ("&x=y", may be NULL); in the arena.
 */
const char *dash_list_path(struct req *rq, const char *base, int limit, const char *extra);
/* {"next": page link, "prev": page link} (either absent) from a list answer's next_url and
 * previous_url, for the dashboard's page at path; stolen by the caller's ctx. A cursor that
 * is not the API's URL-safe text is left out */
json_t *dash_pager(struct req *rq, const char *path, const json_t *list);
/* a link of Frank's answer ("https://host/v1/…?sig") as a path of this origin, or NULL */
const char *dash_local_link(struct req *rq, const char *url);
/* a string member, or "" (for templates that show it) */
const char *dash_str(const json_t *obj, const char *key);
#endif
