// SPDX-License-Identifier: AGPL-3.0-or-later
/* pdf_inspect / pdf_check: Lob's file rules on PDFs generated here with MuPDF or by hand. */
#include "test.h"
#include "pdf/pdf_fixtures.h"
#include "pdf/pdf_fonts.h"
#include "pdf/pdf_inspect.h"
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct pdf_expect letter = { .width_in = 8.5, .height_in = 11, .tolerance_in = 0.05,
					  .min_pages = 1, .max_pages = 6 };

/* check pdf against letter; the error kind (ERR_NONE when accepted) */
static enum err_kind check_kind(const unsigned char *pdf, size_t len, const struct pdf_expect *w,
				struct api_error *err)
{
	*err = (struct api_error){ 0 };
	return pdf_check(pdf, len, w, NULL, err) == 0 ? ERR_NONE : err->kind;
}

static void sizes_and_pages(void)
{
	size_t len;
	unsigned char *pdf = fixture_pages(8.5, 11, 3, &len);
	struct pdf_info info;
	struct api_error err = { 0 };
	CHECK_RUN(pdf_inspect(pdf, len, &info, &err) == 0, "inspect a 3-page letter: %s", err.message);
	CHECK_INT_RUN(info.pages, 3, "3 pages");
	CHECK_RUN(fabs(info.size[2].width_in - 8.5) < 1e-6 && fabs(info.size[2].height_in - 11) < 1e-6,
	      "page 3 is 8.5x11");
	CHECK_RUN(!info.encrypted && !info.needs_password, "not encrypted");
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_NONE, "a letter passes: %s", err.message);
	struct pdf_expect few = letter;
	few.max_pages = 2;
	CHECK_INT_RUN(check_kind(pdf, len, &few, &err), ERR_FILE_PAGES_EXCEED_MAX, "3 > max 2");
	CHECK_STR(err.message, "the file has 3 pages; at most 2 are allowed", "its message");
	struct pdf_expect many = letter;
	many.min_pages = 4;
	CHECK_INT_RUN(check_kind(pdf, len, &many, &err), ERR_FILE_PAGES_BELOW_MIN, "3 < min 4");
	struct pdf_expect small = letter;
	small.max_bytes = len - 1;
	CHECK_INT_RUN(check_kind(pdf, len, &small, &err), ERR_FILE_SIZE_EXCEEDS_LIMIT, "byte limit");
	free(pdf);

	pdf = fixture_pages(8.27, 11.69, 1, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_INVALID_FILE_DIMENSIONS, "A4 for letter");
	CHECK_STR(err.message, "file must be 8.5\"x11\" (found 8.27\"x11.69\" on page 1)",
		  "the message names both sizes");
	free(pdf);

	pdf = fixture_pages(8.53, 10.97, 1, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_NONE, "within the tolerance");
	free(pdf);

	pdf = fixture_pages(11, 8.5, 1, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_INVALID_FILE_DIMENSIONS,
		  "landscape is not portrait: the size is exact as given");
	free(pdf);

	struct fixture_page mixed[3] = { { 612, 792, fz_empty_rect, 0 }, { 612, 792, fz_empty_rect, 0 },
					 { 595, 842, fz_empty_rect, 0 } };
	pdf = fixture_pdf(mixed, 3, NULL, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_INCONSISTENT_PAGE_DIMENSIONS,
		  "letter, letter, A4");
	CHECK_RUN(strstr(err.message, "page 3 is 8.26\"x11.69\"") != NULL, "names page 3: %s",
	      err.message);
	free(pdf);

	pdf = fixture_pages(8.5, 11, PDF_INFO_MAX_PAGES + 10, &len);
	CHECK_RUN(pdf_inspect(pdf, len, &info, &err) == 0, "inspect many pages");
	CHECK_INT_RUN(info.pages, PDF_INFO_MAX_PAGES + 10, "all pages counted");
	CHECK_RUN(info.size[PDF_INFO_MAX_PAGES - 1].width_in > 8.4, "the last kept size is filled");
	free(pdf);
}

