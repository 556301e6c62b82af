// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Short links shared by /v1/links, /v1/domains, QR codes on mail pieces and the redirect
 * (docs/internals/links.md).
 */
#ifndef FRANK_API_LINKS_H
#define FRANK_API_LINKS_H
#include <stdbool.h>
#include "api/link_rules.h"
#include "api/resource.h"

extern const struct resource link_res;
extern const struct resource domain_res;

/* frankd's --link-host, normalised into out (LINK_HOST_MAX + 1): false when unset */
bool links_host(const struct req *rq, char *out);

/*
 * A long URL for a link on host `own` (the link host or a custom domain): link_url_check,
 * and not on any registered custom domain either (a loop through another link). 0 or -1.
 */
int links_check_target(struct req *rq, const char *url, const char *field, const char *own,
		       struct api_error *err);

/* "https://HOST/SLUG", not yet taken by a live link: a new random slug, or `slug` (the
 * customer's: invalid or taken answers 422/409). Arena text, or NULL with *err. */
const char *links_short_link(struct req *rq, const char *host, const char *slug,
			     struct api_error *err);

/* the newest live object of kind in rq's account and mode whose JSON field `path` ("$.x")
 * is value: 0 (*json_out in the arena), 1 none, -1 */
int links_find(struct req *rq, const char *kind, const char *path, const char *value,
	       const char **json_out, struct api_error *err);

/* route_registry.by_host: the redirect of a short link (link_redirect.c) */
int links_by_host(struct req *rq, bool unmatched, struct api_error *err);

/* ISO created_at/updated_at instead of date_created/date_modified (Lob's link objects) */
void links_dates(json_t *obj, long long now_ms, bool created);
/* the present hook: the stored object without the generic dates */
const char *links_present(struct req *rq, const char *json);
#endif
