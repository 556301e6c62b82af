// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The jobs table on SQLite (store/jobs_store.h): enqueue and settle inside the writer's
 * transaction, claims as writer jobs (so two claims never take the same row), and the reads
 * that tell sleeping workers when to wake.
 */
#include "store/jobs_store.h"
#include "store/sqlite_conn.h"
#include "core/timeutil.h"
#include "core/mail_product.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PURGE_CHUNK 5000	/* rows deleted per commit: the writer serves requests in between */

/* ---- news for the listener: which kinds got work, due when ---- */

static void news_add(struct conn *c, const char *kind, long long due_ms)
{
	struct store_jobs_news *n = c->news;
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		if (strcmp(n->k[i].kind, kind) == 0) {
			if (due_ms < n->k[i].due_ms)
				n->k[i].due_ms = due_ms;
			return;
		}
	}
	if (n->n == JOBS_NEWS_KINDS) {
		n->more = true;
		return;
	}
	snprintf(n->k[n->n].kind, sizeof(n->k[n->n].kind), "%s", kind);
	n->k[n->n++].due_ms = due_ms;
}

void store_jobs_listen(struct store *s, void (*fn)(void *ctx, const struct store_jobs_news *n),
		       void *ctx)
{
	pthread_mutex_lock(&s->writer.listen_lock);
	s->writer.listen = fn;
	s->writer.listen_ctx = ctx;
	pthread_mutex_unlock(&s->writer.listen_lock);
}

/* ---- enqueue and settle, in the caller's transaction ---- */

/* a queued job of the same kind and ref stays, due at the earlier time; a running one is
 * left alone (it is being done now) */
static const char SQL_JOB_INSERT[] =
	"INSERT INTO jobs (kind, ref, lane, account_id, mode, payload, due_ms, created_ms,"
	" updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"
	" ON CONFLICT (kind, ref) WHERE state < 2 AND ref IS NOT NULL"
	" DO UPDATE SET due_ms = CASE WHEN excluded.due_ms < jobs.due_ms THEN excluded.due_ms ELSE jobs.due_ms END, updated_ms = excluded.updated_ms"
	" WHERE jobs.state = 0";

int sq_job_insert(struct conn *c, const char *account_id, enum store_mode mode,
		  const struct store_job_new *j, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_JOB_INSERT);
	if (!st)
		return db_fail(err, c->db, "job insert");
	db_bind_text(st, 1, j->kind);
	db_bind_text(st, 2, j->ref);
	db_bind_text(st, 3, j->lane);
	db_bind_text(st, 4, account_id);
	db_bind_int(st, 5, mode);
	db_bind_text(st, 6, j->payload);
	db_bind_int64(st, 7, j->due_ms);
	db_bind_int64(st, 8, clock_now_ms());
	if (step_done(c, st, err) < 0)
		return -1;
	news_add(c, j->kind, j->due_ms);
	return 0;
}

/* ?5: 1 attempts start over, 2 the claim's attempt is taken back (due_ms stays) */
static const char SQL_JOB_SETTLE[] =
	"UPDATE jobs SET state = ?1, due_ms = CASE WHEN ?1 = 0 AND ?5 < 2 THEN ?2 ELSE due_ms END,"
	" payload = COALESCE(?3, payload), last_error = ?4,"
	" attempts = CASE ?5 WHEN 1 THEN 0 WHEN 2 THEN attempts - 1 ELSE attempts END,"
	" lease_owner = NULL, lease_until_ms = NULL, updated_ms = ?6"
	" WHERE id = ?7 AND state = 1 AND lease_owner = ?8 RETURNING kind, due_ms";

int sq_job_settle(struct conn *c, const struct store_job_settle *j, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_JOB_SETTLE);
	if (!st)
		return db_fail(err, c->db, "job settle");
	db_bind_int(st, 1, j->state);
	db_bind_int64(st, 2, j->due_ms);
	db_bind_text(st, 3, j->state == JOB_QUEUED ? j->payload : NULL);
	db_bind_text(st, 4, j->error);
	db_bind_int(st, 5, j->state != JOB_QUEUED ? 0 : j->unclaim ? 2 : j->fresh ? 1 : 0);
	db_bind_int64(st, 6, clock_now_ms());
	db_bind_int64(st, 7, j->id);
	db_bind_text(st, 8, j->owner);
	int r = db_step(st);
	if (r == DB_ROW && j->state == JOB_QUEUED)
		news_add(c, (const char *)db_col_text(st, 0), db_col_int64(st, 1));
	int rc = r == DB_ROW ? 0 : r == DB_DONE ? 1 : db_fail(err, c->db, "job settle");
	db_reset(st);
	return rc;
}

