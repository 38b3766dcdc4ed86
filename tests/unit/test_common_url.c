/* test_common_url.c: resolving and normalising URLs (RFC 3986 section 5.4
 * examples, plus what real Kazakh and Russian pages put in href, plus the
 * key rules of issue 5). The WHATWG suite runs in test_common_url_whatwg. */
#include "check.h"
#include "../../common/url.h"

#include <stdlib.h>

static int check_resolve(const char *base, const char *ref, const char *expected, int line)
{
	char *got = vigil_url_resolve(base, ref, NULL);
	int ok = expected ? got && strcmp(got, expected) == 0 : got == NULL;

	if (!ok)
		fprintf(stderr, "FAIL line %d: resolve(%s, %s) is \"%s\", expected \"%s\"\n", line,
			base ? base : "(null)", ref ? ref : "(null)", got ? got : "(null)",
			expected ? expected : "(null)");
	free(got);
	return ok;
}

#define RESOLVE(base, ref, expected) CHECK(check_resolve(base, ref, expected, __LINE__))

static void check_take(char *got, const char *expected, int line)
{
	if (expected ? got && strcmp(got, expected) == 0 : got == NULL) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL line %d: \"%s\", expected \"%s\"\n", line, got ? got : "(null)",
			expected ? expected : "(null)");
	}
	free(got);
}

#define TAKE(call, expected) check_take(call, expected, __LINE__)

/* Issue 5 item 7: a relative and an absolute link to one page give one
 * key; escapes follow one rule whatever the form of the link. */
static void keys_of_issue_5(void)
{
	const char *wiki = "https://ru.wikipedia.org/wiki/Main";
	struct vigil_error err = { 0 };

	RESOLVE(wiki, "/w/Category:News", "https://ru.wikipedia.org/w/Category:News");
	RESOLVE(NULL, "https://ru.wikipedia.org/w/Category:News",
		"https://ru.wikipedia.org/w/Category:News");
	RESOLVE(wiki, "/w/Category%3ANews", "https://ru.wikipedia.org/w/Category%3ANews");
	RESOLVE(wiki, "/w/a%2fb", "https://ru.wikipedia.org/w/a%2Fb");
	RESOLVE(NULL, "https://ru.wikipedia.org/w/a%2fb", "https://ru.wikipedia.org/w/a%2Fb");
	RESOLVE(wiki, "/w/a%3f%23%25b?q=%2f%3F%23%25", "https://ru.wikipedia.org/w/a%3F%23%25b?q=%2F%3F%23%25");
	RESOLVE(wiki, "/%7e%41%2D%2e%5F?%61=%7E", "https://ru.wikipedia.org/~A-._?a=~");
	RESOLVE(wiki, "/a:b@c", "https://ru.wikipedia.org/a:b@c");
	RESOLVE(wiki, "/x y\"z", "https://ru.wikipedia.org/x%20y%22z");
	RESOLVE(wiki, "/\x01\x7f", "https://ru.wikipedia.org/%01%7F");
	/* A decoded escape never completes a stray '%' into a new escape
	 * (found by fuzz/parser_url_fuzzer.c): normalising twice would differ. */
	RESOLVE(NULL, "http://a.kz/%%62/%6%62/%%41?%%36", "http://a.kz/%%62/%6%62/%%41?%%36");
	RESOLVE(NULL, "https://a.kz/.%%6280E%0", "https://a.kz/.%%6280E%0");
	RESOLVE(NULL, "http://a.kz/%%7e%62", "http://a.kz/%~b");
	/* Hosts: UTS 46 mapping, non-transitional. */
	RESOLVE(NULL, "http://Ｇｏ.com/", "http://go.com/");
	RESOLVE(NULL, "http://faß.de/", "http://xn--fa-hia.de/");
	RESOLVE(NULL, "http://пример.kz/", "http://xn--e1afmkfd.kz/");
	RESOLVE(NULL, "http://XN--E1AFMKFD.kz/", "http://xn--e1afmkfd.kz/");
	RESOLVE("http://пример.kz/", "http://xn--e1afmkfd.kz/a", "http://xn--e1afmkfd.kz/a");
	/* Numeric hosts the WHATWG way. */
	RESOLVE(NULL, "http://0x7f.1/", "http://127.0.0.1/");
	RESOLVE(NULL, "http://2130706433/", "http://127.0.0.1/");
	RESOLVE(NULL, "http://0177.0.0.1./", "http://127.0.0.1/");
	RESOLVE(NULL, "http://[0:0::1]/", "http://[::1]/");
	RESOLVE(NULL, "http://[::FFFF:127.0.0.1]/", "http://[::ffff:7f00:1]/");
	RESOLVE(NULL, "http://[1:0:0:2:0:0:0:3]/", "http://[1:0:0:2::3]/");
	RESOLVE(NULL, "http://256.0.0.1/", NULL);
	RESOLVE(NULL, "http://1.2.3.4.5/", NULL);
	RESOLVE(NULL, "http://09.1/", NULL);
	RESOLVE(NULL, "http://[1::2::3]/", NULL);
	RESOLVE(NULL, "http://[1:2:3:4:5:6:7:8:9]/", NULL);
	RESOLVE(NULL, "http://[::1.2.3.256]/", NULL);
	RESOLVE(NULL, "http://a b/", NULL);
	/* Why a URL is refused. */
	CHECK(vigil_url_resolve(NULL, "ftp://example.kz/", &err) == NULL);
	CHECK(err.code == VIGIL_ERR_PARSE);
	CHECK_CONTAINS(err.message, "not an http(s) URL");
	CHECK(vigil_url_resolve(NULL, "http://256.0.0.1/", &err) == NULL);
	CHECK_CONTAINS(err.message, "invalid host");
	CHECK_CONTAINS(err.message, "256.0.0.1");
	/* A key normalised again does not change. */
	{
		static const char *const inputs[] = {
			"http://a/b c/%41%2f%zz/100%/ü?q=ü y'%7e#f", "http://[::1]:81/./x/../y",
			"HTTPS://user:p@ss@пример.kz:443/a?b", "http://a/%2e%2E/x?%2e",
		};

		for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
			char *once = vigil_url_normalise(inputs[i], NULL);
			char *twice = once ? vigil_url_normalise(once, NULL) : NULL;

			CHECK(once && twice && strcmp(once, twice) == 0);
			free(once);
			free(twice);
		}
	}
	/* Robots patterns in the same escape form as paths. */
	TAKE(vigil_url_normalise_path_text("/w/Special:*", 12), "/w/Special:*");
	TAKE(vigil_url_normalise_path_text("/a%2fb%41$", 10), "/a%2FbA$");
	TAKE(vigil_url_normalise_path_text("/новости?q='", strlen("/новости?q='")), "/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8?q=%27");
}

