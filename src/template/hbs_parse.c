// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Handlebars parser: the lexer's tokens (hbs_lex.c) into the AST, built with an explicit
 * stack (no recursion over blocks); also collects the top-level variables.
 */
#include "template/hbs_parser.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- AST */

struct frame {
	struct hbs_node *blk;		/* NULL for the root */
	struct hbs_node **tail;		/* where the next node goes */
	const struct tok *open;
	bool chained;			/* {{else if}}: closed by its opener's {{/if}} */
	bool in_else;
	size_t outer_ctx, body_ctx;	/* context depth outside and inside the block */
};

static void need_expr(struct parser *ps, const struct hbs_expr *e, size_t ctx);

static void need_call(struct parser *ps, const struct hbs_call *c, size_t ctx)
{
	if (c->helper == H_NONE)
		need_expr(ps, &c->name, ctx);
	for (size_t i = 0; i < c->nparams; i++)
		need_expr(ps, &c->params[i], ctx);
}

/* records the top-level name an expression reads at context depth ctx */
static void need_expr(struct parser *ps, const struct hbs_expr *e, size_t ctx)
{
	if (e->kind == E_SUB) {
		need_call(ps, e->sub, ctx);
		return;
	}
	if (e->kind != E_PATH)
		return;
	if (e->data) {
		if (e->nsegs >= 2 && !strcmp(e->segs[0], "root"))
			json_object_set_new(ps->vars, e->segs[1], json_true());
		return;
	}
	if (e->nsegs >= 1 && e->up >= ctx)
		json_object_set_new(ps->vars, e->segs[0], json_true());
}

static int check_block_call(struct parser *ps, const struct tok *tk)
{
	const struct hbs_call *c = &tk->call;
	const char *name = c->name.orig;
	switch (c->helper) {
	case H_IF:
	case H_UNLESS:
	case H_WITH:
	case H_EACH:
		if (c->nparams != 1)
			return hbs_perr(ps, tk->off, "#%s requires exactly one argument", name);
		return 0;
	case H_LOOKUP:
	case H_LOG:
		return hbs_perr(ps, tk->off, "%s is not a block helper", name);
	case H_NONE:
		if (c->nparams)
			return hbs_perr(ps, tk->off, "missing helper: \"%s\"", name);
		return 0;
	}
	return 0;
}

static int check_var_call(struct parser *ps, const struct tok *tk)
{
	const struct hbs_call *c = &tk->call;
	switch (c->helper) {
	case H_LOOKUP:
		if (c->nparams != 2)
			return hbs_perr(ps, tk->off, "lookup requires two arguments");
		return 0;
	case H_IF:
	case H_UNLESS:
	case H_WITH:
	case H_EACH:
		if (c->nparams)
			return hbs_perr(ps, tk->off, "%s must be used as a block: {{#%s}}", c->name.orig,
				    c->name.orig);
		return 0;
	case H_LOG:
		return 0;
	case H_NONE:
		if (c->nparams)
			return hbs_perr(ps, tk->off, "missing helper: \"%s\"", c->name.orig);
		return 0;
	}
	return 0;
}

/* checks sub-expressions: only lookup may appear there */
static int check_subs(struct parser *ps, const struct tok *tk, const struct hbs_call *c)
{
	for (size_t i = 0; i < c->nparams; i++) {
		const struct hbs_expr *e = &c->params[i];
		if (e->kind != E_SUB)
			continue;
		if (e->sub->helper != H_LOOKUP || e->sub->nparams != 2)
			return hbs_perr(ps, tk->off, "unsupported subexpression %s", e->orig);
		if (check_subs(ps, tk, e->sub) < 0)
			return -1;
	}
	return 0;
}

static bool changes_ctx(const struct hbs_call *c)
{
	return c->helper == H_EACH || c->helper == H_WITH || c->helper == H_NONE;
}

