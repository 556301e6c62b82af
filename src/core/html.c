// SPDX-License-Identifier: AGPL-3.0-or-later
#include "core/html.h"
#include <string.h>

const char *html_escape(struct arena *a, const char *s)
{
	if (!s)
		return "";
	size_t n = 0;
	for (const char *p = s; *p; p++)
		n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' || *p == '\'' ? 6 : 1;
	char *out = arena_alloc(a, n + 1), *o = out;
	for (const char *p = s; *p; p++) {
		const char *rep = *p == '&'	? "&amp;"
				  : *p == '<'	? "&lt;"
				  : *p == '>'	? "&gt;"
				  : *p == '"'	? "&quot;"
				  : *p == '\'' ? "&#39;"
					       : NULL;
		if (rep) {
			size_t k = strlen(rep);
			memcpy(o, rep, k);
			o += k;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

const char *url_encode(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return "";
	char *out = arena_alloc(a, strlen(s) * 3 + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.' || *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return out;
}
