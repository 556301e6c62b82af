// SPDX-License-Identifier: AGPL-3.0-or-later
/* pdf_merge, pdf_split_pages, pdf_split_runs on PDFs generated with MuPDF. */
#include "test.h"
#include "pdf/pdf_fixtures.h"
#include "pdf/pdf_inspect.h"
#include "pdf/pdf_util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* n pages whose widths are 600, 601, 602 … points: each page says where it came from */
static unsigned char *numbered(int n, size_t *len)
{
	struct fixture_page *p = calloc((size_t)n, sizeof *p);
	for (int i = 0; i < n; i++)
		p[i] = (struct fixture_page){ 600 + i, 792, fz_empty_rect, 0 };
	struct fixture_opts helv = { .font = "Helvetica" };
	unsigned char *pdf = fixture_pdf(p, n, &helv, len);
	free(p);
	return pdf;
}

/* the widths of a PDF's pages match first, first+1, … */
static int widths_from(const unsigned char *pdf, size_t len, int first, int count)
{
	if (fixture_count_pages(pdf, len) != count)
		return 0;
	for (int i = 0; i < count; i++)
		if (fabs(fixture_page_width(pdf, len, i) - (600 + first + i)) > 0.01)
			return 0;
	return 1;
}

static void merging(void)
{
	size_t a_len, b_len, len;
	unsigned char *a = fixture_pages(8.5, 11, 1, &a_len);
	unsigned char *b = numbered(3, &b_len);
	struct pdf_part parts[2] = { { a, a_len }, { b, b_len } };
	unsigned char *out;
	struct api_error err = { 0 };
	CHECK_RUN(pdf_merge(parts, 2, &out, &len, &err) == 0, "a cover page + 3 pages: %s",
		  err.message);
	CHECK_INT(fixture_count_pages(out, len), 4, "4 pages");
	CHECK(fabs(fixture_page_width(out, len, 0) - 612) < 0.01, "the cover first");
	CHECK(fabs(fixture_page_width(out, len, 3) - 602) < 0.01, "the customer's last page last");
	struct pdf_info info;
	CHECK_RUN(pdf_inspect(out, len, &info, &err) == 0 && info.n_standard_unembedded == 1,
		  "the pages keep their fonts");
	free(out);

	struct fixture_page p = { 612, 792, fz_empty_rect, 0 };
	struct fixture_opts aes = { .encrypt = PDF_ENCRYPT_AES_256, .user_password = "pw" };
	size_t e_len;
	unsigned char *enc = fixture_pdf(&p, 1, &aes, &e_len);
	struct pdf_part with_enc[2] = { { a, a_len }, { enc, e_len } };
	CHECK_RUN(pdf_merge(with_enc, 2, &out, &len, &err) < 0 && err.kind == ERR_INVALID_FILE,
		  "an encrypted part is refused");
	CHECK(strstr(err.message, "part 2") != NULL, "the message names it: %s", err.message);
	CHECK(out == NULL, "no output");
	unsigned char junk[] = "not a pdf at all";
	struct pdf_part with_junk[2] = { { a, a_len }, { junk, sizeof junk - 1 } };
	CHECK_RUN(pdf_merge(with_junk, 2, &out, &len, &err) < 0 && err.kind == ERR_INVALID_FILE,
		  "a damaged part is refused");
	CHECK_RUN(pdf_merge(parts, 0, &out, &len, &err) < 0, "nothing to merge");
	free(enc);
	free(a);
	free(b);
}

static void splitting(void)
{
	size_t len, out_len;
	unsigned char *pdf = numbered(5, &len), *out;
	struct api_error err = { 0 };
	CHECK_RUN(pdf_split_pages(pdf, len, 1, 2, &out, &out_len, &err) == 0, "pages 2-3: %s",
		  err.message);
	CHECK(widths_from(out, out_len, 1, 2), "are pages 2 and 3");
	free(out);
	CHECK_RUN(pdf_split_pages(pdf, len, 4, 1, &out, &out_len, &err) == 0 &&
		  widths_from(out, out_len, 4, 1), "the last page alone");
	free(out);
	CHECK_RUN(pdf_split_pages(pdf, len, 4, 2, &out, &out_len, &err) < 0 &&
		  err.kind == ERR_FILE_PAGES_BELOW_MIN, "past the end: %s", err.message);
	CHECK(out == NULL, "no output");
	CHECK_RUN(pdf_split_pages(pdf, len, 0, 0, &out, &out_len, &err) < 0 &&
		  err.kind == ERR_INVALID, "an empty range");
	CHECK_RUN(pdf_split_pages(pdf, len, 4000000000u, 1, &out, &out_len, &err) < 0,
		  "a huge first page");

	const unsigned counts[3] = { 2, 1, 2 };
	struct pdf_part runs[3];
	CHECK_RUN(pdf_split_runs(pdf, len, counts, 3, runs, &err) == 0, "runs of 2, 1, 2: %s",
		  err.message);
	CHECK(widths_from(runs[0].data, runs[0].len, 0, 2) &&
	      widths_from(runs[1].data, runs[1].len, 2, 1) &&
	      widths_from(runs[2].data, runs[2].len, 3, 2), "each run has its own pages");
	/* and back together */
	CHECK_RUN(pdf_merge(runs, 3, &out, &out_len, &err) == 0 && widths_from(out, out_len, 0, 5),
		  "merging the runs gives the original pages");
	free(out);
	pdf_parts_free(runs, 3);
	CHECK(runs[0].data == NULL, "runs freed");
	const unsigned too_many[2] = { 3, 3 };
	CHECK_RUN(pdf_split_runs(pdf, len, too_many, 2, runs, &err) < 0, "runs past the end");
	CHECK(runs[0].data == NULL && runs[1].data == NULL, "leave nothing allocated");
	free(pdf);
}

int main(void)
{
	fixture_quiet();
	merging();
	splitting();
	return test_done();
}
