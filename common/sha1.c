/* sha1.c: SHA-1 for WARC digests, in the "sha1:BASE32" form. Not for
 * security: WARC-Payload-Digest is conventionally SHA-1 in base32, and we
 * use it to recognise identical payloads. The hashing itself is libcrypto's
 * (already linked by libcurl): it uses the CPU's SHA extensions where there
 * are any, about 10x the hand-written version this file used to hold, which
 * was 15% of a crawl's CPU in a perf profile. */
#include "vigil.h"

#include <openssl/sha.h>
#include <string.h>

void vigil_sha1_digest(const void *data, size_t len, char out[38])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char hash[SHA_DIGEST_LENGTH];
	int bit, o = 0;

	/* The one-shot SHA1() cannot fail (unlike EVP_Digest, it allocates
	 * nothing), so the digest stays a void function. */
	SHA1(data, len, hash);
	memcpy(out, "sha1:", 5);
	o = 5;
	/* 160 bits = 32 base32 characters, no padding. */
	for (bit = 0; bit < 160; bit += 5) {
		int byte = bit / 8, shift = bit % 8;
		unsigned v = (unsigned)hash[byte] << 8 | (byte + 1 < 20 ? hash[byte + 1] : 0);
		out[o++] = alphabet[(v >> (11 - shift)) & 31];
	}
	out[o] = '\0';
}
