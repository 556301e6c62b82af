/*
 * Letter stamping: the address block (return address, IMb, recipient) drawn over the
 * customer's first page — or on an added page — where the #10 double window shows it, and
 * the certified cover sheet. Drawn as PDF operators in a content stream appended to the page
 * (its own graphics state; base-14 Helvetica, so nothing is embedded).
 *
 * Geometry (inches from the page's top-left; reference/mailpiece_specs.md, Lob's letter
 * template): white box 3.15 x 2 at (0.6, 0.84); return address at x 0.695 from y 0.95
 * (inside the return window 3.25 x 0.875 at 0.625, 0.5); IMb from y 1.72 and the recipient
 * from y 2.0 (inside the recipient window 4 x 1 at 0.625, 1.7). bottom_first_page moves the
 * block to the bottom third (box at y 8.16), bottom_first_page_center also centres it.
 */
#include "render/proof.h"
#include "render/fz.h"
#include "render/pdf_util.h"
#include <mupdf/pdf.h>
#include "core/arena.h"
#include "render/impb.h"
#include "render/qr.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PT 72.0
#define PAGE_W (8.5 * PT)
#define PAGE_H (11.0 * PT)

/* IMb bar geometry (USPS-B-3200 §2.3: 20–24 bars per inch, heights within ranges) */
#define IMB_PITCH (PT / 22.0)
#define IMB_BAR_W (0.02 * PT)
#define IMB_FULL (0.145 * PT)
#define IMB_TRACKER (0.05 * PT)

/* GS1-128 module width for IMpb (Pub 199: X-dimension 0.013"–0.021") */
#define GS1_X (0.015 * PT)
#define GS1_H (0.6 * PT)

/* a growing content stream */
struct ops {
	char *s;
	size_t len, cap;
	bool failed;
	double page_h;		/* points: PDF y runs up from the bottom */
};

__attribute__((format(printf, 2, 3)))
static void op(struct ops *o, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		size_t room = o->cap - o->len;
		va_start(ap, fmt);
		int n = o->s ? vsnprintf(o->s + o->len, room, fmt, ap) : -2;
		va_end(ap);
		if (n >= 0 && (size_t)n < room) {
			o->len += (size_t)n;
			return;
		}
		size_t cap = o->cap ? o->cap * 2 : 4096;
		char *s = realloc(o->s, cap);
		if (!s || n == -1) {
			o->failed = true;
			return;
		}
		o->s = s;
		o->cap = cap;
	}
}

/* a PDF string literal: ( ) \ escaped, non-Latin-1 replaced (WinAnsi Helvetica) */
static void text(struct ops *o, double x_in, double y_in, double size, const char *s)
{
	op(o, "BT /FrankHelv %.1f Tf %.2f %.2f Td (", size, x_in * PT, o->page_h - y_in * PT);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '(' || *p == ')' || *p == '\\')
			op(o, "\\%c", *p);
		else if (*p >= 0x20 && *p < 0x7f)
			op(o, "%c", *p);
		else if (*p >= 0x80)
			op(o, "?");	/* address lines are upper-case ASCII after standardisation */
	}
	op(o, ") Tj ET\n");
}

static void lines(struct ops *o, double x_in, double y_in, double size, double lead_in,
		  const char *const *l)
{
	for (size_t i = 0; i < PROOF_LINES && l[i]; i++)
		text(o, x_in, y_in + lead_in * (double)i, size, l[i]);
}

/* the 65 bars: F full, A ascender, D descender, T tracker, on a common centre line */
static void imb(struct ops *o, double x_in, double top_in, const char *bars)
{
	double mid = o->page_h - top_in * PT - IMB_FULL / 2;
	op(o, "0 0 0 rg\n");
	for (size_t i = 0; bars && bars[i]; i++) {
		double half_t = IMB_TRACKER / 2, lo = mid - half_t, hi = mid + half_t;
		if (bars[i] == 'F' || bars[i] == 'A')
			hi = mid + IMB_FULL / 2;
		if (bars[i] == 'F' || bars[i] == 'D')
			lo = mid - IMB_FULL / 2;
		op(o, "%.3f %.3f %.3f %.3f re f\n", x_in * PT + (double)i * IMB_PITCH, lo, IMB_BAR_W,
		   hi - lo);
	}
}

