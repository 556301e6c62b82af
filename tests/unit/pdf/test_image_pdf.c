// SPDX-License-Identifier: AGPL-3.0-or-later
/* image_to_pdf, image_size and sniff_file_type: PNGs made with MuPDF, JPEGs with libjpeg (EXIF added). */
#include "test.h"
#include "pdf/image_pdf.h"
#include "pdf/pdf_fixtures.h"
#include <math.h>
#include <stdio.h>
#include <jpeglib.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* an RGB pixmap, white with its top `red_rows` rows red */
static fz_pixmap *picture(int w, int h, int red_rows)
{
	fz_context *ctx = frank_fz();
	fz_pixmap *pix = fz_new_pixmap(ctx, fz_device_rgb(ctx), w, h, NULL, 0);
	fz_clear_pixmap_with_value(ctx, pix, 255);
	unsigned char *s = fz_pixmap_samples(ctx, pix);
	int stride = fz_pixmap_stride(ctx, pix);
	for (int y = 0; y < red_rows && y < h; y++)
		for (int x = 0; x < w; x++) {
			s[y * stride + x * 3 + 1] = 0;
			s[y * stride + x * 3 + 2] = 0;
		}
	return pix;
}

static unsigned char *png_bytes(int w, int h, size_t *len)
{
	fz_context *ctx = frank_fz();
	fz_pixmap *pix = picture(w, h, 0);
	fz_buffer *buf = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
	unsigned char *data;
	*len = fz_buffer_storage(ctx, buf, &data);
	unsigned char *copy = malloc(*len);
	memcpy(copy, data, *len);
	fz_drop_buffer(ctx, buf);
	fz_drop_pixmap(ctx, pix);
	return copy;
}

/* a JPEG of the picture with an EXIF orientation tag (0: none) */
static unsigned char *jpeg_bytes(int w, int h, int red_rows, int exif_orientation, size_t *len)
{
	fz_pixmap *pix = picture(w, h, red_rows);
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *out = NULL;
	unsigned long out_len = 0;
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &out_len);
	c.image_width = (JDIMENSION)w;
	c.image_height = (JDIMENSION)h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 80, TRUE);
	jpeg_start_compress(&c, TRUE);
	if (exif_orientation) {
		/* "Exif\0\0", a little-endian TIFF header, one IFD entry: Orientation (0x0112) */
		unsigned char exif[] = { 'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,
					 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0,
					 (unsigned char)exif_orientation, 0, 0, 0, 0, 0, 0, 0 };
		jpeg_write_marker(&c, JPEG_APP0 + 1, exif, sizeof exif);
	}
	unsigned char *s = fz_pixmap_samples(frank_fz(), pix);
	int stride = fz_pixmap_stride(frank_fz(), pix);
	while (c.next_scanline < c.image_height) {
		JSAMPROW row = s + (size_t)c.next_scanline * (size_t)stride;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fz_drop_pixmap(frank_fz(), pix);
	*len = out_len;
	return out;
}

/* the colour of the pixel at (fx, fy) (fractions of the page) of a PDF's page 1, 0xRRGGBB */
static unsigned pixel_at(const unsigned char *pdf, size_t len, double fx, double fy)
{
	fz_context *ctx = frank_fz();
	unsigned rgb = 0xffffffffu;
	fz_stream *stm = NULL;
	fz_document *doc = NULL;
	fz_pixmap *pix = NULL;
	fz_var(stm);
	fz_var(doc);
	fz_var(pix);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		pix = fz_new_pixmap_from_page_number(ctx, doc, 0, fz_scale(0.25f, 0.25f),
						     fz_device_rgb(ctx), 0);
		int x = (int)(fx * (pix->w - 1)), y = (int)(fy * (pix->h - 1));
		unsigned char *p = pix->samples + y * pix->stride + x * pix->n;
		rgb = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
	}
	fz_always(ctx) {
		fz_drop_pixmap(ctx, pix);
		fz_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		rgb = 0xffffffffu;
	return rgb;
}

static bool reddish(unsigned rgb)
{
	return rgb != 0xffffffffu && (rgb >> 16) > 200 && ((rgb >> 8) & 0xff) < 60 && (rgb & 0xff) < 60;
}

static bool whitish(unsigned rgb)
{
	return rgb != 0xffffffffu && (rgb >> 16) > 220 && ((rgb >> 8) & 0xff) > 220 && (rgb & 0xff) > 220;
}

