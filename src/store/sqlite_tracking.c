/*
 * The tracking simulation's journeys on SQLite (see tracking_store.h). Writes are jobs on the
 * store's writer thread, like every other write. These statements run a few times a second
 * at most, so they are prepared per call rather than taking slots of the statement cache.
 */
#include "store/tracking_store.h"
#include "store/sqlite_conn.h"
#include "core/timeutil.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CURSOR "tracking:journeys"

static sqlite3_stmt *prepare(struct conn *c, const char *sql, struct api_error *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(err, c->db, "tracking journeys");
		return NULL;
	}
	return st;
}

/* a statement returning no rows, finalized; 0 or -1 */
static int done_final(struct conn *c, sqlite3_stmt *st, struct api_error *err)
{
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(err, c->db, "tracking journeys");
	sqlite3_finalize(st);
	return rc;
}

/* ---- discovery ---- */

static const char SQL_NEW_OBJECTS[] =
	"SELECT rowid, id, account_id, mode, kind, json_extract(json, '$.send_date') FROM objects"
	" WHERE rowid > ? ORDER BY rowid LIMIT ?";
static const char SQL_JOURNEY_ADD[] =
	"INSERT OR IGNORE INTO tracking_journeys (object_id, account_id, mode, kind, step, due_ms)"
	" VALUES (?, ?, ?, ?, 0, ?)";
static const char SQL_CURSOR_GET[] = "SELECT value FROM sequences WHERE name = ?";
static const char SQL_CURSOR_SET[] =
	"INSERT INTO sequences (name, value) VALUES (?, ?)"
	" ON CONFLICT(name) DO UPDATE SET value = excluded.value";

struct discover {
	const char *const *kinds;
	size_t max, seen;
};

static bool wanted(const char *const *kinds, const char *kind)
{
	for (; *kinds; kinds++)
		if (strcmp(*kinds, kind) == 0)
			return true;
	return false;
}

static int add_journey(struct conn *c, const char *id, const char *account, const char *kind,
		       long long due_ms, struct api_error *err)
{
	sqlite3_stmt *st = prepare(c, SQL_JOURNEY_ADD, err);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, account, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, MODE_TEST);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, due_ms);
	return done_final(c, st, err);
}

static int discover_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct discover *d = ctx;
	long long cursor = 0;
	sqlite3_stmt *st = prepare(c, SQL_CURSOR_GET, err);
	if (!st)
		return -1;
	bind_text(st, 1, CURSOR);
	if (sqlite3_step(st) == SQLITE_ROW)
		cursor = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	/* the rows are read first: the inserts below must not run while this statement is open */
	struct found {
		char id[40], account[40], kind[32];
		long long due_ms;
	} *found = calloc(d->max ? d->max : 1, sizeof(*found));
	size_t n_found = 0;
	if (!found)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	if (!(st = prepare(c, SQL_NEW_OBJECTS, err))) {
		free(found);
		return -1;
	}
	sqlite3_bind_int64(st, 1, cursor);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)d->max);
	int r = SQLITE_DONE;
	while (d->seen < d->max && (r = sqlite3_step(st)) == SQLITE_ROW) {
		d->seen++;
		cursor = sqlite3_column_int64(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 4);
		const char *send = (const char *)sqlite3_column_text(st, 5);
		long long due;
		if (sqlite3_column_int(st, 3) != MODE_TEST || !kind || !wanted(d->kinds, kind) ||
		    !send || time_parse_iso(send, &due) < 0)
			continue;
		struct found *f = &found[n_found++];
		copy_col(st, 1, f->id, sizeof(f->id));
		copy_col(st, 2, f->account, sizeof(f->account));
		copy_col(st, 4, f->kind, sizeof(f->kind));
		f->due_ms = due;
	}
	sqlite3_finalize(st);
	int rc = r == SQLITE_DONE || r == SQLITE_ROW ? 0 : db_fail(err, c->db, "tracking journeys");
	for (size_t i = 0; i < n_found && rc == 0; i++)
		rc = add_journey(c, found[i].id, found[i].account, found[i].kind, found[i].due_ms,
				 err);
	free(found);
	if (rc < 0 || d->seen == 0)
		return rc;
	if (!(st = prepare(c, SQL_CURSOR_SET, err)))
		return -1;
	bind_text(st, 1, CURSOR);
	sqlite3_bind_int64(st, 2, cursor);
	return done_final(c, st, err);
}

