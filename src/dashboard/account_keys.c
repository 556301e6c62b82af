// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /dashboard/keys: the account's Lob API keys (both modes): id, mode, type, prefix, when
 * made, revoked. An owner makes a key — shown whole once, in the answer to that POST (201),
 * never in a link, a cookie or a later page: only its SHA-256 is stored — and revokes one,
 * after which the API refuses it (401). Everyone else sees prefixes only. Keys live in the
 * store's api_keys table (store.h: store_key_*), which the API has no endpoint for.
 */
#include "dashboard/account.h"
#include "core/ids.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

#define KEY_TEXT_MAX 80
#define MAX_KEYS 500	/* shown on one page: an account has a handful */

struct key_rows {
	struct req *rq;
	json_t *rows;
	const char *find;	/* acct_key_revoke: the key looked for */
	bool found, revoked;
};

static void collect(const struct key_info *k, void *ctx)
{
	struct key_rows *r = ctx;
	if (r->find) {
		if (strcmp(k->id, r->find) == 0) {
			r->found = true;
			r->revoked = k->revoked;
		}
		return;
	}
	if (json_array_size(r->rows) >= MAX_KEYS)
		return;
	json_array_append_new(
		r->rows, json_pack("{sssssssssssb}", "id", k->id, "mode",
				   k->mode == MODE_LIVE ? "live" : "test", "type",
				   k->type == KEY_TYPE_PUBLISHABLE ? "publishable" : "secret",
				   "prefix", arena_strfmt(r->rq->arena, "%s…", k->prefix), "created",
				   view_time(r->rq, k->created_ms), "revoked", k->revoked));
}

/* the page; made (may be NULL) is a key just created, shown this once */
static int keys_page(struct req *rq, int status, json_t *made, const char *error,
		     struct api_error *err)
{
	struct key_rows r = { .rq = rq, .rows = json_array() };
	if (store_key_each(rq->app->store, rq->dash->account_id, collect, &r) < 0) {
		json_decref(r.rows);
		json_decref(made);
		return api_fail(err, ERR_INTERNAL, "keys could not be read");
	}
	json_t *ctx = json_pack("{sososs?}", "keys", r.rows, "made", made ? made : json_null(),
				"error", error);
	return view_page(rq, status, "acct_keys", "API keys", ctx, err);
}

int acct_keys(struct req *rq, struct api_error *err)
{
	return keys_page(rq, 200, NULL, NULL, err);
}

/* a new key as api/accounts.c makes them: "test_…"/"live_…", "…pub_…" for publishable */
static int new_key(struct req *rq, enum store_mode mode, enum key_type type, char *key_out,
		   struct key_info *k, struct api_error *err)
{
	char prefix[16], hash[65];
	*k = (struct key_info){ .mode = mode, .type = type, .created_ms = rq->now_ms };
	snprintf(prefix, sizeof(prefix), "%s%s", mode == MODE_LIVE ? "live_" : "test_",
		 type == KEY_TYPE_PUBLISHABLE ? "pub_" : "");
	if (ids_random_hex(prefix, 16, key_out, KEY_TEXT_MAX) < 0 ||
	    ids_new("key_", k->id, sizeof(k->id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for a key");
	snprintf(k->account_id, sizeof(k->account_id), "%s", rq->dash->account_id);
	snprintf(k->prefix, sizeof(k->prefix), "%.*s", (int)strlen(prefix) + 4, key_out);
	ids_sha256_hex(key_out, strlen(key_out), hash);
	return store_key_insert(rq->app->store, k, hash, err);
}

int acct_key_create(struct req *rq, struct api_error *err)
{
	const char *mode = view_form(rq, "mode"), *type = view_form(rq, "type");
	bool live = mode && strcmp(mode, "live") == 0, pub = type && strcmp(type, "publishable") == 0;
	if (!mode || (!live && strcmp(mode, "test") != 0) || !type ||
	    (!pub && strcmp(type, "secret") != 0))
		return keys_page(rq, 422, NULL, "Choose a mode (test or live) and a type (secret or "
					       "publishable).", err);
	char key[KEY_TEXT_MAX];
	struct key_info k;
	if (new_key(rq, live ? MODE_LIVE : MODE_TEST, pub ? KEY_TYPE_PUBLISHABLE : KEY_TYPE_SECRET,
		    key, &k, err) < 0)
		return -1;
	view_audit(rq, "key.created", k.id, k.prefix);
	json_t *made = json_pack("{ssssss}", "id", k.id, "key", key, "what",
				 arena_strfmt(rq->arena, "%s %s key", live ? "live" : "test",
					      pub ? "publishable" : "secret"));
	return keys_page(rq, 201, made, NULL, err);
}

int acct_key_revoke(struct req *rq, struct api_error *err)
{
	struct key_rows r = { .rq = rq, .find = rq->path_id };
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "key not found");
	/* only a key of this account: the store revokes by id alone */
	if (store_key_each(rq->app->store, rq->dash->account_id, collect, &r) < 0)
		return api_fail(err, ERR_INTERNAL, "keys could not be read");
	if (!r.found)
		return api_fail(err, ERR_NOT_FOUND, "key %.40s not found in this account",
				rq->path_id);
	if (!r.revoked && store_key_revoke(rq->app->store, rq->path_id) < 0)
		return api_fail(err, ERR_INTERNAL, "the key could not be revoked");
	view_audit(rq, "key.revoked", rq->path_id, NULL);
	return view_redirect(rq, "/dashboard/keys",
			     "Key revoked: the API refuses it from now on.");
}
