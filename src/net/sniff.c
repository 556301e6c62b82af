// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Magic-byte sniffing. A PDF may carry junk before "%PDF-" (readers accept it within the
 * first 1024 bytes), so the PDF signature is searched there; the image signatures must be at
 * offset 0. HTML follows the WHATWG sniffing rule in spirit: skip a BOM and whitespace, then
 * one of a few tags that only HTML starts with, case-insensitively.
 */
#include "net/sniff.h"
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define SNIFF_WINDOW 1024

static bool starts(const unsigned char *d, size_t n, const void *sig, size_t len)
{
	return n >= len && memcmp(d, sig, len) == 0;
}

static bool pdf_within(const unsigned char *d, size_t n)
{
	if (n > SNIFF_WINDOW)
		n = SNIFF_WINDOW;
	for (size_t i = 0; i + 5 <= n; i++)
		if (memcmp(d + i, "%PDF-", 5) == 0)
			return true;
	return false;
}

static bool html_start(const unsigned char *d, size_t n)
{
	static const char *const tags[] = { "<!doctype html", "<html", "<head", "<body",
					    "<!--", "<script", "<div", "<p", "<table", "<style",
					    "<title", "<h1", "<br", "<a", "<b", "<font", "<iframe" };
	size_t i = 0;
	if (starts(d, n, "\xef\xbb\xbf", 3))
		i = 3;
	while (i < n && i < SNIFF_WINDOW && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' ||
					     d[i] == '\r' || d[i] == '\f'))
		i++;
	for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
		size_t len = strlen(tags[t]);
		/* the tag must end there: "<p>" or "<p " yes, "<pre" is not "<p" */
		if (n - i > len && strncasecmp((const char *)d + i, tags[t], len) == 0) {
			unsigned char next = d[i + len];
			if (next == ' ' || next == '>' || next == '\t' || next == '\n' ||
			    next == '\r' || next == '\f' || strcmp(tags[t], "<!--") == 0)
				return true;
		}
	}
	return false;
}

const char *net_sniff_type(const unsigned char *d, size_t n)
{
	if (!d || n == 0)
		return NULL;
	if (starts(d, n, "\x89PNG\r\n\x1a\n", 8))
		return "image/png";
	if (starts(d, n, "\xff\xd8\xff", 3))
		return "image/jpeg";
	if (pdf_within(d, n))
		return "application/pdf";
	if (html_start(d, n))
		return "text/html";
	return NULL;
}
