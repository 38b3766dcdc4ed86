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

#include <libstemmer.h>
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

/* What fold_word saw in a word. */
struct folded_word {
	char text[STEM_WORD_MAX * 4 + 1];
	size_t len;
	int cyrillic, kazakh, digit, ascii;
};

/* Lowercase word, fold ё, drop silent marks and cut it to STEM_WORD_MAX
 * letters, noting its scripts: the language decisions of both stemmers. */
static void fold_word(const char *word, size_t len, struct folded_word *out)
{
	const unsigned char *p = (const unsigned char *)word;
	size_t i = 0, letters = 0;

	out->len = 0;
	out->cyrillic = out->kazakh = out->digit = 0;
	out->ascii = 1;
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
			out->digit = 1;
		if (c >= 0x80)
			out->ascii = 0;
		if (c >= 0x400 && c <= 0x52F)
			out->cyrillic = 1;
		if (is_kazakh_letter(c))
			out->kazakh = 1;
		out->len += vigil_utf8_encode(c, out->text + out->len);
		letters++;
	}
	out->text[out->len] = '\0';
}

/* Copy stem[0..n) into out (NUL-terminated), cut at a character boundary. */
static size_t copy_stem(const char *stem, size_t n, char *out, size_t out_size)
{
	if (out_size == 0)
		return 0;
	if (n >= out_size) {
		n = out_size - 1;
		while (n > 0 && ((unsigned char)stem[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, stem, n);
	out[n] = '\0';
	return n;
}

static size_t stem_kazakh(const char *word, size_t len)
{
	len = strip_ending(word, len, kazakh_case_endings);
	return strip_ending(word, len, kazakh_plural_endings);
}

size_t archive_stem_word(const char *word, size_t len, char *out, size_t out_size)
{
	struct folded_word w;
	size_t n;

	fold_word(word, len, &w);
	n = w.len;
	if (!w.digit && w.kazakh)
		n = stem_kazakh(w.text, n);
	else if (!w.digit && w.cyrillic)
		n = strip_ending(w.text, n, russian_endings);
	else if (!w.digit && w.ascii)
		n = stem_english(w.text, n);
	return copy_stem(w.text, n, out, out_size);
}

/* ---------------- the search stemmer (Snowball) ---------------- */

struct archive_stemmer {
	struct sb_stemmer *russian;
	struct sb_stemmer *english;
};

enum vigil_code archive_stemmer_new(struct archive_stemmer **out, struct vigil_error *err)
{
	struct archive_stemmer *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory creating the stemmer");
	s->russian = sb_stemmer_new("russian", "UTF_8");
	s->english = sb_stemmer_new("english", "UTF_8");
	if (!s->russian || !s->english) {
		archive_stemmer_free(s);
		/* libstemmer returns NULL for an unknown algorithm and on OOM
		 * alike; both algorithms ship with every build of it. */
		return vigil_error_set(err, VIGIL_ERR_NOMEM,
				       "cannot create the Snowball russian/english stemmers");
	}
	*out = s;
	return VIGIL_OK;
}

void archive_stemmer_free(struct archive_stemmer *stemmer)
{
	if (!stemmer)
		return;
	if (stemmer->russian)
		sb_stemmer_delete(stemmer->russian);
	if (stemmer->english)
		sb_stemmer_delete(stemmer->english);
	free(stemmer);
}

/* Snowball's stem of word, or word itself when Snowball fails (OOM). */
static size_t snowball(struct sb_stemmer *algorithm, const char *word, size_t len,
		       char *out, size_t out_size)
{
	const sb_symbol *stem = sb_stemmer_stem(algorithm, (const sb_symbol *)word, (int)len);

	if (!stem)
		return copy_stem(word, len, out, out_size);
	return copy_stem((const char *)stem, (size_t)sb_stemmer_length(algorithm), out, out_size);
}

size_t archive_stemmer_word(struct archive_stemmer *stemmer, const char *word, size_t len,
			    char *out, size_t out_size)
{
	struct folded_word w;

	fold_word(word, len, &w);
	if (w.digit)
		return copy_stem(w.text, w.len, out, out_size);
	if (w.kazakh)
		return copy_stem(w.text, stem_kazakh(w.text, w.len), out, out_size);
	if (w.cyrillic) {
		size_t n = snowball(stemmer->russian, w.text, w.len, out, out_size);

		/* Snowball takes -ов/-ев for the genitive plural ending and strips
		 * one ending only, so "Иванов" -> "иван" but "Иванова" -> "иванов",
		 * "островов" -> "остров" but "остров" -> "остр". Stripping a final
		 * -ов/-ев after it puts every form on the shorter stem. */
		if (n >= 4 && (ends_with(out, n, "ов") || ends_with(out, n, "ев")) &&
		    vigil_utf8_count_chars(out) >= 2 + STEM_MIN_CHARS)
			out[n -= 4] = '\0';
		/* Consonant alternation between a verb and its participles
		 * (осудить / осуждён, запретить / запрещён): the stem's final
		 * "жд" and "щ" become the verb's "д" and "т". */
		if (n >= 4 && ends_with(out, n, "жд")) {
			memmove(out + n - 4, "д", 2);
			out[n -= 2] = '\0';
		} else if (n >= 2 && ends_with(out, n, "щ")) {
			memcpy(out + n - 2, "т", 2);
		}
		return n;
	}
	if (w.ascii)
		return snowball(stemmer->english, w.text, w.len, out, out_size);
	return copy_stem(w.text, w.len, out, out_size);
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
