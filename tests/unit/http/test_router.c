// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The request pipeline, in-process (no socket): routing, auth in its three forms, key
 * types, modes and accounts, Lob-Version, rate limits, body limits, idempotency.
 */
#include "api/accounts.h"
#include "api/operators.h"
#include "api/resource.h"
#include "api/routes.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/ratelimit.h"
#include "http/response.h"
#include "http/router.h"
#include "test.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>

extern const struct resource address_res;
extern const struct route address_routes[];
extern const struct route operator_routes[];

/* the address routes plus an idempotent create, as mail pieces will have */
static const struct route test_routes[] = {
	{ HTTP_POST, "/v1/idem_addresses", res_create, &address_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/public_things", res_list, &address_res, KEY_SECRET | KEY_PUBLISHABLE, NULL, 0 },
	{ .pattern = NULL }
};
static int ping(struct req *rq, struct api_error *err)
{
	(void)err;
	json_t *body = json_pack("{sf}", "price", 8.9);
	respond_json(rq, 200, body);
	json_decref(body);
	return 0;
}

/* rows under the 321certified-style profile, as /api/v1 has them */
static const struct route rows_321[] = {
	{ HTTP_POST, "/api/v1/ping", ping, NULL, 0, C321_SCOPE_PUBLIC, R_BODY },
	{ HTTP_GET, "/api/v1/priced", ping, NULL, 0, "pricing:read", 0 },
	{ .pattern = NULL }
};

static const struct route_family families[] = { { &route_profile_lob, address_routes },
						{ &route_profile_lob, test_routes },
						{ &route_profile_operator, operator_routes },
						{ &route_profile_321, rows_321 },
						{ NULL, NULL } };
static const struct route_prefix prefixes[] = { { "/api/v1", &route_profile_321 },
						{ NULL, NULL } };
static const struct route_registry registry = { .families = families,
						.prefixes = prefixes,
						.resource_kind = api_resource_kind,
						.replay = res_respond_existing };

static struct app app;
static struct account_keys k1, k2;

static const char *ADDRESS = "{\"name\":\"Harry\",\"address_line1\":\"210 King St\","
			     "\"address_city\":\"SF\",\"address_state\":\"CA\",\"address_zip\":\"94107\"}";

struct call {
	enum http_method method;
	const char *path, *query, *body, *key, *auth, *version, *idem;
	bool too_large;
	const char *client;	/* the client's address, as the transport records it */
};

/* the transport's side of an asynchronous answer: wake the caller */
static void test_resume(struct req *rq)
{
	sem_post(rq->transport);
}

/* runs one request; returns the response status; *json (caller decrefs) the body */
static int call(const struct call *c, json_t **json)
{
	struct req rq = { 0 };
	char auth[200];
	sem_t answered;
	sem_init(&answered, 0, 0);
	rq.resume = test_resume;
	rq.transport = &answered;
	rq.arena = arena_new();
	rq.app = &app;
	rq.now_ms = 1700000000000LL;
	rq.method = c->method;
	rq.client = c->client;
	rq.path = c->path;
	rq.query_string = c->query;
	if (c->key) {
		snprintf(auth, sizeof(auth), "Bearer %s", c->key);
		rq.h.authorization = auth;
	}
	if (c->auth)
		rq.h.authorization = c->auth;
	rq.h.lob_version = c->version;
	rq.h.idempotency_key = c->idem;
	rq.h.content_type = c->body ? "application/json" : NULL;
	rq.body = c->body;
	rq.body_len = c->body ? strlen(c->body) : 0;
	rq.body_too_large = c->too_large;
	router_dispatch(&rq);
	if (rq.pending)
		sem_wait(&answered);	/* a write: answered after its group commit */
	sem_destroy(&answered);
	int status = rq.status;
	if (json)
		*json = json_loadb(rq.resp_body, rq.resp_len, 0, NULL);
	arena_free(rq.arena);
	return status;
}

static const char *code_of(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static char *create(const char *key)
{
	json_t *j = NULL;
	struct call c = { HTTP_POST, "/v1/addresses", .body = ADDRESS, .key = key };
	int st = call(&c, &j);
	char *id = st == 200 ? strdup(json_string_value(json_object_get(j, "id"))) : NULL;
	json_decref(j);
	return id;
}

static void test_routing(void)
{
	json_t *j = NULL;
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/nothing", .key = k1.test_secret }, &j), 404,
		  "unknown path");
	CHECK_STR(code_of(j), "unrecognized_endpoint", "unknown path code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_PUT, "/v1/addresses", .key = k1.test_secret }, &j), 404,
		  "known path, other method");
	CHECK_STR(code_of(j), "unrecognized_endpoint", "other method code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses/", .key = k1.test_secret }, NULL),
		  200, "trailing slash");
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses/adr_0000000000000000", .key = k1.test_secret }, &j),
		  404, "unknown id");
	CHECK_STR(code_of(j), "not_found", "unknown id code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses/ltr_0000000000000000", .key = k1.test_secret }, NULL),
		  404, "id with another prefix");
}

