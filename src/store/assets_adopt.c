// SPDX-License-Identifier: AGPL-3.0-or-later
/* Adopting a file written elsewhere in the data directory as an asset (store/assets.h). */
#include "store/assets.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

static bool hex64(const char *s)
{
	size_t i = 0;
	for (; s && s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 64;
}

int assets_adopt(const char *data_dir, const char *path, const char *sha256_hex,
		 const char *ext, char *key_out, struct api_error *err)
{
	char dir[PATH_MAX], final[PATH_MAX];
	if (!hex64(sha256_hex) || snprintf(key_out, ASSET_KEY_MAX, "%s.%s", sha256_hex,
					    ext ? ext : "") >= ASSET_KEY_MAX ||
	    !assets_key_valid(key_out))
		return api_fail(err, ERR_INVALID, "asset key: a SHA-256 in hex and an extension "
			       "of 1-8 of a-z, 0-9");
	if (assets_make_dir(data_dir, key_out, true, dir, sizeof(dir)) < 0 ||
	    assets_path(data_dir, key_out, final, sizeof(final)) < 0 || rename(path, final) < 0 ||
	    assets_fsync_dir(dir) < 0)
		return api_fail(err, ERR_INTERNAL, "could not store the file under %s/assets",
				data_dir);
	return 0;
}

int assets_put_fd(const char *data_dir, int fd, const char *ext, char *key_out,
		  struct api_error *err)
{
	char tmp[PATH_MAX], hex[65];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	if (snprintf(tmp, sizeof(tmp), "%s/assets", data_dir) >= (int)sizeof(tmp) ||
	    (mkdir(tmp, 0700) < 0 && errno != EEXIST) ||
	    snprintf(tmp, sizeof(tmp), "%s/assets/.tmp-copy-XXXXXX", data_dir) >= (int)sizeof(tmp))
		return api_fail(err, ERR_INTERNAL, "could not create %s/assets", data_dir);
	int out = mkostemp(tmp, O_CLOEXEC);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	char *buf = malloc(1 << 18);
	bool ok = out >= 0 && ctx && buf && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	while (ok) {
		ssize_t n = read(fd, buf, 1 << 18);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ok = n == 0;
			break;
		}
		ok = assets_write_all(out, buf, (size_t)n) == 0 &&
		     EVP_DigestUpdate(ctx, buf, (size_t)n) == 1;
	}
	ok = ok && fsync(out) == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
	for (unsigned i = 0; ok && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	free(buf);
	EVP_MD_CTX_free(ctx);
	if (out >= 0)
		close(out);
	if (ok && assets_adopt(data_dir, tmp, hex, ext, key_out, err) == 0)
		return 0;
	if (out >= 0)
		unlink(tmp);
	return ok ? -1 : api_fail(err, ERR_INTERNAL, "could not copy the file into %s/assets",
				  data_dir);
}
