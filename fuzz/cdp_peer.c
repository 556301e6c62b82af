// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The stand-in browser for fuzz_cdp: started by cdp_start() in place of Chromium, it speaks
 * just enough of the DevTools pipe (fds 3 and 4, NUL-terminated JSON messages). Every command
 * gets {"id":N,"result":{}}; before answering "Fuzz.echo" it writes the bytes hex-encoded in
 * its params.hex raw onto the pipe, then a NUL, so the reader in cdp.c frames and reads them
 * as if the browser had sent them. Exits when the pipe closes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int write_all(const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(4, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* one command (cdp.c encodes them compactly: {"id":N,"method":"…","params":{…}}) */
static int answer(char *msg, char *scratch)
{
	const char *id = strstr(msg, "\"id\":");
	if (!id)
		return 0;
	long n = strtol(id + 5, NULL, 10);
	if (strstr(msg, "\"method\":\"Fuzz.echo\"")) {
		const char *h = strstr(msg, "\"hex\":\"");
		size_t k = 0;
		for (h = h ? h + 7 : ""; hex_val(h[0]) >= 0 && hex_val(h[1]) >= 0; h += 2)
			scratch[k++] = (char)(hex_val(h[0]) * 16 + hex_val(h[1]));
		scratch[k++] = '\0';
		if (write_all(scratch, k) < 0)
			return -1;
	}
	char reply[64];
	int len = snprintf(reply, sizeof reply, "{\"id\":%ld,\"result\":{}}", n);
	return write_all(reply, (size_t)len + 1);
}

int main(void)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap), *scratch = malloc(cap);
	for (;;) {
		if (!buf || !scratch)
			return 1;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			scratch = realloc(scratch, cap);
			continue;
		}
		ssize_t got = read(3, buf + len, cap - len);
		if (got <= 0)
			return 0;
		len += (size_t)got;
		char *end;
		while ((end = memchr(buf, '\0', len)) != NULL) {
			size_t n = (size_t)(end - buf) + 1;
			if (answer(buf, scratch) < 0)
				return 0;
			memmove(buf, buf + n, len - n);
			len -= n;
		}
	}
}
