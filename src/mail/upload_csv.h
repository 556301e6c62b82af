// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Reading an audience CSV (uploads, docs/internals/uploads.md), streamed from a file
 * descriptor over Debian's libcsv: memory stays bounded by the longest row, whatever the
 * file's size. What real spreadsheets write is read as they mean it: UTF-8 with or without
 * a BOM, LF or CRLF, quoted fields holding commas, quotes and line breaks, blank lines.
 * What would need a guess is reported instead, with its row number: a field that is not
 * UTF-8 (a Latin-1 export) marks its row, and a quote out of place stops the file.
 *
 * Rows are numbered as records (the header is row 1, the first audience row row 2), which
 * is the row a spreadsheet shows when no field holds a line break.
 */
#ifndef FRANK_MAIL_UPLOAD_CSV_H
#define FRANK_MAIL_UPLOAD_CSV_H
#include <stdbool.h>
#include <stddef.h>

#define UCSV_MAX_FIELDS 1024		/* columns a row may have */
#define UCSV_MAX_FIELD (256 * 1024)	/* bytes of one field (an unclosed quote stops here) */

struct ucsv_row {
	long long row_no;
	const char *const *fields;	/* NUL-terminated, valid during the callback */
	const size_t *lens;
	size_t n;
	long long bad_utf8;		/* index of the first field that is not UTF-8 text (or
					 * holds a NUL byte), or -1 */
	unsigned long long offset;	/* bytes of the file read up to this row's end */
};

/* called per row, the header first; returns 0 to go on, non-zero to stop (returned) */
typedef int (*ucsv_row_fn)(void *ctx, const struct ucsv_row *row);

/*
 * Reads every row of fd (from its current offset) through fn. 0 at the end of the file, fn's
 * non-zero value when it stopped, or -1 with a message naming the row in msg (a stray or
 * unclosed quote, a field over UCSV_MAX_FIELD, more than UCSV_MAX_FIELDS fields, a read
 * error); *bad_row gets that row (0 for a read error).
 */
int ucsv_read(int fd, ucsv_row_fn fn, void *ctx, char *msg, size_t msglen, long long *bad_row);

/* as ucsv_read, from memory (tests) */
int ucsv_read_mem(const char *data, size_t len, ucsv_row_fn fn, void *ctx, char *msg,
		  size_t msglen, long long *bad_row);
#endif
