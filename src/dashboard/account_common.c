// SPDX-License-Identifier: AGPL-3.0-or-later
/* What the account's pages share: list cursors, errors, money, file answers (account.h). */
#include "dashboard/account.h"
#include "core/html.h"
#include "dashboard/view.h"
#include <stdio.h>
#include <string.h>

#define CURSOR_MAX 600

/* cursors are the API's own (URL-safe base64): anything else is not passed on */
static bool cursor_ok(const char *c)
{
	size_t n = c ? strlen(c) : 0;
	return n > 0 && n <= CURSOR_MAX &&
	       strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=") == n;
}

const char *acct_list_query(struct req *rq, int limit, const char *cursor_name)
{
	const char *after = view_query(rq, "after", NULL), *before = view_query(rq, "before", NULL);
	if (cursor_ok(after))
		return arena_strfmt(rq->arena, "limit=%d&%s=%s", limit,
				    cursor_name ? cursor_name : "after", after);
	if (!cursor_name && cursor_ok(before))
		return arena_strfmt(rq->arena, "limit=%d&before=%s", limit, before);
	return arena_strfmt(rq->arena, "limit=%d", limit);
}

int acct_fail(const struct dash_answer *a, struct api_error *err)
{
	enum err_kind kind = a->status == 404			 ? ERR_NOT_FOUND
			     : a->status == 401 || a->status == 403 ? ERR_UNAUTHORIZED
			     : a->status >= 400 && a->status < 500 ? ERR_INVALID
								     : ERR_INTERNAL;
	api_fail(err, kind, "%s", dash_answer_message(a));
	if (a->status >= 400 && a->status < 600)
		err->status = a->status;
	return -1;
}

int acct_call(struct req *rq, enum http_method method, const char *path, const json_t *body,
	      struct dash_answer *a, struct api_error *err)
{
	return dash_call(rq, method, path, body, a) == 200 ? 0 : acct_fail(a, err);
}

const char *acct_str(const json_t *o, const char *key, const char *def)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : def;
}

const char *acct_dollars(struct req *rq, const json_t *v)
{
	return json_is_number(v) ? arena_strfmt(rq->arena, "$%.2f", json_number_value(v)) : "";
}

int acct_send_bytes(struct req *rq, const struct dash_answer *a)
{
	rq->status = 200;
	rq->resp_type = a->type ? a->type : "application/octet-stream";
	rq->resp_body = a->body;
	rq->resp_len = a->len;
	view_headers(rq);
	return 0;
}