/* A whole-number query parameter (channel cursors: ?before=N). */
static void test_query_number(void)
{
	CHECK(vigil_url_query_number("https://t.me/s/x?before=27", "before") == 27);
	CHECK(vigil_url_query_number("/s/x?q=1&before=5&x=2", "before") == 5);
	CHECK(vigil_url_query_number("/s/x?q=1&before=5#before=6", "before") == 5);
	CHECK(vigil_url_query_number("/s/x?notbefore=5&before=7", "before") == 7);
	CHECK(vigil_url_query_number("/s/x?before=0", "before") == 0);
	CHECK(vigil_url_query_number("/s/x#?before=5", "before") == -1);   /* a fragment */
	CHECK(vigil_url_query_number("/s/x?before=", "before") == -1);
	CHECK(vigil_url_query_number("/s/x?before=5x", "before") == -1);
	CHECK(vigil_url_query_number("/s/x?before=-5", "before") == -1);
	CHECK(vigil_url_query_number("/s/x?before=1234567890123", "before") == -1);
	CHECK(vigil_url_query_number("/s/x?before", "before") == -1);
	CHECK(vigil_url_query_number("/s/x/before=5", "before") == -1);
	CHECK(vigil_url_query_number(NULL, "before") == -1);
}

int main(void)
{
	const char *rfc = "http://a/b/c/d;p?q";

	test_query_number();

	/* RFC 3986 5.4.1 normal examples (g:h is not http, so NULL). */
	RESOLVE(rfc, "g:h", NULL);
	RESOLVE(rfc, "g", "http://a/b/c/g");
	RESOLVE(rfc, "httpd.conf", "http://a/b/c/httpd.conf");
	/* WHATWG: "http:g" is relative to an http base. */
	RESOLVE(rfc, "http:g", "http://a/b/c/g");
	RESOLVE(rfc, "./g", "http://a/b/c/g");
	RESOLVE(rfc, "g/", "http://a/b/c/g/");
	RESOLVE(rfc, "/g", "http://a/g");
	RESOLVE(rfc, "//g", "http://g/");
	RESOLVE(rfc, "?y", "http://a/b/c/d;p?y");
	RESOLVE(rfc, "g?y", "http://a/b/c/g?y");
	RESOLVE(rfc, "#s", "http://a/b/c/d;p?q");
	RESOLVE(rfc, "g#s", "http://a/b/c/g");
	RESOLVE(rfc, "g?y#s", "http://a/b/c/g?y");
	RESOLVE(rfc, ";x", "http://a/b/c/;x");
	RESOLVE(rfc, "g;x", "http://a/b/c/g;x");
	RESOLVE(rfc, "", "http://a/b/c/d;p?q");
	RESOLVE(rfc, ".", "http://a/b/c/");
	RESOLVE(rfc, "./", "http://a/b/c/");
	RESOLVE(rfc, "..", "http://a/b/");
	RESOLVE(rfc, "../", "http://a/b/");
	RESOLVE(rfc, "../g", "http://a/b/g");
	RESOLVE(rfc, "../..", "http://a/");
	RESOLVE(rfc, "../../", "http://a/");
	RESOLVE(rfc, "../../g", "http://a/g");
	/* 5.4.2 abnormal examples. */
	RESOLVE(rfc, "../../../g", "http://a/g");
	RESOLVE(rfc, "../../../../g", "http://a/g");
	RESOLVE(rfc, "/./g", "http://a/g");
	RESOLVE(rfc, "/../g", "http://a/g");
	RESOLVE(rfc, "g.", "http://a/b/c/g.");
	RESOLVE(rfc, ".g", "http://a/b/c/.g");
	RESOLVE(rfc, "g..", "http://a/b/c/g..");
	RESOLVE(rfc, "..g", "http://a/b/c/..g");
	RESOLVE(rfc, "./../g", "http://a/b/g");
	RESOLVE(rfc, "./g/.", "http://a/b/c/g/");
	RESOLVE(rfc, "g/./h", "http://a/b/c/g/h");
	RESOLVE(rfc, "g/../h", "http://a/b/c/h");
	RESOLVE(rfc, "g;x=1/./y", "http://a/b/c/g;x=1/y");
	RESOLVE(rfc, "g;x=1/../y", "http://a/b/c/y");
	RESOLVE(rfc, "g?y/./x", "http://a/b/c/g?y/./x");
	RESOLVE(rfc, "g#s/../x", "http://a/b/c/g");

	/* Normalisation. */
	RESOLVE(NULL, "HTTP://Example.COM:80/a", "http://example.com/a");
	RESOLVE(NULL, "https://Example.com:443", "https://example.com/");
	RESOLVE(NULL, "https://example.com:8443/x?Q=1#frag", "https://example.com:8443/x?Q=1");
	RESOLVE(NULL, "http://example.com:/x", "http://example.com/x");
	RESOLVE(NULL, "http://example.com:99999/", NULL);
	RESOLVE(NULL, "http://example.com:8o/", NULL);
	RESOLVE(NULL, "http:///nohost", "http://nohost/");
	RESOLVE(NULL, "http://", NULL);
	RESOLVE(NULL, "http://user@/", NULL);
	RESOLVE(NULL, "http://example.com/%7euser/%2fa%2Fb%41", "http://example.com/~user/%2Fa%2FbA");
	RESOLVE(NULL, "http://example.com/a/%2e%2E/b/%2e/c", "http://example.com/b/c");
	RESOLVE(NULL, "http://example.com/a b?x=1 2", "http://example.com/a%20b?x=1%202");
	/* A stray '%' is left alone (WHATWG), so a second pass changes nothing. */
	RESOLVE(NULL, "http://example.com/100%", "http://example.com/100%");
	RESOLVE(NULL, "http://example.com/a%zz", "http://example.com/a%zz");
	RESOLVE(NULL, "http://example.com/a[1]", "http://example.com/a[1]");
	RESOLVE(NULL, "http://example.com/a{1}`^", "http://example.com/a%7B1%7D%60%5E");
	RESOLVE(NULL, "http://example.com/?a='b'<", "http://example.com/?a=%27b%27%3C");
	RESOLVE(NULL, "  http://example.com/a\n/b\t  ", "http://example.com/a/b");
	RESOLVE(NULL, "http://user:pw@Example.com/", "http://user:pw@example.com/");
	RESOLVE(NULL, "/relative", NULL);
	RESOLVE(NULL, NULL, NULL);
	RESOLVE("http://a/", NULL, NULL);

	/* Schemes that are not fetched. */
	RESOLVE(rfc, "javascript:alert(1)", NULL);
	RESOLVE(rfc, "JavaScript:void(0)", NULL);
	RESOLVE(rfc, "mailto:info@example.kz", NULL);
	RESOLVE(rfc, "tel:+77001234567", NULL);
	RESOLVE(rfc, "ftp://example.com/file", NULL);
	RESOLVE("ftp://example.com/", "x", NULL);
	RESOLVE("not a url", "x", NULL);
	/* A base without a host cannot lend one (fuzzer find). */
	RESOLVE("https://", "\xee\xee/-[Eb.//x", NULL);
	RESOLVE("https://", "https://ok.example.kz/a", "https://ok.example.kz/a");
	/* The host is percent-decoded before IDNA (WHATWG). */
	RESOLVE(NULL, "http://%41b.example.kz/", "http://ab.example.kz/");
	RESOLVE(NULL, "http://a%00b.kz/", NULL);
	RESOLVE(NULL, "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.kz/",
		"http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.kz/");

	/* Protocol-relative keeps the base's scheme. */
	RESOLVE("https://kz.example/news/", "//cdn.Example.kz/img.png", "https://cdn.example.kz/img.png");
	RESOLVE("http://kz.example/news/", "//cdn.example.kz", "http://cdn.example.kz/");
	RESOLVE("https://kz.example/news/a.html", "\\\\evil.example\\x", "https://evil.example/x");
	RESOLVE("https://kz.example/news/a.html", "..\\b.html", "https://kz.example/b.html");

	/* Raw Cyrillic in path and query is percent-encoded as UTF-8. */
	RESOLVE("https://www.zakon.kz/", "/новости/?q=правозащитник",
		"https://www.zakon.kz/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/"
		"?q=%D0%BF%D1%80%D0%B0%D0%B2%D0%BE%D0%B7%D0%B0%D1%89%D0%B8%D1%82%D0%BD%D0%B8%D0%BA");
	/* IDN hosts become punycode; Cyrillic capitals are lowered first. */
	RESOLVE(NULL, "http://пример.рф/", "http://xn--e1afmkfd.xn--p1ai/");
	RESOLVE(NULL, "http://ПРИМЕР.РФ/", "http://xn--e1afmkfd.xn--p1ai/");
	RESOLVE(NULL, "https://президент.рф/news", "https://xn--d1abbgf6aiiy.xn--p1ai/news");
	RESOLVE(NULL, "http://bücher.example/", "http://xn--bcher-kva.example/");
	RESOLVE(NULL, "http://bad\xff" "host/", NULL);
	RESOLVE(NULL, "http://bad<host/", NULL);

	/* IPv6 literals. */
	RESOLVE(NULL, "http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x");
	RESOLVE(NULL, "http://[::1]:8080", "http://[::1]:8080/");
	RESOLVE("http://[::1]:8080/a/b", "../c", "http://[::1]:8080/c");
	RESOLVE(NULL, "http://[::1/", NULL);
	RESOLVE(NULL, "http://[zz]/", NULL);
	RESOLVE(NULL, "http://[]/", NULL);

	/* Base with a fragment and a query. */
	RESOLVE("http://kz.example/a/b?x=1#top", "c", "http://kz.example/a/c");
	RESOLVE("http://kz.example/a/b?x=1#top", "", "http://kz.example/a/b?x=1");
	RESOLVE("http://kz.example/a/b?x=1#top", "?", "http://kz.example/a/b?");

	/* Origin and path. */
	TAKE(vigil_url_origin("HTTPS://User@Www.Example.KZ:443/a/b?c#d", NULL), "https://www.example.kz");
	TAKE(vigil_url_origin("http://example.kz:8080", NULL), "http://example.kz:8080");
	TAKE(vigil_url_origin("http://[::1]:8080/x", NULL), "http://[::1]:8080");
	TAKE(vigil_url_origin("HTTP://Example.ORG:80/a/b?c#d", NULL), "http://example.org");
	TAKE(vigil_url_origin("http://127.0.0.1:8080/x", NULL), "http://127.0.0.1:8080");
	TAKE(vigil_url_origin("mailto:x@y", NULL), NULL);
	TAKE(vigil_url_origin("/relative/path", NULL), NULL);
	TAKE(vigil_url_origin(NULL, NULL), NULL);
	TAKE(vigil_url_path_query("https://example.kz", NULL), "/");
	TAKE(vigil_url_path_query("https://example.kz/a/./b/../c?x=1&y=2#f", NULL), "/a/c?x=1&y=2");
	TAKE(vigil_url_path_query("https://example.kz?x", NULL), "/?x");
	TAKE(vigil_url_path_query("/no/host", NULL), NULL);
	TAKE(vigil_url_host("https://ПРИМЕР.kz:8080/x", NULL), "xn--e1afmkfd.kz");
	TAKE(vigil_url_host("http://[0:0::1]/", NULL), "[::1]");
	CHECK(vigil_url_same_origin("http://пример.kz/a", "HTTP://xn--e1afmkfd.KZ:80/b?c"));
	CHECK(vigil_url_same_origin("https://a.kz/", "https://user@a.kz:443/x"));
	CHECK(!vigil_url_same_origin("http://a.kz/", "https://a.kz/"));
	CHECK(!vigil_url_same_origin("http://a.kz/", "http://a.kz:8080/"));
	CHECK(!vigil_url_same_origin("http://a.kz/", "not a url"));
	/* A site configured with its Unicode name holds its punycode links,
	 * and the other way round (the crawl stopped at the start page). */
	CHECK(vigil_url_in_scope("http://пример.kz/", "http://xn--e1afmkfd.kz/news/1"));
	CHECK(vigil_url_in_scope("http://xn--e1afmkfd.kz/", "http://пример.kz/news/1"));
	CHECK(vigil_url_in_scope("http://ПРИМЕР.kz/news/", "http://xn--e1afmkfd.kz/news/1?a"));
	CHECK(!vigil_url_in_scope("http://пример.kz/news/", "http://xn--e1afmkfd.kz/sport/1"));
	CHECK(!vigil_url_in_scope("http://пример.kz/", "https://xn--e1afmkfd.kz/"));
	{
		/* the checked form: the same answers, and VIGIL_OK for "outside" */
		struct vigil_error e = { 0 };
		int inside = -1;

		CHECK_OK(vigil_url_scope_check("http://пример.kz/news/", "http://xn--e1afmkfd.kz/news/1",
					       &inside, &e));
		CHECK(inside == 1);
		CHECK_OK(vigil_url_scope_check("http://пример.kz/news/", "http://xn--e1afmkfd.kz/sport/1",
					       &inside, &e));
		CHECK(inside == 0);
		inside = -1;
		CHECK_OK(vigil_url_scope_check("http://пример.kz/", "mailto:x@пример.kz", &inside, &e));
		CHECK(inside == 0);
		inside = -1;
		CHECK_OK(vigil_url_scope_check("not a url", "http://пример.kz/", &inside, &e));
		CHECK(inside == 0);
	}
	CHECK(!vigil_url_in_scope("http://пример.kz/", "http://xn--e1afmkfd.kz.evil.kz/"));
	CHECK(!vigil_url_in_scope("http://a.kz/", "mailto:x@a.kz"));

	/* An overlong reference is refused rather than copied around. */
	{
		size_t n = 20000;
		char *huge = malloc(n + 1);

		memset(huge, 'a', n);
		huge[0] = '/';
		huge[n] = '\0';
		RESOLVE("http://a/", huge, NULL);
		/* ...and the caller learns why. */
		{
			struct vigil_error err = { 0 };

			CHECK(vigil_url_resolve("http://a/", huge, &err) == NULL);
			CHECK(err.code == VIGIL_ERR_TOO_LARGE);
			CHECK_CONTAINS(err.message, "longer than");
		}
		free(huge);
	}
	keys_of_issue_5();
	CHECK_DONE();
}
