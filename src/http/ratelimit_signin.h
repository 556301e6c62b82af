// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Sign-in limits, against password guessing: attempts for one e-mail are counted per client
 * address and, more loosely, from everywhere. A flood for one e-mail from one address is
 * stopped at that address (the e-mail's owner elsewhere still signs in, other e-mails are
 * untouched); a flood spread over many addresses is stopped by the e-mail's own budget.
 * Always on, whatever --rate-limit says: it protects passwords, not capacity.
 */
#ifndef FRANK_HTTP_RATELIMIT_SIGNIN_H
#define FRANK_HTTP_RATELIMIT_SIGNIN_H

#define SIGNIN_WINDOW_S 300
#define SIGNIN_PER_ADDRESS 10	/* attempts for one e-mail from one address per window */
#define SIGNIN_PER_EMAIL 50	/* attempts for one e-mail from all addresses per window */

struct signin_limit;

/* NULL when out of memory; free with signin_limit_free() (NULL is a no-op) */
struct signin_limit *signin_limit_new(void);
void signin_limit_free(struct signin_limit *sl);

/*
 * Counts one sign-in attempt for email (normalized) from client at now_ms: 0 when allowed,
 * else the seconds until the next attempt may go through. NULL sl: no limit. Thread-safe.
 */
long long signin_limit_take(struct signin_limit *sl, const char *email, const char *client,
			    long long now_ms);
#endif
