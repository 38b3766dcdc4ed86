/*
 * parser_channel_fuzzer.c: parse_channel_page() (Telegram public preview
 * markup) and parse_channel_embed() (a single post's embed page) on
 * arbitrary bytes. The first byte picks the page URL (t.me or another
 * origin), the Content-Type, and (bit 2) the embed parser. Every post has
 * an id NAME/NUMBER matching its number, an absolute http(s) URL without a
 * fragment and text; ids are unique; strings are valid UTF-8; dates start
 * with YYYY-MM-DD; links are http(s) without a fragment; album numbers
 * ascend and lie in the page's id range with the post numbers; release is
 * idempotent.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

static void check_post(const struct parse_channel_post *post)
{
	const char *slash = post->id ? strchr(post->id, '/') : NULL;

	FUZZ_CHECK(slash && slash > post->id && slash[1]);
	FUZZ_CHECK(strspn(slash + 1, "0123456789") == strlen(slash + 1));
	FUZZ_CHECK(post->number == strtoll(slash + 1, NULL, 10));
	FUZZ_CHECK(fuzz_is_http_url(post->url) && !strchr(post->url, '#'));
	FUZZ_CHECK(post->text);
	FUZZ_CHECK(fuzz_valid_utf8(post->id) && fuzz_valid_utf8(post->url) &&
		   fuzz_valid_utf8(post->text) && fuzz_valid_utf8(post->author) &&
		   fuzz_valid_utf8(post->published) && fuzz_valid_utf8(post->forwarded_from));
	FUZZ_CHECK(!post->published || fuzz_iso_date_prefix(post->published));
	FUZZ_CHECK(post->views >= -1 && (post->edited == 0 || post->edited == 1));
	/* parse_guess_language: a two-letter code (ru, kk, uk, en, de, ...) */
	FUZZ_CHECK(!post->language || (strlen(post->language) == 2 &&
				       strspn(post->language, "abcdefghijklmnopqrstuvwxyz") == 2));
	FUZZ_CHECK(!post->forwarded_url ||
		   (fuzz_is_http_url(post->forwarded_url) && !strchr(post->forwarded_url, '#')));
	FUZZ_CHECK(!post->link_count == !post->links);
	for (size_t k = 0; k < post->link_count; k++)
		FUZZ_CHECK(fuzz_is_http_url(post->links[k]) && !strchr(post->links[k], '#'));
	FUZZ_CHECK(!post->album_count == !post->album);
	for (size_t k = 0; k < post->album_count; k++)
		FUZZ_CHECK(post->album[k] >= 0 && (k == 0 || post->album[k] > post->album[k - 1]));
}

static int fuzz_embed(const char *data, size_t size, const char *content_type, const char *base)
{
	struct parse_channel_embed embed;
	struct vigil_error err = { 0 };

	if (parse_channel_embed(data, size, content_type, base, &embed, &err) != VIGIL_OK) {
		FUZZ_CHECK(embed.state == PARSE_EMBED_UNKNOWN && !embed.error && !embed.post.id &&
			   err.message[0]);
		return 0;
	}
	FUZZ_CHECK((embed.state == PARSE_EMBED_ERROR) == (embed.error != NULL));
	FUZZ_CHECK(!embed.error || (embed.error[0] && fuzz_valid_utf8(embed.error)));
	FUZZ_CHECK((embed.state == PARSE_EMBED_POST) == (embed.post.id != NULL));
	if (embed.post.id)
		check_post(&embed.post);
	parse_channel_embed_release(&embed);
	FUZZ_CHECK(embed.state == PARSE_EMBED_UNKNOWN && !embed.error && !embed.post.id);
	parse_channel_embed_release(&embed);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *base = "https://t.me/s/fuzz", *content_type = "text/html";
	struct parse_channel channel;
	struct vigil_error err = { 0 };

	if (size > 0) {
		int embed = data[0] & 4;

		if (data[0] & 1)
			base = embed ? "http://mirror.example.kz:8080/fuzz/23?embed=1"
				     : "http://mirror.example.kz:8080/s/fuzz?before=10";
		else if (embed)
			base = "https://t.me/fuzz/23?embed=1";
		if (data[0] & 2)
			content_type = NULL;
		data++;
		size--;
		if (embed)
			return fuzz_embed((const char *)data, size, content_type, base);
	}
	if (parse_channel_page((const char *)data, size, content_type, base, &channel, &err) !=
	    VIGIL_OK) {
		FUZZ_CHECK(!channel.items && !channel.count && !channel.title && err.message[0]);
		return 0;
	}
	FUZZ_CHECK(fuzz_valid_utf8(channel.title));
	FUZZ_CHECK(channel.count <= 2000);
	FUZZ_CHECK(channel.before >= 0 && channel.min_number <= channel.max_number);
	for (size_t i = 0; i < channel.count; i++) {
		const struct parse_channel_post *post = &channel.items[i];

		check_post(post);
		if (post->number > 0)
			FUZZ_CHECK(post->number >= channel.min_number &&
				   post->number <= channel.max_number);
		for (size_t k = 0; k < post->album_count; k++)
			FUZZ_CHECK(post->album[k] <= 0 || (post->album[k] >= channel.min_number &&
							   post->album[k] <= channel.max_number));
		for (size_t k = 0; k < i && channel.count < 200; k++)
			FUZZ_CHECK(strcmp(post->id, channel.items[k].id) != 0);
	}
	parse_channel_release(&channel);
	FUZZ_CHECK(!channel.items && !channel.count && !channel.title);
	parse_channel_release(&channel);
	return 0;
}
