/*
 * article.c: is a fetched page an article (crawl_page_is_article, see
 * crawler_int.h and crawler/README.md, "Only articles become materials")?
 * Feeds, sitemaps, home, section and listing pages are archived and used
 * for link discovery, but their text is no material: indexed, their
 * headlines run together into one text that matches every query.
 *
 * The answer uses only the answer itself (its type, its URL, its own
 * metadata, the shape of its extracted text), so a reindex from the WARC
 * files decides the same.
 */
#include "crawler_int.h"
#include "../common/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Extracted texts shorter than this (in characters) are stubs. */
#define ARTICLE_MIN_CHARS 200
/* A line of prose: at least this many characters with a sentence end in
 * it. Headlines are shorter or end without a full stop. */
#define PROSE_LINE_CHARS 80
/* Below this share of prose the text is a list (of headlines, dates,
 * teasers' first words). */
#define PROSE_SHARE_MIN 0.5
/* A page that declares itself no article ("website") needs this much. */
#define PROSE_SHARE_DECLARED_OTHER 0.8

static int starts_with_tag(const char *body, size_t len, const char *tag)
{
	size_t n = strlen(tag);

	return len >= n && strncasecmp(body, tag, n) == 0;
}

int crawl_body_is_feed(const char *content_type, const char *body, size_t len)
{
	static const char *const roots[] = { "<?xml", "<rss", "<feed", "<urlset", "<sitemapindex",
					     "<rdf:RDF", NULL };
	size_t skip = 0;

	if (content_type && (strcasestr(content_type, "rss") || strcasestr(content_type, "atom") ||
			     strcasestr(content_type, "/xml") || strcasestr(content_type, "+xml")) &&
	    !strcasestr(content_type, "xhtml"))
		return 1;
	if (content_type && strcasestr(content_type, "html"))
		return 0;
	/* No type, or a generic one: the first tag decides. A UTF-8 BOM and
	 * blanks may come first. */
	if (len >= 3 && (unsigned char)body[0] == 0xEF && (unsigned char)body[1] == 0xBB &&
	    (unsigned char)body[2] == 0xBF)
		skip = 3;
	while (skip < len && (body[skip] == ' ' || body[skip] == '\t' || body[skip] == '\r' ||
			      body[skip] == '\n'))
		skip++;
	for (size_t i = 0; roots[i]; i++)
		if (starts_with_tag(body + skip, len - skip, roots[i])) {
			/* an XHTML page may open with an XML declaration too */
			if (i == 0 && memmem(body, len < 1024 ? len : 1024, "<html", 5))
				return 0;
			return 1;
		}
	return 0;
}

int crawl_body_is_html(const char *content_type, const char *body, size_t len)
{
	/* a missing or generic type: the parser reads it as HTML unless the
	 * body is a feed */
	int html_type = !content_type || !*content_type || strcasestr(content_type, "text/html") ||
			strcasestr(content_type, "xhtml") ||
			strncasecmp(content_type, "text/plain", 10) == 0 ||
			strncasecmp(content_type, "application/octet-stream", 24) == 0;

	return html_type && !crawl_body_is_feed(content_type, body, len);
}

/* Does the line [s, s + len) end a sentence somewhere: ". ", "! ", "? ",
 * "…", "。" or one of those at its end (a closing quote or bracket may
 * follow)? */
static int has_sentence_end(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		size_t next = i + 1;

		if ((c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		     (unsigned char)s[i + 2] == 0xA6) || /* … */
		    (c == 0xE3 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
		     (unsigned char)s[i + 2] == 0x82)) /* 。 */
			return 1;
		if (c != '.' && c != '!' && c != '?')
			continue;
		while (next < len && (s[next] == '"' || s[next] == ')' || s[next] == '\'' ||
				      (next + 1 < len && (unsigned char)s[next] == 0xC2 &&
				       (unsigned char)s[next + 1] == 0xBB))) /* » */
			next += (unsigned char)s[next] == 0xC2 ? 2 : 1;
		if (next >= len || s[next] == ' ')
			return 1;
	}
	return 0;
}

double crawl_prose_share(const char *text)
{
	size_t total = 0, prose = 0;

	if (!text)
		return 0;
	for (const char *s = text; *s;) {
		size_t len = strcspn(s, "\n");
		size_t chars = vigil_utf8_count_chars_n(s, len);

		total += chars;
		if (chars >= PROSE_LINE_CHARS && has_sentence_end(s, len))
			prose += chars;
		s += len;
		while (*s == '\n')
			s++;
	}
	return total ? (double)prose / (double)total : 0;
}

/* The site's root ("/", "/index.html", any query). */
static int home_page(const char *url)
{
	char *path = vigil_url_path_query(url, NULL);
	size_t len;
	int home;

	if (!path)
		return 0;
	len = strcspn(path, "?#");
	path[len] = '\0';
	home = !strcmp(path, "/") || !strcmp(path, "") || !strcasecmp(path, "/index.html") ||
	       !strcasecmp(path, "/index.htm") || !strcasecmp(path, "/index.php");
	free(path);
	return home;
}

int crawl_page_is_article(const struct crawl_page *page, const char **why)
{
	const char *reason = NULL;
	double prose;

	if (!crawl_body_is_html(page->content_type, page->body, page->body_len))
		reason = "not an HTML page";
	else if (!page->doc || !page->doc->text ||
		 vigil_utf8_count_chars(page->doc->text) < ARTICLE_MIN_CHARS)
		reason = "text under 200 characters";
	else if (page->doc->declared == PARSE_DECLARED_ARTICLE)
		reason = NULL;
	else if (home_page(page->url))
		reason = "the site's home page";
	else if ((prose = crawl_prose_share(page->doc->text)) < PROSE_SHARE_MIN)
		reason = "a list, not prose";
	else if (page->doc->declared == PARSE_DECLARED_OTHER && prose < PROSE_SHARE_DECLARED_OTHER)
		reason = "declared no article (og:type) and not mostly prose";
	if (why)
		*why = reason;
	return reason == NULL;
}
