// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Inserts: buckslips (/v1/buckslips) and cards (/v1/cards), the printed pieces that go into
 * letters, each with its orders. An insert is stored as one object that embeds its orders
 * (mail/insert_stock.h), so taking one for a letter is one atomic read-modify-write of it.
 * docs/internals/inserts.md.
 */
#ifndef FRANK_API_INSERTS_H
#define FRANK_API_INSERTS_H
#include <jansson.h>
#include "api/pieces.h"
#include "mail/insert_stock.h"

struct insert_kind {
	const struct resource *res;	/* card_res, buckslip_res */
	const char *dir;		/* its files' directory in links: "cards" */
	const struct insert_stock_kind *stock;	/* where its orders live, what it counts */
	bool orders_shown;		/* the orders are a field Lob shows (buckslip_orders) */
	const char *order_object;	/* "card_order" */
	const char *order_prefix;	/* "co_" */
	const char *parent_field;	/* the order's link to the insert: "card_id" */
	long min_quantity;		/* spec: *_order_editable quantity minimum */
};

extern const struct insert_kind insert_card, insert_buckslip;
extern const struct resource card_res, buckslip_res;

/* the kind a route's resource is */
const struct insert_kind *insert_kind_of(const struct resource *res);

/* the stored insert as served: links signed afresh, private orders left out (arena) */
json_t *insert_presented(struct req *rq, const struct insert_kind *k, const char *json);

/* a new order of quantity for insert parent_id, as placed now in the request's mode (arena) */
json_t *insert_order_new(struct req *rq, const struct insert_kind *k, const char *parent_id,
			 long long quantity, struct api_error *err);

/* auto_reorder: places the order Lob's rule calls for, if any (on the writer, in the
 * transaction that changed the stock); 0 or -1 */
int insert_auto_reorder(struct req *rq, const struct insert_kind *k, json_t *obj,
			struct api_error *err);

/*
 * A letter's `cards`: the card must exist (404) and have one in stock (422 invalid); the
 * letter shows the card and its create takes one in the same transaction (p->changes), which
 * re-checks the stock, so concurrent letters never take the last card twice.
 */
int insert_letter_take(struct piece *p, struct api_error *err);

/* DELETE /v1/letters/{id}: cancels, and gives a card it took back to the card's stock */
int insert_letter_cancel(struct req *rq, struct api_error *err);
#endif
