// SPDX-License-Identifier: AGPL-3.0-or-later
/* QR code matrices: a thin wrapper over libzint's BARCODE_QRCODE. */
#include "barcode/qr.h"
#include <string.h>
#include <zint.h>

int qr_module(const struct qr_matrix *m, int row, int col)
{
	if (row < 0 || col < 0 || row >= m->size || col >= m->size)
		return 0;
	return m->dark[row * m->size + col];
}

int qr_encode(const char *data, size_t len, struct qr_matrix *m, struct api_error *err)
{
	struct zint_symbol *sym;
	int rc = -1;

	m->size = 0;
	if (!data || len == 0 || len > QR_MAX_DATA)
		return api_fail(err, ERR_INVALID, "qr code data must be 1 to %d bytes",
				QR_MAX_DATA);
	sym = ZBarcode_Create();
	if (!sym)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	sym->symbology = BARCODE_QRCODE;
	sym->option_1 = 2;	/* ECC level M: 15% recovery, enough for print */
	sym->input_mode = DATA_MODE;	/* bytes as given, no ECI guessing */
	if (ZBarcode_Encode(sym, (const unsigned char *)data, (int)len) >= ZINT_ERROR) {
		api_fail(err, ERR_INTERNAL, "qr encoder failed: %s", sym->errtxt);
		goto out;
	}
	if (sym->rows != sym->width || sym->rows < 21 || sym->rows > QR_MAX_SIZE) {
		api_fail(err, ERR_INTERNAL, "qr encoder returned %dx%d modules", sym->rows,
			 sym->width);
		goto out;
	}
	m->size = sym->rows;
	for (int r = 0; r < m->size; r++)
		for (int c = 0; c < m->size; c++)
			m->dark[r * m->size + c] = (sym->encoded_data[r][c >> 3] >> (c & 7)) & 1;
	rc = 0;
out:
	ZBarcode_Delete(sym);
	return rc;
}
