// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What an operator's scrape reads from the store (GET /metrics, /readyz): cheap, indexed
 * reads only, fit to run every few seconds.
 */
#ifndef FRANK_OPS_STORE_H
#define FRANK_OPS_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "store/jobs_store.h"

struct store_job_count {
	char kind[JOB_KIND_MAX];
	enum store_job_state state;
	long long n;
	long long min_due_ms;	/* the earliest due time among them (frankd's clock) */
};

/*
 * fn for each kind and state that has jobs: one pass over the jobs_due index (kind, state,
 * due_ms), which covers the query; done jobs are purged after an hour, so it stays short.
 * 0 or -1 with *err.
 */
int store_jobs_counts(struct store *s, void (*fn)(const struct store_job_count *c, void *ctx),
		      void *ctx, struct api_error *err);

/* the database's bytes on disk: pages in use and free, plus the WAL not checkpointed yet */
int store_db_bytes(struct store *s, const char *data_dir, long long *bytes,
		   struct api_error *err);

/* true when a pooled connection answers a query; false with why */
bool store_ready(struct store *s, char *why, size_t n);
#endif
