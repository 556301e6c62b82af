// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Letters: for each address_placement the stamped page is read back — text boxes from
 * MuPDF's structured text, the IMb measured bar by bar from a 600 dpi raster — and every
 * line must show through the envelope's windows wherever the folded sheet sits (the windows
 * and the play come from the reference: stamp_fixtures.h). Certified cover sheets: the
 * GS1-128 barcode decodes with zbarimg to (420)ZIP + the tracking number. QR codes decode.
 */
#include "barcode/imb.h"
#include "barcode/impb.h"
#include "pdf/pdf_inspect.h"
#include "pdf/pdf_util.h"
#include "test.h"
#include "pdf/pdf_fixtures.h"
#include "stamp_fixtures.h"
#include <time.h>

static const char *const to[] = { "HARRY ZHANG", "210 KING ST", "SAN FRANCISCO CA 94107-1702", NULL };
static const char *const from[] = { "LEORE AVIDAR", "185 BERRY ST STE 6100", "SAN FRANCISCO CA 94105",
				    NULL };
static char bars[IMB_BARS + 1], pic[IMPB_PIC_MAX + 1];

static unsigned char *letter_pages(int n, size_t *len)
{
	struct fixture_page *p = calloc((size_t)n, sizeof(*p));
	for (int i = 0; i < n; i++)
		p[i] = (struct fixture_page){ 612, 792, fz_empty_rect, 0 };
	struct fixture_opts o = { .font = "Helvetica" };
	unsigned char *pdf = fixture_pdf(p, n, &o, len);
	free(p);
	return pdf;
}

static struct stamp_request letter(const char *placement)
{
	struct stamp_request rq = { .product = "letter", .address_placement = placement,
				    .imb_bars = bars, .recipient_zip = "94107" };
	memcpy(rq.to, to, sizeof(to));
	memcpy(rq.from, from, sizeof(from));
	return rq;
}

/* the IMb read back from its place: the bars, USPS-B-3200 sizes, and its clear zone */
static void check_imb(const unsigned char *pdf, size_t len, int page, struct rect_in at,
		      const char *what, const struct window *w, double panel_top)
{
	struct imb_read got;
	struct box clip = { at.x - 0.1, at.y - 0.028, at.x + at.w + 0.1, at.y + at.h + 0.028 };
	bool ok = imb_on_page(pdf, len, page, clip, &got);
	CHECK(ok, "%s: 65 bars found in the IMb's place and its clear zone", what);
	if (!ok)
		return;
	CHECK_STR(got.bars, bars, "%s: the bars read back are the barcode's", what);
	CHECK(got.pitch_in >= 1 / 24.0 && got.pitch_in <= 1 / 20.0,
	      "%s: 20-24 bars per inch (%.1f)", what, 1 / got.pitch_in);
	CHECK(got.bar_w_in >= 0.015 && got.bar_w_in <= 0.025, "%s: bars 0.015-0.025\" wide (%.4f)",
	      what, got.bar_w_in);
	CHECK(got.full_h_in >= 0.125 && got.full_h_in <= 0.165, "%s: full bars 0.125-0.165\" (%.4f)",
	      what, got.full_h_in);
	CHECK(got.tracker_h_in >= 0.039 && got.tracker_h_in <= 0.057,
	      "%s: tracker 0.039-0.057\" (%.4f)", what, got.tracker_h_in);
	if (w) {
		struct box clear = { got.at.x0 - 0.125, got.at.y0 - 0.028, got.at.x1 + 0.125,
				     got.at.y1 + 0.028 };
		CHECK(shows_through(clear, w, panel_top, 0),
		      "%s: the IMb and its clear zone show through the %s", what, w->name);
	}
}

