// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The Informed Delivery campaigns as a CSV for the USPS portal. Frank cannot submit a
 * campaign to USPS (no USPS API account); the mail room enters each one in the Informed
 * Delivery portal by hand from this file (docs/internals/informed_delivery.md). One row a
 * campaign, oldest first; the image links are signed asset links (30 days).
 */
#ifndef FRANK_PRODUCTION_INFD_EXPORT_H
#define FRANK_PRODUCTION_INFD_EXPORT_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "store/store.h"

#define INFD_KIND "informed_delivery_campaign"
/* the stored object's private keys (never served): the images' asset keys */
#define INFD_RIDE_ALONG_ASSET "_ride_along_image_asset"
#define INFD_REPRESENTATIVE_ASSET "_representative_image_asset"

/*
 * every account's campaigns (live ones; test ones too when include_test) → *csv (malloc'd,
 * the caller frees) of *len bytes. file_url: the base of the image links (NULL: no links,
 * file names only). 0, or -1 with *err.
 */
int infd_export_csv(struct store *s, const char *data_dir, const char *file_url,
		    bool include_test, char **csv, size_t *len, struct api_error *err);
#endif
