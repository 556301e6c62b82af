// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Handlebars evaluator: walks a compiled template with a context stack, as Handlebars.js 4
 * does, into a capped output buffer. Reads the template only, so renders may run in parallel.
 */
#include "core/parse.h"
#include "template/hbs_internal.h"
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a value: JSON from the merge variables, or one Handlebars makes (@index, "literal") */
enum vkind { V_UNDEF, V_JSON, V_INT, V_BOOL, V_STR };

struct val {
	enum vkind k;
	const json_t *j;
	long long i;
	bool b;
	const char *s;
	size_t n;
};

/* @data of one {{#each}} iteration; parent is the enclosing one */
struct data {
	const struct data *parent;
	long long index;
	struct val key;
	bool first, last;
};

struct ev {
	struct val *ctx;	/* context stack, ctx[nctx - 1] is `this` */
	size_t nctx;
	struct val root;
	char *out;
	size_t len, cap, max_out;
	size_t steps, max_steps;
	struct api_error *err;
};

static const struct val undef = { .k = V_UNDEF };

/* ---------------------------------------------------------------- output */

static int put(struct ev *ev, const char *s, size_t n)
{
	if (n > ev->max_out - ev->len)
		return api_fail(ev->err, ERR_INVALID_TEMPLATE_HTML,
				"rendered HTML exceeds %zu bytes", ev->max_out);
	if (ev->len + n + 1 > ev->cap) {
		size_t ncap = ev->cap ? ev->cap : 1024;
		while (ncap < ev->len + n + 1)
			ncap *= 2;
		char *p = realloc(ev->out, ncap);
		if (!p)
			return api_fail(ev->err, ERR_INTERNAL, "out of memory rendering a template");
		ev->out = p;
		ev->cap = ncap;
	}
	memcpy(ev->out + ev->len, s, n);
	ev->len += n;
	return 0;
}

/* Handlebars.js escapeExpression: & < > " ' ` = */
static int put_escaped(struct ev *ev, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#x27;"; break;
		case '`': rep = "&#x60;"; break;
		case '=': rep = "&#x3D;"; break;
		default: continue;
		}
		if (put(ev, s + from, i - from) < 0 || put(ev, rep, strlen(rep)) < 0)
			return -1;
		from = i + 1;
	}
	return put(ev, s + from, n - from);
}

static int put_str(struct ev *ev, const char *s, size_t n, bool escape)
{
	return escape ? put_escaped(ev, s, n) : put(ev, s, n);
}

