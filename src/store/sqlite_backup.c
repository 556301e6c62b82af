// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Backups, restores and checks of a SQLite data directory (backup.h). The database is
 * copied with SQLite's online backup API, in steps of BACKUP_STEP_PAGES pages, all under
 * one read transaction on the source: the copy is one snapshot, and it is never restarted
 * by frankd's commits (a step outside a read transaction would see them and start over).
 * In WAL mode that read transaction does not block frankd's writer; it only keeps
 * checkpoints from going past the snapshot until the copy ends.
 */
#include "store/backup.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "store/assets.h"
#include "store/migrations.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define BACKUP_STEP_PAGES 1024	/* 4 MiB of 4 KiB pages per step */
#define DB_NAME "frank.db"
#define SECRET_NAME "asset_secret"	/* sign/asset_urls.c: the key of signed links */
#define LOCK_NAME "frankd.lock"

static int path_in(char *out, size_t n, const char *dir, const char *name)
{
	int w = snprintf(out, n, "%s/%s", dir, name);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static int fail_db(struct api_error *err, sqlite3 *db, const char *what, const char *path)
{
	return api_fail(err, ERR_INTERNAL, "%s %.200s: %s", what, path,
			db ? sqlite3_errmsg(db) : "out of memory");
}

/* an existing database (never created here); NULL with *err */
static sqlite3 *open_db(const char *path, int flags, struct api_error *err)
{
	sqlite3 *db = NULL;
	if (access(path, F_OK) != 0) {
		api_fail(err, ERR_NOT_FOUND, "no database at %.200s", path);
		return NULL;
	}
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		fail_db(err, db, "cannot open", path);
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	return db;
}

/* the first column of the first row as an integer; -1 when there is none */
static long long query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Copies src into the database file at dst_path (replaced), step by step (the caller holds
 * the read transaction that makes it one snapshot). The copy is left in rollback-journal
 * mode: one self-contained file. 0 or -1 (*err).
 */
static int copy_db(sqlite3 *src, const char *dst_path, struct api_error *err)
{
	sqlite3 *dst = NULL;
	unlink(dst_path);
	if (sqlite3_open_v2(dst_path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		fail_db(err, dst, "cannot create", dst_path);
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		fail_db(err, dst, "cannot start the copy into", dst_path);
		sqlite3_close(dst);
		return -1;
	}
	int rc;
	do {
		rc = sqlite3_backup_step(b, BACKUP_STEP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		api_fail(err, ERR_INTERNAL, "copying the database into %.200s: %s", dst_path,
			 sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	/* one file, no -wal beside it; synchronous FULL so the copy is on disk at close */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		fail_db(err, dst, "cannot finish", dst_path);
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_close(dst);
	int fd = open(dst_path, O_RDONLY | O_CLOEXEC);
	rc = fd >= 0 ? fsync(fd) : -1;
	if (fd >= 0)
		close(fd);
	return rc < 0 ? api_fail(err, ERR_INTERNAL, "cannot sync %.200s: %s", dst_path,
				 strerror(errno))
		      : 0;
}

/* the copy's file (temp name, then renamed over final): the snapshot of src_path */
static int snapshot_db(const char *src_path, const char *dst_dir, int *schema,
		       unsigned long long *bytes, struct api_error *err)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	struct stat stt;
	if (path_in(tmp, sizeof(tmp), dst_dir, DB_NAME ".partial") < 0 ||
	    path_in(final, sizeof(final), dst_dir, DB_NAME) < 0)
		return api_fail(err, ERR_INVALID, "path too long: %.200s", dst_dir);
	sqlite3 *src = open_db(src_path, SQLITE_OPEN_READWRITE, err);
	if (!src)
		return -1;
	/* the read transaction that makes every step read the same snapshot */
	int rc = sqlite3_exec(src, "BEGIN; SELECT COUNT(*) FROM sqlite_schema;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		fail_db(err, src, "cannot read", src_path);
		sqlite3_close(src);
		return -1;
	}
	*schema = (int)query_int(src, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
	rc = copy_db(src, tmp, err);
	sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(src);
	if (rc < 0)
		return -1;
	if (rename(tmp, final) < 0 || assets_fsync_dir(dst_dir) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot write %.200s: %s", final, strerror(errno));
	*bytes = stat(final, &stt) == 0 ? (unsigned long long)stt.st_size : 0;
	return 0;
}

/* a small file (the asset secret) copied durably; absent: nothing to do */
static int copy_small(const char *from_dir, const char *to_dir, const char *name,
		      struct api_error *err)
{
	char src[PATH_MAX], dst[PATH_MAX], tmp[PATH_MAX];
	unsigned char buf[4096];
	if (path_in(src, sizeof(src), from_dir, name) < 0 ||
	    path_in(dst, sizeof(dst), to_dir, name) < 0 ||
	    path_in(tmp, sizeof(tmp), to_dir, ".tmp-XXXXXX") < 0)
		return api_fail(err, ERR_INVALID, "path too long");
	int in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? 0 : api_fail(err, ERR_INTERNAL, "cannot read %.200s: %s",
						       src, strerror(errno));
	ssize_t n = read(in, buf, sizeof(buf));
	close(in);
	int out = n >= 0 ? mkostemp(tmp, O_CLOEXEC) : -1;
	bool ok = out >= 0 && write(out, buf, (size_t)n) == n && fsync(out) == 0;
	if (out >= 0 && close(out) < 0)
		ok = false;
	if (!ok || rename(tmp, dst) < 0 || assets_fsync_dir(to_dir) < 0) {
		if (out >= 0)
			unlink(tmp);
		return api_fail(err, ERR_INTERNAL, "cannot copy %.200s: %s", src, strerror(errno));
	}
	return 0;
}

/* everything written under dir reaches the disk: one syncfs for all the files copied */
static int sync_tree(const char *dir, struct api_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = fd >= 0 ? syncfs(fd) : -1;
	if (fd >= 0)
		close(fd);
	return rc < 0 ? api_fail(err, ERR_INTERNAL, "cannot sync %.200s: %s", dir, strerror(errno))
		      : 0;
}

/* ---- the asset keys a database names ---- */

/*
 * Every string in any object's JSON shaped like an asset key ("<sha256>.<ext>"): render
 * inputs name their uploaded and rendered files that way. Reading the JSON rather than a
 * list of fields keeps this right when a new kind of object starts naming assets.
 */
static json_t *referenced_keys(sqlite3 *db, struct api_error *err)
{
	static const char sql[] =
		"SELECT DISTINCT t.value FROM objects o, json_tree(o.json) t"
		" WHERE t.type = 'text' AND length(t.value) BETWEEN 66 AND 73"
		" AND substr(t.value, 65, 1) = '.'";
	sqlite3_stmt *st = NULL;
	json_t *keys = json_array();
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail_db(err, db, "cannot list the assets of", "the database");
		json_decref(keys);
		return NULL;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		if (assets_key_valid(k))
			json_array_append_new(keys, json_string(k));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		fail_db(err, db, "cannot list the assets of", "the database");
		json_decref(keys);
		return NULL;
	}
	return keys;
}

static const char *asset_rel(char *buf, size_t n, const char *key)
{
	snprintf(buf, n, "assets/%.2s/%s", key, key + 2);
	return buf;
}

/* ---- backup ---- */

/* dir: created, or an existing empty directory (or any, with force); hint ends the refusal */
static int prepare_empty_dir(const char *dir, bool force, const char *hint,
			     struct api_error *err)
{
	if (mkdir(dir, 0700) == 0)
		return 0;
	if (errno != EEXIST)
		return api_fail(err, ERR_INTERNAL, "cannot create %.200s: %s", dir, strerror(errno));
	DIR *d = opendir(dir);
	if (!d)
		return api_fail(err, ERR_INVALID, "%.200s exists and is not a directory", dir);
	bool empty = true;
	for (struct dirent *e; (e = readdir(d));)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    strcmp(e->d_name, LOCK_NAME) != 0)
			empty = false;
	closedir(d);
	if (!empty && !force)
		return api_fail(err, ERR_CONFLICT, "%.200s is not empty; %s", dir, hint);
	return 0;
}

struct copy_walk {
	const char *from, *to;
	struct backup_stats *st;
	struct api_error *err;
};

static int copy_one(const char *key, void *ctx)
{
	struct copy_walk *w = ctx;
	unsigned long long size = 0;
	char rel[PATH_MAX];
	int rc = assets_copy(w->from, w->to, key, &size, w->err);
	if (rc == 1)
		return api_fail(w->err, ERR_INTERNAL,
				"%.200s/%s is corrupt: its bytes do not match its SHA-256 name "
				"(run frank check --data %.200s)",
				w->from, asset_rel(rel, sizeof(rel), key), w->from);
	if (rc < 0)
		return -1;
	w->st->assets++;
	w->st->asset_bytes += size;
	return 0;
}

/* every key the copied database names is among the copied files */
static int check_referenced(const char *dir, struct backup_stats *st, struct api_error *err)
{
	char path[PATH_MAX], rel[PATH_MAX];
	if (path_in(path, sizeof(path), dir, DB_NAME) < 0)
		return api_fail(err, ERR_INVALID, "path too long");
	sqlite3 *db = open_db(path, SQLITE_OPEN_READONLY, err);
	if (!db)
		return -1;
	json_t *keys = referenced_keys(db, err);
	sqlite3_close(db);
	if (!keys)
		return -1;
	size_t i;
	json_t *k;
	int rc = 0;
	st->referenced = json_array_size(keys);
	json_array_foreach(keys, i, k) {
		if (assets_path(dir, json_string_value(k), path, sizeof(path)) == 0 &&
		    access(path, F_OK) != 0) {
			rc = api_fail(err, ERR_NOT_FOUND,
				      "%s is named by the database but missing from the data "
				      "directory", asset_rel(rel, sizeof(rel), json_string_value(k)));
			break;
		}
	}
	json_decref(keys);
	return rc;
}

static int write_manifest(const char *dir, const struct backup_stats *st, struct api_error *err)
{
	char path[PATH_MAX], when[25];
	time_format_iso(clock_now_ms(), when);
	json_t *m = json_pack("{sisssisIsIsI}", "format", 1, "created", when, "schema_version",
			      st->schema_version, "db_bytes", (json_int_t)st->db_bytes, "assets",
			      (json_int_t)st->assets, "asset_bytes", (json_int_t)st->asset_bytes);
	int rc = path_in(path, sizeof(path), dir, "backup.json") < 0 || !m ||
			 json_dump_file(m, path, JSON_INDENT(2)) < 0
		 ? api_fail(err, ERR_INTERNAL, "cannot write backup.json in %.200s", dir)
		 : 0;
	json_decref(m);
	return rc;
}

int store_backup(const char *data_dir, const char *out_dir, struct backup_stats *st,
		 struct api_error *err)
{
	char db[PATH_MAX];
	*st = (struct backup_stats){ 0 };
	*err = (struct api_error){ 0 };
	if (path_in(db, sizeof(db), data_dir, DB_NAME) < 0)
		return api_fail(err, ERR_INVALID, "path too long: %.200s", data_dir);
	if (access(db, F_OK) != 0)
		return api_fail(err, ERR_NOT_FOUND, "no database at %.200s", db);
	if (prepare_empty_dir(out_dir, false, "choose a new directory", err) < 0)
		return -1;
	/* first the snapshot, then the files it may name (backup.h: why in this order) */
	if (snapshot_db(db, out_dir, &st->schema_version, &st->db_bytes, err) < 0 ||
	    copy_small(data_dir, out_dir, SECRET_NAME, err) < 0)
		return -1;
	struct copy_walk w = { data_dir, out_dir, st, err };
	int rc = assets_each(data_dir, copy_one, &w);
	if (rc > 0 || (rc < 0 && err->kind == ERR_NONE))
		return api_fail(err, ERR_INTERNAL, "cannot read %.200s/assets", data_dir);
	if (rc < 0 || check_referenced(out_dir, st, err) < 0 || write_manifest(out_dir, st, err) < 0)
		return -1;
	return sync_tree(out_dir, err);
}

/* ---- restore ---- */

int store_lock_dir(const char *data_dir, struct api_error *err)
{
	char path[PATH_MAX];
	if (mkdir(data_dir, 0700) < 0 && errno != EEXIST)
		return api_fail(err, ERR_INTERNAL, "cannot create %.200s: %s", data_dir,
				strerror(errno));
	if (path_in(path, sizeof(path), data_dir, LOCK_NAME) < 0)
		return api_fail(err, ERR_INVALID, "path too long: %.200s", data_dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return api_fail(err, ERR_INTERNAL, "cannot open %.200s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		return e == EWOULDBLOCK
			       ? api_fail(err, ERR_CONFLICT,
					  "%.200s is in use: a frankd (or a restore) runs on it "
					  "(it holds %s); stop it first", data_dir, LOCK_NAME)
			       : api_fail(err, ERR_INTERNAL, "cannot lock %.200s: %s", path,
					  strerror(e));
	}
	return fd;
}

/* removes the database and its WAL files (a --force restore replaces them) */
static int remove_db(const char *dir, struct api_error *err)
{
	static const char *const names[] = { DB_NAME, DB_NAME "-wal", DB_NAME "-shm",
					     DB_NAME "-journal" };
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (path_in(path, sizeof(path), dir, names[i]) < 0 ||
		    (unlink(path) < 0 && errno != ENOENT))
			return api_fail(err, ERR_INTERNAL, "cannot remove %.200s: %s", path,
					strerror(errno));
	return 0;
}

int store_restore(const char *backup_dir, const char *data_dir, bool force,
		  struct backup_stats *st, struct api_error *err)
{
	char src[PATH_MAX], dst[PATH_MAX], tmp[PATH_MAX];
	*st = (struct backup_stats){ 0 };
	*err = (struct api_error){ 0 };
	if (path_in(src, sizeof(src), backup_dir, DB_NAME) < 0 ||
	    path_in(dst, sizeof(dst), data_dir, DB_NAME) < 0 ||
	    path_in(tmp, sizeof(tmp), data_dir, DB_NAME ".partial") < 0)
		return api_fail(err, ERR_INVALID, "path too long");
	sqlite3 *from = open_db(src, SQLITE_OPEN_READONLY, err);
	if (!from)
		return api_fail(err, ERR_NOT_FOUND, "%.200s is not a backup: no %s in it",
				backup_dir, DB_NAME);
	int lock = store_lock_dir(data_dir, err);
	int rc = lock < 0 ? -1 : prepare_empty_dir(data_dir, force,
				 "restore into an empty directory, or replace its database with --force",
				 err);
	if (rc == 0) {
		st->schema_version =
			(int)query_int(from, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
		rc = copy_db(from, tmp, err);
	}
	sqlite3_close(from);
	if (rc == 0 && (remove_db(data_dir, err) < 0 || rename(tmp, dst) < 0))
		rc = err->kind != ERR_NONE ? -1 : api_fail(err, ERR_INTERNAL,
							   "cannot write %.200s: %s", dst,
							   strerror(errno));
	struct stat stt;
	if (rc == 0 && stat(dst, &stt) == 0)
		st->db_bytes = (unsigned long long)stt.st_size;
	if (rc == 0)
		rc = copy_small(backup_dir, data_dir, SECRET_NAME, err);
	if (rc == 0) {
		struct copy_walk w = { backup_dir, data_dir, st, err };
		rc = assets_each(backup_dir, copy_one, &w);
		if (rc > 0 || (rc < 0 && err->kind == ERR_NONE))
			rc = api_fail(err, ERR_INTERNAL, "cannot read %.200s/assets", backup_dir);
	}
	if (rc == 0)
		rc = check_referenced(data_dir, st, err);
	if (rc == 0)
		rc = sync_tree(data_dir, err);
	if (lock >= 0)
		close(lock);
	return rc;
}

/* ---- check ---- */

static json_t *integrity(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	json_t *out = json_array();
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check(20)", -1, &st, NULL) != SQLITE_OK) {
		json_array_append_new(out, json_string(sqlite3_errmsg(db)));
		return out;
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_array_append_new(out, json_string((const char *)sqlite3_column_text(st, 0)));
	if (rc != SQLITE_DONE)
		json_array_append_new(out, json_string(sqlite3_errmsg(db)));
	sqlite3_finalize(st);
	return out;
}

struct present_walk {
	const char *dir;
	json_t *seen;		/* key → true, for the unreferenced ones */
	json_t *corrupt;
	long long present;
};

static int check_present(const char *key, void *ctx)
{
	struct present_walk *w = ctx;
	unsigned long long size;
	bool missing;
	char rel[PATH_MAX];
	struct api_error e = { 0 };
	w->present++;
	if (json_object_get(w->seen, key))
		return 0;	/* checked as a referenced one */
	if (assets_verify(w->dir, key, &size, &missing, &e) != 0)
		json_array_append_new(w->corrupt, json_string(asset_rel(rel, sizeof(rel), key)));
	return 0;
}

json_t *store_check(const char *data_dir, struct api_error *err)
{
	char path[PATH_MAX], rel[PATH_MAX];
	if (path_in(path, sizeof(path), data_dir, DB_NAME) < 0) {
		api_fail(err, ERR_INVALID, "path too long: %.200s", data_dir);
		return NULL;
	}
	sqlite3 *db = open_db(path, SQLITE_OPEN_READWRITE, err);
	if (!db)
		return NULL;
	json_t *ints = integrity(db);
	bool intact = json_array_size(ints) == 1 &&
		      strcmp(json_string_value(json_array_get(ints, 0)), "ok") == 0;
	int expected = store_migrations[store_migrations_count - 1].version;
	long long schema = query_int(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
	long long objects = query_int(db, "SELECT COUNT(*) FROM objects");
	json_t *keys = intact ? referenced_keys(db, err) : json_array();
	sqlite3_close(db);
	if (!keys) {
		json_decref(ints);
		return NULL;
	}
	json_t *missing = json_array(), *corrupt = json_array(), *seen = json_object();
	size_t i;
	json_t *k;
	json_array_foreach(keys, i, k) {
		const char *key = json_string_value(k);
		unsigned long long size;
		bool gone;
		struct api_error e = { 0 };
		int rc = assets_verify(data_dir, key, &size, &gone, &e);
		json_object_set_new(seen, key, json_true());
		if (rc != 0)
			json_array_append_new(gone ? missing : corrupt,
					      json_string(asset_rel(rel, sizeof(rel), key)));
	}
	struct present_walk w = { data_dir, seen, corrupt, 0 };
	if (assets_each(data_dir, check_present, &w) < 0)
		json_array_append_new(corrupt, json_string("assets (cannot be read)"));
	bool ok = intact && schema == expected && json_array_size(missing) == 0 &&
		  json_array_size(corrupt) == 0;
	json_t *out = json_pack("{sbsssosIsisIsIsIsoso}", "ok", ok, "data", data_dir,
				"integrity", ints, "schema_version", (json_int_t)schema,
				"schema_expected", expected, "objects", (json_int_t)objects,
				"assets_referenced", (json_int_t)json_array_size(keys),
				"assets_present", (json_int_t)w.present, "missing", missing,
				"corrupt", corrupt);
	json_decref(keys);
	json_decref(seen);
	return out;
}
