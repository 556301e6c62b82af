// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Rendering one mail piece: its private input (HTML with merge variables, a copied template,
 * a remote URL, an uploaded file) becomes the print-ready proof PDF — checked against the
 * product's size and page limits, stamped with the address block, IMb and (certified)
 * barcode — plus PNG thumbnails, all stored as assets. The piece then moves to `rendered`
 * (events <kind>.rendered_pdf and <kind>.rendered_thumbnails) or, when the customer's file
 * cannot be used, to `failed` with Lob's failure_reason (event <kind>.failed).
 */
#ifndef FRANK_MAIL_RENDER_PIECE_H
#define FRANK_MAIL_RENDER_PIECE_H
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"
#include "mail/render_jobs.h"
#include "store/store.h"

struct html_renderer;

struct render_env {
	struct store *store;
	const char *data_dir;
	const char *public_url;
	const char *mailer_id;
	bool allow_private_urls;
	struct html_renderer *html;	/* HTML → PDF (render/html_pdf.h) */
};

/* after this many transient failures a piece is failed rather than retried for ever */
#define RENDER_MAX_ATTEMPTS 8
/* the kind of render job that draws a resource proof (mail/render_proof.c) */
#define RENDER_PROOF_KIND "resource_proof"

/* errors that are the customer's input, not Frank's: the piece fails, no retry */
bool render_customer_error(enum err_kind k);

struct rendered_doc;
/*
 * The signed links of a rendered document of piece id (of kind): the proof's url, the
 * thumbnails [{small, medium, large}] per page and files {file name: asset key} for the
 * render input (strings and JSON in a). 0, or -1 with *err.
 */
int render_links(const struct render_env *env, struct arena *a, const char *kind,
		 const char *id, const struct rendered_doc *doc, const char **pdf_url,
		 json_t **thumbnails, json_t **files, struct api_error *err);

/* a resource proof's render (render_proof.c): as render_piece */
int render_proof(const struct render_env *env, const struct render_item *it,
		 struct api_error *err);

/* a render_fn for the render jobs (ctx: struct render_env) */
int render_piece(void *env, const struct render_item *item, struct api_error *err);
/* its render_prepare_fn: a group's HTML letters rendered in one batch */
void render_prepare(void *env, const struct render_item *items, size_t n);
#endif
