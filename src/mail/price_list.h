// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The operator's price list for the credits ledger (docs/internals/ledger.md): what a mailed
 * piece costs, per product and option, as a JSON file (--price-list, default
 * SHARE_DIR/prices.json; re-read when it changes, core/file_snapshot.h):
 *
 *   {"currency": "usd",
 *    "products": {
 *      "letter": [
 *        {"item": "Letter",           "price": "0.85"},
 *        {"item": "Color",            "price": "0.30", "when": {"color": true}},
 *        {"item": "Certified Mail",   "price": "4.85", "when": {"extra_service": "certified"}},
 *        {"item": "International",    "price": "1.20", "when": {"to.address_country": "CANADA"}}
 *      ],
 *      "postcard": [{"item": "Postcard 4x6", "price": "0.55", "when": {"size": "4x6"}}]}}
 *
 * A piece costs the sum of its product's lines whose `when` all hold: each key is a field of
 * the piece as the API serves it (a dotted path reaches one level down), each value a
 * string, boolean or number it must equal. Prices are dollars, 0 to 10,000, at most two
 * decimals (a string, or a number).
 */
#ifndef FRANK_MAIL_PRICE_LIST_H
#define FRANK_MAIL_PRICE_LIST_H
#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

#define PRICE_LIST_MAX_BYTES (1024 * 1024)

/* dollars ("0.85", "4", or a JSON number) from 0 to max_cents, at most two decimals → *out
 * cents; false when v is not such an amount */
bool price_dollars_cents(const json_t *v, long long max_cents, long long *out);

/* the file's text → the list (a new reference, prices as whole cents), or NULL with the
 * reason (naming the product and line) in msg */
json_t *price_list_parse(const char *text, size_t len, char *msg, size_t msglen);

/*
 * What piece (of product kind) costs by list: *cents and the matching items joined with
 * " + " in desc. true when the list prices kind, false when it names no such product.
 */
bool price_list_price(const json_t *list, const char *kind, const json_t *piece,
		      long long *cents, char *desc, size_t desclen);
#endif
