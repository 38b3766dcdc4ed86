/*
 * test_crawler_fetch.c: the fetcher against the fixture server
 * (tests/fixtures/crawler/fetch: sites alpha and beta). Politeness is
 * checked from the server's requests.log (order and spacing), never from
 * how fast the test ran.
 */
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler.h"
#include "../../crawler/crawler_int.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define UA "vigil-test/1.0 (+https://example.org/vigil)"
#define DELAY_MS 300
/* The server logs when it has written the answer, a little after the
 * client may have seen it end: allow this much slack on spacings. */
#define SLACK 0.03

static struct crawl_fetcher *make_fetcher(int delay_ms, int parallel, long max_body)
{
	/* allow_private: the fixture sites are on 127.0.0.1 */
	struct crawl_fetcher_options o = { UA, delay_ms, 10, max_body, parallel, 1, NULL };
	struct crawl_fetcher *f = NULL;
	struct vigil_error err = { 0 };

	if (crawl_fetcher_new(&o, &f, &err) != VIGIL_OK)
		fprintf(stderr, "crawl_fetcher_new: %s\n", err.message);
	return f;
}

/* Fetch everything queued; results in completion order (caller releases). */
static size_t drain(struct crawl_fetcher *f, struct crawl_fetch_result *out, size_t max)
{
	struct vigil_error err = { 0 };
	size_t n = 0;

	while (n < max) {
		enum vigil_code code = crawl_fetcher_next(f, &out[n], &err);

		if (code == VIGIL_ERR_NOT_FOUND)
			break;
		if (code != VIGIL_OK) {
			fprintf(stderr, "crawl_fetcher_next: %s\n", err.message);
			break;
		}
		n++;
	}
	return n;
}

static void release_all(struct crawl_fetch_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		crawl_fetch_result_release(&r[i]);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = s ? strlen(s) : 0, b = strlen(suffix);

	return s && a >= b && strcmp(s + a - b, suffix) == 0;
}

