// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Reading stamped pieces back, for the stamping tests: text lines and their boxes (MuPDF's
 * structured text), pages rasterised at a chosen resolution, the IMb measured bar by bar
 * from the pixels, QR / GS1-128 decoded by zbarimg, and the #10 / flat envelope windows with
 * the sheet's play — taken from the reference (mailpiece_specs.md), not from product.c.
 * Everything is static; included by test_stamp*.c.
 */
#ifndef FRANK_TEST_STAMP_FIXTURES_H
#define FRANK_TEST_STAMP_FIXTURES_H
#include "pdf/fz.h"
#include "stamp/stamp.h"
#include "pdf/thumbs.h"
#include <mupdf/pdf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* inches */
struct box {
	double x0, y0, x1, y1;
};

/* the lines of a page's text that contain needle (exact: that are needle), united, in
 * inches from the page's top-left */
static bool find_lines(const unsigned char *pdf, size_t len, int page, const char *needle,
		       bool exact, struct box *where)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = NULL;
	fz_stext_page *st = NULL;
	fz_stream *stm = NULL;
	bool found = false;
	fz_rect all = fz_empty_rect;
	fz_var(doc);
	fz_var(st);
	fz_var(stm);
	fz_var(found);
	fz_var(all);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		st = fz_new_stext_page_from_page_number(ctx, doc, page, NULL);
		for (fz_stext_block *b = st->first_block; b; b = b->next) {
			if (b->type != FZ_STEXT_BLOCK_TEXT)
				continue;
			for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
				char text[512];
				size_t n = 0;
				for (fz_stext_char *c = l->first_char; c && n + 1 < sizeof(text); c = c->next)
					text[n++] = c->c < 128 ? (char)c->c : '?';
				text[n] = '\0';
				if (exact ? strcmp(text, needle) == 0 : strstr(text, needle) != NULL) {
					all = found ? fz_union_rect(all, l->bbox) : l->bbox;
					found = true;
				}
			}
		}
	}
	fz_always(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		return false;
	if (found)
		*where = (struct box){ all.x0 / 72, all.y0 / 72, all.x1 / 72, all.y1 / 72 };
	return found;
}

__attribute__((unused))
static bool find_text(const unsigned char *pdf, size_t len, int page, const char *needle,
		      struct box *where)
{
	return find_lines(pdf, len, page, needle, false, where);
}

__attribute__((unused))
static bool find_line(const unsigned char *pdf, size_t len, int page, const char *line,
		      struct box *where)
{
	return find_lines(pdf, len, page, line, true, where);
}

/* a grey raster of part of a page */
struct raster {
	unsigned char *px;	/* malloc'd, w * h, 0 black .. 255 white */
	int w, h;
	double dpi, x0, y0;	/* inches: the top-left pixel's corner */
};

__attribute__((unused))
static bool rasterize(const unsigned char *pdf, size_t len, int page, double dpi, struct box clip,
		      struct raster *r)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = NULL;
	fz_page *pg = NULL;
	fz_stream *stm = NULL;
	fz_pixmap *pix = NULL;
	fz_device *dev = NULL;
	bool ok = false;
	memset(r, 0, sizeof(*r));
	fz_var(doc);
	fz_var(pg);
	fz_var(stm);
	fz_var(pix);
	fz_var(dev);
	fz_var(ok);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		pg = fz_load_page(ctx, doc, page);
		fz_irect bb = { (int)(clip.x0 * dpi), (int)(clip.y0 * dpi), (int)(clip.x1 * dpi),
				(int)(clip.y1 * dpi) };
		pix = fz_new_pixmap_with_bbox(ctx, fz_device_gray(ctx), bb, NULL, 0);
		fz_clear_pixmap_with_value(ctx, pix, 255);
		dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_run_page(ctx, pg, dev, fz_scale((float)(dpi / 72), (float)(dpi / 72)), NULL);
		fz_close_device(ctx, dev);
		r->w = bb.x1 - bb.x0;
		r->h = bb.y1 - bb.y0;
		r->px = malloc((size_t)r->w * (size_t)r->h);
		if (r->px) {
			unsigned char *s = fz_pixmap_samples(ctx, pix);
			int stride = fz_pixmap_stride(ctx, pix);
			for (int y = 0; y < r->h; y++)
				memcpy(r->px + (size_t)y * (size_t)r->w, s + (size_t)y * (size_t)stride,
				       (size_t)r->w);
			r->dpi = dpi;
			r->x0 = bb.x0 / dpi;
			r->y0 = bb.y0 / dpi;
			ok = true;
		}
	}
	fz_always(ctx) {
		fz_drop_device(ctx, dev);
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, pg);
		fz_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		ok = false;
	return ok;
}

