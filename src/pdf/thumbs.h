// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * PNG thumbnails of a PDF's pages, as Lob's mail pieces list them: per page a small, a medium
 * and a large image ({small, medium, large} signed links). Lob does not publish their pixel
 * sizes; Frank's are THUMB_WIDTH_* wide (the height follows the page), the widths the rest of
 * Frank (render_source.c, `frank render`) uses: a 600 px letter page shows its body text.
 */
#ifndef FRANK_PDF_THUMBS_H
#define FRANK_PDF_THUMBS_H
#include <stddef.h>
#include "core/err.h"

#define THUMB_WIDTH_SMALL 150
#define THUMB_WIDTH_MEDIUM 300
#define THUMB_WIDTH_LARGE 600
/* widths and heights are clamped to this; a page's thumbnail keeps its aspect ratio */
#define THUMB_MAX_SIDE 4000

struct thumb_png {
	unsigned char *data;	/* malloc'd PNG */
	size_t len;
	unsigned width, height;
};

struct thumb_set {
	size_t n_pages, n_widths;
	struct thumb_png *png;	/* n_pages * n_widths, page by page: png[page * n_widths + i] */
};

/*
 * Thumbnails of the first min(page count, max_pages) pages of pdf, one per width (pixels,
 * 1..THUMB_MAX_SIDE). The page is laid out once and drawn at each width. 0 with *out filled
 * (free with thumb_set_free), or -1 with *err (ERR_INVALID_FILE for an unreadable PDF).
 */
int pdf_thumbnails(const unsigned char *pdf, size_t len, const unsigned *widths, size_t n_widths,
		   unsigned max_pages, struct thumb_set *out, struct api_error *err);

void thumb_set_free(struct thumb_set *set);
#endif
