// SPDX-License-Identifier: AGPL-3.0-or-later
/* Inspecting a customer's PDF and applying Lob's file rules (see pdf_inspect.h). */
#include "pdf/pdf_inspect.h"
#include "pdf/budget.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_util.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* PDF 1.7 §7.5.2: the header may follow up to 1024 bytes of junk, as readers allow */
static bool looks_like_pdf(const unsigned char *data, size_t len)
{
	size_t scan = len < 1024 ? len : 1024;
	for (size_t i = 0; i + 5 <= scan; i++)
		if (memcmp(data + i, "%PDF-", 5) == 0)
			return true;
	return false;
}

/* a page box clipped to the media box; empty when absent or outside it */
static fz_rect page_box(fz_context *ctx, pdf_obj *page, pdf_obj *key, fz_rect media,
			bool inheritable)
{
	pdf_obj *o = inheritable ? pdf_dict_get_inheritable(ctx, page, key)
				 : pdf_dict_get(ctx, page, key);
	if (!pdf_is_array(ctx, o))
		return fz_empty_rect;
	return fz_intersect_rect(pdf_to_rect(ctx, o), media);
}

/* the page's printed size in inches (see the choice in pdf_inspect.h); throws when it has none */
static struct pdf_page_size page_size(fz_context *ctx, pdf_document *doc, int n)
{
	pdf_obj *page = pdf_lookup_page_obj(ctx, doc, n);
	fz_rect media = pdf_to_rect(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(MediaBox)));
	if (fz_is_empty_rect(media) || !isfinite(media.x1 - media.x0) ||
	    !isfinite(media.y1 - media.y0))
		fz_throw(ctx, FZ_ERROR_GENERIC, "page %d has no valid media box", n + 1);
	fz_rect box = page_box(ctx, page, PDF_NAME(TrimBox), media, false);
	if (fz_is_empty_rect(box))
		box = page_box(ctx, page, PDF_NAME(CropBox), media, true);
	if (fz_is_empty_rect(box))
		box = media;
	/* PDF 1.6 UserUnit: points are this many 1/72 inch (1 when absent or out of range) */
	double unit = pdf_dict_get_real(ctx, page, PDF_NAME(UserUnit));
	if (!(unit > 0 && unit <= 75000))
		unit = 1;
	double w = (box.x1 - box.x0) * unit / 72.0, h = (box.y1 - box.y0) * unit / 72.0;
	int rotate = pdf_to_int(ctx, pdf_dict_get_inheritable(ctx, page, PDF_NAME(Rotate)));
	rotate = ((rotate % 360) + 360) % 360;
	if (rotate == 90 || rotate == 270)
		return (struct pdf_page_size){ h, w };
	return (struct pdf_page_size){ w, h };
}

/*
 * The common part of inspect and check: opens the document and fills out; n_sized pages get
 * their size recorded; fonts are scanned on the first n_fonts pages (none when 0).
 * Returns the open document (caller drops) or throws.
 */
static pdf_document *inspect_open(fz_context *ctx, const unsigned char *data, size_t len,
				  struct pdf_info *out)
{
	memset(out, 0, sizeof *out);
	pdf_document *doc = pdfu_open(ctx, data, len);
	fz_try(ctx) {
		out->encrypted = pdf_dict_get(ctx, pdf_trailer(ctx, doc), PDF_NAME(Encrypt)) != NULL;
		out->needs_password = pdf_needs_password(ctx, doc);
		if (!out->needs_password) {
			int pages = pdf_count_pages(ctx, doc);
			if (pages <= 0)
				fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF has no pages");
			out->pages = (unsigned)pages;
		}
	}
	fz_catch(ctx) {
		pdf_drop_document(ctx, doc);
		fz_rethrow(ctx);
	}
	return doc;
}

static int fail_unreadable(fz_context *ctx, struct api_error *err)
{
	if (fz_caught(ctx) == FZ_ERROR_MEMORY)
		return api_fail(err, ERR_INTERNAL, "out of memory while reading the PDF");
	return api_fail(err, ERR_INVALID_FILE, "the PDF could not be read: %s",
			fz_caught_message(ctx));
}

static int precheck(const unsigned char *data, size_t len, struct api_error *err)
{
	if (len > PDF_MAX_INPUT_BYTES)
		return api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT,
				"the file is %zu bytes; the largest PDF accepted is %zu bytes", len,
				PDF_MAX_INPUT_BYTES);
	if (!data || !looks_like_pdf(data, len))
		return api_fail(err, ERR_INVALID_FILE, "the file is not a PDF");
	return 0;
}

int pdf_inspect(const unsigned char *data, size_t len, struct pdf_info *out,
		struct api_error *err)
{
	memset(out, 0, sizeof *out);
	if (precheck(data, len, err) < 0)
		return -1;
	struct render_job job;
	fz_context *ctx = render_job_begin(&job, err);
	if (!ctx)
		return -1;
	pdf_document *doc = NULL;
	int rc = 0;
	fz_var(doc);
	fz_try(ctx) {
		doc = inspect_open(ctx, data, len, out);
		unsigned sized = out->pages < PDF_INFO_MAX_PAGES ? out->pages : PDF_INFO_MAX_PAGES;
		for (unsigned p = 0; p < sized; p++)
			out->size[p] = page_size(ctx, doc, (int)p);
		pdf_fonts_scan(ctx, doc, (int)sized, out);
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx)
		rc = fail_unreadable(ctx, err);
	return render_job_end(&job, rc, err);
}

