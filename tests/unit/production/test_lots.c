// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Lots: pieces that differ in anything that changes the physical job land in different
 * lots; a lot's pieces are in ZIP5 then ZIP+4 order (checks by number), numbered from 1;
 * envelopes follow the sheet count and the extra service; stock counts add up; the plan is
 * the same for the same pieces.
 */
#include "production/lots.h"
#include "test.h"
#include <stdlib.h>

static json_t *letter(const char *id, const char *zip, bool color, bool duplex,
		      const char *extra)
{
	return json_pack("{s:s, s:b, s:b, s:s?, s:s, s:{s:s, s:s, s:s, s:s, s:s, s:s}}", "id", id,
			 "color", color, "double_sided", duplex, "extra_service", extra,
			 "mail_type", "usps_first_class", "to", "name", "Ada", "address_line1",
			 "1 Main St", "address_city", "SF", "address_state", "CA", "address_zip",
			 zip, "address_country", "US");
}

static json_t *input_for(const char *id)
{
	char f[64];
	snprintf(f, sizeof(f), "%s.pdf", id);
	return json_pack("{s:{s:s}}", "files", f, "abc.pdf");
}

static void add(json_t *pieces, const char *kind, json_t *piece, unsigned pages, const char *imb)
{
	json_t *in = input_for(json_string_value(json_object_get(piece, "id")));
	struct api_error err;
	struct lot_source src = { .kind = kind, .account_id = "acc_1", .piece = piece,
				  .input = in, .imb = imb, .pages = pages };
	json_t *p = lot_piece_new(&src, &err);
	CHECK(p != NULL, "%s becomes a plan piece", json_string_value(json_object_get(piece, "id")));
	if (p)
		json_array_append_new(pieces, p);
	json_decref(in);
	json_decref(piece);
}

static const json_t *lot_with(const json_t *plan, const char *piece_id)
{
	size_t i, k;
	json_t *lot, *p;
	json_array_foreach(json_object_get(plan, "lots"), i, lot)
		json_array_foreach(json_object_get(lot, "pieces"), k, p)
			if (strcmp(json_string_value(json_object_get(p, "id")), piece_id) == 0)
				return lot;
	return NULL;
}

static const char *s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void test_grouping(void)
{
	json_t *pieces = json_array();
	add(pieces, "letter", letter("ltr_b", "94107-1741", true, true, NULL), 3, "00270999999999000001");
	add(pieces, "letter", letter("ltr_a", "10001", true, true, NULL), 1, "00270999999999000002");
	add(pieces, "letter", letter("ltr_c", "94107-0001", true, true, NULL), 2, NULL);
	add(pieces, "letter", letter("ltr_bw", "10001", false, true, NULL), 1, NULL);
	add(pieces, "letter", letter("ltr_simplex", "10001", true, false, NULL), 1, NULL);
	add(pieces, "letter", letter("ltr_flat", "10001", true, true, NULL), 14, NULL);	/* 7 sheets */
	add(pieces, "letter", letter("ltr_six", "10001", true, true, NULL), 12, NULL);	/* 6 sheets */
	add(pieces, "letter", letter("ltr_cert", "10001", true, true, "certified"), 1, NULL);
	add(pieces, "letter", letter("ltr_rr", "10001", true, true, "certified_return_receipt"), 1, NULL);
	json_t *pc = json_pack("{s:s, s:s, s:s, s:{s:s}}", "id", "psc_1", "size", "6x11", "mail_type",
			       "usps_standard", "to", "address_zip", "30301");
	add(pieces, "postcard", pc, 2, NULL);
	for (int n = 3; n >= 1; n--) {
		char id[16];
		snprintf(id, sizeof(id), "chk_%d", n);
		json_t *c = json_pack("{s:s, s:i, s:f, s:s, s:{s:s, s:s}, s:{s:s}}", "id", id,
				      "check_number", 10000 + n, "amount", 12.5, "send_date",
				      "2026-12-07T17:00:00.000Z", "to", "name", "Payee",
				      "address_zip", n == 2 ? "00501" : "99999", "bank_account", "id",
				      "bank_x");
		add(pieces, "check", c, 1, NULL);
	}
	json_t *plan = lots_plan("run_0123456789abcdef", false, "2026-12-07T17:00:00.000Z",
				 "2026-12-07T17:01:00.000Z", "123456", pieces);
	CHECK(plan != NULL, "a plan");
	const json_t *lots = json_object_get(plan, "lots");
	/* colour duplex #10 (a, b, c, six), b/w, simplex, flat, certified, certified rr,
	 * postcard, checks */
	CHECK_INT(json_array_size(lots), 8, "eight lots");
	const json_t *l = lot_with(plan, "ltr_a");
	CHECK(l == lot_with(plan, "ltr_b") && l == lot_with(plan, "ltr_c") &&
		      l == lot_with(plan, "ltr_six"),
	      "same physical job: one lot (6 sheets still fit a #10)");
	CHECK_STR(s(l, "envelope"), "standard_10_double_window", "#10 double window");
	const json_t *ps = json_object_get(l, "pieces");
	CHECK_STR(s(json_array_get(ps, 0), "id"), "ltr_a", "ZIP 10001 first");
	CHECK_STR(s(json_array_get(ps, 1), "id"), "ltr_six", "same ZIP: by id");
	CHECK_STR(s(json_array_get(ps, 2), "id"), "ltr_c", "94107-0001 before 94107-1741");
	CHECK_STR(s(json_array_get(ps, 3), "id"), "ltr_b", "then 94107-1741");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(ps, 3), "sequence")), 4,
		  "sequences from 1");
	CHECK_INT(json_integer_value(json_object_get(json_array_get(ps, 3), "sheets")), 2,
		  "3 pages double-sided: 2 sheets");
	const json_t *imb = json_object_get(json_array_get(ps, 3), "imb");
	CHECK_STR(s(imb, "routing_code"), "941071741", "routing code from the ZIP+4");
	CHECK_STR(s(imb, "tracking_code"), "00270999999999000001", "the registered IMb");
	CHECK(json_is_null(json_object_get(json_array_get(ps, 2), "imb")), "no IMb: null");
	const json_t *stock = json_object_get(l, "stock");
	CHECK_INT(json_integer_value(json_object_get(stock, "pieces")), 4, "stock counts pieces");
	CHECK_INT(json_integer_value(json_object_get(stock, "sheets")), 1 + 1 + 2 + 6,
		  "stock counts sheets");
	CHECK(lot_with(plan, "ltr_bw") != l && lot_with(plan, "ltr_simplex") != l,
	      "colour and sides split lots");
	CHECK_STR(s(lot_with(plan, "ltr_flat"), "envelope"), "flat_9x12", "7 sheets: flat");
	CHECK_STR(s(lot_with(plan, "ltr_cert"), "envelope"), "certified_window_10",
		  "certified window");
	CHECK(lot_with(plan, "ltr_cert") != lot_with(plan, "ltr_rr"),
	      "certified and return receipt apart");
	const json_t *checks = lot_with(plan, "chk_1");
	CHECK_STR(s(checks, "size"), "check", "checks on check stock");
	ps = json_object_get(checks, "pieces");
	CHECK_STR(s(json_array_get(ps, 0), "id"), "chk_1", "checks by number, not ZIP");
	CHECK_STR(s(json_array_get(ps, 2), "id"), "chk_3", "last check number last");
	CHECK_INT(json_integer_value(json_object_get(json_object_get(json_array_get(ps, 0), "check"),
						     "number")),
		  10001, "check number kept");
	const json_t *pl = lot_with(plan, "psc_1");
	CHECK(json_is_null(json_object_get(pl, "envelope")), "postcards have no envelope");
	CHECK_STR(s(pl, "mail_type"), "usps_standard", "mail type kept");
	for (size_t i = 0; i < json_array_size(lots); i++)
		CHECK_INT(json_integer_value(json_object_get(json_array_get(lots, i), "number")),
			  (long long)i + 1, "lot %zu numbered", i + 1);
	CHECK(strncmp(s(l, "id"), "lot_", 4) == 0 && strlen(s(l, "id")) == 20, "lot id shape");
	json_t *sum = lot_summary(l);
	CHECK_INT(json_integer_value(json_object_get(sum, "pieces")), 4, "summary counts");
	CHECK(json_is_array(json_object_get(sum, "files")) &&
		      !json_object_get(sum, "run_id"), "summary: files, no pieces list");
	json_decref(sum);
	json_decref(plan);
}

