// SPDX-License-Identifier: AGPL-3.0-or-later
/* Sign-in limits: two fixed-window limiters (see ratelimit_signin.h). */
#include "http/ratelimit_signin.h"
#include "http/ratelimit.h"
#include <stdio.h>
#include <stdlib.h>

struct signin_limit {
	struct ratelimit *per_address;
	struct ratelimit *per_email;
};

struct signin_limit *signin_limit_new(void)
{
	struct ratelimit_config addr = { .limit = SIGNIN_PER_ADDRESS, .window_s = SIGNIN_WINDOW_S };
	struct ratelimit_config all = { .limit = SIGNIN_PER_EMAIL, .window_s = SIGNIN_WINDOW_S };
	struct signin_limit *sl = calloc(1, sizeof(*sl));
	if (!sl)
		return NULL;
	sl->per_address = ratelimit_new(&addr);
	sl->per_email = ratelimit_new(&all);
	if (!sl->per_address || !sl->per_email) {
		signin_limit_free(sl);
		return NULL;
	}
	return sl;
}

void signin_limit_free(struct signin_limit *sl)
{
	if (!sl)
		return;
	ratelimit_free(sl->per_address);
	ratelimit_free(sl->per_email);
	free(sl);
}

/* 0, or the seconds until the window of a denied take ends */
static long long take(struct ratelimit *rl, const char *key, long long now_ms)
{
	struct ratelimit_result res;
	ratelimit_take(rl, key, now_ms, &res);
	if (res.allowed)
		return 0;
	long long wait = res.reset_epoch_s - now_ms / 1000;
	return wait > 0 ? wait : 1;
}

long long signin_limit_take(struct signin_limit *sl, const char *email, const char *client,
			    long long now_ms)
{
	char key[600];
	if (!sl)
		return 0;
	/* the address first: a denied attempt there does not use the e-mail's shared budget */
	snprintf(key, sizeof(key), "%s|%s", client, email);
	long long wait = take(sl->per_address, key, now_ms);
	if (!wait)
		wait = take(sl->per_email, email, now_ms);
	if (wait)
		metric_inc(&ratelimit_refusals, "signin");
	return wait;
}
