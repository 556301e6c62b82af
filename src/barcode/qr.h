// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * QR code module matrices for Lob's letter `qr_code` option, encoded by libzint. Gives the
 * modules only; placing and scaling them on the page is the renderer's job.
 *
 * Threads: no global state; may be called from any thread.
 */
#ifndef FRANK_BARCODE_QR_H
#define FRANK_BARCODE_QR_H
#include "core/err.h"
#include <stddef.h>

#define QR_MAX_SIZE 177		/* version 40 */
#define QR_MAX_DATA 2048	/* bytes accepted by qr_encode() */

struct qr_matrix {
	int size;		/* modules per side, 21 (version 1) .. 177; no quiet zone */
	unsigned char dark[QR_MAX_SIZE * QR_MAX_SIZE];	/* row-major, 1 dark, 0 light */
};

/* the module at (row, col); 0 outside the matrix */
int qr_module(const struct qr_matrix *m, int row, int col);

/*
 * Encodes len bytes of data (1..QR_MAX_DATA; a URL in practice) at error correction level M,
 * in the smallest version that fits. Fills *m (about 31 KB: keep it off small stacks).
 * 0, or -1: ERR_INVALID if data is empty or too long, ERR_INTERNAL if zint fails.
 */
int qr_encode(const char *data, size_t len, struct qr_matrix *m, struct api_error *err);
#endif
