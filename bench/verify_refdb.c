// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Checks the reference address index at scale: writes 1,000,000 synthetic addresses as an
 * OpenAddresses CSV, loads and freezes them, and prints load time, memory (resident set
 * from /proc/self/statm) and refdb_prefix latency (p50/p99/max over 10,000 random prefixes,
 * with and without filters). Target: autocomplete p99 < 5 ms.
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc bench/verify_refdb.c src/av/refdb.c -lm \
 *      -o verify_refdb && ./verify_refdb [count]
 */
#include "av/refdb.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define N_ZIPS_USED	30000
#define N_STREETS	40000
#define N_QUERIES	10000
#define ZIPS_PER_CITY	4
#define CITIES_PER_STATE 150

static const char *const syllables[] = {
	"AL", "BER", "CAS", "DEL", "ED", "FAIR", "GLEN", "HAR", "IVY", "JUN", "KING", "LAN",
	"MAR", "NOR", "OAK", "PAR", "QUIN", "ROS", "SAN", "TER", "UL", "VAL", "WIL", "YOR",
	"ZEL", "MONT", "CLAIR", "WOOD", "BROOK", "FIELD", "RIDGE", "HILL",
};
static const char *const suffixes[] = { "ST", "AVE", "RD", "BLVD", "LN", "DR", "CT", "PL",
					"WAY", "TER" };
static const char *const dirs[] = { "N ", "S ", "E ", "W " };
static const char *const states[] = {
	"AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
	"IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
	"NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
	"TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY",
};

#define N_SYL (sizeof(syllables) / sizeof(syllables[0]))

struct synth {
	char number[8], street[64], unit[16], city[48], state[3], zip[6];
};

static uint64_t mix(uint64_t x)
{
	x += 0x9E3779B97F4A7C15u;	/* splitmix64 */
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9u;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBu;
	return x ^ (x >> 31);
}

static void name_of(uint64_t id, char *out, size_t len, int parts)
{
	size_t n = 0;

	out[0] = '\0';
	for (int i = 0; i < parts; i++) {
		uint64_t h = mix(id * 7 + (uint64_t)i);
		n += (size_t)snprintf(out + n, len - n, "%s", syllables[h % N_SYL]);
	}
}

static void zip_place(size_t z, struct synth *s)
{
	size_t city = z / ZIPS_PER_CITY;

	snprintf(s->zip, sizeof(s->zip), "%05zu", 10000 + z * 3);
	name_of(1000000 + city, s->city, sizeof(s->city), 2 + (int)(city % 2));
	memcpy(s->state, states[(city / CITIES_PER_STATE) % 50], 3);
}

/* address k, the same every time */
static void synth_address(uint64_t k, struct synth *s)
{
	uint64_t h = mix(k), h2 = mix(h);
	size_t z = h % N_ZIPS_USED, street = (z * 37 + (h >> 20) % 40) % N_STREETS;
	char base[40];

	zip_place(z, s);
	name_of(street, base, sizeof(base), 2 + (int)(street % 2));
	snprintf(s->street, sizeof(s->street), "%s%s %s",
		 street % 4 == 0 ? dirs[street / 4 % 4] : "", base, suffixes[street % 10]);
	snprintf(s->number, sizeof(s->number), "%u", (unsigned)(1 + (h2 % 9999)));
	s->unit[0] = '\0';
	if ((h2 >> 20) % 10 == 0)
		snprintf(s->unit, sizeof(s->unit), "APT %u", (unsigned)(1 + (h2 >> 30) % 40));
}

