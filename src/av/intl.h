// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Live international verification. Frank has no international address reference data, so
 * it standardises (upper case, postal-code format per country) and checks what it can —
 * the country, the postal code's format for the major countries — and never claims a
 * match: a consistent address is `no_match`/LU1 (nothing to match it against), a postal
 * code in the wrong format is `undeliverable`/LU1. Thread-safe.
 */
#ifndef FRANK_AV_INTL_H
#define FRANK_AV_INTL_H
#include <stdbool.h>
#include <jansson.h>
#include "av/intl_script.h"

struct intl_input {
	const char *recipient, *primary_line, *secondary_line, *city, *state, *postal_code;
	const char *country;	/* ISO alpha-2, validated by the caller */
	const char *address;	/* single-line form instead of the components */
	enum intl_lang lang;	/* the answer's script (x-lang-output); 0: English */
};

/* Lob's intl_verification object (new reference) */
json_t *av_verify_intl(const struct intl_input *in, const char *id);

/*
 * Normalises a postal code to the country's format ("c1n1c4" → "C1N 1C4"); 1 if the country
 * has a known format and the code fits it, 0 if the country's format is unknown (code
 * upper-cased as given), -1 if it does not fit.
 */
int av_postal_code(const char *country, const char *in, char *out, size_t outlen);
#endif
