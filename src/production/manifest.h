// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A print run's paperwork, from the run plan (docs/internals/production.md; the plan's shape
 * is A's: a run with lots, each with its pieces in print order):
 *   - manifests per lot and per run, CSV (RFC 4180, header row) and JSON: one row per piece
 *     (manifest_row.h lists the columns), and per lot its stock and which stock carries which
 *     postage mark;
 *   - the PS Form 3877 firm mailing book when the run has accountable mail (firm_book.h);
 *   - positive-pay files, one per bank account with checks (positive_pay.h).
 * Weights are estimates (weight.h); postage and fees come from one price table (postage.h).
 */
#ifndef FRANK_PRODUCTION_MANIFEST_H
#define FRANK_PRODUCTION_MANIFEST_H
#include <jansson.h>
#include <stdbool.h>
#include "core/err.h"
#include "production/postage.h"
#include "production/weight.h"

/* a permit imprint's lines (DMM 604.5): class marking, city and state, permit number */
struct manifest_permit {
	const char *mail_class_text;	/* "FIRST-CLASS MAIL", "PRSRT FIRST-CLASS" … */
	const char *city, *state, *permit_number;
};

/* who presents the mail: the 3877's sender block */
struct manifest_sender {
	const char *name;		/* required when the run has accountable mail */
	const char *address_line1, *address_line2;
	const char *city, *state, *zip;
};

struct manifest_opts {
	struct manifest_sender sender;
	const char *post_office;	/* entry office printed on the 3877; NULL: a blank line */
	/*
	 * Postage marks. permit: printed on postcards and self-mailers (else they are metered).
	 * envelopes_permit_preprinted: the envelope stocks carry the same permit pre-printed
	 * (needs permit); else enveloped pieces are metered. Metered letters pay the metered
	 * price, permit-imprint ones the single-piece price.
	 */
	const struct manifest_permit *permit;
	bool envelopes_permit_preprinted;
	const char *mailing_date;	/* YYYY-MM-DD on the 3877; NULL: the cutoff's date */
	const struct postage_prices *prices;	/* NULL: postage_prices_default() */
	unsigned firm_book_lines;	/* articles per 3877 page; 0: 8, as on USPS's form */
};

/*
 * Writes into out_dir: per lot "<lot id>_manifest.csv" and ".json", per run "manifest.csv",
 * "manifest.json"; "firm_book_3877.pdf" when the run has accountable pieces (certified,
 * certified_return_receipt, registered); "positive_pay_<bank_account_id>.csv" per bank
 * account with checks. Appends {"kind","name","lot"?,"bytes","sha256"} to files_out with
 * kind manifest_csv | manifest_json | firm_book_3877 | positive_pay. 0 or -1 with *err
 * (a plan it cannot read names the lot or piece); files already written stay listed.
 */
int manifest_write_run(const struct manifest_opts *o, const json_t *run, const char *out_dir,
		       json_t *files_out, struct api_error *err);
#endif
