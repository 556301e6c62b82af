// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Store calls for an upload's audience rows (migration 10, table upload_rows;
 * docs/internals/uploads.md). Validation writes rows in batches, each batch in one writer
 * transaction together with the upload object's new counts, so a client polling the upload
 * sees counts that match the rows stored. The campaign send (not here) sets piece_id.
 */
#ifndef FRANK_STORE_UPLOAD_STORE_H
#define FRANK_STORE_UPLOAD_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

struct upload_row {
	long long row_no;	/* the record's number in the file (header: 1) */
	bool valid;
	const char *piece;	/* valid: {"to","merge_variables","metadata"} JSON */
	const char *errors;	/* failed: [{"column","message"}] JSON */
	const char *piece_id;	/* reads: the piece the send created, or NULL */
	const char *original;	/* {"column header": "value"} JSON as the file had the row,
				 * or NULL (a whole-file error, rows of an older version) */
};

/*
 * One batch, in one writer transaction: with `clear`, the upload's earlier rows go first (a
 * new validation); then rows[0..n) are inserted; then, when update is set, the upload object
 * (kind "upload", scope sc) is rewritten by update(current JSON, ctx) → new JSON (must stay
 * valid until the call returns; NULL leaves it). 0 committed, 1 the upload is gone (nothing
 * written), -1 *err.
 */
struct upload_batch {
	const struct store_scope *sc;
	const char *upload_id;
	bool clear;
	const struct upload_row *rows;
	size_t n;
	const char *(*update)(const char *json, void *ctx);
	void *ctx;
	long long now_ms;
};
int upload_rows_write(struct store *s, const struct upload_batch *b, struct api_error *err);
/* the same, queued: done->fn(ctx, rc) runs on the writer thread once committed; b, its rows
 * and err stay valid until then. 0 queued, -1 *err (so a reader maps the next batch while
 * the writer commits this one) */
int upload_rows_write_async(struct store *s, const struct upload_batch *b, struct api_error *err,
			    const struct store_done *done);

/* which rows a read wants */
enum upload_rows_filter { UPLOAD_ROWS_ALL, UPLOAD_ROWS_VALID, UPLOAD_ROWS_FAILED };

/* rows in row order from offset, at most limit, strings in a; *total counts all rows of the
 * filter. 0 or -1 */
int upload_rows_page(struct store *s, const char *upload_id, enum upload_rows_filter f,
		     long long offset, unsigned limit, struct arena *a, struct upload_row **rows,
		     size_t *n, long long *total, struct api_error *err);

/* every row of the filter in row order: fn returns 0 to go on, -1 to stop (its error) */
int upload_rows_each(struct store *s, const char *upload_id, enum upload_rows_filter f,
		     int (*fn)(void *ctx, const struct upload_row *r, struct api_error *err),
		     void *ctx, struct api_error *err);
#endif
