// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The product table and the geometry derived from it. Numbers come from
 * Lob's OpenAPI spec, help pages and example templates (tests/fixtures/) unless a comment says
 * "Frank": those are choices made where Lob publishes nothing (docs/internals/stamping.md).
 */
#include "stamp/product.h"
#include <string.h>

/* Lob's letter template (lob/examples letters/8.5x11-letter.html): the white address box */
#define LETTER_BOX { 0.6, 0.84, 3.15, 2.0 }
/* the ink-free zone every postcard back and self-mailer outside keeps: 4 x 2.375 */
#define ZONE_H 2.375

static const struct product_size products[] = {
	{ PRODUCT_LETTER, "letter", "us_letter", 8.5, 11, 0, 1, 60, 0, true, LETTER_BOX, 0, 0,
	  "Lob letter template; #10 envelope from help.lob.com Letter envelopes" },
	{ PRODUCT_LETTER, "letter", "us_legal", 8.5, 14, 0, 1, 60, 0, true, LETTER_BOX, 0, 0,
	  "Frank: us_letter's block (Lob publishes no legal template)" },
	/* postcards: zone 0.275" from the right and 0.25" from the bottom of the artboard */
	{ PRODUCT_POSTCARD, "postcard", "4x6", 6, 4, 0.125, 2, 2, 1, false,
	  { 6.25 - 0.275 - 3.2835, 4.25 - 0.25 - ZONE_H, 3.2835, ZONE_H }, 0, 0,
	  "lob/examples postcards/4x6-back.html" },
	{ PRODUCT_POSTCARD, "postcard", "6x9", 9, 6, 0.125, 2, 2, 1, false,
	  { 9.25 - 0.275 - 4, 6.25 - 0.25 - ZONE_H, 4, ZONE_H }, 0, 0,
	  "lob/examples postcards/6x9-back.html" },
	{ PRODUCT_POSTCARD, "postcard", "6x11", 11, 6, 0.125, 2, 2, 1, false,
	  { 11.25 - 0.275 - 4, 6.25 - 0.25 - ZONE_H, 4, ZONE_H }, 0, 0,
	  "lob/examples postcards/6x11-back.html" },
	/* self-mailers: the outside (page 2); the templates nest the zone in the safe area at
	 * 0.25", so its offsets are 0.25" more than the CSS numbers */
	{ PRODUCT_SELF_MAILER, "self_mailer", "6x18_bifold", 18, 6, 0.125, 2, 2, 1, false,
	  { 0.25 + 4.975, 0.25 + 3.375, 4, ZONE_H }, 0, 0,
	  "lob/examples self_mailers/6x18_outside.html" },
	{ PRODUCT_SELF_MAILER, "self_mailer", "11x9_bifold", 9, 11, 0.125, 2, 2, 1, false,
	  { 0.25 + 4.75, 0.25 + 3.6, 4, ZONE_H }, 0, 0,
	  "lob/examples self_mailers/11x9_outside.html" },
	{ PRODUCT_SELF_MAILER, "self_mailer", "12x9_bifold", 9, 12, 0.125, 2, 2, 1, false,
	  { 0.25 + 4.75, 0.25 + 3.6, 4, ZONE_H }, 0, 0,
	  "lob/examples self_mailers/12x9_outside.html" },
	/* Frank: 9 wide x 17.75 tall (it "unfolds vertically", as 11x9 and 12x9 do), panels
	 * 6 / 6 / 5.75 from the top; the zone on the middle (mailing) panel, right-aligned as
	 * on the bifolds, 0.25" above the fold */
	{ PRODUCT_SELF_MAILER, "self_mailer", "17.75x9_trifold", 9, 17.75, 0.125, 2, 2, 1, false,
	  { 0.25 + 4.75, 0.125 + 12 - 0.25 - ZONE_H, 4, ZONE_H }, 0, 0,
	  "Frank (Lob publishes no 17.75x9 template)" },
	/* Frank: the check face fills the top 3.5" of the page; its payee and drawer sit where
	 * the letter block's recipient and return address do */
	{ PRODUCT_CHECK, "check", "8.5x11", 8.5, 11, 0, 0, 6, 0, true, LETTER_BOX, 0, 0,
	  "Frank (Lob publishes no check layout)" },
	/* Frank: Lob's address template is for the inside; the letter block goes there. The
	 * outside is 6"x18" as the API text says */
	{ PRODUCT_SNAP_PACK, "snap_pack", "8.5x11", 8.5, 11, 0, 2, 2, 0, true, LETTER_BOX, 18, 6,
	  "Frank (8.5x11_Snappack_template_address.pdf not read)" },
	/* Frank: bleed as the postcards have it; the zone on the back cover (last page), placed
	 * as on a postcard */
	{ PRODUCT_BOOKLET, "booklet", "8.375x5.375", 8.375, 5.375, 0.125, 8, 32, -1, false,
	  { 8.625 - 0.275 - 4, 5.625 - 0.25 - ZONE_H, 4, ZONE_H }, 0, 0,
	  "Frank (Lob publishes no booklet template)" },
};