static int write_csv(const char *path, size_t count)
{
	FILE *f = fopen(path, "w");
	struct synth s;

	if (!f)
		return -1;
	fputs("LON,LAT,NUMBER,STREET,UNIT,CITY,DISTRICT,REGION,POSTCODE,ID,HASH\n", f);
	for (size_t k = 0; k < count; k++) {
		double lon = 70 + (double)(mix(k) % 50000) / 1000;
		double lat = 25 + (double)(mix(k + 1) % 20000) / 1000;
		synth_address(k, &s);
		fprintf(f, "-%.6f,%.6f,%s,%s,%s,%s,,%s,%s,,\n", lon, lat, s.number, s.street,
			s.unit, s.city, s.state, s.zip);
	}
	return fclose(f);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* resident set in MB, from the second field of /proc/self/statm */
static double rss_mb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	unsigned long size = 0, resident = 0;

	if (!f)
		return -1;
	if (fscanf(f, "%lu %lu", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (double)resident * (double)sysconf(_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* peak resident set in MB (VmHWM in /proc/self/status), which includes freeze's scratch */
static double peak_mb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmHWM: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return (double)kb / 1024.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

enum filter { F_NONE, F_ZIP, F_ZIP3, F_CITY_STATE, F_STATE, F_CITY, N_FILTERS };

static const char *const filter_names[N_FILTERS] = {
	"no filter", "zip_code (5 digits)", "zip_code (3 digits)", "city + state",
	"state only", "city only",
};

static void run_queries(const struct refdb *db, size_t count, enum filter fl)
{
	static double ms[N_QUERIES];
	const struct ref_address *out[10];
	size_t hits = 0, results = 0;

	for (size_t q = 0; q < N_QUERIES; q++) {
		uint64_t h = mix(q * 31 + (uint64_t)fl * 1000003);
		struct synth s;
		char line[128], zip3[4];
		const char *city, *state, *zip;
		size_t len, n;
		double t0;

		synth_address(h % count, &s);
		len = (size_t)snprintf(line, sizeof(line), "%s %s", s.number, s.street);
		line[1 + (h >> 32) % len] = '\0';	/* 1..len characters */
		memcpy(zip3, s.zip, 3);
		zip3[3] = '\0';
		city = fl == F_CITY_STATE || fl == F_CITY ? s.city : NULL;
		state = fl == F_CITY_STATE || fl == F_STATE ? s.state : NULL;
		zip = fl == F_ZIP ? s.zip : fl == F_ZIP3 ? zip3 : NULL;
		t0 = now_ms();
		n = refdb_prefix(db, line, city, state, zip, out, 10);
		ms[q] = now_ms() - t0;
		hits += n > 0;
		results += n;
	}
	qsort(ms, N_QUERIES, sizeof(ms[0]), cmp_double);
	printf("  %-20s p50 %7.4f ms  p99 %7.4f ms  max %7.3f ms  "
	       "(%zu/%d with results, %.1f avg)\n", filter_names[fl], ms[N_QUERIES / 2],
	       ms[N_QUERIES * 99 / 100], ms[N_QUERIES - 1], hits, N_QUERIES,
	       (double)results / N_QUERIES);
}

static void run_matches(const struct refdb *db, size_t count)
{
	size_t exact = 0;
	double t0 = now_ms();

	for (size_t q = 0; q < N_QUERIES; q++) {
		struct synth s;
		synth_address(mix(q + 77) % count, &s);
		exact += refdb_match(db, s.zip, s.number, s.street, s.unit, NULL) == REF_EXACT;
	}
	printf("refdb_match: %.2f us per lookup (%zu/%d exact)\n",
	       (now_ms() - t0) * 1e3 / N_QUERIES, exact, N_QUERIES);
}

static size_t parse_count(const char *s)
{
	size_t v = 0;

	for (; s && *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (size_t)(*s - '0');
	return v ? v : 1000000;
}

int main(int argc, char **argv)
{
	size_t count = parse_count(argc > 1 ? argv[1] : NULL);
	char path[] = "/tmp/verify_refdb_XXXXXX";
	int fd = mkstemp(path);
	struct refdb *db;
	char err[256] = "";
	double t0, t1, t2, rss0;
	long added;

	if (fd < 0 || close(fd) < 0 || write_csv(path, count) < 0) {
		fprintf(stderr, "cannot write %s\n", path);
		return 1;
	}
	rss0 = rss_mb();
	db = refdb_new();
	t0 = now_ms();
	added = refdb_load_openaddresses(db, path, NULL, NULL, err, sizeof(err));
	t1 = now_ms();
	refdb_freeze(db);
	t2 = now_ms();
	unlink(path);
	if (added < 0) {
		fprintf(stderr, "load: %s\n", err);
		return 1;
	}
	printf("addresses: %ld rows loaded, %zu after dropping repeats, %zu skipped\n", added,
	       refdb_count(db), refdb_skipped(db));
	printf("load: %.0f ms CSV read + %.0f ms freeze = %.0f ms\n", t1 - t0, t2 - t1, t2 - t0);
	printf("memory: %.0f MB resident for the index (%.0f bytes/address); process %.0f MB, "
	       "peak %.0f MB\n", rss_mb() - rss0,
	       (rss_mb() - rss0) * 1048576.0 / (double)refdb_count(db), rss_mb(), peak_mb());
	printf("refdb_prefix, max 10, %d random prefixes each:\n", N_QUERIES);
	for (int fl = 0; fl < N_FILTERS; fl++)
		run_queries(db, count, (enum filter)fl);
	run_matches(db, count);
	refdb_free(db);
	return 0;
}
