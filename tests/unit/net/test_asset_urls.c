// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Signed asset URLs: the secret file (created once, 32 bytes, 0600, stable), the URL's
 * shape, verification (expiry, a tampered key, expires or signature, missing parts), and
 * GET /assets/{key} through the router: 200 with the file's type, length and cache header,
 * 403 with Lob's error JSON, 404 for a signed link to nothing.
 */
#include "core/ids.h"
#include "core/parse.h"
#include "http/app.h"
#include "sign/asset_urls.h"
#include "http/router.h"
#include "store/assets.h"
#include "test.h"
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern const struct route asset_routes[];
static const struct route_family families[] = { { &route_profile_public, asset_routes },
						{ NULL, NULL } };
static const struct route_registry registry = { .families = families };

static char dir[] = "/tmp/frank-test-asset-urls-XXXXXX";
static const long long NOW = 1700000000;	/* the request clock in these tests */

static void test_secret(void)
{
	unsigned char a[ASSET_SECRET_LEN], b[ASSET_SECRET_LEN];
	struct api_error err;
	char path[300];
	struct stat st;
	CHECK_INT(asset_secret_get(dir, a, &err), 0, "secret created");
	snprintf(path, sizeof(path), "%s/asset_secret", dir);
	CHECK(stat(path, &st) == 0 && st.st_size == 32, "DATA/asset_secret holds 32 bytes");
	CHECK((st.st_mode & 0777) == 0600, "mode 0600");
	CHECK_INT(asset_secret_get(dir, b, &err), 0, "read again");
	CHECK(memcmp(a, b, sizeof(a)) == 0, "the same secret");
	unsigned char zero[ASSET_SECRET_LEN] = { 0 };
	CHECK(memcmp(a, zero, sizeof(a)) != 0, "not all zero");
	/* another data directory: another secret; then back to the first, from disk */
	char other[] = "/tmp/frank-test-asset-urls2-XXXXXX";
	CHECK(mkdtemp(other) != NULL, "second data dir");
	CHECK_INT(asset_secret_get(other, b, &err), 0, "second secret");
	CHECK(memcmp(a, b, sizeof(a)) != 0, "differs per data directory");
	CHECK_INT(asset_secret_get(dir, b, &err), 0, "first again");
	CHECK(memcmp(a, b, sizeof(a)) == 0, "the first directory keeps its secret");
	/* a damaged secret is an error, never silently replaced */
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "printf short > %s/asset_secret", other);
	CHECK(system(cmd) == 0, "damage the second secret");
	CHECK_INT(asset_secret_get(dir, b, &err), 0, "(switch the cache away)");
	CHECK(asset_secret_get(other, b, &err) < 0 && err.kind == ERR_INTERNAL,
	      "a secret of the wrong size is refused: %s", err.message);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", other);
	CHECK(system(cmd) == 0, "cleanup");
	CHECK(asset_secret_get("/nonexistent/frank", b, &err) < 0, "no data dir: error");
}

/* splits a signed URL's query into expires and signature (static buffers) */
static void parts(const char *url, char *expires, char *sig)
{
	const char *e = strstr(url, "expires="), *s = strstr(url, "signature=");
	size_t en = e ? strcspn(e + 8, "&") : 0;
	snprintf(expires, 20, "%.*s", (int)en, e ? e + 8 : "");
	snprintf(sig, 80, "%s", s ? s + 10 : "");
}

static void test_sign_verify(const char *key)
{
	char url[512], expires[20], sig[80], want[300];
	struct api_error err;
	CHECK_INT(asset_url(dir, "https://frank.example/", key, NOW + 60, url, sizeof(url), &err), 0,
		  "signed URL");
	snprintf(want, sizeof(want), "https://frank.example/assets/%s?expires=%lld&signature=", key,
		 NOW + 60);
	CHECK(strncmp(url, want, strlen(want)) == 0, "shape <public>/assets/<key>?expires=…&signature=");
	parts(url, expires, sig);
	CHECK_INT(strlen(sig), 64, "signature is 64 hex");
	CHECK_INT(asset_url_verify(dir, key, expires, sig, NOW, &err), 0, "verifies");
	CHECK_INT(asset_url_verify(dir, key, expires, sig, NOW + 60, &err), 0, "valid at the last second");
	CHECK(asset_url_verify(dir, key, expires, sig, NOW + 61, &err) < 0 &&
		      api_error_status(&err) == 403 && strstr(err.message, "expired"),
	      "expired a second later: 403");

	char bad[80];
	snprintf(bad, sizeof(bad), "%s", sig);
	bad[10] = bad[10] == '0' ? '1' : '0';
	CHECK(asset_url_verify(dir, key, expires, bad, NOW, &err) < 0 && api_error_status(&err) == 403,
	      "one signature digit changed: 403");
	char later[20];
	snprintf(later, sizeof(later), "%lld", NOW + 999999);
	CHECK(asset_url_verify(dir, key, later, sig, NOW, &err) < 0, "expires moved later: 403");
	char other[80];
	snprintf(other, sizeof(other), "%s", key);
	other[0] = other[0] == 'a' ? 'b' : 'a';
	CHECK(asset_url_verify(dir, other, expires, sig, NOW, &err) < 0, "another key: 403");
	CHECK(asset_url_verify(dir, key, NULL, sig, NOW, &err) < 0 && api_error_status(&err) == 403,
	      "no expires: 403");
	CHECK(asset_url_verify(dir, key, expires, NULL, NOW, &err) < 0, "no signature: 403");
	sig[63] = '\0';
	CHECK(asset_url_verify(dir, key, expires, sig, NOW, &err) < 0, "short signature: 403");
	CHECK(asset_url_verify(dir, key, "-5", bad, NOW, &err) < 0, "non-digit expires: 403");
	CHECK(asset_url_verify(dir, key, "99999999999999999999", bad, NOW, &err) < 0,
	      "overlong expires: 403");

	CHECK_INT(asset_url(dir, "http://h", key, 0, url, sizeof(url), &err), 0, "default expiry");
	parts(url, expires, sig);
	long long exp = 0, now = time(NULL);
	CHECK(parse_llong(expires, 0, LLONG_MAX, &exp) == 0 && exp >= now + 30 * 86400 - 5 &&
	      exp <= now + 30 * 86400 + 5, "30 days from now");
	CHECK(asset_url(dir, "http://h", "../etc/passwd", 0, url, sizeof(url), &err) < 0,
	      "no URL for a bad key");
	CHECK(asset_url(dir, "http://h", key, 0, url, 40, &err) < 0, "no room: error, not truncation");
}

