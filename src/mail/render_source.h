// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * From a piece's private input to its stored proof: each source (HTML with merge variables,
 * a remote URL, an uploaded asset) becomes PDF pages of the product's size — HTML through the
 * HTML renderer, PDFs checked, images converted — then the product's stamping (address block,
 * IMb, certified barcode) and thumbnails, all written to the asset store.
 */
#ifndef FRANK_MAIL_RENDER_SOURCE_H
#define FRANK_MAIL_RENDER_SOURCE_H
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"
#include "mail/render_piece.h"
#include "net/html_assets.h"
#include "store/assets.h"

#define RENDER_MAX_THUMB_PAGES 10	/* thumbnails for the first pages, as Lob's proofs show */

/* remote files the piece's HTML names that could not be used ("URL not fetched: why") */
#define RENDER_NOTES_MAX HTML_ASSETS_NOTES
struct render_notes {
	unsigned n, missing;	/* described, and missing in all */
	char note[RENDER_NOTES_MAX][HTML_ASSETS_NOTE_MAX];
};

struct rendered_doc {
	struct render_notes notes;	/* filled even when the render fails */
	char pdf_key[ASSET_KEY_MAX];
	char thumb_keys[RENDER_MAX_THUMB_PAGES][3][ASSET_KEY_MAX];	/* small, medium, large */
	size_t n_thumb_pages;
	unsigned pages;
};

/* 0 with doc filled, or -1 with *err (a customer error, or a transient one) */
int render_source_document(const struct render_env *env, const struct store_scope *sc,
			   const char *id, const json_t *piece, const char *imb_code,
			   struct arena *a, struct rendered_doc *doc, struct api_error *err);
/*
 * A file's bytes (PDF, PNG/JPEG or HTML with Handlebars merge variables) → PDF pages of
 * w_in x h_in inches: PDFs checked against the size and page limits, images at ≥ 300 DPI,
 * HTML rendered by env->html and trimmed at max_pages. For `frank render`.
 */
int render_file_to_pdf(const struct render_env *env, const unsigned char *data, size_t len,
		       const json_t *vars, double w_in, double h_in, unsigned min_pages,
		       unsigned max_pages, unsigned char **pdf, size_t *pdf_len, struct api_error *err);
/*
 * Before a worker renders a group of pieces (render_jobs.h): letters whose file is plain
 * HTML (no remote files) and share one page size are rendered in one batch call of the HTML
 * renderer; each piece's render then uses its PDF. n = 0 forgets what is left. Per thread.
 */
void render_source_prepare(const struct render_env *env, const struct render_item *items,
			   size_t n);
#endif
