// SPDX-License-Identifier: AGPL-3.0-or-later
/* Ids, keys and hashes: thin wrappers over OpenSSL's CSPRNG and SHA-256. */
#include "core/ids.h"
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>

static void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int ids_random_hex(const char *prefix, size_t nbytes, char *out, size_t outlen)
{
	unsigned char buf[64];
	size_t plen = strlen(prefix);
	if (nbytes > sizeof(buf) || plen + 2 * nbytes + 1 > outlen)
		return -1;
	if (RAND_bytes(buf, (int)nbytes) != 1)
		return -1;
	memcpy(out, prefix, plen);
	hex_encode(buf, nbytes, out + plen);
	return 0;
}

int ids_new(const char *prefix, char *out, size_t outlen)
{
	return ids_random_hex(prefix, 8, out, outlen);
}

void ids_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	hex_encode(md, 32, out);
}
