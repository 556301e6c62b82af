// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * An upload's column mappings applied to its audience rows (docs/internals/uploads.md):
 * compiled once against the file's header (a mapping naming a column the file lacks is an
 * error of the whole upload, told before validation starts), then each row becomes either
 * the piece a campaign send creates ({"to", "merge_variables", "metadata"}) or its errors
 * ([{"column", "message"}], Lob's messages). Addresses are checked with Frank's own engine
 * (av/), as /v1/us_verifications answers. Thread-safe once compiled.
 */
#ifndef FRANK_MAIL_UPLOAD_MAP_H
#define FRANK_MAIL_UPLOAD_MAP_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/arena.h"
#include "mail/upload_csv.h"
#include "store/upload_store.h"

struct av_engine;

#define UPLOAD_METADATA_MAX 20	/* Lob: at most 20 metadata keys on a piece */

/* the address fields of a piece's `to`, in the order of the mappings */
enum upload_target {
	UT_NAME, UT_ADDRESS_LINE1, UT_ADDRESS_CITY, UT_ADDRESS_STATE, UT_ADDRESS_ZIP,	/* required */
	UT_ADDRESS_LINE2, UT_COMPANY, UT_ADDRESS_COUNTRY,				/* optional */
	UT_COUNT
};
extern const char *const upload_target_names[UT_COUNT];

struct upload_col {
	const char *name;	/* the piece's field, merge variable or metadata key */
	const char *column;	/* the file's column */
	int index;		/* in the row; -1: not mapped */
};

struct upload_map {
	struct upload_col to[UT_COUNT];
	struct upload_col *merge, *meta;
	size_t n_merge, n_meta;
	size_t n_columns;	/* the header's columns (trailing empty names dropped) */
	const char **columns;	/* their names */
	const struct av_engine *av;	/* NULL: no address check beyond the formats */
	bool test;		/* test mode: Lob's test rules (magic undeliverable lines) */
};

/*
 * Checks the mappings alone (what a create or an update may store): 0, or -1 with Lob's
 * message in msg. upload is the upload object (camelCase fields).
 */
int upload_mappings_check(const json_t *upload, char *msg, size_t msglen);

/*
 * Compiles the upload's mappings against the header row: NULL with the message when a
 * required mapping is missing or names a column the header lacks. Allocated in a.
 */
struct upload_map *upload_map_compile(const json_t *upload, const struct ucsv_row *header,
				      struct arena *a, char *msg, size_t msglen);

/* one audience row → out (piece or errors JSON, in a); out->row_no is row->row_no */
void upload_map_row(const struct upload_map *m, const struct ucsv_row *row, struct arena *a,
		    struct upload_row *out);

/* reads just the header of the CSV at path and compiles the mappings against it: 0, or -1
 * with the message (also an empty file, an unreadable header) */
int upload_map_check_file(const json_t *upload, const char *path, char *msg, size_t msglen);
#endif
