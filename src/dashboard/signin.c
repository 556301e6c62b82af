// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Signing in and out of the dashboard, and switching the account and the mode (test or
 * live data, as Lob's dashboard switches them). Users are the /api/v1 users (one user table
 * for both), operators the mail room's; both sign in with e-mail and password (argon2id),
 * counted by ratelimit_signin.h. The session is a random token in an HttpOnly,
 * SameSite=Strict cookie (Secure behind HTTPS); only its hash is stored.
 */
#include "dashboard/pages.h"
#include "c321/access.h"
#include "core/ids.h"
#include "core/timeutil.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "http/auth.h"
#include "http/ratelimit_signin.h"
#include "store/c321_store.h"
#include "store/dashboard_store.h"
#include "store/operator_store.h"
#include <stdio.h>
#include <string.h>

#define SESSION_TTL_MS (12LL * 3600 * 1000)	/* a working day; signing out ends it sooner */

/* only a path of the dashboard itself: never another site ("//evil", "https://…") */
static const char *safe_next(const char *next, bool op)
{
	if (next && strncmp(next, "/dashboard", 10) == 0 && !strchr(next, '\\') &&
	    !strstr(next, "//") && !strchr(next, '\r') && !strchr(next, '\n'))
		return next;
	return op ? "/dashboard/mailroom" : "/dashboard/";
}

static bool secure_cookie(const struct req *rq)
{
	return (rq->h.forwarded_proto && strcmp(rq->h.forwarded_proto, "https") == 0) ||
	       (rq->app->public_url && strncmp(rq->app->public_url, "https://", 8) == 0);
}

static int signin_form(struct req *rq, int status, const char *email, const char *error,
		       struct api_error *err)
{
	json_t *ctx = json_pack("{ssssss?}", "email", email ? email : "", "next",
				view_query(rq, "next", view_form(rq, "next") ? view_form(rq, "next")
									     : ""),
				"error", error);
	int rc = view_page(rq, status, "signin", "Sign in", ctx, err);
	if (rc == 0 && status == 429)
		req_add_header(rq, "Retry-After", "60");
	return rc;
}

static int signin_page(struct req *rq, struct api_error *err)
{
	char token[128];
	if (auth_dashboard_token(rq, token, sizeof(token)) == 0) {
		struct dash_session ds;
		char hash[65];
		ids_sha256_hex(token, strlen(token), hash);
		if (dash_session_get(rq->app->store, hash, rq->now_ms, &ds, err) == 0)
			return view_redirect(rq, safe_next(view_query(rq, "next", NULL),
							   ds.operator_id[0]),
					     NULL);
	}
	return signin_form(rq, 200, NULL, NULL, err);
}

/* who signs in: a user with an account, or an operator. 0 found, 1 wrong, -1 error */
static int find_person(struct req *rq, const char *email, const char *password,
		       struct dash_session *ds, struct api_error *err)
{
	struct c321_user u;
	int rc = c321_user_by_email(rq->app->store, email, &u, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		if (!access_password_verify(u.password_hash, password))
			return 1;
		struct dash_membership m[1];
		int n = dash_member_list(rq->app->store, u.id, m, 1, err);
		if (n < 0)
			return -1;
		if (n == 0)
			return 1;	/* a user of no account: nothing to show */
		snprintf(ds->user_id, sizeof(ds->user_id), "%s", u.id);
		snprintf(ds->account_id, sizeof(ds->account_id), "%s", m[0].account_id);
		return 0;
	}
	struct operator_rec op;
	rc = operator_by_email(rq->app->store, email, &op, err);
	if (rc < 0)
		return -1;
	/* an unknown e-mail costs the same argon2id time as a wrong password */
	if (!access_password_verify(rc == 0 ? op.password_hash : NULL, password) || rc != 0)
		return 1;
	snprintf(ds->operator_id, sizeof(ds->operator_id), "%s", op.id);
	return 0;
}

