// SPDX-License-Identifier: AGPL-3.0-or-later
/* Lists: cursors, query parameters, envelope links. */
#include "api/list.h"
#include "core/timeutil.h"
#include "http/body.h"
#include "test.h"
#include <limits.h>
#include <string.h>

static const char *parse(const char *qs, struct store_list_query *q)
{
	static struct api_error err;
	struct arena *a = arena_new();
	json_t *query = body_parse_form(qs, strlen(qs), &body_limits_default, &err);
	memset(q, 0, sizeof(*q));
	int rc = query ? list_parse_query(query, a, q, &err) : -1;
	json_decref(query);
	arena_free(a);	/* q's pointers are not used after this by the callers below */
	return rc == 0 ? "" : err.message;
}

static void test_cursors(void)
{
	struct arena *a = arena_new();
	struct store_cursor c = { .created_ms = 1565568960361LL }, back;
	memcpy(c.id, "adr_e68217bd744d65c8", 21);
	char *text = list_cursor_encode(a, &c);
	CHECK(strspn(text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
		      strlen(text), "cursor is URL-safe");
	CHECK_INT(list_cursor_decode(text, &back), 0, "cursor decodes");
	CHECK_INT(back.created_ms, c.created_ms, "cursor keeps the time");
	CHECK_STR(back.id, c.id, "cursor keeps the id");
	CHECK_INT(list_cursor_decode("not a cursor", &back), -1, "garbage is rejected");
	CHECK_INT(list_cursor_decode("", &back), -1, "empty is rejected");
	CHECK_INT(list_cursor_decode("eyJ4IjoxfQ", &back), -1, "JSON without offsets is rejected");
	/* found by fuzz/fuzz_query: the id went into the cursor's JSON unescaped */
	struct store_cursor odd = { .created_ms = 1767323045600LL, .id = "\tr_\"2\\" };
	CHECK_INT(list_cursor_decode(list_cursor_encode(a, &odd), &back), 0,
		  "a cursor whose id needs escaping decodes");
	CHECK_STR(back.id, odd.id, "to the same id");
	CHECK_STR(list_cursor_encode(a, &c),
		  "eyJkYXRlT2Zmc2V0IjoiMjAxOS0wOC0xMlQwMDoxNjowMC4zNjFaIiwiaWRPZmZzZXQiOiJhZHJfZTY4MjE3YmQ3NDRkNjVjOCJ9",
		  "a plain id's cursor is the same text as before (cursors already handed out still work)");
	arena_free(a);
}

static void test_query(void)
{
	struct store_list_query q;
	CHECK_STR(parse("", &q), "", "empty query");
	CHECK_INT(q.limit, 10, "default limit 10");
	CHECK(q.created_gt == LLONG_MIN && !q.want_total, "no filters by default");
	CHECK_STR(parse("limit=100", &q), "", "limit 100");
	CHECK_INT(q.limit, 100, "limit read");
	const char *bad_limits[] = { "limit=0", "limit=101", "limit=abc", "limit=-1", "limit=",
				     "limit=1e2", "limit[]=2" };
	for (size_t i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]); i++)
		CHECK_STR(parse(bad_limits[i], &q), "limit must be an integer between 1 and 100",
			  "%s rejected", bad_limits[i]);
	CHECK_STR(parse("include[]=total_count", &q), "", "include[]");
	CHECK(q.want_total, "include[]=total_count");
	CHECK_STR(parse("include=total_count", &q), "", "include=");
	CHECK(q.want_total, "include=total_count");
	CHECK_STR(parse("include=%5B%22total_count%22%5D", &q), "", "include as JSON");
	CHECK(q.want_total, "include=[\"total_count\"]");
	CHECK_STR(parse("date_created[gt]=2020-01-01&date_created[lte]=2020-02-01T10:00:00Z", &q), "",
		  "date filters");
	CHECK_INT(q.created_gt, 1577836800000LL, "gt parsed");
	CHECK_INT(q.created_lte, 1580551200000LL, "lte parsed");
	CHECK_STR(parse("date_created=%7B%22gt%22%3A%222020-01-01%22%7D", &q), "", "date filter as JSON");
	CHECK_INT(q.created_gt, 1577836800000LL, "JSON gt parsed");
	CHECK_STR(parse("date_created[eq]=2020-01-01", &q),
		  "date_created.eq is not allowed: use gt, gte, lt or lte", "unknown date operator");
	CHECK_STR(parse("date_created[gt]=yesterday", &q),
		  "date_created.gt must be an ISO-8601 date or date-time", "bad date");
	CHECK_STR(parse("metadata[campaign]=NEWYORK2015", &q), "", "metadata filter");
	CHECK_INT(q.n_meta, 1, "one metadata filter");
	CHECK_STR(parse("metadata=%7B%22campaign%22%3A%22NY%22%7D", &q), "", "metadata filter as JSON (the SDK's form)");
	CHECK_INT(q.n_meta, 1, "one metadata filter from JSON");
	CHECK_STR(parse("metadata=notjson", &q), "metadata must be an object", "metadata as plain text");
	CHECK_STR(parse("before=x&after=y", &q),
		  "before must be a cursor taken from a list's next_url or previous_url", "bad cursor");
	CHECK_STR(parse("colour=red", &q), "colour is not allowed", "unknown parameter");
	CHECK_STR(parse("before=&limit=2", &q), "", "an empty before is no cursor (Lob)");
	CHECK(!q.before && !q.after, "no cursor read");
	CHECK_STR(parse("after=", &q), "", "an empty after is no cursor");
	CHECK(!q.before && !q.after, "no cursor read");
}