/* JavaScript's Number.prototype.toString for a double */
static void js_number(double d, char *out, size_t size)
{
	char buf[40], digits[20];
	int prec, exp10, nd = 0;
	if (isnan(d)) {
		snprintf(out, size, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, size, d < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (d == 0) {
		snprintf(out, size, "0");
		return;
	}
	for (prec = 1; prec <= 17; prec++) {	/* the shortest digits that read back */
		snprintf(buf, sizeof(buf), "%.*e", prec - 1, d);
		double back;
		if (parse_double(buf, -DBL_MAX, DBL_MAX, &back) == 0 && back == d)
			break;
	}
	const char *p = buf;
	bool neg = *p == '-';
	if (neg)
		p++;
	for (; *p && *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[nd++] = *p;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	exp10 = 0;
	if (*p == 'e') {
		int sign = p[1] == '-' ? -1 : 1;
		for (p += 2; *p; p++)
			exp10 = exp10 * 10 + (*p - '0');
		exp10 *= sign;
	}
	int n = exp10 + 1;	/* the decimal point's place after digits[0..n) */
	size_t o = 0;
	char res[64];
	if (neg)
		res[o++] = '-';
	if (nd <= n && n <= 21) {
		memcpy(res + o, digits, (size_t)nd);
		o += (size_t)nd;
		for (int i = nd; i < n; i++)
			res[o++] = '0';
	} else if (0 < n && n <= 21) {
		memcpy(res + o, digits, (size_t)n);
		o += (size_t)n;
		res[o++] = '.';
		memcpy(res + o, digits + n, (size_t)(nd - n));
		o += (size_t)(nd - n);
	} else if (-6 < n && n <= 0) {
		res[o++] = '0';
		res[o++] = '.';
		for (int i = 0; i < -n; i++)
			res[o++] = '0';
		memcpy(res + o, digits, (size_t)nd);
		o += (size_t)nd;
	} else {
		res[o++] = digits[0];
		if (nd > 1) {
			res[o++] = '.';
			memcpy(res + o, digits + 1, (size_t)(nd - 1));
			o += (size_t)(nd - 1);
		}
		o += (size_t)snprintf(res + o, sizeof(res) - o, "e%c%d", n - 1 < 0 ? '-' : '+',
				      abs(n - 1));
	}
	res[o] = '\0';
	snprintf(out, size, "%s", res);
}

/* a JSON value as JavaScript's String(v) would print it (arrays joined with ",") */
static int put_json(struct ev *ev, const json_t *j, bool escape, bool in_array)
{
	char num[64];
	switch (json_typeof(j)) {
	case JSON_NULL:
		return 0;
	case JSON_TRUE:
		return put(ev, "true", 4);
	case JSON_FALSE:
		return put(ev, "false", 5);
	case JSON_STRING:
		return put_str(ev, json_string_value(j), json_string_length(j), escape);
	case JSON_INTEGER:
		snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(j));
		return put(ev, num, strlen(num));
	case JSON_REAL:
		js_number(json_real_value(j), num, sizeof(num));
		return put(ev, num, strlen(num));
	case JSON_ARRAY:
		for (size_t i = 0; i < json_array_size(j); i++) {
			if ((i && put(ev, ",", 1) < 0) ||
			    put_json(ev, json_array_get(j, i), escape, true) < 0)
				return -1;
		}
		return 0;
	case JSON_OBJECT:
		return put(ev, "[object Object]", 15);
	}
	(void)in_array;
	return 0;
}

static int put_val(struct ev *ev, struct val v, bool escape)
{
	char num[32];
	switch (v.k) {
	case V_UNDEF:
		return 0;
	case V_JSON:
		return put_json(ev, v.j, escape, false);
	case V_INT:
		snprintf(num, sizeof(num), "%lld", v.i);
		return put(ev, num, strlen(num));
	case V_BOOL:
		return v.b ? put(ev, "true", 4) : put(ev, "false", 5);
	case V_STR:
		return put_str(ev, v.s, v.n, escape);
	}
	return 0;
}

/* ---------------------------------------------------------------- values */

static struct val jval(const json_t *j)
{
	return j ? (struct val){ .k = V_JSON, .j = j } : undef;
}

/* Handlebars' `!value && value !== 0`: undefined, null, false, "", NaN */
static bool falsy_not_zero(struct val v)
{
	switch (v.k) {
	case V_UNDEF:
		return true;
	case V_INT:
		return false;
	case V_BOOL:
		return !v.b;
	case V_STR:
		return v.n == 0;
	case V_JSON:
		switch (json_typeof(v.j)) {
		case JSON_NULL:
		case JSON_FALSE:
			return true;
		case JSON_STRING:
			return json_string_length(v.j) == 0;
		case JSON_REAL:
			return isnan(json_real_value(v.j));
		default:
			return false;
		}
	}
	return true;
}

static bool is_zero(struct val v)
{
	if (v.k == V_INT)
		return v.i == 0;
	if (v.k == V_JSON && json_is_integer(v.j))
		return json_integer_value(v.j) == 0;
	if (v.k == V_JSON && json_is_real(v.j))
		return json_real_value(v.j) == 0;
	return false;
}

/* Handlebars' isEmpty: falsy but 0, or an empty array */
static bool is_empty(struct val v)
{
	if (falsy_not_zero(v))
		return true;
	return v.k == V_JSON && json_is_array(v.j) && json_array_size(v.j) == 0;
}

/* #if: `(!includeZero && !value) || isEmpty(value)` is false */
static bool truthy(struct val v, bool include_zero)
{
	if (is_empty(v))
		return false;
	return include_zero || !is_zero(v);
}

/* JavaScript's "abc".length: UTF-16 code units */
static long long utf16_len(const char *s, size_t n)
{
	long long units = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c & 0xC0) != 0x80)
			units += c >= 0xF0 ? 2 : 1;
	}
	return units;
}

/* base[key]: object member, array index, or .length */
static struct val prop(struct val base, const char *key, size_t klen)
{
	if (base.k == V_JSON && json_is_object(base.j))
		return jval(json_object_getn(base.j, key, klen));
	bool is_len = klen == 6 && memcmp(key, "length", 6) == 0;
	if (base.k == V_JSON && json_is_array(base.j)) {
		if (is_len)
			return (struct val){ .k = V_INT, .i = (long long)json_array_size(base.j) };
		size_t idx = 0;
		if (klen == 0 || klen > 18 || (klen > 1 && key[0] == '0'))
			return undef;
		for (size_t i = 0; i < klen; i++) {
			if (key[i] < '0' || key[i] > '9')
				return undef;
			idx = idx * 10 + (size_t)(key[i] - '0');
		}
		return jval(json_array_get(base.j, idx));
	}
	if (is_len && base.k == V_JSON && json_is_string(base.j))
		return (struct val){ .k = V_INT,
				     .i = utf16_len(json_string_value(base.j),
						    json_string_length(base.j)) };
	if (is_len && base.k == V_STR)
		return (struct val){ .k = V_INT, .i = utf16_len(base.s, base.n) };
	return undef;
}

