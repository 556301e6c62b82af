// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The product table: lookups by Lob's strings, sizes against the reference, page rules,
 * envelope choice, and address layouts that stay inside their zones and windows.
 */
#include "stamp/product.h"
#include "test.h"
#include <math.h>

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6;
}

static int inside(struct rect_in in, struct rect_in out)
{
	return in.x >= out.x - 1e-9 && in.y >= out.y - 1e-9 && in.x + in.w <= out.x + out.w + 1e-9 &&
	       in.y + in.h <= out.y + out.h + 1e-9;
}

static void lookups(void)
{
	const struct product_size *p = product_lookup("letter", NULL);
	CHECK(p && p->kind == PRODUCT_LETTER && near(p->trim_w, 8.5) && near(p->trim_h, 11),
	      "letters default to us_letter 8.5x11");
	p = product_lookup("letter", "us_legal");
	CHECK(p && near(p->trim_h, 14), "us_legal is 8.5x14");
	p = product_lookup("postcard", NULL);
	CHECK(p && p->size && p->size[0] == '4', "postcards default to 4x6");
	CHECK(near(product_artboard_w(p), 6.25) && near(product_artboard_h(p), 4.25),
	      "a 4x6 artboard is 6.25x4.25 (1/8\" bleed)");
	p = product_lookup("postcard", "6x11");
	CHECK(p && near(product_artboard_w(p), 11.25) && near(product_artboard_h(p), 6.25),
	      "6x11: 11.25x6.25");
	p = product_lookup("self_mailer", "6x18_bifold");
	CHECK(p && near(product_artboard_w(p), 18.25) && near(p->zone.x, 5.225) &&
	      near(p->zone.y, 3.625), "6x18: 18.25x6.25, zone at 5.225/3.625 (template nesting)");
	p = product_lookup("self_mailer", "12x9_bifold");
	CHECK(p && near(product_artboard_h(p), 12.25) && near(p->zone.x, 5.0) && near(p->zone.y, 3.85),
	      "12x9: 9.25x12.25, zone at 5/3.85");
	CHECK(product_lookup("self_mailer", "17.75x9_trifold") != NULL, "17.75x9 is known");
	CHECK(product_lookup("booklet", "8.375x5.375") != NULL, "booklets");
	CHECK(product_lookup("snap_pack", NULL) != NULL, "snap packs");
	CHECK(product_lookup("check", NULL) != NULL, "checks");
	CHECK(product_lookup("postcard", "5x7") == NULL, "unknown sizes are NULL");
	CHECK(product_lookup("parcel", NULL) == NULL, "unknown products are NULL");
	CHECK(product_lookup(NULL, NULL) == NULL, "no product is NULL");
	p = product_lookup("postcard", "4x6");
	CHECK(near(p->zone.w, 3.2835) && near(p->zone.h, 2.375) &&
	      near(product_artboard_w(p) - p->zone.x - p->zone.w, 0.275) &&
	      near(product_artboard_h(p) - p->zone.y - p->zone.h, 0.25),
	      "4x6 ink-free zone: 3.2835x2.375, 0.275 from the right, 0.25 from the bottom");
}

static void pages(void)
{
	const struct product_size *l = product_lookup("letter", NULL);
	unsigned lo, hi;
	struct api_error err;
	product_page_limits(l, false, false, &lo, &hi);
	CHECK(lo == 1 && hi == 60, "letters: 60 pages single-sided");
	product_page_limits(l, true, false, &lo, &hi);
	CHECK(hi == 120, "120 double-sided");
	product_page_limits(l, false, true, &lo, &hi);
	CHECK(hi == 6, "6 international single-sided");
	product_page_limits(l, true, true, &lo, &hi);
	CHECK(hi == 12, "12 international double-sided");
	CHECK_INT(product_check_pages(l, 61, false, false, &err), -1, "61 pages are too many");
	CHECK_INT(err.kind, ERR_FILE_PAGES_EXCEED_MAX, "file_pages_exceed_max");
	CHECK_INT(product_check_pages(l, 0, false, false, &err), -1, "no pages is too few");
	CHECK_INT(err.kind, ERR_FILE_PAGES_BELOW_MIN, "file_pages_below_min");
	const struct product_size *pc = product_lookup("postcard", "6x9");
	CHECK_INT(product_check_pages(pc, 2, true, false, &err), 0, "a postcard has 2 pages");
	CHECK_INT(product_check_pages(pc, 3, true, false, &err), -1, "not 3");
	const struct product_size *b = product_lookup("booklet", NULL);
	CHECK_INT(product_check_pages(b, 12, true, false, &err), 0, "a 12-page booklet");
	CHECK_INT(product_check_pages(b, 10, true, false, &err), -1, "not 10 pages");
	CHECK_INT(product_check_pages(b, 36, true, false, &err), -1, "not 36 pages");
	CHECK_INT(product_check_pages(product_lookup("check", NULL), 7, true, false, &err), -1,
		  "a check's attachment has at most 6 pages");
	CHECK_INT(product_sheets(7, true), 4, "7 pages double-sided: 4 sheets");
	CHECK_INT(product_sheets(7, false), 7, "single-sided: 7");
}

