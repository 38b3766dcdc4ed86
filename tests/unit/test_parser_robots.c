/* test_parser_robots.c: robots.txt groups, longest match, wildcards,
 * percent-encoding, crawl-delay and the parse limit (RFC 9309). */
#include "check.h"
#include "../../parser/parser.h"

#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

static struct parse_robots *robots_of(const char *text, const char *agent)
{
	struct parse_robots *robots = NULL;
	struct vigil_error err = { 0 };

	if (parse_robots(text, text ? strlen(text) : 0, agent, &robots, &err) != VIGIL_OK) {
		fprintf(stderr, "parse_robots failed: %s\n", err.message);
		exit(2);
	}
	return robots;
}

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

#define ALLOWED(r, path) CHECK(parse_robots_allowed(r, path, NULL) == 1)
#define DENIED(r, path) CHECK(parse_robots_allowed(r, path, NULL) == 0)

static void test_fixture(void)
{
	struct parse_robots *r = NULL;
	struct vigil_error err = { 0 };
	size_t len;
	char *body = read_fixture("robots_odd.txt", &len);

	/* Our own groups (both "Vigil/0.1" and "vigil") merged; "*" unused. */
	CHECK_OK(parse_robots(body, len, "vigil", &r, &err));
	ALLOWED(r, "/admin/x");
	ALLOWED(r, "/search");
	DENIED(r, "/private");
	DENIED(r, "/private/x");
	ALLOWED(r, "/private/public/x");
	DENIED(r, "/docs/report.pdf");
	ALLOWED(r, "/docs/report.pdf?page=2");
	DENIED(r, "/nocolon/x");
	DENIED(r, "/merged/1");
	ALLOWED(r, "/");
	ALLOWED(r, "/before-any-group");
	ALLOWED(r, "/robots.txt");
	CHECK(parse_robots_crawl_delay_ms(r) == 500);
	parse_robots_free(&r);
	CHECK(r == NULL);
	parse_robots_free(&r);

	/* Case-insensitive token; a full user-agent string is cut to its token. */
	CHECK_OK(parse_robots(body, len, "VIGIL/0.1.0 (+https://example.org)", &r, &err));
	DENIED(r, "/private");
	parse_robots_free(&r);

	/* Someone else falls back to "*". */
	CHECK_OK(parse_robots(body, len, "googlebot", &r, &err));
	DENIED(r, "/admin/");
	DENIED(r, "/search?q=x");
	ALLOWED(r, "/search/about");
	ALLOWED(r, "/private");
	CHECK(parse_robots_crawl_delay_ms(r) == 2500);
	parse_robots_free(&r);

	/* other-bot shares the group with Vigil/0.1 but not the "vigil" one. */
	CHECK_OK(parse_robots(body, len, "other-bot", &r, &err));
	DENIED(r, "/private");
	ALLOWED(r, "/merged");
	parse_robots_free(&r);

	/* vigilant is not vigil and vice versa. */
	CHECK_OK(parse_robots(body, len, "vigilant", &r, &err));
	DENIED(r, "/anything");
	parse_robots_free(&r);
	free(body);
}

static void test_empty(void)
{
	struct parse_robots *r = NULL;
	struct vigil_error err = { 0 };

	CHECK_OK(parse_robots(NULL, 0, "vigil", &r, &err));
	CHECK(r != NULL);
	ALLOWED(r, "/");
	ALLOWED(r, "/admin");
	CHECK(parse_robots_crawl_delay_ms(r) == -1);
	parse_robots_free(&r);
	CHECK_OK(parse_robots("", 0, NULL, &r, &err));
	ALLOWED(r, "/x");
	parse_robots_free(&r);
	CHECK(parse_robots_allowed(NULL, "/x", NULL) == 1);
	CHECK(parse_robots_crawl_delay_ms(NULL) == -1);

	/* An HTML error page served as robots.txt allows everything. */
	r = robots_of("<html><body>Not found</body></html>", "vigil");
	ALLOWED(r, "/x");
	parse_robots_free(&r);
}

