/*
 * parser_links_fuzzer.c: parse_links() and parse_channel_page() on
 * arbitrary bytes as HTML. Every link must be an absolute http(s) URL
 * without a fragment, with no repeats; every post has an id and a URL.
 */
#include "../parser/parser.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int http_url(const char *url)
{
	return url && (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0) &&
	       !strchr(url, '#');
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct parse_links links;
	struct parse_channel channel;
	struct vigil_error err = { 0 };

	if (parse_links((const char *)data, size, NULL, "https://fuzz.example.kz/a/b.html", &links,
			&err) == VIGIL_OK) {
		for (size_t i = 0; i < links.count; i++) {
			if (!http_url(links.items[i].url) || !links.items[i].text)
				abort();
			/* Small pages only: the pairwise check is quadratic. */
			for (size_t k = 0; k < i && links.count < 200; k++)
				if (strcmp(links.items[i].url, links.items[k].url) == 0)
					abort();
		}
		parse_links_release(&links);
	}
	if (parse_channel_page((const char *)data, size, "text/html", "https://t.me/s/fuzz",
			       &channel, &err) == VIGIL_OK) {
		for (size_t i = 0; i < channel.count; i++)
			if (!channel.items[i].id || !http_url(channel.items[i].url) ||
			    !channel.items[i].text)
				abort();
		parse_channel_release(&channel);
	}
	return 0;
}
