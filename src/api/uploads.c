// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Uploads (/v1/uploads): an audience CSV for a campaign, its column mappings and its
 * validation (docs/internals/uploads.md). Create, list, get, update (PATCH), delete here;
 * the file in upload_file.c; the report and exports in upload_report.c. Fields are
 * camelCase, as Lob's spec has them on uploads.
 */
#include "api/uploads.h"
#include "api/resource.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "mail/upload_map.h"
#include "mail/upload_export.h"
#include "mail/upload_validate.h"
#include "sign/asset_urls.h"
#include "store/campaign_store.h"
#include "store/upload_store.h"
#include <limits.h>
#include <string.h>

const struct resource upload_res = { .kind = UPLOAD_KIND, .id_prefix = "upl_" };

#define MAP_MAX_COLUMN 255	/* a column name */
#define MERGE_MAX 100		/* merge variables mapped */

json_t *upload_load(struct req *rq, const char *id, struct api_error *err)
{
	char *json = NULL;
	struct store_scope sc = rq->scope;
	sc.kind = UPLOAD_KIND;
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
	if (rc < 0)
		return NULL;
	if (rc == 1) {
		api_fail(err, ERR_NOT_FOUND, "upload not found");
		return NULL;
	}
	return arena_own_json(rq->arena, json_loads(json, 0, NULL));
}

int upload_check_not_sent(struct req *rq, const char *id, struct api_error *err)
{
	long long valid = 0, with_piece = 0;
	if (store_upload_rows_count(rq->app->store, id, &valid, &with_piece, err) < 0)
		return -1;
	if (with_piece > 0)
		return api_fail(err, ERR_INVALID, "the upload's rows made the campaign's pieces "
				"(%lld of them): its file and mappings stay as they were sent; create "
				"a new upload for another audience", with_piece);
	return 0;
}

/* ---- writes ---- */

struct commit_wait {
	struct req *rq;
	struct store_change_set set;
	const char *body;
	int status;
	struct api_error err;
};

static void commit_done(void *ctx, int rc)
{
	struct commit_wait *w = ctx;
	struct req *rq = w->rq;
	if (rc == 0) {
		rq->status = w->status;
		rq->resp_body = w->body;
		rq->resp_len = strlen(w->body);
	} else {
		if (rc == 1)
			api_fail(&w->err, ERR_NOT_FOUND, "upload not found");
		respond_error(rq, &w->err);
	}
	req_finish(rq);
}

int upload_commit(struct req *rq, struct store_change *changes, size_t n, int status,
		  const json_t *body, struct api_error *err)
{
	struct commit_wait *w = arena_calloc(rq->arena, sizeof(*w));
	w->rq = rq;
	w->status = status;
	w->body = body ? arena_dump_json(rq->arena, body) : "";
	w->set = (struct store_change_set){ .changes = changes, .n = n };
	struct store_done done = { commit_done, w };
	rq->pending = true;
	if (store_apply(rq->app->store, &w->set, &w->err, &done) < 0) {
		rq->pending = false;
		*err = w->err;
		return -1;
	}
	return 0;
}

/* on the writer thread: the new JSON, unless a validation started meanwhile */
static const char *set_json(const char *current, void *ctx, struct store_event *ev,
			    const char **metadata_json, struct api_error *err)
{
	(void)ev;
	(void)metadata_json;
	json_t *cur = json_loads(current, 0, NULL);
	const char *state = json_string_value(json_object_get(cur, "state"));
	bool busy = state && strcmp(state, UPLOAD_VALIDATING) == 0;
	json_decref(cur);
	if (busy) {
		api_fail(err, ERR_INVALID, "the upload is being validated: wait until its state is "
			 "Scheduled or Errored");
		return NULL;
	}
	return ctx;
}

