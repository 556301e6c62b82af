// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Chromium's sandbox, as an operator would check it in /proc: the renderers that lay out
 * customer HTML run as an unprivileged user (the render user when the test runs as root),
 * under a seccomp filter with no_new_privs, in their own user, PID and network namespaces.
 * Re-adding --no-sandbox, or starting the browser as root, fails this test. Also: the
 * profile and the browser's temporary files are gone after it stops, a killed frankd's
 * leftover profile is removed at the next start without following links planted in it, a
 * long TMPDIR works, and a render user that does not exist or cannot reach TMPDIR is a clear
 * error. FRANK_CHROMIUM overrides the browser path.
 */
#include "render/chromium/cdp_profile.h"
#include "render/chromium/cdp_sandbox.h"
#include "render/chromium/chromium.h"
#include "test.h"
#include "chromium_fixtures.h"
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the uid the browser must run as: the render user under root, else our own */
static uid_t expected_uid(void)
{
	if (getuid() != 0)
		return getuid();
	struct passwd *pw = getpwnam(CDP_RENDER_USER_DEFAULT);
	if (!pw)
		pw = getpwnam(CDP_RENDER_USER_FALLBACK);
	return pw ? pw->pw_uid : 0;
}

/* the value of a /proc/PID/status line ("Seccomp:\t2" → "2"); "" when missing */
static void status_field(pid_t pid, const char *field, char *out, size_t cap)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	out[0] = '\0';
	size_t flen = strlen(field);
	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, field, flen) == 0 && line[flen] == ':') {
			const char *v = line + flen + 1 + strspn(line + flen + 1, " \t");
			snprintf(out, cap, "%.*s", (int)strcspn(v, "\n"), v);
			break;
		}
	if (f)
		fclose(f);
}

/* a status Uid value ("real effective saved fs", tab-separated): all four are want */
static bool all_uids(const char *uids, uid_t want)
{
	char copy[64];
	snprintf(copy, sizeof copy, "%s", uids);
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		unsigned long v;
		if (parse_ulong(t, 4294967295UL, &v) < 0 || v != (unsigned long)want)
			return false;
		n++;
	}
	return n == 4;
}

/* whether pid's namespace of this kind differs from ours */
static bool own_namespace(pid_t pid, const char *kind)
{
	char a[64], b[64], mine[64] = "", theirs[64] = "";
	snprintf(a, sizeof a, "/proc/self/ns/%s", kind);
	snprintf(b, sizeof b, "/proc/%d/ns/%s", (int)pid, kind);
	ssize_t m = readlink(a, mine, sizeof mine - 1), t = readlink(b, theirs, sizeof theirs - 1);
	return m > 0 && t > 0 && strcmp(mine, theirs) != 0;
}

static void render_one(struct chromium *cr, const char *what)
{
	static const char html[] = "<p>customer HTML</p>";
	unsigned char *pdf = NULL;
	size_t len = 0;
	unsigned pages = 0;
	struct api_error err = { 0 };
	int rc = chromium_html_to_pdf(cr, html, strlen(html), 8.5, 11, 1, &pdf, &len, &pages, &err);
	CHECK(rc == 0 && pages == 1, "%s: a page renders (%s)", what, err.message);
	free(pdf);
}

