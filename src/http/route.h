/*
 * The route table: one row per endpoint. The router applies every check a row asks for
 * (match, auth, key type, version, rate limit, body, idempotency) before the handler runs,
 * so a handler never repeats them.
 *
 * Adding an endpoint:
 *  1. In src/api/<family>.c, add a row to the family's `<family>_routes[]` (method, pattern,
 *     handler, resource, key types, scope, flags). Generic handlers (res_create, res_get,
 *     res_list, res_delete) serve any resource with a field table.
 *  2. If the family is new, list its route array in src/api/routes.c.
 *  3. Patterns are literal segments plus `{id}`; the router checks the id's prefix against
 *     the resource's `id_prefix` (a wrong prefix is a 404 like any unknown id).
 *  4. Add an e2e test and check `frank routes`.
 */
#ifndef FRANK_ROUTE_H
#define FRANK_ROUTE_H
#include "core/err.h"
#include "http/req.h"

struct resource;

/* key types a row allows (bit set) */
#define KEY_SECRET (1u << 0)
#define KEY_PUBLISHABLE (1u << 1)
#define KEY_OPERATOR (1u << 2)	/* the mail room (api/operators.h): production rows only */

/* row flags */
#define R_BODY (1u << 0)	/* parse a request body */
#define R_IDEMPOTENT (1u << 1)	/* honour Idempotency-Key / idempotency_key */
#define R_NO_AUTH (1u << 2)	/* public (health checks) */
#define R_RATE_DOUBLE (1u << 3)	/* twice the rate limit (Lob: us_verifications, us_autocompletions) */

/* a handler fills rq's response and returns 0, or returns -1 with *err set */
typedef int (*route_handler)(struct req *rq, struct api_error *err);

struct route {
	enum http_method method;
	const char *pattern;
	route_handler handler;
	const struct resource *res;
	unsigned keys;		/* KEY_SECRET | KEY_PUBLISHABLE, or KEY_OPERATOR alone */
	const char *scope;	/* permission for /api/v1 keys; NULL for Lob's v1 */
	unsigned flags;
};

/* all routes, collected from the families (src/api/routes.c); terminated by a NULL pattern */
extern const struct route *const route_tables[];
#endif
