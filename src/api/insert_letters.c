// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Cards in letters (spec letter_editable `cards`: one card id): the letter's create takes a
 * card from the card's stock in its own transaction, and its cancel gives it back in the
 * cancel's transaction (see inserts.h).
 */
#include "api/inserts.h"
#include "core/jsonutil.h"
#include "http/app.h"
#include "http/route.h"
#include <string.h>

static bool card_id_ok(const char *id)
{
	if (!id || strncmp(id, "card_", 5) != 0 || !id[5])
		return false;
	for (const char *c = id + 5; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return false;
	return true;
}

static int out_of_stock(const char *id, struct api_error *err)
{
	return api_fail(err, ERR_INVALID,
			"card %.40s is out of stock: place an order (POST /v1/cards/%.40s/orders)",
			id, id);
}

/* on the writer, inside the letter's transaction */
static int take_one(struct req *rq, json_t *card, void *ctx, struct res_change *out,
		    struct api_error *err)
{
	(void)out;
	if (insert_stock_take(card, insert_card.stock) != 0)
		return out_of_stock(ctx, err);
	return insert_auto_reorder(rq, &insert_card, card, err);
}

/* the cancel, noting whether the letter had failed: its render gave the card back then */
static int cancel_letter(struct req *rq, json_t *letter, void *ctx, struct res_change *out,
			 struct api_error *err)
{
	const char *status = json_string_value(json_object_get(letter, "status"));
	*(bool *)ctx = status && strcmp(status, "failed") == 0;
	return piece_cancel_apply(rq, letter, NULL, out, err);
}

static int give_back(struct req *rq, json_t *card, void *ctx, struct res_change *out,
		     struct api_error *err)
{
	(void)rq;
	(void)out;
	(void)err;
	if (!*(const bool *)ctx)
		insert_stock_return(card, insert_card.stock);
	return 0;
}

int insert_letter_take(struct piece *p, struct api_error *err)
{
	struct req *rq = p->rq;
	json_t *cards = json_object_get(p->obj, "cards");
	if (!json_array_size(cards))
		return 0;
	/* a campaign sends its letters in batches of one transaction each: one card running out
	 * would fail a whole batch, so creatives do not take cards yet */
	if (p->design_only)
		return api_fail(err, ERR_INVALID,
				"cards in a campaign's letters are not supported by this Frank yet: "
				"send letters with a card through POST /v1/letters");
	/* a copy: the cards array is replaced below */
	const char *given = json_string_value(json_array_get(cards, 0));
	const char *id = given ? arena_strdup(rq->arena, given) : NULL;
	if (!card_id_ok(id))
		return api_fail(err, ERR_INVALID,
				"cards[0] with value \"%.40s\" fails to match the required pattern: "
				"/^card_[a-zA-Z0-9]+$/", id ? id : "");
	struct store_scope sc = rq->scope;
	char *json = NULL;
	sc.kind = "card";
	int rc = store_object_get(rq->app->store, &sc, id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return api_fail(err, ERR_NOT_FOUND, "card %.40s not found", id);
	json_t *card = insert_presented(rq, &insert_card, json);
	if (!card)
		return api_fail(err, ERR_INTERNAL, "stored card does not parse");
	json_int_t left = json_integer_value(json_object_get(card, "available_quantity"));
	if (left <= 0)
		return out_of_stock(id, err);	/* early; the transaction checks again */
	json_object_set_new(card, "available_quantity", json_integer(left - 1));
	json_object_set_new(p->obj, "cards", json_pack("[O]", card));
	if (p->n_changes == PIECE_MAX_CHANGES)
		return api_fail(err, ERR_INTERNAL, "too many objects in one mail piece");
	p->changes[p->n_changes++] = res_change_mutate(rq, &card_res, id, take_one, (void *)id,
						       false);
	return 0;
}

int insert_letter_cancel(struct req *rq, struct api_error *err)
{
	char *json = NULL;
	int rc = store_object_get(rq->app->store, &rq->scope, rq->path_id, rq->arena, &json, err);
	if (rc < 0)
		return -1;
	json_t *letter = rc == 0 ? arena_own_json(rq->arena, json_loads(json, 0, NULL)) : NULL;
	const char *card = json_string_value(
		json_object_get(json_array_get(json_object_get(letter, "cards"), 0), "id"));
	if (!card)
		return piece_cancel(rq, err);
	/* the letter first: its cancel check failing leaves the card as it was */
	bool *was_failed = arena_calloc(rq->arena, sizeof(*was_failed));
	if (!was_failed)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	struct store_change *ch[2] = {
		res_change_mutate(rq, NULL, rq->path_id, cancel_letter, was_failed, true),
		res_change_mutate(rq, &card_res, arena_strdup(rq->arena, card), give_back,
				  was_failed, false),
	};
	json_t *gone = arena_own_json(rq->arena, json_pack("{sssb}", "id", rq->path_id,
							   "deleted", 1));
	return res_commit(rq, ch, 2, gone, err);
}