/* every renderer of cr: its uid, and the seccomp mode and namespaces wanted (sandboxed) */
static void check_renderers(struct chromium *cr, bool sandboxed, const char *what)
{
	uid_t want = expected_uid();
	pid_t browser = chromium_browser_pid(cr), pids[32];
	char uid[32], seccomp[8], nnp[8];
	status_field(browser, "Uid", uid, sizeof uid);
	CHECK(want != 0 && browser > 0 && all_uids(uid, want),
	      "%s: the browser runs as uid %u (got %s)", what, (unsigned)want, uid);
	int n = browser_renderers(browser, pids, 32), good = 0;
	for (int i = 0; i < n; i++) {
		status_field(pids[i], "Uid", uid, sizeof uid);
		status_field(pids[i], "Seccomp", seccomp, sizeof seccomp);
		status_field(pids[i], "NoNewPrivs", nnp, sizeof nnp);
		bool ns = own_namespace(pids[i], "user") && own_namespace(pids[i], "pid") &&
			  own_namespace(pids[i], "net");
		bool ok = all_uids(uid, want) &&
			  (sandboxed ? strcmp(seccomp, "2") == 0 && strcmp(nnp, "1") == 0 && ns
				     : strcmp(seccomp, "0") == 0 && !ns);
		if (!ok)
			printf("# renderer %d: uid %s, Seccomp %s, NoNewPrivs %s, own namespaces %d\n",
			       (int)pids[i], uid, seccomp, nnp, ns);
		good += ok;
	}
	if (sandboxed)
		CHECK(n > 0 && good == n, "%s: %d of %d renderers run as uid %u with seccomp "
		      "filtering, no_new_privs and their own user, PID and network namespaces", what,
		      good, n, (unsigned)want);
	else
		CHECK(n > 0 && good == n, "%s: %d of %d renderers run as uid %u, unsandboxed as "
		      "asked", what, good, n, (unsigned)want);
}

