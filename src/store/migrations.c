// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The schema, as numbered migrations. Never edit a released migration: add a new one.
 * The same tables are meant for PostgreSQL (JSONB for `json`).
 */
#include "store/migrations.h"

/* migration 20: the mail piece kinds the overview counts; a row's key in piece_days; its
 * count up (an insert, or an update's new row when it has a status) and down */
#define PIECE_DAYS_KINDS "'letter', 'postcard', 'self_mailer', 'check', 'snap_pack', 'booklet'"
#define PIECE_DAYS_KEY(row)                                                                 \
	row ".account_id, " row ".mode, " row ".created_ms / 86400000, " row ".kind, "      \
	"CASE WHEN " row ".deleted THEN 'canceled' ELSE " row ".status END"
#define PIECE_DAYS_UP(row)                                                                  \
	" INSERT INTO piece_days (account_id, mode, day, kind, status, n) SELECT "          \
	PIECE_DAYS_KEY(row) ", 1 WHERE " row ".status IS NOT NULL"                          \
	" ON CONFLICT (account_id, mode, day, kind, status) DO UPDATE SET n = n + 1;"
#define PIECE_DAYS_DOWN(row)                                                                \
	" UPDATE piece_days SET n = n - 1 WHERE " row ".status IS NOT NULL AND (account_id,"  \
	" mode, day, kind, status) = (" PIECE_DAYS_KEY(row) ");"

