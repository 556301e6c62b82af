// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The tracking simulation: journey plans (variants by share, stable per piece, Marketing
 * Mail slower), each plan walked through tracking_add giving Lob's event sequences, and the
 * journeys' jobs the store enqueues (test pieces with a send date, due then).
 */
#include "mail/simulate.h"
#include "mail/tracking.h"
#include "store/jobs_store.h"
#include "core/timeutil.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

static const char *codes(const struct sim_step *s, size_t n)
{
	static char buf[128];
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "," : "",
					s[i].code);
	return buf;
}

/* the plan applied to a piece, as its tracking events' names */
static const char *walked(const char *id, bool certified, const struct sim_shares *sh)
{
	static char buf[256];
	struct sim_step st[SIM_MAX_STEPS];
	size_t n = sim_plan(id, certified, false, sh, st), len = 0;
	json_t *piece = json_pack("{ss}", "id", id);
	if (certified)
		json_object_set_new(piece, "extra_service", json_string("certified"));
	for (size_t i = 0; i < n; i++) {
		long long at = 1772467200000LL + (long long)(st[i].hours * 3600000);
		struct tracking_scan s = { .time_ms = at };
		const char *zip = st[i].place == AT_SENDER ? "94107" : "10001";
		const char *type;
		snprintf(s.location, sizeof(s.location), "%s", zip);
		if (tracking_certified_for_code(st[i].code, &s))
			tracking_add(piece, "letter", &s, &type);
	}
	size_t i;
	json_t *e;
	buf[0] = '\0';
	json_array_foreach(json_object_get(piece, "tracking_events"), i, e)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", i ? "," : "",
					json_string_value(json_object_get(e, "name")));
	json_decref(piece);
	return buf;
}

static void plans(void)
{
	struct sim_shares none = { 0 }, all_returned = { .returned = 1 },
			  all_rerouted = { .reroute = 1 }, all_issue = { .issue = 1 };
	struct sim_step st[SIM_MAX_STEPS], again[SIM_MAX_STEPS];
	size_t n = sim_plan("ltr_0123456789abcdef", false, false, &none, st);
	CHECK_STR(codes(st, n), "OA,10,07,OF,01", "no shares: the clean journey");
	CHECK(st[0].hours == 0 && st[n - 1].hours == 80,
		"mailed at the send date, delivered 80 h on");
	CHECK(st[0].place == AT_SENDER && st[n - 1].place == AT_RECIPIENT,
		"from the sender to the recipient");
	n = sim_plan("ltr_0123456789abcdef", false, true, &none, st);
	CHECK(st[n - 1].hours == 240, "Marketing Mail is three times slower");
	n = sim_plan("ltr_1", false, false, &all_returned, st);
	CHECK_STR(codes(st, n), "OA,10,07,21,10,07,OF,01", "a return to sender");
	CHECK(st[n - 1].place == AT_SENDER, "delivered back at the sender");
	n = sim_plan("ltr_1", false, false, &all_rerouted, st);
	CHECK_STR(codes(st, n), "OA,10,07,06,10,07,OF,01", "a re-route");
	n = sim_plan("ltr_1", true, false, &all_issue, st);
	CHECK_STR(codes(st, n), "OA,10,07,OF,02,16,43", "a certified delivery issue");
	n = sim_plan("ltr_1", false, false, &all_issue, st);
	CHECK_STR(codes(st, n), "OA,10,07,OF,01", "issues are for certified letters only");

	struct sim_shares third = { .reroute = 0.25, .returned = 0.25, .issue = 0.25 };
	unsigned count[4] = { 0 }, same = 0;
	for (int i = 0; i < 2000; i++) {
		char id[40];
		snprintf(id, sizeof(id), "ltr_%016x", (unsigned)i * 2654435761u);
		n = sim_plan(id, true, false, &third, st);
		size_t m = sim_plan(id, true, false, &third, again);
		same += n == m && strcmp(st[3].code, again[3].code) == 0;
		count[strcmp(st[3].code, "21") == 0 ? 0 : strcmp(st[3].code, "06") == 0 ? 1
						  : n == 7 ? 2 : 3]++;
	}
	CHECK_INT(same, 2000, "a piece always gets the same journey");
	CHECK(count[0] > 400 && count[0] < 600 && count[1] > 400 && count[1] < 600 &&
	      count[2] > 400 && count[2] < 600 && count[3] > 400 && count[3] < 600,
	      "shares of a quarter each: %u returned, %u re-routed, "
	      "%u issues, %u clean of 2000", count[0], count[1], count[2], count[3]);

	CHECK_STR(walked("ltr_a", false, &none),
		  "Mailed,In Transit,In Local Area,Processed for Delivery,Delivered",
		  "a normal letter's journey");
	CHECK_STR(walked("ltr_a", true, &none),
		  "Mailed,In Transit,In Local Area,Processed for Delivery,Delivered",
		  "a certified letter's journey");
	CHECK_STR(walked("ltr_a", false, &all_returned),
		  "Mailed,In Transit,In Local Area,Returned to Sender,In Transit,In Local Area,"
		  "Processed for Delivery,Delivered",
		  "Lob's return sequence: RTS is not an end state");
	CHECK_STR(walked("ltr_a", false, &all_rerouted),
		  "Mailed,In Transit,In Local Area,Re-Routed,In Transit,In Local Area,"
		  "Processed for Delivery,Delivered", "a re-route");
	CHECK_STR(walked("ltr_a", true, &all_issue),
		  "Mailed,In Transit,In Local Area,Processed for Delivery,Issue,Pickup Available,"
		  "Delivered",
		  "a certified notice left, picked up at the post office");
}

