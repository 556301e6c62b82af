// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print-file throughput: printfile_write_lot over one lot of N pieces made here (letters of
 * 1-3 pages, or 2-page 4x6 postcards, each PDF with its own embedded font as a rendered
 * piece has), written in parts of 500 pieces. Prints pieces per second; run it under
 * /usr/bin/time -v for the peak memory.
 *   build/bench/printfile_write letter 1000 [--marks datamatrix]
 *   build/bench/printfile_write postcard 2000
 */
#include "core/parse.h"
#include "core/timeutil.h"
#include "pdf/fz.h"
#include "pdf/pdf_util.h"
#include "production/marks.h"
#include "production/printfile.h"
#include "store/assets.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DISTINCT 12	/* piece PDFs made, then reused round robin */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a piece of `pages` pages of w x h inches with a few lines of text; its asset key */
static void make_piece(const char *dir, int n, int pages, double w, double h, char *key)
{
	fz_context *ctx = frank_fz();
	pdf_document *doc = pdf_create_document(ctx);
	struct marks_font f;
	marks_font_load(ctx, doc, &f);
	for (int k = 0; k < pages; k++) {
		struct marks m;
		marks_begin(&m, ctx, &f, w, h);
		for (double y = 0.75; y < h - 0.5; y += 0.25) {
			char line[96];
			snprintf(line, sizeof line, "piece %d page %d: the quick brown fox jumps",
			         n, k + 1);
			marks_text(&m, 10, 0.75, y, 0, false, line);
		}
		pdf_obj *res = marks_resources(ctx, doc, &f);
		fz_rect media = { 0, 0, (float)(w * 72), (float)(h * 72) };
		pdf_obj *page = pdf_add_page(ctx, doc, media, 0, res, m.ops);
		pdf_insert_page(ctx, doc, -1, page);
		pdf_drop_obj(ctx, page);
		pdf_drop_obj(ctx, res);
		marks_drop(&m);
	}
	marks_font_drop(ctx, &f);
	unsigned char *bytes;
	size_t len;
	pdfu_save(ctx, doc, 1, &bytes, &len);
	pdf_drop_document(ctx, doc);
	struct api_error err = { 0 };
	if (assets_put(dir, bytes, len, "pdf", key, &err) < 0) {
		fprintf(stderr, "assets_put: %s\n", err.message);
		exit(1);
	}
	free(bytes);
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	if (argc < 3 || parse_ulong(argv[2], 1000000, &count) < 0 || count == 0) {
		fprintf(stderr, "usage: %s letter|postcard COUNT [--marks omr|datamatrix]\n",
		        argv[0]);
		return 2;
	}
	bool letters = strcmp(argv[1], "letter") == 0;
	struct printfile_opts o = { 0 };
	if (argc > 4 && strcmp(argv[3], "--marks") == 0)
		o.marks = strcmp(argv[4], "omr") == 0 ? PRINT_MARKS_OMR : PRINT_MARKS_DATAMATRIX;
	char data[] = "/tmp/frank_bench_pf_XXXXXX", out[] = "/tmp/frank_bench_pf_out_XXXXXX";
	if (!mkdtemp(data) || !mkdtemp(out))
		return 1;
	o.data_dir = data;
	char keys[DISTINCT][ASSET_KEY_MAX];
	int pages[DISTINCT];
	for (int i = 0; i < DISTINCT; i++) {
		pages[i] = letters ? 1 + i % 3 : 2;
		make_piece(data, i, pages[i], letters ? 8.5 : 6.25, letters ? 11 : 4.25, keys[i]);
	}
	json_t *pieces = json_array();
	for (unsigned long i = 0; i < count; i++) {
		char id[32];
		snprintf(id, sizeof id, "%s_%016lx", letters ? "ltr" : "psc", i);
		json_array_append_new(pieces, json_pack("{s:s, s:s, s:i}", "id", id, "pdf",
							keys[i % DISTINCT], "pages",
							pages[i % DISTINCT]));
	}
	json_t *lot =
	    json_pack("{s:s, s:s, s:s, s:b, s:o}", "id", "lot_bench", "product",
	              letters ? "letter" : "postcard", "size", letters ? "us_letter" : "4x6",
	              "double_sided", true, "pieces", pieces);
	json_t *run = json_pack("{s:s}", "id", "run_bench"), *files = json_array();
	struct api_error err = { 0 };
	double t0 = now();
	int rc = printfile_write_lot(&o, run, lot, out, files, &err);
	double dt = now() - t0;
	if (rc < 0) {
		fprintf(stderr, "printfile_write_lot: %s\n", err.message);
		return 1;
	}
	long long bytes = 0, pg = 0, sheets = 0;
	for (size_t i = 0; i < json_array_size(files); i++) {
		json_t *f = json_array_get(files, i);
		bytes += json_integer_value(json_object_get(f, "bytes"));
		pg += json_integer_value(json_object_get(f, "pages"));
		sheets += json_integer_value(json_object_get(f, "sheets"));
	}
	printf("%lu %s: %.2f s, %.0f pieces/s; %zu files, %lld pages, %lld sheets, %.1f MB\n",
	       count, argv[1], dt, count / dt, json_array_size(files), pg, sheets, bytes / 1e6);
	json_decref(files);
	json_decref(run);
	json_decref(lot);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s %s", data, out);
	return system(cmd) == 0 ? 0 : 1;
}
