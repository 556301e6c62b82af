// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Press marks: the TEST watermark, crop marks and the slug line of imposed sheets, and the
 * permit imprint (DMM 604.5) in the postage area of a card's address side (marks.h).
 */
#include "production/marks.h"
#include <math.h>
#include <stdio.h>

#define CROP_LINE_PT 0.25
#define SLUG_PT 7.0
#define WATERMARK_FILL 0.8	/* of the area's diagonal */
#define CAP_EM 0.72		/* Helvetica's cap height */

void marks_watermark(struct marks *m)
{
	double w = m->w_in, h = m->h_in, diag = sqrt(w * w + h * h);
	double a = atan2(h, w), at1 = marks_text_width(m, 1, MARKS_WATERMARK);
	double pt = WATERMARK_FILL * diag / at1, tw = at1 * pt, cap = CAP_EM * pt / MARKS_PT;
	/* centred: back half the width along the baseline, down half the cap height */
	double x = w / 2 - cos(a) * tw / 2 + sin(a) * cap / 2;
	double y = h / 2 + sin(a) * tw / 2 + cos(a) * cap / 2;
	marks_text(m, pt, x, y, a * 180 / M_PI, true, MARKS_WATERMARK);
}

/* a crop mark from (x0, y0) to (x1, y1) on the front, drawn where it lands */
static void crop_line(struct marks *m, const struct impose_grid *g, bool back,
		      enum impose_duplex d, double x0, double y0, double x1, double y1)
{
	if (back && d == IMPOSE_WORK_AND_TUMBLE) {
		y0 = g->sheet_h - y0;
		y1 = g->sheet_h - y1;
	} else if (back) {
		x0 = g->sheet_w - x0;
		x1 = g->sheet_w - x1;
	}
	marks_line(m, x0, y0, x1, y1, CROP_LINE_PT);
}

void marks_crop(struct marks *m, const struct impose_grid *g, bool back, enum impose_duplex d)
{
	const struct rect_in *b = &g->block;
	double near = IMPOSE_MARK_GAP_IN, far = IMPOSE_MARK_GAP_IN + IMPOSE_MARK_LEN_IN;
	for (unsigned c = 0; c < g->cols; c++)
		for (int edge = 0; edge < 2; edge++) {
			double x = b->x + c * g->tile_w +
				   (edge ? g->tile_w - g->bleed : g->bleed);
			crop_line(m, g, back, d, x, b->y - far, x, b->y - near);
			crop_line(m, g, back, d, x, b->y + b->h + near, x, b->y + b->h + far);
		}
	for (unsigned r = 0; r < g->rows; r++)
		for (int edge = 0; edge < 2; edge++) {
			double y = b->y + r * g->tile_h +
				   (edge ? g->tile_h - g->bleed : g->bleed);
			crop_line(m, g, back, d, b->x - far, y, b->x - near, y);
			crop_line(m, g, back, d, b->x + b->w + near, y, b->x + b->w + far, y);
		}
}

/* the size at which text fits len inches, at most max_pt */
static double fit_pt(struct marks *m, double max_pt, double len, const char *utf8)
{
	double w1 = marks_text_width(m, 1, utf8);
	return w1 * max_pt <= len || w1 <= 0 ? max_pt : len / w1;
}

void marks_slug(struct marks *m, const struct impose_grid *g, bool back, enum impose_duplex d,
		const char *text)
{
	struct rect_in r = impose_mirror(g, impose_slug_band(g), back, d);
	if (r.w >= r.h) {
		double pt = fit_pt(m, SLUG_PT, r.w, text);
		marks_text(m, pt, r.x, r.y + (r.h + CAP_EM * pt / MARKS_PT) / 2, 0, false, text);
	} else {	/* up the band, reading bottom to top; the letters lean left */
		double pt = fit_pt(m, SLUG_PT, r.h, text);
		marks_text(m, pt, r.x + (r.w + CAP_EM * pt / MARKS_PT) / 2, r.y + r.h, 90, false,
			   text);
	}
}

/* ASCII letters upper-cased into buf, as indicia are printed */
static const char *upper(char *buf, size_t cap, const char *s)
{
	size_t i = 0;
	for (; s && s[i] && i + 1 < cap; i++)
		buf[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
	buf[i] = '\0';
	return buf;
}

void marks_permit(struct marks *m, struct rect_in box, const struct permit_imprint *p)
{
	char cls[64], city[96], permit[64];
	snprintf(city, sizeof city, "%s %s", p->city ? p->city : "", p->state ? p->state : "");
	upper(city, sizeof city, city);
	snprintf(permit, sizeof permit, "PERMIT NO. %s", p->permit_number ? p->permit_number : "");
	const char *lines[4] = { upper(cls, sizeof cls, p->mail_class_text), "U.S. POSTAGE PAID",
				 city, permit };
	marks_fill(m, box, 1);
	marks_stroke(m, box, 0.75);
	double pitch = box.h / 4.5, pad = 0.06, pt = pitch * MARKS_PT * 0.85;
	for (int i = 0; i < 4; i++)	/* one size for all lines: the longest fits */
		pt = fit_pt(m, pt, box.w - 2 * pad, lines[i]);
	for (int i = 0; i < 4; i++) {
		double w = marks_text_width(m, pt, lines[i]);
		marks_text(m, pt, box.x + (box.w - w) / 2, box.y + pitch * (i + 1.1), 0, false,
			   lines[i]);
	}
}
