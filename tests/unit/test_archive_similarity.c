/* test_archive_similarity.c: the shingle similarity that groups syndicated
 * copies (archive/similarity.c). Over the development set
 * tests/fixtures/stories (EVENT_REPORT_COPY.txt: same EVENT and REPORT =
 * copies of one story; same EVENT, other REPORT = a different report about
 * the same event, which must stay apart): every copy pair reaches the
 * threshold and shares a MinHash band, every other pair stays below; the
 * figures are printed. Then normalisation (case, ё, punctuation, white
 * space, soft hyphens) and short texts. */
#include "check.h"
#include "../../archive/archive.h"

#include <dirent.h>

#define MAX_FILES 64

struct sample {
	char name[64];
	char event[32], report[32];
	struct archive_shingles shingles;
	int64_t bands[ARCHIVE_STORY_BANDS];
	size_t band_count;
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *text;
	long size;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)size + 1);
	if (text && fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		text = NULL;
	}
	fclose(f);
	return text;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct sample *)a)->name, ((const struct sample *)b)->name);
}

static size_t load_samples(struct sample *samples)
{
	char dir_path[512], path[1024];
	struct dirent *e;
	size_t n = 0;
	DIR *dir;

	snprintf(dir_path, sizeof(dir_path), "%s/stories", check_fixture_dir());
	dir = opendir(dir_path);
	CHECK(dir != NULL);
	if (!dir)
		return 0;
	while ((e = readdir(dir)) && n < MAX_FILES) {
		struct sample *s = &samples[n];
		size_t len = strlen(e->d_name);
		struct vigil_error err = { 0 };
		char *text;

		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") || len >= sizeof(s->name))
			continue;
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "%s", e->d_name);
		if (sscanf(s->name, "%31[^_]_%31[^_]_", s->event, s->report) != 2)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir_path, e->d_name);
		text = read_file(path);
		CHECK(text != NULL);
		if (!text)
			continue;
		CHECK_OK(archive_shingles_of(text, &s->shingles, &err));
		s->band_count = archive_story_bands(&s->shingles, s->bands);
		free(text);
		n++;
	}
	closedir(dir);
	qsort(samples, n, sizeof(*samples), by_name);
	return n;
}

static int share_band(const struct sample *a, const struct sample *b)
{
	for (size_t i = 0; i < a->band_count; i++)
		for (size_t j = 0; j < b->band_count; j++)
			if (a->bands[i] == b->bands[j])
				return 1;
	return 0;
}

static void development_set(void)
{
	static struct sample samples[MAX_FILES];
	size_t n = load_samples(samples);
	double copy_min = 1, copy_max = 0, hard_min = 1, hard_max = 0, other_max = 0;
	int copies = 0, hard = 0, other = 0, copies_found = 0, hard_found = 0, other_found = 0;

	CHECK(n >= 20);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			const struct sample *a = &samples[i], *b = &samples[j];
			double sim = archive_shingles_similarity(&a->shingles, &b->shingles);
			int same_event = !strcmp(a->event, b->event);
			int found = share_band(a, b);

			if (same_event && !strcmp(a->report, b->report)) {
				copies++;
				copies_found += found;
				copy_min = sim < copy_min ? sim : copy_min;
				copy_max = sim > copy_max ? sim : copy_max;
				if (sim < ARCHIVE_STORY_THRESHOLD || !found)
					fprintf(stderr, "copies %s %s: similarity %.3f, shared band %d\n",
						a->name, b->name, sim, found);
				CHECK(sim >= ARCHIVE_STORY_THRESHOLD);
				CHECK(found);
			} else if (same_event) {
				hard++;
				hard_found += found;
				hard_min = sim < hard_min ? sim : hard_min;
				hard_max = sim > hard_max ? sim : hard_max;
				if (sim >= ARCHIVE_STORY_THRESHOLD)
					fprintf(stderr, "different reports %s %s: similarity %.3f\n",
						a->name, b->name, sim);
				CHECK(sim < ARCHIVE_STORY_THRESHOLD);
			} else {
				other++;
				other_found += found;
				other_max = sim > other_max ? sim : other_max;
				CHECK(sim < ARCHIVE_STORY_THRESHOLD);
			}
		}
	/* The figures archive/README.md reports ("Stories"). */
	printf("%zu texts; copies: %d pairs, similarity %.3f-%.3f, %d share a band; "
	       "different reports of one event: %d pairs, %.3f-%.3f, %d share a band; "
	       "other pairs: %d, at most %.3f, %d share a band\n",
	       n, copies, copy_min, copy_max, copies_found, hard, hard_min, hard_max, hard_found,
	       other, other_max, other_found);
	CHECK(copies >= 10);
	CHECK(hard >= 10);
	/* A margin on both sides of the threshold, not just a split. */
	CHECK(copy_min >= ARCHIVE_STORY_THRESHOLD + 0.1);
	CHECK(hard_max <= ARCHIVE_STORY_THRESHOLD - 0.3);
	for (size_t i = 0; i < n; i++)
		archive_shingles_release(&samples[i].shingles);
}

