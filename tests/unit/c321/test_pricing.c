// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The price table and the cost of a mailing, against the reference figures
 * (data/prices_usps.csv: USPS prices effective 2025-07-13; worked totals $8.90 and $10.48,
 * the certified-mail totals legalclarity.org gives for the same prices).
 */
#include "c321/pricing.h"
#include "barcode/impb.h"
#include "test.h"
#include <stdlib.h>

#define TABLE TEST_SOURCE_ROOT "/data/prices_usps.csv"

static long long cents_of(const struct price_table *t, const char *key, const char *date)
{
	const struct price_row *r = price_lookup(t, key, date);
	return r ? r->cents : -2;
}

static void test_reference_table(void)
{
	struct price_table t;
	char e[256];
	CHECK_INT(price_table_load(TABLE, &t, e, sizeof(e)), 0, "data/prices_usps.csv loads (%s)", e);
	CHECK_INT(t.n, 18, "every row of the reference is kept");
	const char *d = "2026-01-15";
	CHECK_INT(cents_of(&t, "letter_1oz", d), 78, "Forever stamp 1 oz $0.78 (USPS Link)");
	CHECK_INT(cents_of(&t, "letter_metered_1oz", d), 74, "metered 1 oz $0.74");
	CHECK_INT(cents_of(&t, "letter_additional_ounce", d), 29, "additional ounce $0.29");
	CHECK_INT(cents_of(&t, "certified", d), 530, "Certified Mail fee $5.30");
	CHECK_INT(cents_of(&t, "return_receipt_hardcopy", d), 440, "Return Receipt (PS 3811) $4.40");
	CHECK_INT(cents_of(&t, "return_receipt_electronic", d), 282, "Return Receipt electronic $2.82");
	CHECK_INT(cents_of(&t, "restricted_delivery", d), 865, "Restricted Delivery $8.65");
	CHECK_INT(cents_of(&t, "registered", d), -1, "Registered Mail: not found in the reference");
	CHECK_INT(cents_of(&t, "flat_1oz", d), -1, "flats: not found");
	CHECK_INT(cents_of(&t, "certified", "2025-07-12"), -2, "nothing in force before 2025-07-13");
	const struct price_row *r = price_lookup(&t, "certified", d);
	CHECK(r && strstr(r->source, "legalclarity.org") && strcmp(r->status, "secondary") == 0,
	      "each row keeps its source and status");
	char eff[PRICE_DATE_LEN + 1];
	price_table_effective(&t, d, eff);
	CHECK_STR(eff, "2025-07-13", "the table's effective date");

	/* the derived 2, 3 and 3.5 oz rows agree with base + additional ounces */
	CHECK_INT(cents_of(&t, "letter_2oz", d), 78 + 29, "2 oz = 1 oz + 1 additional");
	CHECK_INT(cents_of(&t, "letter_3oz", d), 78 + 2 * 29, "3 oz");
	CHECK_INT(cents_of(&t, "letter_3_5oz", d), 78 + 3 * 29, "3.5 oz");

	struct service_fee none = { 0, 0 };
	struct cost c;
	struct api_error err;
	const struct mail_class *rr = mail_class_find("certified_return_receipt");
	CHECK_INT(price_mailing(&t, &none, rr, 1, true, d, &c, &err), 0, "prices certified + ERR");
	CHECK_INT(c.postage_cents, 890, "stamped 1 oz + Certified + electronic RR = $8.90 (prices.md)");
	CHECK_INT(c.n_lines, 3, "three lines: postage, certified, return receipt");
	CHECK_STR(c.effective_date, "2025-07-13", "effective date of the prices used");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified_return_receipt_hardcopy"), 1,
				true, d, &c, &err), 0, "hardcopy RR");
	CHECK_INT(c.postage_cents, 1048, "with hardcopy RR = $10.48 (prices.md, legalclarity.org)");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 2, false, d, &c, &err), 0,
		  "certified");
	CHECK_INT(c.postage_cents, 608, "certified alone $6.08");
	CHECK_INT(c.sheets, 3, "2 pages single-sided + the cover sheet");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified_restricted_delivery"), 1, true,
				d, &c, &err), 0, "restricted delivery");
	CHECK_INT(c.postage_cents, 78 + 530 + 865, "certified + restricted delivery");

	/* weight: 5 sheets + cover + envelope = 1.16 oz → one additional ounce */
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 5, false, d, &c, &err), 0,
		  "5 pages");
	CHECK_INT(c.weight_millioz, 1160, "6 sheets and the envelope weigh 1.16 oz");
	CHECK_INT(c.postage_cents, 78 + 29 + 530, "2 oz postage");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 4, false, d, &c, &err), 0,
		  "4 pages");
	CHECK_INT(c.postage_cents, 78 + 530, "5 sheets and the envelope: 1 oz");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 12, true, d, &c, &err), 0,
		  "12 pages duplex: 6 sheets");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 13, true, d, &c, &err), -1,
		  "13 pages duplex needs a flat envelope");
	CHECK(strstr(err.message, "flat") != NULL, "the message names the flat price: %s", err.message);
	CHECK_INT(price_mailing(&t, &none, mail_class_find("registered"), 1, true, d, &c, &err), -1,
		  "registered cannot be priced from the reference");
	CHECK(strstr(err.message, "Registered Mail fee") != NULL, "names the missing row: %s",
	      err.message);
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 0, true, d, &c, &err), -1,
		  "0 pages");
	CHECK_INT(price_mailing(&t, &none, mail_class_find("certified"), 61, true, d, &c, &err), -1,
		  "61 pages");

	struct service_fee fee;
	CHECK_INT(service_fee_parse("0.50+2.5%", &fee, e, sizeof(e)), 0, "fixed + percent");
	CHECK_INT(price_mailing(&t, &fee, rr, 1, true, d, &c, &err), 0, "with a service fee");
	CHECK_INT(c.service_fee_cents, 50 + 22, "$0.50 + 2.5%% of $8.90 (22.25 cents → 22)");
	CHECK_INT(c.total_cents, 890 + 72, "total = postage + service fee");
	price_table_free(&t);
}

