// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The route table: one row per endpoint, grouped in families that share a profile. The
 * router applies every check the profile and the row ask for (match, credentials, rate
 * limit, key type or permission, version, body, idempotency) before the handler runs, so a
 * handler never repeats them; every error leaves in the profile's shape.
 *
 * Adding an endpoint:
 *  1. In src/api/<family>.c, add a row to the family's `<family>_routes[]` (method, pattern,
 *     handler, resource, key types, scope, flags). Generic handlers (res_create, res_get,
 *     res_list, res_delete) serve any resource with a field table.
 *  2. If the family is new, list it in src/api/routes.c with its profile (route_profile_lob
 *     for Lob's v1, route_profile_321 for /api/v1, route_profile_operator for the mail
 *     room, route_profile_public for signed links and health checks). A new kind of client
 *     is a new profile below, not a new pipeline.
 *  3. Patterns are literal segments plus `{id}` and `{sub}`; the router checks the id's
 *     prefix against the resource's `id_prefix` (a wrong prefix is a 404 like any unknown id).
 *  4. Add an e2e test and check `frank routes`.
 *
 * The tables reach the router through a registration (struct route_registry, built in
 * src/api/routes.c and handed over in app->routes by main): http/ never includes api/.
 */
#ifndef FRANK_ROUTE_H
#define FRANK_ROUTE_H
#include <stdbool.h>
#include "core/err.h"
#include "http/req.h"

struct resource;

/* key types a row allows (bit set), under route_profile_lob */
#define KEY_SECRET (1u << 0)
#define KEY_PUBLISHABLE (1u << 1)

/* row flags */
#define R_BODY (1u << 0)	/* parse a request body */
#define R_IDEMPOTENT (1u << 1)	/* honour Idempotency-Key / idempotency_key (if the profile does) */
#define R_RATE_DOUBLE (1u << 3)	/* twice the rate limit (Lob: us_verifications, us_autocompletions) */
/* a multipart body whose file part is streamed to a temporary file in the data directory
 * (rq->body_file), up to app->max_file_body (--max-upload) instead of --max-body; other
 * parts are parsed into rq->body_json */
#define R_BODY_FILE (1u << 4)

/* /api/v1 scopes besides the key permissions ("mailings:read", …; c321/access.h) */
#define C321_SCOPE_PUBLIC "public"	/* no credentials needed: logging in */
#define C321_SCOPE_SESSION "session"	/* a session token: managing API keys */

/* dashboard scopes (route_profile_dashboard): who may open a page or send a form */
#define DASH_SCOPE_PUBLIC "public"	/* no session: signing in, static files */
#define DASH_SCOPE_ANY "signed-in"	/* any session, a user's or an operator's */
#define DASH_SCOPE_VIEWER "viewer"	/* a user with any role in the account shown */
#define DASH_SCOPE_MEMBER "member"	/* member or owner: sends mail, edits templates */
#define DASH_SCOPE_OWNER "owner"	/* owner: keys, webhooks' secrets, settings */
#define DASH_SCOPE_OPERATOR "operator"	/* an operator: the mail room */

/* a handler fills rq's response and returns 0, or returns -1 with *err set */
typedef int (*route_handler)(struct req *rq, struct api_error *err);

struct route {
	enum http_method method;
	const char *pattern;
	route_handler handler;
	const struct resource *res;
	unsigned keys;		/* KEY_SECRET | KEY_PUBLISHABLE (route_profile_lob) */
	const char *scope;	/* permission or C321_SCOPE_* (route_profile_321); else NULL */
	unsigned flags;
};

/* who may call: the credentials a profile reads */
enum route_auth {
	AUTH_NONE,		/* public: no credentials, no rate limit, no body */
	AUTH_LOB_KEY,		/* an account's test_/live_ key, secret or publishable (row keys) */
	AUTH_OPERATOR_KEY,	/* a mail-room frankop_ key (api/operators.h) */
	AUTH_321,		/* 321m_ keys with permissions or 321s_ session tokens (row scope) */
	AUTH_DASHBOARD,		/* the dashboard's session cookie; the row scope is the least
				   role (DASH_SCOPE_*); forms carry the session's CSRF token */
};

/* how answers look on the wire */
enum route_shape {
	SHAPE_LOB,	/* {"error":{"message","status_code","code"}}, numbers to 17 digits */
	SHAPE_321,	/* {"error":{"message","code","status"}}, code by status; 15 digits;
			   parameter errors are 400; a create answers 201 */
	SHAPE_HTML,	/* the dashboard: an HTML page; a GET without a session is sent to
			   the sign-in page (303) */
};

/* what a request is counted against */
enum route_rate {
	RATE_NONE,
	RATE_PER_ENDPOINT,	/* key + method + pattern (Lob); X-Rate-Limit-* and ratelimit-* */
	RATE_PER_CREDENTIAL,	/* key or session, unknown paths too; X-RateLimit-* */
};

struct route_profile {
	const char *name;	/* for `frank routes` */
	enum route_auth auth;
	enum route_shape shape;
	enum route_rate rate;
	bool idempotency;	/* R_IDEMPOTENT rows honour Idempotency-Key */
};

extern const struct route_profile route_profile_lob;
extern const struct route_profile route_profile_operator;
extern const struct route_profile route_profile_public;
extern const struct route_profile route_profile_321;
extern const struct route_profile route_profile_dashboard;

/* rows (terminated by a NULL pattern) that share a profile */
struct route_family {
	const struct route_profile *profile;
	const struct route *rows;
};

/* the profile of every path under prefix ("/api/v1": the prefix itself and below) */
struct route_prefix {
	const char *prefix;
	const struct route_profile *profile;
};

/* everything the API layer hands the router */
struct route_registry {
	const struct route_family *families;	/* in match order; ends with a NULL rows */
	/* profiles of paths no row matches (and of errors at the HTTP edge); ends with a
	 * NULL prefix; any other path is route_profile_lob's */
	const struct route_prefix *prefixes;
	/* the object kind a resource stores ("letter"), for rq->scope.kind */
	const char *(*resource_kind)(const struct resource *res);
	/* answers an idempotent replay with the stored object id: 0, or -1 with *err */
	int (*replay)(struct req *rq, const char *id, struct api_error *err);
	/*
	 * Requests for another host than the API's (short links, api/link_redirect.c), asked
	 * before any credentials: 1 when it answered rq (a response or a pending write), 0 to
	 * route rq as usual, -1 with *err. unmatched: no route has rq's path. NULL: none.
	 */
	int (*by_host)(struct req *rq, bool unmatched, struct api_error *err);
};
#endif
