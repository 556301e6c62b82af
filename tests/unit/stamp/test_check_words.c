// SPDX-License-Identifier: AGPL-3.0-or-later
/* Check amounts in words and figures: the wording banks expect, every range, bad input. */
#include "stamp/check_words.h"
#include "test.h"

static void words(long long cents, const char *want)
{
	char out[CHECK_WORDS_MAX];
	struct api_error err;
	int rc = check_amount_words(cents, out, sizeof(out), &err);
	CHECK_INT(rc, 0, "%lld cents in words", cents);
	CHECK_STR(out, want, "%lld cents", cents);
}

static void figures(long long cents, const char *want)
{
	char out[48];
	struct api_error err;
	int rc = check_amount_figures(cents, out, sizeof(out), &err);
	CHECK_INT(rc, 0, "%lld cents in figures", cents);
	CHECK_STR(out, want, "%lld cents", cents);
}

int main(void)
{
	words(123456, "One Thousand Two Hundred Thirty-Four and 56/100");
	words(0, "Zero and 00/100");
	words(5, "Zero and 05/100");
	words(100, "One and 00/100");
	words(1100, "Eleven and 00/100");
	words(1900, "Nineteen and 00/100");
	words(2000, "Twenty and 00/100");
	words(2199, "Twenty-One and 99/100");
	words(10000, "One Hundred and 00/100");
	words(10500, "One Hundred Five and 00/100");
	words(100000, "One Thousand and 00/100");
	words(100100, "One Thousand One and 00/100");
	words(1001000, "Ten Thousand Ten and 00/100");
	words(100000000, "One Million and 00/100");
	words(100000100, "One Million One and 00/100");
	words(99999999, "Nine Hundred Ninety-Nine Thousand Nine Hundred Ninety-Nine and 99/100");
	words(700001200, "Seven Million Twelve and 00/100");
	words(100000000000LL, "One Billion and 00/100");
	words(99999999999999LL, "Nine Hundred Ninety-Nine Billion Nine Hundred Ninety-Nine Million "
	      "Nine Hundred Ninety-Nine Thousand Nine Hundred Ninety-Nine and 99/100");
	figures(123456, "1,234.56");
	figures(0, "0.00");
	figures(5, "0.05");
	figures(99999, "999.99");
	figures(100000, "1,000.00");
	figures(99999999, "999,999.99");
	figures(123456789012LL, "1,234,567,890.12");

	char out[CHECK_WORDS_MAX];
	struct api_error err;
	CHECK_INT(check_amount_words(-1, out, sizeof(out), &err), -1, "negative amounts fail");
	CHECK_INT(err.kind, ERR_INVALID, "as invalid");
	CHECK_STR(out, "", "and leave no words");
	CHECK_INT(check_amount_words(CHECK_MAX_CENTS + 1, out, sizeof(out), &err), -1,
		  "amounts past the maximum fail");
	CHECK_INT(check_amount_figures(-5, out, sizeof(out), &err), -1, "negative figures fail");
	char small[12];
	CHECK_INT(check_amount_words(123456, small, sizeof(small), &err), -1,
		  "a buffer too small fails");
	CHECK_INT(err.kind, ERR_INTERNAL, "as an internal error");
	CHECK_STR(small, "", "and leaves it empty");
	CHECK_INT(check_amount_figures(123456, small, 5, &err), -1, "figures too: small buffer");
	CHECK_INT(check_amount_words(1, NULL, 0, &err), -1, "no buffer");
	return test_done();
}
