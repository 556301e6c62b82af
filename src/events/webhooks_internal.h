// SPDX-License-Identifier: AGPL-3.0-or-later
/* The handlers of webhooks.h's job kinds, each in its own file; webhooks.c registers them. */
#ifndef FRANK_EVENTS_WEBHOOKS_INTERNAL_H
#define FRANK_EVENTS_WEBHOOKS_INTERNAL_H
#include "jobs/jobs.h"

/* ctx: struct webhooks */
void webhook_fanout_run(void *ctx, struct job_run *runs, size_t n);	/* webhook_fanout.c */
void webhook_deliver_run(void *ctx, struct job_run *runs, size_t n);	/* webhook_send.c */
#endif
