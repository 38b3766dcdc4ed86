/*
 * parser_meta_fuzzer.c: the metadata readers on arbitrary HTML: <meta>,
 * og:, twitter:, itemprop, <time>, and the tolerant JSON-LD reader
 * (parse_meta_collect), plus the page-text date finder (parse_find_date)
 * and the language guesser. Faster than parse_extract because the main
 * text is not extracted, so the fuzzer gets deeper into JSON-LD.
 * Checks: every field valid UTF-8, canonical_url http(s), dates start with
 * YYYY-MM-DD, the language guess is kk/ru/en or NULL.
 */
#include "fuzz_check.h"

#include "../parser/parser_int.h"

#include <libxml/tree.h>

/* A fixed fetch time (2024-04-18T12:00:00Z) so that relative dates are read
 * and replays are repeatable. */
#define FUZZ_FETCHED_AT 1713441600

static void check_date(const char *date)
{
	FUZZ_CHECK(!date || fuzz_iso_date_prefix(date));
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *url = "https://fuzz.example.kz/kk/news/1.html";
	struct parse_document doc = { 0 };
	struct vigil_error err = { 0 };
	htmlDocPtr tree = NULL;
	char *hint = NULL, *utf8 = NULL, *lower, *date;
	size_t utf8_len = 0;
	const char *language;

	if (parse_html_read((const char *)data, size, NULL, url, &tree, NULL, &err) != VIGIL_OK) {
		FUZZ_CHECK(!tree && err.message[0]);
		return 0;
	}
	if (parse_meta_collect(tree, url, FUZZ_FETCHED_AT, &doc, &hint) == VIGIL_OK) {
		FUZZ_CHECK(fuzz_valid_utf8(doc.title) && fuzz_valid_utf8(doc.author) &&
			   fuzz_valid_utf8(doc.description) && fuzz_valid_utf8(doc.site_name) &&
			   fuzz_valid_utf8(doc.language) && fuzz_valid_utf8(doc.canonical_url) &&
			   fuzz_valid_utf8(doc.published) && fuzz_valid_utf8(hint));
		FUZZ_CHECK(!doc.canonical_url || fuzz_is_http_url(doc.canonical_url));
		check_date(doc.published);
		/* a date always names its evidence and is one the index can read */
		FUZZ_CHECK(!doc.published == !doc.published_source);
		FUZZ_CHECK(!doc.published || vigil_parse_time(doc.published, &(int64_t){ 0 }) == 0);
	}
	parse_document_release(&doc);
	free(hint);
	xmlFreeDoc(tree);

	/* The page-text date finder and language guess see the decoded body. */
	if (parse_decode_to_utf8((const char *)data, size, NULL, &utf8, &utf8_len, NULL, &err) !=
	    VIGIL_OK)
		return 0;
	lower = parse_utf8_lower(utf8);
	if (lower) {
		FUZZ_CHECK(fuzz_valid_utf8(lower));
		/* Only out of memory may fail, and then it says nothing. */
		if (parse_find_date(lower, &date) == VIGIL_OK)
			check_date(date);
		else
			FUZZ_CHECK(!date);
		free(date);
		language = parse_guess_language(lower);
		FUZZ_CHECK(!language || (strlen(language) == 2 && language[0] >= 'a' &&
					 language[0] <= 'z' && language[1] >= 'a' &&
					 language[1] <= 'z'));
		free(lower);
	}
	free(utf8);
	return 0;
}
