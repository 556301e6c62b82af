// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internal to the body parsers (body.c: JSON, forms, dispatch; body_tree.c: bracket
 * notation; body_multipart.c): the helpers and the bracket-notation tree they share.
 */
#ifndef FRANK_HTTP_BODY_INTERNAL_H
#define FRANK_HTTP_BODY_INTERNAL_H
#include "http/body.h"
#include <stdbool.h>
#include <stddef.h>

#define MSG_CLIP 100			/* bytes of user input echoed in a message */
#define MP_BOUNDARY_MAX 200		/* RFC 2046 says 70; be lenient, but bounded */
#define MP_HEADERS_MAX 8192		/* all header lines of one part */
#define FORM_INDEX_MAX 1000000		/* larger indexes saturate (and are always a gap) */

/* body.c */
bool body_is_lwsp(char c);
char body_ascii_lower(char c);
/* s[0..n) equals lit, ASCII case-insensitively */
bool body_ieq(const char *s, size_t n, const char *lit);
/* valid UTF-8 without NUL: what a text field may hold */
bool body_text_ok(const char *s, size_t n);
/* n clipped for echoing user input in a message */
int body_clip(const char *s, size_t n);
int body_hex_val(char c);
json_t *body_oom(struct api_error *err);

/* body_tree.c: bracket notation (a[b][]=v), shared by forms and multipart */
struct tree {
	json_t *root;
	const struct body_limits *lim;
	size_t nfields;
	struct api_error *err;
};
/* adds key=val (val's reference is taken) under the tree's limits; 0 or -1 with *t->err */
int body_tree_add(struct tree *t, const char *key, size_t klen, json_t *val);
#endif
