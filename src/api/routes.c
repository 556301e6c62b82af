/* Every family's route rows, in match order; and the public health check. */
#include "http/response.h"
#include "http/route.h"

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
extern const struct route self_mailer_routes[];
extern const struct route check_routes[];
extern const struct route snap_pack_routes[];
extern const struct route booklet_routes[];
extern const struct route asset_routes[];
/* the 321certified-style API (/api/v1): router.c hands its paths to c321_dispatch */
extern const struct route c321_account_routes[];
extern const struct route c321_mailing_routes[];
extern const struct route c321_doc_routes[];
extern const struct route c321_pricing_routes[];
extern const struct route c321_address_routes[];

static int health(struct req *rq, struct api_error *err)
{
	(void)err;
	json_t *body = json_pack("{ss}", "status", "ok");
	respond_json(rq, 200, body);
	json_decref(body);
	return 0;
}

static const struct route system_routes[] = {
	{ HTTP_GET, "/healthz", health, NULL, 0, NULL, R_NO_AUTH },
	{ .pattern = NULL }
};

const struct route *const route_tables[] = {
	system_routes,
	address_routes,
	verification_routes,
	event_routes,
	template_routes,
	billing_group_routes,
	bank_account_routes,
	letter_routes,
	postcard_routes,
	self_mailer_routes,
	check_routes,
	snap_pack_routes,
	booklet_routes,
	piece_file_routes,
	webhook_routes,
	frank_admin_routes,
	settings_routes,
	tracking_routes,
	operator_routes,
	asset_routes,
	c321_account_routes,
	c321_mailing_routes,
	c321_doc_routes,
	c321_pricing_routes,
	c321_address_routes,
	NULL
};
