// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Creatives (/v1/creatives): a letter, postcard or self-mailer design of a campaign (content
 * as HTML, a template id or an https URL; the product's details; the return address).
 * Create checks it exactly as POST /v1/<product> would check a piece of it (the product's
 * prepare function, with a placeholder recipient and no address verification), stores an
 * inline from address, and records the creative in its campaign in the same transaction (a
 * campaign has one creative, added while it is a draft). Get; update (from, description,
 * metadata). Lob has no creative events.
 */
#include "api/creatives.h"
#include "api/campaigns.h"
#include "api/products.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/mail_product.h"
#include "http/app.h"
#include "http/body.h"
#include "http/route.h"
#include "mail/creative_preview.h"
#include "sign/asset_urls.h"
#include <string.h>

static bool campaign_id_ok(const char *v)
{
	return strncmp(v, "cmp_", 4) == 0 && v[4];
}

static json_t *object_field(const struct field *f, const json_t *v, void *ctx,
			    struct api_error *err)
{
	(void)ctx;
	if (!json_is_object(v)) {
		api_fail(err, ERR_INVALID, "%s must be an object", f->name);
		return NULL;
	}
	return json_incref((json_t *)v);
}

/* spec: creative_writable (the three variants) */
static const struct field creative_fields[] = {
	{ "campaign_id", FT_STRING, F_REQUIRED, .max = 40, .check = campaign_id_ok,
	  .pattern = "^cmp_[a-zA-Z0-9]+$" },
	{ "resource_type", FT_STRING, F_REQUIRED, .enum_vals = product_types },
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	{ "from", FT_JSON, 0, .json = piece_any_field },
	{ "details", FT_JSON, 0, .json = object_field },
	{ "file", FT_JSON, 0, .json = piece_any_field },
	{ "front", FT_JSON, 0, .json = piece_any_field },
	{ "back", FT_JSON, 0, .json = piece_any_field },
	{ "inside", FT_JSON, 0, .json = piece_any_field },
	{ "outside", FT_JSON, 0, .json = piece_any_field },
	FIELD_END
};

/* spec: creative_base (PATCH) plus description, as the SDK's CreativePatch sends */
static const struct field creative_update_fields[] = {
	{ "description", FT_STRING, F_NULLABLE, .max = 255 },
	{ "metadata", FT_METADATA, 0, .max = 0 },
	{ "from", FT_JSON, 0, .json = piece_any_field },	/* required in the response */
	FIELD_END
};

static const char *creative_present(struct req *rq, const char *json);

const struct resource creative_res = {
	.kind = "creative",
	.id_prefix = "crv_",
	.fields = creative_fields,
	.update_fields = creative_update_fields,
	.ops = { .present = creative_present },
};

/* Lob's letter add-ons Frank has no inventory of: empty is fine, anything else is not found */
static const char *const empty_addons[] = { "add_on_types", "buckslips", NULL };

json_t *creative_design_body(const json_t *creative)
{
	json_t *body = json_object();
	const char *type = json_string_value(json_object_get(creative, "resource_type"));
	const struct product *pr = product_find(type);
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)json_object_get(creative, "details"), k, v) {
		bool skip = false;
		for (const char *const *a = empty_addons; *a; a++)
			skip |= strcmp(*a, k) == 0;
		/* postcards and self-mailers print in color: the spec's details list it anyway */
		skip |= strcmp(k, "color") == 0 && pr && strcmp(pr->type, "letter") != 0;
		if (!skip)
			json_object_set(body, k, v);
	}
	const struct mail_product *mp = pr ? mail_product_find(pr->type) : NULL;
	for (size_t i = 0; mp && i < MAIL_PRODUCT_MAX_SIDES && mp->sides[i].name; i++)
		json_object_set(body, mp->sides[i].name,
				json_object_get(creative, mp->sides[i].name));
	const json_t *from = json_object_get(creative, "from");
	const json_t *from_id = json_object_get(from, "id");
	if (from && !json_is_null(from))
		json_object_set(body, "from", from_id ? (json_t *)from_id : (json_t *)from);
	return body;
}

