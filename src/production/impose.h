// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * n-up imposition of postcards and self-mailers on a press sheet: the geometry only (pure
 * arithmetic, no MuPDF); impose_sheet.c draws it.
 *
 * Units are inches, rectangles measured from the sheet's top-left corner, y down. A tile is
 * one piece's artboard: its trim plus the bleed on every side. Tiles are butted (bleed to
 * bleed, so one piece's bleed ends where the next begins and every trim edge gets its own
 * cut). Around the block of tiles a margin of IMPOSE_MARGIN_IN holds the crop marks: short
 * lines on the extension of every trim line, starting IMPOSE_MARK_GAP_IN outside the bleed.
 * A band of IMPOSE_SLUG_IN on one side (below the block, or left of it when that fits more
 * tiles) holds the slug line.
 *
 * Duplex: sheet 2k+1 of the file is the back of sheet 2k. The lot chooses the convention
 * ("duplex": "work_and_turn", the default, or "work_and_tumble"):
 *  - work-and-turn: the pile is turned over side to side (same gripper edge), so a front at
 *    (x, y) has its back at (sheet_w - x - w, y): columns mirrored left-right;
 *  - work-and-tumble: turned head over heels, so the back is at (x, sheet_h - y - h), rows
 *    mirrored top-bottom.
 * Front and back of a piece read head to head (the card turns over about its own vertical
 * axis, as Lob's postcards do): a tumble gives that for upright tiles and a turn for tiles
 * rotated 90 degrees; in the other two cases the back is drawn turned 180 degrees.
 *
 * Order (cut and stack): with k tiles per sheet and S sheets, position p of sheet s holds
 * piece p*S + s. After the guillotine cut, stack 0 on top of stack 1 … keeps the lot's
 * order (ZIP order for presort). Positions count row by row from the top-left of the front.
 */
#ifndef FRANK_PRODUCTION_IMPOSE_H
#define FRANK_PRODUCTION_IMPOSE_H
#include <stdbool.h>
#include "stamp/product.h"

#define IMPOSE_MARK_GAP_IN 0.0625	/* crop marks start this far outside the bleed */
#define IMPOSE_MARK_LEN_IN 0.1875
#define IMPOSE_MARGIN_IN   0.25 /* gap + mark: 8 4x6 cards fit 13 x 19 (production.md 2.3) */
#define IMPOSE_SLUG_IN 0.25		/* the slug line's band */

enum impose_duplex { IMPOSE_WORK_AND_TURN, IMPOSE_WORK_AND_TUMBLE };
enum impose_slug { IMPOSE_SLUG_BOTTOM, IMPOSE_SLUG_LEFT };

struct impose_grid {
	double sheet_w, sheet_h;
	double art_w, art_h;		/* the piece's artboard as the product defines it */
	double bleed;
	bool rotated;			/* artboards turned 90 degrees on the sheet */
	double tile_w, tile_h;		/* a tile as placed (art_h x art_w when rotated) */
	unsigned cols, rows;
	struct rect_in block;		/* the tiles together: the sheet's BleedBox */
	enum impose_slug slug;
};

/* the grid that holds the most tiles (either orientation, slug below or left); ties keep
 * the artboard upright and the slug below. -1 when not even one tile fits. */
int impose_fit(double sheet_w, double sheet_h, double art_w, double art_h, double bleed,
	       struct impose_grid *g);

static inline unsigned impose_per_sheet(const struct impose_grid *g)
{
	return g->cols * g->rows;
}

/* the smallest sheet (w x h, portrait) that holds one tile with its marks and slug */
void impose_min_sheet(double art_w, double art_h, double bleed, double *w, double *h);

/* tile pos (0 .. per_sheet-1) on the front, or on the back under convention d */
struct rect_in impose_tile(const struct impose_grid *g, unsigned pos, bool back,
			   enum impose_duplex d);

/* a rectangle of the front as it lands on the back under convention d */
struct rect_in impose_mirror(const struct impose_grid *g, struct rect_in r, bool back,
			     enum impose_duplex d);

/* the slug band of the front (mirror it for the back) */
struct rect_in impose_slug_band(const struct impose_grid *g);

/* press sheets for n pieces, and which piece (0-based) sits at position pos of sheet s
 * (cut and stack), -1 for an empty position of the last sheets */
unsigned impose_sheets(const struct impose_grid *g, unsigned n);
long impose_piece_at(const struct impose_grid *g, unsigned n, unsigned sheet, unsigned pos);
#endif
