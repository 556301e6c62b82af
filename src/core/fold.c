// SPDX-License-Identifier: AGPL-3.0-or-later
/* Latin-1 → ASCII upper-case folding (see fold.h); one table, no state. */
#include "core/fold.h"

/* ASCII letters for U+00C0..U+00FF (second UTF-8 byte 0x80..0xBF); ' ' keeps the character */
static const char latin1_fold[65] =
	"AAAAAA CEEEEIIIIDNOOOOO OUUUUY  AAAAAA CEEEEIIIIDNOOOOO OUUUUY Y";

char fold_ascii(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

size_t fold_char(const char *s, char *out)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0xBF && latin1_fold[u[1] - 0x80] != ' ') {
		*out = latin1_fold[u[1] - 0x80];
		return 2;
	}
	*out = fold_ascii(s[0]);
	return 1;
}

void fold_upper(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		char c;
		r += fold_char(r, &c);
		*w++ = c;
	}
	*w = '\0';
}
