// SPDX-License-Identifier: AGPL-3.0-or-later
/* Bracket notation (name, name[key], name[], name[0]) into one JSON tree, within limits. */
#include "http/body_internal.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------- bracket notation: shared by forms and multipart ---------- */

enum seg_kind { SEG_KEY, SEG_APPEND, SEG_INDEX };

struct seg {
	const char *p;		/* the text between the brackets (or the base name) */
	size_t n;
	size_t end;		/* offset in the key just past this segment */
	enum seg_kind kind;
	size_t idx;		/* SEG_INDEX */
};


/* "0" or [1-9][0-9]*: an array index; anything else in brackets is an object key */
static enum seg_kind seg_classify(const char *p, size_t n, size_t *idx)
{
	size_t i, v = 0;

	*idx = 0;
	if (n == 0)
		return SEG_APPEND;
	if (n > 1 && p[0] == '0')
		return SEG_KEY;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return SEG_KEY;
		if (v <= FORM_INDEX_MAX)
			v = v * 10 + (size_t)(p[i] - '0');
	}
	*idx = v;
	return SEG_INDEX;
}

/* the segment starting at key[pos] (a '['); the key was checked by key_check() */
static void seg_at(const char *key, size_t klen, size_t pos, struct seg *s)
{
	const char *close = memchr(key + pos, ']', klen - pos);

	s->p = key + pos + 1;
	s->n = (size_t)(close - s->p);
	s->end = (size_t)(close - key) + 1;
	s->kind = seg_classify(s->p, s->n, &s->idx);
}

static void seg_base(const char *key, size_t klen, struct seg *s)
{
	const char *open = memchr(key, '[', klen);

	s->p = key;
	s->n = open ? (size_t)(open - key) : klen;
	s->end = s->n;
	s->kind = SEG_KEY;
	s->idx = 0;
}

static int malformed(struct tree *t, const char *key, size_t klen)
{
	return api_fail(t->err, ERR_INVALID,
			"Malformed parameter name %.*s: use name, name[key], name[] or name[0]",
			body_clip(key, klen), key);
}

/* name, then zero or more [segment]; `[]` inside a path must be followed by a [key] */
static int key_check(struct tree *t, const char *key, size_t klen)
{
	struct seg s, prev;
	size_t depth = 1;

	seg_base(key, klen, &s);
	if (s.n == 0 || memchr(s.p, ']', s.n))
		return malformed(t, key, klen);
	while (s.end < klen) {
		prev = s;
		if (key[s.end] != '[' || !memchr(key + s.end, ']', klen - s.end))
			return malformed(t, key, klen);
		seg_at(key, klen, s.end, &s);
		if (memchr(s.p, '[', s.n) || (prev.kind == SEG_APPEND && s.kind != SEG_KEY))
			return malformed(t, key, klen);
		depth++;
	}
	if (depth > t->lim->max_depth)
		return api_fail(t->err, ERR_INVALID,
				"Parameter %.*s is nested too deeply (limit %zu levels)",
				body_clip(key, klen), key, t->lim->max_depth);
	return 0;
}

static int conflict(struct tree *t, const char *key, size_t upto)
{
	return api_fail(t->err, ERR_INVALID, "Conflicting types for parameter %.*s",
			body_clip(key, upto), key);
}

static int gap(struct tree *t, const char *key, size_t upto)
{
	return api_fail(t->err, ERR_INVALID,
			"Parameter %.*s is out of order: "
			"array indexes must start at 0 and go up by one",
			body_clip(key, upto), key);
}

/* a leaf is a string or a file object; containers are plain objects and arrays */
static bool is_leaf(const json_t *v)
{
	return json_is_string(v) || body_is_file(v);
}

static bool fits(const json_t *v, enum seg_kind next)
{
	if (next == SEG_KEY)
		return json_is_object(v) && !body_is_file(v);
	return json_is_array(v);
}

/* does v hold something at the rest of the path (key[pos..])? (Rack's rule for `a[][k]`) */
static bool path_taken(const json_t *v, const char *key, size_t klen, size_t pos)
{
	struct seg s;

	while (v && pos < klen) {
		seg_at(key, klen, pos, &s);
		if (s.kind == SEG_APPEND)
			return false;
		if (s.kind == SEG_INDEX && json_is_array(v))
			v = json_array_get(v, s.idx);
		else
			v = json_is_object(v) ? json_object_getn(v, s.p, s.n) : NULL;
		pos = s.end;
	}
	return v != NULL;
}

