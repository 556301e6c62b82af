// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank upload: an audience CSV for a campaign, without the server.
 *   frank upload --data DIR [--account ID] [--mode test|live] --body JSON FILE
 * --body is POST /v1/uploads's body ({"campaignId", the mappings}). The upload is created,
 * its file copied into the data directory (streamed, any size), its header checked against
 * the mappings, then validated here as frankd's job would (docs/internals/uploads.md): a
 * progress bar on a terminal, plain lines otherwise (stderr), the upload as JSON on stdout.
 * Exit 0 when it ends Scheduled, 1 when Errored or refused.
 */
#include "api/uploads.h"
#include "av/verify.h"
#include "av/zipdb.h"
#include "cli/commands.h"
#include "core/timeutil.h"
#include "mail/upload_map.h"
#include "mail/upload_export.h"
#include "mail/upload_validate.h"
#include "store/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct bar {
	bool tty;
	long long last_ms;
};

static void show(void *ctx, const struct upload_progress *p)
{
	struct bar *b = ctx;
	bool end = strcmp(p->state, UPLOAD_VALIDATING) != 0;
	double frac = p->size ? (double)p->bytes / (double)p->size : 1.0;
	if (frac > 1.0)
		frac = 1.0;
	if (!b->tty) {
		fprintf(stderr, "%s: %lld rows, %lld valid, %lld failed, %llu of %llu bytes\n",
			p->state, p->total, p->valid, p->failed, p->bytes, p->size);
		return;
	}
	long long now = clock_mono_ms();
	if (!end && now - b->last_ms < 100)
		return;	/* ten redraws a second are plenty */
	b->last_ms = now;
	char bar[41];
	int full = (int)(frac * 40);
	for (int i = 0; i < 40; i++)
		bar[i] = i < full ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %lld rows, %lld valid, %lld failed%s", bar,
		(int)(frac * 100), p->total, p->valid, p->failed, end ? "\n" : "");
}

/* the scope the command works in: --account (or the first) and --mode */
static int scope_of(struct store *s, const struct cli_args *a, char account[40],
		    struct store_scope *sc)
{
	if (a->account)
		snprintf(account, 40, "%s", a->account);
	else if (store_account_first(s, account) != 0)
		return -1;
	if (a->mode && strcmp(a->mode, "test") != 0 && strcmp(a->mode, "live") != 0)
		return -1;
	*sc = (struct store_scope){ .account_id = account, .kind = UPLOAD_KIND,
				    .mode = a->mode && strcmp(a->mode, "live") == 0 ? MODE_LIVE
										    : MODE_TEST };
	return 0;
}

/* the upload (Ready for Validation) and its file, in one transaction */
static int record(struct store *s, const struct store_scope *sc, json_t *upload,
		  const char *key, unsigned long long bytes, const char *filename,
		  struct api_error *err)
{
	char input_id[40], input[200];
	const char *id = json_string_value(json_object_get(upload, "id"));
	long long now = clock_now_ms();
	upload_input_id(id, input_id);
	snprintf(input, sizeof(input), "{\"file\":\"%s\",\"bytes\":%llu}", key, bytes);
	json_object_set_new(upload, "state", json_string(UPLOAD_READY));
	json_object_set_new(upload, "originalFilename", json_string(filename));
	char *json = json_dumps(upload, JSON_COMPACT);
	struct store_change ch[2] = {
		{ .op = STORE_INSERT, .sc = *sc,
		  .obj = { .id = id, .created_ms = now, .updated_ms = now, .json = json } },
		{ .op = STORE_INSERT, .sc = *sc,
		  .obj = { .id = input_id, .created_ms = now, .updated_ms = now, .json = input } },
	};
	ch[1].sc.kind = UPLOAD_INPUT_KIND;
	struct store_change_set set = { .changes = ch, .n = 2 };
	int rc = json ? store_apply_sync(s, &set, err) : api_fail(err, ERR_INTERNAL, "no memory");
	free(json);
	return rc;
}

int cmd_upload(struct cli_args *a)
{
	struct api_error err = { .kind = ERR_NONE };
	char account[40], key[ASSET_KEY_MAX], path[PATH_MAX], msg[300], zerr[256];
	struct store_scope sc;
	struct av_engine av = { 0 };
	if (!a->data || !a->body || !a->positional) {
		fprintf(stderr, "usage: frank upload --data DIR [--account ID] [--mode test|live] "
				"--body JSON FILE\n");
		return 2;
	}
	json_t *body = json_loads(a->body, 0, NULL), *upload = NULL;
	int fd = open(a->positional, O_RDONLY | O_CLOEXEC);
	struct stat stt;
	struct store_options opt = { .dir = a->data, .pool_size = 2, .sync_full = true };
	struct store *s = NULL;
	int rc = 1;
	if (!json_is_object(body))
		fprintf(stderr, "frank: --body must be a JSON object (POST /v1/uploads's body)\n");
	else if (fd < 0 || fstat(fd, &stt) < 0)
		fprintf(stderr, "frank: %s: %s\n", a->positional, strerror(errno));
	else if (!(s = store_open(&opt, &err)))
		fprintf(stderr, "frank: %s\n", err.message);
	else if (scope_of(s, a, account, &sc) < 0)
		fprintf(stderr, "frank: no such account, or --mode is not test or live\n");
	else if (!(upload = upload_new(s, &sc, body, clock_now_ms(), &err)))
		fprintf(stderr, "frank: %s\n", err.message);
	else if (upload_mappings_check(upload, msg, sizeof(msg)) < 0 ||
		 upload_map_check_file(upload, a->positional, msg, sizeof(msg)) < 0)
		fprintf(stderr, "frank: %s\n", msg);
	else if (av_engine_load(&av, zipdb_default_path(), NULL, zerr, sizeof(zerr)) < 0)
		fprintf(stderr, "frank: address data: %s\n", zerr);
	else if (assets_put_fd(a->data, fd, "csv", key, &err) < 0 ||
		 assets_path(a->data, key, path, sizeof(path)) < 0 ||
		 record(s, &sc, upload, key, (unsigned long long)stt.st_size,
			strrchr(a->positional, '/') ? strrchr(a->positional, '/') + 1
						    : a->positional, &err) < 0)
		fprintf(stderr, "frank: %s\n", err.message);
	else
		rc = 0;
	if (rc == 0) {
		struct bar b = { .tty = isatty(STDERR_FILENO) };
		struct upload_jobs u = { .store = s, .av = &av, .data_dir = a->data,
					 .progress = show, .progress_ctx = &b };
		const char *id = json_string_value(json_object_get(upload, "id"));
		char *json = NULL;
		struct arena *ar = arena_new();
		rc = upload_validate_run(&u, &sc, id, NULL, &err) < 0 ||
			     store_object_get(s, &sc, id, ar, &json, &err) != 0
			     ? 1 : 0;
		json_t *out = rc ? NULL : json_loads(json, 0, NULL);
		json_object_del(out, UPLOAD_FAILURES_FILE);	/* frankd's answers sign it */
		char *text = out ? json_dumps(out, JSON_COMPACT) : NULL;
		if (rc)
			fprintf(stderr, "frank: %s\n", err.message);
		else
			printf("%s\n", text ? text : json);
		free(text);
		json_decref(out);
		if (json && !strstr(json, "\"state\":\"" UPLOAD_SCHEDULED "\""))
			rc = 1;
		arena_free(ar);
	}
	if (fd >= 0)
		close(fd);
	if (av.zips)
		av_engine_release(&av);
	json_decref(upload);
	json_decref(body);
	store_free(s);
	return rc;
}
