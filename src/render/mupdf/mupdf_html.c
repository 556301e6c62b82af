// SPDX-License-Identifier: AGPL-3.0-or-later
/* The built-in HTML → PDF renderer on MuPDF's fz_story (see mupdf_html.h). */
#include "render/mupdf/mupdf_html.h"
#include "pdf/fz.h"
#include "pdf/guard_dev.h"
#include "render/mupdf/html_limits.h"
#include "pdf/pdf_util.h"
#include <stdlib.h>
#include <string.h>

/*
 * Browser defaults MuPDF lacks, put before the customer's HTML so that any rule of theirs wins:
 * Chromium's 8px body margin (MuPDF's is 1em).
 */
static const char style_prelude[] = "<style>body{margin:8px}</style>";

/* 16px, the browsers' default font size, in points */
#define DEFAULT_EM 12.0f

/*
 * Content and fonts uncompressed: deflating them halves the speed (a one-page letter: 490
 * pages/s and 94 KB uncompressed, 240 pages/s and 67 KB compressed; bench/render_mupdf), and the
 * fonts are MuPDF's built-in base-14 CFF fonts (~33 KB each), not 600 KB TTFs. Images are
 * compressed: the writer stores a PNG's pixels decoded, megabytes otherwise.
 */
static const char writer_options[] = "compress-images";

/*
 * The archive the HTML's references resolve in. MuPDF 1.21 reads an @font-face src straight
 * from the file system (fz_read_file) when the archive says it has no such entry — even with an
 * empty resource directory — so this archive claims every name and answers each with the same
 * 1x1 transparent PNG: an image that is not a data: URI is left blank (MuPDF would print
 * "[image]" for a missing one), and a font or style sheet from anywhere else fails to parse
 * and is ignored. Nothing is read from the disk or the network.
 */
static const unsigned char blank_png[68] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
	0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
	0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
	0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f,
	0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

static int sealed_has_entry(fz_context *ctx, fz_archive *arch, const char *name)
{
	return 1;
}

static fz_buffer *sealed_read_entry(fz_context *ctx, fz_archive *arch, const char *name)
{
	return fz_new_buffer_from_copied_data(ctx, blank_png, sizeof blank_png);
}

static fz_stream *sealed_open_entry(fz_context *ctx, fz_archive *arch, const char *name)
{
	return fz_open_memory(ctx, blank_png, sizeof blank_png);
}

static int sealed_count_entries(fz_context *ctx, fz_archive *arch)
{
	return 0;
}

static const char *sealed_list_entry(fz_context *ctx, fz_archive *arch, int idx)
{
	return NULL;
}

static fz_archive *new_sealed_archive(fz_context *ctx)
{
	fz_archive *arch = fz_new_archive_of_size(ctx, NULL, sizeof *arch);
	arch->format = "frank-sealed";
	arch->has_entry = sealed_has_entry;
	arch->read_entry = sealed_read_entry;
	arch->open_entry = sealed_open_entry;
	arch->count_entries = sealed_count_entries;
	arch->list_entry = sealed_list_entry;
	return arch;
}

/* what a batch shares between documents */
struct renderer {
	fz_archive *archive;	/* sealed: nothing is read from the disk or the network */
	fz_buffer *out;		/* the PDF being written, cleared for each document */
};

static void renderer_drop(fz_context *ctx, struct renderer *r)
{
	fz_drop_archive(ctx, r->archive);
	fz_drop_buffer(ctx, r->out);
	r->archive = NULL;
	r->out = NULL;
}

/* throws */
static void renderer_init(fz_context *ctx, struct renderer *r)
{
	r->archive = NULL;
	r->out = NULL;
	fz_try(ctx) {
		r->archive = new_sealed_archive(ctx);
		r->out = fz_new_buffer(ctx, 32768);
	}
	fz_catch(ctx) {
		renderer_drop(ctx, r);
		fz_rethrow(ctx);
	}
}

/* the story laid out page after page into r->out; returns the page count (throws) */
static unsigned lay_out(fz_context *ctx, struct renderer *r, fz_story *story, fz_rect page,
			unsigned max_pages)
{
	fz_clear_buffer(ctx, r->out);
	/* the writer owns this output and drops it */
	fz_output *o = fz_new_output_with_buffer(ctx, r->out);
	fz_document_writer *wri = NULL;
	fz_device *guard = NULL;
	unsigned pages = 0;
	fz_var(wri);
	fz_var(guard);
	fz_var(pages);
	fz_try(ctx) {
		wri = fz_new_pdf_writer_with_output(ctx, o, writer_options);
		int more;
		do {
			fz_rect filled;
			more = fz_place_story(ctx, story, page, &filled);
			/* through the guard: see guard_dev.h for the image trap it avoids */
			guard = guard_device_new(ctx, fz_begin_page(ctx, wri, page));
			fz_draw_story(ctx, story, guard, fz_identity);
			fz_close_device(ctx, guard);
			fz_drop_device(ctx, guard);
			guard = NULL;
			fz_end_page(ctx, wri);
			pages++;
		} while (more && pages < max_pages);
		fz_close_document_writer(ctx, wri);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, guard);
		fz_drop_document_writer(ctx, wri);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return pages;
}