static struct hbs_node *node_new(struct parser *ps, enum hbs_node_kind kind)
{
	struct hbs_node *n = arena_calloc(ps->t->arena, sizeof(*n));
	n->kind = kind;
	return n;
}

static void append(struct frame *f, struct hbs_node *n)
{
	*f->tail = n;
	f->tail = &n->next;
}

static size_t cur_ctx(const struct frame *f)
{
	return f->in_else ? f->outer_ctx : f->body_ctx;
}

static int build(struct parser *ps)
{
	size_t cap = 16, top = 0;
	struct frame *st = malloc(cap * sizeof(*st));
	int rc = -1;
	if (!st)
		abort();
	st[0] = (struct frame){ .tail = &ps->t->root };
	for (size_t i = 0; i < ps->ntoks; i++) {
		const struct tok *tk = &ps->toks[i];
		struct frame *f = &st[top];
		struct hbs_node *n;
		switch (tk->kind) {
		case T_COMMENT:
			break;
		case T_TEXT:
			if (tk->ce > tk->cs) {
				n = node_new(ps, N_TEXT);
				n->text = tk->s + tk->cs;
				n->len = tk->ce - tk->cs;
				append(f, n);
			}
			break;
		case T_VAR:
			if (check_var_call(ps, tk) < 0 || check_subs(ps, tk, &tk->call) < 0)
				goto out;
			n = node_new(ps, N_VAR);
			n->escape = tk->escape;
			n->call = tk->call;
			need_call(ps, &tk->call, cur_ctx(f));
			append(f, n);
			break;
		case T_OPEN:
		case T_OPEN_INV:
		case T_ELSE:
			if (tk->kind == T_ELSE) {
				if (top == 0) {
					hbs_perr(ps, tk->off, "{{else}} outside a block");
					goto out;
				}
				if (f->in_else) {
					hbs_perr(ps, tk->off, "more than one {{else}} in {{#%s}}",
					     f->open->call.name.orig);
					goto out;
				}
				/* the other section: after {{^x}}, the body; else the inverse */
				f->in_else = true;
				f->tail = f->open->kind == T_OPEN_INV ? &f->blk->body : &f->blk->inverse;
				if (!tk->has_call)
					break;
			}
			if (check_block_call(ps, tk) < 0 || check_subs(ps, tk, &tk->call) < 0)
				goto out;
			if (top + 1 > ps->max_depth) {
				hbs_perr(ps, tk->off, "blocks nested deeper than %zu", ps->max_depth);
				goto out;
			}
			n = node_new(ps, N_BLOCK);
			n->call = tk->call;
			need_call(ps, &tk->call, cur_ctx(f));
			size_t outer = cur_ctx(f);
			append(f, n);
			if (++top == cap) {
				struct frame *ns = realloc(st, cap * 2 * sizeof(*ns));
				if (!ns)
					abort();
				st = ns;
				cap *= 2;
			}
			st[top] = (struct frame){
				.blk = n, .open = tk, .chained = tk->kind == T_ELSE,
				.outer_ctx = outer,
				.body_ctx = outer + (changes_ctx(&tk->call) ? 1 : 0),
			};
			/* {{^x}}A{{/x}}: A is the inverse; the body comes after {{else}} */
			st[top].tail = tk->kind == T_OPEN_INV ? &n->inverse : &n->body;
			st[top].in_else = tk->kind == T_OPEN_INV;
			if (top > ps->t->depth)
				ps->t->depth = top;
			break;
		case T_CLOSE:
			while (top > 0 && st[top].chained)
				top--;
			if (top == 0) {
				hbs_perr(ps, tk->off, "{{/%s}} closes no open block", tk->call.name.orig);
				goto out;
			}
			if (strcmp(st[top].open->call.name.orig, tk->call.name.orig) != 0) {
				unsigned l, c;
				hbs_line_col(ps->src, st[top].open->off, &l, &c);
				hbs_perr(ps, tk->off, "{{/%s}} does not match {{#%s}} opened at line %u:%u",
				     tk->call.name.orig, st[top].open->call.name.orig, l, c);
				goto out;
			}
			top--;
			break;
		}
	}
	while (top > 0 && st[top].chained)
		top--;
	if (top > 0) {
		const struct tok *o = st[top].open;
		hbs_perr(ps, o->off, "{{%c%s}} has no closing {{/%s}}", o->kind == T_OPEN_INV ? '^' : '#',
		     o->call.name.orig, o->call.name.orig);
		goto out;
	}
	rc = 0;
out:
	free(st);
	return rc;
}

