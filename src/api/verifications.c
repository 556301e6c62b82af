// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Address verification endpoints: /v1/us_verifications (+ bulk), /v1/us_autocompletions,
 * /v1/us_zip_lookups, /v1/us_reverse_geocode_lookups, /v1/intl_verifications (+ bulk),
 * /v1/identity_validation. Inputs are checked with field tables; test keys get Lob's
 * test-environment answers (av/testmode.c), live keys the engine's (av/verify.c, av/intl.c).
 * Nothing is stored: a verification is an answer, not an object.
 */
#include "api/fields.h"
#include "av/intl.h"
#include "av/testmode.h"
#include "av/verify.h"
#include "av/zipdb.h"
#include "core/countries.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/parse.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BULK_MAX 20

static bool is_zip(const char *v);
static bool is_zip5(const char *v);
static bool is_intl_country(const char *v);

/* ------------------------------------------------------------------------ */
/* field tables (spec: multiple_components, single_line_address, *_intl)    */
/* ------------------------------------------------------------------------ */

static const struct field us_verification_fields[] = {
	{ "recipient", FT_STRING, 0, .max = 500 },
	{ "primary_line", FT_STRING, 0, .max = 200 },
	{ "secondary_line", FT_STRING, 0, .max = 200 },
	{ "urbanization", FT_STRING, 0, .max = 200 },
	{ "city", FT_STRING, 0, .max = 200 },
	{ "state", FT_STRING, 0, .max = 50 },
	{ "zip_code", FT_STRING, 0, .check = is_zip, .pattern = "/^\\d{5}((-)?\\d{4})?$/" },
	{ "address", FT_STRING, 0, .max = 500 },
	FIELD_END
};

static const struct field intl_verification_fields[] = {
	{ "recipient", FT_STRING, 0, .max = 500 },
	{ "primary_line", FT_STRING, 0, .max = 200 },
	{ "secondary_line", FT_STRING, 0, .max = 200 },
	{ "city", FT_STRING, 0, .max = 200 },
	{ "state", FT_STRING, 0, .max = 200 },
	{ "postal_code", FT_STRING, 0, .max = 12 },
	{ "country", FT_STRING, F_REQUIRED, .check = is_intl_country,
	  .pattern = "a 2 letter country code Lob verifies (ISO 3166; not US or its territories)" },
	{ "address", FT_STRING, 0, .max = 500 },
	FIELD_END
};

static const struct field autocomplete_fields[] = {
	{ "address_prefix", FT_STRING, F_REQUIRED, .max = 200 },
	{ "city", FT_STRING, 0, .max = 200 },
	{ "state", FT_STRING, 0, .max = 50 },
	{ "zip_code", FT_STRING, 0, .check = is_zip, .pattern = "/^\\d{5}((-)?\\d{4})?$/" },
	FIELD_END
};

static const struct field zip_lookup_fields[] = {
	{ "zip_code", FT_STRING, F_REQUIRED, .check = is_zip5, .pattern = "/^\\d{5}$/" },
	FIELD_END
};

static const struct field reverse_geocode_fields[] = {
	{ "latitude", FT_STRING, F_REQUIRED, .max = 32 },
	{ "longitude", FT_STRING, F_REQUIRED, .max = 32 },
	FIELD_END
};

static const struct field identity_fields[] = {
	{ "recipient", FT_STRING, 0, .max = 500 },
	{ "company", FT_STRING, 0, .max = 500 },
	{ "primary_line", FT_STRING, F_REQUIRED, .max = 200 },
	{ "secondary_line", FT_STRING, 0, .max = 200 },
	{ "urbanization", FT_STRING, 0, .max = 200 },
	{ "city", FT_STRING, 0, .max = 200 },
	{ "state", FT_STRING, 0, .max = 50 },
	{ "zip_code", FT_STRING, 0, .check = is_zip, .pattern = "/^\\d{5}((-)?\\d{4})?$/" },
	FIELD_END
};

static int us_verify(struct req *rq, struct api_error *err);
static int us_verify_bulk(struct req *rq, struct api_error *err);
static int intl_verify(struct req *rq, struct api_error *err);
static int intl_verify_bulk(struct req *rq, struct api_error *err);
static int autocomplete(struct req *rq, struct api_error *err);
static int zip_lookup(struct req *rq, struct api_error *err);
static int reverse_geocode(struct req *rq, struct api_error *err);
static int identity_validation(struct req *rq, struct api_error *err);

