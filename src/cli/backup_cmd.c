// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank backup | restore | check: a consistent copy of a data directory while frankd runs,
 * putting one back, and verifying one (store/backup.h). Each prints one JSON object on
 * stdout; errors go to stderr. check exits 1 when anything is wrong.
 */
#include "cli/commands.h"
#include "store/backup.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_json(json_t *j)
{
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	printf("%s\n", text ? text : "{}");
	free(text);
	json_decref(j);
}

static void print_stats(const char *what, const char *dir, const struct backup_stats *st,
			const struct timespec *t0)
{
	print_json(json_pack("{sssssfsisIsIsIsI}", "result", what, "dir", dir, "seconds",
			     seconds_since(t0), "schema_version", st->schema_version, "db_bytes",
			     (json_int_t)st->db_bytes, "assets", (json_int_t)st->assets,
			     "asset_bytes", (json_int_t)st->asset_bytes, "assets_referenced",
			     (json_int_t)st->referenced));
}

/*
 * backup, restore and check work on the SQLite file; a PostgreSQL store has its own tools,
 * which also see what other nodes write while they run
 */
static bool on_postgres(const char *cmd)
{
	const char *db = getenv("FRANK_DATABASE");
	if (!db || !*db)
		return false;
	fprintf(stderr, "frank: %s works on the SQLite store; with FRANK_DATABASE (PostgreSQL) use"
			" pg_dump / pg_restore for the database and copy the data directory's files"
			" (docs/internals/store-postgres.md)\n", cmd);
	return true;
}

int cmd_backup(struct cli_args *a)
{
	if (on_postgres("backup"))
		return 2;
	struct backup_stats st;
	struct api_error err = { 0 };
	struct timespec t0;
	if (!a->positional) {
		fprintf(stderr, "usage: frank backup --data DIR OUT (OUT: a new or empty directory)\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_backup(a->data, a->positional, &st, &err) < 0) {
		fprintf(stderr, "frank: backup failed: %s\n", err.message);
		return 1;
	}
	print_stats("backup", a->positional, &st, &t0);
	return 0;
}

int cmd_restore(struct cli_args *a)
{
	if (on_postgres("restore"))
		return 2;
	struct backup_stats st;
	struct api_error err = { 0 };
	struct timespec t0;
	if (!a->positional) {
		fprintf(stderr, "usage: frank restore --data DIR [--force] BACKUP\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (store_restore(a->positional, a->data, a->force, &st, &err) < 0) {
		fprintf(stderr, "frank: restore failed: %s\n", err.message);
		return 1;
	}
	print_stats("restore", a->data, &st, &t0);
	return 0;
}

int cmd_check(struct cli_args *a)
{
	if (on_postgres("check"))
		return 2;
	struct api_error err = { 0 };
	json_t *report = store_check(a->data, &err);
	if (!report) {
		fprintf(stderr, "frank: check failed: %s\n", err.message);
		print_json(json_pack("{sbsssss}", "ok", 0, "data", a->data, "error", err.message));
		return 1;
	}
	int ok = json_is_true(json_object_get(report, "ok"));
	print_json(report);
	return ok ? 0 : 1;
}
