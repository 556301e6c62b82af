// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Live US verification: parse and standardise (Pub 28), check ZIP/city/state against the
 * ZIP reference data, and — where the operator loaded a reference file of known addresses
 * — confirm the delivery point. Without such a file Frank cannot confirm delivery points,
 * so the answer says what was checked and does not claim deliverability (see
 * docs/internals/av.md). Thread-safe: the engine is read-only after av_engine_load().
 */
#ifndef FRANK_AV_VERIFY_H
#define FRANK_AV_VERIFY_H
#include <stdbool.h>
#include <jansson.h>

struct zipdb;
struct refdb;

struct av_engine {
	struct zipdb *zips;	/* never NULL once loaded */
	struct refdb *refs;	/* NULL: no reference addresses loaded */
};

/*
 * Loads the ZIP data (zip_path) and, when ref_path is set, a reference address file
 * (OpenAddresses or NAD CSV, told apart by the header). 0, or -1 with a message in err.
 */
int av_engine_load(struct av_engine *av, const char *zip_path, const char *ref_path, char *err,
		   size_t errlen);
void av_engine_release(struct av_engine *av);

/* the request fields of a US verification (NULL when absent), already length-checked */
struct us_input {
	const char *recipient, *primary_line, *secondary_line, *urbanization;
	const char *city, *state, *zip_code;
	const char *address;	/* the single-line form, instead of the components */
};

/* what a verification concludes, without the object (bulk checks: uploads' rows) */
struct av_verdict {
	const char *deliverability;	/* Lob's values: "deliverable", "undeliverable", … */
	const char *dpv;		/* dpv_confirmation: "Y", "N", "D", "S" or "" */
	const char *footnotes[3];	/* dpv_footnotes, NULL-padded */
	bool valid;
};
void av_check_us(const struct av_engine *av, const struct us_input *in, struct av_verdict *out);

/* Lob's us_verification object (new reference); id e.g. "us_ver_…"; proper: case=proper */
json_t *av_verify_us(const struct av_engine *av, const struct us_input *in, const char *id,
		     bool proper);

/* Lob's us_autocompletion suggestions array for a prefix (new reference), at most max */
json_t *av_autocomplete(const struct av_engine *av, const char *prefix, const char *city,
			const char *state, const char *zip, size_t max, bool proper);

/* "SAN FRANCISCO" → "San Francisco", keeping directionals, state codes and "PO" upper case */
void av_proper_case(const char *in, char *out, size_t outlen);
#endif
