// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * core/utf8: validation against jansson's own UTF-8 check (exhaustive for short inputs),
 * the named cases of RFC 3629 / Unicode table 3-7, and utf8_sanitize: escapes, clipped
 * characters, and a full buffer cut at every possible size.
 */
#include "core/utf8.h"
#include "test.h"
#include <jansson.h>

/* jansson refuses invalid UTF-8 in json_stringn: an independent oracle */
static bool jansson_accepts(const unsigned char *s, size_t n)
{
	json_t *j = json_stringn((const char *)s, n);
	json_decref(j);
	return j != NULL;
}

/* utf8_sanitize's output is valid UTF-8, escaping cut characters or dropping them */
static bool sanitizes_valid(const unsigned char *s, size_t n)
{
	char out[32];
	size_t a = utf8_sanitize(out, sizeof(out), (const char *)s, n, false);
	bool ok = utf8_valid(out, a);
	size_t b = utf8_sanitize(out, sizeof(out), (const char *)s, n, true);
	return ok && utf8_valid(out, b);
}

/* every 1- and 2-byte input, every 3-byte input with a 3-byte lead, and 4-byte leads
 * against a spread of following bytes; sanitized output is always valid */
static void test_matches_jansson(void)
{
	static const unsigned char tail[] = { 0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f,
					      0xa0, 0xbf, 0xc0, 0xc3, 0xf4, 0xff };
	unsigned char s[4];
	size_t disagree = 0, unsafe = 0, cases = 0;
	for (unsigned a = 0; a < 256; a++) {
		s[0] = (unsigned char)a;
		cases++;
		disagree += utf8_valid((char *)s, 1) != jansson_accepts(s, 1);
		for (unsigned b = 0; b < 256; b++) {
			s[1] = (unsigned char)b;
			cases++;
			disagree += utf8_valid((char *)s, 2) != jansson_accepts(s, 2);
			unsafe += !sanitizes_valid(s, 2);
		}
	}
	for (unsigned a = 0xe0; a < 0xf0; a++)
		for (unsigned b = 0; b < 256; b++)
			for (unsigned c = 0; c < 256; c++) {
				s[0] = (unsigned char)a, s[1] = (unsigned char)b, s[2] = (unsigned char)c;
				cases++;
				disagree += utf8_valid((char *)s, 3) != jansson_accepts(s, 3);
				unsafe += !sanitizes_valid(s, 3);
			}
	for (unsigned a = 0xf0; a < 0xf8; a++)
		for (unsigned b = 0; b < 256; b++)
			for (size_t c = 0; c < sizeof(tail); c++)
				for (size_t d = 0; d < sizeof(tail); d++) {
					s[0] = (unsigned char)a, s[1] = (unsigned char)b;
					s[2] = tail[c], s[3] = tail[d];
					cases++;
					disagree += utf8_valid((char *)s, 4) != jansson_accepts(s, 4);
					unsafe += !sanitizes_valid(s, 4);
				}
	CHECK(cases > 1000000, "%zu inputs compared", cases);
	CHECK_INT(disagree, 0, "utf8_valid agrees with jansson on every input");
	CHECK_INT(unsafe, 0, "utf8_sanitize output is always valid UTF-8");
}

