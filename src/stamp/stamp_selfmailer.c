// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Self-mailers (inside, outside: the outside's ink-free zone), booklets (the zone on the back
 * cover, the last page) and snap packs (inside, outside: the letter's window block on the
 * inside, where Lob's address template puts it).
 */
#include "stamp/stamp_internal.h"

int stamp_self_mailer(struct stamp_job *j, struct api_error *err)
{
	int pages = pdf_count_pages(j->ctx, j->doc);
	if (product_check_pages(j->p, (unsigned)pages, true, false, err) < 0)
		return -1;
	if (stamp_qr_pages(j, 0, pages, err) < 0)
		return -1;
	int index = j->p->address_page < 0 ? pages - 1 : j->p->address_page;
	return stamp_block_on(j, index, NULL, err);
}

int stamp_snap_pack(struct stamp_job *j, struct api_error *err)
{
	int pages = pdf_count_pages(j->ctx, j->doc);
	if (product_check_pages(j->p, (unsigned)pages, true, false, err) < 0)
		return -1;
	/* Lob offers no QR codes on snap packs */
	return stamp_block_on(j, j->p->address_page, "top_first_page", err);
}