/* ---- the jobs the store enqueues itself ---- */

static const char SQL_FANOUT_JOB[] =
	"INSERT INTO jobs (kind, ref, account_id, mode, due_ms, created_ms, updated_ms)"
	" SELECT '" JOB_WEBHOOK_FANOUT "', ?1, ?2, ?3, ?4, ?4, ?4 WHERE EXISTS (SELECT 1 FROM objects"
	" WHERE account_id = ?2 AND mode = ?3 AND kind = 'webhook' AND deleted = 0)"
	" ON CONFLICT DO NOTHING";

int sq_jobs_after_event(struct conn *c, const struct store_scope *sc, const char *event_id,
			long long now_ms, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_FANOUT_JOB);
	if (!st)
		return db_fail(err, c->db, "fan-out job");
	db_bind_text(st, 1, event_id);
	db_bind_text(st, 2, sc->account_id);
	db_bind_int(st, 3, sc->mode);
	db_bind_int64(st, 4, now_ms);
	if (step_done(c, st, err) < 0)
		return -1;
	if (db_changes(c->db) > 0)
		news_add(c, JOB_WEBHOOK_FANOUT, now_ms);
	return 0;
}

static const char SQL_SIM_JOB[] =
	"INSERT INTO jobs (kind, ref, account_id, mode, payload, due_ms, created_ms,"
	" updated_ms) SELECT '" JOB_TRACKING_SIM "', id, account_id, mode, json_object('kind', kind),"
	" send_date, ?2, ?2 FROM objects WHERE id = ?1 AND send_date IS NOT NULL"
	" ON CONFLICT DO NOTHING RETURNING due_ms";

int sq_jobs_after_insert(struct conn *c, const struct store_scope *sc, const char *object_id,
			 long long now_ms, struct api_error *err)
{
	/* the mail pieces Lob gives tracking events */
	const struct mail_product *mp = mail_product_find(sc->kind);
	if (sc->mode != MODE_TEST || !mp || !mp->tracking)
		return 0;
	db_stmt *st = sq_stmt(c, SQL_SIM_JOB);
	if (!st)
		return db_fail(err, c->db, "simulation job");
	db_bind_text(st, 1, object_id);
	db_bind_int64(st, 2, now_ms);
	int r = db_step(st);
	if (r == DB_ROW) {
		news_add(c, JOB_TRACKING_SIM, db_col_int64(st, 0));
		r = db_step(st);
	}
	db_reset(st);
	return r == DB_DONE ? 0 : db_fail(err, c->db, "simulation job");
}

/* ---- claims ---- */

/*
 * A claim fills up to q->batches handler calls of up to q->batch jobs each. Without lanes
 * the jobs are simply the soonest due. With lanes, a call's jobs are all of one lane (a
 * sender works one endpoint at a time, on one connection), a lane gives one call per claim
 * and at most lane_limit run at once, and the lanes served longest ago go first, then those
 * whose oldest job is soonest: a lane full of old work cannot hold back the others.
 */
struct group {
	const char *lane;	/* in the claim's arena, or NULL */
	bool expired;		/* leases that ran out: their worker died; they go first */
	unsigned long long served;	/* when its lane was last served here (0: not lately) */
	long long head_due, head_id;
	size_t n, cap;
	long long ids[];
};

struct claim_run {
	const struct store_claim *q;
	struct arena *a;
	struct group **groups;
	size_t n, cap;
	struct store_job *out;
	size_t n_out;
};

/* batches of lane running here, or chosen by this claim */
static unsigned lane_running(const struct claim_run *r, const char *lane)
{
	const struct store_claim *q = r->q;
	unsigned n = 0;
	for (size_t i = 0; lane && i < q->n_running; i++)
		if (strcmp(q->running[i].lane, lane) == 0)
			n += q->running[i].running;
	for (size_t i = 0; lane && i < r->n; i++)
		n += r->groups[i]->lane && strcmp(r->groups[i]->lane, lane) == 0;
	return n;
}

static unsigned long long lane_served(const struct store_claim *q, const char *lane)
{
	for (size_t i = 0; lane && i < q->n_served; i++)
		if (strcmp(q->served[i].lane, lane) == 0)
			return q->served[i].seq;
	return 0;
}

