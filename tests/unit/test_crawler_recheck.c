/*
 * test_crawler_recheck.c: cheap rechecks. The schedule and Retry-After
 * arithmetic alone, then passes of crawl_run with a fixed clock over
 * tests/fixtures/crawler/rechecks:
 *
 *   news  RSS feed of a1-a5 (interval 24 h). Phase 2: a1 unchanged (304 to
 *         its If-None-Match), a2 the same body under a new ETag (200, the
 *         payload stored already), a3 answers 500, a4 is slower than the
 *         timeout, a5 is edited. Phase 3: a3 and a4 are back.
 *   busy  RSS feed of b1, b2. Phase 2: b1 answers 429 with Retry-After:
 *         7200, so the host is left alone until then, across passes.
 *
 * Unchanged answers must become revisit records, failures must never be
 * deletions, only due materials are fetched, and the back-off and the
 * politeness delay survive from one pass to the next.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler_int.h"

#define UA "vigil-test/1.0 (+https://example.org/vigil)"
#define HOUR 3600
#define DAY 86400
#define SLACK 0.03

static struct fixture fx;
static char problems[16384];

static void on_problem(const char *message, void *context)
{
	(void)context;
	if (strlen(problems) + strlen(message) + 2 < sizeof(problems)) {
		strcat(problems, message);
		strcat(problems, "\n");
	}
}

static const int64_t default_steps[] = { HOUR, 6 * HOUR, DAY, 3 * DAY, 7 * DAY, 30 * DAY };

static void default_schedule(struct config_settings *st)
{
	memcpy(st->recheck_steps, default_steps, sizeof(default_steps));
	st->recheck_step_count = 6;
	st->recheck_until = 365 * DAY;
}

static void test_schedule_arithmetic(void)
{
	struct config_settings st = { 0 };
	int step = -1;
	const int64_t from = 1700000000;

	default_schedule(&st);
	CHECK(crawl_recheck_next(&st, from, from, &step) == from + HOUR && step == 0);
	CHECK(crawl_recheck_next(&st, from, from + HOUR - 1, &step) == from + HOUR && step == 0);
	CHECK(crawl_recheck_next(&st, from, from + HOUR, &step) == from + 6 * HOUR && step == 1);
	CHECK(crawl_recheck_next(&st, from, from + 2 * DAY, &step) == from + 3 * DAY && step == 3);
	/* past the last step: every 30 days */
	CHECK(crawl_recheck_next(&st, from, from + 30 * DAY, &step) == from + 60 * DAY && step == 6);
	CHECK(crawl_recheck_next(&st, from, from + 100 * DAY, &step) == from + 120 * DAY &&
	      step == 8);
	/* 360 days is the last age within 365: then never */
	CHECK(crawl_recheck_next(&st, from, from + 359 * DAY, &step) == from + 360 * DAY);
	CHECK(crawl_recheck_next(&st, from, from + 360 * DAY, &step) == ARCHIVE_RECHECK_NEVER);
	/* a clock that went back counts from the start */
	CHECK(crawl_recheck_next(&st, from, from - 50, &step) == from + HOUR && step == 0);
	st.recheck_until = 2 * HOUR;
	CHECK(crawl_recheck_next(&st, from, from + HOUR, &step) == ARCHIVE_RECHECK_NEVER);
	st.recheck_step_count = 0; /* recheck = always: no schedule */
	CHECK(crawl_recheck_next(&st, from, from, &step) == 0);
}

