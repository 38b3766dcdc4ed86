/*
 * test_crawler_article.c: only articles become materials
 * (crawl_page_is_article, crawl_body_is_feed, crawl_prose_share). The
 * articles are the demo site's (with and without og:type / JSON-LD); the
 * listing pages are tests/fixtures/crawler/article/listing-*.html (a
 * section with teasers, a tag page, search results, a day's archive, an
 * author's page, a Kazakh section) and the demo site's home pages.
 */
#include "check.h"
#include "../../crawler/crawler_int.h"

#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL) {
		*len = fread(buf, 1, (size_t)n, f);
		buf[*len] = '\0';
	}
	fclose(f);
	return buf;
}

/* Judge the page at fixture path rel (under the repository), read at url.
 * 1 article, 0 not, -1 unreadable. */
static int judge(const char *rel, const char *url, const char **why)
{
	char path[512];
	size_t len = 0;
	char *body;
	struct parse_document doc = { 0 };
	struct vigil_error err = { 0 };
	struct crawl_page page = { 0 };
	int article;

	snprintf(path, sizeof(path), "%s/../%s", check_fixture_dir(), rel);
	body = slurp(path, &len);
	if (!body) {
		fprintf(stderr, "cannot read %s\n", path);
		return -1;
	}
	if (parse_extract(body, len, "text/html; charset=utf-8", url, 0, &doc, &err) != VIGIL_OK) {
		fprintf(stderr, "%s: %s\n", path, err.message);
		free(body);
		return -1;
	}
	page.url = url;
	page.content_type = "text/html; charset=utf-8";
	page.body = body;
	page.body_len = len;
	page.doc = &doc;
	article = crawl_page_is_article(&page, why);
	parse_document_release(&doc);
	free(body);
	return article;
}

static void expect(const char *rel, const char *url, int article, const char *reason)
{
	const char *why = NULL;
	int got = judge(rel, url, &why);

	if (got != article)
		fprintf(stderr, "%s: article %d, expected %d (%s)\n", rel, got, article,
			why ? why : "-");
	CHECK(got == article);
	if (reason && got == article)
		CHECK_STR(why, reason);
}

int main(void)
{
	static const char *const listings[] = {
		"listing-section-teasers.html", "listing-tag.html", "listing-search.html",
		"listing-archive-day.html", "listing-author.html", "listing-kk-section.html",
	};
	char rel[128];

	/* articles declared by og:type / JSON-LD */
	expect("demo-site/civic/news/2024/04/kostanaj-dopros-zhurnalista.html",
	       "http://civic.kz/news/2024/04/kostanaj-dopros-zhurnalista.html", 1, NULL);
	expect("demo-site/optimism/2024/06/12/v-almaty-perekroyut-tole-bi/index.html",
	       "http://optimism.kz/2024/06/12/v-almaty-perekroyut-tole-bi/", 1, NULL);
	/* articles that declare nothing: their text is prose */
	expect("demo-site/vestnik/2024/07/semey-piket.html", "http://vestnik.kz/2024/07/semey-piket.html",
	       1, NULL);
	expect("demo-site/vestnik/2024/07/turkestan-fond.html",
	       "http://vestnik.kz/2024/07/turkestan-fond.html", 1, NULL);
	/* the same article at the site's root is a home page */
	expect("demo-site/vestnik/2024/07/semey-piket.html", "http://vestnik.kz/", 0,
	       "the site's home page");
	expect("demo-site/vestnik/2024/07/semey-piket.html", "http://vestnik.kz/index.html?page=2", 0,
	       "the site's home page");
	/* a declared article stays one wherever it is */
	expect("demo-site/civic/news/2024/04/kostanaj-dopros-zhurnalista.html", "http://civic.kz/", 1,
	       NULL);

	/* listing pages, section pages, home pages */
	for (size_t i = 0; i < sizeof(listings) / sizeof(listings[0]); i++) {
		snprintf(rel, sizeof(rel), "fixtures/crawler/article/%s", listings[i]);
		expect(rel, "http://news.kz/news/section/", 0, NULL);
	}
	expect("fixtures/crawler/article/listing-section-teasers.html", "http://news.kz/news/", 0,
	       "a list, not prose");
	expect("demo-site/civic/index.html", "http://civic.kz/news/", 0,
	       "declared no article (og:type) and not mostly prose");

	/* feeds and sitemaps are not HTML pages, whatever their type says */
	CHECK(crawl_body_is_feed("application/rss+xml", "<rss>", 5));
	CHECK(crawl_body_is_feed("text/xml; charset=utf-8", "<urlset>", 8));
	CHECK(crawl_body_is_feed(NULL, "\xEF\xBB\xBF  <?xml version=\"1.0\"?><rss>", 31));
	CHECK(crawl_body_is_feed("text/plain", "\n<feed xmlns=\"http://www.w3.org/2005/Atom\">", 43));
	CHECK(!crawl_body_is_feed("text/html", "<?xml version=\"1.0\"?><rss>", 26));
	CHECK(!crawl_body_is_feed(NULL, "<?xml version=\"1.0\"?>\n<html><body>x</body></html>", 49));
	CHECK(!crawl_body_is_feed("application/xhtml+xml", "<?xml version=\"1.0\"?><html>", 27));
	CHECK(crawl_body_is_html(NULL, "<html><body>", 12));
	CHECK(!crawl_body_is_html("image/jpeg", "\xFF\xD8\xFF", 3));
	CHECK(!crawl_body_is_html("application/atom+xml", "<feed>", 6));

	/* prose: long lines with a sentence end; headlines are not */
	CHECK(crawl_prose_share("Короткий заголовок без точки\n12.05.2024") == 0);
	CHECK(crawl_prose_share("Это длинный абзац статьи, в котором больше восьмидесяти знаков и есть "
				"конец предложения. Дальше текст.") == 1);
	CHECK(crawl_prose_share("これは長い文章です。これは長い文章です。これは長い文章です。これは長い文章です。"
				"これは長い文章です。これは長い文章です。これは長い文章です。これは長い文章です。") == 1);
	CHECK(crawl_prose_share(NULL) == 0 && crawl_prose_share("") == 0);
	CHECK_DONE();
}
