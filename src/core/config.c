// SPDX-License-Identifier: AGPL-3.0-or-later
/* Option table for frankd: flag, environment variable, default, help text. */
#include "core/config.h"
#include "core/build_config.h"
#include "core/parse.h"
#include "core/paths.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct option_row {
	const char *flag, *env, *dflt, *help;
	size_t offset;
	bool is_switch;	/* may stand alone on the command line, meaning "1" */
};

#define OPT(f, e, d, h, member) { f, e, d, h, offsetof(struct config, member), false }
#define SWITCH(f, e, d, h, member) { f, e, d, h, offsetof(struct config, member), true }

static const struct option_row options[] = {
	OPT("--data", "FRANK_DATA", FRANK_DATA_DIR_DEFAULT, "data directory (SQLite database, assets)", data_dir),
	OPT("--database", "FRANK_DATABASE", NULL, "postgres://… (a libpq URI): keep the store in PostgreSQL, so several frankd nodes can share it (they must also share --data, where files live); unset: SQLite in --data", database),
	OPT("--db-pool", "FRANK_DB_POOL", NULL, "database connections this node keeps for reads (default: --workers + 2); each node adds two more (its writer, and on PostgreSQL a listener)", db_pool),
	OPT("--db-statement-timeout", "FRANK_DB_STATEMENT_TIMEOUT", "30000", "PostgreSQL: longest a statement may run, in ms (0: the server's setting)", db_statement_timeout),
	OPT("--share-dir", "FRANK_SHARE_DIR", FRANK_SHARE_DIR_DEFAULT, "read-only data frankd reads at start: us_zips.csv, prices_usps.csv", share_dir),
	OPT("--listen", "FRANK_LISTEN", "127.0.0.1:8080", "HOST:PORT to listen on; port 0 picks a free one", listen),
	OPT("--metrics-listen", "FRANK_METRICS_LISTEN", NULL, "HOST:PORT of a second listener serving /metrics, /healthz and /readyz without credentials (keep it private); without it, /metrics takes an operator key on --listen", metrics_listen),
	OPT("--public-url", "FRANK_PUBLIC_URL", NULL, "base URL clients use (next_url, asset links); default http://LISTEN", public_url),
	OPT("--link-host", "FRANK_LINK_HOST", NULL, "the short-link host name (e.g. go.example.com): /v1/links and QR codes make https://HOST/SLUG links, and a request whose Host is HOST answers GET /SLUG with its redirect; unset: no short links (QR codes encode their redirect_url directly)", link_host),
	OPT("--source-url", "FRANK_SOURCE_URL", FRANK_SOURCE_URL_DEFAULT, "where users get this server's source (AGPL section 13): --version and a Link header on every response", source_url),
	OPT("--log-level", "FRANK_LOG_LEVEL", "info", "debug, info, warn or error", log_level),
	OPT("--workers", "FRANK_WORKERS", "4", "HTTP worker threads", workers),
	OPT("--rate-limit", "FRANK_RATE_LIMIT", "150/5", "requests per key and endpoint: N/SECONDS, or off", rate_limit),
	OPT("--max-body", "FRANK_MAX_BODY", "10485760", "largest request body in bytes", max_body),
	OPT("--max-upload", "FRANK_MAX_UPLOAD", "1073741824", "largest audience file (POST /v1/uploads/ID/file) in bytes, streamed to disk", max_upload),
	OPT("--sync", "FRANK_SYNC", "full", "full: every 2xx survives power loss; normal: survives a crash of frankd", sync),
	OPT("--zip-data", "FRANK_ZIP_DATA", NULL, "US ZIP reference CSV for address verification; default SHARE_DIR/us_zips.csv", zip_data),
	OPT("--reference-addresses", "FRANK_REFERENCE_ADDRESSES", NULL, "known addresses (OpenAddresses or NAD CSV) for delivery-point answers", reference_addresses),
	SWITCH("--allow-private-urls", "FRANK_ALLOW_PRIVATE_URLS", "0", "1: remote files and webhooks may reach loopback, private and link-local addresses", allow_private_urls),
	OPT("--renderer", "FRANK_RENDERER", "auto", "HTML to PDF: chromium, mupdf, or auto (chromium when installed)", renderer),
	OPT("--asset-url", "FRANK_ASSET_URL", "https://lob-assets.com", "base of proof and thumbnail links; frankd serves their paths itself. The default passes Lob's TypeScript SDK models, which reject any other host: serve frankd under that name, or fetch the link's path from frankd. \"public\": the public URL (links a browser can open, which that SDK refuses)", asset_url),
	OPT("--webhook-retry-base-ms", "FRANK_WEBHOOK_RETRY_BASE_MS", "60000", "first webhook retry delay (doubling, capped at 6 h, for 3 days)", webhook_retry_base_ms),
	OPT("--webhook-senders", "FRANK_WEBHOOK_SENDERS", "4", "threads sending webhook deliveries (1-64)", webhook_senders),
	OPT("--webhook-per-endpoint", "FRANK_WEBHOOK_PER_ENDPOINT", "2", "deliveries in flight to one webhook at most (1-64): a slow endpoint holds no more senders than this", webhook_per_endpoint),
	OPT("--webhook-retention-days", "FRANK_WEBHOOK_RETENTION_DAYS", "30", "finished webhook deliveries are deleted after this many days (1-3650)", webhook_retention_days),
	OPT("--mailer-id", "FRANK_MAILER_ID", "999999999", "USPS Mailer ID for IMb and certified tracking numbers: 6 digits (not starting with 9) or 9 digits starting with 9; the default is a placeholder, not a real MID", mailer_id),
	OPT("--print-dir", "FRANK_PRINT_DIR", NULL, "hot folder: each print run's finished files are also written into DIR/<run id>/ (a temporary directory, then a rename)", print_dir),
	OPT("--print-run-at", "FRANK_PRINT_RUN_AT", NULL, "cut a print run every day at HH:MM (--print-run-tz), skipping Sundays and USPS holidays", print_run_at),
	OPT("--mailer-name", "FRANK_MAILER_NAME", NULL, "the mailer presenting accountable mail: the sender on each print run's PS Form 3877 (required to build a run with certified or registered mail)", mailer_name),
	OPT("--mailer-address", "FRANK_MAILER_ADDRESS", NULL, "the mailer's address on the PS Form 3877: \"LINE1, CITY, ST ZIP\"", mailer_address),
	OPT("--post-office", "FRANK_POST_OFFICE", NULL, "the entry post office printed on the PS Form 3877", post_office),
	OPT("--permit", "FRANK_PERMIT", NULL, "permit imprint for postcards and self-mailers: \"NUMBER, CITY, ST\"; unset: no imprint (meter or pre-printed)", permit),
	OPT("--press-sheet", "FRANK_PRESS_SHEET", NULL, "press sheet for postcards and self-mailers imposed n-up, WxH in inches; default 12x18 (a card too big for a smaller sheet goes on 13x19)", press_sheet),
	OPT("--inserter-marks", "FRANK_INSERTER_MARKS", NULL, "control marks on each letter sheet for the inserter: datamatrix (run, piece, sheet i of n; the default), omr, or none", inserter_marks),
	OPT("--print-run-tz", "FRANK_PRINT_RUN_TZ", "UTC", "the operator's time zone for --print-run-at (an IANA name such as America/New_York)", print_run_tz),
	OPT("--chromium", "FRANK_CHROMIUM", "/usr/bin/chromium", "the headless browser the chromium renderer starts", chromium),
	OPT("--render-user", "FRANK_RENDER_USER", NULL, "when frankd runs as root, the unprivileged user the browser runs as; default frank-render if it exists, else nobody", render_user),
	SWITCH("--chromium-no-sandbox", "FRANK_CHROMIUM_NO_SANDBOX", "0", "1: run the browser without its sandbox, for hosts without user namespaces (logged; not recommended)", chromium_no_sandbox),
	OPT("--price-table", "FRANK_PRICE_TABLE", NULL, "USPS price CSV for /api/v1 pricing (re-read when it changes); default SHARE_DIR/prices_usps.csv", price_table),
	OPT("--price-list", "FRANK_PRICE_LIST", NULL, "the credits price list (JSON: a price per product and option) charged to an account's ledger when a piece is mailed (re-read when it changes; no file: no charges); default SHARE_DIR/prices.json", price_list),
	OPT("--service-fee", "FRANK_SERVICE_FEE", "0", "the operator's fee per /api/v1 mailing: AMOUNT, PERCENT% of postage and fees, or AMOUNT+PERCENT%", service_fee),
	OPT("--render-budget-ms", "FRANK_RENDER_BUDGET_MS", "20000", "PDF engine time per piece for customer PDFs and images (ms); past it the piece fails with invalid_file", render_budget_ms),
	OPT("--render-budget-mb", "FRANK_RENDER_BUDGET_MB", "512", "PDF engine memory per piece (MB), refused past it", render_budget_mb),
	OPT("--render-budget-ops", "FRANK_RENDER_BUDGET_OPS", "2000000", "drawing operations a piece's pages may make", render_budget_ops),
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static const char **slot(struct config *cfg, const struct option_row *o)
{
	return (const char **)((char *)cfg + o->offset);
}

int config_load(struct config *cfg, int argc, char **argv, char *errbuf, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < N_OPTIONS; i++) {
		const char *env = getenv(options[i].env);
		*slot(cfg, &options[i]) = env && *env ? env : options[i].dflt;
	}
	for (int a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0) {
			cfg->help = true;
			continue;
		}
		if (strcmp(argv[a], "--version") == 0) {
			cfg->version = true;
			continue;
		}
		size_t i;
		const char *eq = strchr(argv[a], '=');
		size_t flen = eq ? (size_t)(eq - argv[a]) : strlen(argv[a]);
		for (i = 0; i < N_OPTIONS; i++)
			if (strlen(options[i].flag) == flen && strncmp(argv[a], options[i].flag, flen) == 0)
				break;
		if (i == N_OPTIONS) {
			snprintf(errbuf, errlen, "unknown option %s (see --help)", argv[a]);
			return -1;
		}
		if (eq) {
			*slot(cfg, &options[i]) = eq + 1;
		} else if (options[i].is_switch) {
			*slot(cfg, &options[i]) = "1";
		} else if (a + 1 < argc) {
			*slot(cfg, &options[i]) = argv[++a];
		} else {
			snprintf(errbuf, errlen, "%s needs a value", options[i].flag);
			return -1;
		}
	}
	/* the files under --share-dir, unless named on their own (one config per process) */
	static char zip_path[4096], price_path[4096], list_path[4096];
	if (!cfg->zip_data)
		cfg->zip_data = share_file(cfg->share_dir, SHARE_ZIP_DATA, zip_path, sizeof(zip_path));
	if (!cfg->price_table)
		cfg->price_table = share_file(cfg->share_dir, SHARE_PRICE_TABLE, price_path,
					      sizeof(price_path));
	if (!cfg->price_list)
		cfg->price_list = share_file(cfg->share_dir, SHARE_PRICE_LIST, list_path,
					     sizeof(list_path));
	if (!cfg->zip_data || !cfg->price_table || !cfg->price_list) {
		snprintf(errbuf, errlen, "--share-dir is too long");
		return -1;
	}
	return 0;
}

