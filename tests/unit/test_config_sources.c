/* test_config_sources.c: the sources file: values, defaults, and an error
 * naming FILE:LINE for every kind of mistake. */
#include "check.h"
#include "../../config/config.h"

#include <stdlib.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/vigil-config-XXXXXX";

/* Write text to a file in the temporary directory; returns its path. */
static const char *write_file(const char *name, const char *text)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f)
		return path;
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load text as a sources file: expect failure with code, a message that
 * starts "PATH:LINE: " and contains hint, and a released struct. */
static void expect_error(const char *name, const char *text, enum vigil_code code, int line,
			 const char *hint, int src_line)
{
	struct config_sources s;
	struct vigil_error err = { 0 };
	char prefix[300];
	const char *path = write_file(name, text);
	enum vigil_code got = config_sources_load(path, &s, &err);

	snprintf(prefix, sizeof(prefix), "%s:%d: ", path, line);
	if (got == code && strncmp(err.message, prefix, strlen(prefix)) == 0 &&
	    strstr(err.message, hint) && s.items == NULL && s.count == 0 && s.path == NULL) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL %s:%d: %s: code %d (expected %d), message \"%s\", expected "
			"prefix \"%s\" and \"%s\"\n", __FILE__, src_line, name, got, code,
			err.message, prefix, hint);
	}
	config_sources_release(&s);
}

#define EXPECT_ERROR(name, text, line, hint) \
	expect_error(name, text, VIGIL_ERR_CONFIG, line, hint, __LINE__)

static void test_good_file(void)
{
	struct config_sources s;
	struct vigil_error err = { 0 };
	char path[512], rules[512];
	const struct config_source *a, *b, *c;

	snprintf(path, sizeof(path), "%s/config/sources_good.conf", check_fixture_dir());
	snprintf(rules, sizeof(rules), "%s/config/rules", check_fixture_dir());
	CHECK_OK(config_sources_load(path, &s, &err));
	if (err.code)
		fprintf(stderr, "  %s\n", err.message);
	CHECK_STR(s.path, path);
	CHECK_STR(s.settings.user_agent, "vigil-test/1.0 (+https://example.org/vigil)");
	CHECK(s.settings.delay_ms == 500);
	CHECK(s.settings.timeout_seconds == 20);
	CHECK(s.settings.max_body_bytes == 5L * 1024 * 1024);
	CHECK(s.settings.parallel_hosts == 4);
	CHECK(s.settings.obey_robots == 0);
	CHECK_STR(s.settings.rules_dir, rules);
	CHECK(s.count == 3);
	if (s.count != 3) {
		config_sources_release(&s);
		return;
	}
	a = &s.items[0];
	b = &s.items[1];
	c = &s.items[2];
	CHECK_STR(a->name, "optimism");
	CHECK_STR(a->url, "https://optimism.kz/");
	CHECK(a->kind == CONFIG_SOURCE_SITE);
	CHECK_STR(a->scope, "https://optimism.kz/ru/");
	CHECK_STR(a->language, "ru");
	CHECK_STR(a->region, "PAV");
	CHECK(a->interval_hours == 48);
	CHECK(a->depth == 3);
	CHECK(a->max_pages == 50);
	CHECK(a->starter == 1);
	CHECK(a->line == 11);

	/* '#' inside a URL is not a comment; defaults for a feed. */
	CHECK_STR(b->name, "feed_one");
	CHECK_STR(b->url, "http://127.0.0.1:8080/feed.xml#latest");
	CHECK(b->kind == CONFIG_SOURCE_FEED);
	CHECK_STR(b->scope, "http://127.0.0.1:8080/");
	CHECK(b->interval_hours == 0);
	CHECK(b->depth == 1);
	CHECK(b->max_pages == 200);
	CHECK(b->starter == 0);
	CHECK(b->language == NULL && b->region == NULL);

	/* The default scope is normalised like vigil_url_resolve() output. */
	CHECK_STR(c->name, "Channel-2");
	CHECK(c->kind == CONFIG_SOURCE_CHANNEL);
	CHECK_STR(c->scope, "https://example.kz/");
	CHECK(c->interval_hours == 24);
	CHECK(c->depth == 1);
	CHECK(c->line == 27);
	config_sources_release(&s);
	CHECK(s.items == NULL && s.count == 0 && s.path == NULL);
	config_sources_release(&s); /* twice is fine */
}

