// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Fonts a PDF's pages use without embedding them, checked against Lob's "Standard PDF Fonts"
 * (fonts Lob accepts unembedded, each for some font types only). Part of pdf_inspect.
 */
#ifndef FRANK_PDF_PDF_FONTS_H
#define FRANK_PDF_PDF_FONTS_H
#include <mupdf/pdf.h>
#include <stdbool.h>
#include "pdf/pdf_inspect.h"

/* resources (font, form, pattern, annotation appearance) visited at most per document */
#define PDF_FONTS_MAX_VISITS 200000
#define PDF_FONTS_MAX_DEPTH 32

/*
 * Walk the fonts of pages 0..n_pages-1 (their resources, nested forms, patterns and
 * annotation appearances) and record unembedded ones in out (n_unembedded, unembedded,
 * more_unembedded, n_standard_unembedded). Throws on a damaged or too deeply nested file.
 */
void pdf_fonts_scan(fz_context *ctx, pdf_document *doc, int n_pages, struct pdf_info *out);

/*
 * true when Lob accepts `name` unembedded as font type `type` ("Type 1", "TrueType" or
 * "CID TrueType"); a subset prefix ("ABCDEF+") is ignored
 */
bool pdf_font_is_standard(const char *name, const char *type);
#endif
