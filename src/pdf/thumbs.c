// SPDX-License-Identifier: AGPL-3.0-or-later
/* PNG thumbnails of PDF pages (see thumbs.h). */
#include "pdf/thumbs.h"
#include "pdf/budget.h"
#include "pdf/guard_dev.h"
#include "pdf/pdf_util.h"
#include "pdf/png_fast.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

void thumb_set_free(struct thumb_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; set->png && i < set->n_pages * set->n_widths; i++)
		free(set->png[i].data);
	free(set->png);
	*set = (struct thumb_set){ 0 };
}

/* one width of one laid-out page (throws) */
static void draw_one(fz_context *ctx, fz_display_list *list, fz_rect bounds, unsigned width,
		     struct thumb_png *out)
{
	float pw = bounds.x1 - bounds.x0, ph = bounds.y1 - bounds.y0;
	float scale = (float)width / pw;
	if (ph * scale > THUMB_MAX_SIDE)	/* a very tall page: fit its height instead */
		scale = THUMB_MAX_SIDE / ph;
	fz_matrix ctm = fz_pre_translate(fz_scale(scale, scale), -bounds.x0, -bounds.y0);
	fz_pixmap *pix = NULL;
	fz_var(pix);
	/* whole pixels, rounded to the nearest (MuPDF's rounding of the box would grow it) */
	int w = (int)lroundf(pw * scale), h = (int)lroundf(ph * scale);
	fz_irect box = fz_make_irect(0, 0, w > 0 ? w : 1, h > 0 ? h : 1);
	fz_try(ctx) {
		pix = fz_new_pixmap_with_bbox(ctx, fz_device_rgb(ctx), box, NULL, 0);
		fz_clear_pixmap_with_value(ctx, pix, 255);
		fz_device *dev = fz_new_draw_device(ctx, fz_identity, pix);
		fz_try(ctx) {
			fz_run_display_list(ctx, list, dev, ctm, fz_infinite_rect,
					    render_job_cookie());
			render_job_check(ctx);	/* an aborted run returns as if done */
			fz_close_device(ctx, dev);
		}
		fz_always(ctx)
			fz_drop_device(ctx, dev);
		fz_catch(ctx)
			fz_rethrow(ctx);
		out->data = png_fast_rgb(pix->samples, pix->w, pix->h, (size_t)pix->stride, &out->len);
		if (!out->data)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory encoding a thumbnail");
		out->width = (unsigned)pix->w;
		out->height = (unsigned)pix->h;
	}
	fz_always(ctx)
		fz_drop_pixmap(ctx, pix);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* every width of page n (throws) */
static void draw_page(fz_context *ctx, fz_document *doc, int n, const unsigned *widths,
		      size_t n_widths, struct thumb_png *out)
{
	fz_page *page = fz_load_page(ctx, doc, n);
	fz_display_list *list = NULL;
	fz_device *dev = NULL, *counted = NULL;
	fz_var(list);
	fz_var(dev);
	fz_var(counted);
	fz_try(ctx) {
		fz_rect bounds = fz_bound_page(ctx, page);
		if (fz_is_empty_rect(bounds) || !isfinite(bounds.x1 - bounds.x0) ||
		    !isfinite(bounds.y1 - bounds.y0) || bounds.x1 - bounds.x0 < 1 ||
		    bounds.y1 - bounds.y0 < 1)
			fz_throw(ctx, FZ_ERROR_GENERIC, "page %d has no size", n + 1);
		/* interpret the content once, each drawing call counted against the budget */
		list = fz_new_display_list(ctx, bounds);
		dev = fz_new_list_device(ctx, list);
		counted = guard_budget_device_new(ctx, dev);
		fz_run_page(ctx, page, counted, fz_identity, render_job_cookie());
		render_job_check(ctx);
		fz_close_device(ctx, counted);
		fz_close_device(ctx, dev);
		/* then draw it at each width */
		for (size_t i = 0; i < n_widths; i++)
			draw_one(ctx, list, bounds, widths[i], &out[i]);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, counted);
		fz_drop_device(ctx, dev);
		fz_drop_display_list(ctx, list);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int pdf_thumbnails(const unsigned char *pdf, size_t len, const unsigned *widths, size_t n_widths,
		   unsigned max_pages, struct thumb_set *out, struct api_error *err)
{
	*out = (struct thumb_set){ 0 };
	if (n_widths == 0 || max_pages == 0)
		return api_fail(err, ERR_INTERNAL, "no thumbnail sizes or pages were asked for");
	for (size_t i = 0; i < n_widths; i++)
		if (widths[i] == 0 || widths[i] > THUMB_MAX_SIDE)
			return api_fail(err, ERR_INTERNAL, "thumbnail width %u is out of range",
					widths[i]);
	struct render_job job;
	fz_context *ctx = render_job_begin(&job, err);
	if (!ctx)
		return -1;
	pdf_document *doc = NULL;
	int rc = 0;
	fz_var(doc);
	fz_try(ctx) {
		doc = pdfu_open(ctx, pdf, len);
		if (pdf_needs_password(ctx, doc))
			fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF is encrypted");
		int pages = pdf_count_pages(ctx, doc);
		if (pages <= 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF has no pages");
		size_t n = (unsigned)pages < max_pages ? (size_t)pages : max_pages;
		out->png = calloc(n * n_widths, sizeof *out->png);
		if (!out->png)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory");
		out->n_pages = n;
		out->n_widths = n_widths;
		for (size_t p = 0; p < n; p++)
			draw_page(ctx, &doc->super, (int)p, widths, n_widths, &out->png[p * n_widths]);
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx) {
		thumb_set_free(out);
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			rc = api_fail(err, ERR_INTERNAL, "out of memory drawing thumbnails");
		else
			rc = api_fail(err, ERR_INVALID_FILE, "thumbnails could not be drawn: %s",
				      fz_caught_message(ctx));
	}
	return render_job_end(&job, rc, err);
}
