// SPDX-License-Identifier: AGPL-3.0-or-later
/* The browser process: spawn as the render user, teardown (see cdp_process.h). */
#include "render/chromium/cdp_process.h"
#include "core/log.h"
#include "render/chromium/cdp_sandbox.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* what every Frank browser runs with; the caller adds its policy (network, fonts, …) */
static const char *const base_flags[] = {
	"--headless", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run",
	/* containers often give /dev/shm 64 MB: renderers crash on big pages without this */
	"--disable-dev-shm-usage",
	"--remote-debugging-pipe",
};
#define N_BASE (sizeof base_flags / sizeof base_flags[0])
#define MAX_EXTRA 32
/* variables pointing the browser at directories of frankd's user: replaced by the profile's */
static const char *const private_vars[] = {
	"HOME=", "TMPDIR=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=", "XDG_DATA_HOME=",
	"XDG_RUNTIME_DIR=",
};
#define N_PRIVATE (sizeof private_vars / sizeof private_vars[0])

/* fd moved to >= 10 (close-on-exec) so the child's dup2 to 0-5 never collides with it */
static int high_fd(int fd)
{
	if (fd < 0)
		return -1;
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return hi;
}

/*
 * frankd's environment without private_vars, plus HOME and TMPDIR in the profile (so the
 * crash database and temporary files go where teardown removes them); malloc'd
 */
static char **browser_env(const struct cdp_profile *pr, char *home, char *tmpdir, size_t cap)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = malloc((n + 3) * sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		bool keep = true;
		for (size_t j = 0; j < N_PRIVATE && keep; j++)
			keep = strncmp(environ[i], private_vars[j], strlen(private_vars[j])) != 0;
		if (keep)
			env[k++] = environ[i];
	}
	snprintf(home, cap, "HOME=%s", pr->data);
	snprintf(tmpdir, cap, "TMPDIR=%s", pr->tmp);
	env[k++] = home;
	env[k++] = tmpdir;
	env[k] = NULL;
	return env;
}

/* what the child reports on its error pipe when it cannot exec */
enum child_step { STEP_FDS = 1, STEP_USER, STEP_PROFILE, STEP_EXEC };
struct child_failure {
	int step, err;
};

/*
 * The forked child: only async-signal-safe calls (frankd has threads). fds 0-2 /dev/null,
 * 3 and 4 the pipe, 5 the error pipe (close-on-exec); the user dropped; then exec.
 */
static _Noreturn void child_main(const char *path, const char *const *argv, char **env,
				 int devnull, int pipe_fd, int report_fd,
				 const struct cdp_identity *id, const char *profile)
{
	struct child_failure f = { STEP_FDS, 0 };
	/* its own session and process group: teardown kills every helper with one signal */
	if (setsid() < 0 || dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0 ||
	    dup2(pipe_fd, 3) < 0 || dup2(pipe_fd, 4) < 0 || dup3(report_fd, 5, O_CLOEXEC) < 0)
		goto fail;
	/* nothing else of ours (listening sockets, databases) leaks into the browser */
	if (close_range(6, ~0U, 0) != 0)
		goto fail;
	f.step = STEP_USER;
	if (cdp_identity_assume(id) != 0)
		goto fail;
	f.step = STEP_PROFILE;
	if (access(profile, R_OK | W_OK | X_OK) != 0)
		goto fail;
	/* frankd blocks its stop signals and ignores SIGPIPE; the browser gets the defaults */
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGPIPE, &dfl, NULL);
	sigprocmask(SIG_SETMASK, &dfl.sa_mask, NULL);
	f.step = STEP_EXEC;
	/* glibc's execvpe searches PATH without allocating, as its posix_spawnp child does */
	execvpe(path, (char *const *)argv, env);
fail:
	f.err = errno;
	while (write(5, &f, sizeof f) < 0 && errno == EINTR)
		;
	_exit(127);
}