static struct group *group_new(struct claim_run *r, db_stmt *st, bool expired, size_t cap)
{
	if (r->n == r->cap) {
		size_t n = r->cap ? r->cap * 2 : 16;
		struct group **gs = arena_calloc(r->a, n * sizeof(*gs));
		if (r->n)
			memcpy(gs, r->groups, r->n * sizeof(*gs));
		r->groups = gs;
		r->cap = n;
	}
	const char *lane = (const char *)db_col_text(st, 2);
	struct group *g = arena_calloc(r->a, sizeof(*g) + cap * sizeof(g->ids[0]));
	*g = (struct group){ .lane = lane ? arena_strdup(r->a, lane) : NULL, .expired = expired,
			     .head_due = db_col_int64(st, 1),
			     .head_id = db_col_int64(st, 0), .cap = cap,
			     .served = lane_served(r->q, lane) };
	r->groups[r->n++] = g;
	return g;
}

enum grouping {
	ONE_GROUP,	/* no lanes: every job in one group, cut into calls by the runtime */
	NEW_GROUP,	/* one lane's due jobs: a group of their own */
	BY_LANE,	/* expired leases: a group per lane, an expired one */
};

/* the rows of st (id, due_ms, lane) into groups of at most cap; false on a database error */
static bool group_rows(struct claim_run *r, db_stmt *st, enum grouping how, size_t cap)
{
	struct group *g = how == ONE_GROUP && r->n ? r->groups[0] : NULL;
	int s;
	while ((s = db_step(st)) == DB_ROW) {
		const char *lane = (const char *)db_col_text(st, 2);
		if (how == BY_LANE) {
			g = NULL;
			for (size_t k = 0; k < r->n && !g; k++)
				if (lane ? r->groups[k]->lane && strcmp(r->groups[k]->lane, lane) == 0
					 : !r->groups[k]->lane)
					g = r->groups[k];
		}
		if (!g)
			g = group_new(r, st, how == BY_LANE, cap);
		if (g->n < g->cap)	/* a full group: the rest waits for the next claim */
			g->ids[g->n++] = db_col_int64(st, 0);
	}
	db_reset(st);
	return s == DB_DONE;
}

/* leases that ran out: their worker died; another owner's only (ours are still running) */
static const char SQL_EXPIRED[] =
	"SELECT id, due_ms, lane FROM jobs WHERE kind = ? AND state = 1 AND lease_until_ms < ?"
	" AND lease_owner IS DISTINCT FROM ? ORDER BY due_ms, id LIMIT ?";
static const char SQL_DUE[] =
	"SELECT id, due_ms, lane FROM jobs WHERE kind = ? AND state = 0 AND due_ms <= ?"
	" ORDER BY due_ms, id LIMIT ?";
/* lanes with queued jobs, one index seek each (jobs_lane) */
static const char SQL_NEXT_LANE[] =
	"SELECT lane FROM jobs WHERE kind = ? AND state = 0 AND lane > ? ORDER BY lane LIMIT 1";
static const char SQL_LANE_DUE[] =
	"SELECT id, due_ms, lane FROM jobs WHERE kind = ? AND state = 0 AND lane = ?"
	" AND due_ms <= ? ORDER BY due_ms, id LIMIT ?";

#define LANES_MAX 100000	/* lanes looked at per claim: a bound, not an expected number */

static int lanes_collect(struct conn *c, struct claim_run *r, struct api_error *err)
{
	const struct store_claim *q = r->q;
	char *lane = arena_strdup(r->a, "");
	for (size_t seen = 0; lane && seen < LANES_MAX; seen++) {
		db_stmt *st = sq_stmt(c, SQL_NEXT_LANE);
		if (!st)
			return db_fail(err, c->db, "job lanes");
		db_bind_text(st, 1, q->kind);
		db_bind_text(st, 2, lane);
		int s = db_step(st);
		char *next = s == DB_ROW ? arena_strdup(r->a, (const char *)db_col_text(st, 0))
					     : NULL;
		db_reset(st);
		if (s != DB_ROW && s != DB_DONE)
			return db_fail(err, c->db, "job lanes");
		lane = next;
		if (!lane || lane_running(r, lane) >= q->lane_limit)
			continue;
		if (!(st = sq_stmt(c, SQL_LANE_DUE)))
			return db_fail(err, c->db, "job lanes");
		db_bind_text(st, 1, q->kind);
		db_bind_text(st, 2, lane);
		db_bind_int64(st, 3, q->now_ms);
		db_bind_int64(st, 4, (long long)q->batch);
		if (!group_rows(r, st, NEW_GROUP, q->batch))
			return db_fail(err, c->db, "job lanes");
	}
	return 0;
}

