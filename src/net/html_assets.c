// SPDX-License-Identifier: AGPL-3.0-or-later
/* The asset fetcher: remote images, style sheets and fonts of a piece's HTML → data: URIs. */
#include "net/html_assets.h"
#include "core/timeutil.h"
#include "core/log.h"
#include "net/fetch.h"
#include "net/sniff.h"
#include <curl/curl.h>
#include <gumbo.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define REFS_MAX 10000		/* references looked at in one document */
#define CSS_DEPTH_MAX 2		/* a style sheet's @import of a style sheet, no deeper */

/* a stretch of text to replace by a data: URI */
struct ref {
	size_t start, end;
	char *url;		/* absolute http(s) URL, malloc'd */
	bool css;		/* a style sheet (link, @import), not an image or font */
	bool style_attr;	/* a style attribute: url holds its decoded CSS, rewritten whole */
	const char *data_uri;	/* the replacement (owned by the fetched list or below), NULL: keep */
	char *owned;		/* a style attribute's new value */
};

struct refs {
	struct ref *v;
	size_t n, cap;
};

/* every URL fetched in this call, once */
struct fetched {
	char *url;
	char *data_uri;		/* NULL: could not be inlined */
};

struct ctx {
	bool allow_private;
	long long deadline_ms;
	size_t bytes_left;
	unsigned files_left;
	struct fetched *done;
	size_t n_done, cap_done;
	struct html_assets_stats *stats;
	bool oom;
};

/* ---- URLs ---- */

/* rel (n bytes) resolved against base (NULL: rel must be absolute) → malloc'd http(s) URL */
static char *resolve(const char *base, const char *rel, size_t n)
{
	while (n && (*rel == ' ' || *rel == '\t' || *rel == '\n' || *rel == '\r' || *rel == '\f'))
		rel++, n--;
	while (n && (rel[n - 1] == ' ' || rel[n - 1] == '\t' || rel[n - 1] == '\n' || rel[n - 1] == '\r'))
		n--;
	if (n == 0 || n > 2048 || (n >= 5 && strncasecmp(rel, "data:", 5) == 0))
		return NULL;
	char *r = malloc(n + 7);
	if (!r)
		return NULL;
	if (!base && n > 2 && rel[0] == '/' && rel[1] == '/') {
		memcpy(r, "https:", 6);	/* protocol-relative, with no page URL: https */
		memcpy(r + 6, rel, n);
		r[n + 6] = '\0';
	} else {
		memcpy(r, rel, n);
		r[n] = '\0';
	}
	CURLU *u = curl_url();
	char *out = NULL, *scheme = NULL;
	bool ok = u && (!base || curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK) &&
		  curl_url_set(u, CURLUPART_URL, r, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  (strcmp(scheme, "https") == 0 || strcmp(scheme, "http") == 0) &&
		  curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK;
	char *copy = ok ? strdup(out) : NULL;
	curl_free(out);
	curl_free(scheme);
	curl_url_cleanup(u);
	free(r);
	return copy;
}

static struct ref *add_ref(struct refs *rs, struct ctx *c, size_t start, size_t end, char *url,
			   bool css)
{
	if (!url)
		return NULL;
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct ref *v = rs->n < REFS_MAX ? realloc(rs->v, cap * sizeof(*v)) : NULL;
		if (!v) {
			c->oom = rs->n < REFS_MAX;
			free(url);
			return NULL;
		}
		rs->v = v;
		rs->cap = cap;
	}
	rs->v[rs->n] = (struct ref){ .start = start, .end = end, .url = url, .css = css };
	return &rs->v[rs->n++];
}

static void refs_free(struct refs *rs)
{
	for (size_t i = 0; i < rs->n; i++) {
		free(rs->v[i].url);
		free(rs->v[i].owned);
	}
	free(rs->v);
}

/* ---- CSS: url(...) and @import "..." ---- */

typedef void (*css_hit)(size_t start, size_t end, bool import, void *ctx);

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '-' || ch == '_';
}

static size_t skip_ws(const char *s, size_t i, size_t len)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f'))
		i++;
	return i;
}

/* the end of a quoted string starting after its quote q at i (the index of the closing quote) */
static size_t string_end(const char *s, size_t i, size_t len, char q)
{
	while (i < len && s[i] != q && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		i++;
	}
	return i;
}

