// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What Frank answers on the verification endpoints for a TEST key, as Lob's test environment
 * does: test keys never verify anything. Magic inputs get canned bodies, everything else a
 * placeholder (sources: testmode.c). Request validation is the caller's job.
 */
#ifndef FRANK_AV_TESTMODE_H
#define FRANK_AV_TESTMODE_H
#include <jansson.h>

/*
 * Each function returns a NEW reference to the response body (caller decrefs), or NULL only
 * when out of memory. `req` is the parsed request body (borrowed; any JSON value, NULL or
 * fields of the wrong type are tolerated and treated as absent). `id` is a fresh id to put
 * in the body ("us_ver_…", "intl_ver_…", "us_zip_…", "us_reverse_geocode_…"), or NULL for
 * the documented placeholder id. Bodies are upper case (Lob's default `case=upper`).
 * All functions are thread-safe: they share no mutable state.
 */

/*
 * POST /v1/us_verifications (and each item of the bulk form). Magic values are matched
 * against the whole `primary_line`, or `address` when there is no primary_line, after
 * trimming and ignoring case: "po box", "deliverable", "missing unit", ...
 */
json_t *testmode_us_verification(const json_t *req, const char *id);

/*
 * POST /v1/us_autocompletions. `address_prefix` "0 suggestions" gives none; "<number> s…"
 * with a prefix of "suggestion" gives 11 − len(word) suggestions (the last ones of Lob's list
 * of ten), filtered by `city`, `state` (exact, any case) and `zip_code` (prefix). Any
 * other prefix gives Lob's one-line placeholder. The id is always Lob's test id.
 */
json_t *testmode_us_autocompletion(const json_t *req);

/*
 * POST /v1/intl_verifications (and each bulk item). Magic `primary_line` (or `address`)
 * values: "deliverable", "deliverable missing info", "undeliverable", "no match".
 */
json_t *testmode_intl_verification(const json_t *req, const char *id);

/*
 * POST /v1/us_zip_lookups. Lob has no magic values here: test keys get real data. This is a
 * small built-in table (the ZIPs Frank's test bodies use, e.g. 94107); an unknown ZIP gets
 * `cities: []` and `zip_code_type: ""`. Callers with a loaded ZIP database should prefer it.
 */
json_t *testmode_zip_lookup(const json_t *req, const char *id);

/*
 * POST /v1/us_reverse_geocode_lookups. Lob has no magic values here either; test keys get
 * 5 San Francisco addresses (the first in 94103). This returns those five, whatever the
 * coordinates. If the caller copies the `size` query parameter into req as an integer, the
 * list is cut to that many (1–5).
 */
json_t *testmode_reverse_geocode(const json_t *req, const char *id);
#endif
