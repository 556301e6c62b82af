// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * An upload's row-by-row results: GET /v1/uploads/{id}/report (a page of rows with their
 * status and errors) and exports, the same as a CSV file behind a signed link (POST
 * /v1/uploads/{id}/exports, GET …/exports/{ex_id}). An export is `in_progress` when the
 * POST answers; the upload.export job (mail/upload_export.h) streams the rows to a file and
 * makes it `succeeded`. Export errors take the shape the spec gives them
 * (upload_export_error: {"code","message","errors"}).
 */
#include "api/uploads.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/log.h"
#include "core/parse.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "mail/upload_export.h"
#include "mail/upload_validate.h"
#include "sign/asset_urls.h"
#include "store/upload_store.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_LIMIT_MAX 100

/* "address_line1: address_line1 is required; …" from the row's errors */
static json_t *error_message(const json_t *errors)
{
	size_t i, cap = 0;
	const json_t *e;
	json_array_foreach(errors, i, e) {
		const char *c = json_string_value(json_object_get(e, "column"));
		const char *m = json_string_value(json_object_get(e, "message"));
		cap += (c ? strlen(c) : 0) + (m ? strlen(m) : 0) + 4;
	}
	if (!cap)
		return json_null();
	char *s = malloc(cap + 1), *p = s;
	if (!s)
		return json_null();
	json_array_foreach(errors, i, e) {
		const char *col = json_string_value(json_object_get(e, "column"));
		const char *m = json_string_value(json_object_get(e, "message"));
		p += snprintf(p, cap + 1 - (size_t)(p - s), "%s%s%s%s", i ? "; " : "",
			      col && *col ? col : "", col && *col ? ": " : "", m ? m : "");
	}
	json_t *out = json_string(s);
	free(s);
	return out ? out : json_null();
}

static int parse_count(const json_t *q, const char *name, long long dflt, long long min,
		       long long max, long long *out, struct api_error *err)
{
	const char *v = json_string_value(json_object_get(q, name));
	unsigned long n;
	if (!v) {
		*out = dflt;
		return 0;
	}
	if (parse_ulong(v, (unsigned long)max, &n) < 0 || (long long)n < min)
		return api_fail(err, ERR_INVALID, "%s must be an integer from %lld to %lld", name,
				min, max);
	*out = (long long)n;
	return 0;
}

int upload_report(struct req *rq, struct api_error *err)
{
	if (!upload_load(rq, rq->path_id, err))
		return -1;
	long long limit, offset;
	const char *status = json_string_value(json_object_get(rq->query, "status"));
	enum upload_rows_filter f = UPLOAD_ROWS_ALL;
	if (status && strcmp(status, "Validated") == 0)
		f = UPLOAD_ROWS_VALID;
	else if (status && strcmp(status, "Failed") == 0)
		f = UPLOAD_ROWS_FAILED;
	else if (status && strcmp(status, "Processing") != 0)
		return api_fail(err, ERR_INVALID, "status must be one of [Validated, Failed, "
				"Processing]");
	if (parse_count(rq->query, "limit", REPORT_LIMIT_MAX, 1, REPORT_LIMIT_MAX, &limit, err) < 0 ||
	    parse_count(rq->query, "offset", 0, 0, 1LL << 40, &offset, err) < 0)
		return -1;
	struct upload_row *rows = NULL;
	size_t n = 0;
	long long total = 0;
	/* rows are written once validated: none is ever "Processing" in the table */
	if (!(status && strcmp(status, "Processing") == 0) &&
	    upload_rows_page(rq->app->store, rq->path_id, f, offset, (unsigned)limit, rq->arena,
			     &rows, &n, &total, err) < 0)
		return -1;
	json_t *data = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *errors = rows[i].errors ? json_loads(rows[i].errors, 0, NULL) : NULL;
		json_t *item = json_pack("{s:I,s:s,s:o,s:o}", "rowNumber", (json_int_t)rows[i].row_no,
					 "status", rows[i].valid ? "Validated" : "Failed",
					 "errorMessage", error_message(errors),
					 "mailpieceId", rows[i].piece_id ? json_string(rows[i].piece_id)
									 : json_null());
		if (errors)
			json_object_set_new(item, "errors", errors);
		json_t *orig = rows[i].original ? json_loads(rows[i].original, 0, NULL) : NULL;
		json_object_set_new(item, "originalData", orig ? orig : json_object());
		json_array_append_new(data, item);
	}
	char *base = arena_strfmt(rq->arena, "%s%s?limit=%lld", rq->app->public_url ? rq->app->public_url : "",
				  rq->path, limit);
	const char *st = status ? arena_strfmt(rq->arena, "&status=%s", status) : "";
	json_t *out = arena_own_json(rq->arena, json_pack(
		"{s:o,s:I,s:I,s:I}", "data", data, "count", (json_int_t)n, "offset",
		(json_int_t)offset, "total_count", (json_int_t)total));
	json_object_set_new(out, "next_url", offset + (long long)n < total
		? json_string(arena_strfmt(rq->arena, "%s&offset=%lld%s", base, offset + limit, st))
		: json_null());
	json_object_set_new(out, "prev_url", offset > 0
		? json_string(arena_strfmt(rq->arena, "%s&offset=%lld%s", base,
					   offset > limit ? offset - limit : 0, st))
		: json_null());
	return respond_json(rq, 200, out);
}

