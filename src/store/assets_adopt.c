// SPDX-License-Identifier: AGPL-3.0-or-later
/* Adopting a file written elsewhere in the data directory as an asset (store/assets.h). */
#include "store/assets.h"
#include <limits.h>
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
