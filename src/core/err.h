/*
 * One error type for the whole API. Each kind maps to Lob's `code` and default status
 * (spec: components/schemas/error). Only http/response.c turns an api_error into JSON.
 */
#ifndef FRANK_ERR_H
#define FRANK_ERR_H
#include <stdbool.h>

enum err_kind {
	ERR_NONE = 0,
	/* generic */
	ERR_BAD_REQUEST,
	ERR_CONFLICT,
	ERR_FEATURE_LIMIT_REACHED,
	ERR_INTERNAL,
	ERR_INVALID,
	ERR_NOT_DELETABLE,
	ERR_NOT_FOUND,
	ERR_REQUEST_TIMEOUT,
	ERR_SERVICE_UNAVAILABLE,
	ERR_UNRECOGNIZED_ENDPOINT,
	ERR_UNSUPPORTED_LOB_VERSION,
	ERR_PAYLOAD_TOO_LARGE,	/* 413: Lob's status list has it; code bad_request */
	/* templates and merge variables (render/handlebars.c) */
	ERR_INVALID_TEMPLATE_HTML,
	ERR_MERGE_VARIABLE_REQUIRED,
	ERR_MERGE_VARIABLE_WHITESPACE,
	ERR_SPECIAL_CHARACTERS_RESTRICTED,
	/* authentication */
	ERR_INVALID_API_KEY,
	ERR_PUBLISHABLE_KEY_NOT_ALLOWED,
	ERR_RATE_LIMIT_EXCEEDED,
	ERR_UNAUTHORIZED,
	ERR_METHOD_NOT_ALLOWED,	/* known path, other method: Lob answers 404 unrecognized_endpoint */
	ERR__COUNT
};

struct api_error {
	enum err_kind kind;
	int status;		/* 0: the kind's default */
	char message[256];
};

struct err_info {
	const char *code;	/* Lob's machine-readable code */
	int status;		/* default HTTP status */
};

/* borrowed; never NULL for a valid kind */
const struct err_info *err_info(enum err_kind kind);

/* the status that will be sent: err->status if set, else the kind's default */
int api_error_status(const struct api_error *err);

/* sets *err (message printf-style, truncated to fit) and returns -1, so `return api_fail(...)` */
int api_fail(struct api_error *err, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#endif