static void test_matching(void)
{
	struct parse_robots *r;

	r = robots_of("User-agent: *\nDisallow: /\n", "vigil");
	DENIED(r, "/");
	DENIED(r, "/x");
	DENIED(r, "");
	ALLOWED(r, "/robots.txt");
	DENIED(r, "/robots.txt?x=1");
	parse_robots_free(&r);

	/* RFC 9309 2.2.2: longest match wins, allow wins a tie. */
	r = robots_of("User-agent: *\nAllow: /p\nDisallow: /\n", "vigil");
	ALLOWED(r, "/page");
	DENIED(r, "/other");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nAllow: /folder\nDisallow: /folder\n", "vigil");
	ALLOWED(r, "/folder/page");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nDisallow: /folder\nAllow: /folder\n", "vigil");
	ALLOWED(r, "/folder/page");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nAllow: /page\nDisallow: /*.html\n", "vigil");
	DENIED(r, "/page.html");
	ALLOWED(r, "/page.php");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nAllow: /$\nDisallow: /\n", "vigil");
	ALLOWED(r, "/");
	DENIED(r, "/page.htm");
	parse_robots_free(&r);

	/* Wildcards and the end anchor (Google's documented examples). */
	r = robots_of("User-agent: *\nDisallow: /fish*\n", "vigil");
	DENIED(r, "/fish");
	DENIED(r, "/fish.html");
	DENIED(r, "/fishheads/yummy.html");
	ALLOWED(r, "/Fish.asp");
	ALLOWED(r, "/catfish");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nDisallow: /*.php$\n", "vigil");
	DENIED(r, "/filename.php");
	DENIED(r, "/folder/filename.php");
	ALLOWED(r, "/filename.php?parameters");
	ALLOWED(r, "/filename.php/");
	ALLOWED(r, "/windows.PHP");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nDisallow: /*?\nDisallow: /a*b*c$\nDisallow: *print=1\n", "vigil");
	DENIED(r, "/news?id=1");
	ALLOWED(r, "/news");
	DENIED(r, "/aXbYc");
	ALLOWED(r, "/aXbYcZ");
	DENIED(r, "/x/y;print=1");
	parse_robots_free(&r);
	r = robots_of("User-agent: *\nDisallow: private\n", "vigil");
	DENIED(r, "/private/x");
	parse_robots_free(&r);

	/* Percent-encoding: raw UTF-8, lower-case hex and escaped unreserved
	 * octets all compare equal. */
	r = robots_of("User-agent: *\nDisallow: /новости/архив\nDisallow: /foo/%e3%83%84\n"
		      "Disallow: /%62ar\nDisallow: /a%2fb\n", "vigil");
	DENIED(r, "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/%D0%B0%D1%80%D1%85%D0%B8%D0%B2/1");
	DENIED(r, "/новости/архив/2");
	ALLOWED(r, "/новости/");
	DENIED(r, "/foo/ツ");
	DENIED(r, "/foo/%E3%83%84");
	DENIED(r, "/bar");
	DENIED(r, "/b%61r");
	DENIED(r, "/a%2Fb");
	ALLOWED(r, "/a/b");
	parse_robots_free(&r);

	/* Full URLs are reduced to their path. */
	r = robots_of("User-agent: *\nDisallow: /admin\n", "vigil");
	DENIED(r, "https://news.example.kz/admin/login?x=1");
	ALLOWED(r, "https://news.example.kz/news/1");
	parse_robots_free(&r);
}

static void test_groups(void)
{
	struct parse_robots *r;

	/* A user-agent after rules starts a new group. */
	r = robots_of("User-agent: a\nDisallow: /a\nUser-agent: vigil\nDisallow: /b\n", "vigil");
	ALLOWED(r, "/a");
	DENIED(r, "/b");
	parse_robots_free(&r);
	/* Consecutive user-agent lines share the rules that follow. */
	r = robots_of("User-agent: a\nUser-agent: vigil\nDisallow: /shared\n", "vigil");
	DENIED(r, "/shared");
	parse_robots_free(&r);
	/* A group naming us with no rules allows all, "*" notwithstanding. */
	r = robots_of("User-agent: *\nDisallow: /\n\nUser-agent: vigil\nDisallow:\n", "vigil");
	ALLOWED(r, "/x");
	parse_robots_free(&r);
	/* Sitemap and unknown lines do not end a group. */
	r = robots_of("User-agent: vigil\nSitemap: http://x/s.xml\nFoo: bar\nDisallow: /x\n", "vigil");
	DENIED(r, "/x");
	parse_robots_free(&r);
	/* A blank line does not end a group either (RFC 9309). */
	r = robots_of("User-agent: vigil\n\nDisallow: /x\n", "vigil");
	DENIED(r, "/x");
	parse_robots_free(&r);
	/* Old Mac line ends and spaces everywhere. */
	r = robots_of("user-agent   :   *\rdisallow  :  /cr  \r\rallow: /cr/ok", "vigil");
	DENIED(r, "/cr/x");
	ALLOWED(r, "/cr/ok");
	parse_robots_free(&r);
	/* No token from the caller: only "*" applies. */
	r = robots_of("User-agent: vigil\nDisallow: /v\nUser-agent: *\nDisallow: /s\n", NULL);
	ALLOWED(r, "/v");
	DENIED(r, "/s");
	parse_robots_free(&r);
}

