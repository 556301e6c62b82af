// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Text layer of the US address parser: character tests, folding to upper-case ASCII,
 * splitting a line into words, and the bounded output buffer. Declared in usaddr_internal.h.
 */
#include "av/usaddr_internal.h"
#include <string.h>

#define IN_MAX 500	/* bytes in one input line or one-line address: Lob's largest limit */

/* ------------------------------------------------------------------------ */
/* characters                                                               */
/* ------------------------------------------------------------------------ */

bool usaddr_has_digit(const char *s)
{
	for (; *s; s++)
		if (is_digit(*s))
			return true;
	return false;
}

bool usaddr_all_alpha(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_alpha(*s))
			return false;
	return true;
}

bool usaddr_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_digit(*s))
			return false;
	return true;
}

/* 94107, 941071702, 94107-1702 */
bool usaddr_is_zip(const char *s)
{
	size_t n = strlen(s);

	if (n == 5 || n == 9)
		return usaddr_all_digits(s);
	if (n != 10 || s[5] != '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (i != 5 && !is_digit(s[i]))
			return false;
	return true;
}

/* letters, digits, '-' and '/', starting with a letter or digit */
bool usaddr_is_wordish(const char *s)
{
	if (!is_alnum(*s))
		return false;
	for (; *s; s++)
		if (!is_alnum(*s) && *s != '-' && *s != '/')
			return false;
	return true;
}

/* "1ST", "22ND", "3RD", "11TH" */
bool usaddr_is_ordinal(const char *s)
{
	size_t d = 0, n = strlen(s);

	while (is_digit(s[d]))
		d++;
	if (d == 0 || n != d + 2)
		return false;
	s += d;
	return !strcmp(s, "ST") || !strcmp(s, "ND") || !strcmp(s, "RD") || !strcmp(s, "TH");
}

/* "1/2", "3/4" */
bool usaddr_is_fraction(const char *s)
{
	size_t i = 0, j;

	while (is_digit(s[i]))
		i++;
	if (i == 0 || s[i] != '/')
		return false;
	j = ++i;
	while (is_digit(s[i]))
		i++;
	return i > j && s[i] == '\0';
}

/* a house number: "210", "123A", "12-34", "N6W23001", "W123"; not an ordinal */
bool usaddr_is_house_number(const char *s)
{
	return usaddr_has_digit(s) && usaddr_is_wordish(s) && !usaddr_is_ordinal(s) && strlen(s) < 24;
}

/* a unit or box number: "6100", "4B", "B", "A-1"; a word of two letters at most */
bool usaddr_is_range(const char *s)
{
	if (!usaddr_is_wordish(s) || strlen(s) >= 16)
		return false;
	if (usaddr_has_digit(s))
		return true;
	return strlen(s) <= 2 && usaddr_all_alpha(s) && !pub28_suffix(s);
}

/* ------------------------------------------------------------------------ */
/* folding to ASCII                                                         */
/* ------------------------------------------------------------------------ */

/* U+00C0..U+00FF as ASCII */
static const char *const latin1[64] = {
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", " ", "O", "U", "U", "U", "U", "Y", "TH", "SS",
	"A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I",
	"D", "N", "O", "O", "O", "O", "O", " ", "O", "U", "U", "U", "U", "Y", "TH", "Y",
};

/* decodes one UTF-8 sequence at p; its length (>= 1), *cp 0xFFFD when invalid */
static size_t utf8_next(const unsigned char *p, unsigned *cp)
{
	size_t len, i;
	unsigned v;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, v = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, v = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, v = p[0] & 0x07;
	else
		len = 0, v = 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)	/* also stops at the NUL */
			break;
		v = (v << 6) | (p[i] & 0x3F);
	}
	if (len == 0 || i < len) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = v;
	return len;
}

/* what one character becomes: letters and digits upper case, structure kept, rest a space */
static const char *fold_char(unsigned cp, char one[2])
{
	if (cp < 0x80) {
		char c = (char)cp;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == ';' || c == '\n' || c == '\r')
			c = ',';
		if (!is_alnum(c) && !strchr(",#/-.'&", c))
			c = ' ';
		one[0] = c;
		one[1] = '\0';
		return one;
	}
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0];
	switch (cp) {
	case 0xBC: return " 1/4";
	case 0xBD: return " 1/2";
	case 0xBE: return " 3/4";
	case 0x2018: case 0x2019: case 0x02BC: return "'";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: return "-";
	default: return " ";
	}
}

