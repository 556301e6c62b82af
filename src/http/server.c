// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * libmicrohttpd glue: one arena per request (created on the first callback, freed on
 * completion), the edge checks (http/edge.h) on the first access-handler call, the body
 * read up to the configured cap, the router run once the body is complete, the response
 * queued with its headers, and a JSON-lines access log.
 */
#include "http/server.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "core/version.h"
#include "http/body_file.h"
#include "http/edge.h"
#include "http/response.h"
#include "http/router.h"
#include <arpa/inet.h>
#include <limits.h>
#include <sys/socket.h>
#include <stdatomic.h>
#include <unistd.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DRAIN_FACTOR 8	/* bodies up to 8x --max-body are drained before the 413 */
#define STREAM_DRAIN_BYTES (64ULL << 20)	/* R_BODY_FILE bodies: up to 64 MiB past the cap */
/*
 * MHD's per-connection pool holds the request line, the header section and MHD's record of
 * each header field. What does not fit gets MHD's own HTML 414/431, which we cannot
 * replace; 128 KiB leaves room well past the edge limits (8 KiB target, 32 KiB of header
 * fields), so our JSON answers those. The pool is mmap'd: pages cost memory when used.
 */
#define CONNECTION_POOL_BYTES ((size_t)128 * 1024)

struct server {
	struct MHD_Daemon *daemon;
	atomic_int suspended;	/* connections waiting for a write */
	struct app *app;
	unsigned port;
	int listen_fd;	/* ≥ 0 once quiesced: the listening socket MHD gave back */
};

struct conn_state {
	struct req rq;
	struct edge_target target;
	char *buf;
	size_t len, cap;
	long long started_ns;
	bool started, suspended;
	bool stream;			/* an R_BODY_FILE row: the body goes to bf, on disk */
	bool refused;			/* its credentials were refused: the body is dropped */
	unsigned long long stream_limit;
	struct body_file *bf;
};

/* labelled by route pattern, never by path: the label sets stay bounded */
static const struct metric http_requests = {
	"frank_http_requests_total", "HTTP requests answered, by method, route pattern and status",
	METRIC_COUNTER, { "method", "route", "status" }, NULL, 0
};
static const struct metric http_seconds = {
	"frank_http_request_duration_seconds",
	"Time from the first byte of a request to its completion, by method and route pattern",
	METRIC_HISTOGRAM, { "method", "route" }, metric_buckets_seconds, 15
};

static long long mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static enum http_method method_of(const char *m)
{
	static const struct { const char *name; enum http_method m; } map[] = {
		{ "GET", HTTP_GET }, { "POST", HTTP_POST }, { "DELETE", HTTP_DELETE },
		{ "PUT", HTTP_PUT }, { "PATCH", HTTP_PATCH }, { "HEAD", HTTP_GET },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(m, map[i].name) == 0)
			return map[i].m;
	return HTTP_OTHER;
}

static const char *header(struct MHD_Connection *c, struct arena *a, const char *name)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
	return v ? arena_strdup(a, v) : NULL;
}

/*
 * Called by MHD with the raw request target (query string included, which the access
 * handler's url lacks) before the headers are read; the state becomes *con_cls.
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct server *srv = cls;
	struct arena *a = arena_new();
	(void)c;
	if (!a)
		return NULL;
	if (!uri)
		uri = "";
	struct conn_state *st = arena_calloc(a, sizeof(*st));
	struct req *rq = &st->rq;
	st->started_ns = mono_ns();
	rq->arena = a;
	rq->app = srv->app;
	edge_measure_target(uri, &st->target);
	const char *q = strchr(uri, '?');
	rq->path = q ? arena_strndup(a, uri, (size_t)(q - uri)) : arena_strdup(a, uri);
	rq->query_string = q ? arena_strdup(a, q + 1) : NULL;
	/*
	 * MHD 0.9.75 would now split the query into a record per parameter in the connection's
	 * pool, which we never read (the router parses rq->query_string). When the pool runs
	 * out it queues a 431, then ignores its own failure (parse_initial_message_line drops
	 * MHD_parse_arguments_'s result) and goes on reading: the 431 is never sent and the
	 * client waits for the 30 s timeout (about 950 parameters did it with a 64 KiB pool).
	 * Ending MHD's copy of the target after the '?' leaves it nothing to split. uri points
	 * into MHD's read buffer, which is writable; only the callback's type says const.
	 */
	if (q && q[1])
		((char *)q)[1] = '\0';
	return st;
}