static void test_retry_after(void)
{
	int64_t until = 0;
	const int64_t now = 1445412000;

	CHECK(crawl_retry_after("120", now, &until) == 1 && until == now + 120);
	CHECK(crawl_retry_after(" 0 ", now, &until) == 1 && until == now);
	/* an HTTP date (RFC 9110 IMF-fixdate), parsed by common/time.c */
	CHECK(crawl_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now, &until) == 1 &&
	      until == 1445412480);
	/* at most a week, whatever the server says */
	CHECK(crawl_retry_after("99999999999999", now, &until) == 1 &&
	      until == now + CRAWL_RETRY_AFTER_MAX);
	CHECK(crawl_retry_after("Fri, 31 Dec 2100 00:00:00 GMT", now, &until) == 1 &&
	      until == now + CRAWL_RETRY_AFTER_MAX);
	until = 7;
	CHECK(crawl_retry_after("soon", now, &until) == 0 && until == 7);
	CHECK(crawl_retry_after("12 minutes", now, &until) == 0);
	CHECK(crawl_retry_after("-5", now, &until) == 0);
	CHECK(crawl_retry_after(NULL, now, &until) == 0);
}

static struct archive_recheck recheck_of(struct archive_store *store, const char *url)
{
	struct archive_recheck rc = { 0 };
	struct vigil_error err = { 0 };

	CHECK_OK(archive_material_recheck_get(store, url, &rc, &err));
	return rc;
}

static void check_alive(struct archive_store *store, const char *url, int versions)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };

	CHECK_OK(archive_material_get(store, url, 0, &d, &err));
	CHECK(d.material.deleted == 0 && d.material.versions == versions);
	archive_material_detail_release(&d);
}

/* The newest capture of url is an unchanged answer with status: a revisit
 * record referring to the response record of its payload capture. */
static void check_revisit(const char *data_dir, struct archive_store *store, const char *url,
			  int status)
{
	struct archive_capture cap = { 0 }, orig = { 0 };
	struct archive_warc_record rec = { 0 }, stored = { 0 };
	struct vigil_error err = { 0 };
	char *refers = NULL;

	CHECK_OK(archive_capture_last(store, url, &cap, &err));
	CHECK(cap.status == status && cap.payload_capture_id > 0 && cap.warc_path);
	if (cap.payload_capture_id > 0 && cap.warc_path) {
		CHECK_OK(archive_warc_read(data_dir, cap.warc_path, cap.warc_offset, cap.warc_length,
					   0, &rec, &err));
		CHECK_OK(archive_capture_get(store, cap.payload_capture_id, &orig, &err));
		CHECK_OK(archive_warc_read(data_dir, orig.warc_path, orig.warc_offset,
					   orig.warc_length, 0, &stored, &err));
		CHECK_STR(rec.type, "revisit");
		CHECK(rec.http_status == status);
		refers = archive_warc_field(&rec, "WARC-Refers-To");
		CHECK_STR(refers, stored.record_id);
		CHECK_STR(rec.payload_digest, stored.payload_digest);
		CHECK(stored.http_status == 200);
	}
	free(refers);
	archive_warc_record_release(&rec);
	archive_warc_record_release(&stored);
	archive_capture_release(&cap);
	archive_capture_release(&orig);
}

static enum vigil_code pass(const struct crawl_options *base, int64_t now, int force,
			    const char *only, struct crawl_summary *sum)
{
	struct crawl_options o = *base;
	struct vigil_error err = { 0 };
	enum vigil_code code;

	o.now = now;
	o.force = force;
	o.only_source = only;
	problems[0] = '\0';
	code = crawl_run(&o, sum, &err);
	if (code != VIGIL_OK)
		fprintf(stderr, "crawl_run: %s\n", err.message);
	fixture_sleep_ms(100);
	return code;
}

/* Seconds between the last request to site among the first n log lines
 * and the first one after them; -1 when either is missing. */
static double gap_after(const char *site, size_t n)
{
	size_t count;
	struct fixture_request *r = fixture_requests(&fx, &count);
	double last = -1, first = -1;

	for (size_t i = 0; i < count; i++) {
		if (strcmp(r[i].site, site) != 0)
			continue;
		if (i < n)
			last = r[i].when;
		else if (first < 0)
			first = r[i].when;
	}
	free(r);
	return last < 0 || first < 0 ? -1 : first - last;
}

