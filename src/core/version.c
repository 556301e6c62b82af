// SPDX-License-Identifier: AGPL-3.0-or-later
/* --version and the AGPL §13 source offer (core/version.h). */
#include "core/version.h"
#include "core/build_config.h"
#include "core/version_git.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *frank_version(void)
{
	return FRANK_GIT_DESCRIBE[0] ? FRANK_VERSION " (git " FRANK_GIT_DESCRIBE ")" : FRANK_VERSION;
}

const char *source_url_default(void)
{
	return FRANK_SOURCE_URL_DEFAULT;
}

const char *source_url_from_env(void)
{
	const char *env = getenv("FRANK_SOURCE_URL");
	return env && *env ? env : FRANK_SOURCE_URL_DEFAULT;
}

bool source_url_valid(const char *url)
{
	if (!url || strlen(url) > 900 || (strncasecmp(url, "https://", 8) != 0 && strncasecmp(url, "http://", 7) != 0))
		return false;
	const char *host = strstr(url, "://") + 3;
	if (!*host || *host == '/')
		return false;
	for (const char *p = url; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("<>\"", *p))
			return false;
	return true;
}

void version_print(FILE *f, const char *prog, const char *source_url)
{
	fprintf(f, "%s %s\n"
		   "Source: %s\n"
		   "Licence: AGPL-3.0-or-later. The source of this version is offered to every user\n"
		   "of the server at the URL above (AGPL section 13); set it with --source-url or\n"
		   "FRANK_SOURCE_URL when you run a modified version.\n",
		prog, frank_version(), source_url);
}