/* rows in memory page as the store's do: five rows, two a page, forward and back */
static void test_page_rows(void)
{
	struct arena *a = arena_new();
	char *json[5] = { "5", "4", "3", "2", "1" };
	struct store_cursor c[5];
	for (int i = 0; i < 5; i++) {
		c[i].created_ms = 1000 - i;
		snprintf(c[i].id, sizeof(c[i].id), "vrsn_%d", 5 - i);
	}
	struct store_list_query q = { .limit = 2, .created_gt = LLONG_MIN, .created_gte = LLONG_MIN,
				      .created_lt = LLONG_MIN, .created_lte = LLONG_MIN };
	struct store_list_result r;
	list_page_rows(&q, json, c, 5, a, &r);
	CHECK(r.n == 2 && !strcmp(r.json[0], "5") && !strcmp(r.json[1], "4"), "first page: 5 4");
	CHECK(r.more_older && !r.more_newer, "first page: next, no previous");
	CHECK_INT(r.total, 5, "total");
	q.after = &c[1];
	list_page_rows(&q, json, c, 5, a, &r);
	CHECK(r.n == 2 && !strcmp(r.json[0], "3") && !strcmp(r.json[1], "2"), "after 4: 3 2");
	CHECK(r.more_older && r.more_newer, "a page reached forward has a previous page");
	q.after = &c[3];
	list_page_rows(&q, json, c, 5, a, &r);
	CHECK(r.n == 1 && !strcmp(r.json[0], "1") && !r.more_older && r.more_newer, "last page: 1");
	q.after = NULL;
	q.before = &c[2];
	list_page_rows(&q, json, c, 5, a, &r);
	CHECK(r.n == 2 && !strcmp(r.json[0], "5") && !strcmp(r.json[1], "4"), "before 3: 5 4, newest first");
	CHECK(r.more_older && !r.more_newer, "back at the first page: no previous");
	q.before = &c[4];
	list_page_rows(&q, json, c, 5, a, &r);
	CHECK(r.n == 2 && !strcmp(r.json[0], "3") && !strcmp(r.json[1], "2") && r.more_newer,
	      "before 1: 3 2, with a previous page");
	q.before = NULL;
	q.created_lt = 998;
	list_page_rows(&q, json, c, 5, a, &r);
	CHECK(r.n == 2 && !strcmp(r.json[0], "2") && r.total == 2 && !r.more_older, "date filter");
	arena_free(a);
}

static void test_envelope(void)
{
	struct arena *a = arena_new();
	struct store_list_query q = { .limit = 2, .want_total = true };
	struct store_cursor cur[2] = { { 2000, "adr_b" }, { 1000, "adr_a" } };
	char *rows[2] = { "{\"id\":\"adr_b\"}", "{\"id\":\"adr_a\"}" };
	struct store_list_result r = { .json = rows, .cursors = cur, .n = 2, .more_older = true,
				       .more_newer = false, .total = 5 };
	json_t *env = list_envelope(&q, &r, a, "http://h/v1/addresses", "limit=2&after=old&x=1");
	const char *next = json_string_value(json_object_get(env, "next_url"));
	CHECK(next && strncmp(next, "http://h/v1/addresses?limit=2&x=1&after=", 40) == 0,
	      "next_url keeps other parameters and drops the old cursor: %s", next ? next : "null");
	CHECK(json_is_null(json_object_get(env, "previous_url")), "first page has no previous_url");
	CHECK_INT(json_integer_value(json_object_get(env, "count")), 2, "count");
	CHECK_INT(json_integer_value(json_object_get(env, "total_count")), 5, "total_count");
	CHECK_STR(json_string_value(json_object_get(env, "object")), "list", "object list");
	json_decref(env);
	arena_free(a);
}

