// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Audience CSVs over libcsv (mail/upload_csv.h). Why libcsv rather than core/csv.c: it is a
 * maintained parser packaged by Debian (libcsv-dev) that takes the input in chunks of any
 * size, so a 1 GB file streams through a fixed buffer, and its strict mode refuses a quote
 * out of place instead of guessing; core/csv.c reads whole rows into a window and was
 * written for Frank's own reference files. The rules on top (BOM, UTF-8, row numbers) are
 * ours.
 */
#include "mail/upload_csv.h"
#include "core/utf8.h"
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (256 * 1024)

struct reader {
	ucsv_row_fn fn;
	void *ctx;
	int stopped;		/* fn's non-zero value */
	bool too_many;		/* a row with more than UCSV_MAX_FIELDS fields */
	/* the row being built: fields copied into buf, end offsets in ends */
	char *buf;
	size_t len, cap;
	size_t ends[UCSV_MAX_FIELDS];
	size_t n;
	long long row_no;
	unsigned long long offset;
	bool bom_checked;
	size_t bom_len;		/* bytes of a BOM seen so far */
};

/*
 * libcsv grows its field buffer without limit (an unclosed quote would take the rest of a
 * 1 GB file into memory): its allocations go through this cap. The realloc hook has no
 * context, so the cap is a constant.
 */
static void *capped_realloc(void *p, size_t n)
{
	if (n > UCSV_MAX_FIELD + 64)
		return NULL;
	return realloc(p, n);
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->stopped)
		return;
	if (r->n >= UCSV_MAX_FIELDS) {
		r->too_many = true;
		return;
	}
	if (r->len + len + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		while (cap < r->len + len + 1)
			cap *= 2;
		char *nb = realloc(r->buf, cap);
		if (!nb) {
			r->stopped = -1;
			return;
		}
		r->buf = nb;
		r->cap = cap;
	}
	if (len)
		memcpy(r->buf + r->len, s, len);
	r->len += len;
	r->buf[r->len++] = '\0';
	r->ends[r->n++] = r->len;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	(void)c;
	if (r->stopped || r->too_many)
		return;
	r->row_no++;
	const char *fields[UCSV_MAX_FIELDS];
	size_t lens[UCSV_MAX_FIELDS];
	struct ucsv_row row = { .row_no = r->row_no, .fields = fields, .lens = lens, .n = r->n,
				.bad_utf8 = -1, .offset = r->offset };
	size_t start = 0;
	for (size_t i = 0; i < r->n; i++) {
		fields[i] = r->buf + start;
		lens[i] = r->ends[i] - start - 1;
		/* a NUL byte is not text either: JSON strings and C strings both stop at it */
		if (row.bad_utf8 < 0 && (!utf8_valid(fields[i], lens[i]) ||
					 memchr(fields[i], '\0', lens[i])))
			row.bad_utf8 = (long long)i;
		start = r->ends[i];
	}
	r->stopped = r->fn(r->ctx, &row);
	r->len = 0;
	r->n = 0;
}

/* the next row's number, for a message about the row being read */
static long long current_row(const struct reader *r)
{
	return r->row_no + 1;
}

static int fail(char *msg, size_t msglen, long long *bad_row, long long row, const char *why)
{
	*bad_row = row;
	if (row)
		snprintf(msg, msglen, "row %lld: %s", row, why);
	else
		snprintf(msg, msglen, "%s", why);
	return -1;
}

static int feed_text(struct csv_parser *p, struct reader *r, const char *data, size_t n,
		     char *msg, size_t msglen, long long *bad_row);

/* feeds one chunk; 0, fn's stop value, or -1 with the message */
static int feed(struct csv_parser *p, struct reader *r, const char *data, size_t n, char *msg,
		size_t msglen, long long *bad_row)
{
	/* a UTF-8 BOM, even when it comes in pieces (a pipe may give one byte at a time) */
	while (!r->bom_checked && n) {
		static const char bom[] = "\xEF\xBB\xBF";
		if (data[0] != bom[r->bom_len]) {
			r->bom_checked = true;	/* not a BOM: the bytes held back are text */
			r->offset -= r->bom_len;	/* feed_text counts them */
			int rc = r->bom_len ? feed_text(p, r, bom, r->bom_len, msg, msglen, bad_row)
					    : 0;
			if (rc)
				return rc;
			break;
		}
		r->bom_len++;
		r->offset++;
		data++;
		n--;
		r->bom_checked = r->bom_len == 3;
	}
	return feed_text(p, r, data, n, msg, msglen, bad_row);
}