#define N_PRODUCTS (sizeof(products) / sizeof(products[0]))

/*
 * Envelopes (help.lob.com "Letter envelopes"; faces 9.5 x 4.125 and 9 x 12; windows given
 * there from the left and bottom, converted to from the top here). The play of the sheet
 * is Frank's model (docs/internals/stamping.md): a tri-folded panel is 11/3" tall in a
 * 4.125" face, so it can sit 0 to 0.458" below the top; Lob's template windows sit 0.375"
 * (return) to 0.425" (recipient) above the envelope's, so Frank takes dy in 0.375..0.458,
 * and a quarter inch of sideways play. A flat sheet moves freely in the 9 x 12.
 */
static const struct envelope envelopes[] = {
	{ ENVELOPE_DOUBLE_WINDOW_10, "#10 double window", 9.5, 4.125,
	  { 0.625, 4.125 - 1 - 1, 4, 1 }, { 0.625, 4.125 - 2.375 - 0.875, 3.25, 0.875 }, 6,
	  LETTER_PANEL_H, 0, 0.25, 0.375, 4.125 - LETTER_PANEL_H },
	{ ENVELOPE_CERTIFIED_10, "#10 certified, single large window", 9.5, 4.125,
	  { 0.75, 0.5625, 8, 3 }, { 0, 0, 0, 0 }, 6,
	  LETTER_PANEL_H, 0, 0.25, 0.375, 4.125 - LETTER_PANEL_H },
	{ ENVELOPE_FLAT_9X12, "9x12 flat, single window", 9, 12,
	  { 0.5, 0.625, 4, 3.375 }, { 0, 0, 0, 0 }, 60,
	  11, 0, 0.5, 0, 1 },
};

const struct product_size *product_at(unsigned i)
{
	return i < N_PRODUCTS ? &products[i] : NULL;
}

const struct product_size *product_lookup(const char *product, const char *size)
{
	if (!product)
		return NULL;
	for (size_t i = 0; i < N_PRODUCTS; i++) {
		if (strcmp(products[i].product, product) != 0)
			continue;
		/* the first row of a product is its default size */
		if (!size || !*size || strcmp(products[i].size, size) == 0)
			return &products[i];
	}
	return NULL;
}

double product_artboard_w(const struct product_size *p)
{
	return p->trim_w + 2 * p->bleed;
}

double product_artboard_h(const struct product_size *p)
{
	return p->trim_h + 2 * p->bleed;
}

void product_page_limits(const struct product_size *p, bool double_sided, bool international,
			 unsigned *min_pages, unsigned *max_pages)
{
	*min_pages = p->min_pages;
	*max_pages = p->max_pages;
	if (p->kind == PRODUCT_LETTER) {
		unsigned sheets = international ? 6 : 60;
		*max_pages = double_sided ? 2 * sheets : sheets;
	}
}

int product_check_pages(const struct product_size *p, unsigned pages, bool double_sided,
			bool international, struct api_error *err)
{
	unsigned lo, hi;
	product_page_limits(p, double_sided, international, &lo, &hi);
	if (pages < lo)
		return api_fail(err, ERR_FILE_PAGES_BELOW_MIN,
				"a %s needs at least %u pages (found %u)", p->product, lo, pages);
	if (pages > hi)
		return api_fail(err, ERR_FILE_PAGES_EXCEED_MAX,
				"a %s may have at most %u pages (found %u)", p->product, hi, pages);
	if (mail_product_of(p->kind)->format == MAIL_FORMAT_BOOKLET && pages % 4 != 0)
		return api_fail(err, ERR_INVALID,
				"a booklet has a multiple of 4 pages (found %u)", pages);
	return 0;
}

unsigned product_sheets(unsigned pages, bool double_sided)
{
	return double_sided ? pages / 2 + pages % 2 : pages;
}

const struct envelope *envelope_get(enum envelope_kind kind)
{
	for (size_t i = 0; i < sizeof(envelopes) / sizeof(envelopes[0]); i++)
		if (envelopes[i].kind == kind)
			return &envelopes[i];
	return NULL;
}

