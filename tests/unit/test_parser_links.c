/* test_parser_links.c: links of an HTML page: <base>, relative forms,
 * schemes that are not fetched, fragments, duplicates, feeds, cp1251. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdlib.h>

static char *read_fixture(const char *name, size_t *len)
{
	return check_read_fixture("parser", name, len);
}

static void test_fixture(void)
{
	static const char *const expected[][2] = {
		{ "https://news.example.kz/rss.xml", "feed" },
		{ "https://news.example.kz/atom.xml", "feed" },
		{ "https://news.example.kz/ru/news/1.html", "Правозащитник задержан в Алматы" },
		{ "https://news.example.kz/about", "О нас" },
		{ "https://cdn.example.kz/files/report.pdf", "Доклад (PDF)" },
		{ "https://other.example.kz/a?b=1", "Другой сайт" },
		{ "https://news.example.kz/ru/?page=2", "Дальше »" },
		{ "https://news.example.kz/ru/news/2.html", "Фото с акции" },
		{ "https://news.example.kz/ru/news/3.html", "Суд по делу журналиста" },
		{ "https://news.example.kz/ru/news/4.html", "Четвёртая" },
		{ "https://news.example.kz/ru/map/almaty.html", "Алматы" },
		{ "https://news.example.kz/ru/news/5.html?x=1&y=2", "Пятая" },
		{ "http://[::1]:8080/local", "IPv6" },
	};
	size_t n = sizeof(expected) / sizeof(expected[0]);
	struct parse_links links = { 0 };
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("links_base_cp1251.html", &len);

	/* No charset in Content-Type: the <meta> says windows-1251. */
	CHECK_OK(parse_links(body, len, "text/html", "https://news.example.kz/section/page.html",
			     &links, &err));
	CHECK(links.count == n);
	for (size_t i = 0; i < n && i < links.count; i++) {
		CHECK_STR(links.items[i].url, expected[i][0]);
		CHECK_STR(links.items[i].text, expected[i][1]);
	}
	for (size_t i = 0; i < links.count; i++) {
		CHECK(strncmp(links.items[i].url, "http", 4) == 0);
		CHECK(strchr(links.items[i].url, '#') == NULL);
	}
	parse_links_release(&links);
	CHECK(links.items == NULL && links.count == 0);
	parse_links_release(&links);
	free(body);
}

static void test_inline(void)
{
	struct parse_links links = { 0 };
	struct vigil_error err = { 0 };
	const char *page;

	/* Without <base>, relative to the page; a <base> without href is no base. */
	page = "<html><head><base target=\"_blank\"></head><body>"
	       "<a href=\"a/b/../c\">C</a><a href=\"/root\">R</a><a href=\"../up\">U</a>"
	       "<A HREF=\"Mixed.html\">M</A></body></html>";
	CHECK_OK(parse_links(page, strlen(page), "text/html; charset=utf-8",
			     "http://site.example.kz/dir/sub/index.php?x=1", &links, &err));
	CHECK(links.count == 4);
	if (links.count == 4) {
		CHECK_STR(links.items[0].url, "http://site.example.kz/dir/sub/a/c");
		CHECK_STR(links.items[1].url, "http://site.example.kz/root");
		CHECK_STR(links.items[2].url, "http://site.example.kz/dir/up");
		CHECK_STR(links.items[3].url, "http://site.example.kz/dir/sub/Mixed.html");
	}
	parse_links_release(&links);

	/* An absolute <base> elsewhere; links before it use it too. */
	page = "<html><body><a href=\"x\">X</a><base href=\"https://mirror.example.kz/m/\">"
	       "<a href=\"y\">Y</a></body></html>";
	CHECK_OK(parse_links(page, strlen(page), NULL, "http://site.example.kz/", &links, &err));
	CHECK(links.count == 2);
	if (links.count == 2) {
		CHECK_STR(links.items[0].url, "https://mirror.example.kz/m/x");
		CHECK_STR(links.items[1].url, "https://mirror.example.kz/m/y");
	}
	parse_links_release(&links);

	/* A <base> that is not http(s) is ignored. */
	page = "<base href=\"javascript:alert(1)\"><a href=\"z\">Z</a>";
	CHECK_OK(parse_links(page, strlen(page), NULL, "http://site.example.kz/d/", &links, &err));
	CHECK(links.count == 1);
	if (links.count == 1)
		CHECK_STR(links.items[0].url, "http://site.example.kz/d/z");
	parse_links_release(&links);

	/* Cyrillic in href is percent-encoded; spaces in text collapse. */
	page = "<a href=\"/поиск?q=суд\">\n\tНайти\n\n суд </a>";
	CHECK_OK(parse_links(page, strlen(page), "text/html; charset=UTF-8", "https://x.kz/", &links,
			     &err));
	CHECK(links.count == 1);
	if (links.count == 1) {
		CHECK_STR(links.items[0].url, "https://x.kz/%D0%BF%D0%BE%D0%B8%D1%81%D0%BA"
					      "?q=%D1%81%D1%83%D0%B4");
		CHECK_STR(links.items[0].text, "Найти суд");
	}
	parse_links_release(&links);

	/* Empty page: no links, no error. No links at all: also fine. */
	CHECK_OK(parse_links("", 0, NULL, "https://x.kz/", &links, &err));
	CHECK(links.count == 0 && links.items == NULL);
	page = "<p>no links here</p>";
	CHECK_OK(parse_links(page, strlen(page), NULL, "https://x.kz/", &links, &err));
	CHECK(links.count == 0);
	parse_links_release(&links);

	/* Without a base URL only absolute links survive. */
	page = "<a href=\"rel\">r</a><a href=\"https://abs.kz/\">a</a>";
	CHECK_OK(parse_links(page, strlen(page), NULL, NULL, &links, &err));
	CHECK(links.count == 1);
	if (links.count == 1)
		CHECK_STR(links.items[0].url, "https://abs.kz/");
	parse_links_release(&links);
}