static void test_crawl_delay(void)
{
	static const struct { const char *value; int ms; } cases[] = {
		{ "10", 10000 }, { "0.5", 500 }, { "1,5", 1500 }, { "2.125", 2125 }, { "0", 0 },
		{ "abc", -1 }, { "-3", -1 }, { "5s", -1 }, { "", -1 },
		{ "99999999999999999999", 24 * 3600 * 1000 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[128];
		struct parse_robots *r;

		snprintf(text, sizeof(text), "User-agent: *\nCrawl-delay: %s\n", cases[i].value);
		r = robots_of(text, "vigil");
		if (parse_robots_crawl_delay_ms(r) != cases[i].ms) {
			fprintf(stderr, "crawl-delay \"%s\" -> %d, expected %d\n", cases[i].value,
				parse_robots_crawl_delay_ms(r), cases[i].ms);
			CHECK(!"crawl-delay");
		} else {
			check_passed++;
		}
		parse_robots_free(&r);
	}
}

static void test_limits(void)
{
	struct vigil_buf text = VIGIL_BUF_INIT;
	struct parse_robots *r;
	clock_t start;

	/* Rules past 500 KiB are not read. */
	add(&text, "User-agent: *\nDisallow: /early\n");
	while (text.len < 520 * 1024)
		add(&text, "# padding padding padding padding padding\n");
	add(&text, "Disallow: /late\n");
	r = robots_of(text.data, "vigil");
	DENIED(r, "/early");
	ALLOWED(r, "/late");
	parse_robots_free(&r);
	vigil_buf_release(&text);

	/* An overlong pattern is dropped. */
	add(&text, "User-agent: *\nDisallow: /");
	for (int i = 0; i < 5000; i++)
		add(&text, "a");
	add(&text, "\nDisallow: /short\n");
	r = robots_of(text.data, "vigil");
	ALLOWED(r, "/aaaa");
	DENIED(r, "/short");
	parse_robots_free(&r);
	vigil_buf_release(&text);

	/* Many wildcards against a long path stay polynomial. */
	add(&text, "User-agent: *\nDisallow: /");
	for (int i = 0; i < 1000; i++)
		add(&text, "*a");
	add(&text, "*b\n");
	r = robots_of(text.data, "vigil");
	vigil_buf_reset(&text);
	add(&text, "/");
	for (int i = 0; i < 8000; i++)
		add(&text, "a");
	start = clock();
	ALLOWED(r, text.data);
	CHECK((double)(clock() - start) / CLOCKS_PER_SEC < 2.0);
	parse_robots_free(&r);
	vigil_buf_release(&text);
}

/* Issue 5 item 7: rules and URLs meet in one normalised form, however
 * the link was written; what cannot be normalised is not allowed. */
static void test_normalised_form(void)
{
	struct parse_robots *r = robots_of("User-agent: *\nDisallow: /w/Special:\n"
					   "Disallow: /a%2fb\nDisallow: /%7Euser/\n"
					   "Disallow: /новости\nAllow: /w/Special:Random$\n",
					   "vigil");
	struct vigil_error err = { 0 };
	char *huge;

	DENIED(r, "/w/Special:Search");
	DENIED(r, "https://ru.wikipedia.org/w/Special:Search?q=x");
	DENIED(r, "/w/./x/../Special:Search");
	DENIED(r, "/w/%53pecial:Search"); /* %53 is 'S', unreserved: decoded */
	ALLOWED(r, "/w/Special%3ASearch"); /* an escaped ':' is another path */
	ALLOWED(r, "/w/Special:Random");
	/* %2F stays escaped on both sides: it never becomes '/'. */
	DENIED(r, "/a%2Fb");
	DENIED(r, "/a%2fb/c");
	ALLOWED(r, "/a/b");
	DENIED(r, "/~user/x");
	DENIED(r, "/%7euser/x");
	DENIED(r, "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/1");
	DENIED(r, "/новости/1");
	/* Fail closed, and say why. */
	huge = malloc(VIGIL_URL_MAX_LEN + 64);
	if (!huge)
		exit(2);
	strcpy(huge, "https://example.kz/");
	memset(huge + strlen(huge), 'a', VIGIL_URL_MAX_LEN);
	huge[VIGIL_URL_MAX_LEN + 19] = '\0';
	CHECK(parse_robots_allowed(r, huge, &err) == 0);
	CHECK(err.code == VIGIL_ERR_TOO_LARGE);
	CHECK_CONTAINS(err.message, "robots.txt");
	CHECK_CONTAINS(err.message, "longer than");
	vigil_error_clear(&err);
	CHECK(parse_robots_allowed(NULL, huge, &err) == 0);
	CHECK(err.code == VIGIL_ERR_TOO_LARGE);
	vigil_error_clear(&err);
	CHECK(parse_robots_allowed(r, "http://256.0.0.1/x", &err) == 0);
	CHECK(err.code == VIGIL_ERR_PARSE);
	vigil_error_clear(&err);
	CHECK(parse_robots_allowed(r, NULL, &err) == 0);
	CHECK(err.code != VIGIL_OK);
	/* A good URL leaves err alone. */
	vigil_error_clear(&err);
	CHECK(parse_robots_allowed(r, "/fine", &err) == 1);
	CHECK(err.code == VIGIL_OK);
	free(huge);
	parse_robots_free(&r);
}

int main(void)
{
	test_fixture();
	test_normalised_form();
	test_empty();
	test_matching();
	test_groups();
	test_crawl_delay();
	test_limits();
	CHECK_DONE();
}
