// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Handlebars lexer: the template into a flat token list (text, variables, block open/else/
 * close, comments) with parsed calls; then Handlebars.js 4's whitespace control (`~` and
 * standalone lines) applied to the text tokens.
 */
#include "core/parse.h"
#include "template/hbs_parser.h"
#include <float.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- errors */

void hbs_line_col(const char *src, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1, c = 1;
	for (size_t i = 0; i < off; i++) {
		if (src[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

int hbs_perr(struct parser *ps, size_t off, const char *fmt, ...)
{
	char msg[200];
	unsigned line, col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hbs_line_col(ps->src, off, &line, &col);
	return api_fail(ps->err, ERR_INVALID_TEMPLATE_HTML, "line %u:%u: %s", line, col, msg);
}

/* ---------------------------------------------------------------- lexer */

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Handlebars.js ID: anything but whitespace and !"#%&'()*+,./;<=>@[\]^`{|}~ */
bool hbs_is_id_char(char c)
{
	return !is_ws(c) && c != '\0' && !strchr("!\"#%&'()*+,./;<=>@[\\]^`{|}~", c);
}

static struct tok *tok_push(struct parser *ps, enum tok_kind kind, size_t off)
{
	if (ps->ntoks == ps->cap) {
		size_t ncap = ps->cap ? ps->cap * 2 : 64;
		struct tok *n = realloc(ps->toks, ncap * sizeof(*n));
		if (!n)
			abort();	/* as arena_alloc: no way on without memory */
		ps->toks = n;
		ps->cap = ncap;
	}
	struct tok *tk = &ps->toks[ps->ntoks++];
	memset(tk, 0, sizeof(*tk));
	tk->kind = kind;
	tk->off = off;
	return tk;
}

static void push_text(struct parser *ps, size_t from, size_t to)
{
	if (to <= from)
		return;
	struct tok *tk = tok_push(ps, T_TEXT, from);
	tk->s = ps->src + from;
	tk->olen = to - from;
	tk->cs = 0;
	tk->ce = to - from;
}

const char *hbs_find(const char *s, size_t from, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = from; i + n <= len; i++)
		if (s[i] == needle[0] && memcmp(s + i, needle, n) == 0)
			return s + i;
	return NULL;
}

static void skip_ws(struct parser *ps)
{
	while (ps->pos < ps->len && is_ws(ps->src[ps->pos]))
		ps->pos++;
}

static char peek(const struct parser *ps, size_t k)
{
	return ps->pos + k < ps->len ? ps->src[ps->pos + k] : '\0';
}

/* after a literal or path: what may follow (Handlebars' LOOKAHEAD) */
static bool at_boundary(const struct parser *ps)
{
	char c = peek(ps, 0);
	return c == '\0' || is_ws(c) || c == '}' || c == '~' || c == ')' || c == '=';
}

static int parse_call(struct parser *ps, struct hbs_call *call, char close, size_t depth);

static bool word_at(const struct parser *ps, const char *w)
{
	size_t n = strlen(w);
	if (ps->pos + n > ps->len || memcmp(ps->src + ps->pos, w, n) != 0)
		return false;
	char c = ps->pos + n < ps->len ? ps->src[ps->pos + n] : '\0';
	return c == '\0' || is_ws(c) || c == '}' || c == '~' || c == ')';
}

static int parse_path(struct parser *ps, struct hbs_expr *e)
{
	struct arena *a = ps->t->arena;
	size_t start = ps->pos, cap = 4;
	bool seen_sep = false;
	e->kind = E_PATH;
	e->segs = arena_alloc(a, cap * sizeof(*e->segs));
	if (peek(ps, 0) == '@') {
		e->data = true;
		ps->pos++;
	}
	for (;;) {
		size_t s0 = ps->pos;
		const char *seg;
		bool literal = false;
		if (peek(ps, 0) == '[') {
			const char *end = memchr(ps->src + ps->pos, ']', ps->len - ps->pos);
			if (!end)
				return hbs_perr(ps, s0, "unterminated [ in a path");
			seg = arena_strndup(a, ps->src + s0 + 1, (size_t)(end - ps->src) - s0 - 1);
			ps->pos = (size_t)(end - ps->src) + 1;
			literal = true;
		} else if (peek(ps, 0) == '.' && peek(ps, 1) == '.') {
			seg = "..";
			ps->pos += 2;
		} else if (peek(ps, 0) == '.' && (seen_sep || e->nsegs == 0)) {
			seg = ".";
			ps->pos++;
		} else {
			while (ps->pos < ps->len && hbs_is_id_char(ps->src[ps->pos]))
				ps->pos++;
			if (ps->pos == s0)
				return hbs_perr(ps, s0, "expected a name, got '%c'", peek(ps, 0) ? peek(ps, 0) : ' ');
			seg = arena_strndup(a, ps->src + s0, ps->pos - s0);
		}
		if (!literal && (!strcmp(seg, "..") || !strcmp(seg, ".") || !strcmp(seg, "this"))) {
			if (e->nsegs > 0)
				return hbs_perr(ps, start, "invalid path: %.*s", (int)(ps->pos - start),
					    ps->src + start);
			if (!strcmp(seg, ".."))
				e->up++;
			else
				e->scoped = true;
		} else {
			if (e->nsegs == cap) {
				const char **n = arena_alloc(a, cap * 2 * sizeof(*n));
				memcpy(n, e->segs, cap * sizeof(*n));
				e->segs = n;
				cap *= 2;
			}
			e->segs[e->nsegs++] = seg;
		}
		char c = peek(ps, 0);
		if ((c == '.' || c == '/') && peek(ps, 1) != '}' && !is_ws(peek(ps, 1)) &&
		    peek(ps, 1) != '\0') {
			ps->pos++;
			seen_sep = true;
			continue;
		}
		break;
	}
	if (e->up)
		e->scoped = true;
	e->orig = arena_strndup(a, ps->src + start, ps->pos - start);
	if (!at_boundary(ps))
		return hbs_perr(ps, ps->pos, "unexpected '%c' in %s", peek(ps, 0), e->orig);
	return 0;
}

static bool lex_number(struct parser *ps, struct hbs_expr *e)
{
	size_t i = ps->pos, start = i;
	bool frac = false;
	if (i < ps->len && ps->src[i] == '-')
		i++;
	size_t d0 = i;
	while (i < ps->len && ps->src[i] >= '0' && ps->src[i] <= '9')
		i++;
	if (i == d0)
		return false;
	if (i + 1 < ps->len && ps->src[i] == '.' && ps->src[i + 1] >= '0' && ps->src[i + 1] <= '9') {
		frac = true;
		i++;
		while (i < ps->len && ps->src[i] >= '0' && ps->src[i] <= '9')
			i++;
	}
	char c = i < ps->len ? ps->src[i] : '\0';
	if (!(c == '\0' || is_ws(c) || c == '}' || c == '~' || c == ')'))
		return false;
	char *txt = arena_strndup(ps->t->arena, ps->src + start, i - start);
	double d;
	if (!txt || parse_double(txt, -DBL_MAX, DBL_MAX, &d) < 0)
		return false;	/* too many digits for a double: not a number literal */
	e->kind = E_JSON;
	if (!frac && d >= -9007199254740992.0 && d <= 9007199254740992.0)
		e->lit = json_integer((json_int_t)d);
	else
		e->lit = json_real(d);
	arena_defer(ps->t->arena, (void (*)(void *))json_decref, e->lit);
	e->orig = txt;
	ps->pos = i;
	return true;
}

static int parse_expr(struct parser *ps, struct hbs_expr *e, size_t depth)
{
	struct arena *a = ps->t->arena;
	char c = peek(ps, 0);
	memset(e, 0, sizeof(*e));
	if (c == '(') {
		if (depth + 1 > ps->max_depth)
			return hbs_perr(ps, ps->pos, "subexpressions nested deeper than %zu",
				    ps->max_depth);
		size_t start = ps->pos++;
		e->kind = E_SUB;
		e->sub = arena_calloc(a, sizeof(*e->sub));
		if (parse_call(ps, e->sub, ')', depth + 1) < 0)
			return -1;
		if (peek(ps, 0) != ')')
			return hbs_perr(ps, start, "unterminated subexpression");
		ps->pos++;
		e->orig = arena_strndup(a, ps->src + start, ps->pos - start);
		return 0;
	}
	if (c == '"' || c == '\'') {
		size_t start = ps->pos++;
		char *buf = arena_alloc(a, ps->len - ps->pos + 1);
		size_t n = 0;
		for (;;) {
			if (ps->pos >= ps->len)
				return hbs_perr(ps, start, "unterminated string literal");
			char ch = ps->src[ps->pos++];
			if (ch == '\\' && peek(ps, 0) == c) {
				buf[n++] = c;
				ps->pos++;
				continue;
			}
			if (ch == c)
				break;
			buf[n++] = ch;
		}
		buf[n] = '\0';
		e->kind = E_STRING;
		e->str = buf;
		e->slen = n;
		e->orig = arena_strndup(a, ps->src + start + 1, ps->pos - start - 2);
		return 0;
	}
	if (lex_number(ps, e))
		return 0;
	static const char *const words[] = { "true", "false", "null", "undefined" };
	for (size_t i = 0; i < 4; i++) {
		if (!word_at(ps, words[i]))
			continue;
		ps->pos += strlen(words[i]);
		e->orig = words[i];
		if (i == 3) {
			e->kind = E_UNDEF;
			return 0;
		}
		e->kind = E_JSON;
		e->lit = i == 0 ? json_true() : i == 1 ? json_false() : json_null();
		return 0;
	}
	return parse_path(ps, e);
}

static const struct {
	const char *name;
	enum hbs_helper helper;
} helpers[] = {
	{ "if", H_IF }, { "unless", H_UNLESS }, { "each", H_EACH }, { "with", H_WITH },
	{ "lookup", H_LOOKUP }, { "log", H_LOG },
};

/* name params... key=value... up to `close` ('}' or ')'); the closer is left unread */
static int parse_call(struct parser *ps, struct hbs_call *call, char close, size_t depth)
{
	struct arena *a = ps->t->arena;
	size_t cap = 0;
	skip_ws(ps);
	size_t at = ps->pos;
	if (peek(ps, 0) == close || peek(ps, 0) == '~' || peek(ps, 0) == '\0')
		return hbs_perr(ps, at, "expected an expression");
	if (parse_expr(ps, &call->name, depth) < 0)
		return -1;
	if (call->name.kind == E_SUB)
		return hbs_perr(ps, at, "a subexpression cannot name a helper");
	if (call->name.kind != E_PATH) {
		/* Handlebars looks a literal name up as a one-segment path: {{"a b"}}, {{true}} */
		const char *seg = call->name.kind == E_STRING ? call->name.str : call->name.orig;
		call->name.kind = E_PATH;
		call->name.segs = arena_alloc(a, sizeof(*call->name.segs));
		call->name.segs[0] = seg;
		call->name.nsegs = 1;
	}
	if (call->name.nsegs == 1 && !call->name.data && !call->name.scoped)
		for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
			if (!strcmp(call->name.segs[0], helpers[i].name))
				call->helper = helpers[i].helper;
	bool in_hash = false;
	for (;;) {
		skip_ws(ps);
		char c = peek(ps, 0);
		if (c == '\0' || c == close || c == '~' || (close == '}' && c == '}'))
			break;
		if (c == '}' || c == ')')
			return hbs_perr(ps, ps->pos, "unexpected '%c'", c);
		if (c == 'a' && word_at(ps, "as") && ps->pos + 3 < ps->len &&
		    memchr(ps->src + ps->pos + 2, '|', ps->len - ps->pos - 2))
			return hbs_perr(ps, ps->pos, "block parameters (as |x|) are not supported");
		struct hbs_expr e;
		size_t eat = ps->pos;
		if (parse_expr(ps, &e, depth) < 0)
			return -1;
		if (peek(ps, 0) == '=') {
			/* hash argument: only #if's includeZero changes anything */
			if (e.kind != E_PATH || e.nsegs != 1 || e.data || e.scoped)
				return hbs_perr(ps, eat, "invalid hash argument");
			ps->pos++;
			struct hbs_expr v;
			if (parse_expr(ps, &v, depth) < 0)
				return -1;
			if (!strcmp(e.segs[0], "includeZero") && v.kind == E_JSON && json_is_true(v.lit))
				call->include_zero = true;
			in_hash = true;
			continue;
		}
		if (in_hash)
			return hbs_perr(ps, eat, "positional argument after a hash argument");
		if (call->nparams == cap) {
			size_t ncap = cap ? cap * 2 : 2;
			struct hbs_expr *n = arena_alloc(a, ncap * sizeof(*n));
			if (cap)
				memcpy(n, call->params, cap * sizeof(*n));
			call->params = n;
			cap = ncap;
		}
		call->params[call->nparams++] = e;
	}
	return 0;
}

/* at "{{": one tag token; ps->pos ends after the closing braces */
static int lex_tag(struct parser *ps)
{
	size_t start = ps->pos;
	bool triple = false, strip_l = false;
	enum tok_kind kind = T_VAR;
	bool escape = true;
	ps->pos += 2;
	if (peek(ps, 0) == '~') {
		strip_l = true;
		ps->pos++;
	}
	if (peek(ps, 0) == '{') {	/* {{{x}}} or {{~{x}~}} */
		triple = true;
		escape = false;
		ps->pos++;
	}
	if (!triple && peek(ps, 0) == '!') {
		bool dashes = peek(ps, 1) == '-' && peek(ps, 2) == '-';
		const char *end = dashes ? hbs_find(ps->src, ps->pos + 3, ps->len, "--")
					 : hbs_find(ps->src, ps->pos + 1, ps->len, "}}");
		/* {{!-- ... --}}: the comment ends at the first "--}}" or "--~}}" */
		while (dashes && end) {
			size_t i = (size_t)(end - ps->src) + 2;
			if (i < ps->len && ps->src[i] == '~')
				i++;
			if (i + 1 < ps->len && ps->src[i] == '}' && ps->src[i + 1] == '}')
				break;
			end = hbs_find(ps->src, (size_t)(end - ps->src) + 1, ps->len, "--");
		}
		if (!end)
			return hbs_perr(ps, start, "unterminated comment");
		size_t close = (size_t)(end - ps->src);
		if (dashes) {
			close += 2;
			while (ps->src[close] != '}')
				close++;
		}
		struct tok *tk = tok_push(ps, T_COMMENT, start);
		tk->strip_l = strip_l;
		tk->strip_r = close > start && ps->src[close - 1] == '~';
		ps->pos = close + 2;
		return 0;
	}
	if (!triple) {
		switch (peek(ps, 0)) {
		case '#':
			ps->pos++;
			if (peek(ps, 0) == '>' || peek(ps, 0) == '*')
				return hbs_perr(ps, start, "partial blocks and decorators are not supported");
			kind = T_OPEN;
			break;
		case '^':
			ps->pos++;
			kind = T_OPEN_INV;
			skip_ws(ps);
			if (peek(ps, 0) == '}' || (peek(ps, 0) == '~' && peek(ps, 1) == '}'))
				kind = T_ELSE;
			break;
		case '/':
			ps->pos++;
			kind = T_CLOSE;
			break;
		case '&':
			ps->pos++;
			escape = false;
			break;
		case '>':
			return hbs_perr(ps, start, "partials are not supported");
		default:
			skip_ws(ps);
			if (word_at(ps, "else")) {
				ps->pos += 4;
				kind = T_ELSE;
			}
			break;
		}
	}
	struct tok tk = { .kind = kind, .off = start, .strip_l = strip_l, .escape = escape };
	skip_ws(ps);
	bool bare_else = kind == T_ELSE &&
			 (peek(ps, 0) == '}' || (peek(ps, 0) == '~' && peek(ps, 1) == '}'));
	if (!bare_else) {
		if (parse_call(ps, &tk.call, '}', 0) < 0)
			return -1;
		tk.has_call = true;
	}
	skip_ws(ps);
	if (triple && peek(ps, 0) == '}')
		ps->pos++;
	else if (triple)
		goto unclosed;
	if (peek(ps, 0) == '~') {
		tk.strip_r = true;
		ps->pos++;
	}
	if (peek(ps, 0) != '}' || peek(ps, 1) != '}')
		goto unclosed;
	ps->pos += 2;
	*tok_push(ps, kind, start) = tk;
	return 0;
unclosed:
	if (ps->pos >= ps->len)
		return hbs_perr(ps, start, "unterminated tag: no closing %s", triple ? "}}}" : "}}");
	return hbs_perr(ps, ps->pos, "expected %s", triple ? "}}}" : "}}");
}

int hbs_lex(struct parser *ps)
{
	size_t text = 0;
	while (ps->pos < ps->len) {
		const char *o = hbs_find(ps->src, ps->pos, ps->len, "{{");
		if (!o) {
			ps->pos = ps->len;
			break;
		}
		size_t at = (size_t)(o - ps->src);
		/* \{{ is a literal "{{...": Handlebars keeps it as text up to the next {{ */
		if (at > 0 && ps->src[at - 1] == '\\' && !(at > 1 && ps->src[at - 2] == '\\')) {
			push_text(ps, text, at - 1);
			const char *nx = hbs_find(ps->src, at + 2, ps->len, "{{");
			size_t end = nx ? (size_t)(nx - ps->src) : ps->len;
			if (nx && end > at + 2 && ps->src[end - 1] == '\\')
				end--;
			push_text(ps, at, end);
			text = ps->pos = end;
			continue;
		}
		if (at > 1 && ps->src[at - 1] == '\\' && ps->src[at - 2] == '\\')
			push_text(ps, text, at - 1);	/* \\{{x}}: one backslash, then a tag */
		else
			push_text(ps, text, at);
		ps->pos = at;
		if (lex_tag(ps) < 0)
			return -1;
		text = ps->pos;
	}
	push_text(ps, text, ps->len);
	return 0;
}

/* ---------------------------------------------------------------- whitespace control */

/* Handlebars.js 4 WhitespaceControl, on the flat token list: prev/next are neighbours */

static bool prev_ws(const struct parser *ps, size_t i)
{
	if (i == 0)
		return true;	/* the template's start */
	const struct tok *p = &ps->toks[i - 1];
	if (p->kind != T_TEXT)
		return false;
	size_t k = p->olen;
	while (k > 0 && is_ws(p->s[k - 1]) && p->s[k - 1] != '\n')
		k--;
	if (k > 0 && p->s[k - 1] == '\n')
		return true;
	/* /\r?\n\s*?$/ lets the trailing run hold several lines */
	for (size_t j = p->olen; j > 0 && is_ws(p->s[j - 1]); j--)
		if (p->s[j - 1] == '\n')
			return true;
	return i == 1 && k == 0;	/* first text of the template: /(^|\r?\n)\s*?$/ */
}

static bool next_ws(const struct parser *ps, size_t i)
{
	if (i + 1 >= ps->ntoks)
		return true;	/* the template's end */
	const struct tok *n = &ps->toks[i + 1];
	if (n->kind != T_TEXT)
		return false;
	size_t k = 0;
	while (k < n->olen && is_ws(n->s[k])) {
		if (n->s[k] == '\n')
			return true;
		k++;
	}
	return i + 2 == ps->ntoks && k == n->olen;	/* last text: /^\s*?(\r?\n|$)/ */
}

/* strip the end of the previous text: all whitespace (~) or spaces and tabs (standalone) */
static void omit_left(struct parser *ps, size_t i, bool multiple)
{
	if (i == 0 || ps->toks[i - 1].kind != T_TEXT)
		return;
	struct tok *p = &ps->toks[i - 1];
	if (!multiple && p->lstripped)
		return;
	size_t e = p->ce;
	while (e > p->cs && (multiple ? is_ws(p->s[e - 1]) : (p->s[e - 1] == ' ' || p->s[e - 1] == '\t')))
		e--;
	p->lstripped = e != p->ce;
	p->ce = e;
}

/* strip the start of the next text: all whitespace (~) or /^[ \t]*\r?\n?/ (standalone) */
static void omit_right(struct parser *ps, size_t i, bool multiple)
{
	if (i + 1 >= ps->ntoks || ps->toks[i + 1].kind != T_TEXT)
		return;
	struct tok *n = &ps->toks[i + 1];
	if (!multiple && n->rstripped)
		return;
	size_t s = n->cs;
	if (multiple) {
		while (s < n->ce && is_ws(n->s[s]))
			s++;
	} else {
		while (s < n->ce && (n->s[s] == ' ' || n->s[s] == '\t'))
			s++;
		if (s < n->ce && n->s[s] == '\r' && s + 1 < n->ce && n->s[s + 1] == '\n')
			s++;
		if (s < n->ce && n->s[s] == '\n')
			s++;
	}
	n->rstripped = s != n->cs;
	n->cs = s;
}

void hbs_whitespace(struct parser *ps)
{
	for (size_t i = 0; i < ps->ntoks; i++) {
		struct tok *tk = &ps->toks[i];
		if (tk->kind == T_TEXT)
			continue;
		if (tk->strip_r)
			omit_right(ps, i, true);
		if (tk->strip_l)
			omit_left(ps, i, true);
		/* block tags, {{else}} and comments alone on their line vanish with the line */
		if (tk->kind != T_VAR && prev_ws(ps, i) && next_ws(ps, i)) {
			omit_right(ps, i, false);
			omit_left(ps, i, false);
		}
	}
}

