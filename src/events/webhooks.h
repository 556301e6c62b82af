// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook deliveries (a Frank extension with Lob's semantics), as three kinds of jobs:
 *   webhook.fanout   an event (enqueued by the store with the event, when its account and mode
 *                    have a webhook) becomes one pending `webhook_delivery` per enabled webhook
 *                    subscribed to its type, each with its delivery job — in the transaction
 *                    that settles the fan-out, so an event is fanned out exactly once;
 *   webhook.deliver  one attempt: the event POSTed, signed as Lob signs (`Lob-Signature` = hex
 *                    HMAC-SHA256(secret, timestamp "." body), `Lob-Signature-Timestamp` = epoch
 *                    ms), recorded on the delivery with the job's settle; failures retried with
 *                    backoff for 3 days, then the delivery fails and the webhook is disabled
 *                    (`webhook.disabled`). Each webhook is a lane: a few senders share the
 *                    endpoints fairly, at most `per_endpoint` at a time on one endpoint;
 *   webhook.purge    finished deliveries older than the retention leave the store (hourly).
 * Redirects are failures; the SSRF rules of remote files apply (allow_private lifts them).
 */
#ifndef FRANK_EVENTS_WEBHOOKS_H
#define FRANK_EVENTS_WEBHOOKS_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "jobs/jobs.h"
#include "store/store.h"

#define WEBHOOK_RETRY_WINDOW_MS (3LL * 24 * 3600 * 1000)	/* retry for 3 days */
#define WEBHOOK_BACKOFF_CAP_MS (6LL * 3600 * 1000)
#define WEBHOOK_SIGNATURE_HEX 64
#define WEBHOOK_DELIVER "webhook.deliver"
#define WEBHOOK_PURGE "webhook.purge"

struct webhook_options {
	bool allow_private;		/* FRANK_ALLOW_PRIVATE_URLS=1 */
	long long retry_base_ms;	/* the first retry's delay (doubling, capped at 6 h) */
	unsigned senders;		/* threads sending deliveries */
	unsigned per_endpoint;		/* deliveries to one webhook at once */
	long long retention_ms;		/* finished deliveries are kept this long */
};

/* what the handlers share; the caller's, alive until the jobs runtime is stopped */
struct webhooks {
	struct store *store;
	struct webhook_options opt;
};

/* registers the three kinds and the senders' pool on j; 0, or -1 */
int webhooks_register(struct jobs *j, struct webhooks *w);

/* the job that sends delivery delivery_id (of webhook webhook_id) at due_ms */
void webhook_delivery_job(const char *delivery_id, const char *webhook_id, long long due_ms,
			  struct store_job_new *out);

/* hook's secret as every read shows it: whsec_…abcd */
void webhook_mask_secret(json_t *hook);

/* hex HMAC-SHA256(secret, timestamp "." body): Lob's Lob-Signature */
void webhook_signature(const char *secret, const char *timestamp, const char *body, size_t len,
		       char out[WEBHOOK_SIGNATURE_HEX + 1]);
/* the delay before attempt n+1 (n ≥ 1 failed attempts so far): 60 s-style doubling from
 * base_ms, capped at 6 h, with ±20% jitter */
long long webhook_backoff_ms(long long base_ms, unsigned failed_attempts, unsigned jitter_seed);
#endif
