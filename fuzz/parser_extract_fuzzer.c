/*
 * parser_extract_fuzzer.c: parse_extract() (charset, HTML tree, metadata,
 * main text) on arbitrary bytes. The first byte picks the call: bit 0 a
 * page URL or none, bits 1-2 the Content-Type; the rest is the body.
 * Checks: on success text and charset are set, every field is valid UTF-8,
 * canonical_url is http(s), published starts with YYYY-MM-DD; on failure
 * the document is empty and the message is not; release is idempotent.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

static const char *const content_types[] = {
	NULL,
	"text/html",
	"text/html; charset=windows-1251",
	"application/xhtml+xml; charset=koi8-r",
};

static void check_empty(const struct parse_document *doc)
{
	FUZZ_CHECK(!doc->title && !doc->author && !doc->published && !doc->language &&
		   !doc->canonical_url && !doc->description && !doc->site_name && !doc->charset &&
		   !doc->text);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *url = NULL, *content_type = NULL;
	struct parse_document doc;
	struct vigil_error err = { 0 };

	if (size > 0) {
		url = data[0] & 1 ? "https://fuzz.example.kz/news/2024/article.html?id=7" : NULL;
		content_type = content_types[(data[0] >> 1) & 3];
		data++;
		size--;
	}
	if (parse_extract((const char *)data, size, content_type, url, 1713441600, &doc, &err) != VIGIL_OK) {
		check_empty(&doc);
		FUZZ_CHECK(err.code != VIGIL_OK && err.message[0]);
		return 0;
	}
	FUZZ_CHECK(doc.text && doc.charset && doc.charset[0]);
	FUZZ_CHECK(fuzz_valid_utf8(doc.text) && fuzz_valid_utf8(doc.title) &&
		   fuzz_valid_utf8(doc.author) && fuzz_valid_utf8(doc.description) &&
		   fuzz_valid_utf8(doc.site_name) && fuzz_valid_utf8(doc.language) &&
		   fuzz_valid_utf8(doc.canonical_url) && fuzz_valid_utf8(doc.published));
	FUZZ_CHECK(!doc.canonical_url || fuzz_is_http_url(doc.canonical_url));
	FUZZ_CHECK(!doc.published || fuzz_iso_date_prefix(doc.published));
	FUZZ_CHECK(!doc.language || doc.language[0]);
	parse_document_release(&doc);
	check_empty(&doc);
	parse_document_release(&doc);
	return 0;
}
