/*
 * Fair share of the render workers across accounts — the render queue's picking policy, on
 * plain arrays so it can be tested alone. One account never holds more than
 * render_share_cap(workers) of them (all but one), so another account's piece always finds a
 * worker even while the first one's hostile files use up their budgets; free workers go to
 * the account holding the fewest, and among equals round-robin by account id after the one
 * served last, so a campaign of thousands waits its turn behind nobody and nobody waits
 * behind it.
 */
#ifndef FRANK_MAIL_RENDER_SHARE_H
#define FRANK_MAIL_RENDER_SHARE_H
#include <stdbool.h>
#include <stddef.h>

struct share_account {
	const char *id;
	unsigned running;	/* workers rendering its pieces now */
	bool ready;		/* a piece of it is waiting and due */
};

/* the most workers one account may hold: all but one (1 when there is only one) */
unsigned render_share_cap(unsigned workers);
/*
 * The account a free worker serves next (an index into a[0..n)): ready, under the cap, the
 * fewest running, then the first id after `last` (the account served last; "" for none),
 * wrapping around. -1 when no account may be served now.
 */
int render_share_pick(const struct share_account *a, size_t n, unsigned workers,
		      const char *last);
#endif
