/*
 * The schema, as numbered migrations. Never edit a released migration: add a new one.
 * The same tables are meant for PostgreSQL (JSONB for `json`).
 */
#include "store/migrations.h"

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
};

const size_t store_migrations_count = sizeof(store_migrations) / sizeof(store_migrations[0]);