const struct migration store_migrations[] = {
	{ 1,
	  "CREATE TABLE accounts ("
	  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);"
	  "CREATE TABLE api_keys ("
	  "  id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id),"
	  "  mode INTEGER NOT NULL, type INTEGER NOT NULL, hash TEXT NOT NULL UNIQUE,"
	  "  prefix TEXT NOT NULL, created_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);"
	  "CREATE TABLE objects ("
	  "  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, mode INTEGER NOT NULL,"
	  "  kind TEXT NOT NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
	  "  deleted INTEGER NOT NULL DEFAULT 0, status TEXT, send_date INTEGER,"
	  "  campaign_id TEXT, json TEXT NOT NULL);"
	  "CREATE INDEX objects_list ON objects(account_id, mode, kind, deleted, created_ms, id);"
	  "CREATE TABLE metadata ("
	  "  object_id TEXT NOT NULL REFERENCES objects(id), account_id TEXT NOT NULL,"
	  "  mode INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
	  "  PRIMARY KEY (object_id, key));"
	  "CREATE INDEX metadata_filter ON metadata(account_id, mode, kind, key, value);"
	  "CREATE TABLE events ("
	  "  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, mode INTEGER NOT NULL,"
	  "  type TEXT NOT NULL, object_id TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	  "  json TEXT NOT NULL);"
	  "CREATE INDEX events_list ON events(account_id, mode, created_ms, id);"
	  "CREATE TABLE idempotency_keys ("
	  "  account_id TEXT NOT NULL, mode INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,"
	  "  object_id TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	  "  PRIMARY KEY (account_id, mode, kind, key));" },
	/* 2: jobs and webhooks (events/webhooks work) */
	{ 3,
	  /* counters that must never repeat: IMb / IMpb serial numbers, check numbers */
	  "CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	  /* USPS barcodes → mail pieces, for scan data that carries no account */
	  "CREATE TABLE tracking_codes (code TEXT PRIMARY KEY, object_id TEXT NOT NULL,"
	  "  account_id TEXT NOT NULL, mode INTEGER NOT NULL, kind TEXT NOT NULL);" },
	{ 4,
	  /* test-mode tracking journeys (mail/simulate.c): each piece's next step and when it is due */
	  "CREATE TABLE tracking_journeys (object_id TEXT PRIMARY KEY, account_id TEXT NOT NULL,"
	  "  mode INTEGER NOT NULL, kind TEXT NOT NULL, step INTEGER NOT NULL,"
	  "  due_ms INTEGER NOT NULL);"
	  "CREATE INDEX tracking_journeys_due ON tracking_journeys(due_ms);" },
	{ 5,
	  /* the 321certified-style API (/api/v1, store/c321_store.h): users, their sessions and
	   * API keys with permissions; secrets only as hashes */
	  "CREATE TABLE c321_users (id TEXT PRIMARY KEY, account_id TEXT NOT NULL,"
	  "  email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL, created_ms INTEGER NOT NULL);"
	  "CREATE TABLE c321_sessions (token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL,"
	  "  created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL);"
	  "CREATE INDEX c321_sessions_expiry ON c321_sessions(expires_ms);"
	  "CREATE TABLE c321_keys (id TEXT PRIMARY KEY, user_id TEXT NOT NULL,"
	  "  account_id TEXT NOT NULL, mode INTEGER NOT NULL, name TEXT NOT NULL,"
	  "  permissions TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,"
	  "  created_ms INTEGER NOT NULL, revoked_ms INTEGER);"
	  "CREATE INDEX c321_keys_user ON c321_keys(user_id, created_ms);" },
	{ 6,
	  /* operators (store/operator_store.h): the mail room, across all accounts; their API
	   * keys ("frankop_…") only as SHA-256, passwords only as argon2id */
	  "CREATE TABLE operators (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE,"
	  "  password_hash TEXT NOT NULL, created_ms INTEGER NOT NULL);"
	  "CREATE TABLE operator_keys (id TEXT PRIMARY KEY,"
	  "  operator_id TEXT NOT NULL REFERENCES operators(id), hash TEXT NOT NULL UNIQUE,"
	  "  prefix TEXT NOT NULL, created_ms INTEGER NOT NULL, revoked_ms INTEGER);"
	  "CREATE INDEX operator_keys_operator ON operator_keys(operator_id, created_ms);" },
	{ 7,
	  /* background work (store/jobs_store.h, src/jobs/): one row per job; due jobs are found
	   * through jobs_due, lanes (webhook endpoints) through jobs_lane, and a job's kind and
	   * ref have one queued or running row at most */
	  "CREATE TABLE jobs (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT, lane TEXT,"
	  "  account_id TEXT, mode INTEGER NOT NULL DEFAULT 0, payload TEXT,"
	  "  due_ms INTEGER NOT NULL, state INTEGER NOT NULL DEFAULT 0, lease_owner TEXT,"
	  "  lease_until_ms INTEGER, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,"
	  "  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
	  "CREATE INDEX jobs_due ON jobs(kind, state, due_ms);"
	  "CREATE INDEX jobs_lane ON jobs(kind, state, lane, due_ms) WHERE lane IS NOT NULL;"
	  "CREATE UNIQUE INDEX jobs_active ON jobs(kind, ref) WHERE state < 2 AND ref IS NOT NULL;"
	  /* the typed columns, written from now on with the JSON (sqlite_conn.h) */
	  "UPDATE objects SET status = json_extract(json, '$.status'),"
	  "  send_date = CAST(ROUND((julianday(json_extract(json, '$.send_date')) - 2440587.5)"
	  "  * 86400000.0) AS INTEGER), campaign_id = json_extract(json, '$.campaign_id');"
	  "CREATE INDEX objects_work ON objects(kind, status, created_ms) WHERE status IS NOT NULL;"
	  /* a status filter with the lists' keyset order: no sort, no scan of other statuses */
	  "CREATE INDEX objects_status ON objects(account_id, mode, kind, status, deleted,"
	  "  created_ms, id) WHERE status IS NOT NULL;"
	  "CREATE INDEX objects_send ON objects(kind, send_date) WHERE send_date IS NOT NULL;"
	  "CREATE INDEX objects_campaign ON objects(campaign_id) WHERE campaign_id IS NOT NULL;"
	  /* work the threads of before left: deliveries still to send, events not fanned out
	   * yet (past the dispatcher's cursor), journeys under way and test pieces not seen yet */
	  "INSERT INTO jobs (kind, ref, lane, account_id, mode, due_ms, created_ms, updated_ms)"
	  "  SELECT 'webhook.deliver', id, json_extract(json, '$.webhook_id'), account_id, mode,"
	  "  COALESCE(json_extract(json, '$.next_attempt_ms'), updated_ms), created_ms, updated_ms"
	  "  FROM objects WHERE kind = 'webhook_delivery' AND deleted = 0 AND status = 'pending';"
	  "INSERT INTO jobs (kind, ref, account_id, mode, due_ms, created_ms, updated_ms)"
	  "  SELECT 'webhook.fanout', e.id, e.account_id, e.mode, e.created_ms, e.created_ms,"
	  "  e.created_ms FROM events e WHERE e.rowid > COALESCE((SELECT value FROM sequences"
	  "  WHERE name = 'webhooks:events'), 0) AND EXISTS (SELECT 1 FROM objects w"
	  "  WHERE w.account_id = e.account_id AND w.mode = e.mode AND w.kind = 'webhook'"
	  "  AND w.deleted = 0);"
	  "INSERT INTO jobs (kind, ref, account_id, mode, payload, due_ms, created_ms, updated_ms)"
	  "  SELECT 'tracking.simulate', object_id, account_id, mode,"
	  "  json_object('kind', kind, 'step', step),"
	  "  due_ms, due_ms, due_ms FROM tracking_journeys;"
	  "INSERT OR IGNORE INTO jobs (kind, ref, account_id, mode, payload, due_ms, created_ms,"
	  "  updated_ms) SELECT 'tracking.simulate', id, account_id, mode,"
	  "  json_object('kind', kind), send_date, created_ms, created_ms FROM objects WHERE rowid > COALESCE((SELECT value FROM sequences"
	  "  WHERE name = 'tracking:journeys'), 0) AND mode = 0 AND deleted = 0"
	  "  AND kind IN ('letter', 'postcard', 'self_mailer', 'check') AND send_date IS NOT NULL;"
	  "DROP TABLE tracking_journeys;"
	  "DELETE FROM sequences WHERE name IN ('webhooks:events', 'tracking:journeys');" },
	{ 8,
	  /* rendering is a job kind (mail/render_jobs.h), committed with each piece: the pieces
	   * a version before it left `processed` get theirs (lane: the account) */
	  "INSERT OR IGNORE INTO jobs (kind, ref, lane, account_id, mode, payload, due_ms,"
	  "  created_ms, updated_ms) SELECT 'piece.render', id, account_id, account_id, mode,"
	  "  json_object('kind', kind), created_ms, created_ms, created_ms FROM objects"
	  "  WHERE status = 'processed' AND deleted = 0 AND kind IN ('letter', 'postcard',"
	  "  'self_mailer', 'check', 'snap_pack', 'booklet');" },
	{ 9,
	  /* print runs (store/production_store.h, src/production/): a run is cut in one
	   * transaction that locks its pieces (objects.print_run_id: a piece is in one run at
	   * most, and a locked piece cannot be deleted); print_run_pieces keeps each piece's
	   * lot and state (locked, printed, mailed, spoiled) in every run it was in */
	  "CREATE TABLE print_runs (id TEXT PRIMARY KEY, mode INTEGER NOT NULL,"
	  "  status TEXT NOT NULL, cutoff_ms INTEGER NOT NULL, pieces INTEGER NOT NULL,"
	  "  created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, json TEXT NOT NULL,"
	  "  plan TEXT NOT NULL);"
	  "CREATE INDEX print_runs_list ON print_runs(created_ms, id);"
	  "CREATE TABLE print_run_pieces (run_id TEXT NOT NULL REFERENCES print_runs(id),"
	  "  object_id TEXT NOT NULL, lot_id TEXT NOT NULL, account_id TEXT NOT NULL,"
	  "  mode INTEGER NOT NULL, kind TEXT NOT NULL, state TEXT NOT NULL,"
	  "  updated_ms INTEGER NOT NULL, PRIMARY KEY (run_id, object_id));"
	  "CREATE INDEX print_run_pieces_object ON print_run_pieces(object_id, state);"
	  "ALTER TABLE objects ADD COLUMN print_run_id TEXT;"
	  "CREATE INDEX objects_print_run ON objects(print_run_id) WHERE print_run_id IS NOT NULL;"
	  /* a piece's IMb among its barcodes, at the cut */
	  "CREATE INDEX tracking_codes_object ON tracking_codes(object_id);" },
	{ 10,
	  /* campaigns (issue 15): creatives, campaigns and uploads are objects rows (kinds
	   * creative, campaign, upload); an upload's CSV is an asset. Validation writes one
	   * row per audience line: valid ones carry the piece to create
	   * ({"to": {Lob address fields}, "merge_variables": {...}, "metadata": {...}}), failed
	   * ones their errors ([{"column", "message"}]). The send sets piece_id in the same
	   * transaction that creates the piece, so a send killed midway resumes with the rows
	   * whose piece_id is still NULL: exactly one piece per valid row. */
	  "CREATE TABLE upload_rows (upload_id TEXT NOT NULL, row_no INTEGER NOT NULL,"
	  "  valid INTEGER NOT NULL, piece TEXT, errors TEXT, piece_id TEXT,"
	  "  PRIMARY KEY (upload_id, row_no));"
	  "CREATE UNIQUE INDEX upload_rows_piece ON upload_rows(piece_id)"
	  "  WHERE piece_id IS NOT NULL;" },
	{ 12,
	  /* short links (store/link_store.h, docs/internals/links.md): links, QR codes' links,
	   * custom domains and clicks are objects rows (kinds link, qr_link, domain,
	   * link_click). A redirect finds its link by its whole short_link in one index read,
	   * unique among live links (a deleted one's JSON no longer has it); a domain is one
	   * account's; a link's clicks are read newest first */
	  "CREATE UNIQUE INDEX objects_short_link ON objects(json_extract(json, '$.short_link'))"
	  "  WHERE kind IN ('link', 'qr_link') AND deleted = 0;"
	  "CREATE UNIQUE INDEX objects_domain ON objects(json_extract(json, '$.domain'))"
	  "  WHERE kind = 'domain' AND deleted = 0;"
	  "CREATE INDEX objects_link_clicks ON objects(json_extract(json, '$.link_id'), created_ms)"
	  "  WHERE kind = 'link_click';" },
	{ 13,
	  /* the credits ledger (docs/internals/ledger.md): one row per credit, charge or refund
	   * of an account in a mode, amounts in signed cents (credits +, charges -). A piece is
	   * charged once: the charge is written in the transaction of its Mailed event, and
	   * ledger_piece makes a second one impossible. ledger_rows is the JSON the API serves. */
	  "CREATE TABLE ledger (id TEXT PRIMARY KEY, account_id TEXT NOT NULL,"
	  "  mode INTEGER NOT NULL, type TEXT NOT NULL, amount_cents INTEGER NOT NULL,"
	  "  object_id TEXT, object_kind TEXT, description TEXT NOT NULL,"
	  "  created_ms INTEGER NOT NULL);"
	  "CREATE INDEX ledger_list ON ledger(account_id, mode, created_ms, id);"
	  "CREATE UNIQUE INDEX ledger_piece ON ledger(object_id, type)"
	  "  WHERE object_id IS NOT NULL;"
	  "CREATE VIEW ledger_rows AS SELECT id, account_id, mode, type, created_ms,"
	  "  json_object('id', id, 'object', 'ledger_entry', 'type', type,"
	  "  'amount', amount_cents / 100.0, 'amount_cents', amount_cents,"
	  "  'description', description, 'resource_id', object_id, 'resource_type', object_kind,"
	  "  'date_created', strftime('%Y-%m-%dT%H:%M:%fZ', created_ms / 1000.0, 'unixepoch'))"
	  "  AS json FROM ledger;" },
	{ 14,
	  /* an audience row as the file had it ({"column header": "value", …}), for the
	   * report's originalData: the mapped piece alone cannot give back columns that were
	   * not mapped, nor a failed row's values */
	  "ALTER TABLE upload_rows ADD COLUMN original TEXT;" },
	{ 15,
	  /* the dashboard (store/dashboard_store.h): a user (c321_users: one user table for the
	   * certified API and the dashboard) belongs to accounts with a role; every existing user
	   * owns the account it was made for. Sessions are a user's or an operator's, with the
	   * account and mode shown and the session's form (CSRF) token. The audit log keeps what
	   * was done in the mail room: who, what, when. */
	  "CREATE TABLE dashboard_members (user_id TEXT NOT NULL, account_id TEXT NOT NULL,"
	  "  role TEXT NOT NULL CHECK (role IN ('owner', 'member', 'viewer')),"
	  "  created_ms INTEGER NOT NULL, PRIMARY KEY (user_id, account_id));"
	  "INSERT INTO dashboard_members (user_id, account_id, role, created_ms)"
	  "  SELECT id, account_id, 'owner', created_ms FROM c321_users;"
	  "CREATE TABLE dashboard_sessions (token_hash TEXT PRIMARY KEY, user_id TEXT,"
	  "  operator_id TEXT, email TEXT NOT NULL, account_id TEXT NOT NULL,"
	  "  mode INTEGER NOT NULL, csrf TEXT NOT NULL, created_ms INTEGER NOT NULL,"
	  "  expires_ms INTEGER NOT NULL);"
	  "CREATE INDEX dashboard_sessions_expiry ON dashboard_sessions(expires_ms);"
	  "CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
	  "  actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL,"
	  "  detail TEXT NOT NULL);" },
	{ 16,
	  /* the dashboard's piece pages (store/piece_search_store.h): a search by the start of
	   * the recipient's name reads a range of this index (created_ms in it orders the
	   * matches without reading their JSON); a piece's events are read by object */
	  "CREATE INDEX objects_to_name ON objects(account_id, mode, kind, deleted,"
	  "  lower(json_extract(json, '$.to.name')), created_ms, id);"
	  "CREATE INDEX events_object ON events(object_id, created_ms);" },
	{ 17,
	  /* the mail room's pieces due (store/mailroom_store.h): rendered pieces no print run
	   * holds, by kind and send date. A piece leaves it once cut or canceled, so the count
	   * reads what is waiting, not every piece ever rendered. Every column the count
	   * reads is in it, in its GROUP BY order: an index-only read without a sort
	   * (bench/dashboard: 14 ms at 100,000 waiting test pieces, 1.7 s a page when each
	   * match read its row) */
	  "CREATE INDEX objects_due ON objects(kind, mode, account_id, send_date, status,"
	  "  deleted, print_run_id) WHERE status = 'rendered'"
	  "  AND print_run_id IS NULL AND deleted = 0;" },
	{ 20,
	  /* the dashboard's overview (dash_piece_counts): mail pieces per UTC day, kind and
	   * status (deleted ones as 'canceled'), kept by triggers in the transaction of every
	   * change, so the chart reads at most days x kinds x statuses rows instead of grouping
	   * every piece of the last 30 days (100,000 pieces: ~50 ms of CPU a page) */
	  "CREATE TABLE piece_days (account_id TEXT NOT NULL, mode INTEGER NOT NULL,"
	  "  day INTEGER NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL,"
	  "  PRIMARY KEY (account_id, mode, day, kind, status)) WITHOUT ROWID;"
	  "INSERT INTO piece_days SELECT account_id, mode, created_ms / 86400000, kind,"
	  "  CASE WHEN deleted THEN 'canceled' ELSE status END, COUNT(*) FROM objects"
	  "  WHERE status IS NOT NULL AND kind IN (" PIECE_DAYS_KINDS ") GROUP BY 1, 2, 3, 4, 5;"
	  "CREATE TRIGGER piece_days_insert AFTER INSERT ON objects"
	  "  WHEN NEW.status IS NOT NULL AND NEW.kind IN (" PIECE_DAYS_KINDS ") BEGIN"
	  PIECE_DAYS_UP("NEW") " END;"
	  "CREATE TRIGGER piece_days_update AFTER UPDATE OF status, deleted ON objects"
	  "  WHEN NEW.kind IN (" PIECE_DAYS_KINDS ") AND (OLD.status IS NOT NEW.status"
	  "  OR OLD.deleted IS NOT NEW.deleted) BEGIN"
	  PIECE_DAYS_DOWN("OLD") PIECE_DAYS_UP("NEW") " END;"
	  "CREATE TRIGGER piece_days_delete AFTER DELETE ON objects"
	  "  WHEN OLD.status IS NOT NULL AND OLD.kind IN (" PIECE_DAYS_KINDS ") BEGIN"
	  PIECE_DAYS_DOWN("OLD") " END;" },
};

const size_t store_migrations_count = sizeof(store_migrations) / sizeof(store_migrations[0]);
