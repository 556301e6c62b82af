// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Accent folding: Latin-1 letters written as UTF-8 (U+00C0..U+00FF, "É", "Ñ") become one
 * ASCII upper-case letter, ASCII letters are upper-cased, every other byte stays as it is.
 * No Unicode beyond Latin-1, no white-space handling: callers trim as they need.
 */
#ifndef FRANK_FOLD_H
#define FRANK_FOLD_H
#include <stddef.h>

/* c upper-cased if it is an ASCII letter, else c; locale-independent */
char fold_ascii(char c);

/*
 * Folds the character at s, which must not be the terminating NUL: stores the folded byte in
 * *out and returns how many bytes of s it used (2 for a folded Latin-1 letter, else 1).
 * Pure; thread-safe.
 */
size_t fold_char(const char *s, char *out);

/* Folds the NUL-terminated s in place (it only shrinks). Thread-safe on distinct strings. */
void fold_upper(char *s);
#endif
