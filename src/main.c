// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frankd: configuration → store → the listening socket (its port names the links) → default
 * account (first start) → renderer → background jobs (rendering among them) → HTTP server:
 * the whole state is built before the first request is read. On SIGTERM/SIGINT: stop
 * accepting, let writes in flight answer, stop the jobs (bounded: a job running finishes),
 * then the HTTP threads, then the renderer.
 */
#include "api/accounts.h"
#include "api/campaigns.h"
#include "api/routes.h"
#include "av/verify.h"
#include "core/config.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "core/version.h"
#include "http/app.h"
#include "mail/ledger.h"
#include "mail/postal_identity.h"
#include "mail/render_jobs.h"
#include "mail/creative_preview.h"
#include "mail/render_piece.h"
#include "pdf/budget.h"
#include "render/chromium/cdp_sandbox.h"
#include "render/html_pdf.h"
#include "events/webhooks.h"
#include "jobs/jobs.h"
#include "mail/simulate.h"
#include "mail/upload_validate.h"
#include "production/runs.h"
#include "http/ratelimit.h"
#include "http/ratelimit_signin.h"
#include "store/rate_store.h"
#include "store/clock_store.h"
#include "http/server.h"
#include "store/backup.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_first_start(const struct account_keys *k, const char *url)
{
	char *json = accounts_keys_json(k);
	printf("Created the default account %s. Its API keys (shown only now; keep them):\n"
	       "  test secret:       %s\n  live secret:       %s\n"
	       "  test publishable:  %s\n  live publishable:  %s\n%s\n\n"
	       "Try it:\n  curl %s/v1/addresses -u %s:\n\n"
	       "With a Lob SDK, keep your code and change the base URL, e.g. TypeScript:\n"
	       "  new Configuration({ username: \"%s\", basePath: \"%s/v1\" })\n\n",
	       k->account_id, k->test_secret, k->live_secret, k->test_publishable,
	       k->live_publishable, json ? json : "", url, k->test_secret, k->test_secret, url);
	free(json);
	fflush(stdout);
}

static int ensure_account(struct store *s, const char *url)
{
	struct api_error err;
	struct account_keys keys;
	long n = store_account_count(s);
	if (n < 0)
		return -1;
	if (n > 0)
		return 0;
	if (accounts_create(s, "default", &keys, &err) < 0) {
		log_msg(LOG_ERROR, "cannot create the default account: %s", err.message);
		return -1;
	}
	print_first_start(&keys, url);
	return 0;
}

/* several nodes on PostgreSQL count each limit's windows together (rate_store.h) */
struct shared_limit {
	struct store *store;
	const char *name;	/* keeps the two limiters' keys apart */
};

static int shared_limit_take(void *ctx, const char *key, long long now_ms, long long new_end_ms,
			     long long *end_ms, long long *count)
{
	const struct shared_limit *sl = ctx;
	char k[512];
	if ((size_t)snprintf(k, sizeof(k), "%s|%s", sl->name, key) >= sizeof(k))
		return -1;
	return store_rate_take(sl->store, k, now_ms, new_end_ms, end_ms, count);
}