static void test_defaults(void)
{
	struct config_sources s;
	struct vigil_error err = { 0 };
	/* BOM, CRLF line ends, no [settings] at all. */
	const char *path = write_file("defaults.conf",
				      "\xEF\xBB\xBF[source a]\r\nurl = https://a.kz/news/x\r\n");

	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.settings.delay_ms == 1000);
	CHECK(s.settings.timeout_seconds == 30);
	CHECK(s.settings.max_body_bytes == 10L * 1024 * 1024);
	CHECK(s.settings.parallel_hosts == 8);
	CHECK(s.settings.workers == 0); /* one per core */
	CHECK(s.settings.obey_robots == 1);
	CHECK(s.settings.rules_dir == NULL);
	CHECK_CONTAINS(s.settings.user_agent, "vigil/");
	CHECK(s.count == 1);
	if (s.count == 1) {
		CHECK_STR(s.items[0].url, "https://a.kz/news/x");
		CHECK_STR(s.items[0].scope, "https://a.kz/");
		CHECK(s.items[0].kind == CONFIG_SOURCE_SITE);
		CHECK(s.items[0].depth == 2);
		CHECK(s.items[0].interval_hours == 24);
	}
	config_sources_release(&s);

	/* An IDN site's default scope is in punycode, the form of its links
	 * (issue 5: the crawl stopped at the start page). */
	path = write_file("idn.conf", "[source idn]\nurl = http://ПРИМЕР.kz:80/news/\n");
	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.count == 1);
	if (s.count == 1)
		CHECK_STR(s.items[0].scope, "http://xn--e1afmkfd.kz/");
	config_sources_release(&s);
	/* A host the normaliser refuses is a configuration error. */
	path = write_file("badhost.conf", "[source bad]\nurl = http://256.1.1.1/\n");
	CHECK(config_sources_load(path, &s, &err) == VIGIL_ERR_CONFIG);
	config_sources_release(&s);

	/* An absolute rules directory is kept as written; sizes in K. */
	path = write_file("abs.conf", "[settings]\nrules = /etc/vigil/rules\nmax_body = 512K\n");
	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK_STR(s.settings.rules_dir, "/etc/vigil/rules");
	CHECK(s.settings.max_body_bytes == 512L * 1024);
	CHECK(s.count == 0);
	CHECK(s.settings.allow_private == 0 && s.settings.private_endpoints == NULL);
	config_sources_release(&s);

	/* allow_private: yes, or only the listed private endpoints. */
	path = write_file("private.conf", "[settings]\nallow_private = yes\n");
	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.settings.allow_private == 1 && s.settings.private_endpoints == NULL);
	config_sources_release(&s);
	path = write_file("endpoints.conf", "[settings]\n"
			  "allow_private = 10.1.2.3, 127.0.0.1:8080 [::1]:81 fd00::7\n");
	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.settings.allow_private == 0);
	CHECK_STR(s.settings.private_endpoints, "10.1.2.3, 127.0.0.1:8080 [::1]:81 fd00::7");
	config_sources_release(&s);
}