/* A port nothing listens on: bind, read the port, close. */
static int closed_port(void)
{
	struct sockaddr_in addr = { 0 };
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
		port = ntohs(addr.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

static void test_origin(void)
{
	char *o;

	o = vigil_url_origin("HTTP://Example.ORG:80/a/b?c#d", NULL);
	CHECK_STR(o, "http://example.org");
	free(o);
	o = vigil_url_origin("https://example.org:8443/", NULL);
	CHECK_STR(o, "https://example.org:8443");
	free(o);
	o = vigil_url_origin("https://example.org:443", NULL);
	CHECK_STR(o, "https://example.org");
	free(o);
	o = vigil_url_origin("http://127.0.0.1:8080/x", NULL);
	CHECK_STR(o, "http://127.0.0.1:8080");
	free(o);
	CHECK(vigil_url_origin("ftp://example.org/", NULL) == NULL);
	CHECK(vigil_url_origin("/relative/path", NULL) == NULL);
	CHECK(vigil_url_origin(NULL, NULL) == NULL);
}

static void test_empty_and_bad(void)
{
	struct crawl_fetcher *f = make_fetcher(0, 2, 0);
	struct crawl_fetch_result r;
	struct vigil_error err = { 0 };
	struct crawl_fetcher_options none = { NULL, 0, 0, 0, 0, 0, NULL };
	struct crawl_fetcher *g = (struct crawl_fetcher *)&err;

	CHECK(f != NULL);
	CHECK(crawl_fetcher_pending(f) == 0);
	CHECK(crawl_fetcher_next(f, &r, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(crawl_fetcher_add(f, "mailto:someone@example.org", NULL, &err) == VIGIL_ERR_USAGE);
	CHECK_CONTAINS(err.message, "mailto:someone@example.org");
	CHECK(crawl_fetcher_add_conditional(f, "http://127.0.0.1:1/", "\"x\r\nEvil: 1\"", NULL,
					    NULL, &err) == VIGIL_ERR_USAGE);
	CHECK(crawl_fetcher_pending(f) == 0);
	crawl_fetcher_free(&f);
	CHECK(f == NULL);
	crawl_fetcher_free(&f); /* NULL is fine */
	CHECK(crawl_fetcher_new(&none, &g, &err) == VIGIL_ERR_USAGE);
	CHECK(g == NULL);
}

/* Two sites, four pages each: per-site spacing >= delay, FIFO per site,
 * and the two sites overlap in time. */
static void test_parallel_and_delay(const struct fixture *fx)
{
	struct crawl_fetcher *f = make_fetcher(DELAY_MS, 4, 0);
	struct crawl_fetch_result res[16];
	struct vigil_error err = { 0 };
	struct fixture_request *log;
	size_t n, logged;
	char url[128];
	static int tags[8];
	double first[2] = { 0, 0 }, last[2] = { 0, 0 }, prev[2] = { 0, 0 };
	int seen[2] = { 0, 0 }, order_ok = 1, spacing_ok = 1, ua_ok = 1, next_page[2] = { 1, 1 };

	for (int i = 0; i < 4; i++) {
		char path[32];

		snprintf(path, sizeof(path), "/page%d.html", i + 1);
		tags[i] = i;
		tags[4 + i] = 4 + i;
		CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", path, url, sizeof(url)),
					   &tags[i], &err));
		CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "beta", path, url, sizeof(url)),
					   &tags[4 + i], &err));
	}
	CHECK(crawl_fetcher_pending(f) == 8);
	n = drain(f, res, 16);
	CHECK(n == 8);
	CHECK(crawl_fetcher_pending(f) == 0);
	for (size_t i = 0; i < n; i++) {
		int tag = *(int *)res[i].user, site = tag / 4;
		char want[32];

		CHECK(res[i].status == 200);
		CHECK(res[i].error == NULL);
		CHECK(!res[i].truncated);
		/* FIFO per origin: the pages of one site come back in order. */
		snprintf(want, sizeof(want), "/page%d.html", next_page[site]++);
		if (!ends_with(res[i].url, want) || tag % 4 != next_page[site] - 2)
			order_ok = 0;
	}
	CHECK(order_ok);
	CHECK_STR(res[0].content_type, "text/html; charset=utf-8");
	CHECK_STR(res[0].ip, "127.0.0.1");
	CHECK(res[0].etag && res[0].etag[0] == '"');
	CHECK(res[0].last_modified == NULL);
	CHECK(res[0].fetched_at > 0);
	CHECK_CONTAINS(res[0].body, "<title>");
	CHECK(res[0].body_len == strlen(res[0].body));
	CHECK(strncmp(res[0].response_head, "HTTP/1.1 200", 12) == 0);
	CHECK(res[0].response_head_len >= 4 &&
	      memcmp(res[0].response_head + res[0].response_head_len - 4, "\r\n\r\n", 4) == 0);
	CHECK(strncmp(res[0].request_head, "GET /page", 9) == 0);
	CHECK_CONTAINS(res[0].request_head, "User-Agent: " UA "\r\n");
	CHECK_CONTAINS(res[0].request_head, "Accept-Encoding: identity\r\n");
	release_all(res, n);
	crawl_fetcher_free(&f);

	fixture_wait_log(fx, 8);
	log = fixture_requests(fx, &logged);
	CHECK(logged == 8);
	for (size_t i = 0; i < logged; i++) {
		int site = strcmp(log[i].site, "alpha") == 0 ? 0 : 1;
		char want[32];

		if (seen[site] && log[i].when - prev[site] < DELAY_MS / 1000.0 - SLACK) {
			fprintf(stderr, "%s: %.3f s after the previous request\n", log[i].site,
				log[i].when - prev[site]);
			spacing_ok = 0;
		}
		snprintf(want, sizeof(want), "/page%d.html", seen[site] + 1);
		if (strcmp(log[i].path, want) != 0)
			order_ok = 0;
		if (!strstr(log[i].agent, "vigil"))
			ua_ok = 0;
		if (!seen[site])
			first[site] = log[i].when;
		last[site] = prev[site] = log[i].when;
		seen[site]++;
	}
	CHECK(seen[0] == 4 && seen[1] == 4);
	CHECK(spacing_ok);
	CHECK(order_ok);
	CHECK(ua_ok);
	/* Each site takes >= 3 delays; overlapping spans mean the two were
	 * fetched side by side, not one after the other. */
	CHECK(last[0] - first[0] >= 3 * DELAY_MS / 1000.0 - SLACK);
	CHECK(first[1] < last[0] && first[0] < last[1]);
	free(log);
}

