// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The run's paperwork from a run plan made here (the plan's shape of the issue 14 contract):
 * letters plain, certified, certified with return receipt, registered and over 6 sheets in a
 * flat; postcards; checks of two bank accounts. Checked as the mail room would: the CSV and
 * JSON manifests read back, weights against hand-computed values, the PS Form 3877 read with
 * pdftotext (it lists every accountable article and only those, with its totals) and pdffonts
 * (every font embedded), positive pay against the checks. The poppler tools must be installed
 * (scripts/install-deps --e2e): a missing tool fails the test.
 */
#include "core/csv.h"
#include "core/ids.h"
#include "production/firm_book.h"
#include "production/manifest.h"
#include "production/manifest_file.h"
#include "production/positive_pay.h"
#include "production/postage.h"
#include "production/weight.h"
#include "test.h"
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define NEAR(a, b, eps) (fabs((a) - (b)) <= (eps))

/* ---- the plan ---- */

static json_t *to_addr(const char *name, const char *zip)
{
	return json_pack("{s:s, s:n, s:s, s:n, s:s, s:s, s:s, s:s}", "name", name, "company",
			 "address_line1", "185 Berry St Ste 6100", "address_line2", "address_city",
			 "San Francisco", "address_state", "CA", "address_zip", zip,
			 "address_country", "US");
}

/* a piece; tracking and check may be NULL */
static json_t *piece(const char *id, const char *account, int seq, int pages, int sheets,
		     const char *zip4, const char *tracking, json_t *check)
{
	char zip[16];
	snprintf(zip, sizeof zip, "94107%s%s", zip4 ? "-" : "", zip4 ? zip4 : "");
	json_t *p = json_pack("{s:s, s:s, s:i, s:s, s:i, s:i, s:o, s:s, s:s?, s:{s:s, s:s}, "
			      "s:s?, s:o?}",
			      "id", id, "account_id", account, "sequence", seq, "pdf", "k.pdf",
			      "pages", pages, "sheets", sheets, "to", to_addr(id, zip), "zip5",
			      "94107", "zip4", zip4, "imb", "tracking_code", "00040123456000000001",
			      "routing_code", "94107174199", "tracking_number", tracking, "check",
			      check);
	return p;
}

static json_t *check(int number, double amount, const char *payee, const char *bank,
		     const char *account)
{
	return json_pack("{s:i, s:f, s:s, s:s, s:s, s:s, s:s}", "number", number, "amount", amount,
			 "date", "2026-12-07", "payee", payee, "bank_account_id", bank,
			 "routing_number", "322271627", "account_number", account);
}

static json_t *lot(const char *id, int number, const char *product, const char *size,
		   const char *envelope, const char *service, const char *paper)
{
	return json_pack("{s:s, s:s, s:b, s:i, s:s, s:s, s:b, s:b, s:s?, s:s?, s:s, s:b, s:n, "
			 "s:[], s:b, s:{s:s?, s:s?, s:[], s:i, s:i}, s:[]}",
			 "id", id, "run_id", "run_00000000000000aa", "test", 0, "number", number,
			 "product", product, "size", size, "color", 0, "double_sided", 1,
			 "envelope", envelope, "extra_service", service, "mail_type",
			 "usps_first_class", "return_envelope", 0, "perforated_page", "inserts",
			 "reprint", 0, "stock", "paper", paper, "envelope", envelope, "inserts",
			 "pieces", 0, "sheets", 0, "pieces");
}

static void add(json_t *l, json_t *p)
{
	json_array_append_new(json_object_get(l, "pieces"), p);
}

/* tracking numbers of the accountable pieces (22 digits, IMpb-like) */
static const char *const tn[] = {
	"9407111899223456780011", "9407111899223456780028", "9407111899223456780035",
	"9414811899223456780042", "9414811899223456780059", "9208850199223456780066",
	"9407111899223456780073",
};

