// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The one-sentence answer of `frank pieces why` for each place a piece can be: canceled,
 * failed, waiting to render (and why it waits), rendered, in each state of a print run, with
 * its last tracking event and the remote files it could not use.
 */
#include <jansson.h>
#include <stdlib.h>
#include "mail/piece_why.h"
#include "test.h"

static void answers(const char *story_json, const char *want)
{
	json_error_t je;
	json_t *story = json_loads(story_json, 0, &je);
	char *got = story ? piece_why_answer(story) : NULL;
	CHECK_STR(got ? got : je.text, want, "%s", story_json);
	free(got);
	json_decref(story);
}

int main(void)
{
	answers("{\"mode\":\"test\",\"deleted\":true,\"piece\":{\"status\":\"processed\","
		"\"date_modified\":\"2026-12-07T10:00:00.000Z\"}}",
		"canceled (2026-12-07T10:00:00.000Z)");
	answers("{\"piece\":{\"status\":\"failed\",\"failure_reason\":{\"failure_reason\":"
		"\"invalid_file\",\"remediation\":\"the file is not a PDF\"}}}",
		"failed: invalid_file: the file is not a PDF");
	answers("{\"piece\":{\"status\":\"processed\"},\"jobs\":[{\"kind\":\"piece.render\","
		"\"state\":\"queued\",\"attempts\":0}]}", "waiting to render");
	answers("{\"piece\":{\"status\":\"processed\"},\"jobs\":[{\"kind\":\"piece.render\","
		"\"state\":\"queued\",\"attempts\":2,\"last_error\":\"the browser stopped\"}]}",
		"waiting to render again: attempt 2 failed: the browser stopped");
	answers("{\"piece\":{\"status\":\"processed\"},\"jobs\":[{\"kind\":\"piece.render\","
		"\"state\":\"dead\",\"attempts\":5,\"last_error\":\"timeout\"}]}",
		"rendering gave up after 5 attempts: timeout");
	answers("{\"piece\":{\"status\":\"processed\"},\"jobs\":[{\"kind\":\"piece.render\","
		"\"state\":\"running\",\"attempts\":0}]}", "rendering now (attempt 1)");
	answers("{\"piece\":{\"status\":\"processed\"},\"jobs\":[]}",
		"waiting to render (no render job is queued: restart frankd to queue it)");
	answers("{\"mode\":\"live\",\"piece\":{\"status\":\"rendered\",\"send_date\":"
		"\"2026-12-08T00:00:00.000Z\"},\"print_runs\":[]}",
		"rendered; waiting for a print run to take it (send date 2026-12-08T00:00:00.000Z)");
	answers("{\"mode\":\"test\",\"piece\":{\"status\":\"rendered\"},\"print_runs\":[]}",
		"rendered; a test piece is never printed");
	static const char *const runs[][2] = {
		{ "locked", "rendered; in print run run_1 (lot lot_a), waiting to be printed" },
		{ "printed", "printed in print run run_1 (lot lot_a), waiting to be mailed" },
		{ "mailed", "mailed in print run run_1 (lot lot_a)" },
		{ "spoiled", "spoiled in print run run_1: it goes into the next run's reprint lot" },
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char story[256];
		snprintf(story, sizeof(story), "{\"mode\":\"live\",\"piece\":{\"status\":\"rendered\"},"
			 "\"print_runs\":[{\"run_id\":\"run_1\",\"lot_id\":\"lot_a\",\"state\":\"%s\"}]}",
			 runs[i][0]);
		answers(story, runs[i][1]);
	}
	answers("{\"mode\":\"live\",\"piece\":{\"status\":\"rendered\",\"tracking_events\":"
		"[{\"name\":\"Mailed\",\"time\":\"t1\"},{\"name\":\"In Transit\",\"time\":\"t2\"}]},"
		"\"print_runs\":[{\"run_id\":\"run_1\",\"lot_id\":\"lot_a\",\"state\":\"mailed\"}],"
		"\"render_notes\":{\"missing_files\":3,\"first\":[\"https://x/a.png not fetched: 404\"]}}",
		"mailed in print run run_1 (lot lot_a); last tracking event: In Transit (t2); 3 remote "
		"files its HTML names could not be used, first: https://x/a.png not fetched: 404");
	return test_done();
}