/* expired leases first, then the lane served longest ago, then by their oldest job */
static int group_order(const void *x, const void *y)
{
	const struct group *a = *(struct group *const *)x, *b = *(struct group *const *)y;
	if (a->expired != b->expired)
		return a->expired ? -1 : 1;
	if (a->served != b->served)
		return a->served < b->served ? -1 : 1;
	if (a->head_due != b->head_due)
		return a->head_due < b->head_due ? -1 : 1;
	return a->head_id < b->head_id ? -1 : a->head_id > b->head_id;
}

static const char SQL_TAKE[] =
	"UPDATE jobs SET state = 1, lease_owner = ?, lease_until_ms = ?, attempts = attempts + 1,"
	" updated_ms = ? WHERE id = ? RETURNING id, kind, ref, lane, account_id, mode, payload,"
	" due_ms, created_ms, attempts";

static int take(struct conn *c, struct claim_run *r, long long id, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, SQL_TAKE);
	if (!st)
		return db_fail(err, c->db, "job claim");
	db_bind_text(st, 1, r->q->owner);
	db_bind_int64(st, 2, r->q->real_ms + r->q->lease_ms);
	db_bind_int64(st, 3, r->q->now_ms);
	db_bind_int64(st, 4, id);
	int s = db_step(st);
	if (s == DB_ROW) {
		struct store_job *j = &r->out[r->n_out++];
		j->id = db_col_int64(st, 0);
		copy_col(st, 1, j->kind, sizeof(j->kind));
		copy_col(st, 2, j->ref, sizeof(j->ref));
		copy_col(st, 3, j->lane, sizeof(j->lane));
		copy_col(st, 4, j->account_id, sizeof(j->account_id));
		j->mode = db_col_int(st, 5) ? MODE_LIVE : MODE_TEST;
		const unsigned char *p = db_col_text(st, 6);
		j->payload = p ? arena_strdup(r->a, (const char *)p) : NULL;
		j->due_ms = db_col_int64(st, 7);
		j->created_ms = db_col_int64(st, 8);
		j->attempts = (unsigned)db_col_int(st, 9);
		s = db_step(st);
	}
	db_reset(st);
	return s == DB_DONE ? 0 : db_fail(err, c->db, "job claim");
}

static db_stmt *rows_of(struct conn *c, const char *sql, const struct store_claim *q,
			     long long when, size_t limit)
{
	db_stmt *st = sq_stmt(c, sql);
	if (!st)
		return NULL;
	db_bind_text(st, 1, q->kind);
	db_bind_int64(st, 2, when);
	if (sql == SQL_EXPIRED) {
		db_bind_text(st, 3, q->owner);
		db_bind_int64(st, 4, (long long)limit);
	} else {
		db_bind_int64(st, 3, (long long)limit);
	}
	return st;
}

static int claim_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct claim_run *r = ctx;
	const struct store_claim *q = r->q;
	size_t max = q->batches * q->batch;
	bool lanes = q->lane_limit > 0;
	db_stmt *st = rows_of(c, SQL_EXPIRED, q, q->real_ms, max);
	if (!st || !group_rows(r, st, lanes ? BY_LANE : ONE_GROUP, lanes ? q->batch : max))
		return db_fail(err, c->db, "job claim");
	if (lanes) {
		/* expired groups count against their lanes: r->n grows with those kept */
		size_t all = r->n;
		struct group **g = r->groups;
		r->n = 0;
		for (size_t i = 0; i < all; i++)
			if (!g[i]->lane || lane_running(r, g[i]->lane) < q->lane_limit)
				g[r->n++] = g[i];
		if (lanes_collect(c, r, err) < 0)
			return -1;
		if (r->n > 1)
			qsort(r->groups, r->n, sizeof(*r->groups), group_order);
		if (r->n > q->batches)
			r->n = q->batches;
	} else if (!r->n || r->groups[0]->n < max) {
		st = rows_of(c, SQL_DUE, q, q->now_ms, max - (r->n ? r->groups[0]->n : 0));
		if (!st || !group_rows(r, st, ONE_GROUP, max))
			return db_fail(err, c->db, "job claim");
	}
	r->out = arena_calloc(r->a, sizeof(*r->out) * max);
	for (size_t i = 0; i < r->n; i++)
		for (size_t k = 0; k < r->groups[i]->n; k++)
			if (take(c, r, r->groups[i]->ids[k], err) < 0)
				return -1;
	return 0;
}

