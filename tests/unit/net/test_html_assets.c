// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The asset fetcher against a local server: images by attribute, in style attributes and
 * style elements, a linked style sheet whose relative font and image are inlined inside it,
 * @import; what stays as written (HTML, 404, data:, relative URLs, private addresses without
 * the operator's permission); the per-document file budget; and the CSS scanner's table.
 */
#include "net/html_assets.h"
#include "test.h"
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDRfrank";
static const char font[] = "wOF2-frank-font";
static const char css[] = "@font-face{font-family:F;src:url(fonts/f.woff2) format('woff2')}"
			  ".b{background:url('/a.png')}";

static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url,
			     const char *method, const char *version, const char *data,
			     size_t *size, void **state)
{
	(void)cls, (void)method, (void)version, (void)data, (void)size, (void)state;
	const char *body = NULL, *type = NULL;
	size_t len = 0;
	unsigned status = 200;
	if (strncmp(url, "/a.png", 6) == 0 || strncmp(url, "/img/", 5) == 0)
		body = png, len = sizeof(png) - 1, type = "image/png";
	else if (strcmp(url, "/css/fonts/f.woff2") == 0)
		body = font, len = sizeof(font) - 1, type = "application/octet-stream";
	else if (strcmp(url, "/css/style.css") == 0)
		body = css, len = sizeof(css) - 1, type = "text/css; charset=utf-8";
	else if (strcmp(url, "/page.html") == 0)
		body = "<html></html>", len = 13, type = "text/html";
	else
		body = "no", len = 2, type = "text/plain", status = 404;
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body,
								 MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", type);
	enum MHD_Result rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

static char *b64(const char *d, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)d, (int)n);
	return out;
}

/* the decoded body of the first data:text/css;base64 URI in s (malloc'd) */
static char *first_css(const char *s)
{
	const char *p = strstr(s, "data:text/css;base64,");
	if (!p)
		return NULL;
	p += 21;
	size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
	char *out = calloc(1, n + 1);
	int got = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)p, (int)n);
	if (got < 0) {
		free(out);
		return NULL;
	}
	return out;
}

static unsigned hits;
static char seen[8][64];

static void on_url(const char *url, size_t n, void *ctx)
{
	(void)ctx;
	if (hits < 8)
		snprintf(seen[hits], sizeof(seen[0]), "%.*s", (int)n, url);
	hits++;
}