static void sniffing(void)
{
	const unsigned char pdf[] = "%PDF-1.7\n", junk_pdf[] = "\n\n  junk %PDF-1.4";
	const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
	const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0 };
	CHECK_INT_RUN(sniff_file_type(pdf, sizeof pdf - 1), FILE_TYPE_PDF, "PDF");
	CHECK_INT_RUN(sniff_file_type(junk_pdf, sizeof junk_pdf - 1), FILE_TYPE_PDF, "PDF after junk");
	CHECK_INT_RUN(sniff_file_type(png, sizeof png), FILE_TYPE_PNG, "PNG");
	CHECK_INT_RUN(sniff_file_type(jpg, sizeof jpg), FILE_TYPE_JPEG, "JPEG");
	const char *html[] = { "<html><body>hi</body></html>", "\xef\xbb\xbf  <!DOCTYPE html><p>",
			       "\n<div>x</div>", "<!-- c --><p>x</p>", "<STYLE>p{}</STYLE>" };
	for (size_t i = 0; i < sizeof html / sizeof html[0]; i++)
		CHECK_INT_RUN(sniff_file_type((const unsigned char *)html[i], strlen(html[i])),
			  FILE_TYPE_HTML, "HTML %zu", i);
	const char *other[] = { "GIF89a", "hello <b>", "<", "<!x>", "", "< p>" };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		CHECK_INT_RUN(sniff_file_type((const unsigned char *)other[i], strlen(other[i])),
			  FILE_TYPE_UNKNOWN, "not a known type: \"%s\"", other[i]);
	CHECK_INT_RUN(sniff_file_type(NULL, 0), FILE_TYPE_UNKNOWN, "NULL");
}

static int convert(const unsigned char *img, size_t len, unsigned char **pdf, size_t *pdf_len,
		   struct api_error *err)
{
	*err = (struct api_error){ 0 };
	return image_to_pdf(img, len, 4.25, 6.25, 0.05, pdf, pdf_len, err);
}