/* the first access-handler call: method and headers are known now */
static void state_start(struct conn_state *st, struct MHD_Connection *c, const char *method)
{
	struct req *rq = &st->rq;
	struct arena *a = rq->arena;
	rq->now_ms = clock_now_ms();
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	req_set_client(rq, ci ? ci->client_addr : NULL);
	rq->method = method_of(method);
	rq->h.authorization = header(c, a, MHD_HTTP_HEADER_AUTHORIZATION);
	rq->h.x_api_key = header(c, a, "X-API-Key");
	rq->h.content_type = header(c, a, MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->h.lob_version = header(c, a, "Lob-Version");
	rq->h.idempotency_key = header(c, a, "Idempotency-Key");
	rq->h.lang_output = header(c, a, "x-lang-output");
	rq->h.host = header(c, a, MHD_HTTP_HEADER_HOST);
	rq->h.user_agent = header(c, a, MHD_HTTP_HEADER_USER_AGENT);
	rq->h.cookie = header(c, a, MHD_HTTP_HEADER_COOKIE);
	rq->h.origin = header(c, a, "Origin");
	rq->h.forwarded_proto = header(c, a, "X-Forwarded-Proto");
	st->started = true;
}

/* appends upload data up to the cap; past it, the rest is read and dropped */
static void body_append(struct conn_state *st, const char *data, size_t n, size_t max)
{
	if (st->rq.body_too_large || st->len + n > max) {
		st->rq.body_too_large = true;
		return;
	}
	if (st->len + n > st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 16384;
		while (cap < st->len + n)
			cap *= 2;
		char *nb = arena_alloc(st->rq.arena, cap);
		if (st->len)
			memcpy(nb, st->buf, st->len);
		st->buf = nb;
		st->cap = cap;
	}
	memcpy(st->buf + st->len, data, n);
	st->len += n;
}

static enum MHD_Result send_response(struct MHD_Connection *c, struct req *rq)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		rq->resp_len, (void *)rq->resp_body, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				rq->resp_type ? rq->resp_type : "application/json");
	for (size_t i = 0; i < rq->n_resp_headers; i++)
		MHD_add_response_header(resp, rq->resp_headers[i].name, rq->resp_headers[i].value);
	/* the AGPL §13 offer on every answer (core/version.h) */
	const struct config *cfg = rq->app ? rq->app->cfg : NULL;
	char link[1024];
	snprintf(link, sizeof(link), "<%s>; rel=\"source\"",
		 cfg && cfg->source_url ? cfg->source_url : source_url_default());
	MHD_add_response_header(resp, "Link", link);
	enum MHD_Result r = MHD_queue_response(c, (unsigned)rq->status, resp);
	MHD_destroy_response(resp);
	return r;
}

/*
 * A declared length over the cap is refused before the body when the client waits for
 * "100 Continue" (it has sent nothing yet; MHD sends no 100 once a response is queued), or
 * when it is far over. Closing with unread data makes the kernel reset the connection, so
 * a client may see EPIPE rather than the 413: bodies up to DRAIN_FACTOR times the cap are
 * read and dropped instead, so ordinary clients get the Lob error.
 */
static bool refuse_before_body(struct MHD_Connection *c, size_t max, bool stream)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_EXPECT);
	unsigned long n;
	if (!v)
		return false;
	if (parse_ulong(v, ~0UL, &n) < 0)
		return true;
	if (expect && strcasecmp(expect, "100-continue") == 0)
		return n > max;
	/* a streamed body's limit is large (1 GB): draining 8 times that is no courtesy, a
	 * little past it is */
	if (stream)
		return n > max && n - max > STREAM_DRAIN_BYTES;
	return n / DRAIN_FACTOR > max;
}

/*
 * Rows with R_BODY_FILE take their body on disk (http/body_file.h) with their own limit.
 * The route is looked up here, before the body, only to know where the body goes; the
 * router matches it again with everything else. Its credentials are checked first, so
 * nobody writes to the disk without a key. 1 when the body is streamed, 0 when not, -1 when
 * refused (the response is set).
 */
static int stream_start(struct conn_state *st, struct MHD_Connection *c, struct app *app)
{
	const struct route *rt = NULL;
	const struct route_profile *prof = NULL;
	const char *ids[2] = { NULL, NULL };
	if (!app->routes || router_match(app->routes->families, st->rq.method, st->rq.path,
					 st->rq.arena, &rt, &prof, ids) != MATCH_OK ||
	    !(rt->flags & R_BODY_FILE))
		return 0;
	if (router_precheck(&st->rq) < 0)
		return -1;
	st->stream = true;
	st->stream_limit = app->max_file_body ? app->max_file_body : APP_MAX_FILE_BODY;
	st->bf = body_file_open(st->rq.arena, c, app->data_dir, st->stream_limit);
	return 1;
}

