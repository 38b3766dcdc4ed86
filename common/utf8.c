/*
 * utf8.c: validating, decoding and encoding UTF-8 (see utf8.h).
 *
 * The lead byte gives the length; the only other rule is the allowed range
 * of the second byte, which is where overlong forms (E0 80..9F, F0
 * 80..8F), surrogates (ED A0..BF) and values over U+10FFFF (F4 90..BF)
 * show, so checking it there needs no decoding (Unicode table 3-7).
 */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

/* Expected length for lead byte c and the allowed range of the second
 * byte; 0 for bytes that never start a sequence (80-C1, F5-FF). */
static size_t lead_length(unsigned char c, unsigned char *second_min, unsigned char *second_max)
{
	*second_min = 0x80;
	*second_max = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF) {
		if (c == 0xE0)
			*second_min = 0xA0;
		else if (c == 0xED)
			*second_max = 0x9F;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (c == 0xF0)
			*second_min = 0x90;
		else if (c == 0xF4)
			*second_max = 0x8F;
		return 4;
	}
	return 0;
}

/* How many of p[0..limit) fit the sequence begun by a lead byte, stopping
 * at the first byte that does not; limit is at most the expected length. */
static size_t matching_prefix(const unsigned char *p, size_t limit, unsigned char second_min,
			      unsigned char second_max)
{
	size_t i = 1;

	if (i < limit && (p[1] < second_min || p[1] > second_max))
		return 1;
	for (; i < limit; i++)
		if ((p[i] & 0xC0) != 0x80)
			break;
	return i;
}

size_t vigil_utf8_sequence_length(const unsigned char *p, size_t available)
{
	unsigned char second_min, second_max;
	size_t need;

	if (available == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	need = lead_length(p[0], &second_min, &second_max);
	if (need == 0 || available < need)
		return 0;
	return matching_prefix(p, need, second_min, second_max) == need ? need : 0;
}

size_t vigil_utf8_decode(const unsigned char *p, size_t available, uint32_t *codepoint)
{
	static const unsigned char lead_mask[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	size_t n = vigil_utf8_sequence_length(p, available);
	uint32_t cp;

	if (n == 0) {
		*codepoint = 0xFFFD;
		return 0;
	}
	cp = p[0] & lead_mask[n];
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (p[i] & 0x3F);
	*codepoint = cp;
	return n;
}

size_t vigil_utf8_encode(uint32_t codepoint, char out[4])
{
	uint32_t c = codepoint;

	if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		c = 0xFFFD;
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | (c >> 6 & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | (c >> 12 & 0x3F));
	out[2] = (char)(0x80 | (c >> 6 & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

int vigil_utf8_is_truncated(const unsigned char *p, size_t available)
{
	unsigned char second_min, second_max;
	size_t need;

	if (available == 0)
		return 0;
	need = lead_length(p[0], &second_min, &second_max);
	if (need == 0 || available >= need)
		return 0;
	return matching_prefix(p, available, second_min, second_max) == available;
}

size_t vigil_utf8_count_chars(const char *text)
{
	size_t count = 0;

	for (const unsigned char *s = (const unsigned char *)text; s && *s; s++)
		count += (*s & 0xC0) != 0x80;
	return count;
}

size_t vigil_utf8_count_chars_n(const char *text, size_t len)
{
	size_t count = 0;

	for (size_t i = 0; text && i < len; i++)
		count += ((unsigned char)text[i] & 0xC0) != 0x80;
	return count;
}

int vigil_utf8_valid(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0;

	while (i < len) {
		size_t n = vigil_utf8_sequence_length(p + i, len - i);

		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/*
 * Characters that NFC leaves alone whatever stands around them: combining
 * class 0, their own NFC form, and no two of them compose (checked for
 * every pair against libutf8proc when the list was made). Latin up to
 * U+02FF, Cyrillic, general punctuation from U+2002 (U+2000 and U+2001
 * become U+2002 and U+2003) and currency signs: the text of most pages,
 * curly quotes and dashes included.
 */
static int nfc_stable(uint32_t cp)
{
	return cp < 0x300 || (cp >= 0x400 && cp <= 0x482) || (cp >= 0x48A && cp <= 0x52F) ||
	       (cp >= 0x2002 && cp <= 0x206F) || (cp >= 0x20A0 && cp <= 0x20BF);
}

int vigil_utf8_nfc(const char *text, char **out)
{
	const unsigned char *p = (const unsigned char *)text;
	utf8proc_uint8_t *mapped = NULL;
	utf8proc_ssize_t len;

	*out = NULL;
	/* Text of these characters is NFC already, and most pages are:
	 * skip the library's decompose-and-recompose pass */
	while (*p) {
		uint32_t cp;
		size_t n;

		if (*p < 0xC0) {
			p++;
			continue;
		}
		n = vigil_utf8_decode(p, SIZE_MAX, &cp);
		if (!n || !nfc_stable(cp))
			break;
		p += n;
	}
	if (!*p) {
		*out = strdup(text);
		return *out ? 0 : -1;
	}
	len = utf8proc_map((const utf8proc_uint8_t *)text, 0, &mapped,
			   UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (len < 0)
		return -1;
	*out = (char *)mapped;
	return 0;
}
