/*
 * Store calls of the test-mode tracking simulation (mail/simulate.c): one journey row per
 * test mail piece — the step it has reached and when the next is due — found by following
 * the objects table in insertion order with a durable cursor, so no piece is missed and a
 * finished journey costs nothing more.
 */
#ifndef FRANK_STORE_TRACKING_STORE_H
#define FRANK_STORE_TRACKING_STORE_H
#include <stddef.h>
#include "core/err.h"
#include "store/store.h"

struct store_journey {
	char object_id[40], account_id[40], kind[32];
	int step;		/* the next step of the piece's journey */
	long long due_ms;	/* when it is due */
};

/*
 * Looks at up to max objects stored since the last call (any kind and mode; the cursor moves
 * past them in the same transaction) and starts a journey — step 0, due at its send_date —
 * for each test-mode object of one of kinds (NULL-terminated) that has a send_date.
 * Returns the number of objects looked at (max: call again, more are waiting), or -1.
 */
int store_journeys_discover(struct store *s, const char *const *kinds, size_t max,
			    struct api_error *err);

/* journeys due at now_ms, soonest first: at most max into out; the number, or -1 */
int store_journeys_due(struct store *s, long long now_ms, struct store_journey *out, size_t max,
		       struct api_error *err);

/* moves a journey to step, due at due_ms; due_ms < 0 ends it (the row goes). 0 or -1 */
int store_journey_set(struct store *s, const char *object_id, int step, long long due_ms,
		      struct api_error *err);
#endif
