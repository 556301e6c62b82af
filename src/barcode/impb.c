// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * IMpb tracking numbers: the STC table, MOD 10, building and checking PICs, and the
 * GS1-128 encoding through libzint. Field widths and STCs: USPS Pub 199, IMpb STC list.
 */
#include "barcode/impb.h"
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <zint.h>
#include "core/parse.h"

/*
 * ---- Service Type Codes ---------------------------------------------------------------
 * USPS "IMpb Service Type Codes, Appendix I" (2026-06-24), First-Class Mail rows for
 * Certified and Registered (impb_certified.md §4.1). The banners drop the ™ (cosmetic, [PP]).
 */
static const struct impb_stc impb_stcs[] = {
	{ "071", "First-Class Mail: Certified Mail", "USPS CERTIFIED MAIL" },
	{ "147", "First-Class Mail: Certified Mail Return Receipt", "USPS CERTIFIED MAIL" },
	{ "148", "First-Class Mail: Certified Mail Return Receipt Electronic",
	  "USPS CERTIFIED MAIL" },
	{ "149", "First-Class Mail: Certified Mail Restricted Delivery", "USPS CERTIFIED MAIL" },
	{ "154", "First-Class Mail: Certified Mail Restricted Delivery Return Receipt",
	  "USPS CERTIFIED MAIL" },
	{ "360", "First-Class Mail: Certified Mail Restricted Delivery Return Receipt "
	  "Electronic", "USPS CERTIFIED MAIL" },
	{ "501", "First-Class Mail: Registered Mail", "USPS REGISTERED MAIL" },
	{ "522", "First-Class Mail: Registered Mail Return Receipt", "USPS REGISTERED MAIL" },
	{ "529", "First-Class Mail: Registered Mail Return Receipt Electronic",
	  "USPS REGISTERED MAIL" },
	{ "531", "First-Class Mail: Registered Mail Restricted Delivery", "USPS REGISTERED MAIL" },
	{ "533", "First-Class Mail: Registered Mail Restricted Delivery Return Receipt",
	  "USPS REGISTERED MAIL" },
};

static const struct {
	const char *extra_service, *stc;
} extra_service_stcs[] = {
	{ "certified", "071" },
	{ "certified_return_receipt", "148" },
	{ "registered", "501" },
};

const struct impb_stc *impb_stc_lookup(const char *stc)
{
	if (!stc)
		return NULL;
	for (size_t i = 0; i < sizeof(impb_stcs) / sizeof(impb_stcs[0]); i++)
		if (strcmp(impb_stcs[i].stc, stc) == 0)
			return &impb_stcs[i];
	return NULL;
}

const char *impb_stc_for_extra_service(const char *extra_service)
{
	if (!extra_service)
		return NULL;
	for (size_t i = 0; i < sizeof(extra_service_stcs) / sizeof(extra_service_stcs[0]); i++)
		if (strcmp(extra_service_stcs[i].extra_service, extra_service) == 0)
			return extra_service_stcs[i].stc;
	return NULL;
}

/*
 * ---- Tracking numbers -----------------------------------------------------------------
 */

char impb_check_digit(const char *s, size_t n)
{
	unsigned sum = 0;

	if (!digits_only(s, n))
		return 0;
	/* Pub 199: from the right, weight 3 next to the check digit, then 1, 3, ... */
	for (size_t i = 0; i < n; i++)
		sum += (unsigned)(s[n - 1 - i] - '0') * (i % 2 == 0 ? 3 : 1);
	return (char)('0' + (10 - sum % 10) % 10);
}

int impb_build(const char *stc, const char *mailer_id, uint64_t serial, size_t pic_len,
	       char pic[IMPB_PIC_MAX + 1], struct api_error *err)
{
	size_t mid_len, serial_len;
	uint64_t serial_max = 1;

	pic[0] = '\0';
	if (pic_len != 22 && pic_len != 26)
		return api_fail(err, ERR_INVALID, "impb tracking number length must be 22 or 26");
	if (!stc || strlen_capped(stc, 3) != 3 || !digits_only(stc, 3))
		return api_fail(err, ERR_INVALID, "impb service type code must be 3 digits");
	mid_len = mailer_id ? strlen_capped(mailer_id, 9) : 0;
	if (!((mid_len == 6 && digits_only(mailer_id, 6) && mailer_id[0] != '9') ||
	      (mid_len == 9 && digits_only(mailer_id, 9) && mailer_id[0] == '9')))
		return api_fail(err, ERR_INVALID, "impb mailer ID must be 6 digits not starting "
				"with 9, or 9 digits starting with 9");
	/* channel(2) + STC(3) + MID + serial + check(1) = pic_len (§4.2) */
	serial_len = pic_len - 6 - mid_len;
	for (size_t i = 0; i < serial_len; i++)
		serial_max *= 10;
	if (serial >= serial_max)
		return api_fail(err, ERR_INVALID, "impb serial number must fit in %zu digits",
				serial_len);
	/* §4.2 [PLG] §5.1.3: 92 goes with a 9-digit MID, 93 with a 6-digit one */
	memcpy(pic, mid_len == 9 ? "92" : "93", 2);
	memcpy(pic + 2, stc, 3);
	memcpy(pic + 5, mailer_id, mid_len);
	put_digits(pic + 5 + mid_len, serial, serial_len);
	pic[pic_len - 1] = impb_check_digit(pic, pic_len - 1);
	pic[pic_len] = '\0';
	return 0;
}

