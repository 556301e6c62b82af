// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Unit tests for av/testmode.c: every magic input of every endpoint, case and white-space
 * variations, the placeholders, garbage requests, and each body checked against the spec's
 * schema (field order, types, enums, patterns) by the small checkers below.
 */
#include "av/testmode.h"
#include "test.h"

#include <ctype.h>
#include <stdbool.h>

#define TEST_RECIPIENT "TEST KEYS DO NOT VERIFY ADDRESSES"

/* ---------------------------------------------------------------------------------------
 * Small schema helpers
 * ------------------------------------------------------------------------------------ */

static const char *str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* s is one of the '|'-separated words of set ("" matches an empty word) */
static bool in_set(const char *s, const char *set)
{
	size_t n;
	const char *end;

	if (!s)
		return false;
	n = strlen(s);
	for (;;) {
		end = strchr(set, '|');
		if (!end)
			end = set + strlen(set);
		if ((size_t)(end - set) == n && strncmp(set, s, n) == 0)
			return true;
		if (!*end)
			return false;
		set = end + 1;
	}
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (!s || strlen(s) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* s is prefix followed by at least one character of [A-Za-z0-9] (and '_' if underscore) */
static bool id_ok(const char *s, const char *prefix, bool underscore)
{
	size_t i, n = strlen(prefix);

	if (!s || strncmp(s, prefix, n) != 0 || !s[n])
		return false;
	for (i = n; s[i]; i++)
		if (!isalnum((unsigned char)s[i]) && !(underscore && s[i] == '_'))
			return false;
	return true;
}

/* obj's keys are exactly keys ('|'-separated), in that order; optional ones may be absent */
static bool keys_in_order(const json_t *obj, const char *keys, const char *optional)
{
	const char *k = keys, *end, *got;
	void *it = json_object_iter((json_t *)obj);
	char key[64];
	size_t n;

	while (*k) {
		end = strchr(k, '|');
		n = end ? (size_t)(end - k) : strlen(k);
		snprintf(key, sizeof(key), "%.*s", (int)n, k);
		got = it ? json_object_iter_key(it) : NULL;
		if (got && strcmp(got, key) == 0)
			it = json_object_iter_next((json_t *)obj, it);
		else if (!optional || !in_set(key, optional))
			return false;
		k += n + (end ? 1 : 0);
	}
	return it == NULL;
}

/* ---------------------------------------------------------------------------------------
 * us_verification schema
 * ------------------------------------------------------------------------------------ */

#define US_KEYS "id|recipient|primary_line|secondary_line|urbanization|last_line|" \
	"deliverability|valid_address|components|deliverability_analysis|object"
#define COMP_KEYS "primary_number|street_predirection|street_name|street_suffix|" \
	"street_postdirection|secondary_designator|secondary_number|pmb_designator|" \
	"pmb_number|extra_secondary_designator|extra_secondary_number|city|state|zip_code|" \
	"zip_code_plus_4|zip_code_type|delivery_point_barcode|address_type|record_type|" \
	"default_building_address|county|county_fips|carrier_route|carrier_route_type|" \
	"po_box_only_flag|latitude|longitude"
#define DPV_KEYS "dpv_confirmation|dpv_cmra|dpv_vacant|dpv_active|dpv_inactive_reason|" \
	"dpv_throwback|dpv_non_delivery_day_flag|dpv_non_delivery_day_values|" \
	"dpv_no_secure_location|dpv_door_not_accessible|dpv_footnotes|ews_match|" \
	"lacs_indicator|lacs_return_code|suite_return_code"
#define DIRS "N|S|E|W|NE|SW|SE|NW|"
#define YN "Y|N|"
#define FOOTNOTES "AA|A1|BB|CC|TA|IA|N1|F1|G1|U1|C1|M1|M3|P1|P3|PB|R1|R7|RR"

/* 12 digits: ZIP, ZIP+4, delivery point, check digit making the digit sum a multiple of 10 */
static bool dpb_ok(const json_t *c)
{
	const char *dpb = str(c, "delivery_point_barcode");
	int sum = 0;
	size_t i;

	if (!all_digits(dpb, 12) || strncmp(dpb, str(c, "zip_code"), 5) != 0 ||
	    strncmp(dpb + 5, str(c, "zip_code_plus_4"), 4) != 0)
		return false;
	for (i = 0; i < 12; i++)
		sum += dpb[i] - '0';
	return sum % 10 == 0;
}

static bool comp_strings_ok(const json_t *c)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)c, key, v) {
		if (strcmp(key, "default_building_address") == 0) {
			if (!json_is_boolean(v))
				return false;
		} else if (strcmp(key, "latitude") == 0 || strcmp(key, "longitude") == 0) {
			if (!json_is_number(v))
				return false;
		} else if (!json_is_string(v)) {
			return false;
		}
	}
	return true;
}

