// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postcards, self-mailers, booklets, snap packs and checks: the address block inside the
 * ink-free zone (numbers from Lob's templates, not from product.c) with its IMb read back;
 * the check's MICR line read back cell by cell from a 600 dpi raster, its clear band, the
 * amount in words, payee and drawer in the #10 windows. Then hostile and odd inputs.
 */
#include "barcode/imb.h"
#include "stamp/micr.h"
#include "test.h"
#include "pdf/pdf_fixtures.h"
#include "stamp_fixtures.h"

static const char *const to[] = { "HARRY ZHANG", "210 KING ST", "SAN FRANCISCO CA 94107-1702", NULL };
static const char *const from[] = { "LEORE AVIDAR", "185 BERRY ST STE 6100", "SAN FRANCISCO CA 94105",
				    NULL };
static char bars[IMB_BARS + 1];

static unsigned char *pages_of(double w_in, double h_in, int n, int rotate, size_t *len)
{
	struct fixture_page *p = calloc((size_t)n, sizeof(*p));
	for (int i = 0; i < n; i++)
		p[i] = (struct fixture_page){ w_in * 72, h_in * 72, fz_empty_rect, rotate };
	struct fixture_opts o = { .font = "Helvetica" };
	unsigned char *pdf = fixture_pdf(p, n, &o, len);
	free(p);
	return pdf;
}

static struct stamp_request request(const char *product, const char *size)
{
	struct stamp_request rq = { .product = product, .size = size, .imb_bars = bars };
	memcpy(rq.to, to, sizeof(to));
	memcpy(rq.from, from, sizeof(from));
	return rq;
}

/* from the line that is first to the line that ends with last */
static bool lines_box(const unsigned char *pdf, size_t len, int page, const char *first,
		      const char *last, struct box *b)
{
	struct box a, z;
	if (!find_line(pdf, len, page, first, &a) || !find_text(pdf, len, page, last, &z))
		return false;
	*b = (struct box){ a.x0 < z.x0 ? a.x0 : z.x0, a.y0, a.x1 > z.x1 ? a.x1 : z.x1, z.y1 };
	return true;
}

/* recipient, return address and IMb (with its clear zone) inside zone (inches from the
 * page's corner); inset: how far the artboard reaches past the page (trim-size files) */
static void check_zone(const unsigned char *pdf, size_t len, int page, struct rect_in zone,
		       const struct stamp_result *res, double inset, const char *what)
{
	struct box b;
	CHECK(lines_box(pdf, len, page, "HARRY ZHANG", "94107-1702", &b) &&
	      box_inside(b, zone.x, zone.y, zone.w, zone.h), "%s: the recipient in the ink-free zone",
	      what);
	CHECK(lines_box(pdf, len, page, "LEORE AVIDAR", "94105", &b) &&
	      box_inside(b, zone.x, zone.y, zone.w, zone.h), "%s: the return address in the zone", what);
	struct rect_in at = res->layout.imb;	/* artboard coordinates */
	at.x -= inset;
	at.y -= inset;
	struct imb_read got;
	struct box clip = { at.x - 0.1, at.y - 0.028, at.x + at.w + 0.1, at.y + at.h + 0.028 };
	bool ok = imb_on_page(pdf, len, page, clip, &got);
	CHECK(ok && strcmp(got.bars, bars) == 0, "%s: the IMb reads back", what);
	CHECK(ok && box_inside((struct box){ got.at.x0 - 0.125, got.at.y0 - 0.028, got.at.x1 + 0.125,
					     got.at.y1 + 0.028 }, zone.x, zone.y, zone.w, zone.h),
	      "%s: the IMb and its clear zone in the zone", what);
}

static void postcards(void)
{
	static const struct {
		const char *size;
		double w, h, zone_w;
	} cards[] = { { "4x6", 6.25, 4.25, 3.2835 }, { "6x9", 9.25, 6.25, 4 }, { "6x11", 11.25, 6.25, 4 } };
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		unsigned char *pdf = pages_of(cards[i].w, cards[i].h, 2, 0, &len);
		struct stamp_request rq = request("postcard", cards[i].size);
		unsigned char *out = NULL;
		size_t out_len = 0;
		struct stamp_result res;
		struct api_error err;
		char what[64];
		snprintf(what, sizeof(what), "postcard %s", cards[i].size);
		CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "%s stamps", what);
		/* Lob's back template: the zone 0.275" from the right, 0.25" from the bottom */
		struct rect_in zone = { cards[i].w - 0.275 - cards[i].zone_w, cards[i].h - 0.25 - 2.375,
					cards[i].zone_w, 2.375 };
		struct box b;
		if (out) {
			CHECK(res.address_page == 1 && res.envelope == NULL, "%s: the back, no envelope", what);
			check_zone(out, out_len, 1, zone, &res, 0, what);
			CHECK(!find_text(out, out_len, 0, "HARRY", &b), "%s: the front is untouched", what);
		}
		free(out);
		free(pdf);

		/* a file at the trim size (no bleed): the same place on the finished card */
		pdf = pages_of(cards[i].w - 0.25, cards[i].h - 0.25, 2, 0, &len);
		out = NULL;
		CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0,
			      "%s without bleed stamps", what);
		zone.x -= 0.125;
		zone.y -= 0.125;
		if (out)
			check_zone(out, out_len, 1, zone, &res, 0.125, "trim-size postcard");
		free(out);
		free(pdf);
	}
	size_t len;
	unsigned char *pdf = pages_of(8.5, 11, 2, 0, &len);
	struct stamp_request rq = request("postcard", "4x6");
	unsigned char *out = NULL;
	size_t out_len;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), -1, "a letter page is no postcard");
	CHECK(err.kind == ERR_INVALID_FILE_DIMENSIONS && strstr(err.message, "6.25") &&
	      strstr(err.message, "8.5"), "invalid_file_dimensions naming both sizes: %s", err.message);
	free(pdf);
	pdf = pages_of(6.25, 4.25, 3, 0, &len);
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), -1, "3 pages are no postcard");
	CHECK_INT(err.kind, ERR_FILE_PAGES_EXCEED_MAX, "file_pages_exceed_max");
	free(pdf);
}

