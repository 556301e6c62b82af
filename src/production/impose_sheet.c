// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postcards and self-mailers imposed n-up (geometry and conventions: impose.h). Each press
 * sheet is two pages of the file, the front then the back; each piece's page 1 (front or
 * inside) and page 2 (back or outside, the address side) become form XObjects placed in
 * the same tile position of the two pages, clipped to the tile. The sheet's BleedBox is the
 * block of tiles, its TrimBox the block less the outer bleed (the cut area; each piece is
 * cut on its own trim lines, shown by the crop marks). The permit imprint, when configured,
 * is drawn in the postage area of the address side.
 */
#include "production/printfile_internal.h"
#include "pdf/pdf_util.h"
#include "stamp/stamp_draw.h"
#include <stdio.h>

/* page `side` of the piece as a form XObject whose space is the product's artboard
 * (points, origin bottom-left); NULL with *err when the page has the wrong size. Throws. */
static pdf_obj *page_form(struct pf_job *j, pdf_graft_map *map, pdf_document *src, int side,
			  struct api_error *err)
{
	fz_context *ctx = j->ctx;
	const struct product_size *p = j->p;
	pdf_obj *page = pdf_lookup_page_obj(ctx, src, side);
	fz_matrix cm;
	double w, h;
	if (stamp_frame(ctx, page, product_artboard_w(p), product_artboard_h(p), p->bleed, &cm,
			&w, &h) < 0) {
		char fw[24], fh[24], aw[24], ah[24];
		pf_fail(j, err, ERR_INVALID_FILE_DIMENSIONS,
			"page %d is %s\"x%s\", a %s %s is %s\"x%s\" with bleed", side + 1,
			pdfu_inches(fw, w), pdfu_inches(fh, h), p->size, p->product,
			pdfu_inches(aw, product_artboard_w(p)),
			pdfu_inches(ah, product_artboard_h(p)));
		return NULL;
	}
	fz_rect media = pdf_to_rect(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(MediaBox)));
	pdf_obj *res = NULL, *xobj = NULL;
	fz_buffer *body = NULL;
	fz_var(res);
	fz_var(body);
	fz_try(ctx) {
		res = pdf_graft_mapped_object(
		    ctx, map, pdf_dict_get_inheritable(ctx, page, PDF_NAME(Resources)));
		/* the page's content streams, decoded and joined: a form has one stream */
		body = fz_new_buffer(ctx, 4096);
		pdf_obj *contents = pdf_dict_get(ctx, page, PDF_NAME(Contents));
		int n = pdf_is_array(ctx, contents) ? pdf_array_len(ctx, contents) : 1;
		for (int i = 0; i < n; i++) {
			pdf_obj *s = pdf_is_array(ctx, contents) ? pdf_array_get(ctx, contents, i)
								 : contents;
			if (!pdf_is_stream(ctx, s))
				continue;
			fz_buffer *part = pdf_load_stream(ctx, s);
			fz_append_buffer(ctx, body, part);
			fz_drop_buffer(ctx, part);
			fz_append_byte(ctx, body, '\n');
		}
		xobj = pdf_new_xobject(ctx, j->out, media, fz_invert_matrix(cm), res, body);
		pdf_obj *group = pdf_dict_get(ctx, page, PDF_NAME(Group));
		if (group)
			pdf_dict_put_drop(ctx, xobj, PDF_NAME(Group),
					  pdf_graft_mapped_object(ctx, map, group));
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, res);
		fz_drop_buffer(ctx, body);
	}
	fz_catch(ctx) {
		pdf_drop_obj(ctx, xobj);
		fz_rethrow(ctx);
	}
	return xobj;
}

/*
 * The matrix from the product's artboard (points, origin bottom-left) to the sheet (points,
 * origin bottom-left) for a tile at r (inches from the sheet's top-left): the piece's trim
 * centred in the tile, turned 90 degrees on a rotated grid, 180 more on a tumbled back.
 */
static fz_matrix tile_matrix(const struct pf_job *j, const struct impose_grid *g,
			     struct rect_in r, bool turn180)
{
	const struct product_size *p = j->p;
	double shift = (j->bleed - p->bleed) * MARKS_PT;	/* artboard -> tile */
	fz_matrix m = fz_translate((float)shift, (float)shift);
	double uw = (p->trim_w + 2 * j->bleed) * MARKS_PT,
	       uh = (p->trim_h + 2 * j->bleed) * MARKS_PT;
	if (g->rotated) {	/* counter-clockwise: the tile's bottom edge becomes its right */
		m = fz_concat(m, fz_rotate(90));
		m = fz_concat(m, fz_translate((float)uh, 0));
		double t = uw;
		uw = uh;
		uh = t;
	}
	if (turn180) {
		m = fz_concat(m, fz_rotate(180));
		m = fz_concat(m, fz_translate((float)uw, (float)uh));
	}
	return fz_concat(m, fz_translate((float)(r.x * MARKS_PT),
					 (float)((g->sheet_h - r.y - r.h) * MARKS_PT)));
}

