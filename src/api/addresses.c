// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Addresses (/v1/addresses): Lob's address book. US and international forms differ in
 * limits and required fields (spec: address_editable_us / address_editable_intl), so the
 * resource picks its field table from address_country. Lob writes names and address lines
 * in upper case and the country as its full name.
 */
#include "api/resource.h"
#include "core/countries.h"
#include "http/route.h"
#include <string.h>

static bool is_state_code(const char *v);
static bool is_us_zip(const char *v);
static const char *country_name(struct arena *a, const struct field_ctx *ctx, const char *v,
				struct api_error *err);

/* ------------------------------------------------------------------------ */
/* field tables (limits: spec components/schemas/address_editable_us, _intl) */
/* ------------------------------------------------------------------------ */

static const struct field address_us_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "name", FT_STRING, F_NULLABLE | F_UPPER, .max = 40 },
	{ "company", FT_STRING, F_NULLABLE | F_UPPER, .max = 40 },
	{ "phone", FT_STRING, F_NULLABLE, .max = 40 },
	{ "email", FT_STRING, F_NULLABLE, .max = 100 },
	{ "address_line1", FT_STRING, F_REQUIRED | F_UPPER, .max = 64 },
	{ "address_line2", FT_STRING, F_NULLABLE | F_UPPER, .max = 64 },
	{ "address_city", FT_STRING, F_REQUIRED | F_UPPER, .max = 200 },
	{ "address_state", FT_STRING, F_REQUIRED | F_UPPER, .check = is_state_code,
	  .pattern = "/^[a-zA-Z]{2}$/" },
	{ "address_zip", FT_STRING, F_REQUIRED, .check = is_us_zip,
	  .pattern = "/^\\d{5}(-\\d{4})?$/" },
	{ "address_country", FT_STRING, 0, .dflt = "US", .convert = country_name },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	FIELD_END
};

static const struct field address_intl_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "name", FT_STRING, F_NULLABLE | F_UPPER, .max = 40 },
	{ "company", FT_STRING, F_NULLABLE | F_UPPER, .max = 40 },
	{ "phone", FT_STRING, F_NULLABLE, .max = 40 },
	{ "email", FT_STRING, F_NULLABLE, .max = 100 },
	{ "address_line1", FT_STRING, F_REQUIRED | F_UPPER, .max = 200 },
	{ "address_line2", FT_STRING, F_NULLABLE | F_UPPER, .max = 200 },
	{ "address_city", FT_STRING, F_NULLABLE | F_UPPER, .max = 200 },
	{ "address_state", FT_STRING, F_NULLABLE | F_UPPER, .max = 200 },
	{ "address_zip", FT_STRING, F_NULLABLE | F_UPPER, .max = 40 },
	{ "address_country", FT_STRING, F_REQUIRED, .convert = country_name },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	FIELD_END
};

static const struct field *address_pick_fields(const json_t *body);
static int address_before_store(struct req *rq, const json_t *body, json_t *obj,
				struct api_error *err);

const struct resource address_res = {
	.kind = "address",
	.id_prefix = "adr_",
	.fields = address_us_fields,
	.ops = { .pick_fields = address_pick_fields, .before_store = address_before_store },
};

const struct route address_routes[] = {
	{ HTTP_GET, "/v1/addresses", res_list, &address_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/addresses", res_create, &address_res, KEY_SECRET, NULL, R_BODY },
	{ HTTP_GET, "/v1/addresses/{id}", res_get, &address_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/addresses/{id}", res_delete, &address_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};

/* ------------------------------------------------------------------------ */
/* hooks                                                                    */
/* ------------------------------------------------------------------------ */

static bool is_state_code(const char *v)
{
	return strlen(v) == 2 && ((v[0] | 32) >= 'a' && (v[0] | 32) <= 'z') &&
	       ((v[1] | 32) >= 'a' && (v[1] | 32) <= 'z');
}

static bool is_us_zip(const char *v)
{
	size_t n = strlen(v);
	if (n != 5 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool digit = v[i] >= '0' && v[i] <= '9';
		if (i == 5 ? v[i] != '-' : !digit)
			return false;
	}
	return true;
}

/* an alpha-2 code (any case) or Lob's full name, to Lob's full name */
static const struct country *country_lookup(const char *v)
{
	const struct country *c = country_by_alpha2(v);
	return c ? c : country_by_name(v);
}

static const char *country_name(struct arena *a, const struct field_ctx *ctx, const char *v,
				struct api_error *err)
{
	const struct country *c = country_lookup(v);
	(void)a;
	if (!c) {
		api_fail(err, ERR_INVALID,
			 "%s must be a 2 letter country short-name code (ISO 3166)", ctx->name);
		return NULL;
	}
	return c->lob_name;
}

static const struct field *address_pick_fields(const json_t *body)
{
	const json_t *given = json_object_get(body, "address_country");
	const char *v = json_string_value(given);
	const struct country *c = v ? country_lookup(v) : NULL;
	if (!given || json_is_null(given) || (c && strcmp(c->alpha2, "US") == 0))
		return address_us_fields;
	return address_intl_fields;	/* which also reports a bad country value */
}

static int address_before_store(struct req *rq, const json_t *body, json_t *obj,
				struct api_error *err)
{
	(void)rq;
	(void)body;
	if (json_is_null(json_object_get(obj, "name")) && json_is_null(json_object_get(obj, "company")))
		return api_fail(err, ERR_INVALID, "name or company is required");
	return 0;
}
