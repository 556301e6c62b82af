// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A MuPDF device that passes everything on to another device except images drawn with a
 * (nearly) singular matrix. MuPDF 1.21 lays out a 1x1 image (a spacer or tracking pixel) or an
 * image of zero width or height with such a matrix, and its PDF device then writes the matrix's
 * "inverse" as all zeros — everything after it on the page collapses to nothing. Skipping an
 * image that has no area loses nothing visible.
 * It also drops images of more than GUARD_MAX_IMAGE_PIXELS: the PDF writer decodes an image to
 * store it, and a few KB of PNG can claim 40,000 x 40,000 pixels.
 */
#ifndef FRANK_PDF_GUARD_DEV_H
#define FRANK_PDF_GUARD_DEV_H
#include <mupdf/fitz.h>

/* 60 megapixels: a 9"x12" page at 600 DPI is 39 */
#define GUARD_MAX_IMAGE_PIXELS 60000000ull

/* the target is borrowed: close and drop it yourself, after this device (throws) */
fz_device *guard_device_new(fz_context *ctx, fz_device *target);
/*
 * The same forwarding, images untouched, each call counted as one drawing operation of the
 * running render job (budget.h): past its budget the call throws and MuPDF unwinds.
 */
fz_device *guard_budget_device_new(fz_context *ctx, fz_device *target);
#endif