static int build_app(const struct config *cfg, struct app *app, struct ratelimit_config *rlc)
{
	unsigned long max_body, max_upload;
	char msg[200];
	if (parse_ulong(cfg->max_body, 1UL << 30, &max_body) < 0 || max_body < 1024) {
		log_msg(LOG_ERROR, "--max-body must be a number of bytes from 1024 to 1073741824");
		return -1;
	}
	if (parse_ulong(cfg->max_upload, 1UL << 40, &max_upload) < 0 || max_upload < 1024) {
		log_msg(LOG_ERROR, "--max-upload must be a number of bytes from 1024 to 2^40");
		return -1;
	}
	if (ratelimit_config_parse(cfg->rate_limit, rlc, msg, sizeof(msg)) < 0) {
		log_msg(LOG_ERROR, "--rate-limit: %s", msg);
		return -1;
	}
	struct render_limits budget;
	if (render_limits_parse(cfg->render_budget_ms, cfg->render_budget_mb,
				cfg->render_budget_ops, &budget, msg, sizeof(msg)) < 0) {
		log_msg(LOG_ERROR, "%s", msg);
		return -1;
	}
	render_limits_set_default(&budget);
	if (!postal_mailer_id_valid(cfg->mailer_id)) {
		log_msg(LOG_ERROR, "--mailer-id must be a USPS Mailer ID: 6 digits not starting "
				   "with 9, or 9 digits starting with 9");
		return -1;
	}
	if (postal_mailer_id_is_placeholder(cfg->mailer_id))
		log_msg(LOG_WARN, "%s (until it is set, every IMb and certified tracking number "
			"carries the placeholder)", postal_placeholder_message);
	app->cfg = cfg;
	app->routes = &api_routes;
	app->max_body = max_body;
	app->max_file_body = max_upload;
	app->body_limits = body_limits_default;
	app->ratelimit = rlc->off ? NULL : ratelimit_new(rlc);
	struct ratelimit_config doubled = *rlc;
	doubled.limit = rlc->limit <= RATELIMIT_LIMIT_MAX / 2 ? rlc->limit * 2 : RATELIMIT_LIMIT_MAX;
	app->ratelimit_double = rlc->off ? NULL : ratelimit_new(&doubled);
	static struct shared_limit single, twice;
	if (store_is_postgres(app->store) && app->ratelimit && app->ratelimit_double) {
		single = (struct shared_limit){ app->store, "1x" };
		twice = (struct shared_limit){ app->store, "2x" };
		ratelimit_share(app->ratelimit, shared_limit_take, &single);
		ratelimit_share(app->ratelimit_double, shared_limit_take, &twice);
	}
	app->signin = signin_limit_new();	/* on even with --rate-limit off: it guards passwords */
	return 0;
}

/*
 * 2 cores: rendering shares them with the HTTP threads. One account renders on at most two
 * workers (render_jobs.h); the third is there for everyone else, so a hostile account's
 * files spending their budgets never hold up another account's letter.
 */
#define RENDER_WORKERS 3

/* background jobs (jobs/jobs.h): rendering, webhook deliveries, tracking journeys,
 * housekeeping */
