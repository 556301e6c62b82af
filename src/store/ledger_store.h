// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The credits ledger of each account and mode (docs/internals/ledger.md): credits the
 * operator adds, charges for mailed pieces, refunds. Amounts are signed whole cents (a
 * credit is positive, a charge negative); the balance is their sum. Rows are written by a
 * change set (STORE_LEDGER, store.h), so a charge commits with the event that causes it;
 * a piece has at most one row of each type (the second is ignored).
 */
#ifndef FRANK_STORE_LEDGER_STORE_H
#define FRANK_STORE_LEDGER_STORE_H
#include <stdbool.h>
#include "core/err.h"
#include "store/store.h"

#define LEDGER_CREDIT "credit"
#define LEDGER_CHARGE "charge"
#define LEDGER_REFUND "refund"
#define LEDGER_DESCRIPTION_MAX 500

struct store_ledger_entry {
	char id[40];			/* "led_…" */
	const char *type;		/* LEDGER_* */
	long long amount_cents;		/* signed: credits +, charges - */
	const char *object_id;		/* the piece charged or refunded; NULL for a credit */
	const char *object_kind;
	char description[LEDGER_DESCRIPTION_MAX + 1];
	long long created_ms;
	bool skip;			/* set by an earlier change of the set: write nothing */
	bool written;			/* set by the store: the row is new (not a repeat) */
};

/* the account's balance in mode: the sum of its rows (0 without any); 0 or -1 */
int store_ledger_balance(struct store *s, const char *account_id, enum store_mode mode,
			 long long *cents, struct api_error *err);
#endif