/* the request's header fields for edge_check_headers(); counts past the array's end */
struct field_list {
	struct edge_field *f;
	size_t n, cap;
};

static enum MHD_Result add_field(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct field_list *l = cls;
	(void)kind;
	if (l->n < l->cap)
		l->f[l->n] = (struct edge_field){ key, value ? value : "" };
	l->n++;
	return MHD_YES;
}

/* the edge checks, once the header section is in; 0 or -1 with *err */
static int check_edge(struct conn_state *st, struct MHD_Connection *c, const char *version,
		      struct api_error *err)
{
	if (edge_check_target(&st->target, err) < 0)
		return -1;
	struct field_list l = { .cap = EDGE_HEADERS_MAX + 1 };
	l.f = arena_alloc(st->rq.arena, l.cap * sizeof(*l.f));
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_field, &l);
	return edge_check_headers(l.f, l.n, strcasecmp(version, MHD_HTTP_VERSION_1_0) == 0, err);
}

/*
 * A response queued before the body is read: MHD then refuses the body and closes the
 * connection; the header says so, and after a framing error nothing more may be read from
 * this stream (what follows could be a smuggled request).
 */
static enum MHD_Result answer_before_body(struct MHD_Connection *c, struct req *rq)
{
	req_add_header(rq, MHD_HTTP_HEADER_CONNECTION, "close");
	return send_response(c, rq);
}

/* a suspended request stops counting once answered, or once its client is gone */
static void unsuspend(struct server *srv, struct conn_state *st)
{
	if (st->suspended) {
		st->suspended = false;
		atomic_fetch_sub(&srv->suspended, 1);
	}
}