static void test_named_cases(void)
{
	static const struct { const char *s; size_t len; const char *what; } cases[] = {
		{ "A", 1, "ASCII" },
		{ "\xc2\x80", 2, "U+0080, the first 2-byte character" },
		{ "\xdf\xbf", 2, "U+07FF" },
		{ "\xe0\xa0\x80", 3, "U+0800" },
		{ "\xed\x9f\xbf", 3, "U+D7FF, just below the surrogates" },
		{ "\xee\x80\x80", 3, "U+E000, just above them" },
		{ "\xef\xbf\xbf", 3, "U+FFFF" },
		{ "\xf0\x90\x80\x80", 4, "U+10000" },
		{ "\xf4\x8f\xbf\xbf", 4, "U+10FFFF, the last code point" },
		{ "\xc0\x80", 0, "overlong NUL (C0 80)" },
		{ "\xc1\xbf", 0, "overlong U+007F" },
		{ "\xe0\x9f\xbf", 0, "overlong U+07FF in 3 bytes" },
		{ "\xf0\x8f\xbf\xbf", 0, "overlong U+FFFF in 4 bytes" },
		{ "\xed\xa0\x80", 0, "surrogate U+D800" },
		{ "\xed\xbf\xbf", 0, "surrogate U+DFFF" },
		{ "\xf4\x90\x80\x80", 0, "U+110000, above the last code point" },
		{ "\xf5\x80\x80\x80", 0, "lead byte F5" },
		{ "\xff", 0, "byte FF" },
		{ "\x80", 0, "a lone continuation byte" },
		{ "\xc3", 0, "2-byte character cut after its lead" },
		{ "\xe2\x82", 0, "3-byte character cut after 2 bytes" },
		{ "\xf0\x9f\x98", 0, "4-byte character cut after 3 bytes" },
		{ "\xc3\x41", 0, "lead byte followed by ASCII" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n = strlen(cases[i].s);
		CHECK_INT(utf8_seq_len((const unsigned char *)cases[i].s, n), cases[i].len,
			  "utf8_seq_len: %s", cases[i].what);
		CHECK(utf8_valid(cases[i].s, n) == (cases[i].len == n), "utf8_valid: %s",
		      cases[i].what);
	}
	CHECK(utf8_valid("", 0), "the empty string is valid");
}

static void sanitized(const char *in, bool drop_cut, const char *want, const char *what)
{
	char out[128];
	utf8_sanitize(out, sizeof(out), in, strlen(in), drop_cut);
	CHECK_STR(out, want, "utf8_sanitize%s: %s", drop_cut ? " (drop_cut)" : "", what);
}

static void test_sanitize(void)
{
	static const char text[] = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80";
	sanitized(text, false, text, "valid text is copied unchanged");
	sanitized(text, true, text, "valid text is copied unchanged");
	sanitized("/v1/zz\xff", false, "/v1/zz\\xFF", "an invalid byte becomes \\xHH");
	sanitized("/v1/zz\xff", true, "/v1/zz\\xFF", "an invalid byte becomes \\xHH");
	sanitized("a\x80" "b", true, "a\\x80b", "a stray continuation byte is escaped");
	sanitized("\xed\xa0\x80", true, "\\xED\\xA0\\x80", "a surrogate is escaped byte by byte");
	sanitized("\xe0\x80\xaf", true, "\\xE0\\x80\\xAF", "an overlong form is escaped byte by byte");
	sanitized("\xc0\xaf", true, "\\xC0\\xAF", "C0 is never a lead byte");
	sanitized("address adr_a\xc3\xa9\xc3 not found", true, "address adr_a\xc3\xa9 not found",
		  "a character clipped mid-way (\"%.Ns\") is dropped");
	sanitized("ab\xf0\x9f\x98", true, "ab", "a character cut at the end is dropped");
	sanitized("x\xf0\x9f\xc3\xa9", true, "x\xc3\xa9", "a cut character before a whole one");
	sanitized("/v1/zz\xc3", false, "/v1/zz\\xC3", "raw bytes: a cut character is escaped");
	sanitized("ab\xf0\x9f\x98", false, "ab\\xF0\\x9F\\x98", "raw bytes: each of its bytes");
}

/* a buffer of every size: the copy is the longest whole-character prefix that fits */
static void test_clip_every_boundary(void)
{
	static const char text[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";	/* a é € 😀 z */
	static const size_t ends[] = { 0, 1, 3, 6, 10, 11 };	/* character boundaries */
	char out[16];
	for (size_t cap = 1; cap <= sizeof(text); cap++) {
		size_t want = 0;
		for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++)
			if (ends[e] < cap)
				want = ends[e];
		size_t n = utf8_sanitize(out, cap, text, strlen(text), true);
		CHECK(n == want && memcmp(out, text, n) == 0 && out[n] == '\0',
		      "cap %zu: %zu bytes, ends on the boundary at %zu", cap, n, want);
	}
	/* an escape is never split either */
	size_t n = utf8_sanitize(out, 7, "\xff\xff", 2, false);
	CHECK(n == 4 && strcmp(out, "\\xFF") == 0, "cap 7 holds one escape, not a half of two");
	CHECK_INT(utf8_sanitize(out, 0, "abc", 3, false), 0, "cap 0 writes nothing");
}

int main(void)
{
	test_matches_jansson();
	test_named_cases();
	test_sanitize();
	test_clip_every_boundary();
	return test_done();
}