static void test_missing_pdf(void)
{
	json_t *piece = letter("ltr_x", "10001", true, true, NULL);
	json_t *in = json_pack("{s:{}}", "files");
	struct api_error err = { 0 };
	struct lot_source src = { .kind = "letter", .piece = piece, .input = in, .pages = 1 };
	CHECK(lot_piece_new(&src, &err) == NULL, "no rendered PDF: refused");
	CHECK(strstr(err.message, "ltr_x") != NULL, "the piece is named: %s", err.message);
	json_decref(in);
	json_decref(piece);
}

static void test_sheets(void)
{
	CHECK_INT(lot_sheets(1, true), 1, "1 page duplex");
	CHECK_INT(lot_sheets(4, true), 2, "4 pages duplex");
	CHECK_INT(lot_sheets(3, false), 3, "3 pages simplex");
}

/* letters with a card go in a lot of their own, which lists the card and how many to pull */
static void test_inserts(void)
{
	json_t *pieces = json_array();
	json_t *with = letter("ltr_card1", "10001", true, true, NULL);
	json_object_set_new(with, "cards", json_pack("[{s:s, s:s}]", "id", "card_abc", "object", "card"));
	add(pieces, "letter", with, 1, NULL);
	with = letter("ltr_card2", "94107", true, true, NULL);
	json_object_set_new(with, "cards", json_pack("[{s:s}]", "id", "card_abc"));
	add(pieces, "letter", with, 1, NULL);
	add(pieces, "letter", letter("ltr_plain", "10001", true, true, NULL), 1, NULL);
	json_t *plan = lots_plan("run_1", false, "2026-12-07T00:00:00.000Z",
				 "2026-12-07T00:00:00.000Z", "123456", pieces);
	const json_t *lot = lot_with(plan, "ltr_card1"), *plain = lot_with(plan, "ltr_plain");
	CHECK(lot && lot == lot_with(plan, "ltr_card2"), "letters with the same card share a lot");
	CHECK(lot != plain, "a letter without it is in another lot");
	CHECK_STR(json_string_value(json_array_get(json_object_get(lot, "inserts"), 0)), "card_abc",
		  "the lot names its insert");
	CHECK_INT(json_array_size(json_object_get(plain, "inserts")), 0, "the plain lot has none");
	const json_t *stock = json_object_get(lot, "stock");
	const json_t *pull = json_array_get(json_object_get(stock, "insert_pulls"), 0);
	CHECK_STR(s(pull, "id"), "card_abc", "the stock says which insert to pull");
	CHECK_INT(json_integer_value(json_object_get(pull, "count")), 2, "and how many");
	CHECK_STR(json_string_value(json_array_get(json_object_get(stock, "inserts"), 0)),
		  "card card_abc, one per piece", "in words");
	json_decref(plan);
}

int main(void)
{
	test_inserts();
	test_grouping();
	test_missing_pdf();
	test_sheets();
	return test_done();
}