static struct val walk(struct val v, const struct hbs_expr *e, size_t from)
{
	for (size_t i = from; i < e->nsegs && v.k != V_UNDEF; i++)
		v = prop(v, e->segs[i], strlen(e->segs[i]));
	return v;
}

static struct val eval_path(struct ev *ev, const struct hbs_expr *e, const struct data *d)
{
	if (e->data) {
		for (unsigned u = 0; u < e->up && d; u++)
			d = d->parent;
		if (e->nsegs == 0)
			return undef;
		const char *name = e->segs[0];
		struct val v;
		if (!strcmp(name, "root"))
			v = ev->root;
		else if (!d)
			return undef;
		else if (!strcmp(name, "index"))
			v = (struct val){ .k = V_INT, .i = d->index };
		else if (!strcmp(name, "key"))
			v = d->key;
		else if (!strcmp(name, "first"))
			v = (struct val){ .k = V_BOOL, .b = d->first };
		else if (!strcmp(name, "last"))
			v = (struct val){ .k = V_BOOL, .b = d->last };
		else
			return undef;
		return walk(v, e, 1);
	}
	if (e->up >= ev->nctx)
		return undef;
	return walk(ev->ctx[ev->nctx - 1 - e->up], e, 0);
}

static struct val eval_expr(struct ev *ev, const struct hbs_expr *e, const struct data *d);

/* lookup obj key: obj[key], the key as JavaScript turns it into a property name */
static struct val lookup(struct ev *ev, const struct hbs_call *c, const struct data *d)
{
	struct val obj = eval_expr(ev, &c->params[0], d);
	struct val key = eval_expr(ev, &c->params[1], d);
	char num[32];
	if (falsy_not_zero(obj))
		return obj;
	switch (key.k) {
	case V_STR:
		return prop(obj, key.s, key.n);
	case V_INT:
		snprintf(num, sizeof(num), "%lld", key.i);
		return prop(obj, num, strlen(num));
	case V_BOOL:
		return prop(obj, key.b ? "true" : "false", key.b ? 4 : 5);
	case V_JSON:
		if (json_is_string(key.j))
			return prop(obj, json_string_value(key.j), json_string_length(key.j));
		if (json_is_integer(key.j)) {
			snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(key.j));
			return prop(obj, num, strlen(num));
		}
		return undef;
	case V_UNDEF:
		return prop(obj, "undefined", 9);
	}
	return undef;
}

static struct val eval_expr(struct ev *ev, const struct hbs_expr *e, const struct data *d)
{
	switch (e->kind) {
	case E_PATH:
		return eval_path(ev, e, d);
	case E_STRING:
		return (struct val){ .k = V_STR, .s = e->str, .n = e->slen };
	case E_JSON:
		return jval(e->lit);
	case E_UNDEF:
		return undef;
	case E_SUB:
		return e->sub->helper == H_LOOKUP ? lookup(ev, e->sub, d) : undef;
	}
	return undef;
}

/* ---------------------------------------------------------------- blocks */

static int run(struct ev *ev, const struct hbs_node *n, const struct data *d);

static int step(struct ev *ev)
{
	if (++ev->steps > ev->max_steps)
		return api_fail(ev->err, ERR_INVALID_TEMPLATE_HTML,
				"template evaluation exceeded %zu steps", ev->max_steps);
	return 0;
}

/* runs body with `this` = v; a new depth only when the context changes (Handlebars 4) */
static int run_in(struct ev *ev, const struct hbs_node *body, struct val v, const struct data *d)
{
	const struct val *top = &ev->ctx[ev->nctx - 1];
	bool same = v.k == V_JSON && top->k == V_JSON && v.j == top->j;
	if (same)
		return run(ev, body, d);
	ev->ctx[ev->nctx++] = v;
	int rc = run(ev, body, d);
	ev->nctx--;
	return rc;
}

static int each(struct ev *ev, const struct hbs_node *blk, struct val v, const struct data *d)
{
	struct data it = { .parent = d };
	size_t i = 0;
	if (v.k == V_JSON && json_is_array(v.j)) {
		size_t n = json_array_size(v.j);
		for (i = 0; i < n; i++) {
			it.index = (long long)i;
			it.key = (struct val){ .k = V_INT, .i = (long long)i };
			it.first = i == 0;
			it.last = i + 1 == n;
			if (step(ev) < 0 || run_in(ev, blk->body, jval(json_array_get(v.j, i)), &it) < 0)
				return -1;
		}
	} else if (v.k == V_JSON && json_is_object(v.j)) {
		size_t n = json_object_size(v.j);
		const char *k;
		json_t *m;
		json_object_foreach((json_t *)v.j, k, m) {
			it.index = (long long)i;
			it.key = (struct val){ .k = V_STR, .s = k, .n = strlen(k) };
			it.first = i == 0;
			it.last = i + 1 == n;
			i++;
			if (step(ev) < 0 || run_in(ev, blk->body, jval(m), &it) < 0)
				return -1;
		}
	}
	return i == 0 ? run(ev, blk->inverse, d) : 0;
}

