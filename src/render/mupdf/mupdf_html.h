// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The built-in HTML → PDF renderer: MuPDF's fz_story lays the HTML out on pages of the product's
 * size, in-process and fast, with a CSS subset (docs/internals/render.md, "Built-in renderer
 * (MuPDF)"). It reads nothing from the network or the disk: images and styles come only from
 * data: URIs; every other reference resolves in an empty in-memory archive and is left out.
 * Content beyond max_pages is trimmed, as Lob trims HTML to the product's page limit.
 */
#ifndef FRANK_RENDER_MUPDF_HTML_H
#define FRANK_RENDER_MUPDF_HTML_H
#include <stddef.h>
#include "core/err.h"

/* longest HTML accepted (the merged template; Handlebars output is capped at 20 MiB too) */
#define MUPDF_HTML_MAX_BYTES ((size_t)20 << 20)
/* pages laid out at most, whatever max_pages says */
#define MUPDF_HTML_MAX_PAGES 1000

/*
 * Render html (len bytes, UTF-8; need not be NUL-terminated) on pages of page_w_in x
 * page_h_in inches, at most max_pages of them. 0 with *pdf_out (malloc'd) and *pages_out,
 * or -1 with *err: ERR_INVALID_TEMPLATE_HTML when the HTML cannot be laid out,
 * ERR_PAYLOAD_TOO_LARGE beyond MUPDF_HTML_MAX_BYTES, ERR_INTERNAL otherwise.
 */
int mupdf_html_to_pdf(const char *html, size_t len, double page_w_in, double page_h_in,
		      unsigned max_pages, unsigned char **pdf_out, size_t *pdf_len,
		      unsigned *pages_out, struct api_error *err);

struct mupdf_html_doc {
	const char *html;
	size_t len;
};

/* one document's outcome: rc 0 with pdf (malloc'd), len, pages; or rc -1 with err */
struct mupdf_html_result {
	int rc;
	unsigned char *pdf;
	size_t len;
	unsigned pages;
	struct api_error err;
};

/*
 * N documents → N PDFs of one page size, for campaigns: the archive, style prelude and output
 * buffer are made once. One document failing does not stop the others: each result says how
 * it went. Returns the number that failed (0: all rendered).
 */
size_t mupdf_html_batch(const struct mupdf_html_doc *docs, size_t n, double page_w_in,
			double page_h_in, unsigned max_pages, struct mupdf_html_result *results);

/* free the PDFs of results[0..n-1] */
void mupdf_html_results_free(struct mupdf_html_result *results, size_t n);
#endif