void upload_change_set_json(struct req *rq, struct store_change *ch, const char *id,
			    const char *json)
{
	*ch = (struct store_change){ .op = STORE_UPDATE, .sc = rq->scope,
				     .obj = { .id = id, .updated_ms = rq->now_ms },
				     .mutate = set_json, .ctx = (void *)json };
	ch->sc.kind = UPLOAD_KIND;
}

/* ---- the body ---- */

static int column_name(const json_t *v, const char *what, const char *key, bool nullable,
		       struct api_error *err)
{
	if (json_is_null(v) && nullable)
		return 0;
	if (!json_is_string(v) || json_string_length(v) == 0)
		return api_fail(err, ERR_INVALID, "%s.%.60s must be the name of a column of the "
				"file (a non-empty string)%s", what, key, nullable ? " or null" : "");
	if (json_string_length(v) > MAP_MAX_COLUMN)
		return api_fail(err, ERR_INVALID, "%s.%.60s must be at most %d characters long",
				what, key, MAP_MAX_COLUMN);
	return 0;
}

/* requiredAddressColumnMapping / optionalAddressColumnMapping: every key present, null
 * when unmapped, as Lob answers them */
static int address_mapping(const json_t *in, json_t *obj, const char *what, int first,
			   int last, struct api_error *err)
{
	json_t *out = json_object_get(obj, what);
	if (!in)
		return 0;
	if (!json_is_object(in))
		return api_fail(err, ERR_INVALID, "%s must be an object", what);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)in, k, v) {
		int t = first;
		while (t <= last && strcmp(k, upload_target_names[t]) != 0)
			t++;
		if (t > last)
			return api_fail(err, ERR_INVALID, "%s.%.60s is not allowed", what, k);
		if (column_name(v, what, k, true, err) < 0)
			return -1;
		json_object_set(out, k, v);
	}
	return 0;
}

static int merge_mapping(const json_t *in, json_t *obj, struct api_error *err)
{
	const char *what = "mergeVariableColumnMapping";
	if (!in)
		return 0;
	if (json_is_null(in)) {
		json_object_set_new(obj, what, json_null());
		return 0;
	}
	if (!json_is_object(in))
		return api_fail(err, ERR_INVALID, "%s must be an object or null", what);
	if (json_object_size(in) > MERGE_MAX)
		return api_fail(err, ERR_INVALID, "%s may map at most %d merge variables", what,
				MERGE_MAX);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)in, k, v)
		if (!*k || column_name(v, what, k, false, err) < 0)
			return *k ? -1 : api_fail(err, ERR_INVALID, "%s: a merge variable "
						  "needs a name", what);
	json_object_set(obj, what, (json_t *)in);
	return 0;
}

static int metadata_columns(const json_t *in, json_t *obj, struct api_error *err)
{
	if (!in)
		return 0;
	const json_t *cols = json_object_get(in, "columns");
	if (!json_is_object(in) || json_object_size(in) != 1 || !json_is_array(cols))
		return api_fail(err, ERR_INVALID, "metadata must be {\"columns\": [column names]}");
	size_t i;
	const json_t *c;
	json_array_foreach(cols, i, c)
		if (!json_is_string(c) || json_string_length(c) == 0)
			return api_fail(err, ERR_INVALID, "metadata.columns[%zu] must be the name "
					"of a column of the file", i);
	json_object_set_new(obj, "metadata", json_pack("{s:O}", "columns", cols));
	return 0;
}

