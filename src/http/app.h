// SPDX-License-Identifier: AGPL-3.0-or-later
/* The process context handed to every request: long-lived, shared, read-only after start. */
#ifndef FRANK_APP_H
#define FRANK_APP_H
#include <stddef.h>
#include "http/body.h"
#include "store/store.h"

struct ratelimit;
struct signin_limit;
struct route_registry;
struct av_engine;
struct config;
struct jobs;
struct html_renderer;

#define APP_MAX_FILE_BODY (1ULL << 30)	/* --max-upload's default: Lob's 1 GB audience files */

struct app {
	struct store *store;
	struct ratelimit *ratelimit;	/* NULL: no limits */
	struct ratelimit *ratelimit_double;	/* for R_RATE_DOUBLE routes; NULL: no limits */
	struct signin_limit *signin;	/* /api/v1 sign-in attempts (ratelimit_signin.h); NULL: none */
	const char *public_url;		/* base for next_url/previous_url, no trailing slash */
	const char *asset_url;		/* base of piece file links (--asset-url: lob-assets.com, or public_url) */
	size_t max_body;		/* bytes */
	unsigned long long max_file_body;	/* R_BODY_FILE rows (--max-upload), bytes; 0:
						 * APP_MAX_FILE_BODY (tests' apps) */
	struct body_limits body_limits;
	const struct route_registry *routes;	/* every route (api/routes.h; tests bring their own) */
	const struct av_engine *av;		/* address verification data */
	const char *data_dir;			/* assets and the asset-link secret live here */
	const struct config *cfg;		/* every option, as frankd started */
	struct jobs *jobs;			/* background work (NULL in tests) */
	struct html_renderer *html;		/* HTML → PDF, for /readyz (NULL in tests) */
};
#endif
