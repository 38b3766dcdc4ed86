/* test_common_utf8.c: the shared UTF-8 functions (common/utf8.h): a table
 * of well-formed and ill-formed sequences, every lead and second byte
 * against a naive decoder, and encode/decode round trips over all code
 * points. */
#include "check.h"
#include "../../common/utf8.h"

#include <utf8proc.h>

struct sequence_case {
	const char *bytes;
	size_t len;          /* bytes available */
	size_t expect_len;   /* 0: invalid */
	uint32_t expect_cp;  /* when valid */
	int truncated;       /* vigil_utf8_is_truncated */
	const char *what;
};

static const struct sequence_case cases[] = {
	{ "A", 1, 1, 0x41, 0, "ASCII" },
	{ "\0", 1, 1, 0x00, 0, "U+0000 as one byte" },
	{ "\x7F", 1, 1, 0x7F, 0, "last one-byte" },
	{ "\xC2\x80", 2, 2, 0x80, 0, "first two-byte" },
	{ "\xD0\xB0", 2, 2, 0x430, 0, "Cyrillic a" },
	{ "\xDF\xBF", 2, 2, 0x7FF, 0, "last two-byte" },
	{ "\xE0\xA0\x80", 3, 3, 0x800, 0, "first three-byte" },
	{ "\xD2\x9B", 2, 2, 0x49B, 0, "Kazakh qa" },
	{ "\xE2\x82\xAC", 3, 3, 0x20AC, 0, "euro sign" },
	{ "\xED\x9F\xBF", 3, 3, 0xD7FF, 0, "just below the surrogates" },
	{ "\xEE\x80\x80", 3, 3, 0xE000, 0, "just above the surrogates" },
	{ "\xEF\xBF\xBD", 3, 3, 0xFFFD, 0, "replacement character" },
	{ "\xEF\xBF\xBF", 3, 3, 0xFFFF, 0, "last three-byte" },
	{ "\xF0\x90\x80\x80", 4, 4, 0x10000, 0, "first four-byte" },
	{ "\xF0\x9F\x98\x80", 4, 4, 0x1F600, 0, "emoji" },
	{ "\xF4\x8F\xBF\xBF", 4, 4, 0x10FFFF, 0, "U+10FFFF" },
	{ "A\xD0\xB0", 3, 1, 0x41, 0, "only the first sequence" },
	/* overlong forms */
	{ "\xC0\x80", 2, 0, 0, 0, "overlong U+0000" },
	{ "\xC1\xBF", 2, 0, 0, 0, "overlong U+007F" },
	{ "\xE0\x80\x80", 3, 0, 0, 0, "overlong three-byte U+0000" },
	{ "\xE0\x9F\xBF", 3, 0, 0, 0, "overlong three-byte U+07FF" },
	{ "\xF0\x80\x80\x80", 4, 0, 0, 0, "overlong four-byte U+0000" },
	{ "\xF0\x8F\xBF\xBF", 4, 0, 0, 0, "overlong four-byte U+FFFF" },
	/* surrogates */
	{ "\xED\xA0\x80", 3, 0, 0, 0, "U+D800" },
	{ "\xED\xBF\xBF", 3, 0, 0, 0, "U+DFFF" },
	{ "\xED\xA0\x80\xED\xB0\x80", 6, 0, 0, 0, "CESU-8 surrogate pair" },
	/* over U+10FFFF */
	{ "\xF4\x90\x80\x80", 4, 0, 0, 0, "U+110000" },
	{ "\xF5\x80\x80\x80", 4, 0, 0, 0, "lead F5" },
	{ "\xF7\xBF\xBF\xBF", 4, 0, 0, 0, "U+1FFFFF" },
	{ "\xF8\x88\x80\x80\x80", 5, 0, 0, 0, "five-byte form" },
	{ "\xFE", 1, 0, 0, 0, "FE" },
	{ "\xFF", 1, 0, 0, 0, "FF" },
	/* truncated: by the end of the input, or by a byte that is not a continuation */
	{ "\xD0", 1, 0, 0, 1, "two-byte, end after lead" },
	{ "\xE2\x82", 2, 0, 0, 1, "three-byte, end after two" },
	{ "\xE2", 1, 0, 0, 1, "three-byte, end after lead" },
	{ "\xF0\x9F\x98", 3, 0, 0, 1, "four-byte, end after three" },
	{ "\xE2\x82\xAC", 2, 0, 0, 1, "euro sign, two available" },
	{ "\xD0" "A", 2, 0, 0, 0, "two-byte cut by ASCII" },
	{ "\xE2\x82" "A", 3, 0, 0, 0, "three-byte cut by ASCII" },
	{ "\xE2\x82\0", 3, 0, 0, 0, "three-byte cut by NUL" },
	{ "\xF0\x9F\x98" "A", 4, 0, 0, 0, "four-byte cut by ASCII" },
	{ "\xD0\xD0\xB0", 3, 0, 0, 0, "two-byte cut by a lead byte" },
	{ "\xE0\x80", 2, 0, 0, 0, "prefix of an overlong is not truncated" },
	{ "\xED\xA0", 2, 0, 0, 0, "prefix of a surrogate is not truncated" },
	{ "\xF4\x90", 2, 0, 0, 0, "prefix over U+10FFFF is not truncated" },
	{ "\xC0", 1, 0, 0, 0, "C0 starts nothing" },
	{ "", 0, 0, 0, 0, "nothing available" },
	/* continuation bytes alone */
	{ "\x80", 1, 0, 0, 0, "lone 80" },
	{ "\xBF", 1, 0, 0, 0, "lone BF" },
	{ "\x80\x80\x80", 3, 0, 0, 0, "run of continuation bytes" },
};

