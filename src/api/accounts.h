// SPDX-License-Identifier: AGPL-3.0-or-later
/* Accounts and their API keys: creating them (frank init, first start) and new keys. */
#ifndef FRANK_ACCOUNTS_H
#define FRANK_ACCOUNTS_H
#include "core/err.h"
#include "store/store.h"

#define API_KEY_MAX 80

struct account_keys {
	char account_id[40];
	char test_secret[API_KEY_MAX], live_secret[API_KEY_MAX];
	char test_publishable[API_KEY_MAX], live_publishable[API_KEY_MAX];
};

/* a new account with its four keys (shown here once; only hashes are stored); 0 or -1 */
int accounts_create(struct store *s, const char *name, struct account_keys *out,
		    struct api_error *err);

/*
 * a new key for account_id: "test_…"/"live_…" (secret) or "test_pub_…"/"live_pub_…";
 * the key text goes to key_out (API_KEY_MAX), its id to id_out (40); 0 or -1
 */
int accounts_new_key(struct store *s, const char *account_id, enum store_mode mode,
		     enum key_type type, char *key_out, char *id_out, struct api_error *err);

/* the key JSON `frank init` prints (caller frees) */
char *accounts_keys_json(const struct account_keys *k);
#endif
