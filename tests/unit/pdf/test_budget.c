// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Render budgets (pdf/budget.h) against the PDF bomb of issue 12: thumbnails of a 40⁶
 * nested-form page stop at the operation, memory or time limit — whichever comes first —
 * with Lob's invalid_file naming it, memory never past the cap and all of it returned; a
 * normal PDF still renders under a tight budget; a piece's calls share one budget; create-time
 * inspection runs under the default budget too.
 */
#include "test.h"
#include "core/timeutil.h"
#include "pdf/bomb_fixture.h"
#include "pdf/budget.h"
#include "pdf/pdf_fixtures.h"
#include "pdf/pdf_inspect.h"
#include "pdf/thumbs.h"

static const unsigned widths[3] = { THUMB_WIDTH_SMALL, THUMB_WIDTH_MEDIUM, THUMB_WIDTH_LARGE };

/* thumbnails of pdf's first page under a budget of these limits; rc, with *b and *ms filled */
static int thumbs_within(const unsigned char *pdf, size_t len, struct render_limits l,
			 struct render_budget *b, long long *ms, struct api_error *err)
{
	struct thumb_set set;
	render_budget_init(b, &l);
	render_budget_push(b);
	long long t0 = clock_mono_ms();
	*err = (struct api_error){ 0 };
	int rc = pdf_thumbnails(pdf, len, widths, 3, 1, &set, err);
	*ms = clock_mono_ms() - t0;
	render_budget_pop();
	if (rc == 0)
		thumb_set_free(&set);
	return rc;
}

static void bomb_stops_at_each_limit(const unsigned char *bomb, size_t len)
{
	struct render_budget b;
	struct api_error err;
	long long ms;
	/* the first piece's limits: 100,000 operations long before 60 s or 512 MB */
	struct render_limits ops = { 60000, 512u << 20, 100000 };
	CHECK_INT_RUN(thumbs_within(bomb, len, ops, &b, &ms, &err), -1, "the bomb fails");
	CHECK_INT(err.kind, ERR_INVALID_FILE, "as Lob's invalid_file");
	CHECK(strstr(err.message, "more than 100000 operations") != NULL, "naming the operations "
	      "limit: %s", err.message);
	CHECK_INT(b.over, RENDER_OVER_OPS, "over its operations");
	CHECK_INT(b.ops, 100001, "stopped at the first operation past the limit");
	CHECK(ms < 30000, "in %lld ms, not the minutes the whole page takes", ms);
	CHECK(b.peak_bytes > 0 && b.peak_bytes < (64u << 20), "holding %zu bytes at most",
	      b.peak_bytes);

	struct render_limits mem = { 60000, 8u << 20, 1000000000000ull };
	CHECK_INT_RUN(thumbs_within(bomb, len, mem, &b, &ms, &err), -1, "8 MB: the bomb fails");
	CHECK(strstr(err.message, "more than 8 MB of memory") != NULL, "naming the memory limit: "
	      "%s", err.message);
	CHECK_INT(b.over, RENDER_OVER_MEMORY, "over its memory");
	CHECK(b.peak_bytes <= (8u << 20), "MuPDF never held more than the cap (%zu bytes)",
	      b.peak_bytes);

	struct render_limits time = { 300, 512u << 20, 1000000000000ull };
	CHECK_INT_RUN(thumbs_within(bomb, len, time, &b, &ms, &err), -1, "300 ms: the bomb fails");
	CHECK(strstr(err.message, "more than 300 ms") != NULL, "naming the time limit: %s",
	      err.message);
	CHECK_INT(b.over, RENDER_OVER_TIME, "over its time");
	CHECK(ms >= 300 && ms < 3000, "stopped %lld ms after it started (the cookie and the "
	      "allocator see the deadline)", ms);
}

static void normal_pdf_renders(void)
{
	size_t len;
	unsigned char *pdf = fixture_pages(8.5, 11, 2, &len);
	struct render_budget b;
	struct api_error err;
	long long ms;
	struct render_limits tight = { 5000, 32u << 20, 1000 };
	CHECK_INT_RUN(thumbs_within(pdf, len, tight, &b, &ms, &err), 0,
		      "a letter renders under 5 s, 32 MB, 1,000 operations: %s", err.message);
	CHECK(b.ops > 0 && b.ops < 100, "its drawing counted (%llu operations)", b.ops);
	CHECK(b.peak_bytes > 0 && b.peak_bytes < (32u << 20), "in %zu bytes", b.peak_bytes);
	CHECK_INT(b.over, RENDER_WITHIN, "within budget");
	free(pdf);
}

static void memory_capped_and_returned(void)
{
	struct render_limits l = { 5000, 16u << 20, 1000 };
	struct render_budget b;
	struct render_job j;
	struct api_error err = { 0 };
	render_budget_init(&b, &l);
	render_budget_push(&b);
	fz_context *ctx = render_job_begin(&j, &err);
	CHECK(ctx != NULL && frank_fz() == ctx, "a job's context is the thread's MuPDF context");
	void *mb = fz_malloc_no_throw(ctx, 1u << 20);
	CHECK(mb != NULL && j.used >= (1u << 20), "1 MB is counted (%zu bytes held)", j.used);
	CHECK(fz_malloc_no_throw(ctx, 16u << 20) == NULL, "16 MB more is refused");
	fz_free(ctx, mb);
	CHECK(fz_malloc_no_throw(ctx, 16) == NULL, "and then everything is: the job is over");
	CHECK_INT(render_job_end(&j, 0, &err), -1, "the call ends failed");
	CHECK(strstr(err.message, "more than 16 MB") != NULL, "with the memory limit: %s",
	      err.message);
	CHECK_INT(j.used, 0, "dropping the context gave back every byte");
	CHECK(frank_fz() != ctx, "outside the job the thread has its own context again");
	CHECK(render_job_begin(&j, &err) == NULL, "a spent budget starts no other call");
	render_budget_pop();
}

