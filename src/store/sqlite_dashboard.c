// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The dashboard's memberships, sessions and audit log on SQLite (dashboard_store.h). Reads
 * take a pooled connection; writes are jobs on the writer thread, waited for. Statements are
 * prepared per call: a page makes one or two of these calls.
 */
#include "store/dashboard_store.h"
#include "store/sqlite_conn.h"
#include <string.h>

static const char *const role_names[] = { [ROLE_VIEWER] = "viewer", [ROLE_MEMBER] = "member",
					  [ROLE_OWNER] = "owner" };

enum dash_role dash_role_parse(const char *name)
{
	for (int r = ROLE_VIEWER; r <= ROLE_OWNER; r++)
		if (name && strcmp(name, role_names[r]) == 0)
			return (enum dash_role)r;
	return ROLE_NONE;
}

const char *dash_role_name(enum dash_role r)
{
	return r >= ROLE_VIEWER && r <= ROLE_OWNER ? role_names[r] : "none";
}

static db_stmt *prepare(struct conn *c, const char *sql, struct api_error *err)
{
	return sq_prepare(c, sql, "dashboard", err);
}

/* ---- memberships ---- */

struct member_job {
	const char *user_id, *account_id;
	enum dash_role role;
	long long now_ms;
};

static int member_set_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct member_job *j = ctx;
	db_stmt *st = prepare(c, "INSERT INTO dashboard_members (user_id, account_id, role,"
				      " created_ms) VALUES (?, ?, ?, ?) ON CONFLICT (user_id,"
				      " account_id) DO UPDATE SET role = excluded.role", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->user_id);
	db_bind_text(st, 2, j->account_id);
	db_bind_text(st, 3, dash_role_name(j->role));
	db_bind_int64(st, 4, j->now_ms);
	return sq_change(c, st, "dashboard", err) < 0 ? -1 : 0;
}

int dash_member_set(struct store *s, const char *user_id, const char *account_id,
		    enum dash_role role, long long now_ms, struct api_error *err)
{
	struct member_job j = { user_id, account_id, role, now_ms };
	if (role == ROLE_NONE)
		return api_fail(err, ERR_INVALID, "role must be one of owner, member, viewer");
	return sq_submit_and_wait(s, member_set_job, &j, err);
}

int dash_member_list(struct store *s, const char *user_id, struct dash_membership *out, int max,
		     struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT m.account_id, a.name, m.role FROM dashboard_members m"
				      " JOIN accounts a ON a.id = m.account_id WHERE m.user_id = ?"
				      " ORDER BY m.created_ms, m.account_id", err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, user_id);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			copy_col(st, 0, out[n].account_id, sizeof(out[n].account_id));
			copy_col(st, 1, out[n].account_name, sizeof(out[n].account_name));
			out[n].role = dash_role_parse((const char *)db_col_text(st, 2));
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "dashboard members");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}

int dash_member_list_account(struct store *s, const char *account_id, struct dash_member *out,
			     int max, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT m.user_id, u.email, m.role, m.created_ms"
				      " FROM dashboard_members m JOIN c321_users u ON u.id = m.user_id"
				      " WHERE m.account_id = ? ORDER BY u.email LIMIT ?", err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, account_id);
		db_bind_int(st, 2, max);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			copy_col(st, 0, out[n].user_id, sizeof(out[n].user_id));
			copy_col(st, 1, out[n].email, sizeof(out[n].email));
			out[n].role = dash_role_parse((const char *)db_col_text(st, 2));
			out[n].since_ms = db_col_int64(st, 3);
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "dashboard members");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}

struct change_job {
	const char *user_id, *account_id;
	enum dash_role role;
	int result;
};

