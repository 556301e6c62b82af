// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The mail room's settings as frankd checks them at start: the 3877's sender address, the
 * permit, the press sheet and the inserter marks; a setting that does not parse names its
 * flag.
 */
#include <string.h>
#include "production/runs.h"
#include "test.h"

static int room(struct runs_config c, struct mail_room *out, struct api_error *err)
{
	return runs_mail_room(&c, out, err);
}

int main(void)
{
	struct mail_room r;
	struct api_error err;
	CHECK(room((struct runs_config){ 0 }, &r, &err) == 0, "nothing set: the defaults");
	CHECK(r.marks == PRINT_MARKS_DATAMATRIX && r.sheet_w_in == 0 && r.sheet_h_in == 0 &&
	      !r.has_permit, "defaults: DataMatrix marks, printfile's sheet, no permit");

	CHECK(room((struct runs_config){ .press_sheet = "13x19", .inserter_marks = "omr" }, &r,
		   &err) == 0, "13x19 and omr accepted");
	CHECK(r.sheet_w_in == 13 && r.sheet_h_in == 19 && r.marks == PRINT_MARKS_OMR,
	      "13 x 19 in, OMR (%g x %g)", r.sheet_w_in, r.sheet_h_in);
	CHECK(room((struct runs_config){ .press_sheet = "19X25", .inserter_marks = "none" }, &r,
		   &err) == 0 && r.sheet_w_in == 19 && r.sheet_h_in == 25 &&
	      r.marks == PRINT_MARKS_NONE, "19X25 and none accepted");

	static const char *bad_sheets[] = { "12x", "12 by 18", "12 x 18", "3x5", "12x18in", "48x48", "x18" };
	for (size_t i = 0; i < sizeof(bad_sheets) / sizeof(bad_sheets[0]); i++)
		CHECK(room((struct runs_config){ .press_sheet = bad_sheets[i] }, &r, &err) < 0 &&
		      strstr(err.message, "--press-sheet"), "press sheet \"%s\" refused naming "
		      "the flag", bad_sheets[i]);
	CHECK(room((struct runs_config){ .inserter_marks = "barcode" }, &r, &err) < 0 &&
	      strstr(err.message, "--inserter-marks") && strstr(err.message, "barcode"),
	      "unknown marks refused naming the flag and the value: %s", err.message);

	CHECK(room((struct runs_config){ .mailer_name = "Acme", .mailer_address =
				   "185 Berry St, San Francisco, CA 94107", .permit =
				   "1234, San Francisco, CA" }, &r, &err) == 0,
	      "a sender and a permit");
	CHECK_STR(r.sender.address_line1, "185 Berry St", "the sender's street");
	CHECK_STR(r.sender.zip, "94107", "the sender's ZIP");
	CHECK(r.has_permit, "the permit imprint");
	CHECK_STR(r.imprint.permit_number, "1234", "the permit number");
	CHECK(room((struct runs_config){ .permit = "1234 San Francisco CA" }, &r, &err) < 0 &&
	      strstr(err.message, "--permit"), "a permit without commas refused");
	return test_done();
}
