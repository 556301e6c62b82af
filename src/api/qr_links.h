// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A mail piece's qr_code (letters, postcards, self-mailers, booklets): checked against the
 * piece's own size and page names, and, when frankd has a --link-host, given a short link of
 * its own (a qr_link object with the piece as resource_id, committed with the piece) that
 * the printed code encodes, so each scan is a recorded click (docs/internals/links.md).
 */
#ifndef FRANK_API_QR_LINKS_H
#define FRANK_API_QR_LINKS_H
#include "api/pieces.h"

/* after piece_begin and the merge variables; nothing without a qr_code. 0 or -1 */
int piece_qr_link(struct piece *p, struct api_error *err);
#endif