int upload_apply_body(const json_t *body, json_t *obj, bool create, struct api_error *err)
{
	static const char *const allowed[] = { "campaignId", "requiredAddressColumnMapping",
					       "optionalAddressColumnMapping", "metadata",
					       "mergeVariableColumnMapping", "originalFilename" };
	if (!json_is_object(body))
		return api_fail(err, ERR_INVALID, "the body must be a JSON object");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v) {
		size_t i = create ? 0 : 1, n = create ? 5 : 6;
		while (i < n && strcmp(k, allowed[i]) != 0)
			i++;
		if (i == n)
			return api_fail(err, ERR_INVALID, "%.60s is not allowed", k);
	}
	const json_t *name = json_object_get(body, "originalFilename");
	if (name && (!json_is_string(name) || json_string_length(name) > 255))
		return api_fail(err, ERR_INVALID, "originalFilename must be a string of at most "
				"255 characters");
	if (name)
		json_object_set(obj, "originalFilename", (json_t *)name);
	if (address_mapping(json_object_get(body, "requiredAddressColumnMapping"), obj,
			    "requiredAddressColumnMapping", UT_NAME, UT_ADDRESS_ZIP, err) < 0 ||
	    address_mapping(json_object_get(body, "optionalAddressColumnMapping"), obj,
			    "optionalAddressColumnMapping", UT_ADDRESS_LINE2, UT_ADDRESS_COUNTRY,
			    err) < 0 ||
	    merge_mapping(json_object_get(body, "mergeVariableColumnMapping"), obj, err) < 0 ||
	    metadata_columns(json_object_get(body, "metadata"), obj, err) < 0)
		return -1;
	/* limits that hold whatever the file (the rest waits for the file's header) */
	const json_t *cols = json_object_get(json_object_get(obj, "metadata"), "columns");
	if (json_array_size(cols) > UPLOAD_METADATA_MAX)
		return api_fail(err, ERR_INVALID, "metadata.columns may name at most %d columns "
				"(Lob's limit of metadata keys on a piece)", UPLOAD_METADATA_MAX);
	return 0;
}

/* ---- handlers ---- */