static struct jobs *jobs_begin(const struct config *cfg, struct app *app, struct webhooks *wh,
			       struct render_jobs *render, struct upload_jobs *uploads)
{
	struct store *s = app->store;
	unsigned long base, senders, per_endpoint, days;
	if (parse_ulong(cfg->webhook_retry_base_ms, 86400000UL, &base) < 0 || base == 0)
		base = 60000;
	if (parse_ulong(cfg->webhook_senders, 64, &senders) < 0 || senders == 0 ||
	    parse_ulong(cfg->webhook_per_endpoint, 64, &per_endpoint) < 0 || per_endpoint == 0 ||
	    parse_ulong(cfg->webhook_retention_days, 3650, &days) < 0 || days == 0) {
		log_msg(LOG_ERROR, "--webhook-senders and --webhook-per-endpoint must be 1 to 64, "
				   "--webhook-retention-days 1 to 3650");
		return NULL;
	}
	*wh = (struct webhooks){ .store = s,
				 .opt = { .allow_private = strcmp(cfg->allow_private_urls, "1") == 0,
					  .retry_base_ms = (long long)base,
					  .senders = (unsigned)senders,
					  .per_endpoint = (unsigned)per_endpoint,
					  .retention_ms = (long long)days * 24 * 3600 * 1000 } };
	struct jobs *j = jobs_new(s);
	/* print runs: files at links under the public URL, known only once the server listens,
	 * so the build job records file names and the API signs links on every read */
	struct runs_config runs = { .data_dir = cfg->data_dir, .mailer_id = cfg->mailer_id,
				    .print_dir = cfg->print_dir, .mailer_name = cfg->mailer_name,
				    .mailer_address = cfg->mailer_address,
				    .post_office = cfg->post_office, .permit = cfg->permit,
				    .press_sheet = cfg->press_sheet,
				    .inserter_marks = cfg->inserter_marks };
	struct api_error err;
	struct mail_room room;
	if (runs_mail_room(&runs, &room, &err) < 0) {
		log_msg(LOG_ERROR, "%s", err.message);
		jobs_stop(j);
		return NULL;
	}
	if (j && runs_register(j, s, &runs, cfg->print_run_at, cfg->print_run_tz, &err) < 0) {
		log_msg(LOG_ERROR, "print runs: %s", err.message);
		jobs_stop(j);
		return NULL;
	}
	/* SQLite serves this process alone: jobs left running belong to a previous run; on
	 * PostgreSQL other nodes share the jobs (short leases, renewed) */
	bool shared = store_is_postgres(app->store);
	if (j && shared)
		jobs_share(j);
	if (!j || render_jobs_register(j, render) < 0 ||
	    creative_preview_register(j, render->ctx) < 0 || webhooks_register(j, wh) < 0 ||
	    simulate_register(j, s) < 0 || upload_jobs_register(j, uploads) < 0 ||
	    campaign_jobs_register(j, app) < 0 ||
	    jobs_start(j, !shared) < 0) {
		log_msg(LOG_ERROR, "background jobs did not start");
		jobs_stop(j);
		return NULL;
	}
	return j;
}

/* everything a request or a job may touch, built before the first request is read */
struct running {
	struct html_renderer *html;
	struct render_env renv;
	struct render_jobs render;
	struct webhooks webhooks;
	struct upload_jobs uploads;
};

static int start_work(const struct config *cfg, struct app *app, struct running *r)
{
	struct api_error err;
	cdp_sandbox_configure(cfg->render_user, strcmp(cfg->chromium_no_sandbox, "1") == 0);
	r->html = html_renderer_open(cfg->renderer, cfg->chromium, &err);
	if (!r->html) {
		log_msg(LOG_ERROR, "renderer: %s", err.message);
		return -1;
	}
	log_msg(LOG_INFO, "renderer: %s", html_renderer_kind(r->html));
	app->html = r->html;
	r->renv = (struct render_env){ .store = app->store, .data_dir = cfg->data_dir,
				       .public_url = app->asset_url, .mailer_id = cfg->mailer_id,
				       .allow_private_urls = strcmp(cfg->allow_private_urls, "1") == 0,
				       .html = r->html };
	r->render = (struct render_jobs){ .workers = RENDER_WORKERS, .fn = render_piece,
					  .prepare = render_prepare, .ctx = &r->renv };
	r->uploads = (struct upload_jobs){ .store = app->store, .av = app->av,
					   .data_dir = cfg->data_dir };
	app->jobs = jobs_begin(cfg, app, &r->webhooks, &r->render, &r->uploads);
	if (!app->jobs) {
		html_renderer_close(r->html);
		return -1;
	}
	return 0;
}

/*
 * --metrics-listen: a second, small server on the same code, whose routes are /metrics,
 * /healthz and /readyz without credentials. NULL without the option, or on failure (*failed).
 */
