// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Response bodies: JSON objects and errors, in the shape of the request's profile (Lob's
 * error JSON, or the 321certified-style one under /api/v1).
 */
#include "core/html.h"
#include "core/log.h"
#include "core/utf8.h"
#include "http/response.h"
#include "http/app.h"
#include "store/ops_store.h"
#include "http/router.h"
#include <stdlib.h>
#include <string.h>

static bool shape_321(const struct req *rq)
{
	return router_profile_of(rq)->shape == SHAPE_321;
}

static void set_body_json(struct req *rq, int status, const json_t *body)
{
	/* Lob: jansson's default 17 significant digits, every double reads back exactly;
	 * /api/v1: 15, so prices read 8.9 and not 8.9000000000000004 */
	bool short_reals = shape_321(rq);
	char *text = json_dumps(body, JSON_COMPACT | (short_reals ? JSON_REAL_PRECISION(15) : 0));
	if (!text) {
		log_msg(LOG_ERROR, "%s: the answer could not be serialised", rq->path);
		rq->status = 500;
		rq->resp_body = short_reals
					? "{\"error\":{\"message\":\"An internal error occurred.\","
					  "\"code\":\"internal_error\",\"status\":500}}"
					: "{\"error\":{\"message\":\"An internal error occurred.\","
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

/* the 321certified seed's codes go by status */
static const char *code_321(int status)
{
	switch (status) {
	case 400: return "bad_request";
	case 401: return "unauthorized";
	case 403: return "forbidden";
	case 404: return "not_found";
	case 413: return "payload_too_large";
	case 422: return "unprocessable_entity";
	case 429: return "rate_limited";
	default: return status >= 500 ? "internal_error" : "bad_request";
	}
}

static const char *error_message(const struct api_error *err, int status, bool shape_321,
				 char *safe, size_t safe_len)
{
	/* api_fail made it UTF-8; a direct writer may not */
	utf8_sanitize(safe, safe_len, err->message, strnlen(err->message, sizeof(err->message)),
		      true);
	if (status >= 500 && (shape_321 || err->kind == ERR_INTERNAL))
		return "An internal error occurred. Please try your request again.";
	return safe;
}

json_t *api_error_json(const struct api_error *err)
{
	int status = api_error_status(err);
	char safe[sizeof(err->message)];
	return json_pack("{s{sssiss}}", "error", "message",
			 error_message(err, status, false, safe, sizeof(safe)), "status_code",
			 status, "code", err_info(err->kind)->code);
}

/*
 * The dashboard's errors are pages. A page asked for without a session goes to the sign-in
 * page and comes back after it; anything else is a short page with the reason and a way back.
 */
static void respond_error_html(struct req *rq, const struct api_error *err, int status)
{
	char safe[sizeof(err->message)];
	const char *msg = error_message(err, status, false, safe, sizeof(safe));
	rq->error_code = err_info(err->kind)->code;
	if (status == 401 && rq->method == HTTP_GET) {
		rq->status = 303;
		req_add_header(rq, "Location",
			       arena_strfmt(rq->arena, "/dashboard/signin?next=%s",
					    url_encode(rq->arena, rq->path)));
		rq->resp_body = "";
		rq->resp_len = 0;
		rq->resp_type = "text/html; charset=utf-8";
		return;
	}
	const char *title = status == 404 ? "Not found" : status == 403 ? "Not allowed"
			    : status == 401 ? "Signed out" : status >= 500 ? "Something went wrong"
			    : "That did not work";
	char *page = arena_strfmt(
		rq->arena,
		"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>%s · Frank</title><link rel=\"stylesheet\" href=\"/dashboard/static/"
		"frank.css\"></head><body class=\"error-page\"><main id=\"main\"><h1>%s</h1>"
		"<p class=\"error-message\">%s</p><p><a href=\"/dashboard/\">Back to the "
		"dashboard</a></p></main></body></html>",
		title, title, html_escape(rq->arena, msg));
	rq->status = status;
	rq->resp_body = page;
	rq->resp_len = strlen(page);
	rq->resp_type = "text/html; charset=utf-8";
	req_add_header(rq, "Cache-Control", "no-store");
	req_add_header(rq, "Content-Security-Policy",
		       "default-src 'none'; style-src 'self'; frame-ancestors 'none'");
	req_add_header(rq, "X-Content-Type-Options", "nosniff");
}

void respond_error(struct req *rq, const struct api_error *err_in)
{
	const struct api_error *err = err_in;
	struct api_error unavailable;
	char why[160];
	/* a failure because PostgreSQL is unreachable is the database's, not ours: 503, and
	 * the client retries (the store reconnects by itself) */
	if (err->kind == ERR_INTERNAL && rq->app && rq->app->store &&
	    store_is_postgres(rq->app->store) && !store_ready(rq->app->store, why, sizeof(why))) {
		log_msg(LOG_WARN, "database unavailable on %s: %s", rq->path ? rq->path : "?", why);
		api_fail(&unavailable, ERR_SERVICE_UNAVAILABLE,
			 "The database is unavailable. Please try again shortly.");
		err = &unavailable;
	}
	int status = api_error_status(err);
	if (router_profile_of(rq)->shape == SHAPE_HTML) {
		if (err->kind == ERR_INTERNAL)
			log_msg(LOG_ERROR, "internal error on %s: %s", rq->path ? rq->path : "?",
				err->message);
		respond_error_html(rq, err, status);
		return;
	}
	bool s321 = shape_321(rq);
	if (err->kind == ERR_INTERNAL || (s321 && status >= 500))
		log_msg(LOG_ERROR, "internal error on %s: %s", rq->path ? rq->path : "?",
			err->message);	/* the client sees a generic message */
	json_t *body;
	if (s321) {
		char safe[sizeof(err->message)];
		body = json_pack("{s{sssssi}}", "error", "message",
				 error_message(err, status, true, safe, sizeof(safe)), "code",
				 code_321(status), "status", status);
		rq->error_code = code_321(status);
	} else {
		body = api_error_json(err);
		rq->error_code = err_info(err->kind)->code;
	}
	set_body_json(rq, status, body);
	json_decref(body);
}
