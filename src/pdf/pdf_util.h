// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * PDF plumbing shared by the documents engine: open PDF bytes with MuPDF, write a document
 * to malloc'd bytes, concatenate PDFs (a letter's cover sheet + the customer's pages) and cut
 * one PDF into page ranges (many pieces printed in one browser call, then split).
 * The public functions return 0, or -1 with *err; outputs are malloc'd (free()).
 */
#ifndef FRANK_PDF_PDF_UTIL_H
#define FRANK_PDF_PDF_UTIL_H
#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <stddef.h>
#include "core/err.h"

/* no input PDF may be larger than this (a hostile size field cannot make us allocate more) */
#define PDF_MAX_INPUT_BYTES ((size_t)512 << 20)
/* merges and splits produce at most this many pages */
#define PDF_MAX_OUTPUT_PAGES 100000

/* one input of pdf_merge (borrowed bytes); also one output of pdf_split_runs (malloc'd) */
struct pdf_part {
	unsigned char *data;
	size_t len;
};

/* every page of parts[0], then of parts[1], … as one PDF */
int pdf_merge(const struct pdf_part *parts, size_t n, unsigned char **out, size_t *out_len,
	      struct api_error *err);

/* pages first .. first+count-1 (0-based) of pdf as a new PDF */
int pdf_split_pages(const unsigned char *pdf, size_t len, unsigned first, unsigned count,
		    unsigned char **out, size_t *out_len, struct api_error *err);

/*
 * Cut pdf into n consecutive runs of counts[i] pages (run i starts where run i-1 ended), parsing
 * the input once: the browser batch mode prints N pieces into one PDF and splits it here.
 * The counts must add up to at most the page count. outs[i] are malloc'd; on failure none is
 * left allocated.
 */
int pdf_split_runs(const unsigned char *pdf, size_t len, const unsigned *counts, size_t n,
		   struct pdf_part *outs, struct api_error *err);

/* free the data of outs[0..n-1] (from pdf_split_runs) and zero them */
void pdf_parts_free(struct pdf_part *outs, size_t n);

/*
 * Helpers for code that calls MuPDF itself; these throw (use inside fz_try).
 * pdfu_open: the bytes are borrowed and must outlive the document. It rejects nothing: callers
 * check pdf_needs_password themselves when they care.
 */
pdf_document *pdfu_open(fz_context *ctx, const unsigned char *data, size_t len);

/*
 * Write doc to malloc'd bytes. compress: deflate new streams (slow on big fonts: ~90% of the
 * render time of a letter with three TTFs); existing compressed streams are copied as they
 * are either way.
 */
void pdfu_save(fz_context *ctx, pdf_document *doc, int compress, unsigned char **out,
	       size_t *out_len);

/*
 * Draws the form XObject xobj over page's content: the content is wrapped in q/Q (so no
 * state it leaves can move the form), then "/<name> Do" with a name new in the page's own
 * XObject resources (prefix, prefix1, …; inherited or shared dictionaries are copied
 * first, so other pages are not touched). Stampers and print-file marks use it. Throws.
 */
void pdfu_draw_form_over(fz_context *ctx, pdf_document *doc, pdf_obj *page, pdf_obj *xobj,
			 const char *prefix);

/* inches for messages: at most two decimals, no trailing zeros ("8.5", "11", "8.27") */
const char *pdfu_inches(char buf[24], double v);

/* an fz_buffer's bytes as a malloc'd copy (throws when out of memory) */
unsigned char *pdfu_buffer_copy(fz_context *ctx, fz_buffer *buf, size_t *len);
#endif
