// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * USPS Publication 28 lookup tables (generated into pub28_data.c by scripts/gen-pub28) and
 * their lookups: street suffixes (Appendix C1), secondary unit designators (C2),
 * directionals and state codes (Appendix B). No parsing of whole addresses: see usaddr.h.
 *
 * Every table is static const data and every lookup only reads it, so all of this is
 * thread-safe and allocation-free. Returned strings point into the tables (static, never
 * freed).
 */
#ifndef FRANK_AV_PUB28_H
#define FRANK_AV_PUB28_H
#include <stdbool.h>
#include <stddef.h>

/*
 * Keys are in "key form": upper case, letters and digits, words separated by single spaces
 * (periods, apostrophes and hyphens dropped, other punctuation a space). The lookups put
 * their argument in that form first, so "Ave.", "ave" and "AVE" all find AVE.
 */
struct pub28_suffix {
	const char *written;	/* "AVENUE", "AVE", "AV", "AVEN", ... */
	const char *standard;	/* "AVE" */
	const char *primary;	/* "AVENUE": C1's primary street suffix name */
};
struct pub28_unit {
	const char *written;	/* "SUITE" or "STE" */
	const char *abbrev;	/* "STE" */
	bool needs_range;	/* C2: a number must follow (APT 2); false for BSMT, REAR... */
};
struct pub28_directional {
	const char *written;	/* "NORTHEAST" or "NE" */
	const char *abbrev;	/* "NE" */
};
struct pub28_state {
	const char *key;	/* "CALIFORNIA" or "CA" */
	const char *code;	/* "CA" */
	const char *name;	/* "California", as Pub 28 writes it */
};

extern const struct pub28_suffix pub28_suffixes[];
extern const size_t pub28_suffix_count;
extern const struct pub28_unit pub28_units[];
extern const size_t pub28_unit_count;
extern const struct pub28_directional pub28_directionals[];
extern const size_t pub28_directional_count;
extern const struct pub28_state pub28_states[];
extern const size_t pub28_state_count;

/* "Avenue", "AVE", "av." → "AVE"; NULL when the word is no C1 suffix form (or NULL) */
const char *pub28_suffix(const char *word);

/*
 * "Suite", "STE" → "STE", with *needs_range set from C2 (needs_range may be NULL); NULL when
 * the word is no C2 designator. "#" is not a C2 designator: usaddr handles it.
 */
const char *pub28_unit(const char *word, bool *needs_range);

/* "north", "N", "North East", "north-east" → "N", "N", "NE", "NE"; NULL otherwise */
const char *pub28_directional(const char *word);

/*
 * State, possession or military "state" by name or code, any case: "california", "CA",
 * "District of Columbia", "Armed Forces Pacific" → "CA", "CA", "DC", "AP". NULL when unknown.
 */
const char *pub28_state_code(const char *name_or_code);

/* "CA" → "California" (Pub 28's spelling); NULL for an unknown code */
const char *pub28_state_name(const char *code);
#endif