static void test_passes(void)
{
	struct config_sources sources = { 0 };
	struct config_source items[2];
	struct crawl_options opt = { 0 };
	struct crawl_summary sum;
	struct archive_store *store = NULL;
	struct archive_host host = { 0 };
	struct vigil_error err = { 0 };
	char data_dir[128], news[96], busy[96], a[6][128], b[3][128];
	int64_t t0 = vigil_now(), t3, due = -1, next_at = -1, news_id = 0, ignored;
	size_t logged;

	if (fixture_start(&fx, "tests/fixtures/crawler/rechecks") != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		return;
	}
	fixture_url(&fx, "news", "/feed.rss", news, sizeof(news));
	fixture_url(&fx, "busy", "/feed.rss", busy, sizeof(busy));
	for (int i = 1; i <= 5; i++) {
		char path[16];

		snprintf(path, sizeof(path), "/a%d.html", i);
		fixture_url(&fx, "news", path, a[i], sizeof(a[i]));
	}
	fixture_url(&fx, "busy", "/b1.html", b[1], sizeof(b[1]));
	fixture_url(&fx, "busy", "/b2.html", b[2], sizeof(b[2]));
	items[0] = (struct config_source){ .name = "news", .url = news, .kind = CONFIG_SOURCE_FEED,
					   .language = "ru", .interval_hours = 24, .depth = 1,
					   .max_pages = 50, .line = 1 };
	items[1] = (struct config_source){ .name = "busy", .url = busy, .kind = CONFIG_SOURCE_FEED,
					   .language = "ru", .interval_hours = 24, .depth = 1,
					   .max_pages = 50, .line = 2 };
	sources.path = "recheck-sources.conf";
	sources.settings = (struct config_settings){ .user_agent = UA, .delay_ms = 300,
						     .timeout_seconds = 1,
						     .max_body_bytes = 1L << 20,
						     .parallel_hosts = 4, .obey_robots = 1,
						     .allow_private = 1 };
	default_schedule(&sources.settings);
	sources.items = items;
	sources.count = 2;
	snprintf(data_dir, sizeof(data_dir), "%s/data", fx.dir);
	CHECK_OK(archive_data_init(data_dir, &err));
	CHECK_OK(archive_store_open(data_dir, &store, &err));
	if (!store) {
		fprintf(stderr, "store: %s\n", err.message);
		fixture_stop(&fx);
		return;
	}
	opt.data_dir = data_dir;
	opt.sources = &sources;
	opt.store = store;
	opt.problem = on_problem;

	/* ---- pass 1 at t0: everything is new; first rechecks in an hour ---- */
	CHECK_OK(pass(&opt, t0, 0, NULL, &sum));
	CHECK(sum.sources == 2 && sum.new_materials == 7 && sum.errors == 0);
	CHECK(sum.revisits == 0);
	for (int i = 1; i <= 5; i++) {
		struct archive_recheck rc = recheck_of(store, a[i]);

		CHECK(rc.check_from == t0 && rc.check_step == 0 && rc.next_check_at == t0 + HOUR);
	}
	CHECK_OK(archive_source_sync(store, "news", news, "feed", &news_id, &err));
	CHECK_OK(archive_source_rechecks(store, news_id, t0, &due, &next_at, &err));
	CHECK(due == 0 && next_at == t0 + HOUR);

	/* ---- 10 minutes later: nothing is due, nothing is fetched ---- */
	logged = fixture_wait_log(&fx, 11);
	CHECK_OK(pass(&opt, t0 + 600, 0, NULL, &sum));
	CHECK(sum.sources == 0 && sum.fetched == 0);
	CHECK(fixture_wait_log(&fx, logged) == logged);

	/* ---- phase 2, an hour later: the five rechecks are due; the feeds
	 * are not (interval 24 h) ---- */
	fixture_phase(&fx, 2);
	t3 = t0 + HOUR + 100;
	CHECK_OK(archive_source_rechecks(store, news_id, t3, &due, &next_at, &err));
	CHECK(due == 5 && next_at == 0);
	CHECK_OK(pass(&opt, t3, 0, NULL, &sum));
	CHECK(fixture_count(&fx, "news", "/feed.rss") == 1);
	CHECK(fixture_count(&fx, "busy", "/feed.rss") == 1);
	/* a1: a conditional GET answered 304; a2: conditional, but the new
	 * ETag does not match, so 200 with the payload stored already */
	CHECK(fixture_count_status(&fx, "news", "/a1.html", 304, 1) == 1);
	CHECK(fixture_count_status(&fx, "news", "/a2.html", 200, 1) == 1);
	CHECK(sum.revisits == 2 && sum.unchanged == 2);
	CHECK(sum.changed == 1);               /* a5 */
	CHECK(sum.deleted == 0);               /* not a3 (500), not a4 (timeout) */
	CHECK(sum.errors == 2);
	CHECK_CONTAINS(problems, "HTTP 500");
	CHECK_CONTAINS(problems, "Timeout");
	check_revisit(data_dir, store, a[1], 304);
	check_revisit(data_dir, store, a[2], 200);
	for (int i = 1; i <= 4; i++)
		check_alive(store, a[i], 1);
	check_alive(store, a[5], 2);
	{
		struct archive_recheck r1 = recheck_of(store, a[1]), r3 = recheck_of(store, a[3]),
				       r4 = recheck_of(store, a[4]), r5 = recheck_of(store, a[5]);

		/* unchanged: the next step; failed: still due; changed: back to the start */
		CHECK(r1.check_from == t0 && r1.check_step == 1 && r1.next_check_at == t0 + 6 * HOUR);
		CHECK(r3.next_check_at == t0 + HOUR && r4.next_check_at == t0 + HOUR);
		CHECK(r5.check_from == t3 && r5.check_step == 0 && r5.next_check_at == t3 + HOUR);
	}
	{
		struct archive_material_detail d = { 0 };

		CHECK_OK(archive_material_get(store, a[1], 0, &d, &err));
		CHECK(d.material.last_seen == t3);
		archive_material_detail_release(&d);
	}
	/* busy: b1 answered 429 (Retry-After: 7200); b2 was not even asked */
	CHECK(fixture_count_status(&fx, "busy", "/b1.html", 429, 1) == 1);
	CHECK(fixture_count(&fx, "busy", "/b2.html") == 1);
	CHECK(sum.deferred == 2);
	CHECK_CONTAINS(problems, "HTTP 429; deferred to a later pass");
	CHECK_CONTAINS(problems, "in back-off until");
	check_alive(store, b[1], 1);
	check_alive(store, b[2], 1);
	{
		char origin[64];

		fixture_url(&fx, "busy", "", origin, sizeof(origin));
		CHECK_OK(archive_host_get(store, origin, &host, &err));
		CHECK(host.backoff_until == t3 + 7200 && host.error_streak == 1);
		CHECK(host.last_fetch_at > 0);
		archive_host_release(&host);
	}
	CHECK_OK(archive_source_rechecks(store, news_id, t3, &due, &next_at, &err));
	CHECK(due == 2 && next_at == t3 + HOUR); /* a3 and a4; then a5 */

	/* ---- a minute later, a new pass: busy is still in back-off, so not
	 * one request goes there; a3 and a4 are tried again ---- */
	CHECK_OK(pass(&opt, t3 + 60, 0, NULL, &sum));
	/* the server logs a4 only when its 3 s delay is over */
	fixture_sleep_ms(3200);
	CHECK(fixture_count(&fx, "busy", "/b1.html") == 2);
	CHECK(fixture_count(&fx, "busy", "/b2.html") == 1);
	CHECK(fixture_count(&fx, "busy", "/robots.txt") == 1);
	CHECK(sum.deferred == 2);
	CHECK(fixture_count(&fx, "news", "/a3.html") == 3);
	CHECK(fixture_count(&fx, "news", "/a4.html") == 3);
	CHECK(fixture_count(&fx, "news", "/a1.html") == 2);
	CHECK(sum.deleted == 0 && sum.errors == 2);
	check_alive(store, a[3], 1);
	check_alive(store, a[4], 1);

	/* ---- phase 3, after the back-off: the deferred entries are fetched,
	 * a3 and a4 answer again (304) ---- */
	fixture_phase(&fx, 3);
	CHECK_OK(pass(&opt, t3 + 7300, 0, NULL, &sum));
	CHECK(sum.deferred == 0 && sum.errors == 0 && sum.deleted == 0);
	CHECK(fixture_count_status(&fx, "busy", "/b1.html", 304, 1) == 1);
	CHECK(fixture_count_status(&fx, "busy", "/b2.html", 304, 1) == 1);
	CHECK(fixture_count_status(&fx, "news", "/a3.html", 304, 1) == 1);
	/* (a4's two timed-out requests are logged as 304s too: the server
	 * answers after its delay, when the crawler has given up) */
	CHECK(fixture_count(&fx, "news", "/a4.html") == 4);
	CHECK(sum.revisits == 5); /* and a5, due an hour after its edit */
	CHECK(fixture_count_status(&fx, "news", "/a5.html", 304, 1) == 1);
	{
		char origin[64];

		fixture_url(&fx, "busy", "", origin, sizeof(origin));
		CHECK_OK(archive_host_get(store, origin, &host, &err));
		CHECK(host.error_streak == 0);
		archive_host_release(&host);
	}

	/* ---- right away, --force on busy: every material is rechecked,
	 * due or not, and the new pass keeps the delay after the last request
	 * of the one before (hosts.last_fetch_at) ---- */
	logged = fixture_wait_log(&fx, 0);
	CHECK_OK(pass(&opt, t3 + 7300, 1, "busy", &sum));
	CHECK(sum.fetched == 3); /* the feed, b1, b2 */
	CHECK(fixture_count(&fx, "busy", "/b2.html") == 3);
	{
		double gap = gap_after("busy", logged);

		CHECK(gap >= 0.3 - SLACK);
		if (gap < 0.3 - SLACK)
			fprintf(stderr, "busy: next pass came %.3f s after the last request\n", gap);
	}
	/* ---- a day after the forced pass the feed is due again; it still lists b1 and b2,
	 * but only the one whose recheck is due is fetched ---- */
	{
		struct archive_recheck rc = recheck_of(store, b[1]);
		int b1_before = fixture_count(&fx, "busy", "/b1.html");
		int b2_before = fixture_count(&fx, "busy", "/b2.html");
		int feed_before = fixture_count(&fx, "busy", "/feed.rss");

		rc.next_check_at = t0 + 30 * DAY;
		CHECK_OK(archive_material_recheck_set(store, &rc, &err));
		CHECK_OK(pass(&opt, t3 + 7300 + 25 * HOUR, 0, "busy", &sum));
		CHECK(fixture_count(&fx, "busy", "/feed.rss") == feed_before + 1);
		CHECK(fixture_count(&fx, "busy", "/b1.html") == b1_before);
		CHECK(fixture_count(&fx, "busy", "/b2.html") == b2_before + 1);
		CHECK(sum.fetched == 3); /* the feed, b2, and robots.txt (a day old) */
		CHECK(fixture_count(&fx, "busy", "/robots.txt") == 2);
	}
	(void)ignored;
	CHECK_OK(archive_verify(data_dir, NULL, 0, &(struct archive_verify_result){ 0 }, &err));
	archive_store_close(&store);
	fixture_stop(&fx);
}

int main(void)
{
	test_schedule_arithmetic();
	test_retry_after();
	test_passes();
	CHECK_DONE();
}
