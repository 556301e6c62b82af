// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * "Why did this letter fail?" — one mail piece's story (store/why_store.h) with an answer in
 * one sentence: canceled, failed and Lob's reason, waiting to render (and the last error),
 * rendered and waiting for a print run, in a run's lot, printed, mailed; plus the remote
 * files its HTML named that could not be used. For `frank pieces why` and
 * GET /v1/_frank/pieces/{id}/why.
 */
#ifndef FRANK_MAIL_PIECE_WHY_H
#define FRANK_MAIL_PIECE_WHY_H
#include <jansson.h>
#include "core/err.h"
#include "store/store.h"

/* the story of piece id (account_id NULL: any account) with "answer" first; NULL with
 * *err (ERR_NOT_FOUND naming the id when there is no such piece) */
json_t *piece_why(struct store *s, const char *id, const char *account_id,
		  struct api_error *err);

/* the answer alone, from a story as store_piece_why gives it (for tests); a new string */
char *piece_why_answer(const json_t *story);
#endif
