// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * DevTools protocol transport (see cdp.h). Callers register a pending slot under the lock,
 * write their command, and sleep on the condition variable until the reader thread files the
 * reply in their slot, the deadline passes, or the browser dies.
 */
#include "render/chromium/cdp.h"
#include "core/timeutil.h"
#include "render/chromium/cdp_process.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define SESSION_MAX 64		/* Chromium's session ids are 32 hex digits */
#define WRITE_TIMEOUT_MS 10000	/* a browser that stops reading is broken */
#define READ_CHUNK 65536

struct pending {
	int id;
	char session[SESSION_MAX];
	json_t *reply;		/* the whole message once it arrived */
	int status;		/* CDP_OK while waiting or answered; CDP_DETACHED */
	struct pending *next;
};

struct cdp {
	struct cdp_process proc;
	pthread_t reader;
	bool reader_started;
	cdp_event_fn on_event;
	void *user;

	pthread_mutex_t mu;	/* pending list, next_id, dead */
	pthread_cond_t cv;
	struct pending *pending;
	int next_id;
	atomic_bool dead;
	atomic_bool stopping;

	pthread_mutex_t write_mu;	/* one message at a time on the pipe */
};

long long cdp_now_ms(void)
{
	return clock_mono_ms();
}

int cdp_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, long long deadline)
{
	long long left = deadline - cdp_now_ms();
	if (left <= 0)
		return ETIMEDOUT;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += left / 1000;
	ts.tv_nsec += (left % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_sec++, ts.tv_nsec -= 1000000000L;
	return pthread_cond_timedwait(cv, mu, &ts);
}

static void copy_session(char dst[SESSION_MAX], const char *src)
{
	snprintf(dst, SESSION_MAX, "%s", src ? src : "");
}

/* every waiter wakes up and sees the browser is gone */
static void mark_dead(struct cdp *c)
{
	pthread_mutex_lock(&c->mu);
	atomic_store(&c->dead, true);
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

/* a crashed or closed target answers nothing more: fail its waiters now, not at their deadline */
static void detach_session(struct cdp *c, const char *session)
{
	if (!session || !session[0])
		return;
	pthread_mutex_lock(&c->mu);
	for (struct pending *p = c->pending; p; p = p->next)
		if (!p->reply && strcmp(p->session, session) == 0)
			p->status = CDP_DETACHED;
	pthread_cond_broadcast(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

static void handle_event(struct cdp *c, json_t *msg)
{
	const char *method = json_string_value(json_object_get(msg, "method"));
	const char *session = json_string_value(json_object_get(msg, "sessionId"));
	json_t *params = json_object_get(msg, "params");
	if (!method)
		return;
	if (strcmp(method, "Inspector.targetCrashed") == 0 ||
	    strcmp(method, "Inspector.detached") == 0)
		detach_session(c, session);
	else if (strcmp(method, "Target.detachedFromTarget") == 0)
		detach_session(c, json_string_value(json_object_get(params, "sessionId")));
	if (c->on_event)
		c->on_event(c, c->user, session ? session : "", method, params);
}

static void handle_message(struct cdp *c, const char *text, size_t len)
{
	json_t *msg = json_loadb(text, len, JSON_DISABLE_EOF_CHECK, NULL);
	if (!json_is_object(msg)) {
		json_decref(msg);
		return;	/* not ours to judge; a reply that never comes times out */
	}
	json_t *id = json_object_get(msg, "id");
	if (!json_is_integer(id)) {
		handle_event(c, msg);
		json_decref(msg);
		return;
	}
	pthread_mutex_lock(&c->mu);
	for (struct pending *p = c->pending; p; p = p->next)
		if (p->id == json_integer_value(id) && !p->reply) {
			p->reply = msg;
			msg = NULL;
			pthread_cond_broadcast(&c->cv);
			break;
		}
	pthread_mutex_unlock(&c->mu);
	json_decref(msg);	/* a late reply to a caller that gave up */
}

static void *reader_main(void *arg)
{
	struct cdp *c = arg;
	size_t cap = 1 << 20, len = 0, scanned = 0;
	char *buf = malloc(cap);
	while (buf && !atomic_load(&c->stopping)) {
		struct pollfd pfd = { .fd = c->proc.fd, .events = POLLIN };
		int r = poll(&pfd, 1, 250);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		if (len > CDP_MAX_MESSAGE)
			break;	/* one message larger than we accept: treat the browser as broken */
		if (cap - len < READ_CHUNK) {
			size_t ncap = cap * 2;
			char *nb = realloc(buf, ncap);
			if (!nb)
				break;
			buf = nb, cap = ncap;
		}
		ssize_t got = recv(c->proc.fd, buf + len, cap - len, 0);
		if (got < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (got <= 0)
			break;	/* EOF: the browser is gone */
		len += (size_t)got;
		size_t start = 0;
		for (size_t i = scanned; i < len; i++)
			if (buf[i] == '\0') {
				handle_message(c, buf + start, i - start);
				start = i + 1;
			}
		memmove(buf, buf + start, len - start);
		len -= start;
		scanned = len;
	}
	free(buf);
	mark_dead(c);
	return NULL;
}

/* write all of s and its NUL terminator; the caller holds write_mu */
static int write_message(struct cdp *c, const char *s, size_t len)
{
	size_t off = 0, total = len + 1;
	long long deadline = cdp_now_ms() + WRITE_TIMEOUT_MS;
	while (off < total) {
		ssize_t w = send(c->proc.fd, s + off, total - off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w > 0) {
			off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			long long left = deadline - cdp_now_ms();
			struct pollfd pfd = { .fd = c->proc.fd, .events = POLLOUT };
			if (left <= 0 || poll(&pfd, 1, (int)left) < 0 ||
			    (pfd.revents & (POLLERR | POLLHUP)))
				return -1;
			continue;
		}
		return -1;	/* EPIPE, ECONNRESET: the browser is gone */
	}
	return 0;
}

/* the command as text; params is stolen */
static char *encode(int id, const char *session, const char *method, json_t *params,
		    size_t *len)
{
	json_t *msg = json_object();
	json_object_set_new(msg, "id", json_integer(id));
	json_object_set_new(msg, "method", json_string(method));
	json_object_set_new(msg, "params", params ? params : json_object());
	if (session && session[0])
		json_object_set_new(msg, "sessionId", json_string(session));
	char *s = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (s)
		*len = strlen(s);
	return s;
}

static int send_text(struct cdp *c, const char *s, size_t len)
{
	pthread_mutex_lock(&c->write_mu);
	int rc = write_message(c, s, len);
	pthread_mutex_unlock(&c->write_mu);
	if (rc != 0) {
		/* a half-written message leaves the pipe unusable: the browser must be restarted */
		atomic_store(&c->dead, true);
		mark_dead(c);
	}
	return rc;
}

int cdp_send(struct cdp *c, const char *session, const char *method, json_t *params)
{
	if (atomic_load(&c->dead)) {
		json_decref(params);
		return -1;
	}
	pthread_mutex_lock(&c->mu);
	int id = ++c->next_id;
	pthread_mutex_unlock(&c->mu);
	size_t len;
	char *s = encode(id, session, method, params, &len);
	if (!s)
		return -1;
	int rc = send_text(c, s, len);
	free(s);
	return rc;
}

static void unlink_pending(struct cdp *c, struct pending *slot)
{
	for (struct pending **pp = &c->pending; *pp; pp = &(*pp)->next)
		if (*pp == slot) {
			*pp = slot->next;
			break;
		}
}

/* wait for slot's reply under c->mu; returns the status */
static int wait_reply(struct cdp *c, struct pending *slot, long long deadline)
{
	while (!slot->reply && slot->status == CDP_OK && !atomic_load(&c->dead))
		if (cdp_cond_wait_until(&c->cv, &c->mu, deadline) == ETIMEDOUT && cdp_now_ms() >= deadline)
			return CDP_TIMEOUT;
	if (slot->reply)
		return CDP_OK;
	return slot->status != CDP_OK ? slot->status : CDP_DEAD;
}

static int reply_result(json_t *reply, const char *method, json_t **result,
			struct api_error *err)
{
	json_t *error = json_object_get(reply, "error");
	if (error) {
		const char *m = json_string_value(json_object_get(error, "message"));
		const char *d = json_string_value(json_object_get(error, "data"));
		api_fail(err, ERR_INTERNAL, "chromium: %s: %s%s%s", method, m ? m : "error",
			 d ? ": " : "", d ? d : "");
		return CDP_ERROR;
	}
	if (result) {
		json_t *r = json_object_get(reply, "result");
		*result = r ? json_incref(r) : json_object();
	}
	return CDP_OK;
}

int cdp_call(struct cdp *c, const char *session, const char *method, json_t *params,
	     int timeout_ms, json_t **result, struct api_error *err)
{
	if (result)
		*result = NULL;
	if (atomic_load(&c->dead)) {
		json_decref(params);
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: the browser has exited");
		return CDP_DEAD;
	}
	struct pending slot = { .status = CDP_OK };
	copy_session(slot.session, session);
	pthread_mutex_lock(&c->mu);
	slot.id = ++c->next_id;
	slot.next = c->pending;
	c->pending = &slot;	/* registered before writing: the reply may beat us back */
	pthread_mutex_unlock(&c->mu);

	size_t len = 0;
	char *s = encode(slot.id, session, method, params, &len);
	int st = s ? send_text(c, s, len) == 0 ? CDP_OK : CDP_DEAD : CDP_ERROR;
	free(s);

	pthread_mutex_lock(&c->mu);
	if (st == CDP_OK)
		st = wait_reply(c, &slot, cdp_now_ms() + (timeout_ms > 0 ? timeout_ms : 1));
	unlink_pending(c, &slot);
	pthread_mutex_unlock(&c->mu);

	switch (st) {
	case CDP_OK:
		st = reply_result(slot.reply, method, result, err);
		break;
	case CDP_TIMEOUT:
		api_fail(err, ERR_REQUEST_TIMEOUT, "chromium: %s: no answer within %d ms", method,
			 timeout_ms);
		break;
	case CDP_DETACHED:
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: %s: the page crashed or closed",
			 method);
		break;
	case CDP_DEAD:
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: %s: the browser has exited",
			 method);
		break;
	default:
		api_fail(err, ERR_INTERNAL, "chromium: %s: the command could not be encoded",
			 method);
		break;
	}
	json_decref(slot.reply);
	return st;
}

bool cdp_dead(struct cdp *c)
{
	return atomic_load(&c->dead);
}

void cdp_kill(struct cdp *c)
{
	if (c->proc.pid > 0)
		kill(-c->proc.pid, SIGKILL);
	mark_dead(c);
}

pid_t cdp_pid(const struct cdp *c)
{
	return c->proc.pid;
}

void cdp_stop(struct cdp *c)
{
	if (!c)
		return;
	atomic_store(&c->stopping, true);
	if (c->proc.pid > 0)
		kill(-c->proc.pid, SIGKILL);
	if (c->proc.fd >= 0)
		shutdown(c->proc.fd, SHUT_RDWR);	/* wakes the reader */
	if (c->reader_started)
		pthread_join(c->reader, NULL);
	cdp_process_end(&c->proc);
	pthread_mutex_destroy(&c->mu);
	pthread_mutex_destroy(&c->write_mu);
	pthread_cond_destroy(&c->cv);
	free(c);
}

struct cdp *cdp_start(const char *path, const char *const *extra_args, cdp_event_fn on_event,
		      void *user, int timeout_ms, struct api_error *err)
{
	struct cdp *c = calloc(1, sizeof *c);
	if (!c) {
		api_fail(err, ERR_INTERNAL, "chromium: out of memory");
		return NULL;
	}
	c->on_event = on_event;
	c->user = user;
	c->proc.pid = -1;
	c->proc.fd = -1;
	pthread_mutex_init(&c->mu, NULL);
	pthread_mutex_init(&c->write_mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (cdp_process_start(&c->proc, path, extra_args, err) != 0) {
		cdp_stop(c);
		return NULL;
	}
	if (pthread_create(&c->reader, NULL, reader_main, c) != 0) {
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot start the reader thread");
		cdp_stop(c);
		return NULL;
	}
	c->reader_started = true;
	/* the first answer proves the binary is a browser that speaks the protocol */
	if (cdp_call(c, NULL, "Browser.getVersion", NULL, timeout_ms, NULL, err) != CDP_OK) {
		char why[sizeof err->message];
		memcpy(why, err->message, sizeof why);
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: %s did not start: %s", path, why);
		cdp_stop(c);
		return NULL;
	}
	return c;
}
