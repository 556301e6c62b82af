/*
 * The /api/v1 pipeline (see c321.h): credentials → rate limit → route → scope and permission
 * → inputs → handler, every failure answered in this API's error shape. Writes finish on the
 * store's writer thread: the request's resume is wrapped so that a late answer is reshaped
 * too (Lob's error JSON into this API's, numbers to 15 digits).
 */
#include "api/c321.h"
#include "c321/access.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/ratelimit.h"
#include "http/router.h"
#include "store/c321_store.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct route c321_account_routes[];
extern const struct route c321_mailing_routes[];
extern const struct route c321_doc_routes[];
extern const struct route c321_pricing_routes[];
extern const struct route c321_address_routes[];
static const struct route *const c321_tables[] = { c321_account_routes, c321_mailing_routes,
						   c321_doc_routes, c321_pricing_routes,
						   c321_address_routes, NULL };

#define SECRET_MAX 128

bool c321_path(const char *path)
{
	return path && strncmp(path, "/api/v1", 7) == 0 && (path[7] == '\0' || path[7] == '/');
}

/* ---- responses ---- */

static const char *code_for(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 413: return "payload_too_large";
	case 422: return "unprocessable_entity";
	case 429: return "rate_limited";
	default: return status >= 500 ? "internal_error" : "bad_request";
	}
}

static void set_json(struct req *rq, int status, const json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15));
	rq->status = status;
	rq->resp_type = "application/json";
	if (!text) {
		log_msg(LOG_ERROR, "api/v1 %s: the answer could not be serialised", rq->path);
		rq->status = 500;
		rq->resp_body = "{\"error\":{\"message\":\"An internal error occurred.\","
				"\"code\":\"internal_error\",\"status\":500}}";
		rq->resp_len = strlen(rq->resp_body);
		return;
	}
	rq->resp_len = strlen(text);
	rq->resp_body = arena_strndup(rq->arena, text, rq->resp_len);
	free(text);
}

int c321_respond(struct req *rq, int status, const json_t *body)
{
	set_json(rq, status, body);
	return 0;
}

int c321_respond_bytes(struct req *rq, const char *type, const unsigned char *data, size_t len)
{
	char *copy = arena_alloc(rq->arena, len ? len : 1);
	memcpy(copy, data, len);
	rq->status = 200;
	rq->resp_type = type;
	rq->resp_body = copy;
	rq->resp_len = len;
	req_add_header(rq, "Cache-Control", "private, no-store");
	return 0;
}

static void respond_error_321(struct req *rq, int status, const char *message)
{
	if (status >= 500) {
		log_msg(LOG_ERROR, "api/v1 %s: %s", rq->path, message);
		message = "An internal error occurred. Please try your request again.";
	}
	json_t *body = json_pack("{s{sssssi}}", "error", "message", message, "code",
				 code_for(status), "status", status);
	set_json(rq, status, body);
	json_decref(body);
	rq->error_code = code_for(status);
}

int c321_bad_request(struct api_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	api_vfail(err, ERR_BAD_REQUEST, fmt, ap);
	va_end(ap);
	err->status = 400;
	return -1;
}

int c321_validate(const struct field *fields, const json_t *body, struct req *rq, json_t *out,
		  struct api_error *err)
{
	if (fields_validate_ctx(fields, body, rq->arena, out, rq, err) < 0) {
		err->status = 400;
		return -1;
	}
	return 0;
}

/* ---- answering after a commit ---- */

struct resume_hook {
	void (*resume)(struct req *rq);
	void *transport;
	int created;		/* the status of a successful answer (201 for a create) */
};

/* on the writer thread, once the write is committed or failed: reshape, then hand back */
static void c321_resume(struct req *rq)
{
	struct resume_hook *h = rq->transport;
	rq->resume = h->resume;
	rq->transport = h->transport;
	json_t *body = rq->resp_body ? json_loadb(rq->resp_body, rq->resp_len, 0, NULL) : NULL;
	if (rq->status >= 400 || !body) {
		const char *msg = json_string_value(
			json_object_get(json_object_get(body, "error"), "message"));
		respond_error_321(rq, rq->status >= 400 ? rq->status : 500,
				  msg ? msg : "the write did not complete");
	} else {
		set_json(rq, rq->status == 200 ? h->created : rq->status, body);
	}
	json_decref(body);
	req_finish(rq);
}

/* ---- the pipeline ---- */

enum who { WHO_NONE, WHO_INVALID, WHO_KEY, WHO_SESSION };

struct ident {
	enum who who;
	unsigned perms;
	const char *bucket;
};

static int identify(struct req *rq, struct ident *id, struct api_error *err)
{
	char secret[SECRET_MAX], hash[65];
	int rc = auth_extract_key(&rq->h, secret, sizeof(secret));
	id->who = rc == 1 ? WHO_NONE : WHO_INVALID;
	id->bucket = NULL;	/* anonymous: per address and route (anonymous_bucket) */
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
	id->bucket = arena_strfmt(rq->arena, "c321|%s", rq->key.id);
	return 0;
}

/* X-RateLimit-* on every response (when limits are on); 429 past the limit */
static int rate_limit(struct req *rq, const char *bucket, struct api_error *err)
{
	struct ratelimit_result res;
	if (!rq->app->ratelimit)
		return 0;
	ratelimit_take(rq->app->ratelimit, bucket, rq->now_ms, &res);
	if (res.limit == 0)
		return 0;
	req_add_header(rq, "X-RateLimit-Limit", arena_strfmt(rq->arena, "%u", res.limit));
	req_add_header(rq, "X-RateLimit-Remaining", arena_strfmt(rq->arena, "%u", res.remaining));
	req_add_header(rq, "X-RateLimit-Reset", arena_strfmt(rq->arena, "%lld", res.reset_epoch_s));
	if (res.allowed)
		return 0;
	long long wait = res.reset_epoch_s - rq->now_ms / 1000;
	api_fail(err, ERR_RATE_LIMIT_EXCEEDED, "Rate limit exceeded: try again in %lld seconds",
		 wait > 0 ? wait : 1);
	return -1;
}