static void self_mailers(void)
{
	/* zones from Lob's outside templates (nested in the 0.25" safe area); 17.75x9: Frank's */
	static const struct {
		const char *size;
		double w, h, zx, zy;
	} sizes[] = {
		{ "6x18_bifold", 18.25, 6.25, 5.225, 3.625 },
		{ "11x9_bifold", 9.25, 11.25, 5.0, 3.85 },
		{ "12x9_bifold", 9.25, 12.25, 5.0, 3.85 },
		{ "17.75x9_trifold", 9.25, 18.0, 5.0, 9.5 },
	};
	for (size_t i = 0; i < 4; i++) {
		size_t len;
		unsigned char *pdf = pages_of(sizes[i].w, sizes[i].h, 2, 0, &len);
		struct stamp_request rq = request("self_mailer", sizes[i].size);
		unsigned char *out = NULL;
		size_t out_len = 0;
		struct stamp_result res;
		struct api_error err;
		char what[64];
		snprintf(what, sizeof(what), "self-mailer %s", sizes[i].size);
		CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "%s stamps", what);
		if (out)
			check_zone(out, out_len, 1, (struct rect_in){ sizes[i].zx, sizes[i].zy, 4, 2.375 },
				   &res, 0, what);
		free(out);
		free(pdf);
	}
}

static void booklets_and_snap_packs(void)
{
	size_t len;
	unsigned char *pdf = pages_of(8.625, 5.625, 8, 0, &len);
	struct stamp_request rq = request("booklet", NULL);
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "a booklet stamps");
	CHECK_INT(res.address_page, 7, "on the back cover");
	if (out)
		check_zone(out, out_len, 7, (struct rect_in){ 8.625 - 0.275 - 4, 5.625 - 0.25 - 2.375, 4,
							      2.375 }, &res, 0, "booklet");
	free(out);
	free(pdf);

	/* snap packs: inside 8.5x11 (the letter block), outside 6"x18" */
	struct fixture_page p[2] = { { 612, 792, fz_empty_rect, 0 }, { 18 * 72, 6 * 72, fz_empty_rect, 0 } };
	struct fixture_opts o = { .font = "Helvetica" };
	pdf = fixture_pdf(p, 2, &o, &len);
	rq = request("snap_pack", NULL);
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0, "a snap pack stamps");
	struct box b;
	CHECK(out && lines_box(out, out_len, 0, "HARRY ZHANG", "94107-1702", &b) &&
	      shows_through(b, &no10_recipient, 0, 0), "snap pack: the letter block on the inside");
	free(out);
	free(pdf);
}

