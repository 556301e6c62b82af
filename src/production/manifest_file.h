// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The run files C writes (manifests, the 3877, positive pay), each written atomically: to a
 * temporary name in the output folder, fsync'd, then renamed, so a hot-folder reader never
 * sees half a file. Its SHA-256 and byte count are counted while it is written and appended
 * to the run's file list as {"kind","name","lot"?,"bytes","sha256"}.
 */
#ifndef FRANK_PRODUCTION_MANIFEST_FILE_H
#define FRANK_PRODUCTION_MANIFEST_FILE_H
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include "core/err.h"

struct manifest_file {
	FILE *f;
	void *sha;		/* EVP_MD_CTX */
	size_t bytes;
	bool failed;		/* a write failed: commit refuses */
	char name[128];
	char dir[PATH_MAX];
	char tmp[PATH_MAX];
};

/* an id safe as part of a file name: 1-64 of A-Z a-z 0-9 _ - */
bool manifest_name_safe(const char *id);

/* starts dir/name (a temporary file until committed); 0 or -1 with *err */
int manifest_file_open(struct manifest_file *mf, const char *dir, const char *name,
		       struct api_error *err);
void manifest_file_write(struct manifest_file *mf, const void *data, size_t len);
void manifest_file_puts(struct manifest_file *mf, const char *s);

/*
 * Flushes, fsyncs and renames the file to its name, then appends its entry to files_out (lot:
 * NULL for run files). 0 or -1 with *err; the temporary file is gone either way.
 */
int manifest_file_commit(struct manifest_file *mf, const char *kind, const char *lot_id,
			 json_t *files_out, struct api_error *err);
/* drops an uncommitted file (safe after commit, and twice) */
void manifest_file_abort(struct manifest_file *mf);

/* open, write len bytes, commit: a file made in memory (the 3877 PDF) */
int manifest_file_put(const char *dir, const char *name, const void *data, size_t len,
		      const char *kind, json_t *files_out, struct api_error *err);

/*
 * One CSV field, RFC 4180: quoted when it holds '"', ',', CR or LF (a '"' doubled); then ','
 * or, after the row's last field, CRLF. NULL is an empty field.
 */
void manifest_csv_field(struct manifest_file *mf, const char *s, bool last);
#endif
