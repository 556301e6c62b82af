// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Letters (/v1/letters), with USPS Certified and Registered Mail. Create validates every
 * field and cross-field rule of the spec's letter_editable, stores the letter (status
 * `processed`) with any inline addresses and its render input in one transaction, and the
 * render job takes it to `rendered` or `failed`. DELETE cancels inside the window.
 */
#include "api/list.h"
#include "api/letters.h"
#include "api/pieces.h"
#include "api/inserts.h"
#include "core/config.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include "mail/qr_option.h"
#include "api/qr_links.h"
#include "barcode/impb.h"
#include <stdio.h>
#include <string.h>

static const char *const extra_services[] = { "certified", "certified_return_receipt",
					      "registered", NULL };
static const char *const placements[] = { "top_first_page", "insert_blank_page",
					  "bottom_first_page_center", "bottom_first_page", NULL };
static const char *const sizes[] = { "us_letter", "us_legal", NULL };

static bool envelope_id(const char *v)
{
	return strncmp(v, "env_", 4) == 0 && v[4];
}

/* Lob's qr_code on a letter page (8.5x11) */
static json_t *qr_code_field(const struct field *f, const json_t *v, void *ctx,
			     struct api_error *err)
{
	(void)f;
	(void)ctx;
	return qr_option_check(v, 8.5, 11, err);
}

/* spec: letter_editable */
static const struct field letter_fields[] = {
	PIECE_FIELDS_HEAD(F_REQUIRED),
	{ "file", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "color", FT_BOOL, F_REQUIRED, .max = 0 },
	{ "double_sided", FT_BOOL, 0, .dflt = "true" },
	{ "address_placement", FT_STRING, 0, .enum_vals = placements, .dflt = "top_first_page" },
	{ "return_envelope", FT_JSON, 0, .json = piece_any_field },
	{ "perforated_page", FT_INT, F_NULLABLE, .min = 1, .max_value = 120 },
	{ "custom_envelope", FT_STRING, F_NULLABLE, .check = envelope_id, .pattern = "^env_[a-zA-Z0-9]+$" },
	{ "extra_service", FT_STRING, F_NULLABLE, .enum_vals = extra_services },
	{ "cards", FT_STRING_ARRAY, 0, .max = 1, .item_max = 40 },
	PIECE_FIELDS_MAILING(piece_mail_types, F_NULLABLE),
	{ "qr_code", FT_JSON, 0, .json = qr_code_field },
	{ "fsc", FT_BOOL, 0, .dflt = "false" },
	{ "size", FT_STRING, 0, .enum_vals = sizes },
	PIECE_FIELD_PRINT_SPEED,
	FIELD_END
};