static int spawn(struct cdp_process *p, const char *path, const char *const *argv,
		 int child_fd, const struct cdp_identity *id, struct api_error *err)
{
	char home[sizeof p->profile.tmp + 16], tmpdir[sizeof home];
	char **env = browser_env(&p->profile, home, tmpdir, sizeof home);
	int devnull = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
	int report[2] = { -1, -1 };
	if (!env || devnull < 0 || pipe2(report, O_CLOEXEC) != 0) {
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot prepare its start: %s",
			 strerror(errno));
		goto out;
	}
	report[1] = high_fd(report[1]);
	if (report[1] >= 0)
		p->pid = fork();
	if (p->pid == 0)
		child_main(path, argv, env, devnull, child_fd, report[1], id, p->profile.data);
	int fork_errno = errno;
	if (report[1] >= 0)
		close(report[1]);
	if (p->pid < 0) {
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot start %s: %s", path,
			 strerror(fork_errno));
		goto out;
	}
	/* EOF: exec succeeded (the pipe closed on exec); a record: the child's failure */
	struct child_failure f = { 0, 0 };
	ssize_t got;
	while ((got = read(report[0], &f, sizeof f)) < 0 && errno == EINTR)
		;
	if (got == (ssize_t)sizeof f) {
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = -1;
		if (f.step == STEP_USER)
			api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot switch to the render "
				 "user %s: %s", id->name, strerror(f.err));
		else if (f.step == STEP_PROFILE)
			api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: the render user %s cannot "
				 "reach %s (is TMPDIR open to it?): %s",
				 id->drop ? id->name : "(frankd's)", p->profile.data, strerror(f.err));
		else
			api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot start %s: %s", path,
				 strerror(f.err));
	}
out:
	free(env);
	if (devnull >= 0)
		close(devnull);
	if (report[0] >= 0)
		close(report[0]);
	return p->pid > 0 ? 0 : -1;
}

int cdp_process_start(struct cdp_process *p, const char *path, const char *const *extra_args,
		      struct api_error *err)
{
	memset(p, 0, sizeof *p);
	p->pid = -1;
	p->fd = -1;
	p->profile.lock_fd = -1;
	if (!path || !path[0])
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: no browser path configured");
	struct cdp_identity id;
	if (cdp_identity_resolve(&id, err) != 0)
		return -1;
	bool sandboxed = cdp_sandbox_enabled();
	char why[256] = "";
	if (sandboxed)
		cdp_sandbox_userns_problem(why, sizeof why);
	if (!sandboxed)
		log_msg(LOG_WARN, "chromium: starting WITHOUT its sandbox (--chromium-no-sandbox): "
			"a renderer exploit runs as %s with no seccomp filter", id.drop ? id.name
			: "frankd's user");
	else if (why[0])
		log_msg(LOG_WARN, "chromium: its sandbox needs user namespaces, but %s; the "
			"browser will not start unless they are enabled (or --chromium-no-sandbox "
			"is given)", why);
	if (cdp_profile_make(&p->profile, &id, err) != 0)
		return -1;
	char profile_flag[sizeof p->profile.data + 16];
	snprintf(profile_flag, sizeof profile_flag, "--user-data-dir=%s", p->profile.data);

	const char *argv[1 + N_BASE + 2 + MAX_EXTRA + 1];
	size_t n = 0;
	argv[n++] = path;
	for (size_t i = 0; i < N_BASE; i++)
		argv[n++] = base_flags[i];
	if (!sandboxed)
		argv[n++] = "--no-sandbox";
	argv[n++] = profile_flag;
	for (size_t i = 0; extra_args && extra_args[i] && i < MAX_EXTRA; i++)
		argv[n++] = extra_args[i];
	argv[n] = NULL;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: socketpair: %s", strerror(errno));
		cdp_profile_remove(&p->profile);
		return -1;
	}
	int ours = high_fd(sv[0]), theirs = high_fd(sv[1]);
	if (ours < 0 || theirs < 0 || spawn(p, path, argv, theirs, &id, err) != 0) {
		if (ours < 0 || theirs < 0)
			api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: out of file descriptors");
		if (ours >= 0)
			close(ours);
		if (theirs >= 0)
			close(theirs);
		p->pid = -1;
		cdp_profile_remove(&p->profile);
		return -1;
	}
	close(theirs);
	p->fd = ours;
	return 0;
}
void cdp_process_end(struct cdp_process *p)
{
	if (p->pid > 0) {
		kill(-p->pid, SIGKILL);
		kill(p->pid, SIGKILL);	/* in case it never got its own group */
		while (waitpid(p->pid, NULL, 0) < 0 && errno == EINTR)
			;
		p->pid = -1;
	}
	if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
	cdp_profile_remove(&p->profile);
}
