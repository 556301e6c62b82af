// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /dashboard/webhooks: the account's webhooks (in the session's mode), made and deleted
 * through /v1/webhooks; a webhook's page with its delivery log (GET …/deliveries, paged)
 * and, for owners, its signing secret — masked like every API read, shown whole only in the
 * answer to a POST (reveal, or rotate: the API's rotate_secret) — and Retry for a delivery
 * that failed (the API's retry re-queues its job). Reveals, rotations and retries go to the
 * audit log.
 */
#include "dashboard/account.h"
#include "core/mail_product.h"
#include "dashboard/view.h"
#include "events/catalogue.h"
#include "http/app.h"
#include "store/store.h"
#include <stdio.h>
#include <string.h>

/* ---- the event catalogue as checkboxes, grouped by resource ---- */

static void add_type(json_t *groups, const char *id, const char *resource, const json_t *chosen)
{
	json_t *g = NULL, *x;
	size_t i;
	json_array_foreach(groups, i, x)
		if (strcmp(acct_str(x, "resource", ""), resource) == 0)
			g = x;
	if (!g) {
		g = json_pack("{sss[]}", "resource", resource, "types");
		json_array_append_new(groups, g);
	}
	bool on = false;
	json_array_foreach(chosen, i, x)
		on = on || strcmp(json_string_value(x) ? json_string_value(x) : "", id) == 0;
	char dom[64];
	snprintf(dom, sizeof(dom), "ev-%s", id);
	for (char *p = dom; *p; p++)	/* ids for <label for>: no dots */
		if (*p == '.')
			*p = '-';
	json_array_append_new(json_object_get(g, "types"),
			      json_pack("{sssssb}", "id", id, "dom", dom, "checked", on));
}

static json_t *catalogue(const json_t *chosen)
{
	json_t *groups = json_array();
	for (size_t i = 0; i < event_types_count; i++)
		add_type(groups, event_types[i].id, event_types[i].resource, chosen);
	for (size_t i = 0; i < mail_product_count(); i++) {
		const struct mail_product *mp = mail_product_at(i);
		for (size_t k = 0; !mp->lob_events && mail_product_lifecycle_events[k]; k++) {
			char id[64];
			snprintf(id, sizeof(id), "%s.%s", mp->object, mail_product_lifecycle_events[k]);
			if (event_type_find(id))
				add_type(groups, id, mp->event_resource, chosen);
		}
	}
	add_type(groups, "webhook.disabled", "webhooks", chosen);
	return groups;
}

/* ---- the list and the create form ---- */

static json_t *hook_row(struct req *rq, const json_t *h)
{
	json_t *types = json_object_get(h, "event_types"), *t;
	size_t i, n = json_array_size(types);
	const char *shown = "";
	json_array_foreach(types, i, t)
		if (i < 3)
			shown = arena_strfmt(rq->arena, "%s%s%s", shown, i ? ", " : "",
					     json_string_value(t) ? json_string_value(t) : "");
	if (n > 3)
		shown = arena_strfmt(rq->arena, "%s and %zu more", shown, n - 3);
	return json_pack("{sssssssbssss}", "id", acct_str(h, "id", ""), "url", acct_str(h, "url", ""),
			 "types", shown, "enabled", json_is_true(json_object_get(h, "enabled")),
			 "description", acct_str(h, "description", ""), "created",
			 view_iso(rq, acct_str(h, "date_created", NULL)));
}

static int list_page(struct req *rq, int status, const char *error, struct api_error *err)
{
	struct dash_answer a;
	const char *path = arena_strfmt(rq->arena, "/v1/webhooks?%s",
					acct_list_query(rq, ACCT_PAGE, NULL));
	if (acct_call(rq, HTTP_GET, path, NULL, &a, err) < 0)
		return -1;
	json_t *rows = json_array(), *h;
	size_t i;
	json_array_foreach(json_object_get(a.json, "data"), i, h)
		json_array_append_new(rows, hook_row(rq, h));
	const json_t *chosen = error ? json_object_get(rq->body_json, "event_types") : NULL;
	json_t *ctx = json_pack("{sososos{ssss}ss?}", "hooks", rows, "pager",
				dash_pager(rq, "/dashboard/webhooks", a.json), "events",
				catalogue(chosen), "form", "url",
				error ? acct_str(rq->body_json, "url", "") : "", "description",
				error ? acct_str(rq->body_json, "description", "") : "", "error", error);
	return view_page(rq, status, "acct_webhooks", "Webhooks", ctx, err);
}

int acct_webhooks(struct req *rq, struct api_error *err)
{
	return list_page(rq, 200, NULL, err);
}

int acct_webhook_create(struct req *rq, struct api_error *err)
{
	json_t *types = json_object_get(rq->body_json, "event_types");
	json_t *body = arena_own_json(rq->arena, json_object());
	const char *desc = view_form(rq, "description");
	json_object_set_new(body, "url", json_string(view_form(rq, "url") ? view_form(rq, "url")
									 : ""));
	/* one box ticked arrives as a string, several as an array */
	if (json_is_string(types))
		json_object_set_new(body, "event_types", json_pack("[O]", types));
	else
		json_object_set_new(body, "event_types",
				    json_is_array(types) ? json_incref(types) : json_array());
	if (json_is_string(types))	/* the form, if shown again, keeps the box */
		json_object_set_new(rq->body_json, "event_types", json_pack("[O]", types));
	if (desc && *desc)
		json_object_set_new(body, "description", json_string(desc));
	struct dash_answer a;
	if (dash_call(rq, HTTP_POST, "/v1/webhooks", body, &a) != 200)
		return a.status >= 500 ? acct_fail(&a, err)
				       : list_page(rq, 422, dash_answer_message(&a), err);
	const char *id = acct_str(a.json, "id", "");
	view_audit(rq, "webhook.created", id, acct_str(a.json, "url", ""));
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/webhooks/%s", id),
			     "Webhook created. Reveal its signing secret below to verify deliveries.");
}

/* ---- one webhook: details, secret, deliveries ---- */

static json_t *delivery_row(struct req *rq, const json_t *d)
{
	json_t *attempts = json_object_get(d, "attempts"), *list = json_array(), *t;
	size_t i, n = json_array_size(attempts);
	json_array_foreach(attempts, i, t) {
		json_t *code = json_object_get(t, "status_code");
		json_array_append_new(
			list, json_pack("{sisssssIss}", "n", (int)i + 1, "date",
					view_iso(rq, acct_str(t, "date", NULL)), "code",
					json_is_integer(code)
						? arena_strfmt(rq->arena, "%lld",
							       (long long)json_integer_value(code))
						: "none",
					"latency", (json_int_t)json_integer_value(
						json_object_get(t, "latency_ms")),
					"error", acct_str(t, "error", "")));
	}
	const char *status = acct_str(d, "status", "");
	bool pending = strcmp(status, "pending") == 0;
	/* failed: the last attempt was not a 2xx (a pending delivery waits for its retry) */
	json_t *last = n ? json_array_get(list, n - 1) : NULL;
	const char *code = acct_str(last, "code", "");
	bool last_failed = last && !(code[0] == '2' && strlen(code) == 3);
	json_t *row = json_pack("{sssssssssbsIso}", "id", acct_str(d, "id", ""), "event_id",
				acct_str(d, "event_id", ""), "event_type",
				acct_str(d, "event_type", ""), "status", status, "can_retry",
				strcmp(status, "failed") == 0 || (pending && last_failed),
				"n_attempts", (json_int_t)n, "attempts", list);
	if (last)
		json_object_set(row, "last", last);
	if (pending)
		json_object_set_new(row, "next", json_string(view_iso(rq, acct_str(d, "next_attempt",
										  NULL))));
	return row;
}

/* the page of one webhook; secret (may be NULL) is shown whole, once, in this answer */
static int hook_page(struct req *rq, int status, const char *secret, const char *note,
		     struct api_error *err)
{
	struct dash_answer h, ds;
	const char *id = rq->path_id;
	if (!dash_id_ok(id))
		return api_fail(err, ERR_NOT_FOUND, "webhook not found");
	if (dash_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/v1/webhooks/%s", id), NULL, &h) !=
	    200)
		return acct_fail(&h, err);
	const char *base = arena_strfmt(rq->arena, "/dashboard/webhooks/%s", id);
	if (acct_call(rq, HTTP_GET,
		      arena_strfmt(rq->arena, "/v1/webhooks/%s/deliveries?%s", id,
				   acct_list_query(rq, ACCT_PAGE, NULL)),
		      NULL, &ds, err) < 0)
		return -1;
	json_t *rows = json_array(), *d, *types = json_array(), *t;
	size_t i;
	json_array_foreach(json_object_get(ds.json, "data"), i, d)
		json_array_append_new(rows, delivery_row(rq, d));
	json_array_foreach(json_object_get(h.json, "event_types"), i, t)
		json_array_append(types, t);
	json_t *hook = json_pack("{sssssosbssssssss}", "id", id, "url", acct_str(h.json, "url", ""),
				 "types", types, "enabled",
				 json_is_true(json_object_get(h.json, "enabled")), "description",
				 acct_str(h.json, "description", ""), "masked",
				 acct_str(h.json, "secret", ""), "created",
				 view_iso(rq, acct_str(h.json, "date_created", NULL)),
				 "disabled_reason", acct_str(h.json, "disabled_reason", ""));
	json_t *ctx = json_pack("{sosososs?ss?}", "hook", hook, "deliveries", rows, "pager",
				dash_pager(rq, base, ds.json), "secret", secret, "secret_note", note);
	return view_page(rq, status, "acct_webhook", "Webhook", ctx, err);
}

int acct_webhook(struct req *rq, struct api_error *err)
{
	return hook_page(rq, 200, NULL, NULL, err);
}

/* the secret as stored: every API read masks it, so the owner's reveal reads the store */
int acct_webhook_reveal(struct req *rq, struct api_error *err)
{
	struct store_scope sc = { .account_id = rq->dash->account_id, .mode = rq->dash->mode,
				  .kind = "webhook" };
	char *json = NULL;
	int rc = store_object_get(rq->app->store, &sc, rq->path_id, rq->arena, &json, err);
	if (rc != 0)
		return rc < 0 ? -1 : api_fail(err, ERR_NOT_FOUND, "webhook not found");
	json_t *o = arena_own_json(rq->arena, json_loads(json, 0, NULL));
	const char *secret = acct_str(o, "secret", NULL);
	if (!secret)
		return api_fail(err, ERR_INTERNAL, "the webhook has no secret");
	view_audit(rq, "webhook.secret_revealed", rq->path_id, NULL);
	return hook_page(rq, 200, secret,
			 "Shown because you asked: it is not shown again when you leave this page.",
			 err);
}

int acct_webhook_rotate(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "webhook not found");
	if (dash_call(rq, HTTP_POST,
		      arena_strfmt(rq->arena, "/v1/webhooks/%s/rotate_secret", rq->path_id), NULL,
		      &a) != 200)
		return acct_fail(&a, err);
	view_audit(rq, "webhook.secret_rotated", rq->path_id, NULL);
	return hook_page(rq, 200, acct_str(a.json, "secret", ""),
			 "A new secret: deliveries from now on are signed with it, and the old "
			 "one no longer verifies. Update your receiver.",
			 err);
}

int acct_webhook_delete(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "webhook not found");
	if (acct_call(rq, HTTP_DELETE, arena_strfmt(rq->arena, "/v1/webhooks/%s", rq->path_id),
		      NULL, &a, err) < 0)
		return -1;
	view_audit(rq, "webhook.deleted", rq->path_id, NULL);
	return view_redirect(rq, "/dashboard/webhooks", "Webhook deleted.");
}

int acct_webhook_retry(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id) || !dash_id_ok(rq->path_sub))
		return api_fail(err, ERR_NOT_FOUND, "delivery not found");
	if (acct_call(rq, HTTP_POST,
		      arena_strfmt(rq->arena, "/v1/webhooks/%s/deliveries/%s/retry", rq->path_id,
				   rq->path_sub),
		      NULL, &a, err) < 0)
		return -1;
	view_audit(rq, "webhook.delivery_retried", rq->path_sub, rq->path_id);
	return view_redirect(rq, arena_strfmt(rq->arena, "/dashboard/webhooks/%s", rq->path_id),
			     "Delivery queued again: it is sent now.");
}
