// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Whether a customer's domain points at Frank's short-link host: some address of one is an
 * address of the other (a CNAME to the link host, or the same A/AAAA records). The state of
 * a custom domain (/v1/domains: configured or not_configured).
 */
#ifndef FRANK_NET_DNS_MATCH_H
#define FRANK_NET_DNS_MATCH_H
#include <stdbool.h>

/* true when the two names share an address; false when either does not resolve */
bool dns_same_address(const char *name, const char *other);
#endif
