// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The DevTools pipe reader (render/chromium/cdp.c): framing of NUL-terminated messages, JSON reading,
 * replies matched to waiting calls, events routed (target crashes and detaches included).
 * No browser: fuzz/cdp_peer.c stands in for Chromium, and each run asks it (with a real
 * cdp_call) to write the input onto the pipe, then its reply. The reader must frame and
 * read whatever arrives, route events to the callback, and still answer the call.
 */
#include "fuzz.h"
#include <stdio.h>
#include "render/chromium/cdp.h"
#include <libgen.h>
#include <limits.h>
#include <unistd.h>

static struct cdp *browser;
static unsigned long events;

static void on_event(struct cdp *c, void *user, const char *session, const char *method,
		     json_t *params)
{
	(void)c, (void)user, (void)params;
	FUZZ_ASSERT(session != NULL && method != NULL, "an event without session or method");
	events++;
}

static void stop(void)
{
	cdp_stop(browser);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char self[PATH_MAX], peer[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	FUZZ_ASSERT(n > 0, "cannot find this executable");
	self[n] = '\0';
	snprintf(peer, sizeof peer, "%s/fuzz_cdp_peer", dirname(self));
	FUZZ_ASSERT(access(peer, X_OK) == 0, "fuzz_cdp_peer is not built beside fuzz_cdp");
	struct api_error err = { 0 };
	browser = cdp_start(peer, NULL, on_event, NULL, 10000, &err);
	FUZZ_ASSERT(browser != NULL, err.message);
	atexit(stop);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char digits[] = "0123456789abcdef";
	char *hex = malloc(2 * size + 1);
	FUZZ_ASSERT(hex != NULL, "out of memory");
	for (size_t i = 0; i < size; i++) {
		hex[2 * i] = digits[data[i] >> 4];
		hex[2 * i + 1] = digits[data[i] & 15];
	}
	hex[2 * size] = '\0';
	json_t *params = json_pack("{ss}", "hex", hex);
	free(hex);
	json_t *result = NULL;
	struct api_error err = { 0 };
	int st = cdp_call(browser, NULL, "Fuzz.echo", params, 10000, &result, &err);
	/* the input may hold a reply to this very call, an error one too */
	if (st != CDP_OK && st != CDP_ERROR) {
		/* which: a timeout under a starved machine is not the reader's fault; the rest are */
		fprintf(stderr, "fuzz: cdp_call status %d (%s)\n", st, err.message);
		FUZZ_ASSERT(0, "the call got no answer after the input");
	}
	if (st == CDP_OK)
		FUZZ_ASSERT(result != NULL, "an answered call has no result");
	else
		fuzz_check_error(&err);
	json_decref(result);
	FUZZ_ASSERT(!cdp_dead(browser), "the reader gave up on the pipe");
	return 0;
}
