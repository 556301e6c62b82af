// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * CSV reader (see csv.h). A scan finds where the next row ends, following quotes and
 * reading more of the file when it runs out; then the row is unquoted and cut into fields
 * in place. No column meanings, no type conversions.
 */
#include "core/csv.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CHUNK	4096	/* bytes read from the file at a time */

/* where the row at c->pos ends, found by scan_row */
struct row_span {
	size_t end;		/* index just past the row's text */
	size_t term;		/* length of its line ending: 0 (end of input), 1 or 2 */
	size_t breaks;		/* line breaks inside quoted fields */
	enum csv_error error;	/* CSV_ERR_QUOTE or CSV_ERR_TOO_LONG: the row is bad */
};

static int reader_init(struct csv *c, size_t max_fields, size_t max_row)
{
	c->max_fields = max_fields ? max_fields : 1;
	c->max_row = max_row;
	c->next_line = 1;
	c->fields = malloc(c->max_fields * sizeof(*c->fields));
	return c->fields ? 0 : -1;
}

int csv_init_file(struct csv *c, FILE *f, size_t max_fields, size_t max_row)
{
	*c = (struct csv){ .f = f, .cap = CHUNK + 1 };
	c->buf = malloc(c->cap);
	if (!c->buf || reader_init(c, max_fields, max_row) < 0) {
		csv_release(c);
		return -1;
	}
	c->buf[0] = '\0';
	return 0;
}

int csv_init_string(struct csv *c, char *text, size_t max_fields, size_t max_row)
{
	*c = (struct csv){ .buf = text, .len = strlen(text), .eof = true };
	if (reader_init(c, max_fields, max_row) < 0) {
		csv_release(c);
		return -1;
	}
	return 0;
}

void csv_release(struct csv *c)
{
	free(c->fields);
	if (c->f)
		free(c->buf);
	*c = (struct csv){ .error = CSV_OK };
}

/* ------------------------------------------------------------------------------------- */
/* Input */

/* whether more input may follow buf[0, len) */
static bool more_input(const struct csv *c)
{
	return c->f && !c->eof;
}

/* appends up to CHUNK bytes of the file to buf, keeping it NUL-terminated; -1 on failure */
static int fill(struct csv *c)
{
	size_t n;

	if (c->cap - c->len < CHUNK + 1) {
		size_t cap = (c->len + CHUNK + 1) * 2;
		char *buf = realloc(c->buf, cap);
		if (!buf) {
			c->error = CSV_ERR_NOMEM;
			return -1;
		}
		c->buf = buf;
		c->cap = cap;
	}
	n = fread(c->buf + c->len, 1, CHUNK, c->f);
	c->len += n;
	c->buf[c->len] = '\0';
	if (n < CHUNK) {
		if (ferror(c->f)) {
			c->error = CSV_ERR_IO;
			return -1;
		}
		c->eof = true;
	}
	return 0;
}

/* file only: drops the rows already returned, whose fields are no longer valid */
static void compact(struct csv *c)
{
	if (!c->f || c->pos == 0)
		return;
	memmove(c->buf, c->buf + c->pos, c->len - c->pos + 1);
	c->len -= c->pos;
	c->pos = 0;
}

