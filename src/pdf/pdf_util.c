// SPDX-License-Identifier: AGPL-3.0-or-later
/* PDF plumbing: open from memory, save to memory, merge, split (see pdf_util.h). */
#include "pdf/pdf_util.h"
#include "pdf/budget.h"
#include "pdf/fz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pdf_document *pdfu_open(fz_context *ctx, const unsigned char *data, size_t len)
{
	if (len > PDF_MAX_INPUT_BYTES)
		fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF is larger than %zu bytes",
			 PDF_MAX_INPUT_BYTES);
	fz_stream *stm = fz_open_memory(ctx, data, len);
	pdf_document *doc = NULL;
	fz_try(ctx)
		doc = pdf_open_document_with_stream(ctx, stm);
	fz_always(ctx)
		fz_drop_stream(ctx, stm);	/* the document keeps its own reference */
	fz_catch(ctx)
		fz_rethrow(ctx);
	return doc;
}

const char *pdfu_inches(char buf[24], double v)
{
	snprintf(buf, 24, "%.2f", v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf) - 1;
		while (end > dot && *end == '0')
			*end-- = '\0';
		if (end == dot)
			*end = '\0';
	}
	return buf;
}

unsigned char *pdfu_buffer_copy(fz_context *ctx, fz_buffer *buf, size_t *len)
{
	unsigned char *data = NULL;
	size_t n = fz_buffer_storage(ctx, buf, &data);
	unsigned char *copy = malloc(n ? n : 1);
	if (!copy)
		fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory copying %zu bytes", n);
	if (n)
		memcpy(copy, data, n);
	*len = n;
	return copy;
}

