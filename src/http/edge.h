// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The HTTP edge: what a request must pass before it is routed. The request target and the
 * header section are bounded, and the body's framing must be one a proxy in front of us
 * reads the same way (RFC 9112 §6): one Content-Length value, or Transfer-Encoding: chunked
 * alone. Pure functions over what the transport parsed; failures are Lob errors
 * (bad_request with 400, 414 or 431; 422 invalid for too many query parameters).
 */
#ifndef FRANK_HTTP_EDGE_H
#define FRANK_HTTP_EDGE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define EDGE_TARGET_MAX 8192		/* bytes of request target: path, '?', query */
#define EDGE_QUERY_PARAMS_MAX 256	/* '&'-separated query parameters */
#define EDGE_HEADERS_MAX 100		/* header fields */
#define EDGE_HEADER_BYTES_MAX 32768	/* bytes of all header names and values */

struct edge_target {
	size_t len;		/* bytes of the raw target */
	size_t params;		/* non-empty '&'-separated pieces of its query */
};

struct edge_field {
	const char *name, *value;	/* as received (the transport strips leading blanks) */
};

/* measures a raw request target ("/v1/x?a=1&b=2") */
void edge_measure_target(const char *target, struct edge_target *t);

/* 0, or -1 with *err: 414 when the target is too long, 422 with too many parameters */
int edge_check_target(const struct edge_target *t, struct api_error *err);

/*
 * 0, or -1 with *err: 431 for too many or too large header fields; 400 for a field name
 * that is not a token (whitespace before the colon), a Content-Length that is not digits,
 * Content-Length values that differ (identical repeats count as one, RFC 9112 §6.3 item 5),
 * Transfer-Encoding with Content-Length, in HTTP/1.0, repeated, or other than "chunked".
 * n may exceed EDGE_HEADERS_MAX: only the count is used then.
 */
int edge_check_headers(const struct edge_field *f, size_t n, bool http10,
		       struct api_error *err);
#endif
