// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Copies a SQLite installation's database (DIR/frank.db) into PostgreSQL, for
 * `frank migrate-store`. Files (assets) are not copied: PostgreSQL nodes keep them in the same
 * data directory, which they share.
 *
 * Idempotent and resumable: each table is copied in primary-key order, in batches, each batch
 * one transaction of INSERT … ON CONFLICT DO NOTHING; a rerun after an interruption (or after
 * a complete copy) inserts only the rows that are missing. Then every table is verified on
 * both sides: row count and a SHA-256 of the rows' canonical text in primary-key order.
 */
#ifndef FRANK_STORE_MIGRATE_STORE_H
#define FRANK_STORE_MIGRATE_STORE_H
#include <jansson.h>
#include "core/err.h"

/*
 * Copies data_dir's SQLite store into the PostgreSQL database `to` (postgres:// or
 * postgresql://; its migrations run first) and verifies it. Takes data_dir's lock (refused
 * while frankd runs on it). Returns the summary (caller decrefs):
 *   {"ok", "copied", "tables": [{"table", "rows_copied", "rows_present", "count",
 *    "checksum_ok", "sha256"}…], "seconds", "rows_per_second"}
 * "ok" false (a table's count or checksum differs) still returns the summary; NULL with *err
 * when the copy could not run (lock, missing database, schema mismatch, connection, SQL).
 */
json_t *store_migrate(const char *data_dir, const char *to, struct api_error *err);
#endif
