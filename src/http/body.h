// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Request bodies and query strings → one JSON tree (jansson), whatever the encoding:
 * application/json, application/x-www-form-urlencoded with Lob's bracket notation
 * (`to[name]=x`, `metadata[k]=v`, `include[]=total_count`, `a[b][c]=`), multipart/form-data.
 * File parts of a multipart body become a "file object" (see body_file_*), never a string.
 * All limits are enforced while parsing; nothing here knows HTTP beyond the Content-Type.
 * Thread-safe (no shared state).
 */
#ifndef FRANK_HTTP_BODY_H
#define FRANK_HTTP_BODY_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

struct body_limits {
	size_t max_depth;	/* nesting of objects/arrays, root = 1 */
	size_t max_fields;	/* leaf values (form pairs, multipart parts, JSON scalars) */
	size_t max_key_len;	/* one form key / multipart name, bytes */
	size_t max_parts;	/* multipart parts */
};

/* the defaults frankd uses: depth 16, 1000 fields, 1024-byte keys, 100 parts */
extern const struct body_limits body_limits_default;

/*
 * Each parser returns a new reference to a JSON object (caller decrefs), or NULL with *err
 * set: ERR_INVALID (422) with a message a person can act on for malformed input or a
 * broken limit. Input need not be NUL-terminated and may contain any bytes.
 */

/* application/json: the root must be an object ("Body must be a JSON object") */
json_t *body_parse_json(const char *data, size_t len, const struct body_limits *lim,
			struct api_error *err);

/*
 * application/x-www-form-urlencoded, and query strings (same grammar). '+' is a space,
 * %XX decoded, values must be valid UTF-8. `a[]=1&a[]=2` → array; `a[0]=x&a[1]=y` → array;
 * `a[b]=1` → object; a repeated plain key keeps the last value; a key used both as a
 * scalar and as a container is an error. Values stay strings (coercion is the field
 * table's job).
 */
json_t *body_parse_form(const char *data, size_t len, const struct body_limits *lim,
			struct api_error *err);

/*
 * multipart/form-data. content_type is the whole header value (the boundary is read from
 * it). Text parts follow the form rules for their names (bracket notation); parts with a
 * filename become file objects.
 */
json_t *body_parse_multipart(const char *content_type, const char *data, size_t len,
			     const struct body_limits *lim, struct api_error *err);

/*
 * Dispatch on Content-Type (parameters and case ignored): JSON, form, multipart; an empty
 * body gives an empty object; another type is ERR_INVALID naming the supported ones.
 */
json_t *body_parse(const char *content_type, const char *data, size_t len,
		   const struct body_limits *lim, struct api_error *err);

/* file objects: {"$file": true, "filename", "content_type", "content"(bytes, may hold NULs)} */
bool body_is_file(const json_t *v);
const char *body_file_name(const json_t *v);		/* borrowed */
const char *body_file_type(const json_t *v);		/* borrowed; "application/octet-stream" if absent */
const char *body_file_data(const json_t *v, size_t *len);	/* borrowed */
#endif
