// SPDX-License-Identifier: AGPL-3.0-or-later
/* Reading a password from the terminal (echo off, via termios) or stdin (see password.h). */
#include "cli/password.h"
#include "cli/commands.h"
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* the signals that end or stop the program while the echo is off */
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define N_STOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static volatile sig_atomic_t caught;

static void on_stop_signal(int sig)
{
	caught = sig;	/* the wait ends (EINTR); the terminal is restored, then the signal re-raised */
}

/*
 * One byte from fd. With waitmask, the stop signals are blocked outside the wait and ppoll()
 * unblocks them while it waits, so a signal that came before the wait still interrupts it
 * (a plain read() would miss one arriving just before it, and block).
 */
static ssize_t read_byte(int fd, char *c, const sigset_t *waitmask)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	if (waitmask && ppoll(&p, 1, NULL, waitmask) < 0)
		return -1;
	return read(fd, c, 1);
}

/*
 * One line from fd into out, without its "\n" (and a "\r" before it): its length, or -1 on
 * a read error, an interruption, or a line that does not fit (*too_long set; the rest of the
 * line is read and dropped). *eof: the input ended before any byte.
 */
static long read_line(int fd, const sigset_t *waitmask, char *out, size_t outlen, bool *too_long,
		      bool *eof)
{
	size_t n = 0;
	char c;
	*too_long = false;
	*eof = false;
	for (;;) {
		ssize_t r = read_byte(fd, &c, waitmask);
		if (r < 0)
			return -1;
		if (r == 0) {
			*eof = n == 0 && !*too_long;
			break;
		}
		if (c == '\n')
			break;
		if (n + 1 >= outlen)
			*too_long = true;
		else
			out[n++] = c;
	}
	if (n > 0 && out[n - 1] == '\r')
		n--;
	out[n] = '\0';
	return *too_long ? -1 : (long)n;
}

/* asks once on the terminal with the echo off; the line's length, or -1 */
static long ask(const char *prompt, char *out, size_t outlen, bool *too_long)
{
	struct termios saved, quiet;
	struct sigaction act = { .sa_handler = on_stop_signal }, old[N_STOP];
	sigset_t stops, waitmask;
	bool eof;
	*too_long = false;
	if (tcgetattr(STDIN_FILENO, &saved) < 0)
		return -1;
	quiet = saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ICANON;
	sigemptyset(&stops);
	for (size_t i = 0; i < N_STOP; i++)
		sigaddset(&stops, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &stops, &waitmask);	/* delivered only inside the wait */
	sigemptyset(&act.sa_mask);
	for (size_t i = 0; i < N_STOP; i++)
		sigaction(stop_signals[i], &act, &old[i]);
	caught = 0;
	long n = -1;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &quiet) == 0) {
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
		n = read_line(STDIN_FILENO, &waitmask, out, outlen, too_long, &eof);
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		fputc('\n', stderr);
	}
	for (size_t i = 0; i < N_STOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	/* the terminal is itself again: a signal still pending now acts as it would have */
	sigprocmask(SIG_SETMASK, &waitmask, NULL);
	if (caught) {
		explicit_bzero(out, outlen);
		raise(caught);	/* with the caller's disposition back in place */
		return -1;
	}
	return n;
}

static int fail(const char *why, char *out, size_t outlen)
{
	explicit_bzero(out, outlen);
	fprintf(stderr, "frank: %s\n", why);
	return -1;
}

static int from_terminal(const char *prompt, bool confirm, char *out, size_t outlen)
{
	char again[512];
	bool too_long;
	if (ask(prompt, out, outlen, &too_long) < 0)
		return fail(too_long ? "the password is too long" : "no password read", out, outlen);
	if (!confirm)
		return 0;
	long n = ask("Again: ", again, sizeof(again), &too_long);
	int same = n >= 0 && strcmp(again, out) == 0;
	explicit_bzero(again, sizeof(again));
	return same ? 0 : fail("the two passwords differ", out, outlen);
}

static int from_stdin(char *out, size_t outlen)
{
	bool too_long, eof;
	if (read_line(STDIN_FILENO, NULL, out, outlen, &too_long, &eof) < 0)
		return fail(too_long ? "the password on stdin is too long"
				     : "cannot read the password from stdin", out, outlen);
	if (eof)
		return fail("no password on stdin: pipe it in (printf '%s\\n' \"$PASSWORD\" | "
			    "frank …) or run from a terminal", out, outlen);
	return 0;
}

int cli_read_password(const char *prompt, bool confirm, char *out, size_t outlen)
{
	if (outlen == 0)
		return -1;
	return isatty(STDIN_FILENO) ? from_terminal(prompt, confirm, out, outlen)
				    : from_stdin(out, outlen);
}

int cli_new_password(const struct cli_args *a, const char *command, const char *usage_args,
		     const char *who, char *out, size_t outlen)
{
	char prompt[64];
	if (a->password) {
		fprintf(stderr, "frank: %s does not take --password: a password on the command line "
				"is visible to every user of this machine. Type it at the prompt, or "
				"pipe it: printf '%%s\\n' \"$PASSWORD\" | frank %s …\n", command, command);
		return 2;
	}
	if (!a->email) {
		fprintf(stderr, "usage: frank %s %s (the password from the terminal or stdin)\n",
			command, usage_args);
		return 2;
	}
	snprintf(prompt, sizeof(prompt), "Password for the new %s: ", who);
	return cli_read_password(prompt, true, out, outlen) < 0 ? 1 : 0;
}