static json_t *make_run(void)
{
	json_t *run = json_pack("{s:s, s:s, s:b, s:s, s:s, s:[]}", "id", "run_00000000000000aa",
				"cutoff", "2026-12-07T17:00:00.000Z", "test", 0, "date_created",
				"2026-12-07T17:00:01.000Z", "mailer_id", "123456", "lots");
	json_t *lots = json_object_get(run, "lots");
	json_t *l = lot("lot_0000000000000001", 1, "letter", "us_letter",
			"standard_10_double_window", NULL, "24lb bond");
	add(l, piece("ltr_plain1", "acc_a", 1, 1, 1, "1741", NULL, NULL));
	add(l, piece("ltr_plain3", "acc_b", 2, 5, 3, NULL, NULL, NULL));
	/* international: no ZIP, no IMb */
	json_t *intl = piece("ltr_intl", "acc_a", 3, 1, 1, NULL, NULL, NULL);
	json_object_set_new(intl, "imb", json_null());
	json_object_set_new(intl, "zip5", json_null());
	json_object_set_new(json_object_get(intl, "to"), "address_country", json_string("CA"));
	add(l, intl);
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000002", 2, "letter", "us_letter", "certified_window_10",
		"certified", "24lb bond");
	for (int i = 0; i < 3; i++) {
		char id[32];
		snprintf(id, sizeof id, "ltr_cert%d", i);
		add(l, piece(id, "acc_a", i + 1, 4, 2, "1741", tn[i], NULL));
	}
	json_object_set_new(json_object_get(json_array_get(json_object_get(l, "pieces"), 1), "to"),
			    "company", json_string("Jos\xC3\xA9 M\xC3\xBCller & Fils"));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000003", 3, "letter", "us_letter", "certified_window_10",
		"certified_return_receipt", "24lb bond");
	add(l, piece("ltr_certrr0", "acc_a", 1, 4, 2, "1741", tn[3], NULL));
	add(l, piece("ltr_certrr1", "acc_b", 2, 3, 2, "1741", tn[4], NULL));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000004", 4, "letter", "us_letter", "standard_10_double_window",
		"registered", "24lb bond");
	add(l, piece("ltr_reg0", "acc_b", 1, 2, 1, "1741", tn[5], NULL));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000005", 5, "letter", "us_letter", "flat_9x12", NULL, "24lb bond");
	add(l, piece("ltr_flat8", "acc_a", 1, 16, 8, "1741", NULL, NULL));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000006", 6, "letter", "us_letter", "flat_9x12", "certified",
		"24lb bond");
	add(l, piece("ltr_certflat", "acc_b", 1, 18, 9, "1741", tn[6], NULL));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000007", 7, "postcard", "4x6", NULL, NULL, "100lb cover");
	add(l, piece("psc_a", "acc_a", 1, 2, 1, "1741", NULL, NULL));
	add(l, piece("psc_b", "acc_b", 2, 2, 1, NULL, NULL, NULL));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000008", 8, "postcard", "6x11", NULL, NULL, "100lb cover");
	add(l, piece("psc_c", "acc_a", 1, 2, 1, "1741", NULL, NULL));
	json_array_append_new(lots, l);
	l = lot("lot_0000000000000009", 9, "check", "check", "standard_10_double_window", NULL,
		"24lb bond");
	add(l, piece("chk_b500", "acc_b", 1, 1, 1, "1741", NULL,
		     check(500, 42.10, "Bob Builder", "bank_bbbbbbbbbbbbbbbb", "987654321")));
	add(l, piece("chk_a10001", "acc_a", 2, 1, 1, "1741", NULL,
		     check(10001, 1234.56, "Smith, \"Jo\" & Sons Landscaping and Tree Service LLC",
			   "bank_aaaaaaaaaaaaaaaa", "0001234567")));
	add(l, piece("chk_a10000", "acc_a", 3, 2, 1, "1741", NULL,
		     check(10000, 0.01, "Ann", "bank_aaaaaaaaaaaaaaaa", "0001234567")));
	json_array_append_new(lots, l);
	return run;
}

static const struct manifest_permit permit = { "FIRST-CLASS MAIL", "SAN FRANCISCO", "CA", "123" };

static struct manifest_opts opts(void)
{
	return (struct manifest_opts){
		.sender = { "Frank Mail Room", "1 Market St", NULL, "San Francisco", "CA", "94105" },
		.post_office = "San Francisco, CA 94105",
		.permit = &permit,
		.firm_book_lines = 4,
	};
}

/* ---- reading the files back ---- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t cap = 0, n = 0;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			char *more = realloc(buf, cap);
			if (!more)
				break;
			buf = more;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	fclose(f);
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* a command's stdout (malloc'd) and its exit status */
static char *run_cmd(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	if (!p) {
		*status = -1;
		return NULL;
	}
	char *buf = NULL;
	size_t cap = 0, n = 0, r;
	do {
		if (n + 4097 > cap) {
			cap = (n + 4097) * 2;
			char *more = realloc(buf, cap);
			if (!more)
				break;
			buf = more;
		}
		r = fread(buf + n, 1, cap - n - 1, p);
		n += r;
	} while (r > 0);
	if (buf)
		buf[n] = '\0';
	int st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return buf;
}