static void insert(struct store *s, const char *kind, enum store_mode mode, const char *id,
		   const char *json)
{
	struct api_error err;
	struct store_change ch = { .op = STORE_INSERT,
				   .sc = { .account_id = "acc_1", .mode = mode, .kind = kind },
				   .obj = { .id = id, .created_ms = 1, .updated_ms = 1,
					    .json = json } };
	struct store_change_set set = { .changes = &ch, .n = 1 };
	if (store_apply_sync(s, &set, &err) != 0)
		printf("# insert %s: %s\n", id, err.message);
}

/* the journey job of a piece: its due time, or -1 when it has none */
static long long journey_due(struct store *s, const char *id, char *kind_out)
{
	struct arena *a = arena_new();
	struct store_job j;
	enum store_job_state st;
	char *why;
	struct api_error err;
	long long due = -1;
	if (store_job_find(s, JOB_TRACKING_SIM, id, a, &j, &st, &why, &err) == 0 &&
	    st == JOB_QUEUED) {
		due = j.due_ms;
		json_t *p = json_loads(j.payload ? j.payload : "{}", 0, NULL);
		const char *k = json_string_value(json_object_get(p, "kind"));
		snprintf(kind_out, 32, "%s", k ? k : "");
		json_decref(p);
	}
	arena_free(a);
	return due;
}

static void journeys(void)
{
	char dir[] = "/tmp/frank-journeys-XXXXXX";
	struct api_error err;
	char kind[32] = "";
	CHECK(mkdtemp(dir) != NULL, "temp dir");
	struct store_options opt = { .dir = dir, .pool_size = 2, .sync_full = false };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	insert(s, "letter", MODE_TEST, "ltr_1", "{\"send_date\":\"2026-03-02T15:05:00.000Z\"}");
	insert(s, "letter", MODE_LIVE, "ltr_2", "{\"send_date\":\"2026-03-02T15:05:00.000Z\"}");
	insert(s, "address", MODE_TEST, "adr_1", "{\"name\":\"x\",\"send_date\":\"2026-03-02\"}");
	insert(s, "letter", MODE_TEST, "ltr_3", "{\"status\":\"processed\"}");
	insert(s, "postcard", MODE_TEST, "psc_1", "{\"send_date\":\"2026-03-01\"}");
	long long t, p;
	time_parse_iso("2026-03-02T15:05:00.000Z", &t);
	time_parse_iso("2026-03-01T00:00:00.000Z", &p);
	CHECK_INT(journey_due(s, "ltr_1", kind), t, "a test letter's journey is due at its send date");
	CHECK_STR(kind, "letter", "and knows the piece's kind");
	CHECK_INT(journey_due(s, "psc_1", kind), p, "a date without a time: midnight UTC");
	CHECK_INT(journey_due(s, "ltr_2", kind), -1, "live pieces get no simulated journey");
	CHECK_INT(journey_due(s, "adr_1", kind), -1, "nor objects that are not mail pieces");
	CHECK_INT(journey_due(s, "ltr_3", kind), -1, "nor pieces without a send date");
	store_free(s);
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0, "cleanup");
}

int main(void)
{
	plans();
	journeys();
	return test_done();
}