/* matched: a delivery point was confirmed (Y/S/D), so the spec's patterns must hold */
static void check_us_components(const json_t *c, bool matched, const char *what)
{
	const char *state = str(c, "state");
	bool military = in_set(state, "AA|AE|AP");

	CHECK(keys_in_order(c, COMP_KEYS, "latitude|longitude"), "%s: components keys", what);
	CHECK(comp_strings_ok(c), "%s: components types", what);
	CHECK(in_set(str(c, "street_predirection"), DIRS), "%s: predirection", what);
	CHECK(in_set(str(c, "street_postdirection"), DIRS), "%s: postdirection", what);
	CHECK(state && strlen(state) <= 2, "%s: state ≤ 2", what);
	CHECK(in_set(str(c, "zip_code_type"), "standard|po_box|unique|military|"),
	      "%s: zip_code_type", what);
	CHECK(in_set(str(c, "address_type"), "residential|commercial|"), "%s: address_type", what);
	CHECK(in_set(str(c, "record_type"),
		     "street|highrise|firm|po_box|rural_route|general_delivery|"),
	      "%s: record_type", what);
	CHECK(in_set(str(c, "po_box_only_flag"), YN), "%s: po_box_only_flag", what);
	CHECK((json_object_get(c, "latitude") != NULL) == (matched && !military),
	      "%s: latitude only for matched, non-military addresses", what);
	CHECK(!json_object_get(c, "latitude") == !json_object_get(c, "longitude"),
	      "%s: latitude and longitude together", what);
	if (!matched)
		return;
	CHECK(all_digits(str(c, "zip_code"), 5), "%s: zip_code pattern", what);
	CHECK(all_digits(str(c, "zip_code_plus_4"), 4), "%s: zip_code_plus_4 pattern", what);
	CHECK(all_digits(str(c, "county_fips"), 5), "%s: county_fips pattern", what);
	CHECK(dpb_ok(c), "%s: delivery_point_barcode", what);
	CHECK(strlen(str(c, "carrier_route")) == 4, "%s: carrier_route 4 chars", what);
	CHECK(in_set(str(c, "carrier_route_type"),
		     "city_delivery|rural_route|highway_contract|po_box|general_delivery"),
	      "%s: carrier_route_type", what);
	CHECK(strcmp(str(c, "record_type"), "") != 0, "%s: record_type set when matched", what);
}

static bool footnotes_ok(const json_t *arr)
{
	size_t i, n = json_array_size(arr);

	if (!json_is_array(arr) || n < 1 || n > 3)
		return false;
	for (i = 0; i < n; i++)
		if (!in_set(json_string_value(json_array_get(arr, i)), FOOTNOTES))
			return false;
	return true;
}

static void check_us_analysis(const json_t *a, const char *what)
{
	CHECK(keys_in_order(a, DPV_KEYS, NULL), "%s: deliverability_analysis keys", what);
	CHECK(in_set(str(a, "dpv_confirmation"), "Y|S|D|N|"), "%s: dpv_confirmation", what);
	CHECK(in_set(str(a, "dpv_cmra"), YN) && in_set(str(a, "dpv_vacant"), YN) &&
	      in_set(str(a, "dpv_active"), YN) && in_set(str(a, "dpv_throwback"), YN) &&
	      in_set(str(a, "dpv_non_delivery_day_flag"), YN) &&
	      in_set(str(a, "dpv_no_secure_location"), YN) &&
	      in_set(str(a, "dpv_door_not_accessible"), YN) &&
	      in_set(str(a, "lacs_indicator"), YN), "%s: Y/N/'' flags", what);
	CHECK(in_set(str(a, "dpv_inactive_reason"), "01|02|03|04|05|06|"),
	      "%s: dpv_inactive_reason", what);
	CHECK(str(a, "dpv_non_delivery_day_values") && str(a, "lacs_return_code"),
	      "%s: string fields", what);
	CHECK(in_set(str(a, "suite_return_code"), "A|00|"), "%s: suite_return_code", what);
	CHECK(footnotes_ok(json_object_get(a, "dpv_footnotes")), "%s: dpv_footnotes", what);
	CHECK(json_is_boolean(json_object_get(a, "ews_match")), "%s: ews_match", what);
}

/* deliverability agrees with dpv_confirmation */
static bool dpv_agrees(const char *deliv, const char *dpv)
{
	if (!deliv || !dpv)
		return false;
	if (strcmp(deliv, "deliverable") == 0)
		return strcmp(dpv, "Y") == 0;
	if (strcmp(deliv, "deliverable_missing_unit") == 0)
		return strcmp(dpv, "D") == 0;
	if (strcmp(deliv, "undeliverable") == 0)
		return in_set(dpv, "N|");
	return strcmp(dpv, "S") == 0;
}

