/*
 * Request bodies and query strings → one JSON object: JSON, urlencoded forms with bracket
 * notation, multipart/form-data. Parsing and limits only; no HTTP beyond the Content-Type.
 */
#include "http/body.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const struct body_limits body_limits_default = {
	.max_depth = 16, .max_fields = 1000, .max_key_len = 1024, .max_parts = 100,
};

#define MSG_CLIP 100			/* bytes of user input echoed in a message */
#define MP_BOUNDARY_MAX 200		/* RFC 2046 says 70; be lenient, but bounded */
#define MP_HEADERS_MAX 8192		/* all header lines of one part */
#define FORM_INDEX_MAX 1000000		/* larger indexes saturate (and are always a gap) */

/* ---------- small helpers ---------- */

static bool is_lwsp(char c)
{
	return c == ' ' || c == '\t';
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s[0..n) equals the lower-case literal lit, ignoring ASCII case */
static bool ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || ascii_lower(s[i]) != lit[i])
			return false;
	return lit[n] == '\0';
}

/* length of one valid UTF-8 sequence at s (at most n bytes), 0 if invalid */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static bool utf8_valid(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* valid UTF-8 without NUL: what every text value and name must be */
static bool text_ok(const char *s, size_t n)
{
	return n == 0 || (!memchr(s, '\0', n) && utf8_valid(s, n));
}

/* the longest prefix of s (≤ MSG_CLIP bytes) that is safe to echo: UTF-8, no controls */
static int clip(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k || i + k > MSG_CLIP)
			break;
		i += k;
	}
	return (int)i;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static json_t *oom(struct api_error *err)
{
	api_fail(err, ERR_INTERNAL, "Out of memory while parsing the request body");
	return NULL;
}

/* ---------- bracket notation: shared by forms and multipart ---------- */

enum seg_kind { SEG_KEY, SEG_APPEND, SEG_INDEX };

struct seg {
	const char *p;		/* the text between the brackets (or the base name) */
	size_t n;
	size_t end;		/* offset in the key just past this segment */
	enum seg_kind kind;
	size_t idx;		/* SEG_INDEX */
};

struct tree {
	json_t *root;
	const struct body_limits *lim;
	size_t nfields;
	struct api_error *err;
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
			clip(key, klen), key);
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
				clip(key, klen), key, t->lim->max_depth);
	return 0;
}

static int conflict(struct tree *t, const char *key, size_t upto)
{
	return api_fail(t->err, ERR_INVALID, "Conflicting types for parameter %.*s",
			clip(key, upto), key);
}

static int gap(struct tree *t, const char *key, size_t upto)
{
	return api_fail(t->err, ERR_INVALID,
			"Parameter %.*s is out of order: "
			"array indexes must start at 0 and go up by one",
			clip(key, upto), key);
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
		return oom(t->err);
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
		return oom(t->err);
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
			return oom(t->err), -1;
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
		return json_array_set_new(cur, s->idx, val) ? (oom(t->err), -1) : 0;
	}
	return json_array_append_new(cur, val) ? (oom(t->err), -1) : 0;
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
static int tree_add(struct tree *t, const char *key, size_t klen, json_t *val)
{
	struct seg s, next;
	json_t *cur = t->root;

	if (!val)
		return oom(t->err), -1;
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

/* ---------- application/json ---------- */

/* depth of v's nesting (root = 1) and scalar count; recursion stops at max_depth + 1 */
static int json_walk(const json_t *v, size_t depth, size_t *nfields,
		     const struct body_limits *lim, struct api_error *err)
{
	const char *k;
	json_t *child;
	size_t i;

	if (!json_is_object(v) && !json_is_array(v)) {
		if (++*nfields > lim->max_fields)
			return api_fail(err, ERR_INVALID,
					"JSON body has too many fields (limit %zu)",
					lim->max_fields);
		return 0;
	}
	if (depth > lim->max_depth)
		return api_fail(err, ERR_INVALID,
				"JSON body is nested too deeply (limit %zu levels)", lim->max_depth);
	if (json_is_array(v)) {
		json_array_foreach(v, i, child)
			if (json_walk(child, depth + 1, nfields, lim, err) < 0)
				return -1;
		return 0;
	}
	/* file objects only come from multipart; a JSON body may not forge one */
	if (json_object_get(v, "$file"))
		return api_fail(err, ERR_INVALID, "The key \"$file\" is reserved");
	json_object_foreach((json_t *)v, k, child)
		if (json_walk(child, depth + 1, nfields, lim, err) < 0)
			return -1;
	return 0;
}

static json_t *json_fail(const json_error_t *je, const struct body_limits *lim,
			 struct api_error *err)
{
	const char *text = je->text;

	switch (json_error_code(je)) {
	case json_error_out_of_memory:
		return oom(err);
	case json_error_stack_overflow:
		api_fail(err, ERR_INVALID, "JSON body is nested too deeply (limit %zu levels)",
			 lim->max_depth);
		return NULL;
	case json_error_null_character:
		text = "\\u0000 is not allowed in strings";
		break;
	default:
		break;
	}
	api_fail(err, ERR_INVALID, "Invalid JSON body: %.*s at line %d column %d",
		 clip(text, strlen(text)), text, je->line, je->column);
	return NULL;
}

json_t *body_parse_json(const char *data, size_t len, const struct body_limits *lim,
			struct api_error *err)
{
	json_error_t je;
	json_t *root;
	size_t nfields = 0;

	root = json_loadb(data, len, JSON_DECODE_ANY, &je);
	if (!root)
		return json_fail(&je, lim, err);
	if (!json_is_object(root)) {
		json_decref(root);
		api_fail(err, ERR_INVALID, "Body must be a JSON object");
		return NULL;
	}
	if (json_walk(root, 1, &nfields, lim, err) < 0) {
		json_decref(root);
		return NULL;
	}
	return root;
}

/* ---------- application/x-www-form-urlencoded ---------- */

/* '+' → space, %XX → byte; *outn is the decoded length; -1 on a bad escape */
static int pct_decode(const char *s, size_t n, char *out, size_t *outn)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			out[o++] = s[i] == '+' ? ' ' : s[i];
			continue;
		}
		if (n - i < 3)
			return -1;
		hi = hex_val(s[i + 1]);
		lo = hex_val(s[i + 2]);
		if (hi < 0 || lo < 0)
			return -1;
		out[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	*outn = o;
	return 0;
}

