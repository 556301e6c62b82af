// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The canvas: PDF operators for boxes, lines, text fitted to boxes and barcodes, in artboard
 * coordinates. MuPDF is used only for font metrics (its base-14 fonts have Helvetica's
 * widths); its calls may throw, so canvases are built inside fz_try.
 */
#include "stamp/stamp_draw.h"
#include "stamp/stamp.h"
#include "barcode/qr.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIN_PT 4.0		/* smallest type a fitted line gets */
#define MIN_HSCALE 0.3		/* narrowest a fitted line gets before it is cut */
#define SOFT_HSCALE 0.75	/* narrowing beyond this shrinks the type instead */
#define LINE_PITCH_EM 1.15	/* at least this much from baseline to baseline */

const char *const stamp_font_base[FONT__COUNT] = { "Helvetica", "Helvetica-Bold",
						   "Helvetica-Oblique" };
const char *const stamp_font_res[FONT__COUNT] = { "R", "B", "O" };

void cv_init(struct canvas *c, fz_context *ctx, double w_in, double h_in)
{
	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	c->w_in = w_in;
	c->h_in = h_in;
}

void cv_free(struct canvas *c)
{
	for (int i = 0; i < FONT__COUNT; i++)
		fz_drop_font(c->ctx, c->font[i]);
	free(c->s);
	memset(c, 0, sizeof(*c));
}

