// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * frank pieces why --data DIR ID: one mail piece's story, in any account — the answer in a
 * sentence, then the piece, what its render noted, its jobs, print runs and events — as one
 * JSON object (mail/piece_why.h). Exit 1 when there is no such piece.
 */
#include "cli/commands.h"
#include "mail/piece_why.h"
#include "store/store.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_pieces_why(struct cli_args *a)
{
	if (!a->positional) {
		fprintf(stderr, "frank: name the piece: frank pieces why --data DIR ID\n");
		return 2;
	}
	struct api_error err;
	struct store_options opt = { .dir = a->data, .pool_size = 1 };
	struct store *s = store_open(&opt, &err);
	json_t *why = s ? piece_why(s, a->positional, NULL, &err) : NULL;
	store_free(s);
	if (!why) {
		fprintf(stderr, "frank: %s\n", err.message);
		return 1;
	}
	char *text = json_dumps(why, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(why);
	if (!text)
		return 1;
	printf("%s\n", text);
	free(text);
	return 0;
}
