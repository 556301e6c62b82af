// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Live verification verdicts: every row of the table in docs/internals/av.md, on the real
 * ZIP data and a small hand-made reference index; international postal-code formats.
 */
#include "av/intl.h"
#include "av/refdb.h"
#include "av/verify.h"
#include "av/zipdb.h"
#include "test.h"
#include <math.h>

static struct av_engine av;

static void add(struct refdb *db, const char *line, const char *num, const char *street,
		const char *unit, const char *zip5)
{
	struct ref_address a = { .primary_line = line, .primary_number = num, .street = street,
				 .unit = unit, .city = "SAN FRANCISCO", .state = "CA", .zip5 = zip5,
				 .zip4 = "1702", .lat = 37.77, .lon = -122.39 };
	refdb_add(db, &a);
}

static json_t *verify(const char *line1, const char *line2, const char *city, const char *state,
		      const char *zip)
{
	struct us_input in = { .primary_line = line1, .secondary_line = line2, .city = city,
			       .state = state, .zip_code = zip };
	return av_verify_us(&av, &in, "us_ver_test", false);
}

static const char *field(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(o, path1);
	if (path2)
		v = json_object_get(v, path2);
	return json_string_value(v);
}

static const char *first_note(json_t *o)
{
	json_t *notes = json_object_get(json_object_get(o, "deliverability_analysis"), "dpv_footnotes");
	return json_string_value(json_array_get(notes, 1) ? json_array_get(notes, 1)
							  : json_array_get(notes, 0));
}

static void expect(const char *what, json_t *o, const char *deliv, const char *dpv,
		   const char *note, bool valid)
{
	CHECK_STR(field(o, "deliverability", NULL), deliv, "%s: deliverability", what);
	CHECK_STR(field(o, "deliverability_analysis", "dpv_confirmation"), dpv, "%s: dpv", what);
	CHECK_STR(first_note(o), note, "%s: footnote", what);
	CHECK(json_is_true(json_object_get(o, "valid_address")) == valid, "%s: valid_address", what);
	json_decref(o);
}

static void test_without_reference(void)
{
	struct refdb *saved = av.refs;
	av.refs = NULL;
	json_t *o = verify("210 King Street", NULL, "san francisco", "ca", "94107");
	CHECK_STR(field(o, "primary_line", NULL), "210 KING ST", "standardised primary_line");
	CHECK_STR(field(o, "last_line", NULL), "SAN FRANCISCO CA 94107", "last_line");
	CHECK_STR(field(o, "components", "county_fips"), "06075", "county from the ZIP data");
	CHECK(json_is_null(json_object_get(json_object_get(o, "lob_confidence_score"), "score")),
	      "no delivery history: score null");
	expect("consistent, unconfirmed", o, "undeliverable", "", "AA", false);
	o = verify("210 King Street", NULL, "Boston", "MA", "94107");
	expect("city/state disagree with the ZIP", o, "undeliverable", "", "A1", false);
	o = verify("King Street", NULL, "San Francisco", "CA", "94107");
	expect("no house number", o, "undeliverable", "", "M1", false);
	o = verify("210 King St", NULL, "Belvedere Tiburon", "CA", NULL);
	CHECK_STR(field(o, "components", "zip_code"), "94920", "ZIP found from a one-ZIP city");
	json_decref(o);
	o = verify("210 King St", NULL, "San Francisco", "CA", NULL);
	CHECK_STR(field(o, "components", "zip_code"), "", "no ZIP guessed for a many-ZIP city");
	expect("many-ZIP city, consistent", o, "undeliverable", "", "AA", false);
	av.refs = saved;
}

static void test_with_reference(void)
{
	expect("exact", verify("185 Berry St", "Ste 6100", NULL, NULL, "94107"), "deliverable",
	       "Y", "BB", true);
	expect("unit missing", verify("185 Berry St", NULL, NULL, NULL, "94107"),
	       "deliverable_missing_unit", "D", "N1", true);
	expect("unit unknown", verify("185 Berry St", "Ste 1", NULL, NULL, "94107"),
	       "deliverable_incorrect_unit", "S", "CC", true);
	expect("unit not needed", verify("210 King St", "Apt 4", NULL, NULL, "94107"),
	       "deliverable_unnecessary_unit", "S", "CC", true);
	expect("covered ZIP, unknown number", verify("999 King St", NULL, NULL, NULL, "94107"),
	       "undeliverable", "N", "M3", false);
	json_t *o = verify("185 Berry St", "Ste 6100", NULL, NULL, "94107");
	CHECK_STR(field(o, "components", "zip_code_plus_4"), "1702", "ZIP+4 from the reference");
	CHECK(fabs(json_real_value(json_object_get(json_object_get(o, "components"), "latitude")) - 37.77) < 1e-9,
	      "location from the reference");
	json_decref(o);
}

static void test_proper_case(void)
{
	char out[64];
	av_proper_case("210 KING ST NW", out, sizeof(out));
	CHECK_STR(out, "210 King St NW", "directionals stay upper case");
	av_proper_case("PO BOX 123", out, sizeof(out));
	CHECK_STR(out, "PO Box 123", "PO stays upper case");
	av_proper_case("SAN FRANCISCO CA 94107", out, sizeof(out));
	CHECK_STR(out, "San Francisco CA 94107", "state code before a ZIP stays");
}

static void test_intl(void)
{
	char out[32];
	CHECK_INT(av_postal_code("CA", "c1n1c4", out, sizeof(out)), 1, "CA code fits");
	CHECK_STR(out, "C1N 1C4", "CA code formatted");
	CHECK_INT(av_postal_code("GB", "sw1a2aa", out, sizeof(out)), 1, "GB code fits");
	CHECK_STR(out, "SW1A 2AA", "GB code formatted");
	CHECK_INT(av_postal_code("CA", "12345", out, sizeof(out)), -1, "digits are no CA code");
	CHECK_INT(av_postal_code("JP", "1000001", out, sizeof(out)), 1, "JP code fits");
	CHECK_STR(out, "100-0001", "JP code formatted");
	CHECK_INT(av_postal_code("KE", "00100", out, sizeof(out)), 0, "unknown format kept");
	struct intl_input in = { .primary_line = "370 Water St", .city = "Summerside",
				 .state = "PE", .postal_code = "c1n1c4", .country = "CA" };
	json_t *o = av_verify_intl(&in, "intl_ver_test");
	CHECK_STR(field(o, "deliverability", NULL), "no_match", "nothing to match against");
	CHECK_STR(field(o, "components", "street_name"), "WATER ST", "street split");
	CHECK_STR(field(o, "last_line", NULL), "SUMMERSIDE PE C1N 1C4", "intl last_line");
	json_decref(o);
	in.postal_code = "12345";
	o = av_verify_intl(&in, "intl_ver_test");
	CHECK_STR(field(o, "deliverability", NULL), "undeliverable", "bad postal code");
	json_decref(o);
}

int main(void)
{
	char err[256];
	if (av_engine_load(&av, zipdb_default_path(), NULL, err, sizeof(err)) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	av.refs = refdb_new();
	add(av.refs, "185 BERRY ST STE 6100", "185", "BERRY ST", "STE 6100", "94107");
	add(av.refs, "185 BERRY ST STE 6200", "185", "BERRY ST", "STE 6200", "94107");
	add(av.refs, "210 KING ST", "210", "KING ST", NULL, "94107");
	refdb_freeze(av.refs);
	test_without_reference();
	test_with_reference();
	test_proper_case();
	test_intl();
	av_engine_release(&av);
	return test_done();
}
