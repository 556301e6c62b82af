// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Inspecting and checking a customer's PDF before it is printed: page count, each page's
 * printed size, encryption, fonts that are neither embedded nor on Lob's list of standard
 * fonts. pdf_check answers with the Lob error a wrong file gets.
 *
 * A page's size is its trim box (the finished piece after cutting, which is what a print
 * shop matches to the product), else its crop box (what viewers show and the spec's default
 * for the trim box), else its media box; clipped to the media box, scaled by /UserUnit and
 * turned by /Rotate, so it is the size as the page is meant to be seen.
 */
#ifndef FRANK_PDF_PDF_INSPECT_H
#define FRANK_PDF_PDF_INSPECT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* sizes are kept for this many pages (all pages are still checked) */
#define PDF_INFO_MAX_PAGES 256
/* unembedded font names kept (each at most PDF_FONT_NAME_MAX - 1 bytes) */
#define PDF_INFO_MAX_FONTS 16
#define PDF_FONT_NAME_MAX 64

struct pdf_page_size {
	double width_in, height_in;
};

/* fixed size: nothing to free */
struct pdf_info {
	unsigned pages;
	struct pdf_page_size size[PDF_INFO_MAX_PAGES];	/* pages 1..min(pages, MAX) */
	bool encrypted;		/* has an /Encrypt dictionary (even with an empty password) */
	bool needs_password;	/* cannot be opened without a password: nothing else is known */
	/* non-standard unembedded fonts of the pages inspected ("Name (Type)") */
	size_t n_unembedded;
	char unembedded[PDF_INFO_MAX_FONTS][PDF_FONT_NAME_MAX];
	bool more_unembedded;	/* more than PDF_INFO_MAX_FONTS were found */
	/* unembedded fonts that Lob's standard list allows (not errors) */
	size_t n_standard_unembedded;
};

/* what a product accepts; a zero limit (or width) is not checked */
struct pdf_expect {
	double width_in, height_in;	/* exact orientation as given */
	double tolerance_in;		/* allowed difference per side */
	unsigned min_pages, max_pages;
	size_t max_bytes;
};

/*
 * Inspect PDF bytes. 0 with *out filled; -1 with ERR_INVALID_FILE (not a PDF, damaged, no
 * pages) or ERR_FILE_SIZE_EXCEEDS_LIMIT (beyond PDF_MAX_INPUT_BYTES). An encrypted PDF is not
 * an error here: out->encrypted says so.
 */
int pdf_inspect(const unsigned char *data, size_t len, struct pdf_info *out,
		struct api_error *err);

/*
 * Inspect and apply Lob's rules, in this order: size in bytes, a readable PDF, encryption,
 * page count, each page's size (ERR_INVALID_FILE_DIMENSIONS names the expected and found
 * sizes; ERR_INCONSISTENT_PAGE_DIMENSIONS when a later page differs from page 1), fonts.
 * out may be NULL.
 */
int pdf_check(const unsigned char *data, size_t len, const struct pdf_expect *want,
	      struct pdf_info *out, struct api_error *err);
#endif
