// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank production …: the print-run endpoints' twins for the mail room's scripts, working on
 * the data directory (every account, like `frank ingest-scans`); JSON on stdout, errors as
 * "frank: message" on stderr with exit 1 (2: usage).
 *   cut     --data DIR [--body JSON] [--mailer-id M]   {cutoff?, products?, accounts?, include_test?}
 *   list    --data DIR
 *   show    --data DIR RUN
 *   build   --data DIR RUN        builds its files here (frankd's job does it otherwise)
 *   printed|mailed|spoiled --data DIR RUN [--body JSON] [--file F]
 *           F: piece ids or scanned DataMatrix contents, one per line
 * Links in the answers are signed for --public-url / FRANK_PUBLIC_URL when given.
 */
#include "cli/commands.h"
#include "core/timeutil.h"
#include "production/infd_export.h"
#include "production/runs.h"
#include "store/store.h"
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct runs_config config_of(const struct cli_args *a)
{
	const char *mid = a->mailer_id ? a->mailer_id : getenv("FRANK_MAILER_ID");
	const char *url = a->public_url ? a->public_url : getenv("FRANK_PUBLIC_URL");
	const char *print_dir = getenv("FRANK_PRINT_DIR");
	/* the mail room's identity as frankd's: from the same FRANK_* variables */
	return (struct runs_config){ .data_dir = a->data,
				     .mailer_id = mid && *mid ? mid : RUN_PLACEHOLDER_MAILER_ID,
				     .print_dir = print_dir && *print_dir ? print_dir : NULL,
				     .file_url = url && *url ? url : NULL,
				     .mailer_name = getenv("FRANK_MAILER_NAME"),
				     .mailer_address = getenv("FRANK_MAILER_ADDRESS"),
				     .post_office = getenv("FRANK_POST_OFFICE"),
				     .permit = getenv("FRANK_PERMIT"),
				     .press_sheet = getenv("FRANK_PRESS_SHEET"),
				     .inserter_marks = getenv("FRANK_INSERTER_MARKS") };
}

static struct store *open_store(const struct cli_args *a, struct api_error *err)
{
	struct store_options opt = { .dir = a->data, .pool_size = 2, .sync_full = true };
	return store_open(&opt, err);
}

/* prints v (consumed) or the error; the exit code */
static int done(json_t *v, const struct api_error *err)
{
	if (!v) {
		fprintf(stderr, "frank: %s\n", err->message);
		return 1;
	}
	char *text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (!text)
		return 1;
	printf("%s\n", text);
	free(text);
	return 0;
}

static json_t *body_of(const struct cli_args *a, struct api_error *err)
{
	if (!a->body)
		return json_object();
	json_error_t je;
	json_t *b = json_loads(a->body, 0, &je);
	if (!json_is_object(b)) {
		json_decref(b);
		api_fail(err, ERR_INVALID, "--body must be a JSON object (%s)", je.text);
		return NULL;
	}
	return b;
}

int cmd_production_cut(struct cli_args *a)
{
	struct api_error err;
	struct runs_config cfg = config_of(a);
	json_t *body = body_of(a, &err), *run = NULL;
	struct store *s = body ? open_store(a, &err) : NULL;
	struct arena *ar = arena_new();
	struct run_request rq;
	char id[40];
	long long now = clock_now_ms();
	if (s && ar && runs_parse_request(s, body, now, ar, &rq, &err) == 0 &&
	    runs_cut(s, &cfg, &rq, now, id, &err) == 0)
		run = runs_get(s, &cfg, id, now, &err);
	int rc = done(run, &err);
	arena_free(ar);
	json_decref(body);
	store_free(s);
	return rc;
}

int cmd_production_list(struct cli_args *a)
{
	struct api_error err;
	struct runs_config cfg = config_of(a);
	struct store *s = open_store(a, &err);
	int rc = done(s ? runs_list(s, &cfg, 100, a->positional, clock_now_ms(), &err) : NULL, &err);
	store_free(s);
	return rc;
}

static int need_run(const struct cli_args *a)
{
	if (a->positional)
		return 0;
	fprintf(stderr, "frank: name the run: frank production … --data DIR run_…\n");
	return -1;
}

int cmd_production_show(struct cli_args *a)
{
	struct api_error err;
	struct runs_config cfg = config_of(a);
	if (need_run(a) < 0)
		return 2;
	struct store *s = open_store(a, &err);
	int rc = done(s ? runs_get(s, &cfg, a->positional, clock_now_ms(), &err) : NULL, &err);
	store_free(s);
	return rc;
}

int cmd_production_build(struct cli_args *a)
{
	struct api_error err;
	struct runs_config cfg = config_of(a);
	if (need_run(a) < 0)
		return 2;
	struct store *s = open_store(a, &err);
	json_t *run = s && runs_build(s, &cfg, a->positional, &err) == 0
			      ? runs_get(s, &cfg, a->positional, clock_now_ms(), &err)
			      : NULL;
	int rc = done(run, &err);
	store_free(s);
	return rc;
}

/* --file: one piece id or DataMatrix contents per line, into body.pieces */
static int pieces_from_file(const char *path, json_t *body, struct api_error *err)
{
	FILE *f = fopen(path, "r");
	char line[512];
	if (!f)
		return api_fail(err, ERR_INVALID, "%s: %s", path, strerror(errno));
	json_t *pieces = json_array();
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n)
			json_array_append_new(pieces, json_string(line));
	}
	fclose(f);
	json_object_set_new(body, "pieces", pieces);
	return 0;
}

