// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Letters for other front ends: the 321certified-style /api/v1/mailings creates certified
 * letters through exactly the rules of POST /v1/letters.
 */
#ifndef FRANK_API_LETTERS_H
#define FRANK_API_LETTERS_H
#include "api/pieces.h"

extern const struct resource letter_res;

/*
 * validates rq->body_json as POST /v1/letters would and prepares the letter's writes in p
 * (p->obj is the letter as Lob serves it). Then set p->response to answer in another shape,
 * and piece_commit(p, err) stores it. 0, or -1 with *err (Lob's codes and messages).
 */
int letter_prepare(struct req *rq, struct piece *p, struct api_error *err);
#endif
