// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Reference address index: hand-added addresses through every match outcome and prefix
 * filter, then small OpenAddresses and NAD files through the loaders.
 */
#include "av/refdb.h"
#include "test.h"
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static void add(struct refdb *db, const char *num, const char *street, const char *unit,
		const char *city, const char *state, const char *zip5)
{
	char line[128];
	struct ref_address a = {
		.primary_line = line, .primary_number = num, .street = street, .unit = unit,
		.city = city, .state = state, .zip5 = zip5, .zip4 = "1234", .lat = 37.78,
		.lon = -122.39,
	};

	snprintf(line, sizeof(line), "%s %s%s%s", num, street, unit ? " " : "", unit ? unit : "");
	CHECK_INT(refdb_add(db, &a), 0, "add %s in %s", line, zip5);
}

static struct refdb *hand_db(void)
{
	struct refdb *db = refdb_new();
	struct ref_address bad = { .primary_line = "1 X ST", .primary_number = "1",
				   .street = "X ST", .zip5 = "9410" };

	add(db, "210", "KING ST", NULL, "SAN FRANCISCO", "CA", "94107");
	add(db, "210", "KING ST", "STE 6100", "SAN FRANCISCO", "CA", "94107");
	add(db, "210", "KING ST", "STE 6200", "SAN FRANCISCO", "CA", "94107");
	add(db, "1", "TELEGRAPH HILL BLVD", NULL, "SAN FRANCISCO", "CA", "94133");
	add(db, "1", "telegraph hill blvd", NULL, "San Francisco", "ca", "94133"); /* repeat */
	add(db, "500", "MAIN ST", "APT 1", "NEW YORK", "NY", "10001");
	add(db, "500", "MAIN ST", "APT 2", "NEW YORK", "NY", "10001");
	add(db, "210", "KING ST", NULL, "NEW YORK", "NY", "10001");
	add(db, "210", "KINGS RD", NULL, "LOS ANGELES", "CA", "90210");
	add(db, "2100", "PINE ST", NULL, "SAN FRANCISCO", "CA", "94115");
	CHECK_INT(refdb_add(db, &bad), -1, "four-digit ZIP refused");
	bad.zip5 = "94107";
	bad.street = "";
	CHECK_INT(refdb_add(db, &bad), -1, "empty street refused");
	CHECK_INT(refdb_count(db), 10, "ten added before freeze");
	CHECK_INT(refdb_freeze(db), 0, "freeze");
	CHECK_INT(refdb_count(db), 9, "the repeat is dropped");
	CHECK_INT(refdb_add(db, &bad), -1, "no adds after freeze");
	return db;
}

static void test_match(const struct refdb *db)
{
	const struct ref_address *f;

	CHECK(refdb_match(db, "94107", "210", "KING ST", "STE 6100", &f) == REF_EXACT &&
	      f && strcmp(f->unit, "STE 6100") == 0, "unit row: exact");
	CHECK(f && strcmp(f->primary_line, "210 KING ST STE 6100") == 0 &&
	      strcmp(f->zip4, "1234") == 0 && strcmp(f->city, "SAN FRANCISCO") == 0,
	      "exact: the row's fields");
	CHECK(refdb_match(db, "94107", "210", "king st", "ste 6100", NULL) == REF_EXACT,
	      "case-insensitive, found may be NULL");
	CHECK(refdb_match(db, "94107", "210", "KING ST", "# 6200", &f) == REF_EXACT && f &&
	      strcmp(f->unit, "STE 6200") == 0, "other designator, same number: exact");
	CHECK(refdb_match(db, "94107", "210", "KING ST", NULL, &f) == REF_STREET_ONLY && f &&
	      f->unit == NULL, "building with units, no unit given: street only (base row)");
	CHECK(refdb_match(db, "94107", "210", "KING ST", "", &f) == REF_STREET_ONLY,
	      "empty unit is no unit");
	CHECK(refdb_match(db, "94107", "210", "KING ST", "STE 9999", &f) == REF_UNIT_UNKNOWN &&
	      f && f->unit == NULL, "unknown unit");
	CHECK(refdb_match(db, "94133", "1", "TELEGRAPH HILL BLVD", NULL, &f) == REF_EXACT &&
	      f && f->unit == NULL, "building without units: exact");
	CHECK(refdb_match(db, "94133", "1", "TELEGRAPH HILL BLVD", "APT 1", &f) ==
	      REF_UNIT_NOT_NEEDED && f, "unit given where none exist: not needed");
	CHECK(refdb_match(db, "10001", "500", "MAIN ST", NULL, &f) == REF_STREET_ONLY && f &&
	      strcmp(f->unit, "APT 1") == 0, "only unit rows: street only, first unit row");
	CHECK(refdb_match(db, "10001", "500", "MAIN ST", "APT 3", &f) == REF_UNIT_UNKNOWN,
	      "only unit rows, unknown unit");
	CHECK(refdb_match(db, "94107", "211", "KING ST", NULL, &f) == REF_NONE && f == NULL,
	      "wrong number: none");
	CHECK(refdb_match(db, "94108", "210", "KING ST", NULL, &f) == REF_NONE, "wrong ZIP");
	CHECK(refdb_match(db, "9410", "210", "KING ST", NULL, &f) == REF_NONE, "bad ZIP");
	CHECK(refdb_street_exists(db, "94107", "king st"), "street exists");
	CHECK(!refdb_street_exists(db, "94107", "QUEEN ST"), "street does not exist");
	CHECK(!refdb_street_exists(db, "94107", "KING"), "street is not a prefix match");
}

