// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Looking up mail pieces for the dashboard where the API has no call (migration 16):
 * pieces whose recipient's name starts with some text (an index on the lower-cased to.name
 * per account, mode and kind: a range read, never a scan of the JSON), and the events of one
 * object (an index on events.object_id). docs/internals/dashboard.md.
 */
#ifndef FRANK_STORE_PIECE_SEARCH_STORE_H
#define FRANK_STORE_PIECE_SEARCH_STORE_H
#include "core/arena.h"
#include "core/err.h"
#include "store/store.h"

/*
 * Pieces of q->scope (account, mode, kind) not canceled whose to.name starts with prefix
 * (ASCII case ignored), newest first, paged by q's limit and after/before cursors as a list
 * (store_list_page_done); the rows are the stored objects' JSON. 0, or -1 with *err.
 */
int piece_search_name(struct store *s, const struct store_list_query *q, const char *prefix,
		      struct arena *a, struct store_list_result *out, struct api_error *err);

/* the events of object_id in account_id/mode, newest first, at most max (JSON rows in the
 * arena): the number, or -1 with *err */
int piece_events(struct store *s, const char *account_id, enum store_mode mode,
		 const char *object_id, char **out, int max, struct arena *a,
		 struct api_error *err);
#endif