static const char SQL_ANY_NEW[] =
	"SELECT EXISTS (SELECT 1 FROM objects WHERE rowid > COALESCE("
	"(SELECT value FROM sequences WHERE name = ?), 0))";

/* a read first: most ticks find nothing new and need not queue behind the API's writes */
static int anything_new(struct store *s, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = prepare(c, SQL_ANY_NEW, err);
	int rc = -1;
	if (st) {
		bind_text(st, 1, CURSOR);
		rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0)
						    : db_fail(err, c->db, "tracking journeys");
		sqlite3_finalize(st);
	}
	conn_release(s, c);
	return rc;
}

int store_journeys_discover(struct store *s, const char *const *kinds, size_t max,
			    struct api_error *err)
{
	struct discover d = { .kinds = kinds, .max = max };
	int any = anything_new(s, err);
	if (any <= 0)
		return any;
	if (sq_submit_and_wait(s, discover_job, &d, err) < 0)
		return -1;
	return (int)d.seen;
}

/* ---- due journeys ---- */

static const char SQL_DUE[] =
	"SELECT object_id, account_id, kind, step, due_ms FROM tracking_journeys"
	" WHERE due_ms <= ? ORDER BY due_ms LIMIT ?";

int store_journeys_due(struct store *s, long long now_ms, struct store_journey *out, size_t max,
		       struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	sqlite3_stmt *st = prepare(c, SQL_DUE, err);
	int n = 0, r = SQLITE_DONE;
	if (st) {
		sqlite3_bind_int64(st, 1, now_ms);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
		while ((size_t)n < max && (r = sqlite3_step(st)) == SQLITE_ROW) {
			struct store_journey *j = &out[n++];
			copy_col(st, 0, j->object_id, sizeof(j->object_id));
			copy_col(st, 1, j->account_id, sizeof(j->account_id));
			copy_col(st, 2, j->kind, sizeof(j->kind));
			j->step = sqlite3_column_int(st, 3);
			j->due_ms = sqlite3_column_int64(st, 4);
		}
		if (r != SQLITE_ROW && r != SQLITE_DONE)
			n = db_fail(err, c->db, "tracking journeys");
		sqlite3_finalize(st);
	} else {
		n = -1;
	}
	conn_release(s, c);
	return n;
}

/* ---- moving on ---- */

static const char SQL_MOVE[] =
	"UPDATE tracking_journeys SET step = ?, due_ms = ? WHERE object_id = ?";
static const char SQL_END[] = "DELETE FROM tracking_journeys WHERE object_id = ?";

struct move {
	const char *id;
	int step;
	long long due_ms;
};

static int move_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct move *m = ctx;
	sqlite3_stmt *st = prepare(c, m->due_ms < 0 ? SQL_END : SQL_MOVE, err);
	if (!st)
		return -1;
	if (m->due_ms < 0) {
		bind_text(st, 1, m->id);
	} else {
		sqlite3_bind_int(st, 1, m->step);
		sqlite3_bind_int64(st, 2, m->due_ms);
		bind_text(st, 3, m->id);
	}
	return done_final(c, st, err);
}

int store_journey_set(struct store *s, const char *object_id, int step, long long due_ms,
		      struct api_error *err)
{
	struct move m = { .id = object_id, .step = step, .due_ms = due_ms };
	return sq_submit_and_wait(s, move_job, &m, err) < 0 ? -1 : 0;
}
