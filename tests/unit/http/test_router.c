/*
 * The request pipeline, in-process (no socket): routing, auth in its three forms, key
 * types, modes and accounts, Lob-Version, rate limits, body limits, idempotency.
 */
#include "api/accounts.h"
#include "api/resource.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/ratelimit.h"
#include "http/router.h"
#include "test.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>

extern const struct resource address_res;
extern const struct route address_routes[];

/* the address routes plus an idempotent create, as mail pieces will have */
static const struct route test_routes[] = {
	{ HTTP_POST, "/v1/idem_addresses", res_create, &address_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/public_things", res_list, &address_res, KEY_SECRET | KEY_PUBLISHABLE, NULL, 0 },
	{ .pattern = NULL }
};
static const struct route *const tables[] = { address_routes, test_routes, NULL };

static struct app app;
static struct account_keys k1, k2;

static const char *ADDRESS = "{\"name\":\"Harry\",\"address_line1\":\"210 King St\","
			     "\"address_city\":\"SF\",\"address_state\":\"CA\",\"address_zip\":\"94107\"}";

struct call {
	enum http_method method;
	const char *path, *query, *body, *key, *auth, *version, *idem;
	bool too_large;
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
	app.routes = tables;
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
	test_idempotency();
	store_free(app.store);
	char cmd[100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
