// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What fetch.c and post.c share about libcurl: a one-time global init, and the guard that
 * applies the SSRF address rules to every connection an easy handle makes.
 *
 * The guard sits in CURLOPT_OPENSOCKETFUNCTION: curl calls it with the resolved address of
 * each connection attempt (every address of a name, every redirect hop, every reconnect),
 * so the address checked is the address connected to; checking the URL's host name before
 * the request would let DNS rebinding (a name that resolves public first, private next)
 * through. A refused attempt returns CURL_SOCKET_BAD, which curl reports at once as
 * CURLE_COULDNT_CONNECT; the guard remembers why. CURLOPT_PREREQFUNCTION checks the peer
 * once more before each request, which covers a connection reused from curl's cache.
 * Proxies are switched off (a proxy would resolve the target itself, out of our sight).
 */
#ifndef FRANK_CURL_GUARD_H
#define FRANK_CURL_GUARD_H
#include <stdbool.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* an address rule in place of ssrf_addr_allowed (tests: treat a fixture's address as public) */
typedef bool (*net_addr_rule)(const struct sockaddr *sa, void *ctx);

struct net_guard {
	bool allow_private;
	net_addr_rule rule;		/* NULL: ssrf_addr_allowed(sa, allow_private) */
	void *rule_ctx;
	bool refused;			/* set by the guard */
	const char *why;		/* ssrf_addr_class() of the refused address */
	char addr[INET6_ADDRSTRLEN];	/* the refused address, printable */
};

/* curl_global_init, once per process (thread-safe); 0 or -1 */
int net_curl_init(void);

/*
 * sets the guard (g must outlive the transfer), http/https only, no proxy, no signals,
 * no cookies, IPv4+IPv6; call after every curl_easy_reset
 */
void net_guard_install(CURL *h, struct net_guard *g);
#endif