static void test_auth(void)
{
	json_t *j = NULL;
	char basic[300], user[100];
	unsigned char b64[200];
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = NULL }, &j), 401, "no key");
	CHECK_STR(code_of(j), "unauthorized", "no key code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = "test_nope" }, &j), 401,
		  "unknown key");
	CHECK_STR(code_of(j), "invalid_api_key", "unknown key code");
	json_decref(j);
	snprintf(user, sizeof(user), "%s:", k1.test_secret);
	EVP_EncodeBlock(b64, (unsigned char *)user, (int)strlen(user));
	snprintf(basic, sizeof(basic), "Basic %s", b64);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .auth = basic }, NULL), 200,
		  "Basic auth with the key as user");
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .auth = "Basic !!!" }, NULL), 401,
		  "malformed Basic");
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .auth = "Digest x" }, NULL), 401,
		  "unknown scheme");

	struct req_headers h = { .x_api_key = k1.test_secret };
	char key[100];
	CHECK_INT(auth_extract_key(&h, key, sizeof(key)), 0, "X-API-Key read");
	CHECK_STR(key, k1.test_secret, "X-API-Key value");

	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = k1.test_publishable }, &j),
		  403, "publishable key on addresses");
	CHECK_STR(code_of(j), "publishable_key_not_allowed", "publishable code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/public_things", .key = k1.test_publishable }, NULL),
		  200, "publishable key where a row allows it");
}

static void test_isolation(void)
{
	char *id = create(k1.test_secret);
	char path[100];
	CHECK(id != NULL, "create with the test key");
	snprintf(path, sizeof(path), "/v1/addresses/%s", id ? id : "");
	CHECK_INT(call(&(struct call){ HTTP_GET, path, .key = k1.test_secret }, NULL), 200, "test sees test");
	CHECK_INT(call(&(struct call){ HTTP_GET, path, .key = k1.live_secret }, NULL), 404, "live does not see test");
	CHECK_INT(call(&(struct call){ HTTP_GET, path, .key = k2.test_secret }, NULL), 404,
		  "another account does not see it");
	CHECK_INT(call(&(struct call){ HTTP_DELETE, path, .key = k2.test_secret }, NULL), 404,
		  "another account cannot delete it");
	CHECK_INT(call(&(struct call){ HTTP_DELETE, path, .key = k1.test_secret }, NULL), 200, "delete");
	CHECK_INT(call(&(struct call){ HTTP_GET, path, .key = k1.test_secret }, NULL), 404, "gone after delete");
	CHECK_INT(call(&(struct call){ HTTP_DELETE, path, .key = k1.test_secret }, NULL), 404, "delete twice");
	free(id);
}

