/*
 * language.c: the language of a text from its letters and its most common
 * words (parse_guess_language, parse_text_language).
 *
 * Scripts decide first: Greek, Armenian, Georgian, Hebrew, Arabic, Thai,
 * Devanagari, Bengali, Hangul, kana and Han have one language each here
 * (Han without kana is "zh"). Within Cyrillic and within Latin script the
 * languages share letters, so each word votes: a function word of a
 * language ("и", "және", "the", "und") gives it 2 points, a letter that
 * only some of the languages use gives those 1 point per word (Kazakh ә ғ
 * қ ң ө ұ ү һ; Ukrainian є ї ґ; Russian э ъ ё; German ß; Polish ł ą ę ś ź
 * ż ć ń; Kazakh Latin of the 2021 alphabet ū ğ ı ş and q; ...). The best
 * total wins. A Russian sentence that names "Төле би" or "Қонаев" stays
 * Russian because its function words outvote one Kazakh letter; a Kazakh
 * sentence without any Kazakh-only letter ("Ол мектепке барды") is still
 * Kazakh by its function words.
 *
 * The first TEXT_WORDS words are read: that is plenty for a verdict and
 * keeps a 16 MiB text from costing more than a page.
 */
#include "parser_int.h"
#include "../common/utf8.h"

#include <stdint.h>
#include <string.h>

#define TEXT_WORDS 4000
#define WORD_BYTES 48

enum lang {
	L_RU, L_KK, L_UK, L_EN, L_DE, L_FR, L_ES, L_IT, L_PL, L_PT, L_KK_LATN, L_COUNT
};
static const char *const lang_codes[L_COUNT] = {
	"ru", "kk", "uk", "en", "de", "fr", "es", "it", "pl", "pt", "kk"
};

/* Function words: short, frequent, and rare in the other languages of the
 * same script (words shared by two of them count for both). */
