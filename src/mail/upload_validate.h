// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Upload validation as a job kind of the jobs runtime (docs/internals/uploads.md). A file
 * with its mappings in place puts the upload in `Ready for Validation` and, in the same
 * transaction, queues an `upload.validate` job (ref: the upload). The job reads the CSV
 * once, streamed, maps and checks every row (mail/upload_map.h) and writes them to
 * upload_rows in batches, each batch in one transaction with the upload's new counts
 * (totalMailpieces, validatedMailpieces, failedMailpieces, bytesProcessed): a client polling
 * sees the state go `Validating` → `Scheduled` (or `Errored`) and the counts move. A job
 * cut short (kill -9) runs again from the first row: the first batch clears the rows.
 */
#ifndef FRANK_MAIL_UPLOAD_VALIDATE_H
#define FRANK_MAIL_UPLOAD_VALIDATE_H
#include "core/arena.h"
#include "core/err.h"
#include "jobs/jobs.h"
#include "store/store.h"

#define JOB_UPLOAD_VALIDATE "upload.validate"
#define UPLOAD_KIND "upload"
#define UPLOAD_INPUT_KIND "upload_input"	/* private: the upload's file (asset key) */
#define UPLOAD_BATCH_ROWS 16384	/* rows per transaction: few fsyncs, counts move ~10 times a second */

/* upload states (spec: upload_state) */
#define UPLOAD_DRAFT "Draft"
#define UPLOAD_READY "Ready for Validation"
#define UPLOAD_VALIDATING "Validating"
#define UPLOAD_SCHEDULED "Scheduled"
#define UPLOAD_ERRORED "Errored"

struct av_engine;

/* where a validation is, after each batch (frank upload's progress bar) */
struct upload_progress {
	const char *state;
	long long total, valid, failed;
	unsigned long long bytes, size;	/* read so far; the file's size */
};

struct upload_jobs {
	struct store *store;
	const struct av_engine *av;	/* live-mode address checks (NULL: formats only) */
	const char *data_dir;		/* where the assets are */
	unsigned batch_rows;		/* 0: UPLOAD_BATCH_ROWS */
	/* called on the validating thread after each batch is queued, and at the end; NULL:
	 * none */
	void (*progress)(void *ctx, const struct upload_progress *p);
	void *progress_ctx;
};

/* registers the kind and its one-thread pool (before jobs_start); u outlives j. 0 or -1 */
int upload_jobs_register(struct jobs *j, struct upload_jobs *u);

/* the change (in the upload's own change set) that queues its validation now */
void upload_validate_job_change(struct store_change *ch, const struct store_scope *sc,
				const char *upload_id, long long now_ms);

/* the private object holding an upload's file: its id ("upli_" + the upload's hex) */
void upload_input_id(const char *upload_id, char out[40]);

/*
 * Validates the upload now (the job's body; also tools and benchmarks). stopping may be
 * NULL. 0 done (Scheduled or Errored, or the upload is gone), 1 stopped midway (run again),
 * -1 *err (a store failure: retried).
 */
int upload_validate_run(const struct upload_jobs *u, const struct store_scope *sc,
			const char *upload_id, const atomic_bool *stopping, struct api_error *err);
#endif
