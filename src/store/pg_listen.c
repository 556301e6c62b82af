// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * PostgreSQL only: a connection that LISTENs on the jobs channel. Another node's commit that
 * enqueued or rescheduled jobs NOTIFYs it (sqlite_writer.c); this thread then hands "look
 * at every kind" to the writer's listener, the same call a local commit makes, so workers
 * sleeping until their next due time wake for work any node queued. Without it a node would
 * see other nodes' jobs only at its own next due time. The same connection hears the test
 * clock move on another node (clock_shared.c) and moves this node's. The connection is its
 * own (LISTEN holds it) and comes back by itself after the server does.
 */
#include "store/sqlite_conn.h"
#include "store/db_impl.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include <libpq-fe.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define POLL_MS 500	/* how soon the thread sees it must stop */

struct pg_listener {
	struct store *s;
	char *conninfo;
	PGconn *conn;
	pthread_t thread;
	atomic_bool stop;
};

static bool listen_on(struct pg_listener *l)
{
	if (PQstatus(l->conn) != CONNECTION_OK)
		return false;
	PGresult *r = PQexec(l->conn, "LISTEN " PG_JOBS_CHANNEL "; LISTEN " PG_CLOCK_CHANNEL);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

static void wake_workers(struct store *s)
{
	struct store_jobs_news all = { .more = true };
	struct writer *w = &s->writer;
	pthread_mutex_lock(&w->listen_lock);
	if (w->listen)
		w->listen(w->listen_ctx, &all);
	pthread_mutex_unlock(&w->listen_lock);
}

static void *listen_main(void *arg)
{
	struct pg_listener *l = arg;
	pthread_setname_np(pthread_self(), "frank-pg-listen");
	bool listening = listen_on(l);
	while (!atomic_load(&l->stop)) {
		if (!listening) {
			/* the server went away: try again each second; notifications sent
			 * meanwhile are lost, so wake the workers once we are back */
			sleep(1);
			PQreset(l->conn);
			if ((listening = listen_on(l))) {
				log_msg(LOG_INFO, "store: PostgreSQL listener reconnected");
				wake_workers(l->s);
			}
			continue;
		}
		struct pollfd p = { .fd = PQsocket(l->conn), .events = POLLIN };
		if (p.fd < 0 || poll(&p, 1, POLL_MS) < 0 || !PQconsumeInput(l->conn)) {
			listening = false;
			continue;
		}
		bool news = false;
		for (PGnotify *n; (n = PQnotifies(l->conn)) != NULL; PQfreemem(n)) {
			long long offset;
			if (strcmp(n->relname, PG_CLOCK_CHANNEL) != 0)
				news = true;
			else if (clock_is_test() &&
				 parse_llong(n->extra, -(1LL << 62), 1LL << 62, &offset) == 0)
				clock_advance_to(offset);
		}
		if (news)
			wake_workers(l->s);
	}
	return NULL;
}

int pg_listen_start(struct store *s, const struct store_options *opt, struct api_error *err)
{
	struct pg_listener *l = calloc(1, sizeof(*l));
	if (!l || !(l->conninfo = strdup(opt->database))) {
		free(l);
		return api_fail(err, ERR_INTERNAL, "out of memory");
	}
	l->s = s;
	l->conn = pg_connect(l->conninfo);
	if (PQstatus(l->conn) != CONNECTION_OK) {
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "cannot open the store's listener: %.*s",
			 (int)strcspn(PQerrorMessage(l->conn), "\n"), PQerrorMessage(l->conn));
		PQfinish(l->conn);
		free(l->conninfo);
		free(l);
		return -1;
	}
	if (pthread_create(&l->thread, NULL, listen_main, l) != 0) {
		PQfinish(l->conn);
		free(l->conninfo);
		free(l);
		return api_fail(err, ERR_INTERNAL, "cannot start the store's listener thread");
	}
	s->listener = l;
	return 0;
}

void pg_listen_stop(struct store *s)
{
	struct pg_listener *l = s->listener;
	if (!l)
		return;
	atomic_store(&l->stop, true);
	pthread_join(l->thread, NULL);
	PQfinish(l->conn);
	free(l->conninfo);
	free(l);
	s->listener = NULL;
}
