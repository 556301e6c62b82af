/* Bounded number parsing (instead of atoi/strtol, which the project bans). */
#ifndef FRANK_PARSE_H
#define FRANK_PARSE_H
#include <stdbool.h>

/* whole string of decimal digits, value <= max; 0 or -1 */
int parse_ulong(const char *s, unsigned long max, unsigned long *out);
/* "yes" for 1/true/yes/on, "no" for 0/false/no/off (case-insensitive); 0 or -1 */
int parse_bool(const char *s, bool *out);
#endif
