// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Bounded number parsing: the whole string, a range, overflow checked. Used instead of
 * atoi/strtol/strtoll/strtod/sscanf, which the project bans (scripts/check-banned): they
 * accept leading spaces, trailing text, hex and "inf", and report overflow only in errno.
 */
#ifndef FRANK_PARSE_H
#define FRANK_PARSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* whole string of decimal digits, value <= max; 0 or -1 */
int parse_ulong(const char *s, unsigned long max, unsigned long *out);
/* whole string an optional '-' and decimal digits, min <= value <= max; 0 or -1 */
int parse_llong(const char *s, long long min, long long max, long long *out);
/*
 * whole string a finite decimal number ("-12.5", "1e3", ".5"; no spaces, hex, inf or nan),
 * min <= value <= max; 0 or -1. A value too large for a double is refused; one too small
 * (underflow) is its nearest double, as a number literal means.
 */
int parse_double(const char *s, double min, double max, double *out);
/* the n bytes at s are all decimal digits (n <= 19): their value; 0 or -1 */
int parse_digits_n(const char *s, size_t n, unsigned long long *out);
/* "yes" for 1/true/yes/on, "no" for 0/false/no/off (case-insensitive); 0 or -1 */
int parse_bool(const char *s, bool *out);
/* the first n bytes of s are all ASCII digits */
bool digits_only(const char *s, size_t n);
/* strlen stopped at max + 1, so an unterminated or huge input is cheap to reject */
size_t strlen_capped(const char *s, size_t max);
/* writes v as exactly width digits, zero-padded, no NUL (the caller checked that it fits) */
void put_digits(char *dst, uint64_t v, size_t width);
/* a US bank routing number: 9 digits passing the ABA checksum */
bool aba_routing_valid(const char *r);
#endif
