/* test_parser_page.c: one parsed page (parse_page_read) serves links and
 * extraction, in either order, with the results of the separate calls
 * (parse_links, parse_extract); <noscript> content still gives links. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdlib.h>

static char *read_fixture(const char *name, size_t *len)
{
	return check_read_fixture("parser", name, len);
}

static int same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_links(const struct parse_links *a, const struct parse_links *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->items[i].url, b->items[i].url) != 0 ||
		    strcmp(a->items[i].text, b->items[i].text) != 0)
			return 0;
	return 1;
}

static int same_document(const struct parse_document *a, const struct parse_document *b)
{
	if (a->warning_count != b->warning_count)
		return 0;
	for (size_t i = 0; i < a->warning_count; i++)
		if (strcmp(a->warnings[i], b->warnings[i]) != 0)
			return 0;
	return same_text(a->title, b->title) && same_text(a->author, b->author) &&
	       same_text(a->published, b->published) &&
	       same_text(a->published_source, b->published_source) &&
	       same_text(a->language, b->language) &&
	       same_text(a->canonical_url, b->canonical_url) &&
	       same_text(a->description, b->description) &&
	       same_text(a->site_name, b->site_name) && same_text(a->charset, b->charset) &&
	       same_text(a->text, b->text);
}

/* One page read once: links, extraction, links again (the extraction used
 * the tree up: it is read again from the page's text) and a second
 * extraction, against the separate calls on the same bytes. Returns the link count (for the caller's
 * sanity check that the page had links at all). */
static size_t check_shared(const char *body, size_t len, const char *content_type,
			   const char *url)
{
	struct parse_links separate_links = { 0 }, first = { 0 }, again = { 0 };
	struct parse_document separate_doc = { 0 }, doc = { 0 }, doc_again = { 0 };
	struct vigil_error err = { 0 };
	struct parse_page *page = NULL;
	const int64_t fetched_at = 1713430800; /* 2024-04-18 09:00 UTC */
	size_t count;

	CHECK_OK(parse_links(body, len, content_type, url, &separate_links, &err));
	CHECK_OK(parse_extract(body, len, content_type, url, fetched_at, &separate_doc, &err));
	CHECK_OK(parse_page_read(body, len, content_type, url, &page, &err));
	CHECK(page != NULL);
	if (!page)
		return 0;
	CHECK_OK(parse_page_links(page, &first, &err));
	CHECK_OK(parse_page_extract(page, fetched_at, &doc, &err));
	CHECK_OK(parse_page_links(page, &again, &err));
	CHECK_OK(parse_page_extract(page, fetched_at, &doc_again, &err));
	CHECK(same_links(&first, &separate_links));
	CHECK(same_links(&again, &separate_links));
	CHECK(same_document(&doc, &separate_doc));
	CHECK(same_document(&doc_again, &separate_doc));
	CHECK(doc.text && *doc.text);
	count = first.count;
	parse_page_free(&page);
	CHECK(page == NULL);
	parse_page_free(&page); /* a freed page may be freed again */
	parse_links_release(&separate_links);
	parse_links_release(&first);
	parse_links_release(&again);
	parse_document_release(&separate_doc);
	parse_document_release(&doc);
	parse_document_release(&doc_again);
	return count;
}

static void test_fixtures(void)
{
	static const struct {
		const char *name, *content_type, *url;
	} pages[] = {
		/* UTF-8 used in place, many links, a heavy template */
		{ "optimism_article.html", "text/html", "https://optimism.example.kz/news/1" },
		/* windows-1251 declared in <meta>: decoded into a copy */
		{ "ru_cp1251_meta.html", NULL, "https://news.example.kz/a" },
		{ "ru_cp1251_header.html", "text/html; charset=windows-1251",
		  "https://news.example.kz/b" },
		{ "links_base_cp1251.html", "text/html", "https://news.example.kz/section/page.html" },
		{ "extract/noscript.html", NULL, "https://harbour.example.org/news/reopens" },
	};

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		size_t len;
		char *body = read_fixture(pages[i].name, &len);

		if (i != 1 && i != 2 && i != 4)
			CHECK(check_shared(body, len, pages[i].content_type, pages[i].url) > 5);
		else
			check_shared(body, len, pages[i].content_type, pages[i].url);
		free(body);
	}
}

/*
 * The tree is read with <noscript> cut out (extraction needs that: an open
 * <div> in a noscript would swallow the page), yet its links are found, in
 * document order, and an image link whose only picture is in a noscript
 * still has the image's alt as its text.
 */
static void test_noscript_links(void)
{
	static const char page_html[] =
		"<!DOCTYPE html><html><head><title>Storm</title>"
		"<noscript><a href='/head-fallback'>head fallback</a></noscript></head><body>"
		"<a href='/first'>First</a>"
		"<noscript><div class='warn'>Enable scripts <a href='/no-js'>plain site</a>"
		"</noscript>"
		"<a href='/story'><noscript><img src='/p.jpg' alt='Harbour  wall'></noscript></a>"
		"<p>The harbour reopened on Monday after six months of repairs to the sea wall, "
		"which the January storm had breached in two places; engineers rebuilt forty "
		"metres of it with granite from the quarry above the town.</p>"
		"<a href='/last'>Last</a></body></html>";
	static const char *const expected[][2] = {
		{ "https://example.org/head-fallback", "head fallback" },
		{ "https://example.org/first", "First" },
		{ "https://example.org/no-js", "plain site" },
		{ "https://example.org/story", "Harbour wall" },
		{ "https://example.org/last", "Last" },
	};
	struct parse_links links = { 0 };
	struct parse_document doc = { 0 };
	struct vigil_error err = { 0 };
	size_t n = sizeof(expected) / sizeof(expected[0]);

	CHECK_OK(parse_links(page_html, strlen(page_html), NULL, "https://example.org/x", &links,
			     &err));
	CHECK(links.count == n);
	for (size_t i = 0; i < n && i < links.count; i++) {
		CHECK_STR(links.items[i].url, expected[i][0]);
		CHECK_STR(links.items[i].text, expected[i][1]);
	}
	parse_links_release(&links);
	/* the open <div> in the noscript did not take the article with it */
	CHECK_OK(parse_extract(page_html, strlen(page_html), NULL, "https://example.org/x", 0,
			       &doc, &err));
	CHECK_CONTAINS(doc.text, "The harbour reopened on Monday");
	CHECK(!strstr(doc.text, "Enable scripts"));
	parse_document_release(&doc);
	check_shared(page_html, strlen(page_html), NULL, "https://example.org/x");
}

/* Reading fails as parse_extract does, with nothing to free. */
static void test_errors(void)
{
	struct parse_page *page = (struct parse_page *)&page;
	struct vigil_error err = { 0 };

	CHECK(parse_page_read("", 0, NULL, "https://example.org/empty", &page, &err) ==
	      VIGIL_ERR_PARSE);
	CHECK(page == NULL);
	CHECK_CONTAINS(err.message, "https://example.org/empty");
}

int main(void)
{
	test_fixtures();
	test_noscript_links();
	test_errors();
	CHECK_DONE();
}