static void check_us(const json_t *b, const char *what)
{
	const json_t *a = json_object_get(b, "deliverability_analysis");
	const char *deliv = str(b, "deliverability");
	bool matched = in_set(str(a, "dpv_confirmation"), "Y|S|D");

	CHECK(json_is_object(b), "%s: an object", what);
	CHECK(keys_in_order(b, US_KEYS, NULL), "%s: top-level keys in Lob's order", what);
	CHECK(id_ok(str(b, "id"), "us_ver_", true), "%s: id ^us_ver_[a-zA-Z0-9_]+$", what);
	CHECK_STR(str(b, "recipient"), TEST_RECIPIENT, "%s: recipient", what);
	CHECK(str(b, "primary_line") && strlen(str(b, "primary_line")) <= 200 &&
	      str(b, "secondary_line") && str(b, "urbanization") && str(b, "last_line"),
	      "%s: address lines are strings", what);
	CHECK(in_set(deliv, "deliverable|deliverable_unnecessary_unit|"
			    "deliverable_incorrect_unit|deliverable_missing_unit|undeliverable"),
	      "%s: deliverability enum", what);
	CHECK(json_is_boolean(json_object_get(b, "valid_address")), "%s: valid_address", what);
	CHECK(json_object_get(b, "lob_confidence_score") == NULL,
	      "%s: no lob_confidence_score (as Lob's test body)", what);
	CHECK_STR(str(b, "object"), "us_verification", "%s: object", what);
	CHECK(dpv_agrees(deliv, str(a, "dpv_confirmation")), "%s: dpv agrees", what);
	check_us_components(json_object_get(b, "components"), matched, what);
	check_us_analysis(a, what);
}

/* ---------------------------------------------------------------------------------------
 * US verification tests
 * ------------------------------------------------------------------------------------ */

static json_t *us_line(const char *key, const char *line, const char *id)
{
	json_t *req = json_pack("{s:s, s:s}", key, line, "zip_code", "11111");
	json_t *b = testmode_us_verification(req, id);

	json_decref(req);
	return b;
}

struct us_case {
	const char *input, *deliverability, *primary_line, *last_line;
};

static const struct us_case us_cases[] = {
	{ "commercial highrise", "deliverable", "185 BERRY ST STE 6100",
	  "SAN FRANCISCO CA 94107-1741" },
	{ "residential highrise", "deliverable", "660 KING ST UNIT 305",
	  "SAN FRANCISCO CA 94107-1539" },
	{ "residential house", "deliverable", "1709 BRODERICK ST",
	  "SAN FRANCISCO CA 94115-2525" },
	{ "po box", "deliverable", "PO BOX 720114", "SAN FRANCISCO CA 94172-0114" },
	{ "rural route", "deliverable", "RR 1 BOX 123", "NEWPORT NH 03773-9701" },
	{ "puerto rico", "deliverable", "123 AVE WINSTON CHURCHILL", "SAN JUAN PR 00926-2310" },
	{ "military", "deliverable", "CMR 409 BOX 145", "APO AE 09053-0002" },
	{ "department of state", "deliverable", "UNIT 8900 BOX 4301", "DPO AE 09831-4301" },
	{ "deliverable", "deliverable", "1 TELEGRAPH HILL BLVD", "SAN FRANCISCO CA 94133-4507" },
	{ "missing unit", "deliverable_missing_unit", "660 KING ST",
	  "SAN FRANCISCO CA 94107-1500" },
	{ "incorrect unit", "deliverable_incorrect_unit", "660 KING ST UNIT 9999",
	  "SAN FRANCISCO CA 94107-1500" },
	{ "unnecessary unit", "deliverable_unnecessary_unit", "1709 BRODERICK ST APT 505",
	  "SAN FRANCISCO CA 94115-2525" },
	{ "undeliverable block match", "undeliverable", "9999 BRODERICK ST",
	  "SAN FRANCISCO CA 94115" },
	{ "undeliverable no match", "undeliverable", "123 FAKE ST", "SAN FRANCISCO CA" },
};

static void test_us_magic(void)
{
	size_t i;
	json_t *b;
	const struct us_case *c;

	for (i = 0; i < sizeof(us_cases) / sizeof(us_cases[0]); i++) {
		c = &us_cases[i];
		b = us_line("primary_line", c->input, NULL);
		check_us(b, c->input);
		CHECK_STR(str(b, "deliverability"), c->deliverability, "%s: deliverability",
			  c->input);
		CHECK_STR(str(b, "primary_line"), c->primary_line, "%s: primary_line", c->input);
		CHECK_STR(str(b, "last_line"), c->last_line, "%s: last_line", c->input);
		json_decref(b);
	}
}

