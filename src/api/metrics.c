// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * GET /metrics (Prometheus text format 0.0.4) and GET /readyz. The counters and histograms
 * are counted where things happen (core/metrics.h); what is a state rather than an event
 * — jobs by kind and state, store size, readiness — is read here, at scrape time, with
 * indexed queries (store/ops_store.h). /metrics answers on the main listener to operator
 * keys (route_profile_operator), and without credentials on --metrics-listen.
 */
#include "api/metrics.h"
#include "core/metrics.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "jobs/jobs.h"
#include "render/html_pdf.h"
#include "store/assets.h"
#include "store/ops_store.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSET_USAGE_TTL_MS 60000	/* a walk of the asset tree: at most once a minute */

static const struct metric jobs_count = {
	"frank_jobs", "Jobs in the jobs table, by kind and state (queued, running, done, dead)",
	METRIC_GAUGE, { "kind", "state" }, NULL, 0
};
static const struct metric jobs_oldest = {
	"frank_jobs_oldest_due_seconds",
	"How long the queued job of a kind that has waited longest has been due (0: none is late)",
	METRIC_GAUGE, { "kind" }, NULL, 0
};
static const struct metric db_bytes = {
	"frank_store_database_bytes", "Bytes of the database on disk (pages and the WAL)",
	METRIC_GAUGE, { NULL }, NULL, 0
};
static const struct metric asset_bytes = {
	"frank_store_asset_bytes",
	"Bytes of the content-addressed asset files (counted at most once a minute)", METRIC_GAUGE,
	{ NULL }, NULL, 0
};
static const struct metric asset_files = {
	"frank_store_asset_files", "Asset files (counted at most once a minute)", METRIC_GAUGE,
	{ NULL }, NULL, 0
};
static const struct metric ready = {
	"frank_ready", "1 when /readyz answers 200 (store open, renderer up, jobs running)",
	METRIC_GAUGE, { NULL }, NULL, 0
};
static const struct metric scrape_seconds = {
	"frank_metrics_scrape_seconds", "Time the previous scrape took to read the store",
	METRIC_GAUGE, { NULL }, NULL, 0
};

/* one scrape at a time refreshes the scrape-time gauges (zeroed, then set) */
static pthread_mutex_t scrape_lock = PTHREAD_MUTEX_INITIALIZER;
static long long usage_read_ms = -ASSET_USAGE_TTL_MS;

static const char *state_name(enum store_job_state s)
{
	switch (s) {
	case JOB_QUEUED: return "queued";
	case JOB_RUNNING: return "running";
	case JOB_DONE: return "done";
	case JOB_DEAD: return "dead";
	}
	return "unknown";
}

static void count_jobs(const struct store_job_count *c, void *ctx)
{
	long long now = *(const long long *)ctx;
	metric_set(&jobs_count, (double)c->n, (const char *const[]){ c->kind, state_name(c->state) });
	if (c->state == JOB_QUEUED)
		metric_set(&jobs_oldest, c->min_due_ms < now ? (double)(now - c->min_due_ms) / 1000.0 : 0,
			   (const char *const[]){ c->kind });
}

/* what is missing for /readyz, "" when ready */
static void not_ready(struct app *app, char *why, size_t n)
{
	char part[200];
	why[0] = '\0';
	if (!store_ready(app->store, part, sizeof(part)))
		snprintf(why + strlen(why), n - strlen(why), "store: %s; ", part);
	if (!html_renderer_ready(app->html, part, sizeof(part)))
		snprintf(why + strlen(why), n - strlen(why), "renderer: %s; ", part);
	if (!jobs_running(app->jobs, part, sizeof(part)))
		snprintf(why + strlen(why), n - strlen(why), "jobs: %s; ", part);
	size_t len = strlen(why);
	if (len >= 2)
		why[len - 2] = '\0';
}

static void refresh(struct req *rq)
{
	struct api_error err;
	struct timespec t0, t1;
	char why[600];
	long long now = clock_now_ms(), bytes;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	metric_zero(&jobs_count);
	metric_zero(&jobs_oldest);
	store_jobs_counts(rq->app->store, count_jobs, &now, &err);
	if (store_db_bytes(rq->app->store, rq->app->data_dir, &bytes, &err) == 0)
		metric_set(&db_bytes, (double)bytes, NULL);
	if (rq->now_ms - usage_read_ms >= ASSET_USAGE_TTL_MS || rq->now_ms < usage_read_ms) {
		unsigned long long files, total;
		if (assets_usage(rq->app->data_dir, &files, &total) == 0) {
			metric_set(&asset_files, (double)files, NULL);
			metric_set(&asset_bytes, (double)total, NULL);
			usage_read_ms = rq->now_ms;
		}
	}
	not_ready(rq->app, why, sizeof(why));
	metric_set(&ready, why[0] ? 0 : 1, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	metric_set(&scrape_seconds,
		   (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, NULL);
}

int api_metrics(struct req *rq, struct api_error *err)
{
	size_t len = 0;
	pthread_mutex_lock(&scrape_lock);
	refresh(rq);
	char *text = metrics_render(&len);
	pthread_mutex_unlock(&scrape_lock);
	if (!text)
		return api_fail(err, ERR_INTERNAL, "out of memory rendering the metrics");
	rq->resp_body = arena_strndup(rq->arena, text, len);
	free(text);
	rq->resp_len = len;
	rq->resp_type = "text/plain; version=0.0.4; charset=utf-8";
	rq->status = 200;
	return 0;
}

int api_readyz(struct req *rq, struct api_error *err)
{
	char why[600];
	not_ready(rq->app, why, sizeof(why));
	if (why[0])
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "not ready: %s", why);
	json_t *body = json_pack("{ss}", "status", "ready");
	respond_json(rq, 200, body);
	json_decref(body);
	return 0;
}