static void table(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct sequence_case *c = &cases[i];
		const unsigned char *p = (const unsigned char *)c->bytes;
		uint32_t cp = 12345;
		size_t len = vigil_utf8_sequence_length(p, c->len);
		size_t decoded = vigil_utf8_decode(p, c->len, &cp);
		int truncated = vigil_utf8_is_truncated(p, c->len);
		int ok = len == c->expect_len && decoded == c->expect_len &&
			 cp == (c->expect_len ? c->expect_cp : 0xFFFD) && truncated == c->truncated &&
			 vigil_utf8_valid(c->bytes, c->expect_len ? c->expect_len : c->len) ==
				 (c->expect_len != 0 || c->len == 0);

		if (!ok)
			fprintf(stderr, "FAIL case \"%s\": length %zu decode %zu U+%04X truncated %d\n",
				c->what, len, decoded, (unsigned)cp, truncated);
		CHECK(ok);
	}
}

/* Independent of utf8.c: decode by arithmetic, then refuse what the
 * standard refuses by the value. */
static size_t naive_length(const unsigned char *p)
{
	size_t n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0)
		n = 2, cp = p[0] & 0x1Fu;
	else if ((p[0] & 0xF0) == 0xE0)
		n = 3, cp = p[0] & 0x0Fu;
	else if ((p[0] & 0xF8) == 0xF0)
		n = 4, cp = p[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3Fu);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/* Every lead byte with every second byte, the rest 80 or BF: the lead and
 * second byte are where all the rules are. */
static void every_lead_and_second_byte(void)
{
	size_t mismatches = 0;

	for (unsigned lead = 0; lead < 256; lead++) {
		for (unsigned second = 0; second < 256; second++) {
			for (unsigned tail = 0x80; tail <= 0xBF; tail += 0x3F) {
				unsigned char p[4] = { (unsigned char)lead, (unsigned char)second,
						       (unsigned char)tail, (unsigned char)tail };
				size_t expect = naive_length(p);

				if (vigil_utf8_sequence_length(p, 4) != expect ||
				    vigil_utf8_valid((const char *)p, expect ? expect : 4) !=
					    (expect != 0)) {
					if (mismatches++ < 5)
						fprintf(stderr, "FAIL %02X %02X %02X: expected %zu\n",
							lead, second, tail, expect);
				}
			}
		}
	}
	CHECK(mismatches == 0);
}

static size_t expected_width(uint32_t cp)
{
	return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

static void round_trip_all_code_points(void)
{
	size_t mismatches = 0;

	for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
		char out[4];
		uint32_t back = 0;
		size_t n = vigil_utf8_encode(cp, out);
		int surrogate = cp >= 0xD800 && cp <= 0xDFFF;
		size_t m = vigil_utf8_decode((const unsigned char *)out, n, &back);
		int ok = surrogate ? n == 3 && memcmp(out, "\xEF\xBF\xBD", 3) == 0
				   : n == expected_width(cp) && m == n && back == cp &&
					     vigil_utf8_valid(out, n) &&
					     !vigil_utf8_is_truncated((const unsigned char *)out, n);

		/* Every proper prefix of a valid sequence is a truncated one. */
		for (size_t k = 1; ok && !surrogate && k < n; k++)
			ok = vigil_utf8_is_truncated((const unsigned char *)out, k) &&
			     vigil_utf8_sequence_length((const unsigned char *)out, k) == 0;
		if (!ok && mismatches++ < 5)
			fprintf(stderr, "FAIL round trip U+%04X\n", (unsigned)cp);
	}
	CHECK(mismatches == 0);
}

static void encode_out_of_range(void)
{
	char out[4];

	CHECK(vigil_utf8_encode(0x110000, out) == 3 && memcmp(out, "\xEF\xBF\xBD", 3) == 0);
	CHECK(vigil_utf8_encode(0xFFFFFFFFu, out) == 3 && memcmp(out, "\xEF\xBF\xBD", 3) == 0);
}

