// SPDX-License-Identifier: AGPL-3.0-or-later
/* The credits ledger in SQLite (ledger_store.h): STORE_LEDGER rows and the balance. */
#include "store/ledger_store.h"
#include "store/sqlite_conn.h"

/* a piece's second charge (or refund) is a repeat of the first: ignored, never summed twice */
static const char SQL_LEDGER_PUT[] =
	"INSERT INTO ledger (id, account_id, mode, type, amount_cents, object_id,"
	" object_kind, description, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
	" ON CONFLICT DO NOTHING";

int sq_ledger_apply(struct conn *c, const struct store_change *ch, struct api_error *err)
{
	struct store_ledger_entry *e = ch->ledger;
	if (!e || e->skip)
		return 0;
	db_stmt *st = sq_stmt(c, SQL_LEDGER_PUT);
	if (!st)
		return db_fail(err, c->db, "ledger");
	db_bind_text(st, 1, e->id);
	db_bind_text(st, 2, ch->sc.account_id);
	db_bind_int(st, 3, ch->sc.mode);
	db_bind_text(st, 4, e->type);
	db_bind_int64(st, 5, e->amount_cents);
	db_bind_text(st, 6, e->object_id);
	db_bind_text(st, 7, e->object_kind);
	db_bind_text(st, 8, e->description);
	db_bind_int64(st, 9, e->created_ms);
	if (step_done(c, st, err) < 0)
		return -1;
	e->written = db_changes(c->db) > 0;
	return 0;
}

static const char SQL_BALANCE[] =
	"SELECT COALESCE(SUM(amount_cents), 0) FROM ledger WHERE account_id = ? AND mode = ?";

int store_ledger_balance(struct store *s, const char *account_id, enum store_mode mode,
			 long long *cents, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_BALANCE);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, account_id);
		db_bind_int(st, 2, mode);
		if (db_step(st) == DB_ROW) {
			*cents = db_col_int64(st, 0);
			rc = 0;
		}
		db_reset(st);
	}
	if (rc < 0)
		db_fail(err, c->db, "ledger balance");
	conn_release(s, c);
	return rc;
}
