// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One pass over HTML estimating nesting depth, element count and the longest unbreakable word
 * (see html_limits.h). The estimates follow the HTML5 tree builder loosely and err high: an end
 * tag closes the nearest open element of its name and everything above it; p, li, dt, dd, tr,
 * td, th and option close an open element of the same name; formatting elements closed only
 * implicitly stay "active" (a parser reopens them in each later block) until their own end tag
 * or the end of the table cell they were opened in.
 */
#include "render/mupdf/html_limits.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NAME_MAX_LEN 16

struct open_el {
	uint32_t hash;
	bool formatting;
	bool marker;			/* td, th, caption…: formatting opened inside ends with it */
	unsigned long active_at_push;
};

struct scan {
	const char *s;
	size_t len, i;
	struct open_el stack[HTML_MAX_DEPTH + 1];
	unsigned depth;
	unsigned long active;		/* formatting elements a parser may reopen */
	size_t word;
	struct html_shape shape;
};

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const void_elements[] = { "area", "base", "br", "col", "embed", "hr", "img",
	"input", "keygen", "link", "meta", "param", "source", "track", "wbr", NULL };
static const char *const formatting[] = { "a", "b", "big", "code", "em", "font", "i", "nobr",
	"s", "small", "strike", "strong", "tt", "u", NULL };
static const char *const markers[] = { "td", "th", "caption", "marquee", "object", "applet",
	NULL };
static const char *const self_closing[] = { "p", "li", "dt", "dd", "tr", "td", "th", "option",
	NULL };
static const char *const raw_text[] = { "script", "style", "textarea", "title", "xmp",
	"iframe", "noembed", "noframes", "noscript", "plaintext", NULL };
/* inline elements: a word goes on across them */
static const char *const inline_text[] = { "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code",
	"data", "dfn", "em", "font", "i", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small",
	"span", "strike", "strong", "sub", "sup", "tt", "u", "var", NULL };

static bool is_name_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.';
}

/* the tag name at s->i: lowercase copy (truncated) in name, hash of all of it; moves past it */
static uint32_t read_name(struct scan *s, char name[NAME_MAX_LEN])
{
	uint32_t h = 2166136261u;
	size_t n = 0;
	while (s->i < s->len && is_name_char((unsigned char)s->s[s->i])) {
		char c = (char)tolower((unsigned char)s->s[s->i++]);
		h = (h ^ (unsigned char)c) * 16777619u;
		if (n + 1 < NAME_MAX_LEN)
			name[n++] = c;
	}
	name[n] = '\0';
	return h;
}

/*
 * move past the rest of a tag: a quote opens a value only right after '=' (as the HTML
 * tokenizer has it), and a quoted value may hold '>'
 */
static void skip_tag_rest(struct scan *s)
{
	char quote = 0;
	bool after_eq = false;
	while (s->i < s->len) {
		char c = s->s[s->i++];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '>') {
			return;
		} else if (after_eq && (c == '"' || c == '\'')) {
			quote = c;
			after_eq = false;
		} else if (c == '=') {
			after_eq = true;
		} else if (!isspace((unsigned char)c)) {
			after_eq = false;
		}
	}
}

/* skip to just after `end` (case-insensitive), or to the end of the input */
static void skip_past(struct scan *s, const char *end)
{
	size_t n = strlen(end);
	while (s->i < s->len) {
		if (s->len - s->i >= n && strncasecmp(s->s + s->i, end, n) == 0) {
			s->i += n;
			return;
		}
		s->i++;
	}
}

/* close open elements down to (and including) index k */
static void pop_to(struct scan *s, unsigned k)
{
	while (s->depth > k) {
		struct open_el *e = &s->stack[--s->depth];
		if (e->marker && s->active > e->active_at_push)
			s->active = e->active_at_push;
	}
}

/* the index of the nearest open element named by hash, or -1 */
static int find_open(const struct scan *s, uint32_t hash)
{
	for (unsigned k = s->depth; k-- > 0;)
		if (s->stack[k].hash == hash)
			return (int)k;
	return -1;
}

