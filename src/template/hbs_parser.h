// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internal to the Handlebars parser: the token list shared by the lexer (hbs_lex.c, with
 * whitespace control) and the AST builder (hbs_parse.c).
 */
#ifndef FRANK_TEMPLATE_HBS_PARSER_H
#define FRANK_TEMPLATE_HBS_PARSER_H
#include "template/hbs_internal.h"

enum tok_kind { T_TEXT, T_VAR, T_OPEN, T_OPEN_INV, T_ELSE, T_CLOSE, T_COMMENT };

struct tok {
	enum tok_kind kind;
	size_t off;		/* byte offset in the source, for line:column */
	bool strip_l, strip_r;	/* {{~ and ~}} */
	/* T_TEXT: original s[0..olen), current value s[cs..ce) */
	const char *s;
	size_t olen, cs, ce;
	bool lstripped, rstripped;
	/* tags */
	bool escape;
	bool has_call;
	struct hbs_call call;
};

struct parser {
	struct hbs_template *t;
	const char *src;
	size_t len;
	size_t pos;
	size_t max_depth;
	struct tok *toks;
	size_t ntoks, cap;
	json_t *vars;		/* set of required names */
	struct api_error *err;
};

/* 1-based line and column of a source offset */
void hbs_line_col(const char *src, size_t off, unsigned *line, unsigned *col);
/* needle in s[from..len), or NULL */
const char *hbs_find(const char *s, size_t from, size_t len, const char *needle);
/* a character of a merge-variable name */
bool hbs_is_id_char(char c);
/* an invalid_template_html error at the source offset ("line L:C: …"); returns -1 */
__attribute__((format(printf, 3, 4)))
int hbs_perr(struct parser *ps, size_t off, const char *fmt, ...);
/* the source into ps->toks; 0 or -1 with *ps->err */
int hbs_lex(struct parser *ps);
/* Handlebars.js 4's whitespace control: `~` and standalone lines, on the text tokens */
void hbs_whitespace(struct parser *ps);
#endif
