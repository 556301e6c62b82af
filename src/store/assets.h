// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The asset store: rendered PDFs, thumbnails and fetched files, kept in the data directory
 * under their content's SHA-256 (DATA/assets/ab/cdef….ext for the key "abcdef….ext"), so
 * the same bytes are stored once and a key names its bytes forever. Writes are atomic and
 * durable (temp file, fsync, rename, fsync of the directory): when assets_put returns 0
 * the file survives a crash or power loss. Thread- and process-safe: writers of the same
 * key race to rename identical bytes.
 */
#ifndef FRANK_ASSETS_H
#define FRANK_ASSETS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define ASSET_EXT_MAX 8
#define ASSET_KEY_MAX (64 + 1 + ASSET_EXT_MAX + 1)	/* sha256hex '.' ext NUL */

/*
 * stores data under DATA/assets; key_out (ASSET_KEY_MAX bytes) gets "sha256hex.ext".
 * ext: 1–8 of [a-z0-9] ("pdf", "png"). 0, or -1 with *err (ERR_INVALID for a bad ext,
 * ERR_INTERNAL for I/O, message naming the path)
 */
int assets_put(const char *data_dir, const unsigned char *data, size_t len, const char *ext,
	       char *key_out, struct api_error *err);

/*
 * Makes a file already written and synced (a streamed upload, a report written row by row)
 * the asset of its bytes: sha256_hex is their SHA-256, computed by whoever wrote them, path
 * a file in DATA/assets (same file system), which is renamed into place (durably). Large
 * files never pass through memory. 0 (path is gone), or -1 with *err (path left as it was).
 */
int assets_adopt(const char *data_dir, const char *path, const char *sha256_hex,
		 const char *ext, char *key_out, struct api_error *err);

/* stores what fd reads until its end as an asset, streamed (a copy hashed on the way, then
 * adopted): any size in bounded memory. 0, or -1 with *err */
int assets_put_fd(const char *data_dir, int fd, const char *ext, char *key_out,
		  struct api_error *err);

/* exactly 64 lowercase hex, '.', 1–8 of [a-z0-9]: the only keys a path is built from */
bool assets_key_valid(const char *key);

struct asset_file {
	int fd;		/* open for reading; the caller closes it */
	size_t size;
};

/* opens the asset; 0, or -1 with ERR_NOT_FOUND (bad key, missing) / ERR_INTERNAL */
int assets_open(const char *data_dir, const char *key, struct asset_file *out,
		struct api_error *err);

/* the whole asset in memory (*data malloc'd, the caller frees); 0, or -1 as assets_open,
 * or ERR_INTERNAL for a short read */
int assets_read(const char *data_dir, const char *key, unsigned char **data, size_t *len,
		struct api_error *err);

/* the Content-Type for the key's extension ("application/pdf", "image/png", …) */
const char *assets_content_type(const char *key);
/* DATA/assets/ab/cdef….ext for the key; 0, or -1 when it does not fit */
int assets_path(const char *data_dir, const char *key, char *out, size_t n);
/* creates DATA/assets and the key's DATA/assets/ab (durable: each new one fsynced into its
 * parent); dir gets the latter; 0 or -1 */
int assets_make_dir(const char *data_dir, const char *key, bool durable, char *dir, size_t n);

/*
 * Whole-directory work (assets_copy.c), for backups, restores and checks. Every call reads
 * the file through and compares its SHA-256 with its name.
 * assets_verify: 0 the bytes match the name, 1 they do not (or the file is missing:
 * *missing set), -1 cannot read it (*err). *size gets the file's size.
 * assets_copy: copies the asset from one data directory to another (temp file, rename),
 * hashing on the way: 0 copied, 1 the source is corrupt (nothing copied), -1 *err. Nothing
 * is fsynced: a caller copying many files syncs the file system once at the end (one
 * syncfs instead of two fsyncs a file: 1,200 files took 11 s with them).
 * assets_each: fn(key, ctx) for every file under DATA/assets whose name is a key (temp
 * files and strays are skipped); a non-zero fn return stops the walk and is returned. 0 if
 * there is no assets directory.
 */
int assets_verify(const char *data_dir, const char *key, unsigned long long *size, bool *missing,
		  struct api_error *err);
int assets_copy(const char *from_dir, const char *to_dir, const char *key,
		unsigned long long *size, struct api_error *err);
int assets_each(const char *data_dir, int (*fn)(const char *key, void *ctx), void *ctx);
/* how many asset files there are and their bytes (one stat each); 0 or -1 */
int assets_usage(const char *data_dir, unsigned long long *files, unsigned long long *bytes);

/* writes all n bytes to fd (again after EINTR and short writes); 0, or -1 with errno */
int assets_write_all(int fd, const void *data, size_t n);

/* fsyncs a directory, so that a file created or renamed in it survives a crash; 0 or -1 */
int assets_fsync_dir(const char *dir);
#endif
