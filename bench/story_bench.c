/*
 * story_bench.c: the cost of story assignment as the index grows. Records N
 * synthetic materials (texts of 250-450 words drawn from a 20,000-word
 * vocabulary with a Zipf-like skew; every 10th material is a copy of an
 * earlier one with a few words changed and its last sentences cut) into a
 * fresh index, and prints the mean time per material_record for each tenth
 * of the run, with story assignment as it is. Whether that time stays flat
 * tells whether a lookup scans the index (it must not: candidates come from
 * the band table's B-tree), and the time of shingling and banding alone.
 * Records are committed 1000 to a transaction.
 *
 *     cc -O2 -std=c17 -D_GNU_SOURCE -o build/story_bench bench/story_bench.c \
 *        build/libarchive.a build/libcommon.a -lsqlite3 -lzstd -lstemmer
 *     build/story_bench DIR N          (DIR must not exist)
 */
#include "../archive/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VOCABULARY 20000

static uint64_t state = 88172645463325252ULL;

static uint64_t next_random(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* A word index skewed toward small numbers, like word frequencies. */
static unsigned skewed_word(void)
{
	double u = (double)(next_random() % 1000000) / 1000000.0;

	return (unsigned)(VOCABULARY * u * u * u);
}

static void make_text(char *out, size_t size, unsigned words)
{
	size_t o = 0;

	for (unsigned i = 0; i < words && o + 32 < size; i++)
		o += (size_t)snprintf(out + o, size - o, "%sслово%u%s", i ? " " : "", skewed_word(),
				      i % 17 == 16 ? "." : "");
	out[o] = '\0';
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	int64_t source_id;
	long n = argc > 2 ? atol(argv[2]) : 0;
	char (*texts)[8192];
	double block_start;
	int copies = 0;
	double shingle_seconds = 0;

	if (argc != 3 || n < 100) {
		fprintf(stderr, "usage: story_bench DIR N (N >= 100)\n");
		return 2;
	}
	/* The last 1000 texts are kept to make copies of. */
	texts = calloc(1000, sizeof(*texts));
	if (!texts || archive_data_init(argv[1], &err) || archive_store_open(argv[1], &store, &err) ||
	    archive_source_sync(store, "bench", "https://bench.kz/", "site", &source_id, &err)) {
		fprintf(stderr, "story_bench: %s\n", err.message);
		return 1;
	}
	block_start = now_seconds();
	for (long i = 0; i < n; i++) {
		double t0;
		struct archive_version_input in = { 0 };
		char url[64], *text = texts[i % 1000];
		int64_t id;

		if (i % 10 == 9 && i > 1000) {
			/* A copy of a recent text: cut its tail, change some words. */
			const char *from = texts[(i - 1 - next_random() % 900) % 1000];
			size_t len = strlen(from) * 85 / 100;

			memcpy(text, from, len);
			text[len] = '\0';
			for (int k = 0; k < 4; k++) {
				char *p = strstr(text + (next_random() % (len / 2)), "слово");

				if (p)
					memcpy(p, "СЛОВО", 5 > strlen(p) ? strlen(p) : 5);
			}
			copies++;
		} else {
			make_text(text, sizeof(texts[0]), 250 + (unsigned)(next_random() % 200));
		}
		snprintf(url, sizeof(url), "https://bench.kz/%ld", i);
		in.source_id = source_id;
		in.url = url;
		in.title = url;
		in.text = text;
		in.fetched_at = 1700000000 + i;
		/* What story assignment adds on the CPU: shingles and bands once
		 * more (material_record computes them too). */
		t0 = now_seconds();
		{
			struct archive_shingles sh = { 0 };
			int64_t keys[ARCHIVE_STORY_BANDS];

			if (archive_shingles_of(text, &sh, &err) == VIGIL_OK)
				archive_story_bands(&sh, keys);
			archive_shingles_release(&sh);
		}
		shingle_seconds += now_seconds() - t0;
		/* One transaction per 1000 records: the figure is the work of a
		 * record, not the disk's sync latency. */
		if (i % 1000 == 0 && archive_begin(store, &err)) {
			fprintf(stderr, "story_bench: %s\n", err.message);
			return 1;
		}
		if (archive_material_record(store, &in, NULL, &id, &err)) {
			fprintf(stderr, "story_bench: %s\n", err.message);
			return 1;
		}
		if ((i % 1000 == 999 || i == n - 1) && archive_commit(store, &err)) {
			fprintf(stderr, "story_bench: %s\n", err.message);
			return 1;
		}
		if ((i + 1) % (n / 10) == 0) {
			double t = now_seconds();

			printf("materials %7ld: %.3f ms per material_record\n", i + 1,
			       (t - block_start) * 1000.0 / (double)(n / 10));
			fflush(stdout);
			block_start = t;
		}
	}
	printf("%ld materials, %d of them copies; shingles and bands: %.3f ms per text\n", n, copies,
	       shingle_seconds * 1000.0 / (double)n);
	archive_store_close(&store);
	free(texts);
	return 0;
}
