// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Uploads (mail/upload_csv.h, upload_map.h, upload_validate.h): the CSV reader on what
 * spreadsheets write and on what it must not guess; the mappings on rows of every kind of
 * fault; a whole validation through the store, in batches.
 */
#include "../test.h"
#include "av/verify.h"
#include "core/arena.h"
#include "mail/upload_csv.h"
#include "mail/upload_map.h"
#include "mail/upload_validate.h"
#include "store/assets.h"
#include "store/store.h"
#include "store/upload_store.h"
#include <stdlib.h>
#include <unistd.h>

/* ---- the reader ---- */

struct seen {
	int rows;
	long long row_no[16];
	char text[16][200];	/* fields joined with | */
	long long bad_utf8[16];
	int stop_after;
};

static int collect(void *ctx, const struct ucsv_row *row)
{
	struct seen *s = ctx;
	if (s->rows < 16) {
		char *p = s->text[s->rows];
		p[0] = '\0';
		for (size_t i = 0; i < row->n; i++)
			snprintf(p + strlen(p), 200 - strlen(p), "%s%s", i ? "|" : "", row->fields[i]);
		s->row_no[s->rows] = row->row_no;
		s->bad_utf8[s->rows] = row->bad_utf8;
	}
	s->rows++;
	return s->stop_after && s->rows >= s->stop_after ? 7 : 0;
}

static int read_text(const char *text, struct seen *s, char *msg, long long *bad)
{
	memset(s, 0, sizeof(*s));
	return ucsv_read_mem(text, strlen(text), collect, s, msg, 300, bad);
}

static void test_reader(void)
{
	struct seen s;
	char msg[300];
	long long bad;
	int rc = read_text("\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"two\r\nlines\",\"say \"\"hi\"\"\"\r\n"
			   "\r\n\r\n1,,\r\n", &s, msg, &bad);
	CHECK_INT(rc, 0, "BOM, CRLF, quoted commas, line breaks and quotes read");
	CHECK_INT(s.rows, 3, "blank lines are no rows");
	CHECK_STR(s.text[0], "a|b|c", "the BOM is not part of the first column's name");
	CHECK_STR(s.text[1], "x, y|two\r\nlines|say \"hi\"", "quoted fields unquoted");
	CHECK_STR(s.text[2], "1||", "empty fields kept");
	CHECK_INT(s.row_no[2], 3, "rows numbered as records (header 1)");

	rc = read_text("a,b\nJos\xE9,1\nok,2\n", &s, msg, &bad);
	CHECK_INT(rc, 0, "a Latin-1 byte does not stop the file");
	CHECK_INT(s.bad_utf8[1], 0, "its field is flagged as not UTF-8");
	CHECK_INT(s.bad_utf8[2], -1, "the next row is fine");

	memset(&s, 0, sizeof(s));
	rc = ucsv_read_mem("a,b\nx\0y,1\n", 11, collect, &s, msg, sizeof(msg), &bad);
	CHECK_INT(s.bad_utf8[1], 0, "a NUL byte is not text: its field is flagged (found by "
		  "fuzz_upload_csv: JSON cannot carry it back)");

	rc = read_text("a,b\n1,2\n3,x\"y\n4,5\n", &s, msg, &bad);
	CHECK_INT(rc, -1, "a quote inside an unquoted field stops the file");
	CHECK_INT(bad, 3, "with its row number");
	CHECK(strstr(msg, "row 3: a quote out of place") != NULL, "and why: %s", msg);

	rc = read_text("a,b\n1,\"open\n", &s, msg, &bad);
	CHECK_INT(rc, -1, "an unclosed quote at the end is an error");
	CHECK(strstr(msg, "row 2") && strstr(msg, "unclosed quote"), "named: %s", msg);

	rc = read_text("\xEF\xBB", &s, msg, &bad);
	CHECK_INT(rc == 0 && s.rows == 1 && s.bad_utf8[0] == 0, 1,
		  "the start of a BOM alone is text (not UTF-8), not dropped");
	rc = read_text("\xEF\xBBx,y\n", &s, msg, &bad);
	CHECK_STR(s.text[0], "\xEF\xBBx|y", "a BOM's first bytes then other text: all kept");

	rc = read_text("", &s, msg, &bad);
	CHECK_INT(rc == 0 && s.rows == 0, 1, "an empty file has no rows");

	memset(&s, 0, sizeof(s));
	s.stop_after = 2;
	rc = ucsv_read_mem("a\n1\n2\n3\n", 8, collect, &s, msg, 300, &bad);
	CHECK_INT(rc, 7, "the callback stops the reading with its value");

	/* a file bigger than the read buffer, fields across its edges */
	char path[] = "/tmp/frank-ucsv-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w+");
	fputs("name,note\r\n", f);
	for (int i = 0; i < 30000; i++)
		fprintf(f, "person %d,\"a, b\nc %d\"\r\n", i, i);
	fflush(f);
	rewind(f);
	memset(&s, 0, sizeof(s));
	rc = ucsv_read(fileno(f), collect, &s, msg, sizeof(msg), &bad);
	CHECK_INT(rc, 0, "a 1 MB file streams through");
	CHECK_INT(s.rows, 30001, "every row of it");
	fclose(f);
	unlink(path);
}