static int count_element(struct scan *s, struct api_error *err)
{
	s->shape.elements += 1 + s->active;
	if (s->shape.elements > HTML_MAX_ELEMENTS)
		return api_fail(err, ERR_INVALID_TEMPLATE_HTML,
				"the HTML has too many elements to lay out (more than %d, counting "
				"formatting tags left open)", HTML_MAX_ELEMENTS);
	return 0;
}

static int start_tag(struct scan *s, struct api_error *err)
{
	char name[NAME_MAX_LEN];
	uint32_t hash = read_name(s, name);
	/* "/>" does not close a non-void HTML element: it stays open, as parsers keep it */
	skip_tag_rest(s);
	if (count_element(s, err) < 0)
		return -1;
	if (!in_list(name, inline_text))
		s->word = 0;
	if (in_list(name, void_elements))
		return 0;
	if (in_list(name, self_closing)) {
		int k = find_open(s, hash);
		if (k >= 0)
			pop_to(s, (unsigned)k);
	}
	if (s->depth == HTML_MAX_DEPTH)
		return api_fail(err, ERR_INVALID_TEMPLATE_HTML,
				"the HTML nests elements more than %d deep", HTML_MAX_DEPTH);
	bool fmt = in_list(name, formatting);
	s->stack[s->depth++] = (struct open_el){ .hash = hash, .formatting = fmt,
						  .marker = in_list(name, markers),
						  .active_at_push = s->active };
	if (s->depth > s->shape.max_depth)
		s->shape.max_depth = s->depth;
	if (fmt)
		s->active++;
	if (in_list(name, raw_text)) {
		char end[NAME_MAX_LEN + 3];
		snprintf(end, sizeof(end), "</%s", name);
		skip_past(s, end);
		skip_tag_rest(s);
		pop_to(s, s->depth - 1);
	}
	return 0;
}

static int end_tag(struct scan *s, struct api_error *err)
{
	char name[NAME_MAX_LEN];
	uint32_t hash = read_name(s, name);
	skip_tag_rest(s);
	if (count_element(s, err) < 0)
		return -1;
	if (!in_list(name, inline_text))
		s->word = 0;
	int k = find_open(s, hash);
	if (k < 0)
		return 0;	/* a stray end tag: parsers ignore it */
	if (s->stack[k].formatting && s->active > 0)
		s->active--;
	pop_to(s, (unsigned)k);
	return 0;
}

/* a byte of text: words end at ASCII white space and at CJK (lead bytes of U+3000 and up) */
static int text_byte(struct scan *s, unsigned char c, struct api_error *err)
{
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c >= 0xe3) {
		s->word = 0;
		return 0;
	}
	if (++s->word > s->shape.longest_word)
		s->shape.longest_word = s->word;
	if (s->word > HTML_MAX_WORD)
		return api_fail(err, ERR_INVALID_TEMPLATE_HTML,
				"the HTML has a word longer than %d characters with no place to break "
				"the line", HTML_MAX_WORD);
	return 0;
}

int html_check_limits(const char *html, size_t len, struct html_shape *shape,
		      struct api_error *err)
{
	struct scan *s = &(struct scan){ .s = html, .len = html ? len : 0 };
	int rc = 0;
	while (rc == 0 && s->i < s->len) {
		unsigned char c = (unsigned char)s->s[s->i];
		unsigned char next = s->i + 1 < s->len ? (unsigned char)s->s[s->i + 1] : 0;
		if (c != '<') {
			rc = text_byte(s, c, err);
			s->i++;
		} else if (isalpha(next)) {
			s->i++;
			rc = start_tag(s, err);
		} else if (next == '/' && s->i + 2 < s->len && isalpha((unsigned char)s->s[s->i + 2])) {
			s->i += 2;
			rc = end_tag(s, err);
		} else if (next == '!' && s->len - s->i >= 4 && memcmp(s->s + s->i, "<!--", 4) == 0) {
			s->i += 4;
			skip_past(s, "-->");
		} else if (next == '!' || next == '?' || next == '/') {
			s->i++;
			skip_tag_rest(s);	/* doctype, processing instruction, bogus comment */
		} else {
			rc = text_byte(s, c, err);	/* a lone '<' is text */
			s->i++;
		}
	}
	if (shape)
		*shape = s->shape;
	return rc;
}