static void test_many(void)
{
	struct vigil_buf page = VIGIL_BUF_INIT;
	struct parse_links links = { 0 };
	struct vigil_error err = { 0 };
	int ok = 1;

	/* 3000 distinct links, each twice: the set keeps order and drops
	 * the repeats. */
	for (int round = 0; round < 2 && ok; round++)
		for (int i = 0; i < 3000 && ok; i++)
			ok = vigil_buf_printf(&page, "<a href=\"/n/%d\">%d</a>\n", i, i) == VIGIL_OK;
	CHECK(ok);
	CHECK_OK(parse_links(page.data, page.len, NULL, "https://x.kz/", &links, &err));
	CHECK(links.count == 3000);
	if (links.count == 3000) {
		CHECK_STR(links.items[0].url, "https://x.kz/n/0");
		CHECK_STR(links.items[2999].url, "https://x.kz/n/2999");
		CHECK_STR(links.items[1234].text, "1234");
	}
	parse_links_release(&links);
	vigil_buf_release(&page);
}

/* Issue 5 item 7: a relative link and the same link written absolute are
 * one key (':' not escaped, %2F never decoded), and an IDN host and its
 * punycode are one host. */
static void test_one_key(void)
{
	static const char page[] =
		"<html><body>"
		"<a href=\"/w/Category:News\">rel</a>"
		"<a href=\"https://ru.wikipedia.org/w/Category:News\">abs</a>"
		"<a href=\"/w/a%2fb\">rel2</a>"
		"<a href=\"https://ru.wikipedia.org/w/a%2Fb#x\">abs2</a>"
		"<a href=\"http://пример.kz/x\">idn</a>"
		"<a href=\"http://xn--e1afmkfd.kz/x\">puny</a>"
		"</body></html>";
	struct parse_links links = { 0 };
	struct vigil_error err = { 0 };

	CHECK_OK(parse_links(page, sizeof(page) - 1, "text/html; charset=utf-8",
			     "https://ru.wikipedia.org/wiki/Main", &links, &err));
	CHECK(links.count == 3);
	if (links.count == 3) {
		CHECK_STR(links.items[0].url, "https://ru.wikipedia.org/w/Category:News");
		CHECK_STR(links.items[1].url, "https://ru.wikipedia.org/w/a%2Fb");
		CHECK_STR(links.items[2].url, "http://xn--e1afmkfd.kz/x");
	}
	parse_links_release(&links);
}

int main(void)
{
	test_one_key();
	test_fixture();
	test_inline();
	test_many();
	CHECK_DONE();
}
