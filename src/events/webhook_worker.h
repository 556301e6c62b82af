/*
 * Webhook deliveries (a Frank extension with Lob's semantics). A dispatcher thread follows the
 * event log in commit order and, for every enabled webhook of the event's account and mode
 * subscribed to its type, stores a delivery (`webhook_delivery`, pending) — the cursor moves in
 * the same transaction, so each event is fanned out exactly once, even across crashes. A
 * sender thread POSTs due deliveries, signed as Lob signs (`Lob-Signature` = hex
 * HMAC-SHA256(secret, timestamp "." body), `Lob-Signature-Timestamp` = epoch ms), records each
 * attempt, and retries failures with exponential backoff and jitter for 3 days. Redirects are
 * failures; the SSRF rules of remote files apply (FRANK_ALLOW_PRIVATE_URLS=1 lifts them).
 */
#ifndef FRANK_EVENTS_WEBHOOK_WORKER_H
#define FRANK_EVENTS_WEBHOOK_WORKER_H
#include <stdbool.h>
#include <stddef.h>
#include "store/store.h"

#define WEBHOOK_RETRY_WINDOW_MS (3LL * 24 * 3600 * 1000)	/* retry for 3 days */
#define WEBHOOK_SIGNATURE_HEX 64

struct webhook_worker;

/*
 * starts the dispatcher and the sender. retry_base_ms: the first retry delay (doubling,
 * capped at 6 h); tests shorten it (FRANK_WEBHOOK_RETRY_BASE_MS). NULL on failure.
 */
struct webhook_worker *webhook_worker_start(struct store *s, bool allow_private,
					    long long retry_base_ms);
/* wakes both threads (new events or a manual retry) */
void webhook_worker_poke(struct webhook_worker *w);
/* finishes the delivery in flight and stops */
void webhook_worker_stop(struct webhook_worker *w);

/* hex HMAC-SHA256(secret, timestamp "." body): Lob's Lob-Signature */
void webhook_signature(const char *secret, const char *timestamp, const char *body, size_t len,
		       char out[WEBHOOK_SIGNATURE_HEX + 1]);
/* the delay before attempt n+1 (n ≥ 1 failed attempts so far), with ±20% jitter */
long long webhook_backoff_ms(long long base_ms, unsigned failed_attempts, unsigned jitter_seed);
#endif