static const char *const words_ru[] = {
	"и", "в", "не", "на", "что", "с", "по", "это", "как", "а", "к", "из", "за", "для", "от",
	"о", "у", "же", "так", "но", "его", "был", "была", "было", "были", "он", "она", "они",
	"мы", "при", "также", "или", "до", "уже", "только", "который", "которые", "которая",
	"года", "году", "её", "ее", "их", "после", "если", "чтобы", "этого", "этом", "может",
	"будет", "очень", "когда", "где", "есть", "нет", "ещё", "еще", "без", "со", "во", NULL
};
static const char *const words_kk[] = {
	"және", "бұл", "мен", "үшін", "бойынша", "туралы", "деп", "еді", "жылы", "сондай-ақ",
	"бар", "жоқ", "оның", "олар", "біз", "осы", "қазір", "тағы", "емес", "бір", "екі",
	"болып", "болды", "керек", "арқылы", "кейін", "дейін", "ал", "ол", "да", "де", "та",
	"те", "пен", "бен", "мұнда", "бірақ", "яғни", "сол", "әрі", "деді", "дейді", "келді",
	"жатыр", "барды", "кезде", "сияқты", "қазақстан", "республикасы", NULL
};
static const char *const words_uk[] = {
	"і", "й", "та", "що", "не", "на", "в", "у", "з", "до", "це", "як", "для", "від", "він",
	"вона", "вони", "ми", "також", "або", "але", "який", "яка", "які", "року", "був",
	"була", "було", "були", "щоб", "його", "її", "із", "про", "після", "під", "через",
	"ще", "вже", "тільки", "якщо", "чи", "є", "цього", "може", "буде", "дуже", "за",
	"по", "а", "так", "при", NULL
};
static const char *const words_en[] = {
	"the", "and", "of", "to", "in", "is", "that", "for", "it", "was", "on", "with", "as",
	"are", "by", "this", "be", "at", "from", "have", "has", "he", "she", "they", "said",
	"not", "but", "an", "or", "which", "were", "been", "their", "will", "would", "who",
	"its", "had", "about", "after", "more", "than", "when", "what", "there", "we", "a",
	"over", "into", "out", "up", NULL
};
static const char *const words_de[] = {
	"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "von", "mit",
	"sich", "des", "auf", "für", "im", "dem", "auch", "es", "als", "wie", "bei", "nach",
	"wird", "werden", "sind", "wurde", "hat", "oder", "aber", "sie", "er", "aus", "einen",
	"einer", "noch", "über", "vor", "zum", "zur", "dass", "wir", "ich", "nur", "man",
	"eines", "einem", "wegen", "gegen", "seit", NULL
};
static const char *const words_fr[] = {
	"le", "la", "les", "de", "des", "du", "et", "est", "un", "une", "en", "que", "qui",
	"dans", "pour", "pas", "sur", "au", "aux", "ce", "il", "elle", "ils", "par", "plus",
	"avec", "ne", "se", "sont", "été", "son", "sa", "ses", "mais", "ou", "cette", "nous",
	"vous", "leur", "aussi", "être", "avait", "comme", NULL
};
static const char *const words_es[] = {
	"el", "la", "los", "las", "de", "del", "y", "que", "en", "un", "una", "es", "por",
	"con", "para", "no", "se", "su", "sus", "al", "lo", "como", "más", "pero", "fue", "ha",
	"este", "esta", "también", "entre", "sobre", "muy", "sin", "hay", "han", "desde",
	"cuando", "donde", "porque", "ya", "le", NULL
};
static const char *const words_it[] = {
	"il", "lo", "la", "gli", "le", "di", "del", "della", "dei", "e", "è", "che", "in", "un",
	"una", "per", "con", "non", "si", "da", "al", "alla", "sono", "come", "anche", "più",
	"ma", "nel", "nella", "questo", "questa", "stato", "essere", "ha", "hanno", "dopo",
	"tra", "delle", "degli", "ed", "ci", "gli", NULL
};
static const char *const words_pl[] = {
	"i", "w", "z", "na", "nie", "się", "do", "to", "że", "jest", "o", "od", "po", "jak",
	"dla", "ale", "co", "przez", "tak", "był", "była", "było", "są", "oraz", "lub", "jego",
	"jej", "już", "tylko", "przy", "który", "która", "które", "także", "może", "roku",
	"ze", "we", "czy", "tym", "jednak", NULL
};
static const char *const words_pt[] = {
	"o", "a", "os", "as", "de", "do", "da", "dos", "das", "e", "é", "que", "em", "um",
	"uma", "para", "com", "não", "no", "na", "por", "mais", "se", "foi", "como", "mas",
	"ao", "seu", "sua", "também", "são", "pelo", "pela", "nos", "nas", "ele", "ela", NULL
};
static const char *const words_kk_latn[] = {
	"jäne", "men", "bul", "üşin", "boiynşa", "turaly", "dep", "osy", "bir", "eki",
	"bolyp", "boldy", "qazir", "jyly", "sondai-aq", "arqyly", "keiin", "deiin", "emes",
	"bar", "joq", "onyñ", "olar", "biz", "ol", "taǧy", "tağy", "bıraq", "degen", "dedi",
	"qazaqstan", "respublikasy", "pen", "ben", "sol", NULL
};
static const char *const *const function_words[L_COUNT] = {
	words_ru, words_kk, words_uk, words_en, words_de, words_fr, words_es, words_it,
	words_pl, words_pt, words_kk_latn
};

/* Letters that only some languages of a script use, and who gets a point
 * for a word holding one (a bit per enum lang). Kazakh і and ы are shared
 * with Ukrainian and Russian, hence split votes. */
