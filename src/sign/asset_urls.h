// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Signed asset URLs, as Lob hands them out: "<public>/assets/<key>?expires=<epoch s>&
 * signature=<hex HMAC-SHA256(secret, key "\n" expires)>", valid 30 days. The secret is 32
 * random bytes created once in DATA/asset_secret (mode 0600) and cached per process; the
 * signature is the only authorisation GET /assets/{key} asks for.
 */
#ifndef FRANK_SIGN_ASSET_URLS_H
#define FRANK_SIGN_ASSET_URLS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define ASSET_URL_TTL_S (30LL * 24 * 3600)	/* Lob: "links … expire in 30 days" */
#define ASSET_SECRET_LEN 32
#define ASSET_SIGNATURE_HEX 64

/* the data directory's signing secret, created on first use; 0, or -1 with ERR_INTERNAL */
int asset_secret_get(const char *data_dir, unsigned char secret[ASSET_SECRET_LEN],
		     struct api_error *err);

/*
 * writes the signed URL for key to out. expires_s: epoch seconds when the link stops
 * working; 0 for Lob's 30 days from now (the app clock). 0, or -1 with *err (bad key, no
 * room in out, secret unavailable).
 */
int asset_url(const char *data_dir, const char *public_url, const char *key,
	      long long expires_s, char *out, size_t outlen, struct api_error *err);

/*
 * checks a request's expires and signature (raw query values, may be NULL) for key at
 * now_s. 0 when valid; -1 with a 403 error (signature missing, wrong or expired) or
 * ERR_INTERNAL. The comparison takes the same time wherever the signature differs.
 */
int asset_url_verify(const char *data_dir, const char *key, const char *expires,
		     const char *signature, long long now_s, struct api_error *err);
/*
 * Mail-piece files at links shaped as Lob's ("<base>/letters/ltr_….pdf?expires=…&signature=…",
 * thumbnails "…/ltr_…_thumb_small_1.png…"), which Lob's SDKs insist on: path is
 * "<letters|postcards|self-mailers|checks>/<file>", signed like asset links. base is the
 * --asset-url (Lob's SDK models accept only https://lob-assets.com links).
 */
bool piece_file_path_valid(const char *path);
int piece_file_url(const char *data_dir, const char *base_url, const char *path,
		   long long expires_s, char *out, size_t outlen, struct api_error *err);
int piece_file_verify(const char *data_dir, const char *path, const char *expires,
		      const char *signature, long long now_s, struct api_error *err);
/*
 * Print-run files (src/production/): path "print-runs/run_<16 hex>/<name>", name of
 * [A-Za-z0-9_.-] not starting with '.', signed like the others (the operator's downloads).
 */
bool run_file_path_valid(const char *path);
int run_file_url(const char *data_dir, const char *base_url, const char *path,
		 long long expires_s, char *out, size_t outlen, struct api_error *err);
int run_file_verify(const char *data_dir, const char *path, const char *expires,
		    const char *signature, long long now_s, struct api_error *err);
#endif
