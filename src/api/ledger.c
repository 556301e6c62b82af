// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The credits ledger (docs/internals/ledger.md):
 *   GET  /v1/accounts                       Lob's lob_credits_balance: {"balance": dollars}
 *   GET  /v1/_frank/ledger                  the rows behind it, newest first (Lob's list
 *                                           envelope and parameters; ?type=credit|charge|refund)
 *   POST /v1/_frank/production/accounts/{id}/credits   an operator credits an account:
 *        {"amount": "100.00", "mode": "live"|"test" (default live), "description"}
 * Balances and rows are the key's mode's: test pieces are charged to the test ledger.
 */
#include "api/list.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include "mail/ledger.h"
#include "mail/price_list.h"
#include <string.h>

static json_t *dollars(long long cents)
{
	return json_real((double)cents / 100.0);
}

static int balance_get(struct req *rq, struct api_error *err)
{
	long long cents;
	if (store_ledger_balance(rq->app->store, rq->scope.account_id, rq->scope.mode, &cents,
				 err) < 0)
		return -1;
	return respond_json(rq, 200, arena_own_json(rq->arena,
						    json_pack("{so}", "balance", dollars(cents))));
}

static int ledger_list(struct req *rq, struct api_error *err)
{
	static const char *const types[] = { LEDGER_CREDIT, LEDGER_CHARGE, LEDGER_REFUND };
	struct store_list_query q = { .source = SOURCE_LEDGER };
	json_t *query = arena_own_json(rq->arena, json_deep_copy(rq->query));
	const json_t *type = json_object_get(query, "type");
	if (type) {
		const char *t = json_string_value(type);
		for (size_t i = 0; t && i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(t, types[i]) == 0)
				q.event_type = types[i];
		if (!q.event_type)
			return api_fail(err, ERR_INVALID, "type must be one of credit, charge, refund");
		json_object_del(query, "type");
	}
	if (list_parse_query(query, rq->arena, &q, err) < 0)
		return -1;
	if (q.n_meta)
		return api_fail(err, ERR_INVALID, "metadata is not allowed");
	q.source = SOURCE_LEDGER;
	q.scope = rq->scope;
	return list_respond(rq, &q, err);
}

static json_t *entry_json(const struct store_ledger_entry *e)
{
	char when[25];
	time_format_iso(e->created_ms, when);
	json_t *j = json_pack("{ss ss ss so sI ss}", "id", e->id, "object", "ledger_entry",
			      "type", e->type, "amount", dollars(e->amount_cents), "amount_cents",
			      (json_int_t)e->amount_cents, "description", e->description);
	json_object_set_new(j, "resource_id", e->object_id ? json_string(e->object_id) : json_null());
	json_object_set_new(j, "resource_type",
			    e->object_kind ? json_string(e->object_kind) : json_null());
	json_object_set_new(j, "date_created", json_string(when));
	return j;
}

static int credit_post(struct req *rq, struct api_error *err)
{
	const json_t *b = rq->body_json;
	const char *mode = json_string_value(json_object_get(b, "mode"));
	const json_t *desc = json_object_get(b, "description");
	const char *key;
	const json_t *v;
	long long cents, balance;
	struct store_ledger_entry e;
	json_object_foreach((json_t *)b, key, v)
		if (strcmp(key, "amount") && strcmp(key, "mode") && strcmp(key, "description"))
			return api_fail(err, ERR_INVALID, "%.40s is not allowed (amount, mode, "
					"description)", key);
	if (!json_object_get(b, "amount"))
		return api_fail(err, ERR_INVALID, "amount is required");
	if (!price_dollars_cents(json_object_get(b, "amount"), LEDGER_CREDIT_MAX_CENTS, &cents) ||
	    cents == 0)
		return api_fail(err, ERR_INVALID, "amount must be dollars more than 0 and at most "
				"1000000, with at most two decimals (\"100.00\")");
	if (json_object_get(b, "mode") && (!mode || (strcmp(mode, "live") && strcmp(mode, "test"))))
		return api_fail(err, ERR_INVALID, "mode must be live or test");
	if (desc && !json_is_string(desc))
		return api_fail(err, ERR_INVALID, "description must be a string");
	if (!store_account_exists(rq->app->store, rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "account %.40s not found", rq->path_id);
	enum store_mode m = mode && strcmp(mode, "test") == 0 ? MODE_TEST : MODE_LIVE;
	if (ledger_credit(rq->app->store, rq->path_id, m, cents, json_string_value(desc),
			  rq->now_ms, &e, err) < 0 ||
	    store_ledger_balance(rq->app->store, rq->path_id, m, &balance, err) < 0)
		return -1;
	json_t *out = json_pack("{ss ss so so}", "account_id", rq->path_id, "mode",
				m == MODE_TEST ? "test" : "live", "entry", entry_json(&e), "balance",
				dollars(balance));
	return respond_json(rq, 200, arena_own_json(rq->arena, out));
}

const struct route ledger_routes[] = {
	{ HTTP_GET, "/v1/accounts", balance_get, NULL, KEY_SECRET, NULL, 0 },
	{ HTTP_GET, "/v1/_frank/ledger", ledger_list, NULL, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};

const struct route ledger_operator_routes[] = {
	{ HTTP_POST, "/v1/_frank/production/accounts/{id}/credits", credit_post, NULL, 0, NULL,
	  R_BODY },
	{ .pattern = NULL }
};
