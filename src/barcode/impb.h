// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * USPS Intelligent Mail package barcode (IMpb) tracking numbers (the PIC) for Certified
 * and Registered letters: build, check (MOD 10) and encode as GS1-128 with libzint
 * (USPS Publication 199). No drawing and no tracking events here.
 *
 * Threads: no global state; every function may be called from any thread.
 */
#ifndef FRANK_BARCODE_IMPB_H
#define FRANK_BARCODE_IMPB_H
#include "core/err.h"
#include <stddef.h>
#include <stdint.h>

#define IMPB_PIC_MAX 26		/* longest PIC: 26 digits */

/* one row of the USPS Service Type Code table (impb_certified.md §4.1, First-Class Mail) */
struct impb_stc {
	const char *stc;		/* "071" */
	const char *description;	/* "First-Class Mail: Certified Mail" */
	const char *banner;		/* text printed above the barcode, ASCII */
};

/* the row for a 3-digit STC, or NULL if Frank does not know it; borrowed (static) */
const struct impb_stc *impb_stc_lookup(const char *stc);

/*
 * The STC for Lob's letter `extra_service` ("certified" 071, "certified_return_receipt"
 * 148, "registered" 501: impb_certified.md §4.1, only 071 observed in Lob's output), or
 * NULL for any other value. Static storage.
 */
const char *impb_stc_for_extra_service(const char *extra_service);

/*
 * The MOD 10 check digit (Pub 199) of the n digits at s, which exclude the check digit:
 * weight 3 on the rightmost, then 1, 3, ... Returns '0'..'9', or 0 if s has a non-digit.
 */
char impb_check_digit(const char *s, size_t n);

/*
 * Builds a commercial PIC (impb_certified.md §4.2): channel "92" with a 9-digit mailer ID
 * (first digit 9) or "93" with a 6-digit one (first digit 0-8), the 3-digit STC, the mailer
 * ID, the serial zero-padded to fill the construct, and the check digit. pic_len is 22
 * (serial 7 or 10 digits) or 26 (serial 11 or 14 digits; Lob's certified numbers are 26,
 * "92071902358909…"). Writes pic NUL-terminated; 0, or -1 (ERR_INVALID) with pic "".
 */
int impb_build(const char *stc, const char *mailer_id, uint64_t serial, size_t pic_len,
	       char pic[IMPB_PIC_MAX + 1], struct api_error *err);

/*
 * Checks a tracking number: digits only; 22 or 26 digits with channel 91-95 (92 needs a
 * mailer ID starting with 9, 93 one that does not), a legacy 20-digit PIC, or a full
 * 30/34-digit barcode string "420"+ZIP+22-digit PIC; and its MOD 10 check digit (for the
 * 420 forms, over the last 22 digits). 0 or -1 (ERR_INVALID).
 */
int impb_validate(const char *pic, struct api_error *err);

/*
 * The human-readable number printed under the barcode: the PIC in blocks of four digits
 * from the left ("9207 1902 3589 0900 0011 2755 38", §4.4). pic must be valid (22 or 26
 * digits). 0, or -1 (ERR_INVALID, or ERR_INTERNAL if hri is too small).
 */
int impb_hri(const char *pic, char *hri, size_t hrilen, struct api_error *err);

/*
 * Encodes "(420)ZIP(92)…" as GS1-128 with libzint. zip is 5 or 9 digits (ZIP or ZIP+4),
 * tracking a valid 22- or 26-digit PIC, whose first two digits are its GS1 AI.
 * modules gets the bar and space widths from the first bar to the last, one digit 1-4 each
 * (bar, space, bar, ...; quiet zones not included), NUL-terminated; hri gets impb_hri().
 * 0, or -1: ERR_INVALID for bad input, ERR_INTERNAL if zint fails or a buffer is too small.
 */
int impb_gs1_modules(const char *zip, const char *tracking, char *modules, size_t len,
		     char *hri, size_t hrilen, struct api_error *err);
#endif