static int render_one(fz_context *ctx, struct renderer *r, const char *html, size_t len,
		      fz_rect page, unsigned max_pages, struct mupdf_html_result *res)
{
	*res = (struct mupdf_html_result){ 0 };
	if (len > MUPDF_HTML_MAX_BYTES)
		return res->rc = api_fail(&res->err, ERR_PAYLOAD_TOO_LARGE,
					  "the HTML is %zu bytes; at most %zu are accepted", len,
					  MUPDF_HTML_MAX_BYTES);
	if (html_check_limits(html, len, NULL, &res->err) < 0)
		return res->rc = -1;
	fz_buffer *buf = NULL;
	fz_story *story = NULL;
	int laid_out = 0;
	fz_var(buf);
	fz_var(story);
	fz_var(laid_out);
	fz_try(ctx) {
		/* a writable copy: fz_new_story aborts on shared data (Debian 12's MuPDF) */
		buf = fz_new_buffer(ctx, sizeof style_prelude + len);
		fz_append_data(ctx, buf, style_prelude, sizeof style_prelude - 1);
		fz_append_data(ctx, buf, html, len);
		story = fz_new_story(ctx, buf, NULL, DEFAULT_EM, r->archive);
		laid_out = 1;
		res->pages = lay_out(ctx, r, story, page, max_pages);
		res->pdf = pdfu_buffer_copy(ctx, r->out, &res->len);
	}
	fz_always(ctx) {
		fz_drop_story(ctx, story);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx) {
		res->pages = 0;
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			return res->rc = api_fail(&res->err, ERR_INTERNAL,
						  "out of memory rendering the HTML");
		return res->rc = api_fail(&res->err, laid_out ? ERR_INTERNAL : ERR_INVALID_TEMPLATE_HTML,
					  "the HTML could not be %s: %s",
					  laid_out ? "laid out" : "parsed", fz_caught_message(ctx));
	}
	return res->rc = 0;
}

/* the page rectangle in points, or an error for a size no product has */
static int page_rect(double w_in, double h_in, fz_rect *out, struct api_error *err)
{
	if (!(w_in >= 1 && h_in >= 1 && w_in <= 100 && h_in <= 100))
		return api_fail(err, ERR_INTERNAL, "page size %gx%g inches is not valid", w_in, h_in);
	*out = fz_make_rect(0, 0, (float)(w_in * 72), (float)(h_in * 72));
	return 0;
}

static unsigned clamp_pages(unsigned max_pages)
{
	if (max_pages == 0 || max_pages > MUPDF_HTML_MAX_PAGES)
		return MUPDF_HTML_MAX_PAGES;
	return max_pages;
}

size_t mupdf_html_batch(const struct mupdf_html_doc *docs, size_t n, double page_w_in,
			double page_h_in, unsigned max_pages, struct mupdf_html_result *results)
{
	struct api_error err = { 0 };
	fz_rect page;
	fz_context *ctx = frank_fz();
	struct renderer r = { 0 };
	int ok = page_rect(page_w_in, page_h_in, &page, &err) == 0;
	if (ok && !ctx)
		ok = api_fail(&err, ERR_INTERNAL, "the PDF engine could not start") == 0;
	if (ok) {
		fz_try(ctx)
			renderer_init(ctx, &r);
		fz_catch(ctx)
			ok = api_fail(&err, ERR_INTERNAL, "the HTML renderer could not start: %s",
				      fz_caught_message(ctx)) == 0;
	}
	size_t failed = 0;
	for (size_t i = 0; i < n; i++) {
		if (!ok) {
			results[i] = (struct mupdf_html_result){ .rc = -1, .err = err };
			failed++;
			continue;
		}
		failed += render_one(ctx, &r, docs[i].html, docs[i].len, page, clamp_pages(max_pages),
				     &results[i]) != 0;
	}
	if (ctx)
		renderer_drop(ctx, &r);
	return failed;
}

void mupdf_html_results_free(struct mupdf_html_result *results, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(results[i].pdf);
		results[i].pdf = NULL;
		results[i].len = 0;
	}
}

int mupdf_html_to_pdf(const char *html, size_t len, double page_w_in, double page_h_in,
		      unsigned max_pages, unsigned char **pdf_out, size_t *pdf_len,
		      unsigned *pages_out, struct api_error *err)
{
	struct mupdf_html_doc doc = { html, len };
	struct mupdf_html_result res;
	mupdf_html_batch(&doc, 1, page_w_in, page_h_in, max_pages, &res);
	*pdf_out = res.pdf;
	*pdf_len = res.len;
	*pages_out = res.pages;
	if (res.rc != 0)
		*err = res.err;
	return res.rc;
}
