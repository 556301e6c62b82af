// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The /api/v1 credentials (route_profile_321): API keys "321m_…" with permissions, session
 * tokens "321s_…" for managing keys. docs/internals/certified321.md.
 */
#include "c321/access.h"
#include "core/ids.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/route.h"
#include "store/c321_store.h"
#include <stdio.h>
#include <string.h>

#define SECRET_MAX 128

int auth_321_identify(struct req *rq, struct auth_identity *id, struct api_error *err)
{
	char secret[SECRET_MAX], hash[65];
	int rc = auth_extract_key(&rq->h, secret, sizeof(secret));
	id->who = rc == 1 ? WHO_NONE : WHO_INVALID;
	if (rc != 0)
		return 0;
	enum access_secret kind = access_secret_kind(secret);
	if (kind == SECRET_NONE)
		return 0;
	ids_sha256_hex(secret, strlen(secret), hash);
	if (kind == SECRET_SESSION) {
		struct c321_user u;
		rc = c321_session_user(rq->app->store, hash, rq->now_ms, &u, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		id->who = WHO_SESSION;
		snprintf(rq->key.id, sizeof(rq->key.id), "%s", u.id);
		snprintf(rq->key.account_id, sizeof(rq->key.account_id), "%s", u.account_id);
		rq->key.mode = MODE_TEST;
	} else {
		struct c321_key k;
		rc = c321_key_lookup(rq->app->store, hash, &k, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
		id->who = WHO_KEY;
		id->perms = access_perms_from_text(k.permissions);
		snprintf(rq->key.id, sizeof(rq->key.id), "%s", k.id);
		snprintf(rq->key.account_id, sizeof(rq->key.account_id), "%s", k.account_id);
		rq->key.mode = k.mode;
	}
	rq->key.type = KEY_TYPE_SECRET;
	rq->scope.account_id = rq->key.account_id;
	rq->scope.mode = rq->key.mode;
	return 0;
}

static int fail_status(struct api_error *err, int status, const char *msg)
{
	api_fail(err, ERR_UNAUTHORIZED, "%s", msg);
	err->status = status;
	return -1;
}

int auth_321_authorise(const struct route *rt, const struct auth_identity *id,
		       struct api_error *err)
{
	const char *scope = rt->scope;
	bool session = strcmp(scope, C321_SCOPE_SESSION) == 0;
	if (strcmp(scope, C321_SCOPE_PUBLIC) == 0)
		return 0;
	if (id->who == WHO_NONE)
		return fail_status(err, 401,
				   session ? "Missing session: log in with POST /api/v1/sessions and "
					     "send the token as Authorization: Bearer"
					   : "Missing API key: send it as Authorization: Bearer 321m_… "
					     "or X-API-Key");
	if (id->who == WHO_INVALID)
		return fail_status(err, 401, session ? "Invalid or expired session" : "Invalid API key");
	if (session)
		return id->who == WHO_SESSION
			       ? 0
			       : fail_status(err, 401,
					     "API keys are managed under a session: log in with POST "
					     "/api/v1/sessions and send that token instead");
	if (id->who != WHO_KEY)
		return fail_status(err, 401,
				   "This endpoint needs an API key (321m_…), not a session token");
	if (!access_allows(id->perms, scope)) {
		api_fail(err, ERR_UNAUTHORIZED, "This API key does not have the %s permission", scope);
		err->status = 403;
		return -1;
	}
	return 0;
}