static int fail_status(struct api_error *err, enum err_kind kind, int status, const char *msg)
{
	api_fail(err, kind, "%s", msg);
	err->status = status;
	return -1;
}

static int check_scope(const struct route *rt, const struct ident *id, struct api_error *err)
{
	const char *scope = rt->scope;
	if (strcmp(scope, C321_SCOPE_PUBLIC) == 0)
		return 0;
	if (id->who == WHO_NONE)
		return fail_status(err, ERR_UNAUTHORIZED, 401,
				   strcmp(scope, C321_SCOPE_SESSION) == 0
					   ? "Missing session: log in with POST /api/v1/sessions and "
					     "send the token as Authorization: Bearer"
					   : "Missing API key: send it as Authorization: Bearer 321m_… "
					     "or X-API-Key");
	if (id->who == WHO_INVALID)
		return fail_status(err, ERR_UNAUTHORIZED, 401,
				   strcmp(scope, C321_SCOPE_SESSION) == 0 ? "Invalid or expired session"
									 : "Invalid API key");
	if (strcmp(scope, C321_SCOPE_SESSION) == 0)
		return id->who == WHO_SESSION ? 0
		       : fail_status(err, ERR_UNAUTHORIZED, 401,
				     "API keys are managed under a session: log in with POST "
				     "/api/v1/sessions and send that token instead");
	if (id->who != WHO_KEY)
		return fail_status(err, ERR_UNAUTHORIZED, 401,
				   "This endpoint needs an API key (321m_…), not a session token");
	if (!access_allows(id->perms, scope)) {
		api_fail(err, ERR_UNAUTHORIZED, "This API key does not have the %s permission", scope);
		err->status = 403;
		return -1;
	}
	return 0;
}

static int parse_inputs(struct req *rq, struct api_error *err)
{
	if (rq->body_too_large) {
		api_fail(err, ERR_PAYLOAD_TOO_LARGE, "Request body is larger than the limit of %zu bytes",
			 rq->app->max_body);
		return -1;
	}
	const char *qs = rq->query_string ? rq->query_string : "";
	/* a query or body that does not parse is the caller's mistake: 400 */
	rq->query = arena_own_json(rq->arena, body_parse_form(qs, strlen(qs),
							      &rq->app->body_limits, err));
	if (rq->query && (rq->route->flags & R_BODY))
		rq->body_json = arena_own_json(
			rq->arena, body_parse(rq->h.content_type, rq->body ? rq->body : "",
					      rq->body_len, &rq->app->body_limits, err));
	if (!rq->query || ((rq->route->flags & R_BODY) && !rq->body_json)) {
		err->status = 400;
		return -1;
	}
	return 0;
}

/*
 * Requests without valid credentials count per client address and route: a flood of one
 * client never reaches another's budget, and a flood of /api/v1/pricing never locks anyone
 * out of POST /api/v1/sessions (sign-in has its own limits per e-mail on top, c321_account.c).
 * Unknown paths share one bucket per address, so made-up paths cannot mint new buckets.
 */
static const char *anonymous_bucket(struct req *rq, const struct route *rt)
{
	return arena_strfmt(rq->arena, "c321|anonymous|%s|%s %s", req_client(rq),
			    http_method_name(rq->method), rt ? rt->pattern : "(unknown path)");
}

static int pipeline(struct req *rq, struct api_error *err)
{
	struct ident id = { WHO_NONE, 0, NULL };
	const struct route *rt = NULL;
	const char *ids[2] = { NULL, NULL };
	if (identify(rq, &id, err) < 0)
		return -1;
	enum match_result m = router_match(c321_tables, rq->method, rq->path, rq->arena, &rt, ids);
	if (rate_limit(rq, id.bucket ? id.bucket : anonymous_bucket(rq, rt), err) < 0)
		return -1;
	switch (m) {
	case MATCH_NO_PATH:
		return api_fail(err, ERR_NOT_FOUND, "No such endpoint: %.100s", rq->path);
	case MATCH_NO_METHOD:
		return api_fail(err, ERR_NOT_FOUND, "%s is not supported on %.100s",
				http_method_name(rq->method), rq->path);
	case MATCH_OK:
		break;
	}
	rq->route = rt;
	rq->path_id = ids[0];
	rq->path_sub = ids[1];
	if (check_scope(rt, &id, err) < 0 || parse_inputs(rq, err) < 0)
		return -1;
	if (rq->method == HTTP_GET || !rq->resume)
		return rt->handler(rq, err);
	struct resume_hook *h = arena_calloc(rq->arena, sizeof(*h));
	h->resume = rq->resume;
	h->transport = rq->transport;
	h->created = rq->method == HTTP_POST ? 201 : 200;
	rq->resume = c321_resume;
	rq->transport = h;
	int rc = rt->handler(rq, err);
	if (rq->pending)
		return rc;	/* c321_resume answers; rq is no longer ours */
	rq->resume = h->resume;
	rq->transport = h->transport;
	return rc;
}

void c321_dispatch(struct req *rq)
{
	struct api_error err = { .kind = ERR_NONE };
	if (pipeline(rq, &err) < 0)
		respond_error_321(rq, api_error_status(&err), err.message);
	else if (rq->pending)
		return;
	else if (!rq->resp_body)
		respond_error_321(rq, 500, "the handler gave no answer");
}
