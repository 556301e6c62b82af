// SPDX-License-Identifier: AGPL-3.0-or-later
/* Field-table validation: presence, type, length, enum, format, conversion, metadata. */
#include "api/fields.h"
#include "core/parse.h"
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static const struct field *field_find(const struct field *fields, const char *name)
{
	for (const struct field *f = fields; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static int reject_unknown(const struct field *fields, const json_t *body, struct api_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v) {
		if (!field_find(fields, k))
			return api_fail(err, ERR_INVALID, "%.100s is not allowed", k);
	}
	return 0;
}

static bool metadata_text_ok(const char *s)
{
	return !strchr(s, '"') && !strchr(s, '\\');
}

int fields_check_metadata(const json_t *meta, struct api_error *err)
{
	const char *k;
	json_t *v;
	if (!json_is_object(meta))
		return api_fail(err, ERR_INVALID, "metadata must be an object");
	if (json_object_size(meta) > METADATA_MAX_KEYS)
		return api_fail(err, ERR_INVALID, "metadata must have less than or equal to %d keys",
				METADATA_MAX_KEYS);
	json_object_foreach((json_t *)meta, k, v) {
		if (utf8_chars(k) > METADATA_KEY_MAX)
			return api_fail(err, ERR_INVALID,
					"metadata key %.60s must be less than 40 characters long", k);
		if (!metadata_text_ok(k))
			return api_fail(err, ERR_INVALID,
					"metadata keys cannot contain the characters \" or \\");
		if (json_is_object(v) || json_is_array(v))
			return api_fail(err, ERR_INVALID,
					"metadata.%.60s must be a string: nested objects are not supported", k);
		if (!json_is_string(v))
			return api_fail(err, ERR_INVALID, "metadata.%.60s must be a string", k);
		if (utf8_chars(json_string_value(v)) > METADATA_VALUE_MAX)
			return api_fail(err, ERR_INVALID,
					"metadata.%.60s must be less than 500 characters long", k);
		if (!metadata_text_ok(json_string_value(v)))
			return api_fail(err, ERR_INVALID,
					"metadata.%.60s cannot contain the characters \" or \\", k);
	}
	return 0;
}

static void upper_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

static int enum_message(const struct field *f, struct api_error *err)
{
	char list[200] = "";
	size_t len = 0;
	for (const char *const *e = f->enum_vals; *e; e++) {
		int n = snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", *e);
		if (n < 0 || (size_t)n >= sizeof(list) - len)
			break;
		len += (size_t)n;
	}
	return api_fail(err, ERR_INVALID, "%s must be one of [%s]", f->name, list);
}

static bool enum_has(const struct field *f, const char *v)
{
	for (const char *const *e = f->enum_vals; *e; e++)
		if (strcmp(*e, v) == 0)
			return true;
	return false;
}

/* a present string value: checks and converts it; NULL with *err on failure */
static const char *string_value(const struct field *f, const char *v, struct arena *a,
				struct api_error *err)
{
	if (*v == '\0' && (f->flags & F_REQUIRED)) {
		api_fail(err, ERR_INVALID, "%s is not allowed to be empty", f->name);
		return NULL;
	}
	if (f->max && utf8_chars(v) > f->max) {
		api_fail(err, ERR_INVALID,
			 "%s length must be less than or equal to %zu characters long", f->name,
			 f->max);
		return NULL;
	}
	if (f->enum_vals && !enum_has(f, v)) {
		enum_message(f, err);
		return NULL;
	}
	if (f->check && *v && !f->check(v)) {
		api_fail(err, ERR_INVALID, "%s with value \"%.80s\" fails to match the required pattern: %s",
			 f->name, v, f->pattern ? f->pattern : "(format)");
		return NULL;
	}
	if (f->convert) {
		struct field_ctx ctx = { .name = f->name };
		return f->convert(a, &ctx, v, err);
	}
	char *copy = arena_strdup(a, v);
	if (f->flags & F_UPPER)
		upper_ascii(copy);
	return copy;
}

static bool bounded(const struct field *f)
{
	return f->min != 0 || f->max_value != 0;
}

static int range_check(const struct field *f, double v, struct api_error *err)
{
	if (!bounded(f))
		return 0;
	if (v < f->min)
		return api_fail(err, ERR_INVALID, "%s must be greater than or equal to %.*f", f->name,
				f->type == FT_NUMBER ? (int)f->decimals : 0, f->min);
	if (v > f->max_value)
		return api_fail(err, ERR_INVALID, "%s must be less than or equal to %.*f", f->name,
				f->type == FT_NUMBER ? (int)f->decimals : 0, f->max_value);
	return 0;
}

static int bool_field(const struct field *f, const json_t *v, json_t *out, struct api_error *err)
{
	const char *s = json_string_value(v);
	int b;
	if (json_is_boolean(v))
		b = json_is_true(v);
	else if (s && strcmp(s, "true") == 0)
		b = 1;
	else if (s && strcmp(s, "false") == 0)
		b = 0;
	else
		return api_fail(err, ERR_INVALID, "%s must be a boolean", f->name);
	return json_object_set_new(out, f->name, json_boolean(b));
}

/* a JSON number, or a form body's text that is wholly a number */
static int number_of(const json_t *v, double *out)
{
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return isfinite(*out) ? 0 : -1;
	}
	const char *s = json_string_value(v);
	if (!s || strlen(s) > 40)
		return -1;
	return parse_double(s, -DBL_MAX, DBL_MAX, out);
}

