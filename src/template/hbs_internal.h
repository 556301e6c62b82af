// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Handlebars engine internals shared by the parser (hbs_parse.c) and the evaluator
 * (hbs_eval.c): the AST. Not a public interface; see template/handlebars.h.
 */
#ifndef FRANK_HBS_INTERNAL_H
#define FRANK_HBS_INTERNAL_H
#include "template/handlebars.h"
#include "core/arena.h"

enum hbs_expr_kind { E_PATH, E_STRING, E_JSON, E_UNDEF, E_SUB };

struct hbs_call;

/* one parameter or helper name: a path, a literal or a (subexpression) */
struct hbs_expr {
	enum hbs_expr_kind kind;
	/* E_PATH */
	unsigned up;		/* leading ../ count */
	bool data;		/* @name */
	bool scoped;		/* this. ./ prefix: never a helper */
	const char **segs;	/* arena; NUL-terminated segments */
	size_t nsegs;
	const char *orig;	/* the source text, for messages and {{/name}} matching */
	/* E_STRING */
	const char *str;
	size_t slen;
	/* E_JSON: number, boolean or null literal (owned by the template) */
	json_t *lit;
	/* E_SUB */
	struct hbs_call *sub;
};

enum hbs_helper { H_NONE, H_IF, H_UNLESS, H_EACH, H_WITH, H_LOOKUP, H_LOG };

struct hbs_call {
	struct hbs_expr name;
	enum hbs_helper helper;
	struct hbs_expr *params;
	size_t nparams;
	bool include_zero;	/* #if x includeZero=true */
};

enum hbs_node_kind { N_TEXT, N_VAR, N_BLOCK };

struct hbs_node {
	enum hbs_node_kind kind;
	struct hbs_node *next;
	const char *text;	/* N_TEXT */
	size_t len;
	bool escape;		/* N_VAR */
	struct hbs_call call;	/* N_VAR, N_BLOCK */
	struct hbs_node *body;	/* N_BLOCK: {{#x}}body{{else}}inverse{{/x}} */
	struct hbs_node *inverse;
};

struct hbs_template {
	struct arena *arena;	/* every node, string and the literals' decref */
	enum hbs_engine engine;
	struct hbs_node *root;
	json_t *required;	/* sorted unique array of names */
	size_t depth;		/* deepest nesting, bounds the evaluator's recursion */
};

/* hbs_parse.c: fills t->root, t->required and t->depth; -1 and *err on a syntax error */
int hbs_parse(struct hbs_template *t, const char *src, size_t len, size_t max_depth,
	      struct api_error *err);
int hbs_parse_legacy(struct hbs_template *t, const char *src, size_t len,
		     struct api_error *err);
#endif
