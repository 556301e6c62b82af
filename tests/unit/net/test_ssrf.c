// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * SSRF rules: the address table (IPv4, IPv6, the IPv6 forms that carry IPv4), the URL
 * shape check, and refusals through net_fetch: direct, by name, in numeric disguise, and
 * behind a redirect, each answered at once rather than after a timeout.
 */
#include "net/fetch.h"
#include "net/ssrf.h"
#include "http_fixture.h"
#include "test.h"
#include <time.h>

static bool allowed_str(const char *ip, bool allow_private)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	if (inet_pton(AF_INET, ip, &sin.sin_addr) == 1)
		return ssrf_addr_allowed((struct sockaddr *)&sin, allow_private);
	if (inet_pton(AF_INET6, ip, &sin6.sin6_addr) == 1)
		return ssrf_addr_allowed((struct sockaddr *)&sin6, allow_private);
	printf("# bad test address %s\n", ip);
	return true;	/* fails the "refused" checks loudly */
}

static void test_table(void)
{
	static const char *const public_ips[] = {
		"8.8.8.8", "1.1.1.1", "93.184.216.34", "11.0.0.1", "100.63.255.255",
		"100.128.0.0", "172.15.255.255", "172.32.0.0", "192.169.0.1", "198.17.255.255",
		"198.20.0.0", "223.255.255.255", "192.0.1.1", "169.253.255.255",
		"2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450::1",
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2001:200::1",
	};
	static const char *const private_ips[] = {
		"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1",
		"100.127.255.255", "100.100.100.200", "127.0.0.1", "127.255.255.254",
		"169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.192",
		"192.0.2.1", "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255",
		"198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1",
		"255.255.255.255",
		"::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
		"::ffff:0.0.0.0", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::1",
		"2002:7f00:1::1", "2002:a9fe:a9fe::", "2002:c0a8:101::1", "fc00::1",
		"fd00:ec2::254", "fe80::1", "febf::1", "fec0::1", "ff02::1", "100::1",
		"2001:db8::1", "2001::1", "2001:1ff::1", "3fff::1", "::127.0.0.1", "4000::1",
		"::ffff:0:a00:1",
	};
	for (size_t i = 0; i < sizeof(public_ips) / sizeof(public_ips[0]); i++)
		CHECK(allowed_str(public_ips[i], false), "public %s allowed", public_ips[i]);
	for (size_t i = 0; i < sizeof(private_ips) / sizeof(private_ips[0]); i++) {
		CHECK(!allowed_str(private_ips[i], false), "%s refused", private_ips[i]);
		CHECK(allowed_str(private_ips[i], true), "%s allowed when private is allowed",
		      private_ips[i]);
	}
	struct sockaddr_in sin = { .sin_family = AF_INET };
	inet_pton(AF_INET, "169.254.169.254", &sin.sin_addr);
	CHECK_STR(ssrf_addr_class((struct sockaddr *)&sin),
		  "link-local / cloud metadata (169.254.0.0/16)", "metadata address named");
	inet_pton(AF_INET, "8.8.8.8", &sin.sin_addr);
	CHECK(ssrf_addr_class((struct sockaddr *)&sin) == NULL, "public address has no class");
	struct sockaddr un = { .sa_family = AF_UNIX };
	CHECK(!ssrf_addr_allowed(&un, true), "a non-IP family is refused even when allowed");
	CHECK(!ssrf_addr_allowed(NULL, true), "no address refused");
}