static int numeric_field(const struct field *f, const json_t *v, json_t *out,
			 struct api_error *err)
{
	double d;
	if (number_of(v, &d) < 0)
		return api_fail(err, ERR_INVALID, "%s must be a number", f->name);
	if (f->type == FT_INT) {
		if (d != floor(d) || fabs(d) > 9007199254740991.0)
			return api_fail(err, ERR_INVALID, "%s must be an integer", f->name);
		if (range_check(f, d, err) < 0)
			return -1;
		return json_object_set_new(out, f->name, json_integer((json_int_t)d));
	}
	double scale = pow(10, f->decimals);
	d = round(d * scale) / scale;
	if (range_check(f, d, err) < 0)
		return -1;
	return json_object_set_new(out, f->name, json_real(d));
}

/* arrays arrive as JSON arrays, or from forms as x[]=a or x[0]=a (an object of indexes) */
static json_t *array_items(const json_t *v)
{
	if (json_is_array(v))
		return json_incref((json_t *)v);
	if (!json_is_object(v))
		return NULL;
	json_t *arr = json_array();
	char key[24];
	for (size_t i = 0; i < json_object_size(v); i++) {
		snprintf(key, sizeof(key), "%zu", i);
		json_t *item = json_object_get(v, key);
		if (!item) {
			json_decref(arr);
			return NULL;
		}
		json_array_append(arr, item);
	}
	return arr;
}

static int array_field(const struct field *f, const json_t *v, struct arena *a, json_t *out,
		       struct api_error *err)
{
	json_t *items = array_items(v);
	if (!items)
		return api_fail(err, ERR_INVALID, "%s must be an array", f->name);
	if (f->max && json_array_size(items) > f->max) {
		json_decref(items);
		return api_fail(err, ERR_INVALID, "%s must contain less than or equal to %zu items",
				f->name, f->max);
	}
	/* each item is checked as a string field named "name[i]" with the item limit */
	struct field item = *f;
	char name[96];
	item.name = name;
	item.max = f->item_max;
	item.flags |= F_REQUIRED;
	json_t *clean = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		snprintf(name, sizeof(name), "%.60s[%zu]", f->name, i);
		const char *s = json_is_string(it) ? string_value(&item, json_string_value(it), a, err)
						   : NULL;
		if (!json_is_string(it))
			api_fail(err, ERR_INVALID, "%s must be a string", name);
		if (!s) {
			json_decref(items);
			json_decref(clean);
			return -1;
		}
		json_array_append_new(clean, json_string(s));
	}
	json_decref(items);
	return json_object_set_new(out, f->name, clean);
}

static int json_field(const struct field *f, const json_t *v, void *ctx, json_t *out,
		      struct api_error *err)
{
	json_t *val = f->json ? f->json(f, v, ctx, err) : json_incref((json_t *)v);
	if (!val)
		return -1;
	return json_object_set_new(out, f->name, val);
}

