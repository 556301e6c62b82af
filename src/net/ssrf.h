// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * SSRF rules for every outbound request Frank makes on a customer's behalf (remote files,
 * webhook deliveries). Two checks:
 *  - ssrf_url_check: the URL's shape (http/https, a host, no userinfo, bounded length),
 *    before anything is sent and again for every redirect target;
 *  - ssrf_addr_allowed: the address a socket is about to connect to. fetch.c and post.c
 *    call it from libcurl's CURLOPT_OPENSOCKETFUNCTION, i.e. after DNS resolution and for
 *    every connection, so DNS rebinding and redirects cannot reach a private address.
 * The table of refused ranges is in ssrf.c and docs/internals/net.md.
 */
#ifndef FRANK_SSRF_H
#define FRANK_SSRF_H
#include <stdbool.h>
#include <sys/socket.h>
#include "core/err.h"

#define SSRF_URL_MAX 2048

/*
 * true when a connection to sa may be made: a public unicast address, or any address when
 * allow_private (FRANK_ALLOW_PRIVATE_URLS=1). Families other than IPv4/IPv6 are refused.
 */
bool ssrf_addr_allowed(const struct sockaddr *sa, bool allow_private);

/*
 * why sa is refused ("loopback", "private (RFC 1918)", "link-local / cloud metadata", …),
 * or NULL for a public address; ignores allow_private. Static strings.
 */
const char *ssrf_addr_class(const struct sockaddr *sa);

/* the URL's shape; 0, or -1 with ERR_INVALID_FILE_URL and a message naming the problem */
int ssrf_url_check(const char *url, struct api_error *err);
#endif
