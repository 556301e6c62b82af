// SPDX-License-Identifier: AGPL-3.0-or-later
/* List query parsing, cursors and the list envelope. */
#include "api/list.h"
#include "api/fields.h"
#include "core/jsonutil.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include <limits.h>
#include <openssl/evp.h>
#include <string.h>

#define LIST_LIMIT_DEFAULT 10
#define LIST_LIMIT_MAX 100

/* ------------------------------------------------------------------------ */
/* cursors                                                                  */
/* ------------------------------------------------------------------------ */

char *list_cursor_encode(struct arena *a, const struct store_cursor *c)
{
	char when[25];
	time_format_iso(c->created_ms, when);
	/* jansson escapes the id: a cursor decodes to the row it was made from, whatever its id */
	json_t *j = arena_own_json(a, json_pack("{ssss}", "dateOffset", when, "idOffset", c->id));
	const char *plain = j ? arena_dump_json(a, j) : NULL;
	if (!plain)
		plain = "{}";	/* an id that is not UTF-8: a cursor that decodes to nothing */
	size_t n = strlen(plain);
	unsigned char *out = arena_alloc(a, 4 * ((n + 2) / 3) + 1);
	int len = EVP_EncodeBlock(out, (const unsigned char *)plain, (int)n);
	/* URL-safe alphabet without padding, so the cursor needs no escaping in next_url */
	for (int i = 0; i < len; i++) {
		if (out[i] == '+')
			out[i] = '-';
		else if (out[i] == '/')
			out[i] = '_';
		else if (out[i] == '=')
			out[i] = '\0';
	}
	return (char *)out;
}

int list_cursor_decode(const char *text, struct store_cursor *out)
{
	char b64[400];
	unsigned char plain[300];
	size_t n = strlen(text);
	if (n == 0 || n + 3 >= sizeof(b64))
		return -1;
	for (size_t i = 0; i < n; i++)
		b64[i] = text[i] == '-' ? '+' : text[i] == '_' ? '/' : text[i];
	while (n % 4)
		b64[n++] = '=';
	b64[n] = '\0';
	int len = EVP_DecodeBlock(plain, (const unsigned char *)b64, (int)n);
	if (len <= 0)
		return -1;
	while (len > 0 && plain[len - 1] == '\0')	/* padding decodes to NULs */
		len--;
	json_t *j = json_loadb((const char *)plain, (size_t)len, 0, NULL);
	const char *date = json_string_value(json_object_get(j, "dateOffset"));
	const char *id = json_string_value(json_object_get(j, "idOffset"));
	int rc = -1;
	if (date && id && strlen(id) < sizeof(out->id) &&
	    time_parse_iso(date, &out->created_ms) == 0) {
		memcpy(out->id, id, strlen(id) + 1);
		rc = 0;
	}
	json_decref(j);
	return rc;
}

/* ------------------------------------------------------------------------ */
/* query parameters                                                         */
/* ------------------------------------------------------------------------ */

static int parse_limit(const json_t *v, unsigned *out, struct api_error *err)
{
	const char *s = json_string_value(v);
	unsigned n = 0;
	if (!s || !*s || strlen(s) > 3)
		goto bad;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			goto bad;
		n = n * 10 + (unsigned)(*s - '0');
	}
	if (n < 1 || n > LIST_LIMIT_MAX)
		goto bad;
	*out = n;
	return 0;
bad:
	return api_fail(err, ERR_INVALID, "limit must be an integer between 1 and %d",
			LIST_LIMIT_MAX);
}

static int parse_cursor(const char *name, const json_t *v, struct arena *a,
			const struct store_cursor **out, struct api_error *err)
{
	if (json_is_string(v) && json_string_length(v) == 0)
		return 0;	/* before= (clients send it empty): no cursor, as Lob */
	struct store_cursor *c = arena_calloc(a, sizeof(*c));
	if (!json_is_string(v) || list_cursor_decode(json_string_value(v), c) < 0)
		return api_fail(err, ERR_INVALID,
				"%s must be a cursor taken from a list's next_url or previous_url",
				name);
	*out = c;
	return 0;
}

