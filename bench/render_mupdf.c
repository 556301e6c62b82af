// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The MuPDF side of the documents engine, in-process on one thread:
 *   - mupdf_html_to_pdf of a one-page letter (8.5"x11", ~20 lines of text): pages/s, one call
 *     per letter and through mupdf_html_batch;
 *   - pdf_inspect and pdf_check of that letter: calls/s;
 *   - pdf_thumbnails of its page at the three sizes (small, medium, large): pages/s.
 *   build/bench/render_mupdf [SECONDS per measurement, default 2]
 */
#include "render/mupdf/mupdf_html.h"
#include "pdf/pdf_inspect.h"
#include "pdf/thumbs.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* a letter as customers write them: a heading, an address block, ~20 lines of body text */
static char *letter_html(size_t *len)
{
	size_t cap = 8192, at = 0;
	char *s = malloc(cap);
	at += (size_t)snprintf(s + at, cap - at,
		"<html><head><style>body{font-family:Helvetica;font-size:11pt;margin:0.75in}"
		"h1{font-size:16pt;color:#1a4d8f}.addr{margin-bottom:24pt}p{margin:0 0 6pt}"
		"</style></head><body>"
		"<h1>Account statement</h1><div class='addr'>Harry Zhang<br>210 King St<br>"
		"San Francisco, CA 94107</div><p>Dear Harry,</p>");
	for (int i = 0; i < 18; i++)
		at += (size_t)snprintf(s + at, cap - at,
			"<p>Line %d: thank you for being a customer; your balance is $%d.%02d.</p>",
			i + 1, 100 + i * 7, i * 3 % 100);
	at += (size_t)snprintf(s + at, cap - at, "<p>Sincerely,<br>The Frank team</p></body></html>");
	*len = at;
	return s;
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 2.0;
	if (!(secs > 0 && secs < 600)) {
		fprintf(stderr, "render_mupdf: SECONDS must be between 0 and 600\n");
		return 1;
	}
	size_t hlen;
	char *html = letter_html(&hlen);
	struct api_error err = { 0 };
	unsigned char *pdf = NULL;
	size_t pdf_len = 0;
	unsigned pages = 0;

	/* warm-up and the sample letter for the other measurements */
	if (mupdf_html_to_pdf(html, hlen, 8.5, 11, 6, &pdf, &pdf_len, &pages, &err) < 0) {
		fprintf(stderr, "render_mupdf: %s\n", err.message);
		return 1;
	}
	printf("render_mupdf: the letter is %u page(s), %zu bytes of PDF\n", pages, pdf_len);

	size_t n = 0;
	double t0 = now(), t;
	do {
		unsigned char *out;
		size_t out_len;
		unsigned p;
		if (mupdf_html_to_pdf(html, hlen, 8.5, 11, 6, &out, &out_len, &p, &err) < 0)
			return fprintf(stderr, "render_mupdf: %s\n", err.message), 1;
		free(out);
		n += p;
	} while ((t = now() - t0) < secs);
	printf("mupdf_html_to_pdf: %zu pages in %.2f s = %.1f pages/s\n", n, t, (double)n / t);

	enum { BATCH = 50 };
	struct mupdf_html_doc docs[BATCH];
	struct mupdf_html_result res[BATCH];
	for (size_t i = 0; i < BATCH; i++)
		docs[i] = (struct mupdf_html_doc){ html, hlen };
	n = 0;
	t0 = now();
	do {
		if (mupdf_html_batch(docs, BATCH, 8.5, 11, 6, res) != 0)
			return fprintf(stderr, "render_mupdf: batch failed\n"), 1;
		for (size_t i = 0; i < BATCH; i++)
			n += res[i].pages;
		mupdf_html_results_free(res, BATCH);
	} while ((t = now() - t0) < secs);
	printf("mupdf_html_batch (%d per call): %zu pages in %.2f s = %.1f pages/s\n", BATCH, n, t,
	       (double)n / t);

	struct pdf_info info;
	n = 0;
	t0 = now();
	do {
		if (pdf_inspect(pdf, pdf_len, &info, &err) < 0)
			return fprintf(stderr, "render_mupdf: %s\n", err.message), 1;
		n++;
	} while ((t = now() - t0) < secs);
	printf("pdf_inspect: %zu in %.2f s = %.0f/s\n", n, t, (double)n / t);

	struct pdf_expect want = { .width_in = 8.5, .height_in = 11, .tolerance_in = 0.05,
				   .min_pages = 1, .max_pages = 6 };
	n = 0;
	t0 = now();
	do {
		if (pdf_check(pdf, pdf_len, &want, NULL, &err) < 0)
			return fprintf(stderr, "render_mupdf: %s\n", err.message), 1;
		n++;
	} while ((t = now() - t0) < secs);
	printf("pdf_check: %zu in %.2f s = %.0f/s\n", n, t, (double)n / t);

	const unsigned widths[3] = { THUMB_WIDTH_SMALL, THUMB_WIDTH_MEDIUM, THUMB_WIDTH_LARGE };
	struct thumb_set set;
	size_t png_bytes = 0;
	n = 0;
	t0 = now();
	do {
		if (pdf_thumbnails(pdf, pdf_len, widths, 3, 1, &set, &err) < 0)
			return fprintf(stderr, "render_mupdf: %s\n", err.message), 1;
		png_bytes = set.png[0].len + set.png[1].len + set.png[2].len;
		thumb_set_free(&set);
		n++;
	} while ((t = now() - t0) < secs);
	printf("pdf_thumbnails (%u, %u, %u px wide; %zu bytes of PNG): %zu pages in %.2f s = "
	       "%.1f pages/s\n", widths[0], widths[1], widths[2], png_bytes, n, t, (double)n / t);
	free(pdf);
	free(html);
	return 0;
}
