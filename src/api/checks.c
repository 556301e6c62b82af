// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Checks (/v1/checks): create with the rules of the spec's check_editable (US addresses only,
 * address lines of at most 50 characters together, a verified bank account of the account,
 * not both message and check_bottom, check numbers per bank account), rendered by the
 * render job (the check face with its MICR line, then the optional attachment), list,
 * retrieve, cancel inside the window.
 *
 * What the render job reads: from the check object, amount, memo, check_number, message,
 * send_date, to, from and bank_account (the bank account as GET /v1/bank_accounts/{id}
 * serves it); from the private render input, sources "check_bottom" and "attachment" (each
 * may be absent), "logo" (a URL or uploaded image, may be absent) and "bank_account" (the
 * fields the check face and MICR line need, kept even if the public object ever hides them).
 */
#include "api/pieces.h"
#include "core/jsonutil.h"
#include "http/app.h"
#include "http/body.h"
#include "http/route.h"
#include <stdio.h>
#include <string.h>

#define CHECK_NUMBER_START 10000	/* Lob: a new bank account's first check number */
#define CHECK_ADDRESS_LINES_MAX 50	/* Lob: address_line1 + address_line2 of `to` */

static const char *const check_mail_types[] = { "usps_first_class", NULL };

static bool bank_id(const char *v)
{
	if (strncmp(v, "bank_", 5) != 0 || !v[5])
		return false;
	for (v += 5; *v; v++)
		if (!((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') || (*v >= '0' && *v <= '9')))
			return false;
	return true;
}

/* spec: check_editable (check_editable_props, check_base) */
static const struct field check_fields[] = {
	PIECE_FIELDS_HEAD(F_REQUIRED),
	{ "bank_account", FT_STRING, F_REQUIRED, .check = bank_id, .pattern = "^bank_[a-zA-Z0-9]+$" },
	{ "amount", FT_NUMBER, F_REQUIRED, .min = 0.01, .max_value = 999999.99, .decimals = 2 },
	{ "memo", FT_STRING, F_NULLABLE, .max = 40 },
	{ "check_number", FT_INT, 0, .min = 1, .max_value = 500000000 },
	{ "message", FT_STRING, 0, .max = 400 },
	{ "check_bottom", FT_JSON, 0, .json = piece_any_field },
	{ "attachment", FT_JSON, 0, .json = piece_any_field },
	{ "logo", FT_JSON, 0, .json = piece_any_field },
	PIECE_FIELDS_MAILING(check_mail_types, F_NULLABLE),
	{ "qr_code", FT_JSON, 0, .json = piece_any_field },
	PIECE_FIELD_PRINT_SPEED,
	FIELD_END
};

const struct resource check_res = {
	.kind = "check",
	.id_prefix = "chk_",
	.fields = check_fields,
	.list_filters = piece_list_filters,
	.ops = { .present = piece_present },
};

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/*
 * spec check_editable: oneOf "words at check bottom" (message), "image at check bottom". Both
 * is refused; neither is accepted, as live Lob accepts it (the spec requires one; live Lob
 * wins: docs/internals/pieces.md) and the check's bottom stays blank.
 */
static int check_body_rules(struct piece *p, struct api_error *err)
{
	const json_t *msg = json_object_get(p->obj, "message");
	const json_t *bottom = json_object_get(p->obj, "check_bottom");
	bool has_bottom = bottom && !json_is_null(bottom);
	if (msg && has_bottom)
		return api_fail(err, ERR_INVALID,
				"value contains a conflict between exclusive peers [message, check_bottom]");
	if (json_object_get(p->obj, "qr_code"))
		return api_fail(err, ERR_INVALID,
				"qr_code is not supported on checks (letters, postcards and self-mailers "
				"have it)");
	return 0;
}

/* Lob: https://….png|jpg or an uploaded PNG/JPEG; recorded in the render input as "logo" */
static int check_logo(struct piece *p, struct api_error *err)
{
	const json_t *v = json_object_get(p->obj, "logo");
	if (!v || json_is_null(v))
		return 0;
	if (!body_is_file(v)) {
		const char *s = json_string_value(v);
		size_t n = s ? strlen(s) : 0;
		bool image = n > 4 && (strcmp(s + n - 4, ".png") == 0 || strcmp(s + n - 4, ".jpg") == 0);
		if (!s || strncmp(s, "https://", 8) != 0 || !image || n > 8 + 256 + 4)
			return api_fail(err, ERR_INVALID,
					"logo must be an https URL of a .png or .jpg image, or an uploaded "
					"PNG or JPEG");
	}
	if (piece_source(p, "logo", false, NULL, NULL, err) < 0)
		return -1;
	const char *ct = str(json_object_get(json_object_get(p->input, "sources"), "logo"),
			     "content_type");
	if (ct && strcmp(ct, "image/png") != 0 && strcmp(ct, "image/jpeg") != 0)
		return api_fail(err, ERR_INVALID_FILE, "logo must be a PNG or JPEG image");
	json_object_del(p->obj, "logo");
	return 0;
}

/* Lob: the `bank_account` must be a verified bank account of this account (and mode) */
static int check_bank_account(struct piece *p, struct api_error *err)
{
	struct req *rq = p->rq;
	const char *id = str(p->obj, "bank_account");
	struct store_scope sc = rq->scope;
	char *json = NULL;
	sc.kind = "bank_account";
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		int gone = store_object_was_deleted(rq->app->store, &sc, id, err);
		if (gone < 0)
			return -1;
		return gone ? api_fail(err, ERR_DELETED_BANK_ACCOUNT,
				       "bank_account %.40s has been deleted: checks cannot be drawn on it", id)
			    : api_fail(err, ERR_NOT_FOUND, "bank_account %.40s not found", id);
	}
	json_t *bank = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	if (!json_is_object(bank))
		return api_fail(err, ERR_INTERNAL, "bank account %.40s is unreadable", id);
	if (!json_is_true(json_object_get(bank, "verified")))
		return api_fail(err, ERR_BANK_ERROR,
				"bank_account %.40s must be verified before checks can be drawn on it "
				"(POST /v1/bank_accounts/%.40s/verify)", id, id);
	/* the public object: the bank account exactly as GET /v1/bank_accounts/{id} serves it */
	json_object_set(p->obj, "bank_account", bank);
	/* the private input: what the check face and its MICR line are printed from */
	static const char *const face[] = { "id", "bank_name", "routing_number", "account_number",
					    "signatory", "check_template",
					    "fractional_routing_number", "city", "state", "zipcode",
					    NULL };
	json_t *kept = json_object();
	for (const char *const *k = face; *k; k++) {
		json_t *v = json_object_get(bank, *k);
		if (v)
			json_object_set(kept, *k, v);
	}
	json_object_set_new(p->input, "bank_account", kept);
	return 0;
}

static size_t text_len(const json_t *address, const char *field)
{
	const char *s = str(address, field);
	return s ? utf8_chars(s) : 0;
}

/* Lob: checks are domestic; `to` lines fit the check's window (≤ 50 characters together) */
static int check_address_rules(struct piece *p, struct api_error *err)
{
	const json_t *to = json_object_get(p->obj, "to");
	const json_t *from = json_object_get(p->obj, "from");
	if (!piece_address_is_us(to))
		return api_fail(err, ERR_INVALID_CHECK_INTERNATIONAL,
				"Checks cannot be sent internationally: to must be a US address");
	if (from && !piece_address_is_us(from))
		return api_fail(err, ERR_FOREIGN_RETURN_ADDRESS,
				"The 'from' address must be a US address");
	if (text_len(to, "address_line1") + text_len(to, "address_line2") > CHECK_ADDRESS_LINES_MAX)
		return api_fail(err, ERR_ADDRESS_LENGTH_EXCEEDS_LIMIT,
				"The sum of to.address_line1 and to.address_line2 cannot surpass %d "
				"characters.", CHECK_ADDRESS_LINES_MAX);
	return 0;
}

/*
 * Lob: without check_number, a bank account's checks are numbered from 10000 up; a given
 * check_number is kept and the bank account's next checks continue from it. The sequence
 * "check_number:<bank id>" holds the last number used: drawn here (committed, never handed
 * out twice), or set to the given number in the check's own transaction.
 */
static int check_number(struct piece *p, struct api_error *err)
{
	struct req *rq = p->rq;
	const char *bank = str(json_object_get(p->obj, "bank_account"), "id");
	const char *name = arena_strfmt(rq->arena, "check_number:%s", bank);
	json_t *given = json_object_get(p->obj, "check_number");
	if (json_is_integer(given)) {
		if (p->n_changes == PIECE_MAX_CHANGES)
			return api_fail(err, ERR_INTERNAL, "too many objects in one mail piece");
		struct store_change *ch = arena_calloc(rq->arena, sizeof(*ch));
		ch->op = STORE_SET_COUNTER;
		ch->code = name;
		ch->number = json_integer_value(given);
		p->changes[p->n_changes++] = ch;
		return 0;
	}
	long long n;
	if (store_sequence_next(rq->app->store, name, CHECK_NUMBER_START, &n, err) < 0)
		return -1;
	json_object_set_new(p->obj, "check_number", json_integer(n));
	return 0;
}

/* the check in Lob's field order (spec example) */
static json_t *check_object(struct piece *p)
{
	static const char *const order[] = {
		"id", "description", "metadata", "check_number", "memo", "amount", "url", "to",
		"from", "bank_account", "carrier", "thumbnails", "expected_delivery_date",
		"mail_type", "message", "merge_variables", "check_bottom_template_id",
		"attachment_template_id", "check_bottom_template_version_id",
		"attachment_template_version_id", "send_date", "use_type", "billing_group_id",
		"status", "tracking_events", "date_created", "date_modified", "object", NULL
	};
	/* the template ids are not nullable in the spec: absent unless a template was used */
	return piece_finish(p, order);
}

static int check_create(struct req *rq, struct api_error *err)
{
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (piece_begin(p, rq, &check_res, err) < 0 || check_body_rules(p, err) < 0 ||
	    check_bank_account(p, err) < 0 || piece_address(p, "to", true, err) < 0 ||
	    piece_address(p, "from", true, err) < 0 || check_address_rules(p, err) < 0 ||
	    piece_billing_group(p, err) < 0 || piece_use_type(p, err) < 0 ||
	    piece_send_date(p, err) < 0 ||
	    piece_source(p, "check_bottom", false, "check_bottom_template_id",
			 "check_bottom_template_version_id", err) < 0 ||
	    piece_source(p, "attachment", false, "attachment_template_id",
			 "attachment_template_version_id", err) < 0 ||
	    check_logo(p, err) < 0 || piece_future_url(p, "checks", err) < 0 ||
	    check_number(p, err) < 0)
		return -1;
	json_object_del(p->obj, "check_bottom");
	json_object_del(p->obj, "attachment");
	p->obj = check_object(p);
	return piece_commit(p, err);
}

const struct route check_routes[] = {
	{ HTTP_GET, "/v1/checks", res_list, &check_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/checks", check_create, &check_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/checks/{id}", res_get, &check_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/checks/{id}", piece_cancel, &check_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
