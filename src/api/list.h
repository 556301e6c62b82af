// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Lob's list parameters and envelope: limit (1–100, default 10), before/after cursors
 * (base64 of {"dateOffset","idOffset"}, as Lob's are), include=total_count,
 * metadata[k]=v, date_created[gt|gte|lt|lte]; newest first; next_url/previous_url.
 */
#ifndef FRANK_LIST_H
#define FRANK_LIST_H
#include <stddef.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/* a resource's own list parameters (spec: components/parameters) */
enum list_filter_type {
	LF_TEXT,	/* status=rendered: equality on a JSON field, enum-checked */
	LF_BOOL,	/* color=true */
	LF_DATE_RANGE,	/* send_date[gt]=… (or a JSON object): ISO dates */
	LF_SCHEDULED,	/* scheduled=true: send_date later than date_created */
	LF_OFFSET,	/* offset=20 */
	LF_SORT_BY,	/* sort_by[date_created]=desc */
};

struct list_filter {
	const char *param;
	enum list_filter_type type;
	const char *path;		/* JSON path in the stored object ("$.status") */
	const char *const *enum_vals;	/* LF_TEXT: allowed values; NULL: any */
};

/* as list_parse_query, also accepting the parameters in filters (NULL-param-terminated) */
int list_parse_query_filters(const json_t *query, struct arena *a,
			     const struct list_filter *filters, struct store_list_query *q,
			     struct api_error *err);

/* query (borrowed) → q (strings and arrays in the arena); 0 or -1 with a 422 */
int list_parse_query(const json_t *query, struct arena *a, struct store_list_query *q,
		     struct api_error *err);

/* the opaque cursor text for a row (arena) */
char *list_cursor_encode(struct arena *a, const struct store_cursor *c);
/* 0, or -1 if text is not a cursor Frank made */
int list_cursor_decode(const char *text, struct store_cursor *out);

/*
 * One page of rows held in memory (json[i] with cursors[i], newest first, n of them) by the
 * query's cursor, dates, offset and limit, as the store pages its rows: out's arrays are
 * the arena's, its strings borrowed from json.
 */
void list_page_rows(const struct store_list_query *q, char *const *json,
		    const struct store_cursor *cursors, size_t n, struct arena *a,
		    struct store_list_result *out);

/*
 * The envelope of one page of items kept in one object's array in creation order (a
 * template's versions, an insert's orders): newest first, paged by q as list_page_rows does;
 * items without an id or date_created are left out. New reference.
 */
json_t *list_embedded(const struct store_list_query *q, const json_t *items, struct arena *a,
		      const char *base_url, const char *raw_query);

/*
 * The envelope {"data","object":"list","next_url","previous_url","count"[,"total_count"]}.
 * base_url: public URL + path; raw_query: the request's query string (its other
 * parameters are kept in the page links). New reference.
 */
json_t *list_envelope(const struct store_list_query *q, const struct store_list_result *r,
		      struct arena *a, const char *base_url, const char *raw_query);

struct req;
/* lists q's rows and answers them in the envelope (the request's URL for the page links);
 * 0, or -1 with *err */
int list_respond(struct req *rq, const struct store_list_query *q, struct api_error *err);
#endif
