// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Letters: the address block on the first page (or an added one, or the bottom third), the
 * envelope by sheet count, the certified cover sheet, QR codes.
 */
#include "stamp/stamp_internal.h"
#include <string.h>

static bool is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

int stamp_letter(struct stamp_job *j, struct api_error *err)
{
	const struct stamp_request *rq = j->rq;
	struct stamp_result *res = j->res;
	fz_context *ctx = j->ctx;
	int customer = pdf_count_pages(ctx, j->doc);
	if (product_check_pages(j->p, (unsigned)customer, rq->double_sided, rq->international,
				err) < 0)
		return -1;
	struct address_layout layout;
	if (product_address_layout(j->p, rq->address_placement, &layout, err) < 0)
		return -1;
	bool certified = rq->extra_service != NULL;
	if (certified && !is(rq->extra_service, "certified") &&
	    !is(rq->extra_service, "certified_return_receipt") &&
	    !is(rq->extra_service, "registered"))
		return api_fail(err, ERR_INVALID, "extra_service must be certified, "
				"certified_return_receipt or registered");
	unsigned sheet_pages = rq->double_sided ? 2 : 1;	/* one added sheet */
	bool bottom = rq->address_placement &&
		      strncmp(rq->address_placement, "bottom_first_page", 17) == 0;
	bool add_sheet = certified || is(rq->address_placement, "insert_blank_page");
	unsigned total = (unsigned)customer + (add_sheet ? sheet_pages : 0);
	res->sheets = product_sheets(total, rq->double_sided);
	res->envelope = product_envelope(j->p, res->sheets, certified);
	/* the flat envelope's window shows the top of the first sheet: a bottom block cannot
	 * be read there, so it goes on an added sheet at the top instead */
	if (!certified && bottom && res->envelope->kind == ENVELOPE_FLAT_9X12) {
		add_sheet = true;
		total += sheet_pages;
		res->sheets = product_sheets(total, rq->double_sided);
		if (product_address_layout(j->p, "top_first_page", &layout, err) < 0)
			return -1;
	}
	double w = product_artboard_w(j->p), h = product_artboard_h(j->p);
	if (add_sheet)
		for (unsigned i = 0; i < sheet_pages; i++)
			stamp_insert_blank(ctx, j->doc, 0, w, h);
	res->added_pages = add_sheet ? sheet_pages : 0;
	res->address_page = 0;
	/* QR codes first: the address block is drawn over anything they cover */
	if (stamp_qr_pages(j, (int)res->added_pages, customer, err) < 0)
		return -1;
	struct canvas *c = stamp_canvas(j);
	if (certified) {
		if (stamp_draw_cover(c, rq, res->envelope, err) < 0)
			return -1;
		struct certified_layout cl;
		product_certified_layout(res->envelope->kind, &cl);
		layout = (struct address_layout){ .from = cl.from, .imb = cl.imb, .to = cl.to };
	} else {
		stamp_draw_block(c, &layout, rq);
	}
	res->layout = layout;
	return stamp_page(ctx, j->doc, 0, j->p, c, err);
}
