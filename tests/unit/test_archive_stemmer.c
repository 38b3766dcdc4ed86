/* test_archive_stemmer.c: the search stemmer (Snowball russian/english,
 * Kazakh endings) on tests/fixtures/stemming/russian_families.txt: the
 * share of same-family pairs it joins, beside the old light stemmer's; and
 * the folds (case, ё, marks) search relies on. */
#include "check.h"
#include "../../archive/archive_int.h"

#include <stdlib.h>

#define FORMS_MAX 400
#define WORD_MAX 128

struct form {
	int family;
	char word[WORD_MAX];
};

static size_t read_families(struct form *forms)
{
	char path[512], line[4096];
	FILE *f;
	size_t n = 0;
	int family = 0;

	snprintf(path, sizeof(path), "%s/stemming/russian_families.txt", check_fixture_dir());
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		for (char *w = strtok_r(line, " \t\r\n", &save); w && n < FORMS_MAX;
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			forms[n].family = family;
			snprintf(forms[n].word, WORD_MAX, "%s", w);
			n++;
		}
		family++;
	}
	fclose(f);
	return n;
}

static size_t old_stem(void *unused, const char *word, size_t len, char *out, size_t size)
{
	(void)unused;
	return archive_stem_word(word, len, out, size);
}

static size_t new_stem(void *stemmer, const char *word, size_t len, char *out, size_t size)
{
	return archive_stemmer_word(stemmer, word, len, out, size);
}

/* Share (0..1) of same-family pairs whose stems are equal; the pairs that
 * are not joined go to stderr when show is set. */
static double joined_share(const struct form *forms, size_t n,
			   size_t (*stem)(void *, const char *, size_t, char *, size_t),
			   void *context, int show, size_t *pair_count)
{
	static char stems[FORMS_MAX][ARCHIVE_STEM_MAX];
	size_t pairs = 0, joined = 0;

	for (size_t i = 0; i < n; i++)
		stem(context, forms[i].word, strlen(forms[i].word), stems[i], ARCHIVE_STEM_MAX);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			if (forms[i].family != forms[j].family)
				continue;
			pairs++;
			if (!strcmp(stems[i], stems[j]))
				joined++;
			else if (show)
				fprintf(stderr, "  not joined: %s (%s) / %s (%s)\n", forms[i].word,
					stems[i], forms[j].word, stems[j]);
		}
	*pair_count = pairs;
	return pairs ? (double)joined / (double)pairs : 0;
}

static const char *stem_of(struct archive_stemmer *s, const char *word)
{
	static char out[ARCHIVE_STEM_MAX];

	archive_stemmer_word(s, word, strlen(word), out, sizeof(out));
	return out;
}

int main(void)
{
	static struct form forms[FORMS_MAX];
	struct archive_stemmer *s = NULL;
	struct vigil_error err = { 0 };
	size_t n = read_families(forms), pairs;
	double snowball, light;

	CHECK_OK(archive_stemmer_new(&s, &err));
	CHECK(n >= 180);
	snowball = joined_share(forms, n, new_stem, s, 1, &pairs);
	light = joined_share(forms, n, old_stem, NULL, 0, &pairs);
	fprintf(stderr, "stemming: %zu forms, %zu same-family pairs: Snowball stemmer joins %.1f%%,"
		" the light stemmer %.1f%%\n", n, pairs, 100 * snowball, 100 * light);
	CHECK(snowball >= 0.99);
	CHECK(snowball > light);

	/* Folds: case, ё, stress marks; one stem for the hyphen-free word. */
	CHECK_STR(stem_of(s, "ЗАДЕРЖАЛИ"), stem_of(s, "задержан"));
	CHECK_STR(stem_of(s, "Ёлка"), stem_of(s, "елка"));
	CHECK_STR(stem_of(s, "осуждён"), stem_of(s, "осуждена"));
	CHECK_STR(stem_of(s, "журнали\xCC\x81ста"), "журналист");
	/* Surnames in -ов/-ев: every case on one stem. */
	CHECK_STR(stem_of(s, "Иванова"), stem_of(s, "Иванов"));
	CHECK_STR(stem_of(s, "Сергеевым"), stem_of(s, "Сергеев"));
	/* English through Snowball english. */
	CHECK_STR(stem_of(s, "Journalists"), "journalist");
	CHECK_STR(stem_of(s, "arrested"), stem_of(s, "arresting"));
	/* Kazakh words keep the Kazakh endings, not Snowball russian's. */
	CHECK_STR(stem_of(s, "Қазақстанда"), "қазақстан");
	CHECK_STR(stem_of(s, "облыстарға"), "облыс");
	/* Verb and participle across a consonant alternation. */
	CHECK_STR(stem_of(s, "запрещён"), stem_of(s, "запретили"));
	CHECK_STR(stem_of(s, "освобождены"), stem_of(s, "освободили"));
	/* Digits: kept whole. */
	CHECK_STR(stem_of(s, "COVID19"), "covid19");
	CHECK_STR(stem_of(s, "2024"), "2024");
	/* Cut at a character boundary. */
	{
		char out[5];

		CHECK(archive_stemmer_word(s, "журналист", strlen("журналист"), out, sizeof(out)) == 4);
		CHECK_STR(out, "жу");
	}
	archive_stemmer_free(s);
	CHECK_DONE();
}
