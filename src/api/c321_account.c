// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /api/v1 sessions and API keys:
 *   POST   /api/v1/sessions        {"email","password"} → {"token","expires_at"}
 *   DELETE /api/v1/sessions        logs the session's token out
 *   POST   /api/v1/api-keys        {"name","permissions":[…],"mode"} → the key, shown once
 *   GET    /api/v1/api-keys        the user's keys (no secrets)
 *   DELETE /api/v1/api-keys/{id}   revokes one
 * Users are made by the operator: `frank user create` (c321_user_create).
 */
#include "api/c321.h"
#include "c321/access.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/ratelimit_signin.h"
#include "http/route.h"
#include "store/c321_store.h"
#include <stdio.h>
#include <string.h>

#define SESSION_TTL_MS (24LL * 3600 * 1000)
#define KEYS_PER_USER_MAX 100
#define KEY_NAME_MAX 100

static const char *const key_modes[] = { "test", "live", NULL };

static const struct field session_fields[] = {
	{ "email", FT_STRING, F_REQUIRED, .max = ACCESS_EMAIL_MAX + 10 },
	{ "password", FT_STRING, F_REQUIRED, .max = ACCESS_PASSWORD_MAX },
	FIELD_END
};

static const struct field key_fields[] = {
	{ "name", FT_STRING, F_REQUIRED, .max = KEY_NAME_MAX },
	{ "permissions", FT_STRING_ARRAY, 0, .max = 16, .item_max = 32 },
	{ "mode", FT_STRING, 0, .enum_vals = key_modes, .dflt = "test" },
	FIELD_END
};

/* sign-in attempts per e-mail, from this address and from everywhere (ratelimit_signin.h) */
static int login_rate(struct req *rq, const char *email, struct api_error *err)
{
	long long wait = signin_limit_take(rq->app->signin, email, req_client(rq), rq->now_ms);
	if (wait == 0)
		return 0;
	req_add_header(rq, "Retry-After", arena_strfmt(rq->arena, "%lld", wait));
	return api_fail(err, ERR_RATE_LIMIT_EXCEEDED, "Too many sign-in attempts for this e-mail: "
			"try again in %lld seconds", wait);
}

