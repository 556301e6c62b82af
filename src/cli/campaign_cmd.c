/*
 * frank campaign send --data DIR [--mode test|live] CMP_ID: POST /v1/campaigns/{id}/send for
 * the mail room's scripts, on the data directory (the campaign's own account): the same checks
 * and the same transaction (api/campaigns.h), then the send's progress until every valid row
 * holds its piece — a bar on a terminal, a line a second otherwise. The pieces are created by
 * frankd's campaign.send job (it sees the job within its 2 s recheck); with no frankd on DIR
 * the send stays queued and this says so.
 */
#include "api/campaigns.h"
#include "cli/commands.h"
#include "core/arena.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/req.h"
#include "store/campaign_store.h"
#include "store/store.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define STALL_MS 30000	/* no progress for this long: frankd is not sending */

static int fail(const char *what, const struct api_error *err)
{
	fprintf(stderr, "frank: %s%s\n", what, err ? err->message : "");
	return 1;
}

static void progress(bool tty, long long done, long long total, long long failed)
{
	if (tty) {
		int width = 40, fill = total ? (int)(done * width / total) : width;
		printf("\r[%.*s%*s] %lld/%lld pieces%s", fill,
		       "########################################", width - fill, "", done, total,
		       failed ? " (some rows refused)" : "");
	} else {
		printf("sent %lld of %lld (%lld rows refused at the send)\n", done, total, failed);
	}
	fflush(stdout);
}

/* watches upload_id's rows until each has its piece or failed; 0, or 1 when it stalls */
static int watch(struct store *s, const char *upload_id, long long total)
{
	bool tty = isatty(STDOUT_FILENO);
	long long last = -1, last_change = clock_now_ms();
	struct api_error err;
	for (;;) {
		long long valid, with_piece;
		if (store_upload_rows_count(s, upload_id, &valid, &with_piece, &err) < 0)
			return fail("", &err);
		long long failed = total - valid, done = with_piece + failed;
		if (done != last) {
			progress(tty, with_piece, total, failed);
			last = done;
			last_change = clock_now_ms();
		}
		if (done >= total) {
			if (tty)
				printf("\n");
			return 0;
		}
		if (clock_now_ms() - last_change > STALL_MS) {
			fprintf(stderr, "%sfrank: no progress for %d s: is frankd running on this data "
					"directory? The send is queued and starts when it does.\n",
				tty ? "\n" : "", STALL_MS / 1000);
			return 1;
		}
		struct timespec ts = { 0, tty ? 100000000L : 1000000000L };
		nanosleep(&ts, NULL);
	}
}

int cmd_campaign_send(struct cli_args *a)
{
	struct api_error err;
	if (!a->data || !a->positional)
		return fprintf(stderr, "frank: campaign send --data DIR [--mode test|live] CMP_ID\n"), 2;
	enum store_mode mode = a->mode && strcmp(a->mode, "live") == 0 ? MODE_LIVE : MODE_TEST;
	if (a->mode && mode == MODE_TEST && strcmp(a->mode, "test") != 0)
		return fprintf(stderr, "frank: --mode is test or live\n"), 2;
	struct store_options opt = { .dir = a->data, .pool_size = 2, .sync_full = true };
	struct store *s = store_open(&opt, &err);
	if (!s)
		return fail("", &err);
	struct arena *ar = arena_new();
	char *json;
	int rc = 1;
	if (store_object_get_unscoped(s, "campaign", a->positional, ar, &json, &err) != 0) {
		fprintf(stderr, "frank: campaign %s not found\n", a->positional);
		goto out;
	}
	json_t *cmp = arena_own_json(ar, json_loads(json, 0, NULL));
	struct app app = { .store = s, .data_dir = a->data, .public_url = "", .asset_url = "" };
	struct req rq = { .arena = ar, .app = &app, .now_ms = clock_now_ms() };
	snprintf(rq.key.account_id, sizeof(rq.key.account_id), "%s",
		 json_string_value(json_object_get(cmp, "account_id")));
	rq.key.mode = mode;
	rq.scope = (struct store_scope){ rq.key.account_id, mode, "campaign" };
	struct store_change *ch[2];
	json_t *sent;
	if (campaign_send_changes(&rq, a->positional, ch, &sent, &err) < 0) {
		fail("", &err);
		goto out;
	}
	struct store_change set_changes[2] = { *ch[0], *ch[1] };
	struct store_change_set set = { .changes = set_changes, .n = 2 };
	int applied = store_apply_sync(s, &set, &err);
	if (applied != 0) {
		fail(applied > 0 ? "the campaign is gone: " : "", &err);
		goto out;
	}
	const char *upload_id = json_string_value(json_object_get(
		json_array_get(json_object_get(sent, "uploads"), 0), "id"));
	long long valid = 0, with_piece = 0;
	if (!upload_id || store_upload_rows_count(s, upload_id, &valid, &with_piece, &err) < 0) {
		fail("the campaign's upload: ", upload_id ? &err : NULL);
		goto out;
	}
	printf("campaign %s sent: %lld pieces to create, send_date %s\n", a->positional, valid,
	       json_string_value(json_object_get(sent, "send_date")));
	rc = watch(s, upload_id, valid);
out:
	arena_free(ar);
	store_free(s);
	return rc;
}
