// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * stamp_samples EXAMPLES_DIR OUT_DIR: renders the sample pieces of examples/ — a letter (and
 * one with six-line addresses), a certified letter, a 4x6 postcard and a check — stamps them
 * and writes each as PDF and as one PNG per page (150 dpi), to be looked at.
 * examples/render-samples runs it.
 */
#include "barcode/imb.h"
#include "barcode/impb.h"
#include "render/mupdf/mupdf_html.h"
#include "pdf/pdf_util.h"
#include "stamp/stamp.h"
#include "pdf/thumbs.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir_in, *dir_out;

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir_in, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		return NULL;
	}
	char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n + 4096 > cap) {
			char *b = realloc(buf, cap = cap * 2 + 8192);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int write_file(const char *name, const unsigned char *data, size_t len)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir_out, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len) {
		fprintf(stderr, "cannot write %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	printf("%s\n", path);
	return 0;
}

/* the PDF, and every page as PNG at 150 dpi */
static int write_piece(const char *name, const unsigned char *pdf, size_t len, double w_in)
{
	char file[256];
	snprintf(file, sizeof(file), "%s.pdf", name);
	if (write_file(file, pdf, len) < 0)
		return -1;
	unsigned width[1] = { (unsigned)(w_in * 150 + 0.5) };
	struct thumb_set set = { 0 };
	struct api_error err;
	if (pdf_thumbnails(pdf, len, width, 1, 20, &set, &err) < 0) {
		fprintf(stderr, "%s: %s\n", name, err.message);
		return -1;
	}
	int rc = 0;
	for (size_t p = 0; p < set.n_pages && rc == 0; p++) {
		snprintf(file, sizeof(file), "%s-%zu.png", name, p + 1);
		rc = write_file(file, set.png[p].data, set.png[p].len);
	}
	thumb_set_free(&set);
	return rc;
}

static unsigned char *html_pdf(const char *name, double w, double h, size_t *len)
{
	size_t hl;
	char *html = slurp(name, &hl);
	if (!html)
		return NULL;
	unsigned char *pdf = NULL;
	unsigned pages;
	struct api_error err;
	if (mupdf_html_to_pdf(html, hl, w, h, 60, &pdf, len, &pages, &err) < 0)
		fprintf(stderr, "%s: %s\n", name, err.message);
	free(html);
	return pdf;
}

static unsigned char *concat(const unsigned char *a, size_t al, const unsigned char *b,
			     size_t bl, size_t *len)
{
	struct pdf_part parts[2] = { { (unsigned char *)a, al }, { (unsigned char *)b, bl } };
	unsigned char *out = NULL;
	struct api_error err;
	if (pdf_merge(parts, 2, &out, len, &err) < 0)
		fprintf(stderr, "merge: %s\n", err.message);
	return out;
}

static void lines(const json_t *arr, const char *out[STAMP_LINES])
{
	for (size_t i = 0; i < STAMP_LINES; i++)
		out[i] = json_string_value(json_array_get(arr, i));
}

static int stamp_and_write(const char *name, const struct stamp_request *rq,
			   const unsigned char *pdf, size_t len, double w_in)
{
	unsigned char *out = NULL;
	size_t out_len;
	struct stamp_result res;
	struct api_error err;
	if (stamp_piece(rq, pdf, len, &out, &out_len, &res, &err) < 0) {
		fprintf(stderr, "%s: %s\n", name, err.message);
		return -1;
	}
	printf("# %s: %u pages, %u sheets, envelope %s\n", name, res.pages, res.sheets,
	       res.envelope ? res.envelope->name : "none");
	int rc = write_piece(name, out, out_len, w_in);
	free(out);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s EXAMPLES_DIR OUT_DIR\n", argv[0]);
		return 2;
	}
	dir_in = argv[1];
	dir_out = argv[2];
	size_t jl;
	char *js = slurp("sample-pieces.json", &jl);
	json_t *cfg = js ? json_loads(js, 0, NULL) : NULL;
	free(js);
	if (!cfg)
		return 1;
	struct api_error err;
	char tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1], pic[IMPB_PIC_MAX + 1];
	const char *mid = json_string_value(json_object_get(cfg, "mailer_id"));
	if (imb_tracking("00", "270", mid, 1, tracking, &err) < 0 ||
	    imb_bars(tracking, json_string_value(json_object_get(cfg, "routing")), bars, &err) < 0 ||
	    impb_build("071", mid, 1, 26, pic, &err) < 0) {
		fprintf(stderr, "barcodes: %s\n", err.message);
		return 1;
	}
	struct stamp_request rq = { .product = "letter", .imb_bars = bars,
				    .recipient_zip = json_string_value(json_object_get(cfg,
							"recipient_zip")) };
	lines(json_object_get(cfg, "to"), rq.to);
	lines(json_object_get(cfg, "from"), rq.from);
	int rc = 0;

	size_t ll;
	unsigned char *letter = html_pdf("sample-letter.html", 8.5, 11, &ll);
	if (!letter)
		return 1;
	rc |= stamp_and_write("letter", &rq, letter, ll, 8.5);
	struct stamp_request six = rq;
	lines(json_object_get(cfg, "to_six_lines"), six.to);
	lines(json_object_get(cfg, "from_six_lines"), six.from);
	rc |= stamp_and_write("letter-six-lines", &six, letter, ll, 8.5);
	struct stamp_request cert = rq;
	cert.extra_service = "certified_return_receipt";
	cert.tracking_number = pic;
	rc |= stamp_and_write("certified", &cert, letter, ll, 8.5);
	free(letter);

	size_t fl, bl, pl;
	unsigned char *front = html_pdf("sample-postcard-front.html", 6.25, 4.25, &fl);
	unsigned char *back = html_pdf("sample-postcard-back.html", 6.25, 4.25, &bl);
	unsigned char *card = front && back ? concat(front, fl, back, bl, &pl) : NULL;
	struct stamp_request pc = rq;
	pc.product = "postcard";
	pc.size = "4x6";
	rc |= card ? stamp_and_write("postcard", &pc, card, pl, 6.25) : -1;
	free(front);
	free(back);
	free(card);

	const json_t *k = json_object_get(cfg, "check");
	struct stamp_check chk = {
		.amount_cents = json_integer_value(json_object_get(k, "amount_cents")),
		.check_number = (uint32_t)json_integer_value(json_object_get(k, "check_number")),
		.date = json_string_value(json_object_get(k, "date")),
		.memo = json_string_value(json_object_get(k, "memo")),
		.message = json_string_value(json_object_get(k, "message")),
		.bank_name = json_string_value(json_object_get(k, "bank_name")),
		.routing_number = json_string_value(json_object_get(k, "routing_number")),
		.account_number = json_string_value(json_object_get(k, "account_number")),
		.signatory = json_string_value(json_object_get(k, "signatory")),
	};
	struct stamp_request ck = rq;
	ck.product = "check";
	ck.check = &chk;
	rc |= stamp_and_write("check", &ck, NULL, 0, 8.5);
	json_decref(cfg);
	return rc ? 1 : 0;
}
