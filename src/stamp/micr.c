// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * E-13B glyphs on the 0.013" grid and the field layout of a check's MICR line. The glyph
 * cells are Frank's drawing of the E-13B shapes (tall, squared strokes, heavier lower
 * halves, the four symbols as bars and blocks); docs/internals/stamping.md shows them.
 */
#include "stamp/micr.h"
#include "stamp/stamp_draw.h"
#include <stdio.h>
#include <string.h>

static const struct {
	char c;
	uint8_t rows[MICR_ROWS];
} glyphs[] = {
	{ '0', { 0x3e, 0x22, 0x22, 0x22, 0x63, 0x63, 0x63, 0x63, 0x3e } },
	{ '1', { 0x30, 0x10, 0x10, 0x10, 0x1c, 0x1c, 0x1c, 0x1c, 0x1c } },
	{ '2', { 0x7e, 0x02, 0x02, 0x02, 0x7e, 0x70, 0x70, 0x70, 0x7f } },
	{ '3', { 0x7c, 0x04, 0x04, 0x04, 0x3f, 0x07, 0x07, 0x07, 0x7f } },
	{ '4', { 0x40, 0x40, 0x40, 0x47, 0x7f, 0x07, 0x07, 0x07, 0x07 } },
	{ '5', { 0x7e, 0x40, 0x40, 0x40, 0x7e, 0x07, 0x07, 0x07, 0x7f } },
	{ '6', { 0x40, 0x40, 0x40, 0x40, 0x7f, 0x71, 0x71, 0x71, 0x7f } },
	{ '7', { 0x7e, 0x02, 0x02, 0x02, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e } },
	{ '8', { 0x3e, 0x22, 0x22, 0x22, 0x7f, 0x73, 0x73, 0x73, 0x7f } },
	{ '9', { 0x7e, 0x42, 0x42, 0x42, 0x7f, 0x07, 0x07, 0x07, 0x07 } },
	{ 'A', { 0x67, 0x67, 0x67, 0x60, 0x60, 0x60, 0x67, 0x67, 0x67 } },	/* transit */
	{ 'B', { 0x60, 0x60, 0x6e, 0x0e, 0x0e, 0x0e, 0x0e, 0x03, 0x03 } },	/* amount */
	{ 'C', { 0x6c, 0x6c, 0x6c, 0x6c, 0x6c, 0x00, 0x00, 0x78, 0x78 } },	/* on-us */
	{ 'D', { 0x00, 0x60, 0x60, 0x6c, 0x0c, 0x0f, 0x03, 0x03, 0x00 } },	/* dash */
};

const uint8_t *micr_glyph(char c)
{
	for (size_t i = 0; i < sizeof(glyphs) / sizeof(glyphs[0]); i++)
		if (glyphs[i].c == c)
			return glyphs[i].rows;
	return NULL;
}

bool micr_routing_valid(const char *routing)
{
	static const int weight[9] = { 3, 7, 1, 3, 7, 1, 3, 7, 1 };
	if (!routing || strlen(routing) != 9)
		return false;
	int sum = 0;
	for (int i = 0; i < 9; i++) {
		if (routing[i] < '0' || routing[i] > '9')
			return false;
		sum += weight[i] * (routing[i] - '0');
	}
	return sum % 10 == 0;
}

/* puts s so that its last character is at position `last` (1-based, counted leftwards) */
static void put_right(char *line, const char *s, int last)
{
	int n = (int)strlen(s);
	for (int i = 0; i < n; i++)
		line[last - 1 + (n - 1 - i)] = s[i];
}

int micr_check_line(const char *routing, const char *account, uint32_t check_number,
		    char line[MICR_POSITIONS + 1], struct api_error *err)
{
	memset(line, ' ', MICR_POSITIONS);
	line[MICR_POSITIONS] = '\0';
	if (!micr_routing_valid(routing))
		return api_fail(err, ERR_INVALID,
				"routing_number must be 9 digits with a valid ABA check digit");
	size_t alen = account ? strlen(account) : 0;
	if (alen < 1 || alen > 17)
		return api_fail(err, ERR_INVALID, "account_number must be 1 to 17 digits");
	char acc[18];
	for (size_t i = 0; i < alen; i++) {
		if (account[i] == '-')
			acc[i] = 'D';
		else if (account[i] >= '0' && account[i] <= '9')
			acc[i] = account[i];
		else
			return api_fail(err, ERR_INVALID,
					"account_number may hold only digits and '-'");
	}
	acc[alen] = '\0';
	if (check_number < 1 || check_number > 999999999)
		return api_fail(err, ERR_INVALID, "check_number must be 1 to 999999999");
	char serial[16];
	snprintf(serial, sizeof(serial), "C%uC", (unsigned)check_number);
	char transit[12];
	snprintf(transit, sizeof(transit), "A%sA", routing);
	put_right(line, "C", 14);
	put_right(line, acc, 15);
	put_right(line, transit, 33);
	put_right(line, serial, 45);
	return 0;
}

void micr_draw(struct canvas *c, const char *line, double right_edge_in, double bottom_in)
{
	double inset = (MICR_PITCH_IN - MICR_COLS * MICR_GRID_IN) / 2;
	double top = bottom_in - MICR_ROWS * MICR_GRID_IN;
	cv_op(c, "0 g\n");
	for (int pos = 1; pos <= MICR_POSITIONS && line[pos - 1]; pos++) {
		const uint8_t *g = micr_glyph(line[pos - 1]);
		if (!g)
			continue;
		double x0 = right_edge_in - MICR_RIGHT_IN - pos * MICR_PITCH_IN + inset;
		for (int r = 0; r < MICR_ROWS; r++)
			for (int col = 0; col < MICR_COLS;) {
				if (!(g[r] >> (MICR_COLS - 1 - col) & 1)) {
					col++;
					continue;
				}
				int end = col;	/* a run of cells is one rectangle */
				while (end < MICR_COLS && (g[r] >> (MICR_COLS - 1 - end) & 1))
					end++;
				cv_op(c, "%.4f %.4f %.4f %.4f re\n", (x0 + col * MICR_GRID_IN) * 72,
				      cv_y(c, top + (r + 1) * MICR_GRID_IN),
				      (end - col) * MICR_GRID_IN * 72, MICR_GRID_IN * 72);
				col = end;
			}
	}
	cv_op(c, "f\n");
	/* the same characters as hidden text, so the proof can be searched and extracted; at
	 * the size whose digits advance one pitch, so no spaces are read between them */
	int first = MICR_POSITIONS, last = 1;
	while (first > 0 && line[first - 1] == ' ')
		first--;
	while (last < first && line[last - 1] == ' ')
		last++;
	if (first > 0) {
		char text[MICR_POSITIONS + 1];
		for (int pos = first; pos >= last; pos--)
			text[first - pos] = line[pos - 1];
		text[first - last + 1] = '\0';
		cv_text_hidden(c, MICR_PITCH_IN * 72 / 0.556, right_edge_in - MICR_RIGHT_IN -
			       first * MICR_PITCH_IN + inset, bottom_in, MICR_PITCH_IN, text);
	}
}
