// SPDX-License-Identifier: AGPL-3.0-or-later
/* The browser's user and sandbox switch (see cdp_sandbox.h). */
#include "render/chromium/cdp_sandbox.h"
#include "core/parse.h"
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static char configured_user[64];	/* "": the default */
static bool sandbox_off;

void cdp_sandbox_configure(const char *render_user, bool no_sandbox)
{
	pthread_mutex_lock(&mu);
	snprintf(configured_user, sizeof configured_user, "%s", render_user ? render_user : "");
	sandbox_off = no_sandbox;
	pthread_mutex_unlock(&mu);
}

bool cdp_sandbox_enabled(void)
{
	pthread_mutex_lock(&mu);
	bool on = !sandbox_off;
	pthread_mutex_unlock(&mu);
	return on;
}

/* 1 found, 0 no such user, -1 lookup error (errno) */
static int lookup(const char *name, struct cdp_identity *id)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	int rc = getpwnam_r(name, &pw, buf, sizeof buf, &found);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	if (!found)
		return 0;
	id->uid = pw.pw_uid;
	id->gid = pw.pw_gid;
	snprintf(id->name, sizeof id->name, "%s", pw.pw_name);
	return 1;
}

int cdp_identity_resolve(struct cdp_identity *id, struct api_error *err)
{
	memset(id, 0, sizeof *id);
	id->uid = geteuid();
	id->gid = getegid();
	if (id->uid != 0)
		return 0;	/* already unprivileged: the browser runs as frankd's user */
	char want[sizeof configured_user];
	pthread_mutex_lock(&mu);
	memcpy(want, configured_user, sizeof want);
	pthread_mutex_unlock(&mu);
	int rc;
	if (want[0]) {
		rc = lookup(want, id);
		if (rc == 0)
			return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: the render user '%s' "
					"does not exist (--render-user)", want);
	} else {
		rc = lookup(CDP_RENDER_USER_DEFAULT, id);
		if (rc == 0)
			rc = lookup(CDP_RENDER_USER_FALLBACK, id);
		if (rc == 0)
			return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: frankd runs as root "
					"and neither %s nor %s exists: set --render-user",
					CDP_RENDER_USER_DEFAULT, CDP_RENDER_USER_FALLBACK);
	}
	if (rc < 0)
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: looking up the render "
				"user: %s", strerror(errno));
	if (id->uid == 0 || id->gid == 0)
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: the render user '%s' is "
				"root or in group 0; it must be unprivileged", id->name);
	id->drop = true;
	return 0;
}

int cdp_identity_assume(const struct cdp_identity *id)
{
	if (!id->drop)
		return 0;
	/* groups first: after setuid we could no longer drop root's supplementary groups */
	if (setgroups(1, &id->gid) != 0 || setgid(id->gid) != 0 || setuid(id->uid) != 0)
		return -1;
	if (setuid(0) == 0 || getuid() != id->uid || geteuid() != id->uid) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

/* the number in a /proc/sys file; -1 when it is missing or not a number */
static long sysctl_value(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[32];
	bool ok = f && fgets(line, sizeof line, f);
	if (f)
		fclose(f);
	if (!ok)
		return -1;
	line[strcspn(line, "\n")] = '\0';
	unsigned long v;
	return parse_ulong(line, 1UL << 30, &v) == 0 ? (long)v : -1;
}

void cdp_sandbox_userns_problem(char *why, size_t cap)
{
	static const struct {
		const char *path, *meaning;
	} switches[] = {
		{ "/proc/sys/user/max_user_namespaces", "user namespaces are disabled" },
		{ "/proc/sys/kernel/unprivileged_userns_clone",
		  "unprivileged user namespaces are disabled (Debian's switch)" },
	};
	why[0] = '\0';
	for (size_t i = 0; i < sizeof switches / sizeof switches[0]; i++)
		if (sysctl_value(switches[i].path) == 0) {
			snprintf(why, cap, "%s (%s is 0)", switches[i].meaning, switches[i].path);
			return;
		}
	/* Ubuntu 24.04: namespaces only for programs an AppArmor profile allows */
	if (sysctl_value("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == 1)
		snprintf(why, cap, "AppArmor restricts unprivileged user namespaces "
			 "(kernel.apparmor_restrict_unprivileged_userns is 1; Chromium needs a "
			 "profile that allows userns)");
}
