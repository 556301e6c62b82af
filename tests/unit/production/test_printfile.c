// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Print files as a printer would check them: page counts with blank backs, the page boxes,
 * where imposed pieces land front and back, the permit imprint, slug and watermark text,
 * OMR marks on the rendered page, Frank's fonts embedded, parts, and errors that name the
 * piece. The piece PDFs are made here with MuPDF and stored as assets.
 * PRINTFILE_OUT=DIR keeps the files there (tests/e2e/printfile_tools.test.mjs reads them
 * with poppler-utils and dmtx-utils); otherwise a temp directory is removed at the end.
 */
#include "core/ids.h"
#include "pdf/fz.h"
#include "pdf/pdf_util.h"
#include "production/marks.h"
#include "production/printfile.h"
#include "store/assets.h"
#include "test.h"
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char data_dir[] = "/tmp/frank_pf_data_XXXXXX";
static char tmp_out[] = "/tmp/frank_pf_out_XXXXXX";
static const char *out_dir;

/* a piece PDF: page k says "<label> <names[k]>" at (36, 36) pt from its bottom-left, in an
 * embedded font (so that every font of the print files is embedded) */
static const char *make_piece(const char *label, int pages, double w_in, double h_in,
			      const char *const *names)
{
	static char keys[64][ASSET_KEY_MAX];
	static int nkeys;
	fz_context *ctx = frank_fz();
	pdf_document *doc = pdf_create_document(ctx);
	struct marks_font f;
	marks_font_load(ctx, doc, &f);
	for (int k = 0; k < pages; k++) {
		struct marks m;
		marks_begin(&m, ctx, &f, w_in, h_in);
		char text[64];
		snprintf(text, sizeof text, "%s %s", label, names ? names[k] : "");
		if (!names)
			snprintf(text, sizeof text, "%s p%d", label, k + 1);
		marks_text(&m, 12, 0.5, h_in - 0.5, 0, false, text);
		pdf_obj *res = marks_resources(ctx, doc, &f);
		fz_rect media = { 0, 0, (float)(w_in * 72), (float)(h_in * 72) };
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
	char *key = keys[nkeys++ % 64];
	if (assets_put(data_dir, bytes, len, "pdf", key, &err) < 0)
		printf("# assets_put: %s\n", err.message);
	free(bytes);
	return key;
}

static json_t *piece(const char *id, const char *key, int pages)
{
	return json_pack("{s:s, s:s, s:i}", "id", id, "pdf", key, "pages", pages);
}

static json_t *lot(const char *id, const char *product, const char *size, bool duplex,
		   json_t *pieces)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:o}", "id", id, "run_id", "run_test",
	                 "product", product, "size", size, "double_sided", duplex, "pieces",
	                 pieces);
}

static json_t *run_plan(void)
{
	return json_pack("{s:s}", "id", "run_test");
}

static int write_lot(const struct printfile_opts *o, json_t *l, json_t *files,
		     struct api_error *err)
{
	json_t *run = run_plan();
	int rc = printfile_write_lot(o, run, l, out_dir, files, err);
	json_decref(run);
	json_decref(l);
	return rc;
}

static fz_document *open_out(const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", out_dir, name);
	fz_document *d = NULL;
	fz_var(d);
	fz_try(frank_fz())
		d = fz_open_document(frank_fz(), path);
	fz_catch(frank_fz())
		printf("# cannot open %s: %s\n", path, fz_caught_message(frank_fz()));
	return d;
}

static fz_rect box(fz_document *d, int page, const char *name)
{
	fz_context *ctx = frank_fz();
	pdf_obj *p = pdf_lookup_page_obj(ctx, pdf_document_from_fz_document(ctx, d), page);
	return pdf_to_rect(ctx, pdf_dict_gets(ctx, p, name));
}

static bool rect_is(fz_rect r, double x0, double y0, double x1, double y1)
{
	return fabs(r.x0 - x0) < 0.01 && fabs(r.y0 - y0) < 0.01 && fabs(r.x1 - x1) < 0.01 &&
	       fabs(r.y1 - y1) < 0.01;
}

