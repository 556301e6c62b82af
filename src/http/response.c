/* Response bodies: JSON objects and Lob's error shape. */
#include "core/log.h"
#include "core/utf8.h"
#include "http/response.h"
#include <stdlib.h>
#include <string.h>

static void set_body_json(struct req *rq, int status, const json_t *body)
{
	/* jansson's default 17 significant digits: every double reads back exactly */
	char *text = json_dumps(body, JSON_COMPACT);
	if (!text) {
		rq->status = 500;
		rq->resp_body = "{\"error\":{\"message\":\"An internal error occurred.\","
				"\"status_code\":500,\"code\":\"internal_server_error\"}}";
		rq->resp_len = strlen(rq->resp_body);
		rq->resp_type = "application/json";
		return;
	}
	size_t n = strlen(text);
	char *copy = arena_strndup(rq->arena, text, n);
	free(text);
	rq->status = status;
	rq->resp_body = copy;
	rq->resp_len = n;
	rq->resp_type = "application/json";
}

int respond_json(struct req *rq, int status, const json_t *body)
{
	set_body_json(rq, status, body);
	return 0;
}

json_t *api_error_json(const struct api_error *err)
{
	const struct err_info *info = err_info(err->kind);
	int status = api_error_status(err);
	char safe[sizeof(err->message)];	/* api_fail made it UTF-8; a direct writer may not */
	const char *message = safe;
	utf8_sanitize(safe, sizeof(safe), err->message, strnlen(err->message, sizeof(safe)),
		      true);
	if (status >= 500 && err->kind == ERR_INTERNAL)
		message = "An internal error occurred. Please try your request again.";
	return json_pack("{s{sssiss}}", "error", "message", message, "status_code", status,
			 "code", info->code);
}

void respond_error(struct req *rq, const struct api_error *err)
{
	if (err->kind == ERR_INTERNAL)	/* the client sees a generic message: keep the real one */
		log_msg(LOG_ERROR, "internal error: %s", err->message);
	json_t *body = api_error_json(err);
	set_body_json(rq, api_error_status(err), body);
	json_decref(body);
	rq->error_code = err_info(err->kind)->code;
}