static void pngs(void)
{
	size_t len, pdf_len;
	unsigned char *pdf;
	struct api_error err;
	unsigned char *png = png_bytes(1275, 1875, &len);
	CHECK_RUN(convert(png, len, &pdf, &pdf_len, &err) == 0, "300 DPI postcard PNG: %s", err.message);
	CHECK_INT_RUN(fixture_count_pages(pdf, pdf_len), 1, "one page");
	CHECK_RUN(fabs(fixture_page_width(pdf, pdf_len, 0) - 306) < 0.01, "4.25 inches wide");
	CHECK_RUN(pdf_len < len + 40000, "pixels stored compressed (%zu bytes for a %zu-byte PNG)",
	      pdf_len, len);
	free(pdf);
	free(png);

	png = png_bytes(638, 938, &len);	/* 150 DPI */
	CHECK_RUN(convert(png, len, &pdf, &pdf_len, &err) < 0, "150 DPI refused");
	CHECK_INT_RUN(err.kind, ERR_INVALID_IMAGE_DPI, "invalid_image_dpi");
	CHECK_STR(err.message, "the image is 638x938 pixels, 150 DPI at 4.25\"x6.25\"; at least "
		  "300 DPI (1275x1875 pixels) is required", "the message says what is needed");
	CHECK_RUN(pdf == NULL, "no output");
	free(png);

	png = png_bytes(1274, 1873, &len);
	CHECK_RUN(convert(png, len, &pdf, &pdf_len, &err) < 0 && err.kind == ERR_INVALID_IMAGE_DPI,
	      "299.8 DPI refused");
	free(png);

	png = png_bytes(1875, 1875, &len);
	CHECK_RUN(convert(png, len, &pdf, &pdf_len, &err) < 0 && err.kind == ERR_INVALID_FILE_DIMENSIONS,
	      "a square image for a postcard: %s", err.message);
	free(png);

	png = png_bytes(1875, 1275, &len);
	CHECK_RUN(convert(png, len, &pdf, &pdf_len, &err) < 0 && err.kind == ERR_INVALID_FILE_DIMENSIONS,
	      "landscape pixels for a portrait page");
	free(png);

	/* a PNG whose header claims 60000 x 60000 pixels: refused before anything is decoded */
	png = png_bytes(16, 16, &len);
	unsigned char big[4] = { 0, 0, 0xea, 0x60 };
	memcpy(png + 16, big, 4);
	memcpy(png + 20, big, 4);
	uLong crc = crc32(0, png + 12, 17);
	unsigned char c[4] = { (unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
			       (unsigned char)(crc >> 8), (unsigned char)crc };
	memcpy(png + 29, c, 4);
	CHECK_RUN(convert(png, len, &pdf, &pdf_len, &err) < 0 && err.kind == ERR_INVALID_FILE,
	      "a decompression bomb: %s", err.message);
	free(png);

	png = png_bytes(1275, 1875, &len);
	CHECK_RUN(convert(png, len / 2, &pdf, &pdf_len, &err) < 0 || pdf_len > 0,
	      "a truncated PNG is refused or converted, never a crash");
	if (pdf)
		free(pdf);
	free(png);

	const unsigned char gif[] = "GIF89a\x01\x00\x01\x00";
	CHECK_RUN(convert(gif, sizeof gif - 1, &pdf, &pdf_len, &err) < 0 && err.kind == ERR_INVALID_FILE,
	      "a GIF is not accepted");
}

static void jpegs(void)
{
	size_t len, pdf_len;
	unsigned char *pdf;
	struct api_error err;
	unsigned char *jpg = jpeg_bytes(1275, 1875, 400, 0, &len);
	CHECK_RUN(convert(jpg, len, &pdf, &pdf_len, &err) == 0, "300 DPI JPEG: %s", err.message);
	CHECK_RUN(pdf_len < len + 4000, "the JPEG passes through (%zu bytes for %zu)", pdf_len, len);
	CHECK_RUN(reddish(pixel_at(pdf, pdf_len, 0.5, 0.05)), "red at the top");
	CHECK_RUN(whitish(pixel_at(pdf, pdf_len, 0.5, 0.95)), "white at the bottom");
	free(pdf);
	free(jpg);

	/* stored landscape, EXIF 6 "rotate 90° clockwise to view": a portrait image whose
	 * stored top (red) shows on the right */
	jpg = jpeg_bytes(1875, 1275, 400, 6, &len);
	CHECK_RUN(convert(jpg, len, &pdf, &pdf_len, &err) == 0, "EXIF-rotated JPEG fits: %s",
	      err.message);
	CHECK_RUN(reddish(pixel_at(pdf, pdf_len, 0.95, 0.5)), "red on the right");
	CHECK_RUN(whitish(pixel_at(pdf, pdf_len, 0.05, 0.5)), "white on the left");
	free(pdf);
	free(jpg);

	jpg = jpeg_bytes(1875, 1275, 400, 8, &len);	/* rotate 90° counter-clockwise */
	CHECK_RUN(convert(jpg, len, &pdf, &pdf_len, &err) == 0, "EXIF 8");
	CHECK_RUN(reddish(pixel_at(pdf, pdf_len, 0.05, 0.5)), "red on the left");
	free(pdf);
	free(jpg);

	jpg = jpeg_bytes(1275, 1875, 400, 3, &len);	/* upside down */
	CHECK_RUN(convert(jpg, len, &pdf, &pdf_len, &err) == 0, "EXIF 3");
	CHECK_RUN(reddish(pixel_at(pdf, pdf_len, 0.5, 0.95)), "red at the bottom");
	free(pdf);
	free(jpg);
}

/* image_size: the pixel size as shown, from the header (Informed Delivery's 300x200 limit) */
static void sizes(void)
{
	struct api_error err;
	size_t len;
	int w, h;
	unsigned char *jpg = jpeg_bytes(300, 200, 10, 0, &len);
	CHECK_RUN(image_size(jpg, len, &w, &h, &err) == 0 && w == 300 && h == 200,
		  "JPEG 300x200 (%dx%d)", w, h);
	free(jpg);
	jpg = jpeg_bytes(200, 300, 10, 6, &len);	/* stored upright, shown turned */
	CHECK_RUN(image_size(jpg, len, &w, &h, &err) == 0 && w == 300 && h == 200,
		  "EXIF-turned JPEG is 300x200 as shown (%dx%d)", w, h);
	free(jpg);
	unsigned char *png = png_bytes(12, 7, &len);
	CHECK_RUN(image_size(png, len, &w, &h, &err) == 0 && w == 12 && h == 7, "PNG 12x7");
	free(png);
	static const unsigned char junk[] = "GIF89a not one of ours";
	CHECK_RUN(image_size(junk, sizeof junk, &w, &h, &err) < 0 && err.kind == ERR_INVALID_FILE,
		  "a GIF is invalid_file");
	static const unsigned char cut[] = { 0xff, 0xd8, 0xff, 0xe0, 0x00 };
	CHECK_RUN(image_size(cut, sizeof cut, &w, &h, &err) < 0 && err.kind == ERR_INVALID_FILE,
		  "a truncated JPEG is invalid_file: %s", err.message);
}

int main(void)
{
	fixture_quiet();
	sniffing();
	pngs();
	jpegs();
	sizes();
	return test_done();
}
