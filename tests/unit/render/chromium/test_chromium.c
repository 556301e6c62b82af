// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The Chromium renderer against Debian's headless Chromium (CI installs it; the test fails,
 * never skips, without it): text lands where absolute positioning and flex put it (read back
 * with MuPDF), pages are trimmed to the limit, pages reach no network (a listening socket
 * sees nothing), threads share the pool, a render out of time fails as the document's, a
 * killed browser is replaced and the render retried, and the renderer interface picks its
 * backend. Batch mode: test_chromium_batch.c.
 * FRANK_CHROMIUM overrides the browser path.
 */
#include "core/parse.h"
#include "render/chromium/chromium.h"
#include "render/html_pdf.h"
#include "test.h"
#include "chromium_fixtures.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* a page with an absolutely positioned block and a flex row: MuPDF's renderer can do neither */
static void test_layout(struct chromium *cr)
{
	static const char html[] =
		"<!DOCTYPE html><html><head><style>"
		"body{margin:0;font:20px/20px monospace}"
		".abs{position:absolute;left:2in;top:3in}"
		".row{position:absolute;left:1in;top:5in;width:6in;display:flex;"
		"justify-content:space-between}"
		"</style></head><body><div class=abs>ABSPOS</div>"
		"<div class=row><span>LEFTFLEX</span><span>RIGHTFLEX</span></div></body></html>";
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	struct api_error err = { 0 };
	int rc = chromium_html_to_pdf(cr, html, strlen(html), 8.5, 11, 6, &pdf, &len, &pages, &err);
	CHECK(rc == 0, "layout page renders (%s)", err.message);
	CHECK_INT(pages, 1, "one page");
	char text[4096];
	fz_rect a = fz_empty_rect, l = fz_empty_rect, r = fz_empty_rect, size = fz_empty_rect;
	CHECK(page_text(pdf, len, 0, "ABSPOS", text, sizeof text, &a, &size), "ABSPOS printed");
	CHECK(near(size.x1, 612) && near(size.y1, 792), "page is 8.5x11 (%.1fx%.1f pt)", size.x1,
	      size.y1);
	/* a 20px line box centred on its glyphs: the glyph box's middle is the line's middle */
	CHECK(near(a.x0, 144) && near((a.y0 + a.y1) / 2, 216 + 7.5),
	      "absolute block at 2in,3in (got %.1f,%.1f)", a.x0, (a.y0 + a.y1) / 2);
	page_text(pdf, len, 0, "LEFTFLEX", text, sizeof text, &l, NULL);
	page_text(pdf, len, 0, "RIGHTFLEX", text, sizeof text, &r, NULL);
	CHECK(near(l.x0, 72) && near((l.y0 + l.y1) / 2, 360 + 7.5),
	      "flex start item at 1in,5in (got %.1f,%.1f)", l.x0, (l.y0 + l.y1) / 2);
	/* space-between: the last item ends at the row's right edge, 7in; 9 chars of 12px */
	CHECK(near(r.x0 + 9 * 12 * 0.75, 504), "flex end item ends at 7in (got %.1f)",
	      r.x0 + 9 * 12 * 0.75);
	free(pdf);
}

static void test_trim(struct chromium *cr)
{
	char html[1024] = "<html><body>";
	for (int i = 1; i <= 5; i++)
		snprintf(html + strlen(html), sizeof html - strlen(html),
			 "<p style='break-before:page'>page %d</p>", i);
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	struct api_error err = { 0 };
	int rc = chromium_html_to_pdf(cr, html, strlen(html), 8.5, 11, 3, &pdf, &len, &pages, &err);
	CHECK(rc == 0 && pages == 3 && count_pages(pdf, len) == 3,
	      "five pages trimmed to the limit of three (rc %d, %u pages)", rc, pages);
	free(pdf);
	rc = chromium_html_to_pdf(cr, html, strlen(html), 6.25, 4.25, 10, &pdf, &len, &pages, &err);
	char text[1024];
	fz_rect box, size = fz_empty_rect;
	page_text(pdf, len, 4, "page 5", text, sizeof text, &box, &size);
	CHECK(rc == 0 && pages == 5 && near(size.x1, 450) && near(size.y1, 306),
	      "under the limit all five print, at the product's size (%u, %.0fx%.0f)", pages,
	      size.x1, size.y1);
	free(pdf);
}