/* the recipient (with its IMb) and the return address show through the envelope's windows */
static void check_windows(const unsigned char *pdf, size_t len, int page, double panel_top,
			  const struct stamp_result *res, const char *what)
{
	struct box a, b;
	bool got = find_text(pdf, len, page, "HARRY ZHANG", &a) &&
		   find_text(pdf, len, page, "94107-1702", &b);
	bool flat = res->envelope && res->envelope->kind == ENVELOPE_FLAT_9X12;
	const struct window *rw = flat ? &flat_window : &no10_recipient;
	const struct window *fw = flat ? &flat_window : &no10_return;
	struct box lines = { a.x0, a.y0, b.x1 > a.x1 ? b.x1 : a.x1, b.y1 };
	CHECK(got && shows_through(lines, rw, panel_top, 0),
	      "%s: the recipient lines show through the %s", what, rw->name);
	got = find_text(pdf, len, page, "LEORE AVIDAR", &a) &&
	      find_text(pdf, len, page, "SAN FRANCISCO CA 94105", &b);
	lines = (struct box){ a.x0, a.y0, b.x1 > a.x1 ? b.x1 : a.x1, b.y1 };
	CHECK(got && shows_through(lines, fw, panel_top, 0),
	      "%s: the return address shows through the %s", what, fw->name);
	check_imb(pdf, len, page, res->layout.imb, what, rw, panel_top);
}

static void placements(void)
{
	static const struct {
		const char *placement;
		bool duplex;
		unsigned pages, added;
		double panel_top;
	} cases[] = {
		{ "top_first_page", false, 1, 0, 0 },
		{ "insert_blank_page", false, 2, 1, 0 },
		{ "insert_blank_page", true, 3, 2, 0 },
		{ "bottom_first_page", true, 1, 0, 22.0 / 3 },
	};
	size_t len;
	unsigned char *pdf = letter_pages(1, &len);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char what[64];
		snprintf(what, sizeof(what), "%s%s", cases[i].placement,
			 cases[i].duplex ? " (double-sided)" : "");
		struct stamp_request rq = letter(cases[i].placement);
		rq.double_sided = cases[i].duplex;
		unsigned char *out = NULL;
		size_t out_len = 0;
		struct stamp_result res;
		struct api_error err;
		CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "%s stamps", what);
		if (!out)
			continue;
		CHECK_INT(res.pages, cases[i].pages, "%s: pages", what);
		CHECK_INT(fixture_count_pages(out, out_len), (int)cases[i].pages, "%s: pages in the PDF", what);
		CHECK(res.envelope && res.envelope->kind == ENVELOPE_DOUBLE_WINDOW_10,
		      "%s: one sheet goes in the #10 double window", what);
		check_windows(out, out_len, 0, cases[i].panel_top, &res, what);
		struct box b;
		CHECK(find_text(out, out_len, (int)cases[i].added, "Hello", &b),
		      "%s: the letter's own text is on page %u", what, cases[i].added + 1);
		struct pdf_expect want = { 8.5, 11, 0.01, 1, 120, 0 };
		CHECK_INT_RUN(pdf_check(out, out_len, &want, NULL, &err), 0,
			      "%s: the proof passes Lob's file checks (standard fonts only)", what);
		free(out);
	}

	/* the most lines an address has, each long: fitted, still inside the windows */
	static const char *const six[] = { "HARRY ZHANG", "ZHANG AND DAUGHTERS INTERNATIONAL TRADING LLC",
					   "210 KING ST STE 1000 BUILDING C NORTH ENTRANCE",
					   "ATTN RECEIVING DOCK 4", "SAN FRANCISCO CA 94107-1702",
					   "UNITED STATES OF AMERICA" };
	static const char *const six_from[] = { "LEORE AVIDAR", "ACME SUPPLY COMPANY OF NORTHERN CALIFORNIA AND THE GREATER BAY AREA INC",
						"185 BERRY ST STE 6100", "MISSION BAY OFFICE",
						"SAN FRANCISCO CA 94105", "UNITED STATES" };
	for (int duplex = 0; duplex < 2; duplex++) {
		struct stamp_request rq = letter(duplex ? "bottom_first_page" : "top_first_page");
		memcpy(rq.to, six, sizeof(six));
		memcpy(rq.from, six_from, sizeof(six_from));
		unsigned char *out = NULL;
		size_t out_len = 0;
		struct stamp_result res;
		struct api_error err;
		const char *what = duplex ? "six lines, bottom" : "six lines, top";
		double top = duplex ? 22.0 / 3 : 0;
		CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "%s stamps", what);
		struct box a, z;
		CHECK(out && find_text(out, out_len, 0, "HARRY ZHANG", &a) &&
		      find_text(out, out_len, 0, "UNITED STATES OF AMERICA", &z) &&
		      shows_through((struct box){ a.x0, a.y0, 4.0, z.y1 }, &no10_recipient, top, 0) &&
		      find_text(out, out_len, 0, "BUILDING C NORTH", &z) &&
		      shows_through(z, &no10_recipient, top, 0),
		      "%s: six recipient lines, the longest fitted, show through the window", what);
		CHECK(out && find_text(out, out_len, 0, "LEORE AVIDAR", &a) &&
		      find_line(out, out_len, 0, "UNITED STATES", &z) &&
		      shows_through((struct box){ a.x0, a.y0, a.x1, z.y1 }, &no10_return, top, 0) &&
		      find_text(out, out_len, 0, "NORTHERN CALIFORNIA", &z) &&
		      shows_through(z, &no10_return, top, 0),
		      "%s: six return lines show through the return window", what);
		if (out)
			check_imb(out, out_len, 0, res.layout.imb, what, &no10_recipient, top);
		free(out);
	}

	/* bottom_first_page_center: the block centred in the bottom third (for custom envelopes) */
	struct stamp_request rq = letter("bottom_first_page_center");
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "center stamps");
	struct box b;
	CHECK(out && find_text(out, out_len, 0, "HARRY ZHANG", &b) && b.x0 > 2.675 && b.x1 < 5.825 &&
	      b.y0 > 22.0 / 3, "center: the recipient in the centred box of the bottom third");
	free(out);
	free(pdf);
}

