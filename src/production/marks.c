// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The marks layer: operators in visual inches, text in the embedded font, and putting a
 * layer on a page (marks.h).
 */
#include "production/marks.h"
#include "pdf/pdf_util.h"
#include <math.h>
#include <stdio.h>

void marks_font_load(fz_context *ctx, pdf_document *doc, struct marks_font *f)
{
	f->font = NULL;
	f->ref = NULL;
	int len = 0;
	const unsigned char *data = fz_lookup_base14_font(ctx, "Helvetica", &len);
	if (!data)
		fz_throw(ctx, FZ_ERROR_GENERIC, "MuPDF has no built-in Helvetica");
	/* loaded from its bytes, not as a base-14 font: MuPDF then embeds the font program */
	f->font = fz_new_font_from_memory(ctx, NULL, data, len, 0, 0);
	fz_try(ctx)
		f->ref = pdf_add_cid_font(ctx, doc, f->font);
	fz_catch(ctx) {
		fz_drop_font(ctx, f->font);
		f->font = NULL;
		fz_rethrow(ctx);
	}
}

void marks_font_drop(fz_context *ctx, struct marks_font *f)
{
	pdf_drop_obj(ctx, f->ref);
	fz_drop_font(ctx, f->font);
	f->ref = NULL;
	f->font = NULL;
}

void marks_begin(struct marks *m, fz_context *ctx, struct marks_font *f, double w_in,
		 double h_in)
{
	m->ctx = ctx;
	m->font = f;
	m->w_in = w_in;
	m->h_in = h_in;
	m->ops = fz_new_buffer(ctx, 1024);
}

void marks_drop(struct marks *m)
{
	fz_drop_buffer(m->ctx, m->ops);
	m->ops = NULL;
}

static double px(double x_in)
{
	return x_in * MARKS_PT;
}

static double py(const struct marks *m, double y_in)
{
	return (m->h_in - y_in) * MARKS_PT;
}

void marks_fill(struct marks *m, struct rect_in r, double gray)
{
	fz_append_printf(m->ctx, m->ops, "%g g %g %g %g %g re f\n", gray, px(r.x),
			 py(m, r.y + r.h), px(r.w), px(r.h));
}

void marks_stroke(struct marks *m, struct rect_in r, double width_pt)
{
	fz_append_printf(m->ctx, m->ops, "q %g w 0 G %g %g %g %g re S Q\n", width_pt, px(r.x),
			 py(m, r.y + r.h), px(r.w), px(r.h));
}

void marks_line(struct marks *m, double x0, double y0, double x1, double y1, double width_pt)
{
	fz_append_printf(m->ctx, m->ops, "q %g w 0 G %g %g m %g %g l S Q\n", width_pt, px(x0),
			 py(m, y0), px(x1), py(m, y1));
}

double marks_text_width(struct marks *m, double pt, const char *utf8)
{
	double em = 0;
	int c;
	while (*utf8) {
		utf8 += fz_chartorune(&c, utf8);
		int gid = fz_encode_character(m->ctx, m->font->font, c);
		em += fz_advance_glyph(m->ctx, m->font->font, gid, 0);
	}
	return em * pt / MARKS_PT;
}

void marks_text(struct marks *m, double pt, double x, double y, double angle, bool outline,
		const char *utf8)
{
	double a = angle * M_PI / 180, c = cos(a), s = sin(a);
	fz_append_printf(m->ctx, m->ops, "q BT /%s %g Tf %s %g %g %g %g %g %g Tm <", MARKS_FONT_RES,
			 pt, outline ? "1 Tr 0.5 G 1.5 w" : "0 Tr 0 g", c, s, -s, c, px(x),
			 py(m, y));
	int ch;
	while (*utf8) {
		utf8 += fz_chartorune(&ch, utf8);
		/* Identity-H: two bytes of glyph id per character */
		fz_append_printf(m->ctx, m->ops, "%04x",
				 fz_encode_character(m->ctx, m->font->font, ch) & 0xFFFF);
	}
	fz_append_string(m->ctx, m->ops, "> Tj ET Q\n");
}

pdf_obj *marks_resources(fz_context *ctx, pdf_document *doc, const struct marks_font *f)
{
	pdf_obj *res = pdf_new_dict(ctx, doc, 2);
	fz_try(ctx) {
		pdf_obj *fonts = pdf_dict_put_dict(ctx, res, PDF_NAME(Font), 1);
		pdf_dict_puts(ctx, fonts, MARKS_FONT_RES, f->ref);
	}
	fz_catch(ctx) {
		pdf_drop_obj(ctx, res);
		fz_rethrow(ctx);
	}
	return res;
}

void marks_apply(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct marks *m,
		 fz_matrix cm)
{
	pdf_obj *res = NULL, *xobj = NULL;
	fz_var(res);
	fz_var(xobj);
	fz_try(ctx) {
		res = marks_resources(ctx, doc, m->font);
		fz_rect bbox = { 0, 0, (float)px(m->w_in), (float)px(m->h_in) };
		xobj = pdf_new_xobject(ctx, doc, bbox, cm, res, m->ops);
		pdfu_draw_form_over(ctx, doc, page, xobj, "FrankMarks");
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, res);
		pdf_drop_obj(ctx, xobj);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}
