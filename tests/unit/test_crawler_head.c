/*
 * test_crawler_head.c: crawl_head_value(), the crawler's reading of header
 * values from a raw response head (ETag and Last-Modified are stored and
 * sent back in conditional requests). Cases from fuzz/crawler_head_fuzzer.
 */
#include "check.h"

#include "../../crawler/crawler_int.h"

static char *value(const char *head, const char *name)
{
	return crawl_head_value(head, strlen(head), name);
}

static void check_value(const char *head, const char *name, const char *expected)
{
	char *got = value(head, name);

	if (expected)
		CHECK_STR(got, expected);
	else
		CHECK(got == NULL);
	free(got);
}

int main(void)
{
	const char *head = "HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nLast-Modified:  Thu, 18 Apr 2024 "
			   "10:15:00 GMT \t\r\netag: \"second\"\r\nX-Empty:   \r\n\r\n";
	static const char nul_head[] = "HTTP/1.1 200 OK\r\nETag: \"a\0b\"\r\n\r\n";
	char *got;

	check_value(head, "ETag", "\"second\""); /* the last one, any case */
	check_value(head, "ETAG", "\"second\"");
	check_value(head, "Last-Modified", "Thu, 18 Apr 2024 10:15:00 GMT");
	check_value(head, "X-Empty", NULL);
	check_value(head, "Location", NULL);
	check_value("HTTP/1.1 200 OK\r\nETagX: y\r\n", "ETag", NULL);
	check_value("HTTP/1.0 200 OK\nETag: lf-only\n\n", "ETag", "lf-only");
	check_value("HTTP/1.1 200 OK\r\nETag: at-the-end", "ETag", "at-the-end");

	/* A bare CR or another control byte inside a value: the value would
	 * go back to the server in If-None-Match / If-Modified-Since, where a
	 * line break smuggles a header in and the fetcher refuses it. Such a
	 * value is treated as absent (fuzz/crawler_head_fuzzer.repro/). */
	check_value("HTTP/1.1 200 OK\r\nETag: \"a\"\rX-Injected: 1\r\n\r\n", "ETag", NULL);
	check_value("HTTP/1.1 200 OK\r\nLast-Modified: Thu,\x1a 18 Apr\r\n\r\n", "Last-Modified",
		    NULL);
	check_value("HTTP/1.1 200 OK\r\nETag: \"tab\there\"\r\n\r\n", "ETag", "\"tab\there\"");
	got = crawl_head_value(nul_head, sizeof(nul_head) - 1, "ETag");
	CHECK(got == NULL);
	free(got);
	CHECK_DONE();
}
