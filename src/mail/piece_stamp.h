// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A piece as Lob shows it (letter, postcard, self-mailer, snap pack, booklet, check JSON) →
 * the stamping request for stamp/stamp.h: product and size, placement, sides, the address
 * lines, the IMb, the certified tracking number, Lob's qr_code and the check's face. Shared by
 * the render job and `frank render`, so both stamp a piece the same way.
 */
#ifndef FRANK_MAIL_PIECE_STAMP_H
#define FRANK_MAIL_PIECE_STAMP_H
#include <jansson.h>
#include "core/arena.h"
#include "core/err.h"
#include "stamp/stamp.h"

/* what the request points into (owned by the caller, alive as long as the request) */
struct piece_stamp {
	struct stamp_request rq;
	struct stamp_check check;
	char zip5[6];
};

/*
 * kind: Lob's object ("letter", ...). piece: the piece JSON; bank: a check's bank account
 * with its full account number (NULL: the piece's own `bank_account`); bars: the 65 IMb
 * letters, NULL for an international piece (no IMb). Strings point into piece, bank and the arena. 0, or -1 with *err.
 */
int piece_stamp_request(const char *kind, const json_t *piece, const json_t *bank,
			const char *bars, struct arena *a, struct piece_stamp *out,
			struct api_error *err);

/* an address object → up to STAMP_LINES lines (NULL-terminated when fewer) */
void piece_address_lines(const json_t *address, struct arena *a, const char *out[STAMP_LINES]);

/* the IMb routing code of an address: its ZIP or ZIP+4 as digits, or "" */
const char *piece_routing_code(const json_t *address, struct arena *a);

/* a relaxed legacy merge of a short text (a QR redirect URL): malloc'd, or NULL with *err */
char *piece_merge_text(const char *text, const json_t *vars, struct api_error *err);
#endif
