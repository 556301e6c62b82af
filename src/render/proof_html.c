/* HTML → PDF with MuPDF's fz_story: pages placed one by one, trimmed at the page limit. */
#include "render/proof_internal.h"
#include <stdlib.h>
#include <string.h>

/* copies a MuPDF buffer into malloc'd memory (the caller's to free) */
int proof_take_buffer(fz_context *ctx, fz_buffer *buf, unsigned char **out, size_t *out_len)
{
	unsigned char *data;
	size_t n = fz_buffer_storage(ctx, buf, &data);
	*out = malloc(n ? n : 1);
	if (!*out)
		return -1;
	memcpy(*out, data, n);
	*out_len = n;
	return 0;
}

int proof_html_to_pdf(const char *html, size_t len, double w_in, double h_in,
		      unsigned max_pages, unsigned char **pdf, size_t *pdf_len, unsigned *pages,
		      struct api_error *err)
{
	fz_context *ctx = frank_fz();
	fz_buffer *src = NULL, *out = NULL;
	fz_story *story = NULL;
	fz_document_writer *wri = NULL;
	volatile int rc = -1;
	volatile unsigned n = 0;
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "MuPDF could not start");
	*pdf = NULL;
	fz_var(src);
	fz_var(out);
	fz_var(story);
	fz_var(wri);
	fz_try(ctx) {
		fz_rect page = { 0, 0, (float)(w_in * 72), (float)(h_in * 72) };
		/* fz_new_story needs a writable buffer (reference/c_libraries.md) */
		src = fz_new_buffer_from_copied_data(ctx, (const unsigned char *)html, len);
		/* no archive: the page can load nothing but data: URIs */
		story = fz_new_story(ctx, src, "body { margin: 0; }", 12, NULL);
		out = fz_new_buffer(ctx, 16384);
		/* the writer owns its output: never drop it ourselves */
		wri = fz_new_pdf_writer_with_output(ctx, fz_new_output_with_buffer(ctx, out), "");
		int more;
		do {
			fz_rect filled;
			more = fz_place_story(ctx, story, page, &filled);
			fz_device *dev = fz_begin_page(ctx, wri, page);
			fz_draw_story(ctx, story, dev, fz_identity);
			fz_end_page(ctx, wri);
			n++;
		} while (more && n < max_pages);
		fz_close_document_writer(ctx, wri);
		rc = proof_take_buffer(ctx, out, pdf, pdf_len);
	}
	fz_always(ctx) {
		fz_drop_document_writer(ctx, wri);
		fz_drop_story(ctx, story);
		fz_drop_buffer(ctx, src);
		fz_drop_buffer(ctx, out);
	}
	fz_catch(ctx) {
		return api_fail(err, ERR_INVALID_TEMPLATE_HTML, "the HTML could not be laid out: %s",
				fz_caught_message(ctx));
	}
	if (rc < 0)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	*pages = n;
	return 0;
}
