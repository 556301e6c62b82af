/* PDF operators for labels and receipts, written with MuPDF (see canvas.h). */
#include "c321/canvas.h"
#include "render/fz.h"
#include "render/pdf_util.h"
#include <mupdf/pdf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT 72.0

/* Adobe's Helvetica and Helvetica-Bold advance widths (1/1000 em), characters 32..126 */
static const unsigned short helv[95] = {
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
	556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722,
	722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722,
	667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
	556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500,
	500, 334, 260, 334, 584
};
static const unsigned short helv_bold[95] = {
	278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556,
	556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722,
	722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722,
	667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
	611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556,
	500, 389, 280, 389, 584
};

__attribute__((format(printf, 2, 3)))
static void op(struct lcanvas *c, const char *fmt, ...)
{
	va_list ap;
	if (c->failed)
		return;
	for (;;) {
		size_t room = c->cap - c->len;
		va_start(ap, fmt);
		int n = c->s ? vsnprintf(c->s + c->len, room, fmt, ap) : -2;
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			c->len += (size_t)n;
			return;
		}
		size_t cap = c->cap ? c->cap * 2 : 8192;
		char *s = n == -1 || cap > ((size_t)16 << 20) ? NULL : realloc(c->s, cap);
		if (!s) {
			c->failed = true;
			return;
		}
		c->s = s;
		c->cap = cap;
	}
}

/* the next code point of UTF-8 text (advancing *p); U+FFFD for a broken sequence */
static uint32_t next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;
	int more;
	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		cp = s[0] & 0x1f;
		more = 1;
	} else if ((s[0] & 0xf0) == 0xe0) {
		cp = s[0] & 0x0f;
		more = 2;
	} else if ((s[0] & 0xf8) == 0xf0) {
		cp = s[0] & 0x07;
		more = 3;
	} else {
		*p = s + 1;
		return 0xfffd;
	}
	for (int i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*p = s + i;
			return 0xfffd;
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*p = s + more + 1;
	return cp;
}

/* a code point in WinAnsiEncoding, or '?' */
static unsigned char winansi(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		unsigned char b;
	} extra[] = { { 0x2122, 0x99 }, { 0x2013, 0x96 }, { 0x2014, 0x97 }, { 0x2018, 0x91 },
		      { 0x2019, 0x92 }, { 0x201c, 0x93 }, { 0x201d, 0x94 }, { 0x2022, 0x95 },
		      { 0x20ac, 0x80 } };
	if ((cp >= 0x20 && cp < 0x7f) || (cp >= 0xa0 && cp <= 0xff))
		return (unsigned char)cp;
	for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (extra[i].cp == cp)
			return extra[i].b;
	return '?';
}

void lc_text(struct lcanvas *c, double x, double y, double size, bool bold, const char *utf8)
{
	if (!utf8 || !*utf8)
		return;
	op(c, "BT /%s %.1f Tf %.2f %.2f Td (", bold ? "FB" : "FR", size, x * PT, (c->h - y) * PT);
	const unsigned char *p = (const unsigned char *)utf8;
	for (size_t n = 0; *p && n < 400; n++) {
		unsigned char b = winansi(next_cp(&p));
		if (b == '(' || b == ')' || b == '\\')
			op(c, "\\%c", b);
		else if (b >= 0x80)
			op(c, "\\%03o", b);
		else
			op(c, "%c", b);
	}
	op(c, ") Tj ET\n");
}

double lc_text_width(double size, bool bold, const char *utf8)
{
	const unsigned short *w = bold ? helv_bold : helv;
	const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
	double units = 0;
	while (*p) {
		unsigned char b = winansi(next_cp(&p));
		units += b >= 32 && b < 127 ? w[b - 32] : 556;
	}
	return units / 1000.0 * size / PT;
}

