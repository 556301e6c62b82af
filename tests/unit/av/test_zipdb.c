// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ZIP reference data: loads data/us_zips.csv and checks lookups by ZIP, city, prefix and
 * distance, plus the CSV reader on small hand-written files.
 */
#include "av/zipdb.h"
#include "test.h"
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static bool has_zip(const struct zip_record **recs, size_t n, const char *zip)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(recs[i]->zip, zip) == 0)
			return true;
	return false;
}

static bool has_city(const struct zip_record **recs, size_t n, const char *city)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(recs[i]->primary_city, city) == 0)
			return true;
	return false;
}

static void test_zip_lookup(const struct zipdb *db)
{
	const struct zip_record *r = zipdb_lookup(db, "94107");

	if (!CHECK(r != NULL, "94107 is known"))
		return;
	CHECK_STR(r->zip, "94107", "94107: zip");
	CHECK_STR(r->primary_city, "SAN FRANCISCO", "94107: city upper-cased");
	CHECK_STR(r->state, "CA", "94107: state");
	CHECK_STR(r->county, "SAN FRANCISCO", "94107: county");
	CHECK_STR(r->county_fips, "06075", "94107: county fips");
	CHECK_STR(r->timezone, "America/Los_Angeles", "94107: timezone");
	CHECK_STR(zip_type_name(r->type), "standard", "94107: standard");
	CHECK(r->has_location && r->lat > 37.7 && r->lat < 37.8 && r->lon < -122.3,
	      "94107: location in San Francisco");
	CHECK_INT(r->n_acceptable, 0, "94107: no acceptable cities");

	r = zipdb_lookup(db, "00501");
	CHECK(r && r->type == ZIP_PO_BOX, "00501 is po_box");
	CHECK_STR(r ? r->primary_city : NULL, "HOLTSVILLE", "00501: HOLTSVILLE");

	CHECK(zipdb_lookup(db, "00000") == NULL, "00000 unknown");
	CHECK(zipdb_lookup(db, "9410") == NULL, "four digits rejected");
	CHECK(zipdb_lookup(db, "941071") == NULL, "six digits rejected");
	CHECK(zipdb_lookup(db, "9410a") == NULL, "letters rejected");
	CHECK(zipdb_lookup(db, NULL) == NULL, "NULL rejected");
	CHECK(zipdb_count(db) > 41000, "about 41,703 ZIPs loaded (%zu)", zipdb_count(db));
}

static void test_military_and_territories(const struct zipdb *db)
{
	const struct zip_record *r = zipdb_lookup(db, "09001");

	if (CHECK(r != NULL, "09001 is known")) {
		CHECK(r->type == ZIP_MILITARY, "09001 is military");
		CHECK_STR(r->state, "AE", "09001: AE");
		CHECK_STR(r->primary_city, "APO", "09001: APO");
		CHECK(!r->has_location, "09001: no location (Lob returns none)");
		CHECK_STR(r->county, "", "09001: no county");
		CHECK_STR(r->county_fips, "", "09001: no fips");
		CHECK_STR(r->timezone, "", "09001: no timezone");
	}
	r = zipdb_lookup(db, "96201");
	CHECK(r && r->type == ZIP_MILITARY && strcmp(r->state, "AP") == 0 && !r->has_location,
	      "96201: AP military, no location");
	r = zipdb_lookup(db, "00610");
	if (CHECK(r != NULL, "00610 (Puerto Rico) is known")) {
		CHECK_STR(r->primary_city, "ANASCO", "00610: ANASCO");
		CHECK_STR(r->state, "PR", "00610: PR");
		CHECK_STR(r->county, "ANASCO", "00610: county accent folded (Añasco)");
		CHECK_STR(r->county_fips, "72011", "00610: fips");
		CHECK_STR(r->timezone, "America/Puerto_Rico", "00610: timezone");
		CHECK(r->has_location, "00610: has location");
	}
}

