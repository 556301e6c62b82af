// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A printed batch cut into its pieces. Each piece's wrapper holds a 1x1 px link to
 * https://piece.invalid/<nonce>/<slot> at its top-left corner, which Chromium writes as a
 * link annotation on the page where the piece starts; the nonce is fresh per batch, so no
 * customer link can pose as a marker. Pages are grafted (pdf_graft_mapped_page copies
 * contents and resources, not annotations: the markers, and any link, stay behind).
 */
#include "render/chromium/chromium_internal.h"
#include "pdf/fz.h"
#include "pdf/pdf_util.h"
#include <stdlib.h>
#include <string.h>

/* the slot a marker annotation names, or -1 */
static long marker_slot(fz_context *ctx, pdf_obj *annot, const char *prefix, size_t plen)
{
	if (!pdf_name_eq(ctx, pdf_dict_get(ctx, annot, PDF_NAME(Subtype)), PDF_NAME(Link)))
		return -1;
	pdf_obj *uri = pdf_dict_get(ctx, pdf_dict_get(ctx, annot, PDF_NAME(A)), PDF_NAME(URI));
	size_t len = 0;
	const char *s = pdf_to_string(ctx, uri, &len);
	if (len <= plen || len - plen > 9 || memcmp(s, prefix, plen) != 0)
		return -1;
	long slot = 0;
	for (size_t i = plen; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		slot = slot * 10 + (s[i] - '0');
	}
	return slot;
}

/* first page of each slot's marker (-1: none seen) */
static void find_markers(fz_context *ctx, pdf_document *doc, int npages, const char *prefix,
			 size_t m, long *start)
{
	size_t plen = strlen(prefix);
	for (size_t k = 0; k < m; k++)
		start[k] = -1;
	for (int p = 0; p < npages; p++) {
		pdf_obj *annots = pdf_dict_get(ctx, pdf_lookup_page_obj(ctx, doc, p),
					       PDF_NAME(Annots));
		int n = pdf_array_len(ctx, annots);
		for (int i = 0; i < n; i++) {
			long slot = marker_slot(ctx, pdf_array_get(ctx, annots, i), prefix, plen);
			if (slot >= 0 && (size_t)slot < m && start[slot] < 0)
				start[slot] = p;
		}
	}
}

static void graft(fz_context *ctx, pdf_document *src, long first, unsigned count,
		  struct pdf_piece *out)
{
	pdf_document *dst = pdf_create_document(ctx);
	pdf_graft_map *map = NULL;
	fz_var(map);
	fz_try(ctx) {
		map = pdf_new_graft_map(ctx, dst);
		for (unsigned i = 0; i < count; i++)
			pdf_graft_mapped_page(ctx, map, -1, src, (int)first + (int)i);
		/* Chromium's streams are compressed already; they are copied as they are */
		pdfu_save(ctx, dst, 0, &out->pdf, &out->len);
		out->pages = count;
		out->rc = 0;
	}
	fz_always(ctx) {
		pdf_drop_graft_map(ctx, map);
		pdf_drop_document(ctx, dst);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
}

int chromium_split_marked(const unsigned char *pdf, size_t len, const char *prefix,
			  const bool *in_pdf, size_t m, unsigned max_pages, struct pdf_piece *out,
			  unsigned *full_pages, struct api_error *err)
{
	fz_context *ctx = frank_fz();
	if (!ctx)
		return api_fail(err, ERR_INTERNAL, "chromium: MuPDF could not start");
	long *start = malloc((m ? m : 1) * sizeof *start);
	if (!start)
		return api_fail(err, ERR_INTERNAL, "chromium: out of memory");
	pdf_document *doc = NULL;
	int rc = 0;
	fz_var(doc);
	fz_try(ctx) {
		doc = pdfu_open(ctx, pdf, len);
		int npages = pdf_count_pages(ctx, doc);
		find_markers(ctx, doc, npages, prefix, m, start);
		/* printed slots start in slot order, the first on page 1, each on a new page */
		long prev = -1;
		for (size_t k = 0; k < m; k++) {
			if (!in_pdf[k])
				continue;
			if (start[k] < 0 || start[k] <= prev || (prev < 0 && start[k] != 0))
				fz_throw(ctx, FZ_ERROR_GENERIC, "piece %zu's marker is missing or out "
					 "of place", k);
			prev = start[k];
		}
		for (size_t k = 0; k < m; k++) {
			if (!in_pdf[k])
				continue;
			long end = npages;
			for (size_t j = k + 1; j < m; j++)
				if (in_pdf[j]) {
					end = start[j];
					break;
				}
			full_pages[k] = (unsigned)(end - start[k]);
			unsigned count = full_pages[k] < max_pages ? full_pages[k] : max_pages;
			graft(ctx, doc, start[k], count, &out[k]);
		}
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx) {
		for (size_t k = 0; k < m; k++)
			if (in_pdf[k]) {
				free(out[k].pdf);
				out[k].pdf = NULL;
				out[k].len = 0;
				out[k].rc = -1;
			}
		rc = api_fail(err, ERR_INTERNAL, "chromium: splitting the batch failed: %s",
			      fz_caught_message(ctx));
	}
	free(start);
	return rc;
}
