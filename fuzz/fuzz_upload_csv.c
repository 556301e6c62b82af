// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Audience CSVs (mail/upload_csv.c over libcsv, then mail/upload_map.c): the same bytes read
 * from memory in one piece and from a pipe in the reader's own chunks must give the same
 * rows, fields, UTF-8 flags and errors; every row after the header is mapped (a fixed upload
 * mapping the first columns) and what it gives must be JSON: a piece or a list of errors.
 */
#include "fuzz.h"
#include "mail/upload_csv.h"
#include "mail/upload_map.h"
#include <pthread.h>
#include <unistd.h>

static const char UPLOAD[] =
	"{\"requiredAddressColumnMapping\":{\"name\":\"a\",\"address_line1\":\"b\","
	"\"address_city\":\"c\",\"address_state\":\"d\",\"address_zip\":\"e\"},"
	"\"optionalAddressColumnMapping\":{\"address_country\":\"f\"},"
	"\"mergeVariableColumnMapping\":{\"v\":\"g\"},\"metadata\":{\"columns\":[\"h\"]}}";

struct tally {
	FILE *t;
	json_t *upload;
	struct arena *a;
	struct upload_map *m;
	bool header_done;
};

static int on_row(void *ctx, const struct ucsv_row *row)
{
	struct tally *y = ctx;
	char msg[300];
	fprintf(y->t, "row %lld n %zu utf8 %lld:", row->row_no, row->n, row->bad_utf8);
	for (size_t i = 0; i < row->n; i++)
		fprintf(y->t, "[%zu:%.*s]", row->lens[i], (int)row->lens[i], row->fields[i]);
	fputc('\n', y->t);
	if (!y->header_done) {
		y->header_done = true;
		y->m = upload_map_compile(y->upload, row, y->a, msg, sizeof(msg));
		if (y->m)
			y->m->test = true;
		return 0;
	}
	if (y->m) {
		struct upload_row out;
		upload_map_row(y->m, row, y->a, &out);
		json_t *j = json_loads(out.valid ? out.piece : out.errors, 0, NULL);
		FUZZ_ASSERT(j != NULL, "a row gave something that is not JSON");
		FUZZ_ASSERT(out.valid ? json_is_object(j) : json_array_size(j) > 0,
			    "a valid row without its piece, or a failed one without errors");
		json_decref(j);
	}
	return 0;
}

static char *transcript(const uint8_t *data, size_t n, int fd, size_t *len)
{
	char *out = NULL, msg[300];
	long long bad;
	struct tally y = { .t = open_memstream(&out, len), .upload = json_loads(UPLOAD, 0, NULL),
			   .a = arena_new() };
	FUZZ_ASSERT(y.t && y.upload && y.a, "out of memory");
	int rc = fd >= 0 ? ucsv_read(fd, on_row, &y, msg, sizeof(msg), &bad)
			 : ucsv_read_mem((const char *)data, n, on_row, &y, msg, sizeof(msg), &bad);
	fprintf(y.t, "rc %d bad %lld %s\n", rc, rc < 0 ? bad : 0, rc < 0 ? msg : "");
	fclose(y.t);
	json_decref(y.upload);
	arena_free(y.a);
	return out;
}

struct feeder {
	int fd;
	const uint8_t *data;
	size_t n;
};

static void *feed(void *p)
{
	struct feeder *f = p;
	for (size_t off = 0; off < f->n;) {
		/* one byte first (a BOM in pieces), then odd-sized chunks */
		size_t step = off == 0 ? 1 : f->n - off > 977 ? 977 : f->n - off;
		ssize_t w = write(f->fd, f->data + off, step);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(f->fd);
	return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t mlen, plen;
	char *from_mem = transcript(data, size, -1, &mlen);
	int fds[2];
	FUZZ_ASSERT(pipe(fds) == 0, "pipe failed");
	struct feeder f = { fds[1], data, size };
	pthread_t t;
	FUZZ_ASSERT(pthread_create(&t, NULL, feed, &f) == 0, "thread failed");
	char *from_pipe = transcript(NULL, 0, fds[0], &plen);
	pthread_join(t, NULL);
	close(fds[0]);
	FUZZ_ASSERT(plen == mlen && memcmp(from_mem, from_pipe, mlen) == 0,
		    "reading in chunks and in one piece disagree");
	free(from_mem);
	free(from_pipe);
	return 0;
}
