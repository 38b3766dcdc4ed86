/*
 * test_crawler_deletions.c: every way a rechecked article can end, through
 * whole passes of crawl_run over tests/fixtures/crawler/deletions (one
 * site, "gazette": an RSS feed of 11 articles, a home page, its own 404
 * page), then the same judgements rebuilt by crawl_reindex from the WARC
 * files. Also the judge itself (crawl_judge_recheck, crawl_url_is_listing)
 * on hand-made inputs.
 *
 * Phase 2: a1 one digit changed in a sentence (edit), a2 only its date
 * line and view counter (minor edit), a3 302 to the home page (deleted:
 * redirect), a4 301 to a new address of the same article (not deleted),
 * a5/a6/a7 a 200 "not found" page in ru/kk/en (deleted: soft-404), a8 503
 * and a9 a timeout (not deleted), a10 a 200 copy of the site's own 404
 * page without any notice phrase (deleted: soft-404, learnt by the probe),
 * a11 404 (deleted). Phase 3: a11 is back (restored).
 */
#include "check.h"
#include "test_crawler_fixture.h"
#include "../../crawler/crawler.h"
#include "../../crawler/crawler_int.h"

#define UA "vigil-test/1.0 (+https://example.org/vigil)"

static struct fixture fx;
static char origin[64];
static char problems[16384];

static void on_problem(const char *message, void *context)
{
	(void)context;
	if (strlen(problems) + strlen(message) + 2 < sizeof(problems)) {
		strcat(problems, message);
		strcat(problems, "\n");
	}
}

static const char *url_of(const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/articles/%s.html", origin, name);
	return buf;
}

/* The material's state: deleted, how, versions, events, last version's minor flag. */
struct state {
	int found, deleted, versions, events, last_minor, edits;
	char how[32], last_event[16], detail[256], final_url[256];
	int64_t restored_at;
};

static struct state state_of(struct archive_store *store, const char *name)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error err = { 0 };
	struct state s = { 0 };
	char url[160];

	if (archive_material_get(store, url_of(name, url, sizeof(url)), 0, &d, &err) != VIGIL_OK)
		return s;
	s.found = 1;
	s.deleted = d.material.deleted;
	s.versions = d.material.versions;
	s.edits = d.material.edits;
	s.restored_at = d.material.restored_at;
	snprintf(s.how, sizeof(s.how), "%s", d.material.deleted_how ? d.material.deleted_how : "");
	s.events = (int)d.event_count;
	if (d.event_count) {
		const struct archive_event *e = &d.events[d.event_count - 1];

		snprintf(s.last_event, sizeof(s.last_event), "%s", e->kind);
		snprintf(s.detail, sizeof(s.detail), "%s", e->detail ? e->detail : "");
	}
	if (d.version_count) {
		s.last_minor = d.versions[d.version_count - 1].minor;
		snprintf(s.final_url, sizeof(s.final_url), "%s",
			 d.versions[d.version_count - 1].final_url
				 ? d.versions[d.version_count - 1].final_url : "");
	}
	archive_material_detail_release(&d);
	return s;
}

static int same_state(struct state a, struct state b)
{
	return a.found == b.found && a.deleted == b.deleted && a.versions == b.versions &&
	       a.events == b.events && a.last_minor == b.last_minor && a.edits == b.edits &&
	       a.restored_at == b.restored_at && !strcmp(a.how, b.how) &&
	       !strcmp(a.last_event, b.last_event) && !strcmp(a.detail, b.detail) &&
	       !strcmp(a.final_url, b.final_url);
}

static int load_rules(struct config_rules *rules, struct parse_classifier **classifier,
		      struct config_phrases *phrases)
{
	struct vigil_error err = { 0 };
	char dir[512], path[600];

	if (config_shipped_path("rules", dir, sizeof(dir), &err) != VIGIL_OK)
		dir[0] = '\0'; /* the load below reports it */
	snprintf(path, sizeof(path), "%s/notfound.phrases", dir);
	if (config_rules_load_dir(dir, rules, &err) != VIGIL_OK ||
	    parse_classifier_new(rules, classifier, &err) != VIGIL_OK ||
	    config_phrases_load(path, phrases, &err) != VIGIL_OK) {
		fprintf(stderr, "rules: %s\n", err.message);
		return -1;
	}
	return 0;
}

/* ---- the judge alone ---- */

