// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Store calls of the 321certified-style API (/api/v1): users (e-mail + argon2id hash),
 * sessions and API keys with permissions — migration 5. Secrets arrive already hashed
 * (c321/access.h): nothing here ever sees a password, a key or a token. Writes run on the
 * store's writer thread like every other write and return once committed.
 */
#ifndef FRANK_STORE_C321_STORE_H
#define FRANK_STORE_C321_STORE_H
#include <stdbool.h>
#include "core/err.h"
#include "store/store.h"

struct c321_user {
	char id[40];		/* usr_… */
	char account_id[40];
	char email[256];
	char password_hash[160];
	long long created_ms;
};

struct c321_key {
	char id[40];		/* ak_… */
	char user_id[40];
	char account_id[40];
	enum store_mode mode;
	char name[128];
	char permissions[96];	/* access_perms_text() */
	char prefix[20];	/* the key's first characters, for listings */
	long long created_ms;
};

/* 0 stored, 1 the e-mail is taken, -1 error */
int c321_user_insert(struct store *s, const struct c321_user *u, struct api_error *err);
/* by e-mail (normalized) or by id: 0 found, 1 not found, -1 error */
int c321_user_by_email(struct store *s, const char *email, struct c321_user *out,
		       struct api_error *err);
int c321_user_get(struct store *s, const char *id, struct c321_user *out, struct api_error *err);

/* a session until expires_ms; expired sessions of every user are removed on the way. 0/-1 */
int c321_session_insert(struct store *s, const char *token_hash, const char *user_id,
			long long now_ms, long long expires_ms, struct api_error *err);
/* the user of an unexpired session: 0 found (*user filled), 1 none, -1 error */
int c321_session_user(struct store *s, const char *token_hash, long long now_ms,
		      struct c321_user *user, struct api_error *err);
/* 0 removed, 1 none, -1 error */
int c321_session_delete(struct store *s, const char *token_hash, struct api_error *err);

/* 0 stored, -1 error */
int c321_key_insert(struct store *s, const struct c321_key *k, const char *key_hash,
		    struct api_error *err);
/* an unrevoked key by its hash: 0 found, 1 none (or revoked), -1 error */
int c321_key_lookup(struct store *s, const char *key_hash, struct c321_key *out,
		    struct api_error *err);
/* the user's unrevoked keys, newest first, at most max into out: the number, or -1 */
int c321_key_list(struct store *s, const char *user_id, struct c321_key *out, int max,
		  struct api_error *err);
/* revokes the user's key: 0 revoked, 1 no such (unrevoked) key of this user, -1 error */
int c321_key_revoke(struct store *s, const char *user_id, const char *key_id, long long now_ms,
		    struct api_error *err);
#endif