__attribute__((unused))
static bool dark_px(const struct raster *r, int x, int y)
{
	return x >= 0 && y >= 0 && x < r->w && y < r->h && r->px[(size_t)y * (size_t)r->w + (size_t)x] < 128;
}

/* the pixel at a point in inches */
__attribute__((unused))
static bool dark_at(const struct raster *r, double x_in, double y_in)
{
	return dark_px(r, (int)((x_in - r->x0) * r->dpi), (int)((y_in - r->y0) * r->dpi));
}

/* what the IMb measured to */
struct imb_read {
	char bars[66];
	double pitch_in, bar_w_in, full_h_in, tracker_h_in;
	struct box at;		/* the bars' extent */
};

/*
 * Reads a 4-state barcode from a raster that holds it (and white around it): the row that
 * crosses the most bars is inside the tracker band; each bar's extent above and below it
 * sorts it into F/A/D/T by halfway thresholds between the shortest and longest extents.
 */
__attribute__((unused))
static bool read_imb(const struct raster *r, struct imb_read *out)
{
	int best_row = -1, best = 0;
	for (int y = 0; y < r->h; y++) {
		int runs = 0;
		for (int x = 0; x < r->w; x++)
			if (dark_px(r, x, y) && !dark_px(r, x - 1, y))
				runs++;
		if (runs > best) {
			best = runs;
			best_row = y;
		}
	}
	if (best != 65)
		return false;
	int x0[65], x1[65], up[65], down[65], n = 0;
	for (int x = 0; x < r->w && n < 65; x++) {
		if (!dark_px(r, x, best_row) || dark_px(r, x - 1, best_row))
			continue;
		int e = x;
		while (dark_px(r, e + 1, best_row))
			e++;
		x0[n] = x;
		x1[n] = e;
		int mid = (x + e) / 2, t = best_row, b = best_row;
		while (dark_px(r, mid, t - 1))
			t--;
		while (dark_px(r, mid, b + 1))
			b++;
		up[n] = best_row - t;
		down[n] = b - best_row;
		n++;
		x = e;
	}
	int umin = up[0], umax = up[0], dmin = down[0], dmax = down[0], top = best_row, bottom = best_row;
	double wsum = 0;
	for (int i = 0; i < 65; i++) {
		umin = up[i] < umin ? up[i] : umin;
		umax = up[i] > umax ? up[i] : umax;
		dmin = down[i] < dmin ? down[i] : dmin;
		dmax = down[i] > dmax ? down[i] : dmax;
		top = best_row - up[i] < top ? best_row - up[i] : top;
		bottom = best_row + down[i] > bottom ? best_row + down[i] : bottom;
		wsum += x1[i] - x0[i] + 1;
	}
	for (int i = 0; i < 65; i++) {
		bool a = up[i] * 2 > umin + umax, d = down[i] * 2 > dmin + dmax;
		out->bars[i] = a && d ? 'F' : a ? 'A' : d ? 'D' : 'T';
	}
	out->bars[65] = '\0';
	out->pitch_in = ((x0[64] + x1[64]) - (x0[0] + x1[0])) / 2.0 / 64 / r->dpi;
	out->bar_w_in = wsum / 65 / r->dpi;
	out->full_h_in = (umax + dmax + 1) / r->dpi;
	out->tracker_h_in = (umin + dmin + 1) / r->dpi;
	out->at = (struct box){ r->x0 + x0[0] / r->dpi, r->y0 + top / r->dpi,
				r->x0 + (x1[64] + 1) / r->dpi, r->y0 + (bottom + 1) / r->dpi };
	return true;
}

