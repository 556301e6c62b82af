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

/* a render_fn for the render jobs (ctx: struct render_env) */
int render_piece(void *env, const struct render_item *item, struct api_error *err);
/* its render_prepare_fn: a group's HTML letters rendered in one batch */
void render_prepare(void *env, const struct render_item *items, size_t n);
#endif
