// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The overview's counts (dash_piece_counts, migration 20's piece_days): mail pieces per day,
 * kind and status follow every insert, status change, cancel and purge; other kinds, other
 * accounts and modes, and days before the window are not counted.
 */
#include "store/dashboard_store.h"
#include "store/store.h"
#include "test.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400000LL
#define SINCE (20000 * DAY)	/* a UTC midnight */

static struct store *s;
static struct api_error err;

static int apply(struct store_change *ch)
{
	struct store_change_set set = { .changes = ch, .n = 1 };
	return store_apply_sync(s, &set, &err);
}

static int insert(const char *account, enum store_mode mode, const char *kind, const char *id,
		  long long created, const char *status)
{
	char json[160];
	if (status)
		snprintf(json, sizeof(json), "{\"id\":\"%s\",\"status\":\"%s\"}", id, status);
	else
		snprintf(json, sizeof(json), "{\"id\":\"%s\"}", id);
	struct store_change ch = { .op = STORE_INSERT, .sc = { account, mode, kind } };
	ch.obj = (struct store_object){ .id = id, .created_ms = created, .updated_ms = created,
					.json = json };
	return apply(&ch);
}

static int change(enum store_op op, const char *kind, const char *id, const char *json)
{
	struct store_change ch = { .op = op, .sc = { "acc_a", MODE_TEST, kind },
				   .mutate = store_mutate_replace, .ctx = (void *)json };
	ch.obj = (struct store_object){ .id = id, .updated_ms = SINCE + DAY };
	return apply(&ch);
}

/* the count of (day, kind, status) in acc_a's test mode, from SINCE; -1 on error */
static long long count(int day, const char *kind, const char *status)
{
	struct dash_count rows[64];
	int n = dash_piece_counts(s, "acc_a", MODE_TEST, SINCE, rows, 64, &err);
	if (n < 0)
		return -1;
	long long total = 0;
	for (int i = 0; i < n; i++)
		if (rows[i].day == day && strcmp(rows[i].kind, kind) == 0 &&
		    strcmp(rows[i].status, status) == 0)
			total += rows[i].n;
	return total;
}

static int rows_now(void)
{
	struct dash_count rows[64];
	return dash_piece_counts(s, "acc_a", MODE_TEST, SINCE, rows, 64, &err);
}

int main(void)
{
	char dir[] = "/tmp/frank-piece-days-XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");

	CHECK_INT(insert("acc_a", MODE_TEST, "letter", "ltr_1", SINCE + 10, "processed"), 0, "a letter");
	CHECK_INT(insert("acc_a", MODE_TEST, "letter", "ltr_2", SINCE + DAY - 1, "processed"), 0,
		  "another the same day");
	CHECK_INT(insert("acc_a", MODE_TEST, "postcard", "psc_1", SINCE + 2 * DAY, "rendered"), 0,
		  "a postcard two days later");
	CHECK_INT(count(0, "letter", "processed"), 2, "two letters processed on day 0");
	CHECK_INT(count(2, "postcard", "rendered"), 1, "the postcard on day 2");

	insert("acc_a", MODE_TEST, "letter", "ltr_old", SINCE - 1, "rendered");
	insert("acc_a", MODE_TEST, "address", "adr_1", SINCE + 10, "processed");
	insert("acc_a", MODE_TEST, "letter", "ltr_nostatus", SINCE + 10, NULL);
	insert("acc_a", MODE_LIVE, "letter", "ltr_live", SINCE + 10, "processed");
	insert("acc_b", MODE_TEST, "letter", "ltr_b", SINCE + 10, "processed");
	CHECK_INT(rows_now(), 2, "not counted: before the window, other kinds, no status, live "
				 "mode, another account");
	CHECK_INT(count(0, "letter", "processed"), 2, "still two");

	CHECK_INT(change(STORE_UPDATE, "letter", "ltr_1", "{\"id\":\"ltr_1\",\"status\":\"rendered\"}"),
		  0, "ltr_1 rendered");
	CHECK_INT(count(0, "letter", "processed"), 1, "one processed left");
	CHECK_INT(count(0, "letter", "rendered"), 1, "one rendered");
	CHECK_INT(change(STORE_UPDATE, "letter", "ltr_1",
			 "{\"id\":\"ltr_1\",\"status\":\"rendered\",\"x\":1}"),
		  0, "an update that keeps the status");
	CHECK_INT(count(0, "letter", "rendered"), 1, "counted once");
	CHECK_INT(change(STORE_DELETE, "letter", "ltr_2",
			 "{\"id\":\"ltr_2\",\"status\":\"processed\",\"deleted\":true}"),
		  0, "ltr_2 canceled");
	CHECK_INT(count(0, "letter", "processed"), 0, "no processed letter left");
	CHECK_INT(count(0, "letter", "canceled"), 1, "a canceled one");
	CHECK_INT(rows_now(), 3, "zero counts are not rows");

	CHECK_INT(change(STORE_UPDATE, "postcard", "psc_1", "{\"id\":\"psc_1\",\"status\":\"failed\"}"),
		  0, "psc_1 failed");
	CHECK_INT(count(2, "postcard", "failed"), 1, "counted as failed");
	CHECK_INT(count(2, "postcard", "rendered"), 0, "no longer as rendered");
	store_free(s);
	/* no code path deletes a piece's row outright today; a manual repair may */
	char path[64], cmd[64];
	snprintf(path, sizeof(path), "%s/frank.db", dir);
	sqlite3 *db;
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK, "the database, outside the store");
	CHECK_INT(sqlite3_exec(db, "DELETE FROM objects WHERE id = 'psc_1'", NULL, NULL, NULL),
		  SQLITE_OK, "a row deleted outright");
	sqlite3_close(db);
	s = store_open(&opt, &err);
	CHECK_INT(count(2, "postcard", "failed"), 0, "its count goes with it");
	store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