/* spec: parameters of GET /letters */
static const char *const statuses[] = { "processed", "rendered", "failed", NULL };
static const struct list_filter letter_filters[] = {
	{ "campaign_id", LF_TEXT, "$.campaign_id", NULL },
	{ "status", LF_TEXT, "$.status", statuses },
	{ "color", LF_BOOL, "$.color", NULL },
	{ "scheduled", LF_SCHEDULED, NULL, NULL },
	{ "send_date", LF_DATE_RANGE, "$.send_date", NULL },
	{ "mail_type", LF_TEXT, "$.mail_type", piece_mail_types },
	{ "sort_by", LF_SORT_BY, NULL, NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};

const struct resource letter_res = {
	.kind = "letter",
	.id_prefix = "ltr_",
	.fields = letter_fields,
	.list_filters = letter_filters,
	.ops = { .present = piece_present },
};

static bool field_set(const json_t *obj, const char *name)
{
	const json_t *v = json_object_get(obj, name);
	return v && !json_is_null(v) && !json_is_false(v);
}

static const char *str(const json_t *obj, const char *name)
{
	return json_string_value(json_object_get(obj, name));
}

/* Lob-Version 2024-01-01 and later include size; earlier versions may not send it */
static int size_rule(struct req *rq, json_t *obj, struct api_error *err)
{
	const char *v = rq->h.lob_version;
	bool modern = !v || !*v || strcmp(v, "2024-01-01") >= 0;
	if (json_object_get(obj, "size") && !modern)
		return api_fail(err, ERR_INVALID,
				"size is not allowed with Lob-Version %.20s: it needs 2024-01-01 or later",
				v);
	if (modern && !json_object_get(obj, "size"))
		json_object_set_new(obj, "size", json_string("us_letter"));
	return 0;
}

static int legal_rules(const json_t *obj, struct api_error *err)
{
	const char *size = str(obj, "size");
	if (!size || strcmp(size, "us_legal") != 0)
		return 0;
	static const char *const refused[] = { "extra_service", "cards", "qr_code", "fsc" };
	for (size_t i = 0; i < 4; i++) {
		const json_t *v = json_object_get(obj, refused[i]);
		if (field_set(obj, refused[i]) && !(json_is_array(v) && !json_array_size(v)))
			return api_fail(err, ERR_INVALID, "%s is not available for us_legal letters",
					refused[i]);
	}
	return 0;
}

static int envelope_rules(struct piece *p, struct api_error *err)
{
	json_t *obj = p->obj;
	json_t *re = json_object_get(obj, "return_envelope");
	if (re && !json_is_boolean(re) && !json_is_string(re))
		return api_fail(err, ERR_INVALID, "return_envelope must be a boolean or a string");
	if (json_is_string(re) && strcmp(json_string_value(re), "true") == 0)
		json_object_set_new(obj, "return_envelope", json_true());	/* form bodies */
	else if (json_is_string(re) && strcmp(json_string_value(re), "false") == 0)
		json_object_set_new(obj, "return_envelope", json_false());
	bool wants_envelope = field_set(obj, "return_envelope");
	bool perforated = field_set(obj, "perforated_page");
	if (wants_envelope != perforated)
		return api_fail(err, ERR_INVALID_PERFORATION_RETURN_ENVELOPE,
				"return_envelope and perforated_page must be used together");
	if (!json_object_get(obj, "return_envelope"))
		json_object_set_new(obj, "return_envelope", json_false());
	if (!json_object_get(obj, "perforated_page"))
		json_object_set_new(obj, "perforated_page", json_null());
	if (field_set(obj, "custom_envelope"))
		return api_fail(err, ERR_NOT_FOUND,
				"custom_envelope %.40s not found: this Frank has no custom envelope inventory",
				str(obj, "custom_envelope"));
	return 0;
}

static int service_rules(struct piece *p, struct api_error *err)
{
	json_t *obj = p->obj;
	const char *service = str(obj, "extra_service");
	const char *mail_type = str(obj, "mail_type");
	bool international = !piece_address_is_us(json_object_get(obj, "to"));
	if (!piece_address_is_us(json_object_get(obj, "from")) && !field_set(obj, "custom_envelope"))
		return api_fail(err, ERR_FOREIGN_RETURN_ADDRESS, "from must be a US address");
	if (!service)
		return 0;
	if (mail_type && strcmp(mail_type, "usps_standard") == 0)
		return api_fail(err, ERR_INVALID,
				"extra_service is not available with mail_type usps_standard");
	if (international && strncmp(service, "certified", 9) == 0)
		return api_fail(err, ERR_INVALID_INTERNATIONAL_FEATURE,
				"Certified Mail is only available for US destinations (use registered)");
	return 0;
}

/* a valid USPS IMpb tracking number for certified letters, from a never-repeating serial */
static int tracking_number(struct piece *p, struct api_error *err)
{
	const char *service = str(p->obj, "extra_service");
	if (!service || strcmp(service, "registered") == 0) {
		/* registered: USPS assigns it at acceptance (Lob: "will appear here") */
		json_object_set_new(p->obj, "tracking_number", json_null());
		return 0;
	}
	struct req *rq = p->rq;
	const char *mid = rq->app->cfg ? rq->app->cfg->mailer_id : "999999999";
	long long serial;
	char pic[IMPB_PIC_MAX + 1];
	char *seq = arena_strfmt(rq->arena, "impb:%s", mid);
	if (store_sequence_next_block(rq->app->store, seq, 1, 100, &serial, err) < 0)
		return -1;
	if (impb_build(impb_stc_for_extra_service(service), mid, (uint64_t)serial, 22, pic, err) < 0)
		return -1;
	json_object_set_new(p->obj, "tracking_number", json_string(pic));
	return piece_track_code(p, pic, err);
}

/* the letter in Lob's field order (spec examples) */
static json_t *letter_object(struct piece *p)
{
	static const char *const order[] = {
		"id", "description", "metadata", "to", "from", "color", "double_sided",
		"address_placement", "return_envelope", "perforated_page", "custom_envelope",
		"extra_service", "mail_type", "carrier", "tracking_number", "tracking_events",
		"thumbnails", "merge_variables", "template_id", "template_version_id",
		"expected_delivery_date", "date_created", "date_modified", "send_date", "use_type",
		"fsc", "size", "billing_group_id", "qr_code", "cards", "status", "object", NULL
	};
	if (!json_object_get(p->obj, "extra_service"))
		json_object_set_new(p->obj, "extra_service", json_null());
	return piece_finish(p, order);
}

int letter_prepare(struct req *rq, struct piece *p, struct api_error *err)
{
	if (piece_begin(p, rq, &letter_res, err) < 0 || size_rule(rq, p->obj, err) < 0 ||
	    legal_rules(p->obj, err) < 0 || envelope_rules(p, err) < 0 ||
	    piece_address(p, "to", true, err) < 0 || piece_address(p, "from", true, err) < 0 ||
	    service_rules(p, err) < 0 || piece_billing_group(p, err) < 0 ||
	    piece_use_type(p, err) < 0 || piece_send_date(p, err) < 0 ||
	    piece_source(p, "file", true, "template_id", "template_version_id", err) < 0 ||
	    insert_letter_take(p, err) < 0)
		return -1;
	json_object_del(p->obj, "file");
	if (tracking_number(p, err) < 0)
		return -1;
	if (piece_qr_link(p, err) < 0)	/* short links and QR codes (issue 16) */
		return -1;
	p->obj = letter_object(p);
	return 0;
}

static int letter_create(struct req *rq, struct api_error *err)
{
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (letter_prepare(rq, p, err) < 0)
		return -1;
	return piece_commit(p, err);
}

const struct route letter_routes[] = {
	{ HTTP_GET, "/v1/letters", res_list, &letter_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/letters", letter_create, &letter_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/letters/{id}", res_get, &letter_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/letters/{id}", insert_letter_cancel, &letter_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
