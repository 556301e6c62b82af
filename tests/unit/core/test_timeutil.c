// SPDX-License-Identifier: AGPL-3.0-or-later
/* Time text: Lob's ISO-8601 form, and the date filters' accepted inputs. */
#include "core/timeutil.h"
#include "test.h"

int main(void)
{
	char buf[25];
	long long ms = 0;
	time_format_iso(1565568960361LL, buf);
	CHECK_STR(buf, "2019-08-12T00:16:00.361Z", "format with milliseconds");
	time_format_iso(0, buf);
	CHECK_STR(buf, "1970-01-01T00:00:00.000Z", "epoch");
	CHECK_INT(time_parse_iso("2019-08-12T00:16:00.361Z", &ms), 0, "parse full");
	CHECK_INT(ms, 1565568960361LL, "round trip");
	CHECK_INT(time_parse_iso("2012-01-01", &ms), 0, "date only");
	CHECK_INT(ms, 1325376000000LL, "date only is midnight UTC");
	CHECK_INT(time_parse_iso("2012-01-31T12:34:56Z", &ms), 0, "no fraction");
	CHECK_INT(time_parse_iso("2012-01-31T12:34:56+02:00", &ms), 0, "offset");
	CHECK_INT(ms, 1328006096000LL, "offset applied");
	CHECK_INT(time_parse_iso("2012-01-31T12:34", &ms), 0, "no seconds");
	const char *bad[] = { "", "2012", "2012-13-01", "2012-02-30", "2012-01-01T25:00",
			      "2012-01-01T10:00:00.", "2012-01-01Z1", "yesterday", "2012-01-01T10:00:00+2" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(time_parse_iso(bad[i], &ms), -1, "rejects \"%s\"", bad[i]);
	return test_done();
}
