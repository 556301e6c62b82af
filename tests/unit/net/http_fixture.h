// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A small HTTP server on 127.0.0.1 (libmicrohttpd, one thread per connection, so a slow
 * response blocks only its own connection) for the net/ tests. Paths:
 *   /pdf /png /html          a small PDF (application/pdf; charset=binary), PNG bytes
 *                            served as application/octet-stream, an HTML page
 *   /slow                    10 bytes every 100 ms for 10 s
 *   /big                     declares Content-Length: 10 MiB
 *   /big-chunked             10 MiB in chunks, no Content-Length
 *   /redirect?to=URL         302 to URL;  /relative → 302 to /pdf;  /loop → 302 to itself
 *   /chain?n=N               N redirects, then the PDF
 *   /notfound                404
 *   POST /post               200, remembers the body and the Lob-Signature header
 *   POST /post-status        500;  /post-redirect → 301 to /post
 *   POST /post-big           200 with a 1 MiB body;  /post-slow → 200 after 1 s
 * fixture_rule() treats exactly the fixture's own address as public and applies the SSRF
 * table to every other address, so a test can follow a redirect from the fixture to a
 * private address as if the fixture were on the internet.
 */
#ifndef FRANK_HTTP_FIXTURE_H
#define FRANK_HTTP_FIXTURE_H
#include "net/ssrf.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FIXTURE_BIG (10u * 1024 * 1024)

static const char fixture_pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer "
				  "<< /Root 1 0 R >>\n%%EOF\n";
static const char fixture_png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
static const char fixture_html[] = "<!DOCTYPE html><html><body>hi</body></html>";

struct fixture {
	struct MHD_Daemon *d;
	unsigned port;
	atomic_int posts;		/* bodies received at /post */
	atomic_int connections;		/* TCP connections accepted */
	pthread_mutex_t mu;
	char last_body[256];
	char last_signature[128];
};

struct fixture_post {
	char buf[256];
	size_t len;
};

struct fixture_stream {
	size_t sent, total, chunk;
	useconds_t pause;
};

static ssize_t fixture_stream_cb(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct fixture_stream *s = cls;
	(void)pos;
	if (s->sent >= s->total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (s->pause)
		usleep(s->pause);
	size_t n = s->chunk < max ? s->chunk : max;
	if (n > s->total - s->sent)
		n = s->total - s->sent;
	memset(buf, 'x', n);
	s->sent += n;
	return (ssize_t)n;
}

static enum MHD_Result fixture_send(struct MHD_Connection *c, unsigned status, const void *body,
				    size_t len, const char *type, const char *location)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	if (location)
		MHD_add_response_header(r, "Location", location);
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result fixture_stream(struct MHD_Connection *c, uint64_t declared, size_t total,
				      size_t chunk, useconds_t pause)
{
	struct fixture_stream *s = calloc(1, sizeof(*s));
	s->total = total;
	s->chunk = chunk;
	s->pause = pause;
	struct MHD_Response *r = MHD_create_response_from_callback(declared, 65536,
								   fixture_stream_cb, s, free);
	enum MHD_Result rc = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result fixture_get(struct fixture *f, struct MHD_Connection *c, const char *url)
{
	char loc[256];
	if (strcmp(url, "/pdf") == 0)
		return fixture_send(c, 200, fixture_pdf, sizeof(fixture_pdf) - 1,
				    "Application/PDF; charset=binary", NULL);
	if (strcmp(url, "/png") == 0)
		return fixture_send(c, 200, fixture_png, sizeof(fixture_png) - 1,
				    "application/octet-stream", NULL);
	if (strcmp(url, "/html") == 0)
		return fixture_send(c, 200, fixture_html, sizeof(fixture_html) - 1, "text/html", NULL);
	if (strcmp(url, "/slow") == 0)
		return fixture_stream(c, MHD_SIZE_UNKNOWN, 1000, 10, 100000);
	if (strcmp(url, "/big") == 0)
		return fixture_stream(c, FIXTURE_BIG, FIXTURE_BIG, 65536, 0);
	if (strcmp(url, "/big-chunked") == 0)
		return fixture_stream(c, MHD_SIZE_UNKNOWN, FIXTURE_BIG, 65536, 0);
	if (strcmp(url, "/redirect") == 0) {
		const char *to = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "to");
		return fixture_send(c, 302, "", 0, NULL, to ? to : "/pdf");
	}
	if (strcmp(url, "/relative") == 0)
		return fixture_send(c, 302, "moved", 5, "text/plain", "/pdf");
	if (strcmp(url, "/loop") == 0)
		return fixture_send(c, 302, "", 0, NULL, "/loop");
	if (strcmp(url, "/chain") == 0) {
		const char *n = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "n");
		int left = n ? n[0] - '0' : 0;
		if (left <= 0)
			return fixture_send(c, 200, fixture_pdf, sizeof(fixture_pdf) - 1,
					    "application/pdf", NULL);
		snprintf(loc, sizeof(loc), "http://127.0.0.1:%u/chain?n=%d", f->port, left - 1);
		return fixture_send(c, 302, "", 0, NULL, loc);
	}
	return fixture_send(c, 404, "nope", 4, "text/plain", NULL);
}

