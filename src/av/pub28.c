// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Publication 28 lookups: binary search over the generated tables in pub28_data.c. Each
 * query is first put in the tables' key form (see pub28.h) in a stack buffer.
 */
#include "av/pub28.h"
#include <string.h>

#define KEY_MAX 64

/*
 * The key form of s: upper case; periods, apostrophes and hyphens dropped; any other run
 * of non-alphanumerics one space; no leading or trailing space. false when s is NULL,
 * empty after this, or too long to be any key.
 */
static bool key_normalise(const char *s, char key[KEY_MAX])
{
	size_t n = 0;
	bool space = false;

	if (!s)
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '.' || c == '\'' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (unsigned char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
			space = n > 0;
			continue;
		}
		if (n + (space ? 2 : 1) >= KEY_MAX)
			return false;
		if (space)
			key[n++] = ' ';
		space = false;
		key[n++] = (char)c;
	}
	key[n] = '\0';
	return n > 0;
}

/* binary search of a table sorted by its first member, a const char * key */
static const void *find(const void *table, size_t count, size_t size, const char *key)
{
	const char *base = table;
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *const *row = (const char *const *)(const void *)(base + mid * size);
		int cmp = strcmp(key, *row);
		if (cmp == 0)
			return row;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *pub28_suffix(const char *word)
{
	char key[KEY_MAX];
	const struct pub28_suffix *row;

	if (!key_normalise(word, key))
		return NULL;
	row = find(pub28_suffixes, pub28_suffix_count, sizeof(*row), key);
	return row ? row->standard : NULL;
}

const char *pub28_unit(const char *word, bool *needs_range)
{
	char key[KEY_MAX];
	const struct pub28_unit *row;

	if (!key_normalise(word, key))
		return NULL;
	row = find(pub28_units, pub28_unit_count, sizeof(*row), key);
	if (row && needs_range)
		*needs_range = row->needs_range;
	return row ? row->abbrev : NULL;
}

const char *pub28_directional(const char *word)
{
	char key[KEY_MAX], joined[KEY_MAX];
	const struct pub28_directional *row;
	size_t n = 0;

	if (!key_normalise(word, key))
		return NULL;
	row = find(pub28_directionals, pub28_directional_count, sizeof(*row), key);
	if (row)
		return row->abbrev;
	/* "NORTH EAST" is NORTHEAST written as two words */
	for (const char *p = key; *p; p++)
		if (*p != ' ')
			joined[n++] = *p;
	joined[n] = '\0';
	if (n == strlen(key))
		return NULL;
	row = find(pub28_directionals, pub28_directional_count, sizeof(*row), joined);
	return row && strlen(row->abbrev) == 2 ? row->abbrev : NULL;
}

const char *pub28_state_code(const char *name_or_code)
{
	char key[KEY_MAX];
	const struct pub28_state *row;

	if (!key_normalise(name_or_code, key))
		return NULL;
	row = find(pub28_states, pub28_state_count, sizeof(*row), key);
	return row ? row->code : NULL;
}

const char *pub28_state_name(const char *code)
{
	char key[KEY_MAX];
	const struct pub28_state *row;

	if (!key_normalise(code, key) || strlen(key) != 2)
		return NULL;
	row = find(pub28_states, pub28_state_count, sizeof(*row), key);
	return row ? row->name : NULL;
}
