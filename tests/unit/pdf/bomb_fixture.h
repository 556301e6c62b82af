// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The PDF bomb of issue 12, written as PDF syntax: one 8.5x11 page that draws form X1 `fan`
 * times; each form Xk draws X(k+1) `fan` times; the last form fills a 1 pt square. `levels`
 * forms deep, the page asks for fan^levels squares from a file of a few KB (40⁶ ≈ 4.1·10⁹).
 * Included by the render tests; everything is static.
 */
#ifndef FRANK_TEST_BOMB_FIXTURE_H
#define FRANK_TEST_BOMB_FIXTURE_H
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BOMB_MAX_LEVELS 8

struct bomb_buf {
	char *data;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3), unused))
static void bomb_put(struct bomb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < b->cap - b->len)
		b->len += (size_t)n;
	else
		b->len = b->cap;	/* too small: the caller sees a full buffer */
}

/* one stream object: `dict` inside << >>, content "/X Do\n" x fan, or the square */
__attribute__((unused))
static void bomb_stream(struct bomb_buf *b, int num, const char *dict, int fan, int leaf)
{
	static const char draw[] = "/X Do\n", square[] = "0 0 1 1 re f\n";
	size_t n = leaf ? strlen(square) : strlen(draw) * (size_t)fan;
	bomb_put(b, "%d 0 obj\n<< %s /Length %zu >>\nstream\n", num, dict, n);
	for (int i = 0; i < (leaf ? 1 : fan); i++)
		bomb_put(b, "%s", leaf ? square : draw);
	bomb_put(b, "\nendstream\nendobj\n");
}

/* malloc'd PDF bytes: 1 catalog, 2 pages, 3 page, 4 its content, 5.. the forms */
__attribute__((unused))
static unsigned char *bomb_pdf(int levels, int fan, size_t *len)
{
	if (levels < 1 || levels > BOMB_MAX_LEVELS || fan < 1 || fan > 1000)
		return NULL;
	struct bomb_buf b = { malloc(16384 + (size_t)fan * 8 * (levels + 1)), 0, 0 };
	size_t offs[4 + BOMB_MAX_LEVELS + 1];
	int n_objs = 4 + levels;
	char dict[200];
	if (!b.data)
		return NULL;
	b.cap = 16384 + (size_t)fan * 8 * (levels + 1);
	bomb_put(&b, "%%PDF-1.4\n");
	offs[1] = b.len;
	bomb_put(&b, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
	offs[2] = b.len;
	bomb_put(&b, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
	offs[3] = b.len;
	bomb_put(&b, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
		     "/Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>\nendobj\n");
	offs[4] = b.len;
	bomb_stream(&b, 4, "", fan, 0);
	for (int k = 0; k < levels; k++) {
		int num = 5 + k, leaf = k == levels - 1;
		snprintf(dict, sizeof dict, "/Type /XObject /Subtype /Form /BBox [0 0 612 792]%s",
			 leaf ? "" : " /Resources << /XObject << /X ");
		if (!leaf) {
			size_t used = strlen(dict);
			snprintf(dict + used, sizeof dict - used, "%d 0 R >> >>", num + 1);
		}
		offs[num] = b.len;
		bomb_stream(&b, num, dict, fan, leaf);
	}
	size_t xref = b.len;
	bomb_put(&b, "xref\n0 %d\n0000000000 65535 f \n", n_objs + 1);
	for (int i = 1; i <= n_objs; i++)
		bomb_put(&b, "%010zu 00000 n \n", offs[i]);
	bomb_put(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", n_objs + 1,
		 xref);
	if (b.len >= b.cap) {
		free(b.data);
		return NULL;
	}
	*len = b.len;
	return (unsigned char *)b.data;
}
#endif