static const struct crawl_fetch_result *find(const struct crawl_fetch_result *r, size_t n,
					     const char *suffix)
{
	for (size_t i = 0; i < n; i++)
		if (ends_with(r[i].url, suffix))
			return &r[i];
	return NULL;
}

static void test_special_answers(const struct fixture *fx)
{
	struct crawl_fetcher *f = make_fetcher(0, 4, 2048);
	struct crawl_fetch_result res[8];
	const struct crawl_fetch_result *r;
	struct vigil_error err = { 0 };
	char url[128], dead[64];
	size_t n;

	snprintf(dead, sizeof(dead), "http://127.0.0.1:%d/nothing.html", closed_port());
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/big.txt", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/missing.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/old.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/loop.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, dead, NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/gz.html", url, sizeof(url)), NULL, &err));
	n = drain(f, res, 8);
	CHECK(n == 6);

	/* Compressed although nobody asked: stored decoded. */
	r = find(res, n, "/gz.html");
	CHECK(r && r->status == 200);
	CHECK(r && r->body && strstr(r->body, "compressed page of alpha"));
	CHECK(r && r->response_head && strstr(r->response_head, "Content-Encoding: gzip"));

	r = find(res, n, "/big.txt");
	CHECK(r && r->truncated == 1);
	CHECK(r && r->status == 200);
	CHECK(r && r->body_len == 2048);
	CHECK(r && r->body && strlen(r->body) == 2048);
	CHECK(r && r->error && strcmp(r->error, "body over 2048 bytes") == 0);

	r = find(res, n, "/missing.html");
	CHECK(r && r->status == 404);
	CHECK(r && r->error == NULL && !r->truncated);
	CHECK(r && r->body_len > 0);

	r = find(res, n, "/old.html");
	CHECK(r && r->status == 200);
	CHECK(r && ends_with(r->effective_url, "/page1.html"));
	CHECK(r && ends_with(r->url, "/old.html"));
	/* Only the final exchange is kept: no trace of the 301 in the heads. */
	CHECK(r && strncmp(r->response_head, "HTTP/1.1 200", 12) == 0);
	CHECK(r && !strstr(r->response_head, "301") && !strstr(r->response_head, "Location"));
	CHECK(r && strncmp(r->request_head, "GET /page1.html HTTP/1.1\r\n", 26) == 0);
	CHECK(r && r->request_head_len == strlen(r->request_head));
	CHECK(r && r->body && strstr(r->body, "alpha 1"));

	r = find(res, n, "/loop.html");
	CHECK(r && r->status == 0);
	CHECK(r && r->error && strstr(r->error, "redirect"));

	r = find(res, n, "/nothing.html");
	CHECK(r && r->status == 0);
	CHECK(r && r->error && strstr(r->error, "onnect"));
	CHECK(r && (r->ip == NULL || strcmp(r->ip, "127.0.0.1") == 0));
	CHECK(r && r->body && r->body_len == 0);
	release_all(res, n);
	fixture_wait_log(fx, 8 + 11);
	/* 1 + 1 + 2 (301 and its target) + 6 (loop: the first try + 5 redirects) */
	CHECK(fixture_count(fx, "alpha", "/loop.html") == 6);
	CHECK(fixture_count(fx, "alpha", "/old.html") == 1);
	crawl_fetcher_free(&f);
}

