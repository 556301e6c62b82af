// SPDX-License-Identifier: AGPL-3.0-or-later
/* The script of international answers (x-lang-output) with ICU's transliterators. */
#include "av/intl_script.h"
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#define TEXT_MAX 512	/* UTF-16 units: the longest field (recipient) is 500 characters */

int intl_lang_parse(const char *header, enum intl_lang *out)
{
	if (!header)
		*out = INTL_LANG_ENGLISH;
	else if (strcmp(header, "native") == 0)
		*out = INTL_LANG_NATIVE;
	else if (strcmp(header, "match") == 0)
		*out = INTL_LANG_MATCH;
	else
		return -1;
	return 0;
}

/* true when a letter of s is in a script other than Latin (digits, spaces, marks are any) */
static bool other_script(const char *s)
{
	int32_t i = 0, len = (int32_t)strlen(s);
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0)
			continue;
		UErrorCode st = U_ZERO_ERROR;
		UScriptCode sc = uscript_getScript(c, &st);
		if (U_SUCCESS(st) && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED &&
		    sc != USCRIPT_LATIN && sc != USCRIPT_UNKNOWN)
			return true;
	}
	return false;
}

/*
 * Opening "Any-Latin" builds a transliterator per script (~6 ms; a clone costs as much), and
 * one is not for two threads at once: each thread opens its own on first use, closed when
 * the thread ends
 */
static pthread_once_t romaniser_once = PTHREAD_ONCE_INIT;
static pthread_key_t romaniser_key;

static void romaniser_close(void *t)
{
	utrans_close(t);
}

static void romaniser_key_make(void)
{
	pthread_key_create(&romaniser_key, romaniser_close);
}

static UTransliterator *romaniser(void)
{
	pthread_once(&romaniser_once, romaniser_key_make);
	UTransliterator *t = pthread_getspecific(romaniser_key);
	if (t)
		return t;
	static const char id[] = "Any-Latin; Latin-ASCII";
	UChar uid[sizeof(id)];
	UErrorCode st = U_ZERO_ERROR;
	u_uastrncpy(uid, id, (int32_t)sizeof(id));
	t = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
	if (U_FAILURE(st))
		return NULL;	/* the text is then left as it was */
	if (pthread_setspecific(romaniser_key, t) != 0) {
		utrans_close(t);
		return NULL;
	}
	return t;
}

/* romanises (romanise) and upper-cases buf in place; false leaves it */
static bool rewrite(bool romanise, char *buf, size_t n)
{
	UChar text[TEXT_MAX], upper[TEXT_MAX];
	int32_t len = 0;
	UErrorCode st = U_ZERO_ERROR;
	u_strFromUTF8(text, TEXT_MAX, &len, buf, -1, &st);
	if (U_FAILURE(st) || len >= TEXT_MAX)
		return false;
	if (romanise) {
		UTransliterator *t = romaniser();
		int32_t limit = len;
		if (!t)
			return false;
		utrans_transUChars(t, text, &len, TEXT_MAX, 0, &limit, &st);
		if (U_FAILURE(st) || len >= TEXT_MAX)
			return false;
	}
	int32_t ulen = u_strToUpper(upper, TEXT_MAX, text, len, "", &st);
	if (U_FAILURE(st) || ulen >= TEXT_MAX)
		return false;
	char out[4 * TEXT_MAX];
	int32_t olen = 0;
	u_strToUTF8(out, (int32_t)sizeof(out), &olen, upper, ulen, &st);
	if (U_FAILURE(st) || (size_t)olen >= n)
		return false;
	memcpy(buf, out, (size_t)olen + 1);
	return true;
}

void intl_script_apply(enum intl_lang lang, char *buf, size_t n)
{
	if (!buf[0])
		return;
	rewrite(lang == INTL_LANG_ENGLISH && other_script(buf), buf, n);
}
