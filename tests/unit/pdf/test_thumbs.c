// SPDX-License-Identifier: AGPL-3.0-or-later
/* pdf_thumbnails and the PNG encoder behind it, on PDFs generated with MuPDF. */
#include "test.h"
#include "pdf/pdf_fixtures.h"
#include "pdf/png_fast.h"
#include "pdf/thumbs.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* decode PNG bytes with MuPDF into an RGB pixmap (NULL when it is not a valid PNG) */
static fz_pixmap *decode(const unsigned char *png, size_t len)
{
	fz_context *ctx = frank_fz();
	fz_buffer *buf = NULL;
	fz_image *img = NULL;
	fz_pixmap *pix = NULL, *rgb = NULL;
	fz_var(buf);
	fz_var(img);
	fz_var(pix);
	fz_var(rgb);
	fz_try(ctx) {
		buf = fz_new_buffer_from_copied_data(ctx, png, len);
		img = fz_new_image_from_buffer(ctx, buf);
		pix = fz_get_pixmap_from_image(ctx, img, NULL, NULL, NULL, NULL);
		rgb = fz_convert_pixmap(ctx, pix, fz_device_rgb(ctx), NULL, NULL,
					fz_default_color_params, 0);
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		rgb = NULL;
	return rgb;
}

static unsigned rgb_at(fz_pixmap *pix, double fx, double fy)
{
	const unsigned char *p = pix->samples + (int)(fy * (pix->h - 1)) * pix->stride +
				 (int)(fx * (pix->w - 1)) * pix->n;
	return (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
}

static void letter_thumbnails(void)
{
	/* the fixture page: white with a blue 72 pt square at (36, 36) from the bottom left */
	size_t len;
	unsigned char *pdf = fixture_pages(8.5, 11, 3, &len);
	const unsigned widths[3] = { THUMB_WIDTH_SMALL, THUMB_WIDTH_MEDIUM, THUMB_WIDTH_LARGE };
	struct thumb_set set;
	struct api_error err = { 0 };
	CHECK_RUN(pdf_thumbnails(pdf, len, widths, 3, 2, &set, &err) == 0, "thumbnails: %s",
		  err.message);
	CHECK_INT(set.n_pages, 2, "the first 2 of 3 pages");
	CHECK_INT(set.n_widths, 3, "3 sizes each");
	for (size_t p = 0; p < set.n_pages; p++)
		for (size_t i = 0; i < 3; i++) {
			struct thumb_png *t = &set.png[p * 3 + i];
			CHECK_INT(t->width, widths[i], "page %zu size %zu is %u wide", p + 1, i, widths[i]);
			CHECK_INT(t->height, lround(widths[i] * 11 / 8.5), "and as tall as the page");
			fz_pixmap *pix = decode(t->data, t->len);
			CHECK(pix && pix->w == (int)t->width && pix->h == (int)t->height,
			      "it is a PNG of that size");
			if (!pix)
				continue;
			/* the square's centre: x 72 pt of 612, y 72 pt above the bottom of 792 */
			unsigned sq = rgb_at(pix, 72.0 / 612, 1 - 72.0 / 792);
			CHECK(sq == 0x0000ff, "the blue square is blue (%06x)", sq);
			CHECK(rgb_at(pix, 0.5, 0.5) == 0xffffff, "the page is white");
			fz_drop_pixmap(frank_fz(), pix);
		}
	thumb_set_free(&set);
	CHECK(set.png == NULL && set.n_pages == 0, "freed and zeroed");
	thumb_set_free(&set);
	free(pdf);
}

static void page_shapes(void)
{
	size_t len;
	struct api_error err;
	struct thumb_set set;
	const unsigned w800[1] = { 800 };
	/* a quarter-turned landscape page shows as portrait */
	struct fixture_page turned = { 792, 612, fz_empty_rect, 90 };
	unsigned char *pdf = fixture_pdf(&turned, 1, NULL, &len);
	CHECK_RUN(pdf_thumbnails(pdf, len, w800, 1, 1, &set, &err) == 0, "a rotated page");
	CHECK(set.png[0].height > set.png[0].width, "is drawn upright (%ux%u)", set.png[0].width,
	      set.png[0].height);
	thumb_set_free(&set);
	free(pdf);
	/* a 1" x 100" banner: its height is held to THUMB_MAX_SIDE */
	struct fixture_page tall = { 72, 7200, fz_empty_rect, 0 };
	pdf = fixture_pdf(&tall, 1, NULL, &len);
	CHECK_RUN(pdf_thumbnails(pdf, len, w800, 1, 1, &set, &err) == 0, "a very tall page");
	CHECK(set.png[0].height <= THUMB_MAX_SIDE && set.png[0].width < 800,
	      "fits %d pixels (%ux%u)", THUMB_MAX_SIDE, set.png[0].width, set.png[0].height);
	thumb_set_free(&set);
	free(pdf);
}

static void refusals(void)
{
	size_t len;
	struct api_error err;
	struct thumb_set set;
	const unsigned ok[1] = { 200 }, zero[1] = { 0 }, huge[1] = { THUMB_MAX_SIDE + 1 };
	unsigned char *pdf = fixture_pages(8.5, 11, 1, &len);
	CHECK_RUN(pdf_thumbnails(pdf, len, zero, 1, 1, &set, &err) < 0 && err.kind == ERR_INTERNAL,
		  "width 0");
	CHECK_RUN(pdf_thumbnails(pdf, len, huge, 1, 1, &set, &err) < 0, "width over the limit");
	CHECK_RUN(pdf_thumbnails(pdf, len, ok, 1, 0, &set, &err) < 0, "no pages asked for");
	free(pdf);
	struct fixture_page p = { 612, 792, fz_empty_rect, 0 };
	struct fixture_opts aes = { .encrypt = PDF_ENCRYPT_AES_128, .user_password = "pw" };
	pdf = fixture_pdf(&p, 1, &aes, &len);
	CHECK_RUN(pdf_thumbnails(pdf, len, ok, 1, 1, &set, &err) < 0 &&
		  err.kind == ERR_INVALID_FILE, "a password-protected PDF: %s", err.message);
	CHECK(set.png == NULL, "nothing allocated");
	free(pdf);
	const unsigned char junk[] = "%PDF-1.4 nothing here";
	CHECK_RUN(pdf_thumbnails(junk, sizeof junk - 1, ok, 1, 1, &set, &err) < 0 &&
		  err.kind == ERR_INVALID_FILE, "a damaged PDF");
}

/* png_fast round trips: every pixel back as it was, in RGB and in greyscale */
static void png_encoder(void)
{
	enum { W = 37, H = 23 };
	unsigned char rgb[H][W * 3 + 5], grey[H][W * 3];
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			rgb[y][3 * x] = (unsigned char)(x * 7);
			rgb[y][3 * x + 1] = (unsigned char)(y * 11);
			rgb[y][3 * x + 2] = (unsigned char)(x ^ y);
			grey[y][3 * x] = grey[y][3 * x + 1] = grey[y][3 * x + 2] = (unsigned char)(x + y);
		}
	size_t len;
	unsigned char *png = png_fast_rgb(&rgb[0][0], W, H, sizeof rgb[0], &len);
	CHECK(png != NULL, "encodes RGB with a padded stride");
	CHECK_INT(png[25], 2, "colour type truecolour");
	fz_pixmap *pix = decode(png, len);
	int same = pix && pix->w == W && pix->h == H;
	for (int y = 0; same && y < H; y++)
		same = memcmp(pix->samples + y * pix->stride, rgb[y], W * 3) == 0;
	CHECK(same, "decodes to the same pixels");
	fz_drop_pixmap(frank_fz(), pix);
	free(png);

	png = png_fast_rgb(&grey[0][0], W, H, sizeof grey[0], &len);
	CHECK(png != NULL, "encodes grey pixels");
	CHECK_INT(png[25], 0, "as greyscale");
	pix = decode(png, len);
	same = pix && pix->w == W && pix->h == H;
	for (int y = 0; same && y < H; y++)
		same = memcmp(pix->samples + y * pix->stride, grey[y], W * 3) == 0;
	CHECK(same, "decodes to the same pixels");
	fz_drop_pixmap(frank_fz(), pix);
	free(png);

	CHECK(png_fast_rgb(&rgb[0][0], 0, H, sizeof rgb[0], &len) == NULL, "width 0 refused");
	CHECK(png_fast_rgb(&rgb[0][0], W, H, 3, &len) == NULL, "a stride shorter than a row");
	CHECK(png_fast_rgb(NULL, W, H, sizeof rgb[0], &len) == NULL, "no samples");
}

int main(void)
{
	fixture_quiet();
	letter_thumbnails();
	page_shapes();
	refusals();
	png_encoder();
	return test_done();
}
