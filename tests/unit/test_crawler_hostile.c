/*
 * test_crawler_hostile.c: whole passes of crawl_run against hostile servers
 * (tests/fixtures/crawler/hostile, behaviours from tests/server/serve.py):
 *
 *   evil   the crawled site: a feed whose items reset, drip, announce 5 GB,
 *          inflate (gzip bomb), redirect in a loop, to file: and gopher:, to
 *          a private address, to robots-disallowed paths here and on
 *          "other"; a robots.txt over 500 KiB; XXE and billion-laughs feeds
 *   inner  stands for an intranet host: it must never see a request
 *   other  a second origin with its own robots.txt
 *
 * Every site is on 127.0.0.1; the private-address check is relaxed only
 * for the endpoints a pass lists, so "inner" plays the router / metadata
 * service. Nothing is sent anywhere but 127.0.0.1.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler.h"

#define UA "vigil-test/1.0 (+https://example.org/vigil)"
#define MAX_BODY (1L << 20)

static char problems[16384];

static void on_problem(const char *message, void *context)
{
	(void)context;
	if (strlen(problems) + strlen(message) + 2 < sizeof(problems)) {
		strcat(problems, message);
		strcat(problems, "\n");
	}
}

static enum vigil_code pass(const struct crawl_options *base, const char *only,
			    struct crawl_summary *sum)
{
	struct crawl_options o = *base;
	struct vigil_error err = { 0 };
	enum vigil_code code;

	o.force = 1;
	o.only_source = only;
	problems[0] = '\0';
	code = crawl_run(&o, sum, &err);
	if (code != VIGIL_OK)
		fprintf(stderr, "crawl_run: %s\n", err.message);
	fixture_sleep_ms(150); /* the server logs just after answering */
	return code;
}

/* problems holds a line "url: tail", which names url again only where
 * tail does (a redirect loop). */
static int reported(const char *url, const char *tail)
{
	char line[512];
	const char *found, *end, *again;

	snprintf(line, sizeof(line), "%s: %s", url, tail);
	found = strstr(problems, line);
	if (!found) {
		fprintf(stderr, "not reported: %s\nproblems:\n%s", line, problems);
		return 0;
	}
	found += strlen(url);
	end = strchr(found, '\n');
	again = strstr(found, url);
	if (again && (!end || again < end) && !strstr(tail, url)) {
		fprintf(stderr, "names %s twice:\n%s\n", url, problems);
		return 0;
	}
	return 1;
}

static int requests_to(const struct fixture *fx, const char *site)
{
	return fixture_count_prefix(fx, site, "/");
}

/* Whether any logged request path contains text. */
static int logged_path_has(const struct fixture *fx, const char *text)
{
	size_t n;
	struct fixture_request *r = fixture_requests(fx, &n);
	int found = 0;

	for (size_t i = 0; i < n; i++)
		if (strstr(r[i].path, text))
			found = 1;
	free(r);
	return found;
}

static int versions_of(struct archive_store *store, const char *url)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };
	int n = -1;

	if (archive_material_get(store, url, 0, &d, &err) == VIGIL_OK)
		n = (int)d.version_count;
	archive_material_detail_release(&d);
	return n;
}

