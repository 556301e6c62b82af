// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Barcodes: IMb against every row of data/imb_test_vectors.csv (beside this file: the
 * vectors of USPS-B-3200 Appendix C, PostalPro's encoder sample and libzint rows), IMpb
 * MOD 10 and tracking numbers (USPS Publication 199), GS1-128 and QR via zint, and
 * 10,000 random inputs that must never crash.
 */
#include "core/csv.h"
#include "barcode/imb.h"
#include "barcode/impb.h"
#include "barcode/qr.h"
#include "test.h"
#include <stdlib.h>

static struct api_error err;

static FILE *open_vectors(void)
{
	return fopen(TEST_DATA_DIR "/barcode/data/imb_test_vectors.csv", "r");
}

static void test_imb_vectors(void)
{
	struct csv c;
	FILE *f = open_vectors();
	int t, r, b, rows = 0;
	char bars[IMB_BARS + 1];

	if (!CHECK(f != NULL, "imb: test vectors file found"))
		return;
	CHECK_INT(csv_init_file(&c, f, 16, 4096), 0, "imb: csv reader");
	CHECK_INT(csv_next(&c), CSV_ROW, "imb: header row");
	t = csv_find(&c, "tracking_code");
	r = csv_find(&c, "routing_code");
	b = csv_find(&c, "bars_65");
	CHECK(t >= 0 && r >= 0 && b >= 0, "imb: header names the columns");
	while (csv_next(&c) == CSV_ROW) {
		const char *tr = c.fields[t], *ro = c.fields[r];

		rows++;
		CHECK_INT(imb_bars(tr, ro, bars, &err), 0, "imb %s-%s encodes", tr, ro);
		CHECK_STR(bars, c.fields[b], "imb %s-%s bars (line %zu)", tr, ro, c.line);
	}
	CHECK_INT(rows, 8, "imb: every vector row read");
	csv_release(&c);
	fclose(f);
}

static void test_imb_fields(void)
{
	char tr[IMB_TRACKING_LEN + 1], bars[IMB_BARS + 1];

	CHECK_INT(imb_tracking("01", "234", "567094", 987654321, tr, &err), 0, "6-digit MID");
	CHECK_STR(tr, "01234567094987654321", "Appendix C tracking code built from fields");
	CHECK_INT(imb_tracking("23", "270", "592831", 482031240, tr, &err), 0, "PostalPro");
	CHECK_STR(tr, "23270592831482031240", "PostalPro tracking code built from fields");
	CHECK_INT(imb_tracking("00", "040", "912345678", 42, tr, &err), 0, "9-digit MID");
	CHECK_STR(tr, "00040912345678000042", "9-digit MID, 6-digit serial zero-padded");
	CHECK_INT(imb_tracking("00", "040", "123456", 0, tr, &err), 0, "serial 0");
	CHECK_STR(tr, "00040123456000000000", "serial 0 is nine zeros");

#define BAD_TRACKING(bi, st, mid, ser, msg) do { \
		CHECK_INT(imb_tracking(bi, st, mid, ser, tr, &err), -1, "rejects %s", msg); \
		CHECK_INT(err.kind, ERR_INVALID, "%s: invalid", msg); \
		CHECK_STR(tr, "", "%s: output cleared", msg); \
	} while (0)
	BAD_TRACKING("05", "234", "567094", 1, "barcode ID 05");
	CHECK_STR(err.message, "imb barcode ID must be 2 digits, the second one 0-4", "BI msg");
	BAD_TRACKING("1", "234", "567094", 1, "1-digit barcode ID");
	BAD_TRACKING("a0", "234", "567094", 1, "non-digit barcode ID");
	BAD_TRACKING(NULL, "234", "567094", 1, "NULL barcode ID");
	BAD_TRACKING("00", "23", "567094", 1, "2-digit STID");
	CHECK_STR(err.message, "imb service type ID must be 3 digits", "STID msg");
	BAD_TRACKING("00", "2x4", "567094", 1, "non-digit STID");
	BAD_TRACKING("00", "234", "967094", 1, "6-digit MID starting with 9");
	CHECK_STR(err.message, "imb mailer ID must be 6 digits not starting with 9, "
		  "or 9 digits starting with 9", "MID msg");
	BAD_TRACKING("00", "234", "123456789", 1, "9-digit MID not starting with 9");
	BAD_TRACKING("00", "234", "5670941", 1, "7-digit MID");
	BAD_TRACKING("00", "234", "", 1, "empty MID");
	BAD_TRACKING("00", "234", "567094", 1000000000ULL, "10-digit serial with 6-digit MID");
	CHECK_STR(err.message, "imb serial number must fit in 9 digits", "serial msg");
	BAD_TRACKING("00", "234", "912345678", 1000000, "7-digit serial with 9-digit MID");
	CHECK_STR(err.message, "imb serial number must fit in 6 digits", "serial msg (9 MID)");

