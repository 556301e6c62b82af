// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook deliveries as jobs (webhooks.h): the kinds, their policies and pools, and the
 * retention of finished deliveries.
 */
#include "events/webhooks.h"
#include "events/webhooks_internal.h"
#include "core/timeutil.h"
#include "net/post.h"
#include <stdio.h>
#include <string.h>

#define PURGE_EVERY_MS (60LL * 60 * 1000)
#define FANOUT_BATCH 64		/* events fanned out in one commit */
#define SEND_BATCH 32		/* one endpoint's deliveries sent in turn, recorded in one commit */

void webhook_delivery_job(const char *delivery_id, const char *webhook_id, long long due_ms,
			  struct store_job_new *out)
{
	*out = (struct store_job_new){ .kind = WEBHOOK_DELIVER, .ref = delivery_id,
				       .lane = webhook_id, .due_ms = due_ms };
}

void webhook_mask_secret(json_t *hook)
{
	const char *secret = json_string_value(json_object_get(hook, "secret"));
	if (!secret)
		return;
	char masked[16];
	size_t n = strlen(secret);
	snprintf(masked, sizeof(masked), "whsec_…%s", n > 4 ? secret + n - 4 : "");
	json_object_set_new(hook, "secret", json_string(masked));
}

/* finished deliveries past the retention leave the store */
static long purge_deliveries(void *ctx, struct api_error *err)
{
	struct webhooks *w = ctx;
	long long before = clock_now_ms() - w->opt.retention_ms;
	long ok = store_objects_purge(w->store, "webhook_delivery", "succeeded", before, err);
	long failed = ok < 0 ? -1 : store_objects_purge(w->store, "webhook_delivery", "failed",
							 before, err);
	return failed < 0 ? -1 : ok + failed;
}

int webhooks_register(struct jobs *j, struct webhooks *w)
{
	struct webhook_options *o = &w->opt;
	if (o->retry_base_ms <= 0)
		o->retry_base_ms = 60000;
	if (!o->senders)
		o->senders = 4;
	if (!o->per_endpoint)
		o->per_endpoint = 2;
	if (o->retention_ms <= 0)
		o->retention_ms = 30LL * 24 * 3600 * 1000;
	int fanout = jobs_add_pool(j, "fanout", 1);
	int send = jobs_add_pool(j, "webhooks", o->senders);
	if (fanout < 0 || send < 0)
		return -1;
	const struct job_kind kinds[] = {
		{ .name = JOB_WEBHOOK_FANOUT, .pool = (unsigned)fanout, .run = webhook_fanout_run,
		  .ctx = w,
		  .policy = { .backoff_base_ms = 1000, .backoff_cap_ms = 60000,
			      .lease_ms = 60000, .batch = FANOUT_BATCH } },
		/* a batch is one endpoint's; a POST takes at most 10 s: the lease outlasts them */
		{ .name = WEBHOOK_DELIVER, .pool = (unsigned)send, .run = webhook_deliver_run,
		  .ctx = w,
		  .policy = { .max_age_ms = WEBHOOK_RETRY_WINDOW_MS,
			      .backoff_base_ms = o->retry_base_ms,
			      .backoff_cap_ms = WEBHOOK_BACKOFF_CAP_MS,
			      .lease_ms = SEND_BATCH * NET_POST_DEFAULT_TIMEOUT_MS + 60000,
			      .batch = SEND_BATCH, .lane_limit = o->per_endpoint } },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (jobs_add_kind(j, &kinds[i]) < 0)
			return -1;
	return jobs_add_periodic(j, WEBHOOK_PURGE, PURGE_EVERY_MS, purge_deliveries, w);
}
