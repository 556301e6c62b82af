// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The CSV reader (core/csv.c) both ways it reads: from a string cut in place and streamed
 * from a FILE (here fmemopen over the same bytes, which crosses its 4 KiB read chunks when
 * the input is longer). Both must return the same rows, fields, line numbers and errors. The
 * first byte picks the caps (max_fields 1..16, max_row 8 bytes to 1 MiB); the rest is the
 * text. Inputs with a NUL byte are read from the string only (a C string ends there).
 */
#include "fuzz.h"
#include "core/csv.h"

/* every row csv_next gives, as text: the transcript both readers must agree on */
static char *transcript(struct csv *c, size_t *len)
{
	char *out = NULL;
	FILE *t = open_memstream(&out, len);
	FUZZ_ASSERT(t != NULL, "out of memory");
	enum csv_result r;
	do {
		r = csv_next(c);
		fprintf(t, "%d line %zu error %d fields %zu:", (int)r, c->line, (int)c->error,
			c->n_fields);
		FUZZ_ASSERT(r == CSV_ROW || c->n_fields == 0, "fields given with a row that is not one");
		FUZZ_ASSERT(r != CSV_ROW || c->n_fields >= 1, "a row with no fields");
		FUZZ_ASSERT(c->n_fields <= c->max_fields, "more fields than the cap");
		for (size_t i = 0; i < c->n_fields; i++)
			fprintf(t, "[%s]", c->fields[i]);
		fputc('\n', t);
		if (r == CSV_ROW)
			(void)csv_find(c, "name");
	} while (r == CSV_ROW || r == CSV_BAD);
	FUZZ_ASSERT(r == CSV_END, "reading from memory failed");
	fclose(t);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t max_rows[] = { 8, 64, 4096, 1 << 20 };
	if (size == 0)
		return 0;
	size_t max_fields = 1 + (data[0] & 15), max_row = max_rows[(data[0] >> 4) & 3];
	const uint8_t *text = data + 1;
	size_t n = size - 1;

	struct csv c;
	char *s = fuzz_cstr(text, n);
	FUZZ_ASSERT(csv_init_string(&c, s, max_fields, max_row) == 0, "csv_init_string failed");
	size_t slen;
	char *from_string = transcript(&c, &slen);
	csv_release(&c);

	if (!memchr(text, '\0', n) && n > 0) {
		FILE *f = fmemopen((void *)text, n, "r");
		FUZZ_ASSERT(f != NULL, "fmemopen failed");
		FUZZ_ASSERT(csv_init_file(&c, f, max_fields, max_row) == 0, "csv_init_file failed");
		size_t flen;
		char *from_file = transcript(&c, &flen);
		csv_release(&c);
		fclose(f);
		FUZZ_ASSERT(flen == slen && memcmp(from_file, from_string, slen) == 0,
			    "the file reader and the string reader disagree");
		free(from_file);
	}
	free(from_string);
	free(s);
	return 0;
}