/* rasterises clip of a page at 600 dpi and reads the IMb in it */
__attribute__((unused))
static bool imb_on_page(const unsigned char *pdf, size_t len, int page, struct box clip,
			struct imb_read *out)
{
	struct raster r;
	if (!rasterize(pdf, len, page, 600, clip, &r))
		return false;
	bool ok = read_imb(&r, out);
	free(r.px);
	return ok;
}

/*
 * zbarimg on a page rendered at dpi: every symbol's data, one per line, digits-and-text as
 * zbar prints them (GS1 separators kept). "" when nothing decodes.
 */
__attribute__((unused))
static void zbar_page(const unsigned char *pdf, size_t len, int page, double w_in, double dpi,
		      char *out, size_t outlen)
{
	struct api_error err;
	out[0] = '\0';
	unsigned width[1] = { (unsigned)(w_in * dpi + 0.5) };
	struct thumb_set set = { 0 };
	if (pdf_thumbnails(pdf, len, width, 1, (unsigned)page + 1, &set, &err) < 0)
		return;
	char path[] = "/tmp/frank-stamp-XXXXXX.png";
	int fd = mkstemps(path, 4);
	bool ok = fd >= 0 && set.n_pages > (size_t)page &&
		  write(fd, set.png[page].data, set.png[page].len) == (ssize_t)set.png[page].len;
	if (fd >= 0)
		close(fd);
	thumb_set_free(&set);
	if (ok) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s 2>/dev/null", path);
		FILE *p = popen(cmd, "r");
		if (p) {
			size_t n = fread(out, 1, outlen - 1, p);
			out[n] = '\0';
			pclose(p);
		}
	}
	unlink(path);
}

/* only the digits of s, in place */
__attribute__((unused))
static char *digits_only(char *s)
{
	size_t n = 0;
	for (char *c = s; *c; c++)
		if (*c >= '0' && *c <= '9')
			s[n++] = *c;
	s[n] = '\0';
	return s;
}

/*
 * Envelope windows from the reference (help.lob.com "Letter envelopes"), on the face, inches
 * from its top-left, and the play of the sheet behind them: the sheet's point (x, y) shows
 * at (x + dx, y - panel_top + dy). #10: a tri-folded panel (11/3") sits between 0.375" (where
 * Lob's letter template puts the windows) and 0.458" (resting on the bottom) below the top,
 * with up to 1/4" sideways; the flat 9x12 lets an 8.5x11 sheet move 0.5" and 1".
 */
struct window {
	const char *name;
	double x, y, w, h;
	double dx0, dx1, dy0, dy1;
};

static const struct window no10_recipient = { "#10 recipient window", 0.625, 4.125 - 1 - 1, 4, 1,
					       0, 0.25, 0.375, 4.125 - 11.0 / 3 };
static const struct window no10_return = { "#10 return window", 0.625, 4.125 - 2.375 - 0.875,
					    3.25, 0.875, 0, 0.25, 0.375, 4.125 - 11.0 / 3 };
static const struct window no10_certified = { "#10 certified window", 0.75, 0.5625, 8, 3,
					       0, 0.25, 0.375, 4.125 - 11.0 / 3 };
static const struct window flat_window = { "9x12 flat window", 0.5, 0.625, 4, 3.375, 0, 0.5, 0, 1 };

/* b (on the sheet) shows through w, with margin inches to spare, wherever the sheet sits */
__attribute__((unused))
static bool shows_through(struct box b, const struct window *w, double panel_top, double margin)
{
	for (int i = 0; i < 4; i++) {
		double dx = i & 1 ? w->dx1 : w->dx0, dy = i & 2 ? w->dy1 : w->dy0;
		double x0 = b.x0 + dx, x1 = b.x1 + dx, y0 = b.y0 - panel_top + dy, y1 = b.y1 - panel_top + dy;
		if (x0 < w->x + margin || x1 > w->x + w->w - margin || y0 < w->y + margin ||
		    y1 > w->y + w->h - margin)
			return false;
	}
	return true;
}

__attribute__((unused))
static bool box_inside(struct box b, double x, double y, double w, double h)
{
	const double e = 0.005;	/* rounding of extracted boxes */
	return b.x0 >= x - e && b.y0 >= y - e && b.x1 <= x + w + e && b.y1 <= y + h + e;
}
#endif
