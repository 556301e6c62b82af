/*
 * Campaigns (/v1/campaigns): what creatives and the send jobs share with the handlers.
 * A campaign is a draft until POST /v1/campaigns/{id}/send (is_draft false from then on);
 * its one creative is kept in its `creatives` (refreshed on reads); its upload is the upload
 * object whose campaignId names it.
 */
#ifndef FRANK_API_CAMPAIGNS_H
#define FRANK_API_CAMPAIGNS_H
#include <stdbool.h>
#include <jansson.h>
#include "api/resource.h"

struct jobs;
struct app;

#define JOB_CAMPAIGN_SEND "campaign.send"
#define JOB_CAMPAIGN_CANCEL "campaign.cancel"

extern const struct resource campaign_res;

/* sent: is_draft turned false by the send (a PATCH cannot do it) */
bool campaign_is_sent(const json_t *cmp);
/* the campaign's stored JSON (arena): 0, or -1 with not_found */
int campaign_load(struct req *rq, const char *id, char **json, struct api_error *err);
/*
 * A change (for res_commit) that applies fn to campaign id inside the transaction (its
 * date_modified moves); the set fails with fn's error, or not_found if the campaign is gone.
 */
struct store_change *campaign_change(struct req *rq, const char *id, res_mutate_fn fn,
				     void *ctx);

/*
 * POST /v1/campaigns/{id}/send without its transport (the handler and `frank campaign send`):
 * every check, then ch[0..2) — the campaign turned sent, its campaign.send job — to commit
 * in one change set, and the campaign as it will answer. 0, or -1 with Lob's error.
 */
int campaign_send_changes(struct req *rq, const char *id, struct store_change **ch,
			  json_t **response, struct api_error *err);

/* registers campaign.send and campaign.cancel on j (before jobs_start); app outlives j */
int campaign_jobs_register(struct jobs *j, struct app *app);
#endif
