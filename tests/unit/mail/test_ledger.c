// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The credits ledger: the price list (parsing, refusals that name the line, pricing by
 * product and option) and the store's rows (a credit, a piece charged once however often
 * its charge is written, a skipped charge writing nothing, the balance as their sum).
 */
#include "mail/ledger.h"
#include "mail/price_list.h"
#include "core/ids.h"
#include "test.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char LIST[] =
	"{\"currency\":\"usd\",\"products\":{"
	"\"letter\":[{\"item\":\"Letter\",\"price\":\"0.85\"},"
	"{\"item\":\"Color\",\"price\":0.3,\"when\":{\"color\":true}},"
	"{\"item\":\"Certified Mail\",\"price\":\"4.85\",\"when\":{\"extra_service\":\"certified\"}},"
	"{\"item\":\"To Canada\",\"price\":\"1.20\",\"when\":{\"to.address_country\":\"CANADA\"}}],"
	"\"postcard\":[{\"item\":\"Postcard 6x9\",\"price\":\"0.75\",\"when\":{\"size\":\"6x9\"}}]}}";

static const char *refusal(const char *text)
{
	static char msg[256];
	json_t *l = price_list_parse(text, strlen(text), msg, sizeof(msg));
	json_decref(l);
	return l ? "" : msg;
}

static void test_parse(void)
{
	CHECK(strstr(refusal("{"), "line 1") != NULL, "bad JSON names its line");
	CHECK(strstr(refusal("{\"products\":[]}"), "a price list is") != NULL, "products must be an object");
	CHECK(strstr(refusal("{\"currency\":\"eur\",\"products\":{}}"), "usd") != NULL, "usd only");
	CHECK(strstr(refusal("{\"products\":{\"letter\":{}}}"), "products.letter must be an array") != NULL,
	      "a product's lines are an array");
	CHECK(strstr(refusal("{\"products\":{\"letter\":[{\"price\":\"1\"}]}}"), "products.letter[0]") != NULL,
	      "a line without an item is refused, naming it");
	const char *bad[] = { "\"1.234\"", "\"-1\"", "-1", "\"ten\"", "10000.01", "true" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[200];
		snprintf(text, sizeof(text), "{\"products\":{\"letter\":[{\"item\":\"L\",\"price\":%s}]}}", bad[i]);
		CHECK(strstr(refusal(text), "products.letter[0].price") != NULL, "price %s is refused", bad[i]);
	}
	CHECK(strstr(refusal("{\"products\":{\"letter\":[{\"item\":\"L\",\"price\":\"1\",\"when\":{\"to\":{}}}]}}"),
		     "when.to") != NULL, "a condition is a scalar");
	CHECK(strstr(refusal("{\"products\":{\"letter\":[{\"item\":\"L\",\"price\":\"1\",\"cost\":2}]}}"),
		     "cost is not a field") != NULL, "unknown line fields are refused");
	CHECK_STR(refusal(LIST), "", "the documented example parses");
}

static long long price(const json_t *list, const char *kind, const char *piece, char *desc)
{
	long long cents = -1;
	json_t *p = json_loads(piece, 0, NULL);
	if (!price_list_price(list, kind, p, &cents, desc, 200))
		cents = -1;
	json_decref(p);
	return cents;
}

static void test_price(void)
{
	char msg[256], desc[200];
	json_t *l = price_list_parse(LIST, strlen(LIST), msg, sizeof(msg));
	CHECK_INT(price(l, "letter", "{\"color\":false}", desc), 85, "the base line");
	CHECK_STR(desc, "Letter", "named");
	CHECK_INT(price(l, "letter", "{\"color\":true,\"extra_service\":\"certified\"}", desc), 85 + 30 + 485,
		  "options add up");
	CHECK_STR(desc, "Letter + Color + Certified Mail", "each line named");
	CHECK_INT(price(l, "letter", "{\"color\":false,\"to\":{\"address_country\":\"CANADA\"}}", desc), 205,
		  "a dotted condition reaches the address");
	CHECK_INT(price(l, "postcard", "{\"size\":\"4x6\"}", desc), 0, "no line holds: 0");
	CHECK_STR(desc, "", "and nothing named");
	CHECK_INT(price(l, "check", "{}", desc), -1, "a product the list does not name");
	long long c;
	json_t *v = json_string("12.5");
	CHECK(price_dollars_cents(v, 100000, &c) && c == 1250, "12.5 dollars is 1250 cents");
	json_decref(v);
	v = json_real(0.1 + 0.2);
	CHECK(price_dollars_cents(v, 100000, &c) && c == 30, "a float that is 0.30 after rounding");
	json_decref(v);
	json_decref(l);
}

static void test_store(void)
{
	char dir[] = "/tmp/frank-ledger-XXXXXX", acc[40];
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens (migration 13 applies)");
	CHECK_INT(store_account_create(s, "t", acc, &err), 0, "an account");
	long long bal = -1;
	CHECK_INT(store_ledger_balance(s, acc, MODE_LIVE, &bal, &err), 0, "balance of nothing");
	CHECK_INT(bal, 0, "is 0");
	struct store_ledger_entry credit;
	CHECK_INT(ledger_credit(s, acc, MODE_LIVE, 10000, "wire", 1000, &credit, &err), 0, "a credit");
	CHECK(credit.written, "is written");
	CHECK_INT(ledger_credit(s, acc, MODE_LIVE, 0, NULL, 1000, &credit, &err), -1, "0 is no credit");
	for (int i = 0; i < 2; i++) {
		struct store_ledger_entry e = { .type = LEDGER_CHARGE, .amount_cents = -115,
						.object_id = "ltr_0123456789abcdef",
						.object_kind = "letter", .created_ms = 2000 };
		snprintf(e.description, sizeof(e.description), "letter mailed: Letter + Color");
		ids_new("led_", e.id, sizeof(e.id));
		struct store_change ch = { .op = STORE_LEDGER, .sc = { .account_id = acc, .mode = MODE_LIVE },
					   .ledger = &e };
		struct store_change_set set = { .changes = &ch, .n = 1 };
		CHECK_INT(store_apply_sync(s, &set, &err), 0, "charge %d applies", i + 1);
		CHECK(e.written == (i == 0), "the piece is charged once (charge %d written: %d)", i + 1, e.written);
	}
	struct store_ledger_entry skip = { .type = LEDGER_CHARGE, .amount_cents = -999, .skip = true,
					   .object_id = "ltr_fedcba9876543210", .created_ms = 3000 };
	ids_new("led_", skip.id, sizeof(skip.id));
	struct store_change ch = { .op = STORE_LEDGER, .sc = { .account_id = acc, .mode = MODE_LIVE },
				   .ledger = &skip };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	CHECK_INT(store_apply_sync(s, &set, &err), 0, "a skipped charge applies");
	CHECK_INT(store_ledger_balance(s, acc, MODE_LIVE, &bal, &err), 0, "balance");
	CHECK_INT(bal, 10000 - 115, "credits minus the one charge");
	CHECK_INT(store_ledger_balance(s, acc, MODE_TEST, &bal, &err), 0, "test balance");
	CHECK_INT(bal, 0, "test mode is a ledger of its own");
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
}

int main(void)
{
	test_parse();
	test_price();
	test_store();
	return test_done();
}
