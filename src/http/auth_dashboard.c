// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard's credentials (route_profile_dashboard): a session cookie made at sign-in
 * (dashboard/signin.c), the least role a row's scope asks for, and the checks that keep
 * another site from sending the dashboard's forms: the session's CSRF token in every form
 * and, when the browser sends one, an Origin that is the dashboard's own host.
 * docs/internals/dashboard.md.
 */
#include "core/ids.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/route.h"
#include "store/dashboard_store.h"
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

/* the session token from `Cookie: …; frank_session=TOKEN; …`, 0, or 1 when there is none */
int auth_dashboard_token(const struct req *rq, char *out, size_t outlen)
{
	const char *c = rq->h.cookie;
	static const char name[] = AUTH_DASHBOARD_COOKIE "=";
	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		const char *end = strchr(c, ';');
		size_t n = end ? (size_t)(end - c) : strlen(c);
		if (n > sizeof(name) - 1 && strncmp(c, name, sizeof(name) - 1) == 0) {
			size_t v = n - (sizeof(name) - 1);
			if (v == 0 || v >= outlen)
				return 1;
			memcpy(out, c + sizeof(name) - 1, v);
			out[v] = '\0';
			return 0;
		}
		c = end;
	}
	return 1;
}

int auth_dashboard_identify(struct req *rq, struct auth_identity *id, struct api_error *err)
{
	char token[128], hash[65];
	id->who = WHO_NONE;
	if (auth_dashboard_token(rq, token, sizeof(token)) != 0)
		return 0;
	ids_sha256_hex(token, strlen(token), hash);
	struct dash_session *ds = arena_calloc(rq->arena, sizeof(*ds));
	int rc = dash_session_get(rq->app->store, hash, rq->now_ms, ds, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	id->who = WHO_SESSION;
	rq->dash = ds;
	/* what an internal call made for this session runs as (dashboard/call.c) */
	snprintf(rq->key.id, sizeof(rq->key.id), "dash_%.30s",
		 ds->user_id[0] ? ds->user_id : ds->operator_id);
	snprintf(rq->key.account_id, sizeof(rq->key.account_id), "%s", ds->account_id);
	rq->key.mode = ds->mode;
	rq->key.type = ds->operator_id[0] ? KEY_TYPE_OPERATOR : KEY_TYPE_SECRET;
	if (ds->operator_id[0])
		rq->operator_id = ds->operator_id;
	rq->scope.account_id = rq->key.account_id;
	rq->scope.mode = rq->key.mode;
	return 0;
}

static int refuse(struct api_error *err, int status, const char *msg)
{
	api_fail(err, ERR_UNAUTHORIZED, "%s", msg);
	err->status = status;
	return -1;
}

int auth_dashboard_authorise(const struct req *rq, const struct auth_identity *id,
			     struct api_error *err)
{
	const char *scope = rq->route->scope ? rq->route->scope : DASH_SCOPE_OWNER;
	if (strcmp(scope, DASH_SCOPE_PUBLIC) == 0)
		return 0;
	if (id->who != WHO_SESSION || !rq->dash)
		return refuse(err, 401, "Please sign in to continue.");
	if (strcmp(scope, DASH_SCOPE_ANY) == 0)
		return 0;
	bool op = rq->dash->operator_id[0] != '\0';
	if (strcmp(scope, DASH_SCOPE_OPERATOR) == 0)
		return op ? 0 : refuse(err, 403, "Only mail-room operators can do this.");
	if (op)
		return refuse(err, 403, "Operators see the mail room; sign in as an account's user "
					"to see its mail.");
	enum dash_role need = dash_role_parse(scope);
	if (rq->dash->role == ROLE_NONE)
		return refuse(err, 403, "You no longer belong to this account.");
	if (rq->dash->role < need)
		return refuse(err, 403, need == ROLE_OWNER
						? "Only the account's owners can do this."
						: "Viewers can look but not change anything: ask an "
						  "owner for the member role.");
	return 0;
}

/* true when origin is http(s)://host exactly */
static bool same_origin(const char *origin, const char *host)
{
	if (!host)
		return false;
	const char *rest = strncmp(origin, "https://", 8) == 0	 ? origin + 8
			   : strncmp(origin, "http://", 7) == 0 ? origin + 7
								  : NULL;
	return rest && strcmp(rest, host) == 0;
}

int auth_dashboard_csrf(const struct req *rq, struct api_error *err)
{
	if (rq->method == HTTP_GET)
		return 0;
	/* SameSite=Strict already keeps the cookie off other sites' requests; these two checks
	 * also hold for browsers that ignore it, and for the sign-in form (no session yet) */
	if (rq->h.origin && *rq->h.origin && strcmp(rq->h.origin, "null") != 0 &&
	    !same_origin(rq->h.origin, rq->h.host))
		return refuse(err, 403, "This form was sent from another site.");
	const char *scope = rq->route->scope ? rq->route->scope : DASH_SCOPE_OWNER;
	if (strcmp(scope, DASH_SCOPE_PUBLIC) == 0)
		return 0;
	const char *token = json_string_value(json_object_get(rq->body_json, "_csrf"));
	size_t n = token ? strlen(token) : 0;
	if (!rq->dash || n == 0 || n != strlen(rq->dash->csrf) ||
	    CRYPTO_memcmp(token, rq->dash->csrf, n) != 0)
		return refuse(err, 403, "This form has expired or did not come from the dashboard: "
					"reload the page and try again.");
	return 0;
}
