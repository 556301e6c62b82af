// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Remote files against the local fixture (treated as a public host): a PDF with its header
 * and sniffed types, the size limit (declared, streamed, exact), the time limit on a slow
 * body, 404, redirects (relative, a chain of 5, one too many, a loop, a non-http target),
 * a closed port; and the magic-byte sniffer on its own.
 */
#include "net/fetch.h"
#include "net/sniff.h"
#include "http_fixture.h"
#include "test.h"
#include <time.h>

static struct fixture f;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* fetches a fixture path with opts o (the fixture as public); returns rc */
static int get(const char *path, struct net_fetch_opts o, struct net_fetch_result *r,
	       struct api_error *err)
{
	char url[600];
	o.addr_rule = fixture_rule;
	o.addr_rule_ctx = &f;
	return net_fetch(fixture_url(&f, path, url, sizeof(url)), &o, r, err);
}

static void test_ok(void)
{
	struct net_fetch_result r;
	struct api_error err;
	CHECK_INT(get("/pdf", (struct net_fetch_opts){ 0 }, &r, &err), 0, "PDF fetched");
	CHECK_INT(r.status, 200, "status 200");
	CHECK_INT(r.len, sizeof(fixture_pdf) - 1, "every byte");
	CHECK(r.data && memcmp(r.data, fixture_pdf, r.len) == 0 && r.data[r.len] == '\0',
	      "the same bytes, NUL-terminated");
	CHECK_STR(r.content_type, "application/pdf", "header type lowercased, parameters dropped");
	CHECK_STR(r.sniffed_type, "application/pdf", "sniffed as PDF");
	CHECK_INT(r.redirects, 0, "no redirect");
	net_fetch_result_free(&r);

	CHECK_INT(get("/png", (struct net_fetch_opts){ 0 }, &r, &err), 0, "PNG fetched");
	CHECK_STR(r.content_type, "application/octet-stream", "the header's type kept");
	CHECK_STR(r.sniffed_type, "image/png", "but sniffed as PNG");
	net_fetch_result_free(&r);
	CHECK_INT(get("/html", (struct net_fetch_opts){ 0 }, &r, &err), 0, "HTML fetched");
	CHECK_STR(r.sniffed_type, "text/html", "sniffed as HTML");
	net_fetch_result_free(&r);
}

static void test_size(void)
{
	struct net_fetch_result r;
	struct api_error err;
	long long t0 = now_ms();
	CHECK(get("/big", (struct net_fetch_opts){ .max_bytes = 1 << 20 }, &r, &err) < 0 &&
		      err.kind == ERR_FILE_SIZE_EXCEEDS_LIMIT,
	      "declared 10 MiB over a 1 MiB limit: %s", err.message);
	CHECK(now_ms() - t0 < 2000, "refused without reading the body");
	CHECK(r.data == NULL, "no data on failure");
	CHECK(get("/big-chunked", (struct net_fetch_opts){ .max_bytes = 1 << 20 }, &r, &err) < 0 &&
		      err.kind == ERR_FILE_SIZE_EXCEEDS_LIMIT,
	      "10 MiB streamed without Content-Length over a 1 MiB limit");
	size_t n = sizeof(fixture_pdf) - 1;
	CHECK_INT(get("/pdf", (struct net_fetch_opts){ .max_bytes = n }, &r, &err), 0,
		  "a file of exactly max_bytes");
	net_fetch_result_free(&r);
	CHECK(get("/pdf", (struct net_fetch_opts){ .max_bytes = n - 1 }, &r, &err) < 0 &&
		      err.kind == ERR_FILE_SIZE_EXCEEDS_LIMIT, "one byte over max_bytes");
	CHECK_INT(get("/big", (struct net_fetch_opts){ .max_bytes = 16u << 20 }, &r, &err), 0,
		  "10 MiB under a 16 MiB limit");
	CHECK_INT(r.len, FIXTURE_BIG, "10 MiB received");
	net_fetch_result_free(&r);
}

