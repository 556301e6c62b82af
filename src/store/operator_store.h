// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Store calls for operators, the mail room's people and scripts (migration 6): operators
 * (e-mail + argon2id hash), their API keys, and finding a piece in any account. Secrets
 * arrive already hashed: nothing here sees a password or a key. Writes run on the store's
 * writer thread and return once committed. docs/internals/operators.md.
 */
#ifndef FRANK_STORE_OPERATOR_STORE_H
#define FRANK_STORE_OPERATOR_STORE_H
#include "core/err.h"
#include "store/store.h"

struct operator_rec {
	char id[40];		/* op_… */
	char email[256];
	char password_hash[160];
	long long created_ms;
};

struct operator_key {
	char id[40];		/* opk_… */
	char operator_id[40];
	char prefix[20];	/* the key's first characters, for listings */
	long long created_ms;
};

/* 0 stored, 1 the e-mail is taken, -1 error */
int operator_insert(struct store *s, const struct operator_rec *op, struct api_error *err);
/* by e-mail (normalized), for signing in to the dashboard: 0 found, 1 none, -1 error */
int operator_by_email(struct store *s, const char *email, struct operator_rec *out,
		      struct api_error *err);
/* 0 stored, -1 error (no such operator included) */
int operator_key_insert(struct store *s, const struct operator_key *k, const char *key_hash,
			struct api_error *err);
/* an unrevoked key by its hash: 0 found, 1 none (or revoked), -1 error */
int operator_key_lookup(struct store *s, const char *key_hash, struct operator_key *out,
			struct api_error *err);

/* where an object lives, whatever its account: operators see every account */
struct operator_found {
	char account_id[40];
	enum store_mode mode;
	char kind[32];
	bool deleted;		/* operator_object_locate_any: found, but deleted (canceled) */
};
/* the live (not deleted) object id: 0 found, 1 none, -1 error */
int operator_object_locate(struct store *s, const char *id, struct operator_found *out,
			   struct api_error *err);
/* as operator_object_locate, deleted objects too (a canceled piece answers why it cannot be
 * mailed, not that it does not exist) */
int operator_object_locate_any(struct store *s, const char *id, struct operator_found *out,
			       struct api_error *err);
#endif
