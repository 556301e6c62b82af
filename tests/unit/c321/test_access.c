// SPDX-License-Identifier: AGPL-3.0-or-later
/* Permissions, secrets, e-mails and passwords of /api/v1 (c321/access.c). */
#include "c321/access.h"
#include "test.h"
#include <time.h>

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_perms(void)
{
	struct api_error err;
	unsigned bits;
	char text[80];
	CHECK_INT(access_perms_parse(NULL, &bits, &err), 0, "absent → default");
	CHECK_INT(bits, PERM_STAR, "the default is * (seed: \"Full access (default)\")");
	json_t *l = json_pack("[ss]", "pricing:read", "mailings:read");
	CHECK_INT(access_perms_parse(l, &bits, &err), 0, "two permissions");
	access_perms_text(bits, text, sizeof(text));
	CHECK_STR(text, "mailings:read,pricing:read", "stored in a fixed order");
	CHECK_INT(access_perms_from_text(text), bits, "and read back");
	CHECK(access_allows(bits, "mailings:read") && access_allows(bits, "pricing:read"),
	      "allows what it names");
	CHECK(!access_allows(bits, "mailings:write") && !access_allows(bits, "addresses:read"),
	      "and nothing else");
	CHECK(!access_allows(bits, "session") && !access_allows(PERM_STAR, "session"),
	      "a key never opens session routes");
	CHECK(access_allows(PERM_STAR, "mailings:write"), "* allows everything");
	json_t *j = access_perms_json("*");
	CHECK(json_array_size(j) == 1 && strcmp(json_string_value(json_array_get(j, 0)), "*") == 0,
	      "* shown as [\"*\"]");
	json_decref(j);
	json_decref(l);
	l = json_pack("[ss]", "mailings:read", "mailings:delete");
	CHECK_INT(access_perms_parse(l, &bits, &err), -1, "an unknown permission");
	CHECK(err.status == 400 && strstr(err.message, "mailings:delete"), "400 naming it: %s",
	      err.message);
	json_decref(l);
	l = json_array();
	CHECK_INT(access_perms_parse(l, &bits, &err), -1, "an empty list");
	json_decref(l);
	l = json_string("*");
	CHECK_INT(access_perms_parse(l, &bits, &err), -1, "not a list");
	json_decref(l);
	CHECK_INT(access_perms_from_text("mailings:read,bogus,,x"), PERM_MAILINGS_READ,
		  "stored junk only narrows");
}

static void test_secrets(void)
{
	char k[ACCESS_KEY_LEN + 1], k2[ACCESS_KEY_LEN + 1], t[ACCESS_TOKEN_LEN + 1];
	CHECK_INT(access_new_key(false, k, sizeof(k)), 0, "a test key");
	CHECK_INT(access_secret_kind(k), SECRET_KEY_TEST, "looks like a test key: %s", k);
	CHECK_INT(access_new_key(true, k2, sizeof(k2)), 0, "a live key");
	CHECK_INT(access_secret_kind(k2), SECRET_KEY_LIVE, "looks like a live key");
	CHECK(strcmp(k + 10, k2 + 10) != 0, "random");
	CHECK_INT(access_new_token(t, sizeof(t)), 0, "a session token");
	CHECK_INT(access_secret_kind(t), SECRET_SESSION, "looks like a session token");
	CHECK_INT(access_new_key(false, k, 20), -1, "a buffer too small is refused");
	static const char *const junk[] = { "", "321m_test_", "321m_test_ABCDEF0123456789abcdef0123456789abcdef",
					    "321m_prod_0123456789abcdef0123456789abcdef01234567",
					    "test_0123456789abcdef", "321s_00", NULL };
	for (size_t i = 0; junk[i]; i++)
		CHECK_INT(access_secret_kind(junk[i]), SECRET_NONE, "\"%s\" is no secret", junk[i]);
	CHECK_INT(access_secret_kind(NULL), SECRET_NONE, "NULL");
}

static void test_users(void)
{
	struct api_error err;
	char e[ACCESS_EMAIL_MAX + 1];
	CHECK_INT(access_email_normalize("  Ann.Lee@Example.COM ", e, sizeof(e), &err), 0, "an e-mail");
	CHECK_STR(e, "ann.lee@example.com", "trimmed and lower-cased");
	static const char *const bad[] = { "", "ann", "@example.com", "ann@", "ann@@x.com",
					   "ann lee@x.com", "ann@localhost", "a\"b@x.com", NULL };
	for (size_t i = 0; bad[i]; i++)
		CHECK_INT(access_email_normalize(bad[i], e, sizeof(e), &err), -1, "\"%s\" refused",
			  bad[i]);
	CHECK_INT(access_email_normalize(NULL, e, sizeof(e), &err), -1, "NULL refused");

	char h[ACCESS_HASH_MAX];
	CHECK_INT(access_password_hash("short", h, sizeof(h), &err), -1, "a short password");
	CHECK_INT(err.status, 400, "is a bad request");
	CHECK_INT(access_password_hash("correct horse battery", h, sizeof(h), &err), 0, "hashed");
	CHECK(strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31) == 0, "argon2id: %s", h);
	CHECK(access_password_verify(h, "correct horse battery"), "the right password");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(!access_password_verify(h, "correct horse battery!"), "a wrong password");
	double wrong = ms_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(!access_password_verify(NULL, "correct horse battery"), "no such user");
	double unknown = ms_since(&t0);
	CHECK(unknown > wrong / 3 && unknown > 2, "an unknown user costs a hash too (%.1f vs %.1f ms)",
	      unknown, wrong);
	char h2[ACCESS_HASH_MAX];
	access_password_hash("correct horse battery", h2, sizeof(h2), &err);
	CHECK(strcmp(h, h2) != 0, "salted: the same password hashes differently");
	CHECK(!access_password_verify("not a hash", "x"), "a broken hash never matches");
}

int main(void)
{
	test_perms();
	test_secrets();
	test_users();
	return test_done();
}
