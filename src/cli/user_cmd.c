// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank user grant --data DIR --email E --account ID --role owner|member|viewer: a user's
 * role in an account, for the dashboard (store/dashboard_store.h). A user made by
 * `frank user create` owns the account it was made for; grant adds others or changes a role.
 */
#include "c321/access.h"
#include "cli/commands.h"
#include "core/timeutil.h"
#include "store/c321_store.h"
#include "store/dashboard_store.h"
#include <stdio.h>
#include <string.h>

int cmd_user_grant(struct cli_args *a)
{
	char email[ACCESS_EMAIL_MAX + 1];
	struct api_error err = { .kind = ERR_NONE };
	enum dash_role role = dash_role_parse(a->role);
	if (!a->email || !a->account || role == ROLE_NONE) {
		fprintf(stderr, "usage: frank user grant --data DIR --email E --account ID "
				"--role owner|member|viewer\n");
		return 2;
	}
	if (access_email_normalize(a->email, email, sizeof(email), &err) < 0) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 2;
	}
	struct store *s = cli_open_store(a->data);
	if (!s)
		return 1;
	struct c321_user u;
	int rc = 1, found = c321_user_by_email(s, email, &u, &err);
	if (found == 1)
		fprintf(stderr, "frank: no user %s (frank user create makes one)\n", email);
	else if (found < 0)
		fprintf(stderr, "frank: %s\n", err.message);
	else if (!store_account_exists(s, a->account))
		fprintf(stderr, "frank: no account %s\n", a->account);
	else if (dash_member_set(s, u.id, a->account, role, clock_now_ms(), &err) < 0)
		fprintf(stderr, "frank: %s\n", err.message);
	else {
		printf("{\"user_id\":\"%s\",\"account_id\":\"%s\",\"role\":\"%s\"}\n", u.id,
		       a->account, dash_role_name(role));
		rc = 0;
	}
	store_free(s);
	return rc;
}