/* entries of a directory whose name starts with prefix (-1 if it cannot be read) */
static int entries(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		     strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static bool exists(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void test_sandboxed(const char *tmp)
{
	struct api_error err = { 0 };
	struct chromium *cr = chromium_open(browser_path(), 1, &err);
	CHECK(cr != NULL, "the browser starts with its sandbox (%s)", err.message);
	if (cr) {
		render_one(cr, "sandboxed");
		check_renderers(cr, true, "sandboxed");
		CHECK_INT(entries(tmp, ""), 1, "the browser's profile (with its TMPDIR) is in TMPDIR");
		chromium_close(cr);
	}
	CHECK_INT(entries(tmp, ""), 0, "after it stops, nothing of the browser is left in TMPDIR");
}

/* the documented opt-out for hosts without user namespaces: still not root */
static void test_opt_out(void)
{
	cdp_sandbox_configure(NULL, true);
	struct api_error err = { 0 };
	struct chromium *cr = chromium_open(browser_path(), 1, &err);
	CHECK(cr != NULL, "the browser starts with --chromium-no-sandbox (%s)", err.message);
	if (cr) {
		render_one(cr, "opted out");
		check_renderers(cr, false, "opted out");
		chromium_close(cr);
	}
	cdp_sandbox_configure(NULL, false);
}

/*
 * A frankd killed with its browser leaves a profile whose lock nobody holds; the next start
 * removes it without following the links the render user may have put in it, and leaves a
 * profile in use alone.
 */
static void test_leftovers(const char *tmp)
{
	struct cdp_identity id;
	struct cdp_profile dead, live;
	struct api_error err = { 0 };
	char path[600];
	CHECK(cdp_identity_resolve(&id, &err) == 0 && cdp_profile_make(&dead, &id, &err) == 0 &&
	      cdp_profile_make(&live, &id, &err) == 0, "two profiles are made (%s)", err.message);
	snprintf(path, sizeof path, "%s/victim", tmp);
	FILE *f = fopen(path, "w");
	if (f)
		fclose(f);
	snprintf(path, sizeof path, "%s/victim-dir", tmp);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/victim-dir/kept", tmp);
	f = fopen(path, "w");
	if (f)
		fclose(f);
	char link[600], target[600];
	snprintf(link, sizeof link, "%s/link-to-file", dead.data);
	snprintf(target, sizeof target, "%s/victim", tmp);
	CHECK(symlink(target, link) == 0, "a link to a file outside the profile");
	snprintf(link, sizeof link, "%s/link-to-dir", dead.data);
	snprintf(target, sizeof target, "%s/victim-dir", tmp);
	CHECK(symlink(target, link) == 0, "a link to a directory outside the profile");
	snprintf(path, sizeof path, "%s/a", dead.data);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/a/b", dead.data);
	mkdir(path, 0700);
	close(dead.lock_fd);	/* its frankd is gone */
	dead.lock_fd = -1;

	struct chromium *cr = chromium_open(browser_path(), 1, &err);
	CHECK(cr != NULL, "the browser starts (%s)", err.message);
	CHECK(access(dead.dir, F_OK) != 0, "the unlocked leftover profile was removed");
	CHECK(access(live.data, F_OK) == 0, "the profile in use was left alone");
	CHECK(exists(tmp, "victim") && exists(tmp, "victim-dir/kept"),
	      "the files its links pointed to are still there");
	chromium_close(cr);
	cdp_profile_remove(&live);
	CHECK_INT(entries(tmp, "frank-chromium-"), 0, "no profile is left");
	snprintf(path, sizeof path, "%s/victim-dir/kept", tmp);
	unlink(path);
	snprintf(path, sizeof path, "%s/victim-dir", tmp);
	rmdir(path);
	snprintf(path, sizeof path, "%s/victim", tmp);
	unlink(path);
}

/* Chromium's socket under TMPDIR must fit 108 bytes: a long TMPDIR still works */
static void test_long_tmpdir(const char *tmp)
{
	char deep[300];
	snprintf(deep, sizeof deep, "%s/a-directory-with-a-rather-long-name-to-push-the-socket-"
		 "path-of-chromium-past-its-limit", tmp);
	CHECK(mkdir(deep, 0711) == 0, "a long TMPDIR (%zu characters)", strlen(deep));
	setenv("TMPDIR", deep, 1);
	struct api_error err = { 0 };
	struct chromium *cr = chromium_open(browser_path(), 1, &err);
	CHECK(cr != NULL, "the browser starts under it (%s)", err.message);
	if (cr) {
		render_one(cr, "long TMPDIR");
		chromium_close(cr);
	}
	CHECK_INT(entries(deep, ""), 0, "nothing is left in it");
	rmdir(deep);
	setenv("TMPDIR", tmp, 1);
}

/* as root: a missing render user, and a TMPDIR it cannot enter, are clear errors */
static void test_render_user_errors(const char *tmp)
{
	cdp_sandbox_configure("frank-no-such-user", false);
	struct api_error err = { 0 };
	struct chromium *cr = chromium_open(browser_path(), 1, &err);
	CHECK(!cr && err.kind == ERR_SERVICE_UNAVAILABLE &&
	      strstr(err.message, "'frank-no-such-user' does not exist"),
	      "a render user that does not exist is refused (%s)", err.message);
	cdp_sandbox_configure(NULL, false);
	chmod(tmp, 0700);
	err = (struct api_error){ 0 };
	cr = chromium_open(browser_path(), 1, &err);
	CHECK(!cr && strstr(err.message, "cannot reach"),
	      "a TMPDIR closed to the render user is named in the error (%s)", err.message);
	CHECK_INT(entries(tmp, ""), 0, "and its profile directory is removed");
	chmod(tmp, 0711);
}

int main(void)
{
	fz_set_warning_callback(frank_fz(), NULL, NULL);
	/* a TMPDIR of our own (open to the render user): what the browser leaves is visible */
	char tmp[] = "/tmp/frank-sandbox-test-XXXXXX";
	CHECK(mkdtemp(tmp) && chmod(tmp, 0711) == 0, "a scratch TMPDIR (%s)", strerror(errno));
	setenv("TMPDIR", tmp, 1);
	test_sandboxed(tmp);
	test_opt_out();
	test_leftovers(tmp);
	test_long_tmpdir(tmp);
	if (getuid() == 0)
		test_render_user_errors(tmp);
	else
		printf("# not root: the render user is not used, its checks do not apply\n");
	rmdir(tmp);
	return test_done();
}
