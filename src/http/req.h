// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One request as the pipeline sees it: what the transport captured (method, path, the few
 * headers the API reads, raw body), what the pipeline derived (key, parsed body and query),
 * and the response being built. Owned by the transport; everything hangs off rq->arena.
 * No socket in here: router tests build a struct req by hand.
 */
#ifndef FRANK_REQ_H
#define FRANK_REQ_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/arena.h"
#include "store/store.h"

struct dash_session;
struct app;	/* the process context: store, config, rate limiter (http/app.h) */

enum http_method { HTTP_GET = 1, HTTP_POST, HTTP_DELETE, HTTP_PUT, HTTP_PATCH, HTTP_OTHER };

struct req_headers {
	const char *authorization;
	const char *x_api_key;
	const char *content_type;
	const char *lob_version;
	const char *idempotency_key;
	const char *lang_output;	/* x-lang-output (international verifications) */
	const char *host;		/* Host: short links answer on their own hosts */
	const char *user_agent;		/* User-Agent: kept with a short link's click */
	const char *cookie;		/* Cookie: the dashboard's session */
	const char *origin;		/* Origin: dashboard forms come from the dashboard */
	const char *forwarded_proto;	/* X-Forwarded-Proto: "https" behind a TLS proxy */
};

struct resp_header {
	const char *name, *value;
};

#define RESP_MAX_HEADERS 16

struct req {
	struct arena *arena;
	struct app *app;
	long long now_ms;		/* one clock reading for the whole request */

	/* captured by the transport */
	const char *client;		/* the client's address (req_set_client), NULL: unknown */
	enum http_method method;
	const char *path;		/* without the query string */
	const char *query_string;	/* raw, may be NULL */
	struct req_headers h;
	const char *body;
	size_t body_len;
	bool body_too_large;		/* the transport stopped reading at the limit */
	/* R_BODY_FILE rows: the multipart body streamed to disk (http/body_file.h), never
	 * held in memory; the transport removes the file after the response unless the
	 * handler took it (path set to NULL) */
	struct body_file *body_file;

	/* derived by the pipeline */
	const struct route *route;
	const struct route_profile *profile;	/* the route's, or its path prefix's: the
						   shape every answer takes (respond_error) */
	const char *path_id;		/* the {id} segment, if the pattern has one */
	const char *path_sub;		/* the {sub} segment (nested resources) */
	struct key_info key;
	const char *operator_id;	/* op_…, when an operator key authenticated */
	/* the dashboard's signed-in session (store/dashboard_store.h), or NULL */
	const struct dash_session *dash;
	/* a call made by the dashboard on its session's behalf (dashboard/call.h): rq->key
	 * (and operator_id) are set by the caller; no credentials are read and nothing is
	 * counted against a rate limit */
	bool internal;
	struct store_scope scope;	/* account + mode of the key; kind from the resource */
	json_t *query;			/* borrowed from the arena */
	json_t *body_json;		/* borrowed from the arena */
	const char *idem_key;		/* validated idempotency key, or NULL */

	/*
	 * Asynchronous completion. A handler that queued a write sets `pending` and returns 0
	 * without a response; the write's completion (on the store's writer thread) fills the
	 * response and calls req_finish(). Nothing else may touch rq meanwhile.
	 */
	bool pending;
	void (*resume)(struct req *rq);	/* set by the transport */
	void *transport;		/* the transport's handle for resume */

	/* the response */
	int status;
	const char *resp_body;
	size_t resp_len;
	const char *resp_type;
	struct resp_header resp_headers[RESP_MAX_HEADERS];
	size_t n_resp_headers;
	const char *error_code;		/* for the access log */
};

struct sockaddr;
/*
 * Records the client's address as rate limits count it: IPv4 dotted (an IPv4-mapped IPv6
 * address too), IPv6 as its /64 network ("2001:db8:1:2::/64": one subscriber's usual
 * allocation, so a client cannot hop addresses inside it). NULL sa: unknown.
 */
void req_set_client(struct req *rq, const struct sockaddr *sa);
/* the address for rate-limit buckets: rq->client, or "unknown" */
const char *req_client(const struct req *rq);

/* adds a response header (arena strings); silently ignores more than RESP_MAX_HEADERS */
void req_add_header(struct req *rq, const char *name, const char *value);
/* hands a pending request's response back to the transport */
void req_finish(struct req *rq);
/* the method's name ("GET"), or "OTHER" */
const char *http_method_name(enum http_method m);
#endif
