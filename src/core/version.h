// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * What --version prints on frankd and frank: the project version (meson.build), `git
 * describe` when built from git, and the AGPL §13 source offer: the URL where the users of
 * this server can get its source (--source-url, $FRANK_SOURCE_URL, else meson's -Dsource_url).
 */
#ifndef FRANK_VERSION_H
#define FRANK_VERSION_H
#include <stdbool.h>
#include <stdio.h>

/* "0.1.0", or "0.1.0 (git c3cc382-dirty)" */
const char *frank_version(void);
/* $FRANK_SOURCE_URL if set, else the build's default (-Dsource_url) */
const char *source_url_from_env(void);
/* the build's default source URL (-Dsource_url), for option tables */
const char *source_url_default(void);
/* an absolute http(s) URL for a Link header: up to 900 printable ASCII characters without
 * space, < > or " */
bool source_url_valid(const char *url);
/* the --version text of prog, with the source URL */
void version_print(FILE *f, const char *prog, const char *source_url);
#endif