static void test_errors(void)
{
	struct config_sources s;
	struct vigil_error err = { 0 };

	EXPECT_ERROR("workers.conf", "[settings]\nworkers = 17\n[source a]\nurl = https://a.kz/\n",
		     2, "workers");
	{
		struct config_sources w;
		const char *wpath = write_file("workers_ok.conf", "[settings]\nworkers = 3\n"
					       "[source a]\nurl = https://a.kz/\n");

		CHECK_OK(config_sources_load(wpath, &w, &err));
		CHECK(w.settings.workers == 3);
		config_sources_release(&w);
	}
	EXPECT_ERROR("kind.conf", "[source a]\nurl = https://a.kz/\nkind = webpage\n", 3,
		     "kind: expected site, feed, sitemap or channel, got 'webpage'");
	EXPECT_ERROR("nourl.conf", "# comment\n[source a]\nkind = feed\n\n[source b]\n"
		     "url = https://b.kz/\n", 2, "[source a] has no url");
	EXPECT_ERROR("nourl_last.conf", "[source a]\nurl = https://a.kz/\n[source b]\n", 3,
		     "[source b] has no url");
	EXPECT_ERROR("dup.conf", "[source a]\nurl = https://a.kz/\n\n[source a]\n"
		     "url = https://b.kz/\n", 4, "duplicate [source a]; first defined at line 1");
	EXPECT_ERROR("unknown.conf", "[source a]\nurl = https://a.kz/\nfrequency = 2\n", 3,
		     "unknown key 'frequency' in [source]; expected url, kind");
	EXPECT_ERROR("unknown_setting.conf", "[settings]\nthreads = 4\n", 2,
		     "unknown key 'threads' in [settings]; expected user_agent");
	EXPECT_ERROR("interval.conf", "[source a]\nurl = https://a.kz/\ninterval = 3w\n", 3,
		     "interval: expected N, Nh (hours) or Nd (days)");
	EXPECT_ERROR("interval_neg.conf", "[source a]\nurl = https://a.kz/\ninterval = -1\n", 3,
		     "interval: expected");
	EXPECT_ERROR("unterminated.conf", "[settings]\ndelay_ms = 10\n[source a\nurl = x\n", 3,
		     "unterminated section header; expected ']'");
	EXPECT_ERROR("section.conf", "[sources a]\n", 1,
		     "unknown section [sources]; expected [settings] or [source NAME]");
	EXPECT_ERROR("noname.conf", "[source]\nurl = https://a.kz/\n", 1,
		     "expected [source NAME]");
	EXPECT_ERROR("badname.conf", "[source a/b]\n", 1, "bad source name 'a/b'");
	EXPECT_ERROR("outside.conf", "url = https://a.kz/\n", 1, "outside a section");
	EXPECT_ERROR("noeq.conf", "[source a]\nurl https://a.kz/\n", 2,
		     "expected 'key = value'");
	EXPECT_ERROR("url.conf", "[source a]\nurl = ftp://a.kz/\n", 2,
		     "url: expected an http:// or https:// URL");
	EXPECT_ERROR("url_space.conf", "[source a]\nurl = https://a.kz/a b\n", 2, "url: expected");
	EXPECT_ERROR("dupkey.conf", "[source a]\nurl = https://a.kz/\nurl = https://b.kz/\n", 3,
		     "duplicate key 'url'");
	EXPECT_ERROR("dupsettings.conf", "[settings]\n[settings]\n", 2,
		     "duplicate [settings]; first at line 1");
	EXPECT_ERROR("delay.conf", "[settings]\ndelay_ms = fast\n", 2,
		     "delay_ms: expected a whole number from 0 to 3600000, got 'fast'");
	EXPECT_ERROR("timeout.conf", "[settings]\ntimeout = 0\n", 2,
		     "timeout: expected a whole number from 1 to 3600");
	EXPECT_ERROR("maxbody.conf", "[settings]\nmax_body = 10X\n", 2,
		     "max_body: expected a size");
	EXPECT_ERROR("robots.conf", "[settings]\nrobots = maybe\n", 2, "robots: expected yes or no");
	EXPECT_ERROR("private.conf", "[settings]\nallow_private = intranet.local\n", 2,
		     "allow_private: expected yes, no or a list of ADDRESS[:PORT] (IPv6 as "
		     "[ADDRESS]:PORT), got 'intranet.local'");
	EXPECT_ERROR("private_port.conf", "[settings]\nallow_private = 10.0.0.1:70000\n", 2,
		     "got '10.0.0.1:70000'");
	EXPECT_ERROR("private_v6.conf", "[settings]\nallow_private = 127.0.0.1 [::1\n", 2,
		     "got '[::1'");
	EXPECT_ERROR("starter.conf", "[source a]\nurl = https://a.kz/\nstarter = 2\n", 3,
		     "starter: expected yes or no");
	EXPECT_ERROR("lang.conf", "[source a]\nurl = https://a.kz/\nlanguage = Russian\n", 3,
		     "language: expected a 2- or 3-letter");
	EXPECT_ERROR("region.conf", "[source a]\nurl = https://a.kz/\nregion = Павлодар\n", 3,
		     "region: expected a region id");
	EXPECT_ERROR("depth.conf", "[source a]\nurl = https://a.kz/\ndepth = 1000\n", 3,
		     "depth: expected a whole number from 0 to 100");
	EXPECT_ERROR("history.conf", "[source a]\nurl = https://t.me/s/a\nkind = channel\n"
		     "history = 3w\n", 4, "history: expected a number of posts (1-100000) or an "
		     "age in days such as 30d (1d-36500d), got '3w'");
	EXPECT_ERROR("history_zero.conf", "[source a]\nurl = https://t.me/s/a\nkind = channel\n"
		     "history = 0\n", 4, "history: expected");
	EXPECT_ERROR("history_big.conf", "[source a]\nkind = channel\nhistory = 36501d\n"
		     "url = https://t.me/s/a\n", 3, "got '36501d'");
	/* Only a channel has a history; the kind may come after the key. */
	EXPECT_ERROR("history_site.conf", "[source a]\nurl = https://a.kz/\nhistory = 30d\n"
		     "kind = feed\n\n[source b]\nurl = https://b.kz/\n", 3,
		     "history: only a channel source (kind = channel) has a history; [source a] "
		     "is a feed");
	EXPECT_ERROR("utf8.conf", "[settings]\n# caf\xE9\n", 2, "invalid UTF-8");
	EXPECT_ERROR("trailing.conf", "[settings] x\n", 1, "text after ']'");

	/* A file that does not exist is an I/O error naming it. */
	CHECK(config_sources_load("/nonexistent/vigil/sources.conf", &s, &err) == VIGIL_ERR_IO);
	CHECK_CONTAINS(err.message, "/nonexistent/vigil/sources.conf: ");
	CHECK(s.items == NULL && s.path == NULL);
}