/* ---- mappings and rows ---- */

static json_t *upload_json(void)
{
	return json_loads("{\"id\":\"upl_1\",\"requiredAddressColumnMapping\":{\"name\":\"who\","
			  "\"address_line1\":\"l1\",\"address_city\":\"city\",\"address_state\":"
			  "\"st\",\"address_zip\":\"zip\"},\"optionalAddressColumnMapping\":"
			  "{\"address_line2\":null,\"company\":null,\"address_country\":\"country\"},"
			  "\"mergeVariableColumnMapping\":{\"code\":\"gift\"},\"metadata\":"
			  "{\"columns\":[\"seg\"]}}", 0, NULL);
}

struct mapped {
	struct upload_map *m;
	struct arena *a;
	struct upload_row out[16];
	int n;
	char msg[300];
};

static int map_rows(void *ctx, const struct ucsv_row *row)
{
	struct mapped *mp = ctx;
	if (!mp->m) {
		json_t *u = upload_json();
		mp->m = upload_map_compile(u, row, mp->a, mp->msg, sizeof(mp->msg));
		json_decref(u);
		if (mp->m)
			mp->m->test = true;
		return mp->m ? 0 : 1;
	}
	upload_map_row(mp->m, row, mp->a, &mp->out[mp->n++]);
	return 0;
}

