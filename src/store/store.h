// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The store: accounts, API keys, objects (as JSON with a few typed columns for filters),
 * metadata, events and idempotency keys. One interface on two engines (db.h): SQLite (WAL)
 * in the data directory, the embedded default, or PostgreSQL for several nodes. Every write is one transaction: a caller that
 * gets 0 back knows the change is committed. Thread-safe: calls take a pooled connection.
 * Nothing above this header knows SQL.
 */
#ifndef FRANK_STORE_H
#define FRANK_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include "core/arena.h"
#include "core/err.h"

struct store;
struct store_ledger_entry;

enum store_mode { MODE_TEST = 0, MODE_LIVE = 1 };
enum key_type { KEY_TYPE_SECRET = 1, KEY_TYPE_PUBLISHABLE = 2, KEY_TYPE_OPERATOR = 3 };

struct store_options {
	const char *dir;	/* data directory; created if missing (files live here on both engines) */
	/* postgres://… selects PostgreSQL; NULL: $FRANK_DATABASE if set, else SQLite in dir */
	const char *database;
	unsigned pool_size;	/* connections (>= 1) */
	bool sync_full;		/* PRAGMA synchronous=FULL (survives power loss) instead of NORMAL */
	unsigned statement_timeout_ms;	/* PostgreSQL's statement_timeout; 0 keeps the server's */
};

/* caller frees with store_free(); NULL with *err set (ERR_INTERNAL, message for the log) */
struct store *store_open(const struct store_options *opt, struct api_error *err);
void store_free(struct store *s);
/* true on PostgreSQL */
bool store_is_postgres(const struct store *s);

/* ---- accounts and keys ---- */

struct key_info {
	char id[40];		/* key_… */
	char account_id[40];	/* acc_… */
	enum store_mode mode;
	enum key_type type;
	char prefix[16];	/* first characters of the key, for listings */
	long long created_ms;
	bool revoked;
};

/* new account; its id is written to id_out (40 bytes) */
int store_account_create(struct store *s, const char *name, char *id_out, struct api_error *err);
/* number of accounts, or -1 */
long store_account_count(struct store *s);
/* first account created (the default one); 0, 1 if none, -1 on error */
int store_account_first(struct store *s, char *id_out);
bool store_account_exists(struct store *s, const char *account_id);

/* stores the key's SHA-256 (never the key) */
int store_key_insert(struct store *s, const struct key_info *k, const char *key_hash,
		     struct api_error *err);
/* 0 found (and not revoked), 1 not found or revoked, -1 error */
int store_key_lookup(struct store *s, const char *key_hash, struct key_info *out);
/* calls fn for each key (all accounts when account_id is NULL); 0 or -1 */
int store_key_each(struct store *s, const char *account_id,
		   void (*fn)(const struct key_info *, void *), void *ctx);
/* 0 revoked, 1 no such key, -1 error */
int store_key_revoke(struct store *s, const char *key_id);

/* ---- objects ---- */

/* who and what: every object query is scoped by all three */
struct store_scope {
	const char *account_id;
	enum store_mode mode;
	const char *kind;	/* "address", "letter", … */
};

struct store_object {
	const char *id;
	long long created_ms, updated_ms;
	const char *json;	/* the object as served */
	const char *metadata_json;	/* {"k":"v"} or NULL: indexed for list filters */
};

struct store_event {
	const char *id;		/* "evt_…"; NULL: no event */
	const char *type;	/* "address.created" */
	const char *json;	/* the whole event object, as served and sent */
};

/*
 * Writes are asynchronous: they join the next group commit, and done->fn(done->ctx, rc)
 * runs on the store's writer thread once the change is committed (rc 0 or 1) or failed
 * (rc -1, with the call's *err set). Everything the call points to, err included, must stay
 * valid until then. The call itself returns 0 (queued) or -1 (not queued, *err set).
 */
struct store_done {
	void (*fn)(void *ctx, int rc);
	void *ctx;
};

