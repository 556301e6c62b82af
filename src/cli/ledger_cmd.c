// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank accounts credit --data DIR [--account ID] --amount DOLLARS [--mode live|test]
 *   [--description TEXT]: an operator's credit to an account's ledger (as
 * POST /v1/_frank/production/accounts/{id}/credits); prints the row and the new balance as
 * JSON. Safe while frankd runs: the write goes through the store's single writer of this
 * process and SQLite's locking (docs/internals/ledger.md).
 */
#include "cli/commands.h"
#include "core/timeutil.h"
#include "mail/ledger.h"
#include "mail/price_list.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

int cmd_accounts_credit(struct cli_args *a, struct store *s, const char *account)
{
	struct api_error err;
	struct store_ledger_entry e;
	long long cents, balance;
	bool test = a->mode && strcmp(a->mode, "test") == 0;
	if ((a->mode && !test && strcmp(a->mode, "live") != 0) || !a->amount) {
		fprintf(stderr, "usage: frank accounts credit --data DIR [--account ID] --amount "
				"DOLLARS [--mode live|test] [--description TEXT]\n");
		return 2;
	}
	json_t *amount = json_string(a->amount);
	bool ok = price_dollars_cents(amount, LEDGER_CREDIT_MAX_CENTS, &cents) && cents > 0;
	json_decref(amount);
	if (!ok) {
		fprintf(stderr, "frank: --amount is dollars more than 0 and at most 1000000, with at "
				"most two decimals (100.00)\n");
		return 2;
	}
	enum store_mode mode = test ? MODE_TEST : MODE_LIVE;
	if (ledger_credit(s, account, mode, cents, a->description, clock_now_ms(), &e, &err) < 0 ||
	    store_ledger_balance(s, account, mode, &balance, &err) < 0) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 1;
	}
	printf("{\"account_id\":\"%s\",\"mode\":\"%s\",\"entry\":\"%s\",\"amount_cents\":%lld,"
	       "\"balance_cents\":%lld}\n", account, test ? "test" : "live", e.id, cents, balance);
	return 0;
}
