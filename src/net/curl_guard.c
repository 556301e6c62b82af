// SPDX-License-Identifier: AGPL-3.0-or-later
/* The libcurl guard: SSRF rules on the connected address. See curl_guard.h for why. */
#include "net/curl_guard.h"
#include "net/ssrf.h"
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
	init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int net_curl_init(void)
{
	pthread_once(&init_once, global_init);
	return init_rc == CURLE_OK ? 0 : -1;
}

static bool allowed(const struct net_guard *g, const struct sockaddr *sa)
{
	return g->rule ? g->rule(sa, g->rule_ctx) : ssrf_addr_allowed(sa, g->allow_private);
}

static void refuse(struct net_guard *g, const struct sockaddr *sa)
{
	char buf[INET6_ADDRSTRLEN] = "?";
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;
		memcpy(&sin, sa, sizeof(sin));
		inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf));
	} else if (sa->sa_family == AF_INET6) {
		struct sockaddr_in6 sin6;
		memcpy(&sin6, sa, sizeof(sin6));
		inet_ntop(AF_INET6, &sin6.sin6_addr, buf, sizeof(buf));
	}
	g->refused = true;
	g->why = ssrf_addr_class(sa);
	snprintf(g->addr, sizeof(g->addr), "%s", buf);
}

static curl_socket_t open_guarded(void *clientp, curlsocktype purpose,
				  struct curl_sockaddr *a)
{
	struct net_guard *g = clientp;
	size_t need = a->family == AF_INET6 ? sizeof(struct sockaddr_in6)
					    : sizeof(struct sockaddr_in);
	/* only outgoing connections (no FTP-style accept sockets), with a whole address */
	if (purpose != CURLSOCKTYPE_IPCXN || a->addrlen < need ||
	    (a->family != AF_INET && a->family != AF_INET6)) {
		g->refused = true;
		g->why = "not an IP connection";
		return CURL_SOCKET_BAD;
	}
	if (!allowed(g, &a->addr)) {
		refuse(g, &a->addr);
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* before each request, also on a connection taken from curl's cache */
static int prereq_guarded(void *clientp, char *primary_ip, char *local_ip, int primary_port,
			  int local_port)
{
	struct net_guard *g = clientp;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	const struct sockaddr *sa;
	(void)local_ip;
	(void)local_port;
	sin.sin_port = sin6.sin6_port = htons((uint16_t)primary_port);
	if (inet_pton(AF_INET, primary_ip, &sin.sin_addr) == 1)
		sa = (const struct sockaddr *)&sin;
	else if (inet_pton(AF_INET6, primary_ip, &sin6.sin6_addr) == 1)
		sa = (const struct sockaddr *)&sin6;
	else
		return CURL_PREREQFUNC_ABORT;	/* not an IP connection: never expected */
	if (allowed(g, sa))
		return CURL_PREREQFUNC_OK;
	refuse(g, sa);
	return CURL_PREREQFUNC_ABORT;
}

void net_guard_install(CURL *h, struct net_guard *g)
{
	g->refused = false;
	g->why = NULL;
	g->addr[0] = '\0';
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_guarded);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, g);
	curl_easy_setopt(h, CURLOPT_PREREQFUNCTION, prereq_guarded);
	curl_easy_setopt(h, CURLOPT_PREREQDATA, g);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_PROXY, "");	/* "" ignores http_proxy & co. */
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);	/* threads: no SIGALRM for DNS timeouts */
	curl_easy_setopt(h, CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_WHATEVER);
}