static void boxes_and_rotation(void)
{
	size_t len;
	struct api_error err;
	/* a 9x12 sheet with bleed whose trim box is the letter */
	struct fixture_page bleed = { 648, 864, fz_make_rect(18, 36, 630, 828), 0 };
	unsigned char *pdf = fixture_pdf(&bleed, 1, NULL, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_NONE, "the trim box is the size: %s",
		  err.message);
	free(pdf);
	/* a trim box outside the media box is clipped to it */
	struct fixture_page outside = { 612, 792, fz_make_rect(0, 0, 900, 900), 0 };
	pdf = fixture_pdf(&outside, 1, NULL, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_NONE, "trim box clipped to media");
	free(pdf);
	/* landscape media turned a quarter is a portrait page */
	struct fixture_page turned = { 792, 612, fz_empty_rect, 90 };
	pdf = fixture_pdf(&turned, 1, NULL, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_NONE, "rotate 90 swaps the sides");
	free(pdf);
	turned.rotate = 180;
	pdf = fixture_pdf(&turned, 1, NULL, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_INVALID_FILE_DIMENSIONS, "rotate 180 does not");
	free(pdf);
}

static void encryption(void)
{
	size_t len;
	struct api_error err;
	struct fixture_page p = { 612, 792, fz_empty_rect, 0 };
	struct fixture_opts aes = { .encrypt = PDF_ENCRYPT_AES_256, .user_password = "hunter2" };
	unsigned char *pdf = fixture_pdf(&p, 1, &aes, &len);
	CHECK_RUN(pdf != NULL, "made an AES-256 PDF");
	struct pdf_info info;
	CHECK_RUN(pdf_inspect(pdf, len, &info, &err) == 0, "inspect an encrypted PDF");
	CHECK_RUN(info.encrypted && info.needs_password, "encrypted, needs a password");
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_PDF_ENCRYPTED, "rejected as encrypted");
	free(pdf);
	struct fixture_opts owner = { .encrypt = PDF_ENCRYPT_RC4_128, .user_password = "" };
	pdf = fixture_pdf(&p, 1, &owner, &len);
	CHECK_RUN(pdf_inspect(pdf, len, &info, &err) == 0 && info.encrypted && !info.needs_password,
	      "owner-password-only: encrypted, opens without a password");
	CHECK_INT_RUN(info.pages, 1, "its page is counted");
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_PDF_ENCRYPTED, "still rejected");
	free(pdf);
}

/* a PDF written by hand: Helvetica on the page, a non-standard TrueType font (descriptor but
 * no font file) inside a form XObject, and an embedded-looking font that is fine */
static unsigned char *handmade_pdf(size_t *len)
{
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
		"/Resources << /Font << /F1 5 0 R >> /XObject << /X1 6 0 R >> >> >>",
		"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 72 Td (Hi) Tj ET /X1 Do    \nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Length 34 "
		"/Resources << /Font << /F2 7 0 R /F3 9 0 R >> >> >>\nstream\n"
		"BT /F2 9 Tf (x) Tj /F3 9 Tf (y) Tj\nendstream",
		"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+ComicSansMS "
		"/FontDescriptor 8 0 R >>",
		"<< /Type /FontDescriptor /FontName /ComicSansMS /Flags 32 >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Garamond /FontDescriptor "
		"<< /FontFile3 10 0 R >> >>",
		"<< /Length 0 >>\nstream\n\nendstream",
	};
	size_t n = sizeof objs / sizeof objs[0];
	char *buf = malloc(8192);
	size_t off[16], at = (size_t)snprintf(buf, 8192, "%%PDF-1.4\n");
	for (size_t i = 0; i < n; i++) {
		off[i] = at;
		at += (size_t)snprintf(buf + at, 8192 - at, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	size_t xref = at;
	at += (size_t)snprintf(buf + at, 8192 - at, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		at += (size_t)snprintf(buf + at, 8192 - at, "%010zu 00000 n \n", off[i]);
	at += (size_t)snprintf(buf + at, 8192 - at, "trailer\n<< /Size %zu /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
			      n + 1, xref);
	*len = at;
	return (unsigned char *)buf;
}

static void fonts(void)
{
	CHECK_RUN(pdf_font_is_standard("Helvetica", "Type 1"), "Helvetica Type 1");
	CHECK_RUN(!pdf_font_is_standard("Helvetica", "TrueType"), "not Helvetica TrueType");
	CHECK_RUN(pdf_font_is_standard("ABCDEF+Arial,Bold", "CID TrueType"), "subset tag ignored");
	CHECK_RUN(!pdf_font_is_standard("Arial,Italic", "Type 1"), "Arial,Italic is TrueType only");
	CHECK_RUN(pdf_font_is_standard("TimesNewRomanPSMT", "CID TrueType"), "Times New Roman CID");
	CHECK_RUN(!pdf_font_is_standard("ComicSansMS", "TrueType"), "Comic Sans is not standard");
	CHECK_RUN(!pdf_font_is_standard("abcdef+Arial", "TrueType"), "lowercase is no subset tag");

	size_t len;
	struct api_error err;
	struct pdf_info info;
	struct fixture_page p = { 612, 792, fz_empty_rect, 0 };
	struct fixture_opts helv = { .font = "Helvetica" };
	unsigned char *pdf = fixture_pdf(&p, 1, &helv, &len);
	CHECK_RUN(pdf_inspect(pdf, len, &info, &err) == 0, "inspect Helvetica text");
	CHECK_INT_RUN(info.n_unembedded, 0, "Helvetica is standard");
	CHECK_INT_RUN(info.n_standard_unembedded, 1, "and counted as such");
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_NONE, "accepted");
	free(pdf);
	struct fixture_opts arial = { .font = "Arial,Italic", .font_subtype = "Type1" };
	pdf = fixture_pdf(&p, 1, &arial, &len);
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_UNEMBEDDED_FONTS,
		  "Arial,Italic as Type 1 is refused");
	free(pdf);

	pdf = handmade_pdf(&len);
	CHECK_RUN(pdf_inspect(pdf, len, &info, &err) == 0, "inspect the hand-written PDF: %s",
	      err.message);
	CHECK_INT_RUN(info.n_unembedded, 1, "one non-standard unembedded font");
	CHECK_STR(info.unembedded[0], "ComicSansMS (TrueType)", "found inside the form XObject");
	CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_UNEMBEDDED_FONTS, "rejected");
	CHECK_RUN(strstr(err.message, "ComicSansMS (TrueType)") != NULL, "message names it: %s",
	      err.message);
	free(pdf);
}

