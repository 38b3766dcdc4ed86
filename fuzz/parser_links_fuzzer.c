/*
 * parser_links_fuzzer.c: parse_links() on arbitrary bytes as HTML (the
 * first byte picks the Content-Type). Every link must be an absolute
 * http(s) URL without a fragment, with no repeats, with valid UTF-8 text;
 * release is idempotent. Channel pages have their own target.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

static const char *const content_types[] = {
	NULL,
	"text/html",
	"text/html; charset=windows-1251",
	"text/html; charset=utf-8",
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *content_type = NULL;
	struct parse_links links;
	struct vigil_error err = { 0 };

	if (size > 0) {
		content_type = content_types[data[0] & 3];
		data++;
		size--;
	}
	if (parse_links((const char *)data, size, content_type, "https://fuzz.example.kz/a/b.html",
			&links, &err) != VIGIL_OK) {
		FUZZ_CHECK(!links.items && !links.count && err.message[0]);
		return 0;
	}
	for (size_t i = 0; i < links.count; i++) {
		const char *url = links.items[i].url;

		FUZZ_CHECK(fuzz_is_http_url(url) && !strchr(url, '#'));
		FUZZ_CHECK(links.items[i].text && fuzz_valid_utf8(links.items[i].text));
		FUZZ_CHECK(fuzz_valid_utf8(url));
		/* Small pages only: the pairwise check is quadratic. */
		for (size_t k = 0; k < i && links.count < 200; k++)
			FUZZ_CHECK(strcmp(url, links.items[k].url) != 0);
	}
	parse_links_release(&links);
	FUZZ_CHECK(!links.items && !links.count);
	parse_links_release(&links);
	return 0;
}