struct listener {
	int fd;
	atomic_int hits;
	atomic_bool stop;
};

static void *listen_main(void *arg)
{
	struct listener *l = arg;
	while (!atomic_load(&l->stop)) {
		struct pollfd p = { .fd = l->fd, .events = POLLIN };
		if (poll(&p, 1, 50) > 0) {
			int c = accept(l->fd, NULL, NULL);
			if (c >= 0) {
				atomic_fetch_add(&l->hits, 1);
				close(c);
			}
		}
	}
	return NULL;
}

static void test_network(struct chromium *cr)
{
	struct listener l = { .fd = socket(AF_INET, SOCK_STREAM, 0) };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int ok = l.fd >= 0 && bind(l.fd, (struct sockaddr *)&a, sizeof a) == 0 &&
		 listen(l.fd, 16) == 0 && getsockname(l.fd, (struct sockaddr *)&a, &al) == 0;
	CHECK(ok, "a local listener for the page to try");
	pthread_t t;
	pthread_create(&t, NULL, listen_main, &l);
	char html[2048];
	int port = ntohs(a.sin_port);
	snprintf(html, sizeof html,
		 "<html><head><link rel=stylesheet href='http://127.0.0.1:%d/css'>"
		 "<link rel=preconnect href='http://127.0.0.1:%d'>"
		 "<link rel=prefetch href='http://127.0.0.1:%d/prefetch'>"
		 "<style>@font-face{font-family:X;src:url(http://127.0.0.1:%d/font)}"
		 "body{font-family:X;background:url(http://127.0.0.1:%d/bg)}</style></head><body>"
		 "<p>OFFLINE</p><img src='http://127.0.0.1:%d/x'><iframe src='http://127.0.0.1:%d/f'>"
		 "</iframe><img src='http://localhost:%d/y'>"
		 "<img src='data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUl"
		 "EQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='></body></html>",
		 port, port, port, port, port, port, port, port);
	unsigned long before = chromium_blocked_requests(cr);
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	struct api_error err = { 0 };
	int rc = chromium_html_to_pdf(cr, html, strlen(html), 8.5, 11, 1, &pdf, &len, &pages, &err);
	usleep(300 * 1000);	/* a late preconnect would arrive now */
	atomic_store(&l.stop, true);
	pthread_join(t, NULL);
	close(l.fd);
	char text[1024];
	fz_rect box;
	CHECK(rc == 0 && page_text(pdf, len, 0, "OFFLINE", text, sizeof text, &box, NULL),
	      "a page with remote references still renders (%s)", err.message);
	CHECK_INT(atomic_load(&l.hits), 0, "no connection reached the listening socket");
	CHECK(chromium_blocked_requests(cr) - before >= 4, "the requests were refused (%lu)",
	      chromium_blocked_requests(cr) - before);
	free(pdf);

	static const char refresh[] = "<meta http-equiv=\"Refresh\" content=\"0;url=about:blank\">"
		"<p>STAYS</p>\xff";
	rc = chromium_html_to_pdf(cr, refresh, strlen(refresh), 8.5, 11, 1, &pdf, &len, &pages, &err);
	CHECK(rc == 0 && page_text(pdf, len, 0, "STAYS", text, sizeof text, &box, NULL),
	      "a meta refresh does not take the document away; bad UTF-8 is replaced (%s)",
	      err.message);
	free(pdf);
}

struct bg_render {
	struct chromium *cr;
	char *html;
	int rc;
	unsigned pages;
	struct api_error err;
};

