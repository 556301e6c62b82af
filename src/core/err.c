/* The error table: kind → Lob code and default status (spec: components/schemas/error). */
#include "core/err.h"
#include <stdarg.h>
#include <stdio.h>

static const struct err_info err_table[ERR__COUNT] = {
	[ERR_NONE] = { "none", 200 },
	[ERR_BAD_REQUEST] = { "bad_request", 422 },
	[ERR_CONFLICT] = { "conflict", 409 },
	[ERR_FEATURE_LIMIT_REACHED] = { "feature_limit_reached", 403 },
	[ERR_INTERNAL] = { "internal_server_error", 500 },
	[ERR_INVALID] = { "invalid", 422 },
	[ERR_NOT_DELETABLE] = { "not_deletable", 422 },
	[ERR_NOT_FOUND] = { "not_found", 404 },
	[ERR_REQUEST_TIMEOUT] = { "request_timeout", 408 },
	[ERR_SERVICE_UNAVAILABLE] = { "service_unavailable", 503 },
	[ERR_UNRECOGNIZED_ENDPOINT] = { "unrecognized_endpoint", 404 },
	[ERR_UNSUPPORTED_LOB_VERSION] = { "unsupported_lob_version", 422 },
	[ERR_PAYLOAD_TOO_LARGE] = { "bad_request", 413 },
	[ERR_INVALID_TEMPLATE_HTML] = { "invalid_template_html", 422 },
	[ERR_MERGE_VARIABLE_REQUIRED] = { "merge_variable_required", 422 },
	[ERR_MERGE_VARIABLE_WHITESPACE] = { "merge_variable_whitespace", 422 },
	[ERR_SPECIAL_CHARACTERS_RESTRICTED] = { "special_characters_restricted", 422 },
	[ERR_INVALID_API_KEY] = { "invalid_api_key", 401 },
	[ERR_PUBLISHABLE_KEY_NOT_ALLOWED] = { "publishable_key_not_allowed", 403 },
	[ERR_RATE_LIMIT_EXCEEDED] = { "rate_limit_exceeded", 429 },
	[ERR_UNAUTHORIZED] = { "unauthorized", 401 },
	[ERR_METHOD_NOT_ALLOWED] = { "unrecognized_endpoint", 404 },
};

const struct err_info *err_info(enum err_kind kind)
{
	if ((int)kind < 0 || kind >= ERR__COUNT)
		kind = ERR_INTERNAL;
	return &err_table[kind];
}

int api_error_status(const struct api_error *err)
{
	return err->status ? err->status : err_info(err->kind)->status;
}

int api_fail(struct api_error *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;
	err->kind = kind;
	err->status = 0;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}
