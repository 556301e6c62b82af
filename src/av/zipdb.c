// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * ZIP reference data: reads us_zips.csv into memory once, then answers lookups by ZIP
 * (direct table), by city (sorted name keys) and by distance (1-degree grid). The CSV text
 * is kept and cut in place, so strings cost no extra allocations.
 */
#include "av/zipdb.h"
#include "core/csv.h"
#include "core/parse.h"
#include "core/fold.h"
#include "core/paths.h"
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ZIPS		100000
#define GRID_ROWS	180
#define GRID_COLS	360
#define GRID_MAX_RING	60	/* beyond this, zipdb_nearest scans everything */
#define KEY_MAX		96
#define EARTH_MILES	3958.7613
#define DEG_TO_RAD	0.017453292519943295
#define M_PI_VALUE	3.14159265358979323846
#define HEADER_MAX_FIELDS 64
#define ROW_MAX_FIELDS	(N_COLS + 8)
#define ROW_MAX_BYTES	(64u * 1024)

enum col { C_ZIP, C_TYPE, C_CITY, C_ACCEPT, C_STATE, C_COUNTY, C_FIPS, C_LAT, C_LON, C_TZ,
	   N_COLS };

static const char *const col_names[N_COLS] = {
	"zip", "type", "primary_city", "acceptable_cities", "state", "county", "county_fips",
	"lat", "lon", "timezone",
};

/* one city name of one ZIP, for by-city and prefix searches */
struct city_entry {
	const char *key;		/* city_key() of the name */
	const struct zip_record *rec;
	bool preferred;
};

struct zipdb {
	char *text;			/* the file, NUL-terminated, fields cut in place */
	struct zip_record *recs;
	size_t n_recs;
	const char **accept;		/* acceptable_cities of every record, back to back */
	uint32_t *by_zip;		/* N_ZIPS slots: record index + 1, or 0 */
	struct city_entry *cities;	/* sorted by key, state, preferred first, ZIP */
	size_t n_cities;
	char *keys;			/* storage for the city keys */
	uint32_t *cell_start;		/* GRID_ROWS * GRID_COLS + 1 offsets into cell_recs */
	uint32_t *cell_recs;		/* record indexes, grouped by grid cell */
	double (*xyz)[3];		/* each record's point on the unit sphere */
};

/* parse state for zipdb_load */
struct loader {
	struct zipdb *db;
	const char *path;
	size_t line;
	int cols[N_COLS];		/* field index of each column, or -1 */
	size_t n_accept;
	char *err;
	size_t errlen;
};

/* ------------------------------------------------------------------------------------- */
/* Text helpers */

static int load_error(struct loader *ld, const char *what)
{
	snprintf(ld->err, ld->errlen, "%s:%zu: %s", ld->path, ld->line, what);
	return -1;
}

static bool is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[n] == '\0';
}

/* "94107" → 94107; the caller has checked is_digits(zip, 5) */
static size_t zip_slot(const char *zip)
{
	size_t v = 0;

	for (int i = 0; i < 5; i++)
		v = v * 10 + (size_t)(zip[i] - '0');
	return v;
}

/* ------------------------------------------------------------------------------------- */
/* City keys: the form in which city names are compared */

static const char *const key_alias[][2] = {
	{ "SAINT", "ST" },	{ "SAINTE", "STE" },	{ "FORT", "FT" },
	{ "MOUNT", "MT" },	{ "NORTH", "N" },	{ "SOUTH", "S" },
	{ "EAST", "E" },	{ "WEST", "W" },	{ "HEIGHTS", "HTS" },
	{ "SPRINGS", "SPGS" },	{ "JUNCTION", "JCT" },
};

static bool is_alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static const char *alias_of(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof(key_alias) / sizeof(key_alias[0]); i++)
		if (strlen(key_alias[i][0]) == len && memcmp(word, key_alias[i][0], len) == 0)
			return key_alias[i][1];
	return NULL;
}