void cv_op(struct canvas *c, const char *fmt, ...)
{
	va_list ap;
	while (!c->failed) {
		size_t room = c->cap - c->len;
		int n = -1;
		if (c->s) {
			va_start(ap, fmt);
			n = vsnprintf(c->s + c->len, room, fmt, ap);
			va_end(ap);
			if (n < 0) {
				c->failed = true;
				return;
			}
			if ((size_t)n < room) {
				c->len += (size_t)n;
				return;
			}
		}
		size_t cap = c->cap ? c->cap * 2 : 8192;
		while (n >= 0 && cap - c->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(c->s, cap);
		if (!s) {
			c->failed = true;
			return;
		}
		c->s = s;
		c->cap = cap;
	}
}

double cv_y(const struct canvas *c, double y_in)
{
	return (c->h_in - y_in) * PT;
}

void cv_fill(struct canvas *c, struct rect_in r, double gray)
{
	cv_op(c, "%.3f g %.3f %.3f %.3f %.3f re f\n", gray, r.x * PT, cv_y(c, r.y + r.h), r.w * PT,
	      r.h * PT);
}

void cv_stroke(struct canvas *c, struct rect_in r, double width_pt, double gray)
{
	cv_op(c, "q %.2f w %.3f G %.3f %.3f %.3f %.3f re S Q\n", width_pt, gray, r.x * PT,
	      cv_y(c, r.y + r.h), r.w * PT, r.h * PT);
}

void cv_line(struct canvas *c, double x0, double y0, double x1, double y1, double width_pt,
	     double gray, double dash_pt)
{
	cv_op(c, "q %.2f w %.3f G ", width_pt, gray);
	if (dash_pt > 0)
		cv_op(c, "[%.2f %.2f] 0 d ", dash_pt, dash_pt);
	cv_op(c, "%.3f %.3f m %.3f %.3f l S Q\n", x0 * PT, cv_y(c, y0), x1 * PT, cv_y(c, y1));
}

/* ---- text ---- */

static fz_font *font(struct canvas *c, enum stamp_font f)
{
	if (!c->font[f])
		c->font[f] = fz_new_base14_font(c->ctx, stamp_font_base[f]);
	return c->font[f];
}

double cv_ascender(struct canvas *c, enum stamp_font f)
{
	return fz_font_ascender(c->ctx, font(c, f));
}

double cv_descender(struct canvas *c, enum stamp_font f)
{
	return fz_font_descender(c->ctx, font(c, f));
}

/* a line as printed: WinAnsi bytes and the code points they stand for (for widths) */
struct run {
	size_t n;
	unsigned char b[STAMP_LINE_MAX];
	int u[STAMP_LINE_MAX];
};

/* the next code point at *p (advanced); 0xFFFD for a malformed or overlong sequence */
static int next_cp(const unsigned char **p)
{
	const unsigned char *s = *p;
	int cp, more;
	if (s[0] < 0x80) {
		*p = s + 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		cp = s[0] & 0x1F;
		more = 1;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		cp = s[0] & 0x0F;
		more = 2;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		cp = s[0] & 0x07;
		more = 3;
	} else {
		*p = s + 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= more; i++) {
		if ((s[i] & 0xC0) != 0x80) {	/* also stops at the NUL */
			*p = s + i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*p = s + 1 + more;
	static const int least[4] = { 0, 0x80, 0x800, 0x10000 };
	if (cp < least[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	return cp;
}

/* at most STAMP_LINE_MAX bytes of utf8; controls dropped (tabs become spaces) */
static void to_run(const char *utf8, struct run *r)
{
	r->n = 0;
	if (!utf8)
		return;
	const unsigned char *p = (const unsigned char *)utf8, *start = p;
	while (*p && r->n < STAMP_LINE_MAX && (size_t)(p - start) < STAMP_LINE_MAX) {
		int cp = next_cp(&p);
		if (cp == '\t')
			cp = ' ';
		if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
			continue;
		int b = fz_windows_1252_from_unicode(cp);
		if (b <= 0) {
			b = '?';
			cp = '?';
		}
		r->b[r->n] = (unsigned char)b;
		r->u[r->n] = cp;
		r->n++;
	}
}

static double run_width(struct canvas *c, enum stamp_font f, double pt, const struct run *r,
			size_t n)
{
	fz_font *fo = font(c, f);
	double em = 0;
	for (size_t i = 0; i < n && i < r->n; i++)
		em += fz_advance_glyph(c->ctx, fo, fz_encode_character(c->ctx, fo, r->u[i]), 0);
	return em * pt / PT;
}

double cv_width(struct canvas *c, enum stamp_font f, double pt, const char *utf8)
{
	struct run r;
	to_run(utf8, &r);
	return run_width(c, f, pt, &r, r.n);
}

static void draw_run(struct canvas *c, enum stamp_font f, double pt, double x_in,
		     double baseline_in, double hscale, const struct run *r, size_t n, int mode)
{
	if (n == 0)
		return;
	c->used[f] = true;
	cv_op(c, "BT 0 g %d Tr /%s %.2f Tf %.1f Tz 1 0 0 1 %.3f %.3f Tm (", mode, stamp_font_res[f], pt,
	      hscale * 100, x_in * PT, cv_y(c, baseline_in));
	for (size_t i = 0; i < n && i < r->n; i++) {
		unsigned char b = r->b[i];
		if (b == '(' || b == ')' || b == '\\')
			cv_op(c, "\\%c", b);
		else if (b < 0x80)
			cv_op(c, "%c", b);
		else
			cv_op(c, "\\%03o", b);
	}
	cv_op(c, ") Tj ET\n");
}

void cv_text(struct canvas *c, enum stamp_font f, double pt, double x_in, double baseline_in,
	     double hscale, const char *utf8)
{
	struct run r;
	to_run(utf8, &r);
	draw_run(c, f, pt, x_in, baseline_in, hscale, &r, r.n, 0);
}

void cv_text_hidden(struct canvas *c, double pt, double x_in, double baseline_in,
		    double pitch_in, const char *ascii)
{
	struct run r;
	to_run(ascii, &r);
	if (r.n == 0 || pt <= 0)
		return;
	fz_font *fo = font(c, FONT_REGULAR);
	double pitch_em = pitch_in * PT / pt;
	c->used[FONT_REGULAR] = true;
	cv_op(c, "BT 3 Tr /%s %.2f Tf 1 0 0 1 %.3f %.3f Tm [", stamp_font_res[FONT_REGULAR], pt,
	      x_in * PT, cv_y(c, baseline_in));
	for (size_t i = 0; i < r.n; i++) {
		unsigned char b = r.b[i];
		double adv = fz_advance_glyph(c->ctx, fo, fz_encode_character(c->ctx, fo, r.u[i]), 0);
		/* a TJ number moves the next glyph left by 1/1000 em: make each advance the pitch */
		cv_op(c, b == '(' || b == ')' || b == '\\' ? "(\\%c) %.1f " : b < 0x80 ? "(%c) %.1f "
		      : "(\\%03o) %.1f ", b, (adv - pitch_em) * 1000);
	}
	cv_op(c, "] TJ ET\n");
}

void cv_text_right(struct canvas *c, enum stamp_font f, double pt, double x_right_in,
		   double baseline_in, const char *utf8)
{
	cv_text(c, f, pt, x_right_in - cv_width(c, f, pt, utf8), baseline_in, 1, utf8);
}

void cv_text_center(struct canvas *c, enum stamp_font f, double pt, double x_mid_in,
		    double baseline_in, const char *utf8)
{
	cv_text(c, f, pt, x_mid_in - cv_width(c, f, pt, utf8) / 2, baseline_in, 1, utf8);
}

void cv_text_fit(struct canvas *c, enum stamp_font f, double pt, double x_in,
		 double baseline_in, double max_w_in, const char *utf8)
{
	struct run r;
	to_run(utf8, &r);
	if (r.n == 0 || max_w_in <= 0)
		return;
	double w = run_width(c, f, pt, &r, r.n);
	if (w <= max_w_in) {
		draw_run(c, f, pt, x_in, baseline_in, 1, &r, r.n, 0);
		return;
	}
	/* narrower first; past SOFT_HSCALE smaller type too (the baseline stays) */
	double hs = max_w_in / w;
	if (hs < SOFT_HSCALE) {
		pt = pt * hs / SOFT_HSCALE;
		if (pt < MIN_PT)
			pt = MIN_PT;
		w = run_width(c, f, pt, &r, r.n);
		hs = w > max_w_in ? max_w_in / w : 1;
	}
	size_t n = r.n;
	while (hs < MIN_HSCALE && n > 1) {	/* hostile lengths: cut what cannot fit */
		n--;
		w = run_width(c, f, pt, &r, n);
		hs = w > max_w_in ? max_w_in / w : 1;
	}
	if (hs < MIN_HSCALE)
		return;
	draw_run(c, f, pt, x_in, baseline_in, hs, &r, n, 0);
}

static double pitch_em(struct canvas *c)
{
	double lh = cv_ascender(c, FONT_REGULAR) - cv_descender(c, FONT_REGULAR);
	return lh > LINE_PITCH_EM ? lh : LINE_PITCH_EM;
}

size_t cv_lines(struct canvas *c, struct rect_in box, const char *const *lines, size_t n,
		enum stamp_font first_font, double max_pt)
{
	const char *keep[STAMP_LINES];
	size_t k = 0;
	for (size_t i = 0; i < n && lines[i] && k < STAMP_LINES; i++)
		if (*lines[i])
			keep[k++] = lines[i];
	if (k == 0)
		return 0;
	double asc = cv_ascender(c, FONT_REGULAR), pitch = pitch_em(c);
	/* the last line's descender ends at the box's bottom at most */
	double pt = box.h * PT / (asc - cv_descender(c, FONT_REGULAR) + pitch * (double)(k - 1));
	if (pt > max_pt)
		pt = max_pt;
	for (size_t i = 0; i < k; i++)
		cv_text_fit(c, i == 0 ? first_font : FONT_REGULAR, pt, box.x,
			    box.y + (asc * pt + pitch * pt * (double)i) / PT, box.w, keep[i]);
	return k;
}

/* the byte length of the longest prefix of s[0..len) (at a code point boundary) that fits */
static size_t fitting_prefix(struct canvas *c, enum stamp_font f, double pt, const char *s,
			     size_t len, double max_w)
{
	char buf[STAMP_LINE_MAX + 1];
	size_t best = 0;
	for (size_t i = 1; i <= len && i <= STAMP_LINE_MAX; i++) {
		if (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
			continue;	/* inside a code point */
		memcpy(buf, s, i);
		buf[i] = '\0';
		if (cv_width(c, f, pt, buf) > max_w)
			break;
		best = i;
	}
	return best;
}

size_t cv_paragraph(struct canvas *c, struct rect_in box, enum stamp_font f, double pt,
		    const char *utf8)
{
	if (!utf8)
		return 0;
	double asc = cv_ascender(c, f), desc = cv_descender(c, f), pitch = pitch_em(c) * pt / PT;
	double baseline = box.y + asc * pt / PT;
	const char *p = utf8;
	char line[STAMP_LINE_MAX + 1];
	while (*p && baseline - desc * pt / PT <= box.y + box.h) {
		/* take words while they fit; a newline ends the line */
		size_t used = 0, taken = 0;
		const char *q = p;
		while (*q == ' ')
			q++;
		while (*q && *q != '\n') {
			const char *word_end = q;
			while (*word_end && *word_end != ' ' && *word_end != '\n')
				word_end++;
			size_t wlen = (size_t)(word_end - q), need = used + (used ? 1 : 0) + wlen;
			if (need <= STAMP_LINE_MAX) {
				char trial[STAMP_LINE_MAX + 1];
				memcpy(trial, line, used);
				if (used)
					trial[used] = ' ';
				memcpy(trial + used + (used ? 1 : 0), q, wlen);
				trial[need] = '\0';
				if (cv_width(c, f, pt, trial) <= box.w) {
					memcpy(line, trial, need + 1);
					used = need;
					q = word_end;
					taken = (size_t)(q - p);
					while (*q == ' ')
						q++;
					continue;
				}
			}
			if (used == 0) {	/* one word wider than the box: break it */
				size_t cut = fitting_prefix(c, f, pt, q, wlen, box.w);
				if (cut == 0)
					return (size_t)(p - utf8);
				memcpy(line, q, cut);
				line[cut] = '\0';
				used = cut;
				taken = (size_t)(q + cut - p);
			}
			break;
		}
		if (used)
			cv_text(c, f, pt, box.x, baseline, 1, line);
		p += taken;
		while (*p == ' ')
			p++;
		if (*p == '\n')
			p++;
		else if (taken == 0 && *p)
			break;	/* nothing fitted: stop rather than loop */
		baseline += pitch;
	}
	return (size_t)(p - utf8);
}

/* ---- barcodes ---- */

void cv_imb(struct canvas *c, double x_in, double y_in, const char *bars)
{
	double mid = y_in + IMB_FULL_H_IN / 2, half_t = IMB_TRACKER_H_IN / 2;
	if (!bars)
		return;		/* an international piece: no IMb */
	cv_op(c, "0 g\n");
	for (size_t i = 0; bars && i < 65 && bars[i]; i++) {
		double top = mid - half_t, bottom = mid + half_t;
		if (bars[i] == 'F' || bars[i] == 'A')
			top = y_in;
		if (bars[i] == 'F' || bars[i] == 'D')
			bottom = y_in + IMB_FULL_H_IN;
		cv_op(c, "%.3f %.3f %.3f %.3f re\n", (x_in + (double)i * IMB_PITCH_IN) * PT,
		      cv_y(c, bottom), IMB_BAR_W_IN * PT, (bottom - top) * PT);
	}
	cv_op(c, "f\n");
}

void cv_modules(struct canvas *c, double x_in, double y_in, const char *modules,
		double x_dim_in, double h_in)
{
	double x = x_in;
	cv_op(c, "0 g\n");
	for (size_t i = 0; modules[i] >= '1' && modules[i] <= '9'; i++) {
		double w = (modules[i] - '0') * x_dim_in;
		if (i % 2 == 0)
			cv_op(c, "%.4f %.3f %.4f %.3f re\n", x * PT, cv_y(c, y_in + h_in), w * PT,
			      h_in * PT);
		x += w;
	}
	cv_op(c, "f\n");
}

int cv_qr(struct canvas *c, struct rect_in r, const char *data, struct api_error *err)
{
	struct qr_matrix *m = malloc(sizeof(*m));	/* 31 KB: off the stack */
	if (!m)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	if (!data || qr_encode(data, strlen(data), m, err) < 0) {
		free(m);
		return data ? -1 : api_fail(err, ERR_INVALID, "a QR code needs data");
	}
	double mod = r.w / (m->size + 8), x0 = r.x + 4 * mod, y0 = r.y + 4 * mod;
	cv_fill(c, (struct rect_in){ r.x, r.y, r.w, r.w }, 1);
	cv_op(c, "0 g\n");
	for (int row = 0; row < m->size; row++)
		for (int col = 0; col < m->size;) {
			if (!qr_module(m, row, col)) {
				col++;
				continue;
			}
			int end = col;	/* a run of dark modules is one rectangle */
			while (qr_module(m, row, end))
				end++;
			cv_op(c, "%.3f %.3f %.3f %.3f re\n", (x0 + col * mod) * PT,
			      cv_y(c, y0 + (row + 1) * mod), (end - col) * mod * PT, mod * PT);
			col = end;
		}
	cv_op(c, "f\n");
	free(m);
	return 0;
}
