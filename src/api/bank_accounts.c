// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Bank accounts (/v1/bank_accounts): the accounts checks are drawn on. A routing number
 * must pass the ABA checksum (invalid_bank_account); an account must be verified with two
 * micro-deposit amounts before checks can use it.
 *
 * Test mode, as Lob documents it: no deposits are made and any two amounts from 1 to 100
 * verify. Live mode: Frank cannot move money, so at creation it draws the two amounts and
 * keeps them in a private `microdeposit` record (never served by the API); the operator
 * places those deposits with their bank (`frank bank-accounts deposits ID` prints them) and
 * the customer confirms them here.
 */
#include "api/resource.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/parse.h"
#include "http/app.h"
#include "http/route.h"
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

static const char *const account_types[] = { "company", "individual", NULL };
static const char *const check_templates[] = { "common", "jpm", NULL };

static bool all_digits(const char *v)
{
	for (; *v; v++)
		if (*v < '0' || *v > '9')
			return false;
	return true;
}

static bool routing_shape(const char *v)
{
	return strlen(v) == 9 && all_digits(v);
}

static bool account_shape(const char *v)
{
	return all_digits(v);
}

/* spec: bank_account_base (writable) */
static const struct field bank_account_fields[] = {
	{ "description", FT_STRING, 0, .max = 255 },
	{ "routing_number", FT_STRING, F_REQUIRED, .check = routing_shape,
	  .pattern = "/^\\d{9}$/" },
	{ "account_number", FT_STRING, F_REQUIRED, .max = 17, .check = account_shape,
	  .pattern = "/^\\d+$/" },
	{ "account_type", FT_STRING, F_REQUIRED, .enum_vals = account_types },
	{ "signatory", FT_STRING, F_REQUIRED, .max = 30 },
	{ "check_template", FT_STRING, 0, .enum_vals = check_templates, .dflt = "common" },
	{ "fractional_routing_number", FT_STRING, 0, .max = 20 },
	{ "city", FT_STRING, 0, .max = 200 },
	{ "state", FT_STRING, F_UPPER, .max = 2 },
	{ "zipcode", FT_STRING, 0, .max = 10 },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	FIELD_END
};

static int bank_account_before_store(struct req *rq, const json_t *body, json_t *obj,
				     struct api_error *err)
{
	(void)rq;
	(void)body;
	const char *routing = json_string_value(json_object_get(obj, "routing_number"));
	if (!aba_routing_valid(routing))
		return api_fail(err, ERR_INVALID_BANK_ACCOUNT,
				"routing_number %.9s is not a valid US routing number (ABA checksum)",
				routing);
	const char *tmpl = json_string_value(json_object_get(obj, "check_template"));
	if (tmpl && strcmp(tmpl, "jpm") == 0) {
		static const char *const needed[] = { "fractional_routing_number", "city", "state",
						      "zipcode" };
		for (size_t i = 0; i < 4; i++)
			if (!json_object_get(obj, needed[i]))
				return api_fail(err, ERR_INVALID,
						"%s is required for the jpm check template", needed[i]);
	}
	json_object_set_new(obj, "verified", json_false());
	json_object_set_new(obj, "microdeposit_type", json_string("amounts"));
	return 0;
}

const struct resource bank_account_res = {
	.kind = "bank_account",
	.id_prefix = "bank_",
	.fields = bank_account_fields,
	.ops = { .before_store = bank_account_before_store },
};

/* private: the live micro-deposit amounts, kept beside the account */
static const struct resource microdeposit_res = { .kind = "microdeposit", .id_prefix = "bmd_" };

/* bmd_<the bank id's hex>: found from the account without an index */
static const char *microdeposit_id(struct req *rq, const char *bank_id)
{
	return arena_strfmt(rq->arena, "bmd_%s", bank_id + strlen("bank_"));
}

