// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail-piece pages (pieces.c, pieces_list.c, pieces_show.c, pieces_new.c): one table of
 * the kinds of mail a sender lists, opens and cancels; every page runs Frank's own API
 * (dashboard/call.h) except the name search and a piece's events (store/piece_search_store.h).
 */
#ifndef FRANK_DASHBOARD_PIECES_H
#define FRANK_DASHBOARD_PIECES_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"
#include "http/req.h"

struct piece_kind {
	const char *path;	/* "letters": /dashboard/letters and /v1/letters */
	const char *kind;	/* the store's kind: "letter" */
	const char *prefix;	/* the id prefix: "ltr_" */
	const char *title;	/* "Letters" */
	const char *one;	/* "letter" */
	bool color;		/* the API lists by color (letters) */
	bool campaign;		/* … by campaign_id */
};

/* an option of a select: value and label */
struct choice {
	const char *value, *label;
};
/* choices (ended by a NULL value) as [{value, label, selected}] for a template; new reference */
json_t *choice_options(const struct choice *c, const char *current);

/* the kind whose pages path is under (/dashboard/<kind>…), or NULL */
const struct piece_kind *piece_kind_of_path(const char *path);
/* the kind whose ids start like id, or NULL */
const struct piece_kind *piece_kind_of_id(const char *id);

int dash_pieces_list(struct req *rq, struct api_error *err);
int dash_piece_show(struct req *rq, struct api_error *err);
int dash_piece_cancel(struct req *rq, struct api_error *err);
int dash_letter_new_form(struct req *rq, struct api_error *err);
int dash_letter_new_submit(struct req *rq, struct api_error *err);
#endif
