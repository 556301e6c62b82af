// SPDX-License-Identifier: AGPL-3.0-or-later
/* An insert's orders and quantities (see insert_stock.h). */
#include "mail/insert_stock.h"
#include <string.h>

const struct insert_stock_kind insert_stock_card = { "card_orders", false };
const struct insert_stock_kind insert_stock_buckslip = { "buckslip_orders", true };

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static bool status_is(const json_t *order, const char *s)
{
	const char *v = str(order, "status");
	return v && strcmp(v, s) == 0;
}

static json_int_t num(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_integer(v) ? json_integer_value(v) : (json_int_t)json_number_value(v);
}

json_t *insert_stock_orders(json_t *obj, const struct insert_stock_kind *k)
{
	json_t *orders = json_object_get(obj, k->orders_key);
	if (!json_is_array(orders)) {
		orders = json_array();
		json_object_set_new(obj, k->orders_key, orders);
	}
	return orders;
}

void insert_stock_recount(json_t *obj, const struct insert_stock_kind *k)
{
	json_t *orders = insert_stock_orders(obj, k), *o;
	json_int_t available = 0, pending = 0;
	size_t i;
	json_array_foreach(orders, i, o) {
		if (status_is(o, "available"))
			available += num(o, "inventory");
		else if (status_is(o, "pending") || status_is(o, "printing"))
			pending += num(o, "quantity_ordered");
	}
	json_object_set_new(obj, "available_quantity", json_integer(available));
	json_object_set_new(obj, "pending_quantity", json_integer(pending));
	if (!k->full_counts)
		return;
	json_int_t allocated = num(obj, "allocated_quantity");
	json_object_set_new(obj, "allocated_quantity", json_integer(allocated));
	json_object_set_new(obj, "onhand_quantity", json_integer(available + allocated));
	json_object_set_new(obj, "projected_quantity", json_integer(pending + available + allocated));
}

void insert_stock_add_order(json_t *obj, const struct insert_stock_kind *k, json_t *order)
{
	json_array_append(insert_stock_orders(obj, k), order);
	insert_stock_recount(obj, k);
}

int insert_stock_take(json_t *obj, const struct insert_stock_kind *k)
{
	json_t *orders = insert_stock_orders(obj, k), *o;
	size_t i;
	json_array_foreach(orders, i, o) {
		json_int_t inv = num(o, "inventory");
		if (!status_is(o, "available") || inv <= 0)
			continue;
		json_object_set_new(o, "inventory", json_integer(inv - 1));
		if (inv == 1)
			json_object_set_new(o, "status", json_string("depleted"));
		if (k->full_counts)
			json_object_set_new(obj, "allocated_quantity",
					    json_integer(num(obj, "allocated_quantity") + 1));
		insert_stock_recount(obj, k);
		return 0;
	}
	return 1;
}

void insert_stock_return(json_t *obj, const struct insert_stock_kind *k)
{
	json_t *orders = insert_stock_orders(obj, k);
	for (size_t i = json_array_size(orders); i-- > 0;) {
		json_t *o = json_array_get(orders, i);
		json_int_t inv = num(o, "inventory");
		if (!(status_is(o, "available") || status_is(o, "depleted")) ||
		    inv >= num(o, "quantity_ordered"))
			continue;
		json_object_set_new(o, "inventory", json_integer(inv + 1));
		json_object_set_new(o, "status", json_string("available"));
		break;
	}
	json_int_t allocated = num(obj, "allocated_quantity");
	if (k->full_counts && allocated > 0)
		json_object_set_new(obj, "allocated_quantity", json_integer(allocated - 1));
	insert_stock_recount(obj, k);
}

int insert_stock_receive(json_t *obj, const struct insert_stock_kind *k, const char *order_id,
			 const char *now_iso, struct api_error *err)
{
	json_t *orders = insert_stock_orders(obj, k), *o;
	size_t i;
	json_array_foreach(orders, i, o) {
		const char *id = str(o, "id");
		if (!id || strcmp(id, order_id) != 0)
			continue;
		if (!status_is(o, "pending") && !status_is(o, "printing"))
			return api_fail(err, ERR_INVALID, "order %.40s is %.20s, not pending", order_id,
					str(o, "status") ? str(o, "status") : "unknown");
		json_object_set_new(o, "status", json_string("available"));
		json_object_set_new(o, "inventory", json_integer(num(o, "quantity_ordered")));
		json_object_set_new(o, "availability_date", json_string(now_iso));
		json_object_set_new(o, "date_modified", json_string(now_iso));
		insert_stock_recount(obj, k);
		return 0;
	}
	return api_fail(err, ERR_NOT_FOUND, "order %.40s not found", order_id);
}

long long insert_stock_reorder_due(const json_t *obj, const struct insert_stock_kind *k)
{
	const json_t *qty = json_object_get(obj, "reorder_quantity");
	if (!json_is_true(json_object_get(obj, "auto_reorder")) || !json_is_integer(qty))
		return 0;
	if (num(obj, "available_quantity") > num(obj, "threshold_amount"))
		return 0;
	const json_t *o;
	size_t i;
	json_array_foreach(json_object_get(obj, k->orders_key), i, o)
		if (status_is(o, "pending") || status_is(o, "printing"))
			return 0;
	return (long long)json_integer_value(qty);
}
