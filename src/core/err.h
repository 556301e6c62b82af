// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * One error type for the whole API. Each kind maps to Lob's `code` and default status
 * (spec: components/schemas/error). Only http/response.c turns an api_error into JSON.
 */
#ifndef FRANK_ERR_H
#define FRANK_ERR_H
#include <stdarg.h>
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
	/* the HTTP edge (http/edge.c): framing and size limits, code bad_request */
	ERR_MALFORMED_REQUEST,	/* 400 */
	ERR_URI_TOO_LONG,	/* 414 */
	ERR_HEADERS_TOO_LARGE,	/* 431 */
	/* templates and merge variables (template/handlebars.c) */
	ERR_INVALID_TEMPLATE_HTML,
	ERR_MERGE_VARIABLE_REQUIRED,
	ERR_MERGE_VARIABLE_WHITESPACE,
	ERR_SPECIAL_CHARACTERS_RESTRICTED,
	/* advanced (spec: components/schemas/error → code) */
	ERR_ADDRESS_LENGTH_EXCEEDS_LIMIT,
	ERR_BANK_ACCOUNT_ALREADY_VERIFIED,
	ERR_BANK_ERROR,
	ERR_BILLING_ADDRESS_REQUIRED,
	ERR_CUSTOM_ENVELOPE_INVENTORY_DEPLETED,
	ERR_DELETED_BANK_ACCOUNT,
	ERR_FAILED_DELIVERABILITY_STRICTNESS,
	ERR_FILE_PAGES_BELOW_MIN,
	ERR_FILE_PAGES_EXCEED_MAX,
	ERR_FILE_SIZE_EXCEEDS_LIMIT,
	ERR_FOREIGN_RETURN_ADDRESS,
	ERR_INCONSISTENT_PAGE_DIMENSIONS,
	ERR_INVALID_BANK_ACCOUNT,
	ERR_INVALID_BANK_ACCOUNT_VERIFICATION,
	ERR_INVALID_CHECK_INTERNATIONAL,
	ERR_INVALID_COUNTRY_COVID,
	ERR_INVALID_FILE,
	ERR_INVALID_FILE_DIMENSIONS,
	ERR_INVALID_FILE_DOWNLOAD_TIME,
	ERR_INVALID_FILE_URL,
	ERR_INVALID_IMAGE_DPI,
	ERR_INVALID_INTERNATIONAL_FEATURE,
	ERR_INVALID_PERFORATION_RETURN_ENVELOPE,
	ERR_MAIL_USE_TYPE_CAN_NOT_BE_NULL,
	ERR_PAYMENT_METHOD_UNVERIFIED,
	ERR_PDF_ENCRYPTED,
	ERR_UNEMBEDDED_FONTS,
	/* authentication */
	ERR_EMAIL_REQUIRED,
	ERR_UNAUTHORIZED_TOKEN,
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

/*
 * sets *err and returns -1, so `return api_fail(...)`. The message is printf-style, made
 * well-formed UTF-8 (core/utf8.h: a character clipped by "%.40s" or by the size is dropped,
 * invalid bytes a client sent become \xHH) and cut to fit at a character boundary.
 */
int api_fail(struct api_error *err, enum err_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int api_vfail(struct api_error *err, enum err_kind kind, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* puts "prefix." before the message (a field inside a nested object), cut the same way */
void api_error_prefix(struct api_error *err, const char *prefix);
#endif