static json_t *entry(const json_t *files, const char *name)
{
	size_t i;
	json_t *e;
	json_array_foreach(files, i, e)
		if (strcmp(json_string_value(json_object_get(e, "name")), name) == 0)
			return e;
	return NULL;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* rows of a CSV file: fields joined by '|' per row, rows by '\n' (malloc'd), and the count */
static char *csv_rows(const char *path, size_t *n_rows)
{
	FILE *f = fopen(path, "rb");
	*n_rows = 0;
	if (!f)
		return NULL;
	struct csv c;
	char *out = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&out, &len);
	csv_init_file(&c, f, 64, 1 << 16);
	enum csv_result r;
	while ((r = csv_next(&c)) == CSV_ROW) {
		for (size_t i = 0; i < c.n_fields; i++)
			fprintf(o, "%s%s", i ? "|" : "", c.fields[i]);
		fputc('\n', o);
		(*n_rows)++;
	}
	if (r != CSV_END)
		fputs("!!malformed\n", o);
	csv_release(&c);
	fclose(f);
	fclose(o);
	return out;
}

/* ---- tests ---- */

static void test_weights(void)
{
	CHECK(NEAR(weight_paper_gsm("20lb bond"), 75, 0.5), "20 lb bond = 75 g/m² (GPO)");
	CHECK(NEAR(weight_paper_gsm("24lb"), 90, 0.5), "24 lb = 90 g/m²");
	CHECK(NEAR(weight_paper_gsm("28#"), 105, 0.5), "28# = 105 g/m²");
	CHECK(NEAR(weight_paper_gsm("90 gsm"), 90, 1e-9), "90 gsm");
	CHECK(NEAR(weight_paper_gsm("100lb cover"), 270.4, 0.1), "100 lb cover = 270 g/m²");
	/* the lots' own stock names: a finish before the grade (postcards were weighed as bond) */
	CHECK(NEAR(weight_paper_gsm("100 lb gloss cover"), 270.4, 0.1), "100 lb gloss cover = 270 g/m²");
	CHECK(NEAR(weight_paper_gsm("80 lb gloss text"), 118.4, 0.1), "80 lb gloss text = 118 g/m²");
	CHECK(NEAR(weight_paper_gsm("80# matte-text"), 118.4, 0.1), "80# matte-text");
	CHECK(NEAR(weight_paper_gsm("24 lb bond"), 90, 0.5), "24 lb bond");
	CHECK(NEAR(weight_paper_gsm("60 lb textured"), 225, 0.5), "a word that only starts like a grade is no grade");
	CHECK(NEAR(weight_paper_gsm("80lb text"), 118.4, 0.1), "80 lb text = 118 g/m²");
	CHECK(weight_paper_gsm("glossy") == 0 && weight_paper_gsm(NULL) == 0, "no weight named");
	/* §1.2: a letter sheet 20 lb = 0.160 oz, 24 lb = 0.192 oz, 28 lb = 0.223 oz */
	CHECK(NEAR(weight_sheet_oz(75, 8.5, 11), 0.160, 0.0005), "20 lb letter sheet 0.160 oz");
	CHECK(NEAR(weight_sheet_oz(90, 8.5, 11), 0.192, 0.0005), "24 lb letter sheet 0.192 oz");
	CHECK(NEAR(weight_sheet_oz(105, 8.5, 11), 0.223, 0.0005), "28 lb letter sheet 0.223 oz");
	CHECK(NEAR(weight_envelope_oz("standard_10_double_window"), 0.24, 1e-9), "#10 0.24 oz");
	CHECK(NEAR(weight_envelope_oz("flat_9x12"), 0.6, 1e-9), "9x12 flat 0.6 oz");
	CHECK(NEAR(weight_envelope_oz("certified_window_10"), 0.28, 1e-9), "certified #10 (28#)");

	/*
	 * §1.4: sheets per weight step in a #10 (the reference rounds a 20 lb sheet to 0.160 oz
	 * and prints 1.84 and 3.44 for 10 and 20 sheets; unrounded 0.15959 oz gives these)
	 */
	json_t *l24 = lot("lot_w", 1, "letter", "us_letter", "standard_10_double_window", NULL,
			  "24lb bond");
	json_t *l20 = lot("lot_w", 1, "letter", "us_letter", "standard_10_double_window", NULL,
			  "20lb bond");
	struct {
		json_t *lot;
		int sheets;
		double oz;
	} steps[] = {
		{ l24, 3, 0.815 }, { l24, 4, 1.006 }, { l24, 9, 1.964 }, { l24, 16, 3.306 },
		{ l20, 4, 0.878 }, { l20, 10, 1.836 }, { l20, 20, 3.432 },
	};
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		json_t *p = piece("ltr_w", "acc", 1, steps[i].sheets, steps[i].sheets, NULL, NULL,
				  NULL);
		double oz = weight_estimate_oz(steps[i].lot, p);
		CHECK(NEAR(oz, steps[i].oz, 0.002), "%s, %d sheets in a #10: %.3f oz (want %.3f)",
		      steps[i].lot == l24 ? "24 lb" : "20 lb", steps[i].sheets, oz, steps[i].oz);
		json_decref(p);
	}
	json_t *p3 = piece("ltr_w", "acc", 1, 3, 3, NULL, NULL, NULL);
	json_t *p4 = piece("ltr_w", "acc", 1, 4, 4, NULL, NULL, NULL);
	json_t *p18 = piece("ltr_w", "acc", 1, 18, 18, NULL, NULL, NULL);
	json_t *p16 = piece("ltr_w", "acc", 1, 16, 16, NULL, NULL, NULL);
	CHECK(weight_estimate_oz(l24, p3) <= 1.0 && weight_estimate_oz(l24, p4) > 1.0,
	      "24 lb: 3 sheets fit the 1-oz step, 4 do not");
	CHECK(weight_estimate_oz(l24, p16) <= WEIGHT_LETTER_MAX_OZ &&
		      weight_estimate_oz(l24, p18) > WEIGHT_LETTER_MAX_OZ,
	      "24 lb: 16 sheets stay under the 3.5-oz letter limit, 18 are over");
	json_object_set_new(l24, "return_envelope", json_true());
	CHECK(NEAR(weight_estimate_oz(l24, p3), 0.815 + 0.24 * 3.875 * 8.875 / (4.125 * 9.5), 0.002),
	      "a #9 return envelope adds its weight");

	/* cards and self-mailers: one sheet of the stock, by size */
	json_t *card = lot("lot_c", 1, "postcard", "4x6", NULL, NULL, "100lb cover");
	json_t *p1 = piece("psc", "acc", 1, 2, 1, NULL, NULL, NULL);
	/* 24 in² × 0.00064516 m²/in² × 270.4 g/m² / 28.3495 g/oz */
	CHECK(NEAR(weight_estimate_oz(card, p1), 0.1477, 0.0005), "4x6 on 100 lb cover 0.148 oz");
	json_t *sfm = lot("lot_s", 1, "self_mailer", "6x18_bifold", NULL, NULL, "80lb text");
	/* 108 in² × 0.00064516 × 118.4 / 28.3495 */
	CHECK(NEAR(weight_estimate_oz(sfm, p1), 0.2910, 0.0005), "6x18 bifold, 80 lb text 0.291 oz");
	json_t *chk = lot("lot_k", 1, "check", "check", "standard_10_double_window", NULL, NULL);
	CHECK(NEAR(weight_estimate_oz(chk, p3), 0.24 + 3 * 0.1915, 0.002),
	      "a check of 3 sheets, default 24 lb, in a #10");
	json_t *bad = lot("lot_x", 1, "snap_pack", "8.5x11", NULL, NULL, NULL);
	CHECK(weight_estimate_oz(bad, p1) < 0, "an unknown product has no weight");
	json_decref(bad);
	json_decref(chk);
	json_decref(sfm);
	json_decref(card);
	json_decref(p1);
	json_decref(p3);
	json_decref(p4);
	json_decref(p16);
	json_decref(p18);
	json_decref(l20);
	json_decref(l24);
}