static int member_change_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct change_job *j = ctx;
	/* owners other than this user: the account keeps one whatever happens here */
	db_stmt *st = prepare(c, "SELECT (SELECT role FROM dashboard_members WHERE user_id = ?1"
				      " AND account_id = ?2), (SELECT COUNT(*) FROM dashboard_members"
				      " WHERE account_id = ?2 AND role = 'owner' AND user_id <> ?1)", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->user_id);
	db_bind_text(st, 2, j->account_id);
	int r = db_step(st);
	bool member = r == DB_ROW && !db_col_null(st, 0);
	bool was_owner = member && strcmp((const char *)db_col_text(st, 0), "owner") == 0;
	long long other_owners = r == DB_ROW ? db_col_int64(st, 1) : 0;
	db_finalize(st);
	if (r != DB_ROW)
		return db_fail(err, c->db, "dashboard member");
	if (!member) {
		j->result = 1;
		return 0;
	}
	if (was_owner && j->role != ROLE_OWNER && other_owners == 0) {
		j->result = 2;
		return 0;
	}
	st = prepare(c, j->role == ROLE_NONE
				? "DELETE FROM dashboard_members WHERE user_id = ?1 AND account_id = ?2"
				: "UPDATE dashboard_members SET role = ?3 WHERE user_id = ?1"
				  " AND account_id = ?2", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->user_id);
	db_bind_text(st, 2, j->account_id);
	if (j->role != ROLE_NONE)
		db_bind_text(st, 3, dash_role_name(j->role));
	j->result = 0;
	return sq_change(c, st, "dashboard", err) < 0 ? -1 : 0;
}

int dash_member_change(struct store *s, const char *user_id, const char *account_id,
		       enum dash_role role, struct api_error *err)
{
	struct change_job j = { user_id, account_id, role, -1 };
	if (sq_submit_and_wait(s, member_change_job, &j, err) < 0)
		return -1;
	return j.result;
}

/* ---- sessions ---- */

struct session_job {
	const char *hash;
	const struct dash_session *ds;
	long long now_ms;
};

static int session_insert_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct session_job *j = ctx;
	db_stmt *st = prepare(c, "DELETE FROM dashboard_sessions WHERE expires_ms <= ?", err);
	if (!st)
		return -1;
	db_bind_int64(st, 1, j->now_ms);
	if (sq_change(c, st, "dashboard", err) < 0)
		return -1;
	st = prepare(c, "INSERT INTO dashboard_sessions (token_hash, user_id, operator_id, email,"
			" account_id, mode, csrf, created_ms, expires_ms)"
			" VALUES (?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, ?, ?, ?, ?)", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->hash);
	db_bind_text(st, 2, j->ds->user_id);
	db_bind_text(st, 3, j->ds->operator_id);
	db_bind_text(st, 4, j->ds->email);
	db_bind_text(st, 5, j->ds->account_id);
	db_bind_int(st, 6, (int)j->ds->mode);
	db_bind_text(st, 7, j->ds->csrf);
	db_bind_int64(st, 8, j->now_ms);
	db_bind_int64(st, 9, j->ds->expires_ms);
	return sq_change(c, st, "dashboard", err) < 0 ? -1 : 0;
}

int dash_session_insert(struct store *s, const char *token_hash, const struct dash_session *ds,
			long long now_ms, struct api_error *err)
{
	struct session_job j = { token_hash, ds, now_ms };
	return sq_submit_and_wait(s, session_insert_job, &j, err);
}

int dash_session_get(struct store *s, const char *token_hash, long long now_ms,
		     struct dash_session *out, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	/* the role comes from the membership now, not from the sign-in */
	db_stmt *st = prepare(c, "SELECT COALESCE(s.user_id, ''), COALESCE(s.operator_id, ''),"
				      " s.email, s.account_id, s.mode, s.csrf, s.expires_ms,"
				      " COALESCE(m.role, '') FROM dashboard_sessions s"
				      " LEFT JOIN dashboard_members m ON m.user_id = s.user_id"
				      " AND m.account_id = s.account_id"
				      " WHERE s.token_hash = ? AND s.expires_ms > ?", err);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, token_hash);
		db_bind_int64(st, 2, now_ms);
		int r = db_step(st);
		if (r == DB_ROW) {
			memset(out, 0, sizeof(*out));
			copy_col(st, 0, out->user_id, sizeof(out->user_id));
			copy_col(st, 1, out->operator_id, sizeof(out->operator_id));
			copy_col(st, 2, out->email, sizeof(out->email));
			copy_col(st, 3, out->account_id, sizeof(out->account_id));
			out->mode = db_col_int(st, 4) ? MODE_LIVE : MODE_TEST;
			copy_col(st, 5, out->csrf, sizeof(out->csrf));
			out->expires_ms = db_col_int64(st, 6);
			out->role = dash_role_parse((const char *)db_col_text(st, 7));
			rc = 0;
		} else {
			rc = r == DB_DONE ? 1 : db_fail(err, c->db, "dashboard session");
		}
		db_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

struct switch_job {
	const char *hash, *account_id;
	enum store_mode mode;
};