static bool lines_are(const struct ref_address **out, size_t n, const char *const *want,
		      size_t nwant)
{
	if (n != nwant)
		return false;
	for (size_t i = 0; i < n; i++)
		if (strcmp(out[i]->primary_line, want[i]) != 0)
			return false;
	return true;
}

static void test_prefix(const struct refdb *db)
{
	static const char *const all[] = {
		"210 KING ST", "210 KING ST", "210 KING ST STE 6100", "210 KING ST STE 6200",
		"210 KINGS RD",
	};
	const struct ref_address *out[10];
	size_t n = refdb_prefix(db, "210 ki", NULL, NULL, NULL, out, 10);

	CHECK(lines_are(out, n, all, 5), "210 ki: five, sorted (%zu)", n);
	CHECK(n == 5 && strcmp(out[0]->state, "CA") == 0 && strcmp(out[1]->state, "NY") == 0,
	      "equal lines ordered by state");
	n = refdb_prefix(db, "  210   KI", NULL, NULL, NULL, out, 10);
	CHECK_INT(n, 5, "spaces collapsed");
	n = refdb_prefix(db, "210 KI", NULL, NULL, NULL, out, 2);
	CHECK(lines_are(out, n, all, 2), "max 2: the first two");
	n = refdb_prefix(db, "210 KI", NULL, "ny", NULL, out, 10);
	CHECK(n == 1 && strcmp(out[0]->zip5, "10001") == 0, "state filter");
	n = refdb_prefix(db, "210 KI", "San Francisco", NULL, NULL, out, 10);
	CHECK(lines_are(out, n, all + 1, 3) && strcmp(out[0]->zip5, "94107") == 0,
	      "city filter (any state)");
	n = refdb_prefix(db, "210 KI", "SAN FRANCISCO", "CA", NULL, out, 10);
	CHECK_INT(n, 3, "city and state");
	n = refdb_prefix(db, "210 KI", NULL, "CA", NULL, out, 10);
	CHECK_INT(n, 4, "state alone spans cities");
	n = refdb_prefix(db, "210 KI", NULL, NULL, "94107", out, 10);
	CHECK_INT(n, 3, "full ZIP");
	n = refdb_prefix(db, "210 KI", NULL, NULL, "9", out, 10);
	CHECK(n == 4 && strcmp(out[3]->primary_line, "210 KINGS RD") == 0,
	      "partial ZIP spans ZIPs, merged in order");
	n = refdb_prefix(db, "210 KI", "NEW YORK", NULL, "94", out, 10);
	CHECK_INT(n, 0, "city and ZIP disagree");
	n = refdb_prefix(db, "210 KI", NULL, "CA", "10001", out, 10);
	CHECK_INT(n, 0, "state and ZIP disagree");
	n = refdb_prefix(db, "210 ", NULL, NULL, NULL, out, 10);
	CHECK_INT(n, 5, "trailing space: not 2100 PINE ST");
	n = refdb_prefix(db, "210", NULL, NULL, NULL, out, 10);
	CHECK_INT(n, 6, "without it, 2100 too");
	n = refdb_prefix(db, "", NULL, NULL, "94133", out, 10);
	CHECK(n == 1 && strcmp(out[0]->zip5, "94133") == 0, "empty prefix: any line (in a ZIP)");
	CHECK_INT(refdb_prefix(db, "", NULL, NULL, NULL, out, 10), 9, "empty prefix: all");
	CHECK_INT(refdb_prefix(db, NULL, NULL, NULL, "10001", out, 10), 3, "NULL prefix too");
	CHECK(refdb_has_zip(db, "94107") && !refdb_has_zip(db, "94108") &&
	      !refdb_has_zip(db, "941"), "has_zip");
	CHECK_INT(refdb_prefix(db, "9 X", NULL, NULL, NULL, out, 10), 0, "no match");
	CHECK_INT(refdb_prefix(db, "210", NULL, NULL, "abc", out, 10), 0, "bad ZIP filter");
}

