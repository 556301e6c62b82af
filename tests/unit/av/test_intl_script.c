// SPDX-License-Identifier: AGPL-3.0-or-later
/* The script of international answers (x-lang-output): English, match, native. */
#include "av/intl_script.h"
#include "test.h"
#include <stdio.h>
#include <string.h>

static const char *apply(enum intl_lang lang, const char *in)
{
	static char buf[256];
	snprintf(buf, sizeof(buf), "%s", in);
	intl_script_apply(lang, buf, sizeof(buf));
	return buf;
}

int main(void)
{
	enum intl_lang l;
	CHECK(intl_lang_parse(NULL, &l) == 0 && l == INTL_LANG_ENGLISH, "no header: English");
	CHECK(intl_lang_parse("native", &l) == 0 && l == INTL_LANG_NATIVE, "native");
	CHECK(intl_lang_parse("match", &l) == 0 && l == INTL_LANG_MATCH, "match");
	CHECK_INT(intl_lang_parse("Native", &l), -1, "the values are Lob's, exactly");
	CHECK_INT(intl_lang_parse("", &l), -1, "empty is not a value");

	CHECK_STR(apply(INTL_LANG_ENGLISH, "Москва"), "MOSKVA", "English: Cyrillic romanised");
	CHECK_STR(apply(INTL_LANG_ENGLISH, "Αθήνα"), "ATHENA", "English: Greek romanised");
	CHECK_STR(apply(INTL_LANG_ENGLISH, "Hauptstraße 5"), "HAUPTSTRASSE 5",
		  "English: Latin text kept, upper-cased as Unicode does");
	CHECK_STR(apply(INTL_LANG_ENGLISH, "München"), "MÜNCHEN", "English: Latin keeps its accents");
	CHECK_STR(apply(INTL_LANG_NATIVE, "ул. Тверская 7"), "УЛ. ТВЕРСКАЯ 7",
		  "native: the native script kept, upper case");
	CHECK_STR(apply(INTL_LANG_NATIVE, "Moskva"), "MOSKVA",
		  "native from a romanisation: not determinable, answered as the default");
	CHECK_STR(apply(INTL_LANG_MATCH, "Αθήνα"), "ΑΘΉΝΑ", "match: the request's script");
	CHECK_STR(apply(INTL_LANG_MATCH, "tokyo"), "TOKYO", "match: Latin stays Latin");
	CHECK_STR(apply(INTL_LANG_ENGLISH, ""), "", "empty stays empty");
	char tiny[4] = "京";	/* romanised it is "JING": 5 bytes with the NUL, not 4 */
	intl_script_apply(INTL_LANG_ENGLISH, tiny, sizeof(tiny));
	CHECK_STR(tiny, "京", "an answer that does not fit leaves the text as it was");
	return test_done();
}