static void test_css_scan(void)
{
	static const struct {
		const char *css;
		unsigned n;
		const char *first;
	} cases[] = {
		{ "a{background:url(x.png)}", 1, "x.png" },
		{ "a{background:URL( \"x y.png\" )}", 1, "x y.png" },
		{ "a{background:url('q\\'s.png')}", 1, "q\\'s.png" },
		{ "@import \"a.css\"; @import url(b.css);", 2, "a.css" },
		{ "/* url(no.png) */ b{}", 0, NULL },
		{ "a{x:myurl(no.png)}", 0, NULL },
		{ "a{background:url(", 1, "" },
		{ "", 0, NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hits = 0;
		unsigned n = css_each_url(cases[i].css, strlen(cases[i].css), on_url, NULL);
		CHECK_INT(n, cases[i].n, "css %zu: %s: %u references", i, cases[i].css, cases[i].n);
		if (cases[i].first)
			CHECK_STR(seen[0], cases[i].first, "css %zu: the first URL", i);
	}
}

static void test_inline(unsigned port)
{
	char base[64], doc[4096];
	snprintf(base, sizeof(base), "http://127.0.0.1:%u", port);
	snprintf(doc, sizeof(doc),
		 "<html><head><link rel=\"stylesheet\" href=\"%s/css/style.css\">"
		 "<style>@import \"%s/css/style.css\"; .x{background:url(%s/a.png?s=1)}</style></head>"
		 "<body><img src=\"%s/a.png\"><img src='%s/page.html'><img src=\"%s/missing.png\">"
		 "<div style=\"background-image:url(&quot;%s/a.png&quot;)\">x</div>"
		 "<img src=\"data:image/png;base64,AAAA\"><img src=\"relative.png\">"
		 "<table background=\"%s/img/t.png\"></table></body></html>",
		 base, base, base, base, base, base, base, base);
	char *out = NULL;
	size_t out_len = 0;
	struct html_assets_stats st;
	struct api_error err;
	CHECK_INT(html_inline_assets(doc, strlen(doc), true, &out, &out_len, &st, &err), 0,
		  "inlined");
	char *png64 = b64(png, sizeof(png) - 1), want[256];
	snprintf(want, sizeof(want), "<img src=\"data:image/png;base64,%s\">", png64);
	CHECK(out && strstr(out, want), "an <img> becomes a data: URI of the PNG");
	snprintf(want, sizeof(want), "%s/a.png\"", base);
	CHECK(out && !strstr(out, want), "no reference to the PNG is left");
	snprintf(want, sizeof(want), "background:url(data:image/png;base64,%s)}", png64);
	CHECK(out && strstr(out, want), "a url() in a style element");
	snprintf(want, sizeof(want), "url(&quot;data:image/png;base64,%s&quot;)", png64);
	CHECK(out && strstr(out, want), "a url() in a style attribute, entities kept");
	snprintf(want, sizeof(want), "background=\"data:image/png;base64,%s\"", png64);
	CHECK(out && strstr(out, want), "a background attribute");
	snprintf(want, sizeof(want), "<img src='%s/page.html'>", base);
	CHECK(out && strstr(out, want), "an HTML page is not an image: kept");
	snprintf(want, sizeof(want), "<img src=\"%s/missing.png\">", base);
	CHECK(out && strstr(out, want), "a 404 is kept");
	CHECK(out && strstr(out, "<img src=\"data:image/png;base64,AAAA\">"), "data: kept");
	CHECK(out && strstr(out, "<img src=\"relative.png\">"), "a relative URL (no page URL) kept");
	CHECK(out && strstr(out, "<link rel=\"stylesheet\" href=\"data:text/css;base64,"),
	      "the linked style sheet becomes a data: URI");
	CHECK(out && strstr(out, "@import \"data:text/css;base64,"), "@import too");
	char *sheet = out ? first_css(out) : NULL;
	char *font64 = b64(font, sizeof(font) - 1);
	snprintf(want, sizeof(want), "src:url(data:font/woff2;base64,%s) format('woff2')", font64);
	CHECK(sheet && strstr(sheet, want),
	      "inside it the relative font is resolved against the sheet and inlined (by extension)");
	snprintf(want, sizeof(want), "url('data:image/png;base64,%s')", png64);
	CHECK(sheet && strstr(sheet, want), "and the root-relative image");
	/* distinct: style.css, its font, a.png (the sheet's /a.png is the same), a.png?s=1,
	 * page.html, missing.png, img/t.png */
	CHECK_INT(st.found, 7, "seven distinct remote files");
	CHECK_INT(st.inlined, 5, "five inlined");
	CHECK_INT(st.missing, 2, "two kept");
	free(sheet);
	free(out);

	/* without the operator's permission 127.0.0.1 is private: nothing fetched */
	CHECK_INT(html_inline_assets(doc, strlen(doc), false, &out, &out_len, &st, &err), 0,
		  "private addresses refused, still an answer");
	CHECK(out && out_len == strlen(doc) && strcmp(out, doc) == 0, "the document unchanged");
	CHECK_INT(st.inlined, 0, "nothing inlined");
	free(out);
	free(font64);
	free(png64);
}

static void test_budget(unsigned port)
{
	size_t cap = 64 * 80 + 64, n = 0;
	char *doc = malloc(cap);
	n += (size_t)snprintf(doc + n, cap - n, "<p>");
	for (int i = 0; i < 60; i++)
		n += (size_t)snprintf(doc + n, cap - n, "<img src=\"http://127.0.0.1:%u/img/%d.png\">",
				      port, i);
	char *out = NULL;
	size_t out_len;
	struct html_assets_stats st;
	struct api_error err;
	CHECK_INT(html_inline_assets(doc, n, true, &out, &out_len, &st, &err), 0, "60 images");
	CHECK_INT(st.inlined, HTML_ASSETS_MAX, "at most HTML_ASSETS_MAX inlined");
	CHECK_INT(st.missing, 60 - HTML_ASSETS_MAX, "the rest kept");
	free(out);
	free(doc);
	const char *plain = "<p>no remote files</p>";
	CHECK_INT(html_inline_assets(plain, strlen(plain), true, &out, &out_len, &st, &err), 0,
		  "a plain document");
	CHECK(out && strcmp(out, plain) == 0 && st.found == 0, "comes back as it was");
	free(out);
}

int main(void)
{
	test_css_scan();
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
						0, NULL, NULL, serve, NULL, MHD_OPTION_END);
	const union MHD_DaemonInfo *info = d ? MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	if (!info) {
		printf("Bail out! cannot start the HTTP server\n");
		return 1;
	}
	test_inline(info->port);
	test_budget(info->port);
	MHD_stop_daemon(d);
	return test_done();
}
