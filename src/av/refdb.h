// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Reference address index: an operator-loaded file of known, standardised addresses
 * (OpenAddresses or the US National Address Database) that gives delivery-point answers
 * (does 210 KING ST STE 6100, 94107 exist?) and autocomplete suggestions. In memory only.
 * It does no address parsing: the caller's normaliser (ref_normalise) standardises the
 * number, street and unit of each row, and the caller standardises queries the same way.
 *
 * Life cycle: refdb_new(), any number of refdb_add() / refdb_load_*() (one thread), then
 * refdb_freeze(); after that the index is read-only and every query is thread-safe.
 */
#ifndef FRANK_AV_REFDB_H
#define FRANK_AV_REFDB_H
#include <stdbool.h>
#include <stddef.h>

/*
 * One address. In the index every string is upper case and owned by the refdb; city and
 * state are "" when the source has none, unit and zip4 are NULL when there is none, and
 * lat/lon are NAN when unknown.
 */
struct ref_address {
	const char *primary_line;	/* "210 KING ST STE 6100", standardised by the caller */
	const char *primary_number;	/* "210" */
	const char *street;		/* "KING ST", with directionals and suffix */
	const char *unit;		/* "STE 6100", or NULL */
	const char *city, *state, *zip5, *zip4;
	double lat, lon;
};

struct refdb;

/* NULL when out of memory. Caller frees with refdb_free(). */
struct refdb *refdb_new(void);
void refdb_free(struct refdb *db);

/*
 * Copies a into the index (strings upper-cased into its own storage; city, state and unit
 * may be NULL). primary_line, primary_number and street must be non-empty and zip5 five
 * digits. 0, or -1 when invalid, out of memory or already frozen.
 */
int refdb_add(struct refdb *db, const struct ref_address *a);

/*
 * Drops repeated addresses (same zip5, number, street and unit: the first added stays) and
 * builds the indexes. Afterwards refdb_add fails, and the queries work. -1 if out of
 * memory (the index is then empty but still safe to query and free).
 */
int refdb_freeze(struct refdb *db);

/* addresses held: after refdb_freeze, without repeats */
size_t refdb_count(const struct refdb *db);
/* rows the loaders have skipped so far (malformed, or rejected by the normaliser) */
size_t refdb_skipped(const struct refdb *db);

/*
 * How (number, street, unit) in zip5 matches the file, after refdb_freeze. Arguments are
 * compared case-insensitively; unit may be NULL or "".
 *  REF_EXACT           the delivery point is in the file (with a unit: that unit; a unit
 *                      given as "APT 5" also matches the building's only unit "UNIT 5").
 *                      Without a unit: the building has no unit rows.
 *  REF_STREET_ONLY     no unit given, but the building has unit rows (missing unit)
 *  REF_UNIT_UNKNOWN    a unit given that the building's unit rows do not have
 *  REF_UNIT_NOT_NEEDED a unit given for a building with no unit rows
 *  REF_NONE            no such number on that street in that ZIP
 * *found (if found is not NULL) gets the matched row: for REF_STREET_ONLY and
 * REF_UNIT_UNKNOWN the building's row without a unit if there is one, else its first unit
 * row; NULL for REF_NONE. Borrowed pointer.
 */
enum ref_match {
	REF_NONE,
	REF_EXACT,
	REF_STREET_ONLY,
	REF_UNIT_UNKNOWN,
	REF_UNIT_NOT_NEEDED,
};
enum ref_match refdb_match(const struct refdb *db, const char *zip5, const char *primary_number,
			   const char *street, const char *unit, const struct ref_address **found);

/* Whether the file has any address in zip5 (it covers that ZIP), after refdb_freeze. O(1) */
bool refdb_has_zip(const struct refdb *db, const char *zip5);

/*
 * Whether the file has any address on street in zip5 (case-insensitive), after
 * refdb_freeze: with refdb_match's REF_NONE it tells a wrong house number on a known
 * street from an unknown street.
 */
bool refdb_street_exists(const struct refdb *db, const char *zip5, const char *street);

/*
 * Up to max addresses whose primary_line starts with prefix ("210 KI" → "210 KING ST",
 * "210 KING ST STE 6100"), compared case-insensitively with runs of spaces as one, in
 * sorted order (primary_line, then state, city, ZIP). An empty prefix matches every line.
 * Filters may be NULL or "": city and state must match exactly (case-insensitive); zip5
 * may be partial ("941" matches 94107).
 * After refdb_freeze; O(log n) per ZIP or city group visited, so a few microseconds
 * unless a filter spans many groups (a one-digit ZIP, a state alone).
 */
size_t refdb_prefix(const struct refdb *db, const char *prefix, const char *city,
		    const char *state, const char *zip5, const struct ref_address **out,
		    size_t max);

/*
 * The normaliser the loaders call for each row: from the raw number, street and unit
 * (unit may be ""), write the standardised primary line, number, street and unit (unit_out
 * "" when none), each NUL-terminated within its length. Return 0, or -1 to skip the row.
 */
typedef int (*ref_normalise)(const char *number, const char *street, const char *unit,
			     char *primary_line, size_t pl_len, char *num_out, size_t nl,
			     char *street_out, size_t sl, char *unit_out, size_t ul, void *ctx);

/*
 * A plain ref_normalise: upper-cases, trims and collapses spaces, and joins
 * "NUMBER STREET UNIT". No Pub 28 abbreviations. ctx is unused.
 */
int refdb_normalise_plain(const char *number, const char *street, const char *unit,
			  char *primary_line, size_t pl_len, char *num_out, size_t nl,
			  char *street_out, size_t sl, char *unit_out, size_t ul, void *ctx);

/*
 * Load a CSV file; norm NULL means refdb_normalise_plain. Columns are found by header name
 * (case-insensitive), so extra or reordered columns are fine. Rows with no number, street
 * or five-digit ZIP, broken quotes, or that norm rejects, are skipped and counted
 * (refdb_skipped). Returns the rows added (before refdb_freeze drops repeats), or -1 with
 * a message in err if the file cannot be read or lacks a required column.
 *
 * OpenAddresses (https://openaddresses.io, the US address-point CSVs): header
 * LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH. Needs NUMBER, STREET,
 * POSTCODE ("94107", "94107-2282" or "941072282": also gives zip4). REGION is used as the
 * state only when it is a two-letter code.
 *
 * US National Address Database (USDOT NAD, schema as in its TXT/CSV release): number
 * AddNo_Full (else Add_Number), street StNam_Full (else St_PreMod St_PreDir St_PreTyp
 * St_PreSep St_Name St_PosTyp St_PosDir St_PosMod joined), unit SubAddress (else Unit),
 * city Post_City (else Inc_Muni), State, Zip_Code, Plus_4, Longitude, Latitude. NAD's
 * "Not stated" placeholder counts as empty.
 */
long refdb_load_openaddresses(struct refdb *db, const char *path, ref_normalise norm,
			      void *ctx, char *err, size_t errlen);
long refdb_load_nad(struct refdb *db, const char *path, ref_normalise norm, void *ctx,
		    char *err, size_t errlen);
#endif