static void test_parse_rules(void)
{
	struct price_table t;
	char e[256];
	char dated[] = "key,item,unit,price_usd,effective_date,status,source\n"
		       "certified,Certified,piece,5.30,2025-07-13,secondary,a\n"
		       "certified,Certified,piece,5.5,2026-07-12,announced,b\n"
		       "letter_1oz,Letter,piece,0.78,2025-07-13,official,c\n";
	CHECK_INT(price_table_parse(dated, &t, e, sizeof(e)), 0, "a table with a key column");
	CHECK_INT(cents_of(&t, "certified", "2026-07-11"), 530, "the old price until the change");
	CHECK_INT(cents_of(&t, "certified", "2026-07-12"), 550, "the new price from its date");
	char eff[PRICE_DATE_LEN + 1];
	price_table_effective(&t, "2026-07-12", eff);
	CHECK_STR(eff, "2026-07-12", "the table is effective from the latest change");
	price_table_free(&t);

	char bad_price[] = "item,price_usd,effective_date\nX,0.7x,2025-07-13\n";
	CHECK_INT(price_table_parse(bad_price, &t, e, sizeof(e)), -1, "a price that is not dollars");
	CHECK(strstr(e, "line 2") != NULL, "the message names the line: %s", e);
	char three[] = "item,price_usd,effective_date\nX,1.005,2025-07-13\n";
	CHECK_INT(price_table_parse(three, &t, e, sizeof(e)), -1, "three decimals");
	char neg[] = "item,price_usd,effective_date\nX,-1,2025-07-13\n";
	CHECK_INT(price_table_parse(neg, &t, e, sizeof(e)), -1, "negative");
	char bad_date[] = "item,price_usd,effective_date\nX,1,13/07/2025\n";
	CHECK_INT(price_table_parse(bad_date, &t, e, sizeof(e)), -1, "a date that is not ISO");
	char no_header[] = "name,cost\nX,1\n";
	CHECK_INT(price_table_parse(no_header, &t, e, sizeof(e)), -1, "no price_usd column");
	char empty[] = "item,price_usd,effective_date\n";
	CHECK_INT(price_table_parse(empty, &t, e, sizeof(e)), -1, "no rows");
	char quote[] = "item,price_usd,effective_date\n\"X,1,2025-07-13\n";
	CHECK_INT(price_table_parse(quote, &t, e, sizeof(e)), -1, "an unterminated quote");
	CHECK_INT(price_table_load("/nonexistent/prices.csv", &t, e, sizeof(e)), -1, "a missing file");
	CHECK(t.rows == NULL && t.n == 0, "nothing left allocated");
}

static void test_service_fee(void)
{
	struct service_fee f;
	char e[256];
	CHECK_INT(service_fee_parse("1.50", &f, e, sizeof(e)), 0, "fixed");
	CHECK(f.fixed_cents == 150 && f.basis_points == 0, "1.50 → 150 cents");
	CHECK_INT(service_fee_parse("10%", &f, e, sizeof(e)), 0, "percent");
	CHECK(f.fixed_cents == 0 && f.basis_points == 1000, "10%% → 1000 basis points");
	CHECK_INT(service_fee_parse("0", &f, e, sizeof(e)), 0, "zero");
	static const char *const bad[] = { "", "abc", "-1", "1.005", "10%+20%", "101%", "1+2",
					   "1000.01", "%", "+", "1.5.0", NULL };
	for (size_t i = 0; bad[i]; i++)
		CHECK_INT(service_fee_parse(bad[i], &f, e, sizeof(e)), -1, "\"%s\" refused", bad[i]);
	char out[24];
	price_format(890, out);
	CHECK_STR(out, "8.90", "cents as dollars");
	price_format(5, out);
	CHECK_STR(out, "0.05", "five cents");
}

static void test_classes(void)
{
	for (size_t i = 0; mail_class_at(i); i++) {
		const struct mail_class *mc = mail_class_at(i);
		const struct impb_stc *s = impb_stc_lookup(mc->stc);
		CHECK(s && strcmp(s->description, mc->description) == 0,
		      "%s: STC %s is USPS's \"%s\"", mc->name, mc->stc, mc->description);
		CHECK(mail_class_for_stc(mc->stc) == mc, "%s found by its STC", mc->name);
		CHECK(impb_stc_for_extra_service(mc->extra_service) != NULL,
		      "%s is a Lob extra_service", mc->extra_service);
	}
	const struct mail_class *c = mail_class_find("certified");
	const struct mail_class *x = mail_class_with(c, 1, "hardcopy");
	CHECK(x && strcmp(x->stc, "154") == 0, "certified + restricted + hardcopy RR = STC 154");
	x = mail_class_with(mail_class_find("certified_return_receipt"), -1, "none");
	CHECK(x == c, "dropping the return receipt gives certified");
	CHECK(mail_class_with(mail_class_find("registered"), 1, NULL) == NULL,
	      "no Registered Restricted Delivery class");
	CHECK(mail_class_with(c, -1, "pigeon") == NULL, "an unknown return receipt kind");
	CHECK(mail_class_find("priority") == NULL, "unknown class");
}

int main(void)
{
	test_reference_table();
	test_parse_rules();
	test_service_fee();
	test_classes();
	return test_done();
}