static bool campaign_id_valid(const char *s)
{
	if (!s || strncmp(s, "cmp_", 4) != 0 || !s[4] || strlen(s) > 40)
		return false;
	for (s += 4; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static int check_campaign(struct store *s, const struct store_scope *scope, const json_t *body,
			  struct api_error *err)
{
	const json_t *v = json_object_get(body, "campaignId");
	const char *id = json_string_value(v);
	if (!v)
		return api_fail(err, ERR_INVALID, "campaignId is required");
	if (!campaign_id_valid(id))
		return api_fail(err, ERR_INVALID, "campaignId must be a campaign id (cmp_ followed "
				"by letters and digits)");
	char *json = NULL;
	struct store_scope sc = *scope;
	sc.kind = "campaign";
	struct arena *a = arena_new();
	int rc = a ? store_object_get(s, &sc, id, a, &json, err) : -1;
	arena_free(a);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return api_fail(err, ERR_INVALID, "campaignId %s is not a campaign of this account "
				"in %s mode: create it with POST /v1/campaigns first (with a key of "
				"the same mode)", id, scope->mode == MODE_LIVE ? "live" : "test");
	return 0;
}

json_t *upload_new(struct store *s, const struct store_scope *scope, const json_t *body,
		   long long now_ms, struct api_error *err)
{
	char id[40], when[25];
	if (!json_is_object(body)) {
		api_fail(err, ERR_INVALID, "the body must be a JSON object");
		return NULL;
	}
	if (check_campaign(s, scope, body, err) < 0)
		return NULL;
	if (ids_new("upl_", id, sizeof(id)) < 0) {
		api_fail(err, ERR_INTERNAL, "no entropy for an id");
		return NULL;
	}
	time_format_iso(now_ms, when);
	json_t *obj = json_pack(
		"{s:s,s:s,s:O,s:{s:n,s:n,s:n,s:n,s:n},s:{s:n,s:n,s:n},s:{s:[]},s:n,s:s,s:s,"
		"s:i,s:i,s:i,s:i,s:s,s:s}",
		"id", id, "accountId", scope->account_id,
		"campaignId", json_object_get(body, "campaignId"),
		"requiredAddressColumnMapping", "name", "address_line1", "address_city",
		"address_state", "address_zip",
		"optionalAddressColumnMapping", "address_line2", "company", "address_country",
		"metadata", "columns", "mergeVariableColumnMapping",
		"mode", scope->mode == MODE_LIVE ? "live" : "test", "state", UPLOAD_DRAFT,
		"totalMailpieces", 0, "failedMailpieces", 0, "validatedMailpieces", 0,
		"bytesProcessed", 0, "dateCreated", when, "dateModified", when);
	if (!obj)
		api_fail(err, ERR_INTERNAL, "out of memory");
	if (obj && upload_apply_body(body, obj, true, err) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* the upload as a client sees it: its failures file as a link signed now (failuresUrl,
 * absent while there is none, as the spec has it optional), never the private key */
static int upload_present(struct req *rq, json_t *obj, struct api_error *err)
{
	const char *key = json_string_value(json_object_get(obj, UPLOAD_FAILURES_FILE));
	char url[2048];
	if (key) {
		if (asset_url(rq->app->data_dir, rq->app->public_url, key, 0, url, sizeof(url),
			      err) < 0)
			return -1;
		json_object_set_new(obj, "failuresUrl", json_string(url));
	}
	json_object_del(obj, UPLOAD_FAILURES_FILE);
	return 0;
}

static int upload_create(struct req *rq, struct api_error *err)
{
	json_t *obj = arena_own_json(rq->arena, upload_new(rq->app->store, &rq->scope,
							  rq->body_json, rq->now_ms, err));
	if (!obj)
		return -1;
	const char *id = json_string_value(json_object_get(obj, "id"));
	struct store_change *ch = arena_calloc(rq->arena, sizeof(*ch));
	ch->op = STORE_INSERT;
	ch->sc = rq->scope;
	ch->sc.kind = UPLOAD_KIND;
	ch->obj = (struct store_object){ .id = id, .created_ms = rq->now_ms,
					 .updated_ms = rq->now_ms,
					 .json = arena_dump_json(rq->arena, obj) };
	return upload_commit(rq, ch, 1, 201, obj, err);
}

static int upload_get(struct req *rq, struct api_error *err)
{
	json_t *obj = upload_load(rq, rq->path_id, err);
	return obj && upload_present(rq, obj, err) == 0 ? respond_json(rq, 200, obj) : -1;
}

/* spec: the list is a bare array (all_uploads), filtered by campaignId; newest first */
#define UPLOAD_LIST_MAX 100
static int upload_list(struct req *rq, struct api_error *err)
{
	const char *cmp = json_string_value(json_object_get(rq->query, "campaignId"));
	struct store_json_filter jf = { .path = "$.campaignId", .op = JF_EQ, .text = cmp,
					.boolean = -1 };
	struct store_list_query q = { .source = SOURCE_OBJECTS, .scope = rq->scope,
				      .limit = UPLOAD_LIST_MAX, .jf = cmp ? &jf : NULL,
				      .n_jf = cmp ? 1 : 0, .created_gt = LLONG_MIN,
				      .created_gte = LLONG_MIN, .created_lt = LLONG_MIN,
				      .created_lte = LLONG_MIN };
	q.scope.kind = UPLOAD_KIND;
	struct store_list_result r;
	if (store_object_list(rq->app->store, &q, rq->arena, &r, err) < 0)
		return -1;
	json_t *out = arena_own_json(rq->arena, json_array());
	for (size_t i = 0; i < r.n; i++) {
		json_t *u = json_loads(r.json[i], 0, NULL);
		if (!u || upload_present(rq, u, err) < 0) {
			json_decref(u);
			return u ? -1 : api_fail(err, ERR_INTERNAL, "a stored upload is unreadable");
		}
		json_array_append_new(out, u);
	}
	return respond_json(rq, 200, out);
}

/* PATCH: new mappings; with a file in place they are checked against its header and the
 * upload is validated again */
static int upload_update(struct req *rq, struct api_error *err)
{
	json_t *obj = upload_load(rq, rq->path_id, err);
	if (!obj)
		return -1;
	const char *state = json_string_value(json_object_get(obj, "state"));
	if (strcmp(state, UPLOAD_VALIDATING) == 0)
		return api_fail(err, ERR_INVALID, "the upload is being validated: wait until its "
				"state is Scheduled or Errored");
	if (upload_apply_body(rq->body_json, obj, false, err) < 0)
		return -1;
	char when[25];
	time_format_iso(rq->now_ms, when);
	json_object_set_new(obj, "dateModified", json_string(when));
	struct store_change *ch = arena_calloc(rq->arena, 2 * sizeof(*ch));
	size_t n = 1;
	bool remap = json_object_get(rq->body_json, "requiredAddressColumnMapping") ||
		     json_object_get(rq->body_json, "optionalAddressColumnMapping") ||
		     json_object_get(rq->body_json, "mergeVariableColumnMapping") ||
		     json_object_get(rq->body_json, "metadata");
	if (remap && strcmp(state, UPLOAD_DRAFT) != 0) {
		/* a file is in place: the new mappings must fit its header */
		if (upload_check_not_sent(rq, rq->path_id, err) < 0 ||
		    upload_file_check_mappings(rq, obj, err) < 0)
			return -1;
		json_object_set_new(obj, "state", json_string(UPLOAD_READY));
		json_object_del(obj, UPLOAD_FAILURES_FILE);	/* the last validation's */
		upload_validate_job_change(&ch[1], &rq->scope, rq->path_id, rq->now_ms);
		n = 2;
	}
	upload_change_set_json(rq, &ch[0], rq->path_id, arena_dump_json(rq->arena, obj));
	if (upload_present(rq, obj, err) < 0)
		return -1;
	return upload_commit(rq, ch, n, 200, obj, err);
}

static int upload_delete(struct req *rq, struct api_error *err)
{
	json_t *obj = upload_load(rq, rq->path_id, err);
	if (!obj || upload_check_not_sent(rq, rq->path_id, err) < 0)
		return -1;
	/* the rows first: a delete that then fails leaves an upload to validate again */
	struct upload_batch b = { .sc = &rq->scope, .upload_id = rq->path_id, .clear = true,
				  .now_ms = rq->now_ms };
	if (upload_rows_write(rq->app->store, &b, err) < 0)
		return -1;
	struct store_change *ch = arena_calloc(rq->arena, sizeof(*ch));
	*ch = (struct store_change){ .op = STORE_DELETE, .sc = rq->scope,
				     .obj = { .id = rq->path_id, .updated_ms = rq->now_ms },
				     .mutate = store_mutate_replace,	/* keeps the last form */
				     .ctx = (void *)arena_dump_json(rq->arena, obj) };
	ch->sc.kind = UPLOAD_KIND;
	return upload_commit(rq, ch, 1, 204, NULL, err);
}

const struct route upload_routes[] = {
	{ HTTP_GET, "/v1/uploads", upload_list, &upload_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/uploads", upload_create, &upload_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_GET, "/v1/uploads/{id}", upload_get, &upload_res, KEY_SECRET, NULL, 0 },
	{ HTTP_PATCH, "/v1/uploads/{id}", upload_update, &upload_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_DELETE, "/v1/uploads/{id}", upload_delete, &upload_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/uploads/{id}/file", upload_file_post, &upload_res, KEY_SECRET, NULL,
	  R_BODY_FILE },
	{ HTTP_POST, "/v1/uploads/{id}/exports", upload_export_create, &upload_res, KEY_SECRET,
	  NULL, R_BODY },
	{ HTTP_GET, "/v1/uploads/{id}/exports/{sub}", upload_export_get, &upload_res, KEY_SECRET,
	  NULL, 0 },
	{ HTTP_GET, "/v1/uploads/{id}/report", upload_report, &upload_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