#define BAD_BARS(t, r, msg, want) do { \
		CHECK_INT(imb_bars(t, r, bars, &err), -1, "rejects %s", msg); \
		CHECK_STR(err.message, want, "%s: message", msg); \
		CHECK_STR(bars, "", "%s: output cleared", msg); \
	} while (0)
	BAD_BARS("0123456709498765432", "", "19-digit tracking",
		 "imb tracking code must be 20 digits");
	BAD_BARS("012345670949876543210", "", "21-digit tracking",
		 "imb tracking code must be 20 digits");
	BAD_BARS("0123456709498765432x", "", "letter in tracking",
		 "imb tracking code must be 20 digits");
	BAD_BARS(NULL, "", "NULL tracking", "imb tracking code must be 20 digits");
	BAD_BARS("05234567094987654321", "", "barcode ID 05",
		 "imb barcode ID must be 2 digits, the second one 0-4");
	BAD_BARS("01234567094987654321", "0123", "4-digit routing",
		 "imb routing code must be 0, 5, 9 or 11 digits");
	BAD_BARS("01234567094987654321", "0123456789", "10-digit routing",
		 "imb routing code must be 0, 5, 9 or 11 digits");
	BAD_BARS("01234567094987654321", "012345678901", "12-digit routing",
		 "imb routing code must be 0, 5, 9 or 11 digits");
	BAD_BARS("01234567094987654321", "0123-", "dash in routing",
		 "imb routing code must be 0, 5, 9 or 11 digits");
	CHECK_INT(imb_bars("01234567094987654321", NULL, bars, &err), 0, "NULL routing = none");
	CHECK_STR(bars, "ATTFATTDTTADTAATTDTDTATTDAFDDFADFDFTFFFFFTATFAAAATDFFTDAADFTFDTDT",
		  "NULL routing gives Appendix C example 1");
}

static void test_impb_check_digits(void)
{
	/* impb_certified.md §2 table: all valid ones */
	static const char *const valid[] = {
		"9212391234567812345670",	/* Pub 199 worked example */
		"9400111201080805483016", "9361289878700317633795", "9405803699300124287899",
		"92748931507708513018050063",
		"92071902358909000011275538",	/* Lob OpenAPI example letter */
		"03071790000523483741",		/* legacy 20-digit */
		"4201002334249200190132607600833457",	/* 420 + ZIP+4 + PIC */
		"9205590109769900012613", "9261290006662200035278",	/* USPS api-examples */
	};

	CHECK_INT(impb_check_digit("921239123456781234567", 21), '0', "Pub 199 example: 0");
	CHECK_INT(impb_check_digit("940011120108080548301", 21), '6', "9400111201080805483016");
	CHECK_INT(impb_check_digit("9207190235890900001127553", 25), '8', "Lob example: 8");
	CHECK_INT(impb_check_digit("0307179000052348374", 19), '1', "20-digit legacy: 1");
	CHECK_INT(impb_check_digit("940011189922345678901", 21), '7', "321certified sample: 7");
	CHECK_INT(impb_check_digit("12a", 3), 0, "non-digit: 0");
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		CHECK_INT(impb_validate(valid[i], &err), 0, "valid: %s", valid[i]);

#define BAD_PIC(p, want) do { \
		CHECK_INT(impb_validate(p, &err), -1, "rejects %s", p ? p : "NULL"); \
		CHECK_STR(err.message, want, "%s: message", p ? p : "NULL"); \
	} while (0)
	BAD_PIC("03071790000523483742", "impb tracking number check digit must be 1");
	BAD_PIC("9400111899223456789012", "impb tracking number check digit must be 7");
	BAD_PIC("9212391234567812345671", "impb tracking number check digit must be 0");
	BAD_PIC("921239123456781234567", "impb tracking number must be 20, 22, 26, 30 or 34 digits");
	BAD_PIC("9212 3912 3456 7812 3456 70",
		"impb tracking number must be 20, 22, 26, 30 or 34 digits");
	BAD_PIC("", "impb tracking number must be 20, 22, 26, 30 or 34 digits");
	BAD_PIC(NULL, "impb tracking number must be 20, 22, 26, 30 or 34 digits");
	BAD_PIC("8212391234567812345670", "impb tracking number must start with 91-95");
	BAD_PIC("9612391234567812345670", "impb tracking number must start with 91-95");
	BAD_PIC("9212311234567812345670", "impb channel 92 needs a 9-digit mailer ID starting with 9");
	BAD_PIC("9312391234567812345670",
		"impb channel 93 needs a 6-digit mailer ID not starting with 9");
	BAD_PIC("5201002334249200190132607600833457",
		"impb barcode data of 30 or 34 digits must start with 420");
}

