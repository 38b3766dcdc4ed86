/*
 * test_crawler_run.c: whole passes of crawl_run over the fixture sites in
 * tests/fixtures/crawler/sites, with the shipped rules and a temp data dir:
 *
 *   news   RSS feed of 3 articles; no robots.txt (404: allow all)
 *   portal a site (depth 1); robots.txt disallows /private/, Crawl-delay 1
 *   tg     a channel page with posts 10, 11, 12 (history = 2: one page)
 *   flaky  robots.txt answers 503: nothing else may be fetched there
 *
 * Pass 1 archives and records; pass 2 (nothing changed) must write no WARC
 * bytes; phase 2 edits a2, makes a3 answer 410 and drops it from the feed,
 * and replaces post 12 by 13 on the channel page (12's embed page says
 * "Post not found"); then a killed pass is
 * simulated with hand-made pending frontier entries.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw, memmem */
#endif
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler.h"

#include <dirent.h>
#include <ftw.h>

#define UA "vigil-test/1.0 (+https://example.org/vigil)"
#define SLACK 0.03

static struct fixture fx;
static char origin_news[64], origin_portal[64], origin_tg[64], origin_flaky[64];
static char url_news[96], url_portal[96], url_tg[96], url_flaky[96];
static char problems[8192];
static char last_error[VIGIL_ERROR_MAX];
static int expect_failure;
static int progress_calls;

static void on_problem(const char *message, void *context)
{
	(void)context;
	if (strlen(problems) + strlen(message) + 2 < sizeof(problems)) {
		strcat(problems, message);
		strcat(problems, "\n");
	}
}

static void on_progress(const char *url, int status, const struct crawl_summary *so_far,
			void *context)
{
	(void)url;
	(void)status;
	(void)so_far;
	(void)context;
	progress_calls++;
}

static off_t warc_bytes;
static int warc_files;

static int add_size(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (flag == FTW_F) {
		warc_bytes += st->st_size;
		warc_files++;
	}
	return 0;
}

static void measure_warc(const char *data_dir, off_t *bytes, int *files)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/warc", data_dir);
	warc_bytes = 0;
	warc_files = 0;
	nftw(path, add_size, 16, FTW_PHYS);
	*bytes = warc_bytes;
	*files = warc_files;
}

static int files_in(const char *data_dir, const char *source)
{
	char path[256];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "%s/warc/%s", data_dir, source);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)))
		if (strstr(d->d_name, ".warc.zst"))
			n++;
	closedir(dir);
	return n;
}

static int64_t captures_of(struct archive_store *store, const char *name)
{
	struct archive_source_info info = { 0 };
	struct vigil_error err = { 0 };
	int64_t n = -1;

	if (archive_source_get(store, name, &info, &err) == VIGIL_OK)
		n = info.captures;
	archive_source_info_release(&info);
	return n;
}

static enum vigil_code run(const struct crawl_options *base, int force, const char *only,
			   struct crawl_summary *sum)
{
	struct crawl_options o = *base;
	struct vigil_error err = { 0 };
	enum vigil_code code;

	o.force = force;
	o.only_source = only;
	problems[0] = '\0';
	progress_calls = 0;
	code = crawl_run(&o, sum, &err);
	snprintf(last_error, sizeof(last_error), "%s", code ? err.message : "");
	if (code != VIGIL_OK && !expect_failure)
		fprintf(stderr, "crawl_run: %s\n", err.message);
	/* Let the server finish writing its log before anyone reads it. */
	fixture_sleep_ms(100);
	return code;
}

static int load_rules(struct config_rules *rules, struct parse_classifier **classifier)
{
	struct vigil_error err = { 0 };
	char dir[512];

	if (config_shipped_path("rules", dir, sizeof(dir), &err) != VIGIL_OK ||
	    config_rules_load_dir(dir, rules, &err) != VIGIL_OK) {
		fprintf(stderr, "rules: %s\n", err.message);
		return -1;
	}
	if (parse_classifier_new(rules, classifier, &err) != VIGIL_OK) {
		fprintf(stderr, "classifier: %s\n", err.message);
		return -1;
	}
	return 0;
}

