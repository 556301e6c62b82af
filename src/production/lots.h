// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Lots: a run's pieces grouped by everything that changes the physical job — product and
 * size, colour, sides, envelope (#10 double window, 9x12 flat for more than 6 sheets,
 * certified window, custom), extra service, mail type, return envelope and perforation,
 * inserts, reprint — each lot with its stock and its pieces in print order (ZIP5, then
 * ZIP+4; checks by number). The plan's JSON is the contract B's print files and C's
 * manifests read (docs/internals/production.md). Pure: no store, no files.
 */
#ifndef FRANK_PRODUCTION_LOTS_H
#define FRANK_PRODUCTION_LOTS_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"
#include "stamp/product.h"

#define LOT_ENVELOPE_MAX_SHEETS 6	/* a #10 takes 6 tri-folded sheets; more go flat */

/* what lot_piece_new reads of one rendered piece */
struct lot_source {
	const char *kind;	/* letter | postcard | self_mailer | check */
	const char *account_id;
	const json_t *piece;	/* the piece as served */
	const json_t *input;	/* its private render input ("files", "bank_account"), or NULL */
	const char *imb;	/* its IMb tracking code, or NULL (international: none) */
	unsigned pages;		/* pages of its rendered PDF */
	bool reprint;		/* spoiled in an earlier run */
};

/*
 * The contract's PIECE for one piece (new reference), its lot's attributes kept under
 * "_lot" until lots_plan groups it. NULL with *err (ERR_INVALID naming the piece) when the
 * piece has no rendered PDF or no pages.
 */
json_t *lot_piece_new(const struct lot_source *src, struct api_error *err);

/* the size table's row of a lot's product and size: a fixed-stock product's lot ("check")
 * has its default size; NULL if the table has neither */
const struct product_size *lot_product_size(const char *product, const char *size);

/* sheets a piece takes: pages / 2 rounded up when double-sided, else pages */
unsigned lot_sheets(unsigned pages, bool double_sided);

/*
 * The run plan: {"id","cutoff","test","date_created","mailer_id","lots":[LOT…]} (new
 * reference). The array pieces (of lot_piece_new's) is consumed, its pieces left as they
 * were (the plan holds shallow copies); keys starting with '_' other than "_lot" stay in
 * the copies for the caller to read and remove. Lots are ordered by their
 * attributes and numbered from 1; a lot's id is derived from the run id and its attributes,
 * so the same pieces give the same plan.
 */
json_t *lots_plan(const char *run_id, bool test, const char *cutoff_iso, const char *created_iso,
		  const char *mailer_id, json_t *pieces);

/* a lot as the run object shows it: id, number, product, attributes, stock, counts (new
 * reference, without the pieces) */
json_t *lot_summary(const json_t *lot);
#endif
