// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Rate-limit windows shared by every node on one PostgreSQL database (http/ratelimit.c uses
 * them there; one SQLite node counts in memory). A fixed window per key, as the limiter's
 * own: the first request after a window ended opens the next.
 */
#ifndef FRANK_RATE_STORE_H
#define FRANK_RATE_STORE_H
#include "store/store.h"

/*
 * Counts one request for key at now_ms; a new window would end at new_end_ms. Fills the
 * window's end and its count including this request. Not through the writer: a lost count
 * costs nothing, and the request must not wait for a group commit. 0 or -1.
 */
int store_rate_take(struct store *s, const char *key, long long now_ms, long long new_end_ms,
		    long long *end_ms, long long *count);
#endif
