// SPDX-License-Identifier: AGPL-3.0-or-later
/* core/err: api_fail's messages are always well-formed UTF-8, clipped at character boundaries. */
#include "core/err.h"
#include "core/utf8.h"
#include "test.h"

static void test_clipped_value(void)
{
	/* "adr_a" + "é"×30: "%.40s" keeps 5 + 17.5 characters' bytes */
	char id[5 + 60 + 1] = "adr_a";
	for (int i = 0; i < 30; i++)
		memcpy(id + 5 + 2 * i, "\xc3\xa9", 3);
	struct api_error err;
	CHECK_INT(api_fail(&err, ERR_NOT_FOUND, "to address %.40s not found", id), -1,
		  "api_fail returns -1");
	CHECK(utf8_valid(err.message, strlen(err.message)), "the message is valid UTF-8");
	char want[128];
	snprintf(want, sizeof(want), "to address %.39s not found", id);	/* 5 + 17 × 2 bytes */
	CHECK_STR(err.message, want, "the half character left by %%.40s is dropped");
	CHECK_INT(err.kind, ERR_NOT_FOUND, "kind kept");
	CHECK_INT(api_error_status(&err), 404, "status from the kind");
}

static void test_invalid_input_escaped(void)
{
	struct api_error err;
	api_fail(&err, ERR_UNRECOGNIZED_ENDPOINT, "The requested endpoint does not exist: %.100s",
		 "/v1/zz\xff");
	CHECK_STR(err.message, "The requested endpoint does not exist: /v1/zz\\xFF",
		  "a byte that is never UTF-8 is shown as \\xFF");
}

static void test_long_message(void)
{
	char value[600];
	for (size_t i = 0; i + 3 < sizeof(value); i += 3)
		memcpy(value + i, "\xe2\x82\xac", 3);	/* € */
	value[sizeof(value) - 3] = '\0';
	struct api_error err;
	api_fail(&err, ERR_INVALID, "x%s", value);
	size_t n = strlen(err.message);
	CHECK(n < sizeof(err.message) && n >= sizeof(err.message) - 4,
	      "a long message fills the buffer (%zu bytes)", n);
	CHECK((n - 1) % 3 == 0 && utf8_valid(err.message, n),
	      "and ends on a character boundary");
	api_fail(&err, ERR_INVALID, "%s", "is required");
	api_error_prefix(&err, "to");
	CHECK_STR(err.message, "to.is required", "api_error_prefix puts field. in front");
	api_fail(&err, ERR_INVALID, "%s", value);
	api_error_prefix(&err, "to");
	n = strlen(err.message);
	CHECK(strncmp(err.message, "to.", 3) == 0 && utf8_valid(err.message, n),
	      "a prefixed long message is cut at a boundary too");
}

int main(void)
{
	test_clipped_value();
	test_invalid_input_escaped();
	test_long_message();
	return test_done();
}