static void put_matrix(fz_context *ctx, fz_buffer *b, fz_matrix m)
{
	fz_append_printf(ctx, b, "%g %g %g %g %g %g cm\n", m.a, m.b, m.c, m.d, m.e, m.f);
}

/* one side of one tile: clip to the tile, the piece's page, the permit imprint */
static void draw_tile(struct pf_job *j, const struct impose_grid *g, fz_buffer *b,
		      const char *name, struct rect_in r, bool back)
{
	fz_context *ctx = j->ctx;
	const struct product_size *p = j->p;
	/* head to head (a card turns over about its own vertical axis): a tumble does that to
	 * upright tiles, a turn to rotated ones; otherwise the back is turned 180 degrees */
	bool turn180 = back && (j->duplex == IMPOSE_WORK_AND_TUMBLE) != g->rotated;
	fz_matrix m = tile_matrix(j, g, r, turn180);
	fz_append_string(ctx, b, "q\n");
	put_matrix(ctx, b, m);
	double shift = (j->bleed - p->bleed) * MARKS_PT;
	fz_append_printf(ctx, b, "%g %g %g %g re W n\n/%s Do\n", -shift, -shift,
			 (p->trim_w + 2 * j->bleed) * MARKS_PT,
			 (p->trim_h + 2 * j->bleed) * MARKS_PT, name);
	if (back && j->o->permit) {
		struct address_layout l;
		struct api_error ignored;
		if (product_address_layout(p, NULL, &l, &ignored) == 0 && l.postage.w > 0) {
			struct marks m2;
			marks_begin(&m2, ctx, &j->font, product_artboard_w(p),
			            product_artboard_h(p));
			fz_try(ctx) {
				marks_permit(&m2, l.postage, j->o->permit);
				fz_append_buffer(ctx, b, m2.ops);
			}
			fz_always(ctx)
				marks_drop(&m2);
			fz_catch(ctx)
				fz_rethrow(ctx);
		}
	}
	fz_append_string(ctx, b, "Q\n");
}

/* the slug line of sheet s (0-based) of n */
static void slug_text(const struct pf_job *j, unsigned s, unsigned n, bool back, char *buf,
		      size_t cap)
{
	snprintf(buf, cap, "%s | %s | sheet %u of %u | %s | %s", j->run_id, j->lot_id, s + 1, n,
		 back ? "back" : "front",
		 j->duplex == IMPOSE_WORK_AND_TUMBLE ? "work-and-tumble: backs mirrored top-bottom"
						     : "work-and-turn: backs mirrored left-right");
}

/* the block of tiles (BleedBox) and the same less the outer bleed (TrimBox), in PDF points */
static void sheet_boxes(const struct pf_job *j, const struct impose_grid *g, bool back,
			fz_rect *bleed, fz_rect *trim)
{
	struct rect_in b = impose_mirror(g, g->block, back, j->duplex);
	double top = g->sheet_h * MARKS_PT;	/* PDF y grows upwards */
	*bleed = (fz_rect){ (float)(b.x * MARKS_PT), (float)(top - (b.y + b.h) * MARKS_PT),
			    (float)((b.x + b.w) * MARKS_PT), (float)(top - b.y * MARKS_PT) };
	float in = (float)(j->bleed * MARKS_PT);
	*trim = (fz_rect){ bleed->x0 + in, bleed->y0 + in, bleed->x1 - in, bleed->y1 - in };
}

