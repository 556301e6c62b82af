// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Country lookups over the generated table (countries_data.c): by alpha-2 code with a
 * binary search, by Lob's full name with a scan and a small UTF-8-aware case fold.
 */
#include "core/countries.h"
#include <stdint.h>

static char ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static bool is_ascii_letter(char c)
{
	c = ascii_upper(c);
	return c >= 'A' && c <= 'Z';
}

const struct country *country_by_alpha2(const char *code)
{
	char want[3];
	size_t lo = 0, hi = country_table_len;

	if (!code || !is_ascii_letter(code[0]) || !is_ascii_letter(code[1]) || code[2])
		return NULL;
	want[0] = ascii_upper(code[0]);
	want[1] = ascii_upper(code[1]);
	want[2] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *a = country_table[mid].alpha2;
		int cmp = a[0] != want[0] ? a[0] - want[0] : a[1] - want[1];
		if (cmp == 0)
			return &country_table[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Reads one character at *p, advances past it and returns a folded value: ASCII letters
 * upper-cased; a UTF-8 Latin-1 character (U+00C0..U+00FF, "\303\200".."\303\277") as its
 * code point, small letters mapped to capitals (é → É, but not ÷ or ÿ); U+2019 as an
 * ASCII apostrophe; any other byte as 0x100 + the byte, so it only matches itself.
 * Returns 0 at the end of the string. Never reads past the terminating NUL.
 */
static uint32_t fold_next(const unsigned char **p)
{
	const unsigned char *s = *p;
	uint32_t cp;

	if (s[0] < 0x80) {
		*p += s[0] != 0;
		return (uint32_t)(unsigned char)ascii_upper((char)s[0]);
	}
	if (s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0xBF) {
		*p += 2;
		cp = 0xC0u + (s[1] - 0x80u);
		return cp >= 0xE0 && cp <= 0xFE && cp != 0xF7 ? cp - 0x20 : cp;
	}
	if (s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0x99) {
		*p += 3;
		return '\'';
	}
	*p += 1;
	return 0x100u + s[0];
}

static bool name_equal(const char *a, const char *b)
{
	const unsigned char *pa = (const unsigned char *)a, *pb = (const unsigned char *)b;

	for (;;) {
		uint32_t ca = fold_next(&pa), cb = fold_next(&pb);
		if (ca != cb)
			return false;
		if (ca == 0)
			return true;
	}
}

const struct country *country_by_name(const char *name)
{
	if (!name || !name[0])
		return NULL;
	for (size_t i = 0; i < country_table_len; i++)
		if (name_equal(country_table[i].lob_name, name))
			return &country_table[i];
	return NULL;
}
