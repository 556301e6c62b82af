// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Time: one clock for the whole program (overridable for tests with FRANK_CLOCK), and
 * ISO-8601 formatting/parsing as Lob writes it ("2019-08-12T00:16:00.361Z"). All UTC.
 */
#ifndef FRANK_TIMEUTIL_H
#define FRANK_TIMEUTIL_H
#include <stdbool.h>
#include <stddef.h>

/*
 * FRANK_CLOCK: an ISO-8601 instant at which the clock starts (it then advances in real
 * time). Call once at start-up, before threads; 0, or -1 if the value does not parse.
 */
int clock_init_from_env(void);
/* epoch milliseconds now; thread-safe */
long long clock_now_ms(void);
/* true when FRANK_CLOCK started a test clock (which tests may then move forward) */
bool clock_is_test(void);
/* monotonic milliseconds (not the Lob clock): timeouts, deadlines and durations */
long long clock_mono_ms(void);
/* moves the clock forward by delta_ms (thread-safe); -1 if delta_ms < 0 */
int clock_advance_ms(long long delta_ms);
/*
 * fn(ctx) runs after each clock_advance_ms, so sleepers timed on the old clock wake (the
 * jobs runtime). One hook; fn NULL removes it, and once this returns fn is not running.
 */
void clock_on_advance(void (*fn)(void *ctx), void *ctx);

/*
 * Several nodes share one test clock (the PostgreSQL store keeps its offset from real time):
 * the offset now; setting it at start-up (before threads serve); and moving forward to an
 * offset another node reached (never back; runs the advance hook when it moves).
 */
long long clock_offset_now(void);
void clock_set_offset(long long offset_ms);
int clock_advance_to(long long offset_ms);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ"; out needs 25 bytes */
void time_format_iso(long long ms, char out[25]);
/*
 * Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff]]" with optional "Z" or "+hh:mm"/"-hh:mm".
 * 0 with *ms set, or -1 if it is not such a date.
 */
int time_parse_iso(const char *s, long long *ms);
#endif
