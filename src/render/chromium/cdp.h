// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The Chrome DevTools protocol over a pipe: start a headless Chromium with
 * --remote-debugging-pipe (it reads commands on fd 3 and writes replies and events on fd 4,
 * each message one NUL-terminated JSON text), send commands, wait for their replies, and
 * route events. Thread-safe: any number of threads may call at once; one reader thread per
 * browser matches replies to callers by id. docs/internals/render_chromium.md.
 */
#ifndef FRANK_RENDER_CDP_H
#define FRANK_RENDER_CDP_H
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include "core/err.h"

/* the largest message accepted from the browser (print data is read in chunks below this) */
#define CDP_MAX_MESSAGE ((size_t)64 << 20)

/* outcomes of cdp_call */
enum cdp_status {
	CDP_OK = 0,
	CDP_ERROR = -1,		/* the browser answered with a protocol error */
	CDP_TIMEOUT = -2,	/* no answer in time: the target is in an unknown state */
	CDP_DEAD = -3,		/* the browser exited, closed the pipe or broke the protocol */
	CDP_DETACHED = -4,	/* the session's target crashed or went away */
};

struct cdp;

/*
 * Called on the reader thread for every event (a message without an id), after the transport
 * has acted on it. session is "" for browser-level events. The callback may call cdp_send
 * but never cdp_call (the reader would wait for itself). params is borrowed.
 */
typedef void (*cdp_event_fn)(struct cdp *c, void *user, const char *session,
			     const char *method, json_t *params);

/*
 * Start the browser at path (e.g. /usr/bin/chromium) in a fresh temporary profile with the
 * flags headless rendering needs, plus extra_args (NULL-terminated, may be NULL), and check
 * that it answers. NULL with *err (ERR_SERVICE_UNAVAILABLE) when it cannot be started.
 */
struct cdp *cdp_start(const char *path, const char *const *extra_args, cdp_event_fn on_event,
		      void *user, int timeout_ms, struct api_error *err);

/*
 * Send method with params (stolen; NULL for none) to session ("" or NULL: the browser) and wait
 * up to timeout_ms for the reply. On CDP_OK, *result (if result is not NULL) is the reply's
 * "result" object (a new reference). Any other status sets *err (ERR_INTERNAL for protocol
 * errors, ERR_SERVICE_UNAVAILABLE for a dead browser, ERR_REQUEST_TIMEOUT for a timeout).
 */
int cdp_call(struct cdp *c, const char *session, const char *method, json_t *params,
	     int timeout_ms, json_t **result, struct api_error *err);

/* send without waiting for the reply (event handlers answer with this); 0 or -1 */
int cdp_send(struct cdp *c, const char *session, const char *method, json_t *params);

/* kill the browser now (its waiters fail at once); c stays valid until cdp_stop */
void cdp_kill(struct cdp *c);

/* true once the browser has gone (exit, EOF, protocol violation) */
bool cdp_dead(struct cdp *c);

/* the browser's process id (its process group holds all its helpers) */
pid_t cdp_pid(const struct cdp *c);

/* kill the browser and all its processes, wait for it, remove its profile, free c */
void cdp_stop(struct cdp *c);
/* the monotonic clock in ms, and a condition wait until such a deadline (ETIMEDOUT after it) */
long long cdp_now_ms(void);
int cdp_cond_wait_until(pthread_cond_t *cv, pthread_mutex_t *mu, long long deadline);
#endif
