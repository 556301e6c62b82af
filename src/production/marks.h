// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What Frank draws on print-file pages (internal to src/production/): a layer of PDF
 * operators in "visual" coordinates (inches from the top-left of a w x h area, y down) and
 * the one font it uses, Helvetica's metric twin Nimbus Sans from MuPDF's built-in font data,
 * embedded once per output file as a CID font (Identity-H, with a ToUnicode map, so the text
 * extracts). All functions throw MuPDF errors (call them inside fz_try).
 *
 * Marks drawn here:
 *  - press marks (marks_press.c): crop marks, the slug line, the TEST watermark, the permit
 *    imprint (DMM 604.5: class, "U.S. POSTAGE PAID", city and state, "PERMIT NO. n", in a
 *    box in the postage area of the address side);
 *  - inserter marks (marks_inserter.c) on the front of each sheet of letters and checks:
 *    OMR or a DataMatrix, geometry in marks_inserter.c's header comment.
 */
#ifndef FRANK_PRODUCTION_MARKS_H
#define FRANK_PRODUCTION_MARKS_H
#include <mupdf/pdf.h>
#include <stdbool.h>
#include "production/impose.h"
#include "production/printfile.h"

#define MARKS_PT 72.0
#define MARKS_FONT_RES "FrankMk"	/* the font's resource name in Frank's content */
#define MARKS_WATERMARK "TEST \xe2\x80\x94 DO NOT MAIL"

/* the embedded font of one output document */
struct marks_font {
	fz_font *font;
	pdf_obj *ref;		/* the Type0 font dictionary (indirect) */
};

struct marks {
	fz_context *ctx;
	fz_buffer *ops;
	double w_in, h_in;
	struct marks_font *font;
};

void marks_font_load(fz_context *ctx, pdf_document *doc, struct marks_font *f);
void marks_font_drop(fz_context *ctx, struct marks_font *f);

/* a new empty layer for an area of w x h inches; marks_drop frees it */
void marks_begin(struct marks *m, fz_context *ctx, struct marks_font *f, double w_in,
		 double h_in);
void marks_drop(struct marks *m);

void marks_fill(struct marks *m, struct rect_in r, double gray);
void marks_stroke(struct marks *m, struct rect_in r, double width_pt);
void marks_line(struct marks *m, double x0, double y0, double x1, double y1, double width_pt);
/* width in inches of utf8 at pt points */
double marks_text_width(struct marks *m, double pt, const char *utf8);
/* one line with its baseline starting at (x, y), turned angle degrees counter-clockwise;
 * outline: stroked letters (a watermark that leaves what is under it readable) */
void marks_text(struct marks *m, double pt, double x, double y, double angle, bool outline,
		const char *utf8);

/* the resources dictionary of a page or form drawn by m (the font), new reference */
pdf_obj *marks_resources(fz_context *ctx, pdf_document *doc, const struct marks_font *f);

/*
 * Adds m's operators to an existing page as a form XObject drawn over its content; cm maps
 * m's points (origin bottom-left) to the page's user space (stamp_frame gives it).
 */
void marks_apply(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct marks *m,
		 fz_matrix cm);

/* ---- press marks (marks_press.c) ---- */

/* "TEST — DO NOT MAIL" across the area, diagonally */
void marks_watermark(struct marks *m);
/* crop marks around g's block; back: as they land on the back under d */
void marks_crop(struct marks *m, const struct impose_grid *g, bool back, enum impose_duplex d);
/* the slug line (run, lot, sheet n of m, side, duplex convention) in g's slug band */
void marks_slug(struct marks *m, const struct impose_grid *g, bool back, enum impose_duplex d,
		const char *text);
/* the permit imprint in box (artboard inches) */
void marks_permit(struct marks *m, struct rect_in box, const struct permit_imprint *p);

/* ---- inserter marks (marks_inserter.c), on a letter-size sheet's pages ---- */

/*
 * The front of sheet i (1-based) of n of a piece: OMR marks or a DataMatrix with
 * "<run>|<piece>|<i>|<n>"; 0, or -1 with *err when the DataMatrix cannot be made.
 */
int marks_inserter_front(struct marks *m, enum print_marks kind, const char *run_id,
			 const char *piece_id, unsigned i, unsigned n, struct api_error *err);
/* the back of a sheet: the OMR clear zone kept white behind the marks */
void marks_inserter_back(struct marks *m, enum print_marks kind);
#endif
