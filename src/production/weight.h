// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Weight estimates of mail pieces, in ounces, from the paper and envelope weights of the
 * production reference (paper: basis weight → g/m² × sheet area; #10 envelope 0.24 oz; 9x12
 * flat 0.6 oz). An estimate for the manifest and the postage step, not a scale: weigh a
 * sample of each real stock before trusting a step boundary.
 */
#ifndef FRANK_PRODUCTION_WEIGHT_H
#define FRANK_PRODUCTION_WEIGHT_H
#include <jansson.h>
#include <stdbool.h>

/* First-Class Mail letter maximum (DMM 101.1.1c): heavier letter-size pieces pay flat prices */
#define WEIGHT_LETTER_MAX_OZ 3.5
#define WEIGHT_GRAMS_PER_OZ 28.349523125

/*
 * The piece's weight in ounces: its sheets (or card) on the lot's paper, plus the envelope
 * and a return envelope when the lot has them. A lot or piece it cannot read (unknown
 * product or size, no sheet count) gives a negative number.
 */
double weight_estimate_oz(const json_t *lot, const json_t *piece);

/*
 * Grams per square metre of a paper stock named like "24lb bond", "100lb cover", "80lb text",
 * "90gsm" or "105 g/m2" ("lb" alone, or "#", means bond); 0 when the name says neither.
 */
double weight_paper_gsm(const char *stock);

/* one sheet (or card) of w_in x h_in inches at gsm, in ounces */
double weight_sheet_oz(double gsm, double w_in, double h_in);

/* an empty envelope of the lot's kind ("standard_10_double_window", "flat_9x12", …), ounces */
double weight_envelope_oz(const char *envelope);
#endif
