// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The read-only data frankd and frank read at run time (us_zips.csv, prices_usps.csv):
 * installed by `meson install` in <datadir>/frank (FHS: /usr/share/frank), found there unless
 * --share-dir or $FRANK_SHARE_DIR says otherwise (the tests point it at the source's data/).
 */
#ifndef FRANK_PATHS_H
#define FRANK_PATHS_H
#include <stddef.h>

#define SHARE_ZIP_DATA	  "us_zips.csv"
#define SHARE_PRICE_TABLE "prices_usps.csv"
#define SHARE_PRICE_LIST "prices.json"	/* the credits price list (mail/price_list.h) */

/* the installed read-only data directory, <prefix>/<datadir>/frank */
const char *share_dir_default(void);
/* $FRANK_SHARE_DIR if set, else share_dir_default() */
const char *share_dir_from_env(void);
/* the installed data directory's default (--data), <localstatedir>/lib/frank */
const char *data_dir_default(void);
/* "dir/name" in buf; buf, or NULL when it does not fit */
const char *share_file(const char *dir, const char *name, char *buf, size_t len);
#endif
