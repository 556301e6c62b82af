// SPDX-License-Identifier: AGPL-3.0-or-later
/* The pipeline and route matching. See router.h for the order of the checks. */
#include "http/router.h"
#include "http/body_file.h"
#include "c321/access.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/metrics.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/ratelimit.h"
#include "http/response.h"
#include <stdio.h>
#include <string.h>

#define IDEMPOTENCY_KEY_MAX 256
#define IDEMPOTENCY_TTL_MS (24LL * 3600 * 1000)

/* the profiles (route.h); a family names one in the registration */
const struct route_profile route_profile_lob = { "lob", AUTH_LOB_KEY, SHAPE_LOB,
						 RATE_PER_ENDPOINT, true };
const struct route_profile route_profile_operator = { "operator", AUTH_OPERATOR_KEY, SHAPE_LOB,
						      RATE_PER_ENDPOINT, true };
const struct route_profile route_profile_public = { "public", AUTH_NONE, SHAPE_LOB, RATE_NONE,
						    false };
const struct route_profile route_profile_321 = { "321", AUTH_321, SHAPE_321,
						 RATE_PER_CREDENTIAL, false };
/* people, not programs: sign-in has its own limits (ratelimit_signin.h) */
const struct route_profile route_profile_dashboard = { "dashboard", AUTH_DASHBOARD, SHAPE_HTML,
						       RATE_NONE, false };

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

