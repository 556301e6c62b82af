// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Store calls of the dashboard (migration 15, docs/internals/dashboard.md): which accounts a
 * user belongs to and with what role, signed-in sessions (a user's or an operator's), and the
 * mail room's audit log. Users are the /api/v1 users (c321_store.h: one user table for both);
 * operators are operator_store.h's. Session tokens arrive hashed: nothing here sees a token.
 */
#ifndef FRANK_STORE_DASHBOARD_STORE_H
#define FRANK_STORE_DASHBOARD_STORE_H
#include <stdbool.h>
#include "core/err.h"
#include "store/store.h"

enum dash_role { ROLE_NONE = 0, ROLE_VIEWER = 1, ROLE_MEMBER = 2, ROLE_OWNER = 3 };

/* "owner", "member", "viewer" → role, ROLE_NONE if unknown; and back */
enum dash_role dash_role_parse(const char *name);
const char *dash_role_name(enum dash_role r);

struct dash_membership {
	char account_id[40];
	char account_name[128];
	enum dash_role role;
};

/* 0 stored (or the role changed), -1 error */
int dash_member_set(struct store *s, const char *user_id, const char *account_id,
		    enum dash_role role, long long now_ms, struct api_error *err);
/* the user's accounts, oldest membership first, at most max: the number, or -1 */
int dash_member_list(struct store *s, const char *user_id, struct dash_membership *out, int max,
		     struct api_error *err);

/* the people of an account (the team page), by e-mail */
struct dash_member {
	char user_id[40];
	char email[256];
	enum dash_role role;
	long long since_ms;
};
/* the account's members sorted by e-mail, at most max: the number, or -1 */
int dash_member_list_account(struct store *s, const char *account_id, struct dash_member *out,
			     int max, struct api_error *err);
/*
 * Changes a member's role (role) or removes the member (ROLE_NONE), refusing to leave the
 * account without an owner: 0 done, 1 not a member, 2 refused (the last owner), -1 error.
 * One transaction, so two owners demoting each other at once cannot both succeed.
 */
int dash_member_change(struct store *s, const char *user_id, const char *account_id,
		       enum dash_role role, struct api_error *err);

/* a signed-in dashboard session: a user (user_id) or an operator (operator_id) */
struct dash_session {
	char user_id[40];	/* usr_…, or "" for an operator */
	char operator_id[40];	/* op_…, or "" for a user */
	char email[256];
	char account_id[40];	/* the account shown now ("" for an operator without one) */
	enum store_mode mode;	/* test or live data, switched as in Lob's dashboard */
	enum dash_role role;	/* in account_id (operators: ROLE_NONE) */
	char csrf[65];		/* the form token of this session */
	long long expires_ms;
};

/* stores a session under token_hash; expired sessions are removed on the way. 0 or -1 */
int dash_session_insert(struct store *s, const char *token_hash, const struct dash_session *ds,
			long long now_ms, struct api_error *err);
/*
 * The unexpired session of token_hash, with the role read fresh from the membership (a role
 * taken away takes effect at once): 0 found, 1 none, -1 error.
 */
int dash_session_get(struct store *s, const char *token_hash, long long now_ms,
		     struct dash_session *out, struct api_error *err);
/* switches the session's account and mode (the caller checked the membership). 0, 1, -1 */
int dash_session_switch(struct store *s, const char *token_hash, const char *account_id,
			enum store_mode mode, struct api_error *err);
/* 0 removed, 1 none, -1 error */
int dash_session_delete(struct store *s, const char *token_hash, struct api_error *err);

/* ---- the overview: pieces per day and status ---- */

struct dash_count {
	char kind[24];		/* "letter", … */
	char status[32];	/* the piece's status; "canceled" for a canceled one */
	int day;		/* days since since_ms */
	long long n;
};

/* mail pieces of the account and mode created since since_ms (the start of a UTC day),
 * counted per kind, status and day: read from the per-day counts the store keeps as pieces
 * change (at most days x kinds x statuses rows, however many pieces). Rows (at most max) or -1 */
int dash_piece_counts(struct store *s, const char *account_id, enum store_mode mode,
		      long long since_ms, struct dash_count *out, int max, struct api_error *err);

/* ---- the audit log: what operators (and owners) did in the dashboard ---- */

struct dash_audit {
	long long id;
	long long at_ms;
	char actor[256];	/* the e-mail of who did it */
	char action[64];	/* "print_run.cut", "lot.mailed", … */
	char target[64];	/* the object's id */
	char detail[512];
};

/* appends one entry; 0 or -1 */
int dash_audit_add(struct store *s, const char *actor, const char *action, const char *target,
		   const char *detail, long long now_ms, struct api_error *err);
/* entries newest first, those with id < before (0: from the newest), at most max: n or -1 */
int dash_audit_list(struct store *s, long long before, struct dash_audit *out, int max,
		    struct api_error *err);
#endif
