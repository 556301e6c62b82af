// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The refused address ranges (IANA special-purpose registries, RFC 6890 and successors) and
 * the URL shape check. A range is refused when it is not ordinary public unicast: a request
 * there could reach the host itself, the operator's network, a cloud metadata service, or
 * nothing meaningful at all. IPv6 is allow-listed (only 2000::/3 global unicast) so a future
 * special range fails closed; IPv6 forms that carry an IPv4 address are judged by that
 * address, because a dual-stack socket or a NAT64/6to4 gateway would deliver to it.
 */
#include "net/ssrf.h"
#include "core/parse.h"
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct v4_range {
	uint32_t prefix;
	unsigned len;
	const char *why;
};

#define V4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static const struct v4_range v4_refused[] = {
	{ V4(0, 0, 0, 0), 8, "\"this network\" (0.0.0.0/8)" },
	{ V4(10, 0, 0, 0), 8, "private (RFC 1918)" },
	{ V4(100, 64, 0, 0), 10, "carrier-grade NAT (100.64.0.0/10)" },
	{ V4(127, 0, 0, 0), 8, "loopback" },
	{ V4(169, 254, 0, 0), 16, "link-local / cloud metadata (169.254.0.0/16)" },
	{ V4(172, 16, 0, 0), 12, "private (RFC 1918)" },
	{ V4(192, 0, 0, 0), 24, "IETF protocol assignments (192.0.0.0/24)" },
	{ V4(192, 0, 2, 0), 24, "documentation (TEST-NET-1)" },
	{ V4(192, 88, 99, 0), 24, "6to4 relay anycast (deprecated)" },
	{ V4(192, 168, 0, 0), 16, "private (RFC 1918)" },
	{ V4(198, 18, 0, 0), 15, "benchmarking (198.18.0.0/15)" },
	{ V4(198, 51, 100, 0), 24, "documentation (TEST-NET-2)" },
	{ V4(203, 0, 113, 0), 24, "documentation (TEST-NET-3)" },
	{ V4(224, 0, 0, 0), 4, "multicast" },
	{ V4(240, 0, 0, 0), 4, "reserved / broadcast (240.0.0.0/4)" },
};

struct v6_range {
	uint8_t prefix[16];
	unsigned len;
	const char *why;
};

/* outside 2000::/3 everything is refused; these only name the reason */
static const struct v6_range v6_named[] = {
	{ { 0 }, 128, "unspecified (::)" },
	{ { [15] = 1 }, 128, "loopback (::1)" },
	{ { 0xfc }, 7, "unique local (fc00::/7)" },
	{ { 0xfe, 0x80 }, 10, "link-local (fe80::/10)" },
	{ { 0xfe, 0xc0 }, 10, "site-local (fec0::/10, deprecated)" },
	{ { 0xff }, 8, "multicast (ff00::/8)" },
	{ { 0x01 }, 64, "discard-only (100::/64)" },
	{ { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48, "local-use NAT64 (64:ff9b:1::/48)" },
};

/* special ranges inside 2000::/3 */
static const struct v6_range v6_refused_global[] = {
	{ { 0x20, 0x01, 0x00, 0x00 }, 23, "IETF protocol assignments incl. Teredo (2001::/23)" },
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32, "documentation (2001:db8::/32)" },
	{ { 0x3f, 0xff }, 20, "documentation (3fff::/20)" },
};

static const uint8_t v4_mapped[12] = { [10] = 0xff, [11] = 0xff };
static const uint8_t nat64_wkp[12] = { 0x00, 0x64, 0xff, 0x9b };

