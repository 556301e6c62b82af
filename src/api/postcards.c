// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Postcards (/v1/postcards): create with the rules of the spec's postcard_editable, rendered by
 * the render job (front and back at the size's artboard, the back stamped in Lob's ink-free
 * zone), list, retrieve, cancel inside the window.
 */
#include "api/pieces.h"
#include "api/products.h"
#include "core/config.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/route.h"
#include "api/qr_links.h"
#include <string.h>

static const char *const sizes[] = { "4x6", "6x9", "6x11", NULL };

/* spec: postcard_editable */
static const struct field postcard_fields[] = {
	PIECE_FIELDS_HEAD(0),
	{ "front", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "back", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "size", FT_STRING, 0, .enum_vals = sizes, .dflt = "4x6" },
	PIECE_FIELDS_MAILING(piece_mail_types, F_NULLABLE),
	{ "qr_code", FT_JSON, 0, .json = piece_any_field },	/* piece_qr_link */
	{ "fsc", FT_BOOL, 0, .dflt = "false" },
	PIECE_FIELD_PRINT_SPEED,
	FIELD_END
};

const struct resource postcard_res = {
	.kind = "postcard",
	.id_prefix = "psc_",
	.fields = postcard_fields,
	.list_filters = piece_list_filters,
	.ops = { .present = piece_present },
};

/* Lob's rules for sizes, mail types and destinations (spec: postcard_size, mail_type) */
static int postcard_rules(struct piece *p, struct api_error *err)
{
	const char *size = json_string_value(json_object_get(p->obj, "size"));
	const char *mt = json_string_value(json_object_get(p->obj, "mail_type"));
	bool intl = !piece_address_is_us(json_object_get(p->obj, "to"));
	bool four_by_six = size && strcmp(size, "4x6") == 0;
	if (intl && !four_by_six)
		return api_fail(err, ERR_INVALID_INTERNATIONAL_FEATURE,
				"Only 4x6 postcards can be sent outside the United States");
	if (mt && strcmp(mt, "usps_standard") == 0 && (four_by_six || intl))
		return api_fail(err, ERR_INVALID,
				"mail_type usps_standard cannot be used with 4x6 postcards or international postcards");
	if (intl && !json_object_get(p->obj, "from"))
		return api_fail(err, ERR_INVALID, "from is required when to is outside the United States");
	const json_t *from = json_object_get(p->obj, "from");
	if (from && !piece_address_is_us(from))
		return api_fail(err, ERR_FOREIGN_RETURN_ADDRESS, "from must be a US address");
	return 0;
}


static json_t *postcard_object(struct piece *p)
{
	static const char *const order[] = {
		"id", "description", "metadata", "to", "from", "url", "carrier", "tracking_events",
		"thumbnails", "size", "mail_type", "merge_variables", "expected_delivery_date",
		"date_created", "date_modified", "send_date", "use_type", "fsc",
		"front_template_id", "back_template_id", "front_template_version_id",
		"back_template_version_id", "billing_group_id", "qr_code", "status", "object", NULL
	};
	static const char *const tmpl[] = { "front_template_id", "back_template_id",
					    "front_template_version_id", "back_template_version_id" };
	for (size_t i = 0; i < 4; i++)
		if (!json_object_get(p->obj, tmpl[i]))
			json_object_set_new(p->obj, tmpl[i], json_null());
	return piece_finish(p, order);
}

int postcard_prepare(struct req *rq, struct piece *p, struct api_error *err)
{
	if (piece_begin(p, rq, &postcard_res, err) < 0 || piece_address(p, "to", true, err) < 0 ||
	    piece_address(p, "from", false, err) < 0 || postcard_rules(p, err) < 0 ||
	    piece_use_type(p, err) < 0 || piece_billing_group(p, err) < 0 || piece_send_date(p, err) < 0 ||
	    piece_source(p, "front", true, "front_template_id", "front_template_version_id", err) < 0 ||
	    piece_source(p, "back", true, "back_template_id", "back_template_version_id", err) < 0 ||
	    piece_future_url(p, "postcards", err) < 0 || piece_qr_link(p, err) < 0)
		return -1;
	json_object_del(p->obj, "front");
	json_object_del(p->obj, "back");
	p->obj = postcard_object(p);
	return 0;
}

static int postcard_create(struct req *rq, struct api_error *err)
{
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (postcard_prepare(rq, p, err) < 0)
		return -1;
	return piece_commit(p, err);
}

const struct route postcard_routes[] = {
	{ HTTP_GET, "/v1/postcards", res_list, &postcard_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/postcards", postcard_create, &postcard_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/postcards/{id}", res_get, &postcard_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/postcards/{id}", piece_cancel, &postcard_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