/* the MICR line read back: each position's 7x9 cells sampled at their centres */
static void read_micr(const unsigned char *pdf, size_t len, char line[MICR_POSITIONS + 1])
{
	static const char set[] = "0123456789ABCD";
	memset(line, '?', MICR_POSITIONS);
	line[MICR_POSITIONS] = '\0';
	struct raster r;
	double bottom = 3.5 - 0.1875, top = bottom - 0.117;	/* glyphs: 0.117" tall, 3/16" up */
	if (!rasterize(pdf, len, 0, 600, (struct box){ 0, top - 0.05, 8.5, bottom + 0.05 }, &r))
		return;
	for (int pos = 1; pos <= MICR_POSITIONS; pos++) {
		/* position 1 ends 5/16" from the right edge; 8 per inch; glyph 0.091" centred */
		double x0 = 8.5 - 0.3125 - pos * 0.125 + (0.125 - 0.091) / 2;
		uint8_t rows[MICR_ROWS];
		bool any = false;
		for (int y = 0; y < MICR_ROWS; y++) {
			rows[y] = 0;
			for (int x = 0; x < MICR_COLS; x++)
				if (dark_at(&r, x0 + (x + 0.5) * 0.013, top + (y + 0.5) * 0.013)) {
					rows[y] |= (uint8_t)(1u << (MICR_COLS - 1 - x));
					any = true;
				}
		}
		char got = any ? '?' : ' ';
		for (const char *c = set; *c && any; c++)
			if (memcmp(micr_glyph(*c), rows, MICR_ROWS) == 0)
				got = *c;
		line[pos - 1] = got;
	}
	free(r.px);
}

/* s with its last character at position `last` (counted from the right, 1-based) */
static void place(char *line, const char *s, int last)
{
	int n = (int)strlen(s);
	for (int i = 0; i < n; i++)
		line[last - 1 + n - 1 - i] = s[i];
}

