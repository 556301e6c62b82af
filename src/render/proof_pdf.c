/* Customer PDFs and images: checked against the product's page size and limits; thumbnails. */
#include "render/proof_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

pdf_document *proof_open_pdf(fz_context *ctx, const unsigned char *data, size_t len)
{
	fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, data, len);
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	fz_var(stm);
	fz_try(ctx) {
		stm = fz_open_buffer(ctx, buf);
		doc = pdf_open_document_with_stream(ctx, stm);
	}
	fz_always(ctx) {
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return doc;
}

int proof_save_pdf(fz_context *ctx, pdf_document *doc, unsigned char **out, size_t *out_len)
{
	fz_buffer *buf = fz_new_buffer(ctx, 65536);
	fz_output *o = NULL;
	int rc = -1;
	fz_var(o);
	fz_try(ctx) {
		o = fz_new_output_with_buffer(ctx, buf);
		pdf_write_options opts = pdf_default_write_options;
		opts.do_compress = 1;
		opts.do_garbage = 1;
		pdf_write_document(ctx, doc, o, &opts);
		fz_close_output(ctx, o);
		rc = proof_take_buffer(ctx, buf, out, out_len);
	}
	fz_always(ctx) {
		fz_drop_output(ctx, o);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return rc;
}

/* a page's trim box if it has one, else its media box, in inches */
static void page_size(fz_context *ctx, pdf_document *doc, int i, double *w, double *h)
{
	pdf_obj *page = pdf_lookup_page_obj(ctx, doc, i);
	pdf_obj *box = pdf_dict_get_inheritable(ctx, page, PDF_NAME(TrimBox));
	if (!pdf_is_array(ctx, box))
		box = pdf_dict_get_inheritable(ctx, page, PDF_NAME(MediaBox));
	fz_rect r = pdf_to_rect(ctx, box);
	int rot = pdf_to_int(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(Rotate)));
	*w = (r.x1 - r.x0) / 72.0;
	*h = (r.y1 - r.y0) / 72.0;
	if (rot % 180 != 0) {	/* a rotated page prints as its rotated size */
		double t = *w;
		*w = *h;
		*h = t;
	}
}

int proof_pdf_check(const unsigned char *pdf, size_t len, const struct proof_expect *want,
		    unsigned *pages, struct api_error *err)
{
	fz_context *ctx = frank_fz();
	pdf_document *volatile doc = NULL;
	volatile int rc = 0;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	fz_try(ctx) {
		doc = proof_open_pdf(ctx, pdf, len);
		if (pdf_needs_password(ctx, doc) || doc->crypt != NULL) {
			rc = api_fail(err, ERR_PDF_ENCRYPTED,
				      "The PDF is encrypted: send it without a password or permissions");
		} else {
			int n = pdf_count_pages(ctx, doc);
			double w0 = 0, h0 = 0;
			*pages = (unsigned)n;
			if (n < (int)want->min_pages)
				rc = api_fail(err, ERR_FILE_PAGES_BELOW_MIN,
					      "The file has %d pages; at least %u are needed", n,
					      want->min_pages);
			else if (want->max_pages && n > (int)want->max_pages)
				rc = api_fail(err, ERR_FILE_PAGES_EXCEED_MAX,
					      "The file has %d pages; at most %u are allowed", n,
					      want->max_pages);
			for (int i = 0; i < n && rc == 0; i++) {
				double w, h;
				page_size(ctx, doc, i, &w, &h);
				if (i == 0) {
					w0 = w;
					h0 = h;
				} else if (fabs(w - w0) > 0.01 || fabs(h - h0) > 0.01) {
					rc = api_fail(err, ERR_INCONSISTENT_PAGE_DIMENSIONS,
						      "All pages must have the same size: page 1 is "
						      "%.2f\"x%.2f\", page %d is %.2f\"x%.2f\"",
						      w0, h0, i + 1, w, h);
					break;
				}
				if (fabs(w - want->width_in) > want->tolerance_in ||
				    fabs(h - want->height_in) > want->tolerance_in)
					rc = api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
						      "The file must be %.3g\"x%.3g\" (found %.2f\"x%.2f\" on "
						      "page %d)", want->width_in, want->height_in, w, h, i + 1);
			}
		}
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx)
		return api_fail(err, ERR_INVALID_FILE, "The file is not a readable PDF: %s",
				fz_caught_message(ctx));
	return rc;
}