/*
 * Inserts obj and its event in one transaction. With idem_key set, the key is recorded in
 * the same transaction, scoped by account, mode and kind; if an unexpired record exists
 * (another request won the race), nothing is inserted, its object id is copied to
 * existing_id (40 bytes) and rc is 1.
 */
struct store_insert {
	const struct store_scope *sc;
	const struct store_object *obj;
	const struct store_event *ev;
	const char *idem_key;
	long long idem_ttl_ms;
	char *existing_id;
};

int store_object_insert(struct store *s, const struct store_insert *in, struct api_error *err,
			const struct store_done *done);

/* 0 found (*json_out in the arena), 1 not found (or deleted), -1 error */
int store_object_get(struct store *s, const struct store_scope *sc, const char *id,
		     struct arena *a, char **json_out, struct api_error *err);

/*
 * Marks the object deleted (later gets and lists do not see it), storing deleted_json as
 * its final form, and writes the event; one transaction. rc 0, or 1 if not found.
 */
struct store_delete {
	const struct store_scope *sc;
	const char *id;
	long long now_ms;
	const char *deleted_json;
	const struct store_event *ev;
};

int store_object_delete(struct store *s, const struct store_delete *del, struct api_error *err,
			const struct store_done *done);

/*
 * A change set: several inserts and updates committed together (a letter with the address
 * it created inline; a render result with its events), optionally under an idempotency key.
 *
 * STORE_UPDATE runs `mutate` on the store's writer thread, inside the transaction, with the
 * object's stored JSON, so concurrent changes to one object never overwrite each other. It
 * returns the new JSON (it must stay valid until done runs, e.g. in the caller's arena) and
 * may set *ev (an event for this change) and *metadata_json (the new metadata, replacing the
 * old rows; NULL leaves them). Returning NULL with *err set aborts the whole change set.
 * An update of an object that does not exist (or is deleted) makes the set's rc 1.
 * STORE_DELETE is an update that also marks the object deleted.
 * STORE_TRACKING_CODE records that USPS barcode `code` (an IMb tracking code or an IMpb
 * tracking number) identifies object obj.id of scope sc, so scan data finds its piece.
 * STORE_SET_COUNTER sets the sequence named `code` to `number` (a consumer's durable cursor).
 * STORE_UPLOAD_ROW gives row `number` of upload `code` (upload_rows) its piece obj.id, or,
 * with obj.json set, marks it failed at the send with those errors; only while the row is
 * valid and has no piece yet, else the set is not applied (a campaign's send: exactly one
 * piece per row, store/campaign_store.h).
 * STORE_JOB enqueues job in sc's account and mode (store/jobs_store.h); if a job of the same
 * kind and ref is still queued, it is kept and due at the earlier of the two times.
 * STORE_LEDGER writes *ledger (store/ledger_store.h) in sc's account and mode, read when the
 * set is applied, so an earlier change's mutate may price it or skip it.
 * STORE_JOB_SETTLE ends a claim of job settle.id: only while settle.owner still holds its
 * lease; otherwise the set is not applied (rc 1, or -1 after an earlier change).
 */
enum store_op { STORE_INSERT, STORE_UPDATE, STORE_DELETE, STORE_TRACKING_CODE, STORE_SET_COUNTER,
		STORE_JOB, STORE_JOB_SETTLE, STORE_UPLOAD_ROW, STORE_LEDGER };

enum store_job_state { JOB_QUEUED = 0, JOB_RUNNING = 1, JOB_DONE = 2, JOB_DEAD = 3 };

struct store_job_new {
	const char *kind;
	const char *ref;	/* what it works on; NULL: nothing to deduplicate on */
	const char *lane;	/* its concurrency lane (a webhook's id) or NULL */
	const char *payload;	/* JSON or NULL */
	long long due_ms;	/* frankd's clock */
};