static struct server *start_metrics(const struct config *cfg, struct app *mapp,
				    const struct app *app, bool *failed)
{
	char host[256], errbuf[256];
	struct server_options mo = { .host = host, .threads = 1, .timeout_s = 30 };
	int fd;
	unsigned port;
	*failed = false;
	if (!cfg->metrics_listen)
		return NULL;
	*mapp = *app;
	mapp->routes = &api_metrics_listener_routes;
	mapp->ratelimit = mapp->ratelimit_double = NULL;
	struct server *srv = NULL;
	if (config_split_listen(cfg->metrics_listen, host, sizeof(host), &mo.port) < 0)
		snprintf(errbuf, sizeof(errbuf), "--metrics-listen must be HOST:PORT");
	else if (server_bind(&mo, &fd, &port, errbuf, sizeof(errbuf)) == 0 &&
		 !(srv = server_start(mapp, &mo, fd, errbuf, sizeof(errbuf))))
		close(fd);
	if (!srv) {
		log_msg(LOG_ERROR, "metrics listener: %s", errbuf);
		*failed = true;
		return NULL;
	}
	printf(strchr(host, ':') ? "frankd metrics on http://[%s]:%u/metrics\n"
				 : "frankd metrics on http://%s:%u/metrics\n", host, port);
	log_msg(LOG_INFO, "metrics on %s:%u", host, port);
	return srv;
}

static int serve(const struct config *cfg, struct app *app, const struct server_options *so,
		 sigset_t *stop_signals)
{
	struct app metrics_app;
	bool metrics_failed;
	char errbuf[256], url[300];
	struct running run;
	int fd, sig = 0;
	unsigned port;
	/* the address first (links name its port); nothing is read from it until all is built */
	if (server_bind(so, &fd, &port, errbuf, sizeof(errbuf)) < 0) {
		log_msg(LOG_ERROR, "%s", errbuf);
		return -1;
	}
	if (strchr(so->host, ':'))
		snprintf(url, sizeof(url), "http://[%s]:%u", so->host, port);
	else
		snprintf(url, sizeof(url), "http://%s:%u", so->host, port);
	app->public_url = cfg->public_url ? cfg->public_url : url;
	/* Lob's SDK models accept proof links on lob-assets.com only (the default); "public"
	 * trades that for links a browser opens on this server */
	app->asset_url = !cfg->asset_url || !strcmp(cfg->asset_url, "public") ? app->public_url
									       : cfg->asset_url;
	if (ensure_account(app->store, url) < 0 || start_work(cfg, app, &run) < 0) {
		close(fd);
		return -1;
	}
	struct server *metrics = start_metrics(cfg, &metrics_app, app, &metrics_failed);
	struct server *srv = metrics_failed ? NULL : server_start(app, so, fd, errbuf, sizeof(errbuf));
	if (!srv) {
		if (!metrics_failed)
			log_msg(LOG_ERROR, "%s", errbuf);
		server_stop(metrics);
		close(fd);
		jobs_stop(app->jobs);
		html_renderer_close(run.html);
		return -1;
	}
	printf("frankd listening on %s\n", url);
	fflush(stdout);
	log_msg(LOG_INFO, "listening on %s (data %s)", url, cfg->data_dir);
	sigwait(stop_signals, &sig);
	log_msg(LOG_INFO, "signal %d: stopping", sig);
	/*
	 * No new connections; the requests waiting on a write get their answers. Then the jobs
	 * running finish (bounded by their own limits) and claimed ones go back to the queue —
	 * what a request still commits waits in the store for the next start. Then the HTTP
	 * threads end, and the renderer (no job uses it any more).
	 */
	server_quiesce(srv);
	server_stop(metrics);	/* it reads the jobs and the renderer: it goes first */
	jobs_stop(app->jobs);
	app->jobs = NULL;
	server_stop(srv);
	html_renderer_close(run.html);
	return 0;
}