/* one "key=value" pair (no '&'); buf has room for both decoded */
static int form_pair(struct tree *t, char *buf, const char *pair, size_t n)
{
	const char *eq = memchr(pair, '=', n);
	size_t kraw = eq ? (size_t)(eq - pair) : n, klen, vlen;
	char *val;

	if (pct_decode(pair, kraw, buf, &klen) < 0)
		return api_fail(t->err, ERR_INVALID,
				"Invalid percent-encoding in a parameter name");
	if (!text_ok(buf, klen))
		return api_fail(t->err, ERR_INVALID,
				"A parameter name is not valid UTF-8 or contains a NUL byte");
	val = buf + klen;
	if (eq && pct_decode(eq + 1, n - kraw - 1, val, &vlen) < 0)
		return api_fail(t->err, ERR_INVALID, "Invalid percent-encoding in parameter %.*s",
				clip(buf, klen), buf);
	if (!eq)
		vlen = 0;
	if (!text_ok(val, vlen))
		return api_fail(t->err, ERR_INVALID,
				"Parameter %.*s is not valid UTF-8 or contains a NUL byte",
				clip(buf, klen), buf);
	return tree_add(t, buf, klen, json_stringn_nocheck(val, vlen));
}

/*
 * Pairs split on '&'; empty pairs are skipped. A repeated plain key keeps the last value
 * (as Rack and qs do for keys without brackets).
 */
json_t *body_parse_form(const char *data, size_t len, const struct body_limits *lim,
			struct api_error *err)
{
	struct tree t = { .root = json_object(), .lim = lim, .err = err };
	const char *p = data, *end = data + len, *amp;
	char *buf = malloc(len + 1);
	int rc = 0;

	if (!t.root || !buf) {
		rc = -1;
		oom(err);
		goto out;
	}
	while (p < end && rc == 0) {
		amp = memchr(p, '&', (size_t)(end - p));
		if (!amp)
			amp = end;
		if (amp > p)
			rc = form_pair(&t, buf, p, (size_t)(amp - p));
		p = amp + 1;
	}
out:
	free(buf);
	if (rc < 0) {
		json_decref(t.root);
		return NULL;
	}
	return t.root;
}

/* ---------- multipart/form-data ---------- */

struct part {
	const char *name, *fname, *ctype;
	size_t name_len, fname_len, ctype_len;
	bool has_name, has_fname;
};

struct mp {
	const char *d;
	size_t len;
	char delim[3 + MP_BOUNDARY_MAX];	/* "\n--" boundary */
	size_t dlen;				/* including the leading '\n' */
	char *scratch;				/* MP_HEADERS_MAX: unquoted header params */
	size_t scratch_used;			/* by the current part's headers */
	size_t nparts;
	struct tree t;
};

