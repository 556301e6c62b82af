/*
 * The request pipeline, in order: route match → auth → key type → Lob-Version → rate limit
 * → body limits and parse → idempotency → handler → response. Every check lives here once.
 */
#ifndef FRANK_ROUTER_H
#define FRANK_ROUTER_H
#include "http/req.h"
#include "http/route.h"

enum match_result { MATCH_OK, MATCH_NO_PATH, MATCH_NO_METHOD };

/*
 * Finds the row for method + path in tables (NULL-terminated list of NULL-pattern-
 * terminated arrays). On MATCH_OK *route is set, ids[0] is the {id} segment and ids[1] the
 * {sub} segment (in the arena; NULL when the pattern has none).
 */
enum match_result router_match(const struct route *const *tables, enum http_method method,
			       const char *path, struct arena *a, const struct route **route,
			       const char *ids[2]);

/* runs the whole pipeline on rq->app->routes (route_tables when NULL); the response
 * fields are always set afterwards */
void router_dispatch(struct req *rq);

/* true when a Lob-Version header value is one Frank serves */
bool router_lob_version_ok(const char *version);

/* prints the route table (frank routes) */
void router_print(void);
#endif
