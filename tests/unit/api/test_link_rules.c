// SPDX-License-Identifier: AGPL-3.0-or-later
/* Short links' pure rules: random and custom slugs, long URLs, hosts, truncated addresses;
 * and the QR code's page names per product (mail/qr_option.h). */
#include "api/link_rules.h"
#include "mail/qr_option.h"
#include "test.h"
#include <string.h>

static bool base62(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static void random_slugs(void)
{
	enum { N = 2000 };
	static char slugs[N][LINK_SLUG_RANDOM_LEN + 1];
	int counts[128] = { 0 };
	bool ok = true;
	for (int i = 0; i < N; i++) {
		ok &= link_slug_random(slugs[i], sizeof(slugs[i])) == 0;
		ok &= strlen(slugs[i]) == LINK_SLUG_RANDOM_LEN && base62(slugs[i]);
		for (const char *c = slugs[i]; *c; c++)
			counts[(unsigned char)*c]++;
	}
	CHECK(ok, "%d random slugs: %d base62 characters each", N, LINK_SLUG_RANDOM_LEN);
	int dup = 0;
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			dup += strcmp(slugs[i], slugs[j]) == 0;
	CHECK_INT(dup, 0, "no two of them alike");
	/* 20,000 characters over 62 symbols: ~323 each; a biased generator (x % 62 of a byte)
	 * would still pass this, the check is that every symbol is used and none dominates */
	int lo = N * LINK_SLUG_RANDOM_LEN, hi = 0;
	const char *all = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	for (const char *c = all; *c; c++) {
		lo = counts[(unsigned char)*c] < lo ? counts[(unsigned char)*c] : lo;
		hi = counts[(unsigned char)*c] > hi ? counts[(unsigned char)*c] : hi;
	}
	CHECK(lo > 200 && hi < 460, "every base62 symbol appears, none dominates (min %d, max %d)",
	      lo, hi);
	char small[4];
	CHECK(link_slug_random(small, sizeof(small)) < 0, "a buffer too small is refused");
}

static void custom_slugs(void)
{
	CHECK(link_slug_valid("Promo-2026_a"), "letters, digits, - and _");
	CHECK(link_slug_valid("a"), "one character");
	CHECK(!link_slug_valid(""), "empty");
	CHECK(!link_slug_valid("a/b"), "no slash");
	CHECK(!link_slug_valid("a b"), "no space");
	CHECK(!link_slug_valid("caf\xc3\xa9"), "ASCII only");
	CHECK(!link_slug_valid("x%2F"), "no percent-escapes");
	char long_slug[LINK_SLUG_MAX + 2];
	memset(long_slug, 'a', sizeof(long_slug) - 1);
	long_slug[LINK_SLUG_MAX + 1] = '\0';
	CHECK(!link_slug_valid(long_slug), "longer than %d", LINK_SLUG_MAX);
	long_slug[LINK_SLUG_MAX] = '\0';
	CHECK(link_slug_valid(long_slug), "exactly %d", LINK_SLUG_MAX);
}

static void hosts(void)
{
	char out[LINK_HOST_MAX + 1];
	CHECK(link_host_normalise("Go.Example.COM:8080", out, sizeof(out)), "host:port");
	CHECK_STR(out, "go.example.com", "lower case, no port");
	CHECK(link_host_normalise("go.example.com.", out, sizeof(out)), "a trailing dot");
	CHECK_STR(out, "go.example.com", "is dropped");
	CHECK(link_host_normalise("[2001:DB8::1]:443", out, sizeof(out)), "an IPv6 literal");
	CHECK_STR(out, "[2001:db8::1]", "kept in brackets, lower case");
	CHECK(!link_host_normalise("go.example.com:80x", out, sizeof(out)), "a bad port");
	CHECK(!link_host_normalise("go_example.com", out, sizeof(out)), "an underscore");
	CHECK(!link_host_normalise("a..b", out, sizeof(out)), "an empty label");
	CHECK(!link_host_normalise("", out, sizeof(out)), "empty");
	CHECK(!link_host_normalise(NULL, out, sizeof(out)), "none");
}

static const char *url_error(const char *url)
{
	static struct api_error err;
	const char *const own[] = { "go.frank.test", "links.example.com", NULL };
	char host[LINK_HOST_MAX + 1];
	memset(&err, 0, sizeof(err));
	return link_url_check(url, "redirect_link", own, host, &err) == 0 ? "" : err.message;
}

static void urls(void)
{
	CHECK_STR(url_error("https://www.example.com/a?b=c#d"), "", "https with path, query, fragment");
	CHECK_STR(url_error("http://example.com"), "", "plain http");
	CHECK_STR(url_error("HTTPS://EXAMPLE.COM/"), "", "the scheme in capitals");
	CHECK_STR(url_error("javascript:alert(1)"), "redirect_link must be an http or https URL",
		  "javascript: refused");
	CHECK_STR(url_error("data:text/html,<script>"), "redirect_link must be an http or https URL",
		  "data: refused");
	CHECK_STR(url_error("ftp://example.com/f"), "redirect_link must be an http or https URL",
		  "ftp: refused");
	CHECK_STR(url_error("//example.com/x"), "redirect_link must be an http or https URL",
		  "a scheme-relative URL refused");
	CHECK_STR(url_error(" https://example.com"), "redirect_link must be an http or https URL",
		  "a leading space refused");
	CHECK_STR(url_error("https://exa mple.com"),
		  "redirect_link must not contain spaces or control characters", "a space refused");
	CHECK_STR(url_error("https://example.com/\r\nLocation: x"),
		  "redirect_link must not contain spaces or control characters",
		  "CR LF refused (no header splitting)");
	CHECK_STR(url_error("https:///path"), "redirect_link must name a host", "no host");
	CHECK_STR(url_error("https://go.frank.test/abc"),
		  "redirect_link points at the short link host go.frank.test (a redirect loop)",
		  "the link host: a loop");
	CHECK_STR(url_error("https://GO.FRANK.TEST:443/abc"),
		  "redirect_link points at the short link host go.frank.test (a redirect loop)",
		  "the link host in capitals with a port: still a loop");
	CHECK_STR(url_error("https://user@links.example.com/x"),
		  "redirect_link points at the short link host links.example.com (a redirect loop)",
		  "a custom domain behind user information: a loop");
	CHECK_STR(url_error("https://go.frank.test.evil.example/x"), "",
		  "a host that only starts like the link host is not it");
	CHECK_STR(url_error(""), "redirect_link is required", "empty");
	char big[LINK_URL_MAX + 32] = "https://example.com/";
	memset(big + strlen(big), 'a', LINK_URL_MAX);
	big[LINK_URL_MAX + 1] = '\0';
	CHECK_STR(url_error(big), "redirect_link length must be less than or equal to 2048 characters long",
		  "longer than %d", LINK_URL_MAX);
}

static void addresses(void)
{
	char out[64];
	link_ip_truncate("203.0.113.77", out, sizeof(out));
	CHECK_STR(out, "203.0.113.0/24", "IPv4 to its /24");
	link_ip_truncate("2001:db8:abcd:12::/64", out, sizeof(out));
	CHECK_STR(out, "2001:db8:abcd::/48", "IPv6 (as the transport keeps it, a /64) to its /48");
	link_ip_truncate("2001:db8:abcd:12:1:2:3:4", out, sizeof(out));
	CHECK_STR(out, "2001:db8:abcd::/48", "a whole IPv6 address to its /48");
	link_ip_truncate(NULL, out, sizeof(out));
	CHECK_STR(out, "unknown", "no address");
	link_ip_truncate("not an address", out, sizeof(out));
	CHECK_STR(out, "unknown", "not an address");
}

static const char *qr_error(const char *kind, const char *pages)
{
	static struct api_error err;
	memset(&err, 0, sizeof(err));
	json_t *v = json_pack("{sssssfsfsf}", "position", "relative", "redirect_url",
			      "https://example.com", "width", 1.0, "top", 0.5, "left", 0.5);
	if (pages)
		json_object_set_new(v, "pages", json_string(pages));
	json_t *ok = qr_option_check_kind(v, kind, 6.25, 4.25, &err);
	json_decref(v);
	json_decref(ok);
	return ok ? "" : err.message;
}

static void qr_pages(void)
{
	CHECK_STR(qr_error("postcard", "front,back"), "", "postcards: front,back");
	CHECK_STR(qr_error("postcard", "back"), "", "postcards: back");
	CHECK_STR(qr_error("postcard", "1"), "qr_code.pages must be \"front\", \"back\" or \"front,back\"",
		  "postcards: no page numbers");
	CHECK_STR(qr_error("self_mailer", "inside,outside"), "", "self-mailers: inside,outside");
	CHECK_STR(qr_error("self_mailer", "front"),
		  "qr_code.pages must be \"inside\", \"outside\" or \"inside,outside\"",
		  "self-mailers: not a postcard's names");
	CHECK_STR(qr_error("self_mailer", "inside,"),
		  "qr_code.pages must be \"inside\", \"outside\" or \"inside,outside\"",
		  "self-mailers: a trailing comma");
	CHECK_STR(qr_error("booklet", "1,3-4"), "", "booklets: page numbers");
	struct api_error err = { 0 };
	json_t *styled = json_pack("{sssssisisis{ss}}", "position", "relative", "redirect_url",
				   "https://e.x", "width", 1, "top", 0, "left", 0, "style",
				   "foreground_color", "#FF0000");
	json_t *ok = qr_option_check_kind(styled, "postcard", 6.25, 4.25, &err);
	CHECK(!ok && strstr(err.message, "qr_code.style is not supported"),
	      "style: refused plainly, not ignored");
	json_decref(ok);
	json_decref(styled);
	json_t *v = json_pack("{ssssssssssss}", "position", "relative", "redirect_url", "https://e.x",
			      "width", "1.5", "bottom", "0.25", "right", "0.25", "pages", "back");
	struct qr_option o;
	qr_option_place(v, 6.25, 4.25, &o);
	CHECK(o.page[2] && !o.page[1], "placed on the back (page 2) only");
	CHECK(o.width_in == 1.5 && o.x_in == 6.25 - 0.25 - 1.5, "numbers given as text (form bodies)");
	json_decref(v);
}

int main(void)
{
	random_slugs();
	custom_slugs();
	hosts();
	urls();
	addresses();
	qr_pages();
	return test_done();
}