/* where needle is on the page (points, from the top-left as MuPDF's text device gives it) */
static int find(fz_document *d, int page, const char *needle, fz_quad *q)
{
	fz_context *ctx = frank_fz();
	fz_page *p = fz_load_page(ctx, d, page);
	fz_stext_page *t = fz_new_stext_page_from_page(ctx, p, NULL);
	fz_quad hits[8];
	int n = fz_search_stext_page(ctx, t, needle, NULL, hits, 8);
	if (n > 0 && q)
		*q = hits[0];
	fz_drop_stext_page(ctx, t);
	fz_drop_page(ctx, p);
	return n;
}

/* the catalog's ViewerPreferences /Duplex */
static const char *duplex_hint(fz_document *d)
{
	fz_context *ctx = frank_fz();
	pdf_document *pd = pdf_document_from_fz_document(ctx, d);
	pdf_obj *root = pdf_dict_get(ctx, pdf_trailer(ctx, pd), PDF_NAME(Root));
	return pdf_to_name(ctx, pdf_dict_gets(ctx, pdf_dict_gets(ctx, root, "ViewerPreferences"),
					      "Duplex"));
}

static bool has_text(fz_document *d, int page)
{
	fz_context *ctx = frank_fz();
	fz_page *p = fz_load_page(ctx, d, page);
	fz_stext_page *t = fz_new_stext_page_from_page(ctx, p, NULL);
	bool any = t->first_block != NULL;
	fz_drop_stext_page(ctx, t);
	fz_drop_page(ctx, p);
	return any;
}

/* every Type0 font of the file has a font program */
static bool fonts_embedded(fz_document *d, int *count)
{
	fz_context *ctx = frank_fz();
	pdf_document *pd = pdf_document_from_fz_document(ctx, d);
	int n = pdf_xref_len(ctx, pd);
	bool ok = true;
	*count = 0;
	for (int i = 1; i < n; i++) {
		pdf_obj *o = pdf_load_object(ctx, pd, i);
		if (pdf_name_eq(ctx, pdf_dict_get(ctx, o, PDF_NAME(Type)), PDF_NAME(Font))) {
			(*count)++;
			pdf_obj *fdsc = pdf_dict_get(ctx, o, PDF_NAME(FontDescriptor));
			pdf_obj *desc =
			    pdf_array_get(ctx, pdf_dict_get(ctx, o, PDF_NAME(DescendantFonts)), 0);
			if (desc)
				fdsc = pdf_dict_get(ctx, desc, PDF_NAME(FontDescriptor));
			if (desc || fdsc)
				ok = ok && (pdf_dict_get(ctx, fdsc, PDF_NAME(FontFile)) ||
					    pdf_dict_get(ctx, fdsc, PDF_NAME(FontFile2)) ||
					    pdf_dict_get(ctx, fdsc, PDF_NAME(FontFile3)));
		}
		pdf_drop_obj(ctx, o);
	}
	return ok;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.' || strlen(e->d_name) > 2;
	if (d)
		closedir(d);
	return n;
}

static json_t *file_entry(json_t *files, const char *name)
{
	for (size_t i = 0; i < json_array_size(files); i++)
		if (strcmp(json_string_value(json_object_get(json_array_get(files, i), "name")),
			   name) == 0)
			return json_array_get(files, i);
	return NULL;
}