static void test_rows(void)
{
	struct mapped mp = { .a = arena_new() };
	char msg[300];
	long long bad;
	const char *csv =
		"who,l1,city,st,zip,country,gift,seg,,\n"
		"Ann,1 A St,Oakland,CA,94612,,G1,x,,\n"		/* 2: fine, trailing empties */
		"Bo,,Oakland,CA,94612,US,G2,y,,\n"		/* 3: no line 1 */
		"Cy,3 C St,Oakland,ZZ,94612,,G3,z,,\n"		/* 4: bad state */
		"Di,4 D St,Oakland,CA,9461,,G4,z,,\n"		/* 5: bad zip */
		"Ed,undeliverable no match,Oakland,CA,94612,,G5,z,,\n"	/* 6: test-mode rule */
		"Fa,6 F St,Oakland,CA,94612,,,z,,\n"		/* 7: no merge variable */
		"Gu,7 G St,Oakland\n"				/* 8: ragged */
		"H\xE9,8 H St,Oakland,CA,94612,,G8,z,,\n"	/* 9: Latin-1 */
		"Io,9 Rue,Paris,,,FR,G9,z\n";			/* 10: international, fine */
	int rc = ucsv_read_mem(csv, strlen(csv), map_rows, &mp, msg, sizeof(msg), &bad);
	CHECK_INT(rc, 0, "the audience reads");
	CHECK_INT(mp.n, 9, "nine rows mapped");
	CHECK(mp.out[0].valid, "a good row is valid");
	CHECK_STR(mp.out[0].piece, "{\"to\":{\"name\":\"Ann\",\"address_line1\":\"1 A St\","
		  "\"address_city\":\"Oakland\",\"address_state\":\"CA\",\"address_zip\":\"94612\"},"
		  "\"merge_variables\":{\"code\":\"G1\"},\"metadata\":{\"seg\":\"x\"}}",
		  "its piece: to, merge variables, metadata");
	static const char *const want[] = {
		NULL,
		"[{\"column\":\"l1\",\"message\":\"address_line1 is required\"}]",
		"[{\"column\":\"st\",\"message\":\"address_state with value \\\"ZZ\\\" must be a 2 "
		"letter US state code\"}]",
		"[{\"column\":\"zip\",\"message\":\"address_zip with value \\\"9461\\\" fails to match "
		"the required pattern: /^\\\\d{5}(-\\\\d{4})?$/\"}]",
		"[{\"column\":\"l1\",\"message\":\"address is undeliverable: the ZIP code, city and "
		"state do not match, or the primary line is not a street address\"}]",
		"[{\"column\":\"gift\",\"message\":\"merge variable code is required but the row "
		"leaves it empty\"}]",
		"[{\"column\":\"\",\"message\":\"the row has 3 fields where the header has 8 columns "
		"(a missing or extra separator)\"}]",
		"[{\"column\":\"who\",\"message\":\"the value is not UTF-8 (save the file as \\\"CSV "
		"UTF-8\\\")\"}]",
	};
	for (int i = 1; i < 8; i++) {
		CHECK(!mp.out[i].valid, "row %lld fails", mp.out[i].row_no);
		CHECK_STR(mp.out[i].errors, want[i], "row %lld: its column and Lob's message",
			  mp.out[i].row_no);
	}
	CHECK(mp.out[8].valid, "an international row needs no state or ZIP: %s",
	      mp.out[8].errors ? mp.out[8].errors : "");

	/* a mapping to a column the file lacks, and missing mappings */
	struct mapped bad_map = { .a = arena_new() };
	rc = ucsv_read_mem("who,l1,city,st,postcode\n", 24, map_rows, &bad_map, msg, sizeof(msg),
			   &bad);
	CHECK(!bad_map.m, "a mapping to a missing column does not compile");
	CHECK_STR(bad_map.msg, "requiredAddressColumnMapping.address_zip names the column \"zip\", "
		  "which the file's header does not have", "and says which");
	json_t *u = json_loads("{\"requiredAddressColumnMapping\":{\"name\":\"a\"}}", 0, NULL);
	CHECK_INT(upload_mappings_check(u, msg, sizeof(msg)), -1, "missing mappings refused");
	CHECK_STR(msg, "requiredAddressColumnMapping.address_line1 is required: name the file's "
		  "column that holds it", "with what to do");
	json_decref(u);
	arena_free(bad_map.a);
	arena_free(mp.a);
}

/* ---- a whole validation ---- */

/* what a client polling the upload would have seen after each batch */
struct watch {
	struct store *s;
	const struct store_scope *sc;
	int calls, validating, moving;
	long long last_total;
};

static void watch_progress(void *ctx, const struct upload_progress *p)
{
	struct watch *w = ctx;
	struct arena *a = arena_new();
	char *json = NULL;
	struct api_error err;
	w->calls++;
	if (store_object_get(w->s, w->sc, "upl_1", a, &json, &err) == 0) {
		json_t *o = json_loads(json, 0, NULL);
		long long stored = json_integer_value(json_object_get(o, "totalMailpieces"));
		const char *st = json_string_value(json_object_get(o, "state"));
		if (st && strcmp(st, UPLOAD_VALIDATING) == 0 && strcmp(p->state, UPLOAD_VALIDATING) == 0)
			w->validating++;
		if (stored > w->last_total && stored < 1000)
			w->moving++;	/* committed counts between none and all */

		if (stored > w->last_total)
			w->last_total = stored;
		json_decref(o);
	} else {
		printf("# read failed: %s\n", err.message);
	}
	arena_free(a);
}

static const char *same_json(const char *json, void *ctx)
{
	(void)json;
	return ctx;
}

