// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * pg_sql.h. A scanner rather than a SQL parser: the store's statements are our own static
 * strings, so the few rewrites only need to know where quoted text starts and ends.
 */
#include "store/pg_sql.h"
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *from, *to;
} renames[] = {
	{ "json_object(", "json_build_object(" },
	{ "json_group_array(", "json_agg(" },
};

struct out {
	char *p;
	size_t n, cap;
	bool failed;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->failed)
		return;
	if (o->n + n + 1 > o->cap) {
		size_t cap = (o->n + n + 1) * 2;
		char *p = realloc(o->p, cap);
		if (!p) {
			o->failed = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

char *pg_sql_translate(const char *sql, int *nparams)
{
	struct out o = { 0 };
	int highest = 0;
	const char *s = sql;
	while (*s == ' ')
		s++;
	/* the writer's transaction: read committed, the write lock serializes it; a plain
	 * BEGIN is a reader's wish for one snapshot across statements */
	if (strcasecmp(s, "BEGIN IMMEDIATE") == 0)
		s = "BEGIN";
	else if (strcasecmp(s, "BEGIN") == 0)
		s = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
	put(&o, "", 0);
	while (*s) {
		if (*s == '\'' || *s == '"') {
			/* a quoted run ends at the same quote not doubled */
			const char *e = s + 1;
			for (; *e; e++) {
				if (*e == *s) {
					if (e[1] == *s)
						e++;
					else
						break;
				}
			}
			if (*e)
				e++;
			put(&o, s, (size_t)(e - s));
			s = e;
			continue;
		}
		if (*s == '?') {
			int n = 0;
			const char *d = s + 1;
			while (isdigit((unsigned char)*d) && n < 100000)
				n = n * 10 + (*d++ - '0');
			if (d == s + 1)
				n = highest + 1;
			if (n > highest)
				highest = n;
			char buf[16];
			size_t len = 0;
			buf[len++] = '$';
			char digits[12];
			size_t k = 0;
			for (int v = n; v > 0 && k < sizeof(digits); v /= 10)
				digits[k++] = (char)('0' + v % 10);
			while (k)
				buf[len++] = digits[--k];
			put(&o, buf, len);
			s = d;
			continue;
		}
		if (word_char(*s) && (s == sql || !word_char(s[-1]))) {
			bool renamed = false;
			for (size_t i = 0; i < sizeof(renames) / sizeof(renames[0]); i++) {
				size_t len = strlen(renames[i].from);
				if (strncasecmp(s, renames[i].from, len) == 0) {
					put(&o, renames[i].to, strlen(renames[i].to));
					s += len;
					renamed = true;
					break;
				}
			}
			if (renamed)
				continue;
			const char *e = s;
			if (strncasecmp(s, "INDEXED BY ", 11) == 0) {
				/* SQLite's planner hint; PostgreSQL's planner picks alone */
				e = s + 11;
				while (*e == ' ')
					e++;
				while (word_char(*e))
					e++;
				while (*e == ' ')
					e++;
				s = e;
				continue;
			}
			while (word_char(*e))
				e++;
			put(&o, s, (size_t)(e - s));
			s = e;
			continue;
		}
		put(&o, s, 1);
		s++;
	}
	if (o.failed) {
		free(o.p);
		return NULL;
	}
	*nparams = highest;
	return o.p;
}