int store_jobs_claim(struct store *s, const struct store_claim *q, struct arena *a,
		     struct store_job **out, size_t *n, struct api_error *err)
{
	struct claim_run r = { .q = q, .a = a };
	*n = 0;
	*out = NULL;
	if (q->batches == 0 || q->batch == 0)
		return 0;
	if (sq_submit_and_wait(s, claim_job, &r, err) < 0)
		return -1;
	*out = r.out;
	*n = r.n_out;
	return 0;
}

/* ---- when to wake ---- */

static const char SQL_NEXT_DUE[] = "SELECT MIN(due_ms) FROM jobs WHERE kind = ? AND state = 0";
static const char SQL_NEXT_LEASE[] =
	"SELECT MIN(lease_until_ms) FROM jobs WHERE kind = ? AND state = 1 AND lease_owner IS DISTINCT FROM ?";

static int min_of(struct conn *c, const char *sql, const char *kind, const char *owner,
		  long long *out, struct api_error *err)
{
	db_stmt *st = sq_stmt(c, sql);
	if (!st)
		return db_fail(err, c->db, "jobs next");
	db_bind_text(st, 1, kind);
	if (owner)
		db_bind_text(st, 2, owner);
	int s = db_step(st);
	*out = s == DB_ROW && !db_col_null(st, 0)
		       ? db_col_int64(st, 0)
		       : LLONG_MAX;
	db_reset(st);
	return s == DB_ROW ? 0 : db_fail(err, c->db, "jobs next");
}

int store_jobs_next(struct store *s, const char *kind, const char *owner, long long *due_ms,
		    long long *lease_ms, struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	int rc = min_of(c, SQL_NEXT_DUE, kind, NULL, due_ms, err);
	if (rc == 0)
		rc = min_of(c, SQL_NEXT_LEASE, kind, owner, lease_ms, err);
	conn_release(s, c);
	return rc;
}

/* ---- maintenance: writer jobs that change many rows and count them ---- */

struct bulk {
	const char *sql;	/* ?1 text, then the numbers ?2… in order */
	const char *text;
	long long num[3];
	int n_num;
	const char *news_kind;	/* jobs of this kind become due: wake its workers */
	long changed;
};

static int bulk_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct bulk *b = ctx;
	db_stmt *st = sq_stmt(c, b->sql);
	if (!st)
		return db_fail(err, c->db, "jobs maintenance");
	db_bind_text(st, 1, b->text);
	for (int i = 0; i < b->n_num; i++)
		db_bind_int64(st, 2 + i, b->num[i]);
	if (step_done(c, st, err) < 0)
		return -1;
	b->changed = (long)db_changes(c->db);
	if (b->changed > 0 && b->news_kind)
		news_add(c, b->news_kind, 0);
	return 0;
}

static long bulk_run(struct store *s, struct bulk *b, struct api_error *err)
{
	return sq_submit_and_wait(s, bulk_job, b, err) < 0 ? -1 : b->changed;
}

static const char SQL_KINDS[] = "SELECT DISTINCT kind FROM jobs";
static const char SQL_RELEASE[] =
	"UPDATE jobs SET state = 0, lease_owner = NULL, lease_until_ms = NULL WHERE kind = ?1"
	" AND state = 1";

static const char SQL_RENEW[] =
	"UPDATE jobs SET lease_until_ms = ?2 WHERE lease_owner = ?1 AND state = 1";

long store_jobs_renew(struct store *s, const char *owner, long long until_real_ms,
		      struct api_error *err)
{
	struct bulk b = { .sql = SQL_RENEW, .text = owner, .num = { until_real_ms }, .n_num = 1 };
	return bulk_run(s, &b, err);
}

long store_jobs_release_all(struct store *s, struct api_error *err)
{
	char kinds[64][JOB_KIND_MAX];
	size_t n = 0;
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_KINDS);
	int r = DB_DONE;
	while (st && n < 64 && (r = db_step(st)) == DB_ROW)
		copy_col(st, 0, kinds[n++], JOB_KIND_MAX);
	long rc = st && (r == DB_ROW || r == DB_DONE) ? 0 : db_fail(err, c->db, "job kinds");
	conn_release(s, c);
	/* kind by kind: the index is (kind, state, due_ms) */
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct bulk b = { .sql = SQL_RELEASE, .text = kinds[i], .news_kind = kinds[i] };
		long k = bulk_run(s, &b, err);
		rc = k < 0 ? -1 : rc + k;
	}
	return rc;
}

