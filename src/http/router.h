// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The request pipeline, for every route and profile (route.h), in order: route match →
 * credentials → rate limit → key type or permission → Lob-Version → body limits and parse →
 * idempotency → handler → response. Every check lives here once.
 */
#ifndef FRANK_ROUTER_H
#define FRANK_ROUTER_H
#include "http/req.h"
#include "http/route.h"

enum match_result { MATCH_OK, MATCH_NO_PATH, MATCH_NO_METHOD };

/*
 * Finds the row for method + path in families (ending with a NULL rows). On MATCH_OK *route
 * and *profile (its family's) are set, ids[0] is the {id} segment and ids[1] the {sub}
 * segment (in the arena; NULL when the pattern has none).
 */
enum match_result router_match(const struct route_family *families, enum http_method method,
			       const char *path, struct arena *a, const struct route **route,
			       const struct route_profile **profile, const char *ids[2]);

/*
 * For a body worth refusing before it is read (R_BODY_FILE: up to 1 GB to disk): the route's
 * credentials and key type, checked when the headers are in. 0 go on (router_dispatch runs
 * every step again once the body is in), -1 refused: rq's response is the error.
 */
int router_precheck(struct req *rq);

/* runs the whole pipeline on rq->app->routes; the response fields are always set after */
void router_dispatch(struct req *rq);

/* the profile of a path no row matched: reg's prefixes, else route_profile_lob */
const struct route_profile *router_profile_for_path(const struct route_registry *reg,
						    const char *path);
/* rq->profile, or its path's before the route is known (errors at the HTTP edge) */
const struct route_profile *router_profile_of(const struct req *rq);

/* true when a Lob-Version header value is one Frank serves */
bool router_lob_version_ok(const char *version);

#endif
