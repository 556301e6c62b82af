// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * UTF-8 (RFC 3629): validation and making any bytes safe to put in JSON. Error messages and
 * log lines echo what a client sent, and JSON refuses invalid UTF-8: text goes through
 * utf8_sanitize() before it is encoded, so a message can never fail to serialise.
 */
#ifndef FRANK_UTF8_H
#define FRANK_UTF8_H
#include <stdbool.h>
#include <stddef.h>

/*
 * length (1-4) of the well-formed character at s[0..n), or 0 if none starts there: no
 * overlong forms, no surrogates (U+D800-DFFF), nothing above U+10FFFF; n >= 1
 */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/* s[0..n) is well-formed UTF-8 */
bool utf8_valid(const char *s, size_t n);

/*
 * Copies s[0..n) to dst (cap bytes, always NUL-terminated if cap > 0) as well-formed UTF-8:
 * well-formed characters are copied and every invalid byte becomes the four characters
 * \xHH (hex, upper case), except that with drop_cut a character cut short (a valid start
 * and continuation bytes, then the end or a byte that cannot continue it) is dropped:
 * that is what clipping a value with "%.40s" leaves in a formatted message, and dropping
 * it clips at the character boundary before it. Raw client bytes (a path) keep drop_cut
 * false so that nothing they held disappears. When dst is full the copy stops at a
 * character (or escape) boundary. Returns the length written, without the NUL.
 */
size_t utf8_sanitize(char *dst, size_t cap, const char *s, size_t n, bool drop_cut);
#endif
