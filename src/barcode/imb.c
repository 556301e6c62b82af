// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Intelligent Mail barcode: field checks (USPS-B-3200 data fields) and the zint call that turns
 * "TRACKING-ROUTING" into 65 bar states. The encoding itself (CRC, codewords, bar map) is
 * libzint's; tests/unit/barcode/test_barcodes.c holds it to every USPS-B-3200 vector.
 */
#include "barcode/imb.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zint.h>
#include "core/parse.h"

static bool barcode_id_ok(const char *bi)
{
	/* the second digit is encoded base 5 (USPS-B-3200 §2.2.1 step 2) */
	return bi[0] >= '0' && bi[0] <= '9' && bi[1] >= '0' && bi[1] <= '4';
}

int imb_tracking(const char *barcode_id, const char *stid, const char *mailer_id,
		 uint64_t serial, char tracking[IMB_TRACKING_LEN + 1], struct api_error *err)
{
	size_t mid_len, serial_len;
	uint64_t serial_max = 1;

	tracking[0] = '\0';
	if (!barcode_id || strlen_capped(barcode_id, 2) != 2 || !barcode_id_ok(barcode_id))
		return api_fail(err, ERR_INVALID,
				"imb barcode ID must be 2 digits, the second one 0-4");
	if (!stid || strlen_capped(stid, 3) != 3 || !digits_only(stid, 3))
		return api_fail(err, ERR_INVALID, "imb service type ID must be 3 digits");
	mid_len = mailer_id ? strlen_capped(mailer_id, 9) : 0;
	if (!((mid_len == 6 && digits_only(mailer_id, 6) && mailer_id[0] != '9') ||
	      (mid_len == 9 && digits_only(mailer_id, 9) && mailer_id[0] == '9')))
		return api_fail(err, ERR_INVALID, "imb mailer ID must be 6 digits not starting "
				"with 9, or 9 digits starting with 9");
	serial_len = 15 - mid_len;	/* MID + serial = 15 digits (imb.md §1) */
	for (size_t i = 0; i < serial_len; i++)
		serial_max *= 10;
	if (serial >= serial_max)
		return api_fail(err, ERR_INVALID, "imb serial number must fit in %zu digits",
				serial_len);
	memcpy(tracking, barcode_id, 2);
	memcpy(tracking + 2, stid, 3);
	memcpy(tracking + 5, mailer_id, mid_len);
	put_digits(tracking + 5 + mid_len, serial, serial_len);
	tracking[IMB_TRACKING_LEN] = '\0';
	return 0;
}

int imb_validate(const char *tracking20, const char *routing, struct api_error *err)
{
	size_t rlen;

	if (!tracking20 || strlen_capped(tracking20, IMB_TRACKING_LEN) != IMB_TRACKING_LEN ||
	    !digits_only(tracking20, IMB_TRACKING_LEN))
		return api_fail(err, ERR_INVALID, "imb tracking code must be 20 digits");
	if (!barcode_id_ok(tracking20))
		return api_fail(err, ERR_INVALID,
				"imb barcode ID must be 2 digits, the second one 0-4");
	rlen = routing ? strlen_capped(routing, 11) : 0;
	if ((rlen != 0 && rlen != 5 && rlen != 9 && rlen != 11) || !digits_only(routing, rlen))
		return api_fail(err, ERR_INVALID, "imb routing code must be 0, 5, 9 or 11 digits");
	return 0;
}

/* zint's module grid: bit-packed, LSB first (libzint 2.11's zint_symbol.encoded_data) */
static bool module_set(const struct zint_symbol *sym, int row, int col)
{
	return (sym->encoded_data[row][col >> 3] >> (col & 7)) & 1;
}

int imb_bars(const char *tracking20, const char *routing, char bars[IMB_BARS + 1],
	     struct api_error *err)
{
	struct zint_symbol *sym;
	char input[IMB_TRACKING_LEN + 1 + 11 + 1];
	int rc = -1;

	bars[0] = '\0';
	if (imb_validate(tracking20, routing, err) < 0)
		return -1;
	if (routing && routing[0])
		snprintf(input, sizeof(input), "%s-%s", tracking20, routing);
	else
		snprintf(input, sizeof(input), "%s", tracking20);

	sym = ZBarcode_Create();
	if (!sym)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	sym->symbology = BARCODE_USPS_IMAIL;
	if (ZBarcode_Encode(sym, (const unsigned char *)input, (int)strlen(input)) >= ZINT_ERROR) {
		api_fail(err, ERR_INTERNAL, "imb encoder failed: %s", sym->errtxt);
		goto out;
	}
	/* rows: 0 ascender, 1 tracker, 2 descender; bar i is column 2*i (gaps between) */
	if (sym->rows != 3 || sym->width != 2 * IMB_BARS - 1) {
		api_fail(err, ERR_INTERNAL, "imb encoder returned %dx%d modules", sym->rows,
			 sym->width);
		goto out;
	}
	for (int i = 0; i < IMB_BARS; i++) {
		bool up = module_set(sym, 0, 2 * i), down = module_set(sym, 2, 2 * i);

		bars[i] = up ? (down ? 'F' : 'A') : (down ? 'D' : 'T');
	}
	bars[IMB_BARS] = '\0';
	rc = 0;
out:
	ZBarcode_Delete(sym);
	return rc;
}
