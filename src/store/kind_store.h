// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Every account's objects of one kind, for the mail room's exports (the Informed Delivery
 * campaigns it enters in the USPS portal): a read across accounts, bounded by a row limit.
 */
#ifndef FRANK_STORE_KIND_STORE_H
#define FRANK_STORE_KIND_STORE_H
#include <stdbool.h>
#include <jansson.h>
#include "core/err.h"
#include "store/store.h"

#define STORE_KIND_ALL_MAX 100000	/* rows one export reads at most */

/*
 * kind's objects that are not deleted, oldest first, live only unless include_test →
 * *out a new JSON array of the objects as stored. 0, or -1 with *err.
 */
int store_objects_of_kind(struct store *s, const char *kind, bool include_test, json_t **out,
			  struct api_error *err);
#endif
