// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Bounds on HTML before an HTML parser and layout engine see it. MuPDF's HTML path (gumbo,
 * then fz_story) is quadratic in places a hostile document can reach with little input:
 * nesting depth (16,000 nested tags: 2 s and 2 GB just to parse), formatting elements reopened
 * in every block (misnested <b>s multiply the tree), and one unbreakable word (a 50,000-letter
 * word: 1.5 s to lay out). A single pass over the bytes estimates all three, erring high.
 */
#ifndef FRANK_RENDER_HTML_LIMITS_H
#define FRANK_RENDER_HTML_LIMITS_H
#include <stddef.h>
#include "core/err.h"

/* Chromium stops nesting at 512; real mail pieces stay far below */
#define HTML_MAX_DEPTH 256
/* elements, counting each formatting element a parser may reopen */
#define HTML_MAX_ELEMENTS 100000
/* bytes of text without a break opportunity (a space, or CJK text) */
#define HTML_MAX_WORD 4000

struct html_shape {
	unsigned max_depth;
	unsigned long elements;
	size_t longest_word;
};

/*
 * 0 when html is within the limits, else -1 with ERR_INVALID_TEMPLATE_HTML saying which limit.
 * shape (may be NULL) gets the estimates, as far as the scan went.
 */
int html_check_limits(const char *html, size_t len, struct html_shape *shape,
		      struct api_error *err);
#endif
