// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Internals shared by refdb.c (the index) and refdb_load.c (the CSV loaders). Not part of
 * the public API: include refdb.h outside src/av/refdb*.c.
 */
#ifndef FRANK_AV_REFDB_INTERNAL_H
#define FRANK_AV_REFDB_INTERNAL_H

#include "av/refdb.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FIELD_MAX	256	/* longest field accepted, NUL included */

struct pool_chunk;
struct place_group;

struct refdb {
	struct ref_address *recs;
	size_t n, cap;
	struct pool_chunk *pool;
	const char **intern;		/* open addressing; freed by refdb_freeze */
	size_t intern_cap, intern_used;
	size_t n_ranks;			/* distinct interned strings + 1 */
	bool frozen;
	size_t skipped;
	const struct ref_address **by_key;	/* zip5, street, number, unit */
	const struct ref_address **by_line;	/* primary_line, state, city, zip5 */
	const struct ref_address **by_zip;	/* by_line order within each ZIP */
	uint32_t *zip_start;			/* N_ZIPS + 1 offsets into by_zip */
	const struct ref_address **by_place;	/* by_line order within (state, city) */
	struct place_group *groups;		/* n_groups + 1, the last a sentinel */
	size_t n_groups;
};

/* true when s[0, n) are n ASCII digits and s[n] ends the string */
bool refdb_is_digits(const char *s, size_t n);

/*
 * Copies in to out upper-cased (Latin-1 accents folded to ASCII), trimmed, runs of white
 * space made one space. NULL in gives "". Returns the length, or -1 if it does not fit.
 */
long refdb_fold_copy(const char *in, char *out, size_t outlen);

#endif
