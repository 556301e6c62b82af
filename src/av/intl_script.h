// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The script of an international verification's answer (Lob's x-lang-output header), by
 * ICU's transliterators: the default answers in English (text in another script is
 * romanised), `match` in the request's script, `native` in the country's own script where
 * that can be determined (below). Thread-safe (each call opens its own transliterator).
 */
#ifndef FRANK_AV_INTL_SCRIPT_H
#define FRANK_AV_INTL_SCRIPT_H
#include <stddef.h>

enum intl_lang {
	INTL_LANG_ENGLISH,	/* no header: Lob's default */
	INTL_LANG_NATIVE,	/* x-lang-output: native */
	INTL_LANG_MATCH,	/* x-lang-output: match */
};

/* "native" / "match" / NULL (English); -1 for any other value */
int intl_lang_parse(const char *header, enum intl_lang *out);

/*
 * Rewrites buf (UTF-8, at most n bytes with its NUL) in the script lang asks for, in upper
 * case (Unicode's, so Cyrillic and Greek too):
 * - English: text in a script other than Latin is romanised ("Any-Latin; Latin-ASCII");
 * - match: kept in the request's script;
 * - native: text in a script other than Latin is kept: it is the native script the default
 *   would have romanised. Latin text stays Latin, as the default answers it: a romanisation
 *   loses what the native script needs (Greek "i" is η, ι or υ; "ya" is я or ыа), so the
 *   native form cannot be determined from it.
 * Text that does not fit, or that ICU cannot process, is left as it was.
 */
void intl_script_apply(enum intl_lang lang, char *buf, size_t n);
#endif
