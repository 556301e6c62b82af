// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank: the admin CLI. A table of subcommands, each with its own function:
 *   frank init --data DIR                  data dir + default account; prints the key JSON
 *   frank accounts create --data DIR       another account; prints the same key JSON
 *   frank accounts credit --data DIR --amount D [--account ID] [--mode live|test]
 *   frank keys list --data DIR [--account ID]
 *   frank keys create --data DIR [--account ID] [--mode test|live] [--type secret|publishable]
 *   frank keys revoke --data DIR KEY_ID
 *   frank routes [--json]                  Lob's spec operations served or not, Frank's own routes
 *   frank settings get|set --data DIR [--account ID] [JSON]
 *   frank user create --data DIR --email E [--account ID]   password: terminal or stdin
 *   frank operator create --data DIR --email E              password: terminal or stdin
 *   frank campaign send --data DIR [--mode test|live] CMP_ID   progress while frankd sends
 *   frank backup --data DIR OUT | restore --data DIR [--force] BACKUP | check --data DIR
 *   frank migrate-store --from DIR --to postgres://…   SQLite's store into PostgreSQL
 */
#include "api/accounts.h"
#include "api/c321.h"
#include "api/routes.h"
#include "av/verify.h"
#include "av/zipdb.h"
#include <jansson.h>
#include "core/paths.h"
#include "core/timeutil.h"
#include "core/version.h"
#include "http/router.h"
#include "mail/settings.h"
#include "store/store.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c321/access.h"
#include "cli/commands.h"
#include "cli/password.h"

