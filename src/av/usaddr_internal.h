// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internals shared by usaddr.c (the line parser), usaddr_freeform.c (one-line addresses
 * and city names) and usaddr_text.c (characters, folding, words, output buffer).
 * Not part of the public API: include usaddr.h outside src/av/usaddr*.c.
 */
#ifndef FRANK_AV_USADDR_INTERNAL_H
#define FRANK_AV_USADDR_INTERNAL_H

#include "av/usaddr.h"
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define FOLD_MAX 1280	/* folded text of one line (transliteration may lengthen it) */
#define TOK_LEN 40	/* longest word */
#define TOK_MAX 64	/* words in one parse */

struct tok {
	char s[TOK_LEN];
	bool seg;	/* first word of a line or after a comma */
	bool dash;	/* a free-standing hyphen came before it ("123 - 125") */
};

struct toks {
	struct tok t[TOK_MAX];
	int n;
	bool overflow;	/* too many words, or a word too long */
};

/* a bounded buffer that records overflow instead of cutting silently */
struct sbuf {
	char *p;
	size_t cap, len;
	bool *over;
};

struct unit {
	const char *desig;	/* static: a C2 abbreviation, "#" or "PMB" */
	char num[16];
};

struct route {
	enum us_addr_kind kind;
	const char *desig;	/* RR, HC, PSC, CMR, UNIT */
	bool needs_box;		/* a box must follow to tell it from a street ("ROUTE 66") */
	int words;
};

struct boxed {
	struct route r;
	const char *route_no, *box;
	const char *mil_city, *mil_state, *mil_zip;
	int used;
};

/* bounded copy; callers have checked that src fits (is_range: under 16 bytes) */
static inline void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static inline bool is_alpha(char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static inline bool at(const struct tok *t, int i, int e, const char *w)
{
	return i < e && strcmp(t[i].s, w) == 0;
}

/* characters (usaddr_text.c) */
bool usaddr_has_digit(const char *s);
bool usaddr_all_alpha(const char *s);
bool usaddr_all_digits(const char *s);
bool usaddr_is_wordish(const char *s);			/* letters, digits, - and /; alnum first */
bool usaddr_is_ordinal(const char *s);			/* "1ST", "22ND", "3RD", "11TH" */
bool usaddr_is_zip(const char *s);			/* 94107, 941071702, 94107-1702 */
bool usaddr_is_fraction(const char *s);			/* "1/2", "3/4" */
bool usaddr_is_house_number(const char *s);
bool usaddr_is_range(const char *s);			/* a unit or box number */

/* folding, words and output (usaddr_text.c): usaddr_fold -1 when in is too long,
 * usaddr_tokenize when a line is */
int usaddr_fold(const char *in, char *out, size_t cap);
int usaddr_tokenize(const char *line, struct toks *tk);
struct sbuf usaddr_sb_init(char *p, size_t cap, bool *over);
void usaddr_sb_raw(struct sbuf *b, const char *s);
void usaddr_sb_word(struct sbuf *b, const char *w);

/* address parts at t[i] or in t[b..e) */
int usaddr_unit_at(const struct tok *t, int i, int e, struct unit *u, bool freeform);
bool usaddr_is_dir(const char *s);
bool usaddr_any_non_dir(const struct tok *t, int b, int e);
bool usaddr_hwy_at(const struct tok *t, int i, int e);
void usaddr_boxed_address(const struct tok *t, int b, int e, struct boxed *x);
/* usaddr_box.c: BOX words at t[i] (their count, 0 if none); a rural-route address */
int usaddr_box_words(const struct tok *t, int i, int e);
void usaddr_route_address(const struct tok *t, int b, int e, bool have_box, struct boxed *x);
bool usaddr_address_start(const struct tok *t, int b, int e);
bool usaddr_urb_word(const char *s);

/* the words of tk as one address into *a; -1 with a reason in err */
int usaddr_parse_toks(const struct toks *tk, struct us_address *a, char *err, size_t errlen);

#endif