static void test_impb_build(void)
{
	static const char *const stcs[] = {
		"071", "147", "148", "149", "154", "360", "501", "522", "529", "531", "533",
	};
	char pic[IMPB_PIC_MAX + 1], hri[40];

	/* the published numbers, rebuilt from their fields (impb_certified.md §4.2, §4.3) */
	CHECK_INT(impb_build("071", "902358909", 1127553, 26, pic, &err), 0, "Lob example");
	CHECK_STR(pic, "92071902358909000011275538", "Lob certified example rebuilt");
	CHECK_INT(impb_build("055", "901097699", 1261, 22, pic, &err), 0, "USPS example");
	CHECK_STR(pic, "9205590109769900012613", "USPS api-examples PIC rebuilt");
	CHECK_INT(impb_build("123", "912345678", 1234567, 22, pic, &err), 0, "Pub 199");
	CHECK_STR(pic, "9212391234567812345670", "Pub 199 example rebuilt");
	CHECK_INT(impb_build("071", "123456", 42, 22, pic, &err), 0, "93 construct");
	CHECK_STR(pic, "9307112345600000000425", "93 + 6-digit MID + 10-digit serial");

	for (size_t i = 0; i < sizeof(stcs) / sizeof(stcs[0]); i++) {
		const struct impb_stc *row = impb_stc_lookup(stcs[i]);

		CHECK(row && strcmp(row->stc, stcs[i]) == 0, "STC %s in the table", stcs[i]);
		for (int len = 22; len <= 26; len += 4) {
			CHECK_INT(impb_build(stcs[i], "902358909", 1234567, (size_t)len, pic, &err),
				  0, "build %s/%d/92", stcs[i], len);
			CHECK_INT(impb_validate(pic, &err), 0, "%s validates", pic);
			CHECK(strncmp(pic + 2, stcs[i], 3) == 0 && strlen(pic) == (size_t)len,
			      "%s: STC at 3-5, %d digits", pic, len);
			CHECK_INT(impb_build(stcs[i], "654321", 1234567, (size_t)len, pic, &err),
				  0, "build %s/%d/93", stcs[i], len);
			CHECK_INT(impb_validate(pic, &err), 0, "%s validates", pic);
		}
	}
	CHECK_STR(impb_stc_lookup("071")->banner, "USPS CERTIFIED MAIL", "071 banner");
	CHECK_STR(impb_stc_lookup("501")->banner, "USPS REGISTERED MAIL", "501 banner");
	CHECK(impb_stc_lookup("073") == NULL, "073 is not a certified STC");
	CHECK_STR(impb_stc_for_extra_service("certified"), "071", "certified → 071");
	CHECK_STR(impb_stc_for_extra_service("certified_return_receipt"), "148", "RR → 148");
	CHECK_STR(impb_stc_for_extra_service("registered"), "501", "registered → 501");
	CHECK(impb_stc_for_extra_service("insured") == NULL, "unknown extra_service");

#define BAD_BUILD(st, mid, ser, len, want) do { \
		CHECK_INT(impb_build(st, mid, ser, len, pic, &err), -1, "rejects " want); \
		CHECK_STR(err.message, want, "message"); \
		CHECK_STR(pic, "", "output cleared"); \
	} while (0)
	BAD_BUILD("071", "902358909", 1, 20, "impb tracking number length must be 22 or 26");
	BAD_BUILD("71", "902358909", 1, 22, "impb service type code must be 3 digits");
	BAD_BUILD("071", "123456789", 1, 22, "impb mailer ID must be 6 digits not starting "
		  "with 9, or 9 digits starting with 9");
	BAD_BUILD("071", "912345", 1, 22, "impb mailer ID must be 6 digits not starting "
		  "with 9, or 9 digits starting with 9");
	BAD_BUILD("071", "902358909", 10000000, 22, "impb serial number must fit in 7 digits");
	BAD_BUILD("071", "123456", 100000000000000ULL, 26,
		  "impb serial number must fit in 14 digits");

	CHECK_INT(impb_hri("92071902358909000011275538", hri, sizeof(hri), &err), 0, "hri 26");
	CHECK_STR(hri, "9207 1902 3589 0900 0011 2755 38", "26 digits in blocks of 4 (§4.4)");
	CHECK_INT(impb_hri("9212391234567812345670", hri, sizeof(hri), &err), 0, "hri 22");
	CHECK_STR(hri, "9212 3912 3456 7812 3456 70", "22 digits in blocks of 4");
	CHECK_INT(impb_hri("9212391234567812345670", hri, 27, &err), -1, "hri buffer too small");
	CHECK_INT(impb_hri("03071790000523483741", hri, sizeof(hri), &err), -1, "no hri for 20");
}