/* Lob's documented test body, field by field where it matters */
static void test_us_po_box(void)
{
	json_t *b = us_line("primary_line", "po box", NULL);
	json_t *c = json_object_get(b, "components");
	json_t *a = json_object_get(b, "deliverability_analysis");

	CHECK_STR(str(b, "id"), "us_ver_po_box", "po box: documented id");
	CHECK_STR(str(b, "secondary_line"), "", "po box: secondary_line");
	CHECK(json_is_true(json_object_get(b, "valid_address")), "po box: valid_address");
	CHECK_STR(str(c, "carrier_route"), "BOO2", "po box: carrier_route BOO2 (letter O)");
	CHECK_STR(str(c, "delivery_point_barcode"), "941720114146", "po box: dpb");
	CHECK_STR(str(c, "zip_code_type"), "po_box", "po box: zip_code_type");
	CHECK_STR(str(c, "record_type"), "po_box", "po box: record_type");
	CHECK_STR(str(c, "po_box_only_flag"), "", "po box: po_box_only_flag");
	CHECK(json_real_value(json_object_get(c, "latitude")) == 37.75971500260575 &&
	      json_real_value(json_object_get(c, "longitude")) == -122.69397561170017,
	      "po box: coordinates");
	CHECK_STR(str(a, "dpv_active"), "Y", "po box: dpv_active");
	CHECK_STR(str(a, "dpv_throwback"), "", "po box: dpv_throwback");
	CHECK(json_array_size(json_object_get(a, "dpv_footnotes")) == 2, "po box: AA BB");
	json_decref(b);
}

static void test_us_details(void)
{
	json_t *b = us_line("primary_line", "puerto rico", NULL);
	json_t *a;

	CHECK_STR(str(b, "urbanization"), "URB FAIR OAKS", "puerto rico: urbanization");
	CHECK_STR(str(json_object_get(b, "components"), "state"), "PR", "puerto rico: PR");
	json_decref(b);
	b = us_line("primary_line", "military", NULL);
	CHECK(!json_object_get(json_object_get(b, "components"), "latitude"),
	      "military: no latitude (state AE)");
	json_decref(b);
	b = us_line("primary_line", "commercial highrise", NULL);
	CHECK_STR(str(json_object_get(b, "components"), "address_type"), "commercial",
		  "commercial highrise: commercial");
	json_decref(b);
	b = us_line("primary_line", "undeliverable no match", NULL);
	a = json_object_get(b, "deliverability_analysis");
	CHECK_STR(str(a, "dpv_confirmation"), "", "no match: dpv ''");
	CHECK_STR(json_string_value(json_array_get(json_object_get(a, "dpv_footnotes"), 0)), "A1",
		  "no match: A1");
	CHECK(json_is_false(json_object_get(b, "valid_address")), "no match: not valid");
	json_decref(b);
}

static void test_us_variants(void)
{
	static const char *const lines[] = { "PO BOX", "  po box  ", "\tPo Box\n", "Po bOX " };
	size_t i;
	json_t *b;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		b = us_line("primary_line", lines[i], NULL);
		CHECK_STR(str(b, "primary_line"), "PO BOX 720114", "variant %zu is po box", i);
		json_decref(b);
	}
	b = us_line("address", " Residential House ", NULL);
	CHECK_STR(str(b, "primary_line"), "1709 BRODERICK ST", "address field matches too");
	json_decref(b);
	b = us_line("primary_line", "DELIVERABLE", "us_ver_abc123");
	CHECK_STR(str(b, "id"), "us_ver_abc123", "caller's id is used");
	check_us(b, "caller id");
	json_decref(b);
	b = us_line("primary_line", "missing unit", NULL);
	CHECK_STR(str(b, "id"), "us_ver_missing_unit", "default id us_ver_<value>");
	json_decref(b);
}

static void check_us_placeholder(json_t *b, const char *what)
{
	check_us(b, what);
	CHECK_STR(str(b, "primary_line"), "SET `primary_line` TO 'deliverable' and `zip_code` to "
		  "'11111' TO SIMULATE AN ADDRESS", "%s: placeholder primary_line", what);
	CHECK_STR(str(b, "secondary_line"), "SEE https://www.lob.com/docs#us-verification-test-"
		  "environment FOR MORE INFO", "%s: placeholder secondary_line", what);
	CHECK_STR(str(b, "deliverability"), "undeliverable", "%s: undeliverable", what);
	CHECK_STR(str(b, "id"), "us_ver_c7cb63d68f8d6", "%s: placeholder id", what);
}

static void test_us_placeholder(void)
{
	static const char *const lines[] = {
		"185 Berry St", "undeliverable", "po  box", "po box 1", "po", "", "   ",
	};
	size_t i;
	json_t *b;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		b = us_line("primary_line", lines[i], NULL);
		check_us_placeholder(b, lines[i]);
		json_decref(b);
	}
}

