// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Snap packs (/v1/snap_packs): create with the rules of the spec's snap_pack_editable,
 * rendered by the render job (the inside at 8.5x11 carrying the address block, the outside at
 * 18x6), list, retrieve, cancel inside the window. Ids are `ord_` + 26 hex, as the spec's.
 */
#include "api/pieces.h"
#include "http/app.h"
#include "http/route.h"
#include <string.h>

static const char *const sizes[] = { "8.5x11", NULL };

/* spec: snap_pack_editable */
static const struct field snap_pack_fields[] = {
	PIECE_FIELDS_HEAD(0),
	{ "inside", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "outside", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "size", FT_STRING, 0, .enum_vals = sizes, .dflt = "8.5x11" },
	PIECE_FIELDS_MAILING(piece_mail_types, F_NULLABLE),
	{ "color", FT_BOOL, 0, .dflt = "false" },
	{ "qr_code", FT_JSON, 0, .json = piece_any_field },
	PIECE_FIELD_PRINT_SPEED,
	FIELD_END
};

const struct resource snap_pack_res = {
	.kind = "snap_pack",
	.id_prefix = "ord_",
	.id_hex = 26,
	.fields = snap_pack_fields,
	.list_filters = piece_list_filters,
	.ops = { .present = piece_present },
};

/* Lob: "from … Required if to address is international", and it must be a US address */
static int snap_pack_rules(struct piece *p, struct api_error *err)
{
	const json_t *from = json_object_get(p->obj, "from");
	if (!from && !piece_address_is_us(json_object_get(p->obj, "to")))
		return api_fail(err, ERR_INVALID, "from is required when to is an international address");
	if (from && !piece_address_is_us(from))
		return api_fail(err, ERR_FOREIGN_RETURN_ADDRESS, "from must be a US address");
	if (json_object_get(p->obj, "qr_code"))
		return api_fail(err, ERR_INVALID, "qr_code is not available for snap packs");
	return 0;
}

static int snap_pack_create(struct req *rq, struct api_error *err)
{
	static const char *const order[] = {
		"id", "description", "metadata", "to", "from", "size", "outside_template_id",
		"inside_template_id", "outside_template_version_id", "inside_template_version_id",
		"mail_type", "merge_variables", "send_date", "use_type", "color", "fsc",
		"tracking_events", "url", "carrier", "thumbnails", "expected_delivery_date",
		"date_created", "date_modified", "billing_group_id", "status", "object", NULL
	};
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (piece_begin(p, rq, &snap_pack_res, err) < 0 || piece_address(p, "to", true, err) < 0 ||
	    piece_address(p, "from", false, err) < 0 || snap_pack_rules(p, err) < 0 ||
	    piece_use_type(p, err) < 0 || piece_billing_group(p, err) < 0 || piece_send_date(p, err) < 0 ||
	    piece_source(p, "inside", true, "inside_template_id", "inside_template_version_id", err) < 0 ||
	    piece_source(p, "outside", true, "outside_template_id", "outside_template_version_id", err) < 0 ||
	    piece_future_url(p, "order-creatives", err) < 0)
		return -1;
	json_object_del(p->obj, "inside");
	json_object_del(p->obj, "outside");
	json_object_set_new(p->obj, "fsc", json_false());	/* "Not available for snap_pack" */
	p->obj = piece_finish(p, order);
	return piece_commit(p, err);
}

const struct route snap_pack_routes[] = {
	{ HTTP_GET, "/v1/snap_packs", res_list, &snap_pack_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/snap_packs", snap_pack_create, &snap_pack_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/snap_packs/{id}", res_get, &snap_pack_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/snap_packs/{id}", piece_cancel, &snap_pack_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
