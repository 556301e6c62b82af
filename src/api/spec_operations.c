// SPDX-License-Identifier: AGPL-3.0-or-later
/* Lob's spec operations against Frank's route table (see spec_operations.h). */
#include "api/spec_operations.h"
#include "http/req.h"
#include <string.h>

/* the next segment of *p (after its '/'): its start and length; false at the end */
static bool segment(const char **p, const char **start, size_t *len)
{
	if (**p != '/')
		return false;
	*start = ++*p;
	while (**p && **p != '/')
		++*p;
	*len = (size_t)(*p - *start);
	return true;
}

static bool param(const char *s, size_t n)
{
	return n >= 2 && s[0] == '{' && s[n - 1] == '}';
}

bool spec_path_same(const char *pattern, const char *spec_path)
{
	const char *a = pattern, *b = spec_path, *sa = NULL, *sb = NULL;
	size_t na = 0, nb = 0;
	for (;;) {
		bool more_a = segment(&a, &sa, &na), more_b = segment(&b, &sb, &nb);
		if (!more_a || !more_b)
			return !more_a && !more_b && !*a && !*b;
		if (param(sa, na) != param(sb, nb))
			return false;
		if (!param(sa, na) && (na != nb || memcmp(sa, sb, na) != 0))
			return false;
	}
}

static bool serves(const struct route *r, const struct spec_operation *op)
{
	return strcmp(http_method_name(r->method), op->method) == 0 &&
	       spec_path_same(r->pattern, op->path);
}

const struct route *spec_operation_route(const struct route_registry *reg,
					 const struct spec_operation *op,
					 const struct route_profile **profile)
{
	for (const struct route_family *f = reg->families; f->rows; f++)
		for (const struct route *r = f->rows; r->pattern; r++)
			if (serves(r, op)) {
				if (profile)
					*profile = f->profile;
				return r;
			}
	return NULL;
}

const struct spec_operation *spec_operation_of(const struct route *r)
{
	for (size_t i = 0; i < spec_operations_count; i++)
		if (serves(r, &spec_operations[i]))
			return &spec_operations[i];
	return NULL;
}

bool spec_frank_extension(const char *pattern)
{
	static const char *const prefixes[] = { "/v1/_frank/", "/v1/events", "/v1/webhooks" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(pattern, prefixes[i], n) == 0 &&
		    (prefixes[i][n - 1] == '/' || pattern[n] == '\0' || pattern[n] == '/'))
			return true;
	}
	return false;
}