static int block(struct ev *ev, const struct hbs_node *blk, const struct data *d)
{
	const struct hbs_call *c = &blk->call;
	struct val v;
	switch (c->helper) {
	case H_IF:
		v = eval_expr(ev, &c->params[0], d);
		return run(ev, truthy(v, c->include_zero) ? blk->body : blk->inverse, d);
	case H_UNLESS:
		v = eval_expr(ev, &c->params[0], d);
		return run(ev, truthy(v, c->include_zero) ? blk->inverse : blk->body, d);
	case H_WITH:
		v = eval_expr(ev, &c->params[0], d);
		if (is_empty(v))
			return run(ev, blk->inverse, d);
		return run_in(ev, blk->body, v, d);
	case H_EACH:
		return each(ev, blk, eval_expr(ev, &c->params[0], d), d);
	case H_NONE:
		break;
	default:
		return 0;
	}
	/* blockHelperMissing: a section {{#name}} over whatever name holds */
	v = eval_path(ev, &c->name, d);
	if ((v.k == V_BOOL && v.b) || (v.k == V_JSON && json_is_true(v.j)))
		return run(ev, blk->body, d);
	if (v.k == V_UNDEF || (v.k == V_BOOL && !v.b) ||
	    (v.k == V_JSON && (json_is_false(v.j) || json_is_null(v.j))))
		return run(ev, blk->inverse, d);
	if (v.k == V_JSON && json_is_array(v.j))
		return each(ev, blk, v, d);
	return run_in(ev, blk->body, v, d);
}

static int run(struct ev *ev, const struct hbs_node *n, const struct data *d)
{
	for (; n; n = n->next) {
		if (step(ev) < 0)
			return -1;
		switch (n->kind) {
		case N_TEXT:
			if (put(ev, n->text, n->len) < 0)
				return -1;
			break;
		case N_VAR: {
			struct val v = undef;
			if (n->call.helper == H_LOOKUP)
				v = lookup(ev, &n->call, d);
			else if (n->call.helper == H_NONE)
				v = eval_path(ev, &n->call.name, d);
			if (put_val(ev, v, n->escape) < 0)
				return -1;
			break;
		}
		case N_BLOCK:
			if (block(ev, n, d) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- API */

static int check_required(const struct hbs_template *t, const json_t *vars, struct api_error *err)
{
	char names[200];
	size_t len = 0, missing = 0, i;
	json_t *name;
	names[0] = '\0';
	json_array_foreach(t->required, i, name) {
		const char *s = json_string_value(name);
		if (vars && json_object_get(vars, s))
			continue;
		if (len < sizeof(names)) {
			int w = snprintf(names + len, sizeof(names) - len, "%s%s", missing ? ", " : "", s);
			len += w > 0 ? (size_t)w : 0;
		}
		missing++;
	}
	if (!missing)
		return 0;
	return api_fail(err, ERR_MERGE_VARIABLE_REQUIRED,
			"Missing required merge variable%s: %s", missing > 1 ? "s" : "", names);
}

char *hbs_render(const struct hbs_template *t, const json_t *vars, bool strict,
		 const struct hbs_limits *lim, size_t *out_len, struct api_error *err)
{
	struct ev ev = { .err = err };
	json_t *empty = NULL;
	char *res = NULL;
	if (vars && !json_is_object(vars)) {
		api_fail(err, ERR_INVALID, "merge_variables must be an object");
		return NULL;
	}
	if (strict && check_required(t, vars, err) < 0)
		return NULL;
	ev.max_out = lim && lim->max_output ? lim->max_output : HBS_DEFAULT_MAX_OUTPUT;
	ev.max_steps = lim && lim->max_steps ? lim->max_steps : HBS_DEFAULT_MAX_STEPS;
	ev.ctx = malloc((t->depth + 2) * sizeof(*ev.ctx));
	if (!ev.ctx) {
		api_fail(err, ERR_INTERNAL, "out of memory rendering a template");
		return NULL;
	}
	if (!vars)
		vars = empty = json_object();
	ev.root = jval(vars);
	ev.ctx[ev.nctx++] = ev.root;
	if (run(&ev, t->root, NULL) < 0 || put(&ev, "", 0) < 0)
		goto out;
	ev.out[ev.len] = '\0';
	if (out_len)
		*out_len = ev.len;
	res = ev.out;
	ev.out = NULL;
out:
	free(ev.out);
	free(ev.ctx);
	json_decref(empty);
	return res;
}