void lc_line(struct lcanvas *c, double x1, double y1, double x2, double y2, double width,
	     bool dashed)
{
	op(c, "q %.2f w %s %.2f %.2f m %.2f %.2f l S Q\n", width, dashed ? "[4 3] 0 d" : "",
	   x1 * PT, (c->h - y1) * PT, x2 * PT, (c->h - y2) * PT);
}

void lc_rect(struct lcanvas *c, double x, double y, double w, double h, double width)
{
	op(c, "q %.2f w %.2f %.2f %.2f %.2f re S Q\n", width, x * PT, (c->h - y - h) * PT, w * PT,
	   h * PT);
}

void lc_fill(struct lcanvas *c, double x, double y, double w, double h)
{
	op(c, "%.3f %.3f %.3f %.3f re f\n", x * PT, (c->h - y - h) * PT, w * PT, h * PT);
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
	for (size_t i = 0; modules && modules[i]; i++) {
		double w = (modules[i] - '0') * module_in;
		if (i % 2 == 0)
			lc_fill(c, x, y, w, height);
		x += w;
	}
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
	free(c->s);
	c->s = NULL;
	c->len = c->cap = 0;
}

static pdf_obj *base14(fz_context *ctx, pdf_document *doc, const char *name)
{
	pdf_obj *f = pdf_new_dict(ctx, doc, 4);
	pdf_dict_put(ctx, f, PDF_NAME(Type), PDF_NAME(Font));
	pdf_dict_put(ctx, f, PDF_NAME(Subtype), PDF_NAME(Type1));
	pdf_dict_put_name(ctx, f, PDF_NAME(BaseFont), name);
	pdf_dict_put(ctx, f, PDF_NAME(Encoding), PDF_NAME(WinAnsiEncoding));
	return pdf_add_object_drop(ctx, doc, f);
}

/* one page with the two fonts; throws */
static void add_page(fz_context *ctx, pdf_document *doc, pdf_obj *fonts, const struct lcanvas *c)
{
	fz_rect box = { 0, 0, (float)(c->w * PT), (float)(c->h * PT) };
	pdf_obj *res = pdf_new_dict(ctx, doc, 1);
	fz_buffer *volatile buf = NULL;
	pdf_obj *volatile page = NULL;
	fz_try(ctx) {
		pdf_dict_put(ctx, res, PDF_NAME(Font), fonts);
		buf = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)(c->s ? c->s : ""),
						     c->len);
		page = pdf_add_page(ctx, doc, box, 0, res, buf);
		pdf_insert_page(ctx, doc, -1, page);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, page);
		pdf_drop_obj(ctx, res);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

static void add_pages(fz_context *ctx, pdf_document *doc, pdf_obj *fonts,
		      const struct lcanvas *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add_page(ctx, doc, fonts, &pages[i]);
}

int lc_write(struct lcanvas *pages, size_t n, unsigned char **out, size_t *len,
	     struct api_error *err)
{
	fz_context *ctx = frank_fz();
	pdf_document *volatile doc = NULL;
	pdf_obj *volatile fonts = NULL;
	*out = NULL;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	for (size_t i = 0; i < n; i++)
		if (pages[i].failed)
			return api_fail(err, ERR_INTERNAL, "out of memory drawing a document");
	fz_try(ctx) {
		doc = pdf_create_document(ctx);
		fonts = pdf_new_dict(ctx, doc, 2);
		pdf_dict_puts_drop(ctx, fonts, "FR", base14(ctx, doc, "Helvetica"));
		pdf_dict_puts_drop(ctx, fonts, "FB", base14(ctx, doc, "Helvetica-Bold"));
		add_pages(ctx, doc, fonts, pages, n);
		pdfu_save(ctx, doc, 1, out, len);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, fonts);
		pdf_drop_document(ctx, doc);
	}
	fz_catch(ctx)
		return api_fail(err, ERR_INTERNAL, "the document could not be written: %s",
				fz_caught_message(ctx));
	return 0;
}