static int present_field(const struct field *f, const json_t *v, struct arena *a, json_t *out,
			 void *ctx, struct api_error *err)
{
	switch (f->type) {
	case FT_METADATA:
		if (fields_check_metadata(v, err) < 0)
			return -1;
		return json_object_set(out, f->name, (json_t *)v);
	case FT_BOOL:
		return bool_field(f, v, out, err);
	case FT_INT:
	case FT_NUMBER:
		return numeric_field(f, v, out, err);
	case FT_STRING_ARRAY:
		return array_field(f, v, a, out, err);
	case FT_JSON:
		return json_field(f, v, ctx, out, err);
	case FT_STRING:
		break;
	}
	if (!json_is_string(v))
		return api_fail(err, ERR_INVALID, "%s must be a string", f->name);
	const char *s = string_value(f, json_string_value(v), a, err);
	if (!s)
		return -1;
	json_object_set_new(out, f->name, json_string(s));
	return 0;
}

/* Lob stores an empty optional string as null: address_line2="" reads back null */
static bool empty_means_null(const struct field *f, const json_t *v)
{
	return f->type == FT_STRING && (f->flags & F_NULLABLE) && !(f->flags & F_REQUIRED) &&
	       json_is_string(v) && json_string_length(v) == 0;
}

static int one_field(const struct field *f, const json_t *v, struct arena *a, json_t *out,
		     void *ctx, struct api_error *err)
{
	if (!v || json_is_null(v) || empty_means_null(f, v)) {
		if (f->flags & F_REQUIRED)
			return api_fail(err, ERR_INVALID, "%s is required", f->name);
		if (f->dflt) {
			/* a default is written as text and parsed by the field's type */
			json_t *d = f->type == FT_STRING || f->type == FT_JSON ? json_string(f->dflt)
				  : json_loads(f->dflt, JSON_DECODE_ANY, NULL);
			int rc = d ? present_field(f, d, a, out, ctx, err)
				   : api_fail(err, ERR_INTERNAL, "bad default for %s", f->name);
			json_decref(d);
			return rc;
		}
		if (f->type == FT_METADATA)
			return json_object_set_new(out, f->name, json_object());
		if (f->flags & F_NULLABLE)
			json_object_set_new(out, f->name, json_null());
		return 0;
	}
	return present_field(f, v, a, out, ctx, err);
}

int fields_validate_ctx(const struct field *fields, const json_t *body, struct arena *a,
			json_t *out, void *ctx, struct api_error *err)
{
	if (reject_unknown(fields, body, err) < 0)
		return -1;
	for (const struct field *f = fields; f->name; f++)
		if (one_field(f, json_object_get(body, f->name), a, out, ctx, err) < 0)
			return -1;
	return 0;
}

int fields_validate(const struct field *fields, const json_t *body, struct arena *a,
		    json_t *out, struct api_error *err)
{
	return fields_validate_ctx(fields, body, a, out, NULL, err);
}

static bool name_in(const char *const *names, const char *name)
{
	if (!names)
		return true;
	for (; *names; names++)
		if (strcmp(*names, name) == 0)
			return true;
	return false;
}

int fields_validate_update(const struct field *fields, const char *const *allowed,
			   const json_t *body, struct arena *a, json_t *out, void *ctx,
			   struct api_error *err)
{
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)body, k, v) {
		const struct field *f = field_find(fields, k);
		if (!f || !name_in(allowed, k))
			return api_fail(err, ERR_INVALID, "%.100s is not allowed", k);
	}
	for (const struct field *f = fields; f->name; f++) {
		v = json_object_get(body, f->name);
		if (!v)
			continue;
		if (json_is_null(v) || empty_means_null(f, v)) {
			if (!(f->flags & F_NULLABLE) || (f->flags & F_REQUIRED))
				return api_fail(err, ERR_INVALID, "%s must not be null", f->name);
			json_object_set_new(out, f->name, json_null());
			continue;
		}
		if (present_field(f, v, a, out, ctx, err) < 0)
			return -1;
	}
	return 0;
}

json_t *fields_any_object(const struct field *f, const json_t *v, void *ctx,
			  struct api_error *err)
{
	(void)ctx;
	if (!json_is_object(v)) {
		api_fail(err, ERR_INVALID, "%s must be an object", f->name);
		return NULL;
	}
	return json_incref((json_t *)v);
}
