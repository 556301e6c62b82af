// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * Webhook signing and retry schedule. The signature vector was computed independently:
 *   printf '%s' '1600000000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac whsec_test
 */
#include "events/webhooks.h"
#include "test.h"

int main(void)
{
	char sig[WEBHOOK_SIGNATURE_HEX + 1];
	const char *body = "{\"id\":\"evt_1\"}";
	webhook_signature("whsec_test", "1600000000000", body, strlen(body), sig);
	CHECK_STR(sig, "5c994c4e34eaa2ad42de8b13fec54f6761fee759f31c6fee03c4d4e9407276d3",
		  "Lob-Signature = hex HMAC-SHA256(secret, timestamp \".\" body)");
	webhook_signature("whsec_other", "1600000000000", body, strlen(body), sig);
	CHECK(strcmp(sig, "5c994c4e34eaa2ad42de8b13fec54f6761fee759f31c6fee03c4d4e9407276d3") != 0,
	      "another secret signs differently");

	/* 60 s doubling, ±20% jitter, capped at 6 h */
	long long d1 = webhook_backoff_ms(60000, 1, 0), d1b = webhook_backoff_ms(60000, 1, 999999);
	CHECK(d1 >= 48000 && d1 <= 72000 && d1b >= 48000 && d1b <= 72000, "first retry near a minute");
	long long d4 = webhook_backoff_ms(60000, 4, 12345);
	CHECK(d4 >= 384000 && d4 <= 576000, "fourth retry near 8 minutes (%lld)", d4);
	long long d30 = webhook_backoff_ms(60000, 30, 7);
	CHECK(d30 <= 6LL * 3600 * 1000 * 12 / 10 && d30 >= 6LL * 3600 * 1000 * 8 / 10,
	      "the delay is capped near 6 hours");
	/* over 3 days at the cap, an endpoint is retried at least a dozen times */
	long long t = 0;
	unsigned n = 0;
	while (t < WEBHOOK_RETRY_WINDOW_MS) {
		n++;
		t += webhook_backoff_ms(60000, n, n * 7919u);
	}
	CHECK(n >= 15, "%u attempts within the 3-day window", n);
	return test_done();
}
