// SPDX-License-Identifier: AGPL-3.0-or-later
/* Where the installed data lives (core/paths.h). */
#include "core/paths.h"
#include "core/build_config.h"
#include <stdio.h>
#include <stdlib.h>

const char *share_dir_default(void)
{
	return FRANK_SHARE_DIR_DEFAULT;
}

const char *share_dir_from_env(void)
{
	const char *env = getenv("FRANK_SHARE_DIR");
	return env && *env ? env : FRANK_SHARE_DIR_DEFAULT;
}

const char *data_dir_default(void)
{
	return FRANK_DATA_DIR_DEFAULT;
}

const char *share_file(const char *dir, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= len ? NULL : buf;
}