static void resume_request(struct req *rq)
{
	MHD_resume_connection(rq->transport);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	struct conn_state *st = *con_cls;
	(void)url;
	if (!st)
		return MHD_NO;	/* on_uri could not allocate */
	if (!st->started) {
		struct api_error err;
		state_start(st, c, method);
		if (check_edge(st, c, version, &err) < 0) {
			respond_error(&st->rq, &err);
			return answer_before_body(c, &st->rq);
		}
		size_t max = srv->app->max_body;
		int streamed = stream_start(st, c, srv->app);
		if (streamed < 0 && refuse_before_body(c, srv->app->max_body, false))
			return answer_before_body(c, &st->rq);
		if (streamed < 0) {	/* small enough to read and drop: the client reads the 401 */
			st->refused = st->stream = true;
			return MHD_YES;
		}
		if (streamed)
			max = (size_t)st->stream_limit;
		if (!refuse_before_body(c, max, st->stream))
			return MHD_YES;	/* answer after the body: queuing now closes the connection */
		st->rq.body_too_large = true;
		router_dispatch(&st->rq);
		return answer_before_body(c, &st->rq);
	}
	if (*upload_size && st->stream) {
		if (st->bf) {
			body_file_feed(st->bf, upload_data, *upload_size);
			st->rq.body_too_large = st->bf->too_large;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		body_append(st, upload_data, *upload_size, srv->app->max_body);
		*upload_size = 0;
		return MHD_YES;
	}
	if (st->suspended) {	/* resumed: the response is ready */
		unsuspend(srv, st);
		return send_response(c, &st->rq);
	}
	if (st->refused)
		return send_response(c, &st->rq);
	st->rq.body = st->buf;
	st->rq.body_len = st->len;
	if (st->bf) {
		body_file_finish(st->bf);
		st->rq.body_file = st->bf;
	}
	if (st->rq.method == HTTP_GET) {	/* reads never wait on a commit */
		router_dispatch(&st->rq);
		return send_response(c, &st->rq);
	}
	/*
	 * Other methods may queue a write and answer after its group commit. Suspend first,
	 * so the completion (on the writer thread) can never resume before the suspend.
	 */
	st->suspended = true;
	st->rq.resume = resume_request;
	st->rq.transport = c;
	atomic_fetch_add(&srv->suspended, 1);
	MHD_suspend_connection(c);
	router_dispatch(&st->rq);
	if (!st->rq.pending)
		MHD_resume_connection(c);	/* answered at once (an error, a replay) */
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_state *st = *con_cls;
	(void)c;
	if (!st)
		return;
	unsuspend(cls, st);
	body_file_discard(st->bf);	/* the temporary file, unless the handler took it */
	struct req *rq = &st->rq;
	long long ns = mono_ns() - st->started_ns;
	char status[12];
	const char *route = rq->route ? rq->route->pattern : "unmatched";
	snprintf(status, sizeof(status), "%d", rq->status);
	metric_inc(&http_requests, http_method_name(rq->method), route, status);
	metric_obs(&http_seconds, (double)ns / 1e9, http_method_name(rq->method), route);
	json_t *line = json_pack("{sssssisIsIsb}", "msg", "request",
				 "method", http_method_name(rq->method), "status", rq->status,
				 "bytes", (json_int_t)rq->resp_len,
				 "us", (json_int_t)(ns / 1000),
				 "completed", toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	json_object_set_new(line, "path", log_text(rq->path));
	if (rq->route)
		json_object_set_new(line, "route", json_string(rq->route->pattern));
	if (rq->key.account_id[0])
		json_object_set_new(line, "account", json_string(rq->key.account_id));
	if (rq->error_code)
		json_object_set_new(line, "error", json_string(rq->error_code));
	log_json(LOG_INFO, line);
	arena_free(rq->arena);
	*con_cls = NULL;
}

static int resolve(const char *host, unsigned port, struct sockaddr_storage *ss, char *errbuf,
		   size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
	struct addrinfo *res = NULL;
	char portstr[8];
	snprintf(portstr, sizeof(portstr), "%u", port);
	int rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(errbuf, errlen, "cannot resolve listen address %s: %s", host,
			 gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

int server_bind(const struct server_options *opt, int *fd_out, unsigned *port_out,
		char *errbuf, size_t errlen)
{
	struct sockaddr_storage ss;
	if (resolve(opt->host, opt->port, &ss, errbuf, errlen) < 0)
		return -1;
	socklen_t len = ss.ss_family == AF_INET6 ? sizeof(struct sockaddr_in6)
						 : sizeof(struct sockaddr_in);
	int one = 1, fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, SOMAXCONN) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		snprintf(errbuf, errlen, "cannot listen on %s:%u (in use, or not allowed)",
			 opt->host, opt->port);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						   : ((struct sockaddr_in *)&ss)->sin_port);
	*fd_out = fd;
	return 0;
}

struct server *server_start(struct app *app, const struct server_options *opt, int listen_fd,
			    char *errbuf, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct server *srv = calloc(1, sizeof(*srv));
	if (!srv || getsockname(listen_fd, (struct sockaddr *)&ss, &len) < 0) {
		snprintf(errbuf, errlen, "no listening socket to serve");
		free(srv);
		return NULL;
	}
	srv->app = app;
	srv->listen_fd = -1;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
			 MHD_ALLOW_SUSPEND_RESUME;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv,
		MHD_OPTION_LISTEN_SOCKET, listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, opt->threads ? opt->threads : 2,
		MHD_OPTION_CONNECTION_TIMEOUT, opt->timeout_s ? opt->timeout_s : 30,
		MHD_OPTION_CONNECTION_LIMIT, 4096u,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONNECTION_POOL_BYTES,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
		MHD_OPTION_END);
	if (!srv->daemon) {
		snprintf(errbuf, errlen, "the HTTP server did not start on %s:%u", opt->host,
			 opt->port);
		free(srv);
		return NULL;
	}
	srv->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						   : ((struct sockaddr_in *)&ss)->sin_port);
	return srv;
}

unsigned server_port(const struct server *srv)
{
	return srv->port;
}

void server_quiesce(struct server *srv)
{
	if (!srv || srv->listen_fd >= 0)
		return;
	/* stop accepting; open requests go on (the socket is ours to close, after the stop) */
	srv->listen_fd = MHD_quiesce_daemon(srv->daemon);
	if (srv->listen_fd < 0)
		srv->listen_fd = INT_MAX;	/* quiesced all the same: not again */
	/* MHD must not stop with suspended connections: let queued writes answer (≤ 30 s) */
	for (int i = 0; i < 3000 && atomic_load(&srv->suspended) > 0; i++)
		usleep(10000);
}

void server_stop(struct server *srv)
{
	if (!srv)
		return;
	server_quiesce(srv);
	MHD_stop_daemon(srv->daemon);
	if (srv->listen_fd >= 0 && srv->listen_fd != INT_MAX)
		close(srv->listen_fd);
	free(srv);
}