static void strings(void)
{
	CHECK(vigil_utf8_count_chars(NULL) == 0);
	CHECK(vigil_utf8_count_chars("") == 0);
	CHECK(vigil_utf8_count_chars("abc") == 3);
	CHECK(vigil_utf8_count_chars("\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82") == 6);
	CHECK(vigil_utf8_count_chars("a\xE2\x82\xAC\xF0\x9F\x98\x80") == 3);
	CHECK(vigil_utf8_valid("", 0));
	CHECK(vigil_utf8_valid("caf\xC3\xA9 \xD0\xB0\0b", 10));
	CHECK(!vigil_utf8_valid("caf\xE9", 4));
	CHECK(!vigil_utf8_valid("ok \xC3", 4));
	CHECK(!vigil_utf8_valid("\xC3\xA9\x80", 3));
}

/* Decomposed letters as some keyboards and CMSs write them become the
 * precomposed ones the same word has when typed normally. */
static void nfc(void)
{
	char *out = NULL;

	/* Kazakh/Russian й: и + combining breve */
	CHECK(vigil_utf8_nfc("\xD0\xB8\xCC\x86", &out) == 0);
	CHECK_STR(out, "\xD0\xB9");
	free(out);
	/* Vietnamese "Việt": e + dot below + circumflex -> ệ (U+1EC7) */
	CHECK(vigil_utf8_nfc("Vie\xCC\xA3\xCC\x82t", &out) == 0);
	CHECK_STR(out, "Vi\xE1\xBB\x87t");
	free(out);
	/* Bengali o-kar: e-kar (U+09C7) + aa-kar (U+09BE) -> U+09CB */
	CHECK(vigil_utf8_nfc("\xE0\xA6\x95\xE0\xA7\x87\xE0\xA6\xBE", &out) == 0);
	CHECK_STR(out, "\xE0\xA6\x95\xE0\xA7\x8B");
	free(out);
	/* Hangul jamo ᄒ + ᅡ + ᆫ -> 한 */
	CHECK(vigil_utf8_nfc("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", &out) == 0);
	CHECK_STR(out, "\xED\x95\x9C");
	free(out);
	/* NFC text and ASCII are unchanged; so is a compatibility character
	 * (NFC is not NFKC: the "ﬁ" ligature stays) */
	CHECK(vigil_utf8_nfc("plain \xD2\x9B\xD0\xB0\xD0\xB7\xD0\xB0\xD2\x9B \xEF\xAC\x81", &out) == 0);
	CHECK_STR(out, "plain \xD2\x9B\xD0\xB0\xD0\xB7\xD0\xB0\xD2\x9B \xEF\xAC\x81");
	free(out);
	CHECK(vigil_utf8_nfc("", &out) == 0);
	CHECK_STR(out, "");
	free(out);
	/* not UTF-8: refused, not guessed */
	CHECK(vigil_utf8_nfc("caf\xE9 \xCC\x81", &out) == -1);
	CHECK(out == NULL);
}

/* Text of characters NFC leaves alone is copied without the library's
 * pass; whatever comes after such characters is still normalised, and the
 * copy agrees with the library for every character up to U+20FF. */
static void nfc_fast_path(void)
{
	char *out = NULL;
	size_t disagree = 0;

	/* quotes, dash, Cyrillic, currency: unchanged */
	CHECK(vigil_utf8_nfc("\xC2\xAB\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\xC2\xBB "
			     "\xE2\x80\x94 \xE2\x80\x9Cok\xE2\x80\x9D \xE2\x82\xB8", &out) == 0);
	CHECK_STR(out, "\xC2\xAB\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\xC2\xBB "
		       "\xE2\x80\x94 \xE2\x80\x9Cok\xE2\x80\x9D \xE2\x82\xB8");
	free(out);
	/* a combining accent after them: composed ("café") */
	CHECK(vigil_utf8_nfc("\xE2\x80\x9C\xD0\xB0 cafe\xCC\x81", &out) == 0);
	CHECK_STR(out, "\xE2\x80\x9C\xD0\xB0 caf\xC3\xA9");
	free(out);
	/* U+2000 EN QUAD is not left alone: NFC makes it U+2002 */
	CHECK(vigil_utf8_nfc("a\xE2\x80\x80" "b", &out) == 0);
	CHECK_STR(out, "a\xE2\x80\x82" "b");
	free(out);
	for (utf8proc_int32_t cp = 1; cp < 0x2100; cp++) {
		utf8proc_uint8_t text[8], *library = NULL;
		utf8proc_ssize_t n = utf8proc_encode_char(cp, text);

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		text[n] = 'a';
		text[n + 1] = '\0';
		if (vigil_utf8_nfc((const char *)text, &out) != 0 ||
		    utf8proc_map(text, 0, &library, UTF8PROC_NULLTERM | UTF8PROC_STABLE |
							UTF8PROC_COMPOSE) < 0 ||
		    strcmp(out, (const char *)library) != 0)
			disagree++;
		free(out);
		free(library);
		out = NULL;
	}
	CHECK(disagree == 0);
}

int main(void)
{
	table();
	every_lead_and_second_byte();
	round_trip_all_code_points();
	encode_out_of_range();
	strings();
	nfc();
	nfc_fast_path();
	CHECK_DONE();
}
