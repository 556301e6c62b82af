// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Who the browser runs as, and whether Chromium's own sandbox is on. Chromium refuses its
 * sandbox as root, so when frankd runs as root the browser is started as an unprivileged
 * user (--render-user; default frank-render if that user exists, else nobody) and sandboxes
 * its renderers with user namespaces and seccomp. docs/internals/render_chromium.md.
 */
#ifndef FRANK_RENDER_CDP_SANDBOX_H
#define FRANK_RENDER_CDP_SANDBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "core/err.h"

#define CDP_RENDER_USER_DEFAULT "frank-render"	/* a dedicated system user, when created */
#define CDP_RENDER_USER_FALLBACK "nobody"

/*
 * frankd's --render-user (NULL or "": the default) and --chromium-no-sandbox (for hosts
 * without user namespaces: Chromium then runs with --no-sandbox, logged at every start).
 * Applies to browsers started afterwards.
 */
void cdp_sandbox_configure(const char *render_user, bool no_sandbox);
bool cdp_sandbox_enabled(void);

struct cdp_identity {
	bool drop;	/* frankd is root: the child switches to uid/gid before exec */
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* the identity the next browser runs as; 0, or -1 with *err (ERR_SERVICE_UNAVAILABLE) */
int cdp_identity_resolve(struct cdp_identity *id, struct api_error *err);

/*
 * In the forked child, before exec: drop supplementary groups, then gid, then uid, and check
 * root cannot be regained. Async-signal-safe. 0, or -1 with errno.
 */
int cdp_identity_assume(const struct cdp_identity *id);

/*
 * Why Chromium's namespace sandbox cannot start on this host, read from the kernel's
 * switches (max_user_namespaces, unprivileged_userns_clone, AppArmor's restriction);
 * why[0] == '\0' when none is off.
 */
void cdp_sandbox_userns_problem(char *why, size_t cap);
#endif
