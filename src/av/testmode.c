// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Test-key answers for the verification endpoints (see testmode.h). Bodies are data: a
 * base body per endpoint that fixes Lob's key order and the empty defaults, and for each
 * magic input a JSON patch of what differs, merged in place. It builds no address itself.
 *
 * Sources: Lob's docs and OpenAPI spec, and Lob's SDK test suites (lob-node, lob-elixir,
 * lob-ruby), which run against Lob's test environment. Verbatim from Lob's docs: the
 * `po box` US body, the intl `deliverable` body, the autocompletion test list (last 7 of
 * 10), the non-magic placeholders' first lines, the 94107 ZIP lookup. From SDK/observed
 * captures: `residential house` (whole), and the address lines of `deliverable`,
 * `residential highrise`, `unnecessary unit`, `military`, `department of state`.
 *
 * Our choices where the reference has no source ([INF] or "gap"):
 * - No body has `lob_confidence_score`: Lob's documented test body (`po box`) has none.
 *   The fields the 2018 `residential house` capture lacks are filled as in `po box`
 *   (dpv_active "Y", the other newer dpv_* and po_box_only_flag "", valid_address true).
 * - Addresses we picked: commercial highrise 185 BERRY ST STE 6100, SAN FRANCISCO CA
 *   94107-1741; rural route RR 1 BOX 123, NEWPORT NH 03773-9701 (SULLIVAN 33019, R001);
 *   puerto rico 123 AVE WINSTON CHURCHILL, URB FAIR OAKS, SAN JUAN PR 00926-2310 (SAN JUAN
 *   72127); missing unit 660 KING ST (building default, 94107-1500); incorrect unit 660 KING
 *   ST UNIT 9999; undeliverable block match 9999 BRODERICK ST, SAN FRANCISCO CA 94115;
 *   undeliverable no match 123 FAKE ST, SAN FRANCISCO CA. ZIP+4s, carrier routes and
 *   coordinates we chose are plausible, not looked up; every delivery_point_barcode is
 *   ZIP+4 + the last two digits of the box/house/unit number + a valid check digit.
 *   `deliverable` gets ZIP+4 94133-4507 (the reference has only 94133; the spec's
 *   zip_code_plus_4 pattern needs four digits).
 * - DPV: deliverable values Y [AA BB] (military and department of state [AA BB F1], no
 *   latitude/longitude since the spec omits them for AE, county NEW YORK 36061 so that
 *   county_fips fits its pattern); missing unit D [AA N1], default_building_address true;
 *   incorrect unit S [AA CC] (not the reference's D [AA C1]: the spec's S is "removing the
 *   provided secondary ... incorrect or unnecessary", and C1, though in Lob's footnote
 *   table, is missing from the spec's dpv_footnote enum, so responses could not validate); unnecessary unit S [AA CC], the unit kept in
 *   secondary_designator/number; block match N [AA M3]; no match "" [A1]. Undeliverable
 *   bodies have valid_address false and no latitude/longitude.
 * - Non-magic US body: undeliverable, every component "" (as Lob sends for no match: its
 *   SDKs accept "" for zip_code, zip_code_plus_4 and county_fips despite the patterns),
 *   dpv "" [A1]. The no-match bodies are the only ones with "" where the spec has a
 *   pattern or an enum without "" (carrier_route_type).
 * - Default ids (id == NULL): us_ver_po_box as documented, us_ver_<value with _> for the
 *   other magic values, us_ver_c7cb63d68f8d6 (the spec's example) for the placeholder;
 *   intl_ver_c7cb63d68f8d6, us_zip_c7cb63d68f8d6, us_reverse_geocode_8a013f3e, and always
 *   us_auto_a3ac97bcfbb2460ab20c.
 * - Autocompletion: the first three of the ten (seen only for "1 s", "1 su", "1 sug") are
 *   TELEPHONE AVE, ANCHORAGE AK 99503; TELEGRAPH AVE, OAKLAND CA 94612; TELEGRAPH RD,
 *   MONROE MI 48162. The primary number is any 1–15 letters, digits or '-', echoed upper
 *   case. Filters apply to the magic list only, after cutting it to N. The placeholder's
 *   state is "" and zip_code "11111" (the spec's pattern needs digits).
 * - Intl: magic values also match `address`. All four magic bodies are Canadian (country
 *   CA, coverage SUBBUILDING) whatever country was sent. deliverable missing info: 100 KING
 *   ST W, TORONTO ON M5X 1A9, LM3 (a suite building, several matches); undeliverable: 9999
 *   WATER ST, SUMMERSIDE PE C1N 1C4, LM2; no match: LU1, lines and components "".
 *   Placeholder: no_match, LU1, coverage SUBBUILDING, the request's country if two letters
 *   (else ""), and lines worded like the US ones (the intl docs anchor is our guess).
 * - ZIP lookups: a table of the ZIPs used here (APO/DPO AE in NEW YORK 36061, as above).
 * - Reverse geocode: five fixed addresses near 3rd & Townsend, SAN FRANCISCO, nearest first
 *   (94103, 94107, 94103, 94103, 94102); distances are from Lob's SDK test point
 *   (37.777456, -122.393039) and do not follow the request.
 */
#include "av/testmode.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#define TEST_RECIPIENT "TEST KEYS DO NOT VERIFY ADDRESSES"

/* ---------------------------------------------------------------------------------------
 * US verification data
 * ------------------------------------------------------------------------------------ */

static const char us_base[] =
	"{\"id\":\"\",\"recipient\":\"" TEST_RECIPIENT "\",\"primary_line\":\"\","
	"\"secondary_line\":\"\",\"urbanization\":\"\",\"last_line\":\"\","
	"\"deliverability\":\"undeliverable\",\"valid_address\":false,"
	"\"components\":{\"primary_number\":\"\",\"street_predirection\":\"\","
	"\"street_name\":\"\",\"street_suffix\":\"\",\"street_postdirection\":\"\","
	"\"secondary_designator\":\"\",\"secondary_number\":\"\",\"pmb_designator\":\"\","
	"\"pmb_number\":\"\",\"extra_secondary_designator\":\"\","
	"\"extra_secondary_number\":\"\",\"city\":\"\",\"state\":\"\",\"zip_code\":\"\","
	"\"zip_code_plus_4\":\"\",\"zip_code_type\":\"\",\"delivery_point_barcode\":\"\","
	"\"address_type\":\"\",\"record_type\":\"\",\"default_building_address\":false,"
	"\"county\":\"\",\"county_fips\":\"\",\"carrier_route\":\"\","
	"\"carrier_route_type\":\"\",\"po_box_only_flag\":\"\"},"
	"\"deliverability_analysis\":{\"dpv_confirmation\":\"\",\"dpv_cmra\":\"\","
	"\"dpv_vacant\":\"\",\"dpv_active\":\"\",\"dpv_inactive_reason\":\"\","
	"\"dpv_throwback\":\"\",\"dpv_non_delivery_day_flag\":\"\","
	"\"dpv_non_delivery_day_values\":\"\",\"dpv_no_secure_location\":\"\","
	"\"dpv_door_not_accessible\":\"\",\"dpv_footnotes\":[\"A1\"],\"ews_match\":false,"
	"\"lacs_indicator\":\"\",\"lacs_return_code\":\"\",\"suite_return_code\":\"\"},"
	"\"object\":\"us_verification\"}";

/* the analysis of a confirmed delivery point, as in Lob's `po box` body */
#define DPV_Y(foot) \
	"\"deliverability_analysis\":{\"dpv_confirmation\":\"Y\",\"dpv_cmra\":\"N\"," \
	"\"dpv_vacant\":\"N\",\"dpv_active\":\"Y\",\"dpv_footnotes\":[" foot "]}"
#define DPV(conf, foot) \
	"\"deliverability_analysis\":{\"dpv_confirmation\":\"" conf "\",\"dpv_cmra\":\"N\"," \
	"\"dpv_vacant\":\"N\",\"dpv_active\":\"Y\",\"dpv_footnotes\":[" foot "]}"
#define SF "\"city\":\"SAN FRANCISCO\",\"state\":\"CA\","
#define SF_COUNTY "\"county\":\"SAN FRANCISCO\",\"county_fips\":\"06075\","
#define AE_COUNTY "\"county\":\"NEW YORK\",\"county_fips\":\"36061\","
#define OK_TOP(line1, line2) \
	"\"primary_line\":\"" line1 "\",\"last_line\":\"" line2 "\"," \
	"\"deliverability\":\"deliverable\",\"valid_address\":true,"

struct magic {
	const char *input;	/* lower case; matched trimmed, ignoring case */
	const char *id;		/* the id when the caller gives none */
	const char *patch;	/* JSON merged into the base body */
};

static const struct magic us_magic[] = {
	{ "commercial highrise", "us_ver_commercial_highrise", "{"
	  OK_TOP("185 BERRY ST STE 6100", "SAN FRANCISCO CA 94107-1741")
	  "\"components\":{\"primary_number\":\"185\",\"street_name\":\"BERRY\","
	  "\"street_suffix\":\"ST\",\"secondary_designator\":\"STE\","
	  "\"secondary_number\":\"6100\","
	  SF "\"zip_code\":\"94107\",\"zip_code_plus_4\":\"1741\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941071741006\",\"address_type\":\"commercial\","
	  "\"record_type\":\"highrise\"," SF_COUNTY "\"carrier_route\":\"C031\","
	  "\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.776633,\"longitude\":-122.392537}," DPV_Y("\"AA\",\"BB\"") "}" },
	{ "residential highrise", "us_ver_residential_highrise", "{"
	  OK_TOP("660 KING ST UNIT 305", "SAN FRANCISCO CA 94107-1539")
	  "\"components\":{\"primary_number\":\"660\",\"street_name\":\"KING\","
	  "\"street_suffix\":\"ST\",\"secondary_designator\":\"UNIT\","
	  "\"secondary_number\":\"305\","
	  SF "\"zip_code\":\"94107\",\"zip_code_plus_4\":\"1539\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941071539056\",\"address_type\":\"residential\","
	  "\"record_type\":\"highrise\"," SF_COUNTY "\"carrier_route\":\"C032\","
	  "\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.771862,\"longitude\":-122.400218}," DPV_Y("\"AA\",\"BB\"") "}" },
	{ "residential house", "us_ver_residential_house", "{"
	  OK_TOP("1709 BRODERICK ST", "SAN FRANCISCO CA 94115-2525")
	  "\"components\":{\"primary_number\":\"1709\",\"street_name\":\"BRODERICK\","
	  "\"street_suffix\":\"ST\","
	  SF "\"zip_code\":\"94115\",\"zip_code_plus_4\":\"2525\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941152525097\",\"address_type\":\"residential\","
	  "\"record_type\":\"street\"," SF_COUNTY "\"carrier_route\":\"C021\","
	  "\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.786029686706215,\"longitude\":-122.4418536183508},"
	  DPV_Y("\"AA\",\"BB\"") "}" },
	{ "po box", "us_ver_po_box", "{"
	  OK_TOP("PO BOX 720114", "SAN FRANCISCO CA 94172-0114")
	  "\"components\":{\"primary_number\":\"720114\",\"street_name\":\"PO BOX\","
	  SF "\"zip_code\":\"94172\",\"zip_code_plus_4\":\"0114\",\"zip_code_type\":\"po_box\","
	  "\"delivery_point_barcode\":\"941720114146\",\"address_type\":\"residential\","
	  "\"record_type\":\"po_box\"," SF_COUNTY "\"carrier_route\":\"BOO2\","
	  "\"carrier_route_type\":\"po_box\","
	  "\"latitude\":37.75971500260575,\"longitude\":-122.69397561170017},"
	  DPV_Y("\"AA\",\"BB\"") "}" },
	{ "rural route", "us_ver_rural_route", "{"
	  OK_TOP("RR 1 BOX 123", "NEWPORT NH 03773-9701")
	  "\"components\":{\"primary_number\":\"123\",\"street_name\":\"RR 1 BOX\","
	  "\"city\":\"NEWPORT\",\"state\":\"NH\",\"zip_code\":\"03773\","
	  "\"zip_code_plus_4\":\"9701\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"037739701238\",\"address_type\":\"residential\","
	  "\"record_type\":\"rural_route\",\"county\":\"SULLIVAN\",\"county_fips\":\"33019\","
	  "\"carrier_route\":\"R001\",\"carrier_route_type\":\"rural_route\","
	  "\"latitude\":43.36529,\"longitude\":-72.17342}," DPV_Y("\"AA\",\"BB\"") "}" },
	{ "puerto rico", "us_ver_puerto_rico", "{"
	  "\"urbanization\":\"URB FAIR OAKS\","
	  OK_TOP("123 AVE WINSTON CHURCHILL", "SAN JUAN PR 00926-2310")
	  "\"components\":{\"primary_number\":\"123\","
	  "\"street_name\":\"AVE WINSTON CHURCHILL\",\"city\":\"SAN JUAN\",\"state\":\"PR\","
	  "\"zip_code\":\"00926\",\"zip_code_plus_4\":\"2310\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"009262310232\",\"address_type\":\"residential\","
	  "\"record_type\":\"street\",\"county\":\"SAN JUAN\",\"county_fips\":\"72127\","
	  "\"carrier_route\":\"C012\",\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":18.38655,\"longitude\":-66.06027}," DPV_Y("\"AA\",\"BB\"") "}" },
	{ "military", "us_ver_military", "{"
	  OK_TOP("CMR 409 BOX 145", "APO AE 09053-0002")
	  "\"components\":{\"primary_number\":\"145\",\"street_name\":\"CMR 409 BOX\","
	  "\"city\":\"APO\",\"state\":\"AE\",\"zip_code\":\"09053\",\"zip_code_plus_4\":\"0002\","
	  "\"zip_code_type\":\"military\",\"delivery_point_barcode\":\"090530002452\","
	  "\"address_type\":\"residential\",\"record_type\":\"po_box\"," AE_COUNTY
	  "\"carrier_route\":\"B001\",\"carrier_route_type\":\"po_box\"},"
	  DPV_Y("\"AA\",\"BB\",\"F1\"") "}" },
	{ "department of state", "us_ver_department_of_state", "{"
	  OK_TOP("UNIT 8900 BOX 4301", "DPO AE 09831-4301")
	  "\"components\":{\"primary_number\":\"4301\",\"street_name\":\"UNIT 8900 BOX\","
	  "\"city\":\"DPO\",\"state\":\"AE\",\"zip_code\":\"09831\",\"zip_code_plus_4\":\"4301\","
	  "\"zip_code_type\":\"military\",\"delivery_point_barcode\":\"098314301010\","
	  "\"address_type\":\"residential\",\"record_type\":\"po_box\"," AE_COUNTY
	  "\"carrier_route\":\"B001\",\"carrier_route_type\":\"po_box\"},"
	  DPV_Y("\"AA\",\"BB\",\"F1\"") "}" },
	{ "deliverable", "us_ver_deliverable", "{"
	  OK_TOP("1 TELEGRAPH HILL BLVD", "SAN FRANCISCO CA 94133-4507")
	  "\"components\":{\"primary_number\":\"1\",\"street_name\":\"TELEGRAPH HILL\","
	  "\"street_suffix\":\"BLVD\","
	  SF "\"zip_code\":\"94133\",\"zip_code_plus_4\":\"4507\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941334507013\",\"address_type\":\"commercial\","
	  "\"record_type\":\"street\"," SF_COUNTY "\"carrier_route\":\"C018\","
	  "\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.802395,\"longitude\":-122.405822}," DPV_Y("\"AA\",\"BB\"") "}" },
	{ "missing unit", "us_ver_missing_unit", "{"
	  "\"primary_line\":\"660 KING ST\",\"last_line\":\"SAN FRANCISCO CA 94107-1500\","
	  "\"deliverability\":\"deliverable_missing_unit\",\"valid_address\":true,"
	  "\"components\":{\"primary_number\":\"660\",\"street_name\":\"KING\","
	  "\"street_suffix\":\"ST\","
	  SF "\"zip_code\":\"94107\",\"zip_code_plus_4\":\"1500\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941071500607\",\"address_type\":\"residential\","
	  "\"record_type\":\"highrise\",\"default_building_address\":true," SF_COUNTY
	  "\"carrier_route\":\"C032\",\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.771862,\"longitude\":-122.400218}," DPV("D", "\"AA\",\"N1\"") "}" },
	{ "incorrect unit", "us_ver_incorrect_unit", "{"
	  "\"primary_line\":\"660 KING ST UNIT 9999\","
	  "\"last_line\":\"SAN FRANCISCO CA 94107-1500\","
	  "\"deliverability\":\"deliverable_incorrect_unit\",\"valid_address\":true,"
	  "\"components\":{\"primary_number\":\"660\",\"street_name\":\"KING\","
	  "\"street_suffix\":\"ST\",\"secondary_designator\":\"UNIT\","
	  "\"secondary_number\":\"9999\","
	  SF "\"zip_code\":\"94107\",\"zip_code_plus_4\":\"1500\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941071500607\",\"address_type\":\"residential\","
	  "\"record_type\":\"highrise\",\"default_building_address\":true," SF_COUNTY
	  "\"carrier_route\":\"C032\",\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.771862,\"longitude\":-122.400218}," DPV("S", "\"AA\",\"CC\"") "}" },
	{ "unnecessary unit", "us_ver_unnecessary_unit", "{"
	  "\"primary_line\":\"1709 BRODERICK ST APT 505\","
	  "\"last_line\":\"SAN FRANCISCO CA 94115-2525\","
	  "\"deliverability\":\"deliverable_unnecessary_unit\",\"valid_address\":true,"
	  "\"components\":{\"primary_number\":\"1709\",\"street_name\":\"BRODERICK\","
	  "\"street_suffix\":\"ST\",\"secondary_designator\":\"APT\","
	  "\"secondary_number\":\"505\","
	  SF "\"zip_code\":\"94115\",\"zip_code_plus_4\":\"2525\",\"zip_code_type\":\"standard\","
	  "\"delivery_point_barcode\":\"941152525097\",\"address_type\":\"residential\","
	  "\"record_type\":\"street\"," SF_COUNTY "\"carrier_route\":\"C021\","
	  "\"carrier_route_type\":\"city_delivery\","
	  "\"latitude\":37.786029686706215,\"longitude\":-122.4418536183508},"
	  DPV("S", "\"AA\",\"CC\"") "}" },
	{ "undeliverable block match", "us_ver_undeliverable_block_match", "{"
	  "\"primary_line\":\"9999 BRODERICK ST\",\"last_line\":\"SAN FRANCISCO CA 94115\","
	  "\"components\":{\"primary_number\":\"9999\",\"street_name\":\"BRODERICK\","
	  "\"street_suffix\":\"ST\"," SF "\"zip_code\":\"94115\","
	  "\"zip_code_type\":\"standard\",\"county\":\"SAN FRANCISCO\","
	  "\"county_fips\":\"06075\"},"
	  "\"deliverability_analysis\":{\"dpv_confirmation\":\"N\","
	  "\"dpv_footnotes\":[\"AA\",\"M3\"]}}" },
	{ "undeliverable no match", "us_ver_undeliverable_no_match", "{"
	  "\"primary_line\":\"123 FAKE ST\",\"last_line\":\"SAN FRANCISCO CA\","
	  "\"components\":{\"primary_number\":\"123\",\"street_name\":\"FAKE\","
	  "\"street_suffix\":\"ST\",\"city\":\"SAN FRANCISCO\",\"state\":\"CA\"}}" },
};

/* SDK-ex us_verification_test.exs: what a non-magic address gets */
static const struct magic us_placeholder = { "", "us_ver_c7cb63d68f8d6", "{"
	"\"primary_line\":\"SET `primary_line` TO 'deliverable' and `zip_code` to '11111' TO "
	"SIMULATE AN ADDRESS\",\"secondary_line\":\"SEE "
	"https://www.lob.com/docs#us-verification-test-environment FOR MORE INFO\"}" };

/* ---------------------------------------------------------------------------------------
 * Intl verification data
 * ------------------------------------------------------------------------------------ */

static const char intl_base[] =
	"{\"id\":\"\",\"recipient\":\"" TEST_RECIPIENT "\",\"primary_line\":\"\","
	"\"secondary_line\":\"\",\"last_line\":\"\",\"country\":\"CA\","
	"\"coverage\":\"SUBBUILDING\",\"deliverability\":\"no_match\",\"status\":\"LU1\","
	"\"components\":{\"primary_number\":\"\",\"street_name\":\"\",\"city\":\"\","
	"\"state\":\"\",\"postal_code\":\"\"},\"object\":\"intl_verification\"}";

#define INTL_ID "intl_ver_c7cb63d68f8d6"

static const struct magic intl_magic[] = {
	{ "deliverable", INTL_ID, "{"
	  "\"primary_line\":\"370 WATER ST\",\"last_line\":\"SUMMERSIDE PE C1N 1C4\","
	  "\"deliverability\":\"deliverable\",\"status\":\"LV4\","
	  "\"components\":{\"primary_number\":\"370\",\"street_name\":\"WATER ST\","
	  "\"city\":\"SUMMERSIDE\",\"state\":\"PE\",\"postal_code\":\"C1N 1C4\"}}" },
	{ "deliverable missing info", INTL_ID, "{"
	  "\"primary_line\":\"100 KING ST W\",\"last_line\":\"TORONTO ON M5X 1A9\","
	  "\"deliverability\":\"deliverable_missing_info\",\"status\":\"LM3\","
	  "\"components\":{\"primary_number\":\"100\",\"street_name\":\"KING ST W\","
	  "\"city\":\"TORONTO\",\"state\":\"ON\",\"postal_code\":\"M5X 1A9\"}}" },
	{ "undeliverable", INTL_ID, "{"
	  "\"primary_line\":\"9999 WATER ST\",\"last_line\":\"SUMMERSIDE PE C1N 1C4\","
	  "\"deliverability\":\"undeliverable\",\"status\":\"LM2\","
	  "\"components\":{\"primary_number\":\"9999\",\"street_name\":\"WATER ST\","
	  "\"city\":\"SUMMERSIDE\",\"state\":\"PE\",\"postal_code\":\"C1N 1C4\"}}" },
	{ "no match", INTL_ID, "{}" },
};

static const struct magic intl_placeholder = { "", INTL_ID, "{"
	"\"primary_line\":\"SET `primary_line` TO 'deliverable' and `country` TO 'CA' TO "
	"SIMULATE AN ADDRESS\",\"secondary_line\":\"SEE "
	"https://www.lob.com/docs#intl-verification-test-environment FOR MORE INFO\","
	"\"country\":\"\"}" };

/* ---------------------------------------------------------------------------------------
 * Autocompletion, ZIP lookup and reverse geocode data
 * ------------------------------------------------------------------------------------ */

#define AUTO_ID "us_auto_a3ac97bcfbb2460ab20c"
#define AUTO_ZERO "0 suggestions"
#define AUTO_WORD "suggestion"

struct suggestion {
	const char *street, *city, *state, *zip;
};

/* "1 s" gives all ten, "1 suggestion" the last one; the first three are our choice */
static const struct suggestion auto_list[] = {
	{ "TELEPHONE AVE", "ANCHORAGE", "AK", "99503" },
	{ "TELEGRAPH AVE", "OAKLAND", "CA", "94612" },
	{ "TELEGRAPH RD", "MONROE", "MI", "48162" },
	{ "TELEPHONE RD", "OXFORD", "AR", "72565" },
	{ "TELEGA PL", "PALMDALE", "CA", "93550" },
	{ "TELEGRAM AVE", "ELMONT", "NY", "11003" },
	{ "TELEGRAM AVE", "GARDEN CITY", "KS", "67846" },
	{ "TELEGRAPH HILL RD", "HOLMDEL", "NJ", "07733" },
	{ "TELEGRAPH HILL RD S", "HOLMDEL", "NJ", "07733" },
	{ "TELEGRAPH HILL BLVD", "SAN FRANCISCO", "CA", "94133" },
};
#define AUTO_MAX (sizeof(auto_list) / sizeof(auto_list[0]))

static const struct suggestion auto_placeholder = {
	"TEST KEYS DO NOT AUTOCOMPLETE US ADDRESSES",
	"SET `address_prefix` to '1 suggestion' TO SIMULATE AN AUTOCOMPLETION", "", "11111"
};

struct zip_row {
	const char *zip, *type, *city, *state, *county, *fips;
};

static const struct zip_row zip_table[] = {
	{ "00926", "standard", "SAN JUAN", "PR", "SAN JUAN", "72127" },
	{ "03773", "standard", "NEWPORT", "NH", "SULLIVAN", "33019" },
	{ "09053", "military", "APO", "AE", "NEW YORK", "36061" },
	{ "09831", "military", "DPO", "AE", "NEW YORK", "36061" },
	{ "94102", "standard", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
	{ "94103", "standard", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
	{ "94105", "standard", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
	{ "94107", "standard", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
	{ "94115", "standard", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
	{ "94133", "standard", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
	{ "94172", "po_box", "SAN FRANCISCO", "CA", "SAN FRANCISCO", "06075" },
};

#define ZIP_ID "us_zip_c7cb63d68f8d6"

struct geo_row {
	const char *zip, *plus4;
	double lat, lon, miles;
};

static const struct geo_row geo_table[] = {
	{ "94103", "3117", 37.778102, -122.394221, 0.08 },
	{ "94107", "1702", 37.775975, -122.392956, 0.10 },
	{ "94103", "3402", 37.776415, -122.395830, 0.17 },
	{ "94103", "1911", 37.780234, -122.398907, 0.37 },
	{ "94102", "4733", 37.779812, -122.414561, 1.19 },
};
#define GEO_MAX ((int)(sizeof(geo_table) / sizeof(geo_table[0])))

#define GEO_ID "us_reverse_geocode_8a013f3e"

/* ---------------------------------------------------------------------------------------
 * Helpers
 * ------------------------------------------------------------------------------------ */

/* a string field of req, or NULL when absent or not a string */
static const char *req_str(const json_t *req, const char *key)
{
	return json_string_value(json_object_get(req, key));
}

/* s without its leading and trailing white space: *out, *len */
static void trim(const char *s, const char **out, size_t *len)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	*out = s;
	*len = n;
}

/* s equals word after trimming, ignoring case */
static bool same_word(const char *s, const char *word)
{
	const char *t;
	size_t n;

	trim(s, &t, &n);
	return n == strlen(word) && strncasecmp(t, word, n) == 0;
}

/* the line magic values are matched against: primary_line, else address */
static const char *magic_line(const json_t *req)
{
	const char *s = req_str(req, "primary_line");

	return s ? s : req_str(req, "address");
}

static const struct magic *magic_find(const struct magic *tab, size_t n, const char *line)
{
	size_t i;

	for (i = 0; line && i < n; i++)
		if (same_word(line, tab[i].input))
			return &tab[i];
	return NULL;
}

/* copies patch into dst, recursing into objects both have, so dst keeps its key order */
static void merge(json_t *dst, json_t *patch)
{
	const char *key;
	json_t *val, *old;

	json_object_foreach(patch, key, val) {
		old = json_object_get(dst, key);
		if (json_is_object(old) && json_is_object(val))
			merge(old, val);
		else
			json_object_set(dst, key, val);
	}
}

/* the base body with row's patch merged in and the id set (caller's, else the row's) */
static json_t *body_build(const char *base, const struct magic *row, const char *id)
{
	json_t *body = json_loads(base, 0, NULL);
	json_t *patch = json_loads(row->patch, 0, NULL);

	if (!body || !patch) {
		json_decref(body);
		json_decref(patch);
		return NULL;
	}
	merge(body, patch);
	json_decref(patch);
	json_object_set_new(body, "id", json_string(id && *id ? id : row->id));
	return body;
}

/* ---------------------------------------------------------------------------------------
 * US and intl verification
 * ------------------------------------------------------------------------------------ */

json_t *testmode_us_verification(const json_t *req, const char *id)
{
	size_t n = sizeof(us_magic) / sizeof(us_magic[0]);
	const struct magic *row = magic_find(us_magic, n, magic_line(req));

	return body_build(us_base, row ? row : &us_placeholder, id);
}

/* the request's country for the placeholder: two ASCII letters, upper-cased, else "" */
static void intl_country(json_t *body, const json_t *req)
{
	const char *c = req_str(req, "country");
	const char *t;
	size_t n;
	char cc[3] = "";

	if (c) {
		trim(c, &t, &n);
		if (n == 2 && isalpha((unsigned char)t[0]) && isalpha((unsigned char)t[1])) {
			cc[0] = (char)toupper((unsigned char)t[0]);
			cc[1] = (char)toupper((unsigned char)t[1]);
		}
	}
	json_object_set_new(body, "country", json_string(cc));
}

json_t *testmode_intl_verification(const json_t *req, const char *id)
{
	size_t n = sizeof(intl_magic) / sizeof(intl_magic[0]);
	const struct magic *row = magic_find(intl_magic, n, magic_line(req));
	json_t *body;

	if (row)
		return body_build(intl_base, row, id);
	body = body_build(intl_base, &intl_placeholder, id);
	if (body)
		intl_country(body, req);
	return body;
}

/* ---------------------------------------------------------------------------------------
 * US autocompletion
 * ------------------------------------------------------------------------------------ */

/*
 * How many test suggestions address_prefix asks for (0–10), the primary number in num
 * (upper case); -1 when it is not a magic prefix.
 */
static int auto_count(const char *prefix, char *num, size_t numsz)
{
	const char *s, *w, *end;
	size_t len, n, i;

	if (!prefix)
		return -1;
	if (same_word(prefix, AUTO_ZERO))
		return 0;
	trim(prefix, &s, &len);
	end = s + len;
	for (n = 0; n < len && (isalnum((unsigned char)s[n]) || s[n] == '-'); n++)
		;
	if (n == 0 || n >= numsz || n == len || !isspace((unsigned char)s[n]))
		return -1;
	for (w = s + n; w < end && isspace((unsigned char)*w); w++)
		;
	if (w == end || (size_t)(end - w) > strlen(AUTO_WORD) ||
	    strncasecmp(w, AUTO_WORD, (size_t)(end - w)) != 0)
		return -1;
	for (i = 0; i < n; i++)
		num[i] = (char)toupper((unsigned char)s[i]);
	num[n] = '\0';
	return (int)(strlen(AUTO_WORD) + 1 - (size_t)(end - w));
}

/*
 * True when req has a filter `key` (a non-empty string) that value fails: equal ignoring
 * case, or with prefix (the ZIP filter "matches partial entries") a start of value.
 */
static bool auto_filtered(const json_t *req, const char *key, const char *value, bool prefix)
{
	const char *want = req_str(req, key);
	const char *t;
	size_t n;

	if (!want)
		return false;
	trim(want, &t, &n);
	if (n == 0)
		return false;
	if (prefix ? n > strlen(value) : n != strlen(value))
		return true;
	return strncasecmp(value, t, n) != 0;
}

static json_t *auto_item(const char *num, const struct suggestion *s)
{
	char line[96];

	if (num)
		snprintf(line, sizeof(line), "%s %s", num, s->street);
	return json_pack("{s:s, s:s, s:s, s:s}", "primary_line", num ? line : s->street,
			 "city", s->city, "state", s->state, "zip_code", s->zip);
}

static json_t *auto_list_for(const json_t *req, int count, const char *num)
{
	json_t *list = json_array();
	const struct suggestion *s;
	size_t i;

	for (i = AUTO_MAX - (size_t)count; list && i < AUTO_MAX; i++) {
		s = &auto_list[i];
		if (auto_filtered(req, "city", s->city, false) ||
		    auto_filtered(req, "state", s->state, false) ||
		    auto_filtered(req, "zip_code", s->zip, true))
			continue;
		json_array_append_new(list, auto_item(num, s));
	}
	return list;
}

json_t *testmode_us_autocompletion(const json_t *req)
{
	char num[16];
	int count = auto_count(req_str(req, "address_prefix"), num, sizeof(num));
	json_t *list;

	if (count < 0) {
		list = json_array();
		json_array_append_new(list, auto_item(NULL, &auto_placeholder));
	} else {
		list = auto_list_for(req, count, num);
	}
	if (!list)
		return NULL;
	return json_pack("{s:s, s:o, s:s}", "id", AUTO_ID, "suggestions", list,
			 "object", "us_autocompletion");
}

/* ---------------------------------------------------------------------------------------
 * ZIP lookup and reverse geocode
 * ------------------------------------------------------------------------------------ */

static const struct zip_row *zip_find(const char *zip)
{
	size_t i;

	for (i = 0; zip && i < sizeof(zip_table) / sizeof(zip_table[0]); i++)
		if (same_word(zip, zip_table[i].zip))
			return &zip_table[i];
	return NULL;
}

json_t *testmode_zip_lookup(const json_t *req, const char *id)
{
	const char *zip = req_str(req, "zip_code");
	const struct zip_row *z = zip_find(zip);
	json_t *cities = json_array();

	if (z)
		json_array_append_new(cities, json_pack("{s:s, s:s, s:s, s:s, s:b}",
			"city", z->city, "state", z->state, "county", z->county,
			"county_fips", z->fips, "preferred", 1));
	/* key order of Lob's example (resources/zip_lookups/responses) */
	return json_pack("{s:s, s:o, s:s, s:s, s:s}", "id", id && *id ? id : ZIP_ID,
			 "cities", cities, "zip_code_type", z ? z->type : "",
			 "object", "us_zip_lookup", "zip_code", z ? z->zip : zip ? zip : "");
}

static json_t *geo_item(const struct geo_row *g)
{
	return json_pack("{s:{s:s, s:s}, s:{s:f, s:f, s:f}}",
			 "components", "zip_code", g->zip, "zip_code_plus_4", g->plus4,
			 "location_analysis", "latitude", g->lat, "longitude", g->lon,
			 "distance", g->miles);
}

json_t *testmode_reverse_geocode(const json_t *req, const char *id)
{
	json_t *size = json_object_get(req, "size");
	json_t *list = json_array();
	json_int_t n = GEO_MAX;
	json_int_t i;

	if (json_is_integer(size))
		n = json_integer_value(size);
	if (n < 1)
		n = 1;
	if (n > GEO_MAX)
		n = GEO_MAX;
	for (i = 0; list && i < n; i++)
		json_array_append_new(list, geo_item(&geo_table[i]));
	return json_pack("{s:s, s:o, s:s}", "id", id && *id ? id : GEO_ID,
			 "addresses", list, "object", "us_reverse_geocode_lookup");
}