/* history: a count of posts or an age in days; 200 posts by default. */
static void test_history(void)
{
	struct config_sources s;
	struct vigil_error err = { 0 };
	const char *path = write_file("history_ok.conf",
				      "[source a]\nurl = https://t.me/s/a\nkind = channel\n"
				      "history = 30d\n\n"
				      "[source b]\nurl = https://t.me/s/b\nkind = channel\n"
				      "history = 50\n\n"
				      "[source c]\nurl = https://t.me/s/c\nkind = channel\n\n"
				      "[source d]\nurl = https://d.kz/\n");

	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.count == 4);
	if (s.count == 4) {
		CHECK(s.items[0].history_days == 30 && s.items[0].history_posts == 0);
		CHECK(s.items[1].history_posts == 50 && s.items[1].history_days == 0);
		CHECK(s.items[2].history_posts == 200 && s.items[2].history_days == 0);
		CHECK(s.items[3].history_posts == 0 && s.items[3].history_days == 0);
	}
	config_sources_release(&s);
}

static void test_names(void)
{
	struct vigil_error err = { 0 };
	char path[4096];
	const char *saved;
	size_t len;

	CHECK_STR(config_source_kind_name(CONFIG_SOURCE_SITE), "site");
	CHECK_STR(config_source_kind_name(CONFIG_SOURCE_FEED), "feed");
	CHECK_STR(config_source_kind_name(CONFIG_SOURCE_SITEMAP), "sitemap");
	CHECK_STR(config_source_kind_name(CONFIG_SOURCE_CHANNEL), "channel");

	saved = getenv("VIGIL_CONFIG_DIR");
	setenv("VIGIL_CONFIG_DIR", "/opt/vigil-conf", 1);
	CHECK(config_shipped_path("rules", path, sizeof(path), &err) == VIGIL_OK);
	CHECK_STR(path, "/opt/vigil-conf/rules");
	CHECK(config_shipped_path(NULL, path, 10, &err) == VIGIL_ERR_TOO_LARGE);
	unsetenv("VIGIL_CONFIG_DIR");
	/* This test runs from build/tests/: the source tree's config/. */
	CHECK(config_shipped_path("sources.conf", path, sizeof(path), &err) == VIGIL_OK);
	len = strlen(path);
	CHECK(len > 20 && strcmp(path + len - 20, "/config/sources.conf") == 0);
	CHECK(access(path, R_OK) == 0);
	if (saved)
		setenv("VIGIL_CONFIG_DIR", saved, 1);
}

