/*
 * The render queue's fair share (render_share.h) on plain arrays: the cap of all workers but
 * one per account, the fewest-running first, round-robin by id after the account served last.
 */
#include "mail/render_share.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void cap(void)
{
	CHECK_INT(render_share_cap(1), 1, "one worker: an account may use it");
	CHECK_INT(render_share_cap(2), 1, "two workers: one each");
	CHECK_INT(render_share_cap(3), 2, "three: two for one account, one kept for others");
}

static void capped_account_waits(void)
{
	/* the attack: account a's bombs hold two of three workers */
	struct share_account acc[] = { { "acc_a", 2, true }, { "acc_b", 0, false } };
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_a"), -1,
		  "a holds its cap: the third worker is not given to it, even with nobody else "
		  "waiting");
	acc[1].ready = true;
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_a"), 1, "b's letter gets the third");
	acc[0].running = 1;
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_a"), 1,
		  "under the cap, the account holding fewer workers goes first");
	struct share_account alone[] = { { "acc_a", 0, true } };
	CHECK_INT(render_share_pick(alone, 1, 1, "acc_a"), 0, "one worker serves one account");
	struct share_account none[] = { { "acc_a", 0, false }, { "acc_b", 0, false } };
	CHECK_INT(render_share_pick(none, N(none), 3, ""), -1, "nothing due: nothing picked");
}

static void round_robin(void)
{
	struct share_account acc[] = { { "acc_c", 0, true }, { "acc_a", 0, true },
				       { "acc_b", 0, true } };
	CHECK_INT(render_share_pick(acc, N(acc), 3, ""), 1, "first the smallest id (acc_a)");
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_a"), 2, "then the next after it");
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_b"), 0, "then the next");
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_c"), 1, "wrapping around");
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_bb"), 0, "after an account now gone");
	acc[2].ready = false;
	CHECK_INT(render_share_pick(acc, N(acc), 3, "acc_a"), 0, "skipping one with nothing due");
}

int main(void)
{
	cap();
	capped_account_waits();
	round_robin();
	return test_done();
}
