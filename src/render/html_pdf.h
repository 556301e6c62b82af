// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The one HTML → PDF interface of the documents engine, in front of two backends:
 *   chromium  Debian's headless Chromium over the DevTools pipe (chromium.h): the fidelity
 *             reference, any CSS a browser lays out; needs the chromium package.
 *   mupdf     MuPDF's fz_story in-process (mupdf_html.h): fast, a documented CSS subset.
 *   auto      chromium when the binary exists and starts, else mupdf (logged).
 * Both lay out on pages of the product's size and trim to its page limit, as Lob does.
 */
#ifndef FRANK_RENDER_HTML_PDF_H
#define FRANK_RENDER_HTML_PDF_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* one document's outcome in a batch: rc 0 with pdf (malloc'd), len, pages; or rc -1 with err */
struct pdf_piece {
	int rc;
	unsigned char *pdf;
	size_t len;
	unsigned pages;
	struct api_error err;
};

/* free the PDFs of pieces[0..n-1] and zero them */
void pdf_pieces_free(struct pdf_piece *pieces, size_t n);

struct html_renderer;

/*
 * kind: "chromium", "mupdf" or "auto" (NULL: auto); chromium_path: the browser (NULL: the
 * default). NULL with *err: ERR_INVALID for an unknown kind, ERR_SERVICE_UNAVAILABLE when
 * "chromium" was asked for and does not start.
 */
struct html_renderer *html_renderer_open(const char *kind, const char *chromium_path,
					 struct api_error *err);

/* one document: the contract of chromium_html_to_pdf / mupdf_html_to_pdf */
int html_renderer_render(struct html_renderer *r, const char *html, size_t len, double w_in,
			 double h_in, unsigned max_pages, unsigned char **pdf, size_t *pdf_len,
			 unsigned *pages, struct api_error *err);

/*
 * n documents of one page size (a campaign's merged copies of one template), each rendered
 * as html_renderer_render would; out[i] is document i's outcome. Returns how many failed;
 * *err describes the first failure.
 */
int html_renderer_batch(struct html_renderer *r, const char *const *htmls, const size_t *lens,
			size_t n, double w_in, double h_in, unsigned max_pages,
			struct pdf_piece *out, struct api_error *err);

/* "chromium" or "mupdf": what auto chose */
const char *html_renderer_kind(const struct html_renderer *r);

/* the renderer can render now (chromium: its browser runs, started again now if it had
 * died); false with why */
bool html_renderer_ready(struct html_renderer *r, char *why, size_t n);

/* stop the browser if any; no render may be running */
void html_renderer_close(struct html_renderer *r);
#endif
