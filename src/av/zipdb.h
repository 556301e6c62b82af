// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ZIP code reference data (data/us_zips.csv, sources in NOTICE): lookup
 * by ZIP, by city, by city-name prefix and by distance. Loaded once; read-only afterwards.
 * No address parsing and no HTTP here: the us_zip_lookups, us_reverse_geocode_lookups and
 * autocomplete handlers build their answers from these records.
 */
#ifndef FRANK_AV_ZIPDB_H
#define FRANK_AV_ZIPDB_H
#include <stdbool.h>
#include <stddef.h>

/*
 * Lob's zip_code_type (spec: components/schemas/zip_code_type). The data file never has
 * "unique": no public package carries USPS's type, so its po_box means "not a Census ZCTA".
 */
enum zip_type { ZIP_STANDARD, ZIP_PO_BOX, ZIP_MILITARY, ZIP_UNIQUE };

/* "standard", "po_box", "military", "unique"; static storage */
const char *zip_type_name(enum zip_type t);

/*
 * One ZIP. Every string is owned by the zipdb and lives until zipdb_free(). Names are upper
 * case with Latin-1 accents folded to ASCII ("Añasco" → "ANASCO"), as USPS prints them.
 * Strings are never NULL: an unknown county or timezone is "".
 */
struct zip_record {
	char zip[6];
	enum zip_type type;
	const char *primary_city;		/* USPS preferred city, "SAN FRANCISCO" */
	const char *const *acceptable_cities;	/* other names, usually none */
	size_t n_acceptable;
	char state[3];
	const char *county;			/* "SAN FRANCISCO", "" for military ZIPs */
	char county_fips[6];			/* "06075", or "" */
	double lat, lon;			/* valid when has_location */
	bool has_location;			/* false for AA/AE/AP: Lob returns none */
	const char *timezone;			/* IANA, "America/Los_Angeles", or "" */
};

struct zipdb;

/*
 * Reads the CSV (header zip,type,primary_city,acceptable_cities,state,county,county_fips,
 * lat,lon,timezone; columns are found by name, so order does not matter). A malformed file
 * (broken quotes, a bad ZIP, type, state or coordinate) fails the whole load: NULL, with
 * "path:line: what" in err. A repeated ZIP keeps its first row. Caller frees with
 * zipdb_free(). About 60 ms for the shipped 41,703 rows.
 */
struct zipdb *zipdb_load(const char *csv_path, char *err, size_t errlen);
void zipdb_free(struct zipdb *db);
size_t zipdb_count(const struct zipdb *db);

/*
 * $FRANK_ZIP_DATA if set, else us_zips.csv in $FRANK_SHARE_DIR or the installed read-only
 * data directory (core/paths.h). Borrowed string (a static buffer: call it at start).
 */
const char *zipdb_default_path(void);

/*
 * All the queries below are thread-safe, allocate nothing and return borrowed pointers
 * into db.
 */

/* The record for a five-digit ZIP, or NULL (unknown, or not five digits). O(1). */
const struct zip_record *zipdb_lookup(const struct zipdb *db, const char *zip5);

/*
 * City names compare case-, accent- and punctuation-insensitively, ignoring spaces, with
 * SAINT/ST, SAINTE/STE, FORT/FT, MOUNT/MT, NORTH/N, SOUTH/S, EAST/E, WEST/W, HEIGHTS/HTS,
 * SPRINGS/SPGS and JUNCTION/JCT treated as the same word: "St. Louis" = "SAINT LOUIS",
 * "Winston-Salem" = "WINSTON SALEM", "Mc Rae" = "McRae".
 */
bool zipdb_city_matches(const struct zip_record *r, const char *city);

/*
 * Up to max ZIPs whose preferred or acceptable city is `city`, in `state` (NULL or "" for
 * any state). ZIPs where it is the preferred city come first, each group by state then ZIP.
 * Returns how many were written to out.
 */
size_t zipdb_by_city(const struct zipdb *db, const char *city, const char *state,
		     const struct zip_record **out, size_t max);

struct zip_distance {
	const struct zip_record *rec;
	double miles;		/* great-circle (haversine) distance to the ZIP's point */
};

/*
 * The max ZIPs nearest to (lat, lon), nearest first (ties by ZIP), among records with a
 * location. A 1-degree grid keeps a query to a few microseconds for points in or near the
 * US; a point far from every ZIP falls back to a full scan (about 0.2 ms).
 */
size_t zipdb_nearest(const struct zipdb *db, double lat, double lon, struct zip_distance *out,
		     size_t max);

/*
 * Up to max ZIPs whose *preferred* city starts with prefix (same comparison rules as
 * zipdb_city_matches; a last word still being typed also matches unabbreviated, so "FORT"
 * finds FORTUNA and FT MYERS), optionally in state. Sorted by city name, then state,
 * then ZIP; one entry per ZIP, so a city with many ZIPs fills several slots.
 */
size_t zipdb_city_prefix(const struct zipdb *db, const char *prefix, const char *state,
			 const struct zip_record **out, size_t max);
#endif