static bool v6_in(const uint8_t a[16], const uint8_t prefix[16], unsigned len)
{
	unsigned full = len / 8, rest = len % 8;
	if (memcmp(a, prefix, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (prefix[full] & mask);
}

static const char *v4_class(uint32_t ip)
{
	for (size_t i = 0; i < sizeof(v4_refused) / sizeof(v4_refused[0]); i++) {
		uint32_t mask = v4_refused[i].len ? ~0u << (32 - v4_refused[i].len) : 0;
		if ((ip & mask) == v4_refused[i].prefix)
			return v4_refused[i].why;
	}
	return NULL;
}

static uint32_t v4_at(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static const char *v6_class(const uint8_t a[16])
{
	/* forms that deliver to an IPv4 address: judge the IPv4 address */
	if (memcmp(a, v4_mapped, 12) == 0)
		return v4_class(v4_at(a + 12));
	if (memcmp(a, nat64_wkp, 12) == 0)
		return v4_class(v4_at(a + 12));
	if (a[0] == 0x20 && a[1] == 0x02)	/* 6to4: 2002:AABB:CCDD::/48 */
		return v4_class(v4_at(a + 2));
	if ((a[0] & 0xe0) != 0x20) {	/* not 2000::/3 global unicast */
		for (size_t i = 0; i < sizeof(v6_named) / sizeof(v6_named[0]); i++)
			if (v6_in(a, v6_named[i].prefix, v6_named[i].len))
				return v6_named[i].why;
		return "reserved (outside 2000::/3 global unicast)";
	}
	for (size_t i = 0; i < sizeof(v6_refused_global) / sizeof(v6_refused_global[0]); i++)
		if (v6_in(a, v6_refused_global[i].prefix, v6_refused_global[i].len))
			return v6_refused_global[i].why;
	return NULL;
}

const char *ssrf_addr_class(const struct sockaddr *sa)
{
	if (!sa)
		return "no address";
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;
		memcpy(&sin, sa, sizeof(sin));	/* sa may be unaligned for the wider type */
		return v4_class(ntohl(sin.sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, sa, sizeof(sin6));
		return v6_class(sin6.sin6_addr.s6_addr);
	}
	return "not an IP address";
}

bool ssrf_addr_allowed(const struct sockaddr *sa, bool allow_private)
{
	if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
		return false;
	return allow_private || ssrf_addr_class(sa) == NULL;
}

/* ------------------------------------------------------------------------ */
/* URL shape                                                                */
/* ------------------------------------------------------------------------ */

static bool has_part(CURLU *u, CURLUPart part)
{
	char *v = NULL;
	CURLUcode rc = curl_url_get(u, part, &v, 0);
	bool present = rc == CURLUE_OK && v && *v;
	curl_free(v);
	return present;
}

/* the authority (between "://" and the first '/', '?' or '#') is empty: "http:///x" */
static bool authority_empty(const char *url)
{
	const char *p = strstr(url, "://");
	return !p || p[3] == '\0' || p[3] == '/' || p[3] == '?' || p[3] == '#';
}

/* an '@' in the authority (between "://" and the first '/', '?' or '#'), even an empty user */
static bool authority_has_at(const char *url)
{
	const char *p = strstr(url, "://");
	if (!p)
		return false;
	for (p += 3; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == '@')
			return true;
	return false;
}

int ssrf_url_check(const char *url, struct api_error *err)
{
	if (!url || !*url)
		return api_fail(err, ERR_INVALID_FILE_URL, "The URL is empty.");
	size_t n = strlen_capped(url, SSRF_URL_MAX);
	if (n > SSRF_URL_MAX)
		return api_fail(err, ERR_INVALID_FILE_URL,
				"The URL is longer than %d characters.", SSRF_URL_MAX);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)url[i];
		if (c <= 0x20 || c >= 0x7f)
			return api_fail(err, ERR_INVALID_FILE_URL,
					"The URL contains a space, a control or a non-ASCII "
					"character; percent-encode it (and use punycode for hosts).");
	}
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return api_fail(err, ERR_INVALID_FILE_URL,
				"The URL must start with http:// or https://: %.100s", url);
	CURLU *u = curl_url();
	if (!u)
		return api_fail(err, ERR_INTERNAL, "out of memory parsing a URL");
	int rc = 0;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		rc = api_fail(err, ERR_INVALID_FILE_URL, "The URL is malformed: %.100s", url);
	else if (authority_has_at(url) || has_part(u, CURLUPART_USER) ||
		 has_part(u, CURLUPART_PASSWORD))
		rc = api_fail(err, ERR_INVALID_FILE_URL,
			      "The URL must not contain a user name or password.");
	else if (authority_empty(url) || !has_part(u, CURLUPART_HOST))
		rc = api_fail(err, ERR_INVALID_FILE_URL, "The URL has no host: %.100s", url);
	curl_url_cleanup(u);
	return rc;
}
