// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * A tiny TAP harness for the C unit tests: each check prints "ok N - what" or
 * "not ok N - what" (with file:line), test_done() prints the plan and returns the exit code.
 * Usage: int main(void) { CHECK(1 + 1 == 2, "adds"); return test_done(); }
 */
#ifndef FRANK_TEST_H
#define FRANK_TEST_H
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

static int test_count, test_failed;

#define CHECK(cond, ...) test_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_STR(got, want, ...) \
	test_check_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT(got, want, ...) \
	test_check_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5), unused))
static int test_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	test_count++;
	printf("%sok %d - ", ok ? "" : "not ", test_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		test_failed++;
		printf("#   at %s:%d\n", file, line);
	}
	return ok;
}

__attribute__((format(printf, 5, 6), unused))
static int test_check_str(const char *got, const char *want, const char *file, int line,
			  const char *fmt, ...)
{
	va_list ap;
	int ok = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
	test_count++;
	printf("%sok %d - ", ok ? "" : "not ", test_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		test_failed++;
		printf("#   at %s:%d\n#   got:  %s\n#   want: %s\n", file, line,
		       got ? got : "(null)", want ? want : "(null)");
	}
	return ok;
}

__attribute__((format(printf, 5, 6), unused))
static int test_check_int(long long got, long long want, const char *file, int line,
			  const char *fmt, ...)
{
	va_list ap;
	int ok = got == want;
	test_count++;
	printf("%sok %d - ", ok ? "" : "not ", test_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		test_failed++;
		printf("#   at %s:%d\n#   got:  %lld\n#   want: %lld\n", file, line, got, want);
	}
	return ok;
}

__attribute__((unused))
static int test_done(void)
{
	printf("1..%d\n", test_count);
	if (test_failed)
		printf("# %d of %d checks failed\n", test_failed, test_count);
	return test_failed ? 1 : 0;
}
#endif