/* found by fuzz/fuzz_query: raw bytes in the query made next_url vanish from the envelope */
static void test_envelope_raw_bytes(void)
{
	struct arena *a = arena_new();
	struct store_list_query q = { .limit = 1 };
	struct store_cursor cur[1] = { { 1000, "ltr_a" } };
	char *rows[1] = { "{\"id\":\"ltr_a\"}" };
	struct store_list_result r = { .json = rows, .cursors = cur, .n = 1, .more_older = true,
				       .more_newer = true };
	/* %C3 then a raw 0xA9 decode to "é" (the form parser accepts it), but the raw text is not UTF-8 */
	json_t *env = list_envelope(&q, &r, a, "http://h/v1/letters", "metadata[k]=%C3\xa9 x&after=old");
	const char *next = json_string_value(json_object_get(env, "next_url"));
	const char *prev = json_string_value(json_object_get(env, "previous_url"));
	CHECK(next && strncmp(next, "http://h/v1/letters?metadata[k]=%C3%A9%20x&after=", 48) == 0,
	      "next_url is there, raw bytes and spaces percent-encoded: %s", next ? next : "null");
	CHECK(prev && strncmp(prev, "http://h/v1/letters?metadata[k]=%C3%A9%20x&before=", 49) == 0,
	      "previous_url too: %s", prev ? prev : "null");
	json_decref(env);
	arena_free(a);
}

/* found by fuzz/fuzz_query: "%.100s is not allowed" cut a character in half, a 4xx became a 500 */
static void test_message_utf8(void)
{
	struct store_list_query q;
	char qs[400] = "a";
	for (int i = 0; i < 60; i++)	/* 'a' + 60 × "é": byte 100 is in the middle of one */
		memcpy(qs + 1 + 6 * i, "%C3%A9", 7);
	const char *msg = parse(qs, &q);
	json_t *s = json_string(msg);
	CHECK(s != NULL, "the message is valid UTF-8: %s", msg);
	CHECK(strstr(msg, " is not allowed") != NULL, "and still says why: %s", msg);
	json_decref(s);
}

/* an object's array (oldest first) paged newest first; items lacking id or date are left out */
static void test_embedded(void)
{
	struct arena *a = arena_new();
	json_t *items = json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s}, {s:s, s:s}]",
				  "id", "co_1", "date_created", "2026-12-07T10:00:00.000Z",
				  "id", "co_2", "date_created", "2026-12-07T11:00:00.000Z",
				  "id", "co_broken",
				  "id", "co_3", "date_created", "2026-12-07T12:00:00.000Z");
	struct store_list_query q = { .limit = 2, .created_gt = LLONG_MIN, .created_gte = LLONG_MIN,
				      .created_lt = LLONG_MIN, .created_lte = LLONG_MIN };
	json_t *env = list_embedded(&q, items, a, "https://x/v1/cards/card_1/orders", NULL);
	json_t *data = json_object_get(env, "data");
	CHECK_INT(json_array_size(data), 2, "a page of the limit");
	CHECK_STR(json_string_value(json_object_get(json_array_get(data, 0), "id")), "co_3",
		  "newest first");
	CHECK_STR(json_string_value(json_object_get(json_array_get(data, 1), "id")), "co_2", "then");
	CHECK(json_is_string(json_object_get(env, "next_url")), "a next page follows");
	json_decref(env);
	q.offset = 2;
	env = list_embedded(&q, items, a, "https://x/v1/cards/card_1/orders", NULL);
	data = json_object_get(env, "data");
	CHECK_INT(json_array_size(data), 1, "offset 2: the oldest alone (the broken item left out)");
	CHECK_STR(json_string_value(json_object_get(json_array_get(data, 0), "id")), "co_1", "co_1");
	json_decref(env);
	json_decref(items);
	arena_free(a);
}

int main(void)
{
	test_embedded();
	test_cursors();
	test_query();
	test_page_rows();
	test_envelope();
	test_envelope_raw_bytes();
	test_message_utf8();
	return test_done();
}
