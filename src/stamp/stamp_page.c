// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Putting a canvas on a page: where the product's artboard lies on the page (boxes, rotation,
 * user unit), the canvas as a form XObject with its own fonts, and blank pages.
 */
#include "stamp/stamp_draw.h"
#include "pdf/pdf_util.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define SIZE_TOLERANCE_IN 0.06

/* a page box in user space, clipped to the media box; empty when absent */
static fz_rect box(fz_context *ctx, pdf_obj *page, pdf_obj *name, fz_rect media)
{
	pdf_obj *o = pdf_dict_get_inheritable(ctx, page, name);
	if (!pdf_is_array(ctx, o))
		return fz_empty_rect;
	return fz_intersect_rect(pdf_to_rect(ctx, o), media);
}

static bool near(double a, double b)
{
	return a - b < SIZE_TOLERANCE_IN && b - a < SIZE_TOLERANCE_IN;
}

int stamp_frame(fz_context *ctx, pdf_obj *page, double art_w, double art_h, double bleed,
		fz_matrix *cm, double *w_in, double *h_in)
{
	fz_rect media_dev;
	fz_matrix ctm;
	pdf_page_obj_transform(ctx, page, &media_dev, &ctm);
	fz_rect media = pdf_to_rect(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(MediaBox)));
	if (fz_is_empty_rect(media))
		media = fz_make_rect(0, 0, 612, 792);
	/* the printed size, as pdf_check measures it: trim, else crop, else media */
	fz_rect r = box(ctx, page, PDF_NAME(TrimBox), media);
	if (fz_is_empty_rect(r))
		r = box(ctx, page, PDF_NAME(CropBox), media);
	if (fz_is_empty_rect(r))
		r = media;
	fz_rect dev = fz_transform_rect(r, ctm);	/* visual: y down, rotated, user unit */
	*w_in = (dev.x1 - dev.x0) / PT;
	*h_in = (dev.y1 - dev.y0) / PT;
	double inset;
	if (near(*w_in, art_w) && near(*h_in, art_h))
		inset = 0;
	else if (near(*w_in, art_w - 2 * bleed) && near(*h_in, art_h - 2 * bleed))
		inset = bleed;	/* a trim-size page: the artboard reaches past it */
	else
		return -1;
	/* artboard points (origin bottom-left, y up) -> visual device space -> user space */
	fz_matrix to_dev = fz_make_matrix(1, 0, 0, -1, dev.x0 - (float)(inset * PT),
					  dev.y0 - (float)(inset * PT) + (float)(art_h * PT));
	*cm = fz_concat(to_dev, fz_invert_matrix(ctm));
	return 0;
}

/*
 * Each stamp font's program deflated once per process (kept for its life): a proof's save then
 * copies ~27 KB per font instead of compressing ~33 KB for every piece. {NULL, 0} if zlib
 * failed (the font is then compressed on save as any stream).
 */
struct packed_font {
	const unsigned char *data;
	size_t len;
};

static struct packed_font packed_font(enum stamp_font f, const unsigned char *data, size_t len)
{
	static struct packed_font packed[FONT__COUNT];
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&lock);
	if (!packed[f].data) {
		uLongf n = compressBound((uLong)len);
		unsigned char *z = malloc(n);
		if (z && compress2(z, &n, data, (uLong)len, Z_BEST_COMPRESSION) == Z_OK)
			packed[f] = (struct packed_font){ z, n };
		else
			free(z);
	}
	struct packed_font p = packed[f];
	pthread_mutex_unlock(&lock);
	return p;
}

/*
 * Stamp font f as an embedded font of doc: MuPDF's own base-14 data (URW Nimbus Sans, with
 * Helvetica's metrics, which the canvas measured with), so a printer's preflight finds every
 * font program in the file. pdf_add_simple_font writes MuPDF's built-in fonts by name only,
 * so the font is loaded from a copy of the bytes; its resource table gives every later
 * canvas of the document the same object, so a file holds each font once.
 */
