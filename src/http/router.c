/* The pipeline and route matching. See router.h for the order of the checks. */
#include "http/router.h"
#include "api/c321.h"
#include "api/resource.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/ratelimit.h"
#include "http/response.h"
#include <stdio.h>
#include <string.h>

#define IDEMPOTENCY_KEY_MAX 256
#define IDEMPOTENCY_TTL_MS (24LL * 3600 * 1000)

/*
 * Dated versions Lob still serves (reference: Versioning; versions up to and including
 * 2019-02-11 are sunset, 2024-01-01 is the latest).
 */
static const char *const lob_versions[] = { "2019-06-01", "2019-09-26", "2020-02-11",
					    "2024-01-01" };

bool router_lob_version_ok(const char *version)
{
	for (size_t i = 0; i < sizeof(lob_versions) / sizeof(lob_versions[0]); i++)
		if (strcmp(version, lob_versions[i]) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */
/* matching                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * compares one pattern against the path; on a match, ids[0] gets the {id} segment and
 * ids[1] the {sub} segment (a nested resource: /v1/templates/{id}/versions/{sub})
 */
static bool pattern_match(const char *pattern, const char *path, struct arena *a,
			  const char *ids[2])
{
	const char *p = pattern, *s = path;
	ids[0] = ids[1] = NULL;
	while (*p && *s) {
		int which = strncmp(p, "{id}", 4) == 0 ? 0 : strncmp(p, "{sub}", 5) == 0 ? 1 : -1;
		if (which >= 0) {
			const char *end = strchr(s, '/');
			size_t n = end ? (size_t)(end - s) : strlen(s);
			if (n == 0)
				return false;
			ids[which] = arena_strndup(a, s, n);
			s += n;
			p += which == 0 ? 4 : 5;
			continue;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	if (*s == '/' && s[1] == '\0')	/* a trailing slash names the same resource */
		s++;
	return *p == '\0' && *s == '\0';
}

enum match_result router_match(const struct route *const *tables, enum http_method method,
			       const char *path, struct arena *a, const struct route **route,
			       const char *ids[2])
{
	bool path_known = false;
	for (size_t t = 0; tables[t]; t++) {
		for (const struct route *r = tables[t]; r->pattern; r++) {
			const char *seg[2];
			if (!pattern_match(r->pattern, path, a, seg))
				continue;
			path_known = true;
			if (r->method == method) {
				*route = r;
				ids[0] = seg[0];
				ids[1] = seg[1];
				return MATCH_OK;
			}
		}
	}
	return path_known ? MATCH_NO_METHOD : MATCH_NO_PATH;
}

void router_print(void)
{
	for (size_t t = 0; route_tables[t]; t++) {
		for (const struct route *r = route_tables[t]; r->pattern; r++) {
			printf("%-7s %-40s %-12s%s\n", http_method_name(r->method), r->pattern,
			       r->flags & R_NO_AUTH ? "public"
			       : r->keys & KEY_OPERATOR ? "operator"
			       : r->keys & KEY_PUBLISHABLE ? "secret+pub"
						       : "secret",
			       r->flags & R_IDEMPOTENT ? " idempotent" : "");
		}
	}
}

/* ------------------------------------------------------------------------ */
/* pipeline steps: each returns 0 to go on, -1 with *err set                 */
/* ------------------------------------------------------------------------ */

static int forbidden(struct api_error *err, const char *message)
{
	api_fail(err, ERR_UNAUTHORIZED, "%s", message);
	err->status = 403;
	return -1;
}

/* customer keys and operator keys never cross: evidence comes from the mail room only */
static int check_key_type(struct req *rq, struct api_error *err)
{
	unsigned have = rq->key.type == KEY_TYPE_OPERATOR      ? KEY_OPERATOR
			: rq->key.type == KEY_TYPE_PUBLISHABLE ? KEY_PUBLISHABLE
							       : KEY_SECRET;
	if (rq->route->keys & have)
		return 0;
	if (rq->route->keys & KEY_OPERATOR)
		return forbidden(err, "This endpoint needs an operator key (frankop_…, made with "
				      "`frank operator create`): account API keys cannot write "
				      "production data or tracking evidence.");
	if (have == KEY_OPERATOR)
		return forbidden(err, "Operator keys work only on /v1/_frank/production/…: use an "
				      "account's secret API key (test_… or live_…) here.");
	return api_fail(err, ERR_PUBLISHABLE_KEY_NOT_ALLOWED,
			"This operation needs a secret API key, not a publishable key.");
}

static int check_version(struct req *rq, struct api_error *err)
{
	const char *v = rq->h.lob_version;
	if (!v || !*v || router_lob_version_ok(v))
		return 0;
	return api_fail(err, ERR_UNSUPPORTED_LOB_VERSION,
			"Lob-Version %.40s is not supported. Supported versions: 2019-06-01, "
			"2019-09-26, 2020-02-11, 2024-01-01.", v);
}

/* counts the request in bucket; the X-Rate-Limit-* headers, and 429 past the limit */
static int take_rate(struct req *rq, struct ratelimit *rl, const char *bucket,
		     struct api_error *err)
{
	struct ratelimit_result res;
	if (!rl)
		return 0;
	ratelimit_take(rl, bucket, rq->now_ms, &res);
	if (res.limit == 0)
		return 0;	/* limits switched off */
	const char *limit = arena_strfmt(rq->arena, "%u", res.limit);
	const char *remaining = arena_strfmt(rq->arena, "%u", res.remaining);
	const char *reset = arena_strfmt(rq->arena, "%lld", res.reset_epoch_s);
	/* the reference documents X-Rate-Limit-*, the spec's responses ratelimit-*: send both */
	req_add_header(rq, "X-Rate-Limit-Limit", limit);
	req_add_header(rq, "X-Rate-Limit-Remaining", remaining);
	req_add_header(rq, "X-Rate-Limit-Reset", reset);
	req_add_header(rq, "ratelimit-limit", limit);
	req_add_header(rq, "ratelimit-remaining", remaining);
	req_add_header(rq, "ratelimit-reset", reset);
	if (res.allowed)
		return 0;
	long long wait = res.reset_epoch_s - rq->now_ms / 1000;
	return api_fail(err, ERR_RATE_LIMIT_EXCEEDED,
			"Rate limit exceeded. Please wait %lld seconds and try your request again.",
			wait > 0 ? wait : 1);
}

/* per key, method and endpoint, as Lob counts */
static int check_rate(struct req *rq, struct api_error *err)
{
	struct ratelimit *rl = rq->route->flags & R_RATE_DOUBLE ? rq->app->ratelimit_double
							       : rq->app->ratelimit;
	return take_rate(rq, rl, arena_strfmt(rq->arena, "%s|%s|%s", rq->key.id,
					      http_method_name(rq->route->method),
					      rq->route->pattern),
			 err);
}

/*
 * A request without a valid key is counted per client address, so guessing keys is limited
 * and one client's flood of 401s never touches anyone else's budget. *err (the 401) becomes
 * a 429 past the limit. Always -1.
 */
static int limit_unauthenticated(struct req *rq, struct api_error *err)
{
	struct api_error limited = { .kind = ERR_NONE };
	if (err->kind == ERR_INTERNAL)
		return -1;
	if (take_rate(rq, rq->app->ratelimit,
		      arena_strfmt(rq->arena, "anonymous|%s", req_client(rq)), &limited) < 0)
		*err = limited;
	return -1;
}

static int parse_inputs(struct req *rq, struct api_error *err)
{
	if (rq->body_too_large)
		return api_fail(err, ERR_PAYLOAD_TOO_LARGE,
				"Request body is larger than the limit of %zu bytes.",
				rq->app->max_body);
	const char *qs = rq->query_string ? rq->query_string : "";
	json_t *q = arena_own_json(rq->arena,
				   body_parse_form(qs, strlen(qs), &rq->app->body_limits, err));
	if (!q)
		return -1;
	rq->query = q;
	if (!(rq->route->flags & R_BODY))
		return 0;
	json_t *b = arena_own_json(rq->arena,
				   body_parse(rq->h.content_type, rq->body ? rq->body : "",
					      rq->body_len, &rq->app->body_limits, err));
	if (!b)
		return -1;
	rq->body_json = b;
	return 0;
}

/* 0 go on (rq->idem_key maybe set), 1 replayed (response written), -1 error */
static int check_idempotency(struct req *rq, struct api_error *err)
{
	json_t *qk = json_object_get(rq->query, "idempotency_key");
	const char *hk = rq->h.idempotency_key;
	const char *key;
	char existing[40];
	if (qk && hk)
		return api_fail(err, ERR_INVALID,
				"Provide the idempotency key either in the Idempotency-Key header "
				"or in the idempotency_key query parameter, not both.");
	if (!qk && !hk)
		return 0;
	key = hk ? hk : json_string_value(qk);
	if (!key || !*key)
		return api_fail(err, ERR_INVALID, "idempotency key must be a non-empty string");
	if (strlen(key) > IDEMPOTENCY_KEY_MAX)
		return api_fail(err, ERR_INVALID,
				"idempotency key must be no longer than %d characters",
				IDEMPOTENCY_KEY_MAX);
	rq->idem_key = key;
	int rc = store_idem_lookup(rq->app->store, &rq->scope, key, rq->now_ms,
				   IDEMPOTENCY_TTL_MS, existing);
	if (rc < 0)
		return api_fail(err, ERR_INTERNAL, "idempotency lookup failed");
	if (rc == 1)
		return 0;
	if (res_respond_existing(rq, existing, err) < 0)
		return -1;
	return 1;
}

static int run_pipeline(struct req *rq, struct api_error *err)
{
	const struct route *rt = NULL;
	const char *ids[2] = { NULL, NULL };
	const struct route *const *tables = rq->app->routes ? rq->app->routes : route_tables;
	switch (router_match(tables, rq->method, rq->path, rq->arena, &rt, ids)) {
	case MATCH_NO_PATH:
		return api_fail(err, ERR_UNRECOGNIZED_ENDPOINT,
				"The requested endpoint does not exist: %.100s", rq->path);
	case MATCH_NO_METHOD:
		return api_fail(err, ERR_METHOD_NOT_ALLOWED,
				"%s is not supported on %.100s", http_method_name(rq->method),
				rq->path);
	case MATCH_OK:
		break;
	}
	rq->route = rt;
	rq->path_id = ids[0];
	rq->path_sub = ids[1];
	if (rt->res)
		rq->scope.kind = rt->res->kind;
	if (rt->flags & R_NO_AUTH)
		return rt->handler(rq, err);
	if (auth_authenticate(rq, err) < 0)
		return limit_unauthenticated(rq, err);
	if (check_key_type(rq, err) < 0 ||
	    check_version(rq, err) < 0 || check_rate(rq, err) < 0 || parse_inputs(rq, err) < 0)
		return -1;
	if (rt->flags & R_IDEMPOTENT) {
		int rc = check_idempotency(rq, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	return rt->handler(rq, err);
}

void router_dispatch(struct req *rq)
{
	struct api_error err = { .kind = ERR_NONE };
	if (c321_path(rq->path)) {	/* the 321certified-style API: its own auth and errors */
		c321_dispatch(rq);
		return;
	}
	if (run_pipeline(rq, &err) < 0)
		respond_error(rq, &err);
	else if (rq->pending)
		return;	/* the write's completion responds; rq may already be gone to it */
	else if (!rq->resp_body)
		respond_error(rq, &(struct api_error){ .kind = ERR_INTERNAL });
}
