// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print-ready files of one lot of a print run (the lot plan: docs/internals/production.md).
 * Letters and checks: every piece's pages in the lot's order, printed to size, a blank back
 * after an odd last page when the lot is double-sided. Postcards and self-mailers: imposed
 * n-up on a press sheet with bleed, crop marks and a slug line (impose.h). Marks: marks.h.
 * Every page has its MediaBox, TrimBox and BleedBox set; every font Frank draws is embedded.
 */
#ifndef FRANK_PRODUCTION_PRINTFILE_H
#define FRANK_PRODUCTION_PRINTFILE_H
#include <jansson.h>
#include <stdbool.h>
#include "core/err.h"

enum print_marks { PRINT_MARKS_NONE, PRINT_MARKS_OMR, PRINT_MARKS_DATAMATRIX };
struct permit_imprint { const char *mail_class_text; /* "FIRST-CLASS MAIL" | "PRSRT STD" … */
			const char *city, *state, *permit_number; };
struct printfile_opts {
	const char *data_dir;		/* assets_open */
	double sheet_w_in, sheet_h_in;	/* press sheet for n-up (0: 12 x 18); a card too big
					 * for a smaller sheet goes on 13 x 19 */
	double bleed_in;		/* default 0.125 */
	enum print_marks marks;
	const struct permit_imprint *permit;	/* NULL: none (meter / pre-printed) */
	bool test_watermark;		/* "TEST — DO NOT MAIL" on every page (test runs; a
					 * run or lot with "test": true gets it anyway) */
	unsigned max_pieces_per_file;	/* a lot bigger than this is written in parts; 0: 500 */
};
/* Writes the lot's print file(s) into out_dir (temp name, then rename) and appends to
 * files_out one object per file: {"kind":"print","name":"<lot id>[_partN].pdf",
 * "pages":n,"sheets":n,"bytes":n,"sha256":"…"}. Streams: never more than one part's pieces
 * open at once. A missing or unreadable piece PDF fails the lot with the piece id in *err
 * (the lot fails whole: parts it wrote are removed again, from out_dir and files_out).
 * 0 or -1. */
int printfile_write_lot(const struct printfile_opts *o, const json_t *run, const json_t *lot,
			const char *out_dir, json_t *files_out, struct api_error *err);
#endif