/* the sheet's two pages, once every tile is in the two content buffers */
static void finish_sheet(struct pf_job *j, const struct impose_grid *g, unsigned s,
			 unsigned n_sheets, fz_buffer *const side[2], pdf_obj *const xobjs[2])
{
	fz_context *ctx = j->ctx;
	for (int back = 0; back < 2; back++) {
		struct marks m;
		pdf_obj *res = NULL;
		marks_begin(&m, ctx, &j->font, g->sheet_w, g->sheet_h);
		fz_var(res);
		fz_try(ctx) {
			char slug[256];
			slug_text(j, s, n_sheets, back, slug, sizeof slug);
			marks_crop(&m, g, back, j->duplex);
			marks_slug(&m, g, back, j->duplex, slug);
			if (j->watermark)
				marks_watermark(&m);
			fz_append_buffer(ctx, side[back], m.ops);
			res = marks_resources(ctx, j->out, &j->font);
			pdf_dict_put(ctx, res, PDF_NAME(XObject), xobjs[back]);
			fz_rect bleed, trim;
			sheet_boxes(j, g, back, &bleed, &trim);
			pf_add_page(j, g->sheet_w, g->sheet_h, res, side[back], &bleed, &trim);
		}
		fz_always(ctx) {
			pdf_drop_obj(ctx, res);
			marks_drop(&m);
		}
		fz_catch(ctx)
			fz_rethrow(ctx);
	}
	j->sheets++;
}

/* piece idx (of the part) into tile pos of both sides; -1 with *err */
static int place_piece(struct pf_job *j, const struct impose_grid *g, unsigned pos, size_t idx,
		       fz_buffer *const side[2], pdf_obj *const xobjs[2], struct api_error *err)
{
	fz_context *ctx = j->ctx;
	struct pf_piece pp;
	if (pf_piece_open(j, json_array_get(j->pieces, j->first + idx), &pp, err) < 0)
		return -1;
	pdf_graft_map *map = NULL;
	pdf_obj *form = NULL;
	int rc = 0;
	fz_var(map);
	fz_var(form);
	fz_var(rc);
	fz_try(ctx) {
		map = pdf_new_graft_map(ctx, j->out);
		for (int back = 0; back < 2 && rc == 0; back++) {
			form = page_form(j, map, pp.doc, back, err);
			if (!form) {
				rc = -1;
				break;
			}
			char name[24];
			snprintf(name, sizeof name, "P%u", pos);
			pdf_dict_puts_drop(ctx, xobjs[back], name, form);
			form = NULL;
			draw_tile(j, g, side[back], name, impose_tile(g, pos, back, j->duplex),
			          back);
		}
	}
	fz_always(ctx)
		pdf_drop_graft_map(ctx, map);
	fz_catch(ctx) {
		pdf_drop_obj(ctx, form);
		rc = pf_fail(j, err, fz_caught(ctx) == FZ_ERROR_MEMORY ? ERR_INTERNAL
								       : ERR_INVALID_FILE,
			     "its pages could not be imposed: %s", fz_caught_message(ctx));
	}
	pf_piece_close(j, &pp);
	return rc;
}

/* the pieces of sheet s into side[] and xobjs[]; -1 with *err */
static int fill_sheet(struct pf_job *j, const struct impose_grid *g, unsigned s,
		      fz_buffer *const side[2], pdf_obj *const xobjs[2], struct api_error *err)
{
	for (unsigned pos = 0; pos < impose_per_sheet(g); pos++) {
		long idx = impose_piece_at(g, (unsigned)j->count, s, pos);
		if (idx >= 0 && place_piece(j, g, pos, (size_t)idx, side, xobjs, err) < 0)
			return -1;
	}
	j->piece_id = NULL;
	return 0;
}

int pf_write_imposed(struct pf_job *j, const struct impose_grid *g, struct api_error *err)
{
	fz_context *ctx = j->ctx;
	unsigned n_sheets = impose_sheets(g, (unsigned)j->count);
	for (unsigned s = 0; s < n_sheets; s++) {
		fz_buffer *side[2] = { NULL, NULL };
		pdf_obj *xobjs[2] = { NULL, NULL };
		int rc = 0;
		fz_var(rc);
		fz_var(side);
		fz_var(xobjs);
		fz_try(ctx) {
			for (int b = 0; b < 2; b++) {
				side[b] = fz_new_buffer(ctx, 4096);
				xobjs[b] = pdf_new_dict(ctx, j->out, impose_per_sheet(g));
			}
			rc = fill_sheet(j, g, s, side, xobjs, err);
			if (rc == 0)
				finish_sheet(j, g, s, n_sheets, side, xobjs);
		}
		fz_always(ctx)
			for (int b = 0; b < 2; b++) {
				fz_drop_buffer(ctx, side[b]);
				pdf_drop_obj(ctx, xobjs[b]);
			}
		        fz_catch(ctx) rc = j->failed ? -1
		                                     : pf_fail(j, err, ERR_INTERNAL,
		                                               "sheet %u could not be written: %s",
		                                               s + 1, fz_caught_message(ctx));
		        if (rc < 0)
			        return -1;
	}
	return 0;
}