static int parse_args(int argc, char **argv, int first, struct cli_args *a)
{
	static const struct { const char *flag; size_t off; } flags[] = {
		{ "--data", offsetof(struct cli_args, data) },
		{ "--account", offsetof(struct cli_args, account) },
		{ "--mode", offsetof(struct cli_args, mode) },
		{ "--type", offsetof(struct cli_args, type) },
		{ "--zip-data", offsetof(struct cli_args, zip_data) },
		{ "--reference-addresses", offsetof(struct cli_args, references) },
		{ "--file", offsetof(struct cli_args, file) },
		{ "--case", offsetof(struct cli_args, casing) },
		{ "--product", offsetof(struct cli_args, product) },
		{ "--input", offsetof(struct cli_args, input) },
		{ "-o", offsetof(struct cli_args, output) },
		{ "--merge", offsetof(struct cli_args, merge) },
		{ "--to", offsetof(struct cli_args, to) },
		{ "--from", offsetof(struct cli_args, from) },
		{ "--options", offsetof(struct cli_args, options) },
		{ "--thumbs", offsetof(struct cli_args, thumbs) },
		{ "--email", offsetof(struct cli_args, email) },
		{ "--role", offsetof(struct cli_args, role) },
		{ "--body", offsetof(struct cli_args, body) },
		{ "--mailer-id", offsetof(struct cli_args, mailer_id) },
		{ "--public-url", offsetof(struct cli_args, public_url) },
		{ "--amount", offsetof(struct cli_args, amount) },
		{ "--description", offsetof(struct cli_args, description) },
		/* refused with a message (cli/password.h): passwords never come from argv */
		{ "--password", offsetof(struct cli_args, password) },
	};
	const char *env = getenv("FRANK_DATA");
	a->data = env && *env ? env : data_dir_default();
	for (int i = first; i < argc; i++) {
		size_t f;
		for (f = 0; f < sizeof(flags) / sizeof(flags[0]); f++)
			if (strcmp(argv[i], flags[f].flag) == 0)
				break;
		if (strcmp(argv[i], "--force") == 0) {
			a->force = true;
		} else if (strcmp(argv[i], "--json") == 0) {
			a->json = true;
		} else if (f < sizeof(flags) / sizeof(flags[0])) {
			if (i + 1 >= argc) {
				fprintf(stderr, "frank: %s needs a value\n", argv[i]);
				return -1;
			}
			*(const char **)((char *)a + flags[f].off) = argv[++i];
		} else if (argv[i][0] != '-' && !a->positional) {
			a->positional = argv[i];
		} else {
			fprintf(stderr, "frank: unexpected argument %s\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

static struct store *open_store(const char *dir)
{
	struct api_error err;
	struct store_options opt = { .dir = dir, .pool_size = 1, .sync_full = true };
	struct store *s = store_open(&opt, &err);
	if (!s)
		fprintf(stderr, "frank: %s\n", err.message);
	return s;
}

struct store *cli_open_store(const char *dir)
{
	return open_store(dir);
}

static int print_new_account(struct store *s)
{
	struct account_keys keys;
	struct api_error err;
	if (accounts_create(s, "default", &keys, &err) < 0) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 1;
	}
	char *json = accounts_keys_json(&keys);
	printf("%s\n", json);
	free(json);
	return 0;
}

static int cmd_init(struct cli_args *a)
{
	struct store *s = open_store(a->data);
	int rc = 1;
	if (!s)
		return 1;
	long n = store_account_count(s);
	if (n > 0)
		fprintf(stderr, "frank: %s is already initialised (use 'frank keys create' or "
				"'frank accounts create')\n", a->data);
	else if (n == 0)
		rc = print_new_account(s);
	store_free(s);
	return rc;
}

static int cmd_accounts_create(struct cli_args *a)
{
	struct store *s = open_store(a->data);
	if (!s)
		return 1;
	int rc = print_new_account(s);
	store_free(s);
	return rc;
}

static void print_key(const struct key_info *k, void *ctx)
{
	char when[25];
	(void)ctx;
	time_format_iso(k->created_ms, when);
	printf("%s  %s  %-4s  %-11s  %s…  %s%s\n", k->id, k->account_id,
	       k->mode == MODE_LIVE ? "live" : "test",
	       k->type == KEY_TYPE_PUBLISHABLE ? "publishable" : "secret", k->prefix, when,
	       k->revoked ? "  revoked" : "");
}

static int cmd_keys_list(struct cli_args *a)
{
	struct store *s = open_store(a->data);
	if (!s)
		return 1;
	int rc = store_key_each(s, a->account, print_key, NULL) < 0 ? 1 : 0;
	store_free(s);
	return rc;
}

static int cmd_keys_create(struct cli_args *a)
{
	char account[40], key[API_KEY_MAX], id[40];
	struct api_error err;
	bool live = a->mode && strcmp(a->mode, "live") == 0;
	bool publishable = a->type && strcmp(a->type, "publishable") == 0;
	if ((a->mode && !live && strcmp(a->mode, "test") != 0) ||
	    (a->type && !publishable && strcmp(a->type, "secret") != 0)) {
		fprintf(stderr, "frank: --mode is test or live; --type is secret or publishable\n");
		return 2;
	}
	struct store *s = open_store(a->data);
	int rc = 1;
	if (!s)
		return 1;
	if (a->account) {
		snprintf(account, sizeof(account), "%s", a->account);
	} else if (store_account_first(s, account) != 0) {
		fprintf(stderr, "frank: no account yet: run 'frank init' first\n");
		goto out;
	}
	if (!store_account_exists(s, account)) {
		fprintf(stderr, "frank: no account %s\n", account);
		goto out;
	}
	if (accounts_new_key(s, account, live ? MODE_LIVE : MODE_TEST,
			     publishable ? KEY_TYPE_PUBLISHABLE : KEY_TYPE_SECRET, key, id, &err) < 0) {
		fprintf(stderr, "frank: %s\n", err.message);
		goto out;
	}
	printf("{\"id\":\"%s\",\"account_id\":\"%s\",\"key\":\"%s\"}\n", id, account, key);
	rc = 0;
out:
	store_free(s);
	return rc;
}

static int cmd_keys_revoke(struct cli_args *a)
{
	if (!a->positional) {
		fprintf(stderr, "usage: frank keys revoke --data DIR KEY_ID\n");
		return 2;
	}
	struct store *s = open_store(a->data);
	if (!s)
		return 1;
	int r = store_key_revoke(s, a->positional);
	if (r == 1)
		fprintf(stderr, "frank: no key %s\n", a->positional);
	else if (r == 0)
		printf("revoked %s\n", a->positional);
	store_free(s);
	return r == 0 ? 0 : 1;
}

static void verify_line(const struct av_engine *av, const char *line, bool proper, long n)
{
	char id[40];
	struct us_input in = { .address = line };
	snprintf(id, sizeof(id), "us_ver_cli%ld", n);
	json_t *out = av_verify_us(av, &in, id, proper);
	char *text = json_dumps(out, JSON_COMPACT);
	printf("%s\n", text ? text : "{}");
	free(text);
	json_decref(out);
}

/* verifies one-line US addresses (argument, or --file with one per line): JSON lines out */
static int cmd_verify(struct cli_args *a)
{
	struct av_engine av;
	char err[256], line[1024];
	bool proper = a->casing && strcmp(a->casing, "proper") == 0;
	if (!a->positional && !a->file) {
		fprintf(stderr, "usage: frank verify [--zip-data F] [--reference-addresses F] "
				"[--case proper] (\"ADDRESS\" | --file F)\n");
		return 2;
	}
	if (av_engine_load(&av, a->zip_data ? a->zip_data : zipdb_default_path(), a->references,
			   err, sizeof(err)) < 0) {
		fprintf(stderr, "frank: %s\n", err);
		return 1;
	}
	if (a->positional)
		verify_line(&av, a->positional, proper, 0);
	FILE *f = a->file ? (strcmp(a->file, "-") == 0 ? stdin : fopen(a->file, "r")) : NULL;
	if (a->file && !f)
		fprintf(stderr, "frank: cannot open %s\n", a->file);
	for (long n = 1; f && fgets(line, sizeof(line), f); n++) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			verify_line(&av, line, proper, n);
	}
	if (f && f != stdin)
		fclose(f);
	av_engine_release(&av);
	return a->file && !f ? 1 : 0;
}

/* the account named by --account, else the default (first) one; 0 or -1 */
static int cli_account(struct store *s, struct cli_args *a, char id[40])
{
	if (a->account) {
		snprintf(id, 40, "%s", a->account);
		if (store_account_exists(s, id))
			return 0;
		fprintf(stderr, "frank: no account %s\n", a->account);
		return -1;
	}
	if (store_account_first(s, id) != 0) {
		fprintf(stderr, "frank: no account yet (run frank init)\n");
		return -1;
	}
	return 0;
}

/* frank settings get|set: the account settings of /v1/_frank/settings */
static int cmd_settings(struct cli_args *a, bool set)
{
	struct api_error err;
	struct account_settings st;
	char account[40];
	struct store *s = open_store(a->data);
	int rc = 1;
	if (!s)
		return 1;
	if (cli_account(s, a, account) < 0 || settings_load(s, account, &st, &err) < 0)
		goto out;
	if (set) {
		json_t *changes = a->positional ? json_loads(a->positional, 0, NULL) : NULL;
		if (!changes) {
			fprintf(stderr, "frank: settings set needs a JSON object, e.g. "
					"'{\"cancellation_windows\":{\"letter\":60}}'\n");
			goto out;
		}
		int bad = settings_apply(&st, changes, &err) < 0 ||
			  settings_save(s, account, &st, clock_now_ms(), &err) < 0;
		json_decref(changes);
		if (bad) {
			fprintf(stderr, "frank: %s\n", err.message);
			goto out;
		}
	}
	json_t *out = settings_to_json(&st, account);
	char *text = json_dumps(out, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	printf("%s\n", text ? text : "{}");
	free(text);
	json_decref(out);
	rc = 0;
out:
	store_free(s);
	return rc;
}

/* frank accounts credit: the store and the account here, the credit in ledger_cmd.c */
static int cmd_credit(struct cli_args *a)
{
	char account[40];
	struct store *s = open_store(a->data);
	if (!s)
		return 1;
	int rc = cli_account(s, a, account) < 0 ? 1 : cmd_accounts_credit(a, s, account);
	store_free(s);
	return rc;
}

static int cmd_settings_get(struct cli_args *a)
{
	return cmd_settings(a, false);
}

static int cmd_settings_set(struct cli_args *a)
{
	return cmd_settings(a, true);
}

/* a user of the /api/v1 API, who logs in to manage API keys */
static int cmd_user_create(struct cli_args *a)
{
	char account[40], id[40], password[ACCESS_PASSWORD_MAX + 2];
	struct api_error err;
	int bad = cli_new_password(a, "user create", "--data DIR --email E [--account ID]", "user",
				   password, sizeof(password));
	if (bad)
		return bad;
	struct store *s = open_store(a->data);
	int rc = 1;
	if (!s)
		goto out;
	if (a->account)
		snprintf(account, sizeof(account), "%s", a->account);
	else if (store_account_first(s, account) != 0) {
		fprintf(stderr, "frank: no account yet: run 'frank init' first\n");
		goto out;
	}
	if (!store_account_exists(s, account))
		fprintf(stderr, "frank: no account %s\n", account);
	else if (c321_user_create(s, account, a->email, password, clock_now_ms(), id, &err) < 0)
		fprintf(stderr, "frank: %s\n", err.message);
	else {
		printf("{\"id\":\"%s\",\"account_id\":\"%s\"}\n", id, account);
		rc = 0;
	}
out:
	explicit_bzero(password, sizeof(password));
	store_free(s);
	return rc;
}

static const struct command {
	const char *name, *sub;
	int (*fn)(struct cli_args *);
	const char *help;
} commands[] = {
	{ "init", NULL, cmd_init, "init --data DIR: create the data dir and default account, print its keys as JSON" },
	{ "accounts", "create", cmd_accounts_create, "accounts create --data DIR: another account, keys as JSON" },
	{ "accounts", "credit", cmd_credit, "accounts credit --data DIR [--account ID] --amount DOLLARS [--mode live|test] [--description TEXT]: credit the account's ledger (the balance of GET /v1/accounts); prints the row and the balance" },
	{ "keys", "list", cmd_keys_list, "keys list --data DIR [--account ID]: the API keys (id, account, mode, type, prefix, created, revoked)" },
	{ "keys", "create", cmd_keys_create, "keys create --data DIR [--account ID] [--mode test|live] [--type secret|publishable]: a new key, printed once as JSON" },
	{ "keys", "revoke", cmd_keys_revoke, "keys revoke --data DIR KEY_ID: the key stops working at once" },
	{ "routes", NULL, cmd_routes, "routes [--json]: every operation of Lob's spec (method, path, operationId) and whether Frank serves it, then Frank's own routes" },
	{ "user", "create", cmd_user_create, "user create --data DIR --email E [--account ID]: a user of /api/v1 and the dashboard (owner of the account); the password from the terminal or stdin" },
	{ "user", "grant", cmd_user_grant, "user grant --data DIR --email E --account ID --role owner|member|viewer: the user's role in an account (the dashboard)" },
	{ "operator", "create", cmd_operator_create, "operator create --data DIR --email E: an operator of the mail room; prints {\"operator_id\",\"key\"}; the password from the terminal or stdin" },
	{ "upload", NULL, cmd_upload, "upload --data DIR [--account ID] [--mode test|live] --body JSON FILE: an audience CSV for a campaign (--body: POST /v1/uploads's body), validated here with a progress bar; the upload as JSON" },
	{ "ingest-scans", NULL, cmd_ingest_scans, "ingest-scans --data DIR FILE: USPS scan data (IV-MTR JSON or pipe-delimited) → tracking events" },
	{ "campaign", "send", cmd_campaign_send, "campaign send --data DIR [--mode test|live] CMP_ID: send a campaign (as POST /v1/campaigns/{id}/send) and show its progress while frankd creates the pieces" },
	{ "production", "cut", cmd_production_cut, "production cut --data DIR [--body '{\"cutoff\",\"products\",\"accounts\",\"include_test\"}'] [--mailer-id M]: cut a print run; prints it" },
	{ "production", "list", cmd_production_list, "production list --data DIR [RUN]: the print runs, newest first (older than RUN)" },
	{ "production", "show", cmd_production_show, "production show --data DIR RUN: one print run" },
	{ "production", "build", cmd_production_build, "production build --data DIR RUN: build its files here (frankd's job does otherwise)" },
	{ "production", "printed", cmd_production_printed, "production printed --data DIR RUN [--body '{\"lots\"|\"pieces\"}'] [--file F]: confirm printed (F: piece ids or DataMatrix contents)" },
	{ "production", "mailed", cmd_production_mailed, "production mailed --data DIR RUN [--body '{\"lots\"|\"pieces\",\"mail_date\"}'] [--file F]: confirm mailed" },
	{ "production", "spoiled", cmd_production_spoiled, "production spoiled --data DIR RUN (--file F | --body '{\"pieces\"}'): back for the next run's reprint lot" },
	{ "production", "informed-delivery", cmd_production_informed_delivery, "production informed-delivery --data DIR [--mode live|all] [--public-url URL]: the Informed Delivery campaigns as a CSV for the USPS portal (Frank cannot submit them); all: test ones too" },
	{ "render", NULL, cmd_render, "render --product letter --input FILE_OR_URL [--merge JSON] [--to JSON] [--from JSON] [--options JSON] -o OUT.pdf [--thumbs DIR]: render a piece to PDF without a server" },
	{ "settings", "get", cmd_settings_get, "settings get --data DIR [--account ID]: the account settings as JSON" },
	{ "settings", "set", cmd_settings_set, "settings set --data DIR [--account ID] JSON: change them, e.g. '{\"default_use_type\":\"operational\"}'" },
	{ "pieces", "why", cmd_pieces_why, "pieces why --data DIR ID: why a mail piece is where it is (failed and Lob's reason, waiting to render and the last error, its print run, missing remote files) as JSON" },
	{ "backup", NULL, cmd_backup, "backup --data DIR OUT: a consistent copy of DIR (database snapshot, then asset files) into the new directory OUT, while frankd runs; prints a JSON summary" },
	{ "restore", NULL, cmd_restore, "restore --data DIR [--force] BACKUP: put a backup into DIR (empty, or --force to replace its database); refused while frankd runs on DIR" },
	{ "check", NULL, cmd_check, "check --data DIR: integrity check, schema version, every asset present with its SHA-256; JSON on stdout, exit 1 when something is wrong" },
	{ "migrate-store", NULL, cmd_migrate_store, "migrate-store --from DIR --to postgres://…: copy DIR's SQLite store (frankd stopped) into PostgreSQL, resumable and idempotent, then compare every table (row count, SHA-256); files stay in DIR, so start the nodes with --database and --data DIR; JSON on stdout, exit 1 on a difference" },
	{ "verify", NULL, cmd_verify, "verify [--zip-data F] [--reference-addresses F] [--case proper] (\"ADDRESS\" | --file F): US verification as JSON lines" },
};

static int usage(int rc)
{
	fprintf(rc ? stderr : stdout, "usage: frank COMMAND (--data DIR: FRANK_DATA, else %s)\n",
		data_dir_default());
	fprintf(rc ? stderr : stdout, "  frank --version: the version and the source URL (FRANK_SOURCE_URL)\n");
	fprintf(rc ? stderr : stdout, "  frank barcode imb TRACKING20 [ROUTING] | impb STC MAILER_ID SERIAL | impb-check PIC: an Intelligent Mail barcode (imb), an IMpb tracking number (impb), or a check of one (impb-check)\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(rc ? stderr : stdout, "  frank %s\n", commands[i].help);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_args a = { 0 };
	if (argc < 2)
		return usage(2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return usage(0);
	if (strcmp(argv[1], "--version") == 0) {
		version_print(stdout, "frank", source_url_from_env());
		return 0;
	}
	if (clock_init_from_env() < 0) {
		fprintf(stderr, "frank: FRANK_CLOCK is not an ISO-8601 time\n");
		return 2;
	}
	if (strcmp(argv[1], "barcode") == 0)	/* positional arguments only */
		return cmd_barcode(&a, argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[1], c->name) != 0)
			continue;
		if (c->sub && (argc < 3 || strcmp(argv[2], c->sub) != 0))
			continue;
		if (parse_args(argc, argv, c->sub ? 3 : 2, &a) < 0)
			return 2;
		return c->fn(&a);
	}
	return usage(2);
}
