// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Self-mailers (/v1/self_mailers): create with the rules of the spec's self_mailer_editable,
 * rendered by the render job (inside and outside at the size's artboard, the outside stamped in
 * its ink-free zone), list, retrieve, cancel inside the window.
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

static const char *const sizes[] = { "6x18_bifold", "11x9_bifold", "12x9_bifold",
				      "17.75x9_trifold", NULL };

/* spec: self_mailer_editable */
static const struct field self_mailer_fields[] = {
	PIECE_FIELDS_HEAD(0),
	{ "inside", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "outside", FT_JSON, F_REQUIRED, .json = piece_any_field },
	{ "size", FT_STRING, 0, .enum_vals = sizes, .dflt = "6x18_bifold" },
	PIECE_FIELDS_MAILING(piece_mail_types, F_NULLABLE),
	{ "qr_code", FT_JSON, 0, .json = piece_any_field },	/* piece_qr_link */
	{ "fsc", FT_BOOL, 0, .dflt = "false" },
	PIECE_FIELD_PRINT_SPEED,
	FIELD_END
};

const struct resource self_mailer_res = {
	.kind = "self_mailer",
	.id_prefix = "sfm_",
	.fields = self_mailer_fields,
	.list_filters = piece_list_filters,
	.ops = { .present = piece_present },
};

/* Lob: self-mailers are domestic; the return address is a US one */
static int self_mailer_rules(struct piece *p, struct api_error *err)
{
	if (!piece_address_is_us(json_object_get(p->obj, "to")))
		return api_fail(err, ERR_INVALID_INTERNATIONAL_FEATURE,
				"Self-mailers can only be sent within the United States");
	const json_t *from = json_object_get(p->obj, "from");
	if (from && !piece_address_is_us(from))
		return api_fail(err, ERR_FOREIGN_RETURN_ADDRESS, "from must be a US address");
	return 0;
}


static json_t *self_mailer_object(struct piece *p)
{
	static const char *const order[] = {
		"id", "description", "metadata", "to", "from", "size", "outside_template_id",
		"inside_template_id", "outside_template_version_id", "inside_template_version_id",
		"mail_type", "merge_variables", "send_date", "use_type", "fsc", "tracking_events",
		"url", "carrier", "thumbnails", "expected_delivery_date", "date_created",
		"date_modified", "billing_group_id", "qr_code", "status", "object", NULL
	};
	/* the template ids are not nullable in the spec: absent unless a template was used */
	return piece_finish(p, order);
}

int self_mailer_prepare(struct req *rq, struct piece *p, struct api_error *err)
{
	if (piece_begin(p, rq, &self_mailer_res, err) < 0 || piece_address(p, "to", true, err) < 0 ||
	    piece_address(p, "from", false, err) < 0 || self_mailer_rules(p, err) < 0 ||
	    piece_use_type(p, err) < 0 || piece_billing_group(p, err) < 0 || piece_send_date(p, err) < 0 ||
	    piece_source(p, "inside", true, "inside_template_id", "inside_template_version_id", err) < 0 ||
	    piece_source(p, "outside", true, "outside_template_id", "outside_template_version_id", err) < 0 ||
	    piece_future_url(p, "self-mailers", err) < 0 || piece_qr_link(p, err) < 0)
		return -1;
	json_object_del(p->obj, "inside");
	json_object_del(p->obj, "outside");
	p->obj = self_mailer_object(p);
	return 0;
}

static int self_mailer_create(struct req *rq, struct api_error *err)
{
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	if (self_mailer_prepare(rq, p, err) < 0)
		return -1;
	return piece_commit(p, err);
}

const struct route self_mailer_routes[] = {
	{ HTTP_GET, "/v1/self_mailers", res_list, &self_mailer_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/self_mailers", self_mailer_create, &self_mailer_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/self_mailers/{id}", res_get, &self_mailer_res, KEY_SECRET, NULL, 0 },
	{ HTTP_DELETE, "/v1/self_mailers/{id}", piece_cancel, &self_mailer_res, KEY_SECRET, NULL, 0 },
	{ .pattern = NULL }
};
