/* The browser process: profile directory, spawn, teardown (see cdp_process.h). */
#include "render/cdp_process.h"
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* what every Frank browser runs with; the caller adds its policy (network, fonts, …) */
static const char *const base_flags[] = {
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run",
	/* containers often give /dev/shm 64 MB: renderers crash on big pages without this */
	"--disable-dev-shm-usage",
	"--remote-debugging-pipe",
};
#define N_BASE (sizeof base_flags / sizeof base_flags[0])
#define MAX_EXTRA 32

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	remove(path);
	return 0;	/* keep going: remove what can be removed */
}

static void remove_profile(const char *dir)
{
	/* helpers killed a moment ago may still finish a write: try again briefly */
	for (int i = 0; i < 5 && dir[0]; i++) {
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (access(dir, F_OK) != 0)
			return;
		nanosleep(&(struct timespec){ .tv_nsec = 50 * 1000000L }, NULL);
	}
}

/* fd moved to >= 10 (close-on-exec) so the child's dup2 to 0-4 never collides with it */
static int high_fd(int fd)
{
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	close(fd);
	return hi;
}

static int spawn(struct cdp_process *p, const char *path, const char *const *argv,
		 int child_fd, struct api_error *err)
{
	int devnull = high_fd(open("/dev/null", O_RDWR | O_CLOEXEC));
	if (devnull < 0)
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: /dev/null: %s",
				strerror(errno));
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	/* its own session and process group: teardown kills every helper with one signal */
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	posix_spawn_file_actions_adddup2(&fa, devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, devnull, 1);
	posix_spawn_file_actions_adddup2(&fa, devnull, 2);
	posix_spawn_file_actions_adddup2(&fa, child_fd, 3);
	posix_spawn_file_actions_adddup2(&fa, child_fd, 4);
	/* nothing else of ours (listening sockets, databases) leaks into the browser */
	posix_spawn_file_actions_addclosefrom_np(&fa, 5);
	int rc = strchr(path, '/')
		? posix_spawn(&p->pid, path, &fa, &attr, (char *const *)argv, environ)
		: posix_spawnp(&p->pid, path, &fa, &attr, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(devnull);
	if (rc != 0)
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot start %s: %s", path,
				strerror(rc));
	return 0;
}

int cdp_process_start(struct cdp_process *p, const char *path, const char *const *extra_args,
		      struct api_error *err)
{
	memset(p, 0, sizeof *p);
	p->pid = -1;
	p->fd = -1;
	if (!path || !path[0])
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: no browser path configured");
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !tmp[0] || strlen(tmp) > 200)
		tmp = "/tmp";
	snprintf(p->profile, sizeof p->profile, "%s/frank-chromium-XXXXXX", tmp);
	if (!mkdtemp(p->profile)) {
		int e = errno;
		p->profile[0] = '\0';
		return api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: cannot make a profile "
				"directory in %s: %s", tmp, strerror(e));
	}
	char profile_flag[300];
	snprintf(profile_flag, sizeof profile_flag, "--user-data-dir=%s", p->profile);

	const char *argv[1 + N_BASE + 1 + MAX_EXTRA + 1];
	size_t n = 0;
	argv[n++] = path;
	for (size_t i = 0; i < N_BASE; i++)
		argv[n++] = base_flags[i];
	argv[n++] = profile_flag;
	for (size_t i = 0; extra_args && extra_args[i] && i < MAX_EXTRA; i++)
		argv[n++] = extra_args[i];
	argv[n] = NULL;

	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: socketpair: %s", strerror(errno));
		remove_profile(p->profile);
		return -1;
	}
	int ours = high_fd(sv[0]), theirs = high_fd(sv[1]);
	if (ours < 0 || theirs < 0 || spawn(p, path, argv, theirs, err) != 0) {
		if (ours < 0 || theirs < 0)
			api_fail(err, ERR_SERVICE_UNAVAILABLE, "chromium: out of file descriptors");
		if (ours >= 0)
			close(ours);
		if (theirs >= 0)
			close(theirs);
		p->pid = -1;
		remove_profile(p->profile);
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
	if (p->profile[0]) {
		remove_profile(p->profile);
		p->profile[0] = '\0';
	}
}
