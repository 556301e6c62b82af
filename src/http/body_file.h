// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A multipart/form-data body streamed to disk (routes with R_BODY_FILE: an audience CSV of
 * up to 1 GB). The transport feeds the body as it arrives; libmicrohttpd's post processor
 * splits the parts; the file part goes to a temporary file under DATA/assets (same file
 * system as the assets, so the handler can rename it into place) while its SHA-256 is
 * computed, and the other parts, small, become rq->body_json. Memory stays bounded whatever
 * the body's size.
 */
#ifndef FRANK_HTTP_BODY_FILE_H
#define FRANK_HTTP_BODY_FILE_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/arena.h"

#define BODY_FILE_FIELDS_MAX 16384	/* bytes of the non-file parts together */

struct body_file {
	char path[4096];	/* the temporary file; "" once taken or removed */
	int fd;
	unsigned long long size, limit;	/* file bytes written; the route's limit */
	char sha256[65];	/* hex, once finished */
	const char *field;	/* the file part's name ("file") */
	const char *filename;	/* its filename parameter, or NULL */
	json_t *fields;		/* the other parts, name → string */
	bool has_file;
	bool too_large;		/* the body passed the limit: the rest was dropped */
	bool not_multipart;	/* no multipart/form-data body the parser accepts */
	bool bad_part;		/* a second file part, or too many other bytes */
	bool io_error;
	void *pp;		/* struct MHD_PostProcessor */
	void *md;		/* EVP_MD_CTX */
	size_t fields_bytes;
	struct arena *arena;
};

/* starts a sink for a body of the connection (struct MHD_Connection *); NULL: out of
 * memory or no temporary file (logged) */
struct body_file *body_file_open(struct arena *a, void *connection, const char *data_dir,
				 unsigned long long limit);
/* the next bytes of the body */
void body_file_feed(struct body_file *bf, const char *data, size_t n);
/* the body is complete: the file is flushed to disk and hashed; 0 or -1 (io_error) */
int body_file_finish(struct body_file *bf);
/* removes the temporary file unless taken (path ""), frees the parser; bf may be NULL */
void body_file_discard(struct body_file *bf);
#endif
