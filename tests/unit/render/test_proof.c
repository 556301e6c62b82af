/*
 * The proof pipeline: HTML laid out and trimmed to the page limit; customer PDFs refused for
 * size, page count and damage; the letter's address block lands inside the #10 windows for
 * each address_placement (text positions extracted back with MuPDF); the certified cover's
 * GS1-128 barcode decodes (zbarimg) to the tracking number; thumbnails are PNGs.
 */
#include "render/image_pdf.h"
#include "render/mupdf_html.h"
#include "render/pdf_inspect.h"
#include "render/proof.h"
#include "render/thumbs.h"
#include "render/fz.h"
#include "render/imb.h"
#include "render/impb.h"
#include "test.h"
#include <mupdf/pdf.h>
#include <stdlib.h>
#include <unistd.h>

static const char *const to[] = { "HARRY ZHANG", "210 KING ST", "SAN FRANCISCO CA 94107-1702", NULL };
static const char *const from[] = { "LEORE AVIDAR", "185 BERRY ST STE 6100", "SAN FRANCISCO CA 94107", NULL };

/* the bounding box (points from the page's top-left) of the line containing needle */
static bool find_text(const unsigned char *pdf, size_t len, int page, const char *needle,
		      fz_rect *where)
{
	fz_context *ctx = frank_fz();
	bool found = false;
	fz_document *doc = NULL;
	fz_stext_page *st = NULL;
	fz_var(doc);
	fz_var(st);
	fz_try(ctx) {
		fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, pdf, len);
		fz_stream *stm = fz_open_buffer(ctx, buf);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, buf);
		st = fz_new_stext_page_from_page_number(ctx, doc, page, NULL);
		for (fz_stext_block *b = st->first_block; b && !found; b = b->next) {
			if (b->type != FZ_STEXT_BLOCK_TEXT)
				continue;
			for (fz_stext_line *l = b->u.t.first_line; l && !found; l = l->next) {
				char text[256];
				size_t n = 0;
				for (fz_stext_char *c = l->first_char; c && n + 1 < sizeof(text); c = c->next)
					text[n++] = c->c < 128 ? (char)c->c : '?';
				text[n] = '\0';
				if (strstr(text, needle)) {
					*where = l->bbox;
					found = true;
				}
			}
		}
	}
	fz_always(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_drop_document(ctx, doc);
	}
	fz_catch(ctx)
		return false;
	return found;
}

static bool inside(fz_rect r, double x0_in, double y0_in, double w_in, double h_in)
{
	return r.x0 >= x0_in * 72 - 1 && r.y0 >= y0_in * 72 - 1 && r.x1 <= (x0_in + w_in) * 72 + 1 &&
	       r.y1 <= (y0_in + h_in) * 72 + 1;
}

static void test_html(void)
{
	struct api_error err;
	unsigned char *pdf = NULL;
	size_t len;
	unsigned pages = 0;
	CHECK_INT(mupdf_html_to_pdf("<p>Dear Harry,</p><p>Your order shipped.</p>", 44, 8.5, 11, 60,
				    &pdf, &len, &pages, &err), 0, "HTML lays out");
	CHECK_INT(pages, 1, "one page");
	fz_rect r;
	CHECK(find_text(pdf, len, 0, "order shipped", &r), "the text is on the page");
	struct pdf_expect letter = { 8.5, 11, 0.05, 1, 60, 0 };
	struct pdf_info info;
	CHECK_INT(pdf_check(pdf, len, &letter, &info, &err), 0, "the rendered page is 8.5x11");
	free(pdf);

	/* 200 paragraphs overflow: trimmed at the limit, as Lob trims HTML */
	size_t cap = 200 * 64, used = 0;
	char *long_html = malloc(cap);
	for (int i = 0; i < 200; i++)
		used += (size_t)snprintf(long_html + used, cap - used, "<p>Line %d</p>", i);
	CHECK_INT(mupdf_html_to_pdf(long_html, used, 8.5, 11, 3, &pdf, &len, &pages, &err), 0,
		  "long HTML lays out");
	CHECK_INT(pages, 3, "trimmed to the page limit");
	letter.max_pages = 2;
	CHECK_INT(pdf_check(pdf, len, &letter, &info, &err), -1, "three pages exceed two");
	CHECK_INT(err.kind, ERR_FILE_PAGES_EXCEED_MAX, "file_pages_exceed_max");
	free(pdf);
	free(long_html);

	CHECK_INT(mupdf_html_to_pdf("<p>A4</p>", 9, 8.27, 11.69, 1, &pdf, &len, &pages, &err), 0, "A4");
	letter.max_pages = 60;
	CHECK_INT(pdf_check(pdf, len, &letter, &info, &err), -1, "A4 is not a letter page");
	CHECK_INT(err.kind, ERR_INVALID_FILE_DIMENSIONS, "invalid_file_dimensions");
	CHECK(strstr(err.message, "8.27") != NULL, "the message names the size found: %s", err.message);
	free(pdf);
	CHECK_INT(pdf_check((const unsigned char *)"%PDF-1.4 garbage", 16, &letter, &info, &err), -1,
		  "a damaged PDF");
	CHECK_INT(err.kind, ERR_INVALID_FILE, "invalid_file");
}

