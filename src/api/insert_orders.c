// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Orders of an insert: POST /v1/{buckslips,cards}/{id}/orders places one (quantity within the
 * spec's bounds), GET lists them (limit and offset, newest first). An order is kept inside
 * its insert (mail/insert_stock.h). In test mode nothing is printed, so an order is
 * `available` at once; in live mode it is `pending` until the mail room has the stock
 * (POST /v1/_frank/production/inserts/{id}/orders/{order}/receive, operator_inserts.c).
 */
#include "api/inserts.h"
#include "api/list.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "http/app.h"
#include "http/response.h"
#include "http/route.h"
#include <stdio.h>
#include <string.h>

#define ORDER_LEAD_DAYS 14	/* Frank: the promised printing time of a live order */
#define INSERT_MAX_ORDERS 1000	/* orders kept in one insert: bounds its stored size */

static const struct field buckslip_order_fields[] = {
	{ "quantity", FT_INT, F_REQUIRED, .min = 5000, .max_value = 10000000 },
	FIELD_END
};
static const struct field card_order_fields[] = {
	{ "quantity", FT_INT, F_REQUIRED, .min = 10000, .max_value = 10000000 },
	FIELD_END
};

static int add_order(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		     struct api_error *err)
{
	const struct insert_kind *k = insert_kind_of(rq->route->res);
	json_t *order = ctx;
	if (json_array_size(insert_stock_orders(obj, k->stock)) >= INSERT_MAX_ORDERS)
		return api_fail(err, ERR_INVALID, "a %s holds at most %d orders", k->res->kind,
				INSERT_MAX_ORDERS);
	insert_stock_add_order(obj, k->stock, order);
	out->response = order;
	return 0;
}

/* the spec's buckslip_order / card_order, as placed now */
json_t *insert_order_new(struct req *rq, const struct insert_kind *k, const char *parent_id,
			 long long quantity, struct api_error *err)
{
	char id[40], when[25], due[25];
	if (ids_new(k->order_prefix, id, sizeof(id)) < 0) {
		api_fail(err, ERR_INTERNAL, "no entropy for an id");
		return NULL;
	}
	bool test = rq->scope.mode == MODE_TEST;
	time_format_iso(rq->now_ms, when);
	time_format_iso(rq->now_ms + (test ? 0 : ORDER_LEAD_DAYS * 86400000LL), due);
	json_t *o = json_pack("{ss ss ss sI sI si}", "id", id, k->parent_field, parent_id,
			      "status", test ? "available" : "pending", "quantity_ordered",
			      (json_int_t)quantity, "inventory", test ? (json_int_t)quantity : 0,
			      "unit_price", 0);
	if (test)
		json_object_set_new(o, "availability_date", json_string(when));
	json_object_set_new(o, "expected_availability_date", json_string(due));
	json_object_set_new(o, "date_created", json_string(when));
	json_object_set_new(o, "date_modified", json_string(when));
	json_object_set_new(o, "object", json_string(k->order_object));
	return arena_own_json(rq->arena, o);
}

int insert_orders_create(struct req *rq, struct api_error *err)
{
	const struct insert_kind *k = insert_kind_of(rq->route->res);
	json_t *in = arena_own_json(rq->arena, json_object());
	if (fields_validate(k == &insert_card ? card_order_fields : buckslip_order_fields,
			    rq->body_json, rq->arena, in, err) < 0)
		return -1;
	json_t *order = insert_order_new(rq, k, rq->path_id,
					 json_integer_value(json_object_get(in, "quantity")), err);
	if (!order)
		return -1;
	return res_mutate(rq, rq->path_id, add_order, order, false, err);
}

static const struct list_filter order_filters[] = {
	{ "offset", LF_OFFSET, NULL, NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};

int insert_orders_list(struct req *rq, struct api_error *err)
{
	const struct insert_kind *k = insert_kind_of(rq->route->res);
	struct store_list_query q = { 0 };
	if (list_parse_query_filters(rq->query, rq->arena, order_filters, &q, err) < 0)
		return -1;
	char *json = NULL;
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "%s not found", k->res->kind);
	json_t *obj = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *base = arena_strfmt(rq->arena, "%s%s", rq->app->public_url, rq->path);
	json_t *env = arena_own_json(rq->arena, list_embedded(&q, insert_stock_orders(obj, k->stock),
							      rq->arena, base, rq->query_string));
	return respond_json(rq, 200, env);
}

int insert_auto_reorder(struct req *rq, const struct insert_kind *k, json_t *obj,
			struct api_error *err)
{
	long long due = insert_stock_reorder_due(obj, k->stock);
	const char *id = json_string_value(json_object_get(obj, "id"));
	if (!due || !id)
		return 0;
	json_t *order = insert_order_new(rq, k, id, due, err);
	if (!order)
		return -1;
	insert_stock_add_order(obj, k->stock, order);
	return 0;
}