static void test_listing_urls(void)
{
	const char *a = "https://news.kz/society/2024/05/story-123.html";

	CHECK(crawl_url_is_listing(a, "https://news.kz/"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/?utm=x"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/society/"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/society"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/society/2024/?page=2"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/search?q=story"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/user/login?next=/society"));
	CHECK(crawl_url_is_listing(a, "https://news.kz/wp-login.php"));
	CHECK(!crawl_url_is_listing(a, "https://news.kz/society/2024/05/story-123-updated.html"));
	CHECK(!crawl_url_is_listing(a, "https://news.kz/soc/2024/story-123.html"));
	/* "/society" is a directory above it; "/soc" is not (segment bound). */
	CHECK(!crawl_url_is_listing(a, "https://news.kz/soc"));
}

static void test_judge(const struct config_phrases *phrases)
{
	const char *text = "Суд в Караганде оштрафовал журналиста на пятьдесят расчётных показателей "
			   "за публикацию о строительстве жилого комплекса; правозащитники намерены "
			   "обжаловать решение в областном суде в течение десяти дней после оглашения.";
	struct crawl_recheck in = { 0 };
	struct crawl_verdict v;
	struct vigil_error err = { 0 };
	struct archive_host host = { 0 };

	in.url = "https://news.kz/a/1";
	in.last_title = "Суд оштрафовал журналиста";
	in.last_text = text;
	in.notfound = phrases;

	/* Same page: an article. */
	in.title = in.last_title;
	in.text = text;
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_ARTICLE);
	/* Redirect to the root carrying the title as a teaser: not the article. */
	in.final_url = "https://news.kz/";
	in.title = "Главная";
	in.text = "Суд оштрафовал журналиста\nПогода в Караганде\nКурсы валют на сегодня";
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_REDIRECT);
	CHECK_STR(v.detail, "https://news.kz/");
	/* The same text at an article-like address: moved. */
	in.final_url = "https://news.kz/society/sud-oshtrafoval";
	in.title = in.last_title;
	in.text = text;
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_MOVED);
	/* ...even at a listing-like address when the whole text is there. */
	in.final_url = "https://news.kz/a/";
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_MOVED);
	/* Another article elsewhere: a redirect away. */
	in.final_url = "https://news.kz/b/7";
	in.title = "Погода на выходные";
	in.text = "Синоптики обещают в выходные потепление до пятнадцати градусов и сильный ветер "
		  "на севере области, а в горах возможен снег и гололёд на перевалах.";
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_REDIRECT);
	/* Soft 404 in three languages, phrase in the title or the text. */
	in.final_url = NULL;
	in.title = "Ошибка";
	in.text = "К сожалению, СТРАНИЦА НЕ НАЙДЕНА. Вернитесь на главную.";
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_SOFT_404);
	CHECK_CONTAINS(v.detail, "страница не найдена");
	in.title = "Бет табылмады";
	in.text = "";
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_SOFT_404);
	in.title = "Oops";
	in.text = "Sorry, the page you requested was not found on this server.";
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_SOFT_404);
	/* An article that quotes the words, at full length, is an article. */
	in.title = in.last_title;
	in.text = text;
	{
		char quoting[1024];

		snprintf(quoting, sizeof(quoting), "Страница не найдена, ответили в акимате. %s",
			 text);
		in.text = quoting;
		CHECK_OK(crawl_judge_recheck(&in, &v, &err));
		CHECK(v.verdict == CRAWL_RECHECK_ARTICLE);
	}
	/* No phrase: the host's not-found page decides. */
	in.title = "Упс";
	in.text = "По этому адресу у нас ничего нет.";
	in.host = NULL;
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_ARTICLE);
	host.notfound_status = 404;
	host.notfound_text = "Упс\nПо этому адресу у нас ничего нет.";
	host.notfound_digest = "sha1:AAAA";
	in.host = &host;
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_SOFT_404);
	CHECK_CONTAINS(v.detail, "not-found page");
	/* ...but not a full-length article on that host. */
	in.title = in.last_title;
	in.text = text;
	CHECK_OK(crawl_judge_recheck(&in, &v, &err));
	CHECK(v.verdict == CRAWL_RECHECK_ARTICLE);
}

/* ---- whole passes ---- */

static enum vigil_code run(const struct crawl_options *base, struct crawl_summary *sum)
{
	struct crawl_options o = *base;
	struct vigil_error err = { 0 };
	enum vigil_code code;

	o.force = 1;
	problems[0] = '\0';
	code = crawl_run(&o, sum, &err);
	if (code != VIGIL_OK)
		fprintf(stderr, "crawl_run: %s\n", err.message);
	fixture_sleep_ms(100);
	return code;
}

static const char *const names[] = { "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9",
				     "a10", "a11" };
#define NAMES (sizeof(names) / sizeof(names[0]))

