// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Drawing one page of the PS Form 3877 facsimile on a MuPDF device (a PDF writer's page):
 * text in MuPDF's built-in Helvetica (Nimbus Sans, which the PDF writer embeds), rules and
 * boxes. Coordinates are inches from the page's top-left; text sits on its baseline. Every
 * call may throw (use inside fz_try).
 */
#ifndef FRANK_PRODUCTION_FIRM_BOOK_PAGE_H
#define FRANK_PRODUCTION_FIRM_BOOK_PAGE_H
#include <mupdf/fitz.h>
#include <stdbool.h>

struct fb_page {
	fz_context *ctx;
	fz_device *dev;
	fz_font *regular, *bold;
};

/* loads the fonts (throws); fbp_drop drops them */
void fbp_init(struct fb_page *p, fz_context *ctx);
void fbp_drop(struct fb_page *p);

/* the width in inches of utf8 at pt points */
double fbp_width(struct fb_page *p, bool bold, double pt, const char *utf8);
void fbp_text(struct fb_page *p, bool bold, double pt, double x, double baseline,
	      const char *utf8);
void fbp_text_right(struct fb_page *p, bool bold, double pt, double x_right, double baseline,
		    const char *utf8);
/* made to fit max_w: smaller type down to 5 pt, then cut with an ellipsis */
void fbp_text_fit(struct fb_page *p, bool bold, double pt, double x, double baseline,
		  double max_w, const char *utf8);
/* a rule, width in points */
void fbp_line(struct fb_page *p, double x0, double y0, double x1, double y1, double width_pt);
void fbp_rect(struct fb_page *p, double x, double y, double w, double h, double width_pt);
/* a filled rectangle, gray 0 (black) to 1 (white) */
void fbp_fill(struct fb_page *p, double x, double y, double w, double h, float gray);
#endif
