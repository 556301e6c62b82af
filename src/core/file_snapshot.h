// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A data file the operator replaces while frankd runs (the certified price table, the
 * credits price list): parsed on first use and again whenever its size or modification time
 * changes, so a new version is loaded by replacing the file. A version that does not parse is
 * logged and the previous one stays in force. Each reader holds a reference to the version
 * it started with, so a reload never frees data in use. Thread-safe.
 */
#ifndef FRANK_CORE_FILE_SNAPSHOT_H
#define FRANK_CORE_FILE_SNAPSHOT_H
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

/* parses the file at path: the data, or NULL with the reason in msg */
typedef void *(*file_snapshot_load_fn)(const char *path, char *msg, size_t len);
typedef void (*file_snapshot_free_fn)(void *data);

struct file_snapshot;

/* one per kind of file, static: FILE_SNAPSHOTS_INIT("price table", load, free) */
struct file_snapshots {
	pthread_mutex_t lock;
	struct file_snapshot *current;
	const char *what;	/* for the log */
	file_snapshot_load_fn load;
	file_snapshot_free_fn free;
};
#define FILE_SNAPSHOTS_INIT(what, load, free) { PTHREAD_MUTEX_INITIALIZER, NULL, what, load, free }

/*
 * The data of path's current version, reloaded if the file changed; *ref gets the reader's
 * reference (give it to file_snapshot_release). NULL with the reason in msg when no version
 * was ever loaded (*missing: the file does not exist).
 */
void *file_snapshot_get(struct file_snapshots *c, const char *path, struct file_snapshot **ref,
			bool *missing, char *msg, size_t len);
/* drops a reader's reference (a void * for arena_defer) */
void file_snapshot_release(void *ref);
#endif