/* publishable keys: US and international verification and US autocomplete (Lob: API Keys) */
const struct route verification_routes[] = {
	{ HTTP_POST, "/v1/us_verifications", us_verify, NULL, KEY_SECRET | KEY_PUBLISHABLE, NULL, R_BODY | R_RATE_DOUBLE },
	{ HTTP_POST, "/v1/bulk/us_verifications", us_verify_bulk, NULL, KEY_SECRET, NULL, R_BODY },
	{ HTTP_POST, "/v1/us_autocompletions", autocomplete, NULL, KEY_SECRET | KEY_PUBLISHABLE, NULL, R_BODY | R_RATE_DOUBLE },
	{ HTTP_POST, "/v1/us_zip_lookups", zip_lookup, NULL, KEY_SECRET, NULL, R_BODY },
	{ HTTP_POST, "/v1/us_reverse_geocode_lookups", reverse_geocode, NULL, KEY_SECRET, NULL, R_BODY },
	{ HTTP_POST, "/v1/intl_verifications", intl_verify, NULL, KEY_SECRET | KEY_PUBLISHABLE, NULL, R_BODY },
	{ HTTP_POST, "/v1/bulk/intl_verifications", intl_verify_bulk, NULL, KEY_SECRET, NULL, R_BODY },
	{ HTTP_POST, "/v1/identity_validation", identity_validation, NULL, KEY_SECRET, NULL, R_BODY },
	{ .pattern = NULL }
};

/* ------------------------------------------------------------------------ */
/* helpers                                                                  */
/* ------------------------------------------------------------------------ */

static bool is_zip5(const char *v)
{
	return strlen(v) == 5 && digits_only(v, 5);
}

static bool is_zip(const char *v)
{
	size_t n = strlen(v);
	if (n == 5 || n == 9)
		return digits_only(v, n);
	return n == 10 && digits_only(v, 5) && v[5] == '-' && digits_only(v + 6, 4);
}

static bool is_intl_country(const char *v)
{
	const struct country *c = country_by_alpha2(v);
	return c && c->lob_intl;
}

static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v && *v ? v : NULL;
}

static bool is_test(const struct req *rq)
{
	return rq->key.mode == MODE_TEST;
}

static char *new_id(struct req *rq, const char *prefix)
{
	char *id = arena_alloc(rq->arena, 48);
	if (ids_new(prefix, id, 48) < 0)
		memcpy(id, prefix, strlen(prefix) + 1);
	return id;
}

/* validated copy of body against fields (arena-owned), or NULL with *err */
static json_t *checked(struct req *rq, const struct field *fields, const json_t *body,
		       struct api_error *err)
{
	json_t *out = arena_own_json(rq->arena, json_object());
	if (!json_is_object(body)) {
		api_fail(err, ERR_INVALID, "each address must be an object");
		return NULL;
	}
	return fields_validate(fields, body, rq->arena, out, err) < 0 ? NULL : out;
}

static int respond_owned(struct req *rq, json_t *body)
{
	return respond_json(rq, 200, arena_own_json(rq->arena, body));
}

static bool proper_case(const struct req *rq)
{
	const char *c = json_string_value(json_object_get(rq->query, "case"));
	return c && strcmp(c, "proper") == 0;
}

/* case=proper on an answer made in upper case (test mode): the fields Lob's `case` covers */
static json_t *apply_case(const struct req *rq, json_t *answer)
{
	static const char *const fields[] = { "recipient", "primary_line", "secondary_line",
					      "urbanization", "last_line" };
	char buf[512];
	if (!proper_case(rq) || !answer)
		return answer;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = json_string_value(json_object_get(answer, fields[i]));
		if (!v)
			continue;
		av_proper_case(v, buf, sizeof(buf));
		json_object_set_new(answer, fields[i], json_string(buf));
	}
	return answer;
}

static int check_case(const struct req *rq, struct api_error *err)
{
	const char *c = json_string_value(json_object_get(rq->query, "case"));
	if (c && strcmp(c, "upper") != 0 && strcmp(c, "proper") != 0)
		return api_fail(err, ERR_INVALID, "case must be one of [upper, proper]");
	return 0;
}

/* ------------------------------------------------------------------------ */
/* US verifications                                                         */
/* ------------------------------------------------------------------------ */