static void test_us_garbage(void)
{
	static const char *const reqs[] = {
		"{}", "[]", "42", "null", "\"po box\"", "{\"primary_line\":42}",
		"{\"primary_line\":null,\"address\":[\"po box\"]}",
		"{\"primary_line\":{\"a\":1},\"zip_code\":11111}", "{\"address\":true}",
	};
	size_t i;
	json_t *req, *b;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		req = json_loads(reqs[i], JSON_DECODE_ANY, NULL);
		b = testmode_us_verification(req, NULL);
		check_us_placeholder(b, reqs[i]);
		json_decref(b);
		json_decref(req);
	}
	b = testmode_us_verification(NULL, "");
	check_us_placeholder(b, "NULL request, empty id");
	json_decref(b);
}

/* ---------------------------------------------------------------------------------------
 * Autocompletion
 * ------------------------------------------------------------------------------------ */

static void check_auto(const json_t *b, const char *what)
{
	json_t *list = json_object_get(b, "suggestions");
	json_t *s;
	size_t i;
	bool ok = json_is_array(list) && json_array_size(list) <= 10;

	CHECK(keys_in_order(b, "id|suggestions|object", NULL), "%s: keys", what);
	CHECK_STR(str(b, "id"), "us_auto_a3ac97bcfbb2460ab20c", "%s: id", what);
	CHECK(id_ok(str(b, "id"), "us_auto_", false), "%s: id pattern", what);
	CHECK_STR(str(b, "object"), "us_autocompletion", "%s: object", what);
	json_array_foreach(list, i, s) {
		ok = ok && keys_in_order(s, "primary_line|city|state|zip_code", NULL) &&
		     str(s, "primary_line") && str(s, "city") && str(s, "state") &&
		     strlen(str(s, "state")) <= 2 && all_digits(str(s, "zip_code"), 5);
	}
	CHECK(ok, "%s: suggestions fit the schema", what);
}

static json_t *auto_req(const char *prefix, const char *city, const char *state,
			const char *zip)
{
	json_t *req = json_pack("{s:s}", "address_prefix", prefix);
	json_t *b;

	if (city)
		json_object_set_new(req, "city", json_string(city));
	if (state)
		json_object_set_new(req, "state", json_string(state));
	if (zip)
		json_object_set_new(req, "zip_code", json_string(zip));
	b = testmode_us_autocompletion(req);
	json_decref(req);
	check_auto(b, prefix);
	return b;
}

static const char *nth_line(const json_t *b, size_t i)
{
	return str(json_array_get(json_object_get(b, "suggestions"), i), "primary_line");
}

static void test_auto_counts(void)
{
	static const char word[] = "suggestion";
	char prefix[32];
	size_t n;
	json_t *b;

	for (n = 1; n <= strlen(word); n++) {
		snprintf(prefix, sizeof(prefix), "1 %.*s", (int)n, word);
		b = auto_req(prefix, NULL, NULL, NULL);
		CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 11 - n,
			  "'%s' gives %zu", prefix, 11 - n);
		CHECK_STR(nth_line(b, json_array_size(json_object_get(b, "suggestions")) - 1),
			  "1 TELEGRAPH HILL BLVD", "'%s' ends with TELEGRAPH HILL BLVD", prefix);
		json_decref(b);
	}
	b = auto_req("0 suggestions", NULL, NULL, NULL);
	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 0, "0 suggestions: none");
	json_decref(b);
}

/* the spec's `test` example, in order */
static void test_auto_sugg(void)
{
	static const char *const lines[] = {
		"1 TELEPHONE RD", "1 TELEGA PL", "1 TELEGRAM AVE", "1 TELEGRAM AVE",
		"1 TELEGRAPH HILL RD", "1 TELEGRAPH HILL RD S", "1 TELEGRAPH HILL BLVD",
	};
	json_t *b = auto_req("1 sugg", NULL, NULL, NULL);
	json_t *s = json_array_get(json_object_get(b, "suggestions"), 0);
	size_t i;

	for (i = 0; i < 7; i++)
		CHECK_STR(nth_line(b, i), lines[i], "1 sugg: suggestion %zu", i);
	CHECK_STR(str(s, "city"), "OXFORD", "1 sugg: OXFORD");
	CHECK_STR(str(s, "state"), "AR", "1 sugg: AR");
	CHECK_STR(str(s, "zip_code"), "72565", "1 sugg: 72565");
	CHECK_STR(str(json_array_get(json_object_get(b, "suggestions"), 4), "zip_code"), "07733",
		  "1 sugg: leading-zero ZIP kept");
	json_decref(b);
	b = auto_req("  2 SUGG  ", NULL, NULL, NULL);
	CHECK_STR(nth_line(b, 0), "2 TELEPHONE RD", "number echoed, case and spaces ignored");
	json_decref(b);
	b = auto_req("12a\tsu", NULL, NULL, NULL);
	CHECK_STR(nth_line(b, 0), "12A TELEGRAPH AVE", "alphanumeric number, upper-cased");
	json_decref(b);
}

