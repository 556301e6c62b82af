// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Customer HTML made fit for the browser (see chromium_prep_html): the DevTools protocol
 * carries text as JSON, which must be valid UTF-8, and a <meta http-equiv=refresh> would
 * replace the document (a refresh to about:blank cannot be intercepted) before it prints.
 */
#include "render/chromium/chromium_internal.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, surrogates, > U+10FFFF) */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
		: c >= 0xF0 && c <= 0xF4 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if (c == 0xE0 && s[1] < 0xA0)
		return 0;	/* overlong */
	if (c == 0xED && s[1] >= 0xA0)
		return 0;	/* surrogate */
	if (c == 0xF0 && s[1] < 0x90)
		return 0;	/* overlong */
	if (c == 0xF4 && s[1] >= 0x90)
		return 0;	/* beyond U+10FFFF */
	return len;
}

/* valid UTF-8 copy: each byte that starts no valid sequence becomes U+FFFD */
static char *to_utf8(const char *html, size_t len, size_t *out_len)
{
	const unsigned char *s = (const unsigned char *)html;
	size_t bad = 0;
	for (size_t i = 0; i < len;) {
		size_t l = utf8_len(s + i, len - i);
		bad += l == 0;
		i += l ? l : 1;
	}
	char *out = malloc(len + bad * 2 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		size_t l = utf8_len(s + i, len - i);
		if (l == 0) {
			memcpy(out + o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(out + o, s + i, l);
			o += l;
			i += l;
		}
	}
	out[o] = '\0';
	*out_len = o;
	return out;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

static bool name_char(char c)
{
	return c && !is_space(c) && c != '/' && c != '>';
}

/* the end of the tag whose name ends at i (after its '>'); quoted attribute values skipped */
static size_t tag_end(const char *s, size_t n, size_t i)
{
	while (i < n && s[i] != '>') {
		if (s[i] != '=') {
			i++;
			continue;
		}
		i++;
		while (i < n && is_space(s[i]))
			i++;
		if (i < n && (s[i] == '"' || s[i] == '\'')) {
			const char *q = memchr(s + i + 1, s[i], n - i - 1);
			if (!q)
				return n;
			i = (size_t)(q - s) + 1;
		}
	}
	return i < n ? i + 1 : n;
}

/* inside <meta …> [i, end): rename an http-equiv="refresh" attribute so it does nothing */
static void disarm_meta(char *s, size_t i, size_t end)
{
	while (i < end) {
		while (i < end && (is_space(s[i]) || s[i] == '/'))
			i++;
		size_t name = i;
		while (i < end && name_char(s[i]) && s[i] != '=')
			i++;
		size_t name_len = i - name;
		while (i < end && is_space(s[i]))
			i++;
		size_t val = i, val_len = 0;
		if (i < end && s[i] == '=') {
			i++;
			while (i < end && is_space(s[i]))
				i++;
			if (i < end && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];
				val = i;
				while (i < end && s[i] != q)
					i++;
				val_len = i - val;
				i++;
			} else {
				val = i;
				while (i < end && name_char(s[i]))
					i++;
				val_len = i - val;
			}
		}
		while (val_len && is_space(s[val]))
			val++, val_len--;
		while (val_len && is_space(s[val + val_len - 1]))
			val_len--;
		if (name_len == 10 && strncasecmp(s + name, "http-equiv", 10) == 0 &&
		    val_len == 7 && strncasecmp(s + val, "refresh", 7) == 0)
			s[name] = 'x';	/* "xttp-equiv": an unknown attribute, same length */
		if (name_len == 0 && i < end)
			i++;
	}
}

/* elements whose content is text, not tags: a <meta> inside them is not a meta */
static const char *const raw_text[] = {
	"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
};

static size_t skip_raw(const char *s, size_t n, size_t i, const char *name)
{
	size_t nl = strlen(name);
	for (; i + 2 + nl <= n; i++)
		if (s[i] == '<' && s[i + 1] == '/' && strncasecmp(s + i + 2, name, nl) == 0 &&
		    !name_char(s[i + 2 + nl]))
			return i;
	return n;
}

static void disarm_refresh(char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			return;
		i = (size_t)(lt - s);
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			const char *e = memmem(s + i + 4, n - i - 4, "-->", 3);
			if (!e)
				return;
			i = (size_t)(e - s) + 3;
			continue;
		}
		size_t name = i + 1, j = name;
		while (j < n && ((s[j] | 0x20) >= 'a' && (s[j] | 0x20) <= 'z'))
			j++;
		size_t name_len = j - name;
		if (name_len == 0) {
			i++;
			continue;
		}
		size_t end = tag_end(s, n, j);
		if (name_len == 4 && strncasecmp(s + name, "meta", 4) == 0 && j < n && !name_char(s[j]))
			disarm_meta(s, j, end);
		if (name_len == 9 && strncasecmp(s + name, "plaintext", 9) == 0)
			return;	/* everything after it is text */
		i = end;
		for (size_t r = 0; r < sizeof raw_text / sizeof raw_text[0]; r++)
			if (strlen(raw_text[r]) == name_len &&
			    strncasecmp(s + name, raw_text[r], name_len) == 0) {
				i = skip_raw(s, n, end, raw_text[r]);
				break;
			}
	}
}

char *chromium_prep_html(const char *html, size_t len, size_t *out_len)
{
	char *s = to_utf8(html, len, out_len);
	if (s)
		disarm_refresh(s, *out_len);
	return s;
}
