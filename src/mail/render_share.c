/* The render queue's fair share across accounts (see render_share.h). */
#include "mail/render_share.h"
#include <string.h>

unsigned render_share_cap(unsigned workers)
{
	return workers > 1 ? workers - 1 : 1;
}

/* a is served before b: fewer running, then round-robin order after last */
static bool before(const struct share_account *a, const struct share_account *b,
		   const char *last)
{
	if (a->running != b->running)
		return a->running < b->running;
	bool a_next = strcmp(a->id, last) > 0, b_next = strcmp(b->id, last) > 0;
	if (a_next != b_next)
		return a_next;	/* after last comes first; the rest wrap around */
	return strcmp(a->id, b->id) < 0;
}

int render_share_pick(const struct share_account *a, size_t n, unsigned workers,
		      const char *last)
{
	unsigned cap = render_share_cap(workers);
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		if (!a[i].ready || a[i].running >= cap)
			continue;
		if (best < 0 || before(&a[i], &a[best], last ? last : ""))
			best = (int)i;
	}
	return best;
}
