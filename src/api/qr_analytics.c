// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * GET /v1/qr_code_analytics (spec: qr_codes_list): the account's mail pieces that carry a QR
 * code with a short link (api/qr_links.h), each with its scans (clicks of that link), the
 * most recently scanned first. Parameters: limit, offset, include=total_count,
 * date_created (the piece's), scanned (at least one scan, or none), resource_ids (≤ 100).
 * The envelope is the spec's all_qr_codes: object, count, scanned_count, data (and
 * total_count with include).
 */
#include "api/links.h"
#include "api/list.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "store/link_store.h"
#include <string.h>

#define RESOURCE_IDS_MAX 100	/* spec: maxItems */

static const struct list_filter qr_filters[] = {
	{ "offset", LF_OFFSET, NULL, NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};

/* resource_ids[]=a&resource_ids[]=b, resource_ids=a,b or a JSON array → a JSON array text */
static int resource_ids(struct req *rq, const json_t *v, const char **out, struct api_error *err)
{
	json_t *ids = arena_own_json(rq->arena, json_array());
	json_t *parsed = NULL;
	const char *s = json_string_value(v);
	if (s && s[0] == '[')
		v = parsed = arena_own_json(rq->arena, json_loads(s, 0, NULL));
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			if (!json_is_string(e) || !*json_string_value(e))
				return api_fail(err, ERR_INVALID, "resource_ids must be an array of ids");
			json_array_append(ids, e);
		}
	} else if (s && !parsed) {
		while (*s) {
			size_t n = strcspn(s, ",");
			if (n == 0 || n > 64)
				return api_fail(err, ERR_INVALID, "resource_ids must be a list of ids");
			json_array_append_new(ids, json_stringn(s, n));
			s += n + (s[n] == ',');
		}
	} else {
		return api_fail(err, ERR_INVALID, "resource_ids must be an array of ids");
	}
	if (json_array_size(ids) > RESOURCE_IDS_MAX)
		return api_fail(err, ERR_INVALID,
				"resource_ids must contain less than or equal to %d items",
				RESOURCE_IDS_MAX);
	*out = arena_dump_json(rq->arena, ids);
	return *out ? 0 : api_fail(err, ERR_INTERNAL, "serialisation failed");
}

static int scanned_param(const json_t *v, int *out, struct api_error *err)
{
	const char *s = json_string_value(v);
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else if (s && strcmp(s, "true") == 0)
		*out = 1;
	else if (s && strcmp(s, "false") == 0)
		*out = 0;
	else
		return api_fail(err, ERR_INVALID, "scanned must be a boolean");
	return 0;
}

static int qr_list(struct req *rq, struct api_error *err)
{
	struct store_list_query lq = { 0 };
	struct qr_query q = { .account_id = rq->scope.account_id, .mode = rq->scope.mode,
			      .scanned = -1 };
	json_t *rest = arena_own_json(rq->arena, json_deep_copy(rq->query ? rq->query : json_object()));
	const json_t *v;
	if (!rest)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	if ((v = json_object_get(rest, "scanned")) && scanned_param(v, &q.scanned, err) < 0)
		return -1;
	if ((v = json_object_get(rest, "resource_ids")) && resource_ids(rq, v, &q.resource_ids, err) < 0)
		return -1;
	json_object_del(rest, "scanned");
	json_object_del(rest, "resource_ids");
	if (list_parse_query_filters(rest, rq->arena, qr_filters, &lq, err) < 0)
		return -1;
	if (lq.before || lq.after || lq.n_meta)
		return api_fail(err, ERR_INVALID,
				"qr_code_analytics pages with limit and offset (before, after and metadata are not allowed)");
	q.limit = lq.limit;
	q.offset = lq.offset;
	q.want_total = lq.want_total;
	q.created_gt = lq.created_gt;
	q.created_gte = lq.created_gte;
	q.created_lt = lq.created_lt;
	q.created_lte = lq.created_lte;
	struct qr_row *rows = NULL;
	size_t n = 0;
	long long total = 0, scanned = 0;
	if (store_qr_analytics(rq->app->store, &q, rq->arena, &rows, &n, &total, err) < 0)
		return -1;
	json_t *data = json_array();
	json_t *env = arena_own_json(rq->arena, json_object());
	for (size_t i = 0; i < n; i++) {
		char when[25];
		time_format_iso(rows[i].created_ms, when);
		json_t *scans = json_loads(rows[i].scans_json, 0, NULL);
		json_array_append_new(data, json_pack("{s:s?,s:s,s:I,s:o}", "resource_id",
						      rows[i].resource_id, "date_created", when,
						      "number_of_scans", (json_int_t)rows[i].scans,
						      "scans", scans ? scans : json_array()));
		scanned += rows[i].scans > 0;
	}
	json_object_set_new(env, "object", json_string("list"));
	json_object_set_new(env, "data", data);
	json_object_set_new(env, "count", json_integer((json_int_t)n));
	json_object_set_new(env, "scanned_count", json_integer(scanned));
	if (q.want_total)
		json_object_set_new(env, "total_count", json_integer(total));
	return respond_json(rq, 200, env);
}

const struct route qr_analytics_routes[] = {
	{ HTTP_GET, "/v1/qr_code_analytics", qr_list, NULL, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
