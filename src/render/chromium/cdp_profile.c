// SPDX-License-Identifier: AGPL-3.0-or-later
/* The browser's profile directory (see cdp_profile.h). */
#include "render/chromium/cdp_profile.h"
#include "core/log.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define PREFIX "frank-chromium-"
#define MAX_DEPTH 32	/* Chromium's profile is a few levels deep */
/* what Chromium adds below TMPDIR for its singleton socket */
#define SOCKET_TAIL "/org.chromium.Chromium.XXXXXX/SingletonSocket"

/* $TMPDIR, or /tmp when it is unset or too long for Chromium's socket below our profile */
static const char *tmp_base(void)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0])
		return "/tmp";
	size_t need = strlen(tmp) + strlen("/" PREFIX "XXXXXX/t" SOCKET_TAIL);
	if (need < sizeof ((struct sockaddr_un *)0)->sun_path)
		return tmp;
	log_msg(LOG_INFO, "chromium: TMPDIR %.200s is too long for the browser's socket paths: "
		"its profile goes to /tmp", tmp);
	return "/tmp";
}

/*
 * Empty the directory open at fd (taken over). Entries are unlinked relative to their
 * directory and subdirectories opened with O_NOFOLLOW, so a directory that the render user
 * swaps for a symlink is only unlinked itself, never followed. Whether it is empty now.
 */
static bool empty_dir(int fd, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	bool left = true;
	/* readdir may skip entries while others are removed: scan again while any is left */
	for (int pass = 0; pass < 3 && left; pass++) {
		left = false;
		rewinddir(d);
		for (struct dirent *e; (e = readdir(d)) != NULL;) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
			    unlinkat(dirfd(d), e->d_name, 0) == 0)
				continue;
			int sub = depth < MAX_DEPTH ? openat(dirfd(d), e->d_name, O_RDONLY |
							     O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
			if (sub < 0 || !empty_dir(sub, depth + 1) ||
			    unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0)
				left = true;
		}
	}
	closedir(d);
	return !left;
}

/* true when path is gone */
static bool remove_tree(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	return empty_dir(fd, 0) && rmdir(path) == 0;
}

/* made as lock.new, locked, then renamed: a sweeper never finds "lock" unlocked in use */
static int take_lock(const char *dir)
{
	char fresh[CDP_PROFILE_DIR_MAX + 16], lock[sizeof fresh];
	snprintf(fresh, sizeof fresh, "%s/lock.new", dir);
	snprintf(lock, sizeof lock, "%s/lock", dir);
	int fd = open(fresh, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0 || rename(fresh, lock) != 0) {
		int e = errno;
		close(fd);
		unlink(fresh);
		errno = e;
		return -1;
	}
	return fd;
}

/* profiles of ours in base whose lock nobody holds: their frankd died without removing them */
static void sweep(const char *base)
{
	DIR *d = opendir(base);
	for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
		struct stat st;
		if (strncmp(e->d_name, PREFIX, strlen(PREFIX)) != 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		char path[CDP_PROFILE_DIR_MAX + 64], lock[sizeof path + 8];
		snprintf(path, sizeof path, "%s/%s", base, e->d_name);
		snprintf(lock, sizeof lock, "%s/lock", path);
		/* no lock: one being made right now, or an older frankd's; left alone */
		int fd = open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			remove_tree(path);
		close(fd);
	}
	if (d)
		closedir(d);
}

int cdp_profile_make(struct cdp_profile *pr, const struct cdp_identity *id,
		     struct api_error *err)
{
	memset(pr, 0, sizeof *pr);
	pr->lock_fd = -1;
	const char *base = tmp_base();
	sweep(base);
	snprintf(pr->dir, sizeof pr->dir, "%s/" PREFIX "XXXXXX", base);
	if (!mkdtemp(pr->dir)) {
		int e = errno;
		pr->dir[0] = '\0';
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot make a profile "
				"directory in %s: %s", base, strerror(e));
	}
	snprintf(pr->data, sizeof pr->data, "%s/p", pr->dir);
	snprintf(pr->tmp, sizeof pr->tmp, "%s/t", pr->dir);
	pr->lock_fd = take_lock(pr->dir);
	/* the top stays ours (0711: the render user may pass, not write); below is the user's */
	if (pr->lock_fd < 0 || chmod(pr->dir, id->drop ? 0711 : 0700) != 0 ||
	    mkdir(pr->data, 0700) != 0 || mkdir(pr->tmp, 0700) != 0 ||
	    (id->drop && (chown(pr->tmp, id->uid, id->gid) != 0 ||
			  chown(pr->data, id->uid, id->gid) != 0))) {
		int e = errno;
		char dir[sizeof pr->dir];
		memcpy(dir, pr->dir, sizeof dir);
		cdp_profile_remove(pr);
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot prepare the profile "
				"directory %s for user %s: %s", dir, id->drop ? id->name : "(frankd's)",
				strerror(e));
	}
	return 0;
}

void cdp_profile_remove(struct cdp_profile *pr)
{
	/* helpers killed a moment ago may still finish a write: try again briefly */
	for (int i = 0; i < 5 && pr->dir[0] && !remove_tree(pr->dir); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000000L }, NULL);
	pr->dir[0] = '\0';
	/* released last: if the tree could not be removed, the next start's sweep retries */
	if (pr->lock_fd >= 0) {
		close(pr->lock_fd);
		pr->lock_fd = -1;
	}
}
