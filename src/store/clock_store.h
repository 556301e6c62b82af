// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The test clock of several nodes on one PostgreSQL database (FRANK_CLOCK): its offset from
 * real time lives in the database, the first node's start sets it, and a node that moves it
 * tells the others (pg_listen.c applies it). One SQLite node keeps its clock to itself.
 */
#ifndef FRANK_CLOCK_STORE_H
#define FRANK_CLOCK_STORE_H
#include "store/store.h"

/* the shared offset, set to offset_ms if no node set one before; 0 or -1 */
int store_clock_join(struct store *s, long long offset_ms, long long *shared_ms,
		     struct api_error *err);
/* moves the shared offset forward by delta_ms and tells the other nodes; 0 or -1 */
int store_clock_advance(struct store *s, long long delta_ms, long long *shared_ms,
			struct api_error *err);
#endif
