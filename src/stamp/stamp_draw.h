// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Drawing for the stampers (internal to src/stamp/stamp_*.c, micr.c): a canvas that
 * collects PDF operators in the coordinates of the product's artboard — inches from its
 * top-left, as product.h measures — and puts them on a page as one form XObject with its
 * own fonts (MuPDF's base-14 Nimbus Sans, Helvetica's metrics, embedded: a printer's
 * preflight wants every font program in the file), so no name can clash with the page's.
 *
 * Text is UTF-8 in, WinAnsi out (what base-14 fonts print); what WinAnsi lacks prints as
 * '?'. Lines are fitted to their box: smaller type, then narrower, then cut.
 */
#ifndef FRANK_STAMP_STAMP_DRAW_H
#define FRANK_STAMP_STAMP_DRAW_H
#include <mupdf/pdf.h>
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "stamp/product.h"

#define PT 72.0	/* PDF points per inch */

enum stamp_font { FONT_REGULAR, FONT_BOLD, FONT_OBLIQUE, FONT__COUNT };
/* each font's BaseFont and its resource name in the canvas's form XObject */
extern const char *const stamp_font_base[FONT__COUNT];
extern const char *const stamp_font_res[FONT__COUNT];

struct canvas {
	fz_context *ctx;
	char *s;
	size_t len, cap;
	bool failed;			/* out of memory: the canvas is unusable */
	double w_in, h_in;		/* the artboard */
	fz_font *font[FONT__COUNT];	/* metrics (MuPDF's base-14 fonts), loaded on use */
	bool used[FONT__COUNT];
};

void cv_init(struct canvas *c, fz_context *ctx, double w_in, double h_in);
void cv_free(struct canvas *c);

/* raw operators (points, origin bottom-left): for glyph outlines */
void cv_op(struct canvas *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* y in points (PDF, from the bottom) of y_in inches from the top */
double cv_y(const struct canvas *c, double y_in);

void cv_fill(struct canvas *c, struct rect_in r, double gray);
void cv_stroke(struct canvas *c, struct rect_in r, double width_pt, double gray);
/* a straight line; dash_pt > 0 dashes it */
void cv_line(struct canvas *c, double x0, double y0, double x1, double y1, double width_pt,
	     double gray, double dash_pt);

/* font metrics in em: ascender (> 0) and descender (< 0) as MuPDF reports them */
double cv_ascender(struct canvas *c, enum stamp_font f);
double cv_descender(struct canvas *c, enum stamp_font f);
/* width in inches of utf8 at pt points */
double cv_width(struct canvas *c, enum stamp_font f, double pt, const char *utf8);

/* one line at a baseline; hscale in (0, 1] narrows it (PDF Tz) */
void cv_text(struct canvas *c, enum stamp_font f, double pt, double x_in, double baseline_in,
	     double hscale, const char *utf8);
/* right-aligned at x_right_in; centred on x_mid_in */
void cv_text_right(struct canvas *c, enum stamp_font f, double pt, double x_right_in,
		   double baseline_in, const char *utf8);
void cv_text_center(struct canvas *c, enum stamp_font f, double pt, double x_mid_in,
		    double baseline_in, const char *utf8);
/* one line at a baseline, made to fit max_w_in (narrower, then smaller, then cut) */
void cv_text_fit(struct canvas *c, enum stamp_font f, double pt, double x_in,
		 double baseline_in, double max_w_in, const char *utf8);
/* text that is found by search and extraction but not seen (PDF render mode 3), one
 * character every pitch_in inches from x_in (ASCII; spaces are gaps) */
void cv_text_hidden(struct canvas *c, double pt, double x_in, double baseline_in,
		    double pitch_in, const char *ascii);

/*
 * Up to n lines (NULL ends early; empty lines are skipped) in box, top-aligned, at most
 * max_pt; the first line in first_font, the rest regular. Every glyph box stays inside.
 * Returns the lines drawn.
 */
size_t cv_lines(struct canvas *c, struct rect_in box, const char *const *lines, size_t n,
		enum stamp_font first_font, double max_pt);

/* running text wrapped at spaces into box (hard breaks inside long words); what does not
 * fit is left out. Returns the bytes of text drawn. */
size_t cv_paragraph(struct canvas *c, struct rect_in box, enum stamp_font f, double pt,
		    const char *utf8);

/* the 65 IMb bars (F/A/D/T) with the top of the full bars at (x, y); product.h sizes;
 * NULL draws nothing */
void cv_imb(struct canvas *c, double x_in, double y_in, const char *bars);
/* a linear barcode from module widths ("2112..." bar, space, bar ...) */
void cv_modules(struct canvas *c, double x_in, double y_in, const char *modules,
		double x_dim_in, double h_in);
/* a QR code filling the square r (quiet zone of 4 modules inside it, white) */
int cv_qr(struct canvas *c, struct rect_in r, const char *data, struct api_error *err);

/*
 * The page's frame: the matrix from artboard points (origin bottom-left, y up) to the page's
 * user space, honouring /Rotate, /UserUnit and the page boxes. The page's size is its trim
 * box, else crop box, else media box (as pdf_check measures it); it must be the artboard or
 * the trim of the product (± 0.06"), else -1 with the size found in *w_in, *h_in.
 * Throws on MuPDF errors.
 */
int stamp_frame(fz_context *ctx, pdf_obj *page, double art_w, double art_h, double bleed,
		fz_matrix *cm, double *w_in, double *h_in);

/* adds the canvas to the page as a form XObject drawn after its content (throws) */
void stamp_apply(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct canvas *c,
		 fz_matrix cm);

/* a new empty page of w x h inches at index at (throws) */
void stamp_insert_blank(fz_context *ctx, pdf_document *doc, int at, double w_in, double h_in);

/* frame and apply the canvas to page index; -1 with ERR_INVALID_FILE_DIMENSIONS (throws on
 * MuPDF errors) */
int stamp_page(fz_context *ctx, pdf_document *doc, int index, const struct product_size *p,
	       const struct canvas *c, struct api_error *err);
#endif