static void test_version_and_body(void)
{
	json_t *j = NULL;
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = k1.test_secret, .version = "2024-01-01" }, NULL),
		  200, "Lob-Version 2024-01-01");
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = k1.test_secret, .version = "2019-02-11" }, &j),
		  422, "sunset version");
	CHECK_STR(code_of(j), "unsupported_lob_version", "version code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/addresses", .key = k1.test_secret, .body = ADDRESS,
				       .too_large = true }, &j), 413, "body over the limit");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "error"), "status_code")), 413,
		  "413 in the body");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/addresses", .key = k1.test_secret, .body = "{bad" }, &j),
		  422, "malformed JSON");
	CHECK_STR(code_of(j), "invalid", "malformed JSON code");
	json_decref(j);
}

static void test_rate_limit(void)
{
	struct ratelimit_config cfg = { .limit = 3, .window_s = 60 };
	json_t *j = NULL;
	app.ratelimit = ratelimit_new(&cfg);
	for (int i = 0; i < 3; i++)
		CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = k2.live_secret }, NULL),
			  200, "request %d within the limit", i + 1);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = k2.live_secret }, &j), 429,
		  "fourth request limited");
	CHECK_STR(code_of(j), "rate_limit_exceeded", "429 code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/addresses", .key = k2.live_secret, .body = ADDRESS }, NULL),
		  200, "another endpoint has its own budget");
	ratelimit_free(app.ratelimit);
	app.ratelimit = NULL;
}

static const char *message_of(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "message"));
}

/* operator keys reach only operator rows; no customer key reaches those */
static void test_operator_keys(void)
{
	char op[40], op_key[OPERATOR_KEY_MAX];
	struct api_error err;
	json_t *j = NULL;
	CHECK_INT(operators_create(app.store, "mailroom@example.com", "a long password", 0, op,
				   op_key, &err), 0, "operator created");
	CHECK(strncmp(op_key, "frankop_", 8) == 0, "operator keys start with frankop_");
	CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/_frank/production/keys", .key = op_key }, &j),
		  200, "an operator key on an operator route");
	CHECK_STR(json_string_value(json_object_get(j, "operator_id")), op, "the key's operator");
	const char *second = json_string_value(json_object_get(j, "key"));
	char again[OPERATOR_KEY_MAX];
	snprintf(again, sizeof(again), "%s", second ? second : "");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/_frank/production/keys", .key = again }, NULL),
		  200, "the second key works too");
	const char *customer[] = { k1.test_secret, k1.live_secret, k1.test_publishable,
				   k1.live_publishable };
	for (size_t i = 0; i < 4; i++) {
		CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/_frank/production/keys",
					       .key = customer[i] }, &j),
			  403, "customer key %zu refused on an operator route", i);
		CHECK(message_of(j) && strstr(message_of(j), "needs an operator key"),
		      "the message says an operator key is needed (%zu)", i);
		json_decref(j);
	}
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = op_key }, &j), 403,
		  "an operator key on the customer API");
	CHECK(message_of(j) && strstr(message_of(j), "Operator keys work only"),
	      "the message says where operator keys work");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/v1/_frank/production/keys",
				       .key = "frankop_000000000000000000000000000000000000000000000000" }, &j),
		  401, "an unknown operator key");
	CHECK_STR(code_of(j), "invalid_api_key", "unknown operator key code");
	json_decref(j);
}

/* requests without a valid key count per client address: one client's 401s stay its own */
static void test_unauthenticated_limit(void)
{
	struct ratelimit_config cfg = { .limit = 3, .window_s = 60 };
	json_t *j = NULL;
	app.ratelimit = ratelimit_new(&cfg);
	for (int i = 0; i < 3; i++)
		CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = "test_guess",
					       .client = "192.0.2.1" }, NULL),
			  401, "guess %d answered 401", i + 1);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .client = "192.0.2.1" }, &j), 429,
		  "the fourth request without a valid key from that address is limited");
	CHECK_STR(code_of(j), "rate_limit_exceeded", "429 code");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .client = "192.0.2.2" }, NULL), 401,
		  "another address still gets its 401");
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = k1.test_secret,
				       .client = "192.0.2.1" }, NULL),
		  200, "a valid key from the flooding address is counted on its own key");
	ratelimit_free(app.ratelimit);
	app.ratelimit = NULL;
}

