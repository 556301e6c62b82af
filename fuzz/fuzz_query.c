// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Query strings, as the router handles them (http/router.c parse_inputs, api/list.c): the
 * raw query (a C string, as libmicrohttpd hands it over) through the form parser, then Lob's
 * list parameters (limit, before/after cursors, include, date_created, metadata and every
 * kind of resource filter), then the page links of the list envelope built from it.
 */
#include "fuzz.h"
#include "api/list.h"
#include "http/body.h"

/* one of each filter kind, as letters' and billing groups' tables declare them */
static const char *const statuses[] = { "processed", "rendered", "failed", NULL };
static const struct list_filter filters[] = {
	{ "campaign_id", LF_TEXT, "$.campaign_id", NULL },
	{ "status", LF_TEXT, "$.status", statuses },
	{ "color", LF_BOOL, "$.color", NULL },
	{ "scheduled", LF_SCHEDULED, NULL, NULL },
	{ "send_date", LF_DATE_RANGE, "$.send_date", NULL },
	{ "offset", LF_OFFSET, NULL, NULL },
	{ "sort_by", LF_SORT_BY, NULL, NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};

#define BASE_URL "https://frank.example/v1/letters"

/* the links of a one-row page that has pages on both sides */
static void check_envelope(const struct store_list_query *q, struct arena *a, const char *raw)
{
	struct store_cursor row = { .created_ms = 1767225600000LL, .id = "ltr_0123456789abcdef" };
	const struct store_cursor *c = q->after ? q->after : q->before ? q->before : &row;
	char *json = arena_strdup(a, "{\"id\":\"ltr_0123456789abcdef\"}");
	struct store_cursor cursors[1] = { *c };
	struct store_list_result r = { .json = &json, .cursors = cursors, .n = 1,
				       .more_older = true, .more_newer = true };
	json_t *env = list_envelope(q, &r, a, BASE_URL, raw);
	FUZZ_ASSERT(env != NULL, "no list envelope");
	const char *next = json_string_value(json_object_get(env, "next_url"));
	const char *prev = json_string_value(json_object_get(env, "previous_url"));
	FUZZ_ASSERT(next && prev, "a page link is missing from the envelope");
	FUZZ_ASSERT(strncmp(next, BASE_URL "?", sizeof BASE_URL) == 0, "next_url has another base");
	fuzz_check_dumps(env);
	json_decref(env);

	/* the cursor in the links reads back as the row it was made from */
	struct store_cursor back;
	FUZZ_ASSERT(list_cursor_decode(list_cursor_encode(a, c), &back) == 0,
		    "a cursor Frank made does not decode");
	FUZZ_ASSERT(back.created_ms == c->created_ms && strcmp(back.id, c->id) == 0,
		    "a cursor changed in a round trip");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *qs = fuzz_cstr(data, size);
	struct api_error err = { 0 };
	json_t *query = body_parse_form(qs, strlen(qs), &body_limits_default, &err);
	if (!query) {
		fuzz_check_error(&err);
		free(qs);
		return 0;
	}
	fuzz_check_dumps(query);
	struct arena *a = arena_new();
	FUZZ_ASSERT(a != NULL, "out of memory");
	struct store_list_query q = { .source = SOURCE_OBJECTS };
	if (list_parse_query_filters(query, a, filters, &q, &err) == 0) {
		FUZZ_ASSERT(q.limit >= 1 && q.limit <= 100, "limit out of range");
		check_envelope(&q, a, qs);
	} else {
		fuzz_check_error(&err);
	}
	arena_free(a);
	json_decref(query);
	free(qs);
	return 0;
}
