// SPDX-License-Identifier: AGPL-3.0-or-later
/* Creating and cancelling mail pieces: the parts every product shares (see pieces.h). */
#include "api/pieces.h"
#include "api/list.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "core/timeutil.h"
#include "events/catalogue.h"
#include "events/event.h"
#include "http/app.h"
#include "http/route.h"
#include "av/verify.h"
#include "mail/dates.h"
#include "mail/render_jobs.h"
#include "net/sniff.h"
#include "store/assets.h"
#include "sign/asset_urls.h"
#include "http/body.h"
#include "core/config.h"
#include "template/handlebars.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct resource address_res;

#define SEND_DATE_MAX_DAYS 180

const char *const piece_mail_types[] = { "usps_first_class", "usps_standard", NULL };
const char *const piece_use_types[] = { "marketing", "operational", NULL };
const char *const piece_print_speeds[] = { "core", NULL };
static const char *const piece_statuses[] = { "processed", "rendered", "failed", NULL };

/* spec: the list parameters postcards and self-mailers share (letters add color) */
const struct list_filter piece_list_filters[] = {
	{ "campaign_id", LF_TEXT, "$.campaign_id", NULL },
	{ "status", LF_TEXT, "$.status", piece_statuses },
	{ "scheduled", LF_SCHEDULED, NULL, NULL },
	{ "send_date", LF_DATE_RANGE, "$.send_date", NULL },
	{ "mail_type", LF_TEXT, "$.mail_type", piece_mail_types },
	{ "sort_by", LF_SORT_BY, NULL, NULL },
	{ NULL, LF_TEXT, NULL, NULL }
};
#define HTML_STRING_MAX 10000	/* spec: html_string maxLength */

static json_t *owned(struct req *rq, json_t *v)
{
	return arena_own_json(rq->arena, v);
}

