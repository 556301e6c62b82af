/*
 * What a campaign's send reads (store.h has the writes: STORE_UPLOAD_ROW): an upload's valid
 * rows still without their piece (migration 10's upload_rows), the objects that belong to a
 * campaign, and an object found by one field of its JSON.
 */
#ifndef FRANK_CAMPAIGN_STORE_H
#define FRANK_CAMPAIGN_STORE_H
#include <stddef.h>
#include "store/store.h"

struct store_upload_row {
	long long row_no;
	const char *piece;	/* {"to", "merge_variables", "metadata"} as validation wrote it */
};

/* the valid rows of upload_id whose piece_id is NULL, after row_no `after`, in row order, at
 * most max (arena). 0 or -1 */
int store_upload_rows_pending(struct store *s, const char *upload_id, long long after,
			      size_t max, struct arena *a, struct store_upload_row **rows,
			      size_t *n, struct api_error *err);

/* the rows of upload_id that are valid, and those of them that hold their piece. 0 or -1 */
int store_upload_rows_count(struct store *s, const char *upload_id, long long *valid,
			    long long *with_piece, struct api_error *err);

/*
 * The newest live object of sc (account, mode, kind) whose JSON at `path` (a trusted
 * constant, "$.campaign_id") equals value: 0 found (id and JSON in the arena), 1 none, -1.
 */
int store_object_find_by(struct store *s, const struct store_scope *sc, const char *path,
			 const char *value, struct arena *a, char **id_out, char **json_out,
			 struct api_error *err);

/* every live object of sc whose JSON at path equals value, oldest first, at most max: fn gets
 * each JSON. 0 or -1 */
int store_each_found_by(struct store *s, const struct store_scope *sc, const char *path,
			const char *value, size_t max,
			void (*fn)(void *ctx, const char *id, const char *json), void *ctx,
			struct api_error *err);

/* the live pieces of campaign_id (any kind but creatives) in account and mode, ids after
 * after_id ("" first), in id order, at most max; ids and kinds in the arena. 0 or -1 */
int store_campaign_pieces(struct store *s, const char *account_id, enum store_mode mode,
			  const char *campaign_id, const char *after_id, size_t max,
			  struct arena *a, char ***ids, char ***kinds, size_t *n,
			  struct api_error *err);
#endif
