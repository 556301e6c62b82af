// SPDX-License-Identifier: AGPL-3.0-or-later
/* Helpers shared by the dashboard's page groups (page_util.h): ids, list pages, links. */
#include "dashboard/page_util.h"
#include "core/html.h"
#include "dashboard/view.h"
#include <string.h>

bool dash_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = id[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

const char *dash_list_path(struct req *rq, const char *base, int limit, const char *extra)
{
	const char *after = view_query(rq, "after", NULL), *before = view_query(rq, "before", NULL);
	const char *cursor = "";
	if (after && *after)
		cursor = arena_strfmt(rq->arena, "&after=%s", url_encode(rq->arena, after));
	else if (before && *before)
		cursor = arena_strfmt(rq->arena, "&before=%s", url_encode(rq->arena, before));
	return arena_strfmt(rq->arena, "%s?limit=%d%s%s", base, limit, cursor, extra ? extra : "");
}

#define CURSOR_MAX 600

/* cursors are the API's own (URL-safe base64): anything else is not passed on */
static bool cursor_ok(const char *c)
{
	size_t n = c ? strlen(c) : 0;
	return n > 0 && n <= CURSOR_MAX &&
	       strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=") == n;
}

/* the value of param in url's query (the API's cursors need no unescaping), or NULL */
static const char *query_value(struct req *rq, const char *url, const char *param)
{
	const char *q = url ? strchr(url, '?') : NULL;
	size_t n = strlen(param);
	while (q && *q) {
		q++;
		if (strncmp(q, param, n) == 0 && q[n] == '=') {
			const char *v = q + n + 1;
			v = arena_strndup(rq->arena, v, strcspn(v, "&#"));
			return cursor_ok(v) ? v : NULL;
		}
		q = strchr(q, '&');
	}
	return NULL;
}

json_t *dash_pager(struct req *rq, const char *path, const json_t *list)
{
	json_t *p = json_object();
	const char *next = query_value(rq, dash_str(list, "next_url"), "after");
	const char *prev = query_value(rq, dash_str(list, "previous_url"), "before");
	if (next)
		json_object_set_new(p, "next", json_string(arena_strfmt(
						       rq->arena, "%s?after=%s", path,
						       url_encode(rq->arena, next))));
	if (prev)
		json_object_set_new(p, "prev", json_string(arena_strfmt(
						       rq->arena, "%s?before=%s", path,
						       url_encode(rq->arena, prev))));
	return p;
}

const char *dash_local_link(struct req *rq, const char *url)
{
	if (!url)
		return NULL;
	const char *p = strstr(url, "://");
	p = p ? strchr(p + 3, '/') : (url[0] == '/' ? url : NULL);
	if (!p || p[1] == '/' || p[1] == '\\')	/* "//host": another origin, never */
		return NULL;
	return arena_strdup(rq->arena, p);
}

const char *dash_str(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));
	return s ? s : "";
}