static int session_switch_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct switch_job *j = ctx;
	db_stmt *st = prepare(c, "UPDATE dashboard_sessions SET account_id = ?, mode = ?"
				      " WHERE token_hash = ?", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, j->account_id);
	db_bind_int(st, 2, (int)j->mode);
	db_bind_text(st, 3, j->hash);
	return sq_change(c, st, "dashboard", err);
}

int dash_session_switch(struct store *s, const char *token_hash, const char *account_id,
			enum store_mode mode, struct api_error *err)
{
	struct switch_job j = { token_hash, account_id, mode };
	return sq_submit_and_wait(s, session_switch_job, &j, err);
}

static int session_delete_job(struct conn *c, void *ctx, struct api_error *err)
{
	db_stmt *st = prepare(c, "DELETE FROM dashboard_sessions WHERE token_hash = ?", err);
	if (!st)
		return -1;
	db_bind_text(st, 1, ctx);
	return sq_change(c, st, "dashboard", err);
}

int dash_session_delete(struct store *s, const char *token_hash, struct api_error *err)
{
	return sq_submit_and_wait(s, session_delete_job, (void *)token_hash, err);
}

/* ---- audit log ---- */

struct audit_job {
	const char *actor, *action, *target, *detail;
	long long now_ms;
};

static int audit_add_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct audit_job *j = ctx;
	db_stmt *st = prepare(c, "INSERT INTO audit_log (at_ms, actor, action, target, detail)"
				      " VALUES (?, ?, ?, ?, ?)", err);
	if (!st)
		return -1;
	db_bind_int64(st, 1, j->now_ms);
	db_bind_text(st, 2, j->actor);
	db_bind_text(st, 3, j->action);
	db_bind_text(st, 4, j->target ? j->target : "");
	db_bind_text(st, 5, j->detail ? j->detail : "");
	return sq_change(c, st, "dashboard", err) < 0 ? -1 : 0;
}

int dash_audit_add(struct store *s, const char *actor, const char *action, const char *target,
		   const char *detail, long long now_ms, struct api_error *err)
{
	struct audit_job j = { actor, action, target, detail, now_ms };
	return sq_submit_and_wait(s, audit_add_job, &j, err);
}

int dash_audit_list(struct store *s, long long before, struct dash_audit *out, int max,
		    struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = prepare(c, "SELECT id, at_ms, actor, action, target, detail FROM audit_log"
				      " WHERE id < ? ORDER BY id DESC LIMIT ?", err);
	int n = -1;
	if (st) {
		db_bind_int64(st, 1, before > 0 ? before : (1LL << 62));
		db_bind_int(st, 2, max);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			out[n].id = db_col_int64(st, 0);
			out[n].at_ms = db_col_int64(st, 1);
			copy_col(st, 2, out[n].actor, sizeof(out[n].actor));
			copy_col(st, 3, out[n].action, sizeof(out[n].action));
			copy_col(st, 4, out[n].target, sizeof(out[n].target));
			copy_col(st, 5, out[n].detail, sizeof(out[n].detail));
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "audit log");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}

int dash_piece_counts(struct store *s, const char *account_id, enum store_mode mode,
		      long long since_ms, struct dash_count *out, int max, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	/* piece_days (migration 20): kept by triggers on objects, one row per day, kind and
	 * status; grouping the pieces themselves cost ~50 ms of CPU at 100,000 pieces */
	db_stmt *st = prepare(c, "SELECT kind, status, day - ?3 / 86400000, n FROM piece_days"
				      " WHERE account_id = ?1 AND mode = ?2 AND day >= ?3 / 86400000"
				      " AND n > 0 ORDER BY day, kind, status", err);
	int n = -1;
	if (st) {
		db_bind_text(st, 1, account_id);
		db_bind_int(st, 2, (int)mode);
		db_bind_int64(st, 3, since_ms);
		int r;
		n = 0;
		while ((r = db_step(st)) == DB_ROW && n < max) {
			copy_col(st, 0, out[n].kind, sizeof(out[n].kind));
			copy_col(st, 1, out[n].status, sizeof(out[n].status));
			out[n].day = db_col_int(st, 2);
			out[n].n = db_col_int64(st, 3);
			n++;
		}
		if (r != DB_ROW && r != DB_DONE)
			n = db_fail(err, c->db, "dashboard counts");
		db_finalize(st);
	}
	conn_release(s, c);
	return n;
}