/* more than 6 sheets: the 9x12 flat envelope, whose window shows the top of the first sheet */
static void flat(void)
{
	size_t len;
	unsigned char *pdf = letter_pages(7, &len);
	struct stamp_request rq = letter("top_first_page");
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "7 sheets stamp");
	CHECK(res.envelope && res.envelope->kind == ENVELOPE_FLAT_9X12 && res.sheets == 7,
	      "7 sheets single-sided go flat");
	if (out)
		check_windows(out, out_len, 0, 0, &res, "flat");
	free(out);

	rq = letter("bottom_first_page");
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "flat, bottom placement");
	CHECK(res.added_pages == 1 && res.pages == 8, "a bottom block cannot show in the flat "
	      "window: it goes on an added first page");
	struct box b;
	if (out) {
		check_windows(out, out_len, 0, 0, &res, "flat, bottom placement");
		CHECK(find_text(out, out_len, 1, "Hello", &b) && !find_text(out, out_len, 1, "HARRY", &b),
		      "the customer's first page is left as it was");
	}
	free(out);

	rq = letter("top_first_page");
	rq.double_sided = true;
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "double-sided");
	CHECK(res.sheets == 4 && res.envelope->kind == ENVELOPE_DOUBLE_WINDOW_10,
	      "7 pages double-sided are 4 sheets: #10");
	free(out);
	free(pdf);
}

/* the certified barcode decodes to 420 + ZIP + the tracking number */
static void check_gs1(const unsigned char *pdf, size_t len, double dpi, const char *what)
{
	char decoded[512], want[64];
	zbar_page(pdf, len, 0, 8.5, dpi, decoded, sizeof(decoded));
	snprintf(want, sizeof(want), "42094107%s", pic);
	CHECK_STR(digits_only(decoded), want, "%s: zbarimg reads (420)ZIP + the tracking number", what);
}

