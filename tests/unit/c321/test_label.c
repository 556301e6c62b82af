// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The certified label, the PS 3811-style card, the window cover sheet and the electronic
 * return receipt: text found back with MuPDF (and where it lands), and the GS1-128 barcode
 * decoded with zbarimg to (420)ZIP + the tracking number with a valid check digit.
 * C321_LABEL_PNG_DIR=dir keeps 100 dpi PNGs of every page to look at.
 */
#include "c321/label.h"
#include "pdf/fz.h"
#include "barcode/impb.h"
#include "pdf/thumbs.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

static fz_document *open_pdf(const unsigned char *pdf, size_t len)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = NULL;
	fz_try(ctx) {
		fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, pdf, len);
		fz_stream *stm = fz_open_buffer(ctx, buf);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		doc = NULL;
	return doc;
}

/* the first hit of needle on page, in inches from the top-left; false when absent */
static bool find(const unsigned char *pdf, size_t len, int page, const char *needle,
		 double *x, double *y)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = open_pdf(pdf, len);
	fz_quad q[4];
	int mark[4], n = 0;
	if (!doc)
		return false;
	fz_try(ctx)
		n = fz_search_page_number(ctx, doc, page, needle, mark, q, 4);
	fz_catch(ctx)
		n = 0;
	fz_drop_document(ctx, doc);
	if (n > 0 && x && y) {
		*x = q[0].ul.x / 72.0;
		*y = q[0].ul.y / 72.0;
	}
	return n > 0;
}

static int page_count(const unsigned char *pdf, size_t len)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = open_pdf(pdf, len);
	int n = doc ? fz_count_pages(ctx, doc) : -1;
	fz_drop_document(ctx, doc);
	return n;
}

/* renders page at 300 dpi, runs zbarimg, keeps only the digits of the first symbol */
static void decode(const unsigned char *pdf, size_t len, unsigned page, const char *name,
		   char *out, size_t outlen)
{
	struct api_error err;
	static const unsigned widths[2] = { 2550, 850 };	/* 300 and 100 dpi */
	struct thumb_set set = { 0 };
	char path[] = "/tmp/frank-label-XXXXXX.png", line[256] = "";
	out[0] = '\0';
	if (pdf_thumbnails(pdf, len, widths, 2, page + 1, &set, &err) < 0 || set.n_pages <= page)
		return;
	const char *keep = getenv("C321_LABEL_PNG_DIR");
	if (keep) {
		char kp[512];
		snprintf(kp, sizeof(kp), "%s/%s-%u.png", keep, name, page + 1);
		FILE *f = fopen(kp, "wb");
		if (f) {
			fwrite(set.png[page * 2 + 1].data, 1, set.png[page * 2 + 1].len, f);
			fclose(f);
		}
	}
	int fd = mkstemps(path, 4);
	const struct thumb_png *png = &set.png[page * 2];
	if (fd >= 0 && write(fd, png->data, png->len) == (ssize_t)png->len) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "zbarimg --raw -q -Sdisable -Scode128.enable %s 2>/dev/null",
			 path);
		FILE *p = popen(cmd, "r");
		if (p) {
			if (!fgets(line, sizeof(line), p))
				line[0] = '\0';
			pclose(p);
		}
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	thumb_set_free(&set);
	size_t n = 0;
	for (const char *c = line; *c && *c != '\n' && n + 1 < outlen; c++)
		if (*c >= '0' && *c <= '9')
			out[n++] = *c;
	out[n] = '\0';
}

static char to_city[80], from_city[80];

static void input(struct label_input *in, const char *cls, char *pic)
{
	struct api_error err;
	memset(in, 0, sizeof(*in));
	in->mc = mail_class_find(cls);
	impb_build(in->mc->stc, "999999999", 4242, 22, pic, &err);
	in->tracking = pic;
	in->zip = "941071702";
	label_address_lines(&in->to, to_city, sizeof(to_city), "HARRY ZHANG", NULL, "210 KING ST",
			    NULL, "SAN FRANCISCO", "CA", "94107-1702");
	label_address_lines(&in->from, from_city, sizeof(from_city), "LEORE AVIDAR", "ACME LAW LLP",
			    "185 BERRY ST STE 6100", NULL, "SAN FRANCISCO", "CA", "94107");
	in->fees = (struct label_fees){ .postage = 78, .service = 530, .restricted = -1,
					.return_receipt = 282, .total = 890 };
	in->reference = "CASE-2024-001";
	in->mailing_id = "ltr_0123456789abcdef";
	in->date = "2026-03-02";
}

