/*
 * test_crawler_reindex.c: crawl_reindex rebuilds what crawl_run made, over
 * the fixture site tests/fixtures/crawler/reindex/maps:
 *
 *   maps  a sitemap index -> sitemap-news.xml -> a1, a2, /moved (a 301 to
 *         /moved/: the material is keyed by the URL asked for), big.html
 *         (over the body cap: archived, never parsed).
 *         Phase 2: a1 edited, a2 answers 410 and leaves the sitemap.
 *
 * Two passes a second apart, then the index is rebuilt from the WARC files
 * and every material and version is compared with the crawl's.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler.h"

#include <dirent.h>
#include <sys/stat.h>

#define UA "vigil-test/1.0 (+https://example.org/vigil)"

static struct fixture fx;
static char problems[8192];

static void on_problem(const char *message, void *context)
{
	size_t used = strlen(problems);

	(void)context;
	snprintf(problems + used, sizeof(problems) - used, "%s\n", message);
}

/* Everything show prints of one version, as one comparable string. */
static char *describe(struct archive_store *store, const char *url, int version)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };
	struct vigil_buf out = VIGIL_BUF_INIT;
	const struct archive_material *m = &d.material;

	if (archive_material_get(store, url, version, &d, &err) != VIGIL_OK)
		return NULL;
	if (vigil_buf_printf(&out, "url=%s source=%s title=%s published=%s first_seen=%lld "
			     "lang=%s relevant=%d tone=%d/%d deleted=%d deleted_at=%lld "
			     "versions=%d shown=%d author=%s canonical=%s\n",
			     m->url, m->source, m->title, m->published ? m->published : "-",
			     (long long)m->first_seen, m->lang ? m->lang : "-", m->relevant,
			     (int)m->tone, m->tone_score, m->deleted, (long long)m->deleted_at,
			     m->versions, d.shown_version, d.author ? d.author : "-",
			     d.canonical_url ? d.canonical_url : "-"))
		goto fail;
	for (size_t i = 0; i < m->category_count; i++)
		if (vigil_buf_printf(&out, "category=%s\n", m->categories[i]))
			goto fail;
	for (size_t i = 0; i < m->threat_count; i++)
		if (vigil_buf_printf(&out, "threat=%s\n", m->threats[i]))
			goto fail;
	for (size_t i = 0; i < m->region_count; i++)
		if (vigil_buf_printf(&out, "region=%s\n", m->regions[i].id))
			goto fail;
	for (size_t i = 0; i < d.version_count; i++)
		if (vigil_buf_printf(&out, "version %d at %lld: %s %s\n", d.versions[i].number,
				     (long long)d.versions[i].fetched_at, d.versions[i].title,
				     d.versions[i].text_digest))
			goto fail;
	for (size_t i = 0; i < d.hit_count; i++)
		if (vigil_buf_printf(&out, "hit %s %s %s %lld\n", d.hits[i].kind, d.hits[i].rule_id,
				     d.hits[i].matched, (long long)d.hits[i].offset))
			goto fail;
	if (vigil_buf_printf(&out, "text=%s\n", d.text ? d.text : ""))
		goto fail;
	archive_material_detail_release(&d);
	return vigil_buf_detach(&out);
fail:
	archive_material_detail_release(&d);
	vigil_buf_release(&out);
	return NULL;
}

static int64_t last_seen_of(struct archive_store *store, const char *url)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };
	int64_t when = -1;

	if (archive_material_get(store, url, 0, &d, &err) == VIGIL_OK)
		when = d.material.last_seen;
	archive_material_detail_release(&d);
	return when;
}

