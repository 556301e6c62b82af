// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Mail products and their geometry, in one table: trim and artboard sizes, page-count rules,
 * the envelope a piece goes in, and where the address, the return address, the Intelligent
 * Mail barcode and the postage go. Looked up by Lob's enum strings ("letter" + "us_letter",
 * "postcard" + "4x6", ...). Sources and Frank's own choices: docs/internals/stamping.md.
 *
 * Coordinates are inches from the top-left corner of the artboard (the page as the customer
 * supplies it, trim plus bleed) with y growing downwards, as Lob's templates measure them.
 * Everything here is static data: no allocation, any thread.
 */
#ifndef FRANK_STAMP_PRODUCT_H
#define FRANK_STAMP_PRODUCT_H
#include <stdbool.h>
#include "core/err.h"
#include "core/mail_product.h"	/* enum product_kind: the product table's rows */

enum envelope_kind {
	ENVELOPE_NONE,			/* the piece mails itself (postcards, self-mailers, ...) */
	ENVELOPE_DOUBLE_WINDOW_10,	/* #10 double window, sheets tri-folded */
	ENVELOPE_CERTIFIED_10,		/* #10 with one large window, for certified mail */
	ENVELOPE_FLAT_9X12,		/* 9x12 flat, one window, sheets unfolded */
};

struct rect_in {
	double x, y, w, h;
};

/*
 * An envelope face and how a sheet sits behind it. A point (x, y) of the sheet's visible
 * panel lands on the face at (x + dx, y - panel_top + dy) for some dx in [dx_min, dx_max]
 * and dy in [dy_min, dy_max]: the play of the folded sheet inside the envelope.
 */
struct envelope {
	enum envelope_kind kind;
	const char *name;
	double w, h;			/* the face */
	struct rect_in recipient_window;	/* on the face; the only window of single-window ones */
	struct rect_in return_window;	/* w == 0: none (the return address shares the window) */
	unsigned max_sheets;
	double panel_h;			/* height of the folded panel facing the windows */
	double dx_min, dx_max, dy_min, dy_max;
};

/* where the address block goes on its page (artboard coordinates) */
struct address_layout {
	struct rect_in white;		/* filled white first: nothing of the artwork shows */
	struct rect_in from;		/* return address lines */
	struct rect_in imb;		/* the 65 bars: top-left and extent */
	struct rect_in to;		/* recipient lines */
	struct rect_in postage;		/* kept empty for the postage indicia; w == 0: none */
};

struct product_size {
	enum product_kind kind;
	const char *product;		/* Lob's object: "letter", "postcard", ... */
	const char *size;		/* Lob's size enum ("us_letter", "4x6", ...) */
	double trim_w, trim_h;		/* the finished piece */
	double bleed;			/* per side: artboard = trim + 2 * bleed */
	unsigned min_pages, max_pages;	/* letters: domestic single-sided; see product_page_limits */
	int address_page;		/* 0-based page of the customer's PDF; -1: the last page */
	bool window_block;		/* letter-style block behind #10 windows, else an ink-free zone */
	struct rect_in zone;		/* the white box / ink-free zone */
	double second_w, second_h;	/* snap packs: the outside's page (0: like the first) */
	const char *source;		/* where the geometry comes from */
};

/* IMb print geometry (USPS-B-3200 ranges: 20-24 bars/inch, bars 0.015-0.025" wide, full bar
 * 0.125-0.165", tracker 0.039-0.057"): Frank prints nominal sizes at 23 bars per inch */
#define IMB_PITCH_IN (1.0 / 23.0)
#define IMB_BAR_W_IN 0.020
#define IMB_FULL_H_IN 0.145
#define IMB_TRACKER_H_IN 0.048
#define IMB_WIDTH_IN (64 * IMB_PITCH_IN + IMB_BAR_W_IN)
#define IMB_CLEAR_X_IN 0.125		/* clear zone left and right of the bars */
#define IMB_CLEAR_Y_IN 0.028		/* clear zone above and below */

/* a tri-folded 11" sheet: the panel height, and the offset of the bottom panel */
#define LETTER_PANEL_H (11.0 / 3.0)

/* the product and size for Lob's strings; size NULL or "" is the product's default size.
 * NULL if unknown. Static storage. */
const struct product_size *product_lookup(const char *product, const char *size);

/* the n-th row of the table (NULL past the end): for tests and listings */
const struct product_size *product_at(unsigned i);

/* the artboard: trim plus bleed on each side */
double product_artboard_w(const struct product_size *p);
double product_artboard_h(const struct product_size *p);

/*
 * Page limits of the customer's file: letters 1-60 pages single-sided / 120 double-sided
 * domestic, 6 / 12 international (us_legal the same, Lob publishes nothing else); postcards,
 * self-mailers and snap packs 2 (front/back, inside/outside); booklets 8-32; checks 0-6
 * pages of attachment. Pages Frank adds (blank address page, certified cover) don't count.
 */
void product_page_limits(const struct product_size *p, bool double_sided, bool international,
			 unsigned *min_pages, unsigned *max_pages);

/* 0, or -1 with ERR_FILE_PAGES_BELOW_MIN / ERR_FILE_PAGES_EXCEED_MAX (booklets: not a
 * multiple of 4 is ERR_INVALID) and a message naming the limit */
int product_check_pages(const struct product_size *p, unsigned pages, bool double_sided,
			bool international, struct api_error *err);

/* sheets of paper for pages printed on one or both sides */
unsigned product_sheets(unsigned pages, bool double_sided);

/*
 * The envelope of a letter or check of this many sheets (Frank's added pages included):
 * up to 6 in a #10 (certified: the certified #10), more in the 9x12 flat. NULL for
 * products that mail without an envelope.
 */
const struct envelope *product_envelope(const struct product_size *p, unsigned sheets,
					bool certified);

/* an envelope by kind (NULL for ENVELOPE_NONE) */
const struct envelope *envelope_get(enum envelope_kind kind);

/*
 * The address block of a product. Window-block products (letters, checks, snap packs): the
 * block of Lob's letter template, placed for address_placement ("top_first_page",
 * "insert_blank_page", "bottom_first_page", "bottom_first_page_center"; NULL = top) —
 * bottom placements move it to the bottom third (folded outwards), _center centres it.
 * Ink-free-zone products: return address top-left, postage top-right, IMb and recipient
 * below, inside the zone. 0, or -1 with ERR_INVALID for an unknown placement.
 */
int product_address_layout(const struct product_size *p, const char *placement,
			   struct address_layout *out, struct api_error *err);

/* the recipient block of a certified cover sheet and where its barcode block goes */
struct certified_layout {
	struct rect_in from, imb, to;
	struct rect_in banner;		/* "USPS CERTIFIED MAIL", rules, barcode and number */
	double x_dim;			/* GS1-128 module width, inches */
	double bar_h;			/* GS1-128 bar height, inches */
};

/* for a #10 certified envelope or (more than 6 sheets) the flat one */
void product_certified_layout(enum envelope_kind env, struct certified_layout *out);
#endif
