// SPDX-License-Identifier: AGPL-3.0-or-later
/* Responses that are bytes, not JSON: files from the asset store. */
#ifndef FRANK_RESPONSE_FILE_H
#define FRANK_RESPONSE_FILE_H
#include <stddef.h>
#include "core/err.h"
#include "http/req.h"

#define RESPOND_FILE_MAX ((size_t)256 << 20)	/* read into memory: bounded */

/* data must live as long as rq (the arena, or static); type is the Content-Type */
int respond_bytes(struct req *rq, int status, const char *type, const void *data, size_t len);

/*
 * reads size bytes from fd (not closed) into the arena and responds 200 with type; 0, or
 * -1 with ERR_INTERNAL (short read, larger than RESPOND_FILE_MAX)
 */
int respond_fd(struct req *rq, int fd, size_t size, const char *type, struct api_error *err);
/* an asset store file as the response (its Content-Type, Cache-Control: private, nosniff) */
int respond_asset(struct req *rq, const char *data_dir, const char *key, struct api_error *err);
#endif