int main(void)
{
	struct fixture fx;
	struct config_source items[4];
	struct config_sources sources = { 0 };
	struct crawl_options opt = { 0 };
	struct crawl_summary sum;
	struct archive_store *store = NULL;
	struct archive_capture cap = { 0 };
	struct archive_warc_record rec = { 0 };
	struct vigil_error err = { 0 };
	char root[256], data_dir[128], evil[64], inner[64], other[64], url[160], url2[320];
	char feed_url[96], xxe_url[96], lol_url[96], hop_url[96], endpoints[96];

	snprintf(root, sizeof(root), "%s/crawler/hostile", check_fixture_dir());
	if (fixture_start(&fx, root) != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	fixture_url(&fx, "evil", "", evil, sizeof(evil));
	fixture_url(&fx, "inner", "", inner, sizeof(inner));
	fixture_url(&fx, "other", "", other, sizeof(other));
	snprintf(feed_url, sizeof(feed_url), "%s/feed.rss", evil);
	snprintf(xxe_url, sizeof(xxe_url), "%s/xxe.rss", evil);
	snprintf(lol_url, sizeof(lol_url), "%s/lol.rss", evil);
	snprintf(hop_url, sizeof(hop_url), "%s/to-inner.html", evil);

	memset(items, 0, sizeof(items));
	items[0] = (struct config_source){ .name = "feed", .url = feed_url,
					   .kind = CONFIG_SOURCE_FEED, .language = "ru",
					   .depth = 1, .max_pages = 50, .line = 1 };
	items[1] = items[0];
	items[1].name = "xxe";
	items[1].url = xxe_url;
	items[2] = items[0];
	items[2].name = "lol";
	items[2].url = lol_url;
	items[3] = (struct config_source){ .name = "hop", .url = hop_url,
					   .kind = CONFIG_SOURCE_SITE, .language = "ru",
					   .depth = 0, .max_pages = 5, .line = 4 };
	sources.path = "hostile-sources.conf";
	/* allow_private 0: the default a real sources file gets. */
	sources.settings = (struct config_settings){ .user_agent = UA, .delay_ms = 0,
						     .timeout_seconds = 1,
						     .max_body_bytes = MAX_BODY,
						     .parallel_hosts = 4, .obey_robots = 1 };
	sources.items = items;
	sources.count = 4;

	snprintf(data_dir, sizeof(data_dir), "%s/data", fx.dir);
	CHECK_OK(archive_data_init(data_dir, &err));
	CHECK_OK(archive_store_open(data_dir, &store, &err));
	if (!store) {
		fprintf(stderr, "store: %s\n", err.message);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	opt.data_dir = data_dir;
	opt.sources = &sources;
	opt.store = store;
	opt.problem = on_problem;

	/* ---- by default 127.0.0.1 is refused: not one request is sent ---- */
	CHECK_OK(pass(&opt, "feed", &sum));
	CHECK(sum.fetched == 0 && sum.errors == 1 && sum.new_materials == 0);
	snprintf(url, sizeof(url), "%s/robots.txt", evil);
	CHECK(reported(url, "refused to connect to 127.0.0.1 (loopback address)"));
	CHECK_CONTAINS(problems, url);
	CHECK(requests_to(&fx, "evil") == 0);

	/* ---- evil and other allowed; inner stays refused ---- */
	snprintf(endpoints, sizeof(endpoints), "127.0.0.1:%d, 127.0.0.1:%d",
		 fixture_port(&fx, "evil"), fixture_port(&fx, "other"));
	sources.settings.private_endpoints = endpoints;
	CHECK_OK(pass(&opt, "feed", &sum));
	/* RFC 9309: robots.txt read up to 500 KiB, with a warning. */
	snprintf(url, sizeof(url), "%s/robots.txt", evil);
	CHECK(reported(url, "robots.txt cut at 512000 bytes; rules read from the first"));
	CHECK(fixture_count(&fx, "evil", "/private/x.html") == 0);
	/* A feed link to the intranet host: its robots.txt fetch is refused,
	 * so nothing of it is fetched. */
	snprintf(url, sizeof(url), "%s/robots.txt", inner);
	CHECK(reported(url, "refused to connect to 127.0.0.1 (loopback address)"));
	/* Redirects: each checked before its target is fetched. */
	snprintf(url, sizeof(url), "%s/to-inner.html", evil);
	snprintf(url2, sizeof(url2), "redirect to %s/secret.html not followed: disallowed by "
		 "robots.txt", inner);
	CHECK(reported(url, url2));
	snprintf(url, sizeof(url), "%s/to-file.html", evil);
	CHECK(reported(url, "redirect to file:///etc/passwd not followed: not a valid http(s) URL"));
	snprintf(url, sizeof(url), "%s/to-gopher.html", evil);
	CHECK(reported(url, "redirect to gopher://127.0.0.1:70/1 not followed: not a valid "
		       "http(s) URL"));
	snprintf(url, sizeof(url), "%s/loop.html", evil);
	snprintf(url2, sizeof(url2), "redirect to %s/loop.html not followed: more than 5 redirects",
		 evil);
	CHECK(reported(url, url2));
	CHECK(fixture_count(&fx, "evil", "/loop.html") == 6);
	snprintf(url, sizeof(url), "%s/to-private.html", evil);
	snprintf(url2, sizeof(url2), "redirect to %s/private/x.html not followed: disallowed by "
		 "robots.txt", evil);
	CHECK(reported(url, url2));
	/* Another origin: its robots.txt first, then only what it allows. */
	snprintf(url, sizeof(url), "%s/to-other.html", evil);
	snprintf(url2, sizeof(url2), "redirect to %s/blocked/page.html not followed: disallowed by "
		 "robots.txt", other);
	CHECK(reported(url, url2));
	CHECK(fixture_count(&fx, "other", "/robots.txt") == 1);
	CHECK(fixture_count(&fx, "other", "/blocked/page.html") == 0);
	CHECK(fixture_count(&fx, "other", "/fine.html") == 1);
	/* Transport failures end cleanly. */
	snprintf(url, sizeof(url), "%s/drip.html", evil);
	CHECK(reported(url, "Timeout was reached"));
	snprintf(url, sizeof(url), "%s/huge.html", evil);
	CHECK(reported(url, "Transferred a partial file"));
	snprintf(url, sizeof(url), "%s/reset.html", evil);
	CHECK_CONTAINS(problems, url);
	/* The gzip bomb: cut at max_body, archived, flagged, no material. */
	snprintf(url, sizeof(url), "%s/bomb.html", evil);
	CHECK(reported(url, "body over 1048576 bytes; archived as truncated, not recorded as a "
		       "version"));
	CHECK(sum.new_materials == 2); /* ok.html, and to-other-ok.html (other/fine.html) */
	CHECK(sum.skipped_robots == 4); /* inner/secret, to-inner, to-private, to-other */
	/* inner robots, to-file, to-gopher, loop, reset, drip, huge, bomb */
	CHECK(sum.errors == 8);
	CHECK(requests_to(&fx, "inner") == 0);

	CHECK_OK(archive_capture_last(store, url, &cap, &err));
	CHECK(cap.truncated == 1 && cap.status == 200);
	if (cap.warc_path) {
		CHECK_OK(archive_warc_read(data_dir, cap.warc_path, cap.warc_offset,
					   cap.warc_length, 0, &rec, &err));
		CHECK_CONTAINS(rec.header, "\r\nWARC-Truncated: length\r\n");
		CHECK(rec.payload_len == (size_t)MAX_BODY);
		archive_warc_record_release(&rec);
	}
	archive_capture_release(&cap);
	snprintf(url, sizeof(url), "%s/ok.html", evil);
	CHECK_OK(archive_capture_last(store, url, &cap, &err));
	CHECK(cap.truncated == 0 && cap.status == 200);
	archive_capture_release(&cap);
	CHECK(versions_of(store, url) == 1);
	/* The answer that ended the redirects is captured and recorded under
	 * the feed's URL; its WARC record names both. */
	snprintf(url, sizeof(url), "%s/to-other-ok.html", evil);
	CHECK_OK(archive_capture_last(store, url, &cap, &err));
	CHECK(cap.status == 200);
	if (cap.warc_path) {
		CHECK_OK(archive_warc_read(data_dir, cap.warc_path, cap.warc_offset,
					   cap.warc_length, 0, &rec, &err));
		snprintf(url2, sizeof(url2), "WARC-Target-URI: %s/fine.html\r\n", other);
		CHECK_CONTAINS(rec.header, url2);
		snprintf(url2, sizeof(url2), "Vigil-Requested-URI: %s\r\n", url);
		CHECK_CONTAINS(rec.header, url2);
		archive_warc_record_release(&rec);
	}
	archive_capture_release(&cap);
	CHECK(versions_of(store, url) == 1);
	snprintf(url, sizeof(url), "%s/fine.html", other);
	CHECK(archive_capture_last(store, url, &cap, &err) == VIGIL_ERR_NOT_FOUND);

	/* ---- XXE and billion laughs: no entity is loaded or expanded ---- */
	CHECK_OK(pass(&opt, "xxe", &sum));
	CHECK(sum.errors == 0 && sum.new_materials == 2);
	/* The entity reference stayed text: the link came out literally. */
	CHECK(fixture_count(&fx, "evil", "/ok.html?&file;") == 1);
	CHECK_OK(pass(&opt, "lol", &sum));
	CHECK(sum.errors == 0 && sum.fetched == 2 && sum.new_materials == 1);
	CHECK(requests_to(&fx, "inner") == 0);
	CHECK(!logged_path_has(&fx, "root:"));
	CHECK(!logged_path_has(&fx, "lollol"));

	/* ---- a redirect to a refused address, robots.txt not in the way ---- */
	sources.settings.obey_robots = 0;
	CHECK_OK(pass(&opt, "hop", &sum));
	snprintf(url2, sizeof(url2), "refused to connect to 127.0.0.1 (loopback address) for URL "
		 "%s/secret.html", inner);
	CHECK(reported(hop_url, url2));
	CHECK(sum.errors == 1 && sum.new_materials == 0);
	CHECK(requests_to(&fx, "inner") == 0);
	sources.settings.obey_robots = 1;

	/* ---- a complete page later cut at max_body is not an edit ---- */
	fixture_phase(&fx, 2);
	CHECK_OK(pass(&opt, "feed", &sum));
	snprintf(url, sizeof(url), "%s/ok.html", evil);
	CHECK(reported(url, "body over 1048576 bytes; archived as truncated, not recorded as a "
		       "version"));
	CHECK(sum.changed == 0);
	CHECK(versions_of(store, url) == 1);
	CHECK_OK(archive_capture_last(store, url, &cap, &err));
	CHECK(cap.truncated == 1);
	archive_capture_release(&cap);

	archive_store_close(&store);
	fixture_stop(&fx);
	CHECK_DONE();
}
