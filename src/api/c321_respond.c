// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Answers of the /api/v1 handlers beyond respond_json (which writes the 321 shape for
 * route_profile_321 rows): documents, and parameter errors as 400.
 */
#include "api/c321.h"
#include "http/response.h"
#include <stdarg.h>
#include <string.h>

int c321_respond_bytes(struct req *rq, const char *type, const unsigned char *data, size_t len)
{
	char *copy = arena_alloc(rq->arena, len ? len : 1);
	memcpy(copy, data, len);
	rq->status = 200;
	rq->resp_type = type;
	rq->resp_body = copy;
	rq->resp_len = len;
	req_add_header(rq, "Cache-Control", "private, no-store");
	return 0;
}

int c321_bad_request(struct api_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	api_vfail(err, ERR_BAD_REQUEST, fmt, ap);
	va_end(ap);
	err->status = 400;
	return -1;
}

int c321_validate(const struct field *fields, const json_t *body, struct req *rq, json_t *out,
		  struct api_error *err)
{
	if (fields_validate_ctx(fields, body, rq->arena, out, rq, err) < 0) {
		err->status = 400;
		return -1;
	}
	return 0;
}