static pdf_obj *embedded_font(fz_context *ctx, pdf_document *doc, enum stamp_font f)
{
	int len = 0;
	const unsigned char *data = fz_lookup_base14_font(ctx, stamp_font_base[f], &len);
	fz_buffer *buf = NULL;
	fz_font *font = NULL;
	pdf_obj *ref = NULL;
	if (!data)
		fz_throw(ctx, FZ_ERROR_GENERIC, "no built-in font %s", stamp_font_base[f]);
	fz_var(buf);
	fz_var(font);
	fz_try(ctx) {
		buf = fz_new_buffer_from_copied_data(ctx, data, (size_t)len);
		font = fz_new_font_from_buffer(ctx, NULL, buf, 0, 0);
		ref = pdf_add_simple_font(ctx, doc, font, PDF_SIMPLE_ENCODING_LATIN);
		/* what MuPDF 1.21 writes otherwise makes preflights complain: a bare CFF program
		 * of a simple font is /Type1C (it says CIDFontType0C, which poppler rejects as a
		 * mismatch), and FontName is the PostScript name, as BaseFont */
		pdf_obj *desc = pdf_dict_get(ctx, ref, PDF_NAME(FontDescriptor));
		pdf_obj *file = pdf_dict_get(ctx, desc, PDF_NAME(FontFile3));
		pdf_dict_put(ctx, desc, PDF_NAME(FontName), pdf_dict_get(ctx, ref, PDF_NAME(BaseFont)));
		if (pdf_is_stream(ctx, file))
			pdf_dict_put(ctx, file, PDF_NAME(Subtype), PDF_NAME(Type1C));
		if (f == FONT_OBLIQUE) {	/* MuPDF writes 0: Helvetica-Oblique's AFM says -12 */
			pdf_dict_put_int(ctx, desc, PDF_NAME(ItalicAngle), -12);
			pdf_dict_put_int(ctx, desc, PDF_NAME(Flags), PDF_FD_NONSYMBOLIC | PDF_FD_ITALIC);
		}
		struct packed_font z = packed_font(f, data, (size_t)len);
		if (pdf_is_stream(ctx, file) && !pdf_dict_get(ctx, file, PDF_NAME(Filter)) && z.data) {
			fz_drop_buffer(ctx, buf);
			buf = NULL;
			buf = fz_new_buffer_from_shared_data(ctx, z.data, z.len);
			pdf_update_stream(ctx, doc, file, buf, 1);
			pdf_dict_put(ctx, file, PDF_NAME(Filter), PDF_NAME(FlateDecode));
		}
	}
	fz_always(ctx) {
		fz_drop_font(ctx, font);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return ref;
}

static pdf_obj *fonts_dict(fz_context *ctx, pdf_document *doc, const struct canvas *c)
{
	pdf_obj *fonts = pdf_new_dict(ctx, doc, FONT__COUNT);
	fz_try(ctx)
		for (int f = 0; f < FONT__COUNT; f++)
			if (c->used[f])
				pdf_dict_puts_drop(ctx, fonts, stamp_font_res[f],
						   embedded_font(ctx, doc, (enum stamp_font)f));
	fz_catch(ctx) {
		pdf_drop_obj(ctx, fonts);
		fz_rethrow(ctx);
	}
	return fonts;
}

void stamp_apply(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct canvas *c,
		 fz_matrix cm)
{
	pdf_obj *xres = NULL, *xobj = NULL;
	fz_buffer *body = NULL;
	fz_var(xres);
	fz_var(xobj);
	fz_var(body);
	fz_try(ctx) {
		xres = pdf_new_dict(ctx, doc, 1);
		pdf_dict_put_drop(ctx, xres, PDF_NAME(Font), fonts_dict(ctx, doc, c));
		body = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)c->s, c->len);
		fz_rect bbox = { 0, 0, (float)(c->w_in * PT), (float)(c->h_in * PT) };
		xobj = pdf_new_xobject(ctx, doc, bbox, cm, xres, body);
		pdfu_draw_form_over(ctx, doc, page, xobj, "FrankStamp");
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, xres);
		pdf_drop_obj(ctx, xobj);
		fz_drop_buffer(ctx, body);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

void stamp_insert_blank(fz_context *ctx, pdf_document *doc, int at, double w_in, double h_in)
{
	pdf_obj *res = NULL, *page = NULL;
	fz_buffer *empty = NULL;
	fz_var(res);
	fz_var(page);
	fz_var(empty);
	fz_try(ctx) {
		fz_rect media = { 0, 0, (float)(w_in * PT), (float)(h_in * PT) };
		res = pdf_new_dict(ctx, doc, 1);
		empty = fz_new_buffer(ctx, 1);
		page = pdf_add_page(ctx, doc, media, 0, res, empty);
		pdf_insert_page(ctx, doc, at, page);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, page);
		pdf_drop_obj(ctx, res);
		fz_drop_buffer(ctx, empty);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int stamp_page(fz_context *ctx, pdf_document *doc, int index, const struct product_size *p,
	       const struct canvas *c, struct api_error *err)
{
	pdf_obj *page = pdf_lookup_page_obj(ctx, doc, index);
	fz_matrix cm;
	double w, h;
	if (stamp_frame(ctx, page, product_artboard_w(p), product_artboard_h(p), p->bleed, &cm, &w,
			&h) < 0) {
		char fw[24], fh[24], aw[24], ah[24], tw[24], th[24];
		pdfu_inches(fw, w);
		pdfu_inches(fh, h);
		pdfu_inches(aw, product_artboard_w(p));
		pdfu_inches(ah, product_artboard_h(p));
		pdfu_inches(tw, p->trim_w);
		pdfu_inches(th, p->trim_h);
		if (p->bleed > 0)
			return api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
					"page %d must be %s\"x%s\" (or %s\"x%s\" without bleed), "
					"found %s\"x%s\"", index + 1, aw, ah, tw, th, fw, fh);
		return api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
				"page %d must be %s\"x%s\", found %s\"x%s\"", index + 1, aw, ah,
				fw, fh);
	}
	stamp_apply(ctx, doc, page, c, cm);
	return 0;
}
