// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Customer PDFs (pdf/pdf_inspect.c, pdf_fonts.c, pdf_util.c on MuPDF): pdf_inspect, then
 * pdf_check against a letter's rules (8.5"x11", 1 to 60 pages), as a letter's `file` goes.
 * The results must be sane (sizes finite, not negative, font labels terminated) and a refusal
 * must carry a UTF-8 message. MuPDF's store (its cache of fonts, images and objects) is
 * emptied after each run, so no run sees another's objects.
 * MuPDF itself comes from Debian uninstrumented: coverage counts Frank's code only; ASan
 * still sees MuPDF's heap through malloc and free.
 */
#include "fuzz.h"
#include "core/log.h"
#include "pdf/fz.h"
#include "pdf/pdf_inspect.h"
#include <math.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	log_set_level(LOG_ERROR);	/* MuPDF's complaints about broken files are routine */
	FUZZ_ASSERT(frank_fz() != NULL, "MuPDF did not start");
	return 0;
}

static void check_info(const struct pdf_info *info)
{
	unsigned sized = info->pages < PDF_INFO_MAX_PAGES ? info->pages : PDF_INFO_MAX_PAGES;
	for (unsigned p = 0; p < sized; p++)
		FUZZ_ASSERT(isfinite(info->size[p].width_in) && isfinite(info->size[p].height_in) &&
				    info->size[p].width_in >= 0 && info->size[p].height_in >= 0,
			    "a page size is not a number of 0 or more");
	FUZZ_ASSERT(info->n_unembedded <= PDF_INFO_MAX_FONTS, "too many fonts recorded");
	for (size_t i = 0; i < info->n_unembedded; i++)
		FUZZ_ASSERT(memchr(info->unembedded[i], '\0', PDF_FONT_NAME_MAX) != NULL,
			    "a font label is not terminated");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdf_info info;
	struct api_error err = { 0 };
	if (pdf_inspect(data, size, &info, &err) == 0) {
		FUZZ_ASSERT(info.needs_password || info.pages >= 1, "an inspected PDF has no pages");
		check_info(&info);
	} else {
		fuzz_check_error(&err);
	}
	const struct pdf_expect letter = { .width_in = 8.5, .height_in = 11, .tolerance_in = 0.05,
					   .min_pages = 1, .max_pages = 60,
					   .max_bytes = 5 << 20 };
	if (pdf_check(data, size, &letter, &info, &err) == 0) {
		FUZZ_ASSERT(info.pages >= 1 && info.pages <= 60, "a checked PDF has a page count out of range");
		FUZZ_ASSERT(!info.encrypted && info.n_unembedded == 0, "a checked PDF broke a rule");
		check_info(&info);
	} else {
		fuzz_check_error(&err);
	}
	fz_empty_store(frank_fz());
	return 0;
}