static void test_auto_filters(void)
{
	json_t *b = auto_req("5 su", "San Francisco", "CA", NULL);

	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 1, "5 su + SF/CA: one");
	CHECK_STR(nth_line(b, 0), "5 TELEGRAPH HILL BLVD", "5 su + SF/CA: OBS-1's answer");
	json_decref(b);
	b = auto_req("1 s", NULL, "nj", NULL);
	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 2, "state nj: two");
	json_decref(b);
	b = auto_req("1 s", NULL, "N", NULL);
	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 0, "no partial state");
	json_decref(b);
	b = auto_req("1 s", NULL, NULL, "077");
	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 2, "zip prefix 077: two");
	json_decref(b);
	b = auto_req("1 s", "", " ", NULL);
	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 10, "empty filters ignored");
	json_decref(b);
}

static void check_auto_placeholder(const json_t *b, const char *what)
{
	json_t *s = json_array_get(json_object_get(b, "suggestions"), 0);

	CHECK_INT(json_array_size(json_object_get(b, "suggestions")), 1, "%s: one", what);
	CHECK_STR(str(s, "primary_line"), "TEST KEYS DO NOT AUTOCOMPLETE US ADDRESSES",
		  "%s: placeholder line", what);
	CHECK_STR(str(s, "city"), "SET `address_prefix` to '1 suggestion' TO SIMULATE AN "
		  "AUTOCOMPLETION", "%s: placeholder city", what);
}

static void test_auto_placeholder(void)
{
	static const char *const prefixes[] = {
		"185 BER", "1 suggestions", "suggestion", "1", "1 x", "0 suggestion s", "",
		"1234567890123456 s",
	};
	static const char *const garbage[] = {
		"{}", "42", "{\"address_prefix\":1}", "{\"address_prefix\":\"1 s\",\"city\":7}",
	};
	size_t i;
	json_t *b, *req;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		b = auto_req(prefixes[i], "SAN FRANCISCO", "CA", NULL);
		check_auto_placeholder(b, prefixes[i]);
		json_decref(b);
	}
	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		req = json_loads(garbage[i], JSON_DECODE_ANY, NULL);
		b = testmode_us_autocompletion(req);
		check_auto(b, garbage[i]);
		json_decref(b);
		json_decref(req);
	}
	b = testmode_us_autocompletion(NULL);
	check_auto_placeholder(b, "NULL request");
	json_decref(b);
}

/* ---------------------------------------------------------------------------------------
 * Intl verification
 * ------------------------------------------------------------------------------------ */

#define INTL_KEYS "id|recipient|primary_line|secondary_line|last_line|country|coverage|" \
	"deliverability|status|components|object"

static void check_intl(const json_t *b, const char *what)
{
	json_t *c = json_object_get(b, "components");

	CHECK(keys_in_order(b, INTL_KEYS, NULL), "%s: keys in Lob's order", what);
	CHECK(id_ok(str(b, "id"), "intl_ver_", false), "%s: id ^intl_ver_[a-zA-Z0-9]+$", what);
	CHECK_STR(str(b, "recipient"), TEST_RECIPIENT, "%s: recipient", what);
	CHECK(str(b, "primary_line") && str(b, "secondary_line") && str(b, "last_line") &&
	      str(b, "country"), "%s: lines are strings", what);
	CHECK(in_set(str(b, "coverage"), "SUBBUILDING|HOUSENUMBER/BUILDING|STREET|LOCALITY|"
		     "SPARSE"), "%s: coverage", what);
	CHECK(in_set(str(b, "deliverability"),
		     "deliverable|deliverable_missing_info|undeliverable|no_match"),
	      "%s: deliverability", what);
	CHECK(in_set(str(b, "status"), "LV4|LV3|LV2|LV1|LF4|LF3|LF2|LF1|LM4|LM3|LM2|LU1"),
	      "%s: status", what);
	CHECK(keys_in_order(c, "primary_number|street_name|city|state|postal_code", NULL) &&
	      str(c, "primary_number") && str(c, "street_name") && str(c, "city") &&
	      str(c, "state") && strlen(str(c, "state")) <= 2 && str(c, "postal_code") &&
	      strlen(str(c, "postal_code")) <= 12, "%s: components", what);
	CHECK_STR(str(b, "object"), "intl_verification", "%s: object", what);
}

static json_t *intl_req(const char *key, const char *line, const char *country, const char *id)
{
	json_t *req = json_pack("{s:s, s:s}", key, line, "country", country);
	json_t *b = testmode_intl_verification(req, id);

	json_decref(req);
	check_intl(b, line);
	return b;
}

static void test_intl_magic(void)
{
	static const char *const in[][3] = {
		{ "deliverable", "deliverable", "LV4" },
		{ "deliverable missing info", "deliverable_missing_info", "LM3" },
		{ "undeliverable", "undeliverable", "LM2" },
		{ "no match", "no_match", "LU1" },
	};
	size_t i;
	json_t *b;

	for (i = 0; i < 4; i++) {
		b = intl_req("primary_line", in[i][0], "CA", NULL);
		CHECK_STR(str(b, "deliverability"), in[i][1], "%s: deliverability", in[i][0]);
		CHECK_STR(str(b, "status"), in[i][2], "%s: status", in[i][0]);
		CHECK_STR(str(b, "id"), "intl_ver_c7cb63d68f8d6", "%s: default id", in[i][0]);
		json_decref(b);
	}
}

