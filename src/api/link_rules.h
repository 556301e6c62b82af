// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The pure rules of short links (docs/internals/links.md): random and custom slugs, the long
 * URLs a link may point at, host names as Host headers carry them, and the truncated client
 * address a click keeps. No store, no request: unit-tested on their own.
 */
#ifndef FRANK_API_LINK_RULES_H
#define FRANK_API_LINK_RULES_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define LINK_SLUG_RANDOM_LEN 10	/* base62: 62^10 ≈ 8.4e17 slugs, not guessable */
#define LINK_SLUG_MAX 64
#define LINK_URL_MAX 2048
#define LINK_HOST_MAX 253

/* a random base62 slug of LINK_SLUG_RANDOM_LEN characters (OpenSSL RAND_bytes, unbiased):
 * out has room for LINK_SLUG_RANDOM_LEN + 1; 0, or -1 without entropy */
int link_slug_random(char *out, size_t outlen);

/* a customer's slug: 1..LINK_SLUG_MAX of A-Z a-z 0-9 - _ (case-sensitive, as stored) */
bool link_slug_valid(const char *slug);

/*
 * host (a Host header or a domain) → lower case without port or trailing dot into out;
 * false if it is not a DNS name or an address (letters, digits, '-', '.', an [IPv6])
 */
bool link_host_normalise(const char *host, char *out, size_t outlen);

/*
 * A long URL a link may redirect to: absolute http:// or https:// with a host, printable
 * ASCII without spaces, at most LINK_URL_MAX characters, and not on one of the hosts the
 * redirects answer (own_hosts, NULL-terminated, normalised: a loop). field names the field
 * in messages. host_out (LINK_HOST_MAX + 1 bytes, or NULL) gets the URL's host, normalised.
 * 0, or -1 with *err (invalid).
 */
int link_url_check(const char *url, const char *field, const char *const *own_hosts,
		   char *host_out, struct api_error *err);

/*
 * the client address as a click keeps it: IPv4 to its /24 ("203.0.113.0/24"), IPv6 to its
 * /48 ("2001:db8:1::/48"); anything else "unknown". client is http/req.h's form (an IPv4
 * address, or an IPv6 /64 network).
 */
void link_ip_truncate(const char *client, char *out, size_t outlen);
#endif
