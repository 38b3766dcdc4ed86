/*
 * stem.c: the light stemmer behind full-text search, and the caseless form
 * of labels. Russian first, Kazakh second, English third (domain.md).
 *
 * Not Snowball: one pass strips the longest ending from a fixed list that
 * leaves at least three letters. The same function stems the indexed text
 * and the query, and queries are prefix matches, so a form whose stem comes
 * out a little longer ("павлодарск") is still found by a shorter one
 * ("павлодар"). Verb endings are left alone on purpose: "-ал", "-ат", "-ет"
 * end too many nouns ("материал", "адвокат", "бюджет") whose other forms
 * would then stem differently.
 */
#include "archive_int.h"

#include <stdlib.h>
#include <string.h>

/* Longer words are cut: they are URLs or noise, not Russian nouns. */
#define STEM_WORD_MAX 64
#define STEM_MIN_CHARS 3

/* Lowercase for the scripts we meet; ё folds to е so that "ёлка" written
 * with or without the dots compares equal. */
static uint32_t fold_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c < 0x80)
		return c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c == 0x130)
		return 'i';
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	if (c >= 0x400 && c <= 0x40F)
		c += 0x50;
	else if (c >= 0x410 && c <= 0x42F)
		c += 0x20;
	else if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
		 (c >= 0x4D0 && c <= 0x52F))
		c |= 1;
	else if (c == 0x4C0)
		c = 0x4CF;
	else if (c >= 0x4C1 && c <= 0x4CE)
		c = (c & 1) ? c + 1 : c;
	if (c == 0x451)
		c = 0x435;
	return c;
}

/* Marks that sit inside a word without being letters: combining accents
 * (stress marks in Russian texts) and the soft hyphen. Dropped from stems. */
static int is_silent(uint32_t c)
{
	return (c >= 0x300 && c <= 0x36F) || c == 0xAD || c == 0x483 || c == 0x484 ||
	       c == 0x485 || c == 0x486 || c == 0x487;
}

int archive_silent_mark(uint32_t c)
{
	return is_silent(c);
}

static int is_word_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	if (c < 0xC0)
		return c == 0xAA || c == 0xB5 || c == 0xBA || c == 0xAD;
	if (c == 0xD7 || c == 0xF7)
		return 0;
	if (c < 0x530)
		return c < 0x2B0 || c >= 0x300;
	/* Everything past Cyrillic counts as letters except punctuation and
	 * symbol blocks, private use, specials and emoji. */
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x2E00 && c <= 0x2E7F) ||
	    (c >= 0x3000 && c <= 0x303F) || (c >= 0xE000 && c <= 0xF8FF) ||
	    (c >= 0xFE10 && c <= 0xFE6F) || (c >= 0xFF00 && c <= 0xFF20) ||
	    (c >= 0xFFF0 && c <= 0xFFFF) || (c >= 0x1F000 && c <= 0x1FAFF))
		return 0;
	return 1;
}

char *archive_lower_text(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n, i = 0, o = 0;
	char *out;

	if (!text)
		return NULL;
	n = strlen(text);
	/* Folding never grows a sequence (ı and ſ are left alone). */
	out = malloc(n + 1);
	if (!out)
		return NULL;
	while (i < n) {
		uint32_t c;
		size_t len = vigil_utf8_decode(p + i, n - i, &c);

		if (!len) {
			out[o++] = '?';
			i++;
			continue;
		}
		c = fold_cp(c);
		o += vigil_utf8_encode(c, out + o);
		i += len;
	}
	out[o] = '\0';
	return out;
}

int archive_next_word(const char *text, size_t len, size_t *pos, size_t *start, size_t *end)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = *pos;
	int in_word = 0;

	while (i < len) {
		uint32_t c;
		size_t n = vigil_utf8_decode(p + i, len - i, &c);
		int word = n && is_word_cp(c);

		if (word && !in_word) {
			in_word = 1;
			*start = i;
		} else if (!word && in_word) {
			break;
		}
		i += n ? n : 1;
	}
	*pos = i;
	if (!in_word)
		return 0;
	*end = i;
	return 1;
}

/* Ordered longest first within each list: the first ending that matches and
 * leaves STEM_MIN_CHARS letters wins. Surname endings "-ова", "-ову", "-ове",
 * "-овым", "-овой" (and -ев-) are there so Иванов, Иванова, Ивановым all
 * come to "иван", matching how "-ов" is stripped from the genitive plural. */
static const char *const russian_endings[] = {
	"иями", "овым", "овой", "евым", "евой",
	"ами", "ями", "ого", "его", "ому", "ему", "ыми", "ими", "иям", "иях", "ием", "ией",
	"ова", "ову", "ове", "ева", "еву", "еве",
	"ая", "яя", "ое", "ее", "ой", "ей", "ий", "ый", "ую", "юю", "ов", "ев", "ах", "ях",
	"ам", "ям", "ом", "ем", "ых", "их", "ым", "им", "ые", "ие", "ия", "ья", "ию", "ью",
	"ии", "ою", "ею", "ье",
	"а", "я", "ы", "и", "е", "о", "у", "ю", "ь", "й",
	NULL
};