struct store_job_settle {
	long long id;
	const char *owner;
	enum store_job_state state;	/* JOB_QUEUED: again at due_ms; JOB_DONE; JOB_DEAD */
	long long due_ms;
	const char *payload;	/* JOB_QUEUED: the payload from now on; NULL keeps it */
	const char *error;	/* kept as the job's last error; NULL clears it */
	bool fresh;		/* JOB_QUEUED: a next step, not a failure: attempts start again */
	bool unclaim;		/* JOB_QUEUED: never started (a stopping worker): the claim's
				 * attempt is taken back and due_ms is ignored */
};

struct store_change {
	enum store_op op;
	struct store_scope sc;
	struct store_object obj;	/* INSERT: the row; UPDATE/DELETE: id and updated_ms */
	struct store_event ev;		/* INSERT: its event (id NULL: none) */
	const char *(*mutate)(const char *current_json, void *ctx, struct store_event *ev,
			      const char **metadata_json, struct api_error *err);
	void *ctx;
	const char *code;		/* STORE_TRACKING_CODE; STORE_SET_COUNTER: the name;
					 * STORE_UPLOAD_ROW: the upload */
	long long number;		/* STORE_SET_COUNTER; STORE_UPLOAD_ROW: the row */
	struct store_job_new job;	/* STORE_JOB */
	struct store_job_settle settle;	/* STORE_JOB_SETTLE */
	struct store_ledger_entry *ledger;	/* STORE_LEDGER */
};

/* a mutate that writes ctx (a JSON text) as the object, whatever is stored */
const char *store_mutate_replace(const char *current_json, void *ctx, struct store_event *ev,
				 const char **metadata_json, struct api_error *err);

struct store_change_set {
	struct store_change *changes;
	size_t n;
	/* with idem_key: recorded for changes[0] (an insert); as store_insert's */
	const char *idem_key;
	long long idem_ttl_ms;
	char *existing_id;
};

int store_apply(struct store *s, struct store_change_set *set, struct api_error *err,
		const struct store_done *done);

/* store_apply for tools (the CLI): waits for the commit; the set's rc (0, 1) or -1 */
int store_apply_sync(struct store *s, struct store_change_set *set, struct api_error *err);

/*
 * The next value of a named counter (first value: start), committed before it is returned,
 * so a value is never handed out twice — even across crashes. Blocks for one group commit.
 */
int store_sequence_next(struct store *s, const char *name, long long start, long long *value,
			struct api_error *err);

/*
 * Calls fn for every live object of one of kinds (NULL-terminated) whose status is
 * `status`, in every account and mode (work left over from before a restart). 0 or -1.
 */
int store_each_with_status(struct store *s, const char *const *kinds, const char *status,
			   void (*fn)(void *ctx, const struct store_scope *sc, const char *id),
			   void *ctx, struct api_error *err);

/* 1 when the object existed in this scope and was deleted, 0 otherwise, -1 error (Lob
 * answers some references to deleted objects with their own codes: deleted_bank_account) */
int store_object_was_deleted(struct store *s, const struct store_scope *sc, const char *id,
			     struct api_error *err);

/*
 * An object by id and kind in any account (for requests authorised otherwise, e.g. by a
 * signed link): 0 found (*json_out in the arena), 1 not found or deleted, -1 error.
 */
int store_object_get_unscoped(struct store *s, const char *kind, const char *id,
			      struct arena *a, char **json_out, struct api_error *err);

/*
 * As store_sequence_next, handing out values from blocks of `block` reserved (committed) at
 * once: one commit per block instead of per value. Values never repeat; a restart skips the
 * rest of a block (fine for barcode serials, not for check numbers). Thread-safe.
 */
int store_sequence_next_block(struct store *s, const char *name, long long start,
			      long long block, long long *value, struct api_error *err);
/* drops the cached blocks of a store being freed */
void store_sequence_forget(const struct store *s);

/* a sequence's current value (0 if it was never used); 0 or -1 */
int store_counter_get(struct store *s, const char *name, long long *value, struct api_error *err);

