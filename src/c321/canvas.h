// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A drawing surface for the documents of /api/v1 (labels, receipts) over the stamping
 * engine's canvas (stamp/stamp_draw.h): text in its embedded Nimbus Sans (Helvetica's
 * metrics), rules, boxes and GS1-128 bars, per page, written as one PDF with MuPDF. Coordinates are inches from the
 * page's top-left; text is placed by its baseline. Input text is UTF-8; what WinAnsi cannot
 * show becomes '?'.
 *
 * Threads: a canvas belongs to one thread; lc_write uses that thread's MuPDF context.
 */
#ifndef FRANK_C321_CANVAS_H
#define FRANK_C321_CANVAS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

struct canvas;

/* set w and h (the page, inches) and zero the rest; lc_release frees it */
struct lcanvas {
	double w, h;		/* page size, inches */
	struct canvas *cv;	/* made on first use */
	bool failed;		/* out of memory: lc_write refuses */
};

/* text at (x, y): size in points, bold or regular Helvetica */
void lc_text(struct lcanvas *c, double x, double y, double size, bool bold, const char *utf8);
/* the width of text in inches (Helvetica metrics), for centring and right-aligning */
double lc_text_width(struct lcanvas *c, double size, bool bold, const char *utf8);
/* a straight line, width in points; dashed for cut and fold lines */
void lc_line(struct lcanvas *c, double x1, double y1, double x2, double y2, double width,
	     bool dashed);
/* a rectangle outline */
void lc_rect(struct lcanvas *c, double x, double y, double w, double h, double width);
/* a filled black rectangle */
void lc_fill(struct lcanvas *c, double x, double y, double w, double h);
/* a check box (side inches), with an X when checked */
void lc_checkbox(struct lcanvas *c, double x, double y, double side, bool checked);
/*
 * GS1-128 bars from module widths ("2112…": bar, space, bar, … each 1-4 modules, as
 * impb_gs1_modules gives them), top-left at (x, y), each module module_in wide.
 */
void lc_bars(struct lcanvas *c, double x, double y, double height, double module_in,
	     const char *modules);
/* the width of those bars in inches */
double lc_bars_width(const char *modules, double module_in);

/* frees the content stream; the canvas may be reused after zeroing */
void lc_release(struct lcanvas *c);

/* the pages as one PDF (malloc'd *out); 0, or -1 with *err */
int lc_write(struct lcanvas *pages, size_t n, unsigned char **out, size_t *len,
	     struct api_error *err);
#endif
