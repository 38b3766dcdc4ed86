/*
 * test_crawler_channel.c: a channel's history read back with ?before=N,
 * over the fixture site tests/fixtures/crawler/sites/tgh (channel kzwatch,
 * history = 10 posts):
 *
 *   phase 1  s/kzwatch: 27-30 (27 with 1.2K views); ?before=27: 23, 24 (a
 *            service message), 26 (25 is a gap that never held a post);
 *            ?before=23: 17 (forwarded), 18 (links), 19, 20 (an album of
 *            20, 21, 22); ?before=17: 16, which history = 10 never reaches.
 *   phase 2  31 is new; 27 has 1.5K views (no new version); 29 is missing
 *            from the page but its embed page shows it (not deleted); 26 is
 *            edited (new version, "edited" mark); 23 is gone (its embed
 *            page says "Post not found": deleted); 20, the album's first
 *            post, is gone: the album comes back as post 21 with 21, 22 and
 *            stays the material kzwatch/20 (not deleted, no material 21,
 *            nothing asked about 20, 21 or 22).
 *
 * Then the index is rebuilt from the WARC files and must hold the same
 * materials and deletions; a known post not due for a recheck stops the
 * paging; pending channel pages of a killed pass are resumed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler.h"
#include "../../crawler/crawler_int.h"

#define UA "vigil-test/1.0 (+https://example.org/vigil)"

static struct fixture fx;
static char problems[8192];
static char origin[64];

static void on_problem(const char *message, void *context)
{
	size_t used = strlen(problems);

	(void)context;
	snprintf(problems + used, sizeof(problems) - used, "%s\n", message);
}

static const char *post_url(int number)
{
	static char url[128];

	snprintf(url, sizeof(url), "%s/kzwatch/%d", origin, number);
	return url;
}

static int requests(const char *path)
{
	return fixture_count(&fx, "tgh", path);
}

/* Everything of a post that a reindex must give back, as one string. */
static char *describe(struct archive_store *store, int number)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };
	struct vigil_buf out = VIGIL_BUF_INIT;
	const struct archive_material *m = &d.material;

	if (archive_material_get(store, post_url(number), 0, &d, &err) != VIGIL_OK)
		return NULL;
	if (vigil_buf_printf(&out, "title=%s published=%s lang=%s deleted=%d at %lld versions=%d "
			     "first_seen=%lld key=%s channel=%s edited=%d fwd=%s %s links=%s "
			     "album=%s text=%s\n", m->title, m->published, m->lang, m->deleted,
			     (long long)m->deleted_at, m->versions, (long long)m->first_seen,
			     d.channel.key, d.channel.channel, d.channel.edited,
			     d.channel.forwarded_from ? d.channel.forwarded_from : "-",
			     d.channel.forwarded_url ? d.channel.forwarded_url : "-",
			     d.channel.links ? d.channel.links : "-",
			     d.channel.album ? d.channel.album : "-", d.text))
		vigil_buf_release(&out);
	for (size_t i = 0; i < d.version_count && out.data; i++)
		if (vigil_buf_printf(&out, "version %d at %lld %s\n", d.versions[i].number,
				     (long long)d.versions[i].fetched_at, d.versions[i].text_digest))
			vigil_buf_release(&out);
	archive_material_detail_release(&d);
	return vigil_buf_detach(&out);
}

static void get_post(struct archive_store *store, int number,
		     struct archive_material_detail *d)
{
	struct vigil_error err = { 0 };

	memset(d, 0, sizeof(*d));
	if (archive_material_get(store, post_url(number), 0, d, &err) != VIGIL_OK) {
		fprintf(stderr, "post %d: %s\n", number, err.message);
		CHECK(0);
	}
}

static int region_hits(const struct archive_material_detail *d)
{
	int n = 0;

	for (size_t i = 0; i < d->hit_count; i++)
		n += strcmp(d->hits[i].kind, "region") == 0;
	return n;
}

