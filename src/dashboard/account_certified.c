// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * /dashboard/certified: the account's certified and registered mailings and prices, read
 * through the /api/v1 handlers (docs/internals/certified321.md) — GET /api/v1/mailings
 * (paged by its cursor) and GET /api/v1/pricing — as the session's internal calls, which the
 * router lets read /api/v1 (http/router.c, identify). Labels and return receipts are the
 * API's PDFs, passed through under the dashboard's session.
 */
#include "dashboard/account.h"
#include "dashboard/view.h"
#include <string.h>

static const char *address_line(struct req *rq, const json_t *a)
{
	const char *name = acct_str(a, "name", NULL);
	if (!name || !*name)
		name = acct_str(a, "company", "");
	return arena_strfmt(rq->arena, "%s, %s %s %s", name, acct_str(a, "city", ""),
			    acct_str(a, "state", ""), acct_str(a, "zip", ""));
}

static json_t *mailing_row(struct req *rq, const json_t *m)
{
	const char *class = acct_str(m, "mail_class", "");
	return json_pack("{sssssssssssssssssb}", "id", acct_str(m, "id", ""), "reference",
			 acct_str(m, "reference", ""), "mail_class", class, "status",
			 acct_str(m, "status", ""), "tracking", acct_str(m, "tracking_number", ""),
			 "to", address_line(rq, json_object_get(m, "to")), "cost",
			 acct_dollars(rq, json_object_get(json_object_get(m, "cost"), "total")),
			 "created", view_iso(rq, acct_str(m, "created_at", NULL)), "receipt",
			 strstr(class, "return_receipt") != NULL);
}

static json_t *class_row(struct req *rq, const json_t *c)
{
	json_t *fees = json_object_get(c, "fees"), *f;
	size_t i;
	const char *list = "";
	json_array_foreach(fees, i, f)
		list = arena_strfmt(rq->arena, "%s%s%s", list, i ? ", " : "",
				    json_string_value(f) ? json_string_value(f) : "");
	json_t *one = json_object_get(c, "one_page");
	return json_pack("{sssssssbssss}", "mail_class", acct_str(c, "mail_class", ""),
			 "description", acct_str(c, "description", ""), "fees", list, "available",
			 json_is_true(json_object_get(c, "available")), "one_page",
			 acct_dollars(rq, json_object_get(one, "total")), "why",
			 acct_str(c, "unavailable_reason", ""));
}

int acct_certified(struct req *rq, struct api_error *err)
{
	struct dash_answer m, p;
	if (acct_call(rq, HTTP_GET,
		      arena_strfmt(rq->arena, "/api/v1/mailings?%s",
				   acct_list_query(rq, ACCT_PAGE, "cursor")),
		      NULL, &m, err) < 0)
		return -1;
	if (acct_call(rq, HTTP_GET, "/api/v1/pricing", NULL, &p, err) < 0)
		return -1;
	json_t *rows = json_array(), *classes = json_array(), *x;
	size_t i;
	json_array_foreach(json_object_get(m.json, "data"), i, x)
		json_array_append_new(rows, mailing_row(rq, x));
	json_array_foreach(json_object_get(p.json, "mail_classes"), i, x)
		json_array_append_new(classes, class_row(rq, x));
	const char *next = acct_str(m.json, "next_cursor", NULL);
	json_t *service = json_object_get(p.json, "service_fee");
	json_t *ctx = json_pack(
		"{sosossssss}", "mailings", rows, "classes", classes, "effective",
		acct_str(p.json, "effective_date", ""), "fee_fixed",
		acct_dollars(rq, json_object_get(service, "fixed")), "fee_percent",
		arena_strfmt(rq->arena, "%g%%",
			     json_number_value(json_object_get(service, "percent"))));
	if (next)
		json_object_set_new(ctx, "next",
				    json_string(arena_strfmt(rq->arena,
							     "/dashboard/certified?after=%s",
							     acct_str(m.json, "next_cursor", ""))));
	return view_page(rq, 200, "acct_certified", "Certified mail", ctx, err);
}

int acct_certified_label(struct req *rq, struct api_error *err)
{
	struct dash_answer a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "mailing not found");
	if (dash_call(rq, HTTP_GET,
		      arena_strfmt(rq->arena, "/api/v1/mailings/%s/label", rq->path_id), NULL,
		      &a) != 200)
		return acct_fail(&a, err);
	return acct_send_bytes(rq, &a);
}

/* the receipt is found by tracking number: the mailing gives it */
int acct_certified_receipt(struct req *rq, struct api_error *err)
{
	struct dash_answer m, a;
	if (!dash_id_ok(rq->path_id))
		return api_fail(err, ERR_NOT_FOUND, "mailing not found");
	if (acct_call(rq, HTTP_GET, arena_strfmt(rq->arena, "/api/v1/mailings/%s", rq->path_id),
		      NULL, &m, err) < 0)
		return -1;
	const char *tn = acct_str(m.json, "tracking_number", "");
	if (!dash_id_ok(tn))
		return api_fail(err, ERR_NOT_FOUND, "mailing %.40s has no tracking number yet",
				rq->path_id);
	if (dash_call(rq, HTTP_GET,
		      arena_strfmt(rq->arena, "/api/v1/tracking/%s/return-receipt", tn), NULL,
		      &a) != 200)
		return acct_fail(&a, err);
	return acct_send_bytes(rq, &a);
}