static void check_material(struct archive_store *store, const char *url, const char *title_part,
			   int deleted, int versions)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };

	if (archive_material_get(store, url, 0, &d, &err) != VIGIL_OK) {
		fprintf(stderr, "material %s: %s\n", url, err.message);
		CHECK(0);
		return;
	}
	if (title_part)
		CHECK_CONTAINS(d.material.title, title_part);
	CHECK(d.material.deleted == deleted);
	CHECK(d.material.versions == versions);
	archive_material_detail_release(&d);
}

/* The stored response record of url's newest stored capture holds body. */
static void check_warc_record(const char *data_dir, struct archive_store *store,
			      const char *url, const char *body_part)
{
	struct archive_capture cap = { 0 };
	struct archive_warc_record rec = { 0 };
	struct vigil_error err = { 0 };

	CHECK_OK(archive_capture_original(store, url, 200, &cap, &err));
	CHECK(cap.warc_path != NULL && cap.status == 200);
	if (cap.warc_path) {
		CHECK_OK(archive_warc_read(data_dir, cap.warc_path, cap.warc_offset, cap.warc_length,
					   0, &rec, &err));
		CHECK_STR(rec.type, "response");
		CHECK_STR(rec.target_uri, url);
		CHECK(rec.http_status == 200);
		CHECK(rec.payload && memmem(rec.payload, rec.payload_len, body_part,
					    strlen(body_part)) != NULL);
		CHECK_STR(rec.payload_digest, cap.payload_digest);
	}
	archive_warc_record_release(&rec);
	archive_capture_release(&cap);
}

/* The last capture of url is an unchanged answer (status): a revisit
 * record of the identical-payload-digest profile that refers to the
 * response record of the capture it names as holding its payload. */
static void check_revisit(const char *data_dir, struct archive_store *store, const char *url,
			  int status)
{
	struct archive_capture cap = { 0 }, orig = { 0 };
	struct archive_warc_record rec = { 0 }, stored = { 0 };
	struct vigil_error err = { 0 };
	char *profile = NULL, *refers = NULL, *refers_uri = NULL;

	CHECK_OK(archive_capture_last(store, url, &cap, &err));
	CHECK(cap.status == status && cap.warc_path && cap.payload_capture_id > 0);
	if (cap.warc_path && cap.payload_capture_id > 0) {
		CHECK_OK(archive_warc_read(data_dir, cap.warc_path, cap.warc_offset, cap.warc_length,
					   0, &rec, &err));
		CHECK_OK(archive_capture_get(store, cap.payload_capture_id, &orig, &err));
		CHECK_OK(archive_warc_read(data_dir, orig.warc_path, orig.warc_offset,
					   orig.warc_length, 0, &stored, &err));
		CHECK_STR(rec.type, "revisit");
		CHECK(rec.http_status == status && rec.payload_len == 0);
		profile = archive_warc_field(&rec, "WARC-Profile");
		refers = archive_warc_field(&rec, "WARC-Refers-To");
		refers_uri = archive_warc_field(&rec, "WARC-Refers-To-Target-URI");
		CHECK_STR(profile, ARCHIVE_REVISIT_PROFILE);
		CHECK_STR(refers, stored.record_id);
		CHECK_STR(refers_uri, stored.target_uri);
		CHECK_STR(rec.payload_digest, stored.payload_digest);
		CHECK_STR(cap.payload_digest, orig.payload_digest);
		CHECK_STR(stored.type, "response");
	}
	free(profile);
	free(refers);
	free(refers_uri);
	archive_warc_record_release(&rec);
	archive_warc_record_release(&stored);
	archive_capture_release(&cap);
	archive_capture_release(&orig);
}

/* Requests to site after the robots.txt fetch are >= min_gap apart. */
static int spaced(const char *site, double min_gap)
{
	size_t n;
	struct fixture_request *r = fixture_requests(&fx, &n);
	double prev = -1;
	int ok = 1;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(r[i].site, site) != 0)
			continue;
		if (prev >= 0 && r[i].when - prev < min_gap - SLACK) {
			fprintf(stderr, "%s%s: %.3f s after the previous request\n", site, r[i].path,
				r[i].when - prev);
			ok = 0;
		}
		prev = r[i].when;
	}
	free(r);
	return ok;
}

