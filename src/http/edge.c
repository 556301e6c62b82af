// SPDX-License-Identifier: AGPL-3.0-or-later
/* Request-target and header-section checks at the HTTP edge (see edge.h). */
#include "http/edge.h"
#include "core/parse.h"
#include <limits.h>
#include <string.h>
#include <strings.h>

void edge_measure_target(const char *target, struct edge_target *t)
{
	const char *q = strchr(target, '?');
	t->len = strlen(target);
	t->params = 0;
	if (!q)
		return;
	for (const char *p = q + 1; *p;) {
		size_t n = strcspn(p, "&");
		t->params += n > 0;
		p += n + (p[n] == '&');
	}
}

int edge_check_target(const struct edge_target *t, struct api_error *err)
{
	if (t->len > EDGE_TARGET_MAX)
		return api_fail(err, ERR_URI_TOO_LONG,
				"The request target is %zu bytes; the limit is %d. Send long "
				"inputs in a POST body.", t->len, EDGE_TARGET_MAX);
	if (t->params > EDGE_QUERY_PARAMS_MAX)
		return api_fail(err, ERR_INVALID,
				"The query string has %zu parameters; the limit is %d.", t->params,
				EDGE_QUERY_PARAMS_MAX);
	return 0;
}

/* RFC 9110 §5.6.2 tchar */
static bool is_token(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			     (c >= 'A' && c <= 'Z');
		if (!alnum && !strchr(extra, c))
			return false;
	}
	return true;
}

static int check_sizes(const struct edge_field *f, size_t n, struct api_error *err)
{
	size_t bytes = 0;
	if (n > EDGE_HEADERS_MAX)
		return api_fail(err, ERR_HEADERS_TOO_LARGE,
				"The request has more than %d header fields.", EDGE_HEADERS_MAX);
	for (size_t i = 0; i < n; i++)
		bytes += strlen(f[i].name) + strlen(f[i].value);
	if (bytes > EDGE_HEADER_BYTES_MAX)
		return api_fail(err, ERR_HEADERS_TOO_LARGE,
				"The request's header fields hold %zu bytes; the limit is %d.", bytes,
				EDGE_HEADER_BYTES_MAX);
	return 0;
}

int edge_check_headers(const struct edge_field *f, size_t n, bool http10,
		       struct api_error *err)
{
	size_t n_length = 0, n_coding = 0;
	unsigned long length = 0;
	const char *coding = NULL;
	if (check_sizes(f, n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!is_token(f[i].name))
			return api_fail(err, ERR_MALFORMED_REQUEST,
					"Header field name \"%.40s\" is not a token (no spaces, and "
					"none before the colon).", f[i].name);
		if (strcasecmp(f[i].name, "Content-Length") == 0) {
			unsigned long v;
			if (parse_ulong(f[i].value, ULONG_MAX, &v) < 0)
				return api_fail(err, ERR_MALFORMED_REQUEST,
						"Content-Length \"%.40s\" is not a number of bytes.",
						f[i].value);
			if (n_length++ && v != length)
				return api_fail(err, ERR_MALFORMED_REQUEST,
						"Conflicting Content-Length headers (%lu and %lu): send "
						"one.", length, v);
			length = v;
		} else if (strcasecmp(f[i].name, "Transfer-Encoding") == 0) {
			n_coding++;
			coding = f[i].value;
		}
	}
	if (!n_coding)
		return 0;
	if (n_length)
		return api_fail(err, ERR_MALFORMED_REQUEST,
				"A request may not carry both Content-Length and "
				"Transfer-Encoding.");
	if (http10)
		return api_fail(err, ERR_MALFORMED_REQUEST,
				"Transfer-Encoding is not allowed in an HTTP/1.0 request.");
	if (n_coding > 1 || strcasecmp(coding, "chunked") != 0)
		return api_fail(err, ERR_MALFORMED_REQUEST,
				"Transfer-Encoding \"%.40s\" is not supported: send the body with "
				"Content-Length, or with Transfer-Encoding: chunked alone.",
				n_coding > 1 ? "(repeated)" : coding);
	return 0;
}