static enum MHD_Result fixture_post_done(struct fixture *f, struct MHD_Connection *c,
					 const char *url, struct fixture_post *p)
{
	if (strcmp(url, "/post") == 0) {
		const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Lob-Signature");
		pthread_mutex_lock(&f->mu);
		snprintf(f->last_body, sizeof(f->last_body), "%.*s", (int)p->len, p->buf);
		snprintf(f->last_signature, sizeof(f->last_signature), "%s", sig ? sig : "");
		pthread_mutex_unlock(&f->mu);
		atomic_fetch_add(&f->posts, 1);
		return fixture_send(c, 200, "ok", 2, "text/plain", NULL);
	}
	if (strcmp(url, "/post-status") == 0)
		return fixture_send(c, 500, "boom", 4, "text/plain", NULL);
	if (strcmp(url, "/post-redirect") == 0)
		return fixture_send(c, 301, "", 0, NULL, "/post");
	if (strcmp(url, "/post-big") == 0)
		return fixture_stream(c, 1024 * 1024, 1024 * 1024, 65536, 0);
	if (strcmp(url, "/post-slow") == 0) {
		usleep(1000000);
		return fixture_send(c, 200, "late", 4, "text/plain", NULL);
	}
	return fixture_send(c, 404, "nope", 4, "text/plain", NULL);
}

static enum MHD_Result fixture_handler(void *cls, struct MHD_Connection *c, const char *url,
				       const char *method, const char *version,
				       const char *upload, size_t *upload_size, void **state)
{
	struct fixture *f = cls;
	(void)version;
	if (strcmp(method, "POST") != 0)
		return fixture_get(f, c, url);
	struct fixture_post *p = *state;
	if (!p) {
		*state = calloc(1, sizeof(struct fixture_post));
		return *state ? MHD_YES : MHD_NO;
	}
	if (*upload_size) {
		size_t room = sizeof(p->buf) - p->len;
		size_t n = *upload_size < room ? *upload_size : room;
		memcpy(p->buf + p->len, upload, n);
		p->len += n;
		*upload_size = 0;
		return MHD_YES;
	}
	return fixture_post_done(f, c, url, p);
}

static void fixture_completed(void *cls, struct MHD_Connection *c, void **state,
			      enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	free(*state);
	*state = NULL;
}

static void fixture_conn(void *cls, struct MHD_Connection *c, void **socket_context,
			 enum MHD_ConnectionNotificationCode code)
{
	struct fixture *f = cls;
	(void)c;
	(void)socket_context;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		atomic_fetch_add(&f->connections, 1);
}

static int fixture_start(struct fixture *f)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = 0,
				   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->mu, NULL);
	f->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
				0, NULL, NULL, fixture_handler, f,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
				MHD_OPTION_NOTIFY_COMPLETED, fixture_completed, f,
				MHD_OPTION_NOTIFY_CONNECTION, fixture_conn, f,
				MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	if (!f->d)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
	f->port = info ? info->port : 0;
	return f->port ? 0 : -1;
}

static void fixture_stop(struct fixture *f)
{
	MHD_stop_daemon(f->d);
	pthread_mutex_destroy(&f->mu);
}

/* "http://127.0.0.1:PORT" + path */
static const char *fixture_url(const struct fixture *f, const char *path, char *buf, size_t n)
{
	snprintf(buf, n, "http://127.0.0.1:%u%s", f->port, path);
	return buf;
}

/* net_addr_rule: the fixture's own address counts as public, everything else as the table says */
static bool fixture_rule(const struct sockaddr *sa, void *ctx)
{
	const struct fixture *f = ctx;
	if (sa->sa_family == AF_INET) {
		struct sockaddr_in sin;
		memcpy(&sin, sa, sizeof(sin));
		if (sin.sin_addr.s_addr == htonl(INADDR_LOOPBACK) && ntohs(sin.sin_port) == f->port)
			return true;
	}
	return ssrf_addr_allowed(sa, false);
}
#endif
