// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Field tables: a resource declares each input field once (name, type, limits, enum,
 * default, how it is written out) and this module validates and coerces a request body
 * against the table, producing the object's fields in the table's order. Error messages
 * follow Lob's (Joi-style) wording, e.g. "address_line1 is required",
 * "name length must be less than or equal to 40 characters long".
 */
#ifndef FRANK_FIELDS_H
#define FRANK_FIELDS_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"

enum field_type {
	FT_STRING,	/* string (numbers from JSON are not accepted) */
	FT_METADATA,	/* Lob metadata: flat object of short strings */
	FT_BOOL,	/* true/false; "true"/"false" from form bodies */
	FT_INT,		/* integer in [min, max_value]; digits from form bodies */
	FT_NUMBER,	/* number in [min, max_value], rounded to `decimals` places */
	FT_STRING_ARRAY,	/* array of strings (each checked like FT_STRING); max = items */
	FT_JSON,	/* any JSON value, checked and converted by the field's `json` hook */
};

#define F_REQUIRED (1u << 0)	/* must be present and not empty */
#define F_UPPER (1u << 1)	/* written out in upper case (ASCII letters), as Lob does */
#define F_NULLABLE (1u << 2)	/* absent → null in the output (otherwise omitted) */

/*
 * converts a validated string (e.g. a country code into Lob's country name); returns the
 * new value (arena) or NULL with *err set
 */
struct field_ctx;
typedef const char *(*field_convert)(struct arena *a, const struct field_ctx *ctx,
				     const char *value, struct api_error *err);

struct field_ctx {
	const char *name;	/* the field's name, for messages */
};

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	size_t max;			/* characters (UTF-8 code points); 0: no limit */
	const char *const *enum_vals;	/* NULL-terminated; NULL: any value */
	const char *pattern;		/* shown in the message when check() fails */
	bool (*check)(const char *v);	/* format check, e.g. a ZIP code */
	const char *dflt;		/* used when absent (parsed per type: "true", "10") */
	field_convert convert;
	double min, max_value;		/* FT_INT, FT_NUMBER bounds (both 0: unbounded) */
	unsigned decimals;		/* FT_NUMBER rounding */
	size_t item_max;		/* FT_STRING_ARRAY: characters per item; 0: no limit */
	/*
	 * FT_JSON: validates v and returns the value to store (a new reference), or NULL with
	 * *err set. ctx is the caller's (fields_validate_ctx), e.g. the request.
	 */
	json_t *(*json)(const struct field *f, const json_t *v, void *ctx, struct api_error *err);
};

#define FIELD_END { .name = NULL }

/* metadata rules (Lob reference, Metadata): at most 20 keys, key < 40, value < 500 chars */
#define METADATA_MAX_KEYS 20
#define METADATA_KEY_MAX 39
#define METADATA_VALUE_MAX 499

/*
 * Validates body against fields: rejects fields the table does not have ("x is not
 * allowed"), checks each field in table order, and appends the coerced values to out in
 * that order. 0, or -1 with *err (ERR_INVALID) for the first problem found.
 */
int fields_validate(const struct field *fields, const json_t *body, struct arena *a,
		    json_t *out, struct api_error *err);

/* as fields_validate, handing ctx to FT_JSON hooks */
int fields_validate_ctx(const struct field *fields, const json_t *body, struct arena *a,
			json_t *out, void *ctx, struct api_error *err);

/*
 * For updates: only the fields present in body are validated and written to out (no
 * defaults, no required checks; null clears a F_NULLABLE field). Fields not in `allowed`
 * (a NULL-terminated list of names; NULL: all) are "not allowed".
 */
int fields_validate_update(const struct field *fields, const char *const *allowed,
			   const json_t *body, struct arena *a, json_t *out, void *ctx,
			   struct api_error *err);

/* an FT_JSON hook: any JSON object, kept as given (e.g. a creative's details) */
json_t *fields_any_object(const struct field *f, const json_t *v, void *ctx,
			  struct api_error *err);

/* validates a metadata object (also used for list filters); 0 or -1 */
int fields_check_metadata(const json_t *meta, struct api_error *err);

/* number of UTF-8 code points in s */
size_t utf8_chars(const char *s);
#endif