static unsigned css_scan(const char *s, size_t len, css_hit fn, void *ctx)
{
	unsigned n = 0;
	bool after_import = false;
	for (size_t i = 0; i < len;) {
		if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *e = NULL;
			for (size_t k = i + 2; k + 1 < len && !e; k++)
				if (s[k] == '*' && s[k + 1] == '/')
					e = s + k;
			i = e ? (size_t)(e - s) + 2 : len;
			continue;
		}
		if (s[i] == '@' && len - i >= 7 && strncasecmp(s + i, "@import", 7) == 0) {
			i = skip_ws(s, i + 7, len);
			if (i < len && (s[i] == '"' || s[i] == '\'')) {
				size_t e = string_end(s, i + 1, len, s[i]);
				fn(i + 1, e, true, ctx);
				n++;
				i = e + 1;
			} else {
				after_import = true;
			}
			continue;
		}
		if ((s[i] == 'u' || s[i] == 'U') && len - i >= 4 && strncasecmp(s + i, "url(", 4) == 0 &&
		    (i == 0 || !ident_char(s[i - 1]))) {
			size_t j = skip_ws(s, i + 4, len), start, end;
			if (j < len && (s[j] == '"' || s[j] == '\'')) {
				start = j + 1;
				end = string_end(s, start, len, s[j]);
			} else {
				start = j;
				end = j;
				while (end < len && s[end] != ')' && s[end] != ' ' && s[end] != '\n' &&
				       s[end] != '\t' && s[end] != '\r')
					end++;
			}
			fn(start, end, after_import, ctx);
			n++;
			after_import = false;
			i = end < len ? end + 1 : len;
			continue;
		}
		if (s[i] == ';' || s[i] == '{')
			after_import = false;
		i++;
	}
	return n;
}

struct each_ctx {
	const char *css;
	void (*fn)(const char *url, size_t n, void *ctx);
	void *ctx;
};

static void each_hit(size_t start, size_t end, bool import, void *p)
{
	(void)import;
	struct each_ctx *e = p;
	e->fn(e->css + start, end - start, e->ctx);
}

unsigned css_each_url(const char *css, size_t len, void (*fn)(const char *url, size_t n, void *ctx),
		      void *ctx)
{
	struct each_ctx e = { css, fn, ctx };
	return css_scan(css, len, each_hit, &e);
}

/* references in CSS text at offset `base_off` of the document; relative ones against base_url */
struct css_refs_ctx {
	const char *text;
	size_t base_off;
	const char *base_url;
	struct refs *rs;
	struct ctx *c;
};

static void css_ref_hit(size_t start, size_t end, bool import, void *p)
{
	struct css_refs_ctx *k = p;
	add_ref(k->rs, k->c, k->base_off + start, k->base_off + end,
		resolve(k->base_url, k->text + start, end - start), import);
}

static void css_refs(const char *text, size_t len, size_t off, const char *base_url,
		     struct refs *rs, struct ctx *c)
{
	struct css_refs_ctx k = { text, off, base_url, rs, c };
	css_scan(text, len, css_ref_hit, &k);
}

/* ---- fetching ---- */

static const char *by_extension(const char *url)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".woff2", "font/woff2" }, { ".woff", "font/woff" }, { ".ttf", "font/ttf" },
		{ ".otf", "font/otf" }, { ".svg", "image/svg+xml" }, { ".gif", "image/gif" },
		{ ".webp", "image/webp" }, { ".png", "image/png" }, { ".jpg", "image/jpeg" },
		{ ".jpeg", "image/jpeg" }, { ".css", "text/css" },
	};
	size_t n = strcspn(url, "?#");
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t l = strlen(types[i].ext);
		if (n >= l && strncasecmp(url + n - l, types[i].ext, l) == 0)
			return types[i].type;
	}
	return NULL;
}

/* the media type to inline the file as, or NULL when it is not an image, font or style sheet */
static const char *inline_type(const struct net_fetch_result *r, const char *url, bool css)
{
	const char *ct = r->content_type;
	const char *ext = by_extension(url);
	if (css)
		return strcmp(ct, "text/css") == 0 || ((!*ct || strcmp(ct, "text/plain") == 0 ||
						       strcmp(ct, "application/octet-stream") == 0) &&
						      ext && strcmp(ext, "text/css") == 0)
			       ? "text/css"
			       : NULL;
	if (strncmp(ct, "image/", 6) == 0 || strncmp(ct, "font/", 5) == 0)
		return ct;
	if (strncmp(ct, "application/font-", 17) == 0 || strncmp(ct, "application/x-font-", 19) == 0)
		return ct;
	if (!*ct || strcmp(ct, "application/octet-stream") == 0 || strcmp(ct, "binary/octet-stream") == 0) {
		const char *sniffed = r->sniffed_type;
		if (sniffed && strncmp(sniffed, "image/", 6) == 0)
			return sniffed;
		if (ext && strcmp(ext, "text/css") != 0)
			return ext;
	}
	return NULL;
}