struct letter_vote {
	uint32_t cp;
	unsigned langs;
};
#define B(l) (1u << (l))
static const struct letter_vote letter_votes[] = {
	{ 0x4D9, B(L_KK) }, { 0x493, B(L_KK) }, { 0x49B, B(L_KK) }, { 0x4A3, B(L_KK) },
	{ 0x4E9, B(L_KK) }, { 0x4B1, B(L_KK) }, { 0x4AF, B(L_KK) }, { 0x4BB, B(L_KK) },
	{ 0x454, B(L_UK) }, { 0x457, B(L_UK) }, { 0x491, B(L_UK) },
	{ 0x456, B(L_UK) | B(L_KK) },           /* і */
	{ 0x44D, B(L_RU) }, { 0x44A, B(L_RU) }, { 0x451, B(L_RU) },
	{ 0x44B, B(L_RU) | B(L_KK) },           /* ы */
	{ 0xDF, B(L_DE) },                      /* ß */
	{ 0xE4, B(L_DE) | B(L_KK_LATN) }, { 0xF6, B(L_DE) | B(L_KK_LATN) },
	{ 0xFC, B(L_DE) | B(L_KK_LATN) },
	{ 0x16B, B(L_KK_LATN) }, { 0x11F, B(L_KK_LATN) }, { 0x131, B(L_KK_LATN) },
	{ 0x15F, B(L_KK_LATN) }, { 'q', B(L_KK_LATN) },
	{ 0xF1, B(L_ES) | B(L_KK_LATN) },       /* ñ */
	{ 0x142, B(L_PL) }, { 0x105, B(L_PL) }, { 0x119, B(L_PL) }, { 0x15B, B(L_PL) },
	{ 0x17A, B(L_PL) }, { 0x17C, B(L_PL) }, { 0x107, B(L_PL) }, { 0x144, B(L_PL) },
	{ 0xE3, B(L_PT) }, { 0xF5, B(L_PT) },
	{ 0xE7, B(L_FR) | B(L_PT) }, { 0xEA, B(L_FR) | B(L_PT) }, { 0xE8, B(L_FR) | B(L_IT) },
	{ 0xE0, B(L_FR) | B(L_IT) }, { 0xEB, B(L_FR) }, { 0xEE, B(L_FR) }, { 0xF4, B(L_FR) },
	{ 0xF9, B(L_FR) | B(L_IT) }, { 0xEC, B(L_IT) }, { 0xF2, B(L_IT) },
	{ 0xE1, B(L_ES) | B(L_PT) }, { 0xED, B(L_ES) | B(L_PT) }, { 0xFA, B(L_ES) | B(L_PT) },
	{ 0xBF, B(L_ES) }, { 0xA1, B(L_ES) },
};

/* Scripts with one language here, by code point range. */
struct script_range {
	uint32_t from, to;
	const char *code;
};
static const struct script_range single_scripts[] = {
	{ 0x370, 0x3FF, "el" },   { 0x530, 0x58F, "hy" },   { 0x590, 0x5FF, "he" },
	{ 0x600, 0x6FF, "ar" },   { 0x900, 0x97F, "hi" },   { 0x980, 0x9FF, "bn" },
	{ 0xE00, 0xE7F, "th" },   { 0x10A0, 0x10FF, "ka" }, { 0x1100, 0x11FF, "ko" },
	{ 0x3040, 0x30FF, "ja" }, { 0xAC00, 0xD7AF, "ko" }, { 0x4E00, 0x9FFF, "zh" },
};
#define SCRIPT_COUNT (sizeof(single_scripts) / sizeof(single_scripts[0]))

static uint32_t lower_letter(uint32_t cp)
{
	if (cp >= 'A' && cp <= 'Z')
		return cp + 32;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 32;
	if (cp == 0x130) /* İ */
		return 'i';
	if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177))
		return cp | 1;
	if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) && (cp & 1))
		return cp + 1;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 32;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 80;
	if (((cp >= 0x460 && cp <= 0x481) || (cp >= 0x48A && cp <= 0x4BF) ||
	     (cp >= 0x4D0 && cp <= 0x4FF)) && !(cp & 1))
		return cp + 1;
	return cp;
}

