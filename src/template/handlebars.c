// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Handlebars engine API: compile and free templates, and Lob's rules for merge_variables.
 * Parsing is in hbs_parse.c, evaluation in hbs_eval.c.
 */
#include "template/hbs_internal.h"
#include <stdlib.h>
#include <string.h>

struct hbs_template *hbs_compile(const char *src, size_t len, enum hbs_engine engine,
				 const struct hbs_limits *lim, struct api_error *err)
{
	struct hbs_template *t = calloc(1, sizeof(*t));
	size_t max_depth = lim && lim->max_depth ? lim->max_depth : HBS_DEFAULT_MAX_DEPTH;
	int rc;
	if (!t) {
		api_fail(err, ERR_INTERNAL, "out of memory compiling a template");
		return NULL;
	}
	t->arena = arena_new();
	t->engine = engine;
	if (!t->arena) {
		free(t);
		api_fail(err, ERR_INTERNAL, "out of memory compiling a template");
		return NULL;
	}
	if (engine == HBS_LEGACY)
		rc = hbs_parse_legacy(t, src, len, err);
	else
		rc = hbs_parse(t, src, len, max_depth, err);
	if (rc < 0) {
		hbs_free(t);
		return NULL;
	}
	return t;
}

void hbs_free(struct hbs_template *t)
{
	if (!t)
		return;
	json_decref(t->required);
	arena_free(t->arena);
	free(t);
}

const json_t *hbs_required_vars(const struct hbs_template *t)
{
	return t->required;
}

/* ---------------------------------------------------------------- merge_variables */

/* JavaScript's \s outside ASCII: the UTF-8 length of a Unicode space at s, or 0 */
static size_t unicode_space(const unsigned char *s, size_t n)
{
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;	/* U+00A0 */
	if (n < 3)
		return 0;
	unsigned cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) |
		      (s[2] & 0x3F);
	if ((s[0] & 0xF0) != 0xE0)
		return 0;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF)
		return 3;
	return 0;
}

static int check_name(const char *k, struct api_error *err)
{
	size_t n = strlen(k);
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
		    unicode_space((const unsigned char *)k + i, n - i))
			return api_fail(err, ERR_MERGE_VARIABLE_WHITESPACE,
					"merge variable names cannot contain whitespace: \"%.80s\"", k);
	}
	for (size_t i = 0; i < n; i++)
		if (strchr("!\"#%&'()*+,/;<=>@[\\]^`{|}~", k[i]))
			return api_fail(err, ERR_SPECIAL_CHARACTERS_RESTRICTED,
					"merge variable names cannot contain the character '%c': \"%.80s\"",
					k[i], k);
	return 0;
}

static int check_names(const json_t *v, struct api_error *err)
{
	const char *k;
	json_t *m;
	size_t i;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, k, m)
			if (check_name(k, err) < 0 || check_names(m, err) < 0)
				return -1;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, m)
			if (check_names(m, err) < 0)
				return -1;
	}
	return 0;
}

int hbs_check_merge_variables(const json_t *vars, struct api_error *err)
{
	if (!vars || json_is_null(vars))
		return 0;
	if (!json_is_object(vars))
		return api_fail(err, ERR_INVALID, "merge_variables must be an object");
	char *s = json_dumps(vars, JSON_COMPACT);
	if (!s)
		return api_fail(err, ERR_INTERNAL, "out of memory checking merge_variables");
	size_t units = 0;	/* JavaScript counts UTF-16 code units */
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			units += *p >= 0xF0 ? 2 : 1;
	free(s);
	if (units > HBS_MERGE_VARS_MAX_CHARS)
		return api_fail(err, ERR_INVALID,
				"merge_variables length must be less than or equal to %d characters long",
				HBS_MERGE_VARS_MAX_CHARS);
	return check_names(vars, err);
}
