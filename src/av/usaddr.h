// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * US address-line parser and Publication 28 standardiser: turns what people write on the
 * first lines of an envelope ("210 King St., Suite 6100") into Lob's us_verification
 * components and primary_line ("210 KING ST STE 6100"). It checks form only, never whether
 * the address exists (that is verify.c's job, on the ZIP and reference data).
 *
 * Every function here is thread-safe, reentrant and allocation-free: results go to the
 * caller's fixed buffers, scratch space is on the stack, the Pub 28 tables are const.
 * Inputs may be any bytes (NULL counts as ""): non-ASCII letters are transliterated
 * (Ñ → N), other bytes act as spaces, so every output string is upper-case ASCII and
 * NUL-terminated. Inputs longer than Lob accepts (500 bytes a line) fail with "address
 * too long" rather than being cut.
 *
 * How each kind of address maps to Lob's components (primary_line in quotes):
 *   street            "210 KING ST STE 6100": number 210, name KING, suffix ST, STE 6100
 *   PO box            "PO BOX 720114": primary_number 720114, street_name "PO BOX"
 *                     (P.O. Box, POB, Post Office Box, Box, Drawer, Lockbox, Caller → PO BOX)
 *   rural route       "RR 2 BOX 152": primary_number 152 (the box), street_name "RR 2 BOX";
 *                     Rural Route, Route, RT, RTE, RFD, RD + BOX → RR
 *   highway contract  "HC 68 BOX 23A": primary_number 23A, street_name "HC 68 BOX";
 *                     Highway Contract (Route), HCR, Star Route → HC
 *   military          "PSC 802 BOX 74", "CMR 409 BOX 145", "UNIT 8900 BOX 4301":
 *                     primary_number = box, street_name "PSC 802 BOX"; APO/FPO/DPO and
 *                     AA/AE/AP on the same line go to military_city/military_state
 *   general delivery  "GENERAL DELIVERY": street_name "GENERAL DELIVERY", no number
 * (the box kinds follow testmode.c's `rural route`, `military` and `department of state`
 * bodies, and Lob's documented `po box` body). A box kind without its box number parses
 * (primary_number "", Lob's footnote P1); a street address without a house number does not.
 *
 * Pub 28 rules applied: suffixes (C1), unit designators (C2) and directionals abbreviated;
 * a word that is the street's name stays as written ("123 NORTH ST", "100 PARK AVE",
 * "100 AVENUE OF THE AMERICAS", "123 AVENUE N"); highways spelled out ("US HWY 101" →
 * "US HIGHWAY 101", "I-95" → "INTERSTATE 95", "CR 5" → "COUNTY ROAD 5"); a unit written
 * with only "#" stays "#", a word of its own ("# 12": our choice, as USPS prints it;
 * data/pub28/README.md found no Pub 28 section on "#"); a bare number after the suffix is
 * such a unit ("210 KING ST 6100" → "210 KING ST # 6100").
 */
#ifndef FRANK_AV_USADDR_H
#define FRANK_AV_USADDR_H
#include "av/pub28.h"
#include <stdbool.h>
#include <stddef.h>

enum us_addr_kind {
	US_ADDR_STREET,
	US_ADDR_PO_BOX,
	US_ADDR_RURAL_ROUTE,
	US_ADDR_HIGHWAY_CONTRACT,
	US_ADDR_MILITARY,
	US_ADDR_GENERAL_DELIVERY,
	US_ADDR_UNKNOWN		/* nothing parsed (only after a failure) */
};

/*
 * A parsed address; every string standardised (upper case, Pub 28 abbreviations) and ""
 * when absent. The first eleven are Lob's us_components of the same names.
 */
struct us_address {
	enum us_addr_kind kind;
	char primary_number[24];	/* "210", "123 1/2", "N6W23001", "12-34"; the box number */
	char street_predirection[4];	/* N S E W NE NW SE SW */
	char street_name[64];		/* "KING"; "PO BOX", "RR 2 BOX", "PSC 802 BOX", ... */
	char street_suffix[8];		/* "ST" */
	char street_postdirection[4];
	char secondary_designator[8];	/* "STE", "APT", "#", "BSMT" */
	char secondary_number[16];	/* "6100", "4B"; "" for BSMT, REAR, ... */
	char pmb_designator[8];		/* "PMB", or "#" when a second "#" unit follows a unit */
	char pmb_number[16];
	char extra_secondary_designator[8];	/* a second unit ("BLDG 5 APT 2": APT 2) */
	char extra_secondary_number[16];
	char urbanization[64];		/* Puerto Rico, "URB LAS GLADIOLAS" */
	char route_designator[8];	/* RR, HC, PSC, CMR or UNIT for those kinds */
	char route_number[16];		/* "2" of RR 2, "802" of PSC 802 */
	char military_city[4];		/* APO, FPO, DPO when written in the line */
	char military_state[4];		/* AA, AE, AP when written in the line */
	char military_zip[11];		/* a ZIP written after them: "09499" or "09499-1234" */
	/*
	 * Lob's primary_line: number, predirection, name, suffix, postdirection, secondary
	 * designator and number, PMB designator and number, single-spaced ("210 KING ST STE
	 * 6100", "PO BOX 123 PMB 5"). The extra secondary is not part of it (Lob's list).
	 */
	char primary_line[160];
	/* "" unless the input held text that is no address part (a firm, "C/O ...") */
	char secondary_line[208];
};

/*
 * Parses line1 plus an optional line2 (usually the unit: "STE 6100", "#12", "Apt. 4";
 * NULL or "" when none) into *out. The lines may also be swapped ("Suite 6100" / "210 King
 * St") or hold commas ("210 King St, #6100"); a line beginning "URB" is the urbanization,
 * which may also open line1 ("URB LAS GLADIOLAS 150 CALLE A"). Text that is neither
 * address nor unit goes to secondary_line.
 * Returns 0, or -1 with a short reason in err ("empty address", "no house number", "no
 * street name", "address too long"); err may be NULL when errlen is 0. On -1, kind is
 * US_ADDR_UNKNOWN and the strings hold whatever could be parsed (the street of "Main St"),
 * still valid. Never reads past a NUL, never crashes on any bytes.
 */
int us_address_parse(const char *line1, const char *line2, struct us_address *out, char *err,
		     size_t errlen);

/*
 * Parses a whole one-line address, "210 King St, San Francisco CA 94107" (Lob's `address`
 * field, up to 500 bytes), splitting off from the end: a country (USA, US, United States),
 * the ZIP or ZIP+4, the state (code or name: "CA", "California", "New York"), then the city
 * (the part after the last comma, or without commas the words after the street: its
 * suffix, postdirection and units). Writes city (us_city_standardise form, "" if none),
 * state (code, "" if none) and zip ("94107" or "94107-1702", "" if none); the rest is
 * parsed as by us_address_parse. For a military address the city and state (APO AE) are
 * also copied into out->military_city/military_state. 0, or -1 with a reason in err (city,
 * state and zip are then still valid strings).
 */
int us_address_parse_freeform(const char *text, struct us_address *out, char *city,
			      size_t citylen, char state[3], char zip[11], char *err,
			      size_t errlen);

/*
 * Upper-cases a city as USPS prints it: letters transliterated to ASCII (SAN GERMÁN →
 * SAN GERMAN), periods dropped (ST. LOUIS → ST LOUIS), hyphens, apostrophes and other
 * punctuation made spaces (WINSTON-SALEM → WINSTON SALEM, COEUR D'ALENE → COEUR D ALENE),
 * spaces collapsed and trimmed. A hyphen or slash between digits stays ("12-34", "1/2"),
 * so it also suits other free text (an autocomplete prefix). out is always NUL-terminated
 * (when outlen > 0); output longer than it is cut after the last whole word that fits.
 */
void us_city_standardise(const char *in, char *out, size_t outlen);
#endif