static void test_postage(void)
{
	const struct postage_prices *pr = postage_prices_default();
	struct piece_postage pp;
	json_t *l = lot("lot_p", 1, "letter", "us_letter", "standard_10_double_window", NULL, NULL);
	json_t *p = piece("ltr_p", "acc", 1, 1, 1, NULL, NULL, NULL);
	postage_for_piece(pr, POSTAGE_PAID_METER, l, p, 0.8, &pp);
	CHECK_INT(pp.postage, 74, "metered 1-oz letter $0.74");
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, l, p, 0.8, &pp);
	CHECK_INT(pp.postage, 78, "single-piece 1-oz letter $0.78");
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, l, p, 1.0, &pp);
	CHECK_INT(pp.postage, 78, "exactly 1 oz is still the first step");
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, l, p, 1.5, &pp);
	CHECK_INT(pp.postage, 107, "2-oz letter $1.07");
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, l, p, 3.2, &pp);
	CHECK_INT(pp.postage, 165, "3.5-oz letter $1.65");
	CHECK(postage_fees(&pp) == 0 && pp.unpriced == NULL, "no fees, all priced");
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, l, p, 3.6, &pp);
	CHECK(pp.postage < 0 && pp.unpriced && strstr(pp.unpriced, "flat"),
	      "over 3.5 oz pays flat prices, which the table lacks: %s", pp.unpriced);
	json_object_set_new(l, "extra_service", json_string("certified"));
	postage_for_piece(pr, POSTAGE_PAID_METER, l, p, 0.8, &pp);
	CHECK(pp.certified == 530 && pp.return_receipt == 0 && postage_fees(&pp) == 530,
	      "certified fee $5.30");
	json_object_set_new(l, "extra_service", json_string("certified_return_receipt"));
	postage_for_piece(pr, POSTAGE_PAID_METER, l, p, 0.8, &pp);
	CHECK(pp.certified == 530 && pp.return_receipt == 282 && postage_fees(&pp) == 812,
	      "certified + electronic return receipt $8.12");
	json_object_set_new(l, "extra_service", json_string("registered"));
	postage_for_piece(pr, POSTAGE_PAID_METER, l, p, 0.8, &pp);
	CHECK(pp.registered == 1000 && pp.certified == 0, "registered fee $10.00");
	json_object_set_new(l, "mail_type", json_string("usps_standard"));
	postage_for_piece(pr, POSTAGE_PAID_METER, l, p, 0.8, &pp);
	CHECK(pp.postage < 0 && pp.unpriced, "Marketing Mail is not priced");
	json_decref(l);

	json_t *card = lot("lot_c", 1, "postcard", "4x6", NULL, NULL, NULL);
	postage_for_piece(pr, POSTAGE_PAID_METER, card, p, 0.15, &pp);
	CHECK_INT(pp.postage, 61, "4x6 postcard card price $0.61");
	json_object_set_new(card, "size", json_string("6x11"));
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, card, p, 0.41, &pp);
	CHECK_INT(pp.postage, 78, "6x11 postcard pays the letter price");
	json_object_set_new(json_object_get(p, "to"), "address_country", json_string("CA"));
	postage_for_piece(pr, POSTAGE_PAID_PERMIT, card, p, 0.41, &pp);
	CHECK_INT(pp.postage, 170, "international 1-oz $1.70");
	json_decref(card);
	json_decref(p);

	struct postage_prices mine = *pr;
	mine.cents[PRICE_FLAT_1OZ] = 150;
	mine.cents[PRICE_FLAT_ADDL_OZ] = 27;
	json_t *flat = lot("lot_f", 1, "letter", "us_letter", "flat_9x12", NULL, NULL);
	json_t *pf = piece("ltr_f", "acc", 1, 16, 8, NULL, NULL, NULL);
	postage_for_piece(&mine, POSTAGE_PAID_METER, flat, pf, 2.13, &pp);
	CHECK_INT(pp.postage, 150 + 2 * 27, "an operator's flat prices: 3 oz = 1st + 2 additional");
	postage_for_piece(NULL, POSTAGE_PAID_METER, flat, pf, 2.13, &pp);
	CHECK(pp.postage < 0, "without them a flat is unpriced, not guessed");
	json_decref(flat);
	json_decref(pf);
	char buf[24];
	CHECK_STR(postage_usd(buf, 4744), "47.44", "cents as dollars");
	CHECK_STR(postage_usd(buf, 5), "0.05", "cents under a dime");
}

static void test_csv_field(const char *dir)
{
	struct manifest_file mf;
	struct api_error err;
	json_t *files = json_array();
	CHECK(manifest_file_open(&mf, dir, "quoting.csv", &err) == 0, "open a file");
	manifest_csv_field(&mf, "plain", false);
	manifest_csv_field(&mf, "a,b", false);
	manifest_csv_field(&mf, "say \"hi\"", false);
	manifest_csv_field(&mf, "two\nlines", false);
	manifest_csv_field(&mf, NULL, true);
	CHECK(manifest_file_commit(&mf, "test", NULL, files, &err) == 0, "commit");
	char path[512];
	snprintf(path, sizeof path, "%s/quoting.csv", dir);
	char *text = slurp(path, NULL);
	CHECK_STR(text, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n",
		  "RFC 4180 quoting, CRLF rows");
	free(text);
	unlink(path);
	json_decref(files);
	/* nothing left behind: no temporary file */
	DIR *d = opendir(dir);
	struct dirent *de;
	int tmp = 0;
	while (d && (de = readdir(d)))
		tmp += strncmp(de->d_name, ".tmp-", 5) == 0;
	if (d)
		closedir(d);
	CHECK_INT(tmp, 0, "no temporary files left");
	CHECK(!manifest_name_safe("../etc") && !manifest_name_safe("") &&
		      manifest_name_safe("lot_0123abcd"),
	      "only plain ids become file names");
}

