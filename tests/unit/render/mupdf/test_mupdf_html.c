// SPDX-License-Identifier: AGPL-3.0-or-later
/* The built-in HTML renderer: layout, page limits, sealed resources, hostile HTML, batches. */
#include "test.h"
#include "render/mupdf/html_limits.h"
#include "render/mupdf/mupdf_html.h"
#include "pdf/pdf_fixtures.h"
#include "pdf/pdf_inspect.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* the text of page n of a PDF (malloc'd, "" when unreadable) */
static char *page_text(const unsigned char *pdf, size_t len, int n)
{
	fz_context *ctx = frank_fz();
	char *text = NULL;
	fz_stream *stm = NULL;
	fz_document *doc = NULL;
	fz_stext_page *st = NULL;
	fz_buffer *buf = NULL;
	fz_var(stm);
	fz_var(doc);
	fz_var(st);
	fz_var(buf);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		st = fz_new_stext_page_from_page_number(ctx, doc, n, NULL);
		buf = fz_new_buffer_from_stext_page(ctx, st);
		text = strdup(fz_string_from_buffer(ctx, buf));
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, buf);
		fz_drop_stext_page(ctx, st);
		fz_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		text = NULL;
	return text ? text : strdup("");
}

/* the grey level (0 black .. 255 white) at (fx, fy) of page 1, -1 when unreadable */
static int grey_at(const unsigned char *pdf, size_t len, double fx, double fy)
{
	fz_context *ctx = frank_fz();
	int v = -1;
	fz_stream *stm = NULL;
	fz_document *doc = NULL;
	fz_pixmap *pix = NULL;
	fz_var(stm);
	fz_var(doc);
	fz_var(pix);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		pix = fz_new_pixmap_from_page_number(ctx, doc, 0, fz_scale(0.5f, 0.5f),
						     fz_device_gray(ctx), 0);
		v = pix->samples[(int)(fy * (pix->h - 1)) * pix->stride + (int)(fx * (pix->w - 1))];
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		v = -1;
	return v;
}

static int render(const char *html, double w, double h, unsigned max_pages, unsigned char **pdf,
		  size_t *len, unsigned *pages, struct api_error *err)
{
	*err = (struct api_error){ 0 };
	return mupdf_html_to_pdf(html, strlen(html), w, h, max_pages, pdf, len, pages, err);
}

/* a PNG of w x h pixels, all black (grey, 8-bit), base64 in a data: URI (malloc'd) */
static char *black_png_uri(int w, int h, int bits)
{
	fz_context *ctx = frank_fz();
	size_t row = (size_t)(w * bits + 7) / 8 + 1;
	unsigned char *raw = calloc(row, (size_t)h);	/* filter 0, all zero: black */
	uLongf zlen = compressBound((uLong)(row * (size_t)h));
	unsigned char *z = malloc(zlen);
	compress2(z, &zlen, raw, (uLong)(row * (size_t)h), 1);
	fz_buffer *png = fz_new_buffer(ctx, zlen + 64);
	unsigned char ihdr[13] = { (unsigned char)(w >> 24), (unsigned char)(w >> 16),
				   (unsigned char)(w >> 8), (unsigned char)w,
				   (unsigned char)(h >> 24), (unsigned char)(h >> 16),
				   (unsigned char)(h >> 8), (unsigned char)h,
				   (unsigned char)bits, 0, 0, 0, 0 };
	fz_append_data(ctx, png, "\x89PNG\r\n\x1a\n", 8);
	const char *types[3] = { "IHDR", "IDAT", "IEND" };
	const unsigned char *data[3] = { ihdr, z, NULL };
	size_t lens[3] = { 13, zlen, 0 };
	for (int i = 0; i < 3; i++) {
		fz_append_int32_be(ctx, png, (int)lens[i]);
		fz_append_data(ctx, png, types[i], 4);
		if (lens[i])
			fz_append_data(ctx, png, data[i], lens[i]);
		uLong crc = crc32(crc32(0, (const Bytef *)types[i], 4), data[i], (uInt)lens[i]);
		fz_append_int32_be(ctx, png, (int)crc);
	}
	fz_buffer *b64 = fz_new_buffer(ctx, 4 * fz_buffer_storage(ctx, png, NULL) / 3 + 64);
	fz_append_string(ctx, b64, "data:image/png;base64,");
	fz_append_base64_buffer(ctx, b64, png, 0);
	char *uri = strdup(fz_string_from_buffer(ctx, b64));
	fz_drop_buffer(ctx, b64);
	fz_drop_buffer(ctx, png);
	free(z);
	free(raw);
	return uri;
}

