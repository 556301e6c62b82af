// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Upload validation speed (bench/uploads): an audience CSV of N rows (default 100,000; 1 in
 * 50 bad) validated as the upload.validate job does it, in test mode (Lob's test rules) and
 * in live mode (every US row through Frank's address engine). Prints rows per second for
 * each, and where the time goes: reading the CSV alone, reading and mapping every row
 * without storing, and the whole job (rows written in batches of 16,384 with the counts, fsynced).
 * Usage: upload_validate [ROWS]   (FRANK_SHARE_DIR: where us_zips.csv is)
 */
#include "av/verify.h"
#include "av/zipdb.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "mail/upload_csv.h"
#include "mail/upload_map.h"
#include "mail/upload_validate.h"
#include "store/assets.h"
#include "store/store.h"
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char UPLOAD[] =
	"{\"id\":\"upl_bench\",\"state\":\"Ready for Validation\",\"requiredAddressColumnMapping\":"
	"{\"name\":\"name\",\"address_line1\":\"line1\",\"address_city\":\"city\",\"address_state\":"
	"\"state\",\"address_zip\":\"zip\"},\"optionalAddressColumnMapping\":{\"address_line2\":"
	"\"line2\",\"company\":\"company\",\"address_country\":null},\"mergeVariableColumnMapping\":"
	"{\"first\":\"first\",\"code\":\"code\"},\"metadata\":{\"columns\":[\"segment\"]}}";

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* real SF streets and ZIPs from the bundled data, so live rows verify like real ones */
static char *make_csv(long rows, size_t *len)
{
	static const char *const streets[] = { "Market St", "Mission St", "King St", "Berry St",
						"Broderick St", "Valencia St", "Folsom St" };
	size_t cap = (size_t)rows * 140 + 256, n = 0;
	char *s = malloc(cap);
	n += (size_t)snprintf(s, cap, "name,company,line1,line2,city,state,zip,first,code,segment\r\n");
	for (long i = 0; i < rows; i++) {
		bool bad = i % 50 == 7;
		n += (size_t)snprintf(s + n, cap - n,
				      "Person %ld,%s,%s%ld %s,%s,San Francisco,%s,94107,P%ld,C%08ld,s%ld\r\n",
				      i, i % 9 ? "" : "\"Acme, Inc.\"", bad ? "\"\"," : "",
				      100 + i % 900, streets[i % 7], i % 5 ? "" : "Apt 2", "CA", i, i,
				      i % 4);
	}
	*len = n;
	return s;
}

static int count_row(void *ctx, const struct ucsv_row *row)
{
	(*(long *)ctx)++;
	(void)row;
	return 0;
}

struct mapper {
	struct upload_map *m;
	struct arena *map_a, *rows_a;
	json_t *upload;
	const struct av_engine *av;
	bool test;
	long valid, failed;
};

static int map_row(void *ctx, const struct ucsv_row *row)
{
	struct mapper *mp = ctx;
	char msg[300];
	if (!mp->m) {
		mp->m = upload_map_compile(mp->upload, row, mp->map_a, msg, sizeof(msg));
		mp->m->av = mp->av;
		mp->m->test = mp->test;
		return 0;
	}
	struct upload_row out;
	upload_map_row(mp->m, row, mp->rows_a, &out);
	out.valid ? mp->valid++ : mp->failed++;
	if ((mp->valid + mp->failed) % 4096 == 0) {
		arena_free(mp->rows_a);
		mp->rows_a = arena_new();
	}
	return 0;
}

int main(int argc, char **argv)
{
	long rows = argc > 1 ? atol(argv[1]) : 100000;
	char dir[] = "/tmp/frank-bench-upl-XXXXXX", key[ASSET_KEY_MAX], path[4096], err_s[256];
	struct api_error err;
	struct av_engine av;
	snprintf(err_s, sizeof(err_s), "no temporary directory");
	if (!mkdtemp(dir) || av_engine_load(&av, zipdb_default_path(), NULL, err_s, sizeof(err_s)) < 0) {
		fprintf(stderr, "setup: %s (FRANK_SHARE_DIR: where us_zips.csv is)\n", err_s);
		rmdir(dir);
		return 1;
	}
	size_t len;
	char *csv = make_csv(rows, &len);
	if (assets_put(dir, (unsigned char *)csv, len, "csv", key, &err) < 0 ||
	    assets_path(dir, key, path, sizeof(path)) < 0)
		return 1;
	printf("upload validation: %ld rows, %.1f MB\n", rows, (double)len / 1e6);

	/* the CSV reader alone */
	long n = 0;
	char msg[300];
	long long bad;
	int fd = open(path, O_RDONLY);
	double t0 = now_s();
	ucsv_read(fd, count_row, &n, msg, sizeof(msg), &bad);
	double t_read = now_s() - t0;
	close(fd);
	printf("  read (libcsv, UTF-8 checks):   %8.0f rows/s  (%.3f s)\n", rows / t_read, t_read);

	/* as frankd runs by default (--sync full): every batch's commit is fsynced */
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = true };
	struct store *s = store_open(&opt, &err);
	if (!s)
		return 1;
	for (int live = 0; live < 2; live++) {
		struct mapper mp = { .map_a = arena_new(), .rows_a = arena_new(),
				     .upload = json_loads(UPLOAD, 0, NULL), .av = &av, .test = !live };
		fd = open(path, O_RDONLY);
		t0 = now_s();
		ucsv_read(fd, map_row, &mp, msg, sizeof(msg), &bad);
		double t_map = now_s() - t0;
		close(fd);
		printf("  %s read + map + check:      %8.0f rows/s  (%.3f s; %ld valid, %ld failed)\n",
		       live ? "live" : "test", rows / t_map, t_map, mp.valid, mp.failed);
		arena_free(mp.map_a);
		arena_free(mp.rows_a);
		json_decref(mp.upload);

		/* the whole job: rows and counts through the store's writer */
		struct store_scope sc = { .account_id = "acc_bench", .mode = live ? MODE_LIVE : MODE_TEST,
					  .kind = UPLOAD_KIND };
		char input[256];
		snprintf(input, sizeof(input), "{\"file\":\"%s\",\"bytes\":%zu}", key, len);
		struct store_change ch[2] = {
			{ .op = STORE_INSERT, .sc = sc, .obj = { .id = "upl_bench", .json = UPLOAD } },
			{ .op = STORE_INSERT, .sc = sc, .obj = { .id = "upli_bench", .json = input } },
		};
		ch[1].sc.kind = UPLOAD_INPUT_KIND;
		struct store_change_set set = { .changes = ch, .n = 2 };
		if (store_apply_sync(s, &set, &err) < 0) {
			fprintf(stderr, "insert: %s\n", err.message);
			return 1;
		}
		struct upload_jobs u = { .store = s, .av = &av, .data_dir = dir };
		t0 = now_s();
		int rc = upload_validate_run(&u, &sc, "upl_bench", NULL, &err);
		double t_job = now_s() - t0;
		printf("  %s whole job (stored):       %8.0f rows/s  (%.3f s)%s\n", live ? "live" : "test",
		       rows / t_job, t_job, rc == 0 ? "" : " FAILED");
		if (!live) {	/* the next run reuses the ids in live mode: make room */
			char cmd[256];
			store_free(s);
			snprintf(cmd, sizeof(cmd), "rm -f %s/frank.db*", dir);
			if (system(cmd) != 0)
				return 1;
			s = store_open(&opt, &err);
			if (!s)
				return 1;
		}
	}
	store_free(s);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	free(csv);
	av_engine_release(&av);
	return 0;
}
