// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * HTML → PDF throughput of a campaign: one letter template with 20 Handlebars merge
 * variables, merged per piece (hbs_render) and rendered by
 *   - Chromium one by one (chromium_html_to_pdf, one thread),
 *   - Chromium batched, BATCH pieces per call (chromium_html_batch),
 *   - MuPDF one by one (mupdf_html_to_pdf).
 * Prints one JSON line per stage (pieces/s). --html-out FILE writes one merged letter, so
 * bench/render can give WeasyPrint the same HTML.
 *   build/bench/render_html [SECONDS per stage, default 5] [--html-out FILE]
 *                           [--chromium PATH] [--batch N]
 */
#include "render/chromium/chromium.h"
#include "template/handlebars.h"
#include "render/mupdf/mupdf_html.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char letter[] =
	"<html><head><meta charset=\"utf-8\"><style>"
	"body{font-family:Helvetica,Arial,sans-serif;font-size:11pt;margin:0.75in;color:#222}"
	"h1{font-size:16pt;color:#1a4d8f;margin:0 0 12pt}"
	".addr{position:absolute;top:2in;left:0.75in;line-height:14pt}"
	".body{margin-top:2.2in}"
	".row{display:flex;justify-content:space-between;border-bottom:1px solid #ccc;"
	"padding-bottom:4pt;margin-bottom:10pt}"
	"p{margin:0 0 8pt}"
	"</style></head><body>"
	"<h1>{{company}} account statement</h1>"
	"<div class=\"addr\">{{name}}<br>{{address_line1}}<br>{{city}}, {{state}} {{zip}}</div>"
	"<div class=\"body\"><div class=\"row\"><span>Account {{account}}</span>"
	"<span>{{date}}</span></div>"
	"<p>Dear {{first_name}},</p>"
	"<p>Your account {{account}} at {{company}} shows a balance of {{balance}} as of {{date}}. "
	"Payment of {{due}} is due on {{due_date}}.</p>"
	"<p>Plan: {{plan}}. Branch: {{branch}}, {{city}}, {{state}} {{zip}}.</p>"
	"<p>Questions? Call {{phone}} or write to {{email}}. Reference {{ref}}; agent {{agent}}; "
	"region {{region}}.</p>"
	"<p>Thank you for banking with {{company}}. We review every account each quarter and "
	"write when something changes; nothing in this letter needs an answer unless a payment "
	"is due. Statements are also available online, and paper statements can be switched off "
	"at any branch or by phone.</p>"
	"<p>If you have already paid, please disregard this notice. Payments made after "
	"{{date}} will appear on your next statement. Automatic payments can be set up at "
	"{{branch}} or by calling {{phone}}.</p>"
	"<p>Sincerely,<br>The {{company}} team</p></div></body></html>";

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* the merge variables of piece i */
static json_t *vars(unsigned i)
{
	static const char *const first[] = { "Harry", "Leore", "Maria", "Kwame", "Aiko", "Omar" };
	static const char *const last[] = { "Zhang", "Avidar", "Garcia", "Mensah", "Sato", "Haddad" };
	char name[64], line1[64], acct[32], bal[32], due[32], ref[32];
	snprintf(name, sizeof name, "%s %s", first[i % 6], last[i / 6 % 6]);
	snprintf(line1, sizeof line1, "%u King St", 100 + i % 900);
	snprintf(acct, sizeof acct, "A-%06u", i);
	snprintf(bal, sizeof bal, "$%u.%02u", 100 + i * 7 % 5000, i * 3 % 100);
	snprintf(due, sizeof due, "$%u.00", 20 + i % 80);
	snprintf(ref, sizeof ref, "R-%u", 1000 + i);
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
			 "s:s,s:s}",
			 "name", name, "first_name", first[i % 6], "address_line1", line1,
			 "city", "San Francisco", "state", "CA", "zip", "94107",
			 "company", "Acme Savings", "account", acct, "date", "2026-11-25",
			 "balance", bal, "due", due, "due_date", "2026-12-10", "plan", "Gold",
			 "branch", "Main", "phone", "555-0100", "email", "help@example.com",
			 "ref", ref, "agent", "Lee", "region", "West");
}

static char *merge(const struct hbs_template *t, unsigned i, size_t *len)
{
	json_t *v = vars(i);
	struct api_error err = { 0 };
	char *s = hbs_render(t, v, true, NULL, len, &err);
	json_decref(v);
	if (!s) {
		fprintf(stderr, "render_html: merge failed: %s\n", err.message);
		exit(1);
	}
	return s;
}