static void check_pass_one(struct archive_store *store)
{
	struct archive_material_detail d;

	get_post(store, 27, &d);
	CHECK_STR(d.channel.key, "kzwatch/27");
	CHECK_STR(d.channel.channel, "Хроника давления");
	CHECK(d.channel.views == 1200 && d.channel.edited == 0);
	CHECK(d.channel.album == NULL && d.channel.links == NULL); /* none, not "" */
	CHECK(d.channel.forwarded_from == NULL && d.channel.forwarded_url == NULL);
	CHECK_STR(d.material.title,
		  "Семей. Блогеру ограничили доступ к странице после публикации о коррупции.");
	CHECK_STR(d.material.lang, "ru");
	CHECK_STR(d.material.published, "2024-05-08T10:00:00Z");
	CHECK_STR(d.author, "Хроника давления");
	archive_material_detail_release(&d);

	/* The title is the first line; the classifier saw the line once. */
	get_post(store, 23, &d);
	CHECK(region_hits(&d) == 1);
	archive_material_detail_release(&d);

	get_post(store, 17, &d);
	CHECK_STR(d.channel.forwarded_from, "Другой канал");
	CHECK_STR(d.channel.forwarded_url, "https://t.me/otherchan/555");
	archive_material_detail_release(&d);
	get_post(store, 18, &d);
	CHECK_STR(d.channel.links, "https://news.example.kz/ru/news/18"); /* not the #hashtag */
	archive_material_detail_release(&d);
	get_post(store, 20, &d);
	CHECK_STR(d.channel.album, "20 21 22");
	archive_material_detail_release(&d);
	for (int n = 21; n <= 25; n++) {
		struct vigil_error err = { 0 };

		memset(&d, 0, sizeof(d));
		if (n != 23)
			CHECK(archive_material_get(store, post_url(n), 0, &d, &err) ==
			      VIGIL_ERR_NOT_FOUND);
		archive_material_detail_release(&d);
	}
}