/* include=total_count, include[]=total_count or include=["total_count"] */
static int parse_include(const json_t *v, bool *want_total, struct api_error *err)
{
	json_t *parsed = NULL;
	if (json_is_string(v) && json_string_value(v)[0] == '[')
		v = parsed = json_loads(json_string_value(v), 0, NULL);
	if (json_is_string(v))
		*want_total = strcmp(json_string_value(v), "total_count") == 0;
	size_t i;
	json_t *e;
	json_array_foreach(v, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "total_count") == 0)
			*want_total = true;
	bool ok = json_is_string(v) || json_is_array(v);
	json_decref(parsed);
	if (!ok)
		return api_fail(err, ERR_INVALID, "include must be an array of strings");
	return 0;
}

/* name={"gt":…} or name[gt]=… into dest[4] (gt, gte, lt, lte; untouched when absent) */
static int parse_date_range(const char *name, const json_t *v, long long *const dest[4],
			    struct api_error *err)
{
	static const char *const ops[] = { "gt", "gte", "lt", "lte" };
	json_t *parsed = NULL;
	const char *k;
	json_t *e;
	int rc = 0;
	if (json_is_string(v))	/* date_created={"gt":"2020-01-01"} */
		v = parsed = json_loads(json_string_value(v), 0, NULL);
	if (!json_is_object(v)) {
		json_decref(parsed);
		return api_fail(err, ERR_INVALID,
				"%s must be an object such as %s[gt]=2020-01-01", name, name);
	}
	json_object_foreach((json_t *)v, k, e) {
		size_t i;
		for (i = 0; i < 4 && strcmp(k, ops[i]) != 0; i++)
			;
		if (i == 4) {
			rc = api_fail(err, ERR_INVALID, "%s.%.20s is not allowed: use gt, gte, lt or lte", name, k);
			break;
		}
		if (!json_is_string(e) || time_parse_iso(json_string_value(e), dest[i]) < 0) {
			rc = api_fail(err, ERR_INVALID,
				      "%s.%s must be an ISO-8601 date or date-time", name, k);
			break;
		}
	}
	json_decref(parsed);
	return rc;
}

static int parse_date_filter(const json_t *v, struct store_list_query *q, struct api_error *err)
{
	long long *const dest[] = { &q->created_gt, &q->created_gte, &q->created_lt, &q->created_lte };
	return parse_date_range("date_created", v, dest, err);
}

/* ---- a resource's own filters (list_filter tables) ---- */

static struct store_json_filter *add_jf(struct arena *a, struct store_list_query *q)
{
	/* few filters per query: grow by copying */
	struct store_json_filter *jf = arena_calloc(a, sizeof(*jf) * (q->n_jf + 1));
	if (q->n_jf)
		memcpy(jf, q->jf, sizeof(*jf) * q->n_jf);
	q->jf = jf;
	jf[q->n_jf].boolean = -1;
	return &jf[q->n_jf++];
}

/* "true"/"false" or a JSON boolean: 0/1, or -1 */
static int bool_param(const json_t *v)
{
	const char *s = json_string_value(v);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (s && strcmp(s, "true") == 0)
		return 1;
	if (s && strcmp(s, "false") == 0)
		return 0;
	return -1;
}