static const char *write_file(const char *dir, const char *name, const char *text)
{
	static char path[2][256];
	static int which;
	char *p = path[which++ % 2];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return p;
}

/* the test's normaliser: upper-case and join; rejects streets containing REJECT */
static void upper(const char *in, char *out, size_t len)
{
	size_t i = 0;

	for (; in[i] && i + 1 < len; i++)
		out[i] = (char)toupper((unsigned char)in[i]);
	out[i] = '\0';
}

static int test_norm(const char *number, const char *street, const char *unit, char *pl,
		     size_t pl_len, char *num, size_t nl, char *st, size_t sl, char *un,
		     size_t ul, void *ctx)
{
	(*(int *)ctx)++;
	upper(number, num, nl);
	upper(street, st, sl);
	upper(unit, un, ul);
	if (strstr(st, "REJECT"))
		return -1;
	snprintf(pl, pl_len, "%s %s%s%s", num, st, *un ? " " : "", un);
	return 0;
}

static const char oa_csv[] =
	"LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH\n"
	"-122.3927,37.7776,210,King St,,San Francisco,,CA,94107,,a1\n"
	"-122.3927,37.7776,210,King St,Ste 6100,San Francisco,,CA,94107-2282,,a2\r\n"
	"-122.41,37.78,5,\"O\"\"Farrell St\",\"Apt 1, Rear\",San Francisco,,CA,941021234,,a3\n"
	"\n"
	"-122.41,37.78,7,Bad \"quote St,,San Francisco,,CA,94102,,a4\n"
	"-122.41,37.78,8,Pine St,,San Francisco,,CA,,,a5\n"
	"-122.41,37.78,9,Pine St,,San Francisco,,CA,ABCDE,,a6\n"
	"-122.41,37.78,,Pine St,,San Francisco,,CA,94102,,a7\n"
	"-122.41,37.78,11,Reject St,,San Francisco,,CA,94102,,a8\n"
	",,12,Pine St,,San Francisco,,California,94109,,a9\n"
	"-122.41,37.78,13,\"Multi\nLine St\",,San Francisco,,CA,94109,,b1\n"
	"-122.41,37.78,10,\"Never ends,,San Francisco,,CA,94109,,b2\n";

static void test_openaddresses(const char *dir)
{
	struct refdb *db = refdb_new();
	const char *path = write_file(dir, "oa.csv", oa_csv);
	const struct ref_address *f = NULL;
	char err[256] = "";
	int calls = 0;
	long n = refdb_load_openaddresses(db, path, test_norm, &calls, err, sizeof(err));

	CHECK_INT(n, 5, "OpenAddresses: rows added (%s)", err);
	CHECK_INT(refdb_skipped(db), 6, "OpenAddresses: bad rows skipped and counted");
	CHECK(calls >= 6, "the normaliser is called per row (%d)", calls);
	refdb_freeze(db);
	CHECK(refdb_match(db, "94107", "210", "KING ST", "STE 6100", &f) == REF_EXACT && f &&
	      strcmp(f->zip4, "2282") == 0 && fabs(f->lat - 37.7776) < 1e-9 &&
	      strcmp(f->state, "CA") == 0, "OA: unit row with zip4, lat, state");
	CHECK(refdb_match(db, "94102", "5", "O\"FARRELL ST", "APT 1, REAR", &f) == REF_EXACT &&
	      f && strcmp(f->zip4, "1234") == 0, "OA: quoted fields, nine-digit postcode");
	CHECK(refdb_match(db, "94109", "12", "PINE ST", NULL, &f) == REF_EXACT && f &&
	      strcmp(f->state, "") == 0 && isnan(f->lat), "OA: long REGION dropped, no LAT");
	CHECK(refdb_match(db, "94109", "13", "MULTI\nLINE ST", NULL, &f) == REF_EXACT,
	      "OA: quoted field over two lines");
	refdb_free(db);

	db = refdb_new();
	path = write_file(dir, "bad.csv", "X,Y\n1,2\n");
	CHECK_INT(refdb_load_openaddresses(db, path, NULL, NULL, err, sizeof(err)), -1,
		  "OA: header without NUMBER fails (%s)", err);
	CHECK_INT(refdb_load_openaddresses(db, "/nonexistent/oa.csv", NULL, NULL, err,
					   sizeof(err)), -1, "OA: missing file fails (%s)", err);
	refdb_free(db);
}