static void test_conditional(const struct fixture *fx)
{
	struct crawl_fetcher *f = make_fetcher(0, 2, 0);
	struct crawl_fetch_result first = { 0 }, again = { 0 }, since = { 0 };
	struct vigil_error err = { 0 };
	struct fixture_request *log;
	size_t logged;
	char url[128];
	const char *date = "Wed, 21 Oct 2015 07:28:00 GMT";

	fixture_url(fx, "beta", "/page2.html", url, sizeof(url));
	CHECK_OK(crawl_fetcher_add(f, url, NULL, &err));
	CHECK_OK(crawl_fetcher_next(f, &first, &err));
	CHECK(first.status == 200 && first.etag);
	CHECK_OK(crawl_fetcher_add_conditional(f, url, first.etag, NULL, NULL, &err));
	CHECK_OK(crawl_fetcher_next(f, &again, &err));
	CHECK(again.status == 304);
	CHECK(again.body_len == 0 && again.error == NULL);
	CHECK_OK(crawl_fetcher_add_conditional(f, url, NULL, date, NULL, &err));
	CHECK_OK(crawl_fetcher_next(f, &since, &err));
	CHECK(since.status == 200);
	fixture_wait_log(fx, 3);
	CHECK_CONTAINS(since.request_head, "If-Modified-Since: Wed, 21 Oct 2015");
	log = fixture_requests(fx, &logged);
	CHECK(logged >= 3);
	if (logged >= 3) {
		CHECK_STR(log[logged - 3].if_none_match, "-");
		CHECK_STR(log[logged - 2].if_none_match, first.etag);
		CHECK_STR(log[logged - 1].if_modified_since, date);
	}
	free(log);
	crawl_fetch_result_release(&first);
	crawl_fetch_result_release(&again);
	crawl_fetch_result_release(&since);
	crawl_fetcher_free(&f);
}

/* parallel_hosts bounds transfers in flight: two slow pages on two sites
 * end together with 2 slots and one after the other with 1. */
static double slow_gap(const struct fixture *fx, int parallel)
{
	struct crawl_fetcher *f = make_fetcher(0, parallel, 0);
	struct crawl_fetch_result res[2];
	struct vigil_error err = { 0 };
	struct fixture_request *log;
	size_t before, logged;
	char url[128];
	double gap = -1;

	free(fixture_requests(fx, &before));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/slow.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "beta", "/slow.html", url, sizeof(url)), NULL, &err));
	CHECK(drain(f, res, 2) == 2);
	release_all(res, 2);
	crawl_fetcher_free(&f);
	fixture_wait_log(fx, before + 2);
	log = fixture_requests(fx, &logged);
	if (logged == before + 2)
		gap = log[before + 1].when - log[before].when;
	free(log);
	return gap;
}

static void test_set_delay_and_free_busy(const struct fixture *fx)
{
	struct crawl_fetcher *f = make_fetcher(0, 2, 0);
	struct crawl_fetch_result r = { 0 };
	struct vigil_error err = { 0 };
	struct fixture_request *log;
	size_t before, logged;
	char url[128], origin[64];

	free(fixture_requests(fx, &before));
	fixture_url(fx, "alpha", "", origin, sizeof(origin));
	CHECK_OK(crawl_fetcher_set_delay(f, origin, 500, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/page3.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/page4.html", url, sizeof(url)), NULL, &err));
	CHECK(drain(f, &r, 1) == 1);
	crawl_fetch_result_release(&r);
	CHECK(drain(f, &r, 1) == 1);
	crawl_fetch_result_release(&r);
	fixture_wait_log(fx, before + 2);
	log = fixture_requests(fx, &logged);
	CHECK(logged == before + 2);
	if (logged == before + 2)
		CHECK(log[before + 1].when - log[before].when >= 0.5 - SLACK);
	free(log);

	/* Freed with one transfer running and one queued: nothing leaks. */
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "beta", "/slow.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/slow.html", url, sizeof(url)), NULL, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/page1.html", url, sizeof(url)), NULL, &err));
	CHECK(drain(f, &r, 1) == 1);
	crawl_fetch_result_release(&r);
	CHECK(crawl_fetcher_pending(f) == 2);
	crawl_fetcher_free(&f);
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Servers that misbehave (tests/server/serve.py F.hostile sidecars): each
 * ends in a clean error or a flagged truncation, fast, memory bounded. */
static void test_hostile(const struct fixture *fx)
{
	struct crawl_fetcher_options o = { UA, 0, 2, 64 * 1024, 8, 1, NULL };
	static const char *const paths[] = { "/reset.html", "/drip.html", "/huge.html",
					     "/bomb.html", "/file.html", "/gopher.html",
					     "/deflate-bomb.html" };
	struct crawl_fetch_result res[7];
	const struct crawl_fetch_result *r;
	struct crawl_fetcher *f = NULL;
	struct vigil_error err = { 0 };
	char url[128];
	double started;
	size_t n, zeros = 0;

	CHECK_OK(crawl_fetcher_new(&o, &f, &err));
	for (size_t i = 0; i < 7; i++)
		CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", paths[i], url, sizeof(url)),
					   NULL, &err));
	started = now_seconds();
	n = drain(f, res, 7);
	CHECK(n == 7);
	/* The 1 byte/s drip is cut by the 2 s timeout; nothing waits longer. */
	CHECK(now_seconds() - started < 6.0);

	r = find(res, n, "/reset.html");
	CHECK(r && r->status == 0 && r->error && !r->truncated);
	CHECK(r && r->body_len < 5000);

	r = find(res, n, "/drip.html");
	CHECK(r && r->status == 0 && r->error && strstr(r->error, "Timeout"));

	/* 5 GB announced, a dozen bytes sent, then the connection closes. */
	r = find(res, n, "/huge.html");
	CHECK(r && r->status == 0 && r->error && strstr(r->error, "partial"));
	CHECK(r && r->body_len < 100);

	/* 16 MiB of zeros in ~16 KiB of gzip: decoded only up to the cap. */
	r = find(res, n, "/bomb.html");
	CHECK(r && r->status == 200 && r->truncated == 1);
	CHECK(r && r->body_len == 64 * 1024);
	CHECK(r && r->error && strcmp(r->error, "body over 65536 bytes") == 0);
	for (size_t i = 0; r && r->body && i < r->body_len; i++)
		zeros += r->body[i] == 0;
	CHECK(r && zeros == 64 * 1024);
	r = find(res, n, "/deflate-bomb.html");
	CHECK(r && r->status == 200 && r->truncated == 1 && r->body_len == 64 * 1024);

	/* Redirects out of http(s) are not followed. */
	r = find(res, n, "/file.html");
	CHECK(r && r->status == 0 && r->error && strstr(r->error, "file"));
	CHECK(r && r->body_len == 0);
	r = find(res, n, "/gopher.html");
	CHECK(r && r->status == 0 && r->error && strstr(r->error, "gopher"));
	release_all(res, n);
	crawl_fetcher_free(&f);
}

