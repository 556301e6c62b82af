// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Passwords for `frank user create` and `frank operator create`: never from the command line
 * (argv is visible to every user of the machine in ps and /proc, and stays in shell history).
 * From a terminal they are typed without echo; otherwise one line is read from stdin:
 *   printf '%s\n' "$PASSWORD" | frank user create --data DIR --email E
 */
#ifndef FRANK_CLI_PASSWORD_H
#define FRANK_CLI_PASSWORD_H
#include <stdbool.h>
#include <stddef.h>

/*
 * Reads a password into out (outlen bytes, NUL-terminated; longer input is refused): from the
 * terminal without echo, asked twice when confirm, when stdin is a terminal; else the first
 * line of stdin (its line end removed). 0, or -1 with the reason on stderr. A signal while
 * the echo is off restores the terminal before it takes effect.
 */
int cli_read_password(const char *prompt, bool confirm, char *out, size_t outlen);

struct cli_args;
/*
 * The arguments and password of a `frank <command> --email E` that makes someone who signs
 * in (who: "user", "operator"): --password refused, --email required (usage names
 * usage_args), then the password asked for with confirmation. 0 with out filled, or the exit
 * code (2 bad arguments, 1 no password), the reason on stderr.
 */
int cli_new_password(const struct cli_args *a, const char *command, const char *usage_args,
		     const char *who, char *out, size_t outlen);
#endif
