/* test_parser_url.c: resolving and normalising URLs (RFC 3986 section 5.4
 * examples, plus what real Kazakh and Russian pages put in href). */
#include "check.h"
#include "../../parser/parser.h"

#include <stdlib.h>

static int check_resolve(const char *base, const char *ref, const char *expected, int line)
{
	char *got = parse_url_resolve(base, ref);
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

int main(void)
{
	const char *rfc = "http://a/b/c/d;p?q";

	/* RFC 3986 5.4.1 normal examples (g:h is not http, so NULL). */
	RESOLVE(rfc, "g:h", NULL);
	RESOLVE(rfc, "g", "http://a/b/c/g");
	RESOLVE(rfc, "httpd.conf", "http://a/b/c/httpd.conf");
	RESOLVE(rfc, "http:g", NULL);
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
	RESOLVE(NULL, "http:///nohost", NULL);
	RESOLVE(NULL, "http://example.com/%7euser/%2fa%2Fb%41", "http://example.com/~user/%2Fa%2FbA");
	RESOLVE(NULL, "http://example.com/a/%2e%2E/b/%2e/c", "http://example.com/b/c");
	RESOLVE(NULL, "http://example.com/a b?x=1 2", "http://example.com/a%20b?x=1%202");
	RESOLVE(NULL, "http://example.com/100%", "http://example.com/100%25");
	RESOLVE(NULL, "http://example.com/a%zz", "http://example.com/a%25zz");
	RESOLVE(NULL, "http://example.com/a[1]", "http://example.com/a%5B1%5D");
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
	RESOLVE(NULL, "http://%41b.example.kz/", NULL);
	RESOLVE(NULL, "http://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.kz/", NULL);
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
	TAKE(parse_url_origin("HTTPS://User@Www.Example.KZ:443/a/b?c#d"), "https://www.example.kz");
	TAKE(parse_url_origin("http://example.kz:8080"), "http://example.kz:8080");
	TAKE(parse_url_origin("http://[::1]:8080/x"), "http://[::1]:8080");
	TAKE(parse_url_origin("mailto:x@y"), NULL);
	TAKE(parse_url_origin(NULL), NULL);
	TAKE(parse_url_path("https://example.kz"), "/");
	TAKE(parse_url_path("https://example.kz/a/./b/../c?x=1&y=2#f"), "/a/c?x=1&y=2");
	TAKE(parse_url_path("https://example.kz?x"), "/?x");
	TAKE(parse_url_path("/no/host"), NULL);

	/* An overlong reference is refused rather than copied around. */
	{
		size_t n = 20000;
		char *huge = malloc(n + 1);

		memset(huge, 'a', n);
		huge[0] = '/';
		huge[n] = '\0';
		RESOLVE("http://a/", huge, NULL);
		free(huge);
	}
	CHECK_DONE();
}