/* the address rate limits count: IPv4 as is, IPv6 by its /64, IPv4-mapped as IPv4 */
static void test_client_address(void)
{
	struct req rq = { .arena = arena_new() };
	struct sockaddr_in v4 = { .sin_family = AF_INET };
	struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };
	inet_pton(AF_INET, "203.0.113.7", &v4.sin_addr);
	req_set_client(&rq, (struct sockaddr *)&v4);
	CHECK_STR(req_client(&rq), "203.0.113.7", "IPv4");
	inet_pton(AF_INET6, "2001:db8:1:2:aaaa:bbbb:cccc:dddd", &v6.sin6_addr);
	req_set_client(&rq, (struct sockaddr *)&v6);
	CHECK_STR(req_client(&rq), "2001:db8:1:2::/64", "IPv6 counted by its /64");
	inet_pton(AF_INET6, "::ffff:198.51.100.9", &v6.sin6_addr);
	req_set_client(&rq, (struct sockaddr *)&v6);
	CHECK_STR(req_client(&rq), "198.51.100.9", "IPv4-mapped IPv6 as IPv4");
	req_set_client(&rq, NULL);
	CHECK_STR(req_client(&rq), "unknown", "no address");
	arena_free(rq.arena);
}

struct race {
	const char *key;
	char id[40];
};

static void *race_create(void *p)
{
	struct race *r = p;
	json_t *j = NULL;
	call(&(struct call){ HTTP_POST, "/v1/idem_addresses", .key = k2.test_secret, .body = ADDRESS,
			     .idem = r->key }, &j);
	const char *id = json_string_value(json_object_get(j, "id"));
	snprintf(r->id, sizeof(r->id), "%s", id ? id : "");
	json_decref(j);
	return NULL;
}

static void test_idempotency(void)
{
	json_t *a = NULL, *b = NULL, *j = NULL;
	struct call c = { HTTP_POST, "/v1/idem_addresses", .key = k1.test_secret, .body = ADDRESS,
			  .idem = "retry-1" };
	CHECK_INT(call(&c, &a), 200, "first idempotent create");
	CHECK_INT(call(&c, &b), 200, "replay");
	CHECK(json_equal(a, b), "replay returns the original object");
	json_decref(b);
	c.idem = NULL;
	c.query = "idempotency_key=retry-1";
	CHECK_INT(call(&c, &b), 200, "same key as a query parameter");
	CHECK(json_equal(a, b), "query key replays too");
	json_decref(b);
	c.idem = "retry-1";
	CHECK_INT(call(&c, &j), 422, "header and query both given");
	json_decref(j);
	c.query = NULL;
	c.key = k1.live_secret;
	CHECK_INT(call(&c, &b), 200, "same key in live mode");
	CHECK(!json_equal(json_object_get(a, "id"), json_object_get(b, "id")), "keys are scoped by mode");
	json_decref(b);
	char long_key[300];
	memset(long_key, 'k', 257);
	long_key[257] = '\0';
	c.idem = long_key;
	CHECK_INT(call(&c, &j), 422, "key over 256 characters");
	json_decref(j);
	json_decref(a);

	/* eight concurrent requests with one new key create exactly one object */
	pthread_t t[8];
	struct race r[8];
	for (int i = 0; i < 8; i++) {
		r[i].key = "concurrent-1";
		pthread_create(&t[i], NULL, race_create, &r[i]);
	}
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	int same = 0;
	for (int i = 0; i < 8; i++)
		same += strcmp(r[i].id, r[0].id) == 0 && r[0].id[0];
	CHECK_INT(same, 8, "all concurrent requests got the same object");
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .query = "include[]=total_count",
				       .key = k2.test_secret }, &j), 200, "list after the race");
	CHECK_INT(json_integer_value(json_object_get(j, "total_count")), 1, "exactly one object stored");
	json_decref(j);
}