static void piece_calls_share_a_budget(void)
{
	size_t len;
	unsigned char *small = bomb_pdf(2, 40, &len);	/* 1,600 squares, ~3,300 operations */
	struct render_limits l = { 60000, 64u << 20, 5000 };
	struct render_budget b;
	struct thumb_set set;
	struct api_error err = { 0 };
	render_budget_init(&b, &l);
	render_budget_push(&b);
	int first = pdf_thumbnails(small, len, widths, 3, 1, &set, &err);
	CHECK_INT(first, 0, "one call within the piece's 5,000 operations: %s", err.message);
	if (first == 0)
		thumb_set_free(&set);
	unsigned long long after_one = b.ops;
	CHECK_INT_RUN(pdf_thumbnails(small, len, widths, 3, 1, &set, &err), -1,
		      "the second call of the same piece goes over (%llu + %llu)", after_one,
		      after_one);
	CHECK(strstr(err.message, "operations") != NULL, "%s", err.message);
	long long t0 = clock_mono_ms();
	struct pdf_expect any = { 0 };
	CHECK_INT_RUN(pdf_check(small, len, &any, NULL, &err), -1, "later calls fail at once");
	CHECK(clock_mono_ms() - t0 < 100, "without opening the file");
	render_budget_pop();
	free(small);
}

static void inspection_is_bounded(const unsigned char *bomb, size_t len)
{
	struct pdf_info info;
	struct api_error err = { 0 };
	long long t0 = clock_mono_ms();
	CHECK_INT_RUN(pdf_inspect(bomb, len, &info, &err), 0, "inspecting the bomb: %s",
		      err.message);
	CHECK(clock_mono_ms() - t0 < 2000, "inspection does not draw the page");
	/* no budget pushed (an HTTP thread at create time): the defaults apply. What inspecting
	 * a 400-page file takes, measured under a piece's budget; three quarters of it as the
	 * default must fail the same inspection. */
	size_t plen;
	unsigned char *pdf = fixture_pages(8.5, 11, 400, &plen);
	struct render_budget measured;
	render_budget_init(&measured, NULL);
	render_budget_push(&measured);
	CHECK_INT_RUN(pdf_inspect(pdf, plen, &info, &err), 0, "inspecting 400 pages: %s",
		      err.message);
	render_budget_pop();
	size_t need = measured.peak_bytes;
	CHECK(need > 0, "takes %zu bytes", need);
	struct render_limits tiny = { 5000, need / 4 * 3, 1000 };
	render_limits_set_default(&tiny);
	CHECK_INT_RUN(pdf_inspect(pdf, plen, &info, &err), -1, "with no budget of its own, "
		      "inspection fails under a default of %zu bytes", tiny.mem_bytes);
	CHECK(strstr(err.message, "of memory to render") != NULL && err.kind == ERR_INVALID_FILE,
	      "%s", err.message);
	struct render_limits normal = { RENDER_BUDGET_MS_DEFAULT,
					(size_t)RENDER_BUDGET_MB_DEFAULT << 20,
					RENDER_BUDGET_OPS_DEFAULT };
	render_limits_set_default(&normal);
	CHECK_INT_RUN(pdf_inspect(pdf, plen, &info, &err), 0, "and passes under the defaults");
	free(pdf);
}

static void limits_parse(void)
{
	struct render_limits l;
	char msg[120];
	CHECK_INT(render_limits_parse("1500", "64", "250000", &l, msg, sizeof msg), 0, "parses");
	CHECK(l.wall_ms == 1500 && l.mem_bytes == (64u << 20) && l.ops == 250000, "as given");
	CHECK_INT(render_limits_parse("0", "64", "250000", &l, msg, sizeof msg), -1, "0 ms");
	CHECK(strstr(msg, "--render-budget-ms") != NULL, "names the flag: %s", msg);
	CHECK_INT(render_limits_parse("1000", "8", "250000", &l, msg, sizeof msg), -1, "8 MB");
	CHECK_INT(render_limits_parse("1000", "64", "12x", &l, msg, sizeof msg), -1, "12x ops");
	CHECK(strstr(msg, "--render-budget-ops") != NULL, "names the flag: %s", msg);
}

int main(void)
{
	size_t len = 0;
	unsigned char *bomb = bomb_pdf(6, 40, &len);
	CHECK(bomb != NULL && len < 5000, "a 40⁶ bomb in %zu bytes", len);
	if (!bomb)
		return test_done();
	bomb_stops_at_each_limit(bomb, len);
	normal_pdf_renders();
	memory_capped_and_returned();
	piece_calls_share_a_budget();
	inspection_is_bounded(bomb, len);
	limits_parse();
	free(bomb);
	return test_done();
}
