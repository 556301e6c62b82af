// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Per-key fixed-window request counter behind Lob's rate limit ("150 requests per 5 seconds
 * per endpoint", per API key): it counts and answers allowed/denied with the values for the
 * X-Rate-Limit-{Limit,Remaining,Reset} headers. It knows nothing of HTTP, keys or routes.
 */
#ifndef FRANK_HTTP_RATELIMIT_H
#define FRANK_HTTP_RATELIMIT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/metrics.h"

/* valid ranges for ratelimit_config_parse() */
#define RATELIMIT_LIMIT_MAX 1000000u
#define RATELIMIT_WINDOW_MAX 86400u

/*
 * Hard cap on tracked keys. Past it, expired entries are reclaimed; if the table is still
 * full, new keys are allowed without being counted (see ratelimit_take()).
 */
#define RATELIMIT_MAX_ENTRIES 100000u

struct ratelimit_config {
	unsigned limit;		/* requests per window, 1..RATELIMIT_LIMIT_MAX */
	unsigned window_s;	/* window length in seconds, 1..RATELIMIT_WINDOW_MAX */
	bool off;		/* no limit at all */
};

/*
 * Parses "N/SECONDS" (e.g. "150/5", Lob's default) or "off" into *out. Plain decimal
 * digits only: no sign, spaces or suffix. Returns 0, or -1 with a message in errbuf
 * (always NUL-terminated when errlen > 0) and *out untouched.
 */
int ratelimit_config_parse(const char *s, struct ratelimit_config *out, char *errbuf,
			   size_t errlen);

struct ratelimit_result {
	unsigned limit;		/* X-Rate-Limit-Limit; 0 when limiting is off */
	unsigned remaining;	/* X-Rate-Limit-Remaining, after counting this request */
	long long reset_epoch_s; /* X-Rate-Limit-Reset: UTC epoch second the window ends */
	bool allowed;		/* false: answer 429 rate_limit_exceeded */
};

struct ratelimit;

/*
 * A new limiter for *cfg (copied; must be valid, as ratelimit_config_parse() makes it).
 * Caller frees with ratelimit_free(). NULL when out of memory.
 */
struct ratelimit *ratelimit_new(const struct ratelimit_config *cfg);

/* Frees the limiter and every entry. NULL is a no-op. No take() may be running. */
void ratelimit_free(struct ratelimit *rl);

/*
 * Counts one request for key (the caller builds it, e.g. "<key id>|<route pattern>") at
 * now_ms (UTC epoch milliseconds, >= 0) and fills *out. Thread-safe.
 *
 * Windows are fixed and per key: a window starts at the key's first request after the
 * previous one ended and lasts window_s seconds, rounded up to a whole second so that
 * reset_epoch_s is exactly when the next window may start. A denied request is not
 * counted. With cfg->off every request is allowed and out->limit is 0.
 */
void ratelimit_take(struct ratelimit *rl, const char *key, long long now_ms,
		    struct ratelimit_result *out);

/*
 * Several nodes behind one address: fn counts one request for key at now_ms where they all
 * see it (the PostgreSQL store), a new window ending at new_end_ms; it fills the window's end
 * and its count including this request, 0, or -1 to fall back to this node's count.
 */
typedef int (*ratelimit_shared_fn)(void *ctx, const char *key, long long now_ms,
				   long long new_end_ms, long long *end_ms, long long *count);
/* counts through fn from now on (call before requests are served) */
void ratelimit_share(struct ratelimit *rl, ratelimit_shared_fn fn, void *ctx);

/* Number of keys tracked right now, expired or not (for /metrics and tests). Thread-safe. */
size_t ratelimit_count(struct ratelimit *rl);

/* requests refused by a limit (429), by limit: a route profile's name, or "signin" */
extern const struct metric ratelimit_refusals;
#endif
