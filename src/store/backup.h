// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Backups, restores and checks of a data directory (frank.db, assets/, asset_secret), for
 * `frank backup | restore | check`. The SQLite store implements them (sqlite_backup.c);
 * PostgreSQL's route is pg_dump (docs/internals/operations.md).
 *
 * Why a backup taken while frankd writes is consistent: the database is copied first, as
 * one read snapshot (SQLite's online backup API under a read transaction; in WAL mode the
 * writer goes on committing meanwhile). Assets are copied after. An asset file is written
 * durably (fsync, rename) before the row that names it commits, and is never changed or
 * removed afterwards, so every file the snapshot names already exists, with its final
 * bytes, when the copy of the files starts. Files written after the snapshot may be copied
 * too; they are unreferenced in the copy and harmless.
 */
#ifndef FRANK_STORE_BACKUP_H
#define FRANK_STORE_BACKUP_H
#include <jansson.h>
#include <stdbool.h>
#include "core/err.h"

struct backup_stats {
	unsigned long long db_bytes;	/* the database copy */
	unsigned long long assets, asset_bytes;	/* asset files copied */
	unsigned long long referenced;	/* distinct asset keys the database names */
	int schema_version;
};

/*
 * Copies data_dir into out_dir (created; refused when it exists and is not empty): the
 * database as one snapshot, then asset_secret and every asset file (each hashed on the
 * way), then backup.json describing it. Fails (-1, *err naming the file) when an asset is
 * corrupt or one the snapshot names is missing: such a backup would not restore whole.
 */
int store_backup(const char *data_dir, const char *out_dir, struct backup_stats *st,
		 struct api_error *err);

/*
 * Puts the backup in backup_dir into data_dir. Refused when data_dir holds a database or
 * assets, unless force (then the database is replaced; assets are content-addressed, so the
 * backup's are added beside any already there). Refused while a frankd runs on data_dir
 * (it holds the directory's lock, store_lock_dir).
 */
int store_restore(const char *backup_dir, const char *data_dir, bool force,
		  struct backup_stats *st, struct api_error *err);

/*
 * Verifies a data directory: PRAGMA integrity_check, the schema version against this
 * build's, every asset the database names present with bytes matching their SHA-256 name,
 * and every asset file present matching its name. Returns the summary (caller decrefs):
 * {"ok", "data", "integrity": [...], "schema_version", "schema_expected", "objects",
 *  "assets_referenced", "assets_present", "missing": [...], "corrupt": [...]}
 * (files as "assets/ab/cdef….pdf"), or NULL with *err when the database cannot be opened.
 */
json_t *store_check(const char *data_dir, struct api_error *err);

/*
 * Takes the data directory's lock (DATA/frankd.lock, flock), creating the directory if
 * needed: frankd holds it while it runs, restore while it writes. The fd (≥ 0) holds the
 * lock until closed (or the process ends); -1 with *err (ERR_CONFLICT when another process
 * holds it).
 */
int store_lock_dir(const char *data_dir, struct api_error *err);
#endif