static void layout(void)
{
	unsigned char *pdf;
	size_t len;
	unsigned pages;
	struct api_error err;
	const char *letter = "<html><body style='font-family:Helvetica'><h1>Dear Harry</h1>"
			     "<p>Your statement is enclosed.</p></body></html>";
	CHECK_RUN(render(letter, 8.5, 11, 6, &pdf, &len, &pages, &err) == 0, "a letter renders: %s",
	      err.message);
	CHECK_INT_RUN(pages, 1, "one page");
	struct pdf_expect want = { .width_in = 8.5, .height_in = 11, .tolerance_in = 0.01,
				   .min_pages = 1, .max_pages = 6 };
	CHECK_RUN(pdf_check(pdf, len, &want, NULL, &err) == 0, "it passes the letter's PDF rules "
	      "(size, fonts embedded): %s", err.message);
	char *text = page_text(pdf, len, 0);
	CHECK_RUN(strstr(text, "Dear Harry") && strstr(text, "statement is enclosed"), "its text");
	free(text);
	CHECK_RUN(grey_at(pdf, len, 0.5, 0.9) == 255, "white below the text");
	free(pdf);

	CHECK_RUN(render(letter, 6.25, 4.25, 2, &pdf, &len, &pages, &err) == 0, "a postcard side");
	CHECK_RUN(fabs(fixture_page_width(pdf, len, 0) - 450) < 0.01, "6.25 inches wide");
	free(pdf);

	/* 300 paragraphs overflow many pages: kept to max_pages, as Lob trims */
	size_t cap = 300 * 40 + 64, at = 0;
	char *many = malloc(cap);
	for (int i = 0; i < 300; i++)
		at += (size_t)snprintf(many + at, cap - at, "<p>paragraph %d</p>", i);
	CHECK_RUN(render(many, 8.5, 11, 2, &pdf, &len, &pages, &err) == 0, "long HTML renders");
	CHECK_INT_RUN(pages, 2, "trimmed to 2 pages");
	CHECK_INT_RUN(fixture_count_pages(pdf, len), 2, "the PDF has 2 pages");
	text = page_text(pdf, len, 1);
	CHECK_RUN(strstr(text, "paragraph 299") == NULL && strstr(text, "paragraph") != NULL,
	      "page 2 continues the text; the rest is cut");
	free(text);
	free(pdf);
	CHECK_RUN(render(many, 8.5, 11, 0, &pdf, &len, &pages, &err) == 0 && pages > 2,
	      "no page limit: all %u pages", pages);
	text = page_text(pdf, len, (int)pages - 1);
	CHECK_RUN(strstr(text, "paragraph 299") != NULL, "the last page ends the text");
	free(text);
	free(pdf);
	free(many);

	CHECK_RUN(render("", 8.5, 11, 1, &pdf, &len, &pages, &err) == 0 && pages == 1,
	      "empty HTML: one blank page");
	free(pdf);
	const char bad[] = "<html><body><p>unclosed <table><tr><td>cell<div><span>\0nul</p></td>"
			   "</body><<<>>>&amp;&bogus;<!-- never closed";
	err = (struct api_error){ 0 };
	CHECK_RUN(mupdf_html_to_pdf(bad, sizeof bad - 1, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0,
	      "malformed HTML with a NUL byte renders: %s", err.message);
	text = page_text(pdf, len, 0);
	CHECK_RUN(strstr(text, "unclosed") && strstr(text, "cell"), "what can be read is kept");
	free(text);
	free(pdf);
	CHECK_RUN(render(letter, 0, 11, 1, &pdf, &len, &pages, &err) < 0 && err.kind == ERR_INTERNAL,
	      "a page size of 0 is refused");
}

/* resources: data: URIs only; nothing from the disk, however it is named */
static void sealed(void)
{
	char dir[] = "/tmp/frank-mupdf-html-XXXXXX";
	CHECK_RUN(mkdtemp(dir) != NULL, "a temp dir");
	char *uri = black_png_uri(64, 64, 8);
	/* the same black PNG, as a file on disk */
	const char *b64 = strchr(uri, ',') + 1;
	fz_context *ctx = frank_fz();
	fz_buffer *png = fz_new_buffer_from_base64(ctx, b64, 0);
	char path[256];
	snprintf(path, sizeof path, "%s/black.png", dir);
	FILE *f = fopen(path, "wb");
	unsigned char *bytes;
	size_t n = fz_buffer_storage(ctx, png, &bytes);
	fwrite(bytes, 1, n, f);
	fclose(f);
	fz_drop_buffer(ctx, png);

	const char *refs[] = { "", "file://", "../../../../../../../..", "http://127.0.0.1:1" };
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		char src[300], html[600];
		snprintf(src, sizeof src, "%s%s", refs[i], path);
		snprintf(html, sizeof html, "<body style='margin:0'><img src='%s' width=612 height=792>"
			 "<p>after</p></body>", src);
		unsigned char *pdf;
		size_t len;
		unsigned pages;
		struct api_error err;
		CHECK_RUN(render(html, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0, "renders with %s", src);
		CHECK_INT_RUN(grey_at(pdf, len, 0.5, 0.5), 255, "the file was not read: %s", src);
		free(pdf);
	}
	char html[8192];
	snprintf(html, sizeof html, "<body style='margin:0'><img src='%s' width=612 height=792>"
		 "</body>", uri);
	unsigned char *pdf;
	size_t len;
	unsigned pages;
	struct api_error err;
	CHECK_RUN(render(html, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0, "a data: URI image");
	CHECK_INT_RUN(grey_at(pdf, len, 0.5, 0.5), 0, "is drawn");
	free(pdf);

	/* MuPDF reads an @font-face src from the file system unless the archive claims it */
	const char *ttf = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
	snprintf(html, sizeof html, "<style>@font-face{font-family:X;src:url(%s)}</style>"
		 "<p style='font-family:X'>font</p>", ttf);
	CHECK_RUN(render(html, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0, "an @font-face on disk");
	CHECK_RUN(memmem(pdf, len, "DejaVu", 6) == NULL, "was not loaded (%s)",
	      access(ttf, R_OK) == 0 ? "the font exists here" : "the font is absent here");
	free(pdf);
	const char *zero = "<style>@font-face{font-family:Z;src:url(/dev/zero)}</style>"
			   "<p style='font-family:Z'>zero</p>";
	clock_t t0 = clock();
	CHECK_RUN(render(zero, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0 &&
		  clock() - t0 < CLOCKS_PER_SEC, "an @font-face of /dev/zero is not read");
	free(pdf);
	unlink(path);
	rmdir(dir);
	free(uri);
}

/* MuPDF traps the guard device avoids */
static void images(void)
{
	unsigned char *pdf;
	size_t len;
	unsigned pages;
	struct api_error err;
	char *pixel = black_png_uri(1, 1, 8);
	size_t cap = strlen(pixel) * 2 + 256;
	char *html = malloc(cap);
	snprintf(html, cap, "<p>before</p><img src='%s'><img src='%s' width=100><p>after the pixel</p>",
		pixel, pixel);
	CHECK_RUN(render(html, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0, "1x1 spacer images");
	char *text = page_text(pdf, len, 0);
	CHECK_RUN(strstr(text, "after the pixel") != NULL, "the text after them survives");
	free(text);
	free(pdf);
	free(html);
	free(pixel);

	/* 8000 x 8000 pixels (64 MP) in a few KB of 1-bit PNG: not decoded */
	char *bomb = black_png_uri(8000, 8000, 1);
	cap = strlen(bomb) + 256;
	html = malloc(cap);
	snprintf(html, cap, "<img src='%s' width=100 height=100><p>after the bomb</p>", bomb);
	clock_t t0 = clock();
	CHECK_RUN(render(html, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0, "a decompression bomb");
	CHECK_RUN(clock() - t0 < 2 * CLOCKS_PER_SEC, "is skipped, not decoded");
	CHECK_RUN(len < 200000, "and not stored (%zu bytes)", len);
	text = page_text(pdf, len, 0);
	CHECK_RUN(strstr(text, "after the bomb") != NULL, "the rest is there");
	free(text);
	free(pdf);
	free(html);
	free(bomb);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1);
	memcpy(s, head, hl);
	for (size_t i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	memcpy(s + hl + ul * n, tail, tl + 1);
	return s;
}

static void hostile(void)
{
	struct api_error err;
	struct html_shape shape;
	const char *normal = "<!DOCTYPE html><html><head><style>p{color:red}</style></head><body>"
			     "<table><tr><td><font>a<td><font>b</table><p>one<p>two<ul><li>x<li>y</ul>"
			     "<img src=x><br/><div title='a>b' class=c'd>text</div></body></html>";
	CHECK_RUN(html_check_limits(normal, strlen(normal), &shape, &err) == 0, "ordinary HTML");
	CHECK_RUN(shape.max_depth <= 6, "depth estimate %u", shape.max_depth);
	CHECK_RUN(shape.elements < 30, "element estimate %lu", shape.elements);

	struct {
		const char *what, *head, *unit, *tail;
		size_t n;
	} bad[] = {
		{ "100,000 nested divs", "", "<div>", "x", 100000 },
		{ "nesting hidden behind stray end tags", "", "<div></span>", "x", 5000 },
		{ "misnested <b>s reopened in every paragraph", "", "<p><b>x</p>", "", 2000 },
		{ "a 50,000-letter word", "<p>", "W", "</p>", 50000 },
		{ "a long word across inline tags", "<p>", "WWWW<b>W</b>", "</p>", 2000 },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *html = repeat(bad[i].head, bad[i].unit, bad[i].n, bad[i].tail);
		unsigned char *pdf = NULL;
		size_t len;
		unsigned pages;
		clock_t t0 = clock();
		CHECK_RUN(render(html, 8.5, 11, 6, &pdf, &len, &pages, &err) < 0 &&
		      err.kind == ERR_INVALID_TEMPLATE_HTML, "refused: %s (%s)", bad[i].what,
		      err.message);
		CHECK_RUN(clock() - t0 < CLOCKS_PER_SEC / 2, "quickly");
		free(pdf);
		free(html);
	}
	char *spaced = repeat("<p>", "word ", 20000, "</p>");
	unsigned char *pdf;
	size_t len;
	unsigned pages;
	CHECK_RUN(render(spaced, 8.5, 11, 3, &pdf, &len, &pages, &err) == 0 && pages == 3,
	      "100 KB of ordinary words render: %s", err.message);
	free(pdf);
	free(spaced);
	char *huge = malloc(MUPDF_HTML_MAX_BYTES + 1);
	memset(huge, ' ', MUPDF_HTML_MAX_BYTES + 1);
	err = (struct api_error){ 0 };
	CHECK_RUN(mupdf_html_to_pdf(huge, MUPDF_HTML_MAX_BYTES + 1, 8.5, 11, 1, &pdf, &len, &pages,
				&err) < 0 && err.kind == ERR_PAYLOAD_TOO_LARGE, "over the size limit");
	free(huge);
}

static void batch(void)
{
	char *deep = repeat("", "<div>", 1000, "x");
	struct mupdf_html_doc docs[3] = { { "<p>first</p>", 12 }, { deep, strlen(deep) },
					  { "<p>third</p>", 12 } };
	struct mupdf_html_result res[3];
	CHECK_INT_RUN(mupdf_html_batch(docs, 3, 8.5, 11, 1, res), 1, "one of three failed");
	CHECK_RUN(res[0].rc == 0 && res[2].rc == 0 && res[1].rc < 0, "the bad one, not the others");
	CHECK_INT_RUN(res[1].err.kind, ERR_INVALID_TEMPLATE_HTML, "with its own error");
	char *t0 = page_text(res[0].pdf, res[0].len, 0), *t2 = page_text(res[2].pdf, res[2].len, 0);
	CHECK_RUN(strstr(t0, "first") && strstr(t2, "third"), "each PDF has its own text");
	free(t0);
	free(t2);
	mupdf_html_results_free(res, 3);
	CHECK_RUN(res[0].pdf == NULL, "freed");
	CHECK_INT_RUN(mupdf_html_batch(docs, 1, 0, 0, 1, res), 1, "a bad page size fails every document");
	free(deep);
}

/* renders on several threads at once: each thread has its own MuPDF context */
static void *render_many(void *arg)
{
	int *ok = arg;
	fixture_quiet();
	for (int i = 0; i < 10; i++) {
		char html[128], want[64];
		snprintf(want, sizeof want, "thread letter %d", i);
		snprintf(html, sizeof html, "<p>%s</p>", want);
		unsigned char *pdf;
		size_t len;
		unsigned pages;
		struct api_error err;
		if (render(html, 8.5, 11, 1, &pdf, &len, &pages, &err) == 0) {
			char *text = page_text(pdf, len, 0);
			*ok += strstr(text, want) != NULL;
			free(text);
			free(pdf);
		}
	}
	return NULL;
}

static void threads(void)
{
	pthread_t t[3];
	int ok[3] = { 0, 0, 0 };
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, render_many, &ok[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(ok[0] == 10 && ok[1] == 10 && ok[2] == 10, "3 threads rendered 10 letters each "
	      "(%d, %d, %d)", ok[0], ok[1], ok[2]);
}

int main(void)
{
	fixture_quiet();
	layout();
	sealed();
	images();
	hostile();
	batch();
	threads();
	return test_done();
}
