// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * USPS Intelligent Mail barcode (IMb, USPS-B-3200): builds and checks the
 * 20-digit tracking code and the routing code, and encodes them with libzint into the 65
 * bar states. No drawing here: the letter renderer turns the bar string into rectangles.
 *
 * Threads: no global state; every function may be called from any thread.
 */
#ifndef FRANK_BARCODE_IMB_H
#define FRANK_BARCODE_IMB_H
#include "core/err.h"
#include <stdint.h>

#define IMB_TRACKING_LEN 20
#define IMB_BARS 65

/*
 * Builds the 20-digit tracking code: barcode ID (2 digits, the second 0-4), service type ID
 * (3 digits), mailer ID (6 digits not starting with 9, or 9 digits starting with 9) and a
 * serial number zero-padded to 9 digits (6-digit MID) or 6 digits (9-digit MID).
 * Writes tracking[0..20] NUL-terminated. 0, or -1 with ERR_INVALID and a message naming
 * the field; tracking is then "".
 */
int imb_tracking(const char *barcode_id, const char *stid, const char *mailer_id,
		 uint64_t serial, char tracking[IMB_TRACKING_LEN + 1], struct api_error *err);

/*
 * Checks a tracking code (20 digits, barcode ID second digit 0-4) and a routing code
 * (NULL or 0, 5, 9 or 11 digits: none, ZIP, ZIP+4, ZIP+4+delivery point). 0 or -1 (ERR_INVALID).
 */
int imb_validate(const char *tracking20, const char *routing, struct api_error *err);

/*
 * Encodes the barcode: bars[0..65] gets one letter per bar, left to right, NUL-terminated:
 * 'F' full, 'A' ascender, 'D' descender, 'T' tracker (USPS-B-3200 §2.2.6). routing may be
 * NULL or "". 0, or -1: ERR_INVALID for bad input (as imb_validate), ERR_INTERNAL if libzint
 * fails; bars is then "".
 */
int imb_bars(const char *tracking20, const char *routing, char bars[IMB_BARS + 1],
	     struct api_error *err);
#endif