static void hostile(void)
{
	struct api_error err;
	struct pdf_info info;
	const unsigned char text[] = "hello, I am not a PDF";
	CHECK_INT_RUN(check_kind(text, sizeof text, &letter, &err), ERR_INVALID_FILE, "not a PDF");
	CHECK_INT_RUN(check_kind(text, 0, &letter, &err), ERR_INVALID_FILE, "empty");
	const unsigned char junk[] = "%PDF-1.7\n\x01\x02garbage garbage\n%%EOF";
	CHECK_INT_RUN(check_kind(junk, sizeof junk - 1, &letter, &err), ERR_INVALID_FILE,
		  "a header and garbage: %s", err.message);
	size_t len;
	unsigned char *pdf = fixture_pages(8.5, 11, 2, &len);
	CHECK_INT_RUN(check_kind(pdf, len / 2, &letter, &err) == ERR_NONE ||
		  err.kind == ERR_INVALID_FILE, 1, "a truncated PDF is repaired or refused");
	/* flipped bytes must never crash or hang, only be refused or accepted */
	unsigned char *copy = malloc(len);
	srand(7);
	int handled = 0;
	for (int round = 0; round < 300; round++) {
		memcpy(copy, pdf, len);
		for (int k = 0; k < 4; k++)
			copy[(size_t)rand() % len] = (unsigned char)rand();
		int rc = pdf_inspect(copy, len, &info, &err);
		handled += rc == 0 || err.kind == ERR_INVALID_FILE;
	}
	CHECK_INT_RUN(handled, 300, "300 damaged copies answered with a result or invalid_file");
	free(copy);
	free(pdf);
}

/* found by fuzz/fuzz_pdf: a font name that is not UTF-8 made the 422 a 500 */
static void font_names_not_utf8(void)
{
	struct api_error err;
	size_t len;
	struct fixture_page p = { 612, 792, fz_empty_rect, 0 };
	/* a broken UTF-8 sequence (PDF names are bytes: /Times#C3-Roman), and a name cut by the
	 * 40-byte label inside its "é" */
	const char *names[] = { "Times\xc3-Roman", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\xc3\xa9" };
	for (size_t i = 0; i < 2; i++) {
		struct fixture_opts o = { .font = names[i] };
		unsigned char *pdf = fixture_pdf(&p, 1, &o, &len);
		CHECK_INT_RUN(check_kind(pdf, len, &letter, &err), ERR_UNEMBEDDED_FONTS,
			      "font %zu is refused as unembedded", i);
		json_t *m = json_string(err.message);
		CHECK_RUN(m != NULL, "the message is valid UTF-8: %s", err.message);
		CHECK_RUN(strstr(err.message, i ? "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" : "Times") != NULL,
			  "and names the font: %s", err.message);
		json_decref(m);
		free(pdf);
	}
}

int main(void)
{
	fixture_quiet();
	sizes_and_pages();
	boxes_and_rotation();
	encryption();
	fonts();
	hostile();
	font_names_not_utf8();
	return test_done();
}