static const char nad_csv[] =
	"\xEF\xBB\xBFOID_,AddNum_Pre,Add_Number,AddNum_Suf,AddNo_Full,St_PreMod,St_PreDir,"
	"St_PreTyp,St_PreSep,St_Name,St_PosTyp,St_PosDir,St_PosMod,StNam_Full,Building,Floor,"
	"Unit,Room,Seat,Addtl_Loc,SubAddress,LandmkName,County,Inc_Muni,Post_City,State,"
	"Zip_Code,Plus_4,UUID,Longitude,Latitude,Placement\n"
	"1,,315,,315,,,,,Madison,St,,,E Madison St,,,,,,,,,Hillsborough,Tampa,Tampa,FL,33602,"
	"5501,{a},-82.457,27.9475,Structure - Rooftop\n"
	"2,,90,,,,W,,,Broad,St,,,,,,,,,,,,Franklin,Columbus,Not stated,OH,43215,,{b},"
	"-83.003328,39.962431,Unknown\n"
	"3,,315,,315,,,,,Madison,St,,,E Madison St,,,Apt 2,,,,,,Hillsborough,Tampa,Tampa,FL,"
	"33602,,{c},-82.457,27.9475,Unknown\n"
	"4,,77,,77,,,,,Oak,Ave,,,Oak Ave,,,,,,,,,X,Tampa,Tampa,FL,Not stated,,{d},,,Unknown\n"
	"5,,,,,,,,,Oak,Ave,,,Oak Ave,,,,,,,,,X,Tampa,Tampa,FL,33602,,{e},,,Unknown\n";

static void test_nad(const char *dir)
{
	struct refdb *db = refdb_new();
	const char *path = write_file(dir, "nad.csv", nad_csv);
	const struct ref_address *f = NULL;
	char err[256] = "";
	int calls = 0;
	long n = refdb_load_nad(db, path, test_norm, &calls, err, sizeof(err));

	CHECK_INT(n, 3, "NAD: rows added (%s)", err);
	CHECK_INT(refdb_skipped(db), 2, "NAD: no ZIP / no number skipped");
	refdb_freeze(db);
	CHECK_INT(refdb_count(db), 3, "NAD: count");
	CHECK(refdb_match(db, "33602", "315", "E MADISON ST", NULL, &f) == REF_STREET_ONLY &&
	      f && f->unit == NULL && strcmp(f->zip4, "5501") == 0 &&
	      strcmp(f->city, "TAMPA") == 0, "NAD: AddNo_Full, StNam_Full, Plus_4, Post_City");
	CHECK(refdb_match(db, "33602", "315", "E MADISON ST", "APT 2", &f) == REF_EXACT,
	      "NAD: unit from Unit when SubAddress is empty");
	CHECK(refdb_match(db, "43215", "90", "W BROAD ST", NULL, &f) == REF_EXACT && f &&
	      strcmp(f->city, "COLUMBUS") == 0 && f->zip4 == NULL &&
	      fabs(f->lon + 83.003328) < 1e-9,
	      "NAD: Add_Number, street from parts, Inc_Muni for 'Not stated'");
	n = refdb_prefix(db, "315 E MAD", "tampa", "fl", NULL, (const struct ref_address *[4]){ 0 },
			 4);
	CHECK_INT(n, 2, "NAD: prefix with city and state");
	refdb_free(db);
}

int main(void)
{
	char dir[] = "/tmp/test_refdb_XXXXXX";
	struct refdb *db = hand_db();

	test_match(db);
	test_prefix(db);
	refdb_free(db);
	db = refdb_new();
	CHECK_INT(refdb_freeze(db), 0, "empty freeze");
	CHECK(refdb_match(db, "94107", "1", "A ST", NULL, NULL) == REF_NONE, "empty: none");
	CHECK_INT(refdb_prefix(db, "1", NULL, NULL, NULL, (const struct ref_address *[1]){ 0 }, 1),
		  0, "empty: no suggestions");
	refdb_free(db);
	if (!CHECK(mkdtemp(dir) != NULL, "temp dir"))
		return test_done();
	test_openaddresses(dir);
	test_nad(dir);
	unlink(write_file(dir, "oa.csv", ""));
	unlink(write_file(dir, "bad.csv", ""));
	unlink(write_file(dir, "nad.csv", ""));
	rmdir(dir);
	return test_done();
}