/* GS1-128 from module widths (bar, space, …) */
static void gs1(struct ops *o, double x_in, double top_in, const char *modules)
{
	double x = x_in * PT, y = o->page_h - top_in * PT - GS1_H;
	op(o, "0 0 0 rg\n");
	for (size_t i = 0; modules[i]; i++) {
		double w = (modules[i] - '0') * GS1_X;
		if (i % 2 == 0)
			op(o, "%.3f %.3f %.3f %.3f re f\n", x, y, w, GS1_H);
		x += w;
	}
}

/* a QR code (error correction M) as dark modules, with its quiet zone left white */
static int qr(struct ops *o, const char *data, double x_in, double y_in, double w_in,
	      struct api_error *err)
{
	struct qr_matrix *mp = malloc(sizeof(*mp));	/* 31 KB: off the stack */
	if (!mp)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	if (qr_encode(data, strlen(data), mp, err) < 0) {
		free(mp);
		return -1;
	}
	/* the 4-module quiet zone is inside the requested width */
	double mod = w_in * PT / (mp->size + 8), x0 = x_in * PT + 4 * mod,
	       top = o->page_h - y_in * PT - 4 * mod;
	op(o, "1 1 1 rg %.3f %.3f %.3f %.3f re f\n0 0 0 rg\n", x_in * PT, o->page_h - (y_in + w_in) * PT,
	   w_in * PT, w_in * PT);
	for (int r = 0; r < mp->size; r++)
		for (int c = 0; c < mp->size; c++)
			if (qr_module(mp, r, c))
				op(o, "%.3f %.3f %.3f %.3f re f\n", x0 + c * mod, top - (r + 1) * mod,
				   mod, mod);
	free(mp);
	return 0;
}

static void address_block(struct ops *o, const struct proof_letter *l, double dx, double dy)
{
	op(o, "1 1 1 rg %.2f %.2f %.2f %.2f re f\n", (0.6 + dx) * PT, o->page_h - (0.84 + dy + 2.0) * PT,
	   3.15 * PT, 2.0 * PT);
	op(o, "0 0 0 rg\n");
	lines(o, 0.695 + dx, 0.95 + dy, 7, 0.11, l->from);
	imb(o, 0.695 + dx, 1.72 + dy, l->imb_bars);
	lines(o, 0.695 + dx, 2.0 + dy, 9, 0.14, l->to);
}

static void cover_sheet(struct ops *o, const struct proof_letter *l, const char *modules,
			const char *hri)
{
	text(o, 4.3, 0.75, 14, "CERTIFIED MAIL");
	if (l->return_receipt)
		text(o, 4.3, 0.95, 9, "RETURN RECEIPT (ELECTRONIC) REQUESTED");
	gs1(o, 4.3, 1.05, modules);
	text(o, 4.3, 1.05 + GS1_H / PT + 0.18, 9, hri);
	text(o, 4.3, 1.05 + GS1_H / PT + 0.34, 7, "USPS CERTIFIED MAIL - KEEP THIS SHEET ON TOP");
}