/* a recipient for checking a design: never stored, never verified (design_only) */
static json_t *placeholder_to(void)
{
	return json_pack("{ssssssssss}", "name", "Creative Proof", "address_line1",
			 "210 King St", "address_city", "San Francisco", "address_state", "CA",
			 "address_zip", "94107");
}

static int addon_rules(const json_t *details, struct api_error *err)
{
	for (const char *const *a = empty_addons; *a; a++) {
		const json_t *v = json_object_get(details, *a);
		if (v && !json_is_null(v) && !(json_is_array(v) && !json_array_size(v)))
			return api_fail(err, ERR_NOT_FOUND,
					"details.%s: this Frank has no %s inventory", *a,
					strcmp(*a, "buckslips") == 0 ? "buckslip" : "add-on");
	}
	return 0;
}

/* the creative's fields for its product: content required, the others' refused */
static int product_rules(const struct product *pr, const json_t *obj, struct api_error *err)
{
	static const char *const all[] = { "file", "front", "back", "inside", "outside", NULL };
	for (const char *const *c = all; *c; c++) {
		bool mine = false;
		const struct mail_product *mp = mail_product_find(pr->type);
		for (size_t i = 0; mp && i < MAIL_PRODUCT_MAX_SIDES && mp->sides[i].name; i++)
			mine |= strcmp(mp->sides[i].name, *c) == 0;
		const json_t *v = json_object_get(obj, *c);
		if (mine && (!v || json_is_null(v)))
			return api_fail(err, ERR_INVALID, "%s is required for a %s creative", *c,
					pr->type);
		if (!mine && v)
			return api_fail(err, ERR_INVALID, "%s is not allowed for a %s creative", *c,
					pr->type);
		if (mine && body_is_file(v))
			return api_fail(err, ERR_INVALID,
					"%s: uploading a file to a creative is not supported by this "
					"Frank yet; give HTML, a template id (tmpl_…) or an https URL",
					*c);
	}
	if (pr->from_required && !json_object_get(obj, "from"))
		return api_fail(err, ERR_INVALID, "from is required for a %s creative", pr->type);
	const json_t *details = json_object_get(obj, "details");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)details, k, v) {
		bool known = false;
		for (const char *const *d = pr->details; *d; d++)
			known |= strcmp(*d, k) == 0;
		if (!known)
			return api_fail(err, ERR_INVALID, "details.%.60s is not allowed for a %s creative",
					k, pr->type);
	}
	return addon_rules(details, err);
}

/* a request like rq whose body is the piece's: the product's prepare function reads it */
static struct req *as_piece_request(struct req *rq, json_t *body)
{
	struct req *pr = arena_calloc(rq->arena, sizeof(*pr));
	*pr = *rq;
	pr->body_json = arena_own_json(rq->arena, body);
	pr->idem_key = NULL;
	return pr;
}

/* the inline from address the check created, when there was one: its insert */
static struct store_change *from_insert(const struct piece *p)
{
	const char *id = json_string_value(json_object_get(json_object_get(p->obj, "from"), "id"));
	for (size_t i = 0; id && i < p->n_changes; i++)
		if (p->changes[i]->op == STORE_INSERT &&
		    strcmp(p->changes[i]->sc.kind, "address") == 0 &&
		    strcmp(p->changes[i]->obj.id, id) == 0)
			return p->changes[i];
	return NULL;
}

/* the details as the piece has them: coerced (form bodies' "true"), with the product's
 * defaults; the add-ons Frank has none of stay as given (empty) */
static void keep_details(const struct product *pr, json_t *obj, const json_t *piece)
{
	json_t *details = json_object_get(obj, "details");
	json_t *out = json_object();
	for (const char *const *d = pr->details; *d; d++) {
		const json_t *v = json_object_get(piece, *d);
		bool addon = false;
		for (const char *const *a = empty_addons; *a; a++)
			addon |= strcmp(*a, *d) == 0;
		if (addon && json_object_get(details, *d))
			json_object_set(out, *d, json_object_get(details, *d));
		else if (v && !json_is_null(v))
			json_object_set(out, *d, (json_t *)v);
	}
	json_object_set_new(obj, "details", out);
}