static void test_url_shape(void)
{
	static const char *const good[] = {
		"https://example.com/x.pdf", "http://example.com:8080/a?b=c#d",
		"HTTPS://Example.COM/x", "http://[2001:db8::1]/x", "http://127.0.0.1/",
	};
	static const char *const bad[] = {
		"", "ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/",
		"http://user:pw@example.com/", "http://@example.com/", "https://user@example.com/",
		"http://example.com@127.0.0.1/", "http:///path", "http://", "//example.com/x",
		"javascript:alert(1)", "http://exa mple.com/", "http://example.com/\r\nX: y",
		"http://ex\xc3\xa4mple.com/", "dict://127.0.0.1:11211/", "http:/example.com",
	};
	struct api_error err;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		CHECK_INT(ssrf_url_check(good[i], &err), 0, "url shape ok: %s", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char shown[100];	/* control characters would break the TAP line */
		size_t j = 0;
		for (; bad[i][j] && j + 1 < sizeof(shown); j++)
			shown[j] = (unsigned char)bad[i][j] < 0x20 ? '?' : bad[i][j];
		shown[j] = '\0';
		err.kind = ERR_NONE;
		CHECK(ssrf_url_check(bad[i], &err) < 0 && err.kind == ERR_INVALID_FILE_URL,
		      "url refused: %s", shown);
	}
	char longurl[SSRF_URL_MAX + 10];
	snprintf(longurl, sizeof(longurl), "%s", "https://example.com/");
	size_t n = strlen(longurl);
	memset(longurl + n, 'a', SSRF_URL_MAX - n);
	longurl[SSRF_URL_MAX] = '\0';
	CHECK_INT(ssrf_url_check(longurl, &err), 0, "a URL of exactly %d characters", SSRF_URL_MAX);
	longurl[SSRF_URL_MAX] = 'a';
	longurl[SSRF_URL_MAX + 1] = '\0';
	CHECK(ssrf_url_check(longurl, &err) < 0 && strstr(err.message, "longer"),
	      "a URL of %d characters refused", SSRF_URL_MAX + 1);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a fetch that must be refused as private, quickly */
static void expect_private(const char *url, const struct net_fetch_opts *o, const char *what)
{
	struct net_fetch_result r;
	struct api_error err = { 0 };
	long long t0 = now_ms();
	int rc = net_fetch(url, o, &r, &err);
	long long ms = now_ms() - t0;
	CHECK(rc < 0 && err.kind == ERR_INVALID_FILE_URL && strstr(err.message, "private address") &&
		      strstr(err.message, "FRANK_ALLOW_PRIVATE_URLS=1"),
	      "%s refused as private (%s)", what, err.message);
	CHECK(ms < 1000, "%s refused at once (%lld ms)", what, ms);
	CHECK(r.data == NULL, "%s: no data on failure", what);
}

static void test_fetch_refusals(struct fixture *f)
{
	char url[512], target[256];
	struct net_fetch_opts strict = { .timeout_ms = 5000 };
	struct net_fetch_opts as_public = { .timeout_ms = 5000, .addr_rule = fixture_rule,
					    .addr_rule_ctx = f };
	struct net_fetch_opts open = { .timeout_ms = 5000, .allow_private = true };
	struct net_fetch_result r;
	struct api_error err;

	expect_private(fixture_url(f, "/pdf", url, sizeof(url)), &strict, "127.0.0.1");
	expect_private("http://10.0.0.1/x.pdf", &strict, "10.0.0.1");
	expect_private("http://169.254.169.254/latest/meta-data/", &strict, "169.254.169.254");
	expect_private("http://[::1]/x.pdf", &strict, "[::1]");
	expect_private("http://[::ffff:127.0.0.1]/x.pdf", &strict, "[::ffff:127.0.0.1]");
	snprintf(url, sizeof(url), "http://localhost:%u/pdf", f->port);
	expect_private(url, &strict, "localhost (after DNS resolution)");
	snprintf(url, sizeof(url), "http://2130706433:%u/pdf", f->port);
	expect_private(url, &strict, "127.0.0.1 as one decimal number");
	snprintf(url, sizeof(url), "http://0x7f.1:%u/pdf", f->port);
	expect_private(url, &strict, "127.0.0.1 as 0x7f.1");
	expect_private("http://0.0.0.0/", &strict, "0.0.0.0");

	/* the fixture counts as public: only the redirect target is judged */
	CHECK_INT(net_fetch(fixture_url(f, "/pdf", url, sizeof(url)), &as_public, &r, &err), 0,
		  "the fixture as a public host serves the PDF");
	net_fetch_result_free(&r);
	static const struct {
		const char *host, *path;
		bool fixture_port;	/* the fixture's port after the host */
	} targets[] = {
		{ "127.0.0.2", "/pdf", true }, { "10.0.0.1", "/x.pdf", false },
		{ "169.254.169.254", "/latest/meta-data/", false },
		{ "[::ffff:10.0.0.1]", "/x.pdf", false }, { "[::1]", "/pdf", true },
	};
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char to[128], what[200], port[8] = "";
		if (targets[i].fixture_port)
			snprintf(port, sizeof(port), ":%u", f->port);
		snprintf(to, sizeof(to), "http://%s%s%s", targets[i].host, port, targets[i].path);
		snprintf(target, sizeof(target), "/redirect?to=%s", to);
		snprintf(what, sizeof(what), "a redirect to %s", to);
		expect_private(fixture_url(f, target, url, sizeof(url)), &as_public, what);
	}

	/* with private addresses allowed, loopback works, directly and through a redirect */
	CHECK_INT(net_fetch(fixture_url(f, "/pdf", url, sizeof(url)), &open, &r, &err), 0,
		  "allow_private: 127.0.0.1 fetched");
	CHECK_INT(r.len, sizeof(fixture_pdf) - 1, "allow_private: the whole PDF");
	net_fetch_result_free(&r);
	snprintf(target, sizeof(target), "/redirect?to=http://127.0.0.1:%u/pdf", f->port);
	CHECK_INT(net_fetch(fixture_url(f, target, url, sizeof(url)), &open, &r, &err), 0,
		  "allow_private: a redirect to 127.0.0.1 followed");
	CHECK_INT(r.redirects, 1, "one redirect");
	net_fetch_result_free(&r);
	snprintf(url, sizeof(url), "http://localhost:%u/pdf", f->port);
	CHECK_INT(net_fetch(url, &open, &r, &err), 0, "allow_private: localhost fetched");
	net_fetch_result_free(&r);
}

int main(void)
{
	struct fixture f;
	test_table();
	test_url_shape();
	if (fixture_start(&f) < 0) {
		printf("Bail out! cannot start the HTTP fixture\n");
		return 1;
	}
	test_fetch_refusals(&f);
	fixture_stop(&f);
	return test_done();
}