static double similarity_of(const char *a, const char *b)
{
	struct archive_shingles x = { 0 }, y = { 0 };
	struct vigil_error err = { 0 };
	double sim = -1;

	if (archive_shingles_of(a, &x, &err) == VIGIL_OK &&
	    archive_shingles_of(b, &y, &err) == VIGIL_OK)
		sim = archive_shingles_similarity(&x, &y);
	archive_shingles_release(&x);
	archive_shingles_release(&y);
	return sim;
}

static size_t shingle_count(const char *text)
{
	struct archive_shingles x = { 0 };
	struct vigil_error err = { 0 };
	size_t count;

	CHECK_OK(archive_shingles_of(text, &x, &err));
	count = x.count;
	archive_shingles_release(&x);
	return count;
}

static void normalisation(void)
{
	const char *text = "Суд в Павлодаре оштрафовал активиста Ёлкина на сто МРП за пикет у акимата";

	/* Case, ё/е, punctuation, quotes, dashes, white space and soft
	 * hyphens do not change a text. */
	CHECK(similarity_of(text, "суд в павлодаре оштрафовал активиста елкина на сто мрп за пикет у акимата") == 1.0);
	CHECK(similarity_of(text, "«Суд» в Павлодаре — оштрафовал,\n\nактивиста   Ёлкина на сто МРП: за пикет у акимата!") == 1.0);
	CHECK(similarity_of(text, "Суд в Павлода\u00adре оштрафовал активиста Ёлкина на сто МРП за пикет у акимата") == 1.0);
	CHECK(similarity_of("Hello World again and again", "hello world AGAIN and again") == 1.0);
	/* Word order matters: the same words shuffled are another text. */
	CHECK(similarity_of(text, "акимата у пикет за МРП сто на Ёлкина активиста оштрафовал Павлодаре в Суд") == 0.0);
	/* Repeating the body (seed 003 holds its text twice) changes nothing. */
	{
		char twice[512];

		snprintf(twice, sizeof(twice), "%s. %s", text, text);
		CHECK(similarity_of(text, twice) > 0.75); /* 10 of 13: the seam adds 3 */
	}
	/* Words minus (k - 1) shingles; duplicates counted once. */
	CHECK(shingle_count(text) == 13 - (ARCHIVE_SHINGLE_WORDS - 1));
	CHECK(shingle_count("") == 0);
	CHECK(shingle_count(NULL) == 0);
	CHECK(shingle_count(" — «» !!! ") == 0);
	CHECK(similarity_of("", "") == 0.0);
}

static void short_texts(void)
{
	struct archive_shingles x = { 0 };
	struct vigil_error err = { 0 };
	int64_t keys[ARCHIVE_STORY_BANDS];

	/* Fewer words than a shingle: one shingle, equal only to the same words. */
	CHECK(shingle_count("Суд отложен") == 1);
	CHECK(similarity_of("Суд отложен", "суд ОТЛОЖЕН.") == 1.0);
	CHECK(similarity_of("Суд отложен", "Суд отложен снова") == 0.0);
	CHECK(similarity_of("Суд", "Суд отложен") == 0.0);
	/* A channel post reposted verbatim is one story. One changed word
	 * changes up to ARCHIVE_SHINGLE_WORDS shingles: at the end of a post of
	 * 12 words it keeps 7 of 11 (0.64), in the middle 5 of 13 (0.38), so
	 * short posts join only when nearly verbatim. Two posts about the same
	 * detention are different reports. */
	CHECK(similarity_of("В Актобе задержали правозащитницу Гульнару Беккали у здания областного суда",
			    "В Актобе задержали правозащитницу Гульнару Беккали у здания областного суда.") == 1.0);
	CHECK(similarity_of("В Актобе задержали правозащитницу Гульнару Беккали у здания областного суда",
			    "В Актобе задержали правозащитницу Гульнару Беккали у здания городского суда")
	      >= ARCHIVE_STORY_THRESHOLD);
	CHECK(similarity_of("В Актобе задержали правозащитницу Гульнару Беккали у здания областного суда",
			    "В Актобе задержали правозащитницу Айгуль Беккали у здания областного суда")
	      < ARCHIVE_STORY_THRESHOLD);
	CHECK(similarity_of("В Актобе задержали правозащитницу Гульнару Беккали у здания областного суда",
			    "Гульнару Беккали отпустили из отдела полиции Актобе после трёх часов")
	      < 0.05);
	/* Bands: none for no words, the same keys for the same text. */
	CHECK(archive_story_bands(&x, keys) == 0);
	CHECK_OK(archive_shingles_of("Суд отложен", &x, &err));
	CHECK(archive_story_bands(&x, keys) == ARCHIVE_STORY_BANDS);
	for (size_t i = 0; i < ARCHIVE_STORY_BANDS; i++)
		CHECK(keys[i] >= 0 && keys[i] < ((int64_t)1 << 31));
	archive_shingles_release(&x);
	CHECK(x.count == 0 && x.hashes == NULL);
}

int main(void)
{
	development_set();
	normalisation();
	short_texts();
	CHECK_DONE();
}
