// SPDX-License-Identifier: AGPL-3.0-or-later
/* Escaping for the dashboard: text into HTML, values into URLs. */
#include "core/html.h"
#include "test.h"

int main(void)
{
	struct arena *a = arena_new();
	CHECK_STR(html_escape(a, "<b class=\"x\">Tom & 'Jerry'</b>"),
		  "&lt;b class=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/b&gt;",
		  "markup becomes text, in text and in quoted attributes");
	CHECK_STR(html_escape(a, NULL), "", "NULL is empty");
	CHECK_STR(html_escape(a, "Zoë — ok"), "Zoë — ok", "UTF-8 passes unchanged");
	CHECK_STR(url_encode(a, "/dashboard/letters?x=1&y=a b"),
		  "%2Fdashboard%2Fletters%3Fx%3D1%26y%3Da%20b", "reserved characters encoded");
	CHECK_STR(url_encode(a, "AZaz09-_.~"), "AZaz09-_.~", "unreserved kept");
	CHECK_STR(url_encode(a, "é"), "%C3%A9", "bytes of UTF-8 encoded");
	arena_free(a);
	return test_done();
}
