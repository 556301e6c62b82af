/* core/parse: the number and digit helpers, and the ABA routing-number checksum. */
#include "core/parse.h"
#include "test.h"

static void test_aba(void)
{
	/* published routing numbers (Lob's example, JPMorgan Chase NY, Bank of America CA, the
	 * Federal Reserve Bank of Boston) pass; one changed digit or a wrong length fails */
	static const char *const valid[] = { "322271627", "021000021", "121000358", "011000015" };
	static const char *const invalid[] = { "322271626", "021000012", "12100035", "1210003580",
					       "12100035a", "", "000000001" };
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		CHECK(aba_routing_valid(valid[i]), "ABA checksum accepts %s", valid[i]);
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		CHECK(!aba_routing_valid(invalid[i]), "ABA checksum refuses \"%s\"", invalid[i]);
	CHECK(!aba_routing_valid(NULL), "ABA checksum refuses NULL");
}

static void test_parse_ulong(void)
{
	unsigned long v;
	CHECK_INT(parse_ulong("150", 1000, &v), 0, "parse_ulong accepts digits");
	CHECK_INT(v, 150, "parse_ulong value");
	CHECK_INT(parse_ulong("1001", 1000, &v), -1, "parse_ulong refuses above the maximum");
	CHECK_INT(parse_ulong("-1", 1000, &v), -1, "parse_ulong refuses a sign");
	CHECK_INT(parse_ulong("", 1000, &v), -1, "parse_ulong refuses empty text");
	CHECK_INT(parse_ulong("12x", 1000, &v), -1, "parse_ulong refuses trailing text");
}

int main(void)
{
	test_aba();
	test_parse_ulong();
	return test_done();
}
