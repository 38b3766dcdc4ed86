/*
 * parser_feed_fuzzer.c: parse_feed() on arbitrary bytes (RSS, Atom,
 * sitemaps, and anything else). Checks the output invariants the crawler
 * relies on: every item has an absolute http(s) URL without a fragment,
 * strings are NUL-terminated UTF-8 the caller can free.
 */
#include "../parser/parser.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct parse_feed feed;
	struct vigil_error err = { 0 };
	enum vigil_code code;

	code = parse_feed((const char *)data, size, "https://fuzz.example.kz/dir/feed.xml", &feed,
			  &err);
	if (code != VIGIL_OK) {
		if (feed.items || feed.count || feed.title)
			abort(); /* a failure must leave the struct empty */
		if (!strstr(err.message, "fuzz.example.kz"))
			abort(); /* and name the input */
		return 0;
	}
	for (size_t i = 0; i < feed.count; i++) {
		const char *url = feed.items[i].url;

		if (!url || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
		    strchr(url, '#'))
			abort();
		if (feed.items[i].published && strlen(feed.items[i].published) < 10)
			abort();
	}
	parse_feed_release(&feed);
	return 0;
}
