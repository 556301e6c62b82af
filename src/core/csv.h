// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * CSV reading (RFC 4180): fields separated by ',', quoted with '"' (a '"' inside doubled),
 * quoted fields may hold ',', line breaks and quotes. Rows end with LF, CRLF or CR; blank
 * lines are skipped and a leading UTF-8 BOM is dropped. Reads from a FILE, streamed, or
 * from a string the caller owns, cut in place. Nothing here knows a column's meaning.
 *
 * Ownership: a struct csv belongs to its caller; csv_release() frees what it allocated
 * (never the FILE nor the string). Field strings are borrowed: from a FILE they stay valid
 * until the next csv_next() or csv_release(); from a string they point into it and live
 * as long as it does.
 * Threads: no global state; one struct csv must be used by one thread at a time.
 */
#ifndef FRANK_CSV_H
#define FRANK_CSV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum csv_error {
	CSV_OK,
	CSV_ERR_QUOTE,		/* unterminated quote, '"' in an unquoted field, text after one */
	CSV_ERR_FIELDS,		/* more fields than max_fields */
	CSV_ERR_TOO_LONG,	/* a row longer than max_row bytes */
	CSV_ERR_NOMEM,
	CSV_ERR_IO,
};

/* what csv_next() found */
enum csv_result {
	CSV_FAIL = -2,		/* out of memory or a read error: stop */
	CSV_BAD = -1,		/* a malformed row, consumed: .error says why; reading may go on */
	CSV_END = 0,		/* no more rows */
	CSV_ROW = 1,		/* .fields[0 .. n_fields) hold the row */
};

struct csv {
	/* read by callers */
	char **fields;		/* borrowed, see above; NUL-terminated, unquoted */
	size_t n_fields;
	size_t line;		/* the line (from 1) on which the last row read starts */
	enum csv_error error;	/* why the last csv_next() gave CSV_BAD or CSV_FAIL */

	/* private */
	FILE *f;		/* NULL: reading a string */
	char *buf;		/* the string, or our window on the file */
	size_t len, pos, cap;	/* bytes in buf, the first unread one, buf's size (file) */
	size_t max_fields, max_row;
	size_t next_line;
	bool eof, started;
};

/*
 * Reads rows from f, which the caller opened and closes. A row holds at most max_fields
 * fields (>= 1) and max_row bytes as written in the file; longer rows are CSV_BAD and
 * skipped whole, never truncated. 0, or -1 if out of memory (nothing to release).
 */
int csv_init_file(struct csv *c, FILE *f, size_t max_fields, size_t max_row);

/*
 * Reads rows from the NUL-terminated text, which csv_next() unquotes and cuts in place: the
 * caller keeps it alive (and frees it) and may keep the field pointers as long as the text.
 * Caps as for csv_init_file(). 0, or -1 if out of memory.
 */
int csv_init_string(struct csv *c, char *text, size_t max_fields, size_t max_row);

/* Reads the next non-blank row; see enum csv_result. After CSV_END or CSV_FAIL, stop. */
enum csv_result csv_next(struct csv *c);

/*
 * The index of the first field of the current row equal to name, ignoring ASCII case (for
 * a header row); -1 if none or name is NULL.
 */
int csv_find(const struct csv *c, const char *name);

/* a fixed English phrase for err ("unterminated or stray quote", ...); not named
 * csv_strerror, which libcsv (linked for uploads) defines */
const char *csv_error_text(enum csv_error err);

/* Frees what the reader allocated; c may then be initialised again. */
void csv_release(struct csv *c);
#endif
