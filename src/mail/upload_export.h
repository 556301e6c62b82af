// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * An upload's rows as a CSV file (docs/internals/uploads.md): the file behind an export
 * (POST /v1/uploads/{id}/exports, written by the `upload.export` job, so the POST answers
 * at once with the export `in_progress`, as Lob's does) and behind the upload's
 * `failuresUrl` (written by the validation job when it ends with failed rows). Files are
 * content-addressed assets, written to a temporary file and fsynced before they are adopted.
 */
#ifndef FRANK_MAIL_UPLOAD_EXPORT_H
#define FRANK_MAIL_UPLOAD_EXPORT_H
#include "core/err.h"
#include "jobs/jobs.h"
#include "store/assets.h"
#include "store/store.h"

#define JOB_UPLOAD_EXPORT "upload.export"
#define UPLOAD_EXPORT_KIND "upload_export"
/* the upload's private field holding its failures file (an asset key); answers show it as
 * the signed link failuresUrl */
#define UPLOAD_FAILURES_FILE "_failures_file"

/* export states (spec: upload_export) */
#define EXPORT_IN_PROGRESS "in_progress"
#define EXPORT_SUCCEEDED "succeeded"
#define EXPORT_FAILED "failed"

/* the rows of type ("all", "failures", "successes") of upload_id as CSV (header:
 * row_number,status,column,message,mailpiece_id; a failed row once per error), adopted as an
 * asset under data_dir: its key in key_out. 0 or -1 *err */
int upload_export_write(struct store *s, const char *data_dir, const char *upload_id,
			const char *type, char key_out[ASSET_KEY_MAX], struct api_error *err);

/* the change (in the export's own change set) that queues its file */
void upload_export_job_change(struct store_change *ch, const struct store_scope *sc,
			      const char *export_id, long long now_ms);

struct upload_jobs;
/* registers the export kind on the uploads pool (called by upload_jobs_register) */
int upload_export_register(struct jobs *j, unsigned pool, const struct upload_jobs *u);
#endif
