/* sha1.c: SHA-1 (FIPS 180-4) for WARC payload digests. Not for security:
 * WARC-Payload-Digest is conventionally SHA-1 in base32, and we use it to
 * recognise identical payloads. */
#include "vigil.h"

#include <string.h>

struct sha1 {
	uint32_t state[5];
	uint64_t length;
	unsigned char block[64];
	size_t used;
};

static uint32_t rol(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void sha1_block(struct sha1 *s, const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = s->state[0]; b = s->state[1]; c = s->state[2]; d = s->state[3]; e = s->state[4];
	for (i = 0; i < 80; i++) {
		uint32_t f, k;
		if (i < 20) { f = (b & c) | (~b & d); k = 0x5A827999; }
		else if (i < 40) { f = b ^ c ^ d; k = 0x6ED9EBA1; }
		else if (i < 60) { f = (b & c) | (b & d) | (c & d); k = 0x8F1BBCDC; }
		else { f = b ^ c ^ d; k = 0xCA62C1D6; }
		t = rol(a, 5) + f + e + k + w[i];
		e = d; d = c; c = rol(b, 30); b = a; a = t;
	}
	s->state[0] += a; s->state[1] += b; s->state[2] += c; s->state[3] += d; s->state[4] += e;
}

static void sha1_update(struct sha1 *s, const unsigned char *p, size_t len)
{
	s->length += len;
	while (len) {
		size_t take = 64 - s->used;
		if (take > len)
			take = len;
		memcpy(s->block + s->used, p, take);
		s->used += take;
		p += take;
		len -= take;
		if (s->used == 64) {
			sha1_block(s, s->block);
			s->used = 0;
		}
	}
}

static void sha1_final(struct sha1 *s, unsigned char out[20])
{
	uint64_t bits = s->length * 8;
	unsigned char pad = 0x80, zero = 0, len[8];
	int i;

	sha1_update(s, &pad, 1);
	while (s->used != 56)
		sha1_update(s, &zero, 1);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_update(s, len, 8);
	for (i = 0; i < 20; i++)
		out[i] = (unsigned char)(s->state[i / 4] >> (24 - 8 * (i % 4)));
}

void vigil_sha1_digest(const void *data, size_t len, char out[38])
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	struct sha1 s = { { 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0 }, 0, { 0 }, 0 };
	unsigned char hash[20];
	int bit, o = 0;

	sha1_update(&s, data, len);
	sha1_final(&s, hash);
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
