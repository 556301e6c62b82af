// SPDX-License-Identifier: AGPL-3.0-or-later
/* A piece's QR code and its short link (qr_links.h). */
#include "api/qr_links.h"
#include "api/links.h"
#include "core/ids.h"
#include "core/jsonutil.h"
#include "mail/piece_stamp.h"
#include "mail/qr_option.h"
#include "stamp/product.h"
#include "store/link_store.h"
#include <stdlib.h>
#include <string.h>

/* QR codes' links are not /v1/links objects: kind qr_link, read by the analytics */
static const struct resource qr_link_res = { .kind = QR_LINK_KIND, .id_prefix = "lnk_" };

/* qr_code checked against the piece's artboard, with its product's page names */
static int check_fit(struct piece *p, const json_t *v, struct api_error *err)
{
	const char *kind = p->res->kind;
	const struct product_size *ps =
		product_lookup(kind, json_string_value(json_object_get(p->obj, "size")));
	if (!ps)
		return api_fail(err, ERR_INTERNAL, "no product %s", kind);
	json_t *ok = qr_option_check_kind(v, kind, product_artboard_w(ps), product_artboard_h(ps),
					  err);
	if (!ok)
		return -1;
	json_decref(ok);
	return 0;
}

int piece_qr_link(struct piece *p, struct api_error *err)
{
	struct req *rq = p->rq;
	const json_t *v = json_object_get(p->obj, "qr_code");
	char host[LINK_HOST_MAX + 1], id[40];
	if (!json_is_object(v))
		return 0;
	if (check_fit(p, v, err) < 0)
		return -1;
	if (!links_host(rq, host))
		return 0;	/* no short links: the code encodes redirect_url itself */
	const char *tmpl = json_string_value(json_object_get(v, "redirect_url"));
	char *merged = piece_merge_text(tmpl ? tmpl : "", json_object_get(p->obj, "merge_variables"),
					err);
	if (!merged)
		return -1;
	const char *url = arena_strdup(rq->arena, merged);
	free(merged);
	if (links_check_target(rq, url, "qr_code.redirect_url", host, err) < 0)
		return -1;
	const char *short_link = links_short_link(rq, host, NULL, err);
	if (!short_link)
		return -1;
	if (ids_new(qr_link_res.id_prefix, id, sizeof(id)) < 0)
		return api_fail(err, ERR_INTERNAL, "no entropy for an id");
	json_t *link = arena_own_json(rq->arena, json_object());
	json_object_set_new(link, "id", json_string(id));
	json_object_set_new(link, "redirect_link", json_string(url));
	json_object_set_new(link, "short_link", json_string(short_link));
	json_object_set_new(link, "resource_id", json_string(p->id));
	links_dates(link, rq->now_ms, true);
	json_object_set_new(link, "object", json_string(QR_LINK_KIND));
	struct store_change *ch = res_change_insert(rq, &qr_link_res, link, false);
	if (!ch)
		return api_fail(err, ERR_INTERNAL, "serialisation failed");
	if (p->n_changes == PIECE_MAX_CHANGES)
		return api_fail(err, ERR_INTERNAL, "too many objects in one mail piece");
	p->changes[p->n_changes++] = ch;
	json_object_set_new(p->input, "qr_url", json_string(short_link));
	return 0;
}
