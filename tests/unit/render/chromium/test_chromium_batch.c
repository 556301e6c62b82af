// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Batch mode of the Chromium renderer against Debian's headless Chromium: 20 pieces of one
 * and two pages split with each piece's text in its own PDF only and where a render of it
 * alone puts it; pieces that cannot share a document (other styles, too wide) still come
 * out right; and 14 tricky templates print batched exactly as alone (every line's position).
 * FRANK_CHROMIUM overrides the browser path.
 */
#include "test.h"
#include "chromium_fixtures.h"
#include <time.h>

/* piece i: odd ones run to a second page; text placed absolutely and in flow */
static char *piece_html(int i)
{
	char *s = malloc(8192);
	int n = snprintf(s, 8192,
		"<html><head><style>body{margin:.75in;font:14px/18px sans-serif}"
		".addr{position:absolute;top:2in;left:1in}.row{display:flex;"
		"justify-content:space-between}p{margin:0 0 6px}</style></head><body>"
		"<div class=row><span>PIECE-%d-TOP</span><span>R%d</span></div>"
		"<div class=addr>PIECE-%d-ADDR</div><div style='height:2.2in'></div>", i, i, i);
	for (int k = 0; k < (i % 2 ? 40 : 5); k++)
		n += snprintf(s + n, 8192 - (size_t)n, "<p>PIECE-%d-LINE-%d</p>", i, k);
	snprintf(s + n, 8192 - (size_t)n, "</body></html>");
	return s;
}

static void test_batch(struct chromium *cr)
{
	enum { N = 20 };
	char *html[N];
	size_t lens[N];
	struct pdf_piece out[N];
	for (int i = 0; i < N; i++) {
		html[i] = piece_html(i);
		lens[i] = strlen(html[i]);
	}
	struct api_error err = { 0 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int failed = chromium_html_batch(cr, (const char *const *)html, lens, N, 8.5, 11, 6, out,
					 &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK_INT(failed, 0, "the batch of %d renders (%s)", N, err.message);
	printf("# batch of %d: %.2f s\n", N, (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	int right_pages = 0, own_text = 0, foreign = 0;
	for (int i = 0; i < N; i++) {
		if (out[i].rc != 0)
			continue;
		right_pages += out[i].pages == (i % 2 ? 2u : 1u) &&
			       count_pages(out[i].pdf, out[i].len) == (int)out[i].pages;
		char text[16384], mine[32];
		snprintf(mine, sizeof mine, "PIECE-%d-", i);
		for (unsigned p = 0; p < out[i].pages; p++) {
			fz_rect box;
			page_text(out[i].pdf, out[i].len, (int)p, NULL, text, sizeof text, &box, NULL);
			own_text += p == 0 && strstr(text, mine) != NULL;
			for (char *at = text; (at = strstr(at, "PIECE-")) != NULL; at++)
				foreign += strncmp(at, mine, strlen(mine)) != 0;
		}
	}
	CHECK_INT(right_pages, N, "each piece has its own one or two pages");
	CHECK_INT(own_text, N, "each piece's text is in its PDF");
	CHECK_INT(foreign, 0, "no piece's text is in another's PDF");

	/* a piece printed in the batch looks as it does printed alone */
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	int rc = chromium_html_to_pdf(cr, html[3], lens[3], 8.5, 11, 6, &pdf, &len, &pages, &err);
	char t1s[8192], t2s[8192];
	fz_rect a1 = fz_empty_rect, a2 = fz_empty_rect, b1 = fz_empty_rect, b2 = fz_empty_rect;
	page_text(pdf, len, 0, "PIECE-3-ADDR", t1s, sizeof t1s, &a1, NULL);
	page_text(out[3].pdf, out[3].len, 0, "PIECE-3-ADDR", t2s, sizeof t2s, &a2, NULL);
	page_text(pdf, len, 1, "PIECE-3-LINE-39", t1s, sizeof t1s, &b1, NULL);
	page_text(out[3].pdf, out[3].len, 1, "PIECE-3-LINE-39", t2s, sizeof t2s, &b2, NULL);
	CHECK(rc == 0 && pages == out[3].pages && near(a1.x0, a2.x0) && near(a1.y0, a2.y0) &&
	      near(a1.x0, 72) && near(b1.x0, b2.x0) && near(b1.y0, b2.y0) && !fz_is_empty_rect(b1),
	      "batched and alone agree (address %.1f,%.1f vs %.1f,%.1f; last line %.1f vs %.1f)",
	      a1.x0, a1.y0, a2.x0, a2.y0, b1.y0, b2.y0);
	free(pdf);

	/* pieces that cannot share a document still come out right: other styles, too wide */
	free(html[5]);
	html[5] = strdup("<html><head><style>p{color:red;margin:1in}</style></head><body>"
			 "<p>PIECE-5-OTHER</p></body></html>");
	free(html[6]);
	html[6] = strdup("<html><body><div style='width:12in'>PIECE-6-WIDE</div></body></html>");
	lens[5] = strlen(html[5]);
	lens[6] = strlen(html[6]);
	pdf_pieces_free(out, N);
	failed = chromium_html_batch(cr, (const char *const *)html, lens, 8, 8.5, 11, 6, out, &err);
	char text[8192];
	fz_rect box;
	CHECK(failed == 0 && page_text(out[5].pdf, out[5].len, 0, "PIECE-5-OTHER", text,
				       sizeof text, &box, NULL) && near(box.x0, 78) &&
	      page_text(out[6].pdf, out[6].len, 0, "PIECE-6-WIDE", text, sizeof text, &box, NULL) &&
	      page_text(out[7].pdf, out[7].len, 1, "PIECE-7-LINE-39", text, sizeof text, &box, NULL),
	      "other styles (p at 8px + 1in) and a too-wide piece in a batch come out right (%s)",
	      err.message);
	pdf_pieces_free(out, 8);
	for (int i = 0; i < N; i++)
		free(html[i]);
}

/* templates whose pieces must come out of a batch exactly as they do alone */
static const char *const fidelity[] = {
	"<html><head><style>body{font-family:sans-serif}</style></head><body><h1>Hello @</h1>"
	"<p>text @</p></body></html>",
	"<!DOCTYPE html><html><head><style>body{margin:.5in}</style></head><body><h1>Std @</h1>"
	"</body></html>",
	"<html><head><style>*{box-sizing:border-box}body{width:8.5in;height:11in;margin:0;"
	"background:#ffe}#safe{position:absolute;top:.5in;left:.5in;width:7.5in;height:10in;"
	"display:flex;flex-direction:column;justify-content:space-between}.row{display:flex;"
	"justify-content:space-between}.foot{position:absolute;bottom:.25in;right:.25in}</style>"
	"</head><body><div id=safe><div class=row><span>TL@</span><span>TR@</span></div>"
	"<div class=row><span>BL@</span><span>BR@</span></div></div><div class=foot>FOOT@</div>"
	"</body></html>",
	"<html><head><style>body{margin:.75in;font:11pt Helvetica}.addr{position:absolute;"
	"top:2in;left:.75in}.b{margin-top:2.5in}</style></head><body><h1>Statement @</h1>"
	"<div class=addr>Harry @<br>210 King St</div><div class=b><p>Dear @,</p></div>"
	"</body></html>",
	"<html><body><p>first @</p><p style='break-before:page'>second @</p></body></html>",
	"<html><head><style>body{margin:0}.fx{position:fixed;top:.2in;right:.2in}</style></head>"
	"<body><div class=fx>FIX@</div><p>Dear @</p></body></html>",
	"<!DOCTYPE html><html><head><style>html,body{height:100%;margin:0}.box{height:50%;"
	"background:#cef}.b{position:absolute;bottom:1in;left:1in}</style></head><body>"
	"<div class=box>HALF@</div><div class=b>BOTTOM@</div></body></html>",
	"<html><head><style>body{display:flex;align-items:center;justify-content:center;"
	"margin:0}</style></head><body><div>CENTER@</div></body></html>",
	"<html><head><style>.page{page-break-after:always;position:relative;width:8.5in;"
	"height:11in}body{margin:0}.in{position:absolute;top:1in;left:1in}</style></head><body>"
	"<div class=page><div class=in>front@</div></div><div class=page><div class=in>back@"
	"</div></div></body></html>",
	"<!doctype html><html><head><style>*{margin:0;padding:0;box-sizing:border-box}"
	"body{width:6.25in;height:4.25in;position:relative}.a{position:absolute;top:.2in;"
	"left:.2in}.c{display:grid;grid-template-columns:1fr 1fr;padding:1in .5in}</style>"
	"</head><body><div class=a>A@</div><div class=c><span>G1-@</span><span>G2-@</span>"
	"</div></body></html>",
	"<html><head><style>p{margin:1in}</style></head><body><p>QUIRKS@</p></body></html>",
	"<html><head><style>body.c0{margin:1in}body.c1{margin:2in}body.c2{margin:3in}"
	"body>p{margin-top:30px}</style></head><body class=c@><p>P@</p></body></html>",
	"<html><head><style>body{overflow:hidden;margin:20px}</style></head><body><p>ov@</p>"
	"</body></html>",
	"<html><head><style>body{background:#fee;margin:0}.n{position:absolute;z-index:-1;"
	"top:1in;left:1in;background:#00f}</style></head><body><div class=n>NEG@</div>"
	"<p>text@</p></body></html>",
};

static void test_fidelity(struct chromium *cr)
{
	enum { COPIES = 3 };
	size_t cap = 1 << 16;
	char *alone = malloc(cap), *batched = malloc(cap);
	int same = 0, total = 0;
	for (size_t t = 0; t < sizeof fidelity / sizeof fidelity[0]; t++) {
		char *html[COPIES];
		size_t lens[COPIES];
		struct pdf_piece out[COPIES];
		struct api_error err = { 0 };
		for (int i = 0; i < COPIES; i++) {
			html[i] = subst(fidelity[t], i);
			lens[i] = strlen(html[i]);
		}
		chromium_html_batch(cr, (const char *const *)html, lens, COPIES, 8.5, 11, 6, out,
				    &err);
		for (int i = 0; i < COPIES; i++) {
			unsigned char *pdf = NULL;
			size_t len = 0;
			unsigned pages = 0;
			total++;
			if (chromium_html_to_pdf(cr, html[i], lens[i], 8.5, 11, 6, &pdf, &len, &pages,
						 &err) != 0 || out[i].rc != 0)
				continue;
			dump_pdf(pdf, len, alone, cap);
			dump_pdf(out[i].pdf, out[i].len, batched, cap);
			if (strcmp(alone, batched) == 0)
				same++;
			else
				printf("# template %zu copy %d differs:\n# alone:\n%s# batched:\n%s", t,
				       i, alone, batched);
			free(pdf);
		}
		pdf_pieces_free(out, COPIES);
		for (int i = 0; i < COPIES; i++)
			free(html[i]);
	}
	CHECK_INT(same, total, "every piece of %zu tricky templates prints in a batch as alone",
		  sizeof fidelity / sizeof fidelity[0]);
	free(alone);
	free(batched);
}

int main(void)
{
	fz_set_warning_callback(frank_fz(), NULL, NULL);
	struct api_error err = { 0 };
	struct chromium *cr = chromium_open(browser_path(), 2, &err);
	CHECK(cr != NULL, "the browser starts (%s)", err.message);
	if (!cr)
		return test_done();
	test_batch(cr);
	test_fidelity(cr);
	chromium_close(cr);
	return test_done();
}
