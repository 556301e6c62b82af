// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Billing groups (/v1/billing_groups): labels that mail pieces carry (billing_group_id) so
 * usage can be split by cost centre. Create, list (offset pagination as Lob's), retrieve,
 * update; Lob has no delete.
 */
#include "api/list.h"
#include "api/resource.h"
#include "http/route.h"

/* spec: billing_group_editable */
static const struct field billing_group_fields[] = {
	{ "description", FT_STRING, 0, .max = 255 },
	{ "name", FT_STRING, F_REQUIRED, .max = 255 },
	FIELD_END
};

static const struct field billing_group_update_fields[] = {
	{ "description", FT_STRING, 0, .max = 255 },
	{ "name", FT_STRING, 0, .max = 255 },
	FIELD_END
};

/* spec: paths /billing_groups get parameters */
static const struct list_filter billing_group_filters[] = {
	{ "offset", LF_OFFSET, NULL, NULL },
	{ "date_modified", LF_DATE_RANGE, "$.date_modified", NULL },
	{ "sort_by", LF_SORT_BY, NULL, NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};

const struct resource billing_group_res = {
	.kind = "billing_group",
	.id_prefix = "bg_",
	.fields = billing_group_fields,
	.update_fields = billing_group_update_fields,
	.list_filters = billing_group_filters,
};

const struct route billing_group_routes[] = {
	{ HTTP_GET, "/v1/billing_groups", res_list, &billing_group_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/billing_groups", res_create, &billing_group_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/billing_groups/{id}", res_get, &billing_group_res, KEY_SECRET, NULL, 0 },
	{ HTTP_POST, "/v1/billing_groups/{id}", res_update, &billing_group_res, KEY_SECRET, NULL,
	  R_BODY },
	{ .pattern = NULL }
};
