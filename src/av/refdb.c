// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Reference address index: records in one array, strings in a chunked pool (the repetitive
 * ones, like streets, cities and ZIPs, interned), and after refdb_freeze four sorted
 * pointer arrays: by (zip5, street, number, unit) for matching, by primary line for
 * autocomplete, and the same order grouped by ZIP and by (state, city) for filtered
 * autocomplete. The OpenAddresses and NAD CSV loaders are in refdb_load.c. No address
 * parsing here.
 */
#include "av/refdb_internal.h"
#include "core/fold.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POOL_CHUNK	(1u << 20)
#define N_ZIPS		100000
#define RANK_SIZE	sizeof(uint32_t)

struct pool_chunk {
	struct pool_chunk *next;
	size_t used, cap;
	char data[];
};

/* the distinct (state, city) pairs, sorted, each with its run in by_place */
struct place_group {
	const char *state, *city;
	size_t start;
};

/* ------------------------------------------------------------------------------------- */
/* Text helpers */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool refdb_is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[n] == '\0';
}

/*
 * Copies in to out upper-cased (Latin-1 accents folded to ASCII, "Ñ" → "N"), trimmed, runs
 * of white space made one space. NULL in gives "". Returns the length, or -1 if it does
 * not fit in outlen.
 */
long refdb_fold_copy(const char *in, char *out, size_t outlen)
{
	const char *r = in ? in : "";
	size_t n = 0;
	bool space = false;

	while (*r) {
		char c;
		if (is_space(*r)) {
			space = n > 0;
			r++;
			continue;
		}
		r += fold_char(r, &c);
		if (n + space + 2 > outlen)
			return -1;
		if (space)
			out[n++] = ' ';
		out[n++] = c;
		space = false;
	}
	if (outlen == 0)
		return -1;
	out[n] = '\0';
	return (long)n;
}

/* strcmp where NULL sorts first; interned strings compare equal by pointer */
static int cmp_opt(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a || !b)
		return a ? 1 : -1;
	return strcmp(a, b);
}

/* ------------------------------------------------------------------------------------- */
/* String pool and interning */

static char *pool_alloc(struct refdb *db, size_t len)
{
	struct pool_chunk *c = db->pool;

	if (!c || c->cap - c->used < len) {
		size_t cap = len > POOL_CHUNK ? len : POOL_CHUNK;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = db->pool;
		c->used = 0;
		c->cap = cap;
		db->pool = c;
	}
	c->used += len;
	return c->data + c->used - len;
}

