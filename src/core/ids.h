// SPDX-License-Identifier: AGPL-3.0-or-later
/* Random identifiers and secrets from the OS random source (OpenSSL RAND_bytes). Thread-safe. */
#ifndef FRANK_IDS_H
#define FRANK_IDS_H
#include <stddef.h>

/* Lob-style id: prefix + 16 lowercase hex ("adr_bae820679f3f536b"); 0 or -1 (no entropy) */
int ids_new(const char *prefix, char *out, size_t outlen);
/* prefix + 2*nbytes lowercase hex; 0 or -1 */
int ids_random_hex(const char *prefix, size_t nbytes, char *out, size_t outlen);
/* lowercase hex SHA-256 of data (out: 65 bytes) */
void ids_sha256_hex(const void *data, size_t len, char out[65]);
#endif