int piece_begin(struct piece *p, struct req *rq, const struct resource *res,
		struct api_error *err)
{
	bool design_only = p->design_only;
	memset(p, 0, sizeof(*p));
	p->design_only = design_only;
	p->rq = rq;
	p->res = res;
	if ((res->id_hex ? ids_random_hex(res->id_prefix, res->id_hex / 2, p->id, sizeof(p->id))
			 : ids_new(res->id_prefix, p->id, sizeof(p->id))) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	if (settings_load(rq->app->store, rq->key.account_id, &p->settings, err) < 0)
		return -1;
	p->obj = owned(rq, json_object());
	p->input = owned(rq, json_pack("{sss{}}", "piece_id", p->id, "sources"));
	return fields_validate_ctx(res->fields, rq->body_json, rq->arena, p->obj, rq, err);
}

static int add_change(struct piece *p, struct store_change *ch, struct api_error *err)
{
	if (!ch)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	if (p->n_changes == PIECE_MAX_CHANGES)
		return api_fail(err, ERR_INTERNAL, "too many objects in one mail piece");
	p->changes[p->n_changes++] = ch;
	return 0;
}

/* "to." + the message, for errors inside a nested object */
static int prefix_error(struct api_error *err, const char *field)
{
	api_error_prefix(err, field);
	return -1;
}

bool piece_address_is_us(const json_t *address)
{
	const char *c = json_string_value(json_object_get(address, "address_country"));
	return !c || strcmp(c, "UNITED STATES") == 0 || strcmp(c, "US") == 0;
}

/*
 * A US `to` address through address verification: under the account's strictness an
 * undeliverable address is refused (failed_deliverability_strictness), and a deliverable one
 * is standardized (USPS lines, ZIP+4) as Lob does "whenever possible".
 */
static int verify_to(struct piece *p, json_t *address, struct api_error *err)
{
	const struct av_engine *av = p->rq->app->av;
	if (!av || p->design_only || !piece_address_is_us(address))
		return 0;
	struct us_input in = {
		.primary_line = json_string_value(json_object_get(address, "address_line1")),
		.secondary_line = json_string_value(json_object_get(address, "address_line2")),
		.city = json_string_value(json_object_get(address, "address_city")),
		.state = json_string_value(json_object_get(address, "address_state")),
		.zip_code = json_string_value(json_object_get(address, "address_zip")),
	};
	json_t *v = owned(p->rq, av_verify_us(av, &in, "us_ver_piece", false));
	const char *d = json_string_value(json_object_get(v, "deliverability"));
	bool deliverable = d && strcmp(d, "deliverable") == 0;
	bool near = d && strncmp(d, "deliverable", 11) == 0;
	int strict = p->settings.us_address_strictness;
	if ((strict == STRICT_STRICT && !deliverable) || (strict == STRICT_NORMAL && !near))
		return api_fail(err, ERR_FAILED_DELIVERABILITY_STRICTNESS,
				"The to address is %s, which the account's US address strictness "
				"(%s) does not allow", d ? d : "unverified",
				strict == STRICT_STRICT ? "strict" : "normal");
	if (!near)
		return 0;
	json_t *c = json_object_get(v, "components");
	const char *zip = json_string_value(json_object_get(c, "zip_code"));
	const char *plus4 = json_string_value(json_object_get(c, "zip_code_plus_4"));
	json_object_set(address, "address_line1", json_object_get(v, "primary_line"));
	const char *second = json_string_value(json_object_get(v, "secondary_line"));
	json_object_set_new(address, "address_line2", second && *second ? json_string(second)
									  : json_null());
	json_object_set(address, "address_city", json_object_get(c, "city"));
	json_object_set(address, "address_state", json_object_get(c, "state"));
	if (zip && plus4 && *plus4)
		json_object_set_new(address, "address_zip",
				    json_string(arena_strfmt(p->rq->arena, "%s-%s", zip, plus4)));
	return 0;
}

int piece_address(struct piece *p, const char *field, bool required, struct api_error *err)
{
	struct req *rq = p->rq;
	json_t *v = json_object_get(p->obj, field);
	if (!v || json_is_null(v)) {
		if (required)
			return api_fail(err, ERR_INVALID, "%s is required", field);
		return 0;
	}
	if (json_is_string(v)) {
		const char *id = json_string_value(v);
		struct store_scope sc = rq->scope;
		char *json = NULL;
		sc.kind = "address";
		if (strncmp(id, "adr_", 4) != 0)
			return api_fail(err, ERR_INVALID,
					"%s must be an address id (adr_…) or an address object", field);
		int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return api_fail(err, ERR_NOT_FOUND, "%s address %.40s not found", field, id);
		json_t *existing = json_loads(json, 0, NULL);
		json_object_set_new(p->obj, field, existing);
		return strcmp(field, "to") == 0 ? verify_to(p, existing, err) : 0;
	}
	if (!json_is_object(v))
		return api_fail(err, ERR_INVALID, "%s must be an address id (adr_…) or an address object",
				field);
	char *id = arena_alloc(rq->arena, 40);
	if (ids_new("adr_", id, 40) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *address = res_build_from(rq, &address_res, v, id, err);
	if (!address)
		return prefix_error(err, field);
	if (strcmp(field, "to") == 0 && verify_to(p, address, err) < 0)
		return -1;
	json_object_set(p->obj, field, address);
	return add_change(p, res_change_insert(rq, &address_res, address, true), err);
}

int piece_send_date(struct piece *p, struct api_error *err)
{
	struct req *rq = p->rq;
	json_t *v = json_object_get(p->obj, "send_date");
	char iso[25];
	if (v && !json_is_null(v)) {
		long long ms;
		if (!json_is_string(v) || time_parse_iso(json_string_value(v), &ms) < 0)
			return api_fail(err, ERR_INVALID,
					"send_date must be an ISO 8601 date or date-time");
		if (ms <= rq->now_ms)
			return api_fail(err, ERR_INVALID, "send_date must be in the future");
		if (ms > rq->now_ms + SEND_DATE_MAX_DAYS * 86400000LL)
			return api_fail(err, ERR_INVALID,
					"send_date must be no more than %d days in the future",
					SEND_DATE_MAX_DAYS);
		p->send_ms = ms;
	} else {
		int product = settings_product(p->res->kind);
		unsigned minutes = product >= 0 ? p->settings.cancel_minutes[product]
						: CANCEL_WINDOW_DEFAULT_MIN;
		p->send_ms = rq->now_ms + minutes * 60000LL;
	}
	time_format_iso(p->send_ms, iso);
	json_object_set_new(p->obj, "send_date", json_string(iso));
	return 0;
}

int piece_use_type(struct piece *p, struct api_error *err)
{
	json_t *v = json_object_get(p->obj, "use_type");
	if (v && !json_is_null(v))
		return 0;
	if (!p->settings.default_use_type)
		return api_fail(err, ERR_MAIL_USE_TYPE_CAN_NOT_BE_NULL,
				"use_type must be one of \"marketing\" or \"operational\". Alternatively, "
				"set the account's default use type (POST /v1/_frank/settings "
				"{\"default_use_type\": …}).");
	json_object_set_new(p->obj, "use_type", json_string(p->settings.default_use_type));
	return 0;
}

/* compiles html and, for accounts with strict merge variables, renders it once */
static int check_html(struct piece *p, const char *html, const char *engine,
		      struct api_error *err)
{
	bool hbs = engine && strcmp(engine, "handlebars") == 0;
	struct hbs_template *t = hbs_compile(html, strlen(html), hbs ? HBS_HANDLEBARS : HBS_LEGACY,
					     NULL, err);
	if (!t)
		return -1;
	int rc = 0;
	if (p->settings.merge_variables_strict && !p->design_only) {
		const json_t *vars = json_object_get(p->obj, "merge_variables");
		json_t *empty = json_object();
		size_t len;
		char *out = hbs_render(t, json_is_object(vars) ? vars : empty, true, NULL, &len, err);
		rc = out ? 0 : -1;
		free(out);
		json_decref(empty);
	}
	hbs_free(t);
	return rc;
}

static int template_source(struct piece *p, const char *id, json_t *src,
			   const char *template_field, const char *version_field,
			   struct api_error *err)
{
	struct req *rq = p->rq;
	struct store_scope sc = rq->scope;
	char *json = NULL;
	sc.kind = "template";
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "template %.40s not found", id);
	json_t *tmpl = owned(rq, json_loads(json, 0, NULL));
	json_t *version = json_object_get(tmpl, "published_version");
	const char *html = json_string_value(json_object_get(version, "html"));
	const char *engine = json_string_value(json_object_get(version, "engine"));
	const char *vid = json_string_value(json_object_get(version, "id"));
	if (!html || !vid)
		return api_fail(err, ERR_INTERNAL, "template %.40s has no published version", id);
	if (check_html(p, html, engine, err) < 0)
		return -1;
	json_object_set_new(src, "type", json_string("html"));
	json_object_set_new(src, "html", json_string(html));
	json_object_set_new(src, "engine", json_string(engine ? engine : "legacy"));
	if (template_field)
		json_object_set_new(p->obj, template_field, json_string(id));
	if (version_field)
		json_object_set_new(p->obj, version_field, json_string(vid));
	return 0;
}

/*
 * An uploaded file: kept as a content-addressed asset before the piece is stored, so a 2xx
 * means the file is durable too. Its type comes from its bytes, not the part's header.
 */
const char *piece_upload_ext(const char *type)
{
	return !type ? NULL
	       : strcmp(type, "application/pdf") == 0 ? "pdf"
	       : strcmp(type, "image/png") == 0	      ? "png"
	       : strcmp(type, "image/jpeg") == 0      ? "jpg"
						      : "html";
}

static int piece_store_upload(struct piece *p, const char *field, json_t *src,
			      const unsigned char *data, size_t len, struct api_error *err)
{
	const char *type = net_sniff_type(data, len);
	const char *ext = piece_upload_ext(type);
	if (!ext)
		return api_fail(err, ERR_INVALID_FILE,
				"%s must be a PDF, PNG, JPEG or HTML file", field);
	char key[ASSET_KEY_MAX];
	if (assets_put(p->rq->app->cfg->data_dir, data, len, ext, key, err) < 0)
		return -1;
	json_object_set_new(src, "type", json_string("asset"));
	json_object_set_new(src, "asset", json_string(key));
	json_object_set_new(src, "content_type", json_string(type));
	return 0;
}

static bool allow_private_urls(struct req *rq)
{
	const char *v = rq->app->cfg ? rq->app->cfg->allow_private_urls : NULL;
	return v && strcmp(v, "1") == 0;
}

int piece_source(struct piece *p, const char *field, bool required, const char *template_field,
		 const char *version_field, struct api_error *err)
{
	struct req *rq = p->rq;
	json_t *v = json_object_get(p->obj, field);
	json_t *src = json_object();
	json_object_set_new(json_object_get(p->input, "sources"), field, src);
	if (!v || json_is_null(v)) {
		json_object_del(json_object_get(p->input, "sources"), field);
		return required ? api_fail(err, ERR_INVALID, "%s is required", field) : 0;
	}
	if (body_is_file(v)) {
		size_t len;
		const char *data = body_file_data(v, &len);
		return piece_store_upload(p, field, src, (const unsigned char *)data, len, err);
	}
	const char *s = json_string_value(v);
	if (!s)
		return api_fail(err, ERR_INVALID,
				"%s must be an HTML string, a template id, a URL or an uploaded file",
				field);
	if (strncmp(s, "tmpl_", 5) == 0)
		return template_source(p, s, src, template_field, version_field, err);
	bool https = strncmp(s, "https://", 8) == 0;
	if (https || (strncmp(s, "http://", 7) == 0 && allow_private_urls(rq))) {
		if (strlen(s) > 2048)
			return api_fail(err, ERR_INVALID_FILE_URL, "%s URL is longer than 2048 characters",
					field);
		json_object_set_new(src, "type", json_string("url"));
		json_object_set_new(src, "url", json_string(s));
		return 0;
	}
	if (strncmp(s, "http://", 7) == 0)
		return api_fail(err, ERR_INVALID_FILE_URL, "%s must be an https:// URL", field);
	if (!strchr(s, '<'))
		return api_fail(err, ERR_INVALID,
				"%s must be an HTML string, a template id (tmpl_…), an https URL or an "
				"uploaded file", field);
	if (utf8_chars(s) > HTML_STRING_MAX)
		return api_fail(err, ERR_INVALID,
				"%s length must be less than or equal to %d characters long (save longer "
				"HTML as a template)", field, HTML_STRING_MAX);
	if (check_html(p, s, "handlebars", err) < 0)
		return -1;
	json_object_set_new(src, "type", json_string("html"));
	json_object_set_new(src, "html", json_string(s));
	json_object_set_new(src, "engine", json_string("handlebars"));
	return 0;
}

int piece_track_code(struct piece *p, const char *code, struct api_error *err)
{
	struct store_change *ch = arena_calloc(p->rq->arena, sizeof(*ch));
	ch->op = STORE_TRACKING_CODE;
	ch->sc = p->rq->scope;
	ch->sc.kind = p->res->kind;
	ch->obj.id = arena_strdup(p->rq->arena, p->id);
	ch->code = arena_strdup(p->rq->arena, code);
	return add_change(p, ch, err);
}

int piece_future_url(struct piece *p, const char *dir, struct api_error *err)
{
	struct req *rq = p->rq;
	char url[1024];
	const char *path = arena_strfmt(rq->arena, "%s/%s.pdf", dir, p->id);
	if (piece_file_url(rq->app->data_dir, rq->app->asset_url ? rq->app->asset_url
								 : rq->app->public_url,
			   path, 0, url, sizeof(url), err) < 0)
		return -1;
	json_object_set_new(p->obj, "url", json_string(url));
	return 0;
}

json_t *piece_finish(struct piece *p, const char *const *order)
{
	struct req *rq = p->rq;
	json_t *in = p->obj, *out = json_object();
	char when[25], edd[11];
	time_format_iso(rq->now_ms, when);
	piece_expected_delivery(p, edd);
	json_object_set_new(in, "id", json_string(p->id));
	json_object_set_new(in, "carrier", json_string("USPS"));
	json_object_set_new(in, "tracking_events", json_array());
	json_object_set_new(in, "thumbnails", json_array());
	json_object_set_new(in, "expected_delivery_date", json_string(edd));
	json_object_set_new(in, "date_created", json_string(when));
	json_object_set_new(in, "date_modified", json_string(when));
	json_object_set_new(in, "status", json_string("processed"));
	json_object_set_new(in, "object", json_string(p->res->kind));
	for (const char *const *k = order; *k; k++) {
		json_t *v = json_object_get(in, *k);
		if (v)
			json_object_set(out, *k, v);
	}
	return arena_own_json(rq->arena, out);
}

void piece_expected_delivery(struct piece *p, char out[11])
{
	const char *mt = json_string_value(json_object_get(p->obj, "mail_type"));
	bool standard = mt && strcmp(mt, "usps_standard") == 0;
	json_t *to = json_object_get(p->obj, "to");
	expected_delivery_date(p->send_ms, standard ? MAIL_STANDARD : MAIL_FIRST_CLASS,
			       to && !piece_address_is_us(to), out);
}

int piece_changes(struct piece *p, struct store_change **all, struct api_error *err)
{
	struct req *rq = p->rq;
	static const struct resource input_res = { .kind = PIECE_INPUT_KIND, .id_prefix = "inp_" };
	char *input_id = arena_strfmt(rq->arena, "inp_%s", strchr(p->id, '_') + 1);
	json_object_set_new(p->input, "id", json_string(input_id));
	struct store_change *piece = res_change_insert(rq, p->res, p->obj, true);
	struct store_change *input = res_change_insert(rq, &input_res, p->input, false);
	if (!piece || !input)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	/* the piece first: the idempotency key is recorded for changes[0] */
	/* its render is a job committed with it: a 2xx piece is never left unrendered */
	struct store_change *render = arena_calloc(rq->arena, sizeof(*render));
	struct store_scope sc = rq->scope;
	sc.kind = p->res->kind;
	if (!render)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	render_job_change(render, &sc, arena_strdup(rq->arena, p->id), rq->now_ms, rq->arena);
	int n = 0;
	all[n++] = piece;
	all[n++] = input;
	for (size_t i = 0; i < p->n_changes; i++)
		all[n++] = p->changes[i];
	all[n++] = render;
	return n;
}

int piece_commit(struct piece *p, struct api_error *err)
{
	struct store_change *all[PIECE_MAX_CHANGES + 3];
	int n = piece_changes(p, all, err);
	if (n < 0)
		return -1;
	return res_commit(p->rq, all, (size_t)n, p->response ? p->response : p->obj, err);
}

json_t *piece_merge_variables_field(const struct field *f, const json_t *v, void *ctx,
				    struct api_error *err)
{
	(void)f;
	(void)ctx;
	json_t *parsed = NULL;
	if (json_is_string(v))	/* form bodies and some SDKs send it as JSON text */
		v = parsed = json_loads(json_string_value(v), 0, NULL);
	if (!json_is_object(v)) {
		json_decref(parsed);
		api_fail(err, ERR_INVALID, "merge_variables must be an object");
		return NULL;
	}
	if (hbs_check_merge_variables(v, err) < 0) {
		json_decref(parsed);
		return NULL;
	}
	return parsed ? parsed : json_incref((json_t *)v);
}

json_t *piece_any_field(const struct field *f, const json_t *v, void *ctx,
			struct api_error *err)
{
	(void)f;
	(void)ctx;
	(void)err;
	return json_incref((json_t *)v);
}

/* ---- reads: asset links signed afresh ---- */

/* a new signed link for the piece file an old link names ("…/letters/ltr_….pdf?…"), or NULL */
static json_t *resign(struct req *rq, const char *old)
{
	static const char *const dirs[] = { "/letters/", "/postcards/", "/self-mailers/", "/checks/",
					    "/cards/", "/buckslips/" };
	const char *at = NULL;
	for (size_t i = 0; old && i < sizeof(dirs) / sizeof(dirs[0]) && !at; i++)
		at = strstr(old, dirs[i]);
	if (!at)
		return NULL;
	at++;
	size_t n = strcspn(at, "?");
	char path[128], url[1024];
	struct api_error err;
	if (n >= sizeof(path))
		return NULL;
	memcpy(path, at, n);
	path[n] = '\0';
	if (piece_file_url(rq->app->data_dir, rq->app->asset_url ? rq->app->asset_url
								  : rq->app->public_url,
			   path, 0, url, sizeof(url), &err) < 0)
		return NULL;
	return json_string(url);
}

static void resign_field(struct req *rq, json_t *obj, const char *field)
{
	json_t *fresh = resign(rq, json_string_value(json_object_get(obj, field)));
	if (fresh)
		json_object_set_new(obj, field, fresh);
}

static void resign_links(struct req *rq, json_t *obj)
{
	static const char *const links[] = { "url", "check_bottom_url", "attachment_url",
					     "front_url", "back_url", "raw_url", "front_original_url",
					     "back_original_url", NULL };
	for (const char *const *f = links; *f; f++)
		resign_field(rq, obj, *f);
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(obj, "thumbnails"), i, t) {
		resign_field(rq, t, "small");
		resign_field(rq, t, "medium");
		resign_field(rq, t, "large");
	}
}

