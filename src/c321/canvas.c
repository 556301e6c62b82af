// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Labels and receipts drawn with the stamping engine's canvas (stamp/stamp_draw.h): the same
 * embedded fonts, WinAnsi text, font metrics and barcode modules as the proofs, one form
 * XObject per page (see canvas.h).
 */
#include "c321/canvas.h"
#include "pdf/fz.h"
#include "pdf/pdf_util.h"
#include "stamp/stamp_draw.h"

/* the canvas on first use: it needs this thread's MuPDF context for font metrics */
static struct canvas *cv(struct lcanvas *c)
{
	if (!c->cv) {
		fz_context *ctx = frank_fz();
		c->cv = ctx ? calloc(1, sizeof(*c->cv)) : NULL;
		if (c->cv)
			cv_init(c->cv, ctx, c->w, c->h);
	}
	c->failed = c->failed || !c->cv || c->cv->failed;
	return c->failed ? NULL : c->cv;
}

static enum stamp_font font(bool bold)
{
	return bold ? FONT_BOLD : FONT_REGULAR;
}

void lc_text(struct lcanvas *c, double x, double y, double size, bool bold, const char *utf8)
{
	if (utf8 && *utf8 && cv(c))
		cv_text(c->cv, font(bold), size, x, y, 1.0, utf8);
}

double lc_text_width(struct lcanvas *c, double size, bool bold, const char *utf8)
{
	return utf8 && cv(c) ? cv_width(c->cv, font(bold), size, utf8) : 0;
}

void lc_line(struct lcanvas *c, double x1, double y1, double x2, double y2, double width,
	     bool dashed)
{
	if (cv(c))
		cv_line(c->cv, x1, y1, x2, y2, width, 0, dashed ? 3.5 : 0);
}

void lc_rect(struct lcanvas *c, double x, double y, double w, double h, double width)
{
	if (cv(c))
		cv_stroke(c->cv, (struct rect_in){ x, y, w, h }, width, 0);
}

void lc_fill(struct lcanvas *c, double x, double y, double w, double h)
{
	if (cv(c))
		cv_fill(c->cv, (struct rect_in){ x, y, w, h }, 0);
}

void lc_checkbox(struct lcanvas *c, double x, double y, double side, bool checked)
{
	lc_rect(c, x, y, side, side, 0.6);
	if (checked) {
		double m = side * 0.2;
		lc_line(c, x + m, y + m, x + side - m, y + side - m, 1.2, false);
		lc_line(c, x + m, y + side - m, x + side - m, y + m, 1.2, false);
	}
}

void lc_bars(struct lcanvas *c, double x, double y, double height, double module_in,
	     const char *modules)
{
	if (modules && cv(c))
		cv_modules(c->cv, x, y, modules, module_in, height);
}

double lc_bars_width(const char *modules, double module_in)
{
	double w = 0;
	for (size_t i = 0; modules && modules[i]; i++)
		w += (modules[i] - '0') * module_in;
	return w;
}

void lc_release(struct lcanvas *c)
{
	if (c->cv) {
		cv_free(c->cv);
		free(c->cv);
		c->cv = NULL;
	}
}

int lc_write(struct lcanvas *pages, size_t n, unsigned char **out, size_t *len,
	     struct api_error *err)
{
	fz_context *ctx = frank_fz();
	pdf_document *volatile doc = NULL;
	*out = NULL;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	for (size_t i = 0; i < n; i++)
		if (!cv(&pages[i]))
			return api_fail(err, ERR_INTERNAL, "out of memory drawing a document");
	fz_try(ctx) {
		doc = pdf_create_document(ctx);
		for (size_t i = 0; i < n; i++) {
			stamp_insert_blank(ctx, doc, (int)i, pages[i].w, pages[i].h);
			stamp_apply(ctx, doc, pdf_lookup_page_obj(ctx, doc, (int)i), pages[i].cv,
				    fz_identity);
		}
		pdfu_save(ctx, doc, 1, out, len);
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx)
		return api_fail(err, ERR_INTERNAL, "the document could not be written: %s",
				fz_caught_message(ctx));
	return 0;
}