/* Lob's rules between fields (reference: US verification request rules) */
static int us_rules(const json_t *in, bool allow_single_line, struct api_error *err)
{
	static const char *const parts[] = { "recipient", "primary_line", "secondary_line",
					     "urbanization", "city", "state", "zip_code" };
	if (str(in, "address")) {
		if (!allow_single_line)
			return api_fail(err, ERR_INVALID, "address is not allowed");
		for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
			if (json_object_get(in, parts[i]))
				return api_fail(err, ERR_INVALID,
						"%s is not allowed when address is given", parts[i]);
		return 0;
	}
	if (!str(in, "primary_line"))
		return api_fail(err, ERR_INVALID, allow_single_line
				? "primary_line is required or address is required"
				: "primary_line is required");
	if (str(in, "zip_code"))
		return 0;
	if (str(in, "city") && !str(in, "state"))
		return api_fail(err, ERR_INVALID, "state is required when zip_code is not given");
	if (str(in, "state") && !str(in, "city"))
		return api_fail(err, ERR_INVALID, "city is required when zip_code is not given");
	if (!str(in, "city"))
		return api_fail(err, ERR_INVALID, "zip_code is required, or city and state");
	return 0;
}

/* one US verification answer, or NULL with *err */
static json_t *us_one(struct req *rq, const json_t *body, bool single_line, struct api_error *err)
{
	const json_t *in = checked(rq, us_verification_fields, body, err);
	if (!in || us_rules(in, single_line, err) < 0)
		return NULL;
	const char *id = new_id(rq, "us_ver_");
	if (is_test(rq))
		return apply_case(rq, testmode_us_verification(in, id));
	struct us_input u = {
		.recipient = str(in, "recipient"), .primary_line = str(in, "primary_line"),
		.secondary_line = str(in, "secondary_line"), .urbanization = str(in, "urbanization"),
		.city = str(in, "city"), .state = str(in, "state"), .zip_code = str(in, "zip_code"),
		.address = str(in, "address"),
	};
	return av_verify_us(rq->app->av, &u, id, proper_case(rq));
}

static int us_verify(struct req *rq, struct api_error *err)
{
	if (check_case(rq, err) < 0)
		return -1;
	json_t *out = us_one(rq, rq->body_json, true, err);
	return out ? respond_owned(rq, out) : -1;
}

/* {"addresses":[…]}: 1–20 items, each answered or an error object in its place */
static int bulk(struct req *rq, json_t *(*one)(struct req *, const json_t *, bool,
					       struct api_error *), struct api_error *err)
{
	const json_t *list = json_object_get(rq->body_json, "addresses");
	const char *k;
	json_t *v;
	json_object_foreach(rq->body_json, k, v)
		if (strcmp(k, "addresses") != 0)
			return api_fail(err, ERR_INVALID, "%.100s is not allowed", k);
	if (!list)
		return api_fail(err, ERR_INVALID, "addresses is required");
	if (!json_is_array(list))
		return api_fail(err, ERR_INVALID, "addresses must be an array");
	if (json_array_size(list) < 1)
		return api_fail(err, ERR_INVALID, "addresses must contain at least 1 items");
	if (json_array_size(list) > BULK_MAX)
		return api_fail(err, ERR_INVALID,
				"addresses must contain less than or equal to %d items", BULK_MAX);
	json_t *answers = json_array();
	bool errors = false;
	size_t i;
	json_array_foreach(list, i, v) {
		struct api_error item = { .kind = ERR_NONE };
		json_t *a = one(rq, v, false, &item);
		if (!a) {
			errors = true;
			a = api_error_json(&item);
		}
		json_array_append_new(answers, a);
	}
	return respond_owned(rq, json_pack("{sosb}", "addresses", answers, "errors", errors));
}

static int us_verify_bulk(struct req *rq, struct api_error *err)
{
	if (check_case(rq, err) < 0)
		return -1;
	return bulk(rq, us_one, err);
}

/* ------------------------------------------------------------------------ */
/* international                                                            */
/* ------------------------------------------------------------------------ */