/* bytes before the NUL, counting no further than max + 1 */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (s[n] && n <= max)
		n++;
	return n;
}

/*
 * Folds in (up to IN_MAX bytes) into out: upper-case ASCII letters and digits plus the
 * characters , # / - . ' & and spaces. -1 when in is longer than IN_MAX.
 */
int usaddr_fold(const char *in, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t o = 0;
	unsigned cp;
	char one[2];

	if (bounded_len((const char *)p, IN_MAX) > IN_MAX)
		return -1;
	while (*p) {
		const char *r;
		p += utf8_next(p, &cp);
		r = fold_char(cp, one);
		for (; *r && o + 1 < cap; r++)
			out[o++] = *r;
	}
	out[o] = '\0';
	return 0;
}

/* ------------------------------------------------------------------------ */
/* words                                                                    */
/* ------------------------------------------------------------------------ */

struct lexer {
	struct toks *tk;
	char cur[TOK_LEN];
	size_t len;
	size_t run;	/* characters since the word began or since a joined '.' */
	bool seg, dash;
};

static void lex_emit(struct lexer *lx)
{
	struct toks *tk = lx->tk;
	struct tok *t;

	if (lx->len == 0)
		return;
	if (tk->n >= TOK_MAX) {
		tk->overflow = true;
	} else {
		t = &tk->t[tk->n++];
		memcpy(t->s, lx->cur, lx->len);
		t->s[lx->len] = '\0';
		t->seg = lx->seg;
		t->dash = lx->dash;
	}
	lx->seg = lx->dash = false;
	lx->len = lx->run = 0;
}

static void lex_put(struct lexer *lx, char c)
{
	if (lx->len + 1 >= TOK_LEN) {
		lx->tk->overflow = true;
		return;
	}
	lx->cur[lx->len++] = c;
	lx->run++;
}

/* one folded character; s[i] is it, s[i + 1] may be read (the string is NUL-terminated) */
static void lex_char(struct lexer *lx, const char *s, size_t i)
{
	char c = s[i], next = s[i + 1];

	if (is_alnum(c)) {
		lex_put(lx, c);
	} else if ((c == '/' || c == '-') && lx->len && is_alnum(next)) {
		lex_put(lx, c);
	} else if (c == '-') {
		lex_emit(lx);
		lx->dash = true;
	} else if (c == '.' && lx->run == 1 && is_alpha(s[i - 1]) && is_alpha(next)) {
		lx->run = 0;		/* P.O. → PO, N.W. → NW, U.S.A. → USA */
	} else if (c == '\'' && lx->len && next == 'S' && !is_alnum(s[i + 2])) {
		;			/* MARY'S → MARYS; O'FARRELL → O FARRELL below */
	} else if (c == '#' || c == '&') {
		lex_emit(lx);
		lex_put(lx, c);
		lex_emit(lx);
	} else {
		lex_emit(lx);
		if (c == ',')
			lx->seg = true;
	}
}

/* appends the words of one input line to tk; -1 when the line is too long */
int usaddr_tokenize(const char *line, struct toks *tk)
{
	char folded[FOLD_MAX];
	struct lexer lx = { .tk = tk, .seg = true };

	if (usaddr_fold(line, folded, sizeof(folded)) < 0) {
		tk->overflow = true;
		return -1;
	}
	for (size_t i = 0; folded[i]; i++)
		lex_char(&lx, folded, i);
	lex_emit(&lx);
	return tk->overflow ? -1 : 0;
}

/* ------------------------------------------------------------------------ */
/* output                                                                   */
/* ------------------------------------------------------------------------ */

struct sbuf usaddr_sb_init(char *p, size_t cap, bool *over)
{
	struct sbuf b = { p, cap, 0, over };
	p[0] = '\0';
	return b;
}

void usaddr_sb_raw(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->len + n + 1 > b->cap) {
		*b->over = true;
		return;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* appends a word, with a space before it unless it is the first; "" adds nothing */
void usaddr_sb_word(struct sbuf *b, const char *w)
{
	size_t space = b->len ? 1 : 0;

	if (!*w)
		return;
	if (b->len + space + strlen(w) + 1 > b->cap) {	/* all of it or nothing */
		*b->over = true;
		return;
	}
	if (space)
		usaddr_sb_raw(b, " ");
	usaddr_sb_raw(b, w);
}
