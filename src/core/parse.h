/* Bounded number parsing (instead of atoi/strtol, which the project bans). */
#ifndef FRANK_PARSE_H
#define FRANK_PARSE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* whole string of decimal digits, value <= max; 0 or -1 */
int parse_ulong(const char *s, unsigned long max, unsigned long *out);
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