int main(int argc, char **argv)
{
	struct config cfg;
	char errbuf[256], host[256];
	unsigned long workers;
	struct server_options so = { .host = host, .timeout_s = 30 };
	if (config_load(&cfg, argc, argv, errbuf, sizeof(errbuf)) < 0) {
		fprintf(stderr, "frankd: %s\n", errbuf);
		return 2;
	}
	if (cfg.help) {
		config_usage("frankd");
		return 0;
	}
	if (!source_url_valid(cfg.source_url)) {
		fprintf(stderr, "frankd: --source-url must be an http:// or https:// URL without "
				"spaces, quotes or angle brackets\n");
		return 2;
	}
	if (cfg.version) {
		version_print(stdout, "frankd", cfg.source_url);
		return 0;
	}
	if (log_set_level_name(cfg.log_level) < 0 ||
	    config_split_listen(cfg.listen, host, sizeof(host), &so.port) < 0 ||
	    parse_ulong(cfg.workers, 256, &workers) < 0 || workers == 0 ||
	    (strcmp(cfg.sync, "full") != 0 && strcmp(cfg.sync, "normal") != 0) ||
	    clock_init_from_env() < 0) {
		fprintf(stderr, "frankd: bad --log-level, --listen (HOST:PORT), --workers (1-256), "
				"--sync (full|normal) or FRANK_CLOCK (ISO-8601); see --help\n");
		return 2;
	}
	so.threads = (unsigned)workers;
	unsigned long db_pool = workers + 2, db_timeout = 0;
	if ((cfg.db_pool && (parse_ulong(cfg.db_pool, 1000, &db_pool) < 0 || db_pool == 0)) ||
	    parse_ulong(cfg.db_statement_timeout, 86400000, &db_timeout) < 0) {
		fprintf(stderr, "frankd: bad --db-pool (1-1000) or --db-statement-timeout (ms, "
				"0-86400000); see --help\n");
		return 2;
	}

	/* block the stop signals in every thread; main waits for them with sigwait */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct api_error err;
	struct store_options sopt = { .dir = cfg.data_dir, .database = cfg.database,
				      .pool_size = (unsigned)db_pool,
				      .sync_full = strcmp(cfg.sync, "full") == 0,
				      .statement_timeout_ms = (unsigned)db_timeout };
	struct app app = { 0 };
	struct ratelimit_config rlc;
	/* one frankd per data directory on SQLite (`frank restore` takes the same lock); on
	 * PostgreSQL the nodes share the directory for files, and the database for the rest */
	int dir_lock = -1;
	if (!cfg.database && (dir_lock = store_lock_dir(cfg.data_dir, &err)) < 0) {
		fprintf(stderr, "frankd: %s\n", err.message);
		return 1;
	}
	app.store = store_open(&sopt, &err);
	if (!app.store) {
		fprintf(stderr, "frankd: %s\n", err.message);
		if (dir_lock >= 0)
			close(dir_lock);
		return 1;
	}
	if (clock_is_test() && store_is_postgres(app.store)) {
		/* several nodes, one test clock: the first node's start sets it */
		long long shared;
		if (store_clock_join(app.store, clock_offset_now(), &shared, &err) < 0) {
			fprintf(stderr, "frankd: test clock: %s\n", err.message);
			store_free(app.store);
			return 1;
		}
		clock_set_offset(shared);
	}
	struct av_engine av;
	if (av_engine_load(&av, cfg.zip_data, cfg.reference_addresses, errbuf, sizeof(errbuf)) < 0) {
		fprintf(stderr, "frankd: address data: %s (the read-only data is looked for in "
				"--share-dir or FRANK_SHARE_DIR, %s)\n", errbuf, cfg.share_dir);
		store_free(app.store);
		if (dir_lock >= 0)
			close(dir_lock);
		return 1;
	}
	app.av = &av;
	app.data_dir = cfg.data_dir;
	ledger_configure(cfg.price_list);	/* mailed pieces are charged by it */
	int rc = build_app(&cfg, &app, &rlc) < 0 ? 2 : 0;
	if (rc == 0 && serve(&cfg, &app, &so, &stop) < 0)
		rc = 1;
	ratelimit_free(app.ratelimit);
	ratelimit_free(app.ratelimit_double);
	signin_limit_free(app.signin);
	av_engine_release(&av);
	store_free(app.store);
	if (dir_lock >= 0)
		close(dir_lock);
	return rc;
}