static char *pool_strdup(struct refdb *db, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = pool_alloc(db, len);

	if (p)
		memcpy(p, s, len);
	return p;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int intern_grow(struct refdb *db)
{
	size_t cap = db->intern_cap ? db->intern_cap * 2 : 4096;
	const char **slots = calloc(cap, sizeof(*slots));

	if (!slots)
		return -1;
	for (size_t i = 0; i < db->intern_cap; i++) {
		const char *s = db->intern[i];
		size_t j;
		if (!s)
			continue;
		for (j = hash_str(s) & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = s;
	}
	free(db->intern);
	db->intern = slots;
	db->intern_cap = cap;
	return 0;
}

/*
 * The pooled copy of s, shared by every equal string; NULL if out of memory. Each interned
 * string has a 4-byte header before it, where refdb_freeze writes its rank (see rank_of).
 */
static const char *intern(struct refdb *db, const char *s)
{
	size_t j, len = strlen(s) + 1;
	char *p;

	if (db->intern_used * 2 >= db->intern_cap && intern_grow(db) < 0)
		return NULL;
	for (j = hash_str(s) & (db->intern_cap - 1); db->intern[j];
	     j = (j + 1) & (db->intern_cap - 1))
		if (strcmp(db->intern[j], s) == 0)
			return db->intern[j];
	p = pool_alloc(db, RANK_SIZE + len);
	if (!p)
		return NULL;
	memset(p, 0, RANK_SIZE);
	memcpy(p + RANK_SIZE, s, len);
	db->intern[j] = p + RANK_SIZE;
	db->intern_used++;
	return db->intern[j];
}

/* an interned string's position in strcmp order, from 1; 0 for NULL */
static uint32_t rank_of(const char *s)
{
	uint32_t rank = 0;

	if (s)
		memcpy(&rank, s - RANK_SIZE, RANK_SIZE);
	return rank;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* numbers the interned strings in sorted order, so sorting can compare integers */
static int rank_strings(struct refdb *db)
{
	const char **all = malloc((db->intern_used + 1) * sizeof(*all));
	size_t n = 0;

	if (!all)
		return -1;
	for (size_t i = 0; i < db->intern_cap; i++)
		if (db->intern[i])
			all[n++] = db->intern[i];
	qsort(all, n, sizeof(*all), cmp_str);
	for (size_t i = 0; i < n; i++) {
		uint32_t rank = (uint32_t)i + 1;
		memcpy((char *)all[i] - RANK_SIZE, &rank, RANK_SIZE);
	}
	db->n_ranks = n + 1;
	free(all);
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Building */

struct refdb *refdb_new(void)
{
	return calloc(1, sizeof(struct refdb));
}

void refdb_free(struct refdb *db)
{
	if (!db)
		return;
	while (db->pool) {
		struct pool_chunk *next = db->pool->next;
		free(db->pool);
		db->pool = next;
	}
	free(db->intern);
	free(db->recs);
	free(db->by_key);
	free(db->by_line);
	free(db->by_zip);
	free(db->zip_start);
	free(db->by_place);
	free(db->groups);
	free(db);
}

size_t refdb_count(const struct refdb *db)
{
	return db->n;
}

size_t refdb_skipped(const struct refdb *db)
{
	return db->skipped;
}

/* folds s and interns it; *out NULL when s is empty and may be. -1 if too long or OOM */
static int intern_field(struct refdb *db, const char *s, bool may_be_empty, const char **out)
{
	char buf[FIELD_MAX];
	long len = refdb_fold_copy(s, buf, sizeof(buf));

	*out = NULL;
	if (len < 0)
		return -1;
	if (len == 0)
		return may_be_empty ? 0 : -1;
	*out = intern(db, buf);
	return *out ? 0 : -1;
}

static int fill_fields(struct refdb *db, const struct ref_address *a, struct ref_address *r)
{
	char line[FIELD_MAX];
	long len = refdb_fold_copy(a->primary_line, line, sizeof(line));

	if (len <= 0 || intern_field(db, a->primary_number, false, &r->primary_number) < 0 ||
	    intern_field(db, a->street, false, &r->street) < 0 ||
	    intern_field(db, a->unit, true, &r->unit) < 0 ||
	    intern_field(db, a->city, true, &r->city) < 0 ||
	    intern_field(db, a->state, true, &r->state) < 0 ||
	    intern_field(db, a->zip5, false, &r->zip5) < 0 ||
	    intern_field(db, a->zip4, true, &r->zip4) < 0)
		return -1;
	if (!refdb_is_digits(r->zip5, 5) || (r->zip4 && !refdb_is_digits(r->zip4, 4)))
		return -1;
	r->city = r->city ? r->city : intern(db, "");
	r->state = r->state ? r->state : intern(db, "");
	r->primary_line = pool_strdup(db, line);
	if (!r->city || !r->state)
		return -1;
	r->lat = a->lat;
	r->lon = a->lon;
	return r->primary_line ? 0 : -1;
}

int refdb_add(struct refdb *db, const struct ref_address *a)
{
	struct ref_address r;

	if (db->frozen || !a)
		return -1;
	if (db->n == db->cap) {
		size_t cap = db->cap ? db->cap * 2 : 1024;
		struct ref_address *recs = realloc(db->recs, cap * sizeof(*recs));
		if (!recs)
			return -1;
		db->recs = recs;
		db->cap = cap;
	}
	if (fill_fields(db, a, &r) < 0)
		return -1;
	db->recs[db->n++] = r;
	return 0;
}

/* ------------------------------------------------------------------------------------- */
/* Freezing: sorting and indexes */

/*
 * Sorting compares interned strings by rank (rank_strings) with stable counting sorts, one
 * pass per key, least significant first; only primary lines need string comparisons.
 */
typedef uint32_t (*rank_key)(const struct ref_address *r);

static uint32_t key_zip5(const struct ref_address *r)
{
	return rank_of(r->zip5);
}

static uint32_t key_street(const struct ref_address *r)
{
	return rank_of(r->street);
}

static uint32_t key_number(const struct ref_address *r)
{
	return rank_of(r->primary_number);
}

static uint32_t key_unit(const struct ref_address *r)
{
	return rank_of(r->unit);
}

static uint32_t key_state(const struct ref_address *r)
{
	return rank_of(r->state);
}

static uint32_t key_city(const struct ref_address *r)
{
	return rank_of(r->city);
}

/* sorts arr[0, n) by keys[0], then keys[1], ...; equal elements keep their order */
static int rank_sort(const struct refdb *db, const struct ref_address **arr, size_t n,
		     const rank_key *keys, size_t nkeys)
{
	const struct ref_address **tmp = malloc(n * sizeof(*tmp));
	uint32_t *count = malloc((db->n_ranks + 1) * sizeof(*count));

	if (!tmp || !count) {
		free(tmp);
		free(count);
		return -1;
	}
	for (size_t k = nkeys; k-- > 0;) {
		memset(count, 0, (db->n_ranks + 1) * sizeof(*count));
		for (size_t i = 0; i < n; i++)
			count[keys[k](arr[i]) + 1]++;
		for (size_t r = 0; r < db->n_ranks; r++)
			count[r + 1] += count[r];
		for (size_t i = 0; i < n; i++)
			tmp[count[keys[k](arr[i])]++] = arr[i];
		memcpy(arr, tmp, n * sizeof(*arr));
	}
	free(tmp);
	free(count);
	return 0;
}

static int cmp_line_rec(const struct ref_address *x, const struct ref_address *y)
{
	int c = strcmp(x->primary_line, y->primary_line);

	if (!c)
		c = cmp_opt(x->state, y->state);
	if (!c)
		c = cmp_opt(x->city, y->city);
	if (!c)
		c = cmp_opt(x->zip5, y->zip5);
	return c ? c : (x > y) - (x < y);
}

static bool same_key(const struct ref_address *x, const struct ref_address *y)
{
	return x->zip5 == y->zip5 && x->street == y->street &&
	       x->primary_number == y->primary_number && x->unit == y->unit;
}

/*
 * Sorts by_key (ties stay in the order added), drops repeats (the first added stays) and
 * compacts recs in place, keeping its order; by_key is remapped to the moved records.
 */
static int dedupe(struct refdb *db)
{
	static const rank_key keys[] = { key_zip5, key_street, key_number, key_unit };
	uint32_t *newpos = malloc(db->n * sizeof(*newpos));
	size_t kept = 0, m = 0;

	if (!newpos || rank_sort(db, db->by_key, db->n, keys, 4) < 0) {
		free(newpos);
		return -1;
	}
	for (size_t i = 0; i < db->n; i++)
		newpos[i] = 1;
	for (size_t i = 1; i < db->n; i++)
		if (same_key(db->by_key[i - 1], db->by_key[i]))
			newpos[db->by_key[i] - db->recs] = 0;
	for (size_t i = 0; i < db->n; i++) {
		if (!newpos[i]) {
			newpos[i] = UINT32_MAX;
			continue;
		}
		db->recs[kept] = db->recs[i];
		newpos[i] = (uint32_t)kept++;
	}
	for (size_t i = 0; i < db->n; i++) {
		uint32_t p = newpos[db->by_key[i] - db->recs];
		if (p != UINT32_MAX)
			db->by_key[m++] = &db->recs[p];
	}
	db->n = kept;
	free(newpos);
	return 0;
}

/* the first 16 bytes of a line, big-endian, zero-padded: they compare as strcmp does */
struct line_sort {
	uint64_t head[2];
	const struct ref_address *r;
};

static void line_head(const char *s, uint64_t head[2])
{
	for (int k = 0; k < 2; k++) {
		head[k] = 0;
		for (int i = 0; i < 8; i++) {
			head[k] <<= 8;
			if (*s)
				head[k] |= (unsigned char)*s++;
		}
	}
}

static int cmp_line_sort(const void *a, const void *b)
{
	const struct line_sort *x = a, *y = b;

	for (int k = 0; k < 2; k++)
		if (x->head[k] != y->head[k])
			return x->head[k] < y->head[k] ? -1 : 1;
	return cmp_line_rec(x->r, y->r);
}

static int build_by_line(struct refdb *db)
{
	struct line_sort *tmp = malloc(db->n * sizeof(*tmp));

	db->by_line = malloc(db->n * sizeof(*db->by_line));
	if (!tmp || !db->by_line) {
		free(tmp);
		return -1;
	}
	for (size_t i = 0; i < db->n; i++) {
		line_head(db->recs[i].primary_line, tmp[i].head);
		tmp[i].r = &db->recs[i];
	}
	qsort(tmp, db->n, sizeof(*tmp), cmp_line_sort);
	for (size_t i = 0; i < db->n; i++)
		db->by_line[i] = tmp[i].r;
	free(tmp);
	return 0;
}

static size_t zip_slot(const char *zip)
{
	size_t v = 0;

	for (int i = 0; i < 5; i++)
		v = v * 10 + (size_t)(zip[i] - '0');
	return v;
}

/* by_line regrouped by ZIP with a counting sort, which keeps the line order in a ZIP */
static int build_by_zip(struct refdb *db)
{
	uint32_t *fill = calloc(N_ZIPS, sizeof(*fill));

	db->zip_start = calloc(N_ZIPS + 1, sizeof(*db->zip_start));
	db->by_zip = malloc(db->n * sizeof(*db->by_zip));
	if (!fill || !db->zip_start || !db->by_zip) {
		free(fill);
		return -1;
	}
	for (size_t i = 0; i < db->n; i++)
		db->zip_start[zip_slot(db->recs[i].zip5) + 1]++;
	for (size_t z = 0; z < N_ZIPS; z++)
		db->zip_start[z + 1] += db->zip_start[z];
	for (size_t i = 0; i < db->n; i++) {
		size_t z = zip_slot(db->by_line[i]->zip5);
		db->by_zip[db->zip_start[z] + fill[z]++] = db->by_line[i];
	}
	free(fill);
	return 0;
}

static bool new_place(const struct ref_address *const *arr, size_t i)
{
	return i == 0 || arr[i]->state != arr[i - 1]->state || arr[i]->city != arr[i - 1]->city;
}

/* by_line regrouped by (state, city), and the list of groups */
static int build_by_place(struct refdb *db)
{
	static const rank_key keys[] = { key_state, key_city };
	size_t g = 0;

	db->by_place = malloc(db->n * sizeof(*db->by_place));
	if (!db->by_place)
		return -1;
	memcpy(db->by_place, db->by_line, db->n * sizeof(*db->by_place));
	if (rank_sort(db, db->by_place, db->n, keys, 2) < 0)
		return -1;
	for (size_t i = 0; i < db->n; i++)
		g += new_place(db->by_place, i);
	db->groups = malloc((g + 1) * sizeof(*db->groups));
	if (!db->groups)
		return -1;
	for (size_t i = 0; i < db->n; i++) {
		const struct ref_address *r = db->by_place[i];
		if (new_place(db->by_place, i))
			db->groups[db->n_groups++] = (struct place_group){ r->state, r->city, i };
	}
	db->groups[g] = (struct place_group){ "", "", db->n };
	return 0;
}

static int build_indexes(struct refdb *db)
{
	db->by_key = malloc(db->n * sizeof(*db->by_key));
	if (!db->by_key)
		return -1;
	for (size_t i = 0; i < db->n; i++)
		db->by_key[i] = &db->recs[i];
	if (dedupe(db) < 0 || build_by_line(db) < 0 || build_by_zip(db) < 0 ||
	    build_by_place(db) < 0)
		return -1;
	return 0;
}

int refdb_freeze(struct refdb *db)
{
	int rc = 0;

	if (db->frozen)
		return 0;
	db->frozen = true;
	if (db->n && (rank_strings(db) < 0 || build_indexes(db) < 0)) {
		db->n = 0;	/* out of memory: an empty, queryable index */
		db->n_groups = 0;
		rc = -1;
	}
	free(db->intern);	/* only refdb_add needs it */
	db->intern = NULL;
	db->intern_cap = db->intern_used = 0;
	return rc;
}

/* ------------------------------------------------------------------------------------- */
/* Delivery-point matching */

struct match_key {
	char zip5[FIELD_MAX], street[FIELD_MAX], number[FIELD_MAX], unit[FIELD_MAX];
};

/* cmp_key of a record against a query's (zip5, street, number), units ignored */
static int cmp_query(const struct ref_address *r, const struct match_key *k, bool with_number)
{
	int c = strcmp(r->zip5, k->zip5);

	if (!c)
		c = strcmp(r->street, k->street);
	if (!c && with_number)
		c = strcmp(r->primary_number, k->number);
	return c;
}

/* [*lo, *hi) of by_key matching the query */
static void key_range(const struct refdb *db, const struct match_key *k, bool with_number,
		      size_t *lo, size_t *hi)
{
	size_t a = 0, b = db->n;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (cmp_query(db->by_key[mid], k, with_number) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	for (b = a; b < db->n && cmp_query(db->by_key[b], k, with_number) == 0; b++)
		;
	*hi = b;
}

static const char *last_word(const char *s)
{
	const char *sp = strrchr(s, ' ');

	return sp ? sp + 1 : s;
}

/*
 * The building's unit row for the query's unit: the same unit, else the only unit row
 * with the same secondary number ("APT 5" finds "UNIT 5", "# 6100" finds "STE 6100").
 */
static const struct ref_address *find_unit(const struct refdb *db, size_t lo, size_t hi,
					   const char *unit)
{
	const struct ref_address *same_number = NULL;
	const char *num = last_word(unit);
	size_t hits = 0;

	for (size_t i = lo; i < hi; i++) {
		const struct ref_address *r = db->by_key[i];
		if (!r->unit)
			continue;
		if (strcmp(r->unit, unit) == 0)
			return r;
		if (strcmp(last_word(r->unit), num) == 0) {
			same_number = r;
			hits++;
		}
	}
	return hits == 1 ? same_number : NULL;
}

static enum ref_match classify(const struct refdb *db, size_t lo, size_t hi, const char *unit,
			       const struct ref_address **found)
{
	const struct ref_address *base = db->by_key[lo]->unit ? NULL : db->by_key[lo];
	bool has_units = hi - lo > (base ? 1u : 0u);
	const struct ref_address *u;

	*found = base ? base : db->by_key[lo];
	if (!*unit)
		return has_units ? REF_STREET_ONLY : REF_EXACT;
	if (!has_units)
		return REF_UNIT_NOT_NEEDED;
	u = find_unit(db, lo, hi, unit);
	if (!u)
		return REF_UNIT_UNKNOWN;
	*found = u;
	return REF_EXACT;
}

static int fold_query(const char *zip5, const char *street, const char *number,
		      const char *unit, struct match_key *k)
{
	if (refdb_fold_copy(zip5, k->zip5, sizeof(k->zip5)) != 5 ||
	    !refdb_is_digits(k->zip5, 5) ||
	    refdb_fold_copy(street, k->street, sizeof(k->street)) <= 0 ||
	    refdb_fold_copy(number, k->number, sizeof(k->number)) < 0 ||
	    refdb_fold_copy(unit, k->unit, sizeof(k->unit)) < 0)
		return -1;
	return 0;
}

enum ref_match refdb_match(const struct refdb *db, const char *zip5, const char *primary_number,
			   const char *street, const char *unit, const struct ref_address **found)
{
	struct match_key k;
	const struct ref_address *dummy;
	size_t lo, hi;

	found = found ? found : &dummy;
	*found = NULL;
	if (!db->frozen || fold_query(zip5, street, primary_number, unit, &k) < 0 || !k.number[0])
		return REF_NONE;
	key_range(db, &k, true, &lo, &hi);
	if (lo == hi)
		return REF_NONE;
	return classify(db, lo, hi, k.unit, found);
}

bool refdb_has_zip(const struct refdb *db, const char *zip5)
{
	size_t z;

	if (!db->frozen || db->n == 0 || !zip5 || !refdb_is_digits(zip5, 5))
		return false;
	z = zip_slot(zip5);
	return db->zip_start[z] < db->zip_start[z + 1];
}

bool refdb_street_exists(const struct refdb *db, const char *zip5, const char *street)
{
	struct match_key k;
	size_t lo, hi;

	if (!db->frozen || fold_query(zip5, street, "", "", &k) < 0)
		return false;
	key_range(db, &k, false, &lo, &hi);
	return lo < hi;
}

/* ------------------------------------------------------------------------------------- */
/* Prefix search */

struct pfx_query {
	char prefix[FIELD_MAX], city[FIELD_MAX], state[FIELD_MAX], zip[FIELD_MAX];
	size_t plen, ziplen;
	const struct ref_address **out;
	size_t n, max;
};

static bool pfx_filter(const struct pfx_query *q, const struct ref_address *r)
{
	return (!q->city[0] || strcmp(r->city, q->city) == 0) &&
	       (!q->state[0] || strcmp(r->state, q->state) == 0) &&
	       (!q->ziplen || strncmp(r->zip5, q->zip, q->ziplen) == 0);
}

/* keeps out[] sorted by cmp_line_rec, at most max long; false once r is past the last */
static bool pfx_offer(struct pfx_query *q, const struct ref_address *r)
{
	size_t pos;

	if (q->n == q->max && cmp_line_rec(r, q->out[q->n - 1]) > 0)
		return false;
	if (!pfx_filter(q, r))
		return true;
	pos = q->n < q->max ? q->n++ : q->max - 1;
	while (pos > 0 && cmp_line_rec(r, q->out[pos - 1]) < 0) {
		q->out[pos] = q->out[pos - 1];
		pos--;
	}
	q->out[pos] = r;
	return true;
}

/* offers the lines of arr[lo, hi) (sorted by line) that start with the prefix */
static void pfx_scan(struct pfx_query *q, const struct ref_address *const *arr, size_t lo,
		     size_t hi)
{
	size_t a = lo, b = hi;

	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (strcmp(arr[mid]->primary_line, q->prefix) < 0)
			a = mid + 1;
		else
			b = mid;
	}
	for (; a < hi && strncmp(arr[a]->primary_line, q->prefix, q->plen) == 0; a++)
		if (!pfx_offer(q, arr[a]))
			break;
}

static void pfx_zip_range(const struct refdb *db, struct pfx_query *q)
{
	size_t scale = 1, first = 0;

	for (size_t i = 0; i < q->ziplen; i++)
		first = first * 10 + (size_t)(q->zip[i] - '0');
	for (size_t i = q->ziplen; i < 5; i++) {
		first *= 10;
		scale *= 10;
	}
	for (size_t z = first; z < first + scale; z++)
		if (db->zip_start[z] < db->zip_start[z + 1])
			pfx_scan(q, db->by_zip, db->zip_start[z], db->zip_start[z + 1]);
}

static int cmp_group(const struct place_group *g, const char *state, const char *city)
{
	int c = strcmp(g->state, state);

	return c ? c : city ? strcmp(g->city, city) : 0;
}

/* first group at or after (state, city) in [lo, hi); city NULL: the state's first */
static size_t group_lower_bound(const struct refdb *db, size_t lo, size_t hi,
				const char *state, const char *city)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_group(&db->groups[mid], state, city) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void pfx_group(const struct refdb *db, struct pfx_query *q, size_t g)
{
	pfx_scan(q, db->by_place, db->groups[g].start, db->groups[g + 1].start);
}

/* city and/or state filters through the (state, city) groups */
static void pfx_places(const struct refdb *db, struct pfx_query *q)
{
	size_t g;

	if (q->state[0]) {
		g = group_lower_bound(db, 0, db->n_groups, q->state, q->city[0] ? q->city : NULL);
		for (; g < db->n_groups && strcmp(db->groups[g].state, q->state) == 0; g++) {
			if (q->city[0] && strcmp(db->groups[g].city, q->city) != 0)
				break;
			pfx_group(db, q, g);
		}
		return;
	}
	for (g = 0; g < db->n_groups;) {	/* city alone: look in each state */
		const char *state = db->groups[g].state;
		size_t next = group_lower_bound(db, g, db->n_groups, state, q->city);
		if (next < db->n_groups && cmp_group(&db->groups[next], state, q->city) == 0)
			pfx_group(db, q, next);
		while (g < db->n_groups && db->groups[g].state == state)
			g++;
	}
}

static int pfx_prepare(struct pfx_query *q, const char *prefix, const char *city,
		       const char *state, const char *zip5)
{
	long plen = refdb_fold_copy(prefix, q->prefix, sizeof(q->prefix) - 1);
	long ziplen = refdb_fold_copy(zip5, q->zip, sizeof(q->zip));
	size_t in_len = prefix ? strlen(prefix) : 0;

	if (plen < 0 || ziplen < 0 || ziplen > 5 || !refdb_is_digits(q->zip, (size_t)ziplen) ||
	    refdb_fold_copy(city, q->city, sizeof(q->city)) < 0 ||
	    refdb_fold_copy(state, q->state, sizeof(q->state)) < 0)
		return -1;
	if (plen > 0 && is_space(prefix[in_len - 1]))	/* "210 " must not match "2100" */
		q->prefix[plen++] = ' ';
	q->prefix[plen] = '\0';
	q->plen = (size_t)plen;
	q->ziplen = (size_t)ziplen;
	return 0;
}

size_t refdb_prefix(const struct refdb *db, const char *prefix, const char *city,
		    const char *state, const char *zip5, const struct ref_address **out,
		    size_t max)
{
	struct pfx_query q;

	if (!db->frozen || db->n == 0 || max == 0 ||
	    pfx_prepare(&q, prefix, city, state, zip5) < 0)
		return 0;
	q.out = out;
	q.n = 0;
	q.max = max;
	if (q.ziplen == 5) {
		size_t z = zip_slot(q.zip);
		pfx_scan(&q, db->by_zip, db->zip_start[z], db->zip_start[z + 1]);
	} else if (q.city[0] || q.state[0]) {
		pfx_places(db, &q);
	} else if (q.ziplen) {
		pfx_zip_range(db, &q);
	} else {
		pfx_scan(&q, db->by_line, 0, db->n);
	}
	return q.n;
}