static int parse_resource_filter(const struct list_filter *f, const json_t *v, struct arena *a,
				 struct store_list_query *q, struct api_error *err)
{
	switch (f->type) {
	case LF_TEXT: {
		const char *s = json_string_value(v);
		if (!s)
			return api_fail(err, ERR_INVALID, "%s must be a string", f->param);
		if (f->enum_vals) {
			const char *const *e = f->enum_vals;
			while (*e && strcmp(*e, s) != 0)
				e++;
			if (!*e)
				return api_fail(err, ERR_INVALID, "%s must be one of the documented values",
						f->param);
		}
		struct store_json_filter *jf = add_jf(a, q);
		jf->path = f->path;
		jf->op = JF_EQ;
		jf->text = arena_strdup(a, s);
		return 0;
	}
	case LF_BOOL:
	case LF_SCHEDULED: {
		int b = bool_param(v);
		if (b < 0)
			return api_fail(err, ERR_INVALID, "%s must be a boolean", f->param);
		struct store_json_filter *jf = add_jf(a, q);
		jf->path = f->path;
		if (f->type == LF_SCHEDULED)
			jf->op = b ? JF_SCHEDULED : JF_UNSCHEDULED;
		else
			jf->boolean = b;
		return 0;
	}
	case LF_DATE_RANGE: {
		long long ms[4] = { LLONG_MIN, LLONG_MIN, LLONG_MIN, LLONG_MIN };
		long long *const dest[] = { &ms[0], &ms[1], &ms[2], &ms[3] };
		static const enum store_jf_op ops[] = { JF_GT, JF_GTE, JF_LT, JF_LTE };
		if (parse_date_range(f->param, v, dest, err) < 0)
			return -1;
		for (int i = 0; i < 4; i++) {
			if (ms[i] == LLONG_MIN)
				continue;
			/* stored dates are Lob's fixed-width ISO text: text order is time order */
			char *iso = arena_alloc(a, 25);
			time_format_iso(ms[i], iso);
			struct store_json_filter *jf = add_jf(a, q);
			jf->path = f->path;
			jf->op = ops[i];
			jf->text = iso;
		}
		return 0;
	}
	case LF_OFFSET: {
		unsigned long n;
		const char *s = json_string_value(v);
		if (!s || parse_ulong(s, 1000000000UL, &n) < 0)
			return api_fail(err, ERR_INVALID, "offset must be an integer of 0 or more");
		q->offset = (unsigned)n;
		return 0;
	}
	case LF_SORT_BY: {
		/* sort_by[date_created]=desc: newest first is the only order cursors page in */
		json_t *parsed = json_is_string(v) ? json_loads(json_string_value(v), 0, NULL) : NULL;
		const json_t *o = parsed ? parsed : v;
		const char *k;
		json_t *dir;
		int rc = json_is_object(o) && json_object_size(o) == 1 ? 0
			 : api_fail(err, ERR_INVALID, "sort_by must be an object such as sort_by[date_created]=desc");
		json_object_foreach((json_t *)o, k, dir) {
			if (rc < 0)
				break;
			const char *d = json_string_value(dir);
			if (strcmp(k, "date_created") != 0 && strcmp(k, "send_date") != 0)
				rc = api_fail(err, ERR_INVALID, "sort_by must be one of [date_created, send_date]");
			else if (!d || (strcmp(d, "asc") != 0 && strcmp(d, "desc") != 0))
				rc = api_fail(err, ERR_INVALID, "sort_by.%s must be one of [asc, desc]", k);
			else if (strcmp(d, "asc") == 0 || strcmp(k, "send_date") == 0)
				rc = api_fail(err, ERR_INVALID,
					      "sort_by: Frank lists newest first (sort_by[date_created]=desc); "
					      "other orders are not supported yet");
		}
		json_decref(parsed);
		return rc;
	}
	}
	return 0;
}

static int parse_metadata_filter(const json_t *v, struct arena *a, struct store_list_query *q,
				 struct api_error *err)
{
	const char *k;
	json_t *e, *parsed = NULL;
	if (json_is_string(v)) {	/* metadata={"k":"v"}, as the Lob SDKs send it */
		v = parsed = arena_own_json(a, json_loads(json_string_value(v), 0, NULL));
		if (!v)
			return api_fail(err, ERR_INVALID, "metadata must be an object");
	}
	if (fields_check_metadata(v, err) < 0)
		return -1;
	struct store_meta_filter *m = arena_alloc(a, sizeof(*m) * (json_object_size(v) + 1));
	q->n_meta = 0;
	json_object_foreach((json_t *)v, k, e) {
		m[q->n_meta].key = arena_strdup(a, k);
		m[q->n_meta].value = arena_strdup(a, json_string_value(e));
		q->n_meta++;
	}
	q->meta = m;
	return 0;
}

