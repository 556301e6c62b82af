// SPDX-License-Identifier: AGPL-3.0-or-later
/* Small helpers on struct req. */
#include "http/req.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

void req_add_header(struct req *rq, const char *name, const char *value)
{
	if (rq->n_resp_headers >= RESP_MAX_HEADERS)
		return;
	rq->resp_headers[rq->n_resp_headers].name = name;
	rq->resp_headers[rq->n_resp_headers].value = value;
	rq->n_resp_headers++;
}

void req_finish(struct req *rq)
{
	rq->resume(rq);
}

const char *http_method_name(enum http_method m)
{
	switch (m) {
	case HTTP_GET: return "GET";
	case HTTP_POST: return "POST";
	case HTTP_DELETE: return "DELETE";
	case HTTP_PUT: return "PUT";
	case HTTP_PATCH: return "PATCH";
	default: return "OTHER";
	}
}

void req_set_client(struct req *rq, const struct sockaddr *sa)
{
	char text[INET6_ADDRSTRLEN + 4];
	rq->client = NULL;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text)))
			rq->client = arena_strdup(rq->arena, text);
	} else if (sa && sa->sa_family == AF_INET6) {
		struct in6_addr a = ((const struct sockaddr_in6 *)sa)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(&a)) {
			if (inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof(text)))
				rq->client = arena_strdup(rq->arena, text);
			return;
		}
		memset(&a.s6_addr[8], 0, 8);	/* the /64 network */
		if (inet_ntop(AF_INET6, &a, text, INET6_ADDRSTRLEN))
			rq->client = arena_strfmt(rq->arena, "%s/64", text);
	}
}

const char *req_client(const struct req *rq)
{
	return rq->client ? rq->client : "unknown";
}