static void test_time(void)
{
	struct net_fetch_result r;
	struct api_error err;
	long long t0 = now_ms();
	CHECK(get("/slow", (struct net_fetch_opts){ .timeout_ms = 500 }, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_DOWNLOAD_TIME,
	      "a 10 s body with a 500 ms limit: %s", err.message);
	long long ms = now_ms() - t0;
	CHECK(ms >= 450 && ms < 2000, "gave up after about 500 ms (%lld ms)", ms);
}

static void test_status_and_redirects(void)
{
	struct net_fetch_result r;
	struct api_error err;
	char path[300];
	CHECK(get("/notfound", (struct net_fetch_opts){ 0 }, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_URL && strstr(err.message, "HTTP 404"),
	      "404 is invalid_file_url with the status: %s", err.message);
	CHECK_INT(get("/relative", (struct net_fetch_opts){ 0 }, &r, &err), 0,
		  "a relative redirect followed");
	CHECK(r.final_url && strstr(r.final_url, "/pdf"), "final URL is the target");
	CHECK_INT(r.redirects, 1, "one hop counted");
	CHECK_INT(r.len, sizeof(fixture_pdf) - 1, "the target's body, not the redirect's");
	net_fetch_result_free(&r);
	CHECK_INT(get("/chain?n=5", (struct net_fetch_opts){ 0 }, &r, &err), 0, "5 redirects followed");
	CHECK_INT(r.redirects, 5, "5 hops counted");
	net_fetch_result_free(&r);
	CHECK(get("/chain?n=6", (struct net_fetch_opts){ 0 }, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_URL && strstr(err.message, "more than 5"),
	      "a 6th redirect refused: %s", err.message);
	CHECK(get("/loop", (struct net_fetch_opts){ 0 }, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_URL, "a redirect loop ends");
	CHECK(get("/chain?n=1", (struct net_fetch_opts){ .max_redirects = -1 }, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_URL, "max_redirects < 0 follows none");
	CHECK(get("/redirect?to=ftp://example.com/x.pdf", (struct net_fetch_opts){ 0 }, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_URL && strstr(err.message, "http"),
	      "a redirect to ftp:// refused: %s", err.message);
	snprintf(path, sizeof(path), "/redirect?to=http://u:p@127.0.0.1:%u/pdf", f.port);
	CHECK(get(path, (struct net_fetch_opts){ 0 }, &r, &err) < 0 &&
		      strstr(err.message, "user name"), "a redirect with credentials refused");
}

static void test_connect_failure(void)
{
	struct net_fetch_result r;
	struct api_error err;
	/* a port nothing listens on: bind one, learn it, close it */
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sin);
	bind(s, (struct sockaddr *)&sin, sizeof(sin));
	getsockname(s, (struct sockaddr *)&sin, &len);
	close(s);
	char url[100];
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x.pdf", ntohs(sin.sin_port));
	struct net_fetch_opts o = { .allow_private = true, .timeout_ms = 3000 };
	CHECK(net_fetch(url, &o, &r, &err) < 0 && err.kind == ERR_INVALID_FILE_URL &&
		      !strstr(err.message, "private"),
	      "connection refused is invalid_file_url, not an SSRF refusal: %s", err.message);
	CHECK(net_fetch("gopher://example.com/", &o, &r, &err) < 0 &&
		      err.kind == ERR_INVALID_FILE_URL, "a non-http URL refused before any I/O");
}

static void test_sniff(void)
{
	const unsigned char junk_pdf[] = "\r\n\x00garbage%PDF-1.7\n";
	CHECK_STR(net_sniff_type(junk_pdf, sizeof(junk_pdf) - 1), "application/pdf",
		  "%%PDF- after leading junk");
	unsigned char late[1100];
	memset(late, ' ', sizeof(late));
	memcpy(late + 1050, "%PDF-", 5);
	CHECK(net_sniff_type(late, sizeof(late)) == NULL, "%%PDF- past 1024 bytes is not a PDF");
	CHECK_STR(net_sniff_type((const unsigned char *)"\xff\xd8\xff\xe0", 4), "image/jpeg", "JPEG");
	CHECK_STR(net_sniff_type((const unsigned char *)"\xef\xbb\xbf  <HTML lang=en>", 20),
		  "text/html", "HTML after a BOM and spaces, any case");
	CHECK_STR(net_sniff_type((const unsigned char *)"<p>hi</p>", 9), "text/html", "<p>");
	CHECK(net_sniff_type((const unsigned char *)"<pre>x", 6) == NULL, "<pre is not <p");
	CHECK(net_sniff_type((const unsigned char *)"\x89PNG", 4) == NULL, "a truncated PNG signature");
	CHECK(net_sniff_type((const unsigned char *)"<html", 5) == NULL, "a tag cut off at the end");
	CHECK(net_sniff_type(NULL, 0) == NULL, "nothing");
	CHECK(net_sniff_type((const unsigned char *)"hello", 5) == NULL, "plain text");
}

int main(void)
{
	test_sniff();
	if (fixture_start(&f) < 0) {
		printf("Bail out! cannot start the HTTP fixture\n");
		return 1;
	}
	test_ok();
	test_size();
	test_time();
	test_status_and_redirects();
	test_connect_failure();
	fixture_stop(&f);
	return test_done();
}