/*
 * Writes the comparison key of a city name: folded to upper case, words abbreviated by
 * key_alias, everything but letters and digits dropped. With keep_last, the last word is
 * not abbreviated unless a separator follows it (it may still be being typed). Returns the
 * key length, or 0 if the name has no letters or does not fit.
 */
static size_t city_key(const char *name, char *out, size_t outlen, bool keep_last)
{
	char buf[KEY_MAX];
	size_t n = 0, i = 0, len = strlen(name);

	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, name, len + 1);
	fold_upper(buf);
	while (buf[i]) {
		size_t start, wlen;
		const char *alias;
		while (buf[i] && !is_alnum(buf[i]))
			i++;
		start = i;
		while (is_alnum(buf[i]))
			i++;
		wlen = i - start;
		alias = keep_last && !buf[i] ? NULL : alias_of(buf + start, wlen);
		if (alias) {
			start = 0;
			wlen = strlen(alias);
		}
		if (n + wlen >= outlen)
			return 0;
		memcpy(out + n, alias ? alias : buf + start, wlen);
		n += wlen;
	}
	out[n] = '\0';
	return n;
}

/* ------------------------------------------------------------------------------------- */
/* File reading */

static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
		buf = malloc((size_t)size + 1);
	if (buf && fread(buf, 1, (size_t)size, f) == (size_t)size) {
		buf[size] = '\0';
		*len = (size_t)size;
	} else {
		snprintf(err, errlen, "%s: cannot read", path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static size_t count_char(const char *s, size_t len, char c)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == c;
	return n;
}

/* ------------------------------------------------------------------------------------- */
/* Loading */

/* maps col_names to field indexes; names match exactly, the last repeat wins */
static int read_header(struct loader *ld, struct csv *csv)
{
	enum csv_result rc = csv_next(csv);

	ld->line = csv->line ? csv->line : 1;
	if (rc == CSV_BAD || rc == CSV_FAIL)
		return load_error(ld, "malformed header");
	for (int c = 0; c < N_COLS; c++) {
		ld->cols[c] = -1;
		for (size_t i = 0; i < csv->n_fields; i++)
			if (strcmp(csv->fields[i], col_names[c]) == 0)
				ld->cols[c] = (int)i;
	}
	if (ld->cols[C_ZIP] < 0 || ld->cols[C_TYPE] < 0 || ld->cols[C_CITY] < 0 ||
	    ld->cols[C_STATE] < 0)
		return load_error(ld, "header lacks zip, type, primary_city or state");
	return 0;
}

static int parse_type(const char *s, enum zip_type *out)
{
	for (int t = ZIP_STANDARD; t <= ZIP_UNIQUE; t++) {
		if (strcmp(s, zip_type_name((enum zip_type)t)) == 0) {
			*out = (enum zip_type)t;
			return 0;
		}
	}
	return -1;
}

static int parse_coord(const char *s, double limit, double *out)
{
	return parse_double(s, -limit, limit, out);
}

static bool is_military_state(const char *st)
{
	return strcmp(st, "AA") == 0 || strcmp(st, "AE") == 0 || strcmp(st, "AP") == 0;
}

/* lat/lon: both or neither; dropped for AA/AE/AP */
static int set_location(struct loader *ld, struct zip_record *r, const char *lat,
			const char *lon)
{
	r->has_location = false;
	if (!*lat && !*lon)
		return 0;
	if (parse_coord(lat, 90, &r->lat) < 0 || parse_coord(lon, 180, &r->lon) < 0)
		return load_error(ld, "bad lat/lon");
	r->has_location = !is_military_state(r->state);
	if (!r->has_location)
		r->lat = r->lon = 0;
	return 0;
}

/* splits "A;B;C" in place into db->accept */
static void set_acceptable(struct loader *ld, struct zip_record *r, char *list)
{
	const char **out = ld->db->accept + ld->n_accept;

	r->acceptable_cities = out;
	r->n_acceptable = 0;
	while (list && *list) {
		char *semi = strchr(list, ';');
		if (semi)
			*semi = '\0';
		fold_upper(list);
		if (*list)
			out[r->n_acceptable++] = list;
		list = semi ? semi + 1 : NULL;
	}
	ld->n_accept += r->n_acceptable;
}

/* the row's field for column c, or NULL if the file has no such column or the row is short */
static char *col_field(const struct loader *ld, char **fields, size_t n, enum col c)
{
	return ld->cols[c] >= 0 && (size_t)ld->cols[c] < n ? fields[ld->cols[c]] : NULL;
}

/* folds a name column in place; "" if absent */
static const char *col_name(const struct loader *ld, char **fields, size_t n, enum col c)
{
	char *f = col_field(ld, fields, n, c);

	if (!f)
		return "";
	fold_upper(f);
	return f;
}

static const char *col_text(const struct loader *ld, char **fields, size_t n, enum col c)
{
	const char *f = col_field(ld, fields, n, c);

	return f ? f : "";
}

static int fill_codes(struct loader *ld, struct zip_record *r, char **fields, size_t n)
{
	const char *zip = col_text(ld, fields, n, C_ZIP);
	const char *state = col_text(ld, fields, n, C_STATE);
	const char *fips = col_text(ld, fields, n, C_FIPS);

	if (!is_digits(zip, 5))
		return load_error(ld, "zip is not five digits");
	if (parse_type(col_text(ld, fields, n, C_TYPE), &r->type) < 0)
		return load_error(ld, "unknown type");
	if (strlen(state) != 2)
		return load_error(ld, "state is not two letters");
	if (*fips && !is_digits(fips, 5))
		return load_error(ld, "county_fips is not five digits");
	memcpy(r->zip, zip, 6);
	r->state[0] = fold_ascii(state[0]);
	r->state[1] = fold_ascii(state[1]);
	r->state[2] = '\0';
	memcpy(r->county_fips, fips, strlen(fips) + 1);
	return 0;
}

static int fill_record(struct loader *ld, struct zip_record *r, char **fields, size_t n)
{
	if (fill_codes(ld, r, fields, n) < 0)
		return -1;
	r->primary_city = col_name(ld, fields, n, C_CITY);
	if (!*r->primary_city)
		return load_error(ld, "empty primary_city");
	r->county = col_name(ld, fields, n, C_COUNTY);
	r->timezone = col_text(ld, fields, n, C_TZ);
	set_acceptable(ld, r, col_field(ld, fields, n, C_ACCEPT));
	return set_location(ld, r, col_text(ld, fields, n, C_LAT),
			    col_text(ld, fields, n, C_LON));
}

static int read_rows(struct loader *ld, struct csv *csv)
{
	struct zipdb *db = ld->db;

	for (;;) {
		struct zip_record *r = &db->recs[db->n_recs];
		enum csv_result rc = csv_next(csv);
		size_t slot;
		if (rc == CSV_END)
			return 0;
		ld->line = csv->line;
		if (rc != CSV_ROW || csv->n_fields > ROW_MAX_FIELDS)
			return load_error(ld, "malformed row (quotes or too many fields)");
		if (fill_record(ld, r, csv->fields, csv->n_fields) < 0)
			return -1;
		slot = zip_slot(r->zip);
		if (!db->by_zip[slot])	/* a repeated ZIP: the first row wins */
			db->by_zip[slot] = (uint32_t)++db->n_recs;
	}
}

/* ------------------------------------------------------------------------------------- */
/* Indexes */

static int cmp_city_entry(const void *a, const void *b)
{
	const struct city_entry *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	c = strcmp(x->rec->state, y->rec->state);
	if (c)
		return c;
	if (x->preferred != y->preferred)
		return x->preferred ? -1 : 1;
	return strcmp(x->rec->zip, y->rec->zip);
}

/* adds name's key for record r unless r already has that key */
static void add_city(struct zipdb *db, char **kp, const struct zip_record *r,
		     const char *name, bool pref)
{
	char key[KEY_MAX];
	size_t len = city_key(name, key, sizeof(key), false);

	if (!len)
		return;
	for (size_t j = db->n_cities; j-- > 0 && db->cities[j].rec == r;)
		if (strcmp(db->cities[j].key, key) == 0)
			return;
	memcpy(*kp, key, len + 1);
	db->cities[db->n_cities++] = (struct city_entry){ *kp, r, pref };
	*kp += len + 1;
}

static int build_cities(struct zipdb *db, size_t text_len)
{
	size_t n = db->n_recs;
	char *kp;

	for (size_t i = 0; i < db->n_recs; i++)
		n += db->recs[i].n_acceptable;
	db->cities = malloc(n * sizeof(*db->cities));
	db->keys = malloc(text_len + n + 1);	/* a key is never longer than its name */
	if (!db->cities || !db->keys)
		return -1;
	kp = db->keys;
	for (size_t i = 0; i < db->n_recs; i++) {
		const struct zip_record *r = &db->recs[i];
		add_city(db, &kp, r, r->primary_city, true);
		for (size_t j = 0; j < r->n_acceptable; j++)
			add_city(db, &kp, r, r->acceptable_cities[j], false);
	}
	qsort(db->cities, db->n_cities, sizeof(*db->cities), cmp_city_entry);
	return 0;
}

static size_t grid_cell(double lat, double lon)
{
	int row = (int)floor(lat + 90.0), col = (int)floor(lon + 180.0);

	row = row < 0 ? 0 : row >= GRID_ROWS ? GRID_ROWS - 1 : row;
	col = ((col % GRID_COLS) + GRID_COLS) % GRID_COLS;
	return (size_t)row * GRID_COLS + (size_t)col;
}

/* a point on the unit sphere, for chord distances (see "Nearest ZIPs") */
static void unit_vector(double lat, double lon, double v[3])
{
	double la = lat * DEG_TO_RAD, lo = lon * DEG_TO_RAD;

	v[0] = cos(la) * cos(lo);
	v[1] = cos(la) * sin(lo);
	v[2] = sin(la);
}

static int build_grid(struct zipdb *db)
{
	size_t ncell = (size_t)GRID_ROWS * GRID_COLS;
	uint32_t *fill;

	db->cell_start = calloc(ncell + 1, sizeof(uint32_t));
	db->cell_recs = malloc((db->n_recs + 1) * sizeof(uint32_t));
	db->xyz = calloc(db->n_recs, sizeof(*db->xyz));
	fill = calloc(ncell, sizeof(uint32_t));
	if (!db->cell_start || !db->cell_recs || !db->xyz || !fill) {
		free(fill);
		return -1;
	}
	for (size_t i = 0; i < db->n_recs; i++) {
		const struct zip_record *r = &db->recs[i];
		if (!r->has_location)
			continue;
		db->cell_start[grid_cell(r->lat, r->lon) + 1]++;
		unit_vector(r->lat, r->lon, db->xyz[i]);
	}
	for (size_t c = 0; c < ncell; c++)
		db->cell_start[c + 1] += db->cell_start[c];
	for (uint32_t i = 0; i < db->n_recs; i++) {
		const struct zip_record *r = &db->recs[i];
		size_t c;
		if (!r->has_location)
			continue;
		c = grid_cell(r->lat, r->lon);
		db->cell_recs[db->cell_start[c] + fill[c]++] = i;
	}
	free(fill);
	return 0;
}

/* sized from the text: one record per line, one acceptable name per line or ';' at most */
static int alloc_tables(struct zipdb *db, size_t text_len)
{
	size_t lines = count_char(db->text, text_len, '\n') + 1;
	size_t semis = count_char(db->text, text_len, ';');

	db->recs = calloc(lines, sizeof(*db->recs));
	db->accept = calloc(lines + semis, sizeof(*db->accept));
	db->by_zip = calloc(N_ZIPS, sizeof(*db->by_zip));
	return db->recs && db->accept && db->by_zip ? 0 : -1;
}

static int zipdb_fill(struct zipdb *db, struct loader *ld)
{
	struct csv csv;
	size_t len = 0;
	int rc;

	db->text = read_file(ld->path, &len, ld->err, ld->errlen);
	if (!db->text)
		return -1;
	if (alloc_tables(db, len) < 0)
		return load_error(ld, "out of memory");
	/* fields are cut in db->text, which keeps them */
	if (csv_init_string(&csv, db->text, HEADER_MAX_FIELDS, ROW_MAX_BYTES) < 0)
		return load_error(ld, "out of memory");
	rc = read_header(ld, &csv) < 0 || read_rows(ld, &csv) < 0 ? -1 : 0;
	csv_release(&csv);
	if (rc < 0)
		return -1;
	if (db->n_recs == 0)
		return load_error(ld, "no rows");
	if (build_cities(db, len) < 0 || build_grid(db) < 0)
		return load_error(ld, "out of memory");
	return 0;
}

struct zipdb *zipdb_load(const char *csv_path, char *err, size_t errlen)
{
	struct loader ld = { .path = csv_path, .err = err, .errlen = errlen };
	struct zipdb *db = calloc(1, sizeof(*db));

	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ld.db = db;
	if (zipdb_fill(db, &ld) < 0) {
		zipdb_free(db);
		return NULL;
	}
	return db;
}

void zipdb_free(struct zipdb *db)
{
	if (!db)
		return;
	free(db->text);
	free(db->recs);
	free(db->accept);
	free(db->by_zip);
	free(db->cities);
	free(db->keys);
	free(db->cell_start);
	free(db->cell_recs);
	free(db->xyz);
	free(db);
}

size_t zipdb_count(const struct zipdb *db)
{
	return db->n_recs;
}

const char *zipdb_default_path(void)
{
	static char path[4096];	/* read once at start */
	const char *env = getenv("FRANK_ZIP_DATA");

	if (env && *env)
		return env;
	return share_file(share_dir_from_env(), SHARE_ZIP_DATA, path, sizeof(path)) ? path : "";
}

const char *zip_type_name(enum zip_type t)
{
	static const char *const names[] = { "standard", "po_box", "military", "unique" };

	return (unsigned)t < 4 ? names[t] : "";
}

/* ------------------------------------------------------------------------------------- */
/* Lookups by ZIP and city */

const struct zip_record *zipdb_lookup(const struct zipdb *db, const char *zip5)
{
	uint32_t slot;

	if (!zip5 || !is_digits(zip5, 5))
		return NULL;
	slot = db->by_zip[zip_slot(zip5)];
	return slot ? &db->recs[slot - 1] : NULL;
}

bool zipdb_city_matches(const struct zip_record *r, const char *city)
{
	char want[KEY_MAX], have[KEY_MAX];

	if (!city || !city_key(city, want, sizeof(want), false))
		return false;
	if (city_key(r->primary_city, have, sizeof(have), false) && strcmp(have, want) == 0)
		return true;
	for (size_t i = 0; i < r->n_acceptable; i++)
		if (city_key(r->acceptable_cities[i], have, sizeof(have), false) &&
		    strcmp(have, want) == 0)
			return true;
	return false;
}

/* first city entry whose key is >= key (prefix: the first that starts with it, if any) */
static size_t city_lower_bound(const struct zipdb *db, const char *key)
{
	size_t lo = 0, hi = db->n_cities;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(db->cities[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool state_ok(const struct zip_record *r, const char *state)
{
	return !state || !*state ||
	       (fold_ascii(state[0]) == r->state[0] && fold_ascii(state[1]) == r->state[1] &&
		!state[2]);
}

size_t zipdb_by_city(const struct zipdb *db, const char *city, const char *state,
		     const struct zip_record **out, size_t max)
{
	char key[KEY_MAX];
	size_t lo, hi, n = 0;

	if (!city || !city_key(city, key, sizeof(key), false))
		return 0;
	lo = city_lower_bound(db, key);
	for (hi = lo; hi < db->n_cities && strcmp(db->cities[hi].key, key) == 0; hi++)
		;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = lo; i < hi && n < max; i++) {
			const struct city_entry *e = &db->cities[i];
			if (e->preferred == (pass == 0) && state_ok(e->rec, state))
				out[n++] = e->rec;
		}
	}
	return n;
}

struct key_range {
	size_t lo, hi;		/* [lo, hi) in db->cities */
};

#define MAX_PREFIX_KEYS	(1 + sizeof(key_alias) / sizeof(key_alias[0]))

/* the entries whose key starts with key */
static struct key_range prefix_range(const struct zipdb *db, const char *key)
{
	size_t len = strlen(key);
	struct key_range r = { city_lower_bound(db, key), 0 };

	for (r.hi = r.lo; r.hi < db->n_cities && strncmp(db->cities[r.hi].key, key, len) == 0;)
		r.hi++;
	return r;
}

/*
 * The keys a typed prefix may stand for: as typed, and, when its last word may be the start
 * of an abbreviated word ("SAI", "FORT"), with that word abbreviated ("ST", "FT").
 */
static size_t prefix_keys(const char *prefix, char keys[][KEY_MAX])
{
	char word[KEY_MAX];
	size_t n = 1, klen, wlen = 0, len = strlen(prefix);

	klen = city_key(prefix, keys[0], KEY_MAX, true);
	if (!klen || len >= KEY_MAX)
		return klen ? 1 : 0;
	memcpy(word, prefix, len + 1);
	fold_upper(word);
	len = strlen(word);
	while (wlen < len && is_alnum(word[len - wlen - 1]))
		wlen++;
	if (wlen == 0 || wlen > klen)
		return 1;	/* ends with a separator: nothing is half-typed */
	for (size_t i = 0; i < sizeof(key_alias) / sizeof(key_alias[0]); i++) {
		size_t slen = strlen(key_alias[i][1]), stem = klen - wlen;
		if (strncmp(key_alias[i][0], word + len - wlen, wlen) != 0 ||
		    stem + slen >= KEY_MAX)
			continue;
		memcpy(keys[n], keys[0], stem);
		memcpy(keys[n] + stem, key_alias[i][1], slen + 1);
		n++;
	}
	return n;
}

static int cmp_range(const void *a, const void *b)
{
	const struct key_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

size_t zipdb_city_prefix(const struct zipdb *db, const char *prefix, const char *state,
			 const struct zip_record **out, size_t max)
{
	char keys[MAX_PREFIX_KEYS][KEY_MAX];
	struct key_range ranges[MAX_PREFIX_KEYS];
	size_t nkeys = prefix ? prefix_keys(prefix, keys) : 0, n = 0, next = 0;

	for (size_t k = 0; k < nkeys; k++)
		ranges[k] = prefix_range(db, keys[k]);
	qsort(ranges, nkeys, sizeof(ranges[0]), cmp_range);
	/* visit the union of the ranges in order, so the output stays sorted */
	for (size_t k = 0; k < nkeys && n < max; k++) {
		for (size_t i = ranges[k].lo > next ? ranges[k].lo : next; i < ranges[k].hi; i++) {
			const struct city_entry *e = &db->cities[i];
			if (n == max)
				break;
			if (e->preferred && state_ok(e->rec, state))
				out[n++] = e->rec;
		}
		if (ranges[k].hi > next)
			next = ranges[k].hi;
	}
	return n;
}

/* ------------------------------------------------------------------------------------- */
/* Nearest ZIPs */

/*
 * Distances are compared as squared chords between points on the unit sphere (no trig per
 * candidate); the chord c gives the great-circle distance 2R asin(c / 2), the same value
 * as the haversine formula.
 */
static double chord2(const double a[3], const double b[3])
{
	double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];

	return dx * dx + dy * dy + dz * dz;
}

static double chord2_to_miles(double c2)
{
	double half = sqrt(c2) / 2;

	return 2 * EARTH_MILES * asin(half < 1 ? half : 1);
}

static double miles_to_chord2(double miles)
{
	double angle = miles / EARTH_MILES;
	double c = angle >= M_PI_VALUE ? 2 : 2 * sin(angle / 2);

	return c * c;
}

struct near_query {
	const struct zipdb *db;
	double at[3];			/* the query point */
	struct zip_distance *out;	/* .miles holds the squared chord until the end */
	size_t n, max;
};

static bool closer(double d, const struct zip_record *r, const struct zip_distance *than)
{
	return d < than->miles || (d == than->miles && strcmp(r->zip, than->rec->zip) < 0);
}

/* keeps out[] sorted, nearest first, at most max long */
static void near_offer(struct near_query *q, uint32_t i)
{
	const struct zip_record *r = &q->db->recs[i];
	double d = chord2(q->at, q->db->xyz[i]);
	size_t pos = q->n;

	if (q->n == q->max && !closer(d, r, &q->out[q->n - 1]))
		return;
	if (q->n < q->max)
		q->n++;
	else
		pos = q->max - 1;
	while (pos > 0 && closer(d, r, &q->out[pos - 1])) {
		q->out[pos] = q->out[pos - 1];
		pos--;
	}
	q->out[pos] = (struct zip_distance){ r, d };
}

static void near_cell(struct near_query *q, int row, int col)
{
	size_t c;

	if (row < 0 || row >= GRID_ROWS)
		return;
	col = ((col % GRID_COLS) + GRID_COLS) % GRID_COLS;
	c = (size_t)row * GRID_COLS + (size_t)col;
	for (uint32_t k = q->db->cell_start[c]; k < q->db->cell_start[c + 1]; k++)
		near_offer(q, q->db->cell_recs[k]);
}

/* the cells at Chebyshev distance ring from (row, col) */
static void near_ring(struct near_query *q, int row, int col, int ring)
{
	for (int dr = -ring; dr <= ring; dr++) {
		if (dr == -ring || dr == ring) {
			for (int dc = -ring; dc <= ring; dc++)
				near_cell(q, row + dr, col + dc);
		} else {
			near_cell(q, row + dr, col - ring);
			near_cell(q, row + dr, col + ring);
		}
	}
}

/*
 * A lower bound on the distance from the query to any point in ring `ring`: such a point
 * is at least ring - 1 whole degrees away in latitude or in longitude. A degree of
 * longitude is shortest at the highest latitude the ring reaches; 0.95 allows for great
 * circles cutting across parallels.
 */
static double ring_min_miles(double lat, int ring)
{
	double deg = ring - 1, maxlat = fabs(lat) + ring;

	if (ring <= 1)
		return 0;
	if (maxlat > 89.0)
		maxlat = 89.0;
	return deg * 69.0 * cos(maxlat * DEG_TO_RAD) * 0.95;
}

static size_t near_finish(struct near_query *q)
{
	for (size_t i = 0; i < q->n; i++)
		q->out[i].miles = chord2_to_miles(q->out[i].miles);
	return q->n;
}

size_t zipdb_nearest(const struct zipdb *db, double lat, double lon, struct zip_distance *out,
		     size_t max)
{
	struct near_query q = { .db = db, .out = out, .max = max };
	size_t cell;
	int row, col;

	if (max == 0 || !isfinite(lat) || !isfinite(lon) || fabs(lat) > 90 || fabs(lon) > 180)
		return 0;
	unit_vector(lat, lon, q.at);
	cell = grid_cell(lat, lon);
	row = (int)(cell / GRID_COLS);
	col = (int)(cell % GRID_COLS);
	for (int ring = 0; ring <= GRID_MAX_RING; ring++) {
		if (q.n == max && miles_to_chord2(ring_min_miles(lat, ring)) > out[max - 1].miles)
			return near_finish(&q);
		near_ring(&q, row, col, ring);
	}
	q.n = 0;	/* far from everything: scan it all */
	for (uint32_t i = 0; i < db->n_recs; i++)
		if (db->recs[i].has_location)
			near_offer(&q, i);
	return near_finish(&q);
}
