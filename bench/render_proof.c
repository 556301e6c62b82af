// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Render throughput of the built-in proof pipeline on one core: a one-page letter with 20
 * merge variables → Handlebars → MuPDF fz_story PDF → letter stamping → thumbnails.
 * Prints one JSON line per stage. Usage: render_proof [SECONDS_PER_STAGE] [HTML_FILE]
 */
#include "template/handlebars.h"
#include "barcode/imb.h"
#include "render/mupdf/mupdf_html.h"
#include "stamp/stamp.h"
#include "pdf/thumbs.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *letter_html =
	"<html><body style='font-family:serif'><p>{{date}}</p><p>Dear {{first}} {{last}},</p>"
	"<p>Your account {{account}} at {{company}} shows a balance of {{balance}} as of "
	"{{date}}. Payment of {{due}} is due on {{due_date}}.</p><p>Plan: {{plan}}. Branch: "
	"{{branch}}, {{city}}, {{state}} {{zip}}.</p><p>Questions? Call {{phone}} or write to "
	"{{email}}. Reference {{ref}}; agent {{agent}}; region {{region}}.</p>"
	"<p>Sincerely,<br/>{{signer}}</p></body></html>";

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 3;
	struct api_error err;
	json_t *vars = json_pack("{ssssssssssssssssssssssssssssssssssssssss}", "date", "2026-11-25",
				 "first", "Harry", "last", "Zhang", "account", "A-1234",
				 "company", "Acme", "balance", "$120.00", "due", "$40.00", "due_date",
				 "2026-12-10", "plan", "Gold", "branch", "Main", "city", "San Francisco",
				 "state", "CA", "zip", "94107", "phone", "555-0100", "email",
				 "help@example.com", "ref", "R-77", "agent", "Lee", "region", "West",
				 "signer", "The Billing Team", "x", "");
	struct hbs_template *t = hbs_compile(letter_html, strlen(letter_html), HBS_HANDLEBARS, NULL,
					     &err);
	char tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1];
	imb_tracking("00", "270", "999999999", 1, tracking, &err);
	imb_bars(tracking, "94107", bars, &err);
	struct stamp_request l = { .product = "letter", .double_sided = true,
				   .to = { "HARRY ZHANG", "210 KING ST", "SAN FRANCISCO CA 94107" },
				   .from = { "ACME", "185 BERRY ST", "SAN FRANCISCO CA 94107" },
				   .imb_bars = bars };
	struct stamp_result res;
	unsigned char *pdf = NULL, *stamped = NULL;
	size_t pdf_len = 0, st_len = 0;
	unsigned pages;
	long n = 0;
	double t0 = now();
	while (now() - t0 < secs) {
		size_t hl;
		char *html = hbs_render(t, vars, false, NULL, &hl, &err);
		free(pdf);
		if (!html || mupdf_html_to_pdf(html, hl, 8.5, 11, 60, &pdf, &pdf_len, &pages, &err) < 0) {
			fprintf(stderr, "render failed: %s\n", err.message);
			return 1;
		}
		free(html);
		n++;
	}
	double html_rate = n / (now() - t0);
	printf("{\"stage\":\"mupdf_html_letter\",\"pages_per_s\":%.1f,\"bytes\":%zu}\n", html_rate, pdf_len);
	n = 0;
	t0 = now();
	while (now() - t0 < secs) {
		free(stamped);
		if (stamp_piece(&l, pdf, pdf_len, &stamped, &st_len, &res, &err) < 0) {
			fprintf(stderr, "stamp failed: %s\n", err.message);
			return 1;
		}
		n++;
	}
	printf("{\"stage\":\"stamp_letter\",\"pages_per_s\":%.1f,\"bytes\":%zu}\n", n / (now() - t0), st_len);
	n = 0;
	t0 = now();
	while (now() - t0 < secs) {
		static const unsigned widths[3] = { 150, 300, 600 };	/* Lob's three sizes */
		struct thumb_set set = { 0 };
		if (pdf_thumbnails(stamped, st_len, widths, 3, 1, &set, &err) < 0) {
			fprintf(stderr, "thumbnail failed: %s\n", err.message);
			return 1;
		}
		thumb_set_free(&set);
		n += 3;
	}
	printf("{\"stage\":\"thumbnails_150_300_600\",\"thumbnails_per_s\":%.1f}\n", n / (now() - t0));
	free(pdf);
	free(stamped);
	hbs_free(t);
	json_decref(vars);
	return 0;
}