/* Kazakh case endings (locative, ablative, dative, genitive), stripped only
 * from words with a Kazakh-only letter: "-да", "-те" also end Russian words. */
static const char *const kazakh_case_endings[] = {
	"ның", "нің", "дың", "дің", "тың", "тің", "дан", "ден", "нан", "нен", "тан", "тен",
	"да", "де", "та", "те", "ға", "ге", "қа", "ке",
	NULL
};

static const char *const kazakh_plural_endings[] = {
	"лар", "лер", "дар", "дер", "тар", "тер", NULL
};

/* Strip the first ending of list that fits; returns the new length. */
static size_t strip_ending(const char *word, size_t len, const char *const *list)
{
	size_t chars;
	char copy[STEM_WORD_MAX * 4 + 1];

	memcpy(copy, word, len);
	copy[len] = '\0';
	chars = vigil_utf8_count_chars(copy);
	for (size_t i = 0; list[i]; i++) {
		size_t elen = strlen(list[i]);
		size_t echars = vigil_utf8_count_chars(list[i]);

		if (elen < len && echars + STEM_MIN_CHARS <= chars &&
		    memcmp(word + len - elen, list[i], elen) == 0)
			return len - elen;
	}
	return len;
}

static int ends_with(const char *word, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return n <= len && memcmp(word + len - n, tail, n) == 0;
}

static size_t stem_english(char *word, size_t len)
{
	if (len <= STEM_MIN_CHARS)
		return len;
	if (ends_with(word, len, "ies") && len > 4) {
		word[len - 3] = 'y';
		return len - 2;
	}
	if (ends_with(word, len, "sses") || ends_with(word, len, "ches") ||
	    ends_with(word, len, "shes") || ends_with(word, len, "xes") ||
	    ends_with(word, len, "zes"))
		return len - 2;
	if (ends_with(word, len, "s") && !ends_with(word, len, "ss") &&
	    !ends_with(word, len, "us") && !ends_with(word, len, "is"))
		return len - 1;
	return len;
}

static int is_kazakh_letter(uint32_t c)
{
	return c == 0x4D9 || c == 0x493 || c == 0x49B || c == 0x4A3 || c == 0x4E9 ||
	       c == 0x4B1 || c == 0x4AF || c == 0x4BB || c == 0x456;
}

size_t archive_stem_word(const char *word, size_t len, char *out, size_t out_size)
{
	const unsigned char *p = (const unsigned char *)word;
	char buf[STEM_WORD_MAX * 4 + 1];
	size_t i = 0, o = 0, letters = 0, n;
	int cyrillic = 0, kazakh = 0, digit = 0, ascii = 1;

	while (i < len && letters < STEM_WORD_MAX) {
		uint32_t c;
		size_t step = vigil_utf8_decode(p + i, len - i, &c);

		if (!step) {
			i++;
			continue;
		}
		i += step;
		if (is_silent(c))
			continue;
		c = fold_cp(c);
		if (c >= '0' && c <= '9')
			digit = 1;
		if (c >= 0x80)
			ascii = 0;
		if (c >= 0x400 && c <= 0x52F)
			cyrillic = 1;
		if (is_kazakh_letter(c))
			kazakh = 1;
		o += vigil_utf8_encode(c, buf + o);
		letters++;
	}
	n = o;
	if (!digit && kazakh) {
		n = strip_ending(buf, n, kazakh_case_endings);
		n = strip_ending(buf, n, kazakh_plural_endings);
	} else if (!digit && cyrillic) {
		n = strip_ending(buf, n, russian_endings);
	} else if (!digit && ascii) {
		n = stem_english(buf, n);
	}
	if (out_size == 0)
		return 0;
	if (n >= out_size) {
		/* Cut at a character boundary. */
		n = out_size - 1;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, buf, n);
	out[n] = '\0';
	return n;
}

char *archive_stem_text(const char *text)
{
	struct vigil_buf out = VIGIL_BUF_INIT;
	size_t len, pos = 0, start, end;
	char stem[ARCHIVE_STEM_MAX];

	if (!text)
		return calloc(1, 1);
	len = strlen(text);
	while (archive_next_word(text, len, &pos, &start, &end)) {
		size_t n = archive_stem_word(text + start, end - start, stem, sizeof(stem));

		if (!n)
			continue;
		if ((out.len && vigil_buf_append(&out, " ", 1)) ||
		    vigil_buf_append(&out, stem, n)) {
			vigil_buf_release(&out);
			return NULL;
		}
	}
	return vigil_buf_detach(&out);
}