static void checks(void)
{
	struct stamp_check chk = {
		.amount_cents = 123456, .check_number = 10042, .date = "November 25, 2026",
		.memo = "Invoice 2026-118", .message = "Thank you for your business.",
		.bank_name = "FIRST BANK OF FRANK", .routing_number = "322271627",
		.account_number = "12345-6789", .signatory = "Leore Avidar",
	};
	struct stamp_request rq = request("check", NULL);
	rq.check = &chk;
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	CHECK_INT_RUN(stamp_piece(&rq, NULL, 0, &out, &out_len, &res, &err), 0, "a check stamps");
	if (!out)
		return;
	CHECK(res.pages == 1 && res.envelope && res.envelope->kind == ENVELOPE_DOUBLE_WINDOW_10,
	      "one check page, in the #10");
	char line[MICR_POSITIONS + 1], want[MICR_POSITIONS + 1];
	memset(want, ' ', MICR_POSITIONS);
	want[MICR_POSITIONS] = '\0';
	/* X9.100-160: on-us at 14, account from 15; transit 33-43; aux on-us from 45 */
	place(want, "C", 14);
	place(want, "12345D6789", 15);
	place(want, "A322271627A", 33);
	place(want, "C10042C", 45);
	read_micr(out, out_len, line);
	CHECK_STR(line, want, "the MICR line reads back in E-13B, field by field");
	struct raster r;
	bool clean = rasterize(out, out_len, 0, 300, (struct box){ 0, 3.5 - 0.625, 8.5, 3.49 }, &r);
	for (int y = 0; clean && y < r.h; y++)
		for (int x = 0; x < r.w; x++) {
			double yi = r.y0 + (y + 0.5) / r.dpi;
			if (dark_px(&r, x, y) && (yi < 3.5 - 0.1875 - 0.117 - 0.01 || yi > 3.5 - 0.1875 + 0.01))
				clean = false;
		}
	free(r.px);
	CHECK(clean, "the 5/8\" clear band holds nothing but the MICR line");
	struct box b;
	CHECK(find_text(out, out_len, 0, "One Thousand Two Hundred Thirty-Four and 56/100", &b) &&
	      b.y1 < 3.5, "the amount in words on the face");
	CHECK(find_text(out, out_len, 0, "**1,234.56", &b), "the amount in figures");
	CHECK(find_line(out, out_len, 0, "10042", &b) && b.y1 < 1 && b.x1 > 7.9,
	      "the check number, top right");
	CHECK(find_text(out, out_len, 0, "Invoice 2026-118", &b), "the memo");
	CHECK(find_text(out, out_len, 0, "Thank you for your business.", &b) && b.y0 > 3.5,
	      "the message below the check");
	CHECK(lines_box(out, out_len, 0, "HARRY ZHANG", "94107-1702", &b) &&
	      shows_through(b, &no10_recipient, 0, 0), "the payee shows through the recipient window");
	CHECK(lines_box(out, out_len, 0, "LEORE AVIDAR", "94105", &b) &&
	      shows_through(b, &no10_return, 0, 0), "the drawer shows through the return window");
	CHECK(find_text(out, out_len, 0, "A322271627A", &b) && b.y0 > 3.5 - 0.625,
	      "the MICR line is searchable text too, in the clear band");
	struct imb_read got;
	struct rect_in at = res.layout.imb;
	CHECK(imb_on_page(out, out_len, 0, (struct box){ at.x - 0.1, at.y - 0.028, at.x + at.w + 0.1,
							 at.y + at.h + 0.028 }, &got) &&
	      strcmp(got.bars, bars) == 0, "the IMb over the payee reads back");
	free(out);

	/* an attachment after the check, and a check_bottom under it */
	size_t blen, alen;
	unsigned char *bottom = pages_of(8.5, 11, 1, 0, &blen), *att = pages_of(8.5, 11, 3, 0, &alen);
	chk.bottom_pdf = bottom;
	chk.bottom_len = blen;
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, att, alen, &out, &out_len, &res, &err), 0,
		      "a check with a bottom and an attachment");
	CHECK(res.pages == 4 && res.sheets == 3, "check page + 3 attachment pages on 2 sheets");
	CHECK(out && find_text(out, out_len, 0, "Hello", &b) && b.y0 > 3.5 &&
	      find_text(out, out_len, 0, "Thousand", &b) && !find_text(out, out_len, 0, "Thank you", &b),
	      "check_bottom shows below the face, instead of the message");
	free(out);
	chk.bottom_pdf = NULL;

	chk.routing_number = "322271628";
	CHECK_INT_RUN(stamp_piece(&rq, NULL, 0, &out, &out_len, &res, &err), -1, "a bad routing number");
	CHECK(err.kind == ERR_INVALID && strstr(err.message, "routing"), "names the routing number");
	chk.routing_number = "322271627";
	chk.account_number = "12AB";
	CHECK_INT_RUN(stamp_piece(&rq, NULL, 0, &out, &out_len, &res, &err), -1, "a bad account number");
	chk.account_number = "123";
	chk.amount_cents = -1;
	CHECK_INT_RUN(stamp_piece(&rq, NULL, 0, &out, &out_len, &res, &err), -1, "a negative amount");
	chk.amount_cents = 1;
	unsigned char *seven = pages_of(8.5, 11, 7, 0, &alen);
	CHECK_INT_RUN(stamp_piece(&rq, seven, alen, &out, &out_len, &res, &err), -1,
		      "a 7-page attachment");
	free(seven);
	free(bottom);
	free(att);
}

