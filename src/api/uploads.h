// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /v1/uploads (docs/internals/uploads.md): shared by uploads.c (create, list, get, update,
 * delete), upload_file.c (the audience file) and upload_report.c (report and exports).
 */
#ifndef FRANK_API_UPLOADS_H
#define FRANK_API_UPLOADS_H
#include <jansson.h>
#include "core/err.h"
#include "http/req.h"
#include "store/store.h"

struct resource;
extern const struct resource upload_res;

/* the request's upload ({id}) as a new JSON object (owned by rq's arena), or NULL with
 * Lob's 404 "upload not found" */
json_t *upload_load(struct req *rq, const char *id, struct api_error *err);

/*
 * Commits changes[0..n) as one transaction and answers status with body (borrowed, dumped
 * now) once committed; a change on an upload deleted meanwhile answers 404. 0 queued, -1
 * *err.
 */
int upload_commit(struct req *rq, struct store_change *changes, size_t n, int status,
		  const json_t *body, struct api_error *err);

/* a STORE_UPDATE of the upload that replaces its JSON by json (arena text) */
void upload_change_set_json(struct req *rq, struct store_change *ch, const char *id,
			    const char *json);

/* validates a mapping body's fields (create: with campaignId; update: without) into obj
 * (the upload as stored); 0 or -1 with a 422 */
int upload_apply_body(const json_t *body, json_t *obj, bool create, struct api_error *err);

/* a new upload (Draft) from a create body, its campaign checked in scope: new reference,
 * or NULL with a 422 (also for `frank upload`) */
json_t *upload_new(struct store *s, const struct store_scope *scope, const json_t *body,
		   long long now_ms, struct api_error *err);
/* 422 once the upload's rows made pieces (its campaign was sent): its rows may no longer
 * be replaced or removed. 0 or -1 */
int upload_check_not_sent(struct req *rq, const char *id, struct api_error *err);

/* upload_file.c: POST /v1/uploads/{id}/file; and the check of an upload's mappings
 * against the header of the file it has (422 when they do not fit) */
int upload_file_post(struct req *rq, struct api_error *err);
int upload_file_check_mappings(struct req *rq, const json_t *upload, struct api_error *err);
/* upload_report.c */
int upload_report(struct req *rq, struct api_error *err);
int upload_export_create(struct req *rq, struct api_error *err);
int upload_export_get(struct req *rq, struct api_error *err);
#endif