static json_t *intl_one(struct req *rq, const json_t *body, bool single_line,
			struct api_error *err)
{
	const json_t *in = checked(rq, intl_verification_fields, body, err);
	if (!in)
		return NULL;
	if (str(in, "address") && !single_line) {
		api_fail(err, ERR_INVALID, "address is not allowed");
		return NULL;
	}
	if (!str(in, "address") && !str(in, "primary_line")) {
		api_fail(err, ERR_INVALID, single_line
			 ? "primary_line is required or address is required"
			 : "primary_line is required");
		return NULL;
	}
	enum intl_lang lang;
	if (intl_lang_parse(rq->h.lang_output, &lang) < 0) {
		api_fail(err, ERR_INVALID, "x-lang-output must be one of [native, match]");
		return NULL;
	}
	const char *id = new_id(rq, "intl_ver_");
	if (is_test(rq))
		return testmode_intl_verification(in, id);
	struct intl_input u = {
		.lang = lang,
		.recipient = str(in, "recipient"), .primary_line = str(in, "primary_line"),
		.secondary_line = str(in, "secondary_line"), .city = str(in, "city"),
		.state = str(in, "state"), .postal_code = str(in, "postal_code"),
		.country = country_by_alpha2(str(in, "country"))->alpha2,
		.address = str(in, "address"),
	};
	return av_verify_intl(&u, id);
}

static int intl_verify(struct req *rq, struct api_error *err)
{
	json_t *out = intl_one(rq, rq->body_json, true, err);
	return out ? respond_owned(rq, out) : -1;
}

static int intl_verify_bulk(struct req *rq, struct api_error *err)
{
	return bulk(rq, intl_one, err);
}

/* ------------------------------------------------------------------------ */
/* autocomplete, ZIP lookup, reverse geocode                                */
/* ------------------------------------------------------------------------ */

static int autocomplete(struct req *rq, struct api_error *err)
{
	/* geo_ip_sort (a boolean) is accepted and ignored: Frank has no IP geolocation */
	json_t *body = arena_own_json(rq->arena, json_deep_copy(rq->body_json));
	json_object_del(body, "geo_ip_sort");
	const json_t *in = checked(rq, autocomplete_fields, body, err);
	if (!in || check_case(rq, err) < 0)
		return -1;
	if (is_test(rq)) {
		json_t *answer = testmode_us_autocompletion(in);
		size_t i;
		json_t *sug;
		json_array_foreach(json_object_get(answer, "suggestions"), i, sug) {
			apply_case(rq, sug);
			if (proper_case(rq) && json_string_value(json_object_get(sug, "city"))) {
				char city[256];	/* autocomplete's case also covers the city */
				av_proper_case(json_string_value(json_object_get(sug, "city")), city,
					       sizeof(city));
				json_object_set_new(sug, "city", json_string(city));
			}
		}
		return respond_owned(rq, answer);
	}
	json_t *list = av_autocomplete(rq->app->av, str(in, "address_prefix"), str(in, "city"),
				       str(in, "state"), str(in, "zip_code"), 10, proper_case(rq));
	return respond_owned(rq, json_pack("{sssoss}", "id", new_id(rq, "us_auto_"),
					   "suggestions", list, "object", "us_autocompletion"));
}

static json_t *city_entry(const struct zip_record *z, const char *city, bool preferred)
{
	return json_pack("{sssssssssb}", "city", city, "state", z->state, "county",
			 z->county ? z->county : "", "county_fips", z->county_fips, "preferred",
			 preferred);
}

/* test keys get real ZIP data too (reference: us_zip_lookups has no magic values) */
static int zip_lookup(struct req *rq, struct api_error *err)
{
	const json_t *in = checked(rq, zip_lookup_fields, rq->body_json, err);
	if (!in)
		return -1;
	const char *zip = str(in, "zip_code");
	const struct zip_record *z = zipdb_lookup(rq->app->av->zips, zip);
	if (!z)
		return api_fail(err, ERR_INVALID, "invalid ZIP code: %s is not a US ZIP code", zip);
	json_t *cities = json_array();	/* the preferred city first, always */
	json_array_append_new(cities, city_entry(z, z->primary_city, true));
	for (size_t i = 0; i < z->n_acceptable; i++)
		json_array_append_new(cities, city_entry(z, z->acceptable_cities[i], false));
	return respond_owned(rq, json_pack("{sssssossss}", "id", new_id(rq, "us_zip_"),
					   "zip_code", zip, "cities", cities, "zip_code_type",
					   zip_type_name(z->type), "object", "us_zip_lookup"));
}

static int parse_coordinate(const json_t *in, const char *name, double limit, double *out,
			    struct api_error *err)
{
	const char *s = str(in, name);
	if (parse_double(s, -limit, limit, out) < 0)
		return api_fail(err, ERR_INVALID, "%s must be a number between %g and %g", name,
				-limit, limit);
	return 0;
}