static long long jint(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static void test_letters(void)
{
	struct printfile_opts o = { .data_dir = data_dir };
	json_t *pieces = json_array();
	json_array_append_new(pieces, piece("ltr_a", make_piece("ltrA", 3, 8.5, 11, NULL), 3));
	json_array_append_new(pieces, piece("ltr_b", make_piece("ltrB", 2, 8.5, 11, NULL), 2));
	json_array_append_new(pieces, piece("ltr_c", make_piece("ltrC", 1, 8.5, 11, NULL), 1));
	json_t *files = json_array();
	struct api_error err = { 0 };
	int rc =
	    write_lot(&o, lot("lot_letters", "letter", "us_letter", true, pieces), files, &err);
	if (!CHECK(rc == 0, "letters written (%s)", err.message))
		return;
	json_t *f = file_entry(files, "lot_letters.pdf");
	CHECK(f != NULL, "files_out names lot_letters.pdf");
	CHECK_STR(json_string_value(json_object_get(f, "kind")), "print", "kind print");
	CHECK_INT(jint(f, "pages"), 8, "3+1 blank, 2, 1+1 blank pages");
	CHECK_INT(jint(f, "sheets"), 4, "4 sheets");
	/* the size and hash describe the file on disk */
	char path[512];
	snprintf(path, sizeof path, "%s/lot_letters.pdf", out_dir);
	FILE *fp = fopen(path, "rb");
	static unsigned char buf[1 << 22];
	size_t len = fp ? fread(buf, 1, sizeof buf, fp) : 0;
	if (fp)
		fclose(fp);
	char hex[65];
	ids_sha256_hex(buf, len, hex);
	CHECK_INT(jint(f, "bytes"), (long long)len, "bytes is the file's size");
	CHECK_STR(json_string_value(json_object_get(f, "sha256")), hex, "sha256 of the file");

	fz_document *d = open_out("lot_letters.pdf");
	if (!CHECK(d != NULL, "the file opens"))
		return;
	CHECK_INT(fz_count_pages(frank_fz(), d), 8, "8 pages in the file");
	const char *expect[8] = { "ltrA p1", "ltrA p2", "ltrA p3", NULL, "ltrB p1", "ltrB p2",
				  "ltrC p1", NULL };
	bool order = true, boxes = true;
	for (int i = 0; i < 8; i++) {
		order = order && (expect[i] ? find(d, i, expect[i], NULL) == 1 : !has_text(d, i));
		const char *names[] = { "MediaBox", "CropBox", "BleedBox", "TrimBox" };
		for (int b = 0; b < 4; b++)
			boxes = boxes && rect_is(box(d, i, names[b]), 0, 0, 612, 792);
	}
	CHECK(order, "pieces in order, blank backs after odd last pages");
	CHECK(boxes, "every page: MediaBox = CropBox = BleedBox = TrimBox = 8.5x11");
	fz_quad q = { 0 };
	CHECK(find(d, 0, "ltrA p1", &q) == 1 && fabs(q.ll.x - 36) < 1 && fabs(q.ll.y - 756) < 4,
	      "page content where the piece put it (%.1f, %.1f)", q.ll.x, q.ll.y);
	CHECK_INT(find(d, 0, "DO NOT MAIL", NULL), 0, "a live lot has no TEST watermark");
	CHECK_STR(duplex_hint(d), "DuplexFlipLongEdge", "duplex hint: flip on the long edge");
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

static void test_parts_and_legal(void)
{
	struct printfile_opts o = { .data_dir = data_dir, .max_pieces_per_file = 2 };
	json_t *pieces = json_array();
	for (int i = 0; i < 3; i++) {
		char id[16], label[16];
		snprintf(id, sizeof id, "ltr_l%d", i);
		snprintf(label, sizeof label, "legal%d", i);
		json_array_append_new(pieces, piece(id, make_piece(label, 3, 8.5, 14, NULL), 3));
	}
	json_t *files = json_array();
	struct api_error err = { 0 };
	int rc = write_lot(&o, lot("lot_legal", "letter", "us_legal", false, pieces), files, &err);
	CHECK(rc == 0, "legal lot written (%s)", err.message);
	CHECK_INT(json_array_size(files), 2, "two parts of at most 2 pieces");
	json_t *p1 = file_entry(files, "lot_legal_part1.pdf"),
	       *p2 = file_entry(files, "lot_legal_part2.pdf");
	CHECK(p1 && jint(p1, "pages") == 6 && jint(p1, "sheets") == 6 && jint(p1, "pieces") == 2,
	      "part 1: 2 pieces, 6 single-sided pages, no blanks");
	CHECK(p2 && jint(p2, "pages") == 3 && jint(p2, "pieces") == 1, "part 2: the third piece");
	fz_document *d = open_out("lot_legal_part2.pdf");
	CHECK_STR(duplex_hint(d), "Simplex", "single-sided: the Simplex hint");
	CHECK(d && find(d, 0, "legal2 p1", NULL) == 1 &&
	      rect_is(box(d, 2, "TrimBox"), 0, 0, 612, 1008), "part 2 is legal2, 8.5x14 boxes");
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

static void test_errors(void)
{
	struct printfile_opts o = { .data_dir = data_dir };
	struct api_error err = { 0 };
	json_t *files = json_array();
	int before = count_entries(out_dir);

	json_t *pieces = json_array();
	json_array_append_new(pieces, piece("ltr_ok", make_piece("ok", 1, 8.5, 11, NULL), 1));
	json_array_append_new(pieces, piece("ltr_missing",
	                                    "0123456789abcdef0123456789abcdef"
	                                    "0123456789abcdef0123456789abcdef.pdf",
	                                    1));
	int rc =
	    write_lot(&o, lot("lot_missing", "letter", "us_letter", true, pieces), files, &err);
	CHECK(rc == -1 && strstr(err.message, "ltr_missing") && strstr(err.message, "lot_missing"),
	      "a missing PDF fails the lot naming lot and piece: %s", err.message);
	CHECK_INT(err.kind, ERR_NOT_FOUND, "not found");
	CHECK_INT(count_entries(out_dir), before, "no file (and no temp file) is left");
	CHECK_INT(json_array_size(files), 0, "nothing in files_out");

	/* one piece per part: the first part is written, then the lot fails on the second */
	o.max_pieces_per_file = 1;
	pieces = json_array();
	json_array_append_new(pieces, piece("ltr_ok", make_piece("ok", 1, 8.5, 11, NULL), 1));
	json_array_append_new(pieces, piece("ltr_missing", "0123456789abcdef0123456789abcdef"
							   "0123456789abcdef0123456789abcdef.pdf", 1));
	json_array_append_new(files, json_pack("{s:s}", "name", "earlier_lot.pdf"));
	rc = write_lot(&o, lot("lot_halfway", "letter", "us_letter", true, pieces), files, &err);
	CHECK(rc == -1 && strstr(err.message, "ltr_missing"), "the second part fails: %s",
	      err.message);
	CHECK_INT(count_entries(out_dir), before, "the part written before is removed");
	CHECK(json_array_size(files) == 1, "files_out keeps only what was there before");
	json_array_clear(files);
	o.max_pieces_per_file = 0;

	pieces = json_array();
	json_array_append_new(pieces, piece("ltr_count", make_piece("cnt", 3, 8.5, 11, NULL), 5));
	rc = write_lot(&o, lot("lot_count", "letter", "us_letter", true, pieces), files, &err);
	CHECK(rc == -1 && strstr(err.message, "ltr_count") && strstr(err.message, "5 pages"),
	      "a page count other than the plan's is refused: %s", err.message);

	pieces = json_array();
	json_array_append_new(pieces, piece("ltr_size", make_piece("sz", 1, 8.5, 14, NULL), 1));
	rc = write_lot(&o, lot("lot_size", "letter", "us_letter", true, pieces), files, &err);
	CHECK(rc == -1 && strstr(err.message, "ltr_size") && strstr(err.message, "page 1"),
	      "a legal page in a letter lot is refused: %s", err.message);

	pieces = json_array();
	json_array_append_new(pieces, piece("psc_one", make_piece("one", 1, 6.25, 4.25, NULL), 1));
	rc = write_lot(&o, lot("lot_onepage", "postcard", "4x6", true, pieces), files, &err);
	CHECK(rc == -1 && strstr(err.message, "psc_one") && strstr(err.message, "2 pages"),
	      "a one-page postcard is refused: %s", err.message);

	pieces = json_array();
	json_array_append_new(pieces, piece("ltr_dir", make_piece("dir", 1, 8.5, 11, NULL), 1));
	rc = write_lot(&o, lot("../escape", "letter", "us_letter", true, pieces), files, &err);
	CHECK(rc == -1 && err.kind == ERR_INVALID && strstr(err.message, "../escape"),
	      "a lot id that is not a file name is refused: %s", err.message);

	pieces = json_array();
	json_array_append_new(pieces, piece("psc_ok", make_piece("ok", 2, 6.25, 4.25, NULL), 2));
	json_array_append_new(pieces, piece("psc_6x9", make_piece("big", 2, 9.25, 6.25, NULL), 2));
	rc = write_lot(&o, lot("lot_cardsize", "postcard", "4x6", true, pieces), files, &err);
	CHECK(rc == -1 && strstr(err.message, "psc_6x9") && strstr(err.message, "page 1") &&
	      strstr(err.message, "6.25\"x4.25\""),
	      "a 6x9 card in a 4x6 lot is refused: %s", err.message);

	/* a 15 x 17 sheet is not smaller than 13 x 19, so nothing moves to 13 x 19 */
	pieces = json_array();
	json_array_append_new(pieces, piece("sfm_big", make_piece("big", 2, 18.25, 6.25, NULL), 2));
	o.sheet_w_in = 15;
	o.sheet_h_in = 17;
	rc = write_lot(&o, lot("lot_big", "self_mailer", "6x18_bifold", true, json_incref(pieces)),
		       files, &err);
	CHECK(rc == -1 && strstr(err.message, "15 x 17") && strstr(err.message, "needs at least"),
	      "a self-mailer larger than the sheet is refused with the size it needs: %s",
	      err.message);
	CHECK_INT(count_entries(out_dir), before, "failed lots leave no files");
	/* on a configured 12 x 18 sheet the 6x18 bifold goes on 13 x 19 instead */
	o.sheet_w_in = 12;
	o.sheet_h_in = 18;
	rc = write_lot(&o, lot("lot_big", "self_mailer", "6x18_bifold", true, pieces), files, &err);
	CHECK(rc == 0, "a 6x18 bifold with a 12 x 18 sheet configured is imposed on 13 x 19: %s",
	      rc ? err.message : "");
	json_decref(files);
}

/* Lob's default self-mailer, 6x18 (18.25 x 6.25 with bleed), with no sheet configured: it
 * does not fit 12x18, so it goes 2-up on 13x19, turned */
static void test_self_mailers(void)
{
	struct printfile_opts o = { .data_dir = data_dir };
	json_t *pieces = json_array();
	const char *key =
	    make_piece("sfm", 2, 18.25, 6.25, (const char *const[]){ "inside", "outside" });
	for (int i = 0; i < 3; i++) {
		char id[16];
		snprintf(id, sizeof id, "sfm_%d", i);
		json_array_append_new(pieces, piece(id, key, 2));
	}
	json_t *files = json_array();
	struct api_error err = { 0 };
	CHECK(write_lot(&o, lot("lot_sfm", "self_mailer", "6x18_bifold", true, pieces), files,
			&err) == 0, "6x18 self-mailers written (%s)", err.message);
	fz_document *d = open_out("lot_sfm.pdf");
	CHECK(d && fz_count_pages(frank_fz(), d) == 4 &&
	      rect_is(box(d, 0, "MediaBox"), 0, 0, 13 * 72, 19 * 72),
	      "3 self-mailers 2-up on 13x19: 2 sheets");
	CHECK(d && find(d, 0, "sfm inside", NULL) == 2 && find(d, 1, "sfm outside", NULL) == 2 &&
	      find(d, 2, "sfm inside", NULL) == 1, "two per sheet, then one");
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

/* the darkest gray (0 black .. 255 white) within r pixels of (x, y) inches of page i,
 * rendered at 4x */
static int darkest(fz_document *d, int i, double x, double y, int r)
{
	fz_context *ctx = frank_fz();
	fz_page *p = fz_load_page(ctx, d, i);
	fz_pixmap *pix = fz_new_pixmap_from_page(ctx, p, fz_scale(4, 4), fz_device_gray(ctx), 0);
	int best = 255, cx = (int)(x * 288), cy = (int)(y * 288);
	for (int yy = cy - r; yy <= cy + r; yy++)
		for (int xx = cx - r; xx <= cx + r; xx++)
			if (xx >= 0 && yy >= 0 && xx < pix->w && yy < pix->h &&
			    pix->samples[yy * pix->stride + xx] < best)
				best = pix->samples[yy * pix->stride + xx];
	fz_drop_pixmap(ctx, pix);
	fz_drop_page(ctx, p);
	return best;
}

static const char *const card_sides[] = { "front", "back" };

/* 4x6 postcards: 5 on 12x18 (1 x 4 upright, 2 sheets), permit and watermark */
static void test_postcards(void)
{
	struct permit_imprint permit = { "FIRST-CLASS MAIL", "San Francisco", "CA", "1234" };
	struct printfile_opts o = { .data_dir = data_dir, .permit = &permit,
				    .test_watermark = true };
	json_t *pieces = json_array();
	for (int i = 0; i < 5; i++) {
		char id[16], label[16];
		snprintf(id, sizeof id, "psc_%d", i);
		snprintf(label, sizeof label, "card%d", i);
		json_array_append_new(pieces,
		                      piece(id, make_piece(label, 2, 6.25, 4.25, card_sides), 2));
	}
	json_t *files = json_array();
	struct api_error err = { 0 };
	int rc = write_lot(&o, lot("lot_cards", "postcard", "4x6", true, pieces), files, &err);
	if (!CHECK(rc == 0, "postcards imposed (%s)", err.message))
		return;
	json_t *f = file_entry(files, "lot_cards.pdf");
	CHECK(f && jint(f, "pages") == 4 && jint(f, "sheets") == 2, "2 press sheets, 4 pages");
	fz_document *d = open_out("lot_cards.pdf");
	if (!CHECK(d != NULL, "the file opens"))
		return;
	/* block: x 2.875..9.125 in, y 0.375..17.375 in from the top; PDF y from the bottom */
	bool boxes = true;
	for (int i = 0; i < 4; i++)
		boxes = boxes && rect_is(box(d, i, "MediaBox"), 0, 0, 864, 1296) &&
			rect_is(box(d, i, "BleedBox"), 207, 45, 657, 1269) &&
			rect_is(box(d, i, "TrimBox"), 216, 54, 648, 1260);
	CHECK(boxes, "sheet MediaBox 12x18, BleedBox the block, TrimBox the block less bleed");
	/* cut and stack: sheet 1 holds pieces 0, 2, 4; sheet 2 pieces 1, 3 */
	struct { int page; const char *text; int pos; } at[] = {
		{ 0, "card0 front", 0 }, { 0, "card2 front", 1 }, { 0, "card4 front", 2 },
		{ 1, "card0 back", 0 }, { 1, "card4 back", 2 }, { 2, "card1 front", 0 },
		{ 2, "card3 front", 1 }, { 3, "card3 back", 1 },
	};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		fz_quad q = { 0 };
		/* (36, 36) pt from the artboard's bottom-left: tile top + 4.25 in - 36 pt */
		double x = 2.875 * 72 + 36, y = (0.375 + 4.25 * (at[i].pos + 1)) * 72 - 36;
		CHECK(find(d, at[i].page, at[i].text, &q) == 1 && fabs(q.ll.x - x) < 1 &&
		      fabs(q.ll.y - y) < 4, "page %d: %s in tile %d (%.1f, %.1f)", at[i].page + 1,
		      at[i].text, at[i].pos, q.ll.x, q.ll.y);
	}
	CHECK_INT(find(d, 2, "card4", NULL), 0, "no piece twice");
	/* crop marks on the trim lines' extensions, outside the bleed: above the block at the
	 * left trim (x 3.0 in, y 0.125..0.3125 in) and left of it at the first row's top trim
	 * (y 0.5 in); nothing between the mark and the bleed (the 1/16" gap) */
	CHECK(darkest(d, 0, 3.0, 0.22, 2) < 160, "crop mark above the left trim line");
	CHECK(darkest(d, 0, 2.875 - 0.15, 0.5, 2) < 160, "crop mark left of the top trim line");
	CHECK(darkest(d, 0, 3.0, 0.345, 1) > 200, "the gap between mark and bleed stays clear");
	CHECK(darkest(d, 1, 3.0, 17.375 + 0.15, 2) < 160, "crop marks on the back too");
	fz_quad q = { 0 };
	CHECK(find(d, 1, "PERMIT NO. 1234", &q) == 3 && q.ll.x > (2.875 + 4.875) * 72 &&
	      q.ll.y < (0.375 + 1.725 + 0.75) * 72 && q.ll.y > (0.375 + 1.725) * 72,
	      "the permit imprint in the postage area of each back (first: %.1f, %.1f)", q.ll.x,
	      q.ll.y);
	CHECK(find(d, 1, "U.S. POSTAGE PAID", NULL) == 3 &&
	          find(d, 1, "SAN FRANCISCO CA", NULL) == 3,
	      "every back of sheet 1 has the indicia's lines");
	CHECK_INT(find(d, 0, "PERMIT NO.", NULL), 0, "fronts have no indicia");
	bool wm = true;
	for (int i = 0; i < 4; i++)
		wm = wm && find(d, i, "DO NOT MAIL", NULL) == 1;
	CHECK(wm, "TEST watermark on every page");
	CHECK(find(d, 0, "run_test | lot_cards | sheet 1 of 2 | front", &q) == 1 &&
	      q.ll.y > 17.375 * 72 + IMPOSE_MARGIN_IN * 72, "slug line below the crop marks (%.1f)",
	      q.ll.y);
	CHECK(find(d, 3, "sheet 2 of 2 | back | work-and-turn", NULL) == 1,
	      "back slug names the convention");
	int nfonts = 0;
	CHECK(fonts_embedded(d, &nfonts) && nfonts > 0, "all %d fonts embedded", nfonts);
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

/* 13x19: 2 columns, so a turned back lands in the other column; a tumbled one in the
 * other row; 9x14 turns the cards 90 degrees */
static void test_duplex(void)
{
	struct printfile_opts o = { .data_dir = data_dir, .sheet_w_in = 13, .sheet_h_in = 19 };
	const char *key = make_piece("dup", 2, 6.25, 4.25, card_sides);
	for (int tumble = 0; tumble < 2; tumble++) {
		json_t *pieces = json_array();
		json_array_append_new(pieces, piece("psc_dup", key, 2));
		json_t *l =
		    lot(tumble ? "lot_tumble" : "lot_turn", "postcard", "4x6", true, pieces);
		json_object_set_new(l, "duplex", json_string(tumble ? "work_and_tumble"
								    : "work_and_turn"));
		json_t *files = json_array();
		struct api_error err = { 0 };
		CHECK(write_lot(&o, l, files, &err) == 0, "13x19 lot written (%s)", err.message);
		fz_document *d = open_out(tumble ? "lot_tumble.pdf" : "lot_turn.pdf");
		CHECK_STR(d ? duplex_hint(d) : NULL,
			  tumble ? "DuplexFlipShortEdge" : "DuplexFlipLongEdge",
			  "the duplex hint follows the convention");
		fz_quad f = { 0 }, b = { 0 };
		bool found =
		    d && find(d, 0, "dup front", &f) == 1 && find(d, 1, "dup back", &b) == 1;
		/* block x 0.25..12.75, y 0.875..17.875 in: tile 0 at (0.25, 0.875) */
		if (!tumble)
			CHECK(found && fabs(f.ll.x - (0.25 * 72 + 36)) < 1 &&
			      fabs(b.ll.x - (6.5 * 72 + 36)) < 1 && fabs(b.ll.y - f.ll.y) < 1,
			      "turn: the back in the mirrored column, head to head (%.1f, %.1f)",
			      b.ll.x, b.ll.y);
		else	/* row 4 (y 13.625 in), turned 180: the text runs right to left */
			CHECK(found && fabs(b.ll.x - (6.5 * 72 - 36)) < 1 && b.ur.x < b.ll.x &&
			          b.ll.y > 13.625 * 72 && b.ll.y < 13.625 * 72 + 72,
			      "tumble: the back in the mirrored row, turned 180 (%.1f, %.1f)",
			      b.ll.x, b.ll.y);
		fz_drop_document(frank_fz(), d);
		json_decref(files);
	}
	o.sheet_w_in = 9;
	o.sheet_h_in = 14;
	json_t *pieces = json_array();
	json_array_append_new(pieces, piece("psc_rot", key, 2));
	json_t *files = json_array();
	struct api_error err = { 0 };
	CHECK(write_lot(&o, lot("lot_rot", "postcard", "4x6", true, pieces), files, &err) == 0,
	      "9x14 lot written (%s)", err.message);
	fz_document *d = open_out("lot_rot.pdf");
	fz_quad q = { 0 };
	/* turned counter-clockwise: the text runs up the page */
	int hits = d ? find(d, 0, "dup front", &q) : 0;
	CHECK(hits == 1 && q.ur.y < q.ll.y - 40 && q.ur.x < q.ll.x && q.ll.x - q.ur.x < 20,
	      "rotated grid: the card is turned 90 degrees (%d: %.1f,%.1f %.1f,%.1f)", hits,
	      q.ll.x, q.ll.y, q.ur.x, q.ur.y);
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

/* gray value (0 black .. 255 white) at (x, y) inches of page i, rendered at 4x */
static int gray_at(fz_document *d, int i, double x, double y)
{
	return darkest(d, i, x, y, 0);
}

static void test_inserter_marks(void)
{
	struct printfile_opts o = { .data_dir = data_dir, .marks = PRINT_MARKS_OMR };
	json_t *pieces = json_array();
	json_array_append_new(pieces, piece("ltr_omr", make_piece("omr", 3, 8.5, 11, NULL), 3));
	json_t *files = json_array();
	struct api_error err = { 0 };
	CHECK(write_lot(&o, lot("lot_omr", "letter", "us_letter", true, pieces), files, &err) == 0,
	      "OMR lot written (%s)", err.message);
	fz_document *d = open_out("lot_omr.pdf");
	if (!CHECK(d != NULL, "the file opens"))
		return;
	/* positions 4.0, 4.125, ... 4.75 in; marks at x 0.1875..0.5625 */
	const char *want[2] = { "1010011", "1100101" };	/* sheet 1 of 2; sheet 2 of 2 (EOC) */
	for (int s = 0; s < 2; s++) {
		char got[8] = "";
		for (int k = 0; k < 7; k++)
			got[k] = gray_at(d, 2 * s, 0.375, 4.0 + k * 0.125) < 128 ? '1' : '0';
		CHECK_STR(got, want[s], "OMR marks of sheet %d: BM EOC PAR WAS WAS WAS SAF", s + 1);
	}
	CHECK(gray_at(d, 1, 0.375, 4.0) > 200, "no marks on the back");
	fz_drop_document(frank_fz(), d);
	json_decref(files);

	/* the DataMatrix file the tools test decodes with dmtxread */
	o.marks = PRINT_MARKS_DATAMATRIX;
	pieces = json_array();
	json_array_append_new(pieces, piece("ltr_dm1", make_piece("dm", 3, 8.5, 11, NULL), 3));
	files = json_array();
	CHECK(write_lot(&o, lot("lot_dm", "letter", "us_letter", true, pieces), files, &err) == 0,
	      "DataMatrix lot written (%s)", err.message);
	d = open_out("lot_dm.pdf");
	CHECK(d && gray_at(d, 0, 0.125 + 0.04 + 0.01, 11 - 0.125 - 0.05) < 128,
	      "a dark module in the bottom-left DataMatrix box");
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

static void test_checks(void)
{
	struct printfile_opts o = { .data_dir = data_dir };
	json_t *pieces = json_array();
	json_array_append_new(pieces,
	                      piece("chk_2", make_piece("check10002", 1, 8.5, 11, NULL), 1));
	json_array_append_new(pieces,
	                      piece("chk_1", make_piece("check10001", 2, 8.5, 11, NULL), 2));
	json_t *files = json_array();
	struct api_error err = { 0 };
	json_t *l = lot("lot_checks", "check", "check", true, pieces);
	json_object_set_new(l, "test", json_true());
	CHECK(write_lot(&o, l, files, &err) == 0,
	      "checks written (%s)", err.message);
	fz_document *d = open_out("lot_checks.pdf");
	CHECK(d && fz_count_pages(frank_fz(), d) == 4 && find(d, 0, "check10002 p1", NULL) == 1 &&
	      find(d, 2, "check10001 p1", NULL) == 1, "checks in the given order, blank back");
	bool wm = d != NULL;
	for (int i = 0; wm && i < 4; i++)
		wm = find(d, i, "DO NOT MAIL", NULL) == 1;
	CHECK(wm, "a test lot is watermarked on every page, blank backs too, without the option");
	fz_drop_document(frank_fz(), d);
	json_decref(files);
}

int main(void)
{
	if (!CHECK(mkdtemp(data_dir) != NULL, "temp data dir"))
		return test_done();
	out_dir = getenv("PRINTFILE_OUT");
	bool keep = out_dir && *out_dir;
	if (!keep) {
		if (!CHECK(mkdtemp(tmp_out) != NULL, "temp output dir"))
			return test_done();
		out_dir = tmp_out;
	}
	test_letters();
	test_parts_and_legal();
	test_errors();
	test_postcards();
	test_self_mailers();
	test_duplex();
	test_inserter_marks();
	test_checks();
	char cmd[256];
	snprintf(cmd, sizeof cmd, "rm -rf %s%s%s", data_dir, keep ? "" : " ", keep ? "" : tmp_out);
	CHECK_INT(system(cmd), 0, "cleanup");
	return test_done();
}