static json_t *sorted_names(json_t *set)
{
	size_t n = json_object_size(set), i = 0;
	const char **names = malloc((n ? n : 1) * sizeof(*names));
	const char *k;
	json_t *v, *arr = json_array();
	if (!names || !arr)
		abort();
	json_object_foreach(set, k, v)
		names[i++] = k;
	for (i = 1; i < n; i++)	/* insertion sort: templates name few variables */
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *tmp = names[j];
			names[j] = names[j - 1];
			names[j - 1] = tmp;
		}
	for (i = 0; i < n; i++)
		json_array_append_new(arr, json_string(names[i]));
	free(names);
	return arr;
}

int hbs_parse(struct hbs_template *t, const char *src, size_t len, size_t max_depth,
	      struct api_error *err)
{
	struct parser ps = { .t = t, .src = src, .len = len, .max_depth = max_depth, .err = err };
	int rc = -1;
	ps.vars = json_object();
	if (hbs_lex(&ps) < 0)
		goto out;
	hbs_whitespace(&ps);
	if (build(&ps) < 0)
		goto out;
	t->required = sorted_names(ps.vars);
	rc = 0;
out:
	json_decref(ps.vars);
	free(ps.toks);
	return rc;
}

/* ---------------------------------------------------------------- legacy */

/*
 * Lob's legacy engine: {{name}}, name made of merge-variable characters (dots included, as one
 * key), is a variable substituted as is; everything else, blocks included, is text.
 */
int hbs_parse_legacy(struct hbs_template *t, const char *src, size_t len, struct api_error *err)
{
	struct hbs_node **tail = &t->root;
	json_t *vars = json_object();
	size_t pos = 0, text = 0;
	while (pos < len) {
		const char *o = hbs_find(src, pos, len, "{{");
		if (!o)
			break;
		size_t at = (size_t)(o - src), e = at + 2;
		while (e < len && (hbs_is_id_char(src[e]) || src[e] == '.'))
			e++;
		if (e == at + 2 || e + 1 >= len || src[e] != '}' || src[e + 1] != '}') {
			pos = at + 1;
			continue;
		}
		struct hbs_node *n;
		if (at > text) {
			n = arena_calloc(t->arena, sizeof(*n));
			n->kind = N_TEXT;
			n->text = src + text;
			n->len = at - text;
			*tail = n;
			tail = &n->next;
		}
		n = arena_calloc(t->arena, sizeof(*n));
		n->kind = N_VAR;
		n->call.name.kind = E_PATH;
		n->call.name.segs = arena_alloc(t->arena, sizeof(*n->call.name.segs));
		n->call.name.segs[0] = arena_strndup(t->arena, src + at + 2, e - at - 2);
		n->call.name.nsegs = 1;
		n->call.name.orig = n->call.name.segs[0];
		json_object_set_new(vars, n->call.name.segs[0], json_true());
		*tail = n;
		tail = &n->next;
		pos = text = e + 2;
	}
	if (len > text) {
		struct hbs_node *n = arena_calloc(t->arena, sizeof(*n));
		n->kind = N_TEXT;
		n->text = src + text;
		n->len = len - text;
		*tail = n;
	}
	t->required = sorted_names(vars);
	json_decref(vars);
	(void)err;
	return 0;
}