/* the channel and MID rules of a 22- or 26-digit PIC (§1, §4.2) */
static int check_channel(const char *pic, struct api_error *err)
{
	if (pic[0] != '9' || pic[1] < '1' || pic[1] > '5')
		return api_fail(err, ERR_INVALID, "impb tracking number must start with 91-95");
	if (pic[1] == '2' && pic[5] != '9')
		return api_fail(err, ERR_INVALID,
				"impb channel 92 needs a 9-digit mailer ID starting with 9");
	if (pic[1] == '3' && pic[5] == '9')
		return api_fail(err, ERR_INVALID,
				"impb channel 93 needs a 6-digit mailer ID not starting with 9");
	return 0;
}

int impb_validate(const char *pic, struct api_error *err)
{
	size_t n = pic ? strlen_capped(pic, 34) : 0;

	if (!digits_only(pic, n) || (n != 20 && n != 22 && n != 26 && n != 30 && n != 34))
		return api_fail(err, ERR_INVALID,
				"impb tracking number must be 20, 22, 26, 30 or 34 digits");
	if (n == 30 || n == 34) {
		/* "420" + ZIP5 or ZIP+4 + a 22-digit PIC: read as [JK] does (§4.2) */
		if (memcmp(pic, "420", 3) != 0)
			return api_fail(err, ERR_INVALID,
					"impb barcode data of 30 or 34 digits must start with 420");
		pic += n - 22;
		n = 22;
	}
	if (n != 20 && check_channel(pic, err) < 0)
		return -1;
	if (impb_check_digit(pic, n - 1) != pic[n - 1])
		return api_fail(err, ERR_INVALID, "impb tracking number check digit must be %c",
				impb_check_digit(pic, n - 1));
	return 0;
}

int impb_hri(const char *pic, char *hri, size_t hrilen, struct api_error *err)
{
	size_t n = pic ? strlen_capped(pic, IMPB_PIC_MAX) : 0, o = 0;

	if (hrilen)
		hri[0] = '\0';
	if (n != 22 && n != 26)
		return api_fail(err, ERR_INVALID, "impb tracking number must be 22 or 26 digits");
	if (impb_validate(pic, err) < 0)
		return -1;
	if (hrilen < n + (n - 1) / 4 + 1)
		return api_fail(err, ERR_INTERNAL, "impb human-readable buffer too small");
	for (size_t i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			hri[o++] = ' ';
		hri[o++] = pic[i];
	}
	hri[o] = '\0';
	return 0;
}

/*
 * ---- GS1-128 --------------------------------------------------------------------------
 */

static bool module_set(const struct zint_symbol *sym, int row, int col)
{
	return (sym->encoded_data[row][col >> 3] >> (col & 7)) & 1;
}

int impb_gs1_modules(const char *zip, const char *tracking, char *modules, size_t len,
		     char *hri, size_t hrilen, struct api_error *err)
{
	struct zint_symbol *sym;
	char input[5 + 9 + 4 + IMPB_PIC_MAX + 1];
	size_t zlen = zip ? strlen_capped(zip, 9) : 0, o = 0;
	int rc = -1, col;

	if (len)
		modules[0] = '\0';
	if ((zlen != 5 && zlen != 9) || !digits_only(zip, zlen))
		return api_fail(err, ERR_INVALID, "impb ZIP code must be 5 or 9 digits");
	if (impb_hri(tracking, hri, hrilen, err) < 0)
		return -1;
	/* the PIC's first two digits are its GS1 AI (92-95: company internal) */
	snprintf(input, sizeof(input), "[420]%s[%.2s]%s", zip, tracking, tracking + 2);

	sym = ZBarcode_Create();
	if (!sym)
		return api_fail(err, ERR_INTERNAL, "out of memory");
	sym->symbology = BARCODE_GS1_128;
	sym->input_mode = GS1_MODE;
	if (ZBarcode_Encode(sym, (const unsigned char *)input, (int)strlen(input)) >= ZINT_ERROR) {
		api_fail(err, ERR_INTERNAL, "impb encoder failed: %s", sym->errtxt);
		goto out;
	}
	if (sym->rows < 1 || sym->width < 1 || sym->width > 8 * (int)sizeof(sym->encoded_data[0])) {
		api_fail(err, ERR_INTERNAL, "impb encoder returned %dx%d modules", sym->rows,
			 sym->width);
		goto out;
	}
	/* run lengths of row 0: Code 128 starts with a bar and uses widths 1-4 */
	col = 0;
	while (col < sym->width) {
		bool dark = module_set(sym, 0, col);
		int run = 0;

		while (col < sym->width && module_set(sym, 0, col) == dark) {
			run++;
			col++;
		}
		if (run > 4 || (o == 0 && !dark)) {
			api_fail(err, ERR_INTERNAL, "impb encoder returned an unexpected pattern");
			goto out;
		}
		if (o + 1 >= len) {
			api_fail(err, ERR_INTERNAL, "impb module buffer too small");
			goto out;
		}
		modules[o++] = (char)('0' + run);
	}
	modules[o] = '\0';
	rc = 0;
out:
	if (rc < 0 && len)
		modules[0] = '\0';
	ZBarcode_Delete(sym);
	return rc;
}