int list_parse_query(const json_t *query, struct arena *a, struct store_list_query *q,
		     struct api_error *err)
{
	return list_parse_query_filters(query, a, NULL, q, err);
}

int list_parse_query_filters(const json_t *query, struct arena *a,
			     const struct list_filter *filters, struct store_list_query *q,
			     struct api_error *err)
{
	const char *k;
	json_t *v;
	q->limit = LIST_LIMIT_DEFAULT;
	q->created_gt = q->created_gte = q->created_lt = q->created_lte = LLONG_MIN;
	json_object_foreach((json_t *)query, k, v) {
		int rc;
		if (strcmp(k, "limit") == 0)
			rc = parse_limit(v, &q->limit, err);
		else if (strcmp(k, "before") == 0)
			rc = parse_cursor(k, v, a, &q->before, err);
		else if (strcmp(k, "after") == 0)
			rc = parse_cursor(k, v, a, &q->after, err);
		else if (strcmp(k, "include") == 0)
			rc = parse_include(v, &q->want_total, err);
		else if (strcmp(k, "date_created") == 0)
			rc = parse_date_filter(v, q, err);
		else if (strcmp(k, "metadata") == 0)
			rc = parse_metadata_filter(v, a, q, err);
		else {
			const struct list_filter *f = filters;
			while (f && f->param && strcmp(f->param, k) != 0)
				f++;
			rc = f && f->param ? parse_resource_filter(f, v, a, q, err)
					   : api_fail(err, ERR_INVALID, "%.100s is not allowed", k);
		}
		if (rc < 0)
			return -1;
	}
	if (q->before && q->after)
		return api_fail(err, ERR_INVALID,
				"before and after are both optional but only one of them can be in the query at a time");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* paging rows held in memory                                               */
/* ------------------------------------------------------------------------ */

/* a's order in a list: newest first, then by id descending, as the store orders rows */
static int cursor_cmp(const struct store_cursor *a, const struct store_cursor *b)
{
	if (a->created_ms != b->created_ms)
		return a->created_ms > b->created_ms ? -1 : 1;
	return -strcmp(a->id, b->id);
}

static bool in_dates(const struct store_list_query *q, long long ms)
{
	return (q->created_gt == LLONG_MIN || ms > q->created_gt) &&
	       (q->created_gte == LLONG_MIN || ms >= q->created_gte) &&
	       (q->created_lt == LLONG_MIN || ms < q->created_lt) &&
	       (q->created_lte == LLONG_MIN || ms <= q->created_lte);
}

void list_page_rows(const struct store_list_query *q, char *const *json,
		    const struct store_cursor *cursors, size_t n, struct arena *a,
		    struct store_list_result *out)
{
	out->json = arena_calloc(a, (q->limit + 1) * sizeof(char *));
	out->cursors = arena_calloc(a, (q->limit + 1) * sizeof(struct store_cursor));
	out->n = 0;
	out->total = 0;
	/* a `before` page reads from the cursor toward the newest, then is turned round */
	bool up = q->before != NULL;
	size_t skip = q->offset, seen = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = up ? n - 1 - k : k;
		if (!in_dates(q, cursors[i].created_ms))
			continue;
		out->total++;
		if ((q->after && cursor_cmp(&cursors[i], q->after) <= 0) ||
		    (q->before && cursor_cmp(&cursors[i], q->before) >= 0))
			continue;
		if (skip) {
			skip--;
			continue;
		}
		if (seen++ >= q->limit)
			continue;	/* one more tells whether a page follows; the total goes on */
		out->json[out->n] = json[i];
		out->cursors[out->n++] = cursors[i];
	}
	store_list_page_done(q, seen > q->limit, out);
}

