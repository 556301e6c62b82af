// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One manifest row per piece, and what the files share about a lot: how its postage is
 * shown and paid. The row is a JSON object whose keys are the CSV's columns, in order.
 */
#ifndef FRANK_PRODUCTION_MANIFEST_ROW_H
#define FRANK_PRODUCTION_MANIFEST_ROW_H
#include <jansson.h>
#include "production/manifest.h"

/* the columns, in order; a row has exactly these keys */
extern const size_t manifest_n_columns;
const char *manifest_column(size_t i);

/* what a row computed, for totals */
struct manifest_calc {
	double weight_oz;		/* negative: unknown */
	struct piece_postage postage;
};

/* how the lot's postage is paid: by the mark on its stock */
enum postage_payment manifest_lot_payment(const struct manifest_opts *o, const json_t *lot);

/*
 * {"mark": "permit_imprint" | "meter", "on": "piece" | "envelope", "stock": …, "text": …}:
 * which stock carries which postage mark (text: the imprint's lines, for a permit). NULL
 * when out of memory.
 */
json_t *manifest_postage_mark(const struct manifest_opts *o, const json_t *lot);

/*
 * The piece's row (new reference), with the weight and postage in *calc; NULL with *err when
 * the piece lacks an id, sequence, sheets or pages (the message names it).
 */
json_t *manifest_row(const struct manifest_opts *o, const json_t *run, const json_t *lot,
		     const json_t *piece, struct manifest_calc *calc, struct api_error *err);

/* the row's value of column i as CSV text into buf (64 bytes) or a borrowed string */
const char *manifest_cell(const json_t *row, size_t i, char buf[64]);
#endif
