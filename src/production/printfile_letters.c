// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Letters and checks: every piece's pages in the lot's order, printed to size (MediaBox =
 * CropBox = BleedBox = TrimBox = the page, production.md 2.1 for pieces without bleed), a
 * blank back after an odd last page of a double-sided lot so that every piece starts on a
 * new sheet. Pages are grafted as they are (annotations included); Frank's marks go on top
 * as a form XObject: inserter marks on the front of each sheet, the TEST watermark on
 * every page.
 */
#include "production/printfile_internal.h"
#include "pdf/pdf_util.h"
#include "stamp/stamp_draw.h"

/* the printed rectangle (trim, else crop, else media, inside media) becomes every box */
static void boxes_to_size(fz_context *ctx, pdf_obj *page)
{
	fz_rect media = pdf_to_rect(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(MediaBox)));
	if (fz_is_empty_rect(media))
		media = fz_make_rect(0, 0, 612, 792);
	fz_rect r = fz_empty_rect;
	pdf_obj *names[2] = { PDF_NAME(TrimBox), PDF_NAME(CropBox) };
	for (int i = 0; i < 2 && fz_is_empty_rect(r); i++) {
		pdf_obj *o = pdf_dict_get_inheritable(ctx, page, names[i]);
		if (pdf_is_array(ctx, o))
			r = fz_intersect_rect(pdf_to_rect(ctx, o), media);
	}
	if (fz_is_empty_rect(r))
		r = media;
	pdf_dict_put_rect(ctx, page, PDF_NAME(MediaBox), r);
	pdf_dict_put_rect(ctx, page, PDF_NAME(CropBox), r);
	pdf_dict_put_rect(ctx, page, PDF_NAME(BleedBox), r);
	pdf_dict_put_rect(ctx, page, PDF_NAME(TrimBox), r);
	pdf_dict_del(ctx, page, PDF_NAME(ArtBox));
}

/* page k (0-based) of the piece, just grafted as the part's last page: boxes, size, marks */
static int finish_page(struct pf_job *j, unsigned k, unsigned n_pages, const char *piece_id,
		       struct api_error *err)
{
	fz_context *ctx = j->ctx;
	pdf_obj *page = pdf_lookup_page_obj(ctx, j->out, (int)j->pages);
	boxes_to_size(ctx, page);
	fz_matrix cm;
	double w, h;
	if (stamp_frame(ctx, page, j->p->trim_w, j->p->trim_h, 0, &cm, &w, &h) < 0) {
		char fw[24], fh[24], tw[24], th[24];
		return pf_fail(j, err, ERR_INVALID_FILE_DIMENSIONS,
			       "page %u is %s\"x%s\", the lot's %s pages are %s\"x%s\"", k + 1,
			       pdfu_inches(fw, w), pdfu_inches(fh, h), j->p->size,
			       pdfu_inches(tw, j->p->trim_w), pdfu_inches(th, j->p->trim_h));
	}
	j->pages++;
	bool front = !j->double_sided || k % 2 == 0;
	if (front)
		j->sheets++;
	if (j->o->marks == PRINT_MARKS_NONE && !j->watermark)
		return 0;
	unsigned sheet = j->double_sided ? k / 2 + 1 : k + 1;
	unsigned sheets = product_sheets(n_pages, j->double_sided);
	struct marks m;
	marks_begin(&m, ctx, &j->font, j->p->trim_w, j->p->trim_h);
	int rc = 0;
	fz_var(rc);
	fz_try(ctx) {
		if (front)
			rc = marks_inserter_front(&m, j->o->marks, j->run_id, piece_id, sheet,
						  sheets, err);
		else
			marks_inserter_back(&m, j->o->marks);
		if (j->watermark)
			marks_watermark(&m);
		if (rc == 0)
			marks_apply(ctx, j->out, page, &m, cm);
	}
	fz_always(ctx)
		marks_drop(&m);
	fz_catch(ctx)
		fz_rethrow(ctx);
	if (rc < 0)
		j->failed = true;
	return rc;
}

/* an empty back (watermarked on test runs) */
static void blank_back(struct pf_job *j)
{
	fz_context *ctx = j->ctx;
	struct marks m;
	pdf_obj *res = NULL;
	marks_begin(&m, ctx, &j->font, j->p->trim_w, j->p->trim_h);
	fz_var(res);
	fz_try(ctx) {
		if (j->watermark)
			marks_watermark(&m);
		res = marks_resources(ctx, j->out, &j->font);
		pf_add_page(j, j->p->trim_w, j->p->trim_h, res, m.ops, NULL, NULL);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, res);
		marks_drop(&m);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

static int graft_piece(struct pf_job *j, const struct pf_piece *pp, struct api_error *err)
{
	fz_context *ctx = j->ctx;
	const char *piece_id = j->piece_id;
	pdf_graft_map *map = pdf_new_graft_map(ctx, j->out);
	int rc = 0;
	fz_var(rc);
	fz_try(ctx) {
		for (int k = 0; k < pp->pages && rc == 0; k++) {
			pdf_graft_mapped_page(ctx, map, -1, pp->doc, k);
			rc = finish_page(j, (unsigned)k, (unsigned)pp->pages, piece_id, err);
		}
		if (rc == 0 && j->double_sided && pp->pages % 2)
			blank_back(j);
	}
	fz_always(ctx)
		pdf_drop_graft_map(ctx, map);
	fz_catch(ctx)
		fz_rethrow(ctx);
	return rc;
}

/* one piece, opened and closed around its pages */
static int write_piece(struct pf_job *j, const json_t *piece, struct api_error *err)
{
	fz_context *ctx = j->ctx;
	struct pf_piece pp;
	if (pf_piece_open(j, piece, &pp, err) < 0)
		return -1;
	int rc = 0;
	fz_var(rc);
	fz_try(ctx)
		rc = graft_piece(j, &pp, err);
	fz_catch(ctx) rc =
	    j->failed ? -1
	              : pf_fail(j, err,
	                        fz_caught(ctx) == FZ_ERROR_MEMORY ? ERR_INTERNAL : ERR_INVALID_FILE,
	                        "its pages could not be copied: %s", fz_caught_message(ctx));
	pf_piece_close(j, &pp);
	return rc;
}

int pf_write_sequence(struct pf_job *j, struct api_error *err)
{
	for (size_t i = j->first; i < j->first + j->count; i++)
		if (write_piece(j, json_array_get(j->pieces, i), err) < 0)
			return -1;
	j->piece_id = NULL;
	return 0;
}
