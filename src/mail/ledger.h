// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Charging mailed pieces to the credits ledger (docs/internals/ledger.md). A piece is charged
 * when the print side confirms it mailed (scans_confirm), by the operator's price list
 * (mail/price_list.h), in the same transaction as its Mailed event: the charge is a
 * STORE_LEDGER change after the piece's update, priced by that update's mutate from the
 * stored piece, and skipped when the event was not added (already mailed, refused). Without
 * a price list file there is no billing and nothing is charged; a product the list does not
 * name is charged 0.00 with a description saying so, for the operator to see.
 */
#ifndef FRANK_MAIL_LEDGER_H
#define FRANK_MAIL_LEDGER_H
#include <jansson.h>
#include "core/file_snapshot.h"
#include "store/ledger_store.h"

/* the price list file; NULL: FRANK_PRICE_LIST, else prices.json in the share directory */
void ledger_configure(const char *price_list_path);
/* the path in force (buf: 4096 bytes) */
const char *ledger_price_list_path(char *buf, size_t len);

/* the price list in force with a reference (*ref, for file_snapshot_release), or NULL when
 * there is none (no file: billing off), with the reason in msg */
const json_t *ledger_price_list(struct file_snapshot **ref, bool *missing, char *msg, size_t len);

struct ledger_charge {
	struct store_ledger_entry e;
	struct file_snapshot *ref;
	const json_t *list;	/* NULL: billing off, e.skip */
};

/* a charge of piece id (of kind), to be priced; 0, or -1 (no entropy for an id) */
int ledger_charge_begin(struct ledger_charge *c, const char *kind, const char *id,
			long long now_ms);
/* on the writer, from the piece's mutate: prices the stored piece, or skips the charge
 * when the piece was not mailed by this change */
void ledger_charge_price(struct ledger_charge *c, const json_t *piece, bool mailed_now);
void ledger_charge_end(struct ledger_charge *c);

/* the largest credit an operator adds at once: $1,000,000 */
#define LEDGER_CREDIT_MAX_CENTS 100000000LL

/*
 * Credits cents (> 0) to account_id in mode, with description (NULL: "credit"); *out gets
 * the row as written. 0, or -1 with *err.
 */
int ledger_credit(struct store *s, const char *account_id, enum store_mode mode,
		  long long cents, const char *description, long long now_ms,
		  struct store_ledger_entry *out, struct api_error *err);
#endif
