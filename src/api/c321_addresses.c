// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /api/v1 addresses: the shape {name, company, street1, street2, city, state, zip}, checked
 * by its field table and by Frank's address verification engine (av/verify.h, the live
 * engine for test and live keys alike: this API has no test-mode magic addresses).
 *   POST /api/v1/addresses/validate   → {valid, deliverability, delivery_point_confirmed,
 *                                        address (standardised), messages}
 */
#include "api/c321.h"
#include "av/verify.h"
#include "c321/mailing.h"
#include "core/jsonutil.h"
#include "http/app.h"
#include "http/route.h"
#include <string.h>

static bool zip_ok(const char *v)
{
	size_t n = strlen(v);
	for (size_t i = 0; i < n; i++)
		if (!(v[i] >= '0' && v[i] <= '9') && !(i == 5 && v[i] == '-'))
			return false;
	return n == 5 || n == 9 || (n == 10 && v[5] == '-');
}

/* Lob's limits for the same fields (address_line1 64, name and company 40) */
static const struct field validate_fields[] = {
	{ "name", FT_STRING, 0, .max = 40 },
	{ "company", FT_STRING, 0, .max = 40 },
	{ "street1", FT_STRING, F_REQUIRED, .max = 64 },
	{ "street2", FT_STRING, 0, .max = 64 },
	{ "city", FT_STRING, 0, .max = 200 },
	{ "state", FT_STRING, 0, .max = 30 },
	{ "zip", FT_STRING, 0, .check = zip_ok, .pattern = "12345 or 12345-6789" },
	FIELD_END
};

const struct field c321_mailing_address_fields[] = {
	{ "name", FT_STRING, F_REQUIRED, .max = 40 },
	{ "company", FT_STRING, 0, .max = 40 },
	{ "street1", FT_STRING, F_REQUIRED, .max = 64 },
	{ "street2", FT_STRING, 0, .max = 64 },
	{ "city", FT_STRING, F_REQUIRED, .max = 200 },
	{ "state", FT_STRING, F_REQUIRED, .max = 30 },
	{ "zip", FT_STRING, F_REQUIRED, .check = zip_ok, .pattern = "12345 or 12345-6789" },
	FIELD_END
};

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* the engine's answer for an address of this shape (new reference, never NULL) */
static json_t *verify(struct req *rq, const json_t *a)
{
	struct us_input in = {
		.recipient = str(a, "name"), .primary_line = str(a, "street1"),
		.secondary_line = str(a, "street2"), .city = str(a, "city"),
		.state = str(a, "state"), .zip_code = str(a, "zip"),
	};
	json_t *v = rq->app->av ? av_verify_us(rq->app->av, &in, "us_ver_c321", false) : NULL;
	return v ? v : json_object();
}

int c321_address_check(struct req *rq, const json_t *address, const char *field,
		       struct api_error *err)
{
	json_t *v = arena_own_json(rq->arena, verify(rq, address));
	json_t *messages = arena_own_json(rq->arena, json_array());
	char why[200];
	if (mailing_address_valid(v, messages, why, sizeof(why)))
		return 0;
	return api_fail(err, ERR_INVALID, "The %s address failed verification: %s", field, why);
}

static json_t *standardised(const json_t *v, const json_t *in)
{
	const json_t *c = json_object_get(v, "components");
	const char *zip = str(c, "zip_code"), *plus4 = str(c, "zip_code_plus_4");
	const char *line1 = str(v, "primary_line"), *line2 = str(v, "secondary_line");
	json_t *o = json_object();
	json_object_set_new(o, "street1", json_string(line1 && *line1 ? line1 : str(in, "street1")));
	json_object_set_new(o, "street2", line2 && *line2 ? json_string(line2) : json_null());
	json_object_set_new(o, "city", str(c, "city") && *str(c, "city") ? json_string(str(c, "city"))
									   : json_null());
	json_object_set_new(o, "state", str(c, "state") && *str(c, "state")
						? json_string(str(c, "state")) : json_null());
	if (zip && *zip && plus4 && *plus4) {
		char z[11];
		snprintf(z, sizeof(z), "%.5s-%.4s", zip, plus4);
		json_object_set_new(o, "zip", json_string(z));
	} else {
		json_object_set_new(o, "zip", zip && *zip ? json_string(zip) : json_null());
	}
	return o;
}

static int validate(struct req *rq, struct api_error *err)
{
	json_t *in = arena_own_json(rq->arena, json_object());
	if (c321_validate(validate_fields, rq->body_json, rq, in, err) < 0)
		return -1;
	if (!json_object_get(in, "zip") &&
	    !(json_object_get(in, "city") && json_object_get(in, "state")))
		return c321_bad_request(err, "Give zip, or city and state");
	json_t *v = arena_own_json(rq->arena, verify(rq, in));
	json_t *messages = json_array();
	char why[200];
	bool valid = mailing_address_valid(v, messages, why, sizeof(why));
	const char *d = str(v, "deliverability");
	const char *dpv = str(json_object_get(v, "deliverability_analysis"), "dpv_confirmation");
	json_t *body = json_pack("{sbsssbsoso}", "valid", valid, "deliverability", d ? d : "unknown",
				 "delivery_point_confirmed", dpv && strcmp(dpv, "Y") == 0, "address",
				 standardised(v, in), "messages", messages);
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

const struct route c321_address_routes[] = {
	{ HTTP_POST, "/api/v1/addresses/validate", validate, NULL, KEY_SECRET, "addresses:read",
	  R_BODY },
	{ .pattern = NULL }
};