/* the spec's `test` response */
static void test_intl_deliverable(void)
{
	json_t *b = intl_req("primary_line", " DeLiverable ", "ca", "intl_ver_xyz9");
	json_t *c = json_object_get(b, "components");

	CHECK_STR(str(b, "id"), "intl_ver_xyz9", "caller's id");
	CHECK_STR(str(b, "primary_line"), "370 WATER ST", "370 WATER ST");
	CHECK_STR(str(b, "secondary_line"), "", "secondary_line");
	CHECK_STR(str(b, "last_line"), "SUMMERSIDE PE C1N 1C4", "last_line");
	CHECK_STR(str(b, "country"), "CA", "country");
	CHECK_STR(str(b, "coverage"), "SUBBUILDING", "coverage");
	CHECK_STR(str(c, "primary_number"), "370", "primary_number");
	CHECK_STR(str(c, "street_name"), "WATER ST", "street_name");
	CHECK_STR(str(c, "city"), "SUMMERSIDE", "city");
	CHECK_STR(str(c, "state"), "PE", "state");
	CHECK_STR(str(c, "postal_code"), "C1N 1C4", "postal_code");
	json_decref(b);
	b = intl_req("address", "NO MATCH", "GB", NULL);
	CHECK_STR(str(b, "deliverability"), "no_match", "address field matches");
	json_decref(b);
}

static void test_intl_placeholder(void)
{
	static const char *const garbage[] = {
		"{}", "7", "{\"primary_line\":5,\"country\":\"GB\"}", "{\"country\":[1]}",
	};
	json_t *b = intl_req("primary_line", "10 Downing St", "gb", NULL);
	json_t *req;
	size_t i;

	CHECK_STR(str(b, "deliverability"), "no_match", "placeholder: no_match");
	CHECK_STR(str(b, "status"), "LU1", "placeholder: LU1");
	CHECK_STR(str(b, "country"), "GB", "placeholder: request's country, upper case");
	CHECK(strncmp(str(b, "primary_line"), "SET `primary_line` TO 'deliverable'", 35) == 0,
	      "placeholder: hint line");
	json_decref(b);
	b = intl_req("primary_line", "deliverable  missing info", "Canada", NULL);
	CHECK_STR(str(b, "country"), "", "placeholder: a non-code country is not echoed");
	json_decref(b);
	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		req = json_loads(garbage[i], JSON_DECODE_ANY, NULL);
		b = testmode_intl_verification(req, NULL);
		check_intl(b, garbage[i]);
		CHECK_STR(str(b, "deliverability"), "no_match", "%s: placeholder", garbage[i]);
		json_decref(b);
		json_decref(req);
	}
}

/* ---------------------------------------------------------------------------------------
 * ZIP lookup and reverse geocode
 * ------------------------------------------------------------------------------------ */

static void check_zip(const json_t *b, const char *what)
{
	json_t *city;
	size_t i;
	bool ok = json_is_array(json_object_get(b, "cities"));

	CHECK(keys_in_order(b, "id|cities|zip_code_type|object|zip_code", NULL), "%s: keys", what);
	CHECK(id_ok(str(b, "id"), "us_zip_", false), "%s: id pattern", what);
	CHECK(in_set(str(b, "zip_code_type"), "standard|po_box|unique|military|"),
	      "%s: zip_code_type", what);
	CHECK_STR(str(b, "object"), "us_zip_lookup", "%s: object", what);
	CHECK(str(b, "zip_code") != NULL, "%s: zip_code", what);
	json_array_foreach(json_object_get(b, "cities"), i, city) {
		ok = ok && keys_in_order(city, "city|state|county|county_fips|preferred", NULL) &&
		     all_digits(str(city, "county_fips"), 5) && strlen(str(city, "state")) <= 2 &&
		     json_is_boolean(json_object_get(city, "preferred"));
	}
	CHECK(ok, "%s: cities fit the schema", what);
}