/* every listed file is on disk with its byte count and SHA-256 */
static void check_listing(const char *dir, const json_t *files)
{
	size_t i;
	json_t *e;
	json_array_foreach(files, i, e) {
		const char *name = json_string_value(json_object_get(e, "name"));
		char path[512], hex[65];
		size_t len = 0;
		snprintf(path, sizeof path, "%s/%s", dir, name);
		char *data = slurp(path, &len);
		CHECK(data != NULL, "%s exists", name);
		ids_sha256_hex(data ? data : "", len, hex);
		CHECK(json_integer_value(json_object_get(e, "bytes")) == (json_int_t)len &&
			      strcmp(json_string_value(json_object_get(e, "sha256")), hex) == 0,
		      "%s: bytes and sha256 as listed", name);
		free(data);
	}
}

static void test_manifests(const char *dir, const json_t *files)
{
	char path[512];
	size_t rows;
	CHECK_INT(json_array_size(files), 9 * 2 + 2 + 1 + 2, "files: 9 lots x 2, run x 2, 3877, 2 positive pay");
	json_t *e = entry(files, "lot_0000000000000002_manifest.csv");
	CHECK(e && strcmp(json_string_value(json_object_get(e, "kind")), "manifest_csv") == 0 &&
		      strcmp(json_string_value(json_object_get(e, "lot")), "lot_0000000000000002") == 0,
	      "a lot's CSV is listed with its kind and lot");
	e = entry(files, "manifest.json");
	CHECK(e && strcmp(json_string_value(json_object_get(e, "kind")), "manifest_json") == 0 &&
		      !json_object_get(e, "lot"),
	      "the run's JSON is listed without a lot");
	check_listing(dir, files);

	snprintf(path, sizeof path, "%s/manifest.csv", dir);
	char *csv = csv_rows(path, &rows);
	CHECK_INT(rows, 1 + 17, "run CSV: header + 17 pieces");
	CHECK(csv && strncmp(csv, "piece_id|account_id|run_id|lot_id|lot_number|sequence|product|size|"
				  "sheets|pages|envelope|weight_oz|mail_class|extra_service|"
				  "imb_tracking_code|imb_routing_code|tracking_number|zip_plus4|"
				  "country|postage_mark|postage_usd|fees_usd\n",
			     strlen("piece_id|account_id|run_id|lot_id|lot_number|sequence|product|"
				    "size|sheets|pages|envelope|weight_oz|mail_class|extra_service|"
				    "imb_tracking_code|imb_routing_code|tracking_number|zip_plus4|"
				    "country|postage_mark|postage_usd|fees_usd\n")) == 0,
	      "the header row names the columns");
	CHECK(csv && strstr(csv, "\nltr_plain3|acc_b|run_00000000000000aa|lot_0000000000000001|1|2|"
				 "letter|us_letter|3|5|standard_10_double_window|0.815|"
				 "usps_first_class||00040123456000000001|94107174199||94107|US|meter|"
				 "0.74|0.00\n"),
	      "a plain 3-sheet letter: 0.815 oz, metered $0.74, ZIP without +4");
	CHECK(csv && strstr(csv, "\nltr_intl|acc_a|run_00000000000000aa|lot_0000000000000001|1|3|"
				 "letter|us_letter|1|1|standard_10_double_window|0.432|"
				 "usps_first_class||||||CA|meter|1.70|0.00\n"),
	      "an international letter: no IMb, no ZIP, $1.70");
	CHECK(csv && strstr(csv, "\nltr_certrr0|acc_a|run_00000000000000aa|lot_0000000000000003|3|1|"
				 "letter|us_letter|2|4|certified_window_10|0.663|usps_first_class|"
				 "certified_return_receipt|00040123456000000001|94107174199|"
				 "9414811899223456780042|94107-1741|US|meter|0.74|8.12\n"),
	      "certified with return receipt: tracking number, ZIP+4, fees $8.12");
	CHECK(csv && strstr(csv, "\nltr_flat8|acc_a|run_00000000000000aa|lot_0000000000000005|5|1|"
				 "letter|us_letter|8|16|flat_9x12|2.132|usps_first_class||"),
	      "8 sheets in a flat: 2.132 oz");
	CHECK(csv && strstr(csv, "|flat_9x12|2.132|usps_first_class||00040123456000000001|"
				 "94107174199||94107-1741|US|meter||0.00\n"),
	      "a flat's postage is left empty (not in the price table)");
	CHECK(csv && strstr(csv, "\npsc_a|acc_a|run_00000000000000aa|lot_0000000000000007|7|1|"
				 "postcard|4x6|1|2||0.148|usps_first_class||"),
	      "a 4x6 postcard: no envelope, 0.148 oz");
	CHECK(csv && strstr(csv, "|permit_imprint|0.61|0.00\n"),
	      "a postcard carries the permit imprint at the card price");
	free(csv);

	snprintf(path, sizeof path, "%s/lot_0000000000000002_manifest.csv", dir);
	csv = csv_rows(path, &rows);
	CHECK_INT(rows, 1 + 3, "lot 2's CSV: header + its 3 pieces");
	CHECK_INT(count(csv, "lot_0000000000000002"), 3, "and only its own");
	free(csv);

	json_error_t je;
	snprintf(path, sizeof path, "%s/manifest.json", dir);
	json_t *m = json_load_file(path, 0, &je);
	CHECK(m != NULL, "run JSON parses (%s)", m ? "ok" : je.text);
	CHECK_INT(json_array_size(json_object_get(m, "pieces")), 17, "run JSON: 17 pieces");
	CHECK_INT(json_array_size(json_object_get(m, "lots")), 9, "run JSON: 9 lot summaries");
	json_t *tot = json_object_get(m, "totals");
	CHECK_INT(json_integer_value(json_object_get(tot, "pieces")), 17, "totals: 17 pieces");
	CHECK_INT(json_integer_value(json_object_get(tot, "sheets")), 1 + 3 + 1 + 6 + 4 + 1 + 8 + 9 + 3 + 3,
		  "totals: sheets");
	CHECK_INT(json_integer_value(json_object_get(tot, "unpriced_pieces")), 2,
		  "totals: the two flats are unpriced");
	json_t *lot5 = json_array_get(json_object_get(m, "lots"), 4);
	json_t *mark = json_object_get(lot5, "postage_mark");
	CHECK(strcmp(json_string_value(json_object_get(mark, "mark")), "meter") == 0 &&
		      strcmp(json_string_value(json_object_get(mark, "on")), "envelope") == 0 &&
		      strcmp(json_string_value(json_object_get(mark, "stock")), "flat_9x12") == 0,
	      "the flat envelope stock is metered");
	json_t *lot7 = json_array_get(json_object_get(m, "lots"), 6);
	mark = json_object_get(lot7, "postage_mark");
	CHECK(strcmp(json_string_value(json_object_get(mark, "mark")), "permit_imprint") == 0 &&
		      strcmp(json_string_value(json_object_get(mark, "on")), "piece") == 0 &&
		      strcmp(json_string_value(json_object_get(mark, "text")),
			     "FIRST-CLASS MAIL\nU.S. POSTAGE PAID\nSAN FRANCISCO CA\nPERMIT NO. 123") == 0,
	      "postcards carry the permit imprint, its four lines");
	json_t *row = json_array_get(json_object_get(m, "pieces"), 3);
	CHECK(strcmp(json_string_value(json_object_get(row, "piece_id")), "ltr_cert0") == 0 &&
		      json_real_value(json_object_get(row, "fees_usd")) == 5.30 &&
		      json_is_null(json_object_get(row, "tracking_number")) == 0 &&
		      json_integer_value(json_object_get(row, "sheets")) == 2,
	      "a JSON row has typed values");
	json_decref(m);

	snprintf(path, sizeof path, "%s/lot_0000000000000007_manifest.json", dir);
	m = json_load_file(path, 0, &je);
	CHECK(m && json_array_size(json_object_get(m, "pieces")) == 2 &&
		      json_integer_value(json_object_get(json_object_get(m, "totals"), "pieces")) == 2 &&
		      strcmp(json_string_value(json_object_get(m, "lot_id")), "lot_0000000000000007") == 0 &&
		      json_object_get(json_object_get(m, "stock"), "paper"),
	      "a lot's JSON: its pieces, totals and stock");
	json_decref(m);
}

