// SPDX-License-Identifier: AGPL-3.0-or-later
/* The HTTP transport (libmicrohttpd): reads requests into struct req and runs the router. */
#ifndef FRANK_SERVER_H
#define FRANK_SERVER_H
#include "http/app.h"

struct server;

struct server_options {
	const char *host;	/* "127.0.0.1", "0.0.0.0", "localhost", "::1" */
	unsigned port;		/* 0: any free port */
	unsigned threads;	/* HTTP threads */
	unsigned timeout_s;	/* idle connection timeout */
};

/*
 * Binds and listens on opt's address (port 0: any free one), before anything is served:
 * connections wait in the backlog until server_start. The socket and the port bound; 0, or
 * -1 with a message in errbuf.
 */
int server_bind(const struct server_options *opt, int *fd, unsigned *port, char *errbuf,
		size_t errlen);
/* serves requests on the bound socket (the server owns it from now on); NULL with a message
 * in errbuf. Caller stops with server_stop(). */
struct server *server_start(struct app *app, const struct server_options *opt, int listen_fd,
			    char *errbuf, size_t errlen);
/* the port actually bound */
unsigned server_port(const struct server *srv);
/* stops accepting new connections and waits (bounded) for the requests waiting on a write */
void server_quiesce(struct server *srv);
/* quiesces, lets in-flight requests finish, frees everything */
void server_stop(struct server *srv);
#endif
