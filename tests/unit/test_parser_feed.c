/* test_parser_feed.c: RSS, Atom and sitemaps from fixtures, plus hostile
 * XML: external entities, entity expansion bombs, truncation, bare '&'. */
#include "check.h"
#include "../../parser/parser.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>

static char *read_fixture(const char *name, size_t *len)
{
	return check_read_fixture("parser", name, len);
}

/* Test setup, not a check: give up on allocation failure. */
static void add(struct vigil_buf *buf, const char *fmt, ...) VIGIL_PRINTF(2, 3);
static void add(struct vigil_buf *buf, const char *fmt, ...)
{
	char piece[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(piece, sizeof(piece), fmt, args);
	va_end(args);
	if (vigil_buf_append_str(buf, piece))
		exit(2);
}

static enum vigil_code parse_text(const char *text, const char *url, struct parse_feed *feed,
				  struct vigil_error *err)
{
	return parse_feed(text, strlen(text), url, feed, err);
}

static void test_rss(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("feed_rss_kz.xml", &len);

	CHECK_OK(parse_feed(body, len, "https://news.example.kz/rss", &feed, &err));
	CHECK_STR(feed.title, "Новости «Правозащита» & общество");
	CHECK(feed.is_index == 0);
	CHECK(feed.count == 6);
	if (feed.count == 6) {
		CHECK_STR(feed.items[0].url, "https://news.example.kz/ru/news/2024/04/18/zaderzhanie"
					     "?utm_source=rss&utm_medium=feed");
		CHECK_STR(feed.items[0].title, "В Алматы задержали правозащитника");
		CHECK_STR(feed.items[0].published, "2024-04-18T05:30:00Z");
		CHECK_STR(feed.items[0].summary,
			  "Полиция задержала активиста у здания акимата.\n\nАдвокат не допущен.");
		/* guid without isPermaLink="false" is the link. */
		CHECK_STR(feed.items[1].url, "https://news.example.kz/ru/news/2024/04/17/sud");
		CHECK_STR(feed.items[1].title, "Суд над журналистом — перенесён");
		CHECK_STR(feed.items[1].published, "2024-04-17T09:00:00Z");
		CHECK_STR(feed.items[1].summary, "Заседание отложено\nдо мая.");
		CHECK_STR(feed.items[2].url, "https://news.example.kz/ru/news/relative-1");
		CHECK_STR(feed.items[2].published, "2024-04-17T02:15:00Z");
		CHECK(feed.items[2].summary == NULL);
		/* The duplicate (same URL plus a fragment) and the item whose
		 * only guid is not a permalink are gone. */
		CHECK_STR(feed.items[3].url, "https://news.example.kz/ru/news/dc-date");
		CHECK_STR(feed.items[3].published, "2024-04-16T06:00:00Z");
		CHECK_STR(feed.items[3].summary, "Только полный текст");
		CHECK_STR(feed.items[4].title, "Плохая дата");
		CHECK(feed.items[4].published == NULL);
		CHECK_STR(feed.items[5].published, "2024-04-18T05:30:00Z");
	}
	parse_feed_release(&feed);
	CHECK(feed.items == NULL && feed.count == 0 && feed.title == NULL);
	parse_feed_release(&feed);
	free(body);
}

static void test_rss_cp1251(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("feed_rss_cp1251.xml", &len);

	CHECK_OK(parse_feed(body, len, "http://cp1251.example.kz/rss.xml", &feed, &err));
	CHECK_STR(feed.title, "Казахстанская правда — лента");
	CHECK(feed.count == 1);
	if (feed.count == 1) {
		CHECK_STR(feed.items[0].title, "Правозащитники Шымкента обратились к прокурору");
		CHECK_STR(feed.items[0].url, "http://cp1251.example.kz/news/42");
		CHECK_STR(feed.items[0].summary, "Обращение подписали 12 человек.");
		CHECK_STR(feed.items[0].published, "2024-04-15T12:05:00Z");
	}
	parse_feed_release(&feed);
	free(body);
}

static void test_charset_mistakes(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	/* windows-1251 bytes with no declaration at all. */
	const char cp1251[] = "<rss><channel><title>\xcd\xee\xe2\xee\xf1\xf2\xe8</title><item>"
			      "<link>http://x.example/1</link></item></channel></rss>";
	/* UTF-8 bytes under a stale windows-1251 declaration. */
	const char stale[] = "<?xml version='1.0' encoding='windows-1251'?><rss><channel>"
			     "<title>Новости</title></channel></rss>";
	/* UTF-16LE with a BOM. */
	const char utf16[] = "\xff\xfe<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0n\0e\0l\0>\0<\0t\0i\0t\0l\0e\0>\0"
			     "\x1d\x04\x30\x04<\0/\0t\0i\0t\0l\0e\0>\0<\0/\0c\0h\0a\0n\0n\0e\0l\0>\0"
			     "<\0/\0r\0s\0s\0>\0";

	CHECK_OK(parse_feed(cp1251, sizeof(cp1251) - 1, "http://x.example/rss", &feed, &err));
	CHECK_STR(feed.title, "Новости");
	CHECK(feed.count == 1);
	parse_feed_release(&feed);
	CHECK_OK(parse_feed(stale, sizeof(stale) - 1, "http://x.example/rss", &feed, &err));
	CHECK_STR(feed.title, "Новости");
	parse_feed_release(&feed);
	CHECK_OK(parse_feed(utf16, sizeof(utf16) - 1, "http://x.example/rss", &feed, &err));
	CHECK_STR(feed.title, "На");
	parse_feed_release(&feed);
}

static void test_atom(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("feed_atom.xml", &len);

	CHECK_OK(parse_feed(body, len, "https://atom.example.kz/blog/atom.xml", &feed, &err));
	CHECK_STR(feed.title, "Блог мониторинга");
	CHECK(feed.count == 4);
	if (feed.count == 4) {
		CHECK_STR(feed.items[0].url, "https://atom.example.kz/blog/posts/first");
		CHECK_STR(feed.items[0].title, "Первая запись");
		CHECK_STR(feed.items[0].published, "2024-04-18T05:00:00Z");
		CHECK_STR(feed.items[0].summary, "Кратко & ясно");
		CHECK_STR(feed.items[1].url, "https://other.example.kz/section/item?id=2");
		CHECK_STR(feed.items[1].title, "Вторая запись");
		CHECK_STR(feed.items[1].published, "2024-04-17");
		CHECK_STR(feed.items[1].summary, "Абзац один.\n\nАбзац два.");
		CHECK_STR(feed.items[2].url, "https://cdn.example.kz/a.mp3");
		CHECK(feed.items[2].published == NULL);
		CHECK_STR(feed.items[3].url, "https://atom.example.kz/blog/by-id");
		CHECK_STR(feed.items[3].summary, "Простой текст");
	}
	parse_feed_release(&feed);
	free(body);
}

static void test_sitemaps(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("feed_sitemap.xml", &len);

	CHECK_OK(parse_feed(body, len, "https://www.example.kz/sitemap.xml", &feed, &err));
	CHECK(feed.title == NULL);
	CHECK(feed.is_index == 0);
	CHECK(feed.count == 2);
	if (feed.count == 2) {
		CHECK_STR(feed.items[0].url, "https://www.example.kz/ru/news/1");
		CHECK_STR(feed.items[0].published, "2024-04-18");
		CHECK(feed.items[0].title == NULL);
		CHECK_STR(feed.items[1].url, "https://www.example.kz/ru/news/2?a=1&b=2");
		CHECK_STR(feed.items[1].title, "Правозащитник вызван на допрос");
		CHECK_STR(feed.items[1].published, "2024-04-17T15:00:00Z");
	}
	parse_feed_release(&feed);
	free(body);

	body = read_fixture("feed_sitemapindex.xml", &len);
	CHECK_OK(parse_feed(body, len, "https://www.example.kz/sitemap.xml", &feed, &err));
	CHECK(feed.is_index == 1);
	CHECK(feed.count == 2);
	if (feed.count == 2) {
		CHECK_STR(feed.items[0].url, "https://www.example.kz/sitemap-news.xml");
		CHECK_STR(feed.items[0].published, "2024-04-18T10:00:00Z");
		CHECK_STR(feed.items[1].url, "https://www.example.kz/sitemap-2024-04.xml.gz");
		CHECK(feed.items[1].published == NULL);
	}
	parse_feed_release(&feed);
	free(body);
}

static void test_external_entities(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	char secret[PATH_MAX], doc[3 * PATH_MAX];
	char rel[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/parser/feed_secret.txt", check_fixture_dir());
	if (!realpath(rel, secret)) {
		CHECK(!"feed_secret.txt fixture missing");
		return;
	}
	/* A general external entity used in text and in the link. */
	snprintf(doc, sizeof(doc),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM \"file://%s\">]>\n"
		 "<rss><channel><title>a &xxe; b</title><item><title>t &xxe;</title>"
		 "<link>http://x.example/&xxe;</link></item></channel></rss>", secret);
	CHECK_OK(parse_text(doc, "http://x.example/feed", &feed, &err));
	CHECK_STR(feed.title, "a &xxe; b");
	CHECK(feed.count == 1);
	if (feed.count == 1) {
		CHECK_STR(feed.items[0].title, "t &xxe;");
		CHECK(strstr(feed.items[0].url, "SECRET") == NULL);
	}
	parse_feed_release(&feed);

	/* A parameter entity and an external DTD: neither may be loaded; the
	 * feed is still read. */
	snprintf(doc, sizeof(doc),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE rss SYSTEM \"file://%s\" "
		 "[<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>\n"
		 "<rss><channel><title>ok</title><item><link>http://x.example/1</link>"
		 "</item></channel></rss>", secret, secret);
	CHECK_OK(parse_text(doc, "http://x.example/feed", &feed, &err));
	CHECK_STR(feed.title, "ok");
	CHECK(feed.count == 1);
	parse_feed_release(&feed);

	/* An internal entity is shown, not expanded. */
	CHECK_OK(parse_text("<!DOCTYPE rss [<!ENTITY e \"EXPANDED\">]><rss><channel>"
			    "<title>x &e; y</title></channel></rss>", "http://x.example/", &feed, &err));
	CHECK_STR(feed.title, "x &e; y");
	parse_feed_release(&feed);
}

static void test_entity_bomb(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	struct vigil_buf doc = VIGIL_BUF_INIT;

	add(&doc, "<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n"
		  "<!ENTITY lol0 \"lollollollollollollollollollol\">\n");
	for (int i = 1; i <= 12; i++) {
		add(&doc, "<!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			add(&doc, "&lol%d;", i - 1);
		add(&doc, "\">\n");
	}
	add(&doc, "]>\n<rss><channel><title>&lol12;</title><item>"
		  "<title>&lol12;&lol12;</title><link>http://x.example/b</link>"
		  "</item></channel></rss>");
	CHECK_OK(parse_feed(doc.data, doc.len, "http://x.example/bomb", &feed, &err));
	CHECK_STR(feed.title, "&lol12;");
	CHECK(feed.count == 1);
	if (feed.count == 1)
		CHECK_STR(feed.items[0].title, "&lol12;&lol12;");
	parse_feed_release(&feed);
	vigil_buf_release(&doc);
}

static void test_broken_xml(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	size_t len, cut;
	char *body = read_fixture("feed_rss_kz.xml", &len);
	const char *mark = strstr(body, "<title>Относительная");

	/* Cut in the middle of the third item: the first two survive. */
	CHECK(mark != NULL);
	cut = (size_t)(mark - body) + 12;
	CHECK_OK(parse_feed(body, cut, "https://news.example.kz/rss", &feed, &err));
	CHECK(feed.count >= 2);
	if (feed.count >= 2) {
		CHECK_STR(feed.items[0].title, "В Алматы задержали правозащитника");
		CHECK_STR(feed.items[1].url, "https://news.example.kz/ru/news/2024/04/17/sud");
		CHECK_STR(feed.items[1].summary, "Заседание отложено\nдо мая.");
	}
	parse_feed_release(&feed);

	/* Every prefix parses or fails cleanly (valgrind checks the rest). */
	for (size_t n = 1; n < len; n += 13) {
		enum vigil_code code = parse_feed(body, n, "https://news.example.kz/rss", &feed, &err);

		if (code != VIGIL_OK && code != VIGIL_ERR_PARSE) {
			CHECK(!"unexpected code for a truncated feed");
			break;
		}
		parse_feed_release(&feed);
	}
	free(body);

	/* Bare '&' and HTML entities in a feed that is not quite XML. */
	CHECK_OK(parse_text("<rss><channel><title>AT&T & Co&nbsp;&hellip;</title><item>"
			    "<title>&laquo;Адил&raquo; &unknown; & &amp;amp;</title>"
			    "<link>http://x.example/?a=1&b=2&amp;c=3</link></item></channel></rss>",
			    "http://x.example/", &feed, &err));
	CHECK_STR(feed.title, "AT&T & Co …");
	CHECK(feed.count == 1);
	if (feed.count == 1) {
		CHECK_STR(feed.items[0].title, "«Адил» &unknown; & &");
		CHECK_STR(feed.items[0].url, "http://x.example/?a=1&b=2&c=3");
	}
	parse_feed_release(&feed);

	/* Mismatched tags in recover mode: libxml2 closes the first <item>
	 * at the stray </b>, so its link is lost; the next item is read. */
	CHECK_OK(parse_text("<rss><channel><item><title>one</b></title><link>http://x.example/1"
			    "</link></item><item><link>http://x.example/2?x=1&amp;y=2</link></item>",
			    "http://x.example/", &feed, &err));
	CHECK(feed.count == 1);
	if (feed.count == 1)
		CHECK_STR(feed.items[0].url, "http://x.example/2?x=1&y=2");
	parse_feed_release(&feed);
}

static void test_not_a_feed(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };

	CHECK(parse_text("<html><body><p>hello</p></body></html>", "https://site.example.kz/page",
			 &feed, &err) == VIGIL_ERR_PARSE);
	CHECK_CONTAINS(err.message, "https://site.example.kz/page");
	CHECK_CONTAINS(err.message, "<html>");
	CHECK(feed.count == 0 && feed.items == NULL && feed.title == NULL);
	CHECK(parse_text("just some words", "https://site.example.kz/x", &feed, &err) ==
	      VIGIL_ERR_PARSE);
	CHECK_CONTAINS(err.message, "https://site.example.kz/x");
	CHECK(parse_feed(NULL, 0, "https://site.example.kz/empty", &feed, &err) == VIGIL_ERR_PARSE);
	CHECK_CONTAINS(err.message, "https://site.example.kz/empty");
	CHECK(parse_feed("", 0, NULL, &feed, &err) == VIGIL_ERR_PARSE);
	/* An RSS root with no items is a valid, empty feed. */
	CHECK_OK(parse_text("<rss version=\"2.0\"><channel><title>Пусто</title></channel></rss>",
			    "https://site.example.kz/rss", &feed, &err));
	CHECK(feed.count == 0);
	CHECK_STR(feed.title, "Пусто");
	parse_feed_release(&feed);
	/* Items whose links are not http(s) are dropped. */
	CHECK_OK(parse_text("<rss><channel><item><link>javascript:alert(1)</link></item>"
			    "<item><link>mailto:a@b.kz</link></item></channel></rss>",
			    "https://site.example.kz/rss", &feed, &err));
	CHECK(feed.count == 0);
	parse_feed_release(&feed);
}

static void test_dates(void)
{
	struct parse_feed feed = { 0 };
	struct vigil_error err = { 0 };
	static const char *const cases[][2] = {
		{ "Thu, 18 Apr 2024 10:30:00 +0500", "2024-04-18T05:30:00Z" },
		{ "18 Apr 2024 10:30 GMT", "2024-04-18T10:30:00Z" },
		{ "Thu, 18 Apr 24 10:30:00 EST", "2024-04-18T15:30:00Z" },
		{ "Thu,18 April 2024 23:59:59 +06:00", "2024-04-18T17:59:59Z" },
		{ "Fri, 1 Mar 2024 00:00:00 -0130", "2024-03-01T01:30:00Z" },
		{ "Apr 18 2024 10:30:00 +0000", "2024-04-18T10:30:00Z" },
		{ "18 мая 2024 12:00:00 +0600", "2024-05-18T06:00:00Z" },
		{ "2024-04-18T10:30:00+05:00", "2024-04-18T05:30:00Z" },
		{ "Thu, 29 Feb 2024 10:30:00 +0000", "2024-02-29T10:30:00Z" },
		{ "Thu, 31 Feb 2024 10:30:00 +0000", NULL },
		{ "Thu, 29 Feb 2023 10:30:00 +0000", NULL },
		{ "Thu, 18 Apr 2024", NULL },
		{ "Thu, 18 Foo 2024 10:00:00 GMT", NULL },
		{ "Thu, 18 Apr 2024 25:00:00 GMT", NULL },
		{ "Mon, 01 May 1950 12:00:00 GMT", "1950-05-01T12:00:00Z" },
		{ "Thu, 01 Jan 1970 05:59:59 +0600", "1969-12-31T23:59:59Z" },
		{ "1950-05-01T10:00:00+05:00", "1950-05-01T05:00:00Z" },
		{ "2024-04-18 10:30", "2024-04-18T10:30:00Z" },
		{ "2024-04-18", "2024-04-18" },
		{ "2024-02-30", NULL },
		{ "2024-05-14T25:61:61Z", NULL },
		{ "2024-04-18T10:30:00Z garbage", NULL },
		{ "Thu, 18 Apr 2024 10:30:00 +05000", NULL },
		{ "99999999999999999999", NULL },
		{ "", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char doc[512];

		snprintf(doc, sizeof(doc), "<rss><channel><item><link>http://x.example/%zu</link>"
			 "<pubDate>%s</pubDate></item></channel></rss>", i, cases[i][0]);
		CHECK_OK(parse_text(doc, "http://x.example/", &feed, &err));
		CHECK(feed.count == 1);
		if (feed.count != 1)
			continue;
		if (cases[i][1]) {
			CHECK_STR(feed.items[0].published, cases[i][1]);
		} else if (feed.items[0].published) {
			CHECK(!"a bad date was accepted");
			fprintf(stderr, "  \"%s\" -> \"%s\"\n", cases[i][0], feed.items[0].published);
		}
		parse_feed_release(&feed);
	}
}

int main(void)
{
	test_rss();
	test_rss_cp1251();
	test_charset_mistakes();
	test_atom();
	test_sitemaps();
	test_external_entities();
	test_entity_bomb();
	test_broken_xml();
	test_not_a_feed();
	test_dates();
	CHECK_DONE();
}
