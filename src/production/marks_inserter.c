// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Inserter control marks on the front of each sheet of letters and checks (marks.h), so an
 * inserter can prove that every piece's sheets went into one envelope. Positions are inches
 * from the sheet's top-left, the top being the lead edge.
 *
 * OMR (production.md 3.1, Pitney Bowes DI500/DI600 limits): a column of 7 mark positions at
 * the left edge, 1/8" apart (pitch >= 1/10"), each mark a 3/8" x 1.5 pt bar from x 3/16" to
 * 9/16" (centre line 3-7/8" from the sheet's centre line: within 2-3/8 .. 4-3/4"); the first
 * mark 4" below the lead edge (>= 3/4"), the last at 4-3/4" (>= 1-3/16" from the trail edge),
 * 3/4" code length (<= 2-3/4"). Top to bottom:
 *   1 BM  benchmark, always
 *   2 EOC end of collation: the piece's last sheet (fold and insert)
 *   3 PAR parity: makes the number of marks even
 *   4-6 WAS wrap-around sequence: the sheet's number in the piece modulo 8, binary, 4 = MSB
 *   7 SAF safety, always
 * The clear zone (1/8" beside the marks, 3/4" above the first and below the last: x 1/16"
 * to 11/16", y 3-1/4" to 5-1/2") is painted white on the front and, mirrored for a
 * long-edge flip, on the back, covering whatever the piece printed there.
 *
 * DataMatrix (ECC 200, square, libzint) with "<run id>|<piece id>|<sheet i>|<sheets n>":
 * modules of 0.02" (6 dots at 300 dpi), 2 modules of quiet zone, in a white box whose
 * bottom-left corner is 1/8" from the sheet's left and bottom edges (the bottom panel of a
 * tri-folded sheet: inside the envelope, away from both windows).
 */
#include "production/marks.h"
#include <stdio.h>
#include <string.h>
#include <zint.h>

#define OMR_X 0.1875
#define OMR_LEN 0.375
#define OMR_TOP 4.0
#define OMR_PITCH 0.125
#define OMR_POSITIONS 7
#define OMR_BAR_PT 1.5
#define OMR_CLEAR ((struct rect_in){ 0.0625, OMR_TOP - 0.75, 0.625, \
				     (OMR_POSITIONS - 1) * OMR_PITCH + 1.5 })
#define DM_MODULE_IN 0.02
#define DM_QUIET 2
#define DM_EDGE_IN 0.125

static void omr(struct marks *m, unsigned i, unsigned n)
{
	bool on[OMR_POSITIONS] = { true, i == n, false, ((i % 8) & 4) != 0, ((i % 8) & 2) != 0,
				   ((i % 8) & 1) != 0, true };
	unsigned count = 0;
	for (int k = 0; k < OMR_POSITIONS; k++)
		count += on[k];
	on[2] = count % 2 != 0;
	marks_fill(m, OMR_CLEAR, 1);
	for (int k = 0; k < OMR_POSITIONS; k++)
		if (on[k])
			marks_fill(m, (struct rect_in){ OMR_X, OMR_TOP + k * OMR_PITCH -
							OMR_BAR_PT / MARKS_PT / 2,
							OMR_LEN, OMR_BAR_PT / MARKS_PT }, 0);
}

/* libzint's module bits, as barcode/qr.c reads them */
static bool dark(const struct zint_symbol *sym, int r, int c)
{
	return (sym->encoded_data[r][c >> 3] >> (c & 7)) & 1;
}

static int datamatrix(struct marks *m, const char *data, struct api_error *err)
{
	struct zint_symbol *sym = ZBarcode_Create();
	if (!sym)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	sym->symbology = BARCODE_DATAMATRIX;
	sym->option_3 = DM_SQUARE;
	sym->input_mode = DATA_MODE;
	int rc = 0;
	if (ZBarcode_Encode(sym, (const unsigned char *)data, (int)strlen(data)) >= ZINT_ERROR) {
		rc = api_fail(err, ERR_INTERNAL, "DataMatrix encoder failed for \"%s\": %s", data,
			      sym->errtxt);
		goto out;
	}
	double side = (sym->width + 2 * DM_QUIET) * DM_MODULE_IN;
	struct rect_in box = { DM_EDGE_IN, m->h_in - DM_EDGE_IN - side, side, side };
	marks_fill(m, box, 1);
	fz_append_string(m->ctx, m->ops, "0 g\n");
	double x0 = box.x + DM_QUIET * DM_MODULE_IN, y0 = box.y + DM_QUIET * DM_MODULE_IN;
	for (int r = 0; r < sym->rows; r++)
		for (int c = 0; c < sym->width;) {
			if (!dark(sym, r, c)) {
				c++;
				continue;
			}
			int end = c;	/* a run of dark modules is one rectangle */
			while (end < sym->width && dark(sym, r, end))
				end++;
			fz_append_printf(
			    m->ctx, m->ops, "%g %g %g %g re\n", (x0 + c * DM_MODULE_IN) * MARKS_PT,
			    (m->h_in - y0 - (r + 1) * DM_MODULE_IN) * MARKS_PT,
			    (end - c) * DM_MODULE_IN * MARKS_PT, DM_MODULE_IN * MARKS_PT);
			c = end;
		}
	fz_append_string(m->ctx, m->ops, "f\n");
out:
	ZBarcode_Delete(sym);
	return rc;
}

int marks_inserter_front(struct marks *m, enum print_marks kind, const char *run_id,
			 const char *piece_id, unsigned i, unsigned n, struct api_error *err)
{
	if (kind == PRINT_MARKS_OMR)
		omr(m, i, n);
	if (kind != PRINT_MARKS_DATAMATRIX)
		return 0;
	char data[256];
	snprintf(data, sizeof data, "%s|%s|%u|%u", run_id, piece_id, i, n);
	return datamatrix(m, data, err);
}

void marks_inserter_back(struct marks *m, enum print_marks kind)
{
	if (kind != PRINT_MARKS_OMR)
		return;
	struct rect_in r = OMR_CLEAR;
	r.x = m->w_in - r.x - r.w;
	marks_fill(m, r, 1);
}