/* ------------------------------------------------------------------------ */
/* envelope                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * the request's query without before/after, then the new cursor. The query is copied as the
 * client wrote it, except raw bytes a URL may not hold (non-ASCII, controls, space), which
 * are percent-encoded: the link must be a JSON string and a URL.
 */
static char *page_url(struct arena *a, const char *base_url, const char *raw_query,
		      const char *param, const char *cursor)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t cap = strlen(base_url) + 3 * (raw_query ? strlen(raw_query) : 0) + strlen(cursor) + 32;
	char *url = arena_alloc(a, cap);
	size_t len = (size_t)snprintf(url, cap, "%s?", base_url);
	const char *p = raw_query ? raw_query : "";
	while (*p) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		bool skip = n == 0 || strncmp(p, "before=", 7) == 0 || strncmp(p, "after=", 6) == 0;
		for (size_t i = 0; !skip && i < n; i++) {
			unsigned char c = (unsigned char)p[i];
			if (c > 0x20 && c < 0x7f) {
				url[len++] = (char)c;
			} else {
				url[len++] = '%';
				url[len++] = hex[c >> 4];
				url[len++] = hex[c & 15];
			}
		}
		if (!skip)
			url[len++] = '&';
		p += n + (amp ? 1 : 0);
	}
	snprintf(url + len, cap - len, "%s=%s", param, cursor);
	return url;
}

json_t *list_envelope(const struct store_list_query *q, const struct store_list_result *r,
		      struct arena *a, const char *base_url, const char *raw_query)
{
	json_t *data = json_array();
	for (size_t i = 0; i < r->n; i++) {
		json_t *row = json_loads(r->json[i], 0, NULL);
		json_array_append_new(data, row ? row : json_null());
	}
	json_t *env = json_object();
	json_object_set_new(env, "data", data);
	json_object_set_new(env, "object", json_string("list"));
	json_t *next = json_null(), *prev = json_null();
	if (r->n && r->more_older)
		next = json_string(page_url(a, base_url, raw_query, "after",
					    list_cursor_encode(a, &r->cursors[r->n - 1])));
	if (r->n && r->more_newer)
		prev = json_string(page_url(a, base_url, raw_query, "before",
					    list_cursor_encode(a, &r->cursors[0])));
	json_object_set_new(env, "next_url", next);
	json_object_set_new(env, "previous_url", prev);
	json_object_set_new(env, "count", json_integer((json_int_t)r->n));
	if (q->want_total)
		json_object_set_new(env, "total_count", json_integer(r->total));
	return env;
}

int list_respond(struct req *rq, const struct store_list_query *q, struct api_error *err)
{
	struct store_list_result r = { 0 };
	if (store_object_list(rq->app->store, q, rq->arena, &r, err) < 0)
		return -1;
	const char *base = arena_strfmt(rq->arena, "%s%s", rq->app->public_url, rq->path);
	json_t *env = arena_own_json(rq->arena, list_envelope(q, &r, rq->arena, base,
							      rq->query_string));
	return respond_json(rq, 200, env);
}

json_t *list_embedded(const struct store_list_query *q, const json_t *items, struct arena *a,
		      const char *base_url, const char *raw_query)
{
	size_t n = json_array_size(items), rows = 0;
	char **json = arena_calloc(a, (n + 1) * sizeof(char *));
	struct store_cursor *cursors = arena_calloc(a, (n + 1) * sizeof(*cursors));
	/* appended in creation order: walk backwards for newest first */
	for (size_t k = n; k-- > 0;) {
		const json_t *v = json_array_get(items, k);
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *created = json_string_value(json_object_get(v, "date_created"));
		if (!id || !created || strlen(id) >= sizeof(cursors[rows].id) ||
		    time_parse_iso(created, &cursors[rows].created_ms) < 0)
			continue;
		memcpy(cursors[rows].id, id, strlen(id) + 1);
		json[rows++] = arena_dump_json(a, v);
	}
	struct store_list_result r = { 0 };
	list_page_rows(q, json, cursors, rows, a, &r);
	return list_envelope(q, &r, a, base_url, raw_query);
}
