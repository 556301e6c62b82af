// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The print-run store: a cut locks only pieces that are rendered, not deleted and in no run;
 * a piece locked by one run is not locked by a second (its flag says so, and finish sees
 * it); nothing lockable writes no run; a locked piece cannot be deleted (not_deletable, in
 * the writer's order); a spoiled piece is unlocked and taken by the next cut as a reprint.
 */
#include "store/production_store.h"
#include "test.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct store *s;
static const struct store_scope letters = { "acc_test", MODE_LIVE, "letter" };

static void put(const char *id, const char *status)
{
	char json[256];
	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"status\":\"%s\","
		 "\"send_date\":\"2026-12-07T10:00:00.000Z\"}", id, status);
	struct store_change ch = { .op = STORE_INSERT, .sc = letters,
				   .obj = { .id = id, .created_ms = 1, .updated_ms = 1, .json = json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	struct api_error err;
	CHECK_INT(store_apply_sync(s, &set, &err), 0, "%s stored", id);
}

struct finish_seen {
	int calls;
	size_t locked;
	const char *lots[8];
};

static int finish(void *ctx, struct prod_cut *cut, struct api_error *err)
{
	(void)err;
	struct finish_seen *f = ctx;
	f->calls++;
	f->locked = 0;
	for (size_t i = 0; i < cut->n; i++) {
		f->locked += cut->locked[i];
		f->lots[i] = "lot_0000000000000001";
	}
	cut->status = "building";
	cut->run_json = "{}";
	cut->plan_json = "{}";
	cut->lot_ids = f->lots;
	return 0;
}

static int cut(const char *run_id, const char *const *ids, size_t n, bool *locked,
	       struct finish_seen *f)
{
	const char *accounts[8], *kinds[8];
	for (size_t i = 0; i < n; i++) {
		accounts[i] = "acc_test";
		kinds[i] = "letter";
	}
	struct prod_cut c = { .run_id = run_id, .mode = MODE_LIVE, .cutoff_ms = 2, .now_ms = 2,
			      .ids = ids, .account_ids = accounts, .kinds = kinds, .n = n,
			      .locked = locked, .finish = finish, .ctx = f };
	struct api_error err;
	return prod_run_cut(s, &c, &err);
}

static const char *ret_same(const char *cur, void *ctx, struct store_event *ev,
			    const char **meta, struct api_error *err)
{
	(void)ctx, (void)ev, (void)meta, (void)err;
	static char same[256];	/* lives until the synchronous apply returns */
	snprintf(same, sizeof(same), "%s", cur);
	return same;
}

static int delete_piece(const char *id, struct api_error *err)
{
	struct store_change ch = { .op = STORE_DELETE, .sc = letters,
				   .obj = { .id = id, .updated_ms = 3 }, .mutate = ret_same };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	return store_apply_sync(s, &set, err);
}

int main(void)
{
	char dir[] = "/tmp/frank-prod-XXXXXX";
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	CHECK(store_account_create(s, "t", (char[40]){ 0 }, &err) == 0, "an account");
	put("ltr_1", "rendered");
	put("ltr_2", "rendered");
	put("ltr_3", "processed");
	put("ltr_4", "rendered");

	const char *first[] = { "ltr_1", "ltr_2", "ltr_3" };
	bool locked[3];
	struct finish_seen f = { 0 };
	CHECK_INT(cut("run_0000000000000001", first, 3, locked, &f), 0, "first cut commits");
	CHECK(locked[0] && locked[1] && !locked[2], "rendered pieces locked, the processed one not");
	CHECK_INT(f.locked, 2, "finish sees the two locked");

	const char *second[] = { "ltr_2", "ltr_4" };
	f = (struct finish_seen){ 0 };
	CHECK_INT(cut("run_0000000000000002", second, 2, locked, &f), 0, "second cut commits");
	CHECK(!locked[0] && locked[1], "a piece in a run is not locked again");
	char run[40];
	CHECK_INT(prod_piece_run(s, "ltr_2", run, &err), 0, "ltr_2 has a run");
	CHECK_STR(run, "run_0000000000000001", "ltr_2 stays in the first run");

	const char *none[] = { "ltr_1", "ltr_3" };
	f = (struct finish_seen){ 0 };
	CHECK_INT(cut("run_0000000000000003", none, 2, locked, &f), 1, "nothing lockable: rc 1");
	CHECK_INT(f.calls, 0, "and no run built");
	struct arena *a = arena_new();
	struct prod_run_row row;
	CHECK_INT(prod_run_get(s, "run_0000000000000003", false, a, &row, &err), 1, "no run row");

	CHECK_INT(delete_piece("ltr_1", &err), -1, "a locked piece cannot be deleted");
	CHECK_STR(err_info(err.kind)->code, "not_deletable", "Lob's not_deletable");
	CHECK(strstr(err.message, "run_0000000000000001") != NULL, "naming its run: %s", err.message);
	CHECK_INT(delete_piece("ltr_3", &err), 0, "an unlocked piece can");

	const char *spoil[] = { "ltr_1" };
	bool changed[1];
	CHECK_INT(prod_pieces_set_state(s, "run_0000000000000001", spoil, 1,
					"[\"" PIECE_LOCKED "\"]", PIECE_SPOILED, 4, changed, &err),
		  0, "spoiled");
	CHECK(changed[0], "ltr_1 moved");
	CHECK_INT(prod_piece_run(s, "ltr_1", run, &err), 1, "a spoiled piece leaves its run");
	const char *again[] = { "ltr_1" };
	f = (struct finish_seen){ 0 };
	CHECK_INT(cut("run_0000000000000004", again, 1, locked, &f), 0, "the next cut takes it");
	CHECK(locked[0], "locked again");
	struct prod_piece_row *rows;
	size_t n;
	CHECK_INT(prod_run_pieces(s, "run_0000000000000001", NULL, a, &rows, &n, &err), 0, "pieces");
	CHECK_INT(n, 2, "the first run still lists both");
	arena_free(a);
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
