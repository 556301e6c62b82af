// SPDX-License-Identifier: AGPL-3.0-or-later
/* CSV reader: quoting, line endings, blank lines, caps, header lookup, malformed input. */
#include "core/csv.h"
#include "core/fold.h"
#include "test.h"

/* a temporary FILE holding text, read from its start */
static FILE *open_text(const char *text)
{
	FILE *f = tmpfile();

	if (f) {
		fputs(text, f);
		rewind(f);
	}
	return f;
}

static void test_quoting(void)
{
	char text[] = "\xEF\xBB\xBFname,note\r\n"
		      "\"Smith, Jr.\",\"said \"\"hi\"\"\"\r\n"
		      "\r\n"
		      "\"two\nlines\",plain\n"
		      ",\"\"\n"
		      "last,row";
	struct csv c;

	CHECK_INT(csv_init_string(&c, text, 8, 1024), 0, "init on a string");
	CHECK_INT(csv_next(&c), CSV_ROW, "header");
	CHECK_STR(c.fields[0], "name", "BOM dropped");
	CHECK_INT(csv_find(&c, "NOTE"), 1, "header lookup ignores case");
	CHECK_INT(csv_find(&c, "missing"), -1, "unknown header name");
	CHECK_INT(csv_find(&c, NULL), -1, "NULL header name");
	CHECK_INT(csv_next(&c), CSV_ROW, "quoted row");
	CHECK_STR(c.fields[0], "Smith, Jr.", "embedded comma");
	CHECK_STR(c.fields[1], "said \"hi\"", "doubled quotes unescaped");
	CHECK_INT(c.line, 2, "CRLF counted as one line");
	CHECK_INT(csv_next(&c), CSV_ROW, "blank line skipped");
	CHECK_STR(c.fields[0], "two\nlines", "embedded newline");
	CHECK_INT(c.line, 4, "line of a row after a blank line");
	CHECK_INT(csv_next(&c), CSV_ROW, "empty fields");
	CHECK(c.n_fields == 2 && !c.fields[0][0] && !c.fields[1][0], "both fields empty");
	CHECK_INT(c.line, 6, "lines inside quotes are counted");
	CHECK_INT(csv_next(&c), CSV_ROW, "last row without a line ending");
	CHECK_STR(c.fields[1], "row", "last field");
	CHECK_INT(csv_next(&c), CSV_END, "end");
	CHECK_INT(csv_next(&c), CSV_END, "end stays end");
	csv_release(&c);
}

static void test_malformed(void)
{
	char text[] = "a,\"b\"x\n"
		      "a,b\"c\n"
		      "1,2,3,4\n"
		      "ok,\"fine\"\n"
		      "\"never closed,\n";
	struct csv c;

	csv_init_string(&c, text, 3, 1024);
	CHECK_INT(csv_next(&c), CSV_BAD, "text after a closing quote");
	CHECK_INT(c.error, CSV_ERR_QUOTE, "... is a quote error");
	CHECK_INT(csv_next(&c), CSV_BAD, "quote inside an unquoted field");
	CHECK_INT(csv_next(&c), CSV_BAD, "more fields than the cap");
	CHECK_INT(c.error, CSV_ERR_FIELDS, "... is a field-cap error");
	CHECK_INT(csv_next(&c), CSV_ROW, "reading goes on after bad rows");
	CHECK_STR(c.fields[1], "fine", "the good row");
	CHECK_INT(csv_next(&c), CSV_BAD, "unterminated quote");
	CHECK_INT(c.line, 5, "... on line 5");
	CHECK_STR(csv_error_text(c.error), "unterminated or stray quote", "error text");
	CHECK_INT(csv_next(&c), CSV_END, "then the end");
	csv_release(&c);
}

static void test_file(void)
{
	static char big[20000], text[40000];
	size_t n = 0;
	struct csv c;
	FILE *f;

	/* rows that straddle the read chunks, a CRLF and a "" split across them */
	memset(big, 'x', 9000);
	big[9000] = '\0';
	n += (size_t)snprintf(text + n, 40000 - n, "h1,H2\r\n%s,\"q\"\"q\"\r\n", big);
	memset(big, 'y', 4090);
	big[4090] = '\0';
	n += (size_t)snprintf(text + n, 40000 - n, "\"%s\"\"\",2\r\n", big);
	memset(big, 'z', 12000);
	big[12000] = '\0';
	n += (size_t)snprintf(text + n, 40000 - n, "\"%s\n%s\",long\nend,\"multi\r\nline\"\n",
			      big, big);
	f = open_text(text);
	CHECK(f != NULL, "fmemopen");
	CHECK_INT(csv_init_file(&c, f, 4, 16000), 0, "init on a file");
	CHECK_INT(csv_next(&c), CSV_ROW, "file header");
	CHECK_INT(csv_find(&c, "h2"), 1, "file header lookup");
	CHECK_INT(csv_next(&c), CSV_ROW, "9000-byte row");
	CHECK_INT(strlen(c.fields[0]), 9000, "long field whole");
	CHECK_STR(c.fields[1], "q\"q", "quotes after a chunk boundary");
	CHECK_INT(csv_next(&c), CSV_ROW, "row with \"\" near a chunk edge");
	CHECK(strlen(c.fields[0]) == 4091 && c.fields[0][4090] == '"', "escaped quote kept");
	CHECK_INT(csv_next(&c), CSV_BAD, "24001-byte row over a 16000 cap");
	CHECK_INT(c.error, CSV_ERR_TOO_LONG, "... is a too-long error, not truncation");
	CHECK_INT(csv_next(&c), CSV_ROW, "the row after it");
	CHECK_STR(c.fields[0], "end", "reading resumed at the next row");
	CHECK_STR(c.fields[1], "multi\r\nline", "CRLF inside quotes kept");
	CHECK_INT(c.line, 6, "line numbers count the skipped row's two lines");
	CHECK_INT(csv_next(&c), CSV_END, "file end");
	csv_release(&c);
	fclose(f);

	f = open_text("");
	csv_init_file(&c, f, 4, 100);
	CHECK_INT(csv_next(&c), CSV_END, "empty file");
	csv_release(&c);
	fclose(f);
}

static void test_fold(void)
{
	char s[] = "S\xC3\xA3o Jos\xC3\xA9 \xC3\x91o\xC3\xB1o \xC3\x97 \xC3\x9F";
	char c;

	fold_upper(s);
	CHECK_STR(s, "SAO JOSE NONO \xC3\x97 \xC3\x9F", "Latin-1 letters folded, others kept");
	CHECK_INT(fold_char("\xC3\xBF", &c), 2, "two bytes for y-diaeresis");
	CHECK_INT(c, 'Y', "... folded to Y");
	CHECK_INT(fold_ascii('q'), 'Q', "ASCII upper");
}

int main(void)
{
	test_quoting();
	test_malformed();
	test_file();
	test_fold();
	return test_done();
}
