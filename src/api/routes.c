// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Every family's route rows, in match order, each with its profile (http/route.h); and the
 * public health check. The router gets them from main through app->routes.
 */
#include "dashboard/pages.h"
#include "api/routes.h"
#include "api/links.h"
#include "api/metrics.h"
#include "api/resource.h"
#include "http/response.h"

extern const struct route address_routes[];
extern const struct route verification_routes[];
extern const struct route event_routes[];
extern const struct route frank_admin_routes[];
extern const struct route template_routes[];
extern const struct route billing_group_routes[];
extern const struct route bank_account_routes[];
extern const struct route settings_routes[];
extern const struct route letter_routes[];
extern const struct route piece_file_routes[];
extern const struct route webhook_routes[];
extern const struct route postcard_routes[];
extern const struct route tracking_routes[];
extern const struct route operator_routes[];
extern const struct route print_run_routes[];
extern const struct route piece_why_routes[];
extern const struct route production_piece_why_routes[];
extern const struct route piece_rerender_routes[];
extern const struct route self_mailer_routes[];
extern const struct route check_routes[];
extern const struct route snap_pack_routes[];
extern const struct route booklet_routes[];
extern const struct route asset_routes[];
extern const struct route c321_account_routes[];
extern const struct route c321_mailing_routes[];
extern const struct route c321_doc_routes[];
extern const struct route c321_pricing_routes[];
extern const struct route c321_address_routes[];
/* campaigns (issue 15): creatives and campaigns */
extern const struct route creative_routes[];
extern const struct route campaign_routes[];
/* uploads (issue 15): audience files of campaigns */
extern const struct route upload_routes[];
/* Informed Delivery campaigns (issue 16) and the mail room's export of them */
extern const struct route informed_delivery_routes[];
extern const struct route informed_delivery_export_routes[];
extern const struct route informed_delivery_outcome_routes[];
/* short links, custom domains and QR code analytics (issue 16) */
extern const struct route link_routes[];
extern const struct route domain_routes[];
extern const struct route qr_analytics_routes[];
/* the credits ledger (issue 16): balance, rows, operator credits */
extern const struct route ledger_routes[];
extern const struct route ledger_operator_routes[];
/* resource proofs (issue 16) */
extern const struct route resource_proof_routes[];
/* inserts (issue 16): buckslips and cards with their orders */
extern const struct route buckslip_routes[];
extern const struct route card_routes[];
extern const struct route insert_order_operator_routes[];

static int health(struct req *rq, struct api_error *err)
{
	(void)err;
	json_t *body = json_pack("{ss}", "status", "ok");
	respond_json(rq, 200, body);
	json_decref(body);
	return 0;
}

static const struct route system_routes[] = {
	{ HTTP_GET, "/healthz", health, NULL, 0, NULL, 0 },
	{ HTTP_GET, "/readyz", api_readyz, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};

/* on the main listener, metrics are an operator's */
static const struct route metrics_routes[] = {
	{ HTTP_GET, "/metrics", api_metrics, NULL, 0, NULL, 0 },
	{ .pattern = NULL }
};

static const struct route_family families[] = {
	{ &route_profile_public, system_routes },
	{ &route_profile_lob, address_routes },
	{ &route_profile_lob, verification_routes },
	{ &route_profile_lob, event_routes },
	{ &route_profile_lob, template_routes },
	{ &route_profile_lob, billing_group_routes },
	{ &route_profile_lob, bank_account_routes },
	{ &route_profile_lob, letter_routes },
	{ &route_profile_lob, postcard_routes },
	{ &route_profile_lob, self_mailer_routes },
	{ &route_profile_lob, check_routes },
	{ &route_profile_lob, snap_pack_routes },
	{ &route_profile_lob, booklet_routes },
	{ &route_profile_public, piece_file_routes },	/* signed links: the signature decides */
	{ &route_profile_lob, webhook_routes },
	{ &route_profile_lob, frank_admin_routes },
	{ &route_profile_lob, settings_routes },
	{ &route_profile_lob, piece_why_routes },
	/* campaigns (issue 15): creatives and campaigns */
	{ &route_profile_lob, creative_routes },
	{ &route_profile_lob, campaign_routes },
	{ &route_profile_operator, tracking_routes },
	{ &route_profile_operator, operator_routes },
	{ &route_profile_operator, print_run_routes },
	{ &route_profile_operator, production_piece_why_routes },
	{ &route_profile_operator, piece_rerender_routes },
	{ &route_profile_operator, metrics_routes },
	{ &route_profile_public, asset_routes },
	/* uploads (issue 15): audience files of campaigns */
	{ &route_profile_lob, upload_routes },
	/* Informed Delivery campaigns (issue 16) and the mail room's export of them */
	{ &route_profile_lob, informed_delivery_routes },
	{ &route_profile_operator, informed_delivery_export_routes },
	{ &route_profile_operator, informed_delivery_outcome_routes },
	/* short links, custom domains and QR code analytics (issue 16) */
	{ &route_profile_lob, link_routes },
	{ &route_profile_lob, domain_routes },
	{ &route_profile_lob, qr_analytics_routes },
	/* the credits ledger (issue 16): balance, rows, operator credits */
	{ &route_profile_lob, ledger_routes },
	{ &route_profile_operator, ledger_operator_routes },
	/* resource proofs (issue 16) */
	{ &route_profile_lob, resource_proof_routes },
	/* inserts (issue 16): buckslips and cards with their orders */
	{ &route_profile_lob, buckslip_routes },
	{ &route_profile_lob, card_routes },
	{ &route_profile_operator, insert_order_operator_routes },
	/* the 321certified-style API */
	{ &route_profile_321, c321_account_routes },
	{ &route_profile_321, c321_mailing_routes },
	{ &route_profile_321, c321_doc_routes },
	{ &route_profile_321, c321_pricing_routes },
	{ &route_profile_321, c321_address_routes },
	/* the dashboard (issue 18): pages for senders and the mail room */
	{ &route_profile_dashboard, dash_core_routes },
	{ &route_profile_dashboard, dash_team_routes },
	{ &route_profile_dashboard, dash_account_routes },
	{ &route_profile_dashboard, dash_piece_routes },
	{ &route_profile_dashboard, dash_template_routes },
	{ &route_profile_dashboard, dash_mailroom_routes },
	{ NULL, NULL }
};

static const struct route_prefix prefixes[] = {
	{ "/api/v1", &route_profile_321 },
	{ "/dashboard", &route_profile_dashboard },
	{ NULL, NULL }
};

const char *api_resource_kind(const struct resource *res)
{
	return res->kind;
}

/* --metrics-listen: an address of its own, for the scraper alone, without credentials */
static const struct route_family metrics_listener_families[] = {
	{ &route_profile_public, system_routes },
	{ &route_profile_public, metrics_routes },
	{ NULL, NULL }
};

const struct route_registry api_metrics_listener_routes = {
	.families = metrics_listener_families,
	.prefixes = prefixes,
	.resource_kind = api_resource_kind,
	.replay = res_respond_existing,
};

const struct route_registry api_routes = {
	.families = families,
	.prefixes = prefixes,
	.resource_kind = api_resource_kind,
	.replay = res_respond_existing,
	.by_host = links_by_host,
};