/* a quoted-string at s (s[0] == '"'): unescapes \" and \\ into out; returns bytes used */
static size_t unquote(const char *s, size_t n, char *out, size_t *outn)
{
	size_t i = 1, o = 0;

	while (i < n && s[i] != '"') {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == '"' || s[i + 1] == '\\'))
			i++;
		out[o++] = s[i++];
	}
	*outn = o;
	return i < n ? i + 1 : i;
}

/*
 * One parameter of a header value at s: `; name=value` (value a token or quoted). Writes
 * the name span and the value (unquoted into out) and returns the bytes consumed.
 */
static size_t param_next(const char *s, size_t n, const char **pn, size_t *pnl,
			 char *out, size_t *vl)
{
	size_t i = 0, start;

	while (i < n && (s[i] == ';' || is_lwsp(s[i])))
		i++;
	start = i;
	while (i < n && s[i] != '=' && s[i] != ';')
		i++;
	*pn = s + start;
	*pnl = i - start;
	while (*pnl && is_lwsp((*pn)[*pnl - 1]))
		(*pnl)--;
	*vl = 0;
	if (i >= n || s[i] != '=')
		return i;
	i++;
	while (i < n && is_lwsp(s[i]))
		i++;
	if (i < n && s[i] == '"')
		return i + unquote(s + i, n - i, out, vl);
	start = i;
	while (i < n && s[i] != ';')
		i++;
	*vl = i - start;
	while (*vl && is_lwsp(s[start + *vl - 1]))
		(*vl)--;
	memcpy(out, s + start, *vl);
	return i;
}

static int boundary_set(struct mp *m, const char *b, size_t n, struct api_error *err)
{
	size_t k;

	for (k = 0; k < n && (unsigned char)b[k] >= 0x20 && b[k] != 0x7f; k++)
		;
	if (n == 0 || n > MP_BOUNDARY_MAX || k < n || b[n - 1] == ' ')
		return api_fail(err, ERR_INVALID,
				"Invalid multipart boundary: "
				"use 1 to %d printable ASCII characters",
				MP_BOUNDARY_MAX);
	memcpy(m->delim, "\n--", 3);
	memcpy(m->delim + 3, b, n);
	m->dlen = 3 + n;
	return 0;
}

/* the boundary parameter of the Content-Type header value ct (NUL-terminated) */
static int boundary_get(struct mp *m, const char *ct, struct api_error *err)
{
	const char *semi = ct ? strchr(ct, ';') : NULL, *pn;
	size_t n = semi ? strlen(semi) : 0, i = 0, pnl, vl;
	char *val = malloc(n + 1);	/* no value is longer than the header */
	int rc = 1;

	if (!val)
		return oom(err), -1;
	while (i < n && rc > 0) {
		i += param_next(semi + i, n - i, &pn, &pnl, val, &vl);
		if (ieq(pn, pnl, "boundary"))
			rc = boundary_set(m, val, vl, err);
	}
	free(val);
	if (rc > 0)
		return api_fail(err, ERR_INVALID, "multipart/form-data requires a boundary");
	return rc;
}

enum delim_kind { DELIM_NONE, DELIM_NEXT, DELIM_CLOSE };

/* what follows "--boundary" at offset pos: "--", or transport padding and a line end */
static enum delim_kind delim_tail(const struct mp *m, size_t pos, size_t *after)
{
	const char *d = m->d;

	if (m->len - pos >= 2 && d[pos] == '-' && d[pos + 1] == '-')
		return DELIM_CLOSE;
	while (pos < m->len && is_lwsp(d[pos]))
		pos++;
	if (pos < m->len && d[pos] == '\r')
		pos++;
	if (pos < m->len && d[pos] == '\n') {
		*after = pos + 1;
		return DELIM_NEXT;
	}
	return DELIM_NONE;
}

/*
 * The next delimiter line at or after from: its start (*at, where content ends, before the
 * CR LF) and what follows it. "--boundary" not followed by a line end or "--" is content.
 */
static enum delim_kind delim_find(const struct mp *m, size_t from, size_t *at, size_t *after)
{
	const char *q;
	enum delim_kind k;
	size_t pos;

