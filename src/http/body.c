// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Request bodies and query strings → one JSON object: JSON, urlencoded forms with bracket
 * notation, multipart/form-data. Parsing and limits only; no HTTP beyond the Content-Type.
 */
#include "http/body_internal.h"
#include "core/utf8.h"
#include <stdlib.h>
#include <string.h>

const struct body_limits body_limits_default = {
	.max_depth = 16, .max_fields = 1000, .max_key_len = 1024, .max_parts = 100,
};

/* ---------- small helpers ---------- */

bool body_is_lwsp(char c)
{
	return c == ' ' || c == '\t';
}

char body_ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s[0..n) equals the lower-case literal lit, ignoring ASCII case */
bool body_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (lit[i] == '\0' || body_ascii_lower(s[i]) != lit[i])
			return false;
	return lit[n] == '\0';
}

/* valid UTF-8 without NUL: what every text value and name must be */
bool body_text_ok(const char *s, size_t n)
{
	return n == 0 || (!memchr(s, '\0', n) && utf8_valid(s, n));
}

/* the longest prefix of s (≤ MSG_CLIP bytes) that is safe to echo: UTF-8, no controls */
int body_clip(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
		k = utf8_seq_len((const unsigned char *)s + i, n - i);
		if (!k || i + k > MSG_CLIP)
			break;
		i += k;
	}
	return (int)i;
}

int body_hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = body_ascii_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

json_t *body_oom(struct api_error *err)
{
	api_fail(err, ERR_INTERNAL, "Out of memory while parsing the request body");
	return NULL;
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
		return body_oom(err);
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
		 body_clip(text, strlen(text)), text, je->line, je->column);
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
		hi = body_hex_val(s[i + 1]);
		lo = body_hex_val(s[i + 2]);
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
	if (!body_text_ok(buf, klen))
		return api_fail(t->err, ERR_INVALID,
				"A parameter name is not valid UTF-8 or contains a NUL byte");
	val = buf + klen;
	if (eq && pct_decode(eq + 1, n - kraw - 1, val, &vlen) < 0)
		return api_fail(t->err, ERR_INVALID, "Invalid percent-encoding in parameter %.*s",
				body_clip(buf, klen), buf);
	if (!eq)
		vlen = 0;
	if (!body_text_ok(val, vlen))
		return api_fail(t->err, ERR_INVALID,
				"Parameter %.*s is not valid UTF-8 or contains a NUL byte",
				body_clip(buf, klen), buf);
	return body_tree_add(t, buf, klen, json_stringn_nocheck(val, vlen));
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
		body_oom(err);
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
		return root ? root : body_oom(err);
	}
	while (body_is_lwsp(*ct))
		ct++;
	for (n = 0; ct[n] && ct[n] != ';' && !body_is_lwsp(ct[n]); n++)
		;
	if (n == 0)
		return looks_like_json(data, len) ? body_parse_json(data, len, lim, err) :
		       body_parse_form(data, len, lim, err);
	if (body_ieq(ct, n, "application/json"))
		return body_parse_json(data, len, lim, err);
	if (body_ieq(ct, n, "application/x-www-form-urlencoded"))
		return body_parse_form(data, len, lim, err);
	if (body_ieq(ct, n, "multipart/form-data"))
		return body_parse_multipart(content_type, data, len, lim, err);
	api_fail(err, ERR_INVALID,
		 "Unsupported Content-Type %.*s: send application/json, "
		 "application/x-www-form-urlencoded or multipart/form-data",
		 body_clip(ct, n), ct);
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
