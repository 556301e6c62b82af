// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Countries: ISO 3166-1 alpha-2 codes and the upper-case full name Lob writes in
 * `address_country` (spec: components/schemas/address_intl). Lookups only; no validation
 * policy. The table is generated (scripts/gen-countries → countries_data.c).
 */
#ifndef FRANK_CORE_COUNTRIES_H
#define FRANK_CORE_COUNTRIES_H
#include <stdbool.h>
#include <stddef.h>

struct country {
	const char *alpha2;	/* "GB", upper case */
	/*
	 * "UNITED KINGDOM": Lob's spelling from the spec's address_country enum; "UNITED
	 * STATES" for US; for codes Lob does not list, the ISO name upper-cased. UTF-8, and
	 * the spec's own characters (CÔTE D'IVOIRE, and U+2019 in KOREA (DEMOCRATIC PEOPLE’S
	 * REPUBLIC OF) and LAO PEOPLE’S DEMOCRATIC REPUBLIC).
	 */
	const char *lob_name;
	bool us_territory;	/* US, AS, PR, FM, GU, MH, MP, PW, VI: US verification */
	bool lob_intl;		/* in Lob's country_extended enum (intl_verifications) */
};

/* Every country, sorted by alpha2; static storage (generated in countries_data.c). */
extern const struct country country_table[];
extern const size_t country_table_len;

/*
 * Lookup by ISO alpha-2 code, case-insensitive ("gb", "GB"). Returns a borrowed pointer
 * into country_table, or NULL if unknown (or not two letters). Thread-safe.
 */
const struct country *country_by_alpha2(const char *code);

/*
 * Lookup by Lob's full name, case-insensitive (Lob also accepts full names in
 * address_country). Case folding covers ASCII and the Latin-1 letters (é/É, ô/Ô, ç/Ç), and
 * an ASCII apostrophe matches the spec's U+2019, so "lao people's democratic republic"
 * finds LA. Borrowed pointer, or NULL if unknown. Thread-safe.
 */
const struct country *country_by_name(const char *name);

#endif
