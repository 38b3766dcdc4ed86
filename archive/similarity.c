/*
 * similarity.c: near-duplicate texts, for grouping syndicated copies of one
 * story (archive/README.md, "Stories"). No library: the text is folded
 * (archive_lower_text: case, ё -> е), cut into words (archive_next_word:
 * punctuation and white space only separate words; soft hyphens and
 * combining accents are dropped from a word), and every run of
 * ARCHIVE_SHINGLE_WORDS consecutive words becomes one 64-bit shingle hash.
 *
 * Two uses of the shingle set:
 *  - the exact resemblance (Jaccard) of two sets, which decides whether two
 *    texts are one story (>= ARCHIVE_STORY_THRESHOLD);
 *  - a MinHash signature of ARCHIVE_STORY_BANDS x ARCHIVE_STORY_ROWS
 *    values, cut into bands whose hashes are the keys of the index's band
 *    table, so that only materials sharing a band are compared (LSH).
 *
 * Every hash is spelled out below (FNV-1a for words, splitmix64 for the
 * rest), so band keys are the same on every machine and after a reindex.
 */
#include "archive_int.h"

#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* Hash of one folded word, without the marks that do not change it. */
static uint64_t word_hash(const char *word, size_t len)
{
	const unsigned char *p = (const unsigned char *)word;
	uint64_t h = FNV_OFFSET;
	size_t i = 0;

	while (i < len) {
		uint32_t c;
		size_t n = vigil_utf8_decode(p + i, len - i, &c);

		if (!n)
			n = 1;
		else if (archive_silent_mark(c)) {
			i += n;
			continue;
		}
		for (size_t k = 0; k < n; k++) {
			h ^= p[i + k];
			h *= FNV_PRIME;
		}
		i += n;
	}
	return h;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void archive_shingles_release(struct archive_shingles *shingles)
{
	if (!shingles)
		return;
	free(shingles->hashes);
	memset(shingles, 0, sizeof(*shingles));
}

enum vigil_code archive_shingles_of(const char *text, struct archive_shingles *out,
				    struct vigil_error *err)
{
	uint64_t window[ARCHIVE_SHINGLE_WORDS];
	size_t words = 0, cap = 0, pos = 0, start, end, len;
	char *folded;

	memset(out, 0, sizeof(*out));
	if (!text || !*text)
		return VIGIL_OK;
	folded = archive_lower_text(text);
	if (!folded)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "shingles: out of memory");
	len = strlen(folded);
	while (archive_next_word(folded, len, &pos, &start, &end)) {
		uint64_t h = word_hash(folded + start, end - start);

		if (h == FNV_OFFSET)
			continue; /* only silent marks */
		window[words % ARCHIVE_SHINGLE_WORDS] = h;
		words++;
		if (words < ARCHIVE_SHINGLE_WORDS)
			continue;
		if (out->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 256;
			uint64_t *grown = realloc(out->hashes, grown_cap * sizeof(*grown));

			if (!grown) {
				free(folded);
				archive_shingles_release(out);
				return vigil_error_set(err, VIGIL_ERR_NOMEM, "shingles: out of memory");
			}
			out->hashes = grown;
			cap = grown_cap;
		}
		h = 0;
		for (size_t k = words - ARCHIVE_SHINGLE_WORDS; k < words; k++)
			h = mix64(h ^ window[k % ARCHIVE_SHINGLE_WORDS]);
		out->hashes[out->count++] = h;
	}
	free(folded);
	/* A text shorter than one shingle is one shingle of all its words: it
	 * can only ever equal the same short text. */
	if (words > 0 && words < ARCHIVE_SHINGLE_WORDS) {
		uint64_t h = 0;

		out->hashes = malloc(sizeof(*out->hashes));
		if (!out->hashes)
			return vigil_error_set(err, VIGIL_ERR_NOMEM, "shingles: out of memory");
		for (size_t k = 0; k < words; k++)
			h = mix64(h ^ window[k]);
		out->hashes[0] = mix64(h ^ words);
		out->count = 1;
		return VIGIL_OK;
	}
	if (out->count > 1) {
		size_t kept = 1;

		qsort(out->hashes, out->count, sizeof(*out->hashes), compare_u64);
		for (size_t i = 1; i < out->count; i++)
			if (out->hashes[i] != out->hashes[kept - 1])
				out->hashes[kept++] = out->hashes[i];
		out->count = kept;
	}
	return VIGIL_OK;
}

double archive_shingles_similarity(const struct archive_shingles *a,
				   const struct archive_shingles *b)
{
	size_t i = 0, j = 0, common = 0;

	if (!a || !b || !a->count || !b->count)
		return 0.0;
	while (i < a->count && j < b->count) {
		if (a->hashes[i] == b->hashes[j]) {
			common++;
			i++;
			j++;
		} else if (a->hashes[i] < b->hashes[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)common / (double)(a->count + b->count - common);
}

size_t archive_story_bands(const struct archive_shingles *shingles,
			   int64_t keys[ARCHIVE_STORY_BANDS])
{
	uint64_t minimum[ARCHIVE_STORY_BANDS * ARCHIVE_STORY_ROWS];
	uint64_t seeds[ARCHIVE_STORY_BANDS * ARCHIVE_STORY_ROWS];
	size_t n = ARCHIVE_STORY_BANDS * ARCHIVE_STORY_ROWS;

	if (!shingles || !shingles->count)
		return 0;
	for (size_t f = 0; f < n; f++) {
		seeds[f] = mix64(0x5107195eedULL + f);
		minimum[f] = UINT64_MAX;
	}
	for (size_t i = 0; i < shingles->count; i++)
		for (size_t f = 0; f < n; f++) {
			uint64_t h = mix64(shingles->hashes[i] ^ seeds[f]);

			if (h < minimum[f])
				minimum[f] = h;
		}
	for (size_t band = 0; band < ARCHIVE_STORY_BANDS; band++) {
		uint64_t h = mix64(band + 1);

		for (size_t r = 0; r < ARCHIVE_STORY_ROWS; r++)
			h = mix64(h ^ minimum[band * ARCHIVE_STORY_ROWS + r]);
		/* 31 bits: SQLite stores the key in 4 bytes instead of 8. A
		 * collision only adds a candidate, which the exact comparison
		 * then drops. */
		keys[band] = (int64_t)(h >> 33);
	}
	return ARCHIVE_STORY_BANDS;
}
