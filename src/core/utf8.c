// SPDX-License-Identifier: AGPL-3.0-or-later
/* UTF-8 validation and sanitising (RFC 3629, table 3-7 of the Unicode standard). */
#include "core/utf8.h"
#include <string.h>

/*
 * The length of the character a lead byte starts (0: it starts none) and the range its
 * second byte must fall in; the ranges exclude overlongs (E0, F0), surrogates (ED) and
 * code points above U+10FFFF (F4).
 */
static size_t lead_shape(unsigned char b, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xbf;
	if (b < 0x80)
		return 1;
	if (b < 0xc2)
		return 0;	/* continuation bytes, and C0/C1 (overlong) */
	if (b < 0xe0)
		return 2;
	if (b < 0xf0) {
		if (b == 0xe0)
			*lo = 0xa0;
		else if (b == 0xed)
			*hi = 0x9f;
		return 3;
	}
	if (b < 0xf5) {
		if (b == 0xf0)
			*lo = 0x90;
		else if (b == 0xf4)
			*hi = 0x8f;
		return 4;
	}
	return 0;
}

/* how many leading bytes of s[0..n) are a well-formed start of a character; *need its length */
static size_t well_formed_prefix(const unsigned char *s, size_t n, size_t *need)
{
	unsigned char lo, hi;
	size_t i = 1;
	*need = lead_shape(s[0], &lo, &hi);
	if (*need <= 1)
		return *need;
	while (i < *need && i < n && s[i] >= lo && s[i] <= hi) {
		i++;
		lo = 0x80;
		hi = 0xbf;
	}
	return i;
}

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t need, got = well_formed_prefix(s, n, &need);
	return got == need ? need : 0;
}

bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_seq_len((const unsigned char *)s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

static bool is_continuation(unsigned char b)
{
	return (b & 0xc0) == 0x80;
}

size_t utf8_sanitize(char *dst, size_t cap, const char *s, size_t n, bool drop_cut)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, out = 0;
	if (cap == 0)
		return 0;
	while (i < n) {
		size_t need, got = well_formed_prefix(u + i, n - i, &need);
		if (need && got == need) {	/* a whole character */
			if (out + got >= cap)
				break;
			memcpy(dst + out, u + i, got);
			out += got;
			i += got;
		} else if (drop_cut && got >= 1 && (i + got == n || !is_continuation(u[i + got]))) {
			i += got;	/* cut short: clip before it */
		} else {
			if (out + 4 >= cap)
				break;
			dst[out++] = '\\';
			dst[out++] = 'x';
			dst[out++] = hex[u[i] >> 4];
			dst[out++] = hex[u[i] & 0xf];
			i++;
		}
	}
	dst[out] = '\0';
	return out;
}