static void test_impb_gs1(void)
{
	char mod[512], hri[40];
	int sum = 0;
	size_t n;

	CHECK_INT(impb_gs1_modules("94107", "92071902358909000011275538", mod, sizeof(mod), hri,
				   sizeof(hri), &err), 0, "GS1-128 encodes (420)94107(92)…");
	CHECK_STR(hri, "9207 1902 3589 0900 0011 2755 38", "GS1-128 human-readable text");
	n = strlen(mod);
	for (size_t i = 0; i < n; i++)
		sum += mod[i] - '0';
	/* Code 128: Start C 211232, then FNC1 411131 (GS1), ..., Stop 2331112 */
	CHECK(strncmp(mod, "211232411131", 12) == 0, "starts with Start C + FNC1: %.12s", mod);
	CHECK(n > 7 && strcmp(mod + n - 7, "2331112") == 0, "ends with the stop pattern");
	CHECK_INT(sum % 11, 2, "11 modules per symbol plus a 13-module stop");
	CHECK_INT(n % 6, 1, "6 elements per symbol, 7 in the stop");
	/* start, FNC1, 420, 94 10 7?, ... at least 17 digit pairs of data + check */
	CHECK(sum >= 11 * 18 + 13, "long enough for 34 digits: %d modules", sum);

	CHECK_INT(impb_gs1_modules("941071234", "9212391234567812345670", mod, sizeof(mod), hri,
				   sizeof(hri), &err), 0, "ZIP+4 accepted");
	CHECK_STR(hri, "9212 3912 3456 7812 3456 70", "hri of the PIC only");
	CHECK_INT(impb_gs1_modules("9410", "9212391234567812345670", mod, sizeof(mod), hri,
				   sizeof(hri), &err), -1, "4-digit ZIP rejected");
	CHECK_STR(err.message, "impb ZIP code must be 5 or 9 digits", "ZIP message");
	CHECK_INT(impb_gs1_modules("94107", "9212391234567812345671", mod, sizeof(mod), hri,
				   sizeof(hri), &err), -1, "bad check digit rejected");
	CHECK_STR(err.message, "impb tracking number check digit must be 0", "check message");
	CHECK_STR(mod, "", "modules cleared on error");
	CHECK_INT(impb_gs1_modules("94107", "9212391234567812345670", mod, 20, hri,
				   sizeof(hri), &err), -1, "small module buffer is an error");
	CHECK_INT(err.kind, ERR_INTERNAL, "small buffer: internal");
}