int proof_image_to_pdf(const unsigned char *img, size_t len, double w_in, double h_in,
		       unsigned char **pdf, size_t *pdf_len, struct api_error *err)
{
	fz_context *ctx = frank_fz();
	fz_buffer *buf = NULL, *out = NULL;
	fz_image *image = NULL;
	fz_document_writer *wri = NULL;
	volatile int rc = 0;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	fz_var(buf);
	fz_var(out);
	fz_var(image);
	fz_var(wri);
	fz_try(ctx) {
		buf = fz_new_buffer_from_copied_data(ctx, img, len);
		image = fz_new_image_from_buffer(ctx, buf);
		double dpi_w = image->w / w_in, dpi_h = image->h / h_in;
		/* the artwork must fill the product: same aspect ratio, at least 300 DPI */
		if (fabs((double)image->w / image->h - w_in / h_in) > 0.01) {
			rc = api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
				      "The image is %dx%d pixels: its proportions must be %.3g\"x%.3g\"",
				      image->w, image->h, w_in, h_in);
		} else if (dpi_w < 299.5 || dpi_h < 299.5) {
			rc = api_fail(err, ERR_INVALID_IMAGE_DPI,
				      "The image is %.0f DPI at %.3g\"x%.3g\": at least 300 DPI is needed "
				      "(%.0fx%.0f pixels)", dpi_w, w_in, h_in, w_in * 300, h_in * 300);
		} else {
			fz_rect page = { 0, 0, (float)(w_in * 72), (float)(h_in * 72) };
			out = fz_new_buffer(ctx, len + 4096);
			wri = fz_new_pdf_writer_with_output(ctx, fz_new_output_with_buffer(ctx, out), "");
			fz_device *dev = fz_begin_page(ctx, wri, page);
			fz_fill_image(ctx, dev, image, fz_scale(page.x1, page.y1), 1, fz_default_color_params);
			fz_end_page(ctx, wri);
			fz_close_document_writer(ctx, wri);
			if (proof_take_buffer(ctx, out, pdf, pdf_len) < 0)
				rc = api_fail(err, ERR_INTERNAL, "out of memory");
		}
	}
	fz_always(ctx) {
		fz_drop_document_writer(ctx, wri);
		fz_drop_image(ctx, image);
		fz_drop_buffer(ctx, buf);
		fz_drop_buffer(ctx, out);
	}
	fz_catch(ctx)
		return api_fail(err, ERR_INVALID_FILE, "The image could not be read: %s",
				fz_caught_message(ctx));
	return rc;
}

int proof_thumbnail(const unsigned char *pdf, size_t len, unsigned page, unsigned width_px,
		    unsigned char **png, size_t *png_len, struct api_error *err)
{
	fz_context *ctx = frank_fz();
	pdf_document *volatile doc = NULL;
	fz_page *volatile pg = NULL;
	fz_pixmap *volatile pix = NULL;
	fz_buffer *volatile buf = NULL;
	volatile int rc = 0;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	fz_try(ctx) {
		doc = proof_open_pdf(ctx, pdf, len);
		pg = fz_load_page(ctx, (fz_document *)doc, (int)page);
		fz_rect b = fz_bound_page(ctx, pg);
		float scale = width_px / (b.x1 - b.x0);
		pix = fz_new_pixmap_from_page(ctx, pg, fz_scale(scale, scale), fz_device_rgb(ctx), 0);
		buf = fz_new_buffer_from_pixmap_as_png(ctx, pix, fz_default_color_params);
		if (proof_take_buffer(ctx, buf, png, png_len) < 0)
			rc = api_fail(err, ERR_INTERNAL, "out of memory");
	}
	fz_always(ctx) {
		fz_drop_buffer(ctx, buf);
		fz_drop_pixmap(ctx, pix);
		fz_drop_page(ctx, pg);
		pdf_drop_document(ctx, doc);
	}
	fz_catch(ctx)
		return api_fail(err, ERR_INTERNAL, "thumbnail of page %u: %s", page + 1,
				fz_caught_message(ctx));
	return rc;
}
