// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /api/v1 users, sessions and keys on SQLite (see c321_store.h). Reads take a pooled
 * connection; writes are jobs on the writer thread, waited for. Statements are prepared per
 * call (a few per request at most) rather than taking slots of the shared statement cache.
 */
#include "store/c321_store.h"
#include "store/sqlite_conn.h"
#include <stdio.h>
#include <string.h>

/* statements of this file, prepared per call (sqlite_conn.h) */
static db_stmt *prepare(struct conn *c, const char *sql, struct api_error *err)
{
	return sq_prepare(c, sql, "c321", err);
}

static int change(struct conn *c, db_stmt *st, struct api_error *err)
{
	return sq_change(c, st, "c321", err);
}

/* ---- users ---- */

static const char SQL_USER_INSERT[] =
	"INSERT INTO c321_users (id, account_id, email, password_hash, created_ms)"
	" VALUES (?, ?, ?, ?, ?) ON CONFLICT(email) DO NOTHING";
static const char SQL_USER_COLS[] =
	"SELECT id, account_id, email, password_hash, created_ms FROM c321_users WHERE ";

static int user_insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	const struct c321_user *u = ctx;
	db_stmt *st = prepare(c, SQL_USER_INSERT, err);
	if (!st)
		return -1;
	db_bind_text(st, 1, u->id);
	db_bind_text(st, 2, u->account_id);
	db_bind_text(st, 3, u->email);
	db_bind_text(st, 4, u->password_hash);
	db_bind_int64(st, 5, u->created_ms);
	int rc = change(c, st, err);
	if (rc != 0)
		return rc;
	/* the user owns the account it was made for (the dashboard's roles, migration 15) */
	st = prepare(c, "INSERT INTO dashboard_members (user_id, account_id, role,"
			" created_ms) VALUES (?, ?, 'owner', ?) ON CONFLICT DO NOTHING", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, u->id);
	db_bind_text(st, 2, u->account_id);
	db_bind_int64(st, 3, u->created_ms);
	return change(c, st, err) < 0 ? -1 : 0;
}

int c321_user_insert(struct store *s, const struct c321_user *u, struct api_error *err)
{
	return sq_submit_and_wait(s, user_insert_job, (void *)u, err);
}

static int user_read(struct store *s, const char *where, const char *value,
		     struct c321_user *out, struct api_error *err)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "%s%s", SQL_USER_COLS, where);
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, sql, err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, value);
		int r = db_step(st);
		if (r == DB_ROW) {
			copy_col(st, 0, out->id, sizeof(out->id));
			copy_col(st, 1, out->account_id, sizeof(out->account_id));
			copy_col(st, 2, out->email, sizeof(out->email));
			copy_col(st, 3, out->password_hash, sizeof(out->password_hash));
			out->created_ms = db_col_int64(st, 4);
			rc = 0;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "c321 user");
		}
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

int c321_user_by_email(struct store *s, const char *email, struct c321_user *out,
		       struct api_error *err)
{
	return user_read(s, "email = ?", email, out, err);
}

int c321_user_get(struct store *s, const char *id, struct c321_user *out, struct api_error *err)
{
	return user_read(s, "id = ?", id, out, err);
}

/* ---- sessions ---- */

struct session_job {
	const char *hash, *user_id;
	long long now_ms, expires_ms;
};

static int session_insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct session_job *j = ctx;
	db_stmt *st = prepare(c, "DELETE FROM c321_sessions WHERE expires_ms <= ?", err);
	if (!st)
		return -1;
	db_bind_int64(st, 1, j->now_ms);
	if (change(c, st, err) < 0)
		return -1;
	st = prepare(c, "INSERT INTO c321_sessions (token_hash, user_id, created_ms, expires_ms)"
			" VALUES (?, ?, ?, ?)", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->hash);
	db_bind_text(st, 2, j->user_id);
	db_bind_int64(st, 3, j->now_ms);
	db_bind_int64(st, 4, j->expires_ms);
	return change(c, st, err) < 0 ? -1 : 0;
}

int c321_session_insert(struct store *s, const char *token_hash, const char *user_id,
			long long now_ms, long long expires_ms, struct api_error *err)
{
	struct session_job j = { token_hash, user_id, now_ms, expires_ms };
	return sq_submit_and_wait(s, session_insert_job, &j, err);
}

