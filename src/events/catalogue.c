/* Event type lookup (binary search over the generated, sorted table). */
#include "events/catalogue.h"
#include <string.h>

const struct event_type *event_type_find(const char *id)
{
	size_t lo = 0, hi = event_types_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, event_types[mid].id);
		if (c == 0)
			return &event_types[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