/* checks the design as a piece; from becomes its address id (spec: from_attribute), an
 * inline one stored with the creative (*addr) */
static int check_design(struct req *rq, const struct product *pr, json_t *obj,
			struct store_change **addr, struct piece **checked, struct api_error *err)
{
	json_t *body = creative_design_body(obj);
	json_object_set_new(body, "to", placeholder_to());
	json_object_set_new(body, "use_type", json_string("marketing"));
	struct piece *p = arena_calloc(rq->arena, sizeof(*p));
	p->design_only = true;
	if (pr->prepare(as_piece_request(rq, body), p, err) < 0)
		return -1;
	const json_t *from_id = json_object_get(json_object_get(p->obj, "from"), "id");
	if (from_id)
		json_object_set(obj, "from", (json_t *)from_id);
	*addr = from_insert(p);
	keep_details(pr, obj, p->obj);
	if (checked)
		*checked = p;
	return 0;
}

/*
 * The preview of a checked design (mail/creative_preview.h): its render input stored under
 * the creative's name, and the job that renders it. Two changes into ch.
 */
static void preview_changes(struct req *rq, const char *id, const struct piece *p,
			    struct store_change *ch)
{
	const char *hex = strchr(id, '_');
	json_t *input = arena_own_json(rq->arena, json_deep_copy(p->input));
	json_object_set_new(input, "piece_id", json_string(id));
	ch[0] = (struct store_change){ .op = STORE_INSERT, .sc = rq->scope,
				       .obj = { .id = arena_strfmt(rq->arena, "inp_%s", hex + 1),
						.created_ms = rq->now_ms, .updated_ms = rq->now_ms,
						.json = arena_dump_json(rq->arena, input) } };
	ch[0].sc.kind = "piece_input";
	creative_preview_job_change(&ch[1], &rq->scope, id, arena_dump_json(rq->arena, p->obj),
				    rq->now_ms);
}

int creative_check_stored(struct req *rq, const char *id, struct api_error *err)
{
	struct store_scope sc = rq->scope;
	char *json;
	struct store_change *addr;
	sc.kind = "creative";
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "creative %.40s not found", id);
	json_t *obj = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const struct product *pr = product_find(json_string_value(json_object_get(obj, "resource_type")));
	if (!pr)
		return api_fail(err, ERR_INTERNAL, "creative %.40s has no product", id);
	return check_design(rq, pr, obj, &addr, NULL, err);
}

/* campaign.creatives gains this one: only while a draft without a creative */
static int add_to_campaign(struct req *rq, json_t *cmp, void *ctx, struct res_change *out,
			   struct api_error *err)
{
	(void)rq;
	(void)out;
	json_t *creative = ctx;
	if (campaign_is_sent(cmp))
		return api_fail(err, ERR_CONFLICT,
				"campaign %.40s has been sent: its creative cannot change",
				json_string_value(json_object_get(cmp, "id")));
	json_t *list = json_object_get(cmp, "creatives");
	if (json_array_size(list))
		return api_fail(err, ERR_CONFLICT,
				"campaign %.40s already has creative %.40s (update it, or create "
				"another campaign)", json_string_value(json_object_get(cmp, "id")),
				json_string_value(json_object_get(json_array_get(list, 0), "id")));
	json_t *copy = json_deep_copy(creative);
	json_object_del(copy, "campaigns");
	json_object_set_new(cmp, "creatives", json_pack("[o]", copy));
	return 0;
}