static double one_by_one(const char *stage, const struct hbs_template *t, struct chromium *cr,
		       double secs)
{
	unsigned n = 0;
	size_t bytes = 0;
	double t0 = now(), t1;
	do {
		size_t len;
		char *html = merge(t, n, &len);
		unsigned char *pdf = NULL;
		size_t pdf_len = 0;
		unsigned pages = 0;
		struct api_error err = { 0 };
		int rc = cr ? chromium_html_to_pdf(cr, html, len, 8.5, 11, 6, &pdf, &pdf_len, &pages,
						   &err)
			: mupdf_html_to_pdf(html, len, 8.5, 11, 6, &pdf, &pdf_len, &pages, &err);
		if (rc != 0) {
			fprintf(stderr, "render_html: %s: %s\n", stage, err.message);
			exit(1);
		}
		bytes += pdf_len;
		free(pdf);
		free(html);
		n++;
	} while ((t1 = now() - t0) < secs);
	printf("{\"stage\":\"%s\",\"pieces\":%u,\"pieces_per_s\":%.1f,\"bytes_per_piece\":%zu}\n",
	       stage, n, n / t1, bytes / n);
	fflush(stdout);
	return n / t1;
}

static double batched(const struct hbs_template *t, struct chromium *cr, double secs,
		      unsigned batch)
{
	char **html = calloc(batch, sizeof *html);
	size_t *lens = calloc(batch, sizeof *lens);
	struct pdf_piece *out = calloc(batch, sizeof *out);
	unsigned n = 0, calls = 0;
	size_t bytes = 0;
	double t0 = now(), t1;
	do {
		for (unsigned k = 0; k < batch; k++)
			html[k] = merge(t, n + k, &lens[k]);
		struct api_error err = { 0 };
		int failed = chromium_html_batch(cr, (const char *const *)html, lens, batch, 8.5, 11,
						 6, out, &err);
		if (failed) {
			fprintf(stderr, "render_html: batch: %d failed: %s\n", failed, err.message);
			exit(1);
		}
		for (unsigned k = 0; k < batch; k++) {
			bytes += out[k].len;
			free(html[k]);
		}
		pdf_pieces_free(out, batch);
		n += batch;
		calls++;
	} while ((t1 = now() - t0) < secs);
	printf("{\"stage\":\"chromium_batched\",\"batch\":%u,\"calls\":%u,\"pieces\":%u,"
	       "\"pieces_per_s\":%.1f,\"bytes_per_piece\":%zu}\n", batch, calls, n, n / t1,
	       bytes / n);
	free(html);
	free(lens);
	free(out);
	return n / t1;
}

int main(int argc, char **argv)
{
	double secs = 5;
	const char *html_out = NULL, *path = NULL;
	unsigned batch = 100;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--html-out") == 0 && i + 1 < argc)
			html_out = argv[++i];
		else if (strcmp(argv[i], "--chromium") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch = (unsigned)atoi(argv[++i]);
		else
			secs = atof(argv[i]);
	}
	if (!(secs > 0 && secs <= 600) || batch < 1 || batch > 1000) {
		fprintf(stderr, "usage: render_html [SECONDS (0-600)] [--html-out FILE] "
			"[--chromium PATH] [--batch 1-1000]\n");
		return 2;
	}
	struct api_error err = { 0 };
	struct hbs_template *t = hbs_compile(letter, strlen(letter), HBS_HANDLEBARS, NULL, &err);
	if (!t) {
		fprintf(stderr, "render_html: %s\n", err.message);
		return 1;
	}
	if (html_out) {
		size_t len;
		char *html = merge(t, 0, &len);
		FILE *f = fopen(html_out, "w");
		if (!f || fwrite(html, 1, len, f) != len || fclose(f) != 0) {
			fprintf(stderr, "render_html: cannot write %s\n", html_out);
			return 1;
		}
		free(html);
	}
	struct chromium *cr = chromium_open(path, 1, &err);
	if (!cr) {
		printf("{\"stage\":\"chromium\",\"skipped\":\"%s\"}\n", err.message);
	} else {
		/* warm: the browser, a page, its fonts */
		one_by_one("chromium_warmup", t, cr, 0.5);
		double one = one_by_one("chromium_one_by_one", t, cr, secs);
		double many = batched(t, cr, secs, batch);
		printf("{\"stage\":\"chromium_batched_vs_one_by_one\",\"ratio\":%.1f,"
		       "\"target\":10}\n", many / one);
		chromium_close(cr);
	}
	one_by_one("mupdf_one_by_one", t, NULL, secs);
	hbs_free(t);
	return 0;
}
