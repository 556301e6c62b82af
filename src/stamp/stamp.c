// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * stamp_piece: checks the request, opens the document, hands it to the product's stamper,
 * writes the result. Also the pieces every stamper uses: the address block and QR codes.
 */
#include "stamp/stamp_internal.h"
#include "pdf/budget.h"
#include "barcode/imb.h"
#include "pdf/pdf_util.h"
#include <stdlib.h>
#include <string.h>

struct canvas *stamp_canvas(struct stamp_job *j)
{
	if (j->ncv >= STAMP_MAX_CANVASES)
		fz_throw(j->ctx, FZ_ERROR_GENERIC, "too many canvases");
	struct canvas *c = &j->cv[j->ncv++];
	cv_init(c, j->ctx, product_artboard_w(j->p), product_artboard_h(j->p));
	return c;
}

void stamp_draw_block(struct canvas *c, const struct address_layout *l,
		      const struct stamp_request *rq)
{
	cv_fill(c, l->white, 1);
	cv_lines(c, l->from, rq->from, STAMP_LINES, FONT_REGULAR, 8);
	cv_imb(c, l->imb.x, l->imb.y, rq->imb_bars);
	cv_lines(c, l->to, rq->to, STAMP_LINES, FONT_REGULAR, 10);
}

int stamp_qr_pages(struct stamp_job *j, int first, int count, struct api_error *err)
{
	const struct stamp_qr *q = &j->rq->qr;
	if (!q->data || !q->pages)
		return 0;
	struct canvas *c = NULL;
	for (int n = 1; n <= count && (size_t)n < q->npages; n++) {
		if (!q->pages[n])
			continue;
		if (!c) {
			c = stamp_canvas(j);
			if (q->width_in <= 0 || q->x_in < 0 || q->y_in < 0 ||
			    q->x_in + q->width_in > c->w_in || q->y_in + q->width_in > c->h_in)
				return api_fail(err, ERR_INVALID, "the QR code must lie on the page");
			if (cv_qr(c, (struct rect_in){ q->x_in, q->y_in, q->width_in, q->width_in },
				  q->data, err) < 0)
				return -1;
		}
		if (stamp_page(j->ctx, j->doc, first + n - 1, j->p, c, err) < 0)
			return -1;
	}
	return 0;
}

static int check_request(const struct stamp_request *rq, const struct product_size **p,
			 struct api_error *err)
{
	*p = product_lookup(rq->product, rq->size);
	if (!*p)
		return api_fail(err, ERR_INVALID, "unknown product or size: %s %s",
				rq->product ? rq->product : "(none)", rq->size ? rq->size : "");
	if (rq->imb_bars ? strlen(rq->imb_bars) != IMB_BARS ||
			   strspn(rq->imb_bars, "FADT") != IMB_BARS
			 : !rq->international)
		return api_fail(err, ERR_INVALID, "the Intelligent Mail barcode must be %d bars "
				"of F, A, D or T", IMB_BARS);
	if (rq->extra_service && (*p)->kind != PRODUCT_LETTER)
		return api_fail(err, ERR_INVALID, "extra_service is for letters only");
	if (mail_product_of((*p)->kind)->stamp == STAMP_CHECK && !rq->check)
		return api_fail(err, ERR_INVALID, "a check needs its check fields");
	return 0;
}

static int run(struct stamp_job *j, const unsigned char *pdf, size_t len, struct api_error *err)
{
	enum stamp_style style = mail_product_of(j->p->kind)->stamp;
	if (style == STAMP_CHECK)
		return stamp_check(j, pdf, len, err);
	if (!pdf || len == 0)
		return api_fail(err, ERR_INVALID_FILE, "no file to stamp");
	j->doc = pdfu_open(j->ctx, pdf, len);
	if (pdf_needs_password(j->ctx, j->doc))
		return api_fail(err, ERR_PDF_ENCRYPTED, "the file is encrypted");
	switch (style) {
	case STAMP_LETTER:
		return stamp_letter(j, err);
	case STAMP_CARD:
		return stamp_postcard(j, err);
	case STAMP_ZONE:
		return stamp_self_mailer(j, err);
	case STAMP_SEALED:
		return stamp_snap_pack(j, err);
	case STAMP_CHECK:
		break;
	}
	return api_fail(err, ERR_INTERNAL, "no stamper for %s", j->p->product);
}

int stamp_piece(const struct stamp_request *rq, const unsigned char *pdf, size_t len,
		unsigned char **out, size_t *out_len, struct stamp_result *res,
		struct api_error *err)
{
	struct stamp_job j = { .rq = rq, .res = res };
	*out = NULL;
	*out_len = 0;
	memset(res, 0, sizeof(*res));
	if (check_request(rq, &j.p, err) < 0)
		return -1;
	if (pdf && len > PDF_MAX_INPUT_BYTES)
		return api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT, "the file is too large");
	struct render_job budget;
	fz_context *ctx = render_job_begin(&budget, err);
	if (!ctx)
		return -1;
	j.ctx = ctx;
	volatile int rc = 0;
	fz_var(j);
	fz_try(ctx) {
		rc = run(&j, pdf, len, err);
		for (int i = 0; rc == 0 && i < j.ncv; i++)
			if (j.cv[i].failed)
				rc = api_fail(err, ERR_INTERNAL, "out of memory");
		if (rc == 0) {
			res->pages = (unsigned)pdf_count_pages(ctx, j.doc);
			pdfu_save(ctx, j.doc, 1, out, out_len);
		}
	}
	fz_always(ctx) {
		for (int i = 0; i < j.ncv; i++)
			cv_free(&j.cv[i]);
		pdf_drop_document(ctx, j.doc);
	}
	fz_catch(ctx) {
		free(*out);
		*out = NULL;
		*out_len = 0;
		rc = api_fail(err, ERR_INVALID_FILE, "the %s could not be stamped: %s",
			      j.p->product, fz_caught_message(ctx));
	}
	return render_job_end(&budget, rc, err);
}