static unsigned char *blank_letter(size_t *len)
{
	struct api_error err;
	unsigned char *pdf = NULL;
	unsigned pages;
	mupdf_html_to_pdf("<p style='margin-top:5in'>Body of the letter</p>", 48, 8.5, 11, 60, &pdf, len,
			  &pages, &err);
	return pdf;
}

static void test_placements(void)
{
	struct api_error err;
	char tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1];
	imb_tracking("00", "270", "999999999", 42, tracking, &err);
	imb_bars(tracking, "94107170210", bars, &err);
	size_t len;
	unsigned char *pdf = blank_letter(&len);
	static const struct {
		const char *placement;
		int page;
		double dx, dy;
	} cases[] = {
		{ "top_first_page", 0, 0, 0 },
		{ "insert_blank_page", 0, 0, 0 },
		{ "bottom_first_page", 0, 0, 8.16 - 0.84 },
		{ "bottom_first_page_center", 0, (8.5 - 3.15) / 2 - 0.6, 8.16 - 0.84 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* a named copy: gcc's ASan build cannot see that the table has no NULL */
		const char *name = cases[i].placement ? cases[i].placement : "?";
		struct proof_letter l = { .placement = name, .imb_bars = bars };
		memcpy(l.to, to, sizeof(to));
		memcpy(l.from, from, sizeof(from));
		unsigned char *out = NULL;
		size_t out_len;
		unsigned pages;
		CHECK_INT(proof_stamp_letter(pdf, len, &l, &out, &out_len, &pages, &err), 0, "%s stamps",
			  name);
		fz_rect r;
		bool got = find_text(out, out_len, cases[i].page, "HARRY ZHANG", &r);
		CHECK(got && inside(r, 0.625 + cases[i].dx, 1.7 + cases[i].dy, 4, 1),
		      "%s: recipient inside the recipient window", name);
		got = find_text(out, out_len, cases[i].page, "94107-1702", &r);
		CHECK(got && inside(r, 0.625 + cases[i].dx, 1.7 + cases[i].dy, 4, 1),
		      "%s: last line inside the window", name);
		got = find_text(out, out_len, cases[i].page, "LEORE AVIDAR", &r);
		CHECK(got && inside(r, 0.625 + cases[i].dx, 0.5 + cases[i].dy, 3.25, 0.875),
		      "%s: return address inside the return window", name);
		CHECK_INT(pages, strcmp(name, "insert_blank_page") == 0 ? 2 : 1,
			  "%s: page count", name);
		if (strcmp(name, "insert_blank_page") == 0)
			CHECK(find_text(out, out_len, 1, "Body of the letter", &r),
			      "insert_blank_page keeps the letter on page 2");
		free(out);
	}
	free(pdf);
}

/* renders page 0 at 300 dpi and runs zbarimg on it; the decoded text or "" */
static void decode_page(const unsigned char *pdf, size_t len, char *out, size_t outlen)
{
	struct api_error err;
	unsigned char *png = NULL;
	size_t png_len;
	char path[] = "/tmp/frank-proof-XXXXXX.png";
	out[0] = '\0';
	static const unsigned width[1] = { 2550 };	/* 300 dpi */
	struct thumb_set set = { 0 };
	if (pdf_thumbnails(pdf, len, width, 1, 1, &set, &err) < 0)
		return;
	png = set.png[0].data;
	png_len = set.png[0].len;
	set.png[0].data = NULL;
	thumb_set_free(&set);
	int fd = mkstemps(path, 4);
	if (fd < 0 || write(fd, png, png_len) != (ssize_t)png_len) {
		free(png);
		return;
	}
	close(fd);
	free(png);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "zbarimg --raw -q %s 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	if (p) {
		if (!fgets(out, (int)outlen, p))
			out[0] = '\0';
		pclose(p);
	}
	out[strcspn(out, "\n")] = '\0';
	unlink(path);
}

