/*
 * The campaign.send job on a real store and jobs runtime: rows already holding a piece (a
 * send killed after some batches) are skipped, every other valid row gets exactly one letter
 * (campaign_id, the row's merge variables and metadata over the campaign's) in batches, an
 * invalid row is left alone, a row the letter rules refuse is marked failed with Lob's message,
 * and running the job again creates nothing more.
 */
#include "api/campaigns.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "jobs/jobs.h"
#include "store/campaign_store.h"
#include "store/store.h"
#include "test.h"
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROWS 450	/* three batches of 200, 200, 50 — less the rows done before */
#define DONE_BEFORE 150
#define CMP "cmp_00000000000000a1"
#define CRV "crv_00000000000000a1"
#define UPL "upl_00000000000000a1"

static int insert(struct store *s, const char *account, const char *kind, const char *id,
		  const char *json)
{
	struct api_error err;
	struct store_change ch = { .op = STORE_INSERT,
				   .sc = { .account_id = account, .mode = MODE_TEST, .kind = kind },
				   .obj = { .id = id, .created_ms = 1, .updated_ms = 1,
					    .json = json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	return store_apply_sync(s, &set, &err);
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long n = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* the audience as the uploads API leaves it: valid rows, one invalid, one the letter refuses */
static void audience(sqlite3 *db)
{
	int inserted = 0;
	sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	for (int i = 1; i <= ROWS; i++) {
		char piece[512], sql[1024], done[32];
		bool bad_zip = i == 407;	/* valid for the upload, refused by the letter's rules */
		snprintf(piece, sizeof(piece),
			 "{\"to\":{\"name\":\"Person %d\",\"address_line1\":\"%d King St\","
			 "\"address_city\":\"San Francisco\",\"address_state\":\"CA\","
			 "\"address_zip\":\"%s\"},\"merge_variables\":{\"name\":\"Person %d\"},"
			 "\"metadata\":{\"row\":\"%d\"}}", i, 100 + i, bad_zip ? "941" : "94107",
			 i, i);
		snprintf(done, sizeof(done), i <= DONE_BEFORE ? "'ltr_before%04d'" : "NULL", i);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO upload_rows (upload_id, row_no, valid, piece, piece_id) VALUES"
			 " ('" UPL "', %d, %d, '%s', %s)", i, i == 409 ? 0 : 1, piece,
			 done);
		inserted += sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
	}
	CHECK_INT(inserted, ROWS, "the rows inserted");
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
}

static void wait_idle(sqlite3 *db)
{
	for (int i = 0; i < 600; i++) {
		if (count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'campaign.send' AND state < 2") == 0)
			return;
		usleep(50000);
	}
}

int main(void)
{
	char dir[] = "/tmp/frank-cmp-XXXXXX", path[256], account[40];
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 4, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	CHECK_INT(store_account_create(s, "test", account, &err), 0, "an account");
	char cmp[512], crv[1024];
	snprintf(cmp, sizeof(cmp),
		 "{\"id\":\"" CMP "\",\"name\":\"Spring\",\"is_draft\":false,\"use_type\":"
		 "\"marketing\",\"metadata\":{\"wave\":\"1\",\"row\":\"campaign\"},"
		 "\"creatives\":[{\"id\":\"" CRV "\"}],\"object\":\"campaign\"}");
	snprintf(crv, sizeof(crv),
		 "{\"id\":\"" CRV "\",\"campaign_id\":\"" CMP "\",\"resource_type\":\"letter\","
		 "\"from\":{\"name\":\"Leore Avidar\",\"address_line1\":\"185 Berry St\","
		 "\"address_city\":\"San Francisco\",\"address_state\":\"CA\",\"address_zip\":"
		 "\"94107\"},\"details\":{\"color\":false},\"file\":\"<p>Hi {{name}}</p>\","
		 "\"object\":\"creative\"}");
	CHECK_INT(insert(s, account, "campaign", CMP, cmp), 0, "a sent campaign");
	CHECK_INT(insert(s, account, "creative", CRV, crv), 0, "its letter creative");
	snprintf(path, sizeof(path), "%s/frank.db", dir);
	sqlite3 *db;
	CHECK_INT(sqlite3_open(path, &db), SQLITE_OK, "the database, for the test's own rows");
	sqlite3_busy_timeout(db, 5000);
	audience(db);

	struct app app = { .store = s, .data_dir = dir, .public_url = "http://x",
			   .asset_url = "http://x" };
	struct jobs *j = jobs_new(s);
	CHECK_INT(campaign_jobs_register(j, &app), 0, "campaign kinds registered");
	CHECK_INT(jobs_start(j, true), 0, "runtime starts");
	char send[25], payload[256];
	time_format_iso(clock_now_ms() + 86400000LL, send);
	snprintf(payload, sizeof(payload),
		 "{\"upload_id\":\"" UPL "\",\"creative_id\":\"" CRV "\",\"send_date\":\"%s\"}",
		 send);
	struct store_job_new job = { .kind = JOB_CAMPAIGN_SEND, .ref = CMP, .payload = payload,
				     .due_ms = 0 };
	CHECK_INT(jobs_enqueue(s, account, MODE_TEST, &job, &err), 0, "send enqueued");
	wait_idle(db);
	long long fresh = ROWS - DONE_BEFORE - 2;	/* less row 407 (refused) and row 409 (invalid) */
	CHECK_INT(count(db, "SELECT COUNT(*) FROM objects WHERE kind = 'letter' AND campaign_id = '" CMP "'"),
		  fresh, "one letter per valid row still without a piece");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM upload_rows WHERE piece_id LIKE 'ltr_before%'"),
		  DONE_BEFORE, "rows done before the crash kept their piece");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM upload_rows u JOIN objects o ON o.id = u.piece_id"
			    " WHERE o.campaign_id = '" CMP "'"),
		  fresh, "each new letter is its row's piece");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM upload_rows WHERE row_no = 407 AND valid = 0 AND"
			    " errors LIKE '%address_zip%' AND piece_id IS NULL"),
		  1, "a row the letter rules refuse is marked failed with the message");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM upload_rows WHERE row_no = 409 AND piece_id IS NULL"),
		  1, "an invalid row gets no piece");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM objects WHERE kind = 'letter' AND json_extract(json,"
			    " '$.merge_variables.name') = 'Person 200' AND json_extract(json,"
			    " '$.metadata.row') = '200' AND json_extract(json, '$.metadata.wave') = '1'"
			    " AND json_extract(json, '$.to.address_line1') LIKE '300 KING%'"),
		  1, "the row's merge variables and metadata, over the campaign's");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM jobs WHERE kind = 'piece.render'"), fresh,
		  "each letter's render job committed with it");
	CHECK_INT(count(db, "SELECT COUNT(*) FROM events WHERE type = 'letter.created'"), fresh,
		  "and its letter.created event");
	CHECK_INT(jobs_enqueue(s, account, MODE_TEST, &job, &err), 0, "the send again");
	wait_idle(db);
	CHECK_INT(count(db, "SELECT COUNT(*) FROM objects WHERE kind = 'letter'"), fresh,
		  "a send run again creates nothing more");
	jobs_stop(j);
	sqlite3_close(db);
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (getenv("KEEP")) printf("# kept %s\n", dir); else CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
