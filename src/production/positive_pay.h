// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Positive-pay files: per bank account, the checks a run issues, for the bank to match
 * presented checks against. There is no universal format (each bank publishes its own); the
 * default follows JPMorgan Chase Business Online's CSV (Lob's `jpm` check template is Chase
 * positive pay): no header, one issue record a line —
 *   I,<account number>,<check number>,<issue date MMDDYY>,<amount 123.45>,<payee ≤ 40 chars>
 * (layout as transcribed at https://positivepaymaker.com/formats.md from Chase's file-upload
 * guide; the production reference, §7). Checks are listed in check-number order.
 */
#ifndef FRANK_PRODUCTION_POSITIVE_PAY_H
#define FRANK_PRODUCTION_POSITIVE_PAY_H
#include <jansson.h>
#include "core/err.h"

/* Chase's payee field width */
#define POSITIVE_PAY_PAYEE_MAX 40

/*
 * "positive_pay_<bank_account_id>.csv" per bank account with checks in the run, listed in
 * files_out as kind positive_pay. A check without a bank account, account number, number,
 * amount or a YYYY-MM-DD date fails with the piece named. 0 (also with no checks) or -1.
 */
int positive_pay_write(const json_t *run, const char *out_dir, json_t *files_out,
		       struct api_error *err);
#endif
