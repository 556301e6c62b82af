// SPDX-License-Identifier: AGPL-3.0-or-later
/* Piece PDFs opened one at a time, errors that name the piece, new pages (printfile_internal.h). */
#include "production/printfile_internal.h"
#include "core/mail_product.h"
#include "pdf/pdf_util.h"
#include "store/assets.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int pf_fail(struct pf_job *j, struct api_error *err, enum err_kind kind, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	j->failed = true;
	if (j->piece_id)
		return api_fail(err, kind, "lot %s, piece %s: %s", j->lot_id, j->piece_id, msg);
	return api_fail(err, kind, "lot %s: %s", j->lot_id, msg);
}

/* the whole asset into memory (MuPDF parses from memory; the bytes outlive the document) */
static int read_asset(struct pf_job *j, const char *key, struct pf_piece *pp,
		      struct api_error *err)
{
	struct asset_file af;
	struct api_error aerr = { 0 };
	if (assets_open(j->o->data_dir, key, &af, &aerr) < 0)
		return pf_fail(j, err, aerr.kind, "its PDF %s cannot be opened: %s", key,
			       aerr.message);
	if (af.size > PDF_MAX_INPUT_BYTES) {
		close(af.fd);
		return pf_fail(j, err, ERR_INVALID_FILE, "its PDF is larger than %zu bytes",
			       PDF_MAX_INPUT_BYTES);
	}
	pp->data = malloc(af.size ? af.size : 1);
	size_t got = 0;
	while (pp->data && got < af.size) {
		ssize_t n = read(af.fd, pp->data + got, af.size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(af.fd);
	if (!pp->data || got != af.size) {
		const char *why = pp->data ? "short read" : "out of memory";
		free(pp->data);
		pp->data = NULL;
		return pf_fail(j, err, ERR_INTERNAL, "its PDF %s could not be read (%s)", key, why);
	}
	pp->len = got;
	return 0;
}

int pf_piece_open(struct pf_job *j, const json_t *piece, struct pf_piece *pp,
		  struct api_error *err)
{
	memset(pp, 0, sizeof *pp);
	j->piece_id = json_string_value(json_object_get(piece, "id"));
	if (!j->piece_id) {
		j->piece_id = NULL;
		return pf_fail(j, err, ERR_INVALID, "a piece has no id");
	}
	const char *key = json_string_value(json_object_get(piece, "pdf"));
	if (!key || !*key)
		return pf_fail(j, err, ERR_NOT_FOUND, "it has no rendered PDF");
	if (read_asset(j, key, pp, err) < 0)
		return -1;
	fz_context *ctx = j->ctx;
	fz_var(pp);
	fz_try(ctx) {
		pp->doc = pdfu_open(ctx, pp->data, pp->len);
		if (pdf_needs_password(ctx, pp->doc))
			fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF is encrypted");
		pp->pages = pdf_count_pages(ctx, pp->doc);
	}
	fz_catch(ctx) {
		pf_piece_close(j, pp);
		return pf_fail(j, err, ERR_INVALID_FILE, "its PDF %s cannot be read: %s", key,
			       fz_caught_message(ctx));
	}
	json_t *planned = json_object_get(piece, "pages");
	if (json_is_integer(planned) && json_integer_value(planned) != pp->pages) {
		int found = pp->pages;
		pf_piece_close(j, pp);
		return pf_fail(j, err, ERR_INVALID_FILE,
			       "the lot plan says %lld pages but its PDF has %d",
			       (long long)json_integer_value(planned), found);
	}
	if (mail_product_of(j->p->kind)->format != MAIL_FORMAT_ENVELOPE && pp->pages != 2) {
		int found = pp->pages;
		pf_piece_close(j, pp);
		return pf_fail(j, err, ERR_INVALID_FILE,
			       "a %s's PDF has 2 pages (front and back), this one has %d",
			       j->p->product, found);
	}
	if (pp->pages < 1) {
		pf_piece_close(j, pp);
		return pf_fail(j, err, ERR_INVALID_FILE, "its PDF has no pages");
	}
	return 0;
}

void pf_piece_close(struct pf_job *j, struct pf_piece *pp)
{
	pdf_drop_document(j->ctx, pp->doc);
	free(pp->data);
	memset(pp, 0, sizeof *pp);
}

pdf_obj *pf_add_page(struct pf_job *j, double w_in, double h_in, pdf_obj *res,
		     fz_buffer *contents, const fz_rect *bleed, const fz_rect *trim)
{
	fz_context *ctx = j->ctx;
	fz_rect media = { 0, 0, (float)(w_in * MARKS_PT), (float)(h_in * MARKS_PT) };
	pdf_obj *page = pdf_add_page(ctx, j->out, media, 0, res, contents);
	fz_try(ctx) {
		pdf_dict_put_rect(ctx, page, PDF_NAME(CropBox), media);
		pdf_dict_put_rect(ctx, page, PDF_NAME(BleedBox), bleed ? *bleed : media);
		pdf_dict_put_rect(ctx, page, PDF_NAME(TrimBox), trim ? *trim : media);
		pdf_insert_page(ctx, j->out, -1, page);
	}
	fz_catch(ctx) {
		pdf_drop_obj(ctx, page);
		fz_rethrow(ctx);
	}
	pdf_drop_obj(ctx, page);
	j->pages++;
	return page;
}