	/* the first delimiter may open the body, with no line break before it */
	if (from == 0 && m->len >= m->dlen - 1 && !memcmp(m->d, m->delim + 1, m->dlen - 1)) {
		k = delim_tail(m, m->dlen - 1, after);
		*at = 0;
		if (k != DELIM_NONE)
			return k;
	}
	while (from < m->len) {
		q = memmem(m->d + from, m->len - from, m->delim, m->dlen);
		if (!q)
			return DELIM_NONE;
		pos = (size_t)(q - m->d);
		k = delim_tail(m, pos + m->dlen, after);
		if (k != DELIM_NONE) {
			*at = pos > from && m->d[pos - 1] == '\r' ? pos - 1 : pos;
			return k;
		}
		from = pos + 1;
	}
	return DELIM_NONE;
}

static int mp_truncated(struct api_error *err)
{
	return api_fail(err, ERR_INVALID, "Multipart body is truncated: missing closing boundary");
}

/* Content-Disposition: form-data; name="..."; filename="..." (into m->scratch) */
static void disposition(struct mp *m, struct part *pt, const char *v, size_t n)
{
	char *out = m->scratch + m->scratch_used;
	const char *pn;
	size_t i = 0, pnl, vl;

	while (i < n && v[i] != ';')
		i++;
	while (i < n) {
		i += param_next(v + i, n - i, &pn, &pnl, out, &vl);
		if (ieq(pn, pnl, "name")) {
			pt->name = out;
			pt->name_len = vl;
			pt->has_name = true;
		} else if (ieq(pn, pnl, "filename")) {
			pt->fname = out;
			pt->fname_len = vl;
			pt->has_fname = true;
		}
		out += vl;
		m->scratch_used += vl;
	}
}

static void header_line(struct mp *m, struct part *pt, const char *l, size_t n)
{
	const char *colon = memchr(l, ':', n);
	size_t nl, vs;

	if (!colon)
		return;
	nl = (size_t)(colon - l);
	for (vs = nl + 1; vs < n && is_lwsp(l[vs]); vs++)
		;
	while (n > vs && is_lwsp(l[n - 1]))
		n--;
	if (ieq(l, nl, "content-disposition")) {
		disposition(m, pt, l + vs, n - vs);
	} else if (ieq(l, nl, "content-type")) {
		pt->ctype = l + vs;
		pt->ctype_len = n - vs;
	}
}

/* header lines from *pos up to the blank line; *pos ends at the content */
static int headers_read(struct mp *m, struct part *pt, size_t *pos, struct api_error *err)
{
	size_t used = 0, room, n;
	const char *l, *nl;

	for (;;) {
		l = m->d + *pos;
		room = MP_HEADERS_MAX - used;
		nl = memchr(l, '\n', m->len - *pos < room ? m->len - *pos : room);
		if (!nl && m->len - *pos < room)
			return mp_truncated(err);
		if (!nl)
			return api_fail(err, ERR_INVALID,
					"Multipart part headers are too long (limit %d bytes)",
					MP_HEADERS_MAX);
		n = (size_t)(nl - l);
		used += n + 1;
		*pos += n + 1;
		if (n && l[n - 1] == '\r')
			n--;
		if (n == 0)
			return 0;
		header_line(m, pt, l, n);
	}
}

static json_t *file_object(const struct part *pt, const char *data, size_t len)
{
	json_t *f = json_object();

	if (!f)
		return NULL;
	if (json_object_set_new(f, "$file", json_true()) ||
	    json_object_set_new(f, "filename", json_stringn_nocheck(pt->fname, pt->fname_len)) ||
	    json_object_set_new(f, "content_type", pt->ctype_len ?
				json_stringn_nocheck(pt->ctype, pt->ctype_len) :
				json_string("application/octet-stream")) ||
	    json_object_set_new(f, "content", json_stringn_nocheck(data, len))) {
		json_decref(f);
		return NULL;
	}
	return f;
}

/* one part's content is d[start..end): a file object or a text value, by name */
static int part_add(struct mp *m, const struct part *pt, size_t start, size_t end,
		    struct api_error *err)
{
	const char *v = m->d + start;
	size_t vlen = end - start;
	int nl = clip(pt->name, pt->name_len);

	if (!pt->has_name)
		return api_fail(err, ERR_INVALID,
				"Multipart part %zu has no name: "
				"send Content-Disposition: form-data; name=\"...\"",
				m->nparts);
	if (!text_ok(pt->name, pt->name_len))
		return api_fail(err, ERR_INVALID,
				"Multipart part %zu: "
				"the name is not valid UTF-8 or contains a NUL byte",
				m->nparts);
	if (pt->has_fname) {
		if (!text_ok(pt->fname, pt->fname_len) || !text_ok(pt->ctype, pt->ctype_len))
			return api_fail(err, ERR_INVALID,
					"File %.*s: filename and Content-Type must be valid UTF-8",
					nl, pt->name);
		return tree_add(&m->t, pt->name, pt->name_len, file_object(pt, v, vlen));
	}
	if (!text_ok(v, vlen))
		return api_fail(err, ERR_INVALID,
				"Parameter %.*s is not valid UTF-8 or contains a NUL byte "
				"(send files with a filename)",
				nl, pt->name);
	return tree_add(&m->t, pt->name, pt->name_len, json_stringn_nocheck(v, vlen));
}

