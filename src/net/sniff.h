// SPDX-License-Identifier: AGPL-3.0-or-later
/* Content type from a file's first bytes (remote files, uploads): PDF, PNG, JPEG, HTML. */
#ifndef FRANK_SNIFF_H
#define FRANK_SNIFF_H
#include <stddef.h>

/*
 * "application/pdf", "image/png", "image/jpeg", "text/html", or NULL when none matches.
 * Reads at most the first 1024 bytes. Static strings.
 */
const char *net_sniff_type(const unsigned char *data, size_t len);
#endif