static bool shape_321(json_t *j, int status, const char *code)
{
	json_t *e = json_object_get(j, "error");
	return json_integer_value(json_object_get(e, "status")) == status &&
	       !json_object_get(e, "status_code") &&
	       json_is_string(json_object_get(e, "code")) &&
	       strcmp(json_string_value(json_object_get(e, "code")), code) == 0 &&
	       json_string_value(json_object_get(e, "message"));
}

/* one pipeline, two profiles: /api/v1 answers in its own shape wherever the error arises */
static void test_profiles(void)
{
	json_t *j = NULL;
	CHECK_INT(call(&(struct call){ HTTP_GET, "/api/v1/nothing", .key = NULL }, &j), 404, "321: unknown path");
	CHECK(shape_321(j, 404, "not_found"), "321: unknown path in the 321 shape");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_DELETE, "/api/v1/ping", .key = NULL }, &j), 404, "321: other method");
	CHECK(shape_321(j, 404, "not_found"), "321: other method is not_found");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/api/v1/priced", .key = NULL }, &j), 401, "321: no key");
	CHECK(shape_321(j, 401, "unauthorized"), "321: 401 in the 321 shape");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/api/v1/priced", .key = k1.test_secret }, &j),
		  401, "321: a Lob key is no key here");
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
		  "Invalid API key", "321: the message names the key");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_GET, "/v1/addresses", .key = "321m_test_0123" }, &j),
		  401, "Lob: a 321 key is no key there");
	CHECK_STR(code_of(j), "invalid_api_key", "Lob: in Lob's shape");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/api/v1/ping", .body = "{\"a\":" }, &j), 400,
		  "321: a body that does not parse is 400");
	CHECK(shape_321(j, 400, "bad_request"), "321: bad_request");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/api/v1/ping", .body = "{}", .too_large = true },
		       &j), 413, "321: too large");
	CHECK(shape_321(j, 413, "payload_too_large"), "321: payload_too_large");
	json_decref(j);
	CHECK_INT(call(&(struct call){ HTTP_POST, "/api/v1/ping", .body = "{}" }, &j), 200,
		  "321: a public row");
	json_decref(j);

	/* errors at the HTTP edge, before any route: the profile of the path's prefix */
	const char *paths[] = { "/api/v1/mailings", "/api/v1", "/v1/letters", "/api/v10" };
	const bool is_321[] = { true, true, false, false };
	for (int i = 0; i < 4; i++) {
		struct req rq = { .arena = arena_new(), .app = &app, .path = paths[i] };
		struct api_error err;
		api_fail(&err, ERR_BAD_REQUEST, "too long");
		err.status = 414;
		respond_error(&rq, &err);
		j = json_loadb(rq.resp_body, rq.resp_len, 0, NULL);
		CHECK(is_321[i] ? shape_321(j, 414, "bad_request")
				: json_integer_value(json_object_get(json_object_get(j, "error"),
								     "status_code")) == 414,
		      "edge error on %s in the %s shape", paths[i], is_321[i] ? "321" : "Lob");
		json_decref(j);
		arena_free(rq.arena);
	}
}

int main(void)
{
	char dir[] = "/tmp/frank-test-router-XXXXXX";
	struct api_error err;
	if (!mkdtemp(dir))
		return 1;
	struct store_options opt = { .dir = dir, .pool_size = 8 };
	app.store = store_open(&opt, &err);
	app.public_url = "http://test";
	app.max_body = 1 << 20;
	app.body_limits = body_limits_default;
	app.routes = &registry;
	if (!app.store || accounts_create(app.store, "one", &k1, &err) < 0 ||
	    accounts_create(app.store, "two", &k2, &err) < 0) {
		printf("Bail out! store: %s\n", err.message);
		return 1;
	}
	test_routing();
	test_auth();
	test_isolation();
	test_version_and_body();
	test_rate_limit();
	test_operator_keys();
	test_unauthenticated_limit();
	test_client_address();
	test_idempotency();
	test_profiles();
	store_free(app.store);
	char cmd[100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