/* Loopback is refused unless allowed, on every hop; nothing is sent. */
static void test_private_refused(const struct fixture *fx)
{
	struct crawl_fetcher_options o = { UA, 0, 5, 0, 4, 0, NULL };
	struct crawl_fetch_result r = { 0 };
	struct crawl_fetcher *f = NULL;
	struct vigil_error err = { 0 };
	char url[128], expect[256], endpoint[64];
	int before = fixture_count(fx, "alpha", "/page2.html");
	int beta_before = fixture_count(fx, "beta", "/page1.html");

	CHECK_OK(crawl_fetcher_new(&o, &f, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/page2.html", url, sizeof(url)),
				   NULL, &err));
	CHECK_OK(crawl_fetcher_next(f, &r, &err));
	/* the caller names the URL: the message does not again */
	snprintf(expect, sizeof(expect), "refused to connect to 127.0.0.1 (loopback address)");
	CHECK(r.status == 0);
	CHECK_STR(r.error, expect);
	crawl_fetch_result_release(&r);
	crawl_fetcher_free(&f);

	/* Only alpha's endpoint is allowed: its redirect to beta is refused. */
	snprintf(endpoint, sizeof(endpoint), "127.0.0.1:%d", fixture_port(fx, "alpha"));
	o.private_endpoints = endpoint;
	CHECK_OK(crawl_fetcher_new(&o, &f, &err));
	CHECK_OK(crawl_fetcher_add(f, fixture_url(fx, "alpha", "/to-beta.html", url, sizeof(url)),
				   NULL, &err));
	CHECK_OK(crawl_fetcher_next(f, &r, &err));
	snprintf(expect, sizeof(expect),
		 "refused to connect to 127.0.0.1 (loopback address) for URL %s",
		 fixture_url(fx, "beta", "/page1.html", url, sizeof(url)));
	CHECK(r.status == 0);
	CHECK_STR(r.error, expect);
	crawl_fetch_result_release(&r);
	crawl_fetcher_free(&f);
	o.private_endpoints = "127.0.0.1:http";
	CHECK(crawl_fetcher_new(&o, &f, &err) == VIGIL_ERR_USAGE);
	CHECK_CONTAINS(err.message, "'127.0.0.1:http'");
	for (int i = 0; i < 60 && fixture_count(fx, "alpha", "/to-beta.html") == 0; i++)
		fixture_sleep_ms(50); /* the server logs just after answering */
	CHECK(fixture_count(fx, "alpha", "/page2.html") == before);
	CHECK(fixture_count(fx, "alpha", "/to-beta.html") >= 1);
	CHECK(fixture_count(fx, "beta", "/page1.html") == beta_before);
}