static void test_firm_book(const char *dir)
{
	char cmd[768], path[512];
	int st;
	snprintf(path, sizeof path, "%s/firm_book_3877.pdf", dir);
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>&1", path);
	char *text = run_cmd(cmd, &st);
	CHECK(st == 0 && text, "pdftotext reads the 3877 (exit %d; poppler-utils installed?)", st);
	if (!text)
		text = strdup("");
	for (size_t i = 0; i < sizeof tn / sizeof tn[0]; i++) {
		char grouped[40] = "";
		for (size_t k = 0, o = 0; tn[i][k]; k++) {
			if (k && k % 4 == 0)
				grouped[o++] = ' ';
			grouped[o++] = tn[i][k];
		}
		/* registered pages come in duplicate */
		int want = tn[i][2] == '0' && tn[i][3] == '8' ? 2 : 1;
		CHECK_INT(count(text, grouped), want, "article %s is listed %s", grouped,
			  want == 2 ? "on both copies" : "once");
	}
	static const char *const listed[] = { "ltr_cert0", "ltr_cert1", "ltr_cert2", "ltr_certrr0",
					      "ltr_certrr1", "ltr_reg0", "ltr_certflat" };
	static const char *const not_listed[] = { "ltr_plain1", "ltr_plain3", "ltr_flat8", "psc_a",
						  "psc_b", "psc_c", "chk_b500", "chk_a10001" };
	for (size_t i = 0; i < sizeof listed / sizeof listed[0]; i++)
		CHECK(count(text, listed[i]) >= 1, "%s is in the book", listed[i]);
	for (size_t i = 0; i < sizeof not_listed / sizeof not_listed[0]; i++)
		CHECK_INT(count(text, not_listed[i]), 0, "%s (not accountable) is not", not_listed[i]);
	CHECK(strstr(text, "Frank Mail Room") && strstr(text, "1 Market St"), "the sender block");
	CHECK(strstr(text, "Jos\xC3\xA9 M\xC3\xBCller & Fils"), "accented names print as given");
	CHECK(!strstr(text, "Fewer than 3 articles"), "7 articles need no PS 3800 note");
	CHECK_INT(count(text, "Total Number of Pieces Listed by Sender"), 4, "on each of 4 pages");
	CHECK_INT(count(text, "Total Number of Pieces Received at Post Office"), 4,
		  "the received count box on each page");
	CHECK_INT(count(text, "Postmaster, Per"), 4, "the signature box on each page");
	CHECK_INT(count(text, "Postmark and Date of Receipt"), 4, "the round-date area on each page");
	CHECK(strstr(text, "Page 1 of 4") && strstr(text, "Page 4 of 4"), "pages n of m");
	CHECK(strstr(text, "Book: 7 articles on 4 pages, postage $4.44, fees $47.44 (postage of n/a "
			   "articles not included)."),
	      "the book's totals: 6 priced x $0.74; fees 6 x $5.30 + 2 x $2.82 + $10.00");
	free(text);

	/* per page: which articles, and the page's totals */
	static const struct {
		int n;
		const char *postage, *fee, *rr;
	} pages[] = { { 4, "2.96", "21.20", "2.82" }, { 2, "0.74", "10.60", "2.82" },
		      { 1, "0.74", "10.00", "0.00" }, { 1, "0.74", "10.00", "0.00" } };
	for (int pg = 1; pg <= 4; pg++) {
		snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d -layout '%s' - 2>&1", pg, pg, path);
		text = run_cmd(cmd, &st);
		size_t n = text ? count(text, ", no. ") : 0;	/* "lot 2, no. 1" in Remarks */
		CHECK_INT(n, pages[pg - 1].n, "page %d lists %d articles", pg, pages[pg - 1].n);
		const char *tl = text ? strstr(text, "Totals this page") : NULL;
		char *eol = tl ? strchr(tl, '\n') : NULL;
		if (eol)
			*eol = '\0';
		CHECK(tl && strstr(tl, pages[pg - 1].postage) && strstr(tl, pages[pg - 1].fee) &&
			      strstr(tl, pages[pg - 1].rr),
		      "page %d totals: postage %s, fees %s, return receipts %s (%s)", pg,
		      pages[pg - 1].postage, pages[pg - 1].fee, pages[pg - 1].rr, tl ? tl : "none");
		if (pg >= 3)
			CHECK(text && strstr(text, "X Registered") && !strstr(text, "X Certified") &&
				      strstr(text, pg == 3 ? "copy 1 of 2: mailer's receipt"
							   : "copy 2 of 2: Post Office acceptance record"),
			      "registered on its own pages, in duplicate (page %d)", pg);
		else
			CHECK(text && strstr(text, "X Certified") && !strstr(text, "X Registered"),
			      "page %d: certified", pg);
		free(text);
	}

	snprintf(cmd, sizeof cmd, "pdffonts '%s' 2>&1", path);
	text = run_cmd(cmd, &st);
	CHECK(st == 0 && text, "pdffonts reads the 3877 (exit %d)", st);
	int fonts = 0, embedded = 0, lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (++lineno <= 2)	/* header and dashes */
			continue;
		/* name type encoding emb sub uni object ID: emb is 5th from the end */
		const char *tok[32];
		int nt = 0;
		for (char *t = line; *t && nt < 32;) {
			t += strspn(t, " ");
			if (!*t)
				break;
			tok[nt++] = t;
			t += strcspn(t, " ");
			if (*t)
				*t++ = '\0';
		}
		if (nt < 6)
			continue;
		fonts++;
		embedded += strcmp(tok[nt - 5], "yes") == 0;
	}
	CHECK(fonts > 0 && embedded == fonts, "pdffonts: %d fonts, %d embedded", fonts, embedded);
	free(text);
}