static void test_qr(void)
{
	static struct qr_matrix m;
	static char big[QR_MAX_DATA + 1];

	CHECK_INT(qr_encode("HELLO WORLD", 11, &m, &err), 0, "QR encodes HELLO WORLD");
	CHECK_INT(m.size, 21, "HELLO WORLD at level M is version 1 (21x21)");
	/* finder pattern: dark 7x7 ring, light ring inside, dark 3x3 core */
	CHECK(qr_module(&m, 0, 0) && qr_module(&m, 6, 6) && qr_module(&m, 0, 20) &&
	      qr_module(&m, 20, 0) && !qr_module(&m, 1, 1) && qr_module(&m, 3, 3),
	      "finder patterns in three corners");
	CHECK(!qr_module(&m, 20, 20) || 1, "bottom-right has no finder (any value)");
	CHECK_INT(qr_module(&m, 21, 0), 0, "outside the matrix is light");
	CHECK_INT(qr_encode("https://lob.com/letters/ltr_4868c3b754655f90", 44, &m, &err), 0,
		  "a URL encodes");
	CHECK_INT(m.size, 33, "44 bytes at level M is version 4 (33x33)");
	memset(big, 'x', sizeof(big) - 1);
	CHECK_INT(qr_encode(big, QR_MAX_DATA, &m, &err), 0, "QR_MAX_DATA bytes encode");
	CHECK(m.size > 100 && m.size <= QR_MAX_SIZE, "large QR: %d", m.size);
	CHECK_INT(qr_encode(big, QR_MAX_DATA + 1, &m, &err), -1, "too long rejected");
	CHECK_STR(err.message, "qr code data must be 1 to 2048 bytes", "too long message");
	CHECK_INT(qr_encode("", 0, &m, &err), -1, "empty rejected");
}

/* random strings: digits mostly, sometimes junk, any length up to 40 */
static void random_str(char *s, size_t cap)
{
	size_t n = (size_t)rand() % cap;

	for (size_t i = 0; i < n; i++) {
		int r = rand() % 20;

		s[i] = r < 18 ? (char)('0' + rand() % 10) : (char)(1 + rand() % 255);
	}
	s[n] = '\0';
}

static void test_random(void)
{
	static struct qr_matrix m;
	char a[48], b[48], c[48], out[512], hri[64], bars[IMB_BARS + 1];
	char pic[IMPB_PIC_MAX + 1];
	int imb_ok = 0, imb_bad = 0, pic_bad = 0, zint_fail = 0;

	srand(3200);
	for (int i = 0; i < 10000; i++) {
		uint64_t serial = ((uint64_t)rand() << 31 | (uint64_t)rand()) % 1000000000000000ULL;
		char tr[IMB_TRACKING_LEN + 1];

		random_str(a, 24);
		random_str(b, 14);
		if (imb_bars(a, b, bars, &err) == 0) {
			imb_ok++;
			if (strlen(bars) != IMB_BARS || strspn(bars, "FADT") != IMB_BARS)
				imb_bad++;
		} else if (err.kind != ERR_INVALID) {
			zint_fail++;
		}
		/* well-formed fields: must always build and encode */
		snprintf(c, sizeof(c), "%d%d", rand() % 10, rand() % 5);
		snprintf(a, sizeof(a), "%03d", rand() % 1000);
		if (rand() % 2)
			snprintf(b, sizeof(b), "%06d", rand() % 900000);
		else
			snprintf(b, sizeof(b), "9%08d", rand() % 100000000);
		if (imb_tracking(c, a, b, serial % (strlen(b) == 6 ? 1000000000 : 1000000), tr,
				 &err) < 0 ||
		    imb_bars(tr, i % 2 ? "12345678901" : "", bars, &err) < 0)
			imb_bad++;
		if (impb_build(a, b, serial % 10000000, i % 2 ? 22 : 26, pic, &err) < 0 ||
		    impb_validate(pic, &err) < 0 ||
		    impb_gs1_modules("94107", pic, out, sizeof(out), hri, sizeof(hri), &err) < 0)
			pic_bad++;
		/* junk into every entry point */
		random_str(a, 40);
		random_str(b, 12);
		(void)impb_validate(a, &err);
		(void)impb_hri(a, hri, (size_t)rand() % sizeof(hri), &err);
		(void)impb_gs1_modules(b, a, out, (size_t)rand() % sizeof(out), hri,
				       (size_t)rand() % sizeof(hri), &err);
		(void)impb_build(b, a, serial, (size_t)(rand() % 30), pic, &err);
		(void)imb_tracking(a, b, a, serial, tr, &err);
		if (i % 50 == 0)
			(void)qr_encode(a, strlen(a), &m, &err);
	}
	CHECK(imb_ok > 0, "random IMb inputs: %d encoded", imb_ok);
	CHECK_INT(imb_bad, 0, "every well-formed IMb built and encoded to 65 F/A/D/T bars");
	CHECK_INT(pic_bad, 0, "every built PIC validated and encoded as GS1-128");
	CHECK_INT(zint_fail, 0, "input that passed validation never failed in zint");
}

int main(void)
{
	test_imb_vectors();
	test_imb_fields();
	test_impb_check_digits();
	test_impb_build();
	test_impb_gs1();
	test_qr();
	test_random();
	return test_done();
}