void config_usage(const char *prog)
{
	printf("Usage: %s [options]\n\nFrank: a Lob-compatible print-and-mail API server.\n\n"
	       "Options (each also as an environment variable):\n", prog);
	for (size_t i = 0; i < N_OPTIONS; i++)
		printf("  %-22s %-26s %s%s%s%s\n", options[i].flag, options[i].env, options[i].help,
		       options[i].dflt ? " [" : "", options[i].dflt ? options[i].dflt : "",
		       options[i].dflt ? "]" : "");
	printf("  %-22s %-26s %s\n", "", "FRANK_CLOCK",
	       "start the clock at this ISO-8601 instant (tests)");
	printf("  %-22s %-26s %s\n", "--version", "", "print the version and the source URL");
	printf("  %-22s %-26s %s\n", "--help", "", "print this help");
}

int config_split_listen(const char *listen, char *host, size_t hostlen, unsigned *port)
{
	const char *colon = strrchr(listen, ':');
	unsigned long p;
	if (!colon || parse_ulong(colon + 1, 65535, &p) < 0)
		return -1;
	const char *h = listen;
	size_t n = (size_t)(colon - listen);
	if (n >= 2 && h[0] == '[' && h[n - 1] == ']') {
		h++;
		n -= 2;
	}
	if (n == 0 || n >= hostlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	*port = (unsigned)p;
	return 0;
}
