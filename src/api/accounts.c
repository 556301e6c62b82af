// SPDX-License-Identifier: AGPL-3.0-or-later
/* Accounts and API keys. Keys are random, shown once, stored as SHA-256. */
#include "api/accounts.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int accounts_new_key(struct store *s, const char *account_id, enum store_mode mode,
		     enum key_type type, char *key_out, char *id_out, struct api_error *err)
{
	char prefix[16], hash[65];
	struct key_info k = { .mode = mode, .type = type, .created_ms = clock_now_ms() };
	snprintf(prefix, sizeof(prefix), "%s%s", mode == MODE_LIVE ? "live_" : "test_",
		 type == KEY_TYPE_PUBLISHABLE ? "pub_" : "");
	if (ids_random_hex(prefix, 16, key_out, API_KEY_MAX) < 0 ||
	    ids_new("key_", k.id, sizeof(k.id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for a key");
	snprintf(k.account_id, sizeof(k.account_id), "%s", account_id);
	snprintf(k.prefix, sizeof(k.prefix), "%.*s", (int)strlen(prefix) + 4, key_out);
	ids_sha256_hex(key_out, strlen(key_out), hash);
	if (store_key_insert(s, &k, hash, err) < 0)
		return -1;
	if (id_out)
		memcpy(id_out, k.id, sizeof(k.id));
	return 0;
}

int accounts_create(struct store *s, const char *name, struct account_keys *out,
		    struct api_error *err)
{
	if (store_account_create(s, name, out->account_id, err) < 0)
		return -1;
	const char *acc = out->account_id;
	if (accounts_new_key(s, acc, MODE_TEST, KEY_TYPE_SECRET, out->test_secret, NULL, err) < 0 ||
	    accounts_new_key(s, acc, MODE_LIVE, KEY_TYPE_SECRET, out->live_secret, NULL, err) < 0 ||
	    accounts_new_key(s, acc, MODE_TEST, KEY_TYPE_PUBLISHABLE, out->test_publishable, NULL,
			     err) < 0 ||
	    accounts_new_key(s, acc, MODE_LIVE, KEY_TYPE_PUBLISHABLE, out->live_publishable, NULL,
			     err) < 0)
		return -1;
	return 0;
}

char *accounts_keys_json(const struct account_keys *k)
{
	json_t *j = json_pack("{ssssssssss}", "account_id", k->account_id,
			      "test_secret", k->test_secret, "live_secret", k->live_secret,
			      "test_publishable", k->test_publishable,
			      "live_publishable", k->live_publishable);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	return text;
}