static int confirm(struct cli_args *a, enum run_confirm what)
{
	struct api_error err;
	struct runs_config cfg = config_of(a);
	if (need_run(a) < 0)
		return 2;
	json_t *body = body_of(a, &err), *run = NULL;
	struct store *s = NULL;
	long long now = clock_now_ms(), mail_ms;
	if (body && (!a->file || pieces_from_file(a->file, body, &err) == 0) &&
	    runs_mail_time(json_object_get(body, "mail_date"), now, &mail_ms, &err) == 0 &&
	    (s = open_store(a, &err))) {
		struct run_refs refs = { json_object_get(body, "lots"), json_object_get(body, "pieces") };
		if (what == CONFIRM_SPOILED && !refs.pieces)
			api_fail(&err, ERR_INVALID, "name the spoiled pieces (--file or --body '{\"pieces\":[…]}')");
		else
			run = runs_confirm(s, &cfg, a->positional, what, &refs, mail_ms, now, &err);
	}
	int rc = done(run, &err);
	json_decref(body);
	store_free(s);
	return rc;
}

int cmd_production_printed(struct cli_args *a)
{
	return confirm(a, CONFIRM_PRINTED);
}

int cmd_production_mailed(struct cli_args *a)
{
	return confirm(a, CONFIRM_MAILED);
}

int cmd_production_spoiled(struct cli_args *a)
{
	return confirm(a, CONFIRM_SPOILED);
}

/* production informed-delivery: the campaigns' CSV for the USPS portal, on stdout, as
 * GET /v1/_frank/production/informed_delivery_campaigns.csv answers it */
int cmd_production_informed_delivery(struct cli_args *a)
{
	struct api_error err;
	bool all = a->mode && strcmp(a->mode, "all") == 0;
	if (a->mode && !all && strcmp(a->mode, "live") != 0) {
		fprintf(stderr, "frank: --mode must be live or all\n");
		return 2;
	}
	struct store *s = open_store(a, &err);
	if (!s) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 1;
	}
	const char *url = a->public_url ? a->public_url : getenv("FRANK_PUBLIC_URL");
	char *csv = NULL;
	size_t len = 0;
	int rc = infd_export_csv(s, a->data, url && *url ? url : NULL, all, &csv, &len, &err);
	store_free(s);
	if (rc < 0) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 1;
	}
	rc = fwrite(csv, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : 1;
	free(csv);
	return rc;
}
