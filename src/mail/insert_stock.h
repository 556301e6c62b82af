// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The stock of an insert (a buckslip or a card that goes into letters): its orders and the
 * quantities Lob shows on it. Every function works on the insert's stored JSON, which embeds
 * its orders, so one read-modify-write of that one object (inside the store's write
 * transaction) keeps orders and quantities consistent and two letters can never take the
 * last one twice. Quantities are recomputed from the orders each time:
 *
 *   available_quantity  Σ inventory of `available` orders (what letters can still take)
 *   pending_quantity    Σ quantity_ordered of `pending`/`printing` orders
 *   allocated_quantity  taken by letters not yet mailed (buckslips show it)
 *   onhand_quantity     available + allocated;  projected_quantity: pending + onhand
 *
 * Letters take from the oldest available order first; a cancelled letter gives its insert
 * back to the newest order that has given any out. Pure: no store, no clock.
 */
#ifndef FRANK_MAIL_INSERT_STOCK_H
#define FRANK_MAIL_INSERT_STOCK_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"

struct insert_stock_kind {
	const char *orders_key;	/* where the orders live in the insert: "buckslip_orders" */
	bool full_counts;	/* allocated, onhand and projected too (buckslips) */
};

/* the two kinds: a card's orders are kept apart from what Lob shows (card_orders), a
 * buckslip's are its buckslip_orders and it counts allocated, on-hand and projected too */
extern const struct insert_stock_kind insert_stock_card, insert_stock_buckslip;

/* the quantities from the orders, written into obj */
void insert_stock_recount(json_t *obj, const struct insert_stock_kind *k);

/* appends order (a new reference is taken) to obj's orders and recounts */
void insert_stock_add_order(json_t *obj, const struct insert_stock_kind *k, json_t *order);

/* one insert for a letter: 0, or 1 when none is available (nothing changed) */
int insert_stock_take(json_t *obj, const struct insert_stock_kind *k);

/* a cancelled letter's insert back into stock */
void insert_stock_return(json_t *obj, const struct insert_stock_kind *k);

/*
 * order_id has arrived in the mail room: `pending`/`printing` → `available` with its whole
 * quantity as inventory, availability_date now_iso. 0, or -1 with *err (not_found for an
 * unknown order, invalid for one already received or cancelled).
 */
int insert_stock_receive(json_t *obj, const struct insert_stock_kind *k, const char *order_id,
			 const char *now_iso, struct api_error *err);

/*
 * Lob's auto_reorder: with it on, once available_quantity is at or below threshold_amount and
 * no order is pending, the quantity to order (reorder_quantity); otherwise 0.
 */
long long insert_stock_reorder_due(const json_t *obj, const struct insert_stock_kind *k);

/* orders of obj (never NULL for an insert made by Frank; an empty array otherwise) */
json_t *insert_stock_orders(json_t *obj, const struct insert_stock_kind *k);
#endif