/* feeds text (past the BOM) to libcsv; as feed */
static int feed_text(struct csv_parser *p, struct reader *r, const char *data, size_t n,
		     char *msg, size_t msglen, long long *bad_row)
{
	/* libcsv reports rows as it parses: feed in small steps so offsets stay close */
	while (n) {
		size_t step = n < 65536 ? n : 65536;
		r->offset += step;
		size_t used = csv_parse(p, data, step, on_field, on_row, r);
		if (r->stopped)	/* the caller had enough, whatever follows in the chunk */
			return r->stopped;
		if (used != step) {
			int e = csv_error(p);
			return fail(msg, msglen, bad_row, current_row(r),
				    e == CSV_EPARSE
					    ? "a quote out of place (a field with quotes must be "
					      "quoted whole, and its quotes doubled)"
				    : e == CSV_ENOMEM
					    ? "a field longer than 256 KiB (an unclosed quote?)"
					    : "the CSV parser failed");
		}
		if (r->too_many)
			return fail(msg, msglen, bad_row, current_row(r),
				    "more than 1024 columns");
		if (r->stopped)
			return r->stopped;
		data += step;
		n -= step;
	}
	return 0;
}

struct source {
	int fd;
	const char *mem;
	size_t len, pos;
};

static int read_all(struct source *src, ucsv_row_fn fn, void *ctx, char *msg, size_t msglen,
		    long long *bad_row)
{
	struct csv_parser p;
	struct reader r = { .fn = fn, .ctx = ctx };
	*bad_row = 0;
	msg[0] = '\0';
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return fail(msg, msglen, bad_row, 0, "out of memory");
	csv_set_realloc_func(&p, capped_realloc);
	char *chunk = src->mem ? NULL : malloc(READ_CHUNK);
	int rc = 0;
	if (!src->mem && !chunk)
		rc = fail(msg, msglen, bad_row, 0, "out of memory");
	while (rc == 0) {
		const char *data;
		size_t n;
		if (src->mem) {
			data = src->mem + src->pos;
			n = src->len - src->pos;
			src->pos = src->len;
		} else {
			ssize_t got = read(src->fd, chunk, READ_CHUNK);
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				rc = fail(msg, msglen, bad_row, 0, "the file could not be read");
				break;
			}
			data = chunk;
			n = (size_t)got;
		}
		if (n == 0)
			break;
		rc = feed(&p, &r, data, n, msg, msglen, bad_row);
	}
	if (rc == 0 && !r.bom_checked && r.bom_len) {	/* the file is the start of a BOM */
		r.bom_checked = true;
		r.offset -= r.bom_len;
		rc = feed_text(&p, &r, "\xEF\xBB\xBF", r.bom_len, msg, msglen, bad_row);
	}
	if (rc == 0 && csv_fini(&p, on_field, on_row, &r) != 0)
		rc = fail(msg, msglen, bad_row, current_row(&r),
			  "an unclosed quote at the end of the file");
	if (rc == 0 && r.too_many)
		rc = fail(msg, msglen, bad_row, current_row(&r), "more than 1024 columns");
	if (rc == 0 && r.stopped)
		rc = r.stopped;
	csv_free(&p);
	free(chunk);
	free(r.buf);
	return rc;
}

int ucsv_read(int fd, ucsv_row_fn fn, void *ctx, char *msg, size_t msglen, long long *bad_row)
{
	struct source src = { .fd = fd };
	return read_all(&src, fn, ctx, msg, msglen, bad_row);
}

int ucsv_read_mem(const char *data, size_t len, ucsv_row_fn fn, void *ctx, char *msg,
		  size_t msglen, long long *bad_row)
{
	struct source src = { .fd = -1, .mem = data ? data : "", .len = len };
	return read_all(&src, fn, ctx, msg, msglen, bad_row);
}
