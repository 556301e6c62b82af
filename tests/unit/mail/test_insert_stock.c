// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * An insert's stock: orders add pending or available quantity, letters take from the oldest
 * available order until none is left (then "out of stock", nothing changed), a cancelled
 * letter gives its insert back, the mail room receives a pending order; buckslips also
 * count allocated, on-hand and projected quantities.
 */
#include <jansson.h>
#include "mail/insert_stock.h"
#include "test.h"

static const struct insert_stock_kind card = { "card_orders", false };
static const struct insert_stock_kind slip = { "buckslip_orders", true };

static json_t *order(const char *id, const char *status, int qty)
{
	return json_pack("{ss ss si si}", "id", id, "status", status, "quantity_ordered", qty,
			 "inventory", status[0] == 'a' ? qty : 0);
}

static long long q(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

static const char *ostatus(json_t *obj, const struct insert_stock_kind *k, size_t i)
{
	return json_string_value(json_object_get(json_array_get(insert_stock_orders(obj, k), i),
						 "status"));
}

static void cards(void)
{
	json_t *c = json_object();
	insert_stock_recount(c, &card);
	CHECK_INT(q(c, "available_quantity"), 0, "a new card has none available");
	CHECK(!json_object_get(c, "allocated_quantity"), "cards show no allocated quantity");
	CHECK_INT(insert_stock_take(c, &card), 1, "nothing to take: out of stock");
	json_t *o = order("co_1", "available", 2);
	insert_stock_add_order(c, &card, o);
	json_decref(o);
	o = order("co_2", "pending", 10000);
	insert_stock_add_order(c, &card, o);
	json_decref(o);
	CHECK_INT(q(c, "available_quantity"), 2, "an available order's inventory is available");
	CHECK_INT(q(c, "pending_quantity"), 10000, "a pending order's quantity is pending");
	CHECK_INT(insert_stock_take(c, &card), 0, "takes one");
	CHECK_INT(insert_stock_take(c, &card), 0, "takes the last");
	CHECK_STR(ostatus(c, &card, 0), "depleted", "the emptied order is depleted");
	CHECK_INT(q(c, "available_quantity"), 0, "none left");
	CHECK_INT(insert_stock_take(c, &card), 1, "a pending order cannot be taken from");
	insert_stock_return(c, &card);
	CHECK_STR(ostatus(c, &card, 0), "available", "a returned insert makes it available again");
	CHECK_INT(q(c, "available_quantity"), 1, "one back");
	struct api_error err = { 0 };
	CHECK_INT(insert_stock_receive(c, &card, "co_2", "2026-12-07T10:00:00.000Z", &err), 0,
		  "the pending order arrives");
	CHECK_INT(q(c, "available_quantity"), 10001, "its whole quantity is available");
	CHECK_INT(q(c, "pending_quantity"), 0, "nothing pending");
	CHECK_INT(insert_stock_receive(c, &card, "co_2", "2026-12-07T10:00:00.000Z", &err), -1,
		  "an order is received once");
	CHECK_INT(err.kind, ERR_INVALID, "as invalid");
	CHECK_INT(insert_stock_receive(c, &card, "co_9", "2026-12-07T10:00:00.000Z", &err), -1,
		  "an unknown order");
	CHECK_INT(err.kind, ERR_NOT_FOUND, "is not found");
	CHECK_INT(insert_stock_take(c, &card), 0, "takes from the oldest available first");
	CHECK_INT(q(json_array_get(insert_stock_orders(c, &card), 0), "inventory"), 0,
		  "the older order is emptied first");
	CHECK_INT(q(json_array_get(insert_stock_orders(c, &card), 1), "inventory"), 10000,
		  "the newer is untouched");
	json_decref(c);
}

static void buckslips(void)
{
	json_t *b = json_object();
	json_t *o = order("bo_1", "available", 5000);
	insert_stock_add_order(b, &slip, o);
	json_decref(o);
	o = order("bo_2", "pending", 6000);
	insert_stock_add_order(b, &slip, o);
	json_decref(o);
	CHECK_INT(insert_stock_take(b, &slip), 0, "a letter takes a buckslip");
	CHECK_INT(q(b, "available_quantity"), 4999, "available");
	CHECK_INT(q(b, "allocated_quantity"), 1, "allocated to the letter");
	CHECK_INT(q(b, "onhand_quantity"), 5000, "still on hand until mailed");
	CHECK_INT(q(b, "pending_quantity"), 6000, "pending");
	CHECK_INT(q(b, "projected_quantity"), 11000, "projected = pending + on hand");
	insert_stock_return(b, &slip);
	CHECK_INT(q(b, "allocated_quantity"), 0, "returned: no longer allocated");
	CHECK_INT(q(b, "available_quantity"), 5000, "returned: available again");
	insert_stock_return(b, &slip);
	CHECK_INT(q(b, "available_quantity"), 5000, "a stray return never exceeds what was ordered");
	json_decref(b);
}

static void reorders(void)
{
	json_t *c = json_pack("{s:b, s:n, s:i}", "auto_reorder", 0, "reorder_quantity",
			      "threshold_amount", 0);
	insert_stock_recount(c, &card);
	CHECK_INT(insert_stock_reorder_due(c, &card), 0, "auto_reorder off: nothing");
	json_object_set_new(c, "auto_reorder", json_true());
	CHECK_INT(insert_stock_reorder_due(c, &card), 0, "no reorder_quantity: nothing");
	json_object_set_new(c, "reorder_quantity", json_integer(20000));
	CHECK_INT(insert_stock_reorder_due(c, &card), 20000, "none left: reorder");
	json_t *o = order("co_1", "available", 1);
	insert_stock_add_order(c, &card, o);
	json_decref(o);
	CHECK_INT(insert_stock_reorder_due(c, &card), 0, "above the threshold: nothing yet");
	CHECK_INT(insert_stock_take(c, &card), 0, "the last one taken");
	CHECK_INT(insert_stock_reorder_due(c, &card), 20000, "at the threshold: reorder");
	o = order("co_2", "pending", 20000);
	insert_stock_add_order(c, &card, o);
	json_decref(o);
	CHECK_INT(insert_stock_reorder_due(c, &card), 0, "an order already pending: not twice");
	json_decref(c);
}

int main(void)
{
	reorders();
	cards();
	buckslips();
	return test_done();
}
