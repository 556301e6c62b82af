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

/* starts listening; NULL with a message in errbuf. Caller stops with server_stop(). */
struct server *server_start(struct app *app, const struct server_options *opt, char *errbuf,
			    size_t errlen);
/* the port actually bound */
unsigned server_port(const struct server *srv);
/* stops accepting, lets in-flight requests finish, frees everything */
void server_stop(struct server *srv);
#endif
