// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The browser process behind cdp.c: a fresh profile directory (cdp_profile.h), the child
 * started in its own process group with one end of a socket pair as fds 3 and 4 and, when
 * frankd is root, as the render user (cdp_sandbox.h), and the teardown that kills the whole
 * group and removes the profile.
 */
#ifndef FRANK_RENDER_CDP_PROCESS_H
#define FRANK_RENDER_CDP_PROCESS_H
#include <sys/types.h>
#include "core/err.h"
#include "render/chromium/cdp_profile.h"

struct cdp_process {
	pid_t pid;		/* the browser; also its process group id */
	int fd;			/* our end of the pipe (commands out, replies in) */
	struct cdp_profile profile;	/* removed by cdp_process_end */
};

/*
 * Start path with Frank's headless flags and extra_args (NULL-terminated, may be NULL).
 * 0 with *p filled, or -1 with *err (ERR_SERVICE_UNAVAILABLE).
 */
int cdp_process_start(struct cdp_process *p, const char *path, const char *const *extra_args,
		      struct api_error *err);

/* SIGKILL the process group, reap the browser, close fd, remove the profile */
void cdp_process_end(struct cdp_process *p);
#endif