/* recheck / recheck_until: the schedule steps, in seconds. */
static void test_recheck(void)
{
	struct config_sources s;
	struct vigil_error err = { 0 };
	const char *path = write_file("recheck_default.conf", "[source a]\nurl = https://a.kz/\n");

	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.settings.recheck_step_count == 6);
	CHECK(s.settings.recheck_steps[0] == 3600 && s.settings.recheck_steps[1] == 6 * 3600 &&
	      s.settings.recheck_steps[2] == 86400 && s.settings.recheck_steps[3] == 3 * 86400 &&
	      s.settings.recheck_steps[4] == 7 * 86400 && s.settings.recheck_steps[5] == 30 * 86400);
	CHECK(s.settings.recheck_until == 365 * 86400);
	config_sources_release(&s);

	path = write_file("recheck_custom.conf", "[settings]\nrecheck = 30m, 2h 1d  2w\n"
			  "recheck_until = 90d\n[source a]\nurl = https://a.kz/\n");
	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.settings.recheck_step_count == 4);
	CHECK(s.settings.recheck_steps[0] == 1800 && s.settings.recheck_steps[1] == 7200 &&
	      s.settings.recheck_steps[2] == 86400 && s.settings.recheck_steps[3] == 14 * 86400);
	CHECK(s.settings.recheck_until == 90 * 86400);
	config_sources_release(&s);

	path = write_file("recheck_always.conf", "[settings]\nrecheck = always\n");
	CHECK_OK(config_sources_load(path, &s, &err));
	CHECK(s.settings.recheck_step_count == 0);
	config_sources_release(&s);

	EXPECT_ERROR("recheck_order.conf", "[settings]\nrecheck = 1h 6h 6h\n", 2,
		     "recheck: steps must grow; '6h' is not longer than the step before it");
	EXPECT_ERROR("recheck_unit.conf", "# x\n[settings]\nrecheck = 1h 6\n", 3,
		     "recheck: expected durations such as 1h 6h 1d 3d 7d 30d (N with m, h, d or w, "
		     "1m to 3660d) or always, got '6'");
	EXPECT_ERROR("recheck_zero.conf", "[settings]\nrecheck = 0h\n", 2, "got '0h'");
	EXPECT_ERROR("recheck_huge.conf", "[settings]\nrecheck = 4000d\n", 2, "got '4000d'");
	EXPECT_ERROR("recheck_empty.conf", "[settings]\nrecheck = ,\n", 2,
		     "recheck: expected durations");
	EXPECT_ERROR("recheck_many.conf",
		     "[settings]\nrecheck = 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 11m 12m 13m 14m 15m 16m "
		     "17m\n", 2, "recheck: at most 16 steps");
	EXPECT_ERROR("recheck_until.conf", "[settings]\nrecheck_until = 365\n", 2,
		     "recheck_until: expected a duration such as 365d");
	EXPECT_ERROR("recheck_twice.conf", "[settings]\nrecheck = 1h\nrecheck = 2h\n", 3,
		     "recheck");
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_good_file();
	test_defaults();
	test_errors();
	test_history();
	test_names();
	test_recheck();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	CHECK_DONE();
}