/* ---- exports ---- */

/* the spec's upload_export_error shape */
static int export_error(struct req *rq, int code, const char *message, const char *error)
{
	json_t *body = arena_own_json(rq->arena, json_pack("{s:i,s:s,s:[s]}", "code", code,
							   "message", message, "errors", error));
	rq->error_code = code == 404 ? "not_found" : "bad_request";
	return respond_json(rq, code, body);
}

int upload_export_create(struct req *rq, struct api_error *err)
{
	struct api_error e = { .kind = ERR_NONE };
	json_t *upload = upload_load(rq, rq->path_id, &e);
	if (!upload)
		return e.kind == ERR_NOT_FOUND ? export_error(rq, 404, "upload not found",
							      "upload not found")
					       : (*err = e, -1);
	const json_t *t = json_object_get(rq->body_json, "type");
	const char *type = t ? json_string_value(t) : "failures";
	if (!type || (strcmp(type, "all") != 0 && strcmp(type, "failures") != 0 &&
		      strcmp(type, "successes") != 0))
		return export_error(rq, 400, "Invalid body, check 'errors' property for more info.",
				    "type must be one of [all, failures, successes]");
	const char *state = json_string_value(json_object_get(upload, "state"));
	if (strcmp(state, UPLOAD_SCHEDULED) != 0 && strcmp(state, UPLOAD_ERRORED) != 0)
		return export_error(rq, 400, "The upload has not been validated yet: upload its "
				    "file and wait until its state is Scheduled or Errored.",
				    "upload is not validated");
	char when[25];
	char *id = arena_alloc(rq->arena, 40);
	if (ids_new("ex_", id, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	time_format_iso(rq->now_ms, when);
	/* the file is the upload.export job's: at a million rows it is seconds of work */
	json_t *ex = arena_own_json(rq->arena, json_pack(
		"{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "id", id, "dateCreated", when,
		"dateModified", when, "deleted", 0, "state", EXPORT_IN_PROGRESS, "type", type,
		"uploadId", rq->path_id));
	struct store_change *ch = arena_calloc(rq->arena, 2 * sizeof(*ch));
	ch->op = STORE_INSERT;
	ch->sc = rq->scope;
	ch->sc.kind = UPLOAD_EXPORT_KIND;
	ch->obj = (struct store_object){ .id = id, .created_ms = rq->now_ms,
					 .updated_ms = rq->now_ms,
					 .json = arena_dump_json(rq->arena, ex) };
	upload_export_job_change(&ch[1], &rq->scope, id, rq->now_ms);
	json_t *answer = arena_own_json(rq->arena, json_pack("{s:s,s:s}", "message",
							     "Export is processing", "exportId", id));
	return upload_commit(rq, ch, 2, 200, answer, err);
}

int upload_export_get(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	struct store_scope sc = rq->scope;
	sc.kind = UPLOAD_EXPORT_KIND;
	const char *id = rq->path_sub;
	int rc = id && strncmp(id, "ex_", 3) == 0
			 ? store_object_get(rq->app->store, &sc, id, rq->arena, &json, err)
			 : 1;
	if (rc < 0)
		return -1;
	json_t *ex = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
	const char *up = json_string_value(json_object_get(ex, "uploadId"));
	if (!ex || !up || strcmp(up, rq->path_id) != 0)
		return api_fail(err, ERR_NOT_FOUND, "export not found");
	/* the link is signed afresh on every read, as Lob's asset links are; null until the
	 * file is written */
	char url[2048];
	const char *key = json_string_value(json_object_get(ex, "file"));
	if (key && asset_url(rq->app->data_dir, rq->app->public_url, key, 0, url, sizeof(url),
			     err) < 0)
		return -1;
	json_object_del(ex, "file");
	json_object_set_new(ex, "s3Url", key ? json_string(url) : json_null());
	return respond_json(rq, 200, ex);
}
