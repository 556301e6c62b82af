// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postcards: the back (page 2) carries the ink-free zone — return address top-left, postage
 * top-right (left empty for the indicia), the IMb and the recipient below. The zone stamper
 * here is shared by the other self-mailing products.
 */
#include "stamp/stamp_internal.h"

int stamp_block_on(struct stamp_job *j, int index, const char *placement,
		   struct api_error *err)
{
	struct address_layout layout;
	if (product_address_layout(j->p, placement, &layout, err) < 0)
		return -1;
	struct canvas *c = stamp_canvas(j);
	stamp_draw_block(c, &layout, j->rq);
	j->res->address_page = (unsigned)index;
	j->res->layout = layout;
	return stamp_page(j->ctx, j->doc, index, j->p, c, err);
}

int stamp_postcard(struct stamp_job *j, struct api_error *err)
{
	int pages = pdf_count_pages(j->ctx, j->doc);
	if (product_check_pages(j->p, (unsigned)pages, true, false, err) < 0)
		return -1;
	/* QR codes first: the zone is drawn over anything they cover */
	if (stamp_qr_pages(j, 0, pages, err) < 0)
		return -1;
	return stamp_block_on(j, j->p->address_page, NULL, err);
}
