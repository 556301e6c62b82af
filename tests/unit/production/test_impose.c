// SPDX-License-Identifier: AGPL-3.0-or-later
/* n-up geometry: grids for Lob's card sizes on the usual press sheets, mirrored backs, and
 * cut-and-stack order. */
#include "production/impose.h"
#include "test.h"
#include <math.h>

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

static unsigned per(double sw, double sh, double aw, double ah)
{
	struct impose_grid g;
	return impose_fit(sw, sh, aw, ah, 0.125, &g) < 0 ? 0 : impose_per_sheet(&g);
}

int main(void)
{
	/* production.md 2.3: 4x6 (6.25 x 4.25 with bleed) is 4-up on 12x18, 8-up on 13x19 */
	CHECK_INT(per(12, 18, 6.25, 4.25), 4, "4x6 on 12x18: 4-up");
	CHECK_INT(per(13, 19, 6.25, 4.25), 8, "4x6 on 13x19: 8-up");
	CHECK_INT(per(12, 18, 9.25, 6.25), 2, "6x9 on 12x18: 2-up");
	CHECK_INT(per(12, 18, 11.25, 6.25), 2, "6x11 on 12x18: 2-up");
	CHECK_INT(per(12, 18, 18.25, 6.25), 0, "6x18 self-mailer does not fit 12x18");
	CHECK_INT(per(13, 19, 18.25, 6.25), 2, "6x18 self-mailer on 13x19: 2-up (turned)");
	CHECK_INT(per(12, 18, 9.25, 12.25), 1, "12x9 self-mailer on 12x18: 1-up");

	struct impose_grid g;
	CHECK(impose_fit(12, 18, 6.25, 4.25, 0.125, &g) == 0, "4x6 grid");
	CHECK(!g.rotated && g.cols == 1 && g.rows == 4, "upright 1 x 4 (ties keep upright)");
	CHECK(g.slug == IMPOSE_SLUG_BOTTOM, "slug below the block");
	CHECK(near(g.block.x, (12 - 6.25) / 2) && near(g.block.y, (18 - 0.25 - 17) / 2),
	      "block centred above the slug band");
	/* every tile inside the sheet with room for the marks */
	bool inside = true;
	for (unsigned p = 0; p < 4; p++) {
		struct rect_in t = impose_tile(&g, p, false, IMPOSE_WORK_AND_TURN);
		inside = inside && t.x >= IMPOSE_MARGIN_IN && t.y >= IMPOSE_MARGIN_IN &&
			 t.x + t.w <= 12 - IMPOSE_MARGIN_IN && t.y + t.h <= 18 - IMPOSE_MARGIN_IN;
	}
	CHECK(inside, "tiles keep the crop-mark margin");

	CHECK(impose_fit(13, 19, 6.25, 4.25, 0.125, &g) == 0 && g.cols == 2 && g.rows == 4,
	      "13x19: 2 columns x 4 rows");
	struct rect_in f = impose_tile(&g, 0, false, IMPOSE_WORK_AND_TURN);
	struct rect_in b = impose_tile(&g, 0, true, IMPOSE_WORK_AND_TURN);
	CHECK(near(b.x, 13 - f.x - f.w) && near(b.y, f.y),
	      "work-and-turn: back mirrored left-right");
	b = impose_tile(&g, 0, true, IMPOSE_WORK_AND_TUMBLE);
	CHECK(near(b.y, 19 - f.y - f.h) && near(b.x, f.x),
	      "work-and-tumble: back mirrored top-bottom");
	struct rect_in t1 = impose_tile(&g, 1, false, IMPOSE_WORK_AND_TURN);
	CHECK(near(t1.x, f.x + 6.25) && near(t1.y, f.y), "position 1 is right of position 0");

	/* cut and stack: 10 pieces on 8-up sheets -> 2 sheets; stack p holds pieces 2p, 2p+1 */
	CHECK_INT(impose_sheets(&g, 10), 2, "10 pieces: 2 sheets");
	CHECK_INT(impose_piece_at(&g, 10, 0, 0), 0, "sheet 1 position 0: piece 0");
	CHECK_INT(impose_piece_at(&g, 10, 1, 0), 1, "sheet 2 position 0: piece 1");
	CHECK_INT(impose_piece_at(&g, 10, 0, 1), 2, "sheet 1 position 1: piece 2");
	CHECK_INT(impose_piece_at(&g, 10, 1, 4), 9, "sheet 2 position 4: piece 9");
	CHECK_INT(impose_piece_at(&g, 10, 0, 5), -1, "past the last piece: empty");

	double mw, mh;
	impose_min_sheet(18.25, 6.25, 0.125, &mw, &mh);
	CHECK(per(mw, mh, 18.25, 6.25) >= 1, "the minimum sheet named in errors holds one tile");
	return test_done();
}
