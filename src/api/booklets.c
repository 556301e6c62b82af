// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Booklets (/v1/booklets): create with the rules of the spec's booklet_editable (8.375x5.375,
 * 8–32 pages in fours, saddle-stitched; the address in the ink-free zone of the back cover),
 * rendered by the render job, list, retrieve, cancel inside the window. Ids are `ord_` + 26
 * hex, as the spec's.
 */
#include "api/pieces.h"
#include "api/qr_links.h"
#include "http/app.h"
#include "http/route.h"
#include <string.h>

static const char *const sizes[] = { "8.375x5.375", NULL };
static const char *const materials[] = { "60# Gloss Text", NULL };

/* spec: booklet_editable */
static const struct field booklet_fields[] = {
	PIECE_FIELDS_HEAD(F_REQUIRED),
	{ "file", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "size", FT_STRING, F_REQUIRED, .enum_vals = sizes },
	{ "pages", FT_INT, F_REQUIRED, .min = 8, .max_value = 32 },
	{ "source_material", FT_STRING, 0, .enum_vals = materials, .dflt = "60# Gloss Text" },
	PIECE_FIELDS_MAILING(piece_mail_types, F_REQUIRED | F_NULLABLE),
	{ "qr_code", FT_JSON, 0, .json = piece_any_field },	/* piece_qr_link */
	{ "fsc", FT_BOOL, 0, .dflt = "false" },
	PIECE_FIELD_PRINT_SPEED,
	FIELD_END
};

const struct resource booklet_res = {
	.kind = "booklet",
	.id_prefix = "ord_",
	.id_hex = 26,
	.fields = booklet_fields,
	.list_filters = piece_list_filters,
	.ops = { .present = piece_present },
};

static int booklet_rules(struct piece *p, struct api_error *err)
{
	json_int_t pages = json_integer_value(json_object_get(p->obj, "pages"));
	if (pages % 4 != 0)
		return api_fail(err, ERR_INVALID,
				"pages must be 8, 12, 16, 20, 24, 28 or 32 (four pages make one sheet)");
	if (!piece_address_is_us(json_object_get(p->obj, "to")))
		return api_fail(err, ERR_INVALID_INTERNATIONAL_FEATURE,
				"Booklets can only be sent within the United States");
	if (!piece_address_is_us(json_object_get(p->obj, "from")))
		return api_fail(err, ERR_FOREIGN_RETURN_ADDRESS, "from must be a US address");
	return 0;
}

static int booklet_create(struct req *rq, struct api_error *err)
{
	static const char *const order[] = {
		"id", "description", "metadata", "to", "from", "size", "pages", "source_material",
		"template_id", "template_version_id", "mail_type", "merge_variables", "send_date",
		"use_type", "fsc", "tracking_events", "url", "carrier", "thumbnails",
		"expected_delivery_date", "date_created", "date_modified", "billing_group_id",
		"qr_code", "status", "object", NULL
	};
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (piece_begin(p, rq, &booklet_res, err) < 0 || piece_address(p, "to", true, err) < 0 ||
	    piece_address(p, "from", true, err) < 0 || booklet_rules(p, err) < 0 ||
	    piece_use_type(p, err) < 0 || piece_billing_group(p, err) < 0 || piece_send_date(p, err) < 0 ||
	    piece_source(p, "file", true, "template_id", "template_version_id", err) < 0 ||
	    piece_future_url(p, "order-creatives", err) < 0 || piece_qr_link(p, err) < 0)
		return -1;
	json_object_del(p->obj, "file");
	p->obj = piece_finish(p, order);
	return piece_commit(p, err);
}

const struct route booklet_routes[] = {
	{ HTTP_GET, "/v1/booklets", res_list, &booklet_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/booklets", booklet_create, &booklet_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/booklets/{id}", res_get, &booklet_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/booklets/{id}", piece_cancel, &booklet_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