static void test_certified(void)
{
	struct api_error err;
	char pic[IMPB_PIC_MAX + 1], tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1];
	CHECK_INT(impb_build("071", "999999999", 7, 22, pic, &err), 0, "a tracking number");
	imb_tracking("00", "270", "999999999", 43, tracking, &err);
	imb_bars(tracking, "94107", bars, &err);
	size_t len;
	unsigned char *pdf = blank_letter(&len);
	struct proof_letter l = { .imb_bars = bars, .certified_pic = pic, .certified_zip = "94107",
				  .double_sided = true };
	memcpy(l.to, to, sizeof(to));
	memcpy(l.from, from, sizeof(from));
	unsigned char *out = NULL;
	size_t out_len;
	unsigned pages;
	CHECK_INT(proof_stamp_letter(pdf, len, &l, &out, &out_len, &pages, &err), 0, "certified stamps");
	CHECK_INT(pages, 3, "double-sided: a 2-page cover sheet before the letter");
	fz_rect r;
	CHECK(find_text(out, out_len, 0, "CERTIFIED MAIL", &r), "the cover says CERTIFIED MAIL");
	CHECK(find_text(out, out_len, 0, "HARRY ZHANG", &r) && inside(r, 0.625, 1.7, 4, 1),
	      "the cover carries the recipient in the window");
	char hri[64];
	impb_hri(pic, hri, sizeof(hri), &err);
	CHECK(find_text(out, out_len, 0, hri, &r), "the tracking number in human-readable form");
	char decoded[128];
	decode_page(out, out_len, decoded, sizeof(decoded));
	char want[128];
	snprintf(want, sizeof(want), "42094107%s", pic);
	/* zbar prints GS1 data without parentheses; the FNC1 separator may show as GS (0x1d) */
	char clean[128];
	size_t n = 0;
	for (const char *c = decoded; *c && n + 1 < sizeof(clean); c++)
		if (*c >= '0' && *c <= '9')
			clean[n++] = *c;
	clean[n] = '\0';
	CHECK_STR(clean, want, "the GS1-128 barcode decodes to (420)ZIP + the tracking number");
	static const unsigned w300[1] = { 300 };
	struct thumb_set set = { 0 };
	CHECK_INT(pdf_thumbnails(out, out_len, w300, 1, 3, &set, &err), 0, "thumbnails");
	CHECK(set.n_pages == 3 && set.png[2].len > 8 && memcmp(set.png[2].data, "\x89PNG", 4) == 0,
	      "thumbnails are PNG, one per page");
	thumb_set_free(&set);
	free(out);
	free(pdf);
}

static void test_qr(void)
{
	struct api_error err;
	char tracking[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1];
	imb_tracking("00", "270", "999999999", 44, tracking, &err);
	imb_bars(tracking, "94107", bars, &err);
	size_t len;
	unsigned char *pdf = blank_letter(&len);
	bool pages[3] = { false, true, false };
	struct proof_letter l = { .imb_bars = bars, .qr_data = "https://example.com/r?id=42&x=1",
				  .qr_x = 5.5, .qr_y = 7.0, .qr_width = 2.0, .qr_pages = pages,
				  .qr_npages = 3 };
	memcpy(l.to, to, sizeof(to));
	memcpy(l.from, from, sizeof(from));
	unsigned char *out = NULL;
	size_t out_len;
	unsigned n;
	CHECK_INT(proof_stamp_letter(pdf, len, &l, &out, &out_len, &n, &err), 0, "a letter with a QR code");
	char decoded[256];
	decode_page(out, out_len, decoded, sizeof(decoded));
	/* zbarimg prints every symbol; the QR's text is one of the lines */
	CHECK(strstr(decoded, "https://example.com/r?id=42&x=1") != NULL || strcmp(decoded, "https://example.com/r?id=42&x=1") == 0,
	      "the QR code decodes to the redirect URL (got \"%s\")", decoded);
	free(out);
	free(pdf);
}

int main(void)
{
	test_qr();
	test_html();
	test_placements();
	test_certified();
	return test_done();
}
