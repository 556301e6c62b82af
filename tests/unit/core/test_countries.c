// SPDX-License-Identifier: AGPL-3.0-or-later
/* Unit tests for core/countries.c and the generated table in core/countries_data.c. */
#include "core/countries.h"
#include "test.h"

static void test_by_alpha2(void)
{
	const struct country *c;

	c = country_by_alpha2("US");
	CHECK(c != NULL, "US found");
	CHECK_STR(c ? c->lob_name : NULL, "UNITED STATES", "US name");
	CHECK(c && c->us_territory && !c->lob_intl, "US: US territory, not intl");
	CHECK(country_by_alpha2("us") == c, "us (lower case) is the same row");
	CHECK(country_by_alpha2("uS") == c, "uS (mixed case) is the same row");
	c = country_by_alpha2("gb");
	CHECK_STR(c ? c->lob_name : NULL, "UNITED KINGDOM", "gb → UNITED KINGDOM");
	CHECK(c && !c->us_territory && c->lob_intl, "GB: intl");
	c = country_by_alpha2("CA");
	CHECK_STR(c ? c->lob_name : NULL, "CANADA", "CA → CANADA (spec example)");
	c = country_by_alpha2("KR");
	CHECK_STR(c ? c->lob_name : NULL, "KOREA, REPUBLIC OF", "KR override");
	c = country_by_alpha2("CD");
	CHECK_STR(c ? c->lob_name : NULL, "CONGO, DEMOCRATIC REPUBLIC OF THE", "CD override");
	c = country_by_alpha2("CI");
	CHECK_STR(c ? c->lob_name : NULL, "C\303\224TE D'IVOIRE", "CI keeps the spec's Ô");
	c = country_by_alpha2("AN");
	CHECK_STR(c ? c->lob_name : NULL, "NETHERLAND ANTILLES", "AN: Lob's spelling, withdrawn");
	c = country_by_alpha2("AD");
	CHECK_STR(c ? c->alpha2 : NULL, "AD", "first row");
	c = country_by_alpha2("zw");
	CHECK_STR(c ? c->alpha2 : NULL, "ZW", "last row");
}

static void test_unknown(void)
{
	static const char *bad[] = { "XX", "ZZ", "AA", "", "U", "USA", "U1", "1S", "U ", " US" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(country_by_alpha2(bad[i]) == NULL, "alpha2 \"%s\" unknown", bad[i]);
	CHECK(country_by_alpha2(NULL) == NULL, "alpha2 NULL");
	CHECK(country_by_name("ATLANTIS") == NULL, "name ATLANTIS unknown");
	CHECK(country_by_name("UNITED") == NULL, "a prefix is not a match");
	CHECK(country_by_name("UNITED STATES ") == NULL, "trailing space is not a match");
	CHECK(country_by_name("") == NULL, "empty name");
	CHECK(country_by_name(NULL) == NULL, "NULL name");
	CHECK(country_by_name("\303") == NULL, "truncated UTF-8 is safe");
	CHECK(country_by_name("KOREA, REPUBLIC OF\342\200") == NULL, "truncated U+2019 is safe");
}

static void test_by_name(void)
{
	const struct country *c;

	c = country_by_name("united kingdom");
	CHECK_STR(c ? c->alpha2 : NULL, "GB", "united kingdom → GB");
	c = country_by_name("United States");
	CHECK_STR(c ? c->alpha2 : NULL, "US", "United States → US");
	c = country_by_name("c\303\264te d'ivoire");
	CHECK_STR(c ? c->alpha2 : NULL, "CI", "côte d'ivoire (lower-case ô) → CI");
	c = country_by_name("Cura\303\247ao");
	CHECK_STR(c ? c->alpha2 : NULL, "CW", "Curaçao → CW");
	c = country_by_name("lao people's democratic republic");
	CHECK_STR(c ? c->alpha2 : NULL, "LA", "ASCII apostrophe matches U+2019");
	c = country_by_name("KOREA (DEMOCRATIC PEOPLE\342\200\231S REPUBLIC OF)");
	CHECK_STR(c ? c->alpha2 : NULL, "KP", "the spec's exact KP name");
	CHECK(country_by_name("COTE D'IVOIRE") == NULL, "accents are not stripped");
	CHECK(country_by_name("\303\267") == NULL, "÷ is not a letter to fold");
}

/* every row: valid code, sorted, unique, and both lookups lead back to it */
static void test_every_row(void)
{
	size_t bad_code = 0, unsorted = 0, by_code = 0, by_name = 0, intl = 0, terr = 0;

	CHECK_INT(country_table_len, 251, "251 rows (249 current + AN, CS)");
	for (size_t i = 0; i < country_table_len; i++) {
		const struct country *c = &country_table[i];
		if (strlen(c->alpha2) != 2 || c->alpha2[0] < 'A' || c->alpha2[0] > 'Z' ||
		    c->alpha2[1] < 'A' || c->alpha2[1] > 'Z')
			bad_code++;
		if (i && strcmp(country_table[i - 1].alpha2, c->alpha2) >= 0)
			unsorted++;
		by_code += country_by_alpha2(c->alpha2) == c;
		by_name += country_by_name(c->lob_name) == c;
		intl += c->lob_intl;
		terr += c->us_territory;
		if (c->lob_intl && c->us_territory)
			CHECK(0, "%s is both intl and a US territory", c->alpha2);
	}
	CHECK_INT(bad_code, 0, "every alpha2 is two capital letters");
	CHECK_INT(unsorted, 0, "rows sorted by alpha2, no duplicates");
	CHECK_INT(by_code, country_table_len, "every row found by its alpha2");
	CHECK_INT(by_name, country_table_len, "every row found by its name (names unique)");
	CHECK_INT(intl, 217, "217 codes in country_extended");
	CHECK_INT(terr, 9, "9 US territories");
}

static void test_territories(void)
{
	static const char *terr[] = { "US", "AS", "PR", "FM", "GU", "MH", "MP", "PW", "VI" };

	for (size_t i = 0; i < sizeof(terr) / sizeof(terr[0]); i++) {
		const struct country *c = country_by_alpha2(terr[i]);
		CHECK(c && c->us_territory && !c->lob_intl, "%s is a US territory", terr[i]);
	}
	CHECK(!country_by_alpha2("PS")->lob_intl, "PS: Lob does not accept it for intl");
	CHECK(!country_by_alpha2("UM")->us_territory, "UM is not on Lob's list");
}

int main(void)
{
	test_by_alpha2();
	test_unknown();
	test_by_name();
	test_every_row();
	test_territories();
	return test_done();
}