static bool same_size(double w1, double h1, double w2, double h2, double tol)
{
	return fabs(w1 - w2) <= tol && fabs(h1 - h2) <= tol;
}

/* the page rules on an open document; 0 or -1 with *err (never throws past its own try) */
static int check_pages(fz_context *ctx, pdf_document *doc, const struct pdf_expect *want,
		       struct pdf_info *info, struct api_error *err)
{
	if (want->min_pages && info->pages < want->min_pages)
		return api_fail(err, ERR_FILE_PAGES_BELOW_MIN,
				"the file has %u page%s; at least %u page%s required",
				info->pages, info->pages == 1 ? "" : "s", want->min_pages,
				want->min_pages == 1 ? " is" : "s are");
	if (want->max_pages && info->pages > want->max_pages)
		return api_fail(err, ERR_FILE_PAGES_EXCEED_MAX,
				"the file has %u pages; at most %u are allowed", info->pages,
				want->max_pages);
	double tol = want->tolerance_in > 0 ? want->tolerance_in : 0;
	struct pdf_page_size first = { 0, 0 }, s = { 0, 0 };
	unsigned bad = 0;	/* 1-based page whose size is wrong */
	fz_var(first);
	fz_var(s);
	fz_var(bad);
	fz_try(ctx) {
		for (unsigned p = 0; p < info->pages && !bad; p++) {
			s = page_size(ctx, doc, (int)p);
			if (p < PDF_INFO_MAX_PAGES)
				info->size[p] = s;
			if (p == 0)
				first = s;
			if (!same_size(s.width_in, s.height_in, first.width_in, first.height_in, tol))
				bad = p + 1;
		}
	}
	fz_catch(ctx)
		return fail_unreadable(ctx, err);
	char a[24], b[24], c[24], d[24];
	if (want->width_in > 0 &&
	    !same_size(first.width_in, first.height_in, want->width_in, want->height_in, tol))
		return api_fail(err, ERR_INVALID_FILE_DIMENSIONS,
				"file must be %s\"x%s\" (found %s\"x%s\" on page 1)",
				pdfu_inches(a, want->width_in), pdfu_inches(b, want->height_in),
				pdfu_inches(c, first.width_in), pdfu_inches(d, first.height_in));
	if (bad)
		return api_fail(err, ERR_INCONSISTENT_PAGE_DIMENSIONS,
				"all pages must have the same size: page 1 is %s\"x%s\", page %u is "
				"%s\"x%s\"", pdfu_inches(a, first.width_in), pdfu_inches(b, first.height_in), bad,
				pdfu_inches(c, s.width_in), pdfu_inches(d, s.height_in));
	return 0;
}

static int check_fonts(const struct pdf_info *info, struct api_error *err)
{
	if (info->n_unembedded == 0)
		return 0;
	char list[200] = "";
	size_t used = 0;
	for (size_t i = 0; i < info->n_unembedded && used < sizeof list; i++) {
		int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
				 info->unembedded[i]);
		used += n > 0 ? (size_t)n : 0;
	}
	return api_fail(err, ERR_UNEMBEDDED_FONTS,
			"the PDF uses fonts that are neither embedded nor standard: %s%s; embed "
			"all fonts when exporting the PDF", list,
			info->more_unembedded || used >= sizeof list ? ", …" : "");
}

/* each fz_try in a function of its own: setjmp must not see pdf_check's locals change */
static pdf_document *open_for_check(fz_context *ctx, const unsigned char *data, size_t len,
				    struct pdf_info *info, struct api_error *err)
{
	pdf_document *doc = NULL;
	fz_var(doc);
	fz_try(ctx)
		doc = inspect_open(ctx, data, len, info);
	fz_catch(ctx) {
		fail_unreadable(ctx, err);
		return NULL;
	}
	return doc;
}

static int scan_fonts(fz_context *ctx, pdf_document *doc, struct pdf_info *info,
		      struct api_error *err)
{
	fz_try(ctx)
		pdf_fonts_scan(ctx, doc, (int)info->pages, info);
	fz_catch(ctx)
		return fail_unreadable(ctx, err);
	return check_fonts(info, err);
}

int pdf_check(const unsigned char *data, size_t len, const struct pdf_expect *want,
	      struct pdf_info *out, struct api_error *err)
{
	struct pdf_info local;
	struct pdf_info *info = out ? out : &local;
	memset(info, 0, sizeof *info);
	if (want->max_bytes && len > want->max_bytes)
		return api_fail(err, ERR_FILE_SIZE_EXCEEDS_LIMIT,
				"the file is %zu bytes; the limit is %zu bytes", len, want->max_bytes);
	if (precheck(data, len, err) < 0)
		return -1;
	struct render_job job;
	fz_context *ctx = render_job_begin(&job, err);
	if (!ctx)
		return -1;
	pdf_document *doc = open_for_check(ctx, data, len, info, err);
	if (!doc)
		return render_job_end(&job, -1, err);
	int rc = 0;
	if (info->encrypted)
		rc = api_fail(err, ERR_PDF_ENCRYPTED,
			      "the PDF is encrypted; save it without a password or restrictions");
	if (rc == 0)
		rc = check_pages(ctx, doc, want, info, err);
	if (rc == 0)
		rc = scan_fonts(ctx, doc, info, err);
	pdf_drop_document(ctx, doc);
	return render_job_end(&job, rc, err);
}