static void hostile(void)
{
	size_t len;
	unsigned char *pdf = pages_of(8.5, 11, 1, 0, &len);
	struct stamp_request rq = request("letter", NULL);
	unsigned char *out = NULL;
	size_t out_len = 0;
	struct stamp_result res;
	struct api_error err;
	static char longline[6000];
	memset(longline, 'W', sizeof(longline) - 1);
	rq.to[0] = "M\xc3\x9cLLER GMBH \xff\xfe\xe2\x82";	/* Ü, then broken UTF-8 */
	rq.to[1] = longline;
	CHECK_INT_RUN(stamp_piece(&rq, pdf, len, &out, &out_len, &res, &err), 0,
		      "odd and very long lines stamp");
	struct box b;
	CHECK(out && lines_box(out, out_len, 0, "M?LLER GMBH ???", "94107-1702", &b) &&
	      shows_through(b, &no10_recipient, 0, 0), "a 6,000-byte line is fitted inside the window");
	free(out);

	/* a page turned by /Rotate: the block is placed on the page as seen */
	unsigned char *rot = pages_of(11, 8.5, 1, 90, &len);
	rq = request("letter", NULL);
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, rot, len, &out, &out_len, &res, &err), 0, "a rotated page stamps");
	CHECK(out && lines_box(out, out_len, 0, "HARRY ZHANG", "94107-1702", &b) &&
	      shows_through(b, &no10_recipient, 0, 0), "rotated: the recipient in the window");
	free(out);
	free(rot);

	/* a trim box inside a bigger media box: placed from the trim's corner */
	struct fixture_page tp = { 9 * 72, 11.5 * 72, { 18, 18, 630, 810 }, 0 };
	unsigned char *trim = fixture_pdf(&tp, 1, NULL, &len);
	out = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, trim, len, &out, &out_len, &res, &err), 0, "a trimmed page stamps");
	CHECK(out && lines_box(out, out_len, 0, "HARRY ZHANG", "94107-1702", &b) &&
	      shows_through((struct box){ b.x0 - 0.25, b.y0 - 0.25, b.x1 - 0.25, b.y1 - 0.25 },
			    &no10_recipient, 0, 0), "trimmed: the recipient in the window of the trim");
	free(out);
	free(trim);

	size_t plen;
	unsigned char *p1 = pages_of(8.5, 11, 1, 0, &plen);
	rq = request("letter", NULL);
	rq.imb_bars = "FADT";
	CHECK_INT_RUN(stamp_piece(&rq, p1, plen, &out, &out_len, &res, &err), -1, "4 bars are no IMb");
	CHECK_INT(err.kind, ERR_INVALID, "invalid");
	rq.imb_bars = bars;
	rq.to[0] = NULL;
	rq.from[0] = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, p1, plen, &out, &out_len, &res, &err), 0, "no lines at all");
	free(out);
	rq.product = "parcel";
	CHECK_INT_RUN(stamp_piece(&rq, p1, plen, &out, &out_len, &res, &err), -1, "unknown product");
	rq.product = "letter";
	rq.address_placement = "sideways";
	CHECK_INT_RUN(stamp_piece(&rq, p1, plen, &out, &out_len, &res, &err), -1, "unknown placement");
	rq.address_placement = NULL;
	CHECK_INT_RUN(stamp_piece(&rq, (const unsigned char *)"%PDF-1.7\n%%EOF", 14, &out, &out_len,
				  &res, &err), -1, "a damaged PDF");
	CHECK_INT(err.kind, ERR_INVALID_FILE, "invalid_file");
	CHECK(out == NULL && out_len == 0, "leaves no output");
	struct fixture_page ep = { 612, 792, fz_empty_rect, 0 };
	struct fixture_opts eo = { .encrypt = PDF_ENCRYPT_AES_128, .user_password = "secret" };
	unsigned char *enc = fixture_pdf(&ep, 1, &eo, &len);
	CHECK_INT_RUN(stamp_piece(&rq, enc, len, &out, &out_len, &res, &err), -1, "an encrypted PDF");
	CHECK_INT(err.kind, ERR_PDF_ENCRYPTED, "pdf_encrypted");
	free(enc);
	rq.international = true;
	unsigned char *seven = pages_of(8.5, 11, 7, 0, &len);
	CHECK_INT_RUN(stamp_piece(&rq, seven, len, &out, &out_len, &res, &err), -1,
		      "7 pages are too many abroad");
	CHECK_INT(err.kind, ERR_FILE_PAGES_EXCEED_MAX, "file_pages_exceed_max");
	free(seven);
	free(p1);
	free(pdf);
}

int main(void)
{
	fixture_quiet();
	struct api_error err;
	char tracking[IMB_TRACKING_LEN + 1];
	if (imb_tracking("00", "270", "999999999", 77, tracking, &err) < 0 ||
	    imb_bars(tracking, "94107", bars, &err) < 0) {
		printf("not ok 1 - barcodes: %s\n", err.message);
		return 1;
	}
	postcards();
	self_mailers();
	booklets_and_snap_packs();
	checks();
	hostile();
	return test_done();
}