void pdfu_save(fz_context *ctx, pdf_document *doc, int compress, unsigned char **out,
	       size_t *out_len)
{
	pdf_write_options opts = pdf_default_write_options;
	opts.do_compress = compress;
	opts.do_compress_images = compress;
	opts.do_compress_fonts = compress;
	fz_buffer *buf = fz_new_buffer(ctx, 16384);
	fz_output *o = NULL;
	fz_var(o);
	fz_try(ctx) {
		o = fz_new_output_with_buffer(ctx, buf);
		pdf_write_document(ctx, doc, o, &opts);
		fz_close_output(ctx, o);
		*out = pdfu_buffer_copy(ctx, buf, out_len);
	}
	fz_always(ctx) {
		fz_drop_output(ctx, o);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* the page's own XObject dictionary (inherited or shared ones are copied first) */
static pdf_obj *own_xobjects(fz_context *ctx, pdf_document *doc, pdf_obj *page)
{
	pdf_obj *res = pdf_dict_get(ctx, page, PDF_NAME(Resources));
	if (!pdf_is_dict(ctx, res) || pdf_is_indirect(ctx, res)) {
		pdf_obj *from = pdf_dict_get_inheritable(ctx, page, PDF_NAME(Resources));
		res = pdf_is_dict(ctx, from) ? pdf_copy_dict(ctx, from) : pdf_new_dict(ctx, doc, 1);
		pdf_dict_put_drop(ctx, page, PDF_NAME(Resources), res);
	}
	pdf_obj *xobjects = pdf_dict_get(ctx, res, PDF_NAME(XObject));
	if (!pdf_is_dict(ctx, xobjects))
		return pdf_dict_put_dict(ctx, res, PDF_NAME(XObject), 1);
	if (pdf_is_indirect(ctx, xobjects)) {
		xobjects = pdf_copy_dict(ctx, xobjects);
		pdf_dict_put_drop(ctx, res, PDF_NAME(XObject), xobjects);
	}
	return xobjects;
}

void pdfu_draw_form_over(fz_context *ctx, pdf_document *doc, pdf_obj *page, pdf_obj *xobj,
			 const char *prefix)
{
	pdf_obj *old = NULL;
	fz_buffer *pre = NULL, *post = NULL;
	fz_var(old);
	fz_var(pre);
	fz_var(post);
	fz_try(ctx) {
		pdf_obj *xobjects = own_xobjects(ctx, doc, page);
		char name[64];
		snprintf(name, sizeof name, "%.40s", prefix);
		for (int i = 1; pdf_dict_gets(ctx, xobjects, name) && i < 100000; i++)
			snprintf(name, sizeof name, "%.40s%d", prefix, i);
		pdf_dict_puts(ctx, xobjects, name, xobj);
		pre = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)"q\n", 2);
		post = fz_new_buffer(ctx, 80);
		fz_append_printf(ctx, post, "Q\nq /%s Do Q\n", name);
		old = pdf_keep_obj(ctx, pdf_dict_get(ctx, page, PDF_NAME(Contents)));
		pdf_obj *arr = pdf_new_array(ctx, doc, 3);
		pdf_dict_put_drop(ctx, page, PDF_NAME(Contents), arr);
		pdf_array_push_drop(ctx, arr, pdf_add_stream(ctx, doc, pre, NULL, 0));
		if (pdf_is_array(ctx, old))
			for (int i = 0; i < pdf_array_len(ctx, old); i++)
				pdf_array_push(ctx, arr, pdf_array_get(ctx, old, i));
		else if (pdf_is_stream(ctx, old))
			pdf_array_push(ctx, arr, old);
		pdf_array_push_drop(ctx, arr, pdf_add_stream(ctx, doc, post, NULL, 0));
	}
	fz_always(ctx) {
		pdf_drop_obj(ctx, old);
		fz_drop_buffer(ctx, pre);
		fz_drop_buffer(ctx, post);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* a MuPDF exception as a Lob error: a damaged input is the customer's, memory is ours */
static int fail_from_fz(fz_context *ctx, struct api_error *err, const char *what)
{
	if (fz_caught(ctx) == FZ_ERROR_MEMORY)
		return api_fail(err, ERR_INTERNAL, "out of memory while %s", what);
	return api_fail(err, ERR_INVALID_FILE, "the PDF could not be read while %s: %s", what,
			fz_caught_message(ctx));
}

static int no_context(struct api_error *err)
{
	return api_fail(err, ERR_INTERNAL, "the PDF engine could not start (out of memory)");
}

/* append pages [first, first+count) of src to dst */
static void graft_range(fz_context *ctx, pdf_document *dst, pdf_document *src, int first,
			int count)
{
	pdf_graft_map *map = pdf_new_graft_map(ctx, dst);
	fz_try(ctx) {
		for (int i = 0; i < count; i++)
			pdf_graft_mapped_page(ctx, map, -1, src, first + i);
	}
	fz_always(ctx)
		pdf_drop_graft_map(ctx, map);
	fz_catch(ctx)
		fz_rethrow(ctx);
}

/* open a part, refusing what cannot be copied page by page */
static pdf_document *open_readable(fz_context *ctx, const unsigned char *data, size_t len)
{
	pdf_document *doc = pdfu_open(ctx, data, len);
	if (pdf_needs_password(ctx, doc)) {
		pdf_drop_document(ctx, doc);
		fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF is encrypted");
	}
	return doc;
}

int pdf_merge(const struct pdf_part *parts, size_t n, unsigned char **out, size_t *out_len,
	      struct api_error *err)
{
	*out = NULL;
	*out_len = 0;
	if (n == 0)
		return api_fail(err, ERR_INVALID_FILE, "there is no PDF to merge");
	struct render_job job;
	fz_context *ctx = render_job_begin(&job, err);
	if (!ctx)
		return -1;
	pdf_document *dst = NULL, *src = NULL;
	size_t failed_part = 0;
	int total = 0, too_many = 0, rc = 0;
	fz_var(dst);
	fz_var(src);
	fz_var(failed_part);
	fz_var(total);
	fz_var(too_many);
	fz_try(ctx) {
		dst = pdf_create_document(ctx);
		for (size_t i = 0; i < n; i++) {
			failed_part = i;
			src = open_readable(ctx, parts[i].data, parts[i].len);
			int pages = pdf_count_pages(ctx, src);
			if (pages > PDF_MAX_OUTPUT_PAGES - total) {
				too_many = 1;
				fz_throw(ctx, FZ_ERROR_GENERIC, "too many pages");
			}
			graft_range(ctx, dst, src, 0, pages);
			total += pages;
			pdf_drop_document(ctx, src);
			src = NULL;
		}
		if (total == 0)
			fz_throw(ctx, FZ_ERROR_GENERIC, "the merged PDF has no pages");
		pdfu_save(ctx, dst, 0, out, out_len);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, src);
		pdf_drop_document(ctx, dst);
	}
	fz_catch(ctx) {
		char what[48];
		snprintf(what, sizeof what, "merging part %zu", failed_part + 1);
		rc = too_many ? api_fail(err, ERR_FILE_PAGES_EXCEED_MAX,
					 "a merged PDF may have at most %d pages", PDF_MAX_OUTPUT_PAGES)
			      : fail_from_fz(ctx, err, what);
	}
	return render_job_end(&job, rc, err);
}

void pdf_parts_free(struct pdf_part *outs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(outs[i].data);
		outs[i].data = NULL;
		outs[i].len = 0;
	}
}

