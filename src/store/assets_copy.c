// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Whole asset directories: hashing, copying and walking, for backups, restores and checks.
 * An asset's name is the SHA-256 of its bytes, so every read here doubles as a check: a copy
 * hashes what it copies and refuses a file whose bytes no longer match their name, and a
 * backup never carries a corrupted file forward silently.
 */
#include "store/assets.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COPY_CHUNK (256 * 1024)

/* lowercase hex of the digest */
static void hex_of(const unsigned char *md, unsigned n, char out[65])
{
	static const char digits[] = "0123456789abcdef";
	for (unsigned i = 0; i < n && i < 32; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[64] = '\0';
}

/*
 * reads fd to its end into the digest, writing each chunk to out_fd (≥ 0); 0, -1 (errno).
 * *size gets the bytes read; hex the SHA-256.
 */
static int hash_stream(int fd, int out_fd, unsigned long long *size, char hex[65])
{
	unsigned char *buf = malloc(COPY_CHUNK);	/* not static TLS: frankd links this too */
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned n = 0;
	int rc = -1;
	*size = 0;
	if (!buf || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1)
		goto out;
	for (;;) {
		ssize_t r = read(fd, buf, COPY_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		EVP_DigestUpdate(md, buf, (size_t)r);
		*size += (unsigned long long)r;
		for (ssize_t off = 0; out_fd >= 0 && off < r;) {
			ssize_t w = write(out_fd, buf + off, (size_t)(r - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				goto out;
			off += w;
		}
	}
	if (EVP_DigestFinal_ex(md, digest, &n) == 1) {
		hex_of(digest, n, hex);
		rc = 0;
	}
out:
	EVP_MD_CTX_free(md);
	free(buf);
	return rc;
}

int assets_verify(const char *data_dir, const char *key, unsigned long long *size, bool *missing,
		  struct api_error *err)
{
	char path[PATH_MAX], hex[65];
	*missing = false;
	*size = 0;
	if (!assets_key_valid(key) || assets_path(data_dir, key, path, sizeof(path)) < 0)
		return api_fail(err, ERR_INVALID, "not an asset key: %.80s", key ? key : "");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		*missing = true;
		return 1;
	}
	if (fd < 0)
		return api_fail(err, ERR_INTERNAL, "cannot open %.200s: %s", path, strerror(errno));
	int rc = hash_stream(fd, -1, size, hex);
	close(fd);
	if (rc < 0)
		return api_fail(err, ERR_INTERNAL, "cannot read %.200s: %s", path, strerror(errno));
	return memcmp(hex, key, 64) == 0 ? 0 : 1;
}

int assets_copy(const char *from_dir, const char *to_dir, const char *key,
		unsigned long long *size, struct api_error *err)
{
	char src[PATH_MAX], dst[PATH_MAX], dir[PATH_MAX], tmp[PATH_MAX], hex[65];
	if (!assets_key_valid(key) || assets_path(from_dir, key, src, sizeof(src)) < 0 ||
	    assets_path(to_dir, key, dst, sizeof(dst)) < 0)
		return api_fail(err, ERR_INVALID, "not an asset key: %.80s", key ? key : "");
	if (assets_make_dir(to_dir, key, false, dir, sizeof(dir)) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot create %.200s: %s", dir, strerror(errno));
	int in = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return api_fail(err, ERR_INTERNAL, "cannot open %.200s: %s", src, strerror(errno));
	int w = snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
	int out = w > 0 && (size_t)w < sizeof(tmp) ? mkostemp(tmp, O_CLOEXEC) : -1;
	if (out < 0) {
		close(in);
		return api_fail(err, ERR_INTERNAL, "cannot create a file in %.200s: %s", dir,
				strerror(errno));
	}
	int rc = hash_stream(in, out, size, hex);
	close(in);
	if (rc < 0) {
		api_fail(err, ERR_INTERNAL, "cannot copy %.200s: %s", src, strerror(errno));
		rc = -1;
	} else if (memcmp(hex, key, 64) != 0) {
		rc = 1;	/* corrupt: its bytes are not the ones its name promises */
	}
	if (close(out) < 0 && rc == 0)
		rc = api_fail(err, ERR_INTERNAL, "cannot write %.200s: %s", tmp, strerror(errno));
	if (rc != 0) {
		unlink(tmp);
		return rc;
	}
	if (rename(tmp, dst) < 0) {
		unlink(tmp);
		return api_fail(err, ERR_INTERNAL, "cannot write %.200s: %s", dst, strerror(errno));
	}
	return 0;
}

/* the two-hex-digit subdirectories: "ab" */
static bool is_fanout_dir(const char *name)
{
	return strlen(name) == 2 && strspn(name, "0123456789abcdef") == 2;
}

static int walk_fanout(const char *path, const char *prefix,
		       int (*fn)(const char *key, void *ctx), void *ctx)
{
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int rc = 0;
	char key[ASSET_KEY_MAX + 2];
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		int n = snprintf(key, sizeof(key), "%s%s", prefix, e->d_name);
		if (n > 0 && (size_t)n < sizeof(key) && assets_key_valid(key))
			rc = fn(key, ctx);
	}
	closedir(d);
	return rc;
}

int assets_each(const char *data_dir, int (*fn)(const char *key, void *ctx), void *ctx)
{
	char top[PATH_MAX], sub[PATH_MAX];
	int w = snprintf(top, sizeof(top), "%s/assets", data_dir);
	if (w < 0 || (size_t)w >= sizeof(top))
		return -1;
	DIR *d = opendir(top);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	int rc = 0;
	for (struct dirent *e; rc == 0 && (e = readdir(d));) {
		if (!is_fanout_dir(e->d_name))
			continue;
		w = snprintf(sub, sizeof(sub), "%s/%s", top, e->d_name);
		if (w > 0 && (size_t)w < sizeof(sub))
			rc = walk_fanout(sub, e->d_name, fn, ctx);
	}
	closedir(d);
	return rc;
}

struct usage {
	const char *dir;
	unsigned long long files, bytes;
};

static int add_usage(const char *key, void *ctx)
{
	struct usage *u = ctx;
	char path[PATH_MAX];
	struct stat st;
	if (assets_path(u->dir, key, path, sizeof(path)) == 0 && stat(path, &st) == 0) {
		u->files++;
		u->bytes += (unsigned long long)st.st_size;
	}
	return 0;
}

int assets_usage(const char *data_dir, unsigned long long *files, unsigned long long *bytes)
{
	struct usage u = { data_dir, 0, 0 };
	int rc = assets_each(data_dir, add_usage, &u);
	*files = u.files;
	*bytes = u.bytes;
	return rc;
}