static void test_positive_pay(const char *dir)
{
	char path[512];
	size_t rows;
	snprintf(path, sizeof path, "%s/positive_pay_bank_aaaaaaaaaaaaaaaa.csv", dir);
	char *a = csv_rows(path, &rows);
	CHECK_INT(rows, 2, "bank A: its 2 checks");
	CHECK_STR(a, "I|0001234567|10000|120726|0.01|Ann\n"
		     "I|0001234567|10001|120726|1234.56|Smith, \"Jo\" & Sons Landscaping and Tree\n",
		  "bank A in check-number order: type, account, number, MMDDYY, amount, payee (40)");
	free(a);
	snprintf(path, sizeof path, "%s/positive_pay_bank_aaaaaaaaaaaaaaaa.csv", dir);
	char *raw = slurp(path, NULL);
	CHECK(raw && strstr(raw, "\"Smith, \"\"Jo\"\" & Sons Landscaping and Tree\"\r\n"),
	      "the payee is quoted as RFC 4180 says");
	free(raw);
	snprintf(path, sizeof path, "%s/positive_pay_bank_bbbbbbbbbbbbbbbb.csv", dir);
	char *b = csv_rows(path, &rows);
	CHECK_STR(b, "I|987654321|500|120726|42.10|Bob Builder\n", "bank B: its one check");
	free(b);
}

