// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Checks: a check page built from nothing (or over Lob's check_bottom), followed by the
 * attachment. The face fills the top 3.5" (a standard voucher check): the drawer where the
 * return window shows, the payee with the IMb where the recipient window shows, amount in
 * words and figures, date, number, memo, signature, and the MICR line in its clear band.
 * Below the perforation: a stub line and the message. Layout: docs/internals/stamping.md.
 */
#include "stamp/stamp_internal.h"
#include "stamp/check_words.h"
#include "stamp/micr.h"
#include "pdf/pdf_util.h"
#include <stdio.h>
#include <string.h>

#define FACE_H 3.5	/* the check, above the perforation */
/* the drawer's name and address: inside what the return window shows */
static const struct rect_in drawer = { 0.695, 0.6, 2.9, 0.66 };

/* the logo's box: top left, above the drawer (Lob: "printed in grayscale in the upper-left
 * corner"); the image keeps its aspect ratio inside it */
static const struct rect_in logo_box = { 0.695, 0.08, 1.6, 0.45 };
#define LOGO_MAX_PIXELS 25e6	/* decoded, before anything is drawn */

/* an image XObject named `name` on the page, drawn at r (inches from the top left) */
static void put_image(fz_context *ctx, pdf_document *doc, pdf_obj *page, double page_h,
		      pdf_obj *image, const char *name, struct rect_in r)
{
	pdf_obj *res = pdf_dict_get(ctx, page, PDF_NAME(Resources));
	if (!pdf_is_dict(ctx, res)) {
		res = pdf_new_dict(ctx, doc, 1);
		pdf_dict_put_drop(ctx, page, PDF_NAME(Resources), res);
	}
	pdf_obj *xobjects = pdf_dict_get(ctx, res, PDF_NAME(XObject));
	if (!pdf_is_dict(ctx, xobjects)) {
		xobjects = pdf_new_dict(ctx, doc, 1);
		pdf_dict_put_drop(ctx, res, PDF_NAME(XObject), xobjects);
	}
	pdf_dict_puts(ctx, xobjects, name, image);
	fz_buffer *cs = fz_new_buffer(ctx, 96);
	fz_try(ctx) {
		fz_append_printf(ctx, cs, "q %g 0 0 %g %g %g cm /%s Do Q\n", r.w * PT, r.h * PT,
				 r.x * PT, (page_h - r.y - r.h) * PT, name);
		pdf_obj *contents = pdf_dict_get(ctx, page, PDF_NAME(Contents));
		if (!pdf_is_array(ctx, contents)) {
			pdf_obj *arr = pdf_new_array(ctx, doc, 2);
			if (contents)
				pdf_array_push(ctx, arr, contents);
			pdf_dict_put_drop(ctx, page, PDF_NAME(Contents), arr);
			contents = arr;
		}
		pdf_array_push_drop(ctx, contents, pdf_add_stream(ctx, doc, cs, NULL, 0));
	}
	fz_always(ctx)
		fz_drop_buffer(ctx, cs);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

static int stamp_logo(fz_context *ctx, pdf_document *doc, double page_h,
		      const unsigned char *data, size_t len, struct api_error *err)
{
	fz_buffer *volatile buf = NULL;
	fz_image *volatile img = NULL, *volatile gray_img = NULL;
	fz_pixmap *volatile pix = NULL, *volatile gray = NULL;
	pdf_obj *volatile ref = NULL;
	int rc = 0;
	fz_try(ctx) {
		buf = fz_new_buffer_from_copied_data(ctx, data, len);
		img = fz_new_image_from_buffer(ctx, buf);
		if (img->w <= 0 || img->h <= 0 || (double)img->w * img->h > LOGO_MAX_PIXELS)
			fz_throw(ctx, FZ_ERROR_GENERIC, "logo of %d x %d pixels", img->w, img->h);
		pix = fz_get_pixmap_from_image(ctx, img, NULL, NULL, NULL, NULL);
		gray = fz_convert_pixmap(ctx, pix, fz_device_gray(ctx), NULL, NULL,
					 fz_default_color_params, 1);
		gray_img = fz_new_image_from_pixmap(ctx, gray, NULL);
		ref = pdf_add_image(ctx, doc, gray_img);
		double s = logo_box.w / img->w < logo_box.h / img->h ? logo_box.w / img->w
								    : logo_box.h / img->h;
		struct rect_in at = { logo_box.x, logo_box.y, img->w * s, img->h * s };
		put_image(ctx, doc, pdf_lookup_page_obj(ctx, doc, 0), page_h, ref, "FrankLogo", at);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, ref);
		fz_drop_image(ctx, gray_img);
		fz_drop_pixmap(ctx, gray);
		fz_drop_pixmap(ctx, pix);
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		rc = api_fail(err, ERR_INVALID_FILE, "the logo could not be read as a PNG or JPEG image");
	return rc;
}

/* the words followed by asterisks up to width w, so nothing can be added after them */
static void words_line(struct canvas *c, double x, double baseline, double w, const char *words)
{
	char line[STAMP_LINE_MAX];
	int n = snprintf(line, sizeof(line), "%s ", words);
	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	double star = cv_width(c, FONT_BOLD, 9.5, "*");
	double room = w - cv_width(c, FONT_BOLD, 9.5, line);
	for (; room > star && (size_t)n + 1 < sizeof(line); room -= star)
		line[n++] = '*';
	line[n] = '\0';
	cv_text_fit(c, FONT_BOLD, 9.5, x, baseline, w, line);
}

static int draw_face(struct canvas *c, const struct stamp_request *rq, const char *micr,
		     struct api_error *err)
{
	const struct stamp_check *k = rq->check;
	char words[CHECK_WORDS_MAX], figures[48], amount[64], number[16];
	if (check_amount_words(k->amount_cents, words, sizeof(words), err) < 0 ||
	    check_amount_figures(k->amount_cents, figures, sizeof(figures), err) < 0)
		return -1;
	snprintf(amount, sizeof(amount), "**%s", figures);
	snprintf(number, sizeof(number), "%u", (unsigned)k->check_number);
	struct address_layout l;
	if (product_address_layout(product_lookup("check", NULL), NULL, &l, err) < 0)
		return -1;

	cv_fill(c, (struct rect_in){ 0, 0, c->w_in, FACE_H }, 1);
	cv_lines(c, drawer, rq->from, STAMP_LINES, FONT_BOLD, 9);
	cv_text_fit(c, FONT_BOLD, 8, 4.1, 0.62, 2.0, k->bank_name);
	cv_text_right(c, FONT_BOLD, 12, 8.0, 0.62, number);

	cv_text(c, FONT_BOLD, 6, 6.1, 1.0, 1, "DATE");
	cv_text_fit(c, FONT_REGULAR, 10, 6.55, 0.98, 1.45, k->date);
	cv_line(c, 6.5, 1.03, 8.0, 1.03, 0.5, 0, 0);

	cv_text(c, FONT_BOLD, 7, 0.3, 1.5, 1, "PAY");
	words_line(c, 0.75, 1.5, 5.5, words);
	cv_line(c, 0.72, 1.54, 6.3, 1.54, 0.5, 0, 0);
	cv_stroke(c, (struct rect_in){ 6.45, 1.32, 1.55, 0.3 }, 0.75, 0);
	cv_text(c, FONT_BOLD, 11, 6.52, 1.54, 1, "$");
	cv_text_fit(c, FONT_BOLD, 11, 6.7, 1.54, 1.25, amount);

	cv_text(c, FONT_BOLD, 5.5, 0.18, 1.86, 1, "TO THE");
	cv_text(c, FONT_BOLD, 5.5, 0.18, 1.94, 1, "ORDER OF");
	cv_imb(c, l.imb.x, l.imb.y, rq->imb_bars);
	cv_lines(c, l.to, rq->to, STAMP_LINES, FONT_BOLD, 10);

	cv_text(c, FONT_BOLD, 6, 0.3, 2.84, 1, "MEMO");
	cv_text_fit(c, FONT_REGULAR, 8, 0.75, 2.84, 3.4, k->memo);
	cv_line(c, 0.72, 2.865, 4.2, 2.865, 0.5, 0, 0);
	cv_text_fit(c, FONT_OBLIQUE, 13, 5.1, 2.52, 2.9, k->signatory);
	cv_line(c, 5.0, 2.58, 8.0, 2.58, 0.5, 0, 0);
	cv_text_center(c, FONT_REGULAR, 5.5, 6.5, 2.69, "AUTHORIZED SIGNATURE");

	micr_draw(c, micr, c->w_in, FACE_H - MICR_BOTTOM_IN);
	cv_line(c, 0, FACE_H, c->w_in, FACE_H, 0.5, 0.6, 3);

	/* the stub: what a payee keeps */
	char stub[STAMP_LINE_MAX];
	snprintf(stub, sizeof(stub), "Check %s   %s   Pay to %.60s   $%s%s%.40s", number,
		 k->date ? k->date : "", rq->to[0] ? rq->to[0] : "", figures,
		 k->memo && *k->memo ? "   Memo " : "", k->memo ? k->memo : "");
	cv_text_fit(c, FONT_REGULAR, 8, 0.5, FACE_H + 0.3, 7.5, stub);
	if (k->message && !k->bottom_pdf)
		cv_paragraph(c, (struct rect_in){ 0.5, FACE_H + 0.5, 7.5, 3.0 }, FONT_REGULAR, 10,
			     k->message);
	return 0;
}

int stamp_check(struct stamp_job *j, const unsigned char *attachment, size_t len,
		struct api_error *err)
{
	const struct stamp_check *k = j->rq->check;
	char micr[MICR_POSITIONS + 1];
	if (micr_check_line(k->routing_number, k->account_number, k->check_number, micr, err) < 0)
		return -1;
	fz_context *ctx = j->ctx;
	int att = 0;
	if (attachment && len) {
		j->doc = pdfu_open(ctx, attachment, len);
		if (pdf_needs_password(ctx, j->doc))
			return api_fail(err, ERR_PDF_ENCRYPTED, "the attachment is encrypted");
		att = pdf_count_pages(ctx, j->doc);
		if (product_check_pages(j->p, (unsigned)att, true, false, err) < 0)
			return -1;
	} else {
		j->doc = pdf_create_document(ctx);
	}
	if (k->bottom_len > PDF_MAX_INPUT_BYTES)
		return api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT, "check_bottom is too large");
	if (k->bottom_pdf && k->bottom_len) {
		pdf_document *volatile bottom = NULL;
		fz_try(ctx) {
			bottom = pdfu_open(ctx, k->bottom_pdf, k->bottom_len);
			if (pdf_needs_password(ctx, bottom) || pdf_count_pages(ctx, bottom) != 1)
				fz_throw(ctx, FZ_ERROR_GENERIC, "check_bottom must be one page, "
					 "not encrypted");
			pdf_graft_page(ctx, j->doc, 0, bottom, 0);
		}
		fz_always(ctx)
			pdf_drop_document(ctx, bottom);
		fz_catch(ctx)
			fz_rethrow(ctx);
	} else {
		stamp_insert_blank(ctx, j->doc, 0, product_artboard_w(j->p), product_artboard_h(j->p));
	}
	struct canvas *c = stamp_canvas(j);
	if (draw_face(c, j->rq, micr, err) < 0)
		return -1;
	struct stamp_result *res = j->res;
	res->added_pages = 1;
	res->address_page = 0;
	res->sheets = 1 + product_sheets((unsigned)att, true);
	res->envelope = product_envelope(j->p, res->sheets, false);
	if (product_address_layout(j->p, NULL, &res->layout, err) < 0)
		return -1;
	res->layout.white = (struct rect_in){ 0, 0, c->w_in, FACE_H };
	res->layout.from = drawer;
	if (stamp_page(ctx, j->doc, 0, j->p, c, err) < 0)
		return -1;
	return k->logo && k->logo_len
		       ? stamp_logo(ctx, j->doc, product_artboard_h(j->p), k->logo, k->logo_len, err)
		       : 0;
}