static int is_latin_letter(uint32_t cp)
{
	return (cp < 0x80 && ((cp | 32) >= 'a' && (cp | 32) <= 'z')) ||
	       (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
}

static int is_cyrillic(uint32_t cp)
{
	return cp >= 0x400 && cp <= 0x4FF;
}

static int in_list(const char *word, const char *const *list)
{
	/* the first byte rules out nearly every entry without a call: this
	 * runs for each of the first words of every page */
	for (; *list; list++)
		if ((*list)[0] == word[0] && strcmp(word, *list) == 0)
			return 1;
	return 0;
}

struct tally {
	size_t cyrillic, latin, script[SCRIPT_COUNT], kana;
	double votes[L_COUNT];
};

/* Votes of one lower-cased word; letter votes count once per word. */
static void vote_word(struct tally *t, const char *word, int cyrillic, unsigned letter_langs)
{
	for (int l = 0; l < L_COUNT; l++) {
		int latin_lang = l >= L_EN;

		if (latin_lang == cyrillic)
			continue;
		if (in_list(word, function_words[l]))
			t->votes[l] += 2;
		if (letter_langs & B(l))
			t->votes[l] += 1;
	}
}

static void tally_text(const char *text, struct tally *t)
{
	const unsigned char *p = (const unsigned char *)text;
	char word[WORD_BYTES];
	size_t used = 0, words = 0;
	int word_cyrillic = 0, word_ok = 1;
	unsigned letters = 0;

	memset(t, 0, sizeof(*t));
	for (;;) {
		uint32_t cp = 0;
		size_t n;
		int cyr, lat;

		if (*p < 0x80) { /* ASCII needs no decoding */
			cp = *p;
			n = *p ? 1 : 0;
		} else {
			n = vigil_utf8_decode(p, SIZE_MAX, &cp);
			if (!n)
				n = 1;
		}
		cyr = *p && is_cyrillic(cp);
		lat = *p && is_latin_letter(cp);
		if (cyr || lat) {
			uint32_t low = lower_letter(cp);
			char enc[4];
			size_t len = vigil_utf8_encode(low, enc);

			if (used == 0) {
				word_cyrillic = cyr;
				word_ok = 1;
				letters = 0;
			}
			if (cyr != word_cyrillic)
				word_ok = 0; /* mixed-script token: no vote */
			if (used + len < sizeof(word)) {
				memcpy(word + used, enc, len);
				used += len;
			} else {
				word_ok = 0;
			}
			/* of ASCII letters only 'q' votes: spare most letters the
			 * table */
			for (size_t v = 0; v < sizeof(letter_votes) / sizeof(letter_votes[0]) &&
					   (low >= 0x80 || low == 'q'); v++)
				if (letter_votes[v].cp == low)
					letters |= letter_votes[v].langs;
			if (cyr)
				t->cyrillic++;
			else
				t->latin++;
		} else if (cp == '-' && used && p[1] && p[1] != ' ') {
			/* "сондай-ақ": the hyphen stays inside the word */
			if (used + 1 < sizeof(word))
				word[used++] = '-';
		} else {
			if (used) {
				word[used] = '\0';
				if (word_ok)
					vote_word(t, word, word_cyrillic, letters);
				used = 0;
				if (++words >= TEXT_WORDS)
					break;
			}
			/* every range starts at U+0370 or above */
			for (size_t s = 0; *p && cp >= 0x370 && s < SCRIPT_COUNT; s++)
				if (cp >= single_scripts[s].from && cp <= single_scripts[s].to)
					t->script[s]++;
			if (*p && ((cp >= 0x3040 && cp <= 0x30FF)))
				t->kana++;
		}
		if (!*p)
			break;
		p += n;
	}
}

const char *parse_text_language(const char *text, int *confident)
{
	struct tally t;
	size_t best_script = 0, letters;
	int best = -1, from, to;
	double second = 0;

	*confident = 0;
	if (!text)
		return NULL;
	tally_text(text, &t);
	for (size_t s = 1; s < SCRIPT_COUNT; s++)
		if (t.script[s] > t.script[best_script])
			best_script = s;
	letters = t.cyrillic > t.latin ? t.cyrillic : t.latin;
	if (t.script[best_script] > letters) {
		/* Han with a little kana is Japanese */
		*confident = t.script[best_script] >= 20;
		if (t.kana * 20 >= t.script[best_script] && t.kana)
			return "ja";
		return single_scripts[best_script].code;
	}
	if (!letters)
		return NULL;
	from = t.cyrillic >= t.latin ? L_RU : L_EN;
	to = t.cyrillic >= t.latin ? L_UK : L_KK_LATN;
	for (int l = from; l <= to; l++) {
		if (best < 0 || t.votes[l] > t.votes[best]) {
			if (best >= 0)
				second = t.votes[best];
			best = l;
		} else if (t.votes[l] > second) {
			second = t.votes[l];
		}
	}
	/* no evidence at all: the script's most common language here */
	if (t.votes[best] == 0)
		return lang_codes[from];
	*confident = t.votes[best] >= 8 && t.votes[best] >= second * 1.5;
	return lang_codes[best];
}

const char *parse_guess_language(const char *text)
{
	int confident;

	return parse_text_language(text, &confident);
}
