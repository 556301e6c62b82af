// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A template's live preview: the published version rendered by Frank's own engine, as a
 * letter to a sample recipient with the sample merge variables the user typed. The preview
 * is a resource proof (POST /v1/resource_proofs, drawn by the render jobs: the same HTML
 * renderer, page size and stamping as a letter); the page shows its PNG thumbnail and links
 * its PDF, both Frank's signed asset links on this origin: the customer's HTML never enters
 * the dashboard's page. The render runs in the background; the page shows "rendering" with a
 * link to look again (frank.js looks by itself), and gives up waiting after PREVIEW_WAIT_MS.
 * The render itself is bounded by the renderer's timeout (docs/internals/render_chromium.md).
 */
#include "dashboard/templates_pages.h"
#include "core/html.h"
#include "core/timeutil.h"
#include "dashboard/view.h"
#include <stdlib.h>
#include <string.h>

#define PREVIEW_WAIT_MS 60000	/* past this, the page stops waiting for a render */
#define VARS_MAX 20000		/* bytes of sample merge variables */
#define VARS_IN_LINK 1500	/* at most this many are kept in the page's link */

/* where the sample letter goes: an address the verification rules accept */
static json_t *sample_address(const char *name)
{
	return json_pack("{ssssssssss}", "name", name, "address_line1", "210 King St",
			 "address_city", "San Francisco", "address_state", "CA", "address_zip",
			 "94107");
}

int dash_template_preview(struct req *rq, struct api_error *err)
{
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "template not found");
	const char *text = view_form(rq, "merge_variables");
	if (!text || !*text)
		text = "{}";
	if (strlen(text) > VARS_MAX)
		return dash_template_preview_refused(
			rq, "The merge variables are too long (at most 20,000 characters).", err);
	json_error_t jerr;
	json_t *vars = arena_own_json(rq->arena, json_loads(text, 0, &jerr));
	if (!json_is_object(vars))
		return dash_template_preview_refused(
			rq,
			vars ? "The merge variables must be a JSON object, like {\"name\": \"Ada\"}."
			     : arena_strfmt(rq->arena,
					    "The merge variables are not valid JSON (line %d: %s).",
					    jerr.line, jerr.text),
			err);
	/* a letter proof: template_id ties the proof to the template its page shows */
	json_t *params = json_object();
	json_object_set_new(params, "to", sample_address("Sample Recipient"));
	json_object_set_new(params, "from", sample_address("Sample Sender"));
	json_object_set_new(params, "file", json_string(rq->path_id));
	json_object_set_new(params, "color", json_true());
	json_object_set_new(params, "use_type", json_string("operational"));
	json_object_set(params, "merge_variables", vars);
	json_t *body = arena_own_json(rq->arena, json_pack("{ssssso}", "resource_type", "letter",
							   "template_id", rq->path_id,
							   "resource_parameters", params));
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/resource_proofs", body, &a) / 100 != 2)
		return dash_template_preview_refused(rq, dash_answer_message(&a), err);
	/* the variables ride along in the link when short, so the form shows them again */
	const char *keep = strlen(text) <= VARS_IN_LINK
				   ? arena_strfmt(rq->arena, "&vars=%s", url_encode(rq->arena, text))
				   : "";
	return view_redirect(rq,
			     arena_strfmt(rq->arena, "/dashboard/templates/%s?proof=%s%s#preview",
					  rq->path_id, dash_str(a.json, "id"), keep),
			     NULL);
}

void dash_template_preview_ctx(struct req *rq, json_t *ctx)
{
	const char *id = view_query(rq, "proof", NULL);
	struct dash_answer a;
	if (!dash_id_ok(id) ||
	    dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/resource_proofs/%s", id), NULL,
		      &a) != 200)
		return;
	if (strcmp(dash_str(a.json, "template_id"), rq->path_id) != 0)
		return;		/* a proof of something else */
	const char *vars = view_query(rq, "vars", NULL);
	if (vars && strlen(vars) <= VARS_IN_LINK)
		json_object_set_new(ctx, "merge_variables", json_string(vars));
	const char *status = dash_str(a.json, "status");
	json_t *p = json_pack("{ss}", "id", id);
	json_object_set_new(p, "again",
			    json_string(arena_strfmt(rq->arena, "/dashboard/templates/%s?proof=%s%s%s",
						     rq->path_id, id, vars ? "&vars=" : "",
						     vars ? url_encode(rq->arena, vars) : "")));
	if (strcmp(status, "completed") == 0) {
		const json_t *thumb = json_array_get(json_object_get(a.json, "thumbnails"), 0);
		const char *png = dash_local_link(rq, dash_str(thumb, "large"));
		const char *pdf = dash_local_link(rq, dash_str(a.json, "url"));
		json_object_set_new(p, "image", json_string(png ? png : ""));
		json_object_set_new(p, "pdf", json_string(pdf ? pdf : ""));
	} else if (strcmp(status, "failed") == 0) {
		const json_t *e = json_array_get(json_object_get(a.json, "errors"), 0);
		json_object_set_new(p, "failed", json_string(*dash_str(e, "message")
								     ? dash_str(e, "message")
								     : "The preview could not be rendered."));
	} else {
		long long created = 0;
		if (time_parse_iso(dash_str(a.json, "date_created"), &created) == 0 &&
		    rq->now_ms - created > PREVIEW_WAIT_MS)
			json_object_set_new(p, "failed",
					    json_string("The preview did not finish rendering in "
							"60 seconds. Try again, or render a "
							"smaller template."));
		else
			json_object_set_new(p, "rendering", json_true());
	}
	json_object_set_new(ctx, "preview", p);
}
