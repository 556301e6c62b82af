// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Operators and their keys on SQLite (see operator_store.h). Reads take a pooled connection;
 * writes are jobs on the writer thread, waited for.
 */
#include "store/operator_store.h"
#include "store/sqlite_conn.h"

/* statements of this file, prepared per call (sqlite_conn.h) */
static db_stmt *prepare(struct conn *c, const char *sql, struct api_error *err)
{
	return sq_prepare(c, sql, "operators", err);
}

static int change(struct conn *c, db_stmt *st, struct api_error *err)
{
	return sq_change(c, st, "operators", err);
}

static int operator_insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	const struct operator_rec *op = ctx;
	db_stmt *st = prepare(c, "INSERT INTO operators (id, email, password_hash, created_ms)"
				      " VALUES (?, ?, ?, ?) ON CONFLICT(email) DO NOTHING", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, op->id);
	db_bind_text(st, 2, op->email);
	db_bind_text(st, 3, op->password_hash);
	db_bind_int64(st, 4, op->created_ms);
	return change(c, st, err);
}

int operator_insert(struct store *s, const struct operator_rec *op, struct api_error *err)
{
	return sq_submit_and_wait(s, operator_insert_job, (void *)op, err);
}

struct key_job {
	const struct operator_key *k;
	const char *hash;
};

static int key_insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct key_job *j = ctx;
	/* only for an operator that exists: the SELECT yields no row otherwise */
	db_stmt *st = prepare(c, "INSERT INTO operator_keys (id, operator_id, hash, prefix,"
				      " created_ms) SELECT ?, id, ?, ?, ? FROM operators WHERE id = ?",
				   err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->k->id);
	db_bind_text(st, 2, j->hash);
	db_bind_text(st, 3, j->k->prefix);
	db_bind_int64(st, 4, j->k->created_ms);
	db_bind_text(st, 5, j->k->operator_id);
	int rc = change(c, st, err);
	if (rc == 1)
		return api_fail(err, ERR_NOT_FOUND, "no operator %.40s", j->k->operator_id);
	return rc;
}

int operator_key_insert(struct store *s, const struct operator_key *k, const char *key_hash,
			struct api_error *err)
{
	struct key_job j = { k, key_hash };
	return sq_submit_and_wait(s, key_insert_job, &j, err);
}

int operator_key_lookup(struct store *s, const char *key_hash, struct operator_key *out,
			struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT id, operator_id, prefix, created_ms FROM operator_keys"
				      " WHERE hash = ? AND revoked_ms IS NULL", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, key_hash);
		int r = db_step(st);
		if (r == DB_ROW) {
			copy_col(st, 0, out->id, sizeof(out->id));
			copy_col(st, 1, out->operator_id, sizeof(out->operator_id));
			copy_col(st, 2, out->prefix, sizeof(out->prefix));
			out->created_ms = db_col_int64(st, 3);
		}
		rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "operator key");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

static int locate(struct store *s, const char *id, bool with_deleted,
		  struct operator_found *out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	/* a live row before a deleted one: ids are unique, but say which is meant */
	db_stmt *st = prepare(c, with_deleted
			? "SELECT account_id, mode, kind, deleted FROM objects WHERE id = ?"
			  " ORDER BY deleted LIMIT 1"
			: "SELECT account_id, mode, kind, deleted FROM objects"
			  " WHERE id = ? AND deleted = 0", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, id);
		int r = db_step(st);
		if (r == DB_ROW) {
			copy_col(st, 0, out->account_id, sizeof(out->account_id));
			out->mode = db_col_int(st, 1) == MODE_LIVE ? MODE_LIVE : MODE_TEST;
			copy_col(st, 2, out->kind, sizeof(out->kind));
			out->deleted = db_col_int(st, 3) != 0;
		}
		rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "object locate");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

int operator_object_locate(struct store *s, const char *id, struct operator_found *out,
			   struct api_error *err)
{
	return locate(s, id, false, out, err);
}

int operator_object_locate_any(struct store *s, const char *id, struct operator_found *out,
			       struct api_error *err)
{
	return locate(s, id, true, out, err);
}

int operator_by_email(struct store *s, const char *email, struct operator_rec *out,
		      struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT id, email, password_hash, created_ms FROM operators"
				      " WHERE email = ?", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, email);
		int r = db_step(st);
		if (r == DB_ROW) {
			copy_col(st, 0, out->id, sizeof(out->id));
			copy_col(st, 1, out->email, sizeof(out->email));
			copy_col(st, 2, out->password_hash, sizeof(out->password_hash));
			out->created_ms = db_col_int64(st, 3);
			rc = 0;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "operator");
		}
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}
