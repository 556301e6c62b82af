// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Helpers of the Chromium tests: the browser's path and renderer processes, and PDFs read
 * back with MuPDF (text with positions, page counts). Included by test_chromium*.c;
 * everything is static.
 */
#ifndef FRANK_TEST_CHROMIUM_FIXTURES_H
#define FRANK_TEST_CHROMIUM_FIXTURES_H
#include <dirent.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "core/parse.h"
#include "render/chromium/chromium.h"
#include "pdf/fz.h"

/* the renderer processes of a browser (members of its process group); how many, <= cap */
__attribute__((unused))
static int browser_renderers(pid_t browser, pid_t *out, int cap)
{
	DIR *d = opendir("/proc");
	int n = 0;
	for (struct dirent *e; d && n < cap && (e = readdir(d)) != NULL;) {
		unsigned long id;
		if (parse_ulong(e->d_name, 4194304UL, &id) < 0)
			continue;	/* not a process directory */
		pid_t pid = (pid_t)id;
		char path[64], cmd[4096];
		if (pid <= 0 || getpgid(pid) != browser)
			continue;
		snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
		FILE *f = fopen(path, "r");
		size_t len = f ? fread(cmd, 1, sizeof cmd - 1, f) : 0;
		if (f)
			fclose(f);
		for (size_t i = 0; i < len; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		cmd[len] = '\0';
		if (strstr(cmd, "--type=renderer"))
			out[n++] = pid;
	}
	if (d)
		closedir(d);
	return n;
}

__attribute__((unused))
static const char *browser_path(void)
{
	const char *p = getenv("FRANK_CHROMIUM");
	return p && p[0] ? p : CHROMIUM_DEFAULT_PATH;
}

__attribute__((unused))
static fz_document *open_pdf(fz_context *ctx, const unsigned char *pdf, size_t len)
{
	fz_buffer *buf = fz_new_buffer_from_copied_data(ctx, pdf, len);
	fz_stream *stm = NULL;
	fz_document *doc = NULL;
	fz_var(stm);
	fz_try(ctx) {
		stm = fz_open_buffer(ctx, buf);
		doc = fz_open_document_with_stream(ctx, "application/pdf", stm);
	}
	fz_always(ctx) {
		fz_drop_stream(ctx, stm);
		fz_drop_buffer(ctx, buf);
	}
	fz_catch(ctx)
		fz_rethrow(ctx);
	return doc;
}

/*
 * Page `page` of pdf: its text, one line per stext line, into text (NUL-terminated); and
 * the character box of the first character of needle (points from the top-left) if found.
 * Returns whether needle was found; *size gets the page's size.
 */
__attribute__((unused))
static bool page_text(const unsigned char *pdf, size_t len, int page, const char *needle,
		      char *text, size_t cap, fz_rect *box, fz_rect *size)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = NULL;
	fz_stext_page *st = NULL;
	bool found = false;
	size_t n = 0;
	text[0] = '\0';
	fz_var(doc);
	fz_var(st);
	fz_try(ctx) {
		doc = open_pdf(ctx, pdf, len);
		fz_page *pg = fz_load_page(ctx, doc, page);
		if (size)
			*size = fz_bound_page(ctx, pg);
		st = fz_new_stext_page_from_page(ctx, pg, NULL);
		fz_drop_page(ctx, pg);
		for (fz_stext_block *b = st->first_block; b; b = b->next) {
			if (b->type != FZ_STEXT_BLOCK_TEXT)
				continue;
			for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
				size_t start = n;
				fz_stext_char *chars[256];
				size_t nc = 0;
				for (fz_stext_char *c = l->first_char; c && n + 2 < cap; c = c->next) {
					text[n++] = c->c < 128 ? (char)c->c : '?';
					if (nc < 256)
						chars[nc++] = c;
				}
				text[n] = '\0';
				const char *at = needle ? strstr(text + start, needle) : NULL;
				if (at && !found && (size_t)(at - text - start) < nc) {
					*box = fz_rect_from_quad(chars[at - text - start]->quad);
					found = true;
				}
				if (n + 1 < cap)
					text[n++] = '\n', text[n] = '\0';
			}
		}
	}
	fz_always(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_drop_document(ctx, doc);
	}
	fz_catch(ctx)
		return false;
	return found;
}

__attribute__((unused))
static int count_pages(const unsigned char *pdf, size_t len)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = NULL;
	int n = -1;
	fz_var(doc);
	fz_try(ctx) {
		doc = open_pdf(ctx, pdf, len);
		n = fz_count_pages(ctx, doc);
	}
	fz_always(ctx)
		fz_drop_document(ctx, doc);
	fz_catch(ctx)
		n = -1;
	return n;
}

__attribute__((unused))
static bool near(double got, double want)
{
	return fabs(got - want) <= 2.0;
}

/* every line of every page with its position (points, rounded): two renders compare as text */
__attribute__((unused))
static void dump_pdf(const unsigned char *pdf, size_t len, char *out, size_t cap)
{
	fz_context *ctx = frank_fz();
	fz_document *doc = NULL;
	size_t n = 0;
	out[0] = '\0';
	fz_var(doc);
	fz_try(ctx) {
		doc = open_pdf(ctx, pdf, len);
		for (int p = 0; p < fz_count_pages(ctx, doc); p++) {
			n += (size_t)snprintf(out + n, cap - n, "page %d\n", p + 1);
			fz_stext_page *st = fz_new_stext_page_from_page_number(ctx, doc, p, NULL);
			for (fz_stext_block *b = st->first_block; b; b = b->next)
				for (fz_stext_line *l = b->type == FZ_STEXT_BLOCK_TEXT ?
				     b->u.t.first_line : NULL; l; l = l->next) {
					n += (size_t)snprintf(out + n, cap - n, "%.0f,%.0f:",
							      l->bbox.x0, l->bbox.y0);
					for (fz_stext_char *c = l->first_char; c && n + 2 < cap;
					     c = c->next)
						out[n++] = c->c < 128 ? (char)c->c : '?';
					n += (size_t)snprintf(out + n, cap - n, "\n");
				}
			fz_drop_stext_page(ctx, st);
			if (n + 64 > cap)
				break;
		}
	}
	fz_always(ctx)
		fz_drop_document(ctx, doc);
	fz_catch(ctx)
		snprintf(out, cap, "unreadable");
}

/* tmpl with each '@' replaced by i */
__attribute__((unused))
static char *subst(const char *tmpl, int i)
{
	size_t cap = strlen(tmpl) * 2 + 64, n = 0;
	char *s = malloc(cap);
	for (const char *p = tmpl; *p && n + 16 < cap; p++)
		if (*p == '@')
			n += (size_t)snprintf(s + n, cap - n, "%d", i);
		else
			s[n++] = *p;
	s[n] = '\0';
	return s;
}

#endif