static void check_decodes(const unsigned char *pdf, size_t len, unsigned page, const char *pic,
			  const char *name)
{
	char got[128], want[128];
	decode(pdf, len, page, name, got, sizeof(got));
	snprintf(want, sizeof(want), "420941071702%s", pic);
	CHECK_STR(got, want, "%s page %u: GS1-128 decodes to (420) ZIP+4 + the tracking number", name,
		  page + 1);
	struct api_error err;
	CHECK_INT(impb_validate(got + 12, &err), 0, "%s: the decoded number's check digit is valid",
		  name);
}

static void test_label(void)
{
	struct label_input in;
	char pic[IMPB_PIC_MAX + 1], hri[64];
	struct api_error err;
	unsigned char *pdf = NULL;
	size_t len;
	unsigned pages;
	double x = 0, y = 0;
	input(&in, "certified_return_receipt", pic);
	impb_hri(pic, hri, sizeof(hri), &err);
	CHECK_INT(label_pdf(&in, LABEL_STANDARD, &pdf, &len, &pages, &err), 0, "a label");
	CHECK_INT(pages, 1, "one page for an electronic return receipt");
	CHECK_INT(page_count(pdf, len), 1, "the PDF has it");
	CHECK(find(pdf, len, 0, "USPS CERTIFIED MAIL", &x, &y) && y > 2.05 && y < 2.5,
	      "the banner above the barcode (y %.2f)", y);
	CHECK(find(pdf, len, 0, hri, &x, &y) && y > 3.0 && y < 3.5,
	      "the number in blocks of four under it (y %.2f)", y);
	CHECK(find(pdf, len, 0, "HARRY ZHANG", &x, &y) && y > 3.5 && y < 5.0, "the recipient below");
	CHECK(find(pdf, len, 0, "LEORE AVIDAR", &x, &y) && y < 2.0, "the sender above");
	CHECK(find(pdf, len, 0, "RETURN RECEIPT (ELECTRONIC)", NULL, NULL), "the endorsement");
	CHECK(find(pdf, len, 0, "CERTIFIED MAIL\u00ae RECEIPT", &x, &y) && y > 5.5,
	      "the PS 3800-style receipt below the cut line");
	CHECK(find(pdf, len, 0, "$ 5.30", NULL, NULL) && find(pdf, len, 0, "$ 2.82", NULL, NULL) &&
	      find(pdf, len, 0, "$ 8.90", NULL, NULL), "certified fee, return receipt and total");
	CHECK(find(pdf, len, 0, "Postmark Here", NULL, NULL), "a postmark box");
	CHECK(find(pdf, len, 0, "CASE-2024-001", NULL, NULL), "the reference");
	CHECK(find(pdf, len, 0, "2026-03-02", NULL, NULL), "the mailing's date on the stub");
	CHECK(!find(pdf, len, 0, "Domestic Return Receipt", NULL, NULL), "no green card");
	check_decodes(pdf, len, 0, pic, "certified_return_receipt");
	free(pdf);

	input(&in, "certified_restricted_delivery_return_receipt_hardcopy", pic);
	impb_hri(pic, hri, sizeof(hri), &err);
	CHECK_INT(label_pdf(&in, LABEL_STANDARD, &pdf, &len, &pages, &err), 0, "a hardcopy label");
	CHECK_INT(pages, 2, "the green card on a second page");
	CHECK(find(pdf, len, 0, "RESTRICTED DELIVERY", NULL, NULL) &&
	      find(pdf, len, 0, "RETURN RECEIPT REQUESTED", NULL, NULL), "both endorsements");
	CHECK(find(pdf, len, 1, "SENDER: COMPLETE THIS SECTION", NULL, NULL) &&
	      find(pdf, len, 1, "COMPLETE THIS SECTION ON DELIVERY", NULL, NULL),
	      "PS 3811-style front");
	CHECK(find(pdf, len, 1, hri, NULL, NULL), "the article number on the card");
	CHECK(find(pdf, len, 1, "Please print your name", &x, &y) && y > 5.5, "and its back");
	check_decodes(pdf, len, 0, pic, "restricted_hardcopy");
	char none[64];
	decode(pdf, len, 1, "restricted_hardcopy", none, sizeof(none));
	CHECK_STR(none, "", "the card carries no barcode of its own (USPS prints the 9590 number)");
	free(pdf);

	input(&in, "registered", pic);
	CHECK_INT(label_pdf(&in, LABEL_STANDARD, &pdf, &len, &pages, &err), 0, "a registered label");
	CHECK(find(pdf, len, 0, "USPS REGISTERED MAIL", NULL, NULL) &&
	      find(pdf, len, 0, "Registered Mail Fee", NULL, NULL), "registered banner and fee");
	check_decodes(pdf, len, 0, pic, "registered");
	free(pdf);
}