static int count_kept(const char *data_dir, const char *prefix)
{
	DIR *d = opendir(data_dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char root[256], origin[64], start[128], data_dir[160];
	char urls[5][160];
	char *before[5][3] = { { NULL } };
	int64_t seen_before[5];
	struct config_source item;
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct parse_classifier *classifier = NULL;
	struct archive_store *store = NULL;
	struct crawl_options opt = { 0 };
	struct crawl_summary sum;
	struct crawl_reindex_options ropt = { 0 };
	struct crawl_reindex_summary rsum;
	struct archive_verify_result verified;
	struct vigil_error err = { 0 };

	snprintf(root, sizeof(root), "%s/crawler/reindex", check_fixture_dir());
	if (fixture_start(&fx, root) != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	fixture_url(&fx, "maps", "", origin, sizeof(origin));
	snprintf(start, sizeof(start), "%s/sitemap_index.xml", origin);
	snprintf(urls[0], sizeof(urls[0]), "%s/news/a1.html", origin);
	snprintf(urls[1], sizeof(urls[1]), "%s/news/a2.html", origin);
	snprintf(urls[2], sizeof(urls[2]), "%s/moved", origin);
	snprintf(urls[3], sizeof(urls[3]), "%s/moved/", origin);
	snprintf(urls[4], sizeof(urls[4]), "%s/big.html", origin);

	item = (struct config_source){ .name = "maps", .url = start, .kind = CONFIG_SOURCE_SITEMAP,
				       .language = "ru", .interval_hours = 0, .depth = 1,
				       .max_pages = 50, .line = 1 };
	sources.path = "test-sources.conf";
	sources.settings = (struct config_settings){ .user_agent = UA, .delay_ms = 20,
						     .timeout_seconds = 10,
						     .max_body_bytes = 32 * 1024,
						     .parallel_hosts = 2, .obey_robots = 1,
						     /* the fixture sites are on 127.0.0.1 */
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

	/* ---- pass 1, then phase 2 a second later ---- */
	CHECK_OK(crawl_run(&opt, &sum, &err));
	CHECK(sum.new_materials == 3);  /* a1, a2, moved */
	CHECK(sum.errors == 1);         /* big.html over the cap */
	CHECK_CONTAINS(problems, "big.html");
	fixture_sleep_ms(1100);
	fixture_phase(&fx, 2);
	CHECK_OK(crawl_run(&opt, &sum, &err));
	CHECK(sum.changed == 1 && sum.deleted == 1 && sum.new_materials == 0);

	for (int i = 0; i < 5; i++) {
		seen_before[i] = last_seen_of(store, urls[i]);
		for (int v = 0; v < 3; v++)
			before[i][v] = describe(store, urls[i], v);
	}
	CHECK(before[0][0] && before[0][1] && before[0][2]); /* a1: two versions */
	CHECK(before[1][0] && strstr(before[1][0], "deleted=1"));
	CHECK(before[2][0] != NULL);   /* keyed by the URL asked for ... */
	CHECK(before[3][0] == NULL);   /* ... not by where the redirect ended */
	CHECK(before[4][0] == NULL);   /* a truncated page is no material */
	archive_store_close(&store);

	/* ---- rebuild from the WARC files ---- */
	problems[0] = '\0';
	ropt.data_dir = data_dir;
	ropt.sources = &sources;
	ropt.classifier = classifier;
	ropt.problem = on_problem;
	CHECK_OK(crawl_reindex(&ropt, &rsum, &err));
	CHECK(rsum.files == 2 && rsum.damaged_files == 0);
	CHECK(rsum.pages.new_materials == 3);
	CHECK(rsum.pages.changed == 1);
	CHECK(rsum.pages.deleted == 1);
	/* big.html of both passes (the second a revisit of the first):
	 * truncated, not parsed, as in the crawl */
	CHECK(rsum.pages.errors == 2);
	CHECK(!strncmp(rsum.kept, "index.sqlite.old-", 17));
	CHECK(count_kept(data_dir, "index.sqlite.old-") == 1);
	CHECK(count_kept(data_dir, "index.sqlite.new") == 0);

	CHECK_OK(archive_store_open(data_dir, &store, &err));
	for (int i = 0; i < 5 && store; i++) {
		for (int v = 0; v < 3; v++) {
			char *after = describe(store, urls[i], v);

			if (!before[i][v] || !after)
				CHECK(!before[i][v] == !after);
			else
				CHECK_STR(after, before[i][v]);
			free(after);
			free(before[i][v]);
		}
		/* last_seen: every recheck is in the WARC, unchanged ones as
		 * revisit records, so it comes back exactly. */
		if (seen_before[i] >= 0)
			CHECK(last_seen_of(store, urls[i]) == seen_before[i]);
	}
	/* /moved answers through a redirect, and a redirected answer is
	 * always written (where it ended is evidence); an unchanged one would
	 * be a revisit record: either way last_seen comes back whole. */
	CHECK(seen_before[2] > 0 && last_seen_of(store, urls[2]) == seen_before[2]);
	{
		struct archive_host host = { 0 };
		char robots_origin[80];

		snprintf(robots_origin, sizeof(robots_origin), "%s", origin);
		CHECK_OK(archive_host_get(store, robots_origin, &host, &err));
		CHECK(host.robots_status == 404 && host.robots && !host.robots[0]);
		archive_host_release(&host);
	}
	archive_store_close(&store);
	CHECK_OK(archive_verify(data_dir, NULL, 0, &verified, &err));

	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	fixture_stop(&fx);
	CHECK_DONE();
}