static void *render_main(void *arg)
{
	struct bg_render *b = arg;
	unsigned char *pdf = NULL;
	size_t len = 0;
	b->rc = chromium_html_to_pdf(b->cr, b->html, strlen(b->html), 8.5, 11, 200, &pdf, &len,
				     &b->pages, &b->err);
	free(pdf);
	return NULL;
}

struct worker {
	struct chromium *cr;
	int id, ok;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	for (int i = 0; i < 4; i++) {
		char html[128], want[64], text[1024];
		snprintf(want, sizeof want, "W%d-R%d", w->id, i);
		snprintf(html, sizeof html, "<p>%s</p>", want);
		unsigned char *pdf = NULL;
		size_t len = 0;
		unsigned pages = 0;
		struct api_error err = { 0 };
		fz_rect box;
		if (chromium_html_to_pdf(w->cr, html, strlen(html), 8.5, 11, 1, &pdf, &len, &pages,
					 &err) == 0 &&
		    page_text(pdf, len, 0, want, text, sizeof text, &box, NULL))
			w->ok++;
		free(pdf);
	}
	return NULL;
}

/* more threads than pages: each waits its turn and gets its own document back */
static void test_threads(struct chromium *cr)
{
	enum { T = 4 };
	struct worker w[T];
	pthread_t t[T];
	for (int i = 0; i < T; i++) {
		w[i] = (struct worker){ .cr = cr, .id = i };
		pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	int ok = 0;
	for (int i = 0; i < T; i++) {
		pthread_join(t[i], NULL);
		ok += w[i].ok;
	}
	CHECK_INT(ok, T * 4, "%d threads on a pool of 2 pages each get their own PDFs", T);
}

/* a render that runs out of time fails as the document's fault; the page is replaced */
static void test_timeout(struct chromium *cr)
{
	size_t cap = 1 << 21, n = 0;
	char *big = malloc(cap);
	for (int i = 0; i < 20000 && n + 100 < cap; i++)
		n += (size_t)snprintf(big + n, cap - n, "<div><b>row %d</b> of a long table</div>", i);
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	struct api_error err = { 0 };
	chromium_set_timeout(cr, 40);
	int rc = chromium_html_to_pdf(cr, big, n, 8.5, 11, 1000, &pdf, &len, &pages, &err);
	chromium_set_timeout(cr, 0);
	CHECK(rc == -1 && err.kind == ERR_INVALID_TEMPLATE_HTML,
	      "a render over its time fails with invalid_template_html (%s)", err.message);
	free(pdf);
	static const char html[] = "<p>next</p>";
	rc = chromium_html_to_pdf(cr, html, strlen(html), 8.5, 11, 1, &pdf, &len, &pages, &err);
	CHECK(rc == 0 && pages == 1, "the next render works (%s)", err.message);
	free(pdf);
	free(big);
}

/* SIGKILL the renderer processes of the browser (its process group); how many were killed */
static int kill_renderers(pid_t browser)
{
	pid_t pids[64];
	int n = browser_renderers(browser, pids, 64), killed = 0;
	for (int i = 0; i < n; i++)
		if (kill(pids[i], SIGKILL) == 0)
			killed++;
	return killed;
}

static void test_crash(struct chromium *cr)
{
	/* renderers killed while their pages are idle: the pages are remade on next use */
	int killed = kill_renderers(chromium_browser_pid(cr));
	usleep(200 * 1000);
	for (int i = 0; i < 3; i++) {
		static const char doc[] = "<p>after a renderer crash</p>";
		unsigned char *out = NULL;
		size_t out_len = 0;
		unsigned n = 0;
		struct api_error e = { 0 };
		int r = chromium_html_to_pdf(cr, doc, strlen(doc), 8.5, 11, 1, &out, &out_len, &n, &e);
		CHECK(r == 0 && n == 1, "render %d after killing %d renderers works (%s)", i, killed,
		      e.message);
		free(out);
	}

	/* killed between renders: the next render finds it dead and starts another */
	pid_t pid = chromium_browser_pid(cr);
	CHECK(pid > 0 && kill(pid, SIGKILL) == 0, "the browser is killed");
	usleep(100 * 1000);
	static const char html[] = "<p>after the crash</p>";
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	struct api_error err = { 0 };
	int rc = chromium_html_to_pdf(cr, html, strlen(html), 8.5, 11, 1, &pdf, &len, &pages, &err);
	CHECK(rc == 0 && pages == 1, "a render after the crash succeeds (%s)", err.message);
	CHECK(chromium_browser_pid(cr) > 0 && chromium_browser_pid(cr) != pid,
	      "on a new browser");
	free(pdf);

	/* killed in the middle of a long render: that render is retried on a new browser */
	size_t cap = 1 << 20, n = 0;
	char *big = malloc(cap);
	n += (size_t)snprintf(big, cap, "<html><body>");
	for (int i = 0; i < 4000 && n + 200 < cap; i++)
		n += (size_t)snprintf(big + n, cap - n, "<p>paragraph %d of a long letter, long "
				      "enough to take a while to lay out and print</p>", i);
	snprintf(big + n, cap - n, "</body></html>");
	struct bg_render b = { .cr = cr, .html = big };
	pthread_t t;
	pid = chromium_browser_pid(cr);
	pthread_create(&t, NULL, render_main, &b);
	usleep(150 * 1000);
	kill(pid, SIGKILL);
	pthread_join(t, NULL);
	CHECK(b.rc == 0 && b.pages > 50, "a render whose browser was killed mid-way succeeds "
	      "(%u pages; %s)", b.pages, b.err.message);
	CHECK(chromium_browser_pid(cr) != pid, "the browser was replaced");
	free(big);
}

static void test_interface(void)
{
	struct api_error err = { 0 };
	struct html_renderer *r = html_renderer_open("mupdf", NULL, &err);
	CHECK(r && strcmp(html_renderer_kind(r), "mupdf") == 0, "mupdf on request");
	static const char html[] = "<p>hello</p>";
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	CHECK(r && html_renderer_render(r, html, strlen(html), 8.5, 11, 1, &pdf, &len, &pages,
					&err) == 0 && pages == 1, "mupdf renders through it");
	free(pdf);
	html_renderer_close(r);
	r = html_renderer_open("auto", "/nonexistent/chromium", &err);
	CHECK(r && strcmp(html_renderer_kind(r), "mupdf") == 0, "auto without a browser: mupdf");
	html_renderer_close(r);
	r = html_renderer_open("chromium", "/nonexistent/chromium", &err);
	CHECK(!r && err.kind == ERR_SERVICE_UNAVAILABLE, "chromium without a browser fails (%s)",
	      err.message);
	r = html_renderer_open("webkit", NULL, &err);
	CHECK(!r && err.kind == ERR_INVALID, "an unknown kind is refused");
	r = html_renderer_open("auto", browser_path(), &err);
	CHECK(r && strcmp(html_renderer_kind(r), "chromium") == 0, "auto with a browser: chromium");
	const char *docs[2] = { "<p>one</p>", "<p>two</p>" };
	size_t lens[2] = { 10, 10 };
	struct pdf_piece out[2];
	CHECK(r && html_renderer_batch(r, docs, lens, 2, 8.5, 11, 1, out, &err) == 0 &&
	      out[0].pages == 1 && out[1].pages == 1, "a batch through the interface");
	pdf_pieces_free(out, 2);
	html_renderer_close(r);
}

int main(void)
{
	fz_set_warning_callback(frank_fz(), NULL, NULL);
	struct api_error err = { 0 };
	struct chromium *cr = chromium_open(browser_path(), 2, &err);
	CHECK(cr != NULL, "the browser starts (%s)", err.message);
	if (!cr)
		return test_done();
	test_layout(cr);
	test_trim(cr);
	test_network(cr);
	test_threads(cr);
	test_timeout(cr);
	test_crash(cr);
	chromium_close(cr);
	test_interface();
	return test_done();
}
