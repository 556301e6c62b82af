// SPDX-License-Identifier: AGPL-3.0-or-later
/* Short links' slugs, URLs, hosts and truncated addresses (link_rules.h). */
#include "api/link_rules.h"
#include <arpa/inet.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

int link_slug_random(char *out, size_t outlen)
{
	if (outlen < LINK_SLUG_RANDOM_LEN + 1)
		return -1;
	size_t n = 0;
	while (n < LINK_SLUG_RANDOM_LEN) {
		unsigned char buf[32];
		if (RAND_bytes(buf, sizeof(buf)) != 1)
			return -1;
		/* 248 = 4 * 62: bytes past it are dropped so every character is equally likely */
		for (size_t i = 0; i < sizeof(buf) && n < LINK_SLUG_RANDOM_LEN; i++)
			if (buf[i] < 248)
				out[n++] = base62[buf[i] % 62];
	}
	out[n] = '\0';
	return 0;
}

bool link_slug_valid(const char *slug)
{
	size_t n = 0;
	if (!slug)
		return false;
	for (const char *p = slug; *p; p++, n++) {
		char c = *p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return false;
	}
	return n >= 1 && n <= LINK_SLUG_MAX;
}

bool link_host_normalise(const char *host, char *out, size_t outlen)
{
	if (!host || !*host || outlen < 2)
		return false;
	size_t n;
	if (host[0] == '[') {	/* [v6] or [v6]:port */
		const char *end = strchr(host, ']');
		if (!end || (end[1] && end[1] != ':'))
			return false;
		n = (size_t)(end - host) + 1;
		for (const char *p = host + 1; p < end; p++)
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			      (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.'))
				return false;
	} else {
		const char *colon = strchr(host, ':');
		n = colon ? (size_t)(colon - host) : strlen(host);
		if (colon)
			for (const char *p = colon + 1; *p; p++)
				if (*p < '0' || *p > '9')
					return false;
		for (size_t i = 0; i < n; i++) {
			char c = host[i];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			      (c >= '0' && c <= '9') || c == '-' || c == '.'))
				return false;
		}
		if (n > 0 && host[n - 1] == '.')
			n--;
		if (n == 0 || host[0] == '.' || host[0] == '-' || strstr(host, ".."))
			return false;
	}
	if (n >= outlen || n > LINK_HOST_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (host[i] >= 'A' && host[i] <= 'Z') ? (char)(host[i] - 'A' + 'a') : host[i];
	out[n] = '\0';
	return true;
}

int link_url_check(const char *url, const char *field, const char *const *own_hosts,
		   char *host_out, struct api_error *err)
{
	size_t len = url ? strlen(url) : 0;
	const char *rest;
	if (len == 0)
		return api_fail(err, ERR_INVALID, "%s is required", field);
	if (len > LINK_URL_MAX)
		return api_fail(err, ERR_INVALID,
				"%s length must be less than or equal to %d characters long", field,
				LINK_URL_MAX);
	if (strncasecmp(url, "https://", 8) == 0)
		rest = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		rest = url + 7;
	else	/* javascript:, data:, ftp:, relative paths, … */
		return api_fail(err, ERR_INVALID, "%s must be an http or https URL", field);
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f)
			return api_fail(err, ERR_INVALID,
					"%s must not contain spaces or control characters", field);
	/* the authority: up to the first / ? #, without user information */
	size_t alen = strcspn(rest, "/?#");
	char authority[LINK_HOST_MAX + 16], host[LINK_HOST_MAX + 1];
	const char *at = memchr(rest, '@', alen);
	if (at) {
		alen -= (size_t)(at + 1 - rest);
		rest = at + 1;
	}
	if (alen == 0 || alen >= sizeof(authority))
		return api_fail(err, ERR_INVALID, "%s must name a host", field);
	memcpy(authority, rest, alen);
	authority[alen] = '\0';
	if (!link_host_normalise(authority, host, sizeof(host)))
		return api_fail(err, ERR_INVALID, "%s must name a valid host", field);
	for (const char *const *h = own_hosts; h && *h; h++)
		if (**h && strcmp(host, *h) == 0)
			return api_fail(err, ERR_INVALID,
					"%s points at the short link host %s (a redirect loop)",
					field, host);
	if (host_out)
		memcpy(host_out, host, strlen(host) + 1);
	return 0;
}

void link_ip_truncate(const char *client, char *out, size_t outlen)
{
	unsigned char a[16];
	char buf[INET6_ADDRSTRLEN + 8];
	snprintf(out, outlen, "unknown");
	if (!client)
		return;
	if (inet_pton(AF_INET, client, a) == 1) {
		snprintf(out, outlen, "%u.%u.%u.0/24", a[0], a[1], a[2]);
		return;
	}
	/* an IPv6 address, or http/req.h's "net::/64" */
	snprintf(buf, sizeof(buf), "%s", client);
	char *slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET6, buf, a) != 1)
		return;
	memset(a + 6, 0, 10);
	if (inet_ntop(AF_INET6, a, buf, sizeof(buf)))
		snprintf(out, outlen, "%s/48", buf);
}
