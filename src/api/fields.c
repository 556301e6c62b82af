/* Field-table validation: presence, type, length, enum, format, conversion, metadata. */
#include "api/fields.h"
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

static int one_field(const struct field *f, const json_t *v, struct arena *a, json_t *out,
		     struct api_error *err)
{
	if (!v || json_is_null(v)) {
		if (f->flags & F_REQUIRED)
			return api_fail(err, ERR_INVALID, "%s is required", f->name);
		if (f->dflt) {
			v = json_string(f->dflt);
			int rc = one_field(f, v, a, out, err);
			json_decref((json_t *)v);
			return rc;
		}
		if (f->type == FT_METADATA)
			return json_object_set_new(out, f->name, json_object());
		if (f->flags & F_NULLABLE)
			json_object_set_new(out, f->name, json_null());
		return 0;
	}
	if (f->type == FT_METADATA) {
		if (fields_check_metadata(v, err) < 0)
			return -1;
		return json_object_set(out, f->name, (json_t *)v);
	}
	if (!json_is_string(v))
		return api_fail(err, ERR_INVALID, "%s must be a string", f->name);
	const char *s = string_value(f, json_string_value(v), a, err);
	if (!s)
		return -1;
	json_object_set_new(out, f->name, json_string(s));
	return 0;
}

int fields_validate(const struct field *fields, const json_t *body, struct arena *a,
		    json_t *out, struct api_error *err)
{
	if (reject_unknown(fields, body, err) < 0)
		return -1;
	for (const struct field *f = fields; f->name; f++)
		if (one_field(f, json_object_get(body, f->name), a, out, err) < 0)
			return -1;
	return 0;
}