static void envelopes(void)
{
	const struct product_size *l = product_lookup("letter", NULL);
	const struct envelope *e = product_envelope(l, 6, false);
	CHECK(e && e->kind == ENVELOPE_DOUBLE_WINDOW_10, "6 sheets: #10 double window");
	CHECK(near(e->recipient_window.y, 2.125) && near(e->return_window.y, 0.875),
	      "#10 windows 1\" and 2.375\" from the bottom of a 4.125\" face");
	e = product_envelope(l, 7, false);
	CHECK(e && e->kind == ENVELOPE_FLAT_9X12, "7 sheets: flat");
	e = product_envelope(l, 3, true);
	CHECK(e && e->kind == ENVELOPE_CERTIFIED_10, "certified: the certified #10");
	CHECK(product_envelope(l, 9, true)->kind == ENVELOPE_FLAT_9X12, "certified, 9 sheets: flat");
	CHECK(product_envelope(product_lookup("postcard", NULL), 1, false) == NULL,
	      "postcards have no envelope");
	CHECK(product_envelope(product_lookup("check", NULL), 2, false)->kind ==
	      ENVELOPE_DOUBLE_WINDOW_10, "checks go in the #10");
	CHECK(envelope_get(ENVELOPE_NONE) == NULL, "no envelope for NONE");
}

static void layouts(void)
{
	struct address_layout a;
	struct api_error err;
	const struct product_size *l = product_lookup("letter", NULL);
	CHECK_INT(product_address_layout(l, "top_first_page", &a, &err), 0, "top layout");
	CHECK(inside(a.from, a.white) && inside(a.imb, a.white) && inside(a.to, a.white),
	      "the block lies in Lob's white box");
	CHECK(near(a.white.x, 0.6) && near(a.white.y, 0.84) && near(a.white.w, 3.15) &&
	      near(a.white.h, 2.0), "the white box is Lob's 3.15x2 at 0.6/0.84");
	CHECK(a.imb.w >= 2.667 && a.imb.w <= 3.225, "the IMb is 2.667-3.225\" long (%.3f)", a.imb.w);
	struct address_layout b;
	CHECK_INT(product_address_layout(l, "bottom_first_page", &b, &err), 0, "bottom layout");
	CHECK(near(b.to.y - a.to.y, 22.0 / 3) && near(b.to.x, a.to.x), "bottom: one panel lower");
	CHECK_INT(product_address_layout(l, "bottom_first_page_center", &b, &err), 0, "center");
	CHECK(near(b.white.x + b.white.w / 2, 4.25), "center: the box centred on the page");
	CHECK_INT(product_address_layout(l, "middle", &b, &err), -1, "unknown placements fail");
	for (unsigned i = 0; product_at(i); i++) {
		const struct product_size *p = product_at(i);
		if (p->window_block)
			continue;
		CHECK_INT(product_address_layout(p, NULL, &a, &err), 0, "%s %s layout", p->product,
			  p->size);
		struct rect_in imb_clear = { a.imb.x - 0.125, a.imb.y - 0.028, a.imb.w + 0.25,
					     a.imb.h + 0.056 };
		CHECK(inside(a.from, p->zone) && inside(imb_clear, p->zone) && inside(a.to, p->zone) &&
		      inside(a.postage, p->zone), "%s %s: the block and the IMb's clear zone lie in "
		      "the ink-free zone", p->product, p->size);
		struct rect_in art = { 0, 0, product_artboard_w(p), product_artboard_h(p) };
		CHECK(inside(p->zone, art), "%s %s: the zone lies on the artboard", p->product, p->size);
		CHECK(a.from.y + a.from.h <= a.imb.y && a.imb.y + a.imb.h <= a.to.y &&
		      a.postage.y + a.postage.h <= a.imb.y, "%s %s: nothing overlaps", p->product, p->size);
	}
	struct certified_layout c;
	product_certified_layout(ENVELOPE_CERTIFIED_10, &c);
	CHECK(c.banner.x >= c.from.x + c.from.w, "#10 certified: the barcode right of the return address");
	product_certified_layout(ENVELOPE_FLAT_9X12, &c);
	CHECK(c.banner.y >= c.from.y + c.from.h && c.imb.y >= c.banner.y + c.banner.h,
	      "flat certified: stacked");
}

int main(void)
{
	lookups();
	pages();
	envelopes();
	layouts();
	return test_done();
}
