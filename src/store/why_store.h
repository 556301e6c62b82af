// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Everything the store knows about one mail piece, for "why did this letter fail" (`frank
 * pieces why`): the piece as served, what its render noted, its jobs, its print runs and
 * its events. A diagnostic read: the events are found by the piece's account and mode
 * (events_list), the jobs by a scan of the jobs table (kept short by its purge).
 */
#ifndef FRANK_STORE_WHY_STORE_H
#define FRANK_STORE_WHY_STORE_H
#include <jansson.h>
#include "core/err.h"
#include "store/store.h"

/*
 * The piece id (any account; account_id non-NULL: that account's only) →
 * *out {"id","kind","account_id","mode","deleted","piece":{…},"render_notes":{…}|null,
 * "jobs":[{"kind","state","attempts","last_error","due_ms","updated_ms"}],
 * "print_runs":[{"run_id","lot_id","state","updated_ms"}],
 * "events":[{"type","created_ms"}]}, a new reference. 0 found, 1 no such piece, -1 error.
 */
int store_piece_why(struct store *s, const char *id, const char *account_id, json_t **out,
		    struct api_error *err);
#endif