static void certified(void)
{
	size_t len;
	unsigned char *pdf = letter_pages(2, &len);
	struct stamp_request rq = letter("top_first_page");
	rq.extra_service = "certified_return_receipt";
	rq.tracking_number = pic;
	rq.double_sided = true;
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "certified stamps");
	CHECK(res.pages == 4 && res.added_pages == 2, "double-sided: a 2-page cover sheet in front");
	CHECK(res.envelope && res.envelope->kind == ENVELOPE_CERTIFIED_10, "the certified #10");
	if (!out)
		return;
	struct box b, h;
	CHECK(find_text(out, out_len, 0, "USPS CERTIFIED MAIL", &b) &&
	      shows_through(b, &no10_certified, 0, 0), "CERTIFIED MAIL shows through the window");
	char hri[64];
	impb_hri(pic, hri, sizeof(hri), &err);
	CHECK(find_text(out, out_len, 0, hri, &h) && shows_through(h, &no10_certified, 0, 0),
	      "the number in USPS's groups (%s) shows through the window", hri);
	CHECK(find_text(out, out_len, 0, "RETURN RECEIPT (ELECTRONIC) REQUESTED", &b) &&
	      shows_through(b, &no10_certified, 0, 0), "the return-receipt endorsement");
	CHECK(find_text(out, out_len, 0, "HARRY ZHANG", &b) && shows_through(b, &no10_certified, 0, 0),
	      "the recipient shows through the certified window");
	CHECK(find_text(out, out_len, 0, "LEORE AVIDAR", &b) && shows_through(b, &no10_certified, 0, 0),
	      "the return address too");
	/* the cover also works in an ordinary #10 double window (the barcode then hides) */
	check_windows(out, out_len, 0, 0, &res, "certified cover");
	check_imb(out, out_len, 0, res.layout.imb, "certified cover, large window", &no10_certified, 0);
	check_gs1(out, out_len, 300, "certified #10");
	CHECK(find_text(out, out_len, 2, "Hello", &b) && !find_text(out, out_len, 1, "Hello", &b),
	      "the letter starts after the cover and its blank back");
	free(out);
	free(pdf);

	/* 13 pages + the cover: flat; everything stacked inside the flat window */
	pdf = letter_pages(13, &len);
	rq.extra_service = "certified";
	rq.double_sided = false;
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "certified flat");
	CHECK(res.envelope && res.envelope->kind == ENVELOPE_FLAT_9X12 && res.pages == 14,
	      "14 sheets go flat");
	if (out) {
		CHECK(find_text(out, out_len, 0, "USPS CERTIFIED MAIL", &b) &&
		      shows_through(b, &flat_window, 0, 0), "flat: CERTIFIED MAIL in the window");
		CHECK(find_text(out, out_len, 0, hri, &h) && shows_through(h, &flat_window, 0, 0),
		      "flat: the number in the window");
		CHECK(!find_text(out, out_len, 0, "RETURN RECEIPT", &b), "no endorsement unless bought");
		check_windows(out, out_len, 0, 0, &res, "certified flat");
		check_gs1(out, out_len, 400, "certified flat");
	}
	free(out);

	/* registered: the number comes later; the cover keeps room for the post office's label */
	rq.extra_service = "registered";
	rq.tracking_number = NULL;
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "registered stamps");
	CHECK(out && find_text(out, out_len, 0, "USPS REGISTERED MAIL", &b) &&
	      find_text(out, out_len, 0, "REGISTERED MAIL LABEL", &b), "registered banner and label box");
	free(out);

	rq.extra_service = "certified";
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), -1,
		      "certified without a tracking number fails");
	CHECK_INT(err.kind, ERR_INVALID, "as invalid");
	rq.extra_service = "express";
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), -1,
		      "an unknown extra_service fails");
	free(pdf);
}

static void qr_codes(void)
{
	size_t len;
	unsigned char *pdf = letter_pages(2, &len);
	struct stamp_request rq = letter("insert_blank_page");
	static const bool pages[3] = { false, false, true };	/* the customer's page 2 */
	rq.qr = (struct stamp_qr){ "https://example.com/r?id=42&x=1", 5.5, 7.0, 2.0, pages, 3 };
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "a QR code stamps");
	if (out) {
		char got[512];
		zbar_page(out, out_len, 2, 8.5, 150, got, sizeof(got));
		CHECK(strstr(got, "https://example.com/r?id=42&x=1") != NULL,
		      "the QR code on the customer's page 2 (after the address page) decodes");
		zbar_page(out, out_len, 1, 8.5, 150, got, sizeof(got));
		CHECK_STR(got, "", "page 1 has none");
	}
	free(out);
	rq.qr.x_in = 7.5;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), -1,
		      "a QR code off the page fails");
	free(pdf);
}

/* stamping speed, one page letters (a TAP comment; bench/ has the real benchmark) */
/*
 * The stamp's fonts in a stamped file: each a Nimbus Sans face (the fixture's own page uses
 * unembedded Helvetica, which is the customer's business), embedded as a Type1C program whose
 * FontName is its BaseFont, each face once however many canvases use it. Counts faces; -1 if
 * a stamp font is not embedded as it should be.
 */
