// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Who may do what on /api/v1: API-key permissions, the secrets (API keys "321m_test_…" /
 * "321m_live_…", session tokens "321s_…"), user e-mails and passwords (argon2id, Debian's
 * libargon2). Only hashes are stored: SHA-256 for the random secrets (they carry 160+ bits,
 * nothing to slow down), argon2id for passwords (people choose those).
 *
 * Threads: no global state; every function may be called from any thread.
 */
#ifndef FRANK_C321_ACCESS_H
#define FRANK_C321_ACCESS_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/err.h"

/* permissions (the seed's table) as bits */
#define PERM_MAILINGS_READ (1u << 0)
#define PERM_MAILINGS_WRITE (1u << 1)
#define PERM_ADDRESSES_READ (1u << 2)
#define PERM_PRICING_READ (1u << 3)
#define PERM_ALL (PERM_MAILINGS_READ | PERM_MAILINGS_WRITE | PERM_ADDRESSES_READ | PERM_PRICING_READ)
#define PERM_STAR (1u << 4)	/* "*": everything, also permissions added later */

/* the bit of one permission name ("mailings:read", "*"), 0 if unknown */
unsigned access_perm_bit(const char *name);
/*
 * A JSON array of permission names (absent or NULL: ["*"], the seed's default) → bits.
 * 0, or -1 (ERR_BAD_REQUEST, status 400) naming the unknown entry.
 */
int access_perms_parse(const json_t *list, unsigned *bits, struct api_error *err);
/* bits as stored and shown: "*" or names joined by ","; out needs 80 bytes */
void access_perms_text(unsigned bits, char *out, size_t outlen);
/* stored text → bits (unknown names are dropped: a permission only ever narrows) */
unsigned access_perms_from_text(const char *text);
/* the stored text as a JSON array (new reference) */
json_t *access_perms_json(const char *text);
/* true when bits allow the route scope ("mailings:read" …) */
bool access_allows(unsigned bits, const char *scope);

/* ---- secrets ---- */

#define ACCESS_KEY_LEN 50	/* "321m_live_" + 40 hex */
#define ACCESS_TOKEN_LEN 69	/* "321s_" + 64 hex */
#define ACCESS_PREFIX_LEN 14	/* shown in listings: "321m_test_1a2b" */

enum access_secret { SECRET_NONE, SECRET_KEY_TEST, SECRET_KEY_LIVE, SECRET_SESSION };

/* what kind of secret s looks like (by its prefix and length), SECRET_NONE otherwise */
enum access_secret access_secret_kind(const char *s);
/* a new API key for live or test mode; out needs ACCESS_KEY_LEN + 1 bytes. 0 or -1 */
int access_new_key(bool live, char *out, size_t outlen);
/* a new session token; out needs ACCESS_TOKEN_LEN + 1 bytes. 0 or -1 */
int access_new_token(char *out, size_t outlen);

/* ---- users ---- */

#define ACCESS_EMAIL_MAX 254
#define ACCESS_PASSWORD_MIN 8
#define ACCESS_PASSWORD_MAX 256
#define ACCESS_HASH_MAX 128	/* an argon2id encoded hash */

/* trims, lower-cases and checks an e-mail address into out (ACCESS_EMAIL_MAX + 1); 0 or -1 */
int access_email_normalize(const char *in, char *out, size_t outlen, struct api_error *err);
/* argon2id of password (length-checked) as an encoded string; 0 or -1 with *err */
int access_password_hash(const char *password, char *out, size_t outlen, struct api_error *err);
/*
 * true when password matches the encoded hash. With hash NULL (no such user) a fixed hash is
 * checked instead, so an unknown e-mail costs the same time as a wrong password.
 */
bool access_password_verify(const char *hash, const char *password);

struct store;
/*
 * A user of account_id who signs in with email and password (`frank user create`, the
 * dashboard's team page): the e-mail normalized, the password kept as argon2id, owner of
 * account_id. 0 with id_out (40 bytes), or -1 with *err (400 for a bad e-mail or password,
 * ERR_CONFLICT when the e-mail is taken).
 */
int c321_user_create(struct store *s, const char *account_id, const char *email,
		     const char *password, long long now_ms, char id_out[40],
		     struct api_error *err);
#endif