/* events in commit order, after a cursor (events.rowid): for consumers such as webhooks */
struct store_event_row {
	long long seq;
	char id[40], account_id[40], type[80];
	enum store_mode mode;
	const char *json;	/* in the arena */
};
int store_events_after(struct store *s, long long after, size_t max, struct arena *a,
		       struct store_event_row **rows, size_t *n, struct api_error *err);

/* the live objects of one scope (account, mode, kind), oldest first, at most max: fn gets
 * each id and JSON. 0 or -1. */
int store_each_in_scope(struct store *s, const struct store_scope *sc, size_t max,
			void (*fn)(void *ctx, const char *id, const char *json), void *ctx,
			struct api_error *err);

/* the piece a USPS barcode belongs to: 0 found, 1 unknown, -1 error */
struct store_tracked {
	char object_id[40], account_id[40], kind[32];
	enum store_mode mode;
};
int store_tracking_lookup(struct store *s, const char *code, struct store_tracked *out,
			  struct api_error *err);

/* an event by id: 0 found (*json_out in the arena), 1 not found, -1 error */
int store_event_get(struct store *s, const char *account_id, enum store_mode mode,
		    const char *id, struct arena *a, char **json_out, struct api_error *err);

/* idempotency: 0 found (object id in id_out, 40 bytes), 1 none (or expired), -1 error */
int store_idem_lookup(struct store *s, const struct store_scope *sc, const char *key,
		      long long now_ms, long long ttl_ms, char *id_out);

/* ---- lists ---- */

struct store_cursor {
	long long created_ms;
	char id[40];
};

struct store_meta_filter {
	const char *key, *value;
};

enum store_source {
	SOURCE_OBJECTS,	/* objects of scope.kind */
	SOURCE_EVENTS,	/* events (scope.kind ignored), optionally of one event_type */
	SOURCE_LEDGER,	/* ledger rows (store/ledger_store.h), optionally of one type (event_type) */
};

/*
 * A filter on a field of the stored JSON (list parameters such as status, color,
 * send_date[gt]). path is a trusted constant from a resource's filter table ("$.status");
 * values are bound as parameters.
 */
enum store_jf_op { JF_EQ, JF_GT, JF_GTE, JF_LT, JF_LTE, JF_SCHEDULED, JF_UNSCHEDULED };

struct store_json_filter {
	const char *path;
	enum store_jf_op op;
	const char *text;	/* compared as text (ISO dates compare in time order) */
	int boolean;		/* -1: compare text; 0/1: compare a JSON boolean */
};

struct store_list_query {
	enum store_source source;
	const char *event_type;			/* SOURCE_EVENTS: NULL for all types */
	struct store_scope scope;
	unsigned limit;				/* 1..100 */
	const struct store_cursor *after;	/* rows older than this (next page) */
	const struct store_cursor *before;	/* rows newer than this (previous page) */
	long long created_gt, created_gte, created_lt, created_lte;	/* LLONG_MIN: unset */
	const struct store_meta_filter *meta;
	size_t n_meta;
	const struct store_json_filter *jf;
	size_t n_jf;
	unsigned offset;			/* rows skipped (Lob's offset pagination) */
	bool want_total;
};

struct store_list_result {
	char **json;		/* arena: rows, newest first */
	struct store_cursor *cursors;	/* arena: one per row */
	size_t n;
	bool more_older;	/* rows exist past the last one */
	bool more_newer;	/* rows exist before the first one (known for `before` queries) */
	long long total;	/* with want_total */
};

int store_object_list(struct store *s, const struct store_list_query *q, struct arena *a,
		      struct store_list_result *out, struct api_error *err);
/*
 * ends a page the one way of every list (rows in the store or in memory): a `before` page,
 * read from its cursor toward the newest, is turned round; more_older/more_newer are set
 * (more: a row was found past the page in the direction the query reads)
 */
void store_list_page_done(const struct store_list_query *q, bool more,
			  struct store_list_result *out);
#endif