int c321_session_user(struct store *s, const char *token_hash, long long now_ms,
		      struct c321_user *user, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT user_id FROM c321_sessions WHERE token_hash = ?"
				      " AND expires_ms > ?", err);
	char user_id[40] = "";
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, token_hash);
		db_bind_int64(st, 2, now_ms);
		int r = db_step(st);
		if (r == DB_ROW)
			copy_col(st, 0, user_id, sizeof(user_id));
		rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "c321 session");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc == 0 ? c321_user_get(s, user_id, user, err) : rc;
}

static int session_delete_job(struct conn *c, void *ctx, struct api_error *err)
{
	db_stmt *st = prepare(c, "DELETE FROM c321_sessions WHERE token_hash = ?", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, ctx);
	return change(c, st, err);
}

int c321_session_delete(struct store *s, const char *token_hash, struct api_error *err)
{
	return sq_submit_and_wait(s, session_delete_job, (void *)token_hash, err);
}

/* ---- keys ---- */

struct key_job {
	const struct c321_key *k;
	const char *hash;
};

static int key_insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct key_job *j = ctx;
	db_stmt *st = prepare(c, "INSERT INTO c321_keys (id, user_id, account_id, mode, name,"
				      " permissions, hash, prefix, created_ms)"
				      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->k->id);
	db_bind_text(st, 2, j->k->user_id);
	db_bind_text(st, 3, j->k->account_id);
	db_bind_int(st, 4, j->k->mode);
	db_bind_text(st, 5, j->k->name);
	db_bind_text(st, 6, j->k->permissions);
	db_bind_text(st, 7, j->hash);
	db_bind_text(st, 8, j->k->prefix);
	db_bind_int64(st, 9, j->k->created_ms);
	return change(c, st, err) < 0 ? -1 : 0;
}

int c321_key_insert(struct store *s, const struct c321_key *k, const char *key_hash,
		    struct api_error *err)
{
	struct key_job j = { k, key_hash };
	return sq_submit_and_wait(s, key_insert_job, &j, err);
}

#define KEY_COLS "SELECT id, user_id, account_id, mode, name, permissions, prefix, created_ms" \
		 " FROM c321_keys WHERE revoked_ms IS NULL AND "

static void key_row(db_stmt *st, struct c321_key *k)
{
	copy_col(st, 0, k->id, sizeof(k->id));
	copy_col(st, 1, k->user_id, sizeof(k->user_id));
	copy_col(st, 2, k->account_id, sizeof(k->account_id));
	k->mode = db_col_int(st, 3) == MODE_LIVE ? MODE_LIVE : MODE_TEST;
	copy_col(st, 4, k->name, sizeof(k->name));
	copy_col(st, 5, k->permissions, sizeof(k->permissions));
	copy_col(st, 6, k->prefix, sizeof(k->prefix));
	k->created_ms = db_col_int64(st, 7);
}

int c321_key_lookup(struct store *s, const char *key_hash, struct c321_key *out,
		    struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, KEY_COLS "hash = ?", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, key_hash);
		int r = db_step(st);
		if (r == DB_ROW)
			key_row(st, out);
		rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "c321 key");
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

int c321_key_list(struct store *s, const char *user_id, struct c321_key *out, int max,
		  struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, KEY_COLS "user_id = ? ORDER BY created_ms DESC, id DESC", err);
	int n = -1, r = DB_DONE;
	if (st) {
		n = 0;
		db_bind_text(st, 1, user_id);
		while (n < max && (r = db_step(st)) == DB_ROW)
			key_row(st, &out[n++]);
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "c321 keys");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}

struct revoke_job {
	const char *user_id, *key_id;
	long long now_ms;
};

static int key_revoke_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct revoke_job *j = ctx;
	db_stmt *st = prepare(c, "UPDATE c321_keys SET revoked_ms = ? WHERE id = ? AND"
				      " user_id = ? AND revoked_ms IS NULL", err);
	if (!st)
		return -1;
	db_bind_int64(st, 1, j->now_ms);
	db_bind_text(st, 2, j->key_id);
	db_bind_text(st, 3, j->user_id);
	return change(c, st, err);
}

int c321_key_revoke(struct store *s, const char *user_id, const char *key_id, long long now_ms,
		    struct api_error *err)
{
	struct revoke_job j = { user_id, key_id, now_ms };
	return sq_submit_and_wait(s, key_revoke_job, &j, err);
}
