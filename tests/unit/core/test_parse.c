// SPDX-License-Identifier: AGPL-3.0-or-later
/* core/parse: the number and digit helpers, and the ABA routing-number checksum. */
#include "core/parse.h"
#include "test.h"
#include <float.h>
#include <limits.h>

static void test_aba(void)
{
	/* published routing numbers (Lob's example, JPMorgan Chase NY, Bank of America CA, the
	 * Federal Reserve Bank of Boston) pass; one changed digit or a wrong length fails */
	static const char *const valid[] = { "322271627", "021000021", "121000358", "011000015" };
	static const char *const invalid[] = { "322271626", "021000012", "12100035", "1210003580",
					       "12100035a", "", "000000001" };
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		CHECK(aba_routing_valid(valid[i]), "ABA checksum accepts %s", valid[i]);
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		CHECK(!aba_routing_valid(invalid[i]), "ABA checksum refuses \"%s\"", invalid[i]);
	CHECK(!aba_routing_valid(NULL), "ABA checksum refuses NULL");
}

static void test_parse_ulong(void)
{
	unsigned long v;
	CHECK_INT(parse_ulong("150", 1000, &v), 0, "parse_ulong accepts digits");
	CHECK_INT(v, 150, "parse_ulong value");
	CHECK_INT(parse_ulong("1001", 1000, &v), -1, "parse_ulong refuses above the maximum");
	CHECK_INT(parse_ulong("-1", 1000, &v), -1, "parse_ulong refuses a sign");
	CHECK_INT(parse_ulong("", 1000, &v), -1, "parse_ulong refuses empty text");
	CHECK_INT(parse_ulong("12x", 1000, &v), -1, "parse_ulong refuses trailing text");
}

static void test_parse_llong(void)
{
	long long v = 7;
	CHECK(parse_llong("-42", -100, 100, &v) == 0 && v == -42, "parse_llong: a negative number");
	CHECK(parse_llong("0", 0, 0, &v) == 0 && v == 0, "parse_llong: zero");
	CHECK(parse_llong("9223372036854775807", LLONG_MIN, LLONG_MAX, &v) == 0 && v == LLONG_MAX,
	      "parse_llong: LLONG_MAX");
	CHECK(parse_llong("-9223372036854775808", LLONG_MIN, LLONG_MAX, &v) == 0 && v == LLONG_MIN,
	      "parse_llong: LLONG_MIN");
	static const char *const refused[] = {
		"9223372036854775808", "-9223372036854775809", "99999999999999999999", "", "-",
		" 5", "5 ", "+5", "5x", "0x10", "1e3", "--5",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		v = 7;
		CHECK(parse_llong(refused[i], LLONG_MIN, LLONG_MAX, &v) == -1 && v == 7,
		      "parse_llong refuses \"%s\" and leaves the output alone", refused[i]);
	}
	CHECK_INT(parse_llong("101", 1, 100, &v), -1, "parse_llong: above the range");
	CHECK_INT(parse_llong("0", 1, 100, &v), -1, "parse_llong: below the range");
	CHECK_INT(parse_llong(NULL, 0, 1, &v), -1, "parse_llong: NULL");
}

static void test_parse_double(void)
{
	double v = 7;
	CHECK(parse_double("-12.5", -90, 90, &v) == 0 && v == -12.5, "parse_double: a decimal");
	CHECK(parse_double("1e3", 0, 1e4, &v) == 0 && v == 1000, "parse_double: an exponent");
	CHECK(parse_double(".5", 0, 1, &v) == 0 && v == 0.5, "parse_double: no leading digit");
	CHECK(parse_double("90", -90, 90, &v) == 0 && v == 90, "parse_double: the range is closed");
	CHECK(parse_double("1e-400", -1, 1, &v) == 0 && v == 0,
	      "parse_double: an underflow is its nearest double");
	CHECK(parse_double("4.9e-324", 0, 1, &v) == 0 && v > 0 && v < DBL_MIN,
	      "parse_double: a subnormal reads back");
	static const char *const refused[] = {
		"", " 1", "1 ", "1x", "0x10", "inf", "-inf", "nan", "infinity", "1e999", "-1e999",
		"1,5", "e", ".", "-", "1e", "\t1",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		v = 7;
		CHECK(parse_double(refused[i], -DBL_MAX, DBL_MAX, &v) == -1 && v == 7,
		      "parse_double refuses \"%s\" and leaves the output alone", refused[i]);
	}
	CHECK_INT(parse_double("90.000001", -90, 90, &v), -1, "parse_double: above the range");
	CHECK_INT(parse_double("-180.5", -180, 180, &v), -1, "parse_double: below the range");
	CHECK_INT(parse_double(NULL, -1, 1, &v), -1, "parse_double: NULL");
}

static void test_parse_digits_n(void)
{
	unsigned long long v = 7;
	CHECK(parse_digits_n("2026-11-25", 4, &v) == 0 && v == 2026, "parse_digits_n: a prefix");
	CHECK(parse_digits_n("09", 2, &v) == 0 && v == 9, "parse_digits_n: a leading zero");
	CHECK(parse_digits_n("9999999999999999999", 19, &v) == 0 && v == 9999999999999999999ULL,
	      "parse_digits_n: 19 digits");
	v = 7;
	CHECK(parse_digits_n("20", 4, &v) == -1 && v == 7, "parse_digits_n: stops at the end");
	CHECK_INT(parse_digits_n("2-26", 4, &v), -1, "parse_digits_n: a non-digit");
	CHECK_INT(parse_digits_n(" 202", 4, &v), -1, "parse_digits_n: a space");
	CHECK_INT(parse_digits_n("12345678901234567890", 20, &v), -1,
		  "parse_digits_n: more than 19 digits could overflow");
	CHECK_INT(parse_digits_n("1", 0, &v), -1, "parse_digits_n: no digits");
}

int main(void)
{
	test_aba();
	test_parse_ulong();
	test_parse_llong();
	test_parse_double();
	test_parse_digits_n();
	return test_done();
}