int main(void)
{
	char root[256], data_dir[160], feed[160], url[160];
	struct config_source item;
	struct config_sources sources = { 0 };
	struct config_rules rules = { 0 };
	struct config_phrases phrases = { 0 };
	struct parse_classifier *classifier = NULL;
	struct archive_store *store = NULL;
	struct crawl_options opt = { 0 };
	struct crawl_summary sum;
	struct crawl_reindex_options ropt = { 0 };
	struct crawl_reindex_summary rsum;
	struct vigil_error err = { 0 };
	struct state before[NAMES], s;
	struct archive_host host = { 0 };

	test_listing_urls();
	CHECK(load_rules(&rules, &classifier, &phrases) == 0);
	test_judge(&phrases);

	snprintf(root, sizeof(root), "%s/crawler/deletions", check_fixture_dir());
	if (fixture_start(&fx, root) != 0) {
		fprintf(stderr, "could not start the fixture server\n");
		CHECK(0);
		fixture_stop(&fx);
		CHECK_DONE();
	}
	fixture_url(&fx, "gazette", "", origin, sizeof(origin));
	snprintf(feed, sizeof(feed), "%s/feed.rss", origin);
	item = (struct config_source){ .name = "gazette", .url = feed, .kind = CONFIG_SOURCE_FEED,
				       .language = "ru", .interval_hours = 24, .depth = 1,
				       .max_pages = 50, .line = 1 };
	sources.path = "test-sources.conf";
	sources.settings = (struct config_settings){ .user_agent = UA, .delay_ms = 20,
						     .timeout_seconds = 2,
						     .max_body_bytes = 1L << 20,
						     .parallel_hosts = 2, .obey_robots = 1,
						     .allow_private = 1, .minor_edit = 6 };
	sources.items = &item;
	sources.count = 1;
	snprintf(data_dir, sizeof(data_dir), "%s/data", fx.dir);
	CHECK_OK(archive_data_init(data_dir, &err));
	CHECK_OK(archive_store_open(data_dir, &store, &err));
	if (!store) {
		fixture_stop(&fx);
		CHECK_DONE();
	}
	opt.data_dir = data_dir;
	opt.sources = &sources;
	opt.classifier = classifier;
	opt.store = store;
	opt.problem = on_problem;
	opt.notfound_phrases = &phrases;
	opt.probe_notfound = 1;

	/* ---- pass 1: eleven new articles; nothing to recheck, no probe ---- */
	CHECK_OK(run(&opt, &sum));
	CHECK(sum.new_materials == 11);
	CHECK(fixture_count_prefix(&fx, "gazette", CRAWL_PROBE_PREFIX) == 0);

	/* ---- pass 2: phase 2 ---- */
	fixture_phase(&fx, 2);
	CHECK_OK(run(&opt, &sum));
	CHECK(fixture_count_prefix(&fx, "gazette", CRAWL_PROBE_PREFIX) == 1);
	CHECK(sum.deleted == 6); /* a3, a5, a6, a7, a10, a11 */
	CHECK_CONTAINS(problems, "a8.html: HTTP 503");
	CHECK_CONTAINS(problems, "a9.html:");
	CHECK_OK(archive_host_get(store, origin, &host, &err));
	CHECK(host.notfound_status == 404);
	CHECK_CONTAINS(host.notfound_text, "ничего нет");
	archive_host_release(&host);

	s = state_of(store, "a1");
	CHECK(!s.deleted && s.versions == 2 && !s.last_minor && s.edits == 1);
	s = state_of(store, "a2");
	CHECK(!s.deleted && s.versions == 2 && s.last_minor && s.edits == 0);
	s = state_of(store, "a3");
	CHECK(s.deleted && !strcmp(s.how, "redirect") && s.versions == 1);
	snprintf(url, sizeof(url), "%s/", origin);
	CHECK_STR(s.detail, url);
	s = state_of(store, "a4");
	CHECK(!s.deleted && s.events == 0 && s.versions == 2 && s.last_minor && s.edits == 0);
	CHECK_CONTAINS(s.final_url, "/society/2024/zhezkazgan-fond.html");
	s = state_of(store, "a5");
	CHECK(s.deleted && !strcmp(s.how, "soft-404") && s.versions == 1);
	CHECK_CONTAINS(s.detail, "страница не найдена");
	s = state_of(store, "a6");
	CHECK(s.deleted && !strcmp(s.how, "soft-404"));
	CHECK_CONTAINS(s.detail, "бет табылмады");
	s = state_of(store, "a7");
	CHECK(s.deleted && !strcmp(s.how, "soft-404"));
	s = state_of(store, "a8");
	CHECK(!s.deleted && s.versions == 1 && s.events == 0);
	s = state_of(store, "a9");
	CHECK(!s.deleted && s.versions == 1 && s.events == 0);
	s = state_of(store, "a10");
	CHECK(s.deleted && !strcmp(s.how, "soft-404"));
	CHECK_CONTAINS(s.detail, "not-found page");
	s = state_of(store, "a11");
	CHECK(s.deleted && !strcmp(s.how, "404"));
	{
		/* The classification of a deleted material is its article's,
		 * not the home page's; the evidence capture is archived. */
		struct archive_material_detail d = { 0 };
		struct archive_capture cap = { 0 };

		CHECK_OK(archive_material_get(store, url_of("a3", url, sizeof(url)), 0, &d, &err));
		CHECK_CONTAINS(d.material.title, "Балхаша");
		CHECK(d.event_count == 1 && d.events[0].capture_id > 0);
		if (d.event_count) {
			CHECK_OK(archive_capture_get(store, d.events[0].capture_id, &cap, &err));
			CHECK(cap.status == 200 && cap.warc_path != NULL);
			archive_capture_release(&cap);
		}
		archive_material_detail_release(&d);
	}
	{
		struct archive_query q = { 0 };
		struct archive_results res = { 0 };

		q.edited_only = 1;
		CHECK_OK(archive_search(store, &q, &res, &err));
		CHECK(res.count == 1 && res.count && strstr(res.items[0].url, "/a1.html"));
		archive_results_release(&res);
		q.edited_only = 0;
		q.deleted_only = 1;
		CHECK_OK(archive_search(store, &q, &res, &err));
		CHECK(res.count == 6);
		archive_results_release(&res);
	}

	/* ---- pass 3: a11 is back; the probe is not repeated within a day;
	 * the moved a4 is rechecked at its new address, as the same material,
	 * and its unchanged payload is not stored again ---- */
	fixture_phase(&fx, 3);
	CHECK(fixture_count(&fx, "gazette", "/articles/a4.html") == 2);
	CHECK(fixture_count(&fx, "gazette", "/society/2024/zhezkazgan-fond.html") == 1);
	CHECK_OK(run(&opt, &sum));
	CHECK(fixture_count_prefix(&fx, "gazette", CRAWL_PROBE_PREFIX) == 1);
	CHECK(fixture_count(&fx, "gazette", "/articles/a4.html") == 3); /* the feed lists it */
	CHECK(fixture_count(&fx, "gazette", "/society/2024/zhezkazgan-fond.html") == 3);
	s = state_of(store, "a4");
	CHECK(!s.deleted && s.versions == 2);
	{
		struct archive_capture cap = { 0 };

		snprintf(url, sizeof(url), "%s/society/2024/zhezkazgan-fond.html", origin);
		/* Its direct fetch is a revisit of the payload stored for a4. */
		CHECK_OK(archive_capture_last(store, url, &cap, &err));
		CHECK(cap.payload_capture_id > 0);
		CHECK(archive_material_get(store, url, 0, &(struct archive_material_detail){ 0 }, &err) ==
		      VIGIL_ERR_NOT_FOUND);
		archive_capture_release(&cap);
	}
	s = state_of(store, "a11");
	CHECK(!s.deleted && s.restored_at > 0 && s.events == 2 && !strcmp(s.last_event, "restored"));
	CHECK(s.versions == 2); /* the counter moved */
	{
		struct archive_query q = { 0 };
		struct archive_results res = { 0 };

		q.restored_only = 1;
		CHECK_OK(archive_search(store, &q, &res, &err));
		CHECK(res.count == 1);
		archive_results_release(&res);
	}
	for (size_t i = 0; i < NAMES; i++)
		before[i] = state_of(store, names[i]);
	archive_store_close(&store);

	/* ---- reindex: the same judgements from the WARC files alone ---- */
	ropt.data_dir = data_dir;
	ropt.sources = &sources;
	ropt.classifier = classifier;
	ropt.notfound_phrases = &phrases;
	ropt.problem = on_problem;
	CHECK_OK(crawl_reindex(&ropt, &rsum, &err));
	CHECK_OK(archive_store_open(data_dir, &store, &err));
	for (size_t i = 0; store && i < NAMES; i++) {
		s = state_of(store, names[i]);
		if (!same_state(s, before[i]))
			fprintf(stderr, "reindex differs for %s: deleted %d/%d how %s/%s versions %d/%d "
				"events %d/%d\n", names[i], s.deleted, before[i].deleted, s.how,
				before[i].how, s.versions, before[i].versions, s.events,
				before[i].events);
		CHECK(same_state(s, before[i]));
	}
	archive_store_close(&store);
	fixture_stop(&fx);
	parse_classifier_free(&classifier);
	config_rules_release(&rules);
	config_phrases_release(&phrases);
	CHECK_DONE();
}
