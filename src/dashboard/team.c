// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The team page: who belongs to the account shown and with what role. Everyone in it can
 * look; owners add people (an existing user by e-mail, or a new user with a first password
 * they pass on), change roles and remove people. The account always keeps an owner
 * (dash_member_change refuses the last one in its own transaction). Every change is in the
 * audit log.
 */
#include "dashboard/pages.h"
#include "c321/access.h"
#include "dashboard/view.h"
#include "http/app.h"
#include "store/c321_store.h"
#include "store/dashboard_store.h"
#include <stdio.h>
#include <string.h>

#define TEAM_MAX 200

static int team_page(struct req *rq, int status, const char *error, struct api_error *err)
{
	struct dash_member *m = arena_alloc(rq->arena, sizeof(*m) * TEAM_MAX);
	int n = dash_member_list_account(rq->app->store, rq->dash->account_id, m, TEAM_MAX, err);
	if (n < 0)
		return -1;
	json_t *people = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
			people, json_pack("{sssssssssbsbsbsb}", "id", m[i].user_id, "email",
					  m[i].email, "role", dash_role_name(m[i].role), "since",
					  view_time(rq, m[i].since_ms), "you",
					  strcmp(m[i].user_id, rq->dash->user_id) == 0, "owner",
					  m[i].role == ROLE_OWNER, "member", m[i].role == ROLE_MEMBER,
					  "viewer", m[i].role == ROLE_VIEWER));
	json_t *ctx = json_pack("{soss?ss}", "people", people, "error", error, "email",
				view_form(rq, "email") ? view_form(rq, "email") : "");
	return view_page(rq, status, "team", "Team", ctx, err);
}

static int team_get(struct req *rq, struct api_error *err)
{
	return team_page(rq, 200, NULL, err);
}

/* adds someone: an existing user by e-mail, else a new user with the password given */
static int team_add(struct req *rq, struct api_error *err)
{
	const char *email_in = view_form(rq, "email"), *password = view_form(rq, "password");
	enum dash_role role = dash_role_parse(view_form(rq, "role"));
	char email[ACCESS_EMAIL_MAX + 1];
	struct api_error bad = { .kind = ERR_NONE };
	if (role == ROLE_NONE)
		return team_page(rq, 422, "Choose a role: owner, member or viewer.", err);
	if (!email_in || access_email_normalize(email_in, email, sizeof(email), &bad) < 0)
		return team_page(rq, 422, "Enter a valid e-mail address.", err);
	struct c321_user u;
	int rc = c321_user_by_email(rq->app->store, email, &u, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {	/* a new user: a first password is needed */
		if (!password || !*password)
			return team_page(rq, 422,
					 "There is no user with this e-mail yet: give a first "
					 "password (at least 8 characters) to create one.",
					 err);
		if (c321_user_create(rq->app->store, rq->dash->account_id, email, password,
				     rq->now_ms, u.id, &bad) < 0)
			return bad.kind == ERR_INTERNAL ? (*err = bad, -1)
							: team_page(rq, 422, bad.message, err);
	}
	if (dash_member_set(rq->app->store, u.id, rq->dash->account_id, role, rq->now_ms, err) < 0)
		return -1;
	view_audit(rq, "team.add", u.id, arena_strfmt(rq->arena, "%s as %s", email,
							dash_role_name(role)));
	return view_redirect(rq, "/dashboard/team",
			     arena_strfmt(rq->arena, "%s is now %s.", email, dash_role_name(role)));
}

static int team_change(struct req *rq, enum dash_role role, struct api_error *err)
{
	int rc = dash_member_change(rq->app->store, rq->path_id, rq->dash->account_id, role, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return api_fail(err, ERR_NOT_FOUND, "That person is not in this account.");
	if (rc == 2)
		return team_page(rq, 409,
				 "The account needs an owner: make someone else owner first.", err);
	view_audit(rq, role == ROLE_NONE ? "team.remove" : "team.role", rq->path_id,
		   dash_role_name(role));
	bool self = strcmp(rq->path_id, rq->dash->user_id) == 0;
	return view_redirect(rq, self && role < ROLE_OWNER ? "/dashboard/" : "/dashboard/team",
			     role == ROLE_NONE ? "Removed from the account." : "Role changed.");
}

static int team_role(struct req *rq, struct api_error *err)
{
	enum dash_role role = dash_role_parse(view_form(rq, "role"));
	if (role == ROLE_NONE)
		return team_page(rq, 422, "Choose a role: owner, member or viewer.", err);
	return team_change(rq, role, err);
}

static int team_remove(struct req *rq, struct api_error *err)
{
	return team_change(rq, ROLE_NONE, err);
}

const struct route dash_team_routes[] = {
	{ HTTP_GET, "/dashboard/team", team_get, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/team", team_add, NULL, 0, DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/team/{id}/role", team_role, NULL, 0, DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/team/{id}/remove", team_remove, NULL, 0, DASH_SCOPE_OWNER,
	  R_BODY },
	{ .pattern = NULL }
};
