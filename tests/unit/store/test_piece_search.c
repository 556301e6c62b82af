// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard's piece look-ups (store/piece_search_store.h): the start of a recipient's
 * name, any ASCII case, within one account, mode and kind, canceled pieces left out, newest
 * first and paged by cursors; and the events of one object.
 */
#include "store/piece_search_store.h"
#include "core/arena.h"
#include "test.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int pending;

static void done(void *ctx, int rc)
{
	(void)ctx;
	(void)rc;
	atomic_fetch_sub(&pending, 1);
}

static void settle(void)
{
	for (int i = 0; i < 5000 && atomic_load(&pending) > 0; i++)
		usleep(1000);
}

/* a piece of kind for name, created at ms, in account/mode; its event when ev */
static void put(struct store *s, const char *account, enum store_mode mode, const char *kind,
		const char *id, const char *name, long long ms, bool ev)
{
	struct store_scope sc = { account, mode, kind };
	char json[256], evjson[128], evid[48];
	snprintf(json, sizeof(json), "{\"id\":\"%s\",\"to\":{\"name\":\"%s\"}}", id, name);
	snprintf(evid, sizeof(evid), "evt_%s", id);
	snprintf(evjson, sizeof(evjson), "{\"id\":\"%s\",\"event_type\":{\"id\":\"%s.created\"}}",
		 evid, kind);
	struct store_object obj = { .id = id, .created_ms = ms, .updated_ms = ms, .json = json };
	struct store_event e = { .id = evid, .type = "letter.created", .json = evjson };
	struct store_insert in = { .sc = &sc, .obj = &obj, .ev = ev ? &e : NULL };
	struct store_done d = { done, NULL };
	struct api_error err;
	atomic_fetch_add(&pending, 1);
	if (store_object_insert(s, &in, &err, &d) < 0)
		atomic_fetch_sub(&pending, 1);
	settle();	/* json and evjson live on this stack frame */
}

/* the ids of one page, comma-separated */
static const char *ids(const struct store_list_result *r)
{
	static char out[256];
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < r->n && len < sizeof(out); i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? "," : "",
					r->cursors[i].id);
	return out;
}

int main(void)
{
	char dir[] = "/tmp/frank-piece-search-XXXXXX";
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens (migration 16 included)");
	put(s, "acc_a", MODE_TEST, "letter", "ltr_1", "ADA LOVELACE", 1000, true);
	put(s, "acc_a", MODE_TEST, "letter", "ltr_2", "Ada Byron", 2000, false);
	put(s, "acc_a", MODE_TEST, "letter", "ltr_3", "adam smith", 3000, false);
	put(s, "acc_a", MODE_TEST, "letter", "ltr_4", "Grace Hopper", 4000, false);
	put(s, "acc_a", MODE_TEST, "letter", "ltr_5", "Ada Gone", 5000, false);
	put(s, "acc_a", MODE_LIVE, "letter", "ltr_6", "Ada Live", 6000, false);
	put(s, "acc_a", MODE_TEST, "postcard", "psc_7", "Ada Card", 7000, false);
	put(s, "acc_b", MODE_TEST, "letter", "ltr_8", "Ada Elsewhere", 8000, false);
	struct store_scope sc = { "acc_a", MODE_TEST, "letter" };
	struct store_delete del = { .sc = &sc, .id = "ltr_5", .now_ms = 9000,
				    .deleted_json = "{\"id\":\"ltr_5\",\"deleted\":true}" };
	struct store_done d = { done, NULL };
	atomic_fetch_add(&pending, 1);
	CHECK_INT(store_object_delete(s, &del, &err, &d), 0, "a piece is canceled");
	settle();

	struct arena *a = arena_new();
	struct store_list_query q = { .scope = sc, .limit = 10 };
	struct store_list_result r = { 0 };
	CHECK_INT(piece_search_name(s, &q, "ada", a, &r, &err), 0, "search by a name's start");
	CHECK_STR(ids(&r), "ltr_3,ltr_2,ltr_1",
		  "any case, newest first; not the canceled one, nor other modes, kinds, accounts");
	CHECK(strstr(r.json[0], "adam smith") != NULL, "rows are the stored objects");
	CHECK_INT(piece_search_name(s, &q, "ADA L", a, &r, &err), 0, "a longer start");
	CHECK_STR(ids(&r), "ltr_1", "only that one");
	CHECK_INT(piece_search_name(s, &q, "zz", a, &r, &err), 0, "no match");
	CHECK_INT((int)r.n, 0, "an empty page");
	CHECK_INT(piece_search_name(s, &q, "", a, &r, &err), -1, "an empty name is refused");

	q.limit = 2;
	CHECK_INT(piece_search_name(s, &q, "ad", a, &r, &err), 0, "page 1 of 2");
	CHECK_STR(ids(&r), "ltr_3,ltr_2", "the newest two");
	CHECK(r.more_older && !r.more_newer, "a page follows, none before");
	struct store_cursor after = r.cursors[1];
	q.after = &after;
	CHECK_INT(piece_search_name(s, &q, "ad", a, &r, &err), 0, "page 2");
	CHECK_STR(ids(&r), "ltr_1", "the rest");
	CHECK(!r.more_older && r.more_newer, "the last page, one before it");
	struct store_cursor before = r.cursors[0];
	q.after = NULL;
	q.before = &before;
	CHECK_INT(piece_search_name(s, &q, "ad", a, &r, &err), 0, "back to page 1");
	CHECK_STR(ids(&r), "ltr_3,ltr_2", "the same page, newest first");

	char *ev[4];
	CHECK_INT(piece_events(s, "acc_a", MODE_TEST, "ltr_1", ev, 4, a, &err), 1, "its event");
	CHECK(strstr(ev[0], "evt_ltr_1") != NULL, "the event's JSON");
	CHECK_INT(piece_events(s, "acc_b", MODE_TEST, "ltr_1", ev, 4, a, &err), 0,
		  "another account's view of the id has none");
	arena_free(a);
	store_free(s);
	char cmd[96];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
