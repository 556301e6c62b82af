// SPDX-License-Identifier: AGPL-3.0-or-later
/* PNG/JPEG artwork → a one-page PDF of the product's size (see image_pdf.h). */
#include "pdf/image_pdf.h"
#include "pdf/budget.h"
#include "pdf/pdf_util.h"
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool starts_with_ci(const unsigned char *p, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (tolower(p[i]) != word[i])
			return false;
	return true;
}

enum file_type sniff_file_type(const unsigned char *data, size_t len)
{
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	if (!data)
		return FILE_TYPE_UNKNOWN;
	if (len >= 8 && memcmp(data, png, 8) == 0)
		return FILE_TYPE_PNG;
	if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		return FILE_TYPE_JPEG;
	size_t head = len < 1024 ? len : 1024;
	for (size_t i = 0; i + 5 <= head; i++)
		if (memcmp(data + i, "%PDF-", 5) == 0)
			return FILE_TYPE_PDF;
	/* HTML: text (no NUL in the first KiB) that opens with a tag, comment or doctype */
	if (memchr(data, 0, head))
		return FILE_TYPE_UNKNOWN;
	size_t i = 0;
	if (len >= 3 && data[0] == 0xef && data[1] == 0xbb && data[2] == 0xbf)
		i = 3;
	while (i < head && isspace(data[i]))
		i++;
	if (i + 1 < len && data[i] == '<' && (isalpha(data[i + 1]) || data[i + 1] == '!'))
		if (data[i + 1] != '!' || starts_with_ci(data + i, len - i, "<!doctype") ||
		    starts_with_ci(data + i, len - i, "<!--"))
			return FILE_TYPE_HTML;
	return FILE_TYPE_UNKNOWN;
}

/*
 * The matrix that draws the stored image upright into the unit square, per MuPDF's
 * orientation codes (fz_image_orientation: 1-4 rotate 0/90/180/270 ccw, 5-8 flip on X first).
 */
static fz_matrix orientation_matrix(int o)
{
	switch (o) {
	case 2: return fz_make_matrix(0, 1, -1, 0, 1, 0);
	case 3: return fz_make_matrix(-1, 0, 0, -1, 1, 1);
	case 4: return fz_make_matrix(0, -1, 1, 0, 0, 1);
	case 5: return fz_make_matrix(-1, 0, 0, 1, 1, 0);
	case 6: return fz_make_matrix(0, -1, -1, 0, 1, 1);
	case 7: return fz_make_matrix(1, 0, 0, -1, 0, 1);
	case 8: return fz_make_matrix(0, 1, 1, 0, 0, 0);
	default: return fz_identity;
	}
}

static bool quarter_turned(int o)
{
	return o == 2 || o == 4 || o == 6 || o == 8;
}

/* Lob's rules on the image as it is viewed (w x h pixels); 0 or -1 with *err */
static int check_image(int w, int h, double want_w, double want_h, double tol,
		       struct api_error *err)
{
	char a[24], b[24], c[24];
	double h_at_width = (double)h * want_w / (double)w;
	if (fabs(h_at_width - want_h) > tol)
		return api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
				"the image's aspect ratio must be %s\"x%s\" (a %dx%d pixel image "
				"would be %s\" high at that width)", pdfu_inches(a, want_w),
				pdfu_inches(b, want_h), w, h, pdfu_inches(c, h_at_width));
	double dpi = fmin((double)w / want_w, (double)h / want_h);
	if (dpi + 1e-9 < IMAGE_MIN_DPI)
		return api_fail(err, ERR_INVALID_IMAGE_DPI,
				"the image is %dx%d pixels, %.0f DPI at %s\"x%s\"; at least %d DPI "
				"(%.0fx%.0f pixels) is required", w, h, floor(dpi),
				pdfu_inches(a, want_w), pdfu_inches(b, want_h), IMAGE_MIN_DPI,
				ceil(want_w * IMAGE_MIN_DPI), ceil(want_h * IMAGE_MIN_DPI));
	return 0;
}

