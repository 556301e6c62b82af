/*
 * Manifests, the PS Form 3877 firm book and positive pay (helper C's; this copy holds the
 * contract's declarations so the runs side builds against them — the lead keeps C's header
 * at merge, and struct manifest_opts is C's to define: runs fills it in run_build.c only).
 */
#ifndef FRANK_PRODUCTION_MANIFEST_H
#define FRANK_PRODUCTION_MANIFEST_H
#include <jansson.h>
#include "core/err.h"

struct manifest_opts {
	const char *post_office;	/* a placeholder member: C's header defines the real ones */
};
/* Writes into out_dir: per lot "<lot id>_manifest.csv" and ".json", per run "manifest.csv",
 * "manifest.json"; "firm_book_3877.pdf" when the run has accountable pieces (certified,
 * certified_return_receipt, registered); "positive_pay_<bank_account_id>.csv" per bank
 * account with checks. Appends {"kind","name","lot"?,"bytes","sha256"} to files_out with
 * kind manifest_csv | manifest_json | firm_book_3877 | positive_pay. 0 or -1. */
int manifest_write_run(const struct manifest_opts *o, const json_t *run, const char *out_dir,
		       json_t *files_out, struct api_error *err);
/* ounces, from production.md's paper and envelope weights */
double weight_estimate_oz(const json_t *lot, const json_t *piece);
#endif
