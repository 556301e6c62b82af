// SPDX-License-Identifier: AGPL-3.0-or-later
/* Data files re-read when they change (see file_snapshot.h). */
#include "core/file_snapshot.h"
#include "core/log.h"
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct file_snapshot {
	int refs;			/* the cache's and each reader's */
	struct file_snapshots *owner;
	void *data;
	char path[1024];
	struct timespec mtime;
	off_t size;
};

static void drop(struct file_snapshot *s)
{
	/* called with the owner's lock held */
	if (s && --s->refs == 0) {
		s->owner->free(s->data);
		free(s);
	}
}

void file_snapshot_release(void *ref)
{
	struct file_snapshot *s = ref;
	if (!s)
		return;
	struct file_snapshots *c = s->owner;
	pthread_mutex_lock(&c->lock);
	drop(s);
	pthread_mutex_unlock(&c->lock);
}

static bool same_file(const struct file_snapshot *s, const char *path, const struct stat *st)
{
	return strcmp(s->path, path) == 0 && s->size == st->st_size &&
	       s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* a new version of the file; NULL with the reason in msg */
static struct file_snapshot *load(struct file_snapshots *c, const char *path,
				  const struct stat *st, char *msg, size_t len)
{
	struct file_snapshot *s = calloc(1, sizeof(*s));
	if (!s || strlen(path) >= sizeof(s->path)) {
		free(s);
		snprintf(msg, len, "out of memory or path too long");
		return NULL;
	}
	s->data = c->load(path, msg, len);
	if (!s->data) {
		free(s);
		return NULL;
	}
	memcpy(s->path, path, strlen(path) + 1);
	s->owner = c;
	s->mtime = st->st_mtim;
	s->size = st->st_size;
	s->refs = 1;
	log_msg(LOG_INFO, "%s %s loaded", c->what, path);
	return s;
}

void *file_snapshot_get(struct file_snapshots *c, const char *path, struct file_snapshot **ref,
			bool *missing, char *msg, size_t len)
{
	struct stat st;
	*ref = NULL;
	pthread_mutex_lock(&c->lock);
	bool have_file = stat(path, &st) == 0;
	*missing = !have_file;
	if (have_file && (!c->current || !same_file(c->current, path, &st))) {
		struct file_snapshot *fresh = load(c, path, &st, msg, len);
		if (fresh) {
			drop(c->current);
			c->current = fresh;
		} else {
			log_msg(LOG_ERROR, "%s not (re)loaded, %s: %s", c->what, c->current ?
				"the previous one stays in force" : "it is unavailable", msg);
		}
	} else if (!have_file && !c->current) {
		snprintf(msg, len, "the %s %s cannot be read", c->what, path);
	}
	if (c->current) {
		*ref = c->current;
		c->current->refs++;
	}
	pthread_mutex_unlock(&c->lock);
	return *ref ? (*ref)->data : NULL;
}
