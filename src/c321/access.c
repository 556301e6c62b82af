// SPDX-License-Identifier: AGPL-3.0-or-later
/* Permissions, secrets and passwords for /api/v1 (see access.h). */
#include "c321/access.h"
#include "core/ids.h"
#include "store/c321_store.h"
#include <argon2.h>
#include <ctype.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * argon2id cost: OWASP's minimum recommendation (19 MiB, 2 passes, 1 lane) — about 30 ms on
 * this class of machine, affordable per login on 2 cores, costly for a guesser.
 */
#define ARGON_T 2
#define ARGON_M_KIB 19456
#define ARGON_P 1
#define ARGON_SALT 16
#define ARGON_HASH 32

static const struct {
	const char *name;
	unsigned bit;
} perms[] = {
	{ "*", PERM_STAR },
	{ "mailings:read", PERM_MAILINGS_READ },
	{ "mailings:write", PERM_MAILINGS_WRITE },
	{ "addresses:read", PERM_ADDRESSES_READ },
	{ "pricing:read", PERM_PRICING_READ },
};

#define N_PERMS (sizeof(perms) / sizeof(perms[0]))

unsigned access_perm_bit(const char *name)
{
	for (size_t i = 0; name && i < N_PERMS; i++)
		if (strcmp(perms[i].name, name) == 0)
			return perms[i].bit;
	return 0;
}

__attribute__((format(printf, 2, 3)))
static int bad_request(struct api_error *err, const char *fmt, ...)
{
	char msg[sizeof err->message];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	api_fail(err, ERR_BAD_REQUEST, "%s", msg);
	err->status = 400;
	return -1;
}

int access_perms_parse(const json_t *list, unsigned *bits, struct api_error *err)
{
	size_t i;
	const json_t *v;
	*bits = 0;
	if (!list || json_is_null(list)) {
		*bits = PERM_STAR;
		return 0;
	}
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > 16)
		return bad_request(err, "permissions must be a list of 1 to 16 of: *, mailings:read, "
				   "mailings:write, addresses:read, pricing:read%s", "");
	json_array_foreach(list, i, v) {
		unsigned bit = access_perm_bit(json_string_value(v));
		if (!bit)
			return bad_request(err, "permissions: \"%.60s\" is not one of *, mailings:read, "
					   "mailings:write, addresses:read, pricing:read",
					   json_is_string(v) ? json_string_value(v) : "(not a string)");
		*bits |= bit;
	}
	return 0;
}

void access_perms_text(unsigned bits, char *out, size_t outlen)
{
	size_t n = 0;
	out[0] = '\0';
	if (bits & PERM_STAR) {
		snprintf(out, outlen, "*");
		return;
	}
	for (size_t i = 1; i < N_PERMS; i++) {
		if (!(bits & perms[i].bit))
			continue;
		int w = snprintf(out + n, outlen - n, "%s%s", n ? "," : "", perms[i].name);
		if (w < 0 || (size_t)w >= outlen - n)
			return;
		n += (size_t)w;
	}
}

unsigned access_perms_from_text(const char *text)
{
	unsigned bits = 0;
	char name[32];
	while (text && *text) {
		size_t n = strcspn(text, ",");
		if (n < sizeof(name)) {
			memcpy(name, text, n);
			name[n] = '\0';
			bits |= access_perm_bit(name);
		}
		text += n;
		if (*text == ',')
			text++;
	}
	return bits;
}

json_t *access_perms_json(const char *text)
{
	json_t *a = json_array();
	unsigned bits = access_perms_from_text(text);
	for (size_t i = 0; i < N_PERMS; i++)
		if (bits & perms[i].bit)
			json_array_append_new(a, json_string(perms[i].name));
	return a;
}

bool access_allows(unsigned bits, const char *scope)
{
	unsigned need = access_perm_bit(scope);
	return need && need != PERM_STAR && ((bits & PERM_STAR) || (bits & need));
}

/* ---- secrets ---- */

static bool hex_tail(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	return s[n] == '\0';
}