int main(void)
{
	char root[256];
	struct config_source items[4];
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct parse_classifier *classifier = NULL;
	struct archive_store *store = NULL;
	struct crawl_options opt = { 0 };
	struct crawl_summary sum;
	struct vigil_error err = { 0 };
	char data_dir[128], url[160];
	off_t bytes1, bytes2, bytes3;
	int files1, files2, files3;
	int64_t caps1, caps2, pending = -1, news_id = 0;
	int added = 0;

	snprintf(root, sizeof(root), "%s/crawler/sites", check_fixture_dir());
	if (fixture_start(&fx, root) != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	fixture_url(&fx, "news", "", origin_news, sizeof(origin_news));
	fixture_url(&fx, "portal", "", origin_portal, sizeof(origin_portal));
	fixture_url(&fx, "tg", "", origin_tg, sizeof(origin_tg));
	fixture_url(&fx, "flaky", "", origin_flaky, sizeof(origin_flaky));
	snprintf(url_news, sizeof(url_news), "%s/feed.rss", origin_news);
	snprintf(url_portal, sizeof(url_portal), "%s/", origin_portal);
	snprintf(url_tg, sizeof(url_tg), "%s/s/vigilwatch", origin_tg);
	snprintf(url_flaky, sizeof(url_flaky), "%s/", origin_flaky);

	/* Built by hand: this test is about the crawler, not the file format. */
	memset(items, 0, sizeof(items));
	items[0] = (struct config_source){ .name = "news", .url = url_news,
					   .kind = CONFIG_SOURCE_FEED, .language = "ru",
					   .interval_hours = 24, .depth = 1, .max_pages = 50,
					   .line = 1 };
	items[1] = (struct config_source){ .name = "portal", .url = url_portal,
					   .kind = CONFIG_SOURCE_SITE, .language = "ru",
					   .interval_hours = 24, .depth = 1, .max_pages = 50,
					   .line = 2 };
	items[2] = (struct config_source){ .name = "tg", .url = url_tg,
					   .kind = CONFIG_SOURCE_CHANNEL, .language = "ru",
					   .interval_hours = 24, .depth = 1, .max_pages = 50,
					   /* the first page only: history is
					      test_crawler_channel's */
					   .history_posts = 2, .line = 3 };
	items[3] = (struct config_source){ .name = "flaky", .url = url_flaky,
					   .kind = CONFIG_SOURCE_SITE, .language = "ru",
					   .interval_hours = 24, .depth = 1, .max_pages = 50,
					   .line = 4 };
	sources.path = "test-sources.conf";
	sources.settings = (struct config_settings){ .user_agent = UA, .delay_ms = 100,
						     .timeout_seconds = 10,
						     .max_body_bytes = 1L << 20,
						     .parallel_hosts = 4, .obey_robots = 1,
						     /* the fixture sites are on 127.0.0.1 */
						     .allow_private = 1 };
	sources.items = items;
	sources.count = 4;

	CHECK(load_rules(&rules, &classifier) == 0);
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
	opt.classifier = classifier;
	opt.store = store;
	opt.progress = on_progress;
	opt.problem = on_problem;

	/* ---- pass 1: everything is new ---- */
	CHECK_OK(run(&opt, 0, NULL, &sum));
	CHECK(sum.sources == 4);
	CHECK(sum.new_materials == 7); /* a1-a3, story, posts 10-12 */
	CHECK(sum.changed == 0 && sum.deleted == 0 && sum.unchanged == 0);
	CHECK(sum.skipped_robots == 2); /* portal /private/, flaky / */
	CHECK(sum.errors == 1);         /* flaky robots.txt 503 */
	/* news 5 (robots 404, feed, 3), portal 4, tg 2, flaky 1 */
	CHECK(sum.fetched == 12);
	CHECK(progress_calls == 12);
	CHECK_CONTAINS(problems, "/robots.txt: HTTP 503");
	CHECK(fixture_count_prefix(&fx, "portal", "/private/") == 0);
	CHECK(fixture_count_prefix(&fx, "portal", "/files/") == 0);
	CHECK(fixture_count(&fx, "portal", "/robots.txt") == 1);
	CHECK(fixture_count(&fx, "portal", "/stub.html") == 1);
	CHECK(fixture_count(&fx, "flaky", "/robots.txt") == 1);
	CHECK(fixture_count(&fx, "flaky", "/") == 0);
	CHECK(fixture_count(&fx, "news", "/robots.txt") == 1);
	CHECK(fixture_count(&fx, "news", "/articles/a1.html") == 1);
	CHECK(spaced("portal", 1.0));  /* Crawl-delay: 1 */
	CHECK(spaced("news", 0.1));    /* delay_ms */
	CHECK(files_in(data_dir, "news") == 1);
	CHECK(files_in(data_dir, "portal") == 1);
	CHECK(files_in(data_dir, "tg") == 1);
	CHECK(files_in(data_dir, "flaky") == 1); /* the 503 answer is archived too */
	snprintf(url, sizeof(url), "%s/articles/a1.html", origin_news);
	check_warc_record(data_dir, store, url, "Ерлана Касымова");
	check_material(store, url, "Караганде", 0, 1);
	{
		/* The classification reached the index: category, region with
		 * its label, and the hits that explain it. */
		struct archive_material_detail d = { 0 };
		int journalist = 0, karaganda = 0, hit_where = 0;

		CHECK_OK(archive_material_get(store, url, 0, &d, &err));
		CHECK(d.material.relevant == 1);
		for (size_t i = 0; i < d.material.category_count; i++)
			journalist |= strcmp(d.material.categories[i], "journalist") == 0;
		for (size_t i = 0; i < d.material.region_count; i++)
			karaganda |= d.material.regions[i].label &&
				     strstr(d.material.regions[i].label, "Караган") != NULL;
		for (size_t i = 0; i < d.hit_count; i++)
			hit_where |= d.hits[i].where && strstr(d.hits[i].where, ".rules:") != NULL;
		CHECK(journalist);
		CHECK(karaganda);
		CHECK(hit_where);
		CHECK(d.text && strstr(d.text, "Протокол составили"));
		CHECK(d.text && !strstr(d.text, "Перепечатка запрещена")); /* footer dropped */
		CHECK_STR(d.material.lang, "ru");
		archive_material_detail_release(&d);
	}
	snprintf(url, sizeof(url), "%s/story.html", origin_portal);
	check_material(store, url, "Костанае", 0, 1);
	snprintf(url, sizeof(url), "%s/stub.html", origin_portal);
	{
		struct archive_material_detail d = { 0 };

		/* archived, but too short to be a material */
		CHECK(archive_material_get(store, url, 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
		archive_material_detail_release(&d);
		check_warc_record(data_dir, store, url, "Мы пишем о жизни региона");
	}
	snprintf(url, sizeof(url), "%s/vigilwatch/12", origin_tg);
	check_material(store, url, "Шымкент", 0, 1);
	{
		struct archive_source_info info = { 0 };

		CHECK_OK(archive_source_get(store, "news", &info, &err));
		CHECK_STR(info.last_status, "ok");
		CHECK(info.last_crawl_start > 0 && info.last_crawl_end >= info.last_crawl_start);
		archive_source_info_release(&info);
		CHECK_OK(archive_source_get(store, "flaky", &info, &err));
		CHECK_STR(info.last_status, "errors: 1");
		archive_source_info_release(&info);
	}
	{
		struct archive_results res = { 0 };
		struct archive_query q = { 0 };

		q.source = "news";
		q.relevant_only = 1;
		CHECK_OK(archive_search(store, &q, &res, &err));
		CHECK(res.count == 3); /* all three are about defenders/journalists */
		archive_results_release(&res);
	}
	measure_warc(data_dir, &bytes1, &files1);
	caps1 = captures_of(store, "news");
	CHECK(caps1 == 5);

	/* ---- pass 2: nothing changed, so no payload is stored again: every
	 * answer is a 304 to a conditional GET (or the same payload again),
	 * archived as a revisit record ---- */
	CHECK_OK(run(&opt, 1, NULL, &sum));
	CHECK(sum.sources == 4);
	CHECK(sum.new_materials == 0 && sum.changed == 0 && sum.deleted == 0);
	CHECK(sum.unchanged == 7);
	CHECK(sum.errors == 1);
	/* robots.txt comes from the index now, except flaky's 503 */
	CHECK(fixture_count(&fx, "news", "/robots.txt") == 1);
	CHECK(fixture_count(&fx, "portal", "/robots.txt") == 1);
	CHECK(fixture_count(&fx, "flaky", "/robots.txt") == 2);
	/* news: feed + a1-a3; portal: /, story, stub; tg: 1; flaky: robots */
	CHECK(sum.fetched == 9);
	CHECK(fixture_count(&fx, "news", "/articles/a1.html") == 2);
	CHECK(fixture_count_status(&fx, "news", "/articles/a1.html", 304, 1) == 1);
	CHECK(fixture_count_status(&fx, "news", "/feed.rss", 304, 1) == 1);
	CHECK(fixture_count_status(&fx, "portal", "/story.html", 304, 1) == 1);
	/* 8 pages answered 304; flaky's robots.txt 503 repeats its payload */
	CHECK(sum.revisits == 9);
	measure_warc(data_dir, &bytes2, &files2);
	/* one new file per source, of request + revisit records only */
	CHECK(files2 == files1 + 4);
	CHECK(bytes2 > bytes1 && bytes2 - bytes1 < 16 * 1024); /* 11 KB measured */
	caps2 = captures_of(store, "news");
	CHECK(caps2 == caps1 + 4); /* the captures are recorded all the same */
	snprintf(url, sizeof(url), "%s/articles/a1.html", origin_news);
	check_revisit(data_dir, store, url, 304);

	/* ---- pass 3: phase 2: a2 edited, a3 gone (410), post 12 deleted ---- */
	fixture_phase(&fx, 2);
	CHECK_OK(run(&opt, 1, NULL, &sum));
	CHECK(sum.new_materials == 1); /* post 13 */
	CHECK(sum.changed == 1);       /* a2 */
	CHECK(sum.deleted == 2);       /* a3, post 12 */
	CHECK(sum.unchanged == 3);     /* a1, story, post 11 */
	CHECK(fixture_count(&fx, "news", "/articles/a3.html") == 3); /* rechecked directly */
	snprintf(url, sizeof(url), "%s/articles/a2.html", origin_news);
	check_material(store, url, "Павлодара", 0, 2);
	check_warc_record(data_dir, store, url, "начали проверку");
	snprintf(url, sizeof(url), "%s/articles/a3.html", origin_news);
	check_material(store, url, "Уральске", 1, 1);
	snprintf(url, sizeof(url), "%s/vigilwatch/12", origin_tg);
	check_material(store, url, NULL, 1, 1);
	snprintf(url, sizeof(url), "%s/vigilwatch/10", origin_tg);
	check_material(store, url, NULL, 0, 1); /* scrolled off, not deleted */
	snprintf(url, sizeof(url), "%s/vigilwatch/13", origin_tg);
	check_material(store, url, "Кызылорда", 0, 1);
	measure_warc(data_dir, &bytes3, &files3);
	CHECK(bytes3 > bytes2);
	CHECK(files_in(data_dir, "news") == 3);
	CHECK(files_in(data_dir, "portal") == 3); /* unchanged: revisit records only */

	/* ---- a killed pass: pending entries are resumed, not reseeded ---- */
	CHECK_OK(archive_source_sync(store, "news", url_news, "feed", &news_id, &err));
	snprintf(url, sizeof(url), "%s/articles/a5.html", origin_news);
	CHECK_OK(archive_frontier_add(store, news_id, url, 1, 2, &added, &err));
	CHECK(added == 1);
	snprintf(url, sizeof(url), "%s/articles/a1.html", origin_news);
	CHECK_OK(archive_frontier_add(store, news_id, url, 1, 2, &added, &err));
	CHECK_OK(archive_frontier_pending(store, news_id, &pending, &err));
	CHECK(pending == 2);
	CHECK(fixture_count(&fx, "news", "/feed.rss") == 3);
	CHECK_OK(run(&opt, 0, NULL, &sum)); /* not forced: only the resumed one is due */
	CHECK(sum.sources == 1);
	CHECK(sum.fetched == 2);
	CHECK(sum.new_materials == 1 && sum.unchanged == 1);
	CHECK(fixture_count(&fx, "news", "/articles/a5.html") == 1);
	CHECK(fixture_count(&fx, "news", "/feed.rss") == 3);
	CHECK(fixture_count(&fx, "news", "/articles/a1.html") == 4);
	CHECK_OK(archive_frontier_pending(store, news_id, &pending, &err));
	CHECK(pending == 0);
	snprintf(url, sizeof(url), "%s/articles/a5.html", origin_news);
	check_material(store, url, "Таразе", 0, 1);

	/* ---- a disk failure stops the pass; the next pass resumes it ---- */
	{
		char dir[256], moved[256];
		int before = files_in(data_dir, "news");
		FILE *f;

		CHECK(before == 4); /* passes 1, 2, 3 and the resumed one wrote */
		snprintf(dir, sizeof(dir), "%s/warc/news", data_dir);
		snprintf(moved, sizeof(moved), "%s/warc/news.moved", data_dir);
		CHECK(rename(dir, moved) == 0);
		f = fopen(dir, "w"); /* a file where the directory must go */
		CHECK(f != NULL);
		if (f)
			fclose(f);
		snprintf(url, sizeof(url), "%s/articles/a1.html?copy=1", origin_news);
		CHECK_OK(archive_frontier_add(store, news_id, url, 1, 2, &added, &err));
		expect_failure = 1;
		CHECK(run(&opt, 0, NULL, &sum) == VIGIL_ERR_IO);
		expect_failure = 0;
		CHECK_CONTAINS(last_error, "warc/news");
		CHECK(sum.sources == 1 && sum.new_materials == 0);
		CHECK_OK(archive_frontier_pending(store, news_id, &pending, &err));
		CHECK(pending == 1); /* the page's transaction was rolled back */
		CHECK(unlink(dir) == 0 && rename(moved, dir) == 0);
		CHECK_OK(run(&opt, 0, NULL, &sum));
		CHECK(sum.sources == 1 && sum.fetched == 1 && sum.new_materials == 1);
		CHECK_OK(archive_frontier_pending(store, news_id, &pending, &err));
		CHECK(pending == 0);
		CHECK(files_in(data_dir, "news") == before + 1);
	}

	/* ---- nothing due; source filter ---- */
	CHECK_OK(run(&opt, 0, NULL, &sum));
	CHECK(sum.sources == 0 && sum.fetched == 0);
	CHECK_OK(run(&opt, 1, "tg", &sum));
	CHECK(sum.sources == 1 && sum.fetched == 1);
	CHECK(sum.unchanged == 2 && sum.deleted == 0);
	/* obey_robots = 0: flaky's 503 robots.txt is not even asked for */
	{
		int robots_before = fixture_count(&fx, "flaky", "/robots.txt");

		sources.settings.obey_robots = 0;
		CHECK_OK(run(&opt, 1, "flaky", &sum));
		sources.settings.obey_robots = 1;
		CHECK(sum.sources == 1);
		CHECK(sum.fetched == 2); /* / and its link /page.html (a 404) */
		CHECK(sum.skipped_robots == 0 && sum.errors == 0);
		CHECK(fixture_count(&fx, "flaky", "/robots.txt") == robots_before);
		CHECK(fixture_count(&fx, "flaky", "/") == 1);
		CHECK(fixture_count(&fx, "flaky", "/page.html") == 1);
	}
	{
		struct crawl_options o = opt;

		o.only_source = "nope";
		CHECK(crawl_run(&o, &sum, &err) == VIGIL_ERR_USAGE);
		CHECK_CONTAINS(err.message, "nope");
	}

	archive_store_close(&store);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	fixture_stop(&fx);
	CHECK_DONE();
}