const char *piece_present(struct req *rq, const char *json)
{
	if (!strstr(json, "?expires="))
		return json;
	json_t *obj = owned(rq, json_loads(json, 0, NULL));
	if (!obj)
		return json;
	resign_links(rq, obj);
	/* a letter's inserts (api/insert_letters.c) carry their proofs' links too */
	size_t i;
	json_t *insert;
	json_array_foreach(json_object_get(obj, "cards"), i, insert)
		if (json_is_object(insert))
			resign_links(rq, insert);
	const char *out = arena_dump_json(rq->arena, obj);
	return out ? out : json;
}

/* ---- cancel ---- */

int piece_cancel_check(json_t *obj, const char *kind, long long now_ms, struct api_error *err)
{
	long long send_ms;
	const char *send = json_string_value(json_object_get(obj, "send_date"));
	/* any tracking event (the print side's Mailed, a USPS scan) means USPS has the piece:
	 * whatever its send_date says, it is out of production's hands */
	const json_t *first = json_array_get(json_object_get(obj, "tracking_events"), 0);
	const char *what = json_string_value(json_object_get(first, "name"));
	const char *at = json_string_value(json_object_get(first, "time"));
	if (first)
		return api_fail(err, ERR_NOT_DELETABLE,
				"This %s can no longer be canceled: it is in the mail (%.40s %.24s)",
				kind, what ? what : "scanned", at ? at : "");
	if (!send || time_parse_iso(send, &send_ms) < 0 || send_ms <= now_ms)
		return api_fail(err, ERR_NOT_DELETABLE,
				"This %s can no longer be canceled: its send_date (%.24s) has passed",
				kind, send ? send : "none");
	json_object_set_new(obj, "deleted", json_true());
	return 0;
}

int piece_cancel_apply(struct req *rq, json_t *obj, void *ctx, struct res_change *out,
		       struct api_error *err)
{
	(void)ctx;
	if (piece_cancel_check(obj, rq->route->res->kind, rq->now_ms, err) < 0)
		return -1;
	out->event_type = arena_strfmt(rq->arena, "%s.deleted", rq->route->res->kind);
	out->response = owned(rq, json_pack("{sssb}", "id", rq->path_id, "deleted", 1));
	return 0;
}

int piece_cancel(struct req *rq, struct api_error *err)
{
	return res_mutate(rq, rq->path_id, piece_cancel_apply, NULL, true, err);
}

int piece_billing_group(struct piece *p, struct api_error *err)
{
	const char *bg = json_string_value(json_object_get(p->obj, "billing_group_id"));
	if (!bg)
		return 0;
	struct store_scope sc = p->rq->scope;
	char *json;
	sc.kind = "billing_group";
	int rc = store_object_get(p->rq->app->store, &sc, bg, p->rq->arena, &json, err);
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "billing_group_id %.40s not found", bg);
	return rc < 0 ? -1 : 0;
}