static int session_create(struct req *rq, struct api_error *err)
{
	json_t *in = arena_own_json(rq->arena, json_object());
	char email[ACCESS_EMAIL_MAX + 1], token[ACCESS_TOKEN_LEN + 1], hash[65], when[25];
	if (c321_validate(session_fields, rq->body_json, rq, in, err) < 0 ||
	    access_email_normalize(json_string_value(json_object_get(in, "email")), email,
				   sizeof(email), err) < 0 ||
	    login_rate(rq, email, err) < 0)
		return -1;
	struct c321_user u;
	int rc = c321_user_by_email(rq->app->store, email, &u, err);
	if (rc < 0)
		return -1;
	/* an unknown e-mail costs a hash too, and gets the same answer */
	if (!access_password_verify(rc == 0 ? u.password_hash : NULL,
				    json_string_value(json_object_get(in, "password")))) {
		api_fail(err, ERR_UNAUTHORIZED, "Invalid email or password");
		return -1;
	}
	if (access_new_token(token, sizeof(token)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for a token");
	ids_sha256_hex(token, strlen(token), hash);
	long long expires = rq->now_ms + SESSION_TTL_MS;
	if (c321_session_insert(rq->app->store, hash, u.id, rq->now_ms, expires, err) < 0)
		return -1;
	time_format_iso(expires, when);
	json_t *body = arena_own_json(rq->arena, json_pack("{ssss}", "token", token, "expires_at",
							    when));
	return respond_json(rq, 201, body);
}

static int session_delete(struct req *rq, struct api_error *err)
{
	char token[ACCESS_TOKEN_LEN + 8], hash[65];
	if (auth_extract_key(&rq->h, token, sizeof(token)) != 0)
		return api_fail(err, ERR_UNAUTHORIZED, "Missing session");
	ids_sha256_hex(token, strlen(token), hash);
	if (c321_session_delete(rq->app->store, hash, err) < 0)
		return -1;
	return respond_json(rq, 200, arena_own_json(rq->arena, json_pack("{sb}", "logged_out", 1)));
}

static json_t *key_json(const struct c321_key *k, const char *secret)
{
	char when[25];
	time_format_iso(k->created_ms, when);
	json_t *o = json_pack("{sssssossssss}", "id", k->id, "name", k->name, "permissions",
			      access_perms_json(k->permissions), "mode",
			      k->mode == MODE_LIVE ? "live" : "test", "prefix", k->prefix,
			      "created_at", when);
	if (secret)
		json_object_set_new(o, "key", json_string(secret));
	return o;
}

static int key_create(struct req *rq, struct api_error *err)
{
	json_t *in = arena_own_json(rq->arena, json_object());
	struct c321_key k = { .created_ms = rq->now_ms };
	char secret[ACCESS_KEY_LEN + 1], hash[65];
	unsigned perms;
	if (c321_validate(key_fields, rq->body_json, rq, in, err) < 0 ||
	    access_perms_parse(json_object_get(in, "permissions"), &perms, err) < 0)
		return -1;
	struct c321_key *existing = arena_alloc(rq->arena, sizeof(*existing) * KEYS_PER_USER_MAX);
	int n = c321_key_list(rq->app->store, rq->key.id, existing, KEYS_PER_USER_MAX, err);
	if (n < 0)
		return -1;
	if (n >= KEYS_PER_USER_MAX)
		return c321_bad_request(err, "A user may have at most %d API keys: revoke one first",
					KEYS_PER_USER_MAX);
	bool live = strcmp(json_string_value(json_object_get(in, "mode")), "live") == 0;
	if (access_new_key(live, secret, sizeof(secret)) < 0 ||
	    ids_new("ak_", k.id, sizeof(k.id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for a key");
	ids_sha256_hex(secret, strlen(secret), hash);
	snprintf(k.user_id, sizeof(k.user_id), "%s", rq->key.id);
	snprintf(k.account_id, sizeof(k.account_id), "%s", rq->key.account_id);
	k.mode = live ? MODE_LIVE : MODE_TEST;
	snprintf(k.name, sizeof(k.name), "%s", json_string_value(json_object_get(in, "name")));
	access_perms_text(perms, k.permissions, sizeof(k.permissions));
	snprintf(k.prefix, sizeof(k.prefix), "%.*s", ACCESS_PREFIX_LEN, secret);
	if (c321_key_insert(rq->app->store, &k, hash, err) < 0)
		return -1;
	return respond_json(rq, 201, arena_own_json(rq->arena, key_json(&k, secret)));
}

static int key_list(struct req *rq, struct api_error *err)
{
	struct c321_key *keys = arena_alloc(rq->arena, sizeof(*keys) * KEYS_PER_USER_MAX);
	int n = c321_key_list(rq->app->store, rq->key.id, keys, KEYS_PER_USER_MAX, err);
	if (n < 0)
		return -1;
	json_t *data = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(data, key_json(&keys[i], NULL));
	return respond_json(rq, 200, arena_own_json(rq->arena, json_pack("{so}", "data", data)));
}

static int key_revoke(struct req *rq, struct api_error *err)
{
	int rc = c321_key_revoke(rq->app->store, rq->key.id, rq->path_id, rq->now_ms, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return api_fail(err, ERR_NOT_FOUND, "API key %.40s not found", rq->path_id);
	return respond_json(rq, 200, arena_own_json(rq->arena, json_pack("{sssb}", "id", rq->path_id,
									  "revoked", 1)));
}

const struct route c321_account_routes[] = {
	{ HTTP_POST, "/api/v1/sessions", session_create, NULL, KEY_SECRET, C321_SCOPE_PUBLIC,
	  R_BODY },
	{ HTTP_DELETE, "/api/v1/sessions", session_delete, NULL, KEY_SECRET, C321_SCOPE_SESSION, 0 },
	{ HTTP_POST, "/api/v1/api-keys", key_create, NULL, KEY_SECRET, C321_SCOPE_SESSION, R_BODY },
	{ HTTP_GET, "/api/v1/api-keys", key_list, NULL, KEY_SECRET, C321_SCOPE_SESSION, 0 },
	{ HTTP_DELETE, "/api/v1/api-keys/{id}", key_revoke, NULL, KEY_SECRET, C321_SCOPE_SESSION, 0 },
	{ .pattern = NULL }
};