static void test_validate(void)
{
	char dir[] = "/tmp/frank-upl-XXXXXX", cmd[64], key[ASSET_KEY_MAX];
	struct api_error err;
	CHECK(mkdtemp(dir) != NULL, "a data directory");
	struct store_options opt = { .dir = dir, .pool_size = 2 };
	struct store *s = store_open(&opt, &err);
	CHECK(s != NULL, "store opens");
	/* 1,000 rows, every 10th without a line 1 */
	size_t cap = 100000, len = 0;
	char *csv = malloc(cap);
	len += (size_t)snprintf(csv, cap, "who,l1,city,st,zip,country,gift,seg\r\n");
	for (int i = 0; i < 1000; i++)
		len += (size_t)snprintf(csv + len, cap - len, "P%d,%s,Oakland,CA,94612,,G%d,s\r\n", i,
					i % 10 ? "1 Main St" : "", i);
	CHECK(assets_put(dir, (unsigned char *)csv, len, "csv", key, &err) == 0, "the file stored");
	struct store_scope sc = { .account_id = "acc_1", .mode = MODE_TEST, .kind = UPLOAD_KIND };
	json_t *u = upload_json();
	json_object_set_new(u, "state", json_string(UPLOAD_READY));
	char *uj = json_dumps(u, JSON_COMPACT), input[200];
	snprintf(input, sizeof(input), "{\"file\":\"%s\",\"bytes\":%zu}", key, len);
	struct store_change ch[2] = {
		{ .op = STORE_INSERT, .sc = sc, .obj = { .id = "upl_1", .json = uj } },
		{ .op = STORE_INSERT, .sc = sc, .obj = { .id = "upli_1", .json = input } },
	};
	ch[1].sc.kind = UPLOAD_INPUT_KIND;
	struct store_change_set set = { .changes = ch, .n = 2 };
	CHECK_INT(store_apply_sync(s, &set, &err), 0, "the upload and its file recorded");
	struct watch w = { .s = s, .sc = &sc };
	struct upload_jobs uj_ctx = { .store = s, .data_dir = dir, .batch_rows = 64,
				      .progress = watch_progress, .progress_ctx = &w };
	CHECK_INT(upload_validate_run(&uj_ctx, &sc, "upl_1", NULL, &err), 0, "validated");
	CHECK(w.calls >= 16, "progress after every batch (%d calls)", w.calls);
	CHECK(w.validating >= 10, "a poll meanwhile sees Validating (%d times)", w.validating);
	/* batches committed together (group commit) move the counts two batches at a time */
	CHECK(w.moving >= 4, "and counts that move (%d times)", w.moving);
	struct arena *a = arena_new();
	char *json = NULL;
	CHECK_INT(store_object_get(s, &sc, "upl_1", a, &json, &err), 0, "the upload reads back");
	json_t *got = json_loads(json, 0, NULL);
	CHECK_STR(json_string_value(json_object_get(got, "state")), UPLOAD_SCHEDULED, "Scheduled");
	CHECK_INT(json_integer_value(json_object_get(got, "totalMailpieces")), 1000, "1,000 rows");
	CHECK_INT(json_integer_value(json_object_get(got, "validatedMailpieces")), 900, "900 valid");
	CHECK_INT(json_integer_value(json_object_get(got, "failedMailpieces")), 100, "100 failed");
	CHECK_INT(json_integer_value(json_object_get(got, "bytesProcessed")), (long long)len,
		  "every byte processed");
	struct upload_row *rows;
	size_t n;
	long long total;
	CHECK_INT(upload_rows_page(s, "upl_1", UPLOAD_ROWS_FAILED, 0, 100, a, &rows, &n, &total,
				   &err), 0, "the failed rows page");
	CHECK_INT(total, 100, "100 failed rows stored, over 16 batches");
	CHECK_INT(rows[0].row_no, 2, "the first is row 2");
	CHECK_INT(rows[99].row_no, 992, "the last is row 992");
	/* again (kill -9 mid-run, or new mappings): the rows are replaced, not doubled */
	json_object_set_new(got, "state", json_string(UPLOAD_READY));
	char *again = json_dumps(got, JSON_COMPACT);
	struct upload_batch b = { .sc = &sc, .upload_id = "upl_1", .update = same_json,
				  .ctx = again };
	CHECK_INT(upload_rows_write(s, &b, &err), 0, "back to Ready for Validation");
	CHECK_INT(upload_validate_run(&uj_ctx, &sc, "upl_1", NULL, &err), 0, "validated again");
	CHECK_INT(upload_rows_page(s, "upl_1", UPLOAD_ROWS_ALL, 0, 1, a, &rows, &n, &total, &err), 0,
		  "all rows");
	CHECK_INT(total, 1000, "still one per row");
	free(again);
	json_decref(got);
	arena_free(a);
	free(uj);
	json_decref(u);
	free(csv);
	store_free(s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0, "cleaned up");
}

int main(void)
{
	test_reader();
	test_rows();
	test_validate();
	return test_done();
}