static int get(const char *path, const char *query, const char **body, size_t *len,
	       struct req *out)
{
	memset(out, 0, sizeof(*out));
	static struct app app;
	app.data_dir = dir;
	app.routes = &registry;
	out->arena = arena_new();
	out->app = &app;
	out->now_ms = NOW * 1000;
	out->method = HTTP_GET;
	out->path = path;
	out->query_string = query;
	router_dispatch(out);
	*body = out->resp_body;
	*len = out->resp_len;
	return out->status;
}

static const char *header(const struct req *rq, const char *name)
{
	for (size_t i = 0; i < rq->n_resp_headers; i++)
		if (strcmp(rq->resp_headers[i].name, name) == 0)
			return rq->resp_headers[i].value;
	return NULL;
}

static void test_route(const char *key, const unsigned char *bytes, size_t n)
{
	char url[512], path[200], query[200], expires[20], sig[80];
	const char *body;
	size_t len;
	struct req rq;
	struct api_error err;
	asset_url(dir, "http://x", key, NOW + 3600, url, sizeof(url), &err);
	snprintf(path, sizeof(path), "/assets/%s", key);
	snprintf(query, sizeof(query), "%s", strchr(url, '?') + 1);
	CHECK_INT(get(path, query, &body, &len, &rq), 200, "signed GET: 200");
	CHECK(len == n && memcmp(body, bytes, n) == 0, "the file's bytes");
	CHECK_STR(rq.resp_type, "application/pdf", "Content-Type application/pdf");
	CHECK_STR(header(&rq, "Cache-Control"), "private", "Cache-Control: private");
	arena_free(rq.arena);

	parts(url, expires, sig);
	snprintf(query, sizeof(query), "version=v1&signature=%s&expires=%s", sig, expires);
	CHECK_INT(get(path, query, &body, &len, &rq), 200, "any parameter order, extra ones ignored");
	arena_free(rq.arena);

	CHECK_INT(get(path, NULL, &body, &len, &rq), 403, "unsigned: 403");
	json_t *j = json_loadb(body, len, 0, NULL);
	json_t *e = json_object_get(j, "error");
	CHECK(e && json_integer_value(json_object_get(e, "status_code")) == 403 &&
		      json_is_string(json_object_get(e, "message")) &&
		      json_is_string(json_object_get(e, "code")),
	      "Lob's error JSON with status_code 403");
	json_decref(j);
	arena_free(rq.arena);

	snprintf(query, sizeof(query), "expires=%s&signature=%s&expires=%lld", expires, sig, NOW + 9999999);
	CHECK_INT(get(path, query, &body, &len, &rq), 403, "a repeated parameter: 403");
	arena_free(rq.arena);

	asset_url(dir, "http://x", key, NOW - 1, url, sizeof(url), &err);
	CHECK_INT(get(path, strchr(url, '?') + 1, &body, &len, &rq), 403, "expired link: 403");
	arena_free(rq.arena);

	char missing[80];
	memset(missing, 'e', 64);
	memcpy(missing + 64, ".pdf", 5);
	asset_url(dir, "http://x", missing, NOW + 60, url, sizeof(url), &err);
	snprintf(path, sizeof(path), "/assets/%s", missing);
	CHECK_INT(get(path, strchr(url, '?') + 1, &body, &len, &rq), 404, "signed, no such file: 404");
	arena_free(rq.arena);
	CHECK_INT(get("/assets/..%2f..%2fasset_secret", "expires=1&signature=x", &body, &len, &rq),
		  404, "a path that is not a key: 404");
	arena_free(rq.arena);
}

int main(void)
{
	static const unsigned char pdf[] = "%PDF-1.4 asset route";
	char key[ASSET_KEY_MAX];
	struct api_error err;
	if (!mkdtemp(dir))
		return 1;
	test_secret();
	if (assets_put(dir, pdf, sizeof(pdf) - 1, "pdf", key, &err) < 0) {
		printf("Bail out! %s\n", err.message);
		return 1;
	}
	test_sign_verify(key);
	test_route(key, pdf, sizeof(pdf) - 1);
	char cmd[100];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return test_done();
}