static int signin_submit(struct req *rq, struct api_error *err)
{
	const char *email_in = view_form(rq, "email"), *password = view_form(rq, "password");
	char email[ACCESS_EMAIL_MAX + 1];
	struct api_error bad = { .kind = ERR_NONE };
	if (!email_in || !password || !*password ||
	    access_email_normalize(email_in, email, sizeof(email), &bad) < 0)
		return signin_form(rq, 422, email_in, "Enter your e-mail address and password.",
				   err);
	long long wait = signin_limit_take(rq->app->signin, email, req_client(rq), rq->now_ms);
	if (wait > 0)
		return signin_form(rq, 429, email,
				   arena_strfmt(rq->arena,
						"Too many attempts. Please wait %lld seconds and "
						"try again.", wait),
				   err);
	struct dash_session ds;
	memset(&ds, 0, sizeof(ds));
	int rc = find_person(rq, email, password, &ds, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return signin_form(rq, 401, email, "That e-mail address and password do not match.",
				   err);
	char token[80], hash[65];
	if (ids_random_hex("", 32, token, sizeof(token)) < 0 ||
	    ids_random_hex("", 32, ds.csrf, sizeof(ds.csrf)) < 0)
		return api_fail(err, ERR_INTERNAL, "no randomness for a session");
	snprintf(ds.email, sizeof(ds.email), "%s", email);
	ds.mode = MODE_TEST;	/* as Lob's dashboard: test data first */
	ds.expires_ms = rq->now_ms + SESSION_TTL_MS;
	ids_sha256_hex(token, strlen(token), hash);
	if (dash_session_insert(rq->app->store, hash, &ds, rq->now_ms, err) < 0)
		return -1;
	req_add_header(rq, "Set-Cookie",
		       arena_strfmt(rq->arena,
				    AUTH_DASHBOARD_COOKIE "=%s; Path=/; Max-Age=%lld; HttpOnly; "
				    "SameSite=Strict%s",
				    token, SESSION_TTL_MS / 1000, secure_cookie(rq) ? "; Secure" : ""));
	if (ds.operator_id[0]) {
		rq->dash = &ds;	/* the audit entry's actor */
		view_audit(rq, "operator.signin", ds.operator_id, "");
		rq->dash = NULL;
	}
	return view_redirect(rq, safe_next(view_form(rq, "next"), ds.operator_id[0]), NULL);
}

static int signout(struct req *rq, struct api_error *err)
{
	char token[128], hash[65];
	if (auth_dashboard_token(rq, token, sizeof(token)) == 0) {
		ids_sha256_hex(token, strlen(token), hash);
		if (dash_session_delete(rq->app->store, hash, err) < 0)
			return -1;
	}
	req_add_header(rq, "Set-Cookie", AUTH_DASHBOARD_COOKIE "=; Path=/; Max-Age=0; HttpOnly; "
							       "SameSite=Strict");
	rq->dash = NULL;
	return view_redirect(rq, "/dashboard/signin", "You are signed out.");
}

/* another account the user belongs to, or the other mode */
static int switch_view(struct req *rq, struct api_error *err)
{
	const char *account = view_form(rq, "account_id"), *mode = view_form(rq, "mode");
	const struct dash_session *ds = rq->dash;
	char target[40];
	snprintf(target, sizeof(target), "%s", account && *account ? account : ds->account_id);
	struct dash_membership m[32];
	int n = dash_member_list(rq->app->store, ds->user_id, m, 32, err);
	if (n < 0)
		return -1;
	bool member = false;
	for (int i = 0; i < n; i++)
		member |= strcmp(m[i].account_id, target) == 0;
	if (!member) {
		api_fail(err, ERR_UNAUTHORIZED, "You do not belong to that account.");
		err->status = 403;
		return -1;
	}
	enum store_mode to = mode ? (strcmp(mode, "live") == 0 ? MODE_LIVE : MODE_TEST) : ds->mode;
	char token[128], hash[65];
	if (auth_dashboard_token(rq, token, sizeof(token)) != 0)
		return api_fail(err, ERR_UNAUTHORIZED, "Please sign in to continue.");
	ids_sha256_hex(token, strlen(token), hash);
	if (dash_session_switch(rq->app->store, hash, target, to, err) < 0)
		return -1;
	return view_redirect(rq, "/dashboard/",
			     to == MODE_LIVE ? "Showing live data." : "Showing test data.");
}

static int to_dashboard(struct req *rq, struct api_error *err)
{
	(void)err;
	return view_redirect(rq, "/dashboard/", NULL);
}

int dash_overview(struct req *rq, struct api_error *err);

const struct route dash_core_routes[] = {
	{ HTTP_GET, "/", to_dashboard, NULL, 0, DASH_SCOPE_PUBLIC, 0 },
	{ HTTP_GET, "/dashboard/signin", signin_page, NULL, 0, DASH_SCOPE_PUBLIC, 0 },
	{ HTTP_POST, "/dashboard/signin", signin_submit, NULL, 0, DASH_SCOPE_PUBLIC, R_BODY },
	{ HTTP_POST, "/dashboard/signout", signout, NULL, 0, DASH_SCOPE_ANY, R_BODY },
	{ HTTP_POST, "/dashboard/switch", switch_view, NULL, 0, DASH_SCOPE_VIEWER, R_BODY },
	{ HTTP_GET, "/dashboard/static/{id}", dash_static, NULL, 0, DASH_SCOPE_PUBLIC, 0 },
	{ HTTP_GET, "/dashboard", dash_overview, NULL, 0, DASH_SCOPE_ANY, 0 },
	{ .pattern = NULL }
};
