// SPDX-License-Identifier: AGPL-3.0-or-later
/* Do two DNS names share an address? (dns_match.h) */
#include "net/dns_match.h"
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

static bool same(const struct sockaddr *a, const struct sockaddr *b)
{
	if (a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			      &((const struct sockaddr_in *)b)->sin_addr, sizeof(struct in_addr)) == 0;
	if (a->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
			      &((const struct sockaddr_in6 *)b)->sin6_addr,
			      sizeof(struct in6_addr)) == 0;
	return false;
}

bool dns_same_address(const char *name, const char *other)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *x = NULL, *y = NULL;
	bool match = false;
	if (!name || !other || getaddrinfo(name, NULL, &hints, &x) != 0)
		return false;
	if (getaddrinfo(other, NULL, &hints, &y) == 0)
		for (const struct addrinfo *i = x; i && !match; i = i->ai_next)
			for (const struct addrinfo *j = y; j && !match; j = j->ai_next)
				match = same(i->ai_addr, j->ai_addr);
	freeaddrinfo(x);
	if (y)
		freeaddrinfo(y);
	return match;
}