static void test_cities(const struct zipdb *db)
{
	const struct zip_record *out[400], *r = zipdb_lookup(db, "06512");
	size_t n;

	if (CHECK(r != NULL, "06512 is known")) {
		CHECK_STR(r->primary_city, "NEW HAVEN", "06512: preferred NEW HAVEN");
		CHECK(r->n_acceptable == 1 && strcmp(r->acceptable_cities[0], "EAST HAVEN") == 0,
		      "06512: acceptable EAST HAVEN");
		CHECK(zipdb_city_matches(r, "east haven"), "acceptable city matches");
		CHECK(zipdb_city_matches(r, "New Haven"), "preferred city matches");
		CHECK(!zipdb_city_matches(r, "Boston"), "other city does not match");
		CHECK(!zipdb_city_matches(r, ""), "empty city does not match");
	}
	r = zipdb_lookup(db, "27101");
	CHECK(r && zipdb_city_matches(r, "winston salem"), "WINSTON SALEM = Winston-Salem");
	r = zipdb_lookup(db, "00801");
	CHECK(r && zipdb_city_matches(r, "Saint Thomas") && zipdb_city_matches(r, "ST. THOMAS"),
	      "SAINT THOMAS = ST. THOMAS = St Thomas");
	r = zipdb_lookup(db, "99627");
	CHECK(r && zipdb_city_matches(r, "MCGRATH") && zipdb_city_matches(r, "Mc Grath"),
	      "MC GRATH = MCGRATH");

	n = zipdb_by_city(db, "SAN FRANCISCO", "CA", out, 400);
	CHECK(n > 20 && has_zip(out, n, "94107"), "by_city SAN FRANCISCO CA has 94107 (%zu)", n);
	CHECK(n > 0 && strcmp(out[0]->primary_city, "SAN FRANCISCO") == 0, "preferred first");
	n = zipdb_by_city(db, "san francisco", "ny", out, 400);
	CHECK_INT(n, 0, "no San Francisco in NY");
	n = zipdb_by_city(db, "East Haven", "CT", out, 400);
	CHECK(n == 1 && strcmp(out[0]->zip, "06512") == 0, "by_city East Haven CT: 06512");
	n = zipdb_by_city(db, "East Haven", NULL, out, 400);
	CHECK(n == 2 && strcmp(out[0]->zip, "05837") == 0 && strcmp(out[1]->zip, "06512") == 0,
	      "preferred-city ZIPs (05837 VT) before acceptable (06512 CT)");
	n = zipdb_by_city(db, "Springfield", NULL, out, 400);
	CHECK(n > 20, "by_city with any state finds many Springfields (%zu)", n);
	CHECK_INT(zipdb_by_city(db, "SAN FRANCISCO", "CA", out, 3), 3, "max respected");
}

static void test_prefix(const struct zipdb *db)
{
	const struct zip_record *out[400];
	size_t n = zipdb_city_prefix(db, "san fran", "CA", out, 400);

	CHECK(n > 20 && strcmp(out[0]->primary_city, "SAN FRANCISCO") == 0,
	      "prefix san fran → SAN FRANCISCO");
	n = zipdb_city_prefix(db, "FORT", "CA", out, 400);
	CHECK(has_city(out, n, "FORTUNA"), "prefix FORT finds FORTUNA");
	CHECK(has_city(out, n, "FORT BRAGG"), "prefix FORT finds FORT BRAGG");
	n = zipdb_city_prefix(db, "St. Lou", "MO", out, 400);
	CHECK(has_city(out, n, "SAINT LOUIS"), "prefix St. Lou finds SAINT LOUIS");
	n = zipdb_city_prefix(db, "Sain", "MO", out, 400);
	CHECK(has_city(out, n, "SAINT LOUIS"), "prefix Sain (a word being typed) → SAINT LOUIS");
	n = zipdb_city_prefix(db, "Ft Lauder", "FL", out, 400);
	CHECK(has_city(out, n, "FORT LAUDERDALE"), "prefix Ft Lauder → FORT LAUDERDALE");
	n = zipdb_city_prefix(db, "S", "CA", out, 5);
	CHECK_INT(n, 5, "prefix respects max");
	CHECK_INT(zipdb_city_prefix(db, "zzzq", NULL, out, 5), 0, "no such prefix");
}

static void test_nearest(const struct zipdb *db)
{
	struct zip_distance near[50];
	size_t n = zipdb_nearest(db, 37.7749, -122.4194, near, 5);
	bool sorted = true;

	CHECK_INT(n, 5, "five nearest to SF city hall");
	CHECK(n > 0 && strncmp(near[0].rec->zip, "941", 3) == 0 && near[0].miles < 2,
	      "nearest is a 941xx under 2 miles (%s, %.2f mi)", n ? near[0].rec->zip : "-",
	      n ? near[0].miles : -1.0);
	for (size_t i = 1; i < n; i++)
		sorted = sorted && near[i - 1].miles <= near[i].miles;
	CHECK(sorted, "nearest first");
	n = zipdb_nearest(db, 37.777456, -122.393039, near, 5);
	CHECK(n == 5 && strncmp(near[0].rec->zip, "941", 3) == 0,
	      "Lob's reverse geocode example point is in a 941xx (%s)", near[0].rec->zip);
	n = zipdb_nearest(db, 38.1105, 15.6613, near, 1);
	CHECK(n == 1 && near[0].rec->type != ZIP_MILITARY, "military ZIPs have no location");
	n = zipdb_nearest(db, 51.88, -176.65, near, 1);
	CHECK(n == 1 && strcmp(near[0].rec->zip, "99546") == 0, "Adak, near the dateline");
	n = zipdb_nearest(db, 0, 0, near, 50);
	sorted = n == 50;
	for (size_t i = 1; i < n; i++)
		sorted = sorted && near[i - 1].miles <= near[i].miles;
	CHECK(sorted, "a point far from every ZIP still gets 50, sorted");
	CHECK_INT(zipdb_nearest(db, 91, 0, near, 5), 0, "latitude out of range");
	CHECK_INT(zipdb_nearest(db, 10, 10, near, 0), 0, "max 0");
}