/* the child of an array for segment s, appending a new container when needed */
static json_t *array_step(struct tree *t, json_t *arr, const struct seg *s, enum seg_kind next,
			  const char *key, size_t klen)
{
	size_t size = json_array_size(arr);
	json_t *child;

	if (s->kind == SEG_KEY)
		return conflict(t, key, s->end), NULL;
	if (s->kind == SEG_INDEX && s->idx > size)
		return gap(t, key, s->end), NULL;
	if (s->kind == SEG_INDEX && s->idx < size)
		child = json_array_get(arr, s->idx);
	else if (s->kind == SEG_APPEND && size && !path_taken(json_array_get(arr, size - 1),
								 key, klen, s->end))
		child = json_array_get(arr, size - 1);
	else
		child = NULL;
	if (child)
		return fits(child, next) ? child : (conflict(t, key, s->end), NULL);
	child = next == SEG_KEY ? json_object() : json_array();
	if (json_array_append_new(arr, child))
		return body_oom(t->err);
	return child;
}

/* the container under cur for segment s, created if absent; next says which kind */
static json_t *step(struct tree *t, json_t *cur, const struct seg *s, enum seg_kind next,
		    const char *key, size_t klen)
{
	json_t *child;

	if (json_is_array(cur))
		return array_step(t, cur, s, next, key, klen);
	child = json_object_getn(cur, s->p, s->n);
	if (child)
		return fits(child, next) ? child : (conflict(t, key, s->end), NULL);
	child = next == SEG_KEY ? json_object() : json_array();
	if (json_object_setn_new_nocheck(cur, s->p, s->n, child))
		return body_oom(t->err);
	return child;
}

/* store val (stolen) under cur at the last segment; a leaf there is replaced */
static int place(struct tree *t, json_t *cur, const struct seg *s, json_t *val, const char *key)
{
	json_t *old;
	size_t size;

	if (json_is_object(cur)) {
		old = json_object_getn(cur, s->p, s->n);
		if (old && !is_leaf(old))
			return json_decref(val), conflict(t, key, s->end);
		if (json_object_setn_new_nocheck(cur, s->p, s->n, val))
			return body_oom(t->err), -1;
		return 0;
	}
	size = json_array_size(cur);
	if (s->kind == SEG_KEY)
		return json_decref(val), conflict(t, key, s->end);
	if (s->kind == SEG_INDEX && s->idx > size)
		return json_decref(val), gap(t, key, s->end);
	if (s->kind == SEG_INDEX && s->idx < size) {
		if (!is_leaf(json_array_get(cur, s->idx)))
			return json_decref(val), conflict(t, key, s->end);
		return json_array_set_new(cur, s->idx, val) ? (body_oom(t->err), -1) : 0;
	}
	return json_array_append_new(cur, val) ? (body_oom(t->err), -1) : 0;
}

static int tree_limits(struct tree *t, const char *key, size_t klen)
{
	if (++t->nfields > t->lim->max_fields)
		return api_fail(t->err, ERR_INVALID, "Too many parameters (limit %zu)",
				t->lim->max_fields);
	if (klen > t->lim->max_key_len)
		return api_fail(t->err, ERR_INVALID, "Parameter name too long (limit %zu bytes)",
				t->lim->max_key_len);
	return key_check(t, key, klen);
}

/* add one named value (stolen) to the tree: limits, syntax, then the bracket path */
int body_tree_add(struct tree *t, const char *key, size_t klen, json_t *val)
{
	struct seg s, next;
	json_t *cur = t->root;

	if (!val)
		return body_oom(t->err), -1;
	if (tree_limits(t, key, klen) < 0) {
		json_decref(val);
		return -1;
	}
	seg_base(key, klen, &s);
	while (s.end < klen) {
		seg_at(key, klen, s.end, &next);
		cur = step(t, cur, &s, next.kind, key, klen);
		if (!cur)
			return json_decref(val), -1;
		s = next;
	}
	return place(t, cur, &s, val, key);
}