/* the image on a page of w x h points, saved (throws) */
static void write_page(fz_context *ctx, fz_image *img, float w, float h, unsigned char **out,
		       size_t *out_len)
{
	pdf_document *doc = pdf_create_document(ctx);
	pdf_obj *res = NULL, *page = NULL;
	fz_buffer *contents = NULL;
	fz_var(res);
	fz_var(page);
	fz_var(contents);
	fz_try(ctx) {
		res = pdf_new_dict(ctx, doc, 1);
		pdf_obj *xobjs = pdf_dict_put_dict(ctx, res, PDF_NAME(XObject), 1);
		pdf_dict_puts_drop(ctx, xobjs, "Im0", pdf_add_image(ctx, doc, img));
		fz_matrix m = fz_concat(orientation_matrix(fz_image_orientation(ctx, img)),
					fz_scale(w, h));
		contents = fz_new_buffer(ctx, 64);
		fz_append_printf(ctx, contents, "q %g %g %g %g %g %g cm /Im0 Do Q\n", m.a, m.b, m.c,
				 m.d, m.e, m.f);
		page = pdf_add_page(ctx, doc, fz_make_rect(0, 0, w, h), 0, res, contents);
		pdf_insert_page(ctx, doc, -1, page);
		/* compressed: a PNG's pixels are stored decoded otherwise (JPEGs pass through) */
		pdfu_save(ctx, doc, 1, out, out_len);
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, page);
		pdf_drop_obj(ctx, res);
		fz_drop_buffer(ctx, contents);
		pdf_drop_document(ctx, doc);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

static bool not_an_image(const unsigned char *data, size_t len, struct api_error *err)
{
	enum file_type type = sniff_file_type(data, len);
	if (type == FILE_TYPE_PNG || type == FILE_TYPE_JPEG)
		return false;
	api_fail(err, ERR_INVALID_FILE, "the file is not a PNG or JPEG image");
	return true;
}

/* the size as shown: width and height swap for a quarter turn */
static void shown_size(fz_context *ctx, fz_image *img, int *w, int *h)
{
	bool turned = quarter_turned(fz_image_orientation(ctx, img));
	*w = turned ? img->h : img->w;
	*h = turned ? img->w : img->h;
}

int image_size(const unsigned char *data, size_t len, int *w_out, int *h_out,
	       struct api_error *err)
{
	*w_out = *h_out = 0;
	if (not_an_image(data, len, err))
		return -1;
	struct render_job job;
	fz_context *ctx = render_job_begin(&job, err);
	if (!ctx)
		return -1;
	fz_buffer *buf = NULL;
	fz_image *img = NULL;
	int rc = 0;
	fz_var(buf);
	fz_var(img);
	fz_var(rc);
	fz_try(ctx) {
		buf = fz_new_buffer_from_shared_data(ctx, data, len);
		img = fz_new_image_from_buffer(ctx, buf);	/* reads the header only */
		shown_size(ctx, img, w_out, h_out);
	}
	fz_always(ctx) {
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx) {
		rc = api_fail(err, ERR_INVALID_FILE, "the image could not be read: %s",
			      fz_caught_message(ctx));
	}
	return render_job_end(&job, rc, err);
}

int image_to_pdf(const unsigned char *data, size_t len, double want_w_in, double want_h_in,
		 double tol_in, unsigned char **pdf_out, size_t *pdf_len, struct api_error *err)
{
	*pdf_out = NULL;
	*pdf_len = 0;
	if (!(want_w_in > 0 && want_h_in > 0 && want_w_in < 1000 && want_h_in < 1000))
		return api_fail(err, ERR_INTERNAL, "the page size %gx%g is not valid", want_w_in,
				want_h_in);
	if (not_an_image(data, len, err))
		return -1;
	if (len > PDF_MAX_INPUT_BYTES)
		return api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT, "the image is larger than %zu bytes",
				PDF_MAX_INPUT_BYTES);
	struct render_job job;
	fz_context *ctx = render_job_begin(&job, err);
	if (!ctx)
		return -1;
	fz_buffer *buf = NULL;
	fz_image *img = NULL;
	int w = 0, h = 0, rc = 0;
	fz_var(buf);
	fz_var(img);
	fz_var(w);
	fz_var(h);
	fz_var(rc);
	fz_try(ctx) {
		buf = fz_new_buffer_from_shared_data(ctx, data, len);
		img = fz_new_image_from_buffer(ctx, buf);	/* reads the header only */
		shown_size(ctx, img, &w, &h);
		if (w <= 0 || h <= 0 || w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE ||
		    (unsigned long long)w * (unsigned long long)h > IMAGE_MAX_PIXELS)
			rc = api_fail(err, ERR_INVALID_FILE,
				      "the image is %dx%d pixels; at most %u pixels are accepted", w, h,
				      IMAGE_MAX_PIXELS);
		if (rc == 0)
			rc = check_image(w, h, want_w_in, want_h_in, tol_in, err);
		if (rc == 0)
			write_page(ctx, img, (float)(want_w_in * 72), (float)(want_h_in * 72), pdf_out,
				   pdf_len);
	}
	fz_always(ctx) {
		fz_drop_image(ctx, img);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx) {
		if (fz_caught(ctx) == FZ_ERROR_MEMORY)
			rc = api_fail(err, ERR_INTERNAL, "out of memory converting the image");
		else
			rc = api_fail(err, ERR_INVALID_FILE, "the image could not be read: %s",
				      fz_caught_message(ctx));
	}
	return render_job_end(&job, rc, err);
}