static char *data_uri(const char *type, const unsigned char *d, size_t n)
{
	size_t tl = strlen(type), b64 = 4 * ((n + 2) / 3);
	char *out = malloc(5 + tl + 8 + b64 + 1);
	if (!out)
		return NULL;
	memcpy(out, "data:", 5);
	memcpy(out + 5, type, tl);
	memcpy(out + 5 + tl, ";base64,", 8);
	EVP_EncodeBlock((unsigned char *)out + 5 + tl + 8, d, (int)n);
	out[5 + tl + 8 + b64] = '\0';
	return out;
}

static char *rewrite(const char *text, size_t len, struct refs *rs, size_t *out_len);

/* a file left as written: logged, counted, and the first ones described for the piece */
__attribute__((format(printf, 3, 4)))
static void missing(struct ctx *c, const char *url, const char *fmt, ...)
{
	char why[HTML_ASSETS_NOTE_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	log_msg(LOG_WARN, "assets: %.200s %s", url, why);
	if (c->stats->missing < HTML_ASSETS_NOTES)
		snprintf(c->stats->notes[c->stats->missing], HTML_ASSETS_NOTE_MAX, "%.200s %.110s", url,
			 why);
	c->stats->missing++;
}
static const char *inline_url(struct ctx *c, const char *url, bool css, int depth);

/* a fetched style sheet with its own references inlined, as a data: URI */
static char *inline_css(struct ctx *c, const struct net_fetch_result *r, const char *url, int depth)
{
	struct refs rs = { 0 };
	const char *base = r->final_url ? r->final_url : url;
	css_refs((const char *)r->data, r->len, 0, base, &rs, c);
	for (size_t i = 0; i < rs.n; i++)
		rs.v[i].data_uri = inline_url(c, rs.v[i].url, rs.v[i].css, depth + 1);
	size_t n;
	char *css = rewrite((const char *)r->data, r->len, &rs, &n);
	refs_free(&rs);
	if (!css) {
		c->oom = true;
		return NULL;
	}
	char *uri = data_uri("text/css", (const unsigned char *)css, n);
	free(css);
	return uri;
}

/* the data: URI for url (fetched once per call), or NULL to keep the reference */
static const char *inline_url(struct ctx *c, const char *url, bool css, int depth)
{
	for (size_t i = 0; i < c->n_done; i++)
		if (strcmp(c->done[i].url, url) == 0)
			return c->done[i].data_uri;
	if (c->n_done == c->cap_done) {
		size_t cap = c->cap_done ? c->cap_done * 2 : 16;
		struct fetched *v = realloc(c->done, cap * sizeof(*v));
		if (!v) {
			c->oom = true;
			return NULL;
		}
		c->done = v;
		c->cap_done = cap;
	}
	size_t me = c->n_done;	/* an index: inline_css may grow (move) the list */
	c->done[me] = (struct fetched){ .url = strdup(url) };
	if (!c->done[me].url) {
		c->oom = true;
		return NULL;
	}
	c->n_done++;
	c->stats->found++;
	long long left = c->deadline_ms - clock_mono_ms();
	if (depth > CSS_DEPTH_MAX || c->files_left == 0 || c->bytes_left == 0 || left <= 0) {
		missing(c, url, "not fetched: over the document's budget (%d files, %zu MB, %ld s)",
			HTML_ASSETS_MAX, HTML_ASSETS_MAX_BYTES >> 20, HTML_ASSETS_TIME_MS / 1000);
		return NULL;
	}
	c->files_left--;
	struct net_fetch_opts o = {
		.max_bytes = c->bytes_left < NET_FETCH_DEFAULT_MAX_BYTES ? c->bytes_left
									: NET_FETCH_DEFAULT_MAX_BYTES,
		.timeout_ms = left < NET_FETCH_DEFAULT_TIMEOUT_MS ? (long)left : NET_FETCH_DEFAULT_TIMEOUT_MS,
		.allow_private = c->allow_private,
	};
	struct net_fetch_result r = { 0 };
	struct api_error err;
	const char *type = NULL;
	char *uri = NULL;
	if (net_fetch(url, &o, &r, &err) < 0)
		missing(c, url, "not fetched: %s", err.message);
	else if (!(type = inline_type(&r, url, css)))
		missing(c, url, "not inlined: %s is not %s",
			*r.content_type ? r.content_type : "an unknown type",
			css ? "a style sheet" : "an image or a font");
	else {
		c->bytes_left -= r.len < c->bytes_left ? r.len : c->bytes_left;
		uri = css ? inline_css(c, &r, url, depth) : data_uri(type, r.data, r.len);
		if (!uri)
			c->oom = true;
	}
	net_fetch_result_free(&r);
	c->done[me].data_uri = uri;
	if (uri)
		c->stats->inlined++;	/* NULL otherwise: counted by missing(), or out of memory */
	return uri;
}

/* a style attribute's CSS with its files inlined, escaped again for a quoted attribute */
static char *inline_style_attr(struct ctx *c, const char *decoded)
{
	struct refs rs = { 0 };
	size_t n, len = strlen(decoded);
	css_refs(decoded, len, 0, NULL, &rs, c);
	for (size_t i = 0; i < rs.n && !c->oom; i++)
		rs.v[i].data_uri = inline_url(c, rs.v[i].url, rs.v[i].css, 0);
	char *css = c->oom ? NULL : rewrite(decoded, len, &rs, &n);
	refs_free(&rs);
	char *out = css ? malloc(6 * n + 1) : NULL;
	if (out) {
		size_t o = 0;
		for (size_t i = 0; i < n; i++) {
			const char *e = css[i] == '&' ? "&amp;" : css[i] == '"' ? "&quot;"
				      : css[i] == '\'' ? "&#39;" : css[i] == '<' ? "&lt;" : NULL;
			if (e) {
				memcpy(out + o, e, strlen(e));
				o += strlen(e);
			} else {
				out[o++] = css[i];
			}
		}
		out[o] = '\0';
	}
	free(css);
	if (!out)
		c->oom = true;
	return out;
}

/* ---- the HTML ---- */

static int by_start(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* text with each ref's range replaced by its data_uri (refs without one kept) */
static char *rewrite(const char *text, size_t len, struct refs *rs, size_t *out_len)
{
	if (rs->n)	/* qsort's base may not be NULL, even for no elements */
		qsort(rs->v, rs->n, sizeof(*rs->v), by_start);
	size_t total = len, at = 0;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->v[i].data_uri && rs->v[i].start >= at && rs->v[i].end <= len) {
			total += strlen(rs->v[i].data_uri);
			at = rs->v[i].end;
		}
	char *out = malloc(total + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	at = 0;
	for (size_t i = 0; i < rs->n; i++) {
		const struct ref *r = &rs->v[i];
		if (!r->data_uri || r->start < at || r->end > len)
			continue;	/* kept, or overlapping one already replaced */
		memcpy(out + o, text + at, r->start - at);
		o += r->start - at;
		size_t ul = strlen(r->data_uri);
		memcpy(out + o, r->data_uri, ul);
		o += ul;
		at = r->end;
	}
	memcpy(out + o, text + at, len - at);
	o += len - at;
	out[o] = '\0';
	*out_len = o;
	return out;
}

/* an attribute's value as written: its offsets in the document without the quotes */
static void attr_range(const char *html, const GumboAttribute *a, size_t *start, size_t *end)
{
	const char *d = a->original_value.data;
	size_t n = a->original_value.length;
	*start = d ? (size_t)(d - html) : 0;
	*end = *start + n;
	if (n >= 2 && (d[0] == '"' || d[0] == '\'') && d[n - 1] == d[0]) {
		(*start)++;
		(*end)--;
	}
}

static bool rel_stylesheet(const GumboElement *e)
{
	const GumboAttribute *rel = gumbo_get_attribute(&e->attributes, "rel");
	if (!rel)
		return false;
	for (const char *p = rel->value; *p;) {
		size_t n = strcspn(p, " \t\n\r\f");
		if (n == 10 && strncasecmp(p, "stylesheet", 10) == 0)
			return true;
		p += n;
		p += strspn(p, " \t\n\r\f");
	}
	return false;
}

static void element_refs(const char *html, const GumboNode *node, struct refs *rs, struct ctx *c)
{
	const GumboElement *e = &node->v.element;
	bool svg_image = e->tag_namespace == GUMBO_NAMESPACE_SVG &&
			 e->original_tag.length >= 6 && strncasecmp(e->original_tag.data + 1, "image", 5) == 0;
	for (unsigned i = 0; i < e->attributes.length; i++) {
		const GumboAttribute *a = e->attributes.data[i];
		size_t start, end;
		attr_range(html, a, &start, &end);
		if (!a->original_value.data || end <= start)
			continue;
		if (strcmp(a->name, "style") == 0) {
			/* scanned decoded (entities such as &quot; around a URL), rewritten whole */
			struct ref *r = strcasestr(a->value, "url(") || strcasestr(a->value, "@import")
						? add_ref(rs, c, start, end, strdup(a->value), false)
						: NULL;
			if (r)
				r->style_attr = true;
			continue;
		}
		bool image = strcmp(a->name, "background") == 0 ||
			     (strcmp(a->name, "src") == 0 &&
			      (e->tag == GUMBO_TAG_IMG || e->tag == GUMBO_TAG_INPUT)) ||
			     (strcmp(a->name, "poster") == 0 && e->tag == GUMBO_TAG_VIDEO) ||
			     (svg_image && (strcmp(a->name, "href") == 0 || strcmp(a->name, "xlink:href") == 0));
		bool sheet = e->tag == GUMBO_TAG_LINK && strcmp(a->name, "href") == 0 && rel_stylesheet(e);
		if (image || sheet)
			add_ref(rs, c, start, end, resolve(NULL, a->value, strlen(a->value)), sheet);
	}
}

/* walks the tree without recursion (the nesting was bounded, but stacks are small) */
static void collect(const char *html, const GumboNode *root, struct refs *rs, struct ctx *c)
{
	size_t cap = 64, n = 0;
	const GumboNode **stack = malloc(cap * sizeof(*stack));
	if (!stack) {
		c->oom = true;
		return;
	}
	stack[n++] = root;
	while (n && !c->oom && rs->n < REFS_MAX) {
		const GumboNode *node = stack[--n];
		if (node->type == GUMBO_NODE_TEXT && node->parent &&
		    node->parent->type == GUMBO_NODE_ELEMENT && node->parent->v.element.tag == GUMBO_TAG_STYLE) {
			const GumboStringPiece *t = &node->v.text.original_text;
			if (t->data)
				css_refs(t->data, t->length, (size_t)(t->data - html), NULL, rs, c);
			continue;
		}
		if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT &&
		    node->type != GUMBO_NODE_TEMPLATE)
			continue;
		if (node->type != GUMBO_NODE_DOCUMENT)
			element_refs(html, node, rs, c);
		const GumboVector *kids = node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
									    : &node->v.element.children;
		for (unsigned i = kids->length; i-- > 0;) {
			if (n == cap) {
				const GumboNode **bigger = realloc(stack, cap * 2 * sizeof(*stack));
				if (!bigger) {
					c->oom = true;
					break;
				}
				stack = bigger;
				cap *= 2;
			}
			stack[n++] = kids->data[i];
		}
	}
	free(stack);
}

int html_inline_assets(const char *html, size_t len, bool allow_private, char **out,
		       size_t *out_len, struct html_assets_stats *stats, struct api_error *err)
{
	struct html_assets_stats local = { 0 };
	struct ctx c = { .allow_private = allow_private, .deadline_ms = clock_mono_ms() + HTML_ASSETS_TIME_MS,
			 .bytes_left = HTML_ASSETS_MAX_BYTES, .files_left = HTML_ASSETS_MAX,
			 .stats = stats ? stats : &local };
	*c.stats = (struct html_assets_stats){ 0 };
	struct refs rs = { 0 };
	/* a quick look first: most documents reference nothing remote */
	bool remote = false;
	for (size_t i = 0; i + 4 <= len && !remote; i++)
		remote = (html[i] == 'h' || html[i] == 'H' || html[i] == '/') &&
			 (strncasecmp(html + i, "http", 4) == 0 || (html[i] == '/' && html[i + 1] == '/'));
	if (remote) {
		GumboOutput *g = gumbo_parse_with_options(&kGumboDefaultOptions, html, len);
		if (!g)
			return api_fail(err, ERR_INTERNAL, "out of memory");
		collect(html, g->document, &rs, &c);
		gumbo_destroy_output(&kGumboDefaultOptions, g);
		for (size_t i = 0; i < rs.n && !c.oom; i++) {
			if (rs.v[i].style_attr)
				rs.v[i].data_uri = rs.v[i].owned = inline_style_attr(&c, rs.v[i].url);
			else
				rs.v[i].data_uri = inline_url(&c, rs.v[i].url, rs.v[i].css, 0);
		}
	}
	*out = c.oom ? NULL : rewrite(html, len, &rs, out_len);
	refs_free(&rs);
	for (size_t i = 0; i < c.n_done; i++) {
		free(c.done[i].url);
		free(c.done[i].data_uri);
	}
	free(c.done);
	if (!*out)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	return 0;
}
