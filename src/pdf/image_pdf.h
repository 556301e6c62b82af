// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Images as mail-piece artwork: a PNG or JPEG becomes a one-page PDF of the product's size,
 * under Lob's rules — the image must have the product's aspect ratio and at least 300 DPI,
 * where DPI is pixels ÷ the product's inches (1275x1875 px on a 4.25"x6.25" postcard is 300).
 * A JPEG's EXIF orientation is honoured, as viewers show it.
 */
#ifndef FRANK_PDF_IMAGE_PDF_H
#define FRANK_PDF_IMAGE_PDF_H
#include <stddef.h>
#include "core/err.h"

#define IMAGE_MIN_DPI 300
/* a decompression bomb cannot make us allocate more than this many pixels */
#define IMAGE_MAX_PIXELS (150u * 1000 * 1000)
#define IMAGE_MAX_SIDE 65000

enum file_type {
	FILE_TYPE_UNKNOWN = 0,
	FILE_TYPE_PDF,
	FILE_TYPE_PNG,
	FILE_TYPE_JPEG,
	FILE_TYPE_HTML,
};

/* by magic bytes: %PDF- (within the first 1 KiB), PNG signature, JPEG SOI, or text that
 * starts (after a BOM and white space) with an HTML tag, comment or doctype */
enum file_type sniff_file_type(const unsigned char *data, size_t len);

/*
 * PNG/JPEG bytes → a one-page PDF of want_w_in x want_h_in inches, the image filling the page.
 * Errors: ERR_INVALID_FILE (not a PNG or JPEG, unreadable, too many pixels),
 * ERR_INVALID_FILE_DIMENSIONS (the image's height at the page's width differs from the page's
 * height by more than tol_in), ERR_INVALID_IMAGE_DPI (below IMAGE_MIN_DPI).
 * *pdf_out is malloc'd.
 */
/*
 * A PNG's or JPEG's pixel size as viewers show it (EXIF orientation applied), read by MuPDF
 * from the header. 0, or -1 with ERR_INVALID_FILE (not a PNG or JPEG, unreadable).
 */
int image_size(const unsigned char *data, size_t len, int *w, int *h, struct api_error *err);

int image_to_pdf(const unsigned char *data, size_t len, double want_w_in, double want_h_in,
		 double tol_in, unsigned char **pdf_out, size_t *pdf_len, struct api_error *err);
#endif