static void test_refusals(const char *dir)
{
	struct manifest_opts o = opts();
	struct api_error err;
	json_t *files = json_array();

	json_t *run = make_run();
	json_t *cert = json_array_get(json_object_get(run, "lots"), 1);
	json_object_set_new(json_array_get(json_object_get(cert, "pieces"), 1), "tracking_number",
			    json_null());
	CHECK(manifest_write_run(&o, run, dir, files, &err) < 0 &&
		      strstr(err.message, "ltr_cert1") && strstr(err.message, "tracking number"),
	      "an accountable piece without a tracking number: %s", err.message);
	json_decref(run);

	run = make_run();
	json_object_set_new(json_array_get(json_object_get(run, "lots"), 0), "id",
			    json_string("../escape"));
	CHECK(manifest_write_run(&o, run, dir, files, &err) < 0, "a lot id that is not a name: %s",
	      err.message);
	json_decref(run);

	run = make_run();
	json_t *chk = json_array_get(json_object_get(run, "lots"), 8);
	json_object_set_new(json_object_get(json_array_get(json_object_get(chk, "pieces"), 2),
					    "check"),
			    "number", json_integer(10001));
	CHECK(manifest_write_run(&o, run, dir, files, &err) < 0 && strstr(err.message, "10001"),
	      "a check number twice in one account: %s", err.message);
	json_decref(run);

	o.sender.name = "";
	json_t *before = json_array();
	run = make_run();
	CHECK(manifest_write_run(&o, run, dir, before, &err) < 0 && strstr(err.message, "sender") &&
		      json_array_size(before) == 0,
	      "accountable mail without a sender is refused before any file: %s", err.message);
	json_decref(run);
	json_decref(before);
	o = opts();

	o.permit = NULL;
	o.envelopes_permit_preprinted = true;
	run = make_run();
	CHECK(manifest_write_run(&o, run, dir, files, &err) < 0 && strstr(err.message, "permit"),
	      "pre-printed permit envelopes without a permit: %s", err.message);
	json_decref(run);
	json_decref(files);

	/* one registered article: two copies, and the note that the form wants three or more */
	o = opts();
	files = json_array();
	run = make_run();
	json_t *only = json_array();
	json_array_append(only, json_array_get(json_object_get(run, "lots"), 3));
	json_object_set_new(run, "lots", only);
	CHECK(manifest_write_run(&o, run, dir, files, &err) == 0, "a run of one registered letter");
	char cmd[600];
	int st;
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s/firm_book_3877.pdf' - 2>&1", dir);
	char *text = run_cmd(cmd, &st);
	CHECK(text && strstr(text, "Page 2 of 2") && count(text, "9208 8501 9922 3456 7800 66") == 2 &&
		      strstr(text, "Fewer than 3 articles: present PS Form 3800 receipts instead."),
	      "one registered article: 2 copies, the PS 3800 note");
	free(text);
	json_decref(run);
	json_decref(files);

	/* a Registered letter without a number yet (Frank answers null, as Lob): listed, its
	 * article number left for the label the clerk affixes */
	files = json_array();
	run = make_run();
	only = json_array();
	json_t *reg = json_array_get(json_object_get(run, "lots"), 3);
	json_object_set_new(json_array_get(json_object_get(reg, "pieces"), 0), "tracking_number",
			    json_null());
	json_array_append(only, reg);
	json_object_set_new(run, "lots", only);
	CHECK(manifest_write_run(&o, run, dir, files, &err) == 0,
	      "a registered letter without its number yet is listed (%s)", err.message);
	text = run_cmd(cmd, &st);
	CHECK(text && strstr(text, "Page 2 of 2") && !strstr(text, "9208 8501"),
	      "its line has no article number: the clerk's label gives it");
	free(text);
	json_decref(run);
	json_decref(files);

	/* envelopes pre-printed with the permit: letters carry it and pay single-piece prices */
	o = opts();
	o.envelopes_permit_preprinted = true;
	files = json_array();
	run = make_run();
	CHECK(manifest_write_run(&o, run, dir, files, &err) == 0, "pre-printed permit envelopes");
	char path[512];
	size_t rows;
	snprintf(path, sizeof path, "%s/manifest.csv", dir);
	char *csv = csv_rows(path, &rows);
	CHECK(csv && strstr(csv, "\nltr_plain3|") &&
		      strstr(strstr(csv, "\nltr_plain3|"), "|permit_imprint|0.78|0.00\n"),
	      "a letter in a permit envelope: permit_imprint, $0.78");
	free(csv);
	snprintf(path, sizeof path, "%s/lot_0000000000000002_manifest.json", dir);
	json_t *m = json_load_file(path, 0, NULL);
	json_t *mark = json_object_get(m, "postage_mark");
	CHECK(mark && strcmp(json_string_value(json_object_get(mark, "on")), "envelope") == 0 &&
		      strcmp(json_string_value(json_object_get(mark, "stock")), "certified_window_10") == 0 &&
		      strstr(json_string_value(json_object_get(mark, "text")), "PERMIT NO. 123"),
	      "the certified envelope stock carries the permit imprint");
	json_decref(m);
	json_decref(run);
	json_decref(files);

	/* no accountable mail: no 3877 */
	o = opts();
	o.sender.name = NULL;
	files = json_array();
	run = make_run();
	json_t *lots = json_object_get(run, "lots");
	for (size_t i = json_array_size(lots); i-- > 0;)
		if (firm_book_accountable(json_string_value(
			    json_object_get(json_array_get(lots, i), "extra_service"))))
			json_array_remove(lots, i);
	CHECK(manifest_write_run(&o, run, dir, files, &err) == 0 && !entry(files, "firm_book_3877.pdf"),
	      "a run without accountable mail has no 3877 (and needs no sender)");
	json_decref(run);
	json_decref(files);
}

int main(void)
{
	char dir[] = "/tmp/frank-manifest-XXXXXX";
	const char *keep = getenv("FRANK_KEEP_TEST_DIR");
	if (!CHECK(mkdtemp(dir) != NULL, "a temp dir"))
		return test_done();
	test_weights();
	test_postage();
	test_csv_field(dir);

	struct manifest_opts o = opts();
	struct api_error err = { 0 };
	json_t *files = json_array();
	json_t *run = make_run();
	int rc = manifest_write_run(&o, run, dir, files, &err);
	CHECK(rc == 0, "manifest_write_run (%s)", err.message);
	test_manifests(dir, files);
	test_firm_book(dir);
	test_positive_pay(dir);
	json_decref(files);

	/* a rehearsal run says so on every page of its 3877 */
	json_object_set_new(run, "test", json_true());
	files = json_array();
	CHECK(manifest_write_run(&o, run, dir, files, &err) == 0, "a test run (%s)", err.message);
	char cmd2[600];
	int st;
	snprintf(cmd2, sizeof cmd2, "pdftotext -layout '%s/firm_book_3877.pdf' - 2>&1", dir);
	char *text = run_cmd(cmd2, &st);
	CHECK_INT(count(text, "TEST RUN \xE2\x80\x94 DO NOT MAIL"), 4, "TEST RUN on each page");
	free(text);
	json_decref(files);
	json_decref(run);
	test_refusals(dir);

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (keep)
		printf("# kept %s\n", dir);
	else
		CHECK(system(cmd) == 0, "temp dir removed");
	return test_done();
}