static const char SQL_JOBS_PURGE[] =
	"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE kind = ?1 AND state = ?2"
	" AND due_ms < ?3 LIMIT ?4)";

long store_jobs_purge(struct store *s, const char *kind, enum store_job_state state,
		      long long before_ms, struct api_error *err)
{
	long total = 0, n;
	do {
		struct bulk b = { .sql = SQL_JOBS_PURGE, .text = kind,
				  .num = { state, before_ms, PURGE_CHUNK }, .n_num = 3 };
		n = bulk_run(s, &b, err);
		total += n > 0 ? n : 0;
	} while (n == PURGE_CHUNK);
	return n < 0 ? -1 : total;
}

/* metadata first: its rows refer to the objects */
static const char SQL_META_PURGE[] =
	"DELETE FROM metadata WHERE object_id IN (SELECT id FROM objects WHERE kind = ?1"
	" AND status = ?2 AND created_ms < ?3 LIMIT ?4)";
static const char SQL_OBJECTS_PURGE[] =
	"DELETE FROM objects WHERE id IN (SELECT id FROM objects WHERE kind = ?1"
	" AND status = ?2 AND created_ms < ?3 LIMIT ?4)";

struct objects_purge {
	const char *kind, *status;
	long long before_ms, max;
	long changed;
};

static int objects_purge_job(struct conn *c, void *ctx, struct api_error *err)
{
	struct objects_purge *p = ctx;
	const char *sql[] = { SQL_META_PURGE, SQL_OBJECTS_PURGE };
	for (size_t i = 0; i < 2; i++) {
		db_stmt *st = sq_stmt(c, sql[i]);
		if (!st)
			return db_fail(err, c->db, "purge");
		db_bind_text(st, 1, p->kind);
		db_bind_text(st, 2, p->status);
		db_bind_int64(st, 3, p->before_ms);
		db_bind_int64(st, 4, p->max);
		if (step_done(c, st, err) < 0)
			return -1;
	}
	p->changed = (long)db_changes(c->db);
	return 0;
}

long store_objects_purge(struct store *s, const char *kind, const char *status,
			 long long before_ms, struct api_error *err)
{
	long total = 0;
	struct objects_purge p = { .kind = kind, .status = status, .before_ms = before_ms,
				   .max = PURGE_CHUNK };
	do {
		if (sq_submit_and_wait(s, objects_purge_job, &p, err) < 0)
			return -1;
		total += p.changed;
	} while (p.changed == PURGE_CHUNK);
	return total;
}

/* ---- one job by kind and ref (tests, tools) ---- */

static const char SQL_FIND[] =
	"SELECT id, kind, ref, lane, account_id, mode, payload, due_ms, created_ms, attempts,"
	" state, last_error FROM jobs WHERE kind = ? AND ref = ? ORDER BY id DESC LIMIT 1";

int store_job_find(struct store *s, const char *kind, const char *ref, struct arena *a,
		   struct store_job *out, enum store_job_state *state, char **last_error,
		   struct api_error *err)
{
	struct conn *c = conn_acquire(s);
	db_stmt *st = sq_stmt(c, SQL_FIND);
	int rc;
	if (!st) {
		rc = db_fail(err, c->db, "job find");
		conn_release(s, c);
		return rc;
	}
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, ref);
	int r = db_step(st);
	if (r == DB_ROW) {
		memset(out, 0, sizeof(*out));
		out->id = db_col_int64(st, 0);
		copy_col(st, 1, out->kind, sizeof(out->kind));
		copy_col(st, 2, out->ref, sizeof(out->ref));
		copy_col(st, 3, out->lane, sizeof(out->lane));
		copy_col(st, 4, out->account_id, sizeof(out->account_id));
		out->mode = db_col_int(st, 5) ? MODE_LIVE : MODE_TEST;
		const unsigned char *p = db_col_text(st, 6);
		out->payload = p ? arena_strdup(a, (const char *)p) : NULL;
		out->due_ms = db_col_int64(st, 7);
		out->created_ms = db_col_int64(st, 8);
		out->attempts = (unsigned)db_col_int(st, 9);
		*state = (enum store_job_state)db_col_int(st, 10);
		p = db_col_text(st, 11);
		*last_error = p ? arena_strdup(a, (const char *)p) : NULL;
		rc = 0;
	} else {
		rc = r == DB_DONE ? 1 : db_fail(err, c->db, "job find");
	}
	db_reset(st);
	conn_release(s, c);
	return rc;
}