/* the parts after the first delimiter; pos is where the first part's headers start */
static int parts_read(struct mp *m, size_t pos, struct api_error *err)
{
	struct part pt;
	size_t start, end, after;
	enum delim_kind k;

	for (;;) {
		if (++m->nparts > m->t.lim->max_parts)
			return api_fail(err, ERR_INVALID, "Too many multipart parts (limit %zu)",
					m->t.lim->max_parts);
		memset(&pt, 0, sizeof(pt));
		m->scratch_used = 0;
		if (headers_read(m, &pt, &pos, err) < 0)
			return -1;
		start = pos;
		/* search from just before the content, so an empty part's CR LF is found */
		k = delim_find(m, start ? start - 1 : 0, &end, &after);
		if (k == DELIM_NONE)
			return mp_truncated(err);
		if (end < start)
			end = start;
		if (part_add(m, &pt, start, end, err) < 0)
			return -1;
		if (k == DELIM_CLOSE)
			return 0;
		pos = after;
	}
}

json_t *body_parse_multipart(const char *content_type, const char *data, size_t len,
			     const struct body_limits *lim, struct api_error *err)
{
	struct mp m = { .d = data, .len = len, .t = { .lim = lim, .err = err } };
	size_t at, after;
	enum delim_kind k;
	int rc = -1;

	if (boundary_get(&m, content_type, err) < 0)
		return NULL;
	m.t.root = json_object();
	m.scratch = malloc(MP_HEADERS_MAX);
	if (!m.t.root || !m.scratch) {
		oom(err);
		goto out;
	}
	k = delim_find(&m, 0, &at, &after);
	if (k == DELIM_NONE)
		api_fail(err, ERR_INVALID,
			 "Multipart body does not contain the boundary from Content-Type");
	else if (k == DELIM_CLOSE)
		api_fail(err, ERR_INVALID, "Multipart body has no parts");
	else
		rc = parts_read(&m, after, err);
out:
	free(m.scratch);
	if (rc < 0) {
		json_decref(m.t.root);
		return NULL;
	}
	return m.t.root;
}

/* ---------- dispatch ---------- */

static bool looks_like_json(const char *d, size_t n)
{
	size_t i = 0;

	while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
		i++;
	return i < n && d[i] == '{';
}

json_t *body_parse(const char *content_type, const char *data, size_t len,
		   const struct body_limits *lim, struct api_error *err)
{
	const char *ct = content_type ? content_type : "";
	json_t *root;
	size_t n;

	if (len == 0) {
		root = json_object();
		return root ? root : oom(err);
	}
	while (is_lwsp(*ct))
		ct++;
	for (n = 0; ct[n] && ct[n] != ';' && !is_lwsp(ct[n]); n++)
		;
	if (n == 0)
		return looks_like_json(data, len) ? body_parse_json(data, len, lim, err) :
		       body_parse_form(data, len, lim, err);
	if (ieq(ct, n, "application/json"))
		return body_parse_json(data, len, lim, err);
	if (ieq(ct, n, "application/x-www-form-urlencoded"))
		return body_parse_form(data, len, lim, err);
	if (ieq(ct, n, "multipart/form-data"))
		return body_parse_multipart(content_type, data, len, lim, err);
	api_fail(err, ERR_INVALID,
		 "Unsupported Content-Type %.*s: send application/json, "
		 "application/x-www-form-urlencoded or multipart/form-data",
		 clip(ct, n), ct);
	return NULL;
}

/* ---------- file objects ---------- */

bool body_is_file(const json_t *v)
{
	return json_is_object(v) && json_is_true(json_object_get(v, "$file"));
}

const char *body_file_name(const json_t *v)
{
	return body_is_file(v) ? json_string_value(json_object_get(v, "filename")) : NULL;
}

const char *body_file_type(const json_t *v)
{
	const char *t = body_is_file(v) ? json_string_value(json_object_get(v, "content_type"))
					 : NULL;

	return t && *t ? t : "application/octet-stream";
}

const char *body_file_data(const json_t *v, size_t *len)
{
	json_t *c = body_is_file(v) ? json_object_get(v, "content") : NULL;

	*len = json_string_length(c);
	return json_string_value(c);
}
