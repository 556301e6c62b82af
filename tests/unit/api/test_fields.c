// SPDX-License-Identifier: AGPL-3.0-or-later
/* Field tables: walks every address field (US and international) for Lob's exact errors. */
#include "api/fields.h"
#include "api/resource.h"
#include "test.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

extern const struct resource address_res;

static json_t *us_body(void)
{
	return json_pack("{ssssssssss}", "name", "Harry Zhang", "address_line1", "210 King St",
			 "address_city", "San Francisco", "address_state", "ca", "address_zip",
			 "94107");
}

static json_t *intl_body(void)
{
	return json_pack("{ssssss}", "company", "Acme Ltd", "address_line1", "1 High St",
			 "address_country", "GB");
}

/* validates body with the table the resource picks; returns the error message or "" */
static const char *run(const json_t *body, json_t **out_obj)
{
	static struct api_error err;
	struct arena *a = arena_new();
	json_t *out = json_object();
	const struct field *fields = address_res.ops.pick_fields(body);
	memset(&err, 0, sizeof(err));
	int rc = fields_validate(fields, body, a, out, &err);
	arena_free(a);
	if (out_obj)
		*out_obj = out;
	else
		json_decref(out);
	return rc == 0 ? "" : err.message;
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void walk_table(const char *label, json_t *(*base)(void))
{
	json_t *b = base();
	const struct field *fields = address_res.ops.pick_fields(b);
	json_decref(b);
	for (const struct field *f = fields; f->name; f++) {
		char want[200];
		if (f->flags & F_REQUIRED) {
			b = base();
			json_object_del(b, f->name);
			if (strcmp(f->name, "address_country") != 0) {
				snprintf(want, sizeof(want), "%s is required", f->name);
				CHECK_STR(run(b, NULL), want, "%s: missing %s", label, f->name);
			}
			json_object_set_new(b, f->name, json_string(""));
			snprintf(want, sizeof(want), "%s is not allowed to be empty", f->name);
			CHECK_STR(run(b, NULL), want, "%s: empty %s", label, f->name);
			json_decref(b);
		}
		if (f->max) {
			char *at = repeat('a', f->max), *over = repeat('a', f->max + 1);
			b = base();
			json_object_set_new(b, f->name, json_string(at));
			CHECK_STR(run(b, NULL), "", "%s: %s at its limit of %zu", label, f->name, f->max);
			json_object_set_new(b, f->name, json_string(over));
			snprintf(want, sizeof(want),
				 "%s length must be less than or equal to %zu characters long", f->name,
				 f->max);
			CHECK_STR(run(b, NULL), want, "%s: %s over its limit", label, f->name);
			json_decref(b);
			free(at);
			free(over);
		}
		if (f->type == FT_STRING && (f->flags & F_NULLABLE) && !(f->flags & F_REQUIRED)) {
			json_t *o;
			b = base();
			json_object_set_new(b, f->name, json_string(""));
			CHECK_STR(run(b, &o), "", "%s: empty %s accepted", label, f->name);
			CHECK(json_is_null(json_object_get(o, f->name)), "%s: empty %s stored as null (Lob)",
			      label, f->name);
			json_decref(o);
			json_decref(b);
		}
		if (f->type == FT_STRING) {
			b = base();
			json_object_set_new(b, f->name, json_integer(5));
			snprintf(want, sizeof(want), "%s must be a string", f->name);
			CHECK_STR(run(b, NULL), want, "%s: %s as a number", label, f->name);
			json_decref(b);
		}
	}
}

static void test_formats(void)
{
	json_t *b = us_body(), *out = NULL;
	json_object_set_new(b, "address_zip", json_string("9410"));
	CHECK_STR(run(b, NULL),
		  "address_zip with value \"9410\" fails to match the required pattern: /^\\d{5}(-\\d{4})?$/",
		  "bad ZIP");
	json_object_set_new(b, "address_zip", json_string("94107-1741"));
	CHECK_STR(run(b, NULL), "", "ZIP+4 accepted");
	json_object_set_new(b, "address_state", json_string("C1"));
	CHECK(strstr(run(b, NULL), "address_state with value \"C1\"") != NULL, "bad state code");
	json_object_set_new(b, "address_state", json_string("ca"));
	json_object_set_new(b, "favourite_colour", json_string("blue"));
	CHECK_STR(run(b, NULL), "favourite_colour is not allowed", "unknown field");
	json_object_del(b, "favourite_colour");
	json_object_set_new(b, "address_country", json_string("XX"));
	CHECK_STR(run(b, NULL), "address_country must be a 2 letter country short-name code (ISO 3166)",
		  "unknown country");
	json_object_set_new(b, "address_country", json_string("us"));
	CHECK_STR(run(b, &out), "", "lower-case US accepted");
	CHECK_STR(json_string_value(json_object_get(out, "address_country")), "UNITED STATES",
		  "country written out in full");
	CHECK_STR(json_string_value(json_object_get(out, "name")), "HARRY ZHANG", "name upper-cased");
	CHECK_STR(json_string_value(json_object_get(out, "address_state")), "CA", "state upper-cased");
	CHECK(json_is_null(json_object_get(out, "address_line2")), "absent nullable field is null");
	CHECK(json_is_object(json_object_get(out, "metadata")) &&
		      json_object_size(json_object_get(out, "metadata")) == 0,
	      "metadata defaults to {}");
	json_decref(out);
	json_decref(b);

	b = intl_body();
	CHECK_STR(run(b, &out), "", "international address valid without city/state/zip");
	CHECK_STR(json_string_value(json_object_get(out, "address_country")), "UNITED KINGDOM",
		  "GB written as Lob's name");
	json_decref(out);
	json_decref(b);
}

static void test_metadata(void)
{
	json_t *b = us_body(), *m = json_object();
	char key[8];
	for (int i = 0; i < 21; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		json_object_set_new(m, key, json_string("v"));
	}
	json_object_set_new(b, "metadata", m);
	CHECK_STR(run(b, NULL), "metadata must have less than or equal to 20 keys", "21 metadata keys");
	json_object_del(m, "k20");
	CHECK_STR(run(b, NULL), "", "20 metadata keys");

	char *k39 = repeat('k', 39), *k40 = repeat('k', 40), *v499 = repeat('v', 499),
	     *v500 = repeat('v', 500);
	m = json_object();
	json_object_set_new(b, "metadata", m);
	json_object_set_new(m, k39, json_string(v499));
	CHECK_STR(run(b, NULL), "", "key of 39 and value of 499 characters");
	json_object_set_new(m, k40, json_string("x"));
	CHECK(strstr(run(b, NULL), "must be less than 40 characters long") != NULL, "key of 40");
	json_object_del(m, k40);
	json_object_set_new(m, "long", json_string(v500));
	CHECK_STR(run(b, NULL), "metadata.long must be less than 500 characters long", "value of 500");
	json_object_set_new(m, "long", json_string("say \"hi\""));
	CHECK_STR(run(b, NULL), "metadata.long cannot contain the characters \" or \\", "quote in value");
	json_object_set_new(m, "long", json_pack("{ss}", "a", "b"));
	CHECK_STR(run(b, NULL), "metadata.long must be a string: nested objects are not supported",
		  "nested metadata");
	json_object_set_new(m, "long", json_integer(3));
	CHECK_STR(run(b, NULL), "metadata.long must be a string", "number in metadata");
	json_object_set_new(b, "metadata", json_string("x"));
	CHECK_STR(run(b, NULL), "metadata must be an object", "metadata as a string");
	free(k39);
	free(k40);
	free(v499);
	free(v500);
	json_decref(b);
}

static void test_utf8_length(void)
{
	/* 40 two-byte characters are 80 bytes but 40 characters: within name's limit */
	char name[81];
	for (int i = 0; i < 40; i++) {
		name[2 * i] = (char)0xC3;
		name[2 * i + 1] = (char)0xA9;
	}
	name[80] = '\0';
	json_t *b = us_body();
	json_object_set_new(b, "name", json_string(name));
	CHECK_STR(run(b, NULL), "", "limits count characters, not bytes");
	json_decref(b);
	CHECK_INT(utf8_chars("h\xc3\xa9llo"), 5, "utf8_chars");
}

/* the typed fields mail pieces use: booleans, integers, amounts, arrays, updates */
static const char *const sides[] = { "front", "back", NULL };
static const struct field typed_fields[] = {
	{ .name = "color", .type = FT_BOOL, .dflt = "false" },
	{ .name = "double_sided", .type = FT_BOOL, .dflt = "true" },
	{ .name = "check_number", .type = FT_INT, .min = 1, .max_value = 500000000 },
	{ .name = "amount", .type = FT_NUMBER, .min = 0, .max_value = 999999.99, .decimals = 2 },
	{ .name = "pages", .type = FT_STRING_ARRAY, .max = 2, .enum_vals = sides },
	{ .name = "description", .type = FT_STRING, .max = 255, .flags = F_NULLABLE },
	FIELD_END
};

static const char *typed(const char *json_body, json_t **out_obj)
{
	static struct api_error err;
	struct arena *a = arena_new();
	json_t *body = json_loads(json_body, 0, NULL), *out = json_object();
	memset(&err, 0, sizeof(err));
	int rc = fields_validate(typed_fields, body, a, out, &err);
	arena_free(a);
	json_decref(body);
	if (out_obj && rc == 0)
		*out_obj = out;
	else
		json_decref(out);
	return rc == 0 ? "" : err.message;
}

static void test_typed_fields(void)
{
	static const struct {
		const char *body, *error;
	} cases[] = {
		{ "{}", "" },
		{ "{\"color\":true,\"double_sided\":\"false\"}", "" },
		{ "{\"color\":\"yes\"}", "color must be a boolean" },
		{ "{\"color\":1}", "color must be a boolean" },
		{ "{\"check_number\":\"10001\"}", "" },
		{ "{\"check_number\":0}", "check_number must be greater than or equal to 1" },
		{ "{\"check_number\":500000001}", "check_number must be less than or equal to 500000000" },
		{ "{\"check_number\":1.5}", "check_number must be an integer" },
		{ "{\"check_number\":\"12abc\"}", "check_number must be a number" },
		{ "{\"amount\":\"1000000\"}", "amount must be less than or equal to 999999.99" },
		{ "{\"amount\":-0.01}", "amount must be greater than or equal to 0.00" },
		{ "{\"amount\":12.345}", "" },
		{ "{\"pages\":[\"front\"]}", "" },
		{ "{\"pages\":{\"0\":\"front\",\"1\":\"back\"}}", "" },
		{ "{\"pages\":[\"front\",\"back\",\"front\"]}", "pages must contain less than or equal to 2 items" },
		{ "{\"pages\":[\"inside\"]}", "pages[0] must be one of [front, back]" },
		{ "{\"pages\":[7]}", "pages[0] must be a string" },
		{ "{\"pages\":\"front\"}", "pages must be an array" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(typed(cases[i].body, NULL), cases[i].error, "typed: %s", cases[i].body);

	json_t *out = NULL;
	typed("{\"amount\":12.345,\"check_number\":\"42\"}", &out);
	CHECK(out && json_is_false(json_object_get(out, "color")), "boolean default false applied");
	CHECK(out && json_is_true(json_object_get(out, "double_sided")), "boolean default true applied");
	CHECK(out && fabs(json_real_value(json_object_get(out, "amount")) - 12.35) < 1e-9,
	      "amounts are rounded to cents");
	CHECK_INT(out ? json_integer_value(json_object_get(out, "check_number")) : 0, 42,
		  "form digits become an integer");
	CHECK(out && json_is_null(json_object_get(out, "description")), "nullable absent is null");
	json_decref(out);

	/* updates: only what is given, only what is allowed */
	static const char *const updatable[] = { "description", NULL };
	struct arena *a = arena_new();
	struct api_error err = { 0 };
	json_t *body = json_pack("{ss}", "description", "new"), *upd = json_object();
	CHECK_INT(fields_validate_update(typed_fields, updatable, body, a, upd, NULL, &err), 0,
		  "update of an allowed field");
	CHECK_INT(json_object_size(upd), 1, "an update writes only the given fields");
	json_decref(body);
	body = json_pack("{sb}", "color", 1);
	CHECK_INT(fields_validate_update(typed_fields, updatable, body, a, upd, NULL, &err), -1,
		  "update of a field that cannot change");
	CHECK_STR(err.message, "color is not allowed", "…is not allowed");
	json_decref(body);
	json_decref(upd);
	arena_free(a);
}

int main(void)
{
	test_typed_fields();
	walk_table("us", us_body);
	walk_table("intl", intl_body);
	test_formats();
	test_metadata();
	test_utf8_length();
	return test_done();
}
