/*
 * parser_channel_fuzzer.c: parse_channel_page() (Telegram public preview
 * markup) on arbitrary bytes. The first byte picks the page URL (t.me or
 * another origin) and the Content-Type. Every post has an id NAME/NUMBER,
 * an absolute http(s) URL without a fragment and text; ids are unique;
 * strings are valid UTF-8; dates start with YYYY-MM-DD; release is
 * idempotent.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *base = "https://t.me/s/fuzz", *content_type = "text/html";
	struct parse_channel channel;
	struct vigil_error err = { 0 };

	if (size > 0) {
		if (data[0] & 1)
			base = "http://mirror.example.kz:8080/s/fuzz?before=10";
		if (data[0] & 2)
			content_type = NULL;
		data++;
		size--;
	}
	if (parse_channel_page((const char *)data, size, content_type, base, &channel, &err) !=
	    VIGIL_OK) {
		FUZZ_CHECK(!channel.items && !channel.count && !channel.title && err.message[0]);
		return 0;
	}
	FUZZ_CHECK(fuzz_valid_utf8(channel.title));
	FUZZ_CHECK(channel.count <= 2000);
	for (size_t i = 0; i < channel.count; i++) {
		const struct parse_channel_post *post = &channel.items[i];
		const char *slash = post->id ? strchr(post->id, '/') : NULL;

		FUZZ_CHECK(slash && slash > post->id && slash[1]);
		FUZZ_CHECK(strspn(slash + 1, "0123456789") == strlen(slash + 1));
		FUZZ_CHECK(fuzz_is_http_url(post->url) && !strchr(post->url, '#'));
		FUZZ_CHECK(post->text);
		FUZZ_CHECK(fuzz_valid_utf8(post->id) && fuzz_valid_utf8(post->url) &&
			   fuzz_valid_utf8(post->text) && fuzz_valid_utf8(post->author) &&
			   fuzz_valid_utf8(post->published));
		FUZZ_CHECK(!post->published || fuzz_iso_date_prefix(post->published));
		for (size_t k = 0; k < i && channel.count < 200; k++)
			FUZZ_CHECK(strcmp(post->id, channel.items[k].id) != 0);
	}
	parse_channel_release(&channel);
	FUZZ_CHECK(!channel.items && !channel.count && !channel.title);
	parse_channel_release(&channel);
	return 0;
}
