// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Operators and their keys (see operators.h), and the one operator route that is not about
 * mail: POST /v1/_frank/production/keys → another key for the calling operator.
 */
#include "api/operators.h"
#include "c321/access.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "store/operator_store.h"
#include <stdio.h>
#include <string.h>

#define KEY_RANDOM_BYTES 24	/* 192 bits */
#define KEY_PREFIX_SHOWN 12	/* "frankop_" and 4 hex, for listings */

int operators_new_key(struct store *s, const char *operator_id, long long now_ms,
		      char key_out[OPERATOR_KEY_MAX], char key_id_out[40], struct api_error *err)
{
	struct operator_key k = { .created_ms = now_ms };
	char hash[65];
	if (ids_random_hex(OPERATOR_KEY_PREFIX, KEY_RANDOM_BYTES, key_out, OPERATOR_KEY_MAX) < 0 ||
	    ids_new("opk_", k.id, sizeof(k.id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for a key");
	snprintf(k.operator_id, sizeof(k.operator_id), "%s", operator_id);
	snprintf(k.prefix, sizeof(k.prefix), "%.*s", KEY_PREFIX_SHOWN, key_out);
	ids_sha256_hex(key_out, strlen(key_out), hash);
	if (operator_key_insert(s, &k, hash, err) < 0)
		return -1;
	if (key_id_out)
		snprintf(key_id_out, 40, "%s", k.id);
	return 0;
}

int operators_create(struct store *s, const char *email, const char *password, long long now_ms,
		     char id_out[40], char key_out[OPERATOR_KEY_MAX], struct api_error *err)
{
	struct operator_rec op = { .created_ms = now_ms };
	if (access_email_normalize(email, op.email, sizeof(op.email), err) < 0 ||
	    access_password_hash(password, op.password_hash, sizeof(op.password_hash), err) < 0)
		return -1;
	if (ids_new("op_", op.id, sizeof(op.id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	int rc = operator_insert(s, &op, err);
	if (rc == 1)
		return api_fail(err, ERR_CONFLICT, "an operator with the e-mail %s exists", op.email);
	if (rc < 0 || operators_new_key(s, op.id, now_ms, key_out, NULL, err) < 0)
		return -1;
	snprintf(id_out, 40, "%s", op.id);
	return 0;
}

/* POST /v1/_frank/production/keys: another key for the operator whose key called */
static int key_create(struct req *rq, struct api_error *err)
{
	char key[OPERATOR_KEY_MAX], id[40], when[25];
	if (operators_new_key(rq->app->store, rq->operator_id, rq->now_ms, key, id, err) < 0)
		return -1;
	time_format_iso(rq->now_ms, when);
	json_t *body = arena_own_json(rq->arena,
				      json_pack("{ssssssssss}", "id", id, "operator_id",
						rq->operator_id, "key", key, "date_created", when,
						"object", "operator_key"));
	return respond_json(rq, 200, body);
}

const struct route operator_routes[] = {
	{ HTTP_POST, "/v1/_frank/production/keys", key_create, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};