static int reverse_geocode(struct req *rq, struct api_error *err)
{
	json_t *body = json_deep_copy(rq->body_json);
	const char *k;
	json_t *v;
	double lat, lon;
	unsigned long size = 5;
	arena_own_json(rq->arena, body);
	json_object_foreach(body, k, v)	/* the SDK sends numbers; the table checks strings */
		if (json_is_number(v))
			json_object_set_new(body, k, json_string(arena_strfmt(rq->arena, "%.10g",
									       json_number_value(v))));
	const json_t *in = checked(rq, reverse_geocode_fields, body, err);
	if (!in || parse_coordinate(in, "latitude", 90, &lat, err) < 0 ||
	    parse_coordinate(in, "longitude", 180, &lon, err) < 0)
		return -1;
	const char *qs = json_string_value(json_object_get(rq->query, "size"));
	if (qs && (parse_ulong(qs, 1000000, &size) < 0 || size < 1))
		return api_fail(err, ERR_INVALID, "size must be an integer of at least 1");
	if (size > 50)
		size = 50;	/* "any number higher will be rounded down to 50" */
	struct zip_distance near[50];
	size_t n = zipdb_nearest(rq->app->av->zips, lat, lon, near, size);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, json_pack(
			"{s{ssss}s{sfsfsf}}", "components", "zip_code", near[i].rec->zip,
			"zip_code_plus_4", "", "location_analysis", "latitude", near[i].rec->lat,
			"longitude", near[i].rec->lon, "distance", near[i].miles));
	return respond_owned(rq, json_pack("{sssoss}", "id", new_id(rq, "us_reverse_geocode_"),
					   "addresses", list, "object", "us_reverse_geocode_lookup"));
}

/* ------------------------------------------------------------------------ */
/* identity validation                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Lob scores how likely the named recipient or company is associated with the address.
 * Frank has no identity data, so it says only what it can check: the name is present and
 * the address verifies. score is null ("no data") unless the address fails, then 0/low.
 * A test key verifies nothing, as in Lob's test mode: the name becomes "TEST KEYS DO NOT
 * VERIFY ADDRESSES" and the lines are the US test answer's (magic values included).
 */
static int identity_validation(struct req *rq, struct api_error *err)
{
	const json_t *in = checked(rq, identity_fields, rq->body_json, err);
	if (!in)
		return -1;
	const char *who = str(in, "recipient") ? "recipient" : "company";
	if (!str(in, "recipient") && !str(in, "company"))	/* Lob's words, then Frank's */
		return api_fail(err, ERR_INVALID, "recipient is required (or company, for a firm)");
	if (str(in, "recipient") && str(in, "company"))
		return api_fail(err, ERR_INVALID, "recipient and company cannot both be given");
	if (us_rules(in, false, err) < 0)
		return -1;
	struct us_input u = {
		.primary_line = str(in, "primary_line"), .secondary_line = str(in, "secondary_line"),
		.urbanization = str(in, "urbanization"), .city = str(in, "city"),
		.state = str(in, "state"), .zip_code = str(in, "zip_code"),
	};
	bool test = is_test(rq);
	json_t *ver = arena_own_json(rq->arena, test ? testmode_us_verification(in, NULL)
						     : av_verify_us(rq->app->av, &u, "us_ver_identity", false));
	const char *dpv = json_string_value(json_object_get(
		json_object_get(ver, "deliverability_analysis"), "dpv_confirmation"));
	bool failed = !test && dpv && strcmp(dpv, "N") == 0;
	json_t *out = json_object();
	json_object_set_new(out, "id", json_string(new_id(rq, "id_validation_")));
	json_object_set(out, who, test ? json_object_get(ver, "recipient")
				       : arena_own_json(rq->arena, json_string(str(in, who))));
	json_object_set(out, "primary_line", json_object_get(ver, "primary_line"));
	json_object_set(out, "secondary_line", json_object_get(ver, "secondary_line"));
	json_object_set(out, "urbanization", json_object_get(ver, "urbanization"));
	json_object_set(out, "last_line", json_object_get(ver, "last_line"));
	json_object_set_new(out, "score", failed ? json_integer(0) : json_null());
	json_object_set_new(out, "confidence", json_string(failed ? "low" : ""));
	json_object_set_new(out, "object", json_string("id_validation"));
	return respond_owned(rq, out);
}
