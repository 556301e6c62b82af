// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A check's amount in words and in figures, as printed on its face:
 * 123456 cents -> "One Thousand Two Hundred Thirty-Four and 56/100" and "1,234.56".
 * Pure functions, any thread.
 */
#ifndef FRANK_STAMP_CHECK_WORDS_H
#define FRANK_STAMP_CHECK_WORDS_H
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* the largest amount written out: 999,999,999,999.99 (Lob's own limit is 999,999.99) */
#define CHECK_MAX_CENTS 99999999999999LL
/* room for the longest amount in words, with its NUL */
#define CHECK_WORDS_MAX 200

/*
 * Dollars in words (capitalised, hyphenated tens: "Twenty-One"), "and", cents as a
 * fraction of 100 ("05/100"): "Zero and 05/100", "One Million and 00/100".
 * 0, or -1: ERR_INVALID for a negative amount or one above CHECK_MAX_CENTS, ERR_INTERNAL if
 * out is too small (CHECK_WORDS_MAX always suffices); out is then "".
 */
int check_amount_words(int64_t cents, char *out, size_t outlen, struct api_error *err);

/* "1,234.56", "0.05": thousands separated by commas. Same errors as above. */
int check_amount_figures(int64_t cents, char *out, size_t outlen, struct api_error *err);
#endif
