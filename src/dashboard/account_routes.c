// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The account's pages. Everyone in the account may look; changing webhooks, keys and settings
 * (and seeing secrets) is the owner's, sending a campaign a member's (http/route.h scopes,
 * checked by the router with the form's CSRF token before a handler runs).
 */
#include "dashboard/account.h"
#include "dashboard/pages.h"

const struct route dash_account_routes[] = {
	{ HTTP_GET, "/dashboard/webhooks", acct_webhooks, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/webhooks", acct_webhook_create, NULL, 0, DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_GET, "/dashboard/webhooks/{id}", acct_webhook, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/webhooks/{id}/secret", acct_webhook_reveal, NULL, 0,
	  DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/webhooks/{id}/rotate", acct_webhook_rotate, NULL, 0,
	  DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/webhooks/{id}/delete", acct_webhook_delete, NULL, 0,
	  DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/webhooks/{id}/deliveries/{sub}/retry", acct_webhook_retry, NULL, 0,
	  DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_GET, "/dashboard/keys", acct_keys, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/keys", acct_key_create, NULL, 0, DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/keys/{id}/revoke", acct_key_revoke, NULL, 0, DASH_SCOPE_OWNER,
	  R_BODY },
	{ HTTP_GET, "/dashboard/settings", acct_settings, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/settings", acct_settings_save, NULL, 0, DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/settings/simulation", acct_settings_simulation, NULL, 0,
	  DASH_SCOPE_OWNER, R_BODY },
	{ HTTP_POST, "/dashboard/settings/clock", acct_settings_clock, NULL, 0, DASH_SCOPE_OWNER,
	  R_BODY },
	{ HTTP_GET, "/dashboard/certified", acct_certified, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_GET, "/dashboard/certified/{id}/label", acct_certified_label, NULL, 0,
	  DASH_SCOPE_VIEWER, 0 },
	{ HTTP_GET, "/dashboard/certified/{id}/receipt", acct_certified_receipt, NULL, 0,
	  DASH_SCOPE_VIEWER, 0 },
	{ HTTP_GET, "/dashboard/campaigns", acct_campaigns, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_GET, "/dashboard/campaigns/{id}", acct_campaign, NULL, 0, DASH_SCOPE_VIEWER, 0 },
	{ HTTP_POST, "/dashboard/campaigns/{id}/send", acct_campaign_send, NULL, 0,
	  DASH_SCOPE_MEMBER, R_BODY },
	{ .pattern = NULL }
};