enum access_secret access_secret_kind(const char *s)
{
	if (!s)
		return SECRET_NONE;
	size_t n = strlen(s);
	if (n == ACCESS_KEY_LEN && strncmp(s, "321m_test_", 10) == 0 && hex_tail(s + 10, 40))
		return SECRET_KEY_TEST;
	if (n == ACCESS_KEY_LEN && strncmp(s, "321m_live_", 10) == 0 && hex_tail(s + 10, 40))
		return SECRET_KEY_LIVE;
	if (n == ACCESS_TOKEN_LEN && strncmp(s, "321s_", 5) == 0 && hex_tail(s + 5, 64))
		return SECRET_SESSION;
	return SECRET_NONE;
}

int access_new_key(bool live, char *out, size_t outlen)
{
	return ids_random_hex(live ? "321m_live_" : "321m_test_", 20, out, outlen);
}

int access_new_token(char *out, size_t outlen)
{
	return ids_random_hex("321s_", 32, out, outlen);
}

/* ---- users ---- */

int access_email_normalize(const char *in, char *out, size_t outlen, struct api_error *err)
{
	if (!in)
		return bad_request(err, "email is required%s", "");
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n == 0 || n > ACCESS_EMAIL_MAX || n >= outlen)
		return bad_request(err, "email must be an address of 1 to 254 characters%s", "");
	const char *at = memchr(in, '@', n);
	size_t ats = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		if (c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == ',')
			return bad_request(err, "email must be a plain address (name@example.com)%s", "");
		ats += c == '@';
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	if (ats != 1 || at == in || at == in + n - 1 || !strchr(at, '.'))
		return bad_request(err, "email must be a plain address (name@example.com)%s", "");
	return 0;
}

int access_password_hash(const char *password, char *out, size_t outlen, struct api_error *err)
{
	unsigned char salt[ARGON_SALT];
	size_t n = password ? strlen(password) : 0;
	if (n < ACCESS_PASSWORD_MIN || n > ACCESS_PASSWORD_MAX)
		return bad_request(err, "password must be 8 to 256 characters%s", "");
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return api_fail(err, ERR_INTERNAL, "no entropy for a salt");
	int rc = argon2id_hash_encoded(ARGON_T, ARGON_M_KIB, ARGON_P, password, n, salt,
				       sizeof(salt), ARGON_HASH, out, outlen);
	if (rc != ARGON2_OK)
		return api_fail(err, ERR_INTERNAL, "password hashing failed: %s",
				argon2_error_message(rc));
	return 0;
}

bool access_password_verify(const char *hash, const char *password)
{
	/* the hash of 32 random bytes nobody kept, at the same cost as real ones */
	static const char decoy[] = "$argon2id$v=19$m=19456,t=2,p=1$"
				    "ht7s6pH0vkb3aUhUJgcLOA$H2nq5fb/5XqUQ4OmlJxyA/8xwpv4mnXkwlKt9U2EbWs";
	size_t n = password ? strlen(password) : 0;
	if (!password || n > ACCESS_PASSWORD_MAX)
		return false;
	bool known = hash && *hash;
	int rc = argon2id_verify(known ? hash : decoy, password, n);
	return known && rc == ARGON2_OK;
}

int c321_user_create(struct store *s, const char *account_id, const char *email,
		     const char *password, long long now_ms, char id_out[40],
		     struct api_error *err)
{
	struct c321_user u = { .created_ms = now_ms };
	if (access_email_normalize(email, u.email, sizeof(u.email), err) < 0 ||
	    access_password_hash(password, u.password_hash, sizeof(u.password_hash), err) < 0)
		return -1;
	if (ids_new("usr_", u.id, sizeof(u.id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	snprintf(u.account_id, sizeof(u.account_id), "%s", account_id);
	int rc = c321_user_insert(s, &u, err);
	if (rc == 1) {
		api_fail(err, ERR_CONFLICT, "a user with the e-mail %s exists", u.email);
		return -1;
	}
	if (rc == 0)
		snprintf(id_out, 40, "%s", u.id);
	return rc;
}
