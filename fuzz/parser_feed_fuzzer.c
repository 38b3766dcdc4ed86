/*
 * parser_feed_fuzzer.c: parse_feed() on arbitrary bytes (RSS, Atom,
 * sitemaps, and anything else). Checks the output invariants the crawler
 * relies on: every item has an absolute http(s) URL without a fragment,
 * strings are valid UTF-8, dates start with YYYY-MM-DD; a failure leaves
 * the struct empty and names the URL; release is idempotent.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct parse_feed feed;
	struct vigil_error err = { 0 };

	if (parse_feed((const char *)data, size, "https://fuzz.example.kz/dir/feed.xml", &feed,
		       &err) != VIGIL_OK) {
		/* A failure must leave the struct empty and name the input. */
		FUZZ_CHECK(!feed.items && !feed.count && !feed.title);
		FUZZ_CHECK(strstr(err.message, "fuzz.example.kz"));
		return 0;
	}
	FUZZ_CHECK(fuzz_valid_utf8(feed.title));
	FUZZ_CHECK(feed.is_index == 0 || feed.is_index == 1);
	for (size_t i = 0; i < feed.count; i++) {
		const struct parse_feed_item *item = &feed.items[i];

		FUZZ_CHECK(fuzz_is_http_url(item->url) && !strchr(item->url, '#'));
		FUZZ_CHECK(fuzz_valid_utf8(item->url) && fuzz_valid_utf8(item->title) &&
			   fuzz_valid_utf8(item->summary) && fuzz_valid_utf8(item->published));
		FUZZ_CHECK(!item->published || fuzz_iso_date_prefix(item->published));
	}
	parse_feed_release(&feed);
	FUZZ_CHECK(!feed.items && !feed.count && !feed.title);
	parse_feed_release(&feed);
	return 0;
}