static int creative_create(struct req *rq, struct api_error *err)
{
	char *id = arena_alloc(rq->arena, 40);
	if (ids_new(creative_res.id_prefix, id, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *obj = res_build(rq, &creative_res, id, err);
	if (!obj)
		return -1;
	const struct product *pr = product_find(json_string_value(json_object_get(obj, "resource_type")));
	if (!json_object_get(obj, "details"))
		json_object_set_new(obj, "details", json_object());
	const char *cmp_id = json_string_value(json_object_get(obj, "campaign_id"));
	char *cmp_json;
	struct store_change *addr = NULL;
	struct piece *checked = NULL;
	if (product_rules(pr, obj, err) < 0 ||
	    campaign_load(rq, cmp_id, &cmp_json, err) < 0 ||
	    check_design(rq, pr, obj, &addr, &checked, err) < 0)
		return -1;
	json_t *cmp = arena_own_json(rq->arena, json_loads(cmp_json, 0, NULL));
	if (!json_object_get(obj, "from"))
		json_object_set_new(obj, "from", json_null());
	json_object_set_new(obj, "template_preview_urls", json_object());
	json_object_set_new(obj, "template_previews", json_array());
	json_object_set_new(obj, "deleted", json_false());
	json_object_set_new(obj, "campaigns", json_array());
	struct store_change *changes[5];
	size_t n = 0;
	changes[n++] = res_change_insert(rq, &creative_res, obj, true);
	if (addr)
		changes[n++] = addr;
	struct store_change *preview = arena_calloc(rq->arena, 2 * sizeof(*preview));
	preview_changes(rq, id, checked, preview);
	changes[n++] = &preview[0];
	changes[n++] = &preview[1];
	struct api_error check = { 0 };
	if (add_to_campaign(rq, cmp, obj, NULL, &check) < 0) {
		*err = check;
		return -1;
	}
	changes[n++] = campaign_change(rq, cmp_id, add_to_campaign, obj);
	if (!changes[0])
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	json_t *response = arena_own_json(rq->arena, json_deep_copy(obj));
	json_object_set_new(response, "campaigns", json_pack("[O]", cmp));
	return res_commit(rq, changes, n, response, err);
}

/* a link to an asset, signed now (NULL if it cannot be) */
static json_t *signed_link(struct req *rq, const json_t *key)
{
	char url[2048];
	struct api_error err;
	if (!json_string_value(key) ||
	    asset_url(rq->app->data_dir, rq->app->public_url, json_string_value(key), 0, url,
		      sizeof(url), &err) < 0)
		return NULL;
	return json_string(url);
}

/*
 * The rendered preview (mail/creative_preview.h) as links signed now: template_previews
 * holds one preview object (the whole design: its PDF and each page's thumbnails, or why it
 * could not be rendered); template_preview_urls names each artwork field's own page (a
 * postcard's front is page 1, its back page 2; a letter's file is the PDF).
 */
static void preview_links(struct req *rq, json_t *obj)
{
	const json_t *pv = json_object_get(obj, CREATIVE_PREVIEW);
	const struct product *pr = product_find(json_string_value(json_object_get(obj, "resource_type")));
	if (!pv || !pr) {
		json_object_del(obj, CREATIVE_PREVIEW);
		return;
	}
	json_t *item = json_pack("{ss,ss}", "object", "template_preview", "resource_type", pr->type);
	json_t *urls = json_object();
	const json_t *pages = json_object_get(pv, "pages");
	if (json_object_get(pv, "pdf")) {
		static const char *const sizes[3] = { "small", "medium", "large" };
		json_t *thumbs = json_array();
		size_t i;
		const json_t *page;
		json_array_foreach(pages, i, page) {
			json_t *t = json_object();
			for (size_t k = 0; k < 3; k++) {
				json_t *link = signed_link(rq, json_array_get(page, k));
				if (link)
					json_object_set_new(t, sizes[k], link);
			}
			json_array_append_new(thumbs, t);
		}
		json_t *pdf = signed_link(rq, json_object_get(pv, "pdf"));
		json_object_set_new(item, "status", json_string("rendered"));
		json_object_set_new(item, "url", pdf ? pdf : json_null());
		json_object_set_new(item, "thumbnails", thumbs);
		const struct mail_side *sides = mail_product_find(pr->type)->sides;
		bool one_file = sides[0].name && !sides[1].name;
		for (size_t c = 0; c < MAIL_PRODUCT_MAX_SIDES && sides[c].name; c++) {
			json_t *link = one_file ? signed_link(rq, json_object_get(pv, "pdf"))
						: signed_link(rq, json_array_get(json_array_get(pages, c), 2));
			if (link)
				json_object_set_new(urls, sides[c].name, link);
		}
	} else {
		json_object_set_new(item, "status", json_string("failed"));
		json_object_set_new(item, "failure_reason",
				    json_pack("{sOsO}", "failure_reason",
					      json_object_get(pv, "failure_reason"), "remediation",
					      json_object_get(pv, "remediation")));
	}
	json_object_set_new(obj, "template_previews", json_pack("[o]", item));
	json_object_set_new(obj, "template_preview_urls", urls);
	json_object_del(obj, CREATIVE_PREVIEW);
}

/* reads: the preview's links signed now, and campaigns as they are now */
static const char *creative_present(struct req *rq, const char *json)
{
	json_t *obj = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *cmp_id = json_string_value(json_object_get(obj, "campaign_id"));
	char *cmp_json;
	struct api_error err;
	if (obj)
		preview_links(rq, obj);
	if (!obj || !cmp_id || campaign_load(rq, cmp_id, &cmp_json, &err) < 0)
		return obj ? arena_dump_json(rq->arena, obj) : json;
	json_t *cmp = json_loads(cmp_json, 0, NULL);
	json_object_set_new(obj, "campaigns", cmp ? json_pack("[o]", cmp) : json_array());
	const char *out = arena_dump_json(rq->arena, obj);
	return out ? out : json;
}

static int creative_apply_update(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
				 struct api_error *err)
{
	json_t *changes = ctx;
	json_object_update(obj, changes);
	out->metadata = json_object_get(changes, "metadata");
	out->response = arena_own_json(rq->arena, json_loads(creative_present(rq,
						arena_dump_json(rq->arena, obj)), 0, NULL));
	(void)err;
	return 0;
}

static int creative_update(struct req *rq, struct api_error *err)
{
	json_t *changes = arena_own_json(rq->arena, json_object());
	if (fields_validate_update(creative_update_fields, NULL, rq->body_json, rq->arena, changes,
				   rq, err) < 0)
		return -1;
	const json_t *from = json_object_get(changes, "from");
	if (from && !json_is_null(from)) {
		/* a new return address is checked (and an inline one stored) as a letter's */
		char *json;
		if (store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json,
				     err) != 0)
			return api_fail(err, ERR_NOT_FOUND, "creative not found");
		json_t *cur = arena_own_json(rq->arena, json_loads(json, 0, NULL));
		const struct product *pr = product_find(json_string_value(json_object_get(cur, "resource_type")));
		struct store_change *addr = NULL;
		json_object_set(cur, "from", (json_t *)from);
		if (!pr || check_design(rq, pr, cur, &addr, NULL, err) < 0)
			return -1;
		json_object_set(changes, "from", json_object_get(cur, "from"));
		if (addr) {
			/* the new address and the creative in one transaction */
			struct store_change *both[2] = {
				res_change_mutate(rq, &creative_res, rq->path_id,
						  creative_apply_update, changes, false),
				addr };
			json_object_update(cur, changes);
			json_t *response = arena_own_json(rq->arena, json_loads(creative_present(rq,
							arena_dump_json(rq->arena, cur)), 0, NULL));
			return res_commit(rq, both, 2, response, err);
		}
	}
	return res_mutate(rq, rq->path_id, creative_apply_update, changes, false, err);
}

const struct route creative_routes[] = {
	{ HTTP_POST, "/v1/creatives", creative_create, &creative_res, KEY_SECRET, NULL,
	  R_BODY | R_IDEMPOTENT },
	{ HTTP_GET, "/v1/creatives/{id}", res_get, &creative_res, KEY_SECRET, NULL, 0 },
	{ HTTP_PATCH, "/v1/creatives/{id}", creative_update, &creative_res, KEY_SECRET, NULL,
	  R_BODY },
	{ .pattern = NULL }
};