static void check_pass_three(struct archive_store *store)
{
	struct archive_material_detail d;
	struct archive_capture cap = { 0 };
	struct vigil_error err = { 0 };
	char embed[160];

	get_post(store, 23, &d);
	CHECK(d.material.deleted == 1 && d.material.versions == 1);
	snprintf(embed, sizeof(embed), "%s?embed=1", post_url(23));
	CHECK_OK(archive_capture_last(store, embed, &cap, &err));
	CHECK(cap.fetched_at > 0 && d.material.deleted_at == cap.fetched_at);
	archive_capture_release(&cap);
	archive_material_detail_release(&d);

	get_post(store, 29, &d); /* missing from the page, alive on its embed page */
	CHECK(d.material.deleted == 0 && d.material.versions == 1);
	archive_material_detail_release(&d);

	get_post(store, 26, &d);
	CHECK(d.material.deleted == 0 && d.material.versions == 2);
	CHECK(d.channel.edited == 1 && d.channel.views == 2500);
	CHECK_CONTAINS(d.text, "Прокуратура начала проверку");
	archive_material_detail_release(&d);

	get_post(store, 27, &d); /* views alone: no new version */
	CHECK(d.material.versions == 1 && d.channel.views == 1500);
	archive_material_detail_release(&d);

	get_post(store, 20, &d); /* the album lost its first post and lives on */
	CHECK(d.material.deleted == 0 && d.material.versions == 1);
	CHECK_STR(d.channel.album, "21 22");
	CHECK_STR(d.channel.key, "kzwatch/20");
	archive_material_detail_release(&d);
	memset(&d, 0, sizeof(d));
	CHECK(archive_material_get(store, post_url(21), 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
	archive_material_detail_release(&d);

	get_post(store, 31, &d);
	CHECK(d.material.deleted == 0 && d.material.versions == 1);
	archive_material_detail_release(&d);
}

int main(void)
{
	char root[256], start[128], data_dir[160], data2[160], url[200];
	char *before[32] = { NULL };
	struct config_source item;
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct parse_classifier *classifier = NULL;
	struct archive_store *store = NULL;
	struct crawl_options opt = { 0 };
	struct crawl_summary sum;
	struct crawl_reindex_options ropt = { 0 };
	struct crawl_reindex_summary rsum;
	struct vigil_error err = { 0 };
	int64_t now = vigil_now();

	/* The recheck steps. */
	CHECK(crawl_channel_post_due(now, now - 3600, now - 60) == 1);            /* young */
	CHECK(crawl_channel_post_due(now, now - 3 * 86400, now - 3600) == 0);     /* 6 h step */
	CHECK(crawl_channel_post_due(now, now - 3 * 86400, now - 7 * 3600) == 1);
	CHECK(crawl_channel_post_due(now, now - 10 * 86400, now - 20 * 3600) == 0);
	CHECK(crawl_channel_post_due(now, now - 10 * 86400, now - 86400) == 1);
	CHECK(crawl_channel_post_due(now, now - 40 * 86400, now - 6 * 86400) == 0);
	CHECK(crawl_channel_post_due(now, now - 40 * 86400, now - 7 * 86400) == 1);
	/* What reindex reads from a URL alone. */
	CHECK(crawl_channel_entry_kind("http://h/s/a", "http://h/s/a") == CRAWL_KIND_START);
	CHECK(crawl_channel_entry_kind("http://h/s/a?before=27", "http://h/s/a") ==
	      CRAWL_KIND_CHANNEL_PAGE);
	CHECK(crawl_channel_entry_kind("http://h/a/23?embed=1", "http://h/s/a") ==
	      CRAWL_KIND_CHANNEL_EMBED);
	CHECK(crawl_channel_entry_kind("http://h/a/23", "http://h/s/a") == CRAWL_KIND_ARTICLE);
	CHECK(crawl_channel_entry_kind("http://h/a/23?before=x", "http://h/s/a") ==
	      CRAWL_KIND_ARTICLE);

	snprintf(root, sizeof(root), "%s/crawler/sites", check_fixture_dir());
	if (fixture_start(&fx, root) != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	fixture_url(&fx, "tgh", "", origin, sizeof(origin));
	snprintf(start, sizeof(start), "%s/s/kzwatch", origin);
	item = (struct config_source){ .name = "tgh", .url = start, .kind = CONFIG_SOURCE_CHANNEL,
				       .language = "ru", .interval_hours = 0, .depth = 1,
				       .max_pages = 50, .history_posts = 10, .line = 1 };
	sources.path = "test-sources.conf";
	sources.settings = (struct config_settings){ .user_agent = UA, .delay_ms = 10,
						     .timeout_seconds = 10,
						     .max_body_bytes = 1L << 20,
						     .parallel_hosts = 2, .obey_robots = 1,
						     .allow_private = 1 };
	sources.items = &item;
	sources.count = 1;
	CHECK_OK(config_shipped_path("rules", root, sizeof(root), &err));
	CHECK_OK(config_rules_load_dir(root, &rules, &err));
	CHECK_OK(parse_classifier_new(&rules, &classifier, &err));
	snprintf(data_dir, sizeof(data_dir), "%s/data", fx.dir);
	CHECK_OK(archive_data_init(data_dir, &err));
	CHECK_OK(archive_store_open(data_dir, &store, &err));
	if (!store || !classifier) {
		fprintf(stderr, "setup: %s\n", err.message);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	opt.data_dir = data_dir;
	opt.sources = &sources;
	opt.classifier = classifier;
	opt.store = store;
	opt.problem = on_problem;

	/* ---- pass 1: three pages back, ten posts ---- */
	CHECK_OK(crawl_run(&opt, &sum, &err));
	CHECK(sum.new_materials == 10); /* 17-20, 23, 26-30 */
	CHECK(sum.deleted == 0 && sum.errors == 0);
	CHECK(requests("/s/kzwatch") == 1);
	CHECK(requests("/s/kzwatch?before=27") == 1);
	CHECK(requests("/s/kzwatch?before=23") == 1);
	CHECK(requests("/s/kzwatch?before=17") == 0); /* history = 10 posts */
	CHECK(fixture_count_prefix(&fx, "tgh", "/kzwatch/") == 0); /* nothing missing */
	check_pass_one(store);

	/* ---- pass 2: nothing changed ---- */
	CHECK_OK(crawl_run(&opt, &sum, &err));
	CHECK(sum.new_materials == 0 && sum.changed == 0 && sum.deleted == 0);
	CHECK(sum.unchanged == 10);
	CHECK(requests("/s/kzwatch?before=23") == 2); /* young posts are due every pass */
	CHECK(fixture_count_prefix(&fx, "tgh", "/kzwatch/") == 0);

	/* ---- pass 3: phase 2 ---- */
	fixture_sleep_ms(1100); /* a later second: reindex orders by WARC-Date */
	fixture_phase(&fx, 2);
	problems[0] = '\0';
	CHECK_OK(crawl_run(&opt, &sum, &err));
	CHECK(sum.new_materials == 1); /* 31 */
	CHECK(sum.changed == 1);       /* 26 */
	CHECK(sum.deleted == 1);       /* 23 */
	CHECK(sum.unchanged == 7);     /* 17-20, 27, 28, 30 */
	CHECK(sum.errors == 0);
	CHECK(requests("/s/kzwatch?before=21") == 1);
	CHECK(requests("/kzwatch/23?embed=1") == 1);
	CHECK(requests("/kzwatch/29?embed=1") == 1);
	CHECK(fixture_count_prefix(&fx, "tgh", "/kzwatch/") == 2); /* not 20-22, 24, 25 */
	check_pass_three(store);

	for (int n = 16; n <= 31; n++)
		before[n] = describe(store, n);
	archive_store_close(&store);

	/* ---- reindex: the same materials and deletions ---- */
	ropt.data_dir = data_dir;
	ropt.sources = &sources;
	ropt.classifier = classifier;
	ropt.problem = on_problem;
	CHECK_OK(crawl_reindex(&ropt, &rsum, &err));
	CHECK(rsum.pages.new_materials == 11);
	CHECK(rsum.pages.changed == 1 && rsum.pages.deleted == 1);
	CHECK_OK(archive_store_open(data_dir, &store, &err));
	for (int n = 16; n <= 31 && store; n++) {
		char *after = describe(store, n);

		if (!before[n] || !after)
			CHECK(!before[n] == !after);
		else
			CHECK_STR(after, before[n]);
		free(after);
		free(before[n]);
	}
	archive_store_close(&store);

	/* ---- a known post not due for a recheck ends the paging ---- */
	snprintf(data2, sizeof(data2), "%s/data2", fx.dir);
	CHECK_OK(archive_data_init(data2, &err));
	CHECK_OK(archive_store_open(data2, &store, &err));
	if (store) {
		struct archive_version_input in = { 0 };
		enum archive_change change;
		int64_t id, source_id;
		int before27 = requests("/s/kzwatch?before=27"), added = 0;

		CHECK_OK(archive_source_sync(store, "tgh", start, "channel", &source_id, &err));
		in.source_id = source_id;
		in.url = post_url(27); /* the oldest post of the first page */
		in.title = "Семей";
		in.text = "Семей. Блогеру ограничили доступ.";
		in.fetched_at = now - 40 * 86400;
		CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
		in.fetched_at = now - 3600;
		CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
		opt.data_dir = data2;
		opt.store = store;
		CHECK_OK(crawl_run(&opt, &sum, &err));
		CHECK(requests("/s/kzwatch?before=27") == before27);
		CHECK(sum.fetched == 2); /* robots.txt and the first page */

		/* ---- a killed pass: its pending older page is resumed ---- */
		snprintf(url, sizeof(url), "%s?before=27", start);
		CHECK_OK(archive_frontier_add(store, source_id, url, 4, CRAWL_KIND_CHANNEL_PAGE,
					      &added, &err));
		CHECK(added == 1);
		CHECK_OK(crawl_run(&opt, &sum, &err));
		CHECK(requests("/s/kzwatch?before=27") == before27 + 1);
		CHECK(requests("/s/kzwatch?before=21") == 2); /* and on from there */
		CHECK(sum.fetched == 2);                      /* not the first page */
		archive_store_close(&store);
	}

	if (check_failed)
		fprintf(stderr, "problems reported:\n%s", problems);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	fixture_stop(&fx);
	CHECK_DONE();
}