static int stamp_faces(const unsigned char *pdf, size_t len)
{
	fz_context *ctx = frank_fz();
	pdf_document *doc = NULL;
	int faces = 0;
	fz_var(doc);
	fz_var(faces);
	fz_try(ctx) {
		doc = pdfu_open(ctx, pdf, len);
		for (int i = 1; i < pdf_xref_len(ctx, doc) && faces >= 0; i++) {
			pdf_obj *o = pdf_load_object(ctx, doc, i);
			const char *base = pdf_to_name(ctx, pdf_dict_get(ctx, o, PDF_NAME(BaseFont)));
			if (pdf_name_eq(ctx, pdf_dict_get(ctx, o, PDF_NAME(Type)), PDF_NAME(Font)) &&
			    strncmp(base, "NimbusSans-", 11) == 0) {
				pdf_obj *d = pdf_dict_get(ctx, o, PDF_NAME(FontDescriptor));
				pdf_obj *file = pdf_dict_get(ctx, d, PDF_NAME(FontFile3));
				bool ok = pdf_is_stream(ctx, file) &&
					  pdf_name_eq(ctx, pdf_dict_get(ctx, file, PDF_NAME(Subtype)),
						      PDF_NAME(Type1C)) &&
					  strcmp(pdf_to_name(ctx, pdf_dict_get(ctx, d, PDF_NAME(FontName))),
						 base) == 0 &&
					  pdf_dict_get(ctx, o, PDF_NAME(Widths));
				faces = ok ? faces + 1 : -1;
			}
			pdf_drop_obj(ctx, o);
		}
	}
	fz_always(ctx)
		pdf_drop_document(ctx, doc);
	fz_catch(ctx)
		faces = -1;
	return faces;
}

static void embedded_fonts(void)
{
	size_t len, out_len;
	unsigned char *pdf = letter_pages(2, &len), *out = NULL;
	struct stamp_request rq = letter("top_first_page");
	struct stamp_result res;
	struct api_error err;
	CHECK(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err) == 0 &&
	      stamp_faces(out, out_len) == 1, "a letter: its one face embedded, once");
	free(out);
	out = NULL;
	rq.extra_service = "certified";
	rq.tracking_number = pic;
	CHECK_INT(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "certified stamps");
	CHECK_INT(stamp_faces(out, out_len), 2, "certified: regular and bold, each embedded once "
		  "though the cover and the letter block are two canvases");
	free(out);
	free(pdf);
}

/* an international letter carries no IMb (a domestic barcode); a domestic one must */
static void international(void)
{
	size_t len, out_len;
	unsigned char *pdf = letter_pages(1, &len), *out = NULL;
	struct stamp_request rq = letter("top_first_page");
	struct stamp_result res;
	struct api_error err;
	struct imb_read got;
	rq.international = true;
	rq.imb_bars = NULL;
	CHECK_INT(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0,
		  "an international letter stamps without bars");
	struct rect_in at = res.layout.imb;
	struct box clip = { at.x - 0.1, at.y - 0.028, at.x + at.w + 0.1, at.y + at.h + 0.028 };
	CHECK(out && !imb_on_page(out, out_len, 0, clip, &got), "no IMb in the IMb's place");
	free(out);
	out = NULL;
	rq.imb_bars = bars;
	CHECK(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err) == 0 &&
	      imb_on_page(out, out_len, 0, clip, &got), "the same place holds the bars when given");
	free(out);
	out = NULL;
	rq.international = false;
	rq.imb_bars = NULL;
	CHECK_INT(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), -1,
		  "a domestic letter without its IMb is refused");
	CHECK(strstr(err.message, "Intelligent Mail barcode") != NULL, "naming the IMb: %s",
	      err.message);
	free(pdf);
}

static void speed(void)
{
	size_t len;
	unsigned char *pdf = letter_pages(1, &len);
	struct stamp_request rq = letter("top_first_page");
	struct timespec t0, t1;
	int n = 200, ok = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		unsigned char *out = NULL;
		size_t out_len;
		struct stamp_result res;
		struct api_error err;
		ok += stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err) == 0;
		free(out);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	CHECK_INT(ok, n, "%d letters stamped", n);
	printf("# %.0f letters stamped per second\n", n / s);
	free(pdf);
}

int main(void)
{
	fixture_quiet();
	struct api_error err;
	char tracking[IMB_TRACKING_LEN + 1];
	if (imb_tracking("00", "270", "999999999", 42, tracking, &err) < 0 ||
	    imb_bars(tracking, "94107170210", bars, &err) < 0 ||
	    impb_build("071", "999999999", 7, 26, pic, &err) < 0) {
		printf("not ok 1 - barcodes: %s\n", err.message);
		return 1;
	}
	placements();
	flat();
	certified();
	qr_codes();
	international();
	embedded_fonts();
	speed();
	return test_done();
}
