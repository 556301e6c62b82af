// SPDX-License-Identifier: AGPL-3.0-or-later
/* One page of the 3877 on a MuPDF device (see firm_book_page.h). */
#include "production/firm_book_page.h"
#include <string.h>

#define PT 72.0		/* points per inch */
#define MIN_PT 5.0	/* smallest type text_fit shrinks to */

void fbp_init(struct fb_page *p, fz_context *ctx)
{
	p->ctx = ctx;
	p->dev = NULL;
	p->regular = p->bold = NULL;
	fz_try(ctx) {
		p->regular = fz_new_base14_font(ctx, "Helvetica");
		p->bold = fz_new_base14_font(ctx, "Helvetica-Bold");
	}
	fz_catch(ctx) {
		fbp_drop(p);
		fz_rethrow(ctx);
	}
}

void fbp_drop(struct fb_page *p)
{
	fz_drop_font(p->ctx, p->regular);
	fz_drop_font(p->ctx, p->bold);
	p->regular = p->bold = NULL;
}

/* upright text of pt points with its origin at (x, baseline): fitz space has y down */
static fz_matrix text_matrix(double pt, double x, double baseline)
{
	return fz_make_matrix((float)pt, 0, 0, (float)-pt, (float)(x * PT), (float)(baseline * PT));
}

double fbp_width(struct fb_page *p, bool bold, double pt, const char *utf8)
{
	fz_matrix start = text_matrix(pt, 0, 0);
	fz_matrix end = fz_measure_string(p->ctx, bold ? p->bold : p->regular, start, utf8, 0, 0,
					  FZ_BIDI_LTR, FZ_LANG_UNSET);
	return (end.e - start.e) / PT;
}

void fbp_text(struct fb_page *p, bool bold, double pt, double x, double baseline,
	      const char *utf8)
{
	if (!utf8 || !*utf8)
		return;
	fz_context *ctx = p->ctx;
	fz_text *text = fz_new_text(ctx);
	const float black = 0;
	fz_try(ctx) {
		fz_show_string(ctx, text, bold ? p->bold : p->regular, text_matrix(pt, x, baseline),
			       utf8, 0, 0, FZ_BIDI_LTR, FZ_LANG_UNSET);
		fz_fill_text(ctx, p->dev, text, fz_identity, fz_device_gray(ctx), &black, 1,
			     fz_default_color_params);
	}
	fz_always(ctx)
		fz_drop_text(ctx, text);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

void fbp_text_right(struct fb_page *p, bool bold, double pt, double x_right, double baseline,
		    const char *utf8)
{
	if (utf8 && *utf8)
		fbp_text(p, bold, pt, x_right - fbp_width(p, bold, pt, utf8), baseline, utf8);
}

void fbp_text_fit(struct fb_page *p, bool bold, double pt, double x, double baseline,
		  double max_w, const char *utf8)
{
	if (!utf8 || !*utf8)
		return;
	double w = fbp_width(p, bold, pt, utf8);
	if (w > max_w && pt * max_w / w >= MIN_PT) {
		fbp_text(p, bold, pt * max_w / w, x, baseline, utf8);
		return;
	}
	if (w <= max_w) {
		fbp_text(p, bold, pt, x, baseline, utf8);
		return;
	}
	/* at the smallest size, cut at a character boundary and end with an ellipsis */
	char buf[512];
	size_t n = strlen(utf8) < sizeof buf - 4 ? strlen(utf8) : sizeof buf - 4;
	memcpy(buf, utf8, n);
	for (;;) {
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf + n, "\xE2\x80\xA6", 4);	/* "…" and the NUL */
		if (n == 0 || fbp_width(p, bold, MIN_PT, buf) <= max_w)
			break;
		n--;
	}
	fbp_text(p, bold, MIN_PT, x, baseline, buf);
}

static void stroke(struct fb_page *p, fz_path *path, double width_pt)
{
	fz_context *ctx = p->ctx;
	fz_stroke_state *st = fz_new_stroke_state(ctx);
	const float black = 0;
	st->linewidth = (float)width_pt;
	fz_try(ctx)
		fz_stroke_path(ctx, p->dev, path, st, fz_identity, fz_device_gray(ctx), &black, 1,
			       fz_default_color_params);
	fz_always(ctx)
		fz_drop_stroke_state(ctx, st);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

void fbp_line(struct fb_page *p, double x0, double y0, double x1, double y1, double width_pt)
{
	fz_context *ctx = p->ctx;
	fz_path *path = fz_new_path(ctx);
	fz_try(ctx) {
		fz_moveto(ctx, path, (float)(x0 * PT), (float)(y0 * PT));
		fz_lineto(ctx, path, (float)(x1 * PT), (float)(y1 * PT));
		stroke(p, path, width_pt);
	}
	fz_always(ctx)
		fz_drop_path(ctx, path);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* a rectangle outlined (width_pt > 0) or filled with gray */
static void rect(struct fb_page *p, double x, double y, double w, double h, double width_pt,
		 float gray)
{
	fz_context *ctx = p->ctx;
	fz_path *path = fz_new_path(ctx);
	fz_try(ctx) {
		fz_rectto(ctx, path, (float)(x * PT), (float)(y * PT), (float)((x + w) * PT),
			  (float)((y + h) * PT));
		if (width_pt > 0)
			stroke(p, path, width_pt);
		else
			fz_fill_path(ctx, p->dev, path, 0, fz_identity, fz_device_gray(ctx), &gray,
				     1, fz_default_color_params);
	}
	fz_always(ctx)
		fz_drop_path(ctx, path);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

void fbp_rect(struct fb_page *p, double x, double y, double w, double h, double width_pt)
{
	rect(p, x, y, w, h, width_pt, 0);
}

void fbp_fill(struct fb_page *p, double x, double y, double w, double h, float gray)
{
	rect(p, x, y, w, h, 0, gray);
}
