// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Test PDFs made with MuPDF itself: pages of given sizes (points), optional trim box and
 * rotation, one line of text in an unembedded font, optional encryption.
 * Included by the render tests; everything is static.
 */
#ifndef FRANK_TEST_PDF_FIXTURES_H
#define FRANK_TEST_PDF_FIXTURES_H
#include <mupdf/pdf.h>
#include <stdlib.h>
#include <string.h>
#include "pdf/fz.h"

/*
 * CHECK and CHECK_INT with the checked expression evaluated before the message's arguments
 * (C leaves the order of a call's arguments unspecified, and messages show err.message)
 */
#define CHECK_RUN(cond, ...) \
	do { \
		int ok_ = !!(cond); \
		CHECK(ok_, __VA_ARGS__); \
	} while (0)
#define CHECK_INT_RUN(got, want, ...) \
	do { \
		long long got_ = (long long)(got); \
		CHECK_INT(got_, want, __VA_ARGS__); \
	} while (0)

struct fixture_page {
	double w_pt, h_pt;
	fz_rect trim;		/* set when not empty */
	int rotate;
};

struct fixture_opts {
	const char *font;	/* BaseFont of an unembedded font, NULL: no text */
	const char *font_subtype;	/* "Type1" (default) or "TrueType" */
	int encrypt;		/* PDF_ENCRYPT_* or 0 */
	const char *user_password;	/* "" for owner-only encryption */
	int compress;
};

/* MuPDF's warnings about the damaged files the tests feed it are expected: keep TAP readable */
__attribute__((unused))
static void fixture_quiet(void)
{
	fz_set_warning_callback(frank_fz(), NULL, NULL);
	fz_set_error_callback(frank_fz(), NULL, NULL);
}

/* malloc'd PDF bytes (NULL on failure) */
__attribute__((unused))
static unsigned char *fixture_pdf(const struct fixture_page *pages, int n,
				  const struct fixture_opts *o, size_t *len)
{
	fz_context *ctx = frank_fz();
	pdf_document *doc = NULL;
	fz_buffer *out = NULL, *contents = NULL;
	fz_output *os = NULL;
	pdf_obj *res = NULL;
	unsigned char *bytes = NULL;
	fz_var(doc);
	fz_var(out);
	fz_var(contents);
	fz_var(os);
	fz_var(res);
	fz_var(bytes);
	fz_try(ctx) {
		doc = pdf_create_document(ctx);
		res = pdf_new_dict(ctx, doc, 2);
		contents = fz_new_buffer(ctx, 64);
		if (o && o->font) {
			pdf_obj *font = pdf_add_new_dict(ctx, doc, 4);
			pdf_dict_put(ctx, font, PDF_NAME(Type), PDF_NAME(Font));
			pdf_dict_put_name(ctx, font, PDF_NAME(Subtype),
					  o->font_subtype ? o->font_subtype : "Type1");
			pdf_dict_put_name(ctx, font, PDF_NAME(BaseFont), o->font);
			pdf_obj *fonts = pdf_dict_put_dict(ctx, res, PDF_NAME(Font), 1);
			pdf_dict_puts(ctx, fonts, "F1", font);
			pdf_drop_obj(ctx, font);
			fz_append_string(ctx, contents, "BT /F1 24 Tf 72 72 Td (Hello) Tj ET\n");
		} else {
			fz_append_string(ctx, contents, "0 0 1 rg 36 36 72 72 re f\n");
		}
		for (int i = 0; i < n; i++) {
			fz_rect media = fz_make_rect(0, 0, (float)pages[i].w_pt, (float)pages[i].h_pt);
			pdf_obj *page = pdf_add_page(ctx, doc, media, pages[i].rotate, res, contents);
			if (!fz_is_empty_rect(pages[i].trim))
				pdf_dict_put_rect(ctx, page, PDF_NAME(TrimBox), pages[i].trim);
			pdf_insert_page(ctx, doc, -1, page);
			pdf_drop_obj(ctx, page);
		}
		pdf_write_options wo = pdf_default_write_options;
		wo.do_compress = o ? o->compress : 0;
		if (o && o->encrypt) {
			wo.do_encrypt = o->encrypt;
			wo.permissions = PDF_PERM_PRINT;
			snprintf(wo.opwd_utf8, sizeof(wo.opwd_utf8), "%s", "owner-secret");
			snprintf(wo.upwd_utf8, sizeof(wo.upwd_utf8), "%s",
				 o->user_password ? o->user_password : "");
		}
		out = fz_new_buffer(ctx, 4096);
		os = fz_new_output_with_buffer(ctx, out);
		pdf_write_document(ctx, doc, os, &wo);
		fz_close_output(ctx, os);
		unsigned char *data;
		*len = fz_buffer_storage(ctx, out, &data);
		bytes = malloc(*len);
		memcpy(bytes, data, *len);
	}
	fz_always(ctx) {
		fz_drop_output(ctx, os);
		fz_drop_buffer(ctx, out);
		fz_drop_buffer(ctx, contents);
		pdf_drop_obj(ctx, res);
		pdf_drop_document(ctx, doc);
	}
	fz_catch(ctx) {
		fprintf(stderr, "fixture_pdf: %s\n", fz_caught_message(ctx));
		free(bytes);
		return NULL;
	}
	return bytes;
}

/* n pages of one size */
__attribute__((unused))
static unsigned char *fixture_pages(double w_in, double h_in, int n, size_t *len)
{
	struct fixture_page *p = calloc((size_t)n, sizeof *p);
	for (int i = 0; i < n; i++)
		p[i] = (struct fixture_page){ w_in * 72, h_in * 72, fz_empty_rect, 0 };
	unsigned char *pdf = fixture_pdf(p, n, NULL, len);
	free(p);
	return pdf;
}

/* how many pages MuPDF finds in PDF bytes (-1: unreadable) */
__attribute__((unused))
static int fixture_count_pages(const unsigned char *pdf, size_t len)
{
	fz_context *ctx = frank_fz();
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	int pages = -1;
	fz_var(stm);
	fz_var(doc);
	fz_var(pages);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		pages = pdf_count_pages(ctx, doc);
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		pages = -1;
	return pages;
}

/* page n's media box width in points (-1: unreadable) */
__attribute__((unused))
static double fixture_page_width(const unsigned char *pdf, size_t len, int n)
{
	fz_context *ctx = frank_fz();
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	double w = -1;
	fz_var(stm);
	fz_var(doc);
	fz_var(w);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, pdf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		fz_rect r = pdf_to_rect(ctx, pdf_dict_get_inheritable(ctx,
			pdf_lookup_page_obj(ctx, doc, n), PDF_NAME(MediaBox)));
		w = r.x1 - r.x0;
	}
	fz_always(ctx) {
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx)
		w = -1;
	return w;
}
#endif