/*
 * Pages of pdf into n new PDFs: range i is counts[i] pages from firsts[i], or, when firsts is
 * NULL, from where range i-1 ended. The input is parsed once.
 */
static int split_ranges(const unsigned char *pdf, size_t len, const unsigned *firsts,
			const unsigned *counts, size_t n, struct pdf_part *outs,
			struct api_error *err)
{
	for (size_t i = 0; i < n; i++)
		outs[i] = (struct pdf_part){ 0 };
	for (size_t i = 0; i < n; i++)
		if (counts[i] == 0)
			return api_fail(err, ERR_INVALID, "page range %zu is empty", i + 1);
	fz_context *ctx = frank_fz();
	if (!ctx)
		return no_context(err);
	pdf_document *src = NULL, *dst = NULL;
	int pages = 0, out_of_range = 0;
	fz_var(src);
	fz_var(dst);
	fz_var(pages);
	fz_var(out_of_range);
	fz_try(ctx) {
		src = open_readable(ctx, pdf, len);
		pages = pdf_count_pages(ctx, src);
		unsigned long long at = 0;
		for (size_t i = 0; i < n; i++) {
			if (firsts)
				at = firsts[i];
			if (at + counts[i] > (unsigned long long)pages) {
				out_of_range = 1;
				fz_throw(ctx, FZ_ERROR_GENERIC, "page range out of bounds");
			}
			dst = pdf_create_document(ctx);
			graft_range(ctx, dst, src, (int)at, (int)counts[i]);
			at += counts[i];
			pdfu_save(ctx, dst, 0, &outs[i].data, &outs[i].len);
			pdf_drop_document(ctx, dst);
			dst = NULL;
		}
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, dst);
		pdf_drop_document(ctx, src);
	}
	fz_catch(ctx) {
		pdf_parts_free(outs, n);
		if (out_of_range)
			return api_fail(err, ERR_FILE_PAGES_BELOW_MIN,
					"the PDF has %d pages, fewer than the page ranges need", pages);
		return fail_from_fz(ctx, err, "splitting");
	}
	return 0;
}

int pdf_split_runs(const unsigned char *pdf, size_t len, const unsigned *counts, size_t n,
		   struct pdf_part *outs, struct api_error *err)
{
	return split_ranges(pdf, len, NULL, counts, n, outs, err);
}

int pdf_split_pages(const unsigned char *pdf, size_t len, unsigned first, unsigned count,
		    unsigned char **out, size_t *out_len, struct api_error *err)
{
	struct pdf_part part;
	int rc = split_ranges(pdf, len, &first, &count, 1, &part, err);
	*out = part.data;
	*out_len = part.len;
	return rc;
}
