// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The MICR line of a US check in E-13B (ANSI X9.100-160 / ISO 1004 layout): fields placed by
 * position counted from the check's right edge, glyphs drawn as vector cells on the
 * standard's 0.013" grid, 8 characters per inch. Debian has no MICR font, so the 14 glyphs
 * are Frank's own outlines on that grid (docs/internals/stamping.md): a faithful-looking
 * proof, not a certified MICR font — a bank's press prints the real line in magnetic ink.
 *
 * Characters: '0'-'9', 'A' transit, 'B' amount, 'C' on-us, 'D' dash (the common MICR font
 * mapping), ' ' an empty position. Pure functions, any thread.
 */
#ifndef FRANK_STAMP_MICR_H
#define FRANK_STAMP_MICR_H
#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"

struct canvas;

#define MICR_POSITIONS 65	/* the whole line, 8.125" */
#define MICR_PITCH_IN 0.125	/* 8 characters per inch */
#define MICR_GRID_IN 0.013
#define MICR_COLS 7		/* glyph cells: 0.091" wide at most */
#define MICR_ROWS 9		/* 0.117" tall */
#define MICR_RIGHT_IN 0.3125	/* position 1 ends 5/16" from the right edge */
#define MICR_BOTTOM_IN 0.1875	/* glyph bottoms 3/16" above the bottom edge */
#define MICR_CLEAR_BAND_IN 0.625	/* the bottom 5/8" of the check carries only the line */

/* the glyph of c: MICR_ROWS rows from the top, bit (MICR_COLS - 1 - col) set for an inked
 * cell; NULL for a character E-13B does not have */
const uint8_t *micr_glyph(char c);

/* an ABA routing number: 9 digits whose 3-7-1 weighted sum is a multiple of 10 */
bool micr_routing_valid(const char *routing);

/*
 * The line of a business check, right to left: amount field (positions 1-12) left empty for
 * the bank of first deposit; on-us field: account number ending at 15, on-us symbol at 14;
 * transit field 33-43: transit, 9-digit routing, transit; position 44 empty; auxiliary on-us
 * from 45: on-us, check number, on-us. line[i] is position i + 1, NUL-terminated after
 * MICR_POSITIONS characters. account: 1-17 digits or '-' (printed as the dash symbol);
 * check_number 1..999,999,999. 0, or -1 with ERR_INVALID naming the bad field.
 */
int micr_check_line(const char *routing, const char *account, uint32_t check_number,
		    char line[MICR_POSITIONS + 1], struct api_error *err);

/* draws line with position 1 ending MICR_RIGHT_IN left of right_edge_in and glyph bottoms
 * at bottom_in (inches from the canvas's top), plus the characters as hidden text */
void micr_draw(struct canvas *c, const char *line, double right_edge_in, double bottom_in);
#endif
