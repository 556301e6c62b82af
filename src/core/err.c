// SPDX-License-Identifier: AGPL-3.0-or-later
/* The error table: kind → Lob code and default status (spec: components/schemas/error). */
#include "core/err.h"
#include "core/utf8.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
	[ERR_MALFORMED_REQUEST] = { "bad_request", 400 },
	[ERR_URI_TOO_LONG] = { "bad_request", 414 },
	[ERR_HEADERS_TOO_LARGE] = { "bad_request", 431 },
	[ERR_INVALID_TEMPLATE_HTML] = { "invalid_template_html", 422 },
	[ERR_MERGE_VARIABLE_REQUIRED] = { "merge_variable_required", 422 },
	[ERR_MERGE_VARIABLE_WHITESPACE] = { "merge_variable_whitespace", 422 },
	[ERR_SPECIAL_CHARACTERS_RESTRICTED] = { "special_characters_restricted", 422 },
	[ERR_ADDRESS_LENGTH_EXCEEDS_LIMIT] = { "address_length_exceeds_limit", 422 },
	[ERR_BANK_ACCOUNT_ALREADY_VERIFIED] = { "bank_account_already_verified", 422 },
	[ERR_BANK_ERROR] = { "bank_error", 422 },
	[ERR_BILLING_ADDRESS_REQUIRED] = { "billing_address_required", 403 },
	[ERR_CUSTOM_ENVELOPE_INVENTORY_DEPLETED] = { "custom_envelope_inventory_depleted", 422 },
	[ERR_DELETED_BANK_ACCOUNT] = { "deleted_bank_account", 404 },
	[ERR_FAILED_DELIVERABILITY_STRICTNESS] = { "failed_deliverability_strictness", 422 },
	[ERR_FILE_PAGES_BELOW_MIN] = { "file_pages_below_min", 422 },
	[ERR_FILE_PAGES_EXCEED_MAX] = { "file_pages_exceed_max", 422 },
	[ERR_FILE_SIZE_EXCEEDS_LIMIT] = { "file_size_exceeds_limit", 422 },
	[ERR_FOREIGN_RETURN_ADDRESS] = { "foreign_return_address", 422 },
	[ERR_INCONSISTENT_PAGE_DIMENSIONS] = { "inconsistent_page_dimensions", 422 },
	[ERR_INVALID_BANK_ACCOUNT] = { "invalid_bank_account", 422 },
	[ERR_INVALID_BANK_ACCOUNT_VERIFICATION] = { "invalid_bank_account_verification", 422 },
	[ERR_INVALID_CHECK_INTERNATIONAL] = { "invalid_check_international", 422 },
	[ERR_INVALID_COUNTRY_COVID] = { "invalid_country_covid", 422 },
	[ERR_INVALID_FILE] = { "invalid_file", 422 },
	[ERR_INVALID_FILE_DIMENSIONS] = { "invalid_file_dimensions", 422 },
	[ERR_INVALID_FILE_DOWNLOAD_TIME] = { "invalid_file_download_time", 422 },
	[ERR_INVALID_FILE_URL] = { "invalid_file_url", 422 },
	[ERR_INVALID_IMAGE_DPI] = { "invalid_image_dpi", 422 },
	[ERR_INVALID_INTERNATIONAL_FEATURE] = { "invalid_international_feature", 422 },
	[ERR_INVALID_PERFORATION_RETURN_ENVELOPE] = { "invalid_perforation_return_envelope", 422 },
	[ERR_MAIL_USE_TYPE_CAN_NOT_BE_NULL] = { "mail_use_type_can_not_be_null", 422 },
	[ERR_PAYMENT_METHOD_UNVERIFIED] = { "payment_method_unverified", 401 },
	[ERR_PDF_ENCRYPTED] = { "pdf_encrypted", 422 },
	[ERR_UNEMBEDDED_FONTS] = { "unembedded_fonts", 422 },
	[ERR_EMAIL_REQUIRED] = { "email_required", 401 },
	[ERR_UNAUTHORIZED_TOKEN] = { "unauthorized_token", 401 },
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

/* messages echo client input: keep them encodable as JSON whatever it held */
static void set_message(struct api_error *err, const char *text)
{
	utf8_sanitize(err->message, sizeof(err->message), text, strlen(text), true);
}

int api_vfail(struct api_error *err, enum err_kind kind, const char *fmt, va_list ap)
{
	char text[sizeof(err->message)];
	err->kind = kind;
	err->status = 0;
	vsnprintf(text, sizeof(text), fmt, ap);
	set_message(err, text);
	return -1;
}

int api_fail(struct api_error *err, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	api_vfail(err, kind, fmt, ap);
	va_end(ap);
	return -1;
}

void api_error_prefix(struct api_error *err, const char *prefix)
{
	char text[64 + sizeof(err->message)];	/* room for both: set_message() cuts to fit */
	snprintf(text, sizeof(text), "%.63s.%s", prefix, err->message);
	set_message(err, text);
}
