// SPDX-License-Identifier: AGPL-3.0-or-later
/* multipart/form-data: parts into the request tree; file parts become file objects. */
#include "http/body_internal.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

	while (i < n && (s[i] == ';' || body_is_lwsp(s[i])))
		i++;
	start = i;
	while (i < n && s[i] != '=' && s[i] != ';')
		i++;
	*pn = s + start;
	*pnl = i - start;
	while (*pnl && body_is_lwsp((*pn)[*pnl - 1]))
		(*pnl)--;
	*vl = 0;
	if (i >= n || s[i] != '=')
		return i;
	i++;
	while (i < n && body_is_lwsp(s[i]))
		i++;
	if (i < n && s[i] == '"')
		return i + unquote(s + i, n - i, out, vl);
	start = i;
	while (i < n && s[i] != ';')
		i++;
	*vl = i - start;
	while (*vl && body_is_lwsp(s[start + *vl - 1]))
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
		return body_oom(err), -1;
	while (i < n && rc > 0) {
		i += param_next(semi + i, n - i, &pn, &pnl, val, &vl);
		if (body_ieq(pn, pnl, "boundary"))
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
	while (pos < m->len && body_is_lwsp(d[pos]))
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
		if (body_ieq(pn, pnl, "name")) {
			pt->name = out;
			pt->name_len = vl;
			pt->has_name = true;
		} else if (body_ieq(pn, pnl, "filename")) {
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
	for (vs = nl + 1; vs < n && body_is_lwsp(l[vs]); vs++)
		;
	while (n > vs && body_is_lwsp(l[n - 1]))
		n--;
	if (body_ieq(l, nl, "content-disposition")) {
		disposition(m, pt, l + vs, n - vs);
	} else if (body_ieq(l, nl, "content-type")) {
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
	int nl = body_clip(pt->name, pt->name_len);

	if (!pt->has_name)
		return api_fail(err, ERR_INVALID,
				"Multipart part %zu has no name: "
				"send Content-Disposition: form-data; name=\"...\"",
				m->nparts);
	if (!body_text_ok(pt->name, pt->name_len))
		return api_fail(err, ERR_INVALID,
				"Multipart part %zu: "
				"the name is not valid UTF-8 or contains a NUL byte",
				m->nparts);
	if (pt->has_fname) {
		if (!body_text_ok(pt->fname, pt->fname_len) || !body_text_ok(pt->ctype, pt->ctype_len))
			return api_fail(err, ERR_INVALID,
					"File %.*s: filename and Content-Type must be valid UTF-8",
					nl, pt->name);
		return body_tree_add(&m->t, pt->name, pt->name_len, file_object(pt, v, vlen));
	}
	if (!body_text_ok(v, vlen))
		return api_fail(err, ERR_INVALID,
				"Parameter %.*s is not valid UTF-8 or contains a NUL byte "
				"(send files with a filename)",
				nl, pt->name);
	return body_tree_add(&m->t, pt->name, pt->name_len, json_stringn_nocheck(v, vlen));
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
		body_oom(err);
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

