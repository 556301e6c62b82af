// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Authentication, one function per scheme of route.h's profiles: finds the credentials in
 * the request and resolves them to account and mode. Keys are never stored, only hashes.
 */
#ifndef FRANK_AUTH_H
#define FRANK_AUTH_H
#include <stddef.h>
#include "core/err.h"
#include "http/req.h"

struct route;

/* operator keys: "frankop_" + 48 hex (api/operators.h makes them) */
#define OPERATOR_KEY_PREFIX "frankop_"

/*
 * The key from `Authorization: Basic base64(KEY:)` (Lob's way), `Authorization: Bearer KEY`
 * or `X-API-Key: KEY`, copied into out; 0, or 1 if the request carries none, -1 if a
 * header is malformed.
 */
int auth_extract_key(const struct req_headers *h, char *out, size_t outlen);

/*
 * fills rq->key and rq->scope (for an operator key: key.type KEY_TYPE_OPERATOR, no account,
 * rq->operator_id); -1 with a 401 error for a missing or unknown key
 */
int auth_authenticate(struct req *rq, struct api_error *err);

/* what a request's credentials turned out to be */
enum auth_who { WHO_NONE, WHO_INVALID, WHO_KEY, WHO_SESSION };

struct auth_identity {
	enum auth_who who;
	unsigned perms;			/* a 321m_ key's permissions (c321/access.h) */
	struct api_error denied;	/* Lob's schemes: the 401 to answer when who < WHO_KEY */
};

/*
 * The 321certified-style scheme: a "321m_" key or a "321s_" session token. Fills id, and for
 * valid credentials rq->key and rq->scope; missing or unknown credentials are not an error
 * here (the route decides, auth_321_authorise). -1 only for a store failure.
 */
int auth_321_identify(struct req *rq, struct auth_identity *id, struct api_error *err);

/* the row's scope against id: public, a session, or a key with the permission; 401/403 */
int auth_321_authorise(const struct route *rt, const struct auth_identity *id,
		       struct api_error *err);

/* ---- the dashboard (route_profile_dashboard) ---- */

#define AUTH_DASHBOARD_COOKIE "frank_session"

/* the session token from the Cookie header into out: 0, or 1 when there is none */
int auth_dashboard_token(const struct req *rq, char *out, size_t outlen);
/* a session cookie → rq->dash, rq->key and rq->scope (id->who WHO_SESSION); no cookie or an
 * unknown or expired one is not an error here. -1 only for a store failure. */
int auth_dashboard_identify(struct req *rq, struct auth_identity *id, struct api_error *err);
/* the row's scope (DASH_SCOPE_*) against the session: 401 none, 403 not allowed */
int auth_dashboard_authorise(const struct req *rq, const struct auth_identity *id,
			     struct api_error *err);
/* a form (any method but GET): Origin, when sent, is the dashboard's host, and the body's
 * _csrf is the session's token (public rows: Origin only). 0, or -1 with a 403 */
int auth_dashboard_csrf(const struct req *rq, struct api_error *err);
#endif
