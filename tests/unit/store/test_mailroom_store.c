// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail room's reads (store/mailroom_store.h): the pieces due count only what a cut would
 * take (rendered, not canceled, in no run, due by the cutoff; per kind, account and mode);
 * failed renders come newest first across accounts with their reason, a page at a time by
 * the cursor piece; the queries run on their index (INDEXED BY: a plan without it is an
 * error, so a passing test is the index in use).
 */
#include "store/mailroom_store.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *s;
#define KINDS "[\"letter\",\"postcard\",\"self_mailer\",\"check\"]"

static void put(const char *account, enum store_mode mode, const char *kind, const char *id,
		const char *status, const char *send_date, long long created_ms)
{
	char json[512];
	snprintf(json, sizeof(json),
		 "{\"id\":\"%s\",\"status\":\"%s\",\"send_date\":\"%s\"%s}", id, status, send_date,
		 strcmp(status, "failed") == 0
			 ? ",\"failure_reason\":{\"failure_reason\":\"invalid_file_url\","
			   "\"remediation\":\"Fix the URL\"}"
			 : "");
	struct store_change ch = { .op = STORE_INSERT, .sc = { account, mode, kind },
				   .obj = { .id = id, .created_ms = created_ms,
					    .updated_ms = created_ms, .json = json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	struct api_error err;
	CHECK_INT(store_apply_sync(s, &set, &err), 0, "%s stored", id);
}

static long long due_of(const struct mailroom_due *d, int n, const char *kind,
			const char *account, enum store_mode mode)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(d[i].kind, kind) && !strcmp(d[i].account_id, account) &&
		    d[i].mode == mode)
			return d[i].n;
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/frank-mailroom-XXXXXX";
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	const char *today = "2026-12-07T10:00:00.000Z", *later = "2026-12-09T10:00:00.000Z";
	put("acc_a", MODE_LIVE, "letter", "ltr_1", "rendered", today, 1);
	put("acc_a", MODE_LIVE, "letter", "ltr_2", "rendered", today, 2);
	put("acc_b", MODE_LIVE, "letter", "ltr_3", "rendered", today, 3);
	put("acc_a", MODE_TEST, "letter", "ltr_4", "rendered", today, 4);
	put("acc_a", MODE_LIVE, "postcard", "psc_1", "rendered", today, 5);
	put("acc_a", MODE_LIVE, "letter", "ltr_5", "rendered", later, 6);	/* not due yet */
	put("acc_a", MODE_LIVE, "letter", "ltr_6", "processed", today, 7);
	put("acc_a", MODE_LIVE, "letter", "ltr_7", "failed", today, 8);
	put("acc_b", MODE_TEST, "postcard", "psc_2", "failed", today, 9);
	put("acc_b", MODE_LIVE, "letter", "ltr_8", "failed", today, 10);
	put("acc_a", MODE_LIVE, "address", "adr_1", "rendered", today, 11);	/* not mail */

	long long cutoff = 1796644800000LL;	/* 2026-12-07T12:00:00Z */
	struct mailroom_due d[16];
	int n = mailroom_due_counts(s, KINDS, cutoff, d, 16, &err);
	CHECK_INT(n, 4, "four groups due");
	CHECK_INT(due_of(d, n, "letter", "acc_a", MODE_LIVE), 2, "acc_a's live letters due today");
	CHECK_INT(due_of(d, n, "letter", "acc_b", MODE_LIVE), 1, "acc_b's");
	CHECK_INT(due_of(d, n, "letter", "acc_a", MODE_TEST), 1, "test apart");
	CHECK_INT(due_of(d, n, "postcard", "acc_a", MODE_LIVE), 1, "postcards apart");
	n = mailroom_due_counts(s, "[\"letter\"]", cutoff + 3 * 86400000LL, d, 16, &err);
	CHECK_INT(due_of(d, n, "letter", "acc_a", MODE_LIVE), 3, "a later cutoff takes ltr_5 too");

	struct mailroom_failed f[4];
	n = mailroom_failed_list(s, KINDS, NULL, f, 2, &err);
	CHECK_INT(n, 2, "a page of two");
	CHECK_STR(f[0].id, "ltr_8", "newest first");
	CHECK_STR(f[1].id, "psc_2", "across accounts, modes and kinds");
	CHECK(f[1].mode == MODE_TEST, "its mode");
	CHECK_STR(f[0].reason, "invalid_file_url", "Lob's reason");
	CHECK_STR(f[0].remediation, "Fix the URL", "and remediation");
	n = mailroom_failed_list(s, KINDS, "psc_2", f, 4, &err);
	CHECK_INT(n, 1, "the next page");
	CHECK_STR(f[0].id, "ltr_7", "older than the cursor");
	CHECK_STR(f[0].account_id, "acc_a", "its account");

	struct mailroom_lot_state st[4];
	CHECK_INT(mailroom_run_states(s, "run_0000000000000001", st, 4, &err), 0,
		  "a run without pieces has no states");
	store_free(s);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