/* skips a UTF-8 byte order mark at the very start */
static int start(struct csv *c)
{
	c->started = true;
	while (more_input(c) && c->len < 3)
		if (fill(c) < 0)
			return -1;
	if (c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0)
		c->pos = 3;
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Rows and fields */

/*
 * Finds the end of the row at c->pos, reading more of the file as needed. A quote opens
 * only at the start of a field. A row over max_row bytes is still scanned to its end (in a
 * file, its bytes are dropped as they go) and marked bad. 1: span filled; 0: no input
 * left; -1: read error or out of memory.
 */
static int scan_row(struct csv *c, struct row_span *sp)
{
	size_t i = c->pos;
	bool quoted = false, field_start = true;

	*sp = (struct row_span){ .error = CSV_OK };
	for (;;) {
		char ch;
		if (i - c->pos > c->max_row) {
			sp->error = CSV_ERR_TOO_LONG;
			if (c->f) {
				memmove(c->buf + c->pos, c->buf + i, c->len - i + 1);
				c->len -= i - c->pos;
				i = c->pos;
			}
		}
		if (i == c->len) {
			if (!more_input(c))
				break;
			if (fill(c) < 0)
				return -1;
			continue;
		}
		ch = c->buf[i];
		/* '"' in quotes and '\r' outside need the next byte: "" and CRLF */
		if (((ch == '"' && quoted) || (ch == '\r' && !quoted)) && i + 1 == c->len &&
		    more_input(c)) {
			if (fill(c) < 0)
				return -1;
			continue;
		}
		if (quoted) {
			if (ch == '"' && c->buf[i + 1] == '"')
				i++;
			else if (ch == '"')
				quoted = false;
			else if (ch == '\n')
				sp->breaks++;
			i++;
			continue;
		}
		if (ch == '\n' || ch == '\r') {
			sp->end = i;
			sp->term = ch == '\r' && c->buf[i + 1] == '\n' ? 2 : 1;
			return 1;
		}
		if (ch == '"' && field_start)
			quoted = true;
		field_start = ch == ',';
		i++;
	}
	if (quoted)
		sp->error = CSV_ERR_QUOTE;
	if (i == c->pos && sp->error == CSV_OK)
		return 0;
	sp->end = i;
	return 1;
}

/* unquotes the field at *p in place and moves *p past its comma; -1 if quotes are broken */
static int cut_field(char **p, char **field, bool *last)
{
	char *r = *p, *w = r;

	*field = w;
	if (*r == '"') {
		for (r++; *r && !(*r == '"' && r[1] != '"'); r++) {
			if (*r == '"')
				r++;
			*w++ = *r;
		}
		if (*r != '"' || (r[1] != ',' && r[1] != '\0'))
			return -1;
		r++;
	} else {
		for (; *r && *r != ','; r++) {
			if (*r == '"')
				return -1;
			*w++ = *r;
		}
	}
	*last = *r == '\0';
	*w = '\0';
	*p = *last ? r : r + 1;
	return 0;
}

/* cuts the NUL-terminated row text into c->fields */
static int cut_row(struct csv *c, char *p)
{
	bool last = false;

	while (!last) {
		if (c->n_fields == c->max_fields) {
			c->error = CSV_ERR_FIELDS;
			return -1;
		}
		if (cut_field(&p, &c->fields[c->n_fields], &last) < 0) {
			c->error = CSV_ERR_QUOTE;
			return -1;
		}
		c->n_fields++;
	}
	return 0;
}

enum csv_result csv_next(struct csv *c)
{
	struct row_span sp;

	c->n_fields = 0;
	c->error = CSV_OK;
	if (!c->started && start(c) < 0)
		return CSV_FAIL;
	for (;;) {
		size_t begin;
		int rc;
		compact(c);
		begin = c->pos;
		rc = scan_row(c, &sp);
		if (rc <= 0)
			return rc < 0 ? CSV_FAIL : CSV_END;
		c->line = c->next_line;
		c->next_line += sp.breaks + (sp.term ? 1 : 0);
		c->pos = sp.end + sp.term;
		if (sp.error != CSV_OK) {
			c->error = sp.error;
			return CSV_BAD;
		}
		if (sp.end == begin)	/* a blank line */
			continue;
		c->buf[sp.end] = '\0';
		if (cut_row(c, c->buf + begin) < 0) {
			c->n_fields = 0;
			return CSV_BAD;
		}
		return CSV_ROW;
	}
}

int csv_find(const struct csv *c, const char *name)
{
	for (size_t i = 0; name && i < c->n_fields; i++)
		if (strcasecmp(c->fields[i], name) == 0)
			return (int)i;
	return -1;
}

const char *csv_error_text(enum csv_error err)
{
	switch (err) {
	case CSV_OK:
		return "no error";
	case CSV_ERR_QUOTE:
		return "unterminated or stray quote";
	case CSV_ERR_FIELDS:
		return "too many fields";
	case CSV_ERR_TOO_LONG:
		return "row too long";
	case CSV_ERR_NOMEM:
		return "out of memory";
	case CSV_ERR_IO:
		return "read error";
	}
	return "unknown error";
}