static void test_cover_sheet(void)
{
	struct label_input in;
	char pic[IMPB_PIC_MAX + 1], hri[64];
	struct api_error err;
	unsigned char *pdf = NULL;
	size_t len;
	unsigned pages;
	double x = 0, y = 0;
	input(&in, "certified", pic);
	impb_hri(pic, hri, sizeof(hri), &err);
	CHECK_INT(label_pdf(&in, LABEL_COVER_SHEET, &pdf, &len, &pages, &err), 0, "a cover sheet");
	CHECK_INT(pages, 1, "one page");
	/* inside the part of the top panel the 3 x 8 in window always shows */
	CHECK(find(pdf, len, 0, hri, &x, &y) && x >= 0.25 && y >= 0.6 && y <= 3.0,
	      "the tracking number in the window (%.2f, %.2f)", x, y);
	CHECK(find(pdf, len, 0, "HARRY ZHANG", &x, &y) && y >= 0.6 && y <= 3.0,
	      "the recipient in the window (%.2f, %.2f)", x, y);
	CHECK(find(pdf, len, 0, "SAN FRANCISCO CA 94107-1702", &x, &y) && y <= 3.0,
	      "the recipient's last line too (y %.2f)", y);
	CHECK(find(pdf, len, 0, "LEORE AVIDAR", &x, &y) && y >= 0.6 && y <= 3.0, "the sender too");
	check_decodes(pdf, len, 0, pic, "cover_sheet");
	free(pdf);
}

static void test_return_receipt(void)
{
	struct label_input in;
	char pic[IMPB_PIC_MAX + 1], hri[64];
	struct api_error err;
	unsigned char *pdf = NULL;
	size_t len;
	input(&in, "certified_return_receipt", pic);
	impb_hri(pic, hri, sizeof(hri), &err);
	struct label_delivery d = { .time = "2026-03-06T14:30:00.000Z", .location = "94107",
				    .notes = "Delivered, Front Desk/Reception/Mail Room" };
	CHECK_INT(label_return_receipt_pdf(&in, &d, &pdf, &len, &err), 0, "a return receipt");
	CHECK(find(pdf, len, 0, "Return Receipt (Electronic)", NULL, NULL), "its title");
	CHECK(find(pdf, len, 0, "2026-03-06 at 14:30 UTC", NULL, NULL), "the delivery time");
	CHECK(find(pdf, len, 0, "Front Desk/Reception/Mail Room", NULL, NULL), "USPS's notes");
	CHECK(find(pdf, len, 0, hri, NULL, NULL) && find(pdf, len, 0, "HARRY ZHANG", NULL, NULL),
	      "the number and the addressee");
	check_decodes(pdf, len, 0, pic, "return_receipt");
	free(pdf);

	in.mc = NULL;
	CHECK_INT(label_return_receipt_pdf(&in, &d, &pdf, &len, &err), -1, "no class, no receipt");
	input(&in, "certified", pic);
	in.tracking = "9207199999999999999990";
	CHECK_INT(label_pdf(&in, LABEL_STANDARD, &pdf, &len, &(unsigned){ 0 }, &err), -1,
		  "a tracking number with a wrong check digit is refused");
	in.tracking = pic;
	in.zip = "9410";
	CHECK_INT(label_pdf(&in, LABEL_STANDARD, &pdf, &len, &(unsigned){ 0 }, &err), -1,
		  "a broken ZIP is refused");
}

static void test_hostile_text(void)
{
	struct label_input in;
	char pic[IMPB_PIC_MAX + 1];
	struct api_error err;
	unsigned char *pdf = NULL;
	size_t len;
	unsigned pages;
	input(&in, "certified", pic);
	char longname[2000];
	memset(longname, 'W', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	in.to.lines[0] = "Jos\xc3\xa9 (\\) \xe2\x9c\x93 \xff\xfe broken \xe2\x82";
	in.from.lines[0] = longname;
	in.reference = ") Tj ET BT /FB 99 Tf (";
	CHECK_INT(label_pdf(&in, LABEL_STANDARD, &pdf, &len, &pages, &err), 0,
		  "escapes, non-Latin-1 and broken UTF-8 still make a label");
	CHECK(find(pdf, len, 0, "Jos\xc3\xa9 (\\) ?", NULL, NULL), "Latin-1 kept, the rest shown as ?");
	CHECK(find(pdf, len, 0, ") Tj ET BT", NULL, NULL), "PDF syntax in text stays text");
	free(pdf);
}

int main(void)
{
	test_label();
	test_cover_sheet();
	test_return_receipt();
	test_hostile_text();
	return test_done();
}