static const char *refusal_of(const char *text)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };

	if (inet_pton(AF_INET, text, &in4.sin_addr) == 1)
		return crawl_address_refusal((struct sockaddr *)&in4);
	if (inet_pton(AF_INET6, text, &in6.sin6_addr) == 1)
		return crawl_address_refusal((struct sockaddr *)&in6);
	return "not an address";
}

static void test_address_rules(void)
{
	static const char *const cases[][2] = {
		{ "127.0.0.1", "loopback" }, { "127.255.1.2", "loopback" },
		{ "0.0.0.0", "unspecified" }, { "0.1.2.3", "unspecified" },
		{ "10.0.0.1", "private" }, { "172.16.0.1", "private" },
		{ "172.31.255.255", "private" }, { "192.168.1.1", "private" },
		{ "169.254.169.254", "cloud metadata" }, { "169.254.0.9", "link-local" },
		{ "100.64.0.1", "shared (CGNAT)" }, { "100.127.255.254", "shared (CGNAT)" },
		{ "224.0.0.1", "multicast" }, { "239.255.255.250", "multicast" },
		{ "240.0.0.1", "reserved" }, { "255.255.255.255", "broadcast" },
		{ "::1", "loopback" }, { "::", "unspecified" },
		{ "fc00::1", "private" }, { "fd12:3456::1", "private" },
		{ "fe80::1", "link-local" }, { "febf::1", "link-local" },
		{ "ff02::1", "multicast" }, { "fd00:ec2::254", "cloud metadata" },
		{ "::ffff:127.0.0.1", "loopback" }, { "::ffff:10.1.2.3", "private" },
		{ "::ffff:169.254.169.254", "cloud metadata" },
		{ "64:ff9b::192.168.0.1", "private" }, { "64:ff9b::a9fe:a9fe", "cloud metadata" },
		{ "::10.0.0.1", "private" }, { "2002:c0a8:0101::1", "private" },
		/* public: allowed */
		{ "8.8.8.8", NULL }, { "172.32.0.1", NULL }, { "172.15.255.255", NULL },
		{ "100.63.255.255", NULL }, { "100.128.0.1", NULL }, { "169.253.1.1", NULL },
		{ "223.255.255.255", NULL }, { "11.0.0.1", NULL }, { "192.169.0.1", NULL },
		{ "2001:4860:4860::8888", NULL }, { "::ffff:8.8.8.8", NULL },
		{ "64:ff9b::8.8.8.8", NULL }, { "fec0::1", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = refusal_of(cases[i][0]);

		if (cases[i][1] ? !got || strcmp(got, cases[i][1]) != 0 : got != NULL)
			fprintf(stderr, "address %s: got %s, expected %s\n", cases[i][0],
				got ? got : "allowed", cases[i][1] ? cases[i][1] : "allowed");
		CHECK(cases[i][1] ? got && strcmp(got, cases[i][1]) == 0 : got == NULL);
	}
}

int main(void)
{
	char root[256];
	struct fixture fx;
	double serial, side_by_side;

	test_origin();
	test_empty_and_bad();
	test_address_rules();
	snprintf(root, sizeof(root), "%s/crawler/fetch", check_fixture_dir());
	if (fixture_start(&fx, root) != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	test_parallel_and_delay(&fx);
	test_special_answers(&fx);
	test_conditional(&fx);
	serial = slow_gap(&fx, 1);
	side_by_side = slow_gap(&fx, 2);
	CHECK(serial >= 0.4 - SLACK);
	CHECK(side_by_side >= 0 && side_by_side < 0.2);
	test_set_delay_and_free_busy(&fx);
	test_hostile(&fx);
	test_private_refused(&fx);
	fixture_stop(&fx);
	CHECK_DONE();
}
