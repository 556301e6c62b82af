// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard's own files (<share>/web/static: style sheet, script, icons): everything a
 * page loads comes from frankd, nothing from a CDN, so the dashboard works with no internet.
 * One path segment, a known extension, no dot files: nothing else under the share directory
 * can be asked for.
 */
#include "dashboard/pages.h"
#include "core/config.h"
#include "http/app.h"
#include <stdio.h>
#include <string.h>

#define STATIC_MAX_BYTES (2 * 1024 * 1024)

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".woff2", "font/woff2" },
	{ ".ico", "image/x-icon" },
};

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return NULL;
}

static bool name_ok(const char *name)
{
	if (!name || !*name || name[0] == '.' || strlen(name) > 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' ||
		      *p == '-' || *p == '_'))
			return false;
	return true;
}

int dash_static(struct req *rq, struct api_error *err)
{
	const char *name = rq->path_id;
	const char *type = name_ok(name) ? type_of(name) : NULL;
	if (!type)
		return api_fail(err, ERR_NOT_FOUND, "There is no such file.");
	char path[1024];
	snprintf(path, sizeof(path), "%s/web/static/%s",
		 rq->app->cfg && rq->app->cfg->share_dir ? rq->app->cfg->share_dir : ".", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return api_fail(err, ERR_NOT_FOUND, "There is no such file.");
	char *buf = arena_alloc(rq->arena, STATIC_MAX_BYTES);
	size_t n = fread(buf, 1, STATIC_MAX_BYTES, f);
	bool whole = feof(f) && !ferror(f);
	fclose(f);
	if (!whole)
		return api_fail(err, ERR_INTERNAL, "dashboard file %s cannot be read", path);
	rq->status = 200;
	rq->resp_body = buf;
	rq->resp_len = n;
	rq->resp_type = type;
	req_add_header(rq, "Cache-Control", "public, max-age=3600");
	req_add_header(rq, "X-Content-Type-Options", "nosniff");
	return 0;
}
