// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A PNG encoder tuned for thumbnails: MuPDF's own writes at zlib's default level, which is
 * ~3x slower on a page (bench/render_mupdf); thumbnails are made once per piece and downloaded
 * rarely, so speed wins over the last 20% of size. Pages whose pixels are all grey (black text
 * on white) are written as 8-bit greyscale: a third of the data.
 */
#ifndef FRANK_PDF_PNG_FAST_H
#define FRANK_PDF_PNG_FAST_H
#include <stddef.h>

/* zlib level: 3 compresses a text page as fast as 1 and ~3% smaller (measured) */
#define PNG_FAST_LEVEL 3

/*
 * RGB samples (3 bytes a pixel, rows `stride` bytes apart) → malloc'd PNG bytes, or NULL
 * when out of memory or the size is not valid (w, h in 1..65535).
 */
unsigned char *png_fast_rgb(const unsigned char *samples, int w, int h, size_t stride,
			    size_t *len);
#endif