const struct envelope *product_envelope(const struct product_size *p, unsigned sheets,
					bool certified)
{
	if (mail_product_of(p->kind)->format != MAIL_FORMAT_ENVELOPE)
		return NULL;
	if (sheets > envelope_get(ENVELOPE_DOUBLE_WINDOW_10)->max_sheets)
		return envelope_get(ENVELOPE_FLAT_9X12);
	return envelope_get(certified ? ENVELOPE_CERTIFIED_10 : ENVELOPE_DOUBLE_WINDOW_10);
}

static struct rect_in moved(struct rect_in r, double dx, double dy)
{
	r.x += dx;
	r.y += dy;
	return r;
}

/*
 * The letter block (Lob's template, page coordinates): return address where Lob prints it
 * (0.07" / 0.34" inside the return window), the IMb 0.125" right of the recipient window's
 * edge and just below its top, the recipient under it. Each piece stays inside the part of
 * the windows that shows for every position of the sheet (envelopes[] above).
 */
static void window_block(struct address_layout *out, double dx, double dy)
{
	static const struct address_layout top = {
		.white = LETTER_BOX,
		.from = { 0.695, 0.86, 2.8, 0.40 },
		.imb = { 0.75, 1.79, IMB_WIDTH_IN, IMB_FULL_H_IN },
		.to = { 0.72, 1.98, 3.0, 0.66 },
	};
	out->white = moved(top.white, dx, dy);
	out->from = moved(top.from, dx, dy);
	out->imb = moved(top.imb, dx, dy);
	out->to = moved(top.to, dx, dy);
	out->postage = (struct rect_in){ 0, 0, 0, 0 };
}

/* Frank's arrangement inside an ink-free zone: what a postcard's address side looks like */
static void zone_block(const struct rect_in *z, struct address_layout *out)
{
	out->white = *z;
	out->postage = (struct rect_in){ z->x + z->w - 1.1, z->y + 0.1, 1.0, 0.75 };
	out->from = (struct rect_in){ z->x + 0.15, z->y + 0.15, z->w - 1.1 - 0.25, 0.6 };
	out->imb = (struct rect_in){ z->x + 0.25, z->y + 1.0, IMB_WIDTH_IN, IMB_FULL_H_IN };
	double to_y = out->imb.y + IMB_FULL_H_IN + 0.06;
	out->to = (struct rect_in){ z->x + 0.25, to_y, z->w - 0.4, z->y + z->h - 0.15 - to_y };
}

int product_address_layout(const struct product_size *p, const char *placement,
			   struct address_layout *out, struct api_error *err)
{
	if (!p->window_block) {
		zone_block(&p->zone, out);
		return 0;
	}
	if (!placement || !*placement || strcmp(placement, "top_first_page") == 0 ||
	    strcmp(placement, "insert_blank_page") == 0)
		window_block(out, 0, 0);
	else if (strcmp(placement, "bottom_first_page") == 0)
		window_block(out, 0, 2 * LETTER_PANEL_H);
	else if (strcmp(placement, "bottom_first_page_center") == 0)
		window_block(out, (p->trim_w - 3.15) / 2 - 0.6, 2 * LETTER_PANEL_H);
	else
		return api_fail(err, ERR_INVALID,
				"address_placement must be top_first_page, insert_blank_page, "
				"bottom_first_page or bottom_first_page_center");
	return 0;
}

void product_certified_layout(enum envelope_kind env, struct certified_layout *out)
{
	/* #10 certified: the letter block moved 0.15" right, clear of the large window's
	 * left edge (0.75"), and the barcode block to its right, as PS Form 3800 asks:
	 * "above the address and to the right of the return address" */
	static const struct certified_layout no10 = {
		.from = { 0.85, 0.86, 2.7, 0.40 },
		.imb = { 0.9, 1.79, IMB_WIDTH_IN, IMB_FULL_H_IN },
		.to = { 0.85, 1.98, 3.0, 0.66 },
		.banner = { 4.5, 0.45, 3.8, 1.6 },
		.x_dim = 0.015, .bar_h = 0.75,
	};
	/* flat: everything stacked in what the 4 x 3.375 window always shows of the sheet
	 * (0.5-4.0" across, 0.625-3.0" down) */
	static const struct certified_layout flat = {
		.from = { 0.6, 0.7, 3.3, 0.42 },
		.imb = { 0.7, 2.12, IMB_WIDTH_IN, IMB_FULL_H_IN },
		.to = { 0.6, 2.30, 3.3, 0.66 },
		.banner = { 0.5, 1.14, 3.5, 0.95 },
		.x_dim = 0.013, .bar_h = 0.45,
	};
	*out = env == ENVELOPE_FLAT_9X12 ? flat : no10;
}