static int bank_account_create(struct req *rq, struct api_error *err)
{
	char *id = arena_alloc(rq->arena, 40);
	if (ids_new("bank_", id, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *obj = res_build(rq, &bank_account_res, id, err);
	if (!obj)
		return -1;
	struct store_change *changes[2];
	size_t n = 0;
	changes[n++] = res_change_insert(rq, &bank_account_res, obj, true);
	if (rq->scope.mode == MODE_LIVE) {
		unsigned char r[2];
		if (RAND_bytes(r, 2) != 1)
			return api_fail(err, ERR_INTERNAL, "no entropy for micro-deposits");
		json_t *md = arena_own_json(rq->arena, json_pack("{sss[ii]}", "id",
			microdeposit_id(rq, id), "amounts", 1 + r[0] % 99, 1 + r[1] % 99));
		changes[n++] = res_change_insert(rq, &microdeposit_res, md, false);
	}
	for (size_t i = 0; i < n; i++)
		if (!changes[i])
			return api_fail(err, ERR_INTERNAL, "serialisation failed");
	return res_commit(rq, changes, n, obj, err);
}

/* ---- verification ---- */

struct verify_ctx {
	json_int_t amounts[2];
	const json_int_t *expected;	/* live: the drawn amounts; test: NULL (any 1–100) */
};

static int verify_apply(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
			struct api_error *err)
{
	(void)rq;
	(void)out;
	struct verify_ctx *v = ctx;
	if (json_is_true(json_object_get(obj, "verified")))
		return api_fail(err, ERR_BANK_ACCOUNT_ALREADY_VERIFIED,
				"This bank account has already been verified");
	if (v->expected) {
		bool same = (v->amounts[0] == v->expected[0] && v->amounts[1] == v->expected[1]) ||
			    (v->amounts[0] == v->expected[1] && v->amounts[1] == v->expected[0]);
		if (!same)
			return api_fail(err, ERR_INVALID_BANK_ACCOUNT_VERIFICATION,
					"The verification amounts do not match the micro-deposits");
	}
	json_object_set_new(obj, "verified", json_true());
	json_object_set_new(obj, "microdeposit_type", json_null());
	return 0;
}

/* amounts=[a,b] (JSON or form amounts[]=a&amounts[]=b): two integers 1–100 */
static int parse_amounts(const json_t *body, json_int_t out[2], struct api_error *err)
{
	const json_t *a = json_object_get(body, "amounts");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v) {
		if (strcmp(k, "amounts") == 0)
			continue;
		if (strcmp(k, "descriptor_code") == 0)
			return api_fail(err, ERR_INVALID,
					"This bank account's microdeposit_type is amounts: send amounts, "
					"not descriptor_code");
		return api_fail(err, ERR_INVALID, "%.60s is not allowed", k);
	}
	if (!a)
		return api_fail(err, ERR_INVALID, "amounts is required");
	if (!json_is_array(a) || json_array_size(a) != 2)
		return api_fail(err, ERR_INVALID, "amounts must contain exactly 2 items");
	for (size_t i = 0; i < 2; i++) {
		json_t *e = json_array_get(a, i);
		const char *s = json_string_value(e);
		long long n = json_is_integer(e) ? json_integer_value(e) : -1;
		if (s && (strlen(s) > 3 || parse_llong(s, 0, 999, &n) < 0))
			n = -1;
		if (n < 1 || n > 100)
			return api_fail(err, ERR_INVALID,
					"amounts[%zu] must be an integer from 1 to 100 (cents)", i);
		out[i] = n;
	}
	return 0;
}

static int bank_account_verify(struct req *rq, struct api_error *err)
{
	struct verify_ctx *v = arena_calloc(rq->arena, sizeof(*v));
	if (parse_amounts(rq->body_json, v->amounts, err) < 0)
		return -1;
	if (rq->scope.mode == MODE_LIVE) {
		struct store_scope sc = rq->scope;
		char *json = NULL;
		sc.kind = microdeposit_res.kind;
		int rc = store_object_get(rq->app->store, &sc, microdeposit_id(rq, rq->path_id),
					  rq->arena, &json, err);
		if (rc < 0)
			return -1;
		json_t *md = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
		json_t *amounts = json_object_get(md, "amounts");
		json_int_t *expected = arena_alloc(rq->arena, 2 * sizeof(json_int_t));
		expected[0] = json_integer_value(json_array_get(amounts, 0));
		expected[1] = json_integer_value(json_array_get(amounts, 1));
		v->expected = md ? expected : NULL;
		if (!md)	/* no deposits on record: nothing can match */
			return api_fail(err, ERR_INVALID_BANK_ACCOUNT_VERIFICATION,
					"No micro-deposits are on record for this bank account");
	}
	return res_mutate(rq, rq->path_id, verify_apply, v, false, err);
}

const struct route bank_account_routes[] = {
	{ HTTP_GET, "/v1/bank_accounts", res_list, &bank_account_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/bank_accounts", bank_account_create, &bank_account_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/bank_accounts/{id}", res_get, &bank_account_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/bank_accounts/{id}", res_delete, &bank_account_res, KEY_SECRET, NULL,
	  0 },
	{ HTTP_POST, "/v1/bank_accounts/{id}/verify", bank_account_verify, &bank_account_res,
	  KEY_SECRET, NULL, R_BODY },
	{ .pattern = NULL }
};
