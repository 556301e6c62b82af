// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frankd's configuration: defaults, then FRANK_* environment variables, then flags.
 * The option table in config.c is the one list; `frankd --help` prints it.
 */
#ifndef FRANK_CONFIG_H
#define FRANK_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

struct config {
	const char *data_dir;	/* --data, FRANK_DATA (<localstatedir>/lib/frank) */
	const char *database;	/* --database, FRANK_DATABASE: postgres://…, or NULL (SQLite) */
	const char *db_pool;	/* --db-pool, FRANK_DB_POOL (workers + 2) */
	const char *db_statement_timeout;	/* --db-statement-timeout (30000 ms) */
	const char *share_dir;	/* --share-dir, FRANK_SHARE_DIR (<datadir>/frank): core/paths.h */
	const char *listen;	/* --listen, FRANK_LISTEN (127.0.0.1:8080) */
	const char *metrics_listen;	/* --metrics-listen, FRANK_METRICS_LISTEN (none) */
	const char *public_url;	/* --public-url, FRANK_PUBLIC_URL (http://<listen>) */
	const char *link_host;	/* --link-host, FRANK_LINK_HOST: short links' host, or NULL */
	const char *source_url;	/* --source-url, FRANK_SOURCE_URL (-Dsource_url): core/version.h */
	const char *log_level;	/* --log-level, FRANK_LOG_LEVEL (info) */
	const char *workers;	/* --workers, FRANK_WORKERS (4) */
	const char *rate_limit;	/* --rate-limit, FRANK_RATE_LIMIT (150/5) */
	const char *max_body;	/* --max-body, FRANK_MAX_BODY (bytes, 10485760) */
	const char *max_upload;	/* --max-upload, FRANK_MAX_UPLOAD (bytes, 1073741824) */
	const char *sync;	/* --sync, FRANK_SYNC (full|normal) */
	const char *zip_data;	/* --zip-data, FRANK_ZIP_DATA (SHARE_DIR/us_zips.csv) */
	const char *reference_addresses;	/* --reference-addresses, FRANK_REFERENCE_ADDRESSES */
	const char *allow_private_urls;	/* --allow-private-urls, FRANK_ALLOW_PRIVATE_URLS (0|1) */
	const char *renderer;	/* --renderer, FRANK_RENDERER (chromium|mupdf|auto) */
	const char *chromium;	/* --chromium, FRANK_CHROMIUM (/usr/bin/chromium) */
	const char *render_user;	/* --render-user, FRANK_RENDER_USER (frank-render or nobody) */
	const char *chromium_no_sandbox;	/* --chromium-no-sandbox (0|1) */
	const char *asset_url;	/* --asset-url, FRANK_ASSET_URL (https://lob-assets.com; "public") */
	const char *webhook_retry_base_ms;	/* --webhook-retry-base-ms (60000) */
	const char *webhook_senders;	/* --webhook-senders (4) */
	const char *webhook_per_endpoint;	/* --webhook-per-endpoint (2) */
	const char *webhook_retention_days;	/* --webhook-retention-days (30) */
	const char *print_dir;		/* --print-dir: the print runs' hot folder, or NULL */
	const char *print_run_at;	/* --print-run-at HH:MM: the daily cut, or NULL */
	const char *mailer_name;	/* --mailer-name: the 3877's sender, or NULL */
	const char *mailer_address;	/* --mailer-address: "LINE1, CITY, ST ZIP", or NULL */
	const char *post_office;	/* --post-office, or NULL */
	const char *permit;		/* --permit: "NUMBER, CITY, ST", or NULL */
	const char *press_sheet;	/* --press-sheet: "WxH" inches, or NULL */
	const char *inserter_marks;	/* --inserter-marks: datamatrix | omr | none, or NULL */
	const char *print_run_tz;	/* --print-run-tz (UTC) */
	const char *mailer_id;	/* --mailer-id, FRANK_MAILER_ID (999999999, a placeholder) */
	const char *price_table;	/* --price-table, FRANK_PRICE_TABLE (SHARE_DIR/prices_usps.csv) */
	const char *price_list;		/* --price-list, FRANK_PRICE_LIST (SHARE_DIR/prices.json) */
	const char *service_fee;	/* --service-fee, FRANK_SERVICE_FEE (0): /api/v1 mailings */
	const char *render_budget_ms;	/* --render-budget-ms, FRANK_RENDER_BUDGET_MS (20000) */
	const char *render_budget_mb;	/* --render-budget-mb, FRANK_RENDER_BUDGET_MB (512) */
	const char *render_budget_ops;	/* --render-budget-ops, FRANK_RENDER_BUDGET_OPS (2000000) */
	bool help;	/* --help, -h */
	bool version;	/* --version */
};

/* fills cfg; 0, or -1 with a message in errbuf (unknown flag, missing value) */
int config_load(struct config *cfg, int argc, char **argv, char *errbuf, size_t errlen);
/* prints usage with every option, its variable and default */
void config_usage(const char *prog);
/* splits "host:port" / "[v6]:port"; 0 or -1 */
int config_split_listen(const char *listen, char *host, size_t hostlen, unsigned *port);
#endif
