// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Content-addressed files. The durability sequence (write to a temp file in the target
 * directory, fsync it, rename over the final name, fsync the directory) is what makes a
 * rename both atomic (readers see the old name absent or the whole file) and persistent.
 * New directories are fsynced into their parents for the same reason.
 */
#include "store/assets.h"
#include "core/ids.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool ext_valid(const char *ext, size_t n)
{
	if (n == 0 || n > ASSET_EXT_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((ext[i] >= 'a' && ext[i] <= 'z') || (ext[i] >= '0' && ext[i] <= '9')))
			return false;
	return true;
}

bool assets_key_valid(const char *key)
{
	if (!key)
		return false;
	for (size_t i = 0; i < 64; i++)
		if (!((key[i] >= '0' && key[i] <= '9') || (key[i] >= 'a' && key[i] <= 'f')))
			return false;	/* also stops at a NUL before 64 */
	if (key[64] != '.')
		return false;
	const char *ext = key + 65;
	return ext_valid(ext, strnlen(ext, ASSET_EXT_MAX + 1));
}

int assets_path(const char *data_dir, const char *key, char *out, size_t n)
{
	int w = snprintf(out, n, "%s/assets/%.2s/%s", data_dir, key, key + 2);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int assets_fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* mkdir dir; when created and durable, fsync its parent so the new entry is durable too */
static int ensure_dir(const char *dir, const char *parent, bool durable)
{
	if (mkdir(dir, 0700) == 0)
		return durable ? assets_fsync_dir(parent) : 0;
	return errno == EEXIST ? 0 : -1;
}

int assets_make_dir(const char *data_dir, const char *key, bool durable, char *dir, size_t n)
{
	char top[PATH_MAX];
	int a = snprintf(top, sizeof(top), "%s/assets", data_dir);
	int b = snprintf(dir, n, "%s/assets/%.2s", data_dir, key);
	if (a < 0 || b < 0 || (size_t)a >= sizeof(top) || (size_t)b >= n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return ensure_dir(top, data_dir, durable) < 0 || ensure_dir(dir, top, durable) < 0 ? -1 : 0;
}

int assets_write_all(int fd, const void *data, size_t n)
{
	const unsigned char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* temp file beside the final name, fsync, rename, fsync the directory */
static int write_durably(const char *dir, const char *final, const unsigned char *data,
			 size_t len)
{
	char tmp[PATH_MAX];
	int w = snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", dir);
	if (w < 0 || (size_t)w >= sizeof(tmp))
		return -1;
	int fd = mkostemp(tmp, O_CLOEXEC);	/* mode 0600 */
	if (fd < 0)
		return -1;
	if (assets_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, final) < 0) {
		unlink(tmp);
		return -1;
	}
	return assets_fsync_dir(dir);
}

int assets_put(const char *data_dir, const unsigned char *data, size_t len, const char *ext,
	       char *key_out, struct api_error *err)
{
	char hex[65], dir[PATH_MAX], final[PATH_MAX];
	size_t ext_len = ext ? strnlen(ext, ASSET_EXT_MAX + 1) : 0;
	if (!ext_valid(ext, ext_len))
		return api_fail(err, ERR_INVALID, "asset extension must be 1-8 of a-z, 0-9");
	ids_sha256_hex(data, len, hex);
	snprintf(key_out, ASSET_KEY_MAX, "%s.%s", hex, ext);
	int b = snprintf(dir, sizeof(dir), "%s/assets/%.2s", data_dir, hex);
	if (b < 0 || (size_t)b >= sizeof(dir) ||
	    assets_path(data_dir, key_out, final, sizeof(final)) < 0)
		return api_fail(err, ERR_INTERNAL, "asset path too long under %.100s", data_dir);
	struct stat st;
	/* same name and size: the same bytes, maybe renamed a moment ago by another writer
	 * that has not synced the directory yet, so sync it here too */
	if (stat(final, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len &&
	    assets_fsync_dir(dir) == 0)
		return 0;
	if (assets_make_dir(data_dir, key_out, true, dir, sizeof(dir)) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot create %.150s: %s", dir, strerror(errno));
	if (write_durably(dir, final, data, len) < 0)
		return api_fail(err, ERR_INTERNAL, "cannot write %.150s: %s", final, strerror(errno));
	return 0;
}

int assets_open(const char *data_dir, const char *key, struct asset_file *out,
		struct api_error *err)
{
	char path[PATH_MAX];
	struct stat st;
	out->fd = -1;
	out->size = 0;
	if (!assets_key_valid(key))
		return api_fail(err, ERR_NOT_FOUND, "asset not found");
	if (assets_path(data_dir, key, path, sizeof(path)) < 0)
		return api_fail(err, ERR_INTERNAL, "asset path too long under %.100s", data_dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? api_fail(err, ERR_NOT_FOUND, "asset not found")
				       : api_fail(err, ERR_INTERNAL, "cannot open %.150s: %s", path,
						  strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return api_fail(err, ERR_INTERNAL, "%.150s is not a regular file", path);
	}
	out->fd = fd;
	out->size = (size_t)st.st_size;
	return 0;
}

const char *assets_content_type(const char *key)
{
	static const struct { const char *ext, *type; } types[] = {
		{ "pdf", "application/pdf" }, { "png", "image/png" },
		{ "jpg", "image/jpeg" }, { "jpeg", "image/jpeg" }, { "csv", "text/csv" },
	};
	const char *dot = key ? strrchr(key, '.') : NULL;
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

int assets_read(const char *data_dir, const char *key, unsigned char **data, size_t *len,
		struct api_error *err)
{
	struct asset_file f;
	*data = NULL;
	*len = 0;
	if (assets_open(data_dir, key, &f, err) < 0)
		return -1;
	unsigned char *buf = malloc(f.size ? f.size : 1);
	size_t got = 0;
	while (buf && got < f.size) {
		ssize_t n = read(f.fd, buf + got, f.size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(f.fd);
	if (!buf || got != f.size) {
		free(buf);
		return api_fail(err, ERR_INTERNAL, "asset %.80s could not be read", key);
	}
	*data = buf;
	*len = got;
	return 0;
}
