// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * POST /v1/uploads/{id}/file: the audience CSV, streamed to disk by the transport
 * (R_BODY_FILE, http/body_file.h; up to --max-upload, 1 GB by default). Its header is
 * checked against the mappings before anything is stored, then the file becomes an asset
 * and, in one transaction, the upload goes to `Ready for Validation` with its validation
 * job queued. A refused file leaves nothing behind: the transport removes it.
 */
#include "api/uploads.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "http/app.h"
#include "http/body_file.h"
#include "mail/upload_map.h"
#include "mail/upload_validate.h"
#include "store/assets.h"
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* the upload's stored file: its asset key (arena), or NULL when none */
static const char *stored_file(struct req *rq, const char *upload_id, bool *exists,
			       struct api_error *err)
{
	char id[40], *json = NULL;
	struct store_scope sc = rq->scope;
	sc.kind = UPLOAD_INPUT_KIND;
	upload_input_id(upload_id, id);
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
	*exists = rc == 0;
	if (rc != 0)
		return NULL;
	json_t *in = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	return json_string_value(json_object_get(in, "file"));
}

int upload_file_check_mappings(struct req *rq, const json_t *upload, struct api_error *err)
{
	bool exists;
	char path[PATH_MAX], msg[300];
	const char *key = stored_file(rq, json_string_value(json_object_get(upload, "id")),
				      &exists, err);
	if (!key)
		return exists ? -1 : 0;	/* no file yet: checked when it comes */
	if (assets_path(rq->app->data_dir, key, path, sizeof(path)) < 0)
		return api_fail(err, ERR_INTERNAL, "the upload's file has a bad key");
	if (upload_map_check_file(upload, path, msg, sizeof(msg)) < 0)
		return api_fail(err, ERR_INVALID, "%s", msg);
	return 0;
}

/* what is wrong with the body as the transport took it; 0 when it holds one CSV file */
static int check_body(struct req *rq, const struct body_file *bf, struct api_error *err)
{
	if (!bf)
		return api_fail(err, ERR_INTERNAL, "the file could not be stored");
	if (bf->io_error)
		return api_fail(err, ERR_INTERNAL, "the file could not be written to disk");
	if (bf->bad_part)
		return api_fail(err, ERR_INVALID, "send one file, in a part named file, and no other "
				"large parts");
	if (bf->not_multipart || !bf->has_file)
		return api_fail(err, ERR_INVALID, "file is required: send the audience CSV as "
				"multipart/form-data, in a part named file");
	if (strcmp(bf->field, "file") != 0)
		return api_fail(err, ERR_INVALID, "the file part must be named file (it is named "
				"%.60s)", bf->field);
	if (bf->size == 0)
		return api_fail(err, ERR_INVALID, "the file is empty: it needs a header row naming "
				"its columns, then one row per recipient");
	(void)rq;
	return 0;
}

int upload_file_post(struct req *rq, struct api_error *err)
{
	json_t *obj = upload_load(rq, rq->path_id, err);
	if (!obj)
		return -1;
	struct body_file *bf = rq->body_file;
	const char *state = json_string_value(json_object_get(obj, "state"));
	char msg[300];
	if (strcmp(state, UPLOAD_VALIDATING) == 0)
		return api_fail(err, ERR_INVALID, "the upload is being validated: wait until its "
				"state is Scheduled or Errored");
	if (check_body(rq, bf, err) < 0 || upload_check_not_sent(rq, rq->path_id, err) < 0)
		return -1;
	if (upload_mappings_check(obj, msg, sizeof(msg)) < 0)
		return api_fail(err, ERR_INVALID, "%s (set the mappings with PATCH /v1/uploads/%s "
				"before uploading the file)", msg, rq->path_id);
	if (upload_map_check_file(obj, bf->path, msg, sizeof(msg)) < 0)
		return api_fail(err, ERR_INVALID, "%s", msg);
	bool had_file;
	if (!stored_file(rq, rq->path_id, &had_file, err) && had_file)
		return -1;
	char key[ASSET_KEY_MAX], input_id[40], when[25], name[256];
	if (assets_adopt(rq->app->data_dir, bf->path, bf->sha256, "csv", key, err) < 0)
		return -1;
	bf->path[0] = '\0';	/* the asset now; the transport leaves it */
	const char *fn = bf->filename && *bf->filename ? bf->filename : "audience.csv";
	utf8_sanitize(name, sizeof(name), fn, strlen(fn), true);
	time_format_iso(rq->now_ms, when);
	json_object_set_new(obj, "state", json_string(UPLOAD_READY));
	json_object_set_new(obj, "originalFilename", json_string(name));
	json_object_set_new(obj, "totalMailpieces", json_integer(0));
	json_object_set_new(obj, "validatedMailpieces", json_integer(0));
	json_object_set_new(obj, "failedMailpieces", json_integer(0));
	json_object_set_new(obj, "bytesProcessed", json_integer(0));
	json_object_set_new(obj, "dateModified", json_string(when));
	upload_input_id(rq->path_id, input_id);
	json_t *input = arena_own_json(rq->arena, json_pack("{s:s,s:I}", "file", key, "bytes",
							    (json_int_t)bf->size));
	struct store_change *ch = arena_calloc(rq->arena, 3 * sizeof(*ch));
	upload_change_set_json(rq, &ch[0], rq->path_id, arena_dump_json(rq->arena, obj));
	ch[1] = ch[0];
	ch[1].sc.kind = UPLOAD_INPUT_KIND;
	ch[1].obj.id = arena_strdup(rq->arena, input_id);
	ch[1].ctx = arena_dump_json(rq->arena, input);
	if (!had_file) {
		ch[1].op = STORE_INSERT;
		ch[1].mutate = NULL;
		ch[1].obj.created_ms = rq->now_ms;
		ch[1].obj.json = ch[1].ctx;
	}
	upload_validate_job_change(&ch[2], &rq->scope, rq->path_id, rq->now_ms);
	json_t *answer = arena_own_json(rq->arena, json_pack("{s:s,s:s}", "message",
							     "File uploaded successfully",
							     "filename", name));
	return upload_commit(rq, ch, 3, 202, answer, err);
}