static const char *write_temp(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_zipdb_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_small_files(void)
{
	char err[256] = "";
	const char *path = write_temp(
		"\xEF\xBB\xBFzip,state,type,primary_city,acceptable_cities,lat,lon\r\n"
		"12345,NY,standard,\"Smith, \"\"Old\"\" Town\",Alpha;Beta,42.5,-73.9\r\n"
		"\r\n"
		"12345,NY,po_box,Repeat,,,\n"
		"23456,AE,military,APO,,50.1,8.6\n");
	struct zipdb *db = zipdb_load(path, err, sizeof(err));
	const struct zip_record *r;

	CHECK(db != NULL, "quoted fields, BOM, CRLF, other column order (%s)", err);
	r = db ? zipdb_lookup(db, "12345") : NULL;
	CHECK_STR(r ? r->primary_city : NULL, "SMITH, \"OLD\" TOWN", "quotes unescaped");
	CHECK(r && r->n_acceptable == 2 && strcmp(r->acceptable_cities[1], "BETA") == 0,
	      "acceptable list split");
	CHECK(r && r->type == ZIP_STANDARD, "repeated ZIP: first row wins");
	CHECK_STR(r ? r->county : NULL, "", "missing county column is empty");
	r = db ? zipdb_lookup(db, "23456") : NULL;
	CHECK(r && !r->has_location, "military location dropped");
	zipdb_free(db);
	unlink(path);

	path = write_temp("zip,type,primary_city,state\n12345,standard,\"Broken,NY\n");
	db = zipdb_load(path, err, sizeof(err));
	CHECK(db == NULL && strstr(err, ":2:") != NULL, "unterminated quote fails (%s)", err);
	unlink(path);
	path = write_temp("zip,type,primary_city,state\n12345,standard,\"A\"B,NY\n");
	db = zipdb_load(path, err, sizeof(err));
	CHECK(db == NULL, "text after closing quote fails (%s)", err);
	unlink(path);
	path = write_temp("zip,type,primary_city,state\n1234,standard,A,NY\n");
	db = zipdb_load(path, err, sizeof(err));
	CHECK(db == NULL && strstr(err, "zip"), "four-digit zip fails (%s)", err);
	unlink(path);
	path = write_temp("zip,type,primary_city,state,lat,lon\n12345,standard,A,NY,95,1\n");
	db = zipdb_load(path, err, sizeof(err));
	CHECK(db == NULL, "latitude out of range fails (%s)", err);
	unlink(path);
	path = write_temp("zip,kind,primary_city,state\n");
	db = zipdb_load(path, err, sizeof(err));
	CHECK(db == NULL, "header without type fails (%s)", err);
	unlink(path);
	db = zipdb_load("/nonexistent/us_zips.csv", err, sizeof(err));
	CHECK(db == NULL && strstr(err, "/nonexistent"), "missing file fails (%s)", err);
}

int main(void)
{
	char err[256] = "";
	const char *path = TEST_SOURCE_ROOT "/data/us_zips.csv";
	double t0 = now_ms();
	struct zipdb *db = zipdb_load(path, err, sizeof(err));
	double ms = now_ms() - t0;

	if (!CHECK(db != NULL, "load %s (%s)", path, err))
		return test_done();
	printf("# loaded %zu ZIPs in %.1f ms\n", zipdb_count(db), ms);
	/* the figure is the measurement (about 0.2 s in a plain build); the bound only catches a
	 * pathological load, with room for ThreadSanitizer on a loaded machine (1.2 s seen) */
	CHECK(ms < 5000, "load in bounded time (%.1f ms)", ms);
	test_zip_lookup(db);
	test_military_and_territories(db);
	test_cities(db);
	test_prefix(db);
	test_nearest(db);
	zipdb_free(db);
	test_small_files();
	return test_done();
}
