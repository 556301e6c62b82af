// SPDX-License-Identifier: AGPL-3.0-or-later
/* A fast PNG encoder for thumbnails (see png_fast.h). */
#include "pdf/png_fast.h"
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* finish a chunk whose 4-byte length slot is at c and whose data is len bytes long */
static unsigned char *end_chunk(unsigned char *c, uint32_t len)
{
	put32(c, len);
	uLong crc = crc32(0, c + 4, 4 + len);	/* type and data */
	put32(c + 8 + len, (uint32_t)crc);
	return c + 12 + len;
}

static bool all_grey(const unsigned char *s, int w, int h, size_t stride)
{
	for (int y = 0; y < h; y++) {
		const unsigned char *p = s + (size_t)y * stride;
		for (int x = 0; x < w; x++, p += 3)
			if (p[0] != p[1] || p[1] != p[2])
				return false;
	}
	return true;
}

/* a growable output: the chunk headers first, then the deflated rows */
struct out {
	unsigned char *p;
	size_t len, cap;
};

static bool reserve(struct out *o, size_t more)
{
	if (o->cap - o->len >= more)
		return true;
	size_t cap = o->cap * 2 > o->len + more ? o->cap * 2 : o->len + more;
	unsigned char *p = realloc(o->p, cap);
	if (!p)
		return false;
	o->p = p;
	o->cap = cap;
	return true;
}

/* deflate the rows (filter type 0) onto o; false when out of memory */
static bool deflate_rows(const unsigned char *s, int w, int h, size_t stride, bool grey,
			 struct out *o)
{
	size_t row_bytes = grey ? (size_t)w : (size_t)w * 3;
	unsigned char *row = malloc(row_bytes + 1);
	z_stream z;
	memset(&z, 0, sizeof z);
	if (!row || deflateInit(&z, PNG_FAST_LEVEL) != Z_OK) {
		free(row);
		return false;
	}
	bool ok = true;
	for (int y = 0; y < h && ok; y++) {
		const unsigned char *p = s + (size_t)y * stride;
		row[0] = 0;
		if (grey)
			for (int x = 0; x < w; x++)
				row[1 + x] = p[3 * x];
		else
			memcpy(row + 1, p, row_bytes);
		z.next_in = row;
		z.avail_in = (uInt)(row_bytes + 1);
		int flush = y + 1 == h ? Z_FINISH : Z_NO_FLUSH, rc = Z_OK;
		do {
			/* grown as needed: a worst-case buffer costs page faults on every call */
			if (!reserve(o, 16384)) {
				ok = false;
				break;
			}
			z.next_out = o->p + o->len;
			z.avail_out = (uInt)(o->cap - o->len);
			rc = deflate(&z, flush);
			o->len = o->cap - z.avail_out;
		} while (rc == Z_OK && (z.avail_in > 0 || z.avail_out == 0 || flush == Z_FINISH));
		if (rc == Z_STREAM_ERROR || (flush == Z_FINISH && rc != Z_STREAM_END))
			ok = false;
	}
	deflateEnd(&z);
	free(row);
	return ok;
}

unsigned char *png_fast_rgb(const unsigned char *samples, int w, int h, size_t stride,
			    size_t *len)
{
	*len = 0;
	if (!samples || w < 1 || h < 1 || w > 65535 || h > 65535 || stride < (size_t)w * 3)
		return NULL;
	bool grey = all_grey(samples, w, h, stride);
	/* a page thumbnail deflates to a few percent of its raw size: start there */
	struct out o = { .cap = 8 + 25 + 12 + (size_t)w * (size_t)h / 8 + 16384 };
	o.p = malloc(o.cap);
	if (!o.p)
		return NULL;
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	memcpy(o.p, sig, 8);
	unsigned char *c = o.p + 8;
	memcpy(c + 4, "IHDR", 4);
	put32(c + 8, (uint32_t)w);
	put32(c + 12, (uint32_t)h);
	c[16] = 8;			/* bit depth */
	c[17] = grey ? 0 : 2;		/* greyscale or truecolour */
	c[18] = c[19] = c[20] = 0;	/* deflate, adaptive filtering, no interlace */
	end_chunk(c, 13);
	size_t idat = 8 + 25;
	o.len = idat + 8;
	if (!deflate_rows(samples, w, h, stride, grey, &o) || o.len - idat - 8 > UINT32_MAX ||
	    !reserve(&o, 4 + 12)) {
		free(o.p);
		return NULL;
	}
	memcpy(o.p + idat + 4, "IDAT", 4);
	c = end_chunk(o.p + idat, (uint32_t)(o.len - idat - 8));
	memcpy(c + 4, "IEND", 4);
	c = end_chunk(c, 0);
	*len = (size_t)(c - o.p);
	return o.p;
}
