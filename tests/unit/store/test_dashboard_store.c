// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard's store calls: a user owns the account it was made for, grants add accounts
 * and change roles, a session reads its role fresh (a role taken away shows at once), expired
 * sessions are gone, switching account and mode, the audit log newest first with paging, and
 * the overview's counts per kind, status and day.
 */
#include "store/c321_store.h"
#include "store/dashboard_store.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400000LL

static void put_letter(struct store *s, const char *acc, const char *id, long long at,
		       const char *status)
{
	char json[160];
	struct api_error err;
	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"object\":\"letter\",\"status\":\"%s\"}", id,
		 status);
	struct store_change ch = { .op = STORE_INSERT,
				   .sc = { acc, MODE_TEST, "letter" },
				   .obj = { .id = id, .created_ms = at, .updated_ms = at, .json = json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	CHECK_INT(store_apply_sync(s, &set, &err), 0, "letter %s stored", id);
}

int main(void)
{
	char dir[] = "/tmp/frank-dash-XXXXXX";
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	char acc1[40], acc2[40];
	CHECK_INT(store_account_create(s, "first", acc1, &err), 0, "account 1");
	CHECK_INT(store_account_create(s, "second", acc2, &err), 0, "account 2");

	struct c321_user u = { .id = "usr_0000000000000001", .email = "ann@example.com",
			       .password_hash = "$argon2id$x", .created_ms = 1000 };
	snprintf(u.account_id, sizeof(u.account_id), "%s", acc1);
	CHECK_INT(c321_user_insert(s, &u, &err), 0, "user stored");
	struct dash_membership m[4];
	CHECK_INT(dash_member_list(s, u.id, m, 4, &err), 1, "one membership");
	CHECK_STR(m[0].account_id, acc1, "the account it was made for");
	CHECK_INT(m[0].role, ROLE_OWNER, "as owner");
	CHECK_STR(m[0].account_name, "first", "with the account's name");
	CHECK_INT(dash_member_set(s, u.id, acc2, ROLE_VIEWER, 2000, &err), 0, "grant viewer");
	CHECK_INT(dash_member_list(s, u.id, m, 4, &err), 2, "two accounts, oldest first");
	CHECK_INT(m[1].role, ROLE_VIEWER, "viewer of the second");
	CHECK(dash_member_set(s, u.id, acc2, ROLE_NONE, 2000, &err) < 0, "no role is refused");
	CHECK_INT(dash_role_parse("member"), ROLE_MEMBER, "role names");
	CHECK_INT(dash_role_parse("admin"), ROLE_NONE, "unknown role name");

	struct dash_session ds = { .expires_ms = 10 * DAY, .mode = MODE_TEST };
	snprintf(ds.user_id, sizeof(ds.user_id), "%s", u.id);
	snprintf(ds.email, sizeof(ds.email), "%s", u.email);
	snprintf(ds.account_id, sizeof(ds.account_id), "%s", acc2);
	snprintf(ds.csrf, sizeof(ds.csrf), "%064d", 7);
	CHECK_INT(dash_session_insert(s, "hash-a", &ds, 5000, &err), 0, "session stored");
	struct dash_session got;
	CHECK_INT(dash_session_get(s, "hash-a", 6000, &got, &err), 0, "session found");
	CHECK_INT(got.role, ROLE_VIEWER, "its role is the membership's");
	CHECK_STR(got.csrf, ds.csrf, "its form token");
	CHECK_INT(dash_member_set(s, u.id, acc2, ROLE_MEMBER, 7000, &err), 0, "role raised");
	CHECK_INT(dash_session_get(s, "hash-a", 7001, &got, &err), 0, "session again");
	CHECK_INT(got.role, ROLE_MEMBER, "the new role shows at once");
	CHECK_INT(dash_session_switch(s, "hash-a", acc1, MODE_LIVE, &err), 0, "switch");
	CHECK_INT(dash_session_get(s, "hash-a", 7002, &got, &err), 0, "session after switch");
	CHECK(strcmp(got.account_id, acc1) == 0 && got.mode == MODE_LIVE && got.role == ROLE_OWNER,
	      "account 1, live, owner there");
	CHECK_INT(dash_session_get(s, "hash-a", 10 * DAY, &got, &err), 1, "expired: not found");
	CHECK_INT(dash_session_get(s, "nothing", 7003, &got, &err), 1, "unknown token");
	CHECK_INT(dash_session_delete(s, "hash-a", &err), 0, "signed out");
	CHECK_INT(dash_session_get(s, "hash-a", 7004, &got, &err), 1, "gone");

	for (int i = 0; i < 5; i++) {
		char target[16];
		snprintf(target, sizeof(target), "run_%d", i);
		CHECK_INT(dash_audit_add(s, "op@example.com", "print_run.cut", target, "", 100 + i,
					 &err),
			  0, "audit entry %d", i);
	}
	struct dash_audit a[3];
	CHECK_INT(dash_audit_list(s, 0, a, 3, &err), 3, "a page of three");
	CHECK_STR(a[0].target, "run_4", "newest first");
	CHECK_INT(dash_audit_list(s, a[2].id, a, 3, &err), 2, "the rest");
	CHECK_STR(a[1].target, "run_0", "down to the oldest");

	long long today = 40 * DAY;
	put_letter(s, acc1, "ltr_0000000000000001", today - 2 * DAY + 5, "rendered");
	put_letter(s, acc1, "ltr_0000000000000002", today - 2 * DAY + 9, "rendered");
	put_letter(s, acc1, "ltr_0000000000000003", today, "processed");
	put_letter(s, acc1, "ltr_0000000000000004", today - 31 * DAY, "rendered");
	put_letter(s, acc2, "ltr_0000000000000005", today, "processed");
	struct dash_count c[8];
	int n = dash_piece_counts(s, acc1, MODE_TEST, today - 29 * DAY, c, 8, &err);
	CHECK_INT(n, 2, "two (day, status) groups in 30 days of account 1");
	CHECK(n == 2 && c[0].day == 27 && c[0].n == 2 && strcmp(c[0].status, "rendered") == 0,
	      "two rendered two days ago");
	CHECK(n == 2 && c[1].day == 29 && c[1].n == 1 && strcmp(c[1].status, "processed") == 0,
	      "one processed today");
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