const struct route_profile *router_profile_for_path(const struct route_registry *reg,
						    const char *path)
{
	for (const struct route_prefix *p = reg && path ? reg->prefixes : NULL; p && p->prefix;
	     p++) {
		size_t n = strlen(p->prefix);
		if (strncmp(path, p->prefix, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return p->profile;
	}
	return &route_profile_lob;
}

const struct route_profile *router_profile_of(const struct req *rq)
{
	if (rq->profile)
		return rq->profile;
	return router_profile_for_path(rq->app ? rq->app->routes : NULL, rq->path);
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

enum match_result router_match(const struct route_family *families, enum http_method method,
			       const char *path, struct arena *a, const struct route **route,
			       const struct route_profile **profile, const char *ids[2])
{
	bool path_known = false;
	for (const struct route_family *f = families; f->rows; f++) {
		for (const struct route *r = f->rows; r->pattern; r++) {
			const char *seg[2];
			if (!pattern_match(r->pattern, path, a, seg))
				continue;
			path_known = true;
			if (r->method == method) {
				*route = r;
				*profile = f->profile;
				ids[0] = seg[0];
				ids[1] = seg[1];
				return MATCH_OK;
			}
		}
	}
	return path_known ? MATCH_NO_METHOD : MATCH_NO_PATH;
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

static int not_found(struct req *rq, enum match_result m, struct api_error *err)
{
	if (m == MATCH_NO_METHOD)
		return api_fail(err, ERR_METHOD_NOT_ALLOWED, "%s is not supported on %.100s",
				http_method_name(rq->method), rq->path);
	return api_fail(err, ERR_UNRECOGNIZED_ENDPOINT,
			"The requested endpoint does not exist: %.100s", rq->path);
}

/* the credentials the profile reads; -1 only when the lookup itself failed */
static int identify(struct req *rq, struct auth_identity *id, struct api_error *err)
{
	if (rq->internal) {	/* the dashboard set rq->key for its session (dashboard/call.h) */
		id->who = WHO_KEY;
		/*
		 * Under /api/v1 a key carries permissions (auth_321_authorise): a user's session
		 * reads its account's mailings, labels, tracking, addresses and prices there, as a
		 * key with the read permissions would; creating mailings stays with 321m_ keys
		 * (the dashboard page scope has already checked the user's role).
		 */
		id->perms = rq->key.type == KEY_TYPE_OPERATOR
				    ? 0
				    : PERM_MAILINGS_READ | PERM_ADDRESSES_READ | PERM_PRICING_READ;
		rq->scope.account_id = rq->key.account_id;
		rq->scope.mode = rq->key.mode;
		return 0;
	}
	if (rq->profile->auth == AUTH_321)
		return auth_321_identify(rq, id, err);
	if (rq->profile->auth == AUTH_DASHBOARD)
		return auth_dashboard_identify(rq, id, err);
	id->denied = (struct api_error){ .kind = ERR_NONE };
	if (auth_authenticate(rq, &id->denied) == 0) {
		id->who = WHO_KEY;
		return 0;
	}
	if (id->denied.kind == ERR_INTERNAL) {
		*err = id->denied;
		return -1;
	}
	id->who = WHO_INVALID;	/* the 401 waits for the rate limit: 429 past it */
	return 0;
}

/* customer keys and operator keys never cross: evidence comes from the mail room only */
static int check_key_type(struct req *rq, const struct auth_identity *id, struct api_error *err)
{
	if (id->who != WHO_KEY) {
		*err = id->denied;
		return -1;
	}
	bool operator_key = rq->key.type == KEY_TYPE_OPERATOR;
	if (rq->profile->auth == AUTH_OPERATOR_KEY)
		return operator_key ? 0
				    : forbidden(err, "This endpoint needs an operator key (frankop_…, "
						     "made with `frank operator create`): account "
						     "API keys cannot write production data or "
						     "tracking evidence.");
	if (operator_key)
		return forbidden(err, "Operator keys work only on /v1/_frank/production/…: use an "
				      "account's secret API key (test_… or live_…) here.");
	unsigned have = rq->key.type == KEY_TYPE_PUBLISHABLE ? KEY_PUBLISHABLE : KEY_SECRET;
	if (rq->route->keys & have)
		return 0;
	return api_fail(err, ERR_PUBLISHABLE_KEY_NOT_ALLOWED,
			"This operation needs a secret API key, not a publishable key.");
}

static int authorise(struct req *rq, const struct auth_identity *id, struct api_error *err)
{
	if (rq->profile->auth == AUTH_321)
		return auth_321_authorise(rq->route, id, err);
	if (rq->profile->auth == AUTH_DASHBOARD)
		return auth_dashboard_authorise(rq, id, err);
	return check_key_type(rq, id, err);
}

static int check_version(struct req *rq, struct api_error *err)
{
	const char *v = rq->h.lob_version;
	if (rq->profile->auth == AUTH_321 || rq->profile->auth == AUTH_DASHBOARD || !v || !*v ||
	    router_lob_version_ok(v))
		return 0;
	return api_fail(err, ERR_UNSUPPORTED_LOB_VERSION,
			"Lob-Version %.40s is not supported. Supported versions: 2019-06-01, "
			"2019-09-26, 2020-02-11, 2024-01-01.", v);
}

/*
 * The bucket a request counts against. Lob counts per key, method and endpoint; /api/v1
 * per key or session, whatever the path. A request without valid credentials counts per
 * client address, so guessing keys is limited and one client's flood never touches anyone
 * else's budget; under /api/v1 per address and route too, so a flood of /api/v1/pricing
 * cannot lock anyone out of POST /api/v1/sessions (unknown paths share one bucket per
 * address: made-up paths mint no buckets).
 */
static const char *rate_bucket(struct req *rq, const struct auth_identity *id,
			       struct ratelimit **rl)
{
	const struct route *rt = rq->route;
	bool known = id->who == WHO_KEY || id->who == WHO_SESSION;
	*rl = rq->app->ratelimit;
	if (rq->profile->rate == RATE_PER_CREDENTIAL)
		return known ? arena_strfmt(rq->arena, "c321|%s", rq->key.id)
			     : arena_strfmt(rq->arena, "c321|anonymous|%s|%s %s", req_client(rq),
					    http_method_name(rq->method),
					    rt ? rt->pattern : "(unknown path)");
	if (!known)
		return arena_strfmt(rq->arena, "anonymous|%s", req_client(rq));
	if (rt->flags & R_RATE_DOUBLE)
		*rl = rq->app->ratelimit_double;
	return arena_strfmt(rq->arena, "%s|%s|%s", rq->key.id, http_method_name(rt->method),
			    rt->pattern);
}

/* counts the request; the profile's X-Rate-Limit-* / X-RateLimit-* headers, 429 past it */
static int check_rate(struct req *rq, const struct auth_identity *id, struct api_error *err)
{
	struct ratelimit *rl;
	struct ratelimit_result res;
	if (rq->internal || rq->profile->rate == RATE_NONE)
		return 0;
	const char *bucket = rate_bucket(rq, id, &rl);
	if (!rl)
		return 0;
	ratelimit_take(rl, bucket, rq->now_ms, &res);
	if (res.limit == 0)
		return 0;	/* limits switched off */
	const char *limit = arena_strfmt(rq->arena, "%u", res.limit);
	const char *remaining = arena_strfmt(rq->arena, "%u", res.remaining);
	const char *reset = arena_strfmt(rq->arena, "%lld", res.reset_epoch_s);
	if (rq->profile->shape == SHAPE_321) {	/* the seed's names */
		req_add_header(rq, "X-RateLimit-Limit", limit);
		req_add_header(rq, "X-RateLimit-Remaining", remaining);
		req_add_header(rq, "X-RateLimit-Reset", reset);
	} else {	/* Lob's reference documents X-Rate-Limit-*, its spec ratelimit-*: both */
		req_add_header(rq, "X-Rate-Limit-Limit", limit);
		req_add_header(rq, "X-Rate-Limit-Remaining", remaining);
		req_add_header(rq, "X-Rate-Limit-Reset", reset);
		req_add_header(rq, "ratelimit-limit", limit);
		req_add_header(rq, "ratelimit-remaining", remaining);
		req_add_header(rq, "ratelimit-reset", reset);
	}
	if (res.allowed)
		return 0;
	metric_inc(&ratelimit_refusals, rq->profile->name);
	long long wait = res.reset_epoch_s - rq->now_ms / 1000;
	return api_fail(err, ERR_RATE_LIMIT_EXCEEDED,
			"Rate limit exceeded. Please wait %lld seconds and try your request again.",
			wait > 0 ? wait : 1);
}

/* the query (always) and the body (R_BODY rows); 422 invalid, or 400 in the 321 shape */
static int parse_inputs(struct req *rq, struct api_error *err)
{
	bool file = rq->route->flags & R_BODY_FILE;
	if (rq->body_too_large)
		return api_fail(err, ERR_PAYLOAD_TOO_LARGE,
				"Request body is larger than the limit of %llu bytes.",
				!file ? (unsigned long long)rq->app->max_body
				: rq->app->max_file_body ? rq->app->max_file_body : APP_MAX_FILE_BODY);
	const char *qs = rq->query_string ? rq->query_string : "";
	rq->query = arena_own_json(rq->arena,
				   body_parse_form(qs, strlen(qs), &rq->app->body_limits, err));
	if (rq->query && file) {	/* the transport parsed it on the way to disk */
		rq->body_json = rq->body_file && rq->body_file->fields
					? rq->body_file->fields
					: arena_own_json(rq->arena, json_object());
		return 0;
	}
	if (rq->query && (rq->route->flags & R_BODY))
		rq->body_json = arena_own_json(
			rq->arena, body_parse(rq->h.content_type, rq->body ? rq->body : "",
					      rq->body_len, &rq->app->body_limits, err));
	if (rq->query && (rq->body_json || !(rq->route->flags & R_BODY)))
		return 0;
	if (rq->profile->shape == SHAPE_321 && err->kind != ERR_INTERNAL)
		err->status = 400;	/* the seed: parameter errors are 400 */
	return -1;
}

/* 0 go on (rq->idem_key maybe set), 1 replayed (response written), -1 error */
static int check_idempotency(struct req *rq, struct api_error *err)
{
	json_t *qk = json_object_get(rq->query, "idempotency_key");
	const char *hk = rq->h.idempotency_key;
	const char *key;
	char existing[40];
	if (!rq->profile->idempotency || !(rq->route->flags & R_IDEMPOTENT))
		return 0;
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
	if (rq->app->routes->replay(rq, existing, err) < 0)
		return -1;
	return 1;
}

/* ------------------------------------------------------------------------ */
/* answers made after a commit, in the 321 shape                            */
/* ------------------------------------------------------------------------ */

struct late_answer {
	void (*resume)(struct req *rq);
	void *transport;
};

/*
 * On the store's writer thread, once a write is committed or failed. Errors are already in
 * the profile's shape (respond_error reads rq->profile); an object written as stored text
 * is written again with 15 digits, and a create answers 201.
 */
static void finish_late_321(struct req *rq)
{
	struct late_answer *h = rq->transport;
	rq->resume = h->resume;
	rq->transport = h->transport;
	if (rq->status < 400) {
		json_t *body = rq->resp_body ? json_loadb(rq->resp_body, rq->resp_len, 0, NULL)
					     : NULL;
		if (body)
			respond_json(rq, rq->status == 200 && rq->method == HTTP_POST ? 201
										     : rq->status,
				     body);
		else
			respond_error(rq, &(struct api_error){ .kind = ERR_INTERNAL,
							       .message = "the write did not "
									  "complete" });
		json_decref(body);
	}
	req_finish(rq);
}

static int run_handler(struct req *rq, struct api_error *err)
{
	if (rq->profile->shape != SHAPE_321 || rq->method == HTTP_GET || !rq->resume)
		return rq->route->handler(rq, err);
	struct late_answer *h = arena_calloc(rq->arena, sizeof(*h));
	h->resume = rq->resume;
	h->transport = rq->transport;
	rq->resume = finish_late_321;
	rq->transport = h;
	int rc = rq->route->handler(rq, err);
	if (rq->pending)
		return rc;	/* finish_late_321 answers; rq is no longer ours */
	rq->resume = h->resume;
	rq->transport = h->transport;
	return rc;
}

/*
 * One pipeline for every profile: match → credentials → rate limit → (unknown path) → key
 * type or permission → Lob-Version → inputs → idempotency → handler.
 */
static int run_pipeline(struct req *rq, struct api_error *err)
{
	const struct route *rt = NULL;
	const struct route_profile *prof = NULL;
	const char *ids[2] = { NULL, NULL };
	struct auth_identity id = { .who = WHO_NONE };
	enum match_result m = router_match(rq->app->routes->families, rq->method, rq->path,
					   rq->arena, &rt, &prof, ids);
	rq->profile = prof ? prof : router_profile_for_path(rq->app->routes, rq->path);
	if (rq->app->routes->by_host && rq->h.host) {
		int h = rq->app->routes->by_host(rq, m == MATCH_NO_PATH, err);
		if (h != 0)
			return h < 0 ? -1 : 0;
	}
	/* per-credential limits count unknown paths too: the 404 comes after the count */
	if (m != MATCH_OK && rq->profile->rate != RATE_PER_CREDENTIAL)
		return not_found(rq, m, err);
	if (m == MATCH_OK) {
		rq->route = rt;
		rq->path_id = ids[0];
		rq->path_sub = ids[1];
		if (rt->res)
			rq->scope.kind = rq->app->routes->resource_kind(rt->res);
		if (rq->profile->auth == AUTH_NONE)
			return run_handler(rq, err);
	}
	if (identify(rq, &id, err) < 0 || check_rate(rq, &id, err) < 0)
		return -1;
	if (m != MATCH_OK)
		return not_found(rq, m, err);
	if (authorise(rq, &id, err) < 0 || check_version(rq, err) < 0 ||
	    parse_inputs(rq, err) < 0)
		return -1;
	if (rq->profile->auth == AUTH_DASHBOARD && auth_dashboard_csrf(rq, err) < 0)
		return -1;
	int rc = check_idempotency(rq, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return run_handler(rq, err);
}

int router_precheck(struct req *rq)
{
	struct api_error err = { .kind = ERR_NONE };
	const struct route *rt = NULL;
	const struct route_profile *prof = NULL;
	const char *ids[2] = { NULL, NULL };
	struct auth_identity id = { .who = WHO_NONE };
	if (router_match(rq->app->routes->families, rq->method, rq->path, rq->arena, &rt, &prof,
			 ids) != MATCH_OK || prof->auth == AUTH_NONE)
		return 0;
	rq->route = rt;
	rq->profile = prof;
	if (identify(rq, &id, &err) == 0 && authorise(rq, &id, &err) == 0)
		return 0;
	respond_error(rq, &err);
	return -1;
}

void router_dispatch(struct req *rq)
{
	struct api_error err = { .kind = ERR_NONE };
	if (run_pipeline(rq, &err) < 0)
		respond_error(rq, &err);
	else if (rq->pending)
		return;	/* the write's completion responds; rq may already be gone to it */
	else if (!rq->resp_body)
		respond_error(rq, &(struct api_error){ .kind = ERR_INTERNAL });
}