static void test_zip(void)
{
	json_t *req = json_pack("{s:s}", "zip_code", "94107");
	json_t *b = testmode_zip_lookup(req, NULL);
	json_t *c = json_array_get(json_object_get(b, "cities"), 0);

	check_zip(b, "94107");
	CHECK_STR(str(b, "id"), "us_zip_c7cb63d68f8d6", "94107: documented id");
	CHECK_STR(str(b, "zip_code_type"), "standard", "94107: standard");
	CHECK_INT(json_array_size(json_object_get(b, "cities")), 1, "94107: one city");
	CHECK_STR(str(c, "city"), "SAN FRANCISCO", "94107: SAN FRANCISCO");
	CHECK_STR(str(c, "county_fips"), "06075", "94107: 06075");
	CHECK(json_is_true(json_object_get(c, "preferred")), "94107: preferred");
	json_decref(b);
	json_decref(req);
	req = json_pack("{s:s}", "zip_code", "94172");
	b = testmode_zip_lookup(req, "us_zip_abc");
	check_zip(b, "94172");
	CHECK_STR(str(b, "zip_code_type"), "po_box", "94172: po_box");
	CHECK_STR(str(b, "id"), "us_zip_abc", "caller's id");
	json_decref(b);
	json_decref(req);
}

static void test_zip_unknown(void)
{
	static const char *const reqs[] = {
		"{\"zip_code\":\"12345\"}", "{}", "{\"zip_code\":94107}", "3", "null",
	};
	json_t *req, *b;
	size_t i;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		req = json_loads(reqs[i], JSON_DECODE_ANY, NULL);
		b = testmode_zip_lookup(req, NULL);
		check_zip(b, reqs[i]);
		CHECK_INT(json_array_size(json_object_get(b, "cities")), 0, "%s: no cities",
			  reqs[i]);
		CHECK_STR(str(b, "zip_code_type"), "", "%s: type ''", reqs[i]);
		json_decref(b);
		json_decref(req);
	}
}

static void check_geo(const json_t *b, size_t n, const char *what)
{
	json_t *a, *loc;
	size_t i;
	bool ok = json_array_size(json_object_get(b, "addresses")) == n;
	double last = 0;

	CHECK(keys_in_order(b, "id|addresses|object", NULL), "%s: keys", what);
	CHECK(id_ok(str(b, "id"), "us_reverse_geocode_", true), "%s: id pattern", what);
	CHECK_STR(str(b, "object"), "us_reverse_geocode_lookup", "%s: object", what);
	json_array_foreach(json_object_get(b, "addresses"), i, a) {
		loc = json_object_get(a, "location_analysis");
		ok = ok && keys_in_order(a, "components|location_analysis", NULL) &&
		     all_digits(str(json_object_get(a, "components"), "zip_code"), 5) &&
		     all_digits(str(json_object_get(a, "components"), "zip_code_plus_4"), 4) &&
		     keys_in_order(loc, "latitude|longitude|distance", NULL) &&
		     json_number_value(json_object_get(loc, "distance")) >= last;
		last = json_number_value(json_object_get(loc, "distance"));
	}
	CHECK(ok, "%s: %zu addresses, nearest first, fit the schema", what, n);
}

static void test_geo(void)
{
	json_t *req = json_pack("{s:f, s:f}", "latitude", 37.777456, "longitude", -122.393039);
	json_t *b = testmode_reverse_geocode(req, NULL);
	const char *zip;

	check_geo(b, 5, "SDK point");
	CHECK_STR(str(b, "id"), "us_reverse_geocode_8a013f3e", "documented id");
	zip = str(json_object_get(json_array_get(json_object_get(b, "addresses"), 0),
				  "components"), "zip_code");
	CHECK(in_set(zip, "94102|94103"), "first zip is 94102 or 94103 (SDK)");
	json_decref(b);
	json_object_set_new(req, "size", json_integer(2));
	b = testmode_reverse_geocode(req, "us_reverse_geocode_x_1");
	check_geo(b, 2, "size 2");
	CHECK_STR(str(b, "id"), "us_reverse_geocode_x_1", "caller's id");
	json_decref(b);
	json_object_set_new(req, "size", json_integer(500));
	b = testmode_reverse_geocode(req, NULL);
	check_geo(b, 5, "size 500");
	json_decref(b);
	json_decref(req);
}

static void test_geo_garbage(void)
{
	static const char *const reqs[] = {
		"{}", "1", "{\"latitude\":\"x\",\"longitude\":[]}", "{\"size\":0}",
		"{\"size\":\"3\"}", "{\"size\":-9}",
	};
	static const size_t want[] = { 5, 5, 5, 1, 5, 1 };
	json_t *req, *b;
	size_t i;

	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		req = json_loads(reqs[i], JSON_DECODE_ANY, NULL);
		b = testmode_reverse_geocode(req, NULL);
		check_geo(b, want[i], reqs[i]);
		json_decref(b);
		json_decref(req);
	}
}

int main(void)
{
	test_us_magic();
	test_us_po_box();
	test_us_details();
	test_us_variants();
	test_us_placeholder();
	test_us_garbage();
	test_auto_counts();
	test_auto_sugg();
	test_auto_filters();
	test_auto_placeholder();
	test_intl_magic();
	test_intl_deliverable();
	test_intl_placeholder();
	test_zip();
	test_zip_unknown();
	test_geo();
	test_geo_garbage();
	return test_done();
}