/* the page's content: wrapped in q/Q, then ours; Helvetica added to its fonts */
static void append(fz_context *ctx, pdf_document *doc, pdf_obj *page, const struct ops *o)
{
	pdf_obj *res = pdf_dict_get_inheritable(ctx, page, PDF_NAME(Resources));
	if (!pdf_is_dict(ctx, res)) {
		res = pdf_new_dict(ctx, doc, 2);
		pdf_dict_put_drop(ctx, page, PDF_NAME(Resources), res);
	} else if (!pdf_dict_get(ctx, page, PDF_NAME(Resources))) {
		/* inherited: give this page its own copy before adding to it */
		res = pdf_copy_dict(ctx, res);
		pdf_dict_put_drop(ctx, page, PDF_NAME(Resources), res);
	}
	pdf_obj *fonts = pdf_dict_get(ctx, res, PDF_NAME(Font));
	if (!pdf_is_dict(ctx, fonts)) {
		fonts = pdf_new_dict(ctx, doc, 1);
		pdf_dict_put_drop(ctx, res, PDF_NAME(Font), fonts);
	}
	pdf_obj *helv = pdf_new_dict(ctx, doc, 4);
	pdf_dict_put(ctx, helv, PDF_NAME(Type), PDF_NAME(Font));
	pdf_dict_put(ctx, helv, PDF_NAME(Subtype), PDF_NAME(Type1));
	pdf_dict_put_name(ctx, helv, PDF_NAME(BaseFont), "Helvetica");
	pdf_dict_put(ctx, helv, PDF_NAME(Encoding), PDF_NAME(WinAnsiEncoding));
	pdf_dict_puts_drop(ctx, fonts, "FrankHelv", pdf_add_object_drop(ctx, doc, helv));

	fz_buffer *pre = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)"q\n", 2);
	fz_buffer *post = fz_new_buffer(ctx, o->len + 4);
	fz_append_string(ctx, post, "Q\nq\n");
	fz_append_data(ctx, post, o->s, o->len);
	fz_append_string(ctx, post, "Q\n");
	pdf_obj *arr = pdf_new_array(ctx, doc, 3);
	pdf_array_push_drop(ctx, arr, pdf_add_stream(ctx, doc, pre, NULL, 0));
	pdf_obj *old = pdf_dict_get(ctx, page, PDF_NAME(Contents));
	if (pdf_is_array(ctx, old))
		for (int i = 0; i < pdf_array_len(ctx, old); i++)
			pdf_array_push(ctx, arr, pdf_array_get(ctx, old, i));
	else if (old)
		pdf_array_push(ctx, arr, old);
	pdf_array_push_drop(ctx, arr, pdf_add_stream(ctx, doc, post, NULL, 0));
	pdf_dict_put_drop(ctx, page, PDF_NAME(Contents), arr);
	fz_drop_buffer(ctx, pre);
	fz_drop_buffer(ctx, post);
}

/* a new empty letter page at index at */
static void insert_blank(fz_context *ctx, pdf_document *doc, int at)
{
	fz_rect box = { 0, 0, (float)PAGE_W, (float)PAGE_H };
	pdf_obj *res = pdf_new_dict(ctx, doc, 1);
	fz_buffer *empty = fz_new_buffer(ctx, 1);
	pdf_obj *page = pdf_add_page(ctx, doc, box, 0, res, empty);
	pdf_insert_page(ctx, doc, at, page);
	pdf_drop_obj(ctx, page);
	pdf_drop_obj(ctx, res);
	fz_drop_buffer(ctx, empty);
}

