// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook POSTs against the local fixture: headers and body delivered, non-2xx and 3xx as
 * failures, a long response cut at 64 KiB, the timeout, SSRF refusals, header injection,
 * concurrent threads, and connection reuse (counted at the server, timed both ways).
 */
#include "net/post.h"
#include "http_fixture.h"
#include "test.h"
#include <time.h>

static struct fixture f;

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static const char *const hdrs[] = { "Content-Type: application/json",
				    "Lob-Signature: abc123", NULL };
static const char BODY[] = "{\"event_type\":{\"id\":\"letter.created\"}}";

static int post(const char *path, const struct net_post_opts *o, struct net_post_result *r)
{
	char url[300];
	struct net_post_opts opts = o ? *o : (struct net_post_opts){ 0 };
	if (!opts.allow_private && !opts.addr_rule) {
		opts.addr_rule = fixture_rule;
		opts.addr_rule_ctx = &f;
	}
	return net_post(fixture_url(&f, path, url, sizeof(url)), hdrs, BODY, strlen(BODY), &opts, r);
}

static void test_delivery(void)
{
	struct net_post_result r;
	CHECK_INT(post("/post", NULL, &r), 0, "2xx delivery");
	CHECK_INT(r.status, 200, "status 200");
	CHECK_STR(r.error, "", "no error text");
	CHECK(r.latency_ms >= 0 && r.latency_ms < 2000, "latency measured (%ld ms)", r.latency_ms);
	pthread_mutex_lock(&f.mu);
	CHECK_STR(f.last_body, BODY, "the body arrived");
	CHECK_STR(f.last_signature, "abc123", "the headers arrived");
	pthread_mutex_unlock(&f.mu);

	CHECK(post("/post-status", NULL, &r) < 0 && r.status == 500 && strstr(r.error, "HTTP 500"),
	      "500 is a failure with its status: %s", r.error);
	CHECK(post("/post-redirect", NULL, &r) < 0 && r.status == 301 &&
		      strstr(r.error, "redirects are not followed"),
	      "a 301 is a failure, not followed: %s", r.error);
	CHECK_INT(post("/post-big", NULL, &r), 0, "a 1 MiB response body: still a 200");
	CHECK_INT(r.status, 200, "its status read");
	struct net_post_opts quick = { .timeout_ms = 300 };
	long long t0 = now_us();
	CHECK(post("/post-slow", &quick, &r) < 0 && strstr(r.error, "timed out"),
	      "a 1 s answer with a 300 ms timeout: %s", r.error);
	long long ms = (now_us() - t0) / 1000;
	CHECK(ms < 900, "gave up in time (%lld ms)", ms);
	CHECK(r.status == 0, "no status when nothing was answered");
}

static void test_refusals(void)
{
	struct net_post_result r;
	char url[200];
	struct net_post_opts strict = { 0 };
	CHECK(net_post(fixture_url(&f, "/post", url, sizeof(url)), hdrs, BODY, strlen(BODY),
		       &strict, &r) < 0 && strstr(r.error, "private address") && r.status == 0,
	      "127.0.0.1 refused by default: %s", r.error);
	CHECK(net_post("http://169.254.169.254/hook", NULL, "x", 1, NULL, &r) < 0 &&
		      strstr(r.error, "private address"), "metadata address refused");
	CHECK(net_post("http://10.0.0.1/hook", NULL, "x", 1, NULL, &r) < 0 &&
		      strstr(r.error, "private address"), "10.0.0.1 refused");
	CHECK(net_post("ftp://example.com/", NULL, "x", 1, NULL, &r) < 0, "ftp refused");
	const char *const evil[] = { "X-A: 1\r\nX-Injected: 2", NULL };
	CHECK(net_post(fixture_url(&f, "/post", url, sizeof(url)), evil, "x", 1,
		       &(struct net_post_opts){ .allow_private = true }, &r) < 0 &&
		      strstr(r.error, "malformed header"), "a header with CR/LF refused");
	const char *const nameless[] = { ": v", NULL };
	CHECK(net_post(fixture_url(&f, "/post", url, sizeof(url)), nameless, "x", 1,
		       &(struct net_post_opts){ .allow_private = true }, &r) < 0,
	      "a header without a name refused");
	CHECK_INT(net_post(fixture_url(&f, "/post", url, sizeof(url)), hdrs, BODY, strlen(BODY),
			   &(struct net_post_opts){ .allow_private = true }, &r), 0,
		  "allow_private: 127.0.0.1 reached");
	/* the same thread's kept connection, opened under allow_private, is not reused strictly */
	CHECK(net_post(fixture_url(&f, "/post", url, sizeof(url)), hdrs, BODY, strlen(BODY),
		       &strict, &r) < 0 && strstr(r.error, "private address"),
	      "right after an allowed post, the strict rule still refuses");
}

static void *poster(void *p)
{
	int *ok = p;
	struct net_post_result r;
	for (int i = 0; i < 50; i++)
		*ok += post("/post", NULL, &r) == 0;
	net_post_thread_release();
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	int ok[4] = { 0 };
	int before = atomic_load(&f.posts);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, poster, &ok[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK_INT(ok[0] + ok[1] + ok[2] + ok[3], 200, "4 threads x 50 posts all delivered");
	CHECK_INT(atomic_load(&f.posts) - before, 200, "the server received 200");
}

/* n posts on this thread; fresh: drop the kept handle before each (a new connection) */
static double posts_per_s(int n, bool fresh, int *connections)
{
	struct net_post_result r;
	int c0 = atomic_load(&f.connections), ok = 0;
	net_post_thread_release();
	long long t0 = now_us();
	for (int i = 0; i < n; i++) {
		if (fresh)
			net_post_thread_release();
		ok += post("/post", NULL, &r) == 0;
	}
	long long us = now_us() - t0;
	*connections = atomic_load(&f.connections) - c0;
	CHECK_INT(ok, n, "%d posts (%s) delivered", n, fresh ? "fresh handle" : "kept handle");
	return us > 0 ? n * 1e6 / (double)us : 0;
}

static void test_keep_alive(void)
{
	int kept_conns, fresh_conns;
	double kept = posts_per_s(300, false, &kept_conns);
	double fresh = posts_per_s(300, true, &fresh_conns);
	CHECK_INT(kept_conns, 1, "a kept handle reuses one connection for 300 posts");
	CHECK_INT(fresh_conns, 300, "a fresh handle per post opens 300 connections");
	printf("# keep-alive on 127.0.0.1: %.0f posts/s kept, %.0f posts/s fresh\n", kept, fresh);
}

int main(void)
{
	if (fixture_start(&f) < 0) {
		printf("Bail out! cannot start the HTTP fixture\n");
		return 1;
	}
	test_delivery();
	test_refusals();
	test_threads();
	test_keep_alive();
	net_post_thread_release();
	fixture_stop(&f);
	return test_done();
}
