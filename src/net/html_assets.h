// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The asset fetcher: before a piece's HTML is rendered, the remote files it references —
 * images (`<img src>`, `background`, CSS `url()`), style sheets (`<link rel=stylesheet>`,
 * `@import`) and the fonts and images those reference — are fetched under the SSRF rules
 * (net/fetch.h) and written into the HTML as `data:` URIs, so the renderer needs no network
 * (the Chromium pages load nothing else). Lob's own example templates load Google Fonts and
 * background images this way.
 *
 * Bounded: at most HTML_ASSETS_MAX files, HTML_ASSETS_MAX_BYTES together, 5 MB each (Lob's
 * remote-file limit), HTML_ASSETS_TIME_MS for all of them. Only images, fonts and CSS are
 * inlined. A file that cannot be fetched (refused address, error status, too large, out of
 * budget, another type) is left as written: the renderer shows it missing, as a browser would.
 * Thread-safe; blocks (call it from a render job).
 */
#ifndef FRANK_NET_HTML_ASSETS_H
#define FRANK_NET_HTML_ASSETS_H
#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

#define HTML_ASSETS_MAX 50
#define HTML_ASSETS_MAX_BYTES ((size_t)12 << 20)	/* as base64, inside the renderers' 20 MB */
#define HTML_ASSETS_TIME_MS 30000L

#define HTML_ASSETS_NOTES 4	/* missing files described, the first ones */
#define HTML_ASSETS_NOTE_MAX 320

struct html_assets_stats {
	unsigned found;		/* distinct remote references */
	unsigned inlined;	/* fetched and written in */
	unsigned missing;	/* left as written */
	/* the first missing files, "URL: why" (recorded on the piece for `frank pieces why`) */
	char notes[HTML_ASSETS_NOTES][HTML_ASSETS_NOTE_MAX];
};

/*
 * html (len bytes) → *out (malloc'd, NUL-terminated, *out_len bytes) with the remote
 * references it could fetch inlined. allow_private: FRANK_ALLOW_PRIVATE_URLS. 0, or -1 with
 * *err only for out of memory (unfetchable files are not errors; see above).
 */
int html_inline_assets(const char *html, size_t len, bool allow_private, char **out,
		       size_t *out_len, struct html_assets_stats *stats, struct api_error *err);

/* the remote references of CSS text, for tests: calls fn(url, len, ctx) for each url() and
 * @import string; returns how many */
unsigned css_each_url(const char *css, size_t len, void (*fn)(const char *url, size_t n, void *ctx),
		      void *ctx);
#endif
