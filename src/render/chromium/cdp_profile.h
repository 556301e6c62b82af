// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The browser's profile directory, written by the render user and removed by frankd (often
 * root), so removal never follows a symlink. Layout under $TMPDIR:
 *   frank-chromium-XXXXXX/      frankd's user, 0711 (the render user may only pass through)
 *     lock                      flock'd by frankd while its browser lives
 *     p/                        the render user, 0700: --user-data-dir and HOME
 *     t/                        the render user, 0700: TMPDIR (Chromium's temporary files)
 * Names are short because Chromium puts a Unix socket under TMPDIR (108 bytes at most); when
 * $TMPDIR is too long for that, the profile goes to /tmp instead (logged).
 * A frankd killed before removing its profile leaves an unlocked lock; the next browser
 * start (of any frankd with that TMPDIR and user) removes such leftovers.
 */
#ifndef FRANK_RENDER_CDP_PROFILE_H
#define FRANK_RENDER_CDP_PROFILE_H
#include "core/err.h"
#include "render/chromium/cdp_sandbox.h"

#define CDP_PROFILE_DIR_MAX 256

struct cdp_profile {
	char dir[CDP_PROFILE_DIR_MAX];		/* the top directory; "" when there is none */
	char data[CDP_PROFILE_DIR_MAX + 8];	/* dir/p */
	char tmp[CDP_PROFILE_DIR_MAX + 8];	/* dir/t */
	int lock_fd;		/* holds the lock; -1 when there is none */
};

/*
 * Remove leftovers, then make a fresh profile owned by id's user. 0, or -1 with *err
 * (ERR_SERVICE_UNAVAILABLE) and nothing left behind.
 */
int cdp_profile_make(struct cdp_profile *pr, const struct cdp_identity *id,
		     struct api_error *err);

/* remove the profile and everything in it (the browser is dead), then release the lock */
void cdp_profile_remove(struct cdp_profile *pr);
#endif
