// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * GET /assets/{key}?expires=…&signature=…: files from the asset store at the signed URLs
 * asset_url() writes into objects. No API key: the signature is the authorisation, so the
 * family is route_profile_public and this handler checks it before touching the disk (a wrong or expired
 * signature is a 403 whether or not the file exists).
 */
#include "http/app.h"
#include "sign/asset_urls.h"
#include "http/response_file.h"
#include "http/route.h"
#include "store/assets.h"
#include <string.h>
#include <unistd.h>

/*
 * the value of name in a raw query string (arena copy); NULL when absent. A repeated name
 * sets *dup, so "expires=1&expires=2" cannot pick whichever half suits.
 */
static const char *query_value(struct req *rq, const char *name, bool *dup)
{
	const char *q = rq->query_string, *found = NULL;
	size_t nlen = strlen(name);
	while (q && *q) {
		const char *end = strchr(q, '&');
		size_t len = end ? (size_t)(end - q) : strlen(q);
		if (len > nlen && strncmp(q, name, nlen) == 0 && q[nlen] == '=') {
			if (found)
				*dup = true;
			found = arena_strndup(rq->arena, q + nlen + 1, len - nlen - 1);
		}
		q = end ? end + 1 : NULL;
	}
	return found;
}

static int asset_get(struct req *rq, struct api_error *err)
{
	const char *key = rq->path_id;
	bool dup = false;
	if (!assets_key_valid(key))
		return api_fail(err, ERR_NOT_FOUND, "asset not found");
	const char *expires = query_value(rq, "expires", &dup);
	const char *signature = query_value(rq, "signature", &dup);
	if (dup)
		expires = signature = NULL;	/* ambiguous: treated as unsigned */
	if (asset_url_verify(rq->app->data_dir, key, expires, signature, rq->now_ms / 1000,
			     err) < 0)
		return -1;
	return respond_asset(rq, rq->app->data_dir, key, err);
}

const struct route asset_routes[] = {
	{ HTTP_GET, "/assets/{id}", asset_get, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};
