// SPDX-License-Identifier: AGPL-3.0-or-later
/* n-up geometry: the grid, tile positions front and back, cut-and-stack order (impose.h). */
#include "production/impose.h"
#include <math.h>

#define EPS 1e-6	/* a tile that fits exactly fits */

static unsigned fits(double avail, double tile)
{
	if (avail + EPS < tile)
		return 0;
	return (unsigned)floor((avail + EPS) / tile);
}

int impose_fit(double sheet_w, double sheet_h, double art_w, double art_h, double bleed,
	       struct impose_grid *g)
{
	unsigned best = 0;
	for (int rot = 0; rot < 2; rot++)
		for (int s = 0; s < 2; s++) {
			double tw = rot ? art_h : art_w, th = rot ? art_w : art_h;
			double aw = sheet_w - 2 * IMPOSE_MARGIN_IN - (s ? IMPOSE_SLUG_IN : 0);
			double ah = sheet_h - 2 * IMPOSE_MARGIN_IN - (s ? 0 : IMPOSE_SLUG_IN);
			unsigned cols = fits(aw, tw), rows = fits(ah, th);
			if (cols * rows <= best)
				continue;
			best = cols * rows;
			*g = (struct impose_grid){
				.sheet_w = sheet_w, .sheet_h = sheet_h, .art_w = art_w,
				.art_h = art_h, .bleed = bleed, .rotated = rot, .tile_w = tw,
				.tile_h = th, .cols = cols, .rows = rows,
				.slug = s ? IMPOSE_SLUG_LEFT : IMPOSE_SLUG_BOTTOM,
			};
		}
	if (best == 0)
		return -1;
	/* the block centred in what the slug band leaves */
	double bw = g->cols * g->tile_w, bh = g->rows * g->tile_h;
	double left = g->slug == IMPOSE_SLUG_LEFT ? IMPOSE_SLUG_IN : 0;
	double below = g->slug == IMPOSE_SLUG_BOTTOM ? IMPOSE_SLUG_IN : 0;
	g->block = (struct rect_in){ left + (sheet_w - left - bw) / 2,
				     (sheet_h - below - bh) / 2, bw, bh };
	return 0;
}

void impose_min_sheet(double art_w, double art_h, double bleed, double *w, double *h)
{
	(void)bleed;	/* the artboard includes it */
	double lo = art_w < art_h ? art_w : art_h, hi = art_w < art_h ? art_h : art_w;
	/* upright portrait, the slug beside the narrow side */
	*w = lo + 2 * IMPOSE_MARGIN_IN + IMPOSE_SLUG_IN;
	*h = hi + 2 * IMPOSE_MARGIN_IN;
}

struct rect_in impose_mirror(const struct impose_grid *g, struct rect_in r, bool back,
			     enum impose_duplex d)
{
	if (!back)
		return r;
	if (d == IMPOSE_WORK_AND_TUMBLE)
		r.y = g->sheet_h - r.y - r.h;
	else
		r.x = g->sheet_w - r.x - r.w;
	return r;
}

struct rect_in impose_tile(const struct impose_grid *g, unsigned pos, bool back,
			   enum impose_duplex d)
{
	unsigned col = pos % g->cols, row = pos / g->cols;
	struct rect_in r = { g->block.x + col * g->tile_w, g->block.y + row * g->tile_h,
			     g->tile_w, g->tile_h };
	return impose_mirror(g, r, back, d);
}

struct rect_in impose_slug_band(const struct impose_grid *g)
{
	const struct rect_in *b = &g->block;
	if (g->slug == IMPOSE_SLUG_LEFT)
		return (struct rect_in){ b->x - IMPOSE_MARGIN_IN - IMPOSE_SLUG_IN, b->y,
					 IMPOSE_SLUG_IN, b->h };
	return (struct rect_in){ b->x, b->y + b->h + IMPOSE_MARGIN_IN, b->w, IMPOSE_SLUG_IN };
}

unsigned impose_sheets(const struct impose_grid *g, unsigned n)
{
	unsigned k = impose_per_sheet(g);
	return k ? (n + k - 1) / k : 0;
}

long impose_piece_at(const struct impose_grid *g, unsigned n, unsigned sheet, unsigned pos)
{
	unsigned long idx = (unsigned long)pos * impose_sheets(g, n) + sheet;
	return idx < n ? (long)idx : -1;
}