int proof_stamp_letter(const unsigned char *pdf, size_t len, const struct proof_letter *l,
		       unsigned char **out, size_t *out_len, unsigned *pages,
		       struct api_error *err)
{
	fz_context *ctx = frank_fz();
	pdf_document *volatile doc = NULL;
	struct ops block = { .page_h = PAGE_H }, cover = { .page_h = PAGE_H };
	char modules[1024] = "", hri[64] = "";
	volatile int rc = 0;
	volatile int customer_pages = 0;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	if (l->certified_pic && impb_gs1_modules(l->certified_zip, l->certified_pic, modules,
						 sizeof(modules), hri, sizeof(hri), err) < 0)
		return -1;
	const char *placement = l->placement ? l->placement : "top_first_page";
	bool bottom = strncmp(placement, "bottom_first_page", 17) == 0;
	bool center = strcmp(placement, "bottom_first_page_center") == 0;
	address_block(&block, l, center ? (8.5 - 3.15) / 2 - 0.6 : 0, bottom ? 8.16 - 0.84 : 0);
	if (l->certified_pic)
		cover_sheet(&cover, l, modules, hri);
	if (block.failed || cover.failed) {
		free(block.s);
		free(cover.s);
		return api_fail(err, ERR_INTERNAL, "out of memory");
	}
	fz_try(ctx) {
		doc = pdfu_open(ctx, pdf, len);
		customer_pages = pdf_count_pages(ctx, doc);
		/* the sheet carrying the address: an added blank page, or the cover sheet */
		if (strcmp(placement, "insert_blank_page") == 0 && !l->certified_pic)
			insert_blank(ctx, doc, 0);
		if (l->certified_pic) {
			if (l->double_sided)
				insert_blank(ctx, doc, 0);	/* the cover's back */
			insert_blank(ctx, doc, 0);
			append(ctx, doc, pdf_lookup_page_obj(ctx, doc, 0), &cover);
		}
		append(ctx, doc, pdf_lookup_page_obj(ctx, doc, 0), &block);
		/* the customer's pages come after any page we added */
		int added = pdf_count_pages(ctx, doc) - customer_pages;
		for (size_t p = 1; l->qr_data && p < l->qr_npages; p++) {
			if (!l->qr_pages[p] || (int)p > customer_pages)
				continue;
			struct ops q = { .page_h = PAGE_H };
			struct api_error qerr;
			if (qr(&q, l->qr_data, l->qr_x, l->qr_y, l->qr_width, &qerr) == 0 && !q.failed)
				append(ctx, doc, pdf_lookup_page_obj(ctx, doc, added + (int)p - 1), &q);
			free(q.s);
		}
		*pages = (unsigned)pdf_count_pages(ctx, doc);
		pdfu_save(ctx, doc, 1, out, out_len);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		free(block.s);
		free(cover.s);
	}
	fz_catch(ctx)
		return api_fail(err, ERR_INVALID_FILE, "the letter could not be stamped: %s",
				fz_caught_message(ctx));
	return rc;
}

/* ---- postcards ---- */

int proof_stamp_postcard(const unsigned char *pdf, size_t len, const struct proof_postcard *pc,
			 unsigned char **out, size_t *out_len, struct api_error *err)
{
	fz_context *ctx = frank_fz();
	pdf_document *volatile doc = NULL;
	struct ops o = { .page_h = pc->page_h_in * PT };
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	/* the ink-free zone is Lob's: never printed, it carries the address and postage */
	double x = pc->zone_x_in, y = pc->zone_y_in;
	op(&o, "1 1 1 rg %.2f %.2f %.2f %.2f re f\n0 0 0 rg\n", x * PT,
	   o.page_h - (y + pc->zone_h_in) * PT, pc->zone_w_in * PT, pc->zone_h_in * PT);
	lines(&o, x + 0.1, y + 0.2, 7, 0.11, pc->from);
	imb(&o, x + 0.1, y + pc->zone_h_in * 0.45, pc->imb_bars);
	lines(&o, x + 0.1, y + pc->zone_h_in * 0.45 + 0.3, 9, 0.14, pc->to);
	if (o.failed) {
		free(o.s);
		return api_fail(err, ERR_INTERNAL, "out of memory");
	}
	volatile int rc = 0;
	fz_try(ctx) {
		doc = pdfu_open(ctx, pdf, len);
		if (pdf_count_pages(ctx, doc) != 2)
			fz_throw(ctx, FZ_ERROR_GENERIC, "a postcard has a front and a back page");
		append(ctx, doc, pdf_lookup_page_obj(ctx, doc, 1), &o);
		pdfu_save(ctx, doc, 1, out, out_len);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		free(o.s);
	}
	fz_catch(ctx)
		rc = api_fail(err, ERR_INVALID_FILE, "the postcard could not be stamped: %s",
			      fz_caught_message(ctx));
	return rc;
}
