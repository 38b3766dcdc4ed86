/* test_archive_store.c: the SQLite index: sources, frontier, hosts,
 * captures, material versions, search with every filter, the stemmer, the
 * data directory and its lock. */
#include "check.h"

/* What schema 7 added to materials (the FTS table and index_meta are
 * rebuilt by migration 6 -> 7 whatever they hold). */
#define VIGIL_UNDO_SCHEMA_7 "DROP INDEX materials_by_date;" \
	"ALTER TABLE materials DROP COLUMN sort_date; ALTER TABLE materials DROP COLUMN tone;" \
	"ALTER TABLE materials DROP COLUMN relevant; ALTER TABLE materials DROP COLUMN lang;"
#include "../../archive/archive.h"

#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static int exists(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return stat(path, &st) == 0;
}

/* Stems of text joined by spaces, compared with expected. */
static int stems_are(const char *text, const char *expected)
{
	char *stems = archive_stem_text(text);
	int same = stems && !strcmp(stems, expected);

	if (!same)
		fprintf(stderr, "stem(%s) = '%s', expected '%s'\n", text, stems ? stems : "(null)",
			expected);
	free(stems);
	return same;
}

static struct archive_store *store;
static struct vigil_error err;

/* Run a query and return the ids found, in order, as "1,3". */
static const char *ids_of(const struct archive_query *q)
{
	static char out[640];
	struct archive_results r = { 0 };
	size_t o = 0;

	out[0] = '\0';
	if (archive_search(store, q, &r, &err) != VIGIL_OK) {
		snprintf(out, sizeof(out), "error: %s", err.message);
		return out;
	}
	for (size_t i = 0; i < r.count; i++)
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%lld", i ? "," : "",
				      (long long)r.items[i].id);
	archive_results_release(&r);
	return out;
}

static const char *ids_for_text(const char *text)
{
	struct archive_query q = { 0 };

	q.text = text;
	return ids_of(&q);
}

static char expect_buf[8][64];
static const char *ids(int slot, int64_t a, int64_t b, int64_t c)
{
	char *out = expect_buf[slot];

	if (c)
		snprintf(out, 64, "%lld,%lld,%lld", (long long)a, (long long)b, (long long)c);
	else if (b)
		snprintf(out, 64, "%lld,%lld", (long long)a, (long long)b);
	else if (a)
		snprintf(out, 64, "%lld", (long long)a);
	else
		out[0] = '\0';
	return out;
}

static void test_stemmer(void)
{
	char *empty;

	CHECK(stems_are("Павлодаре Павлодара Павлодар Павлодаром", "павлодар павлодар павлодар павлодар"));
	CHECK(stems_are("правозащитника правозащитники правозащитников правозащитникам",
			"правозащитник правозащитник правозащитник правозащитник"));
	CHECK(stems_are("ПРАВОЗАЩИТНИКАМИ Правозащитнику", "правозащитник правозащитник"));
	CHECK(stems_are("журналиста журналисты журналистов", "журналист журналист журналист"));
	CHECK(stems_are("Иванов Иванова Ивановым", "иван иван иван"));
	CHECK(stems_are("задержание задержания задержанием", "задержан задержан задержан"));
	CHECK(stems_are("Ёлка елка", "елк елк"));
	/* Kazakh case endings only where a Kazakh letter shows the language. */
	CHECK(stems_are("Өскеменде Қарағандының қорғаушыларға", "өскемен қарағанды қорғаушы"));
	CHECK(stems_are("места место", "мест мест"));
	CHECK(stems_are("defenders activities boxes class", "defender activity box class"));
	/* Short words keep three letters; digits are not stemmed. */
	CHECK(stems_are("дела дело суд", "дел дел суд"));
	CHECK(stems_are("COVID-19, 2024-го; №5", "covid 19 2024 го 5"));
	/* Stress marks and soft hyphens do not split words. */
	CHECK(stems_are("правозащи\xcc\x81тника право\xc2\xadзащитник", "правозащитник правозащитник"));
	/* Invalid UTF-8 separates words and never crashes. */
	CHECK(stems_are("bad\xff\xfe" "word \xd0 слово \xe2\x82", "bad word слов"));
	empty = archive_stem_text(NULL);
	CHECK_STR(empty, "");
	free(empty);
	empty = archive_stem_text("«—» … !!!");
	CHECK_STR(empty, "");
	free(empty);
}

static int64_t record(const struct archive_version_input *in, enum archive_change expected)
{
	enum archive_change change = 99;
	int64_t id = 0;

	CHECK_OK(archive_material_record(store, in, &change, &id, &err));
	if (change != expected)
		fprintf(stderr, "record %s: change %d, expected %d (%s)\n", in->url, change, expected,
			err.message);
	CHECK(change == expected);
	CHECK(id > 0);
	return id;
}

int main(void)
{
	struct archive_source_info info = { 0 };
	struct archive_source_list list = { 0 };
	struct archive_frontier_entry entry = { 0 };
	struct archive_host host = { 0 }, got_host = { 0 };
	struct archive_capture cap1 = { 0 }, cap2 = { 0 }, got = { 0 };
	struct archive_material_detail d = { 0 };
	struct archive_query q;
	struct archive_results res = { 0 };
	int64_t src1, src2, m1, m2, m3, count, t0 = 1714521600; /* 2024-05-01 */
	int added, marked;
	char **urls = NULL;
	size_t url_count = 0;

	test_stemmer();

	snprintf(dir, sizeof(dir), "/tmp/vigil-store-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	{
		char sub[128];

		snprintf(sub, sizeof(sub), "%s/data/deeper", dir);
		CHECK_OK(archive_data_init(sub, &err));
		CHECK(exists("data/deeper/warc") && exists("data/deeper/index.sqlite"));
		CHECK_OK(archive_data_init(sub, &err)); /* idempotent */
	}
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	if (!store) {
		fprintf(stderr, "open: %s\n", err.message);
		return 1;
	}

	/* ---- sources ---- */
	CHECK_OK(archive_source_sync(store, "tengrinews", "https://old.kz/", "site", &src1, &err));
	CHECK_OK(archive_source_sync(store, "tengrinews", "https://tengrinews.kz/", "feed", &src2, &err));
	CHECK(src1 > 0 && src1 == src2);
	CHECK_OK(archive_source_sync(store, "Ak Zhaiyk", "https://azh.kz/", "channel", &src2, &err));
	CHECK(src2 != src1);
	CHECK_OK(archive_source_get(store, "tengrinews", &info, &err));
	CHECK_STR(info.url, "https://tengrinews.kz/");
	CHECK_STR(info.kind, "feed");
	CHECK(info.last_crawl_start == 0 && info.last_status == NULL);
	archive_source_info_release(&info);
	CHECK(archive_source_get(store, "nope", &info, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK_CONTAINS(err.message, "nope");
	CHECK_OK(archive_source_mark_started(store, src1, t0, &err));
	CHECK_OK(archive_source_mark_finished(store, src1, t0 + 60, "errors: 2", 2, &err));
	CHECK(archive_source_mark_started(store, 9999, t0, &err) == VIGIL_ERR_NOT_FOUND);

	/* ---- frontier ---- */
	CHECK_OK(archive_frontier_add(store, src1, "https://tengrinews.kz/a", 0, 1, &added, &err));
	CHECK(added == 1);
	CHECK_OK(archive_frontier_add(store, src1, "https://tengrinews.kz/a", 1, 2, &added, &err));
	CHECK(added == 0);
	CHECK_OK(archive_frontier_add(store, src1, "https://tengrinews.kz/b", 1, 3, &added, &err));
	CHECK_OK(archive_frontier_add(store, src1, "https://tengrinews.kz/c", 2, 3, &added, &err));
	CHECK_OK(archive_frontier_add(store, src2, "https://tengrinews.kz/a", 0, 1, &added, &err));
	CHECK(added == 1); /* per source */
	CHECK_OK(archive_frontier_pending(store, src1, &count, &err));
	CHECK(count == 3);
	CHECK_OK(archive_frontier_next(store, src1, &entry, &err));
	CHECK_STR(entry.url, "https://tengrinews.kz/a");
	CHECK(entry.depth == 0 && entry.kind == 1 && entry.source_id == src1);
	CHECK_OK(archive_frontier_finish(store, entry.id, ARCHIVE_FRONTIER_DONE, &err));
	archive_frontier_entry_release(&entry);
	CHECK_OK(archive_frontier_next(store, src1, &entry, &err));
	CHECK_STR(entry.url, "https://tengrinews.kz/b");
	CHECK_OK(archive_frontier_finish(store, entry.id, ARCHIVE_FRONTIER_FAILED, &err));
	archive_frontier_entry_release(&entry);
	CHECK_OK(archive_frontier_pending(store, src1, &count, &err));
	CHECK(count == 1);
	CHECK_OK(archive_frontier_clear(store, src1, &err));
	CHECK_OK(archive_frontier_pending(store, src1, &count, &err));
	CHECK(count == 1);
	CHECK_OK(archive_frontier_add(store, src1, "https://tengrinews.kz/a", 0, 1, &added, &err));
	CHECK(added == 1); /* the finished pass was forgotten */
	CHECK_OK(archive_frontier_next(store, src1, &entry, &err));
	CHECK_STR(entry.url, "https://tengrinews.kz/c");
	archive_frontier_entry_release(&entry);
	CHECK(archive_frontier_finish(store, 123456, ARCHIVE_FRONTIER_DONE, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(archive_frontier_next(store, 9999, &entry, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(entry.url == NULL);
	CHECK(archive_frontier_add(store, 9999, "https://x/", 0, 0, &added, &err) == VIGIL_ERR_DATABASE);
	CHECK_CONTAINS(err.message, "frontier_add");
	CHECK_CONTAINS(err.message, "FOREIGN KEY");

	/* ---- hosts ---- */
	CHECK(archive_host_get(store, "https://tengrinews.kz", &got_host, &err) == VIGIL_ERR_NOT_FOUND);
	host.origin = "https://tengrinews.kz";
	host.last_fetch_at = t0 * 1000 + 250;
	CHECK_OK(archive_host_put(store, &host, &err));
	CHECK_OK(archive_host_get(store, "https://tengrinews.kz", &got_host, &err));
	CHECK(got_host.robots == NULL && got_host.robots_status == 0);
	CHECK(got_host.last_fetch_at == t0 * 1000 + 250);
	archive_host_release(&got_host);
	host.robots = "User-agent: *\nDisallow: /private\n";
	host.robots_status = 200;
	host.robots_fetched_at = t0;
	CHECK_OK(archive_host_put(store, &host, &err));
	CHECK_OK(archive_host_get(store, "https://tengrinews.kz", &got_host, &err));
	CHECK_STR(got_host.robots, "User-agent: *\nDisallow: /private\n");
	CHECK(got_host.robots_status == 200 && got_host.robots_fetched_at == t0);
	archive_host_release(&got_host);
	host.robots = "";
	host.robots_status = 404;
	CHECK_OK(archive_host_put(store, &host, &err));
	CHECK_OK(archive_host_get(store, "https://tengrinews.kz", &got_host, &err));
	CHECK_STR(got_host.robots, "");
	archive_host_release(&got_host);
	/* politeness: its own columns; robots stays, last_fetch_at never goes back */
	CHECK_OK(archive_host_politeness(store, "https://tengrinews.kz", t0 * 1000, t0 + 120, 2,
					 &err));
	CHECK_OK(archive_host_get(store, "https://tengrinews.kz", &got_host, &err));
	CHECK_STR(got_host.robots, "");
	CHECK(got_host.robots_status == 404);
	CHECK(got_host.backoff_until == t0 + 120 && got_host.error_streak == 2);
	CHECK(got_host.last_fetch_at == t0 * 1000 + 250);
	archive_host_release(&got_host);
	CHECK_OK(archive_host_put(store, &host, &err)); /* robots again: back-off kept */
	CHECK_OK(archive_host_get(store, "https://tengrinews.kz", &got_host, &err));
	CHECK(got_host.backoff_until == t0 + 120 && got_host.error_streak == 2);
	archive_host_release(&got_host);
	CHECK_OK(archive_host_politeness(store, "https://new.kz", 5, 0, 0, &err));
	CHECK_OK(archive_host_get(store, "https://new.kz", &got_host, &err));
	CHECK(got_host.robots == NULL && got_host.last_fetch_at == 5);
	archive_host_release(&got_host);

	/* ---- deferred frontier entries: pending for the next pass ---- */
	{
		int64_t pending = 0;

		while (archive_frontier_next(store, src1, &entry, &err) == VIGIL_OK) {
			CHECK_OK(archive_frontier_finish(store, entry.id, ARCHIVE_FRONTIER_DONE, &err));
			archive_frontier_entry_release(&entry);
		}
		CHECK_OK(archive_frontier_clear(store, src1, &err));
		CHECK_OK(archive_frontier_add(store, src1, "https://tengrinews.kz/d", 1, 2, &added,
					      &err));
		CHECK_OK(archive_frontier_next(store, src1, &entry, &err));
		CHECK_OK(archive_frontier_pending(store, src1, &pending, &err));
		CHECK_OK(archive_frontier_finish(store, entry.id, ARCHIVE_FRONTIER_DEFERRED, &err));
		archive_frontier_entry_release(&entry);
		CHECK_OK(archive_frontier_clear(store, src1, &err));
		CHECK(archive_frontier_next(store, src1, &entry, &err) == VIGIL_ERR_NOT_FOUND);
		CHECK_OK(archive_frontier_pending(store, src1, &pending, &err));
		CHECK(pending == 1);
		CHECK_OK(archive_frontier_requeue(store, src1, &err));
		CHECK_OK(archive_frontier_next(store, src1, &entry, &err));
		CHECK_STR(entry.url, "https://tengrinews.kz/d");
		CHECK_OK(archive_frontier_finish(store, entry.id, ARCHIVE_FRONTIER_DONE, &err));
		archive_frontier_entry_release(&entry);
		CHECK_OK(archive_frontier_clear(store, src1, &err));
	}

	/* ---- captures ---- */
	cap1.source_id = src1;
	cap1.url = "https://tengrinews.kz/news/1";
	cap1.fetched_at = t0;
	cap1.status = 200;
	cap1.content_type = "text/html";
	cap1.etag = "\"abc\"";
	cap1.payload_digest = "sha1:AAAA";
	cap1.warc_path = "warc/tengrinews/x.warc.zst";
	cap1.warc_offset = 1234;
	cap1.warc_length = 567;
	CHECK_OK(archive_capture_add(store, &cap1, &err));
	CHECK(cap1.id > 0);
	cap2 = cap1;
	cap2.fetched_at = t0 + 3600;
	cap2.warc_path = NULL;
	cap2.warc_offset = cap2.warc_length = 0;
	cap2.payload_capture_id = cap1.id;
	cap2.truncated = 1;
	CHECK_OK(archive_capture_add(store, &cap2, &err));
	CHECK(cap2.id > cap1.id);
	CHECK_OK(archive_capture_last(store, cap1.url, &got, &err));
	CHECK(got.id == cap1.id);
	CHECK_STR(got.warc_path, "warc/tengrinews/x.warc.zst");
	CHECK(got.warc_offset == 1234 && got.warc_length == 567);
	CHECK_STR(got.etag, "\"abc\"");
	CHECK(got.last_modified == NULL);
	CHECK(got.truncated == 0);
	archive_capture_release(&got);
	CHECK_OK(archive_capture_get(store, cap2.id, &got, &err));
	CHECK(got.payload_capture_id == cap1.id && got.warc_path == NULL && got.fetched_at == t0 + 3600);
	CHECK(got.truncated == 1);
	archive_capture_release(&got);
	CHECK(archive_capture_last(store, "https://nowhere/", &got, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(archive_capture_get(store, 424242, &got, &err) == VIGIL_ERR_NOT_FOUND);

	/* ---- materials ---- */
	{
		const char *cats1[] = { "journalists" }, *threats1[] = { "detention", "court" };
		struct archive_region regions1[] = {
			{ "PAV", "Павлодарская область", "North" },
		};
		struct archive_hit hits1[] = {
			{ "threat", "detention-1", "detention", "задержан", 40, 3, "threats.conf:12" },
			{ "region", "PAV", "Павлодарская область", "Павлодаре", 70, 1, NULL },
		};
		struct archive_version_input v1 = {
			.source_id = src1, .url = "https://tengrinews.kz/news/1",
			.canonical_url = "https://tengrinews.kz/news/1/", .title = "Задержание в Павлодаре",
			.author = "Редакция", .published = "2024-04-10T09:00:00+05:00", .lang = "ru",
			.text = "Журналист был задержан полицией в Павлодаре после публикации. "
				"Правозащитники требуют его освободить.",
			.fetched_at = t0, .capture_id = cap1.id, .relevant = 1,
			.tone = ARCHIVE_TONE_NEGATIVE, .tone_score = -4,
			.categories = cats1, .category_count = 1, .threats = threats1, .threat_count = 2,
			.regions = regions1, .region_count = 1, .hits = hits1, .hit_count = 2,
		};
		const char *cats2[] = { "defenders" };
		struct archive_region regions2[] = {
			{ "ALA", "г. Алматы", "South" },
		};
		struct archive_version_input v2 = {
			.source_id = src1, .url = "https://tengrinews.kz/news/2",
			.title = "Суд над активистом",
			.published = "2024-03-01",
			.text = "В Алматы прошёл суд. Слова правозащитников о давлении на активистов "
				"прозвучали в зале.",
			.fetched_at = t0 + 10, .relevant = 1, .tone = ARCHIVE_TONE_SUPPORTIVE,
			.tone_score = 5, .categories = cats2, .category_count = 1,
			.regions = regions2, .region_count = 1,
		};
		/* Every optional field empty; a title with broken UTF-8. */
		struct archive_version_input v3 = {
			.source_id = src2, .url = "https://azh.kz/post/3",
			.title = "Defenders \xff\xfe meet",
			.text = "Human rights defenders met in Uralsk.",
			.fetched_at = t0 + 20,
		};
		struct archive_version_input changed = v1;

		m1 = record(&v1, ARCHIVE_NEW);
		m2 = record(&v2, ARCHIVE_NEW);
		m3 = record(&v3, ARCHIVE_NEW);
		CHECK(m1 != m2 && m2 != m3);
		v1.fetched_at = t0 + 100;
		CHECK(record(&v1, ARCHIVE_UNCHANGED) == m1);
		changed.text = "Журналист был задержан полицией в Павлодаре. Обновлено: его отпустили.";
		changed.fetched_at = t0 + 200;
		changed.tone = ARCHIVE_TONE_NEUTRAL;
		changed.threats = threats1;
		changed.threat_count = 1;
		changed.hits = hits1;
		changed.hit_count = 1;
		CHECK(record(&changed, ARCHIVE_CHANGED) == m1);

		CHECK_OK(archive_material_mark_deleted(store, v1.url, t0 + 300, "404", 0, NULL, &marked, &err));
		CHECK(marked == 1);
		CHECK_OK(archive_material_mark_deleted(store, v1.url, t0 + 301, "410", 0, NULL, &marked, &err));
		CHECK(marked == 0);
		CHECK_OK(archive_material_mark_deleted(store, "https://unknown/", t0, "404", 0, NULL, &marked, &err));
		CHECK(marked == 0);
		CHECK_OK(archive_material_live_urls(store, src1, &urls, &url_count, &err));
		CHECK(url_count == 1 && !strcmp(urls[0], v2.url));
		for (size_t i = 0; i < url_count; i++)
			free(urls[i]);
		free(urls);
		/* Back with the same text: restored, no new version. */
		changed.fetched_at = t0 + 400;
		CHECK(record(&changed, ARCHIVE_RESTORED) == m1);
		CHECK_OK(archive_material_live_urls(store, src1, &urls, &url_count, &err));
		CHECK(url_count == 2);
		for (size_t i = 0; i < url_count; i++)
			free(urls[i]);
		free(urls);
		/* Deleted, then back with another text: restored as version 3. */
		CHECK_OK(archive_material_mark_deleted(store, v1.url, t0 + 500, "redirect", 0, "https://example.kz/", &marked, &err));
		changed.text = "Журналист в Павлодаре освобождён, правозащитник прокомментировал.";
		changed.fetched_at = t0 + 600;
		changed.tone = ARCHIVE_TONE_SUPPORTIVE;
		CHECK(record(&changed, ARCHIVE_RESTORED) == m1);
		/* A title change alone is a change. */
		v2.title = "Суд над активистом (обновлено)";
		v2.fetched_at = t0 + 700;
		CHECK(record(&v2, ARCHIVE_CHANGED) == m2);
		CHECK(record(&v2, ARCHIVE_UNCHANGED) == m2);
		CHECK_OK(archive_material_mark_deleted(store, v3.url, t0 + 800, "soft-404", 0, NULL, &marked, &err));
		CHECK(marked == 1);
		{
			/* A minor edit is a version, not an edit; the same text read
			 * at a new address is a minor version holding that address,
			 * which then stands for the material. */
			struct archive_version_input minor = v3;
			enum archive_change change;
			int64_t id = 0;
			char *resolved = NULL;

			minor.text = "Defenders were threatened in Uralsk, the group says.  ";
			minor.minor = 1;
			minor.fetched_at = t0 + 900;
			CHECK_OK(archive_material_record(store, &minor, &change, &id, &err));
			CHECK(change == ARCHIVE_RESTORED && id == m3);
			minor.minor = 0;
			minor.final_url = "https://moved.example/v3";
			minor.fetched_at = t0 + 901;
			CHECK_OK(archive_material_record(store, &minor, &change, &id, &err));
			CHECK(change == ARCHIVE_CHANGED && id == m3);
			CHECK_OK(archive_material_record(store, &minor, &change, &id, &err));
			CHECK(change == ARCHIVE_UNCHANGED);
			CHECK_OK(archive_material_get(store, v3.url, 0, &d, &err));
			CHECK(d.version_count == 3 && d.versions[1].minor && d.versions[2].minor);
			CHECK(d.material.edits == 0 && d.material.restored_at == t0 + 900);
			CHECK_STR(d.versions[2].final_url, "https://moved.example/v3");
			archive_material_detail_release(&d);
			CHECK_OK(archive_material_resolve(store, "https://moved.example/v3", &resolved, &err));
			CHECK_STR(resolved, v3.url);
			free(resolved);
			resolved = NULL;
			CHECK_OK(archive_material_resolve(store, v3.url, &resolved, &err));
			CHECK_STR(resolved, v3.url);
			free(resolved);
			CHECK(archive_material_resolve(store, "https://nowhere/", &resolved, &err) ==
			      VIGIL_ERR_NOT_FOUND);
			/* Deleted again, so the checks below still see it deleted. */
			CHECK_OK(archive_material_mark_deleted(store, v3.url, t0 + 800, "soft-404", 0, NULL,
							       &marked, &err));
		}

		/* Bad arguments never reach the index. */
		{
			struct archive_version_input bad = v3;

			bad.url = NULL;
			CHECK(archive_material_record(store, &bad, NULL, NULL, &err) == VIGIL_ERR_USAGE);
			bad.url = "https://x/";
			bad.category_count = 2;
			bad.categories = NULL;
			CHECK(archive_material_record(store, &bad, NULL, NULL, &err) == VIGIL_ERR_USAGE);
			/* A capture id that does not exist: the whole record is undone. */
			bad.category_count = 0;
			bad.capture_id = 999999;
			CHECK(archive_material_record(store, &bad, NULL, NULL, &err) == VIGIL_ERR_DATABASE);
			CHECK_CONTAINS(err.message, "https://x/");
			CHECK(archive_material_get(store, "https://x/", 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
		}
	}

	/* ---- material_get ---- */
	{
		char key[32];

		snprintf(key, sizeof(key), "%lld", (long long)m1);
		CHECK_OK(archive_material_get(store, key, 0, &d, &err));
		CHECK(d.material.id == m1);
		CHECK_STR(d.material.url, "https://tengrinews.kz/news/1");
		CHECK_STR(d.material.source, "tengrinews");
		CHECK(d.version_count == 3 && d.material.versions == 3 && d.shown_version == 3);
		CHECK(d.versions[0].number == 1 && d.versions[2].number == 3);
		CHECK(d.versions[0].fetched_at == t0 && d.versions[2].fetched_at == t0 + 600);
		CHECK(d.versions[0].capture_id == cap1.id);
		CHECK(d.versions[0].text_digest && !strncmp(d.versions[0].text_digest, "sha1:", 5));
		CHECK(strcmp(d.versions[0].text_digest, d.versions[1].text_digest) != 0);
		CHECK_CONTAINS(d.text, "освобождён");
		CHECK(d.material.tone == ARCHIVE_TONE_SUPPORTIVE);
		CHECK(d.material.deleted == 0 && d.material.deleted_at == 0);
		CHECK(d.material.first_seen == t0 && d.material.last_seen == t0 + 600);
		CHECK(d.material.threat_count == 1 && !strcmp(d.material.threats[0], "detention"));
		CHECK(d.hit_count == 1);
		CHECK_STR(d.author, "Редакция");
		CHECK_STR(d.canonical_url, "https://tengrinews.kz/news/1/");
		/* Deleted (404), restored, deleted (redirect), restored: the
		 * history in order, with how and the detail. */
		CHECK(d.event_count == 4);
		if (d.event_count == 4) {
			CHECK_STR(d.events[0].kind, "deleted");
			CHECK_STR(d.events[0].how, "404");
			CHECK(d.events[0].at == t0 + 300);
			CHECK_STR(d.events[1].kind, "restored");
			CHECK(d.events[1].at == t0 + 400 && d.events[1].how == NULL);
			CHECK_STR(d.events[2].how, "redirect");
			CHECK_STR(d.events[2].detail, "https://example.kz/");
			CHECK_STR(d.events[3].kind, "restored");
			CHECK(d.events[3].at == t0 + 600);
		}
		CHECK(d.material.restored_at == t0 + 600 && d.material.deleted_how == NULL);
		CHECK(d.material.edits == 2 && !d.versions[1].minor && !d.versions[2].minor);
		archive_material_detail_release(&d);

		CHECK_OK(archive_material_get(store, "https://tengrinews.kz/news/1", 1, &d, &err));
		CHECK(d.shown_version == 1 && d.version_count == 3);
		CHECK_CONTAINS(d.text, "Правозащитники требуют");
		CHECK(d.material.tone == ARCHIVE_TONE_NEGATIVE && d.material.tone_score == -4);
		CHECK(d.material.relevant == 1);
		CHECK_STR(d.material.title, "Задержание в Павлодаре");
		CHECK_STR(d.material.published, "2024-04-10T09:00:00+05:00");
		CHECK_STR(d.material.lang, "ru");
		CHECK(d.material.category_count == 1 && !strcmp(d.material.categories[0], "journalists"));
		CHECK(d.material.threat_count == 2 && !strcmp(d.material.threats[1], "court"));
		CHECK(d.material.region_count == 1);
		CHECK_STR(d.material.regions[0].id, "PAV");
		CHECK_STR(d.material.regions[0].label, "Павлодарская область");
		CHECK_STR(d.material.regions[0].macro, "North");
		CHECK(d.hit_count == 2);
		CHECK_STR(d.hits[0].kind, "threat");
		CHECK_STR(d.hits[0].rule_id, "detention-1");
		CHECK_STR(d.hits[0].matched, "задержан");
		CHECK(d.hits[0].offset == 40 && d.hits[0].weight == 3);
		CHECK_STR(d.hits[0].where, "threats.conf:12");
		CHECK(d.hits[1].where == NULL);
		archive_material_detail_release(&d);
		archive_material_detail_release(&d); /* twice is fine */

		snprintf(key, sizeof(key), "%lld", (long long)m3);
		CHECK_OK(archive_material_get(store, key, 0, &d, &err));
		CHECK(d.material.deleted == 1 && d.material.deleted_at == t0 + 800);
		CHECK(d.material.title && !strncmp(d.material.title, "Defenders ", 10));
		CHECK(d.material.published == NULL && d.author == NULL && d.material.region_count == 0);
		CHECK(d.material.source && !strcmp(d.material.source, "Ak Zhaiyk"));
		archive_material_detail_release(&d);

		CHECK(archive_material_get(store, "https://tengrinews.kz/news/1", 9, &d, &err) ==
		      VIGIL_ERR_NOT_FOUND);
		CHECK(archive_material_get(store, "https://nowhere/", 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
		CHECK(archive_material_get(store, "987654", 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
		CHECK(d.material.url == NULL && d.versions == NULL);
	}

	/* ---- search ---- */
	/* Stemmed forms of the query find the other forms in the text. */
	CHECK_STR(ids_for_text("Павлодаре"), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text("Павлодар"), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text("ПАВЛОДАРА"), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text("правозащитника"), ids(0, m1, m2, 0));
	CHECK_STR(ids_for_text("правозащитников Алматы"), ids(0, m2, 0, 0));
	CHECK_STR(ids_for_text("defender"), ids(0, m3, 0, 0));
	CHECK_STR(ids_for_text("обновлено"), ids(0, m2, 0, 0)); /* title only */
	CHECK_STR(ids_for_text("Требуют"), ""); /* only in an old version of m1 */
	CHECK_STR(ids_for_text("отсутствующееслово"), "");
	/* The query language is vigil's (archive_query_parse), never FTS5's:
	 * operator words inside quotes are words; mistakes are usage errors. */
	CHECK_STR(ids_for_text("\"AND OR NEAR( * ^\""), "");
	CHECK_STR(ids_for_text("\"AND OR NEAR( * ^"),
		  "error: query column 1: the quote opened here is never closed");
	CHECK_CONTAINS(ids_for_text("\xff\xfe\xd0"), "error: query column 1: no letters or digits");
	CHECK_STR(ids_for_text("Павлодаре OR defenders"), ids(0, m3, m1, 0));
	CHECK_STR(ids_for_text("правозащитника -Алматы"), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text("\"журналиста в Павлодаре\""), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text("\"Павлодаре журналист\""), "");
	CHECK_STR(ids_for_text("title:Павлодаре"), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text("title:правозащитника"), "");
	CHECK_STR(ids_for_text("source:\"Ak Zhaiyk\""), ids(0, m3, 0, 0));
	CHECK_STR(ids_for_text("region:North"), ids(0, m1, 0, 0));
	CHECK_STR(ids_for_text(NULL), ids(0, m3, m1, m2)); /* newest first */
	memset(&q, 0, sizeof(q));
	q.region = "PAV";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.region = "pav";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.region = "павлодар"; /* label prefix, caseless Cyrillic */
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.region = "ПАВЛОДАРСКАЯ ОБЛАСТЬ";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.region = "north";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.region = "South";
	CHECK_STR(ids_of(&q), ids(0, m2, 0, 0));
	q.region = "%";
	CHECK_STR(ids_of(&q), "");
	/* Paging, language, capture dates, relevance. */
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	q.offset = 1;
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.limit = 0;
	q.offset = 0;
	q.lang = "RU";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.lang = NULL;
	q.has_captured_since = 1;
	q.captured_since = t0 + 10;
	CHECK_STR(ids_of(&q), ids(0, m3, m2, 0));
	q.has_captured_until = 1;
	q.captured_until = t0 + 20;
	CHECK_STR(ids_of(&q), ids(0, m2, 0, 0));
	memset(&q, 0, sizeof(q));
	q.text = "Павлодаре OR defenders";
	q.sort = ARCHIVE_SORT_RELEVANCE;
	CHECK(strlen(ids_of(&q)) > 2);
	/* Counts: the whole selection, per key, per pair of keys. */
	{
		struct archive_counts c = { 0 };
		enum archive_count_key keys[2] = { ARCHIVE_KEY_TONE, ARCHIVE_KEY_MACRO_REGION };

		memset(&q, 0, sizeof(q));
		CHECK_OK(archive_search_count(store, &q, NULL, 0, &c, &err));
		CHECK(c.count == 1 && c.rows[0].count == 3);
		archive_counts_release(&c);
		CHECK_OK(archive_search_count(store, &q, keys, 1, &c, &err));
		CHECK(c.count == 2);
		CHECK(c.count == 2 && !strcmp(c.rows[0].values[0], "neutral") && c.rows[0].count == 1);
		CHECK(c.count == 2 && !strcmp(c.rows[1].values[0], "supportive") && c.rows[1].count == 2);
		archive_counts_release(&c);
		CHECK_OK(archive_search_count(store, &q, keys, 2, &c, &err));
		CHECK(c.count == 3);
		CHECK(c.count == 3 && !strcmp(c.rows[0].values[1], "(none)") && c.rows[0].count == 1);
		CHECK(c.count == 3 && !strcmp(c.rows[1].values[1], "North"));
		archive_counts_release(&c);
		keys[0] = ARCHIVE_KEY_MONTH;
		q.text = "Павлодаре";
		CHECK_OK(archive_search_count(store, &q, keys, 1, &c, &err));
		CHECK(c.count == 1 && !strcmp(c.rows[0].values[0], "2024-04"));
		archive_counts_release(&c);
		q.text = "(";
		CHECK(archive_search_count(store, &q, keys, 1, &c, &err) == VIGIL_ERR_USAGE);
		CHECK(c.count == 0);
	}
	memset(&q, 0, sizeof(q));
	q.tone = "supportive";
	CHECK_STR(ids_of(&q), ids(0, m1, m2, 0));
	q.tone = "negative";
	CHECK_STR(ids_of(&q), "");
	q.tone = "angry";
	CHECK(archive_search(store, &q, &res, &err) == VIGIL_ERR_USAGE);
	memset(&q, 0, sizeof(q));
	q.category = "Journalists";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.category = NULL;
	q.threat = "detention";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.threat = "court"; /* only in version 1 */
	CHECK_STR(ids_of(&q), "");
	memset(&q, 0, sizeof(q));
	q.source = "tengrinews";
	CHECK_STR(ids_of(&q), ids(0, m1, m2, 0));
	q.source = "Ak Zhaiyk";
	CHECK_STR(ids_of(&q), ids(0, m3, 0, 0));
	memset(&q, 0, sizeof(q));
	CHECK(vigil_parse_time("2024-03-15", &q.since) == 0);
	q.has_since = 1;
	CHECK_STR(ids_of(&q), ids(0, m3, m1, 0));
	CHECK(vigil_parse_time("2024-04-30", &q.until) == 0);
	q.has_until = 1;
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	q.has_since = 0;
	CHECK_STR(ids_of(&q), ids(0, m1, m2, 0));
	memset(&q, 0, sizeof(q));
	q.deleted_only = 1;
	CHECK_STR(ids_of(&q), ids(0, m3, 0, 0));
	q.deleted_only = 0;
	q.relevant_only = 1;
	CHECK_STR(ids_of(&q), ids(0, m1, m2, 0));
	q.text = "павлодарская";
	CHECK_STR(ids_of(&q), "");
	q.text = "журналиста";
	q.region = "North";
	q.tone = "supportive";
	q.category = "journalists";
	q.source = "tengrinews";
	CHECK_STR(ids_of(&q), ids(0, m1, 0, 0));
	memset(&q, 0, sizeof(q));
	q.limit = 1;
	CHECK_STR(ids_of(&q), ids(0, m3, 0, 0));

	/* Results carry the classification and a snippet around the match. */
	memset(&q, 0, sizeof(q));
	q.text = "Павлодаре";
	CHECK_OK(archive_search(store, &q, &res, &err));
	CHECK(res.count == 1);
	if (res.count == 1) {
		CHECK_CONTAINS(res.items[0].snippet, "Павлодаре");
		CHECK_STR(res.items[0].title, "Задержание в Павлодаре");
		CHECK(res.items[0].tone == ARCHIVE_TONE_SUPPORTIVE && res.items[0].versions == 3);
		CHECK(res.items[0].region_count == 1 && res.items[0].category_count == 1);
		CHECK_STR(res.items[0].source, "tengrinews");
	}
	archive_results_release(&res);
	CHECK(res.items == NULL && res.count == 0);
	{
		/* A long text: the snippet is cut around the match with ellipses. */
		static char long_text[4000];
		struct archive_version_input v = { .source_id = src2, .url = "https://azh.kz/post/long",
			.title = "Длинный", .fetched_at = t0 - 100 };

		strcpy(long_text, "Начало. ");
		for (int i = 0; i < 60; i++)
			strcat(long_text, "Обычный текст новости. ");
		strcat(long_text, "Суд над правозащитником состоялся в Уральске. ");
		for (int i = 0; i < 60; i++)
			strcat(long_text, "Ещё текст. ");
		v.text = long_text;
		record(&v, ARCHIVE_NEW);
		q.text = "правозащитнику";
		q.source = "Ak Zhaiyk";
		CHECK_OK(archive_search(store, &q, &res, &err));
		CHECK(res.count == 1);
		if (res.count == 1) {
			const char *s = res.items[0].snippet;

			CHECK_CONTAINS(s, "правозащитником состоялся");
			CHECK(s && !strncmp(s, "\xE2\x80\xA6", 3));
			CHECK(s && !strcmp(s + strlen(s) - 3, "\xE2\x80\xA6"));
			CHECK(s && strlen(s) < 500);
		}
		archive_results_release(&res);
		q.text = NULL;
		CHECK_OK(archive_search(store, &q, &res, &err));
		CHECK(res.count == 2);
		if (res.count == 2)
			CHECK(res.items[1].snippet && !strncmp(res.items[1].snippet, "Начало. Обычный", 20));
		archive_results_release(&res);
	}

	/* ---- transactions ---- */
	{
		struct archive_version_input v = { .source_id = src1, .url = "https://tengrinews.kz/tx",
			.title = "tx", .text = "rolled back", .fetched_at = t0 };

		CHECK_OK(archive_begin(store, &err));
		record(&v, ARCHIVE_NEW);
		archive_rollback(store);
		CHECK(archive_material_get(store, v.url, 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
		CHECK_OK(archive_begin(store, &err));
		CHECK_OK(archive_begin(store, &err)); /* nested */
		record(&v, ARCHIVE_NEW);
		CHECK_OK(archive_commit(store, &err));
		CHECK_OK(archive_capture_add(store, &cap1, &err));
		CHECK_OK(archive_commit(store, &err));
		CHECK_OK(archive_material_get(store, v.url, 0, &d, &err));
		archive_material_detail_release(&d);
		CHECK(archive_commit(store, &err) == VIGIL_ERR_USAGE);
	}

	/* ---- source counts ---- */
	CHECK_OK(archive_source_list(store, &list, &err));
	CHECK(list.count == 2);
	if (list.count == 2) {
		CHECK_STR(list.items[0].name, "Ak Zhaiyk");
		CHECK_STR(list.items[1].name, "tengrinews");
		CHECK(list.items[0].materials == 2 && list.items[0].deleted == 1 &&
		      list.items[0].relevant == 0);
		CHECK(list.items[1].materials == 3 && list.items[1].relevant == 2 &&
		      list.items[1].captures == 3);
		CHECK(list.items[1].last_crawl_start == t0 && list.items[1].last_crawl_end == t0 + 60);
		CHECK_STR(list.items[1].last_status, "errors: 2");
		CHECK(list.items[1].errors == 2);
	}
	archive_source_list_release(&list);

	/* A date before 1970 is a date (NULL published_at is "none"), and
	 * since/until at the epoch itself still filter. */
	{
		struct archive_version_input old = { .source_id = src2,
			.url = "https://azh.kz/post/1950", .title = "Архив", .text = "Старая заметка.",
			.published = "1950-05-01T10:00:00Z", .fetched_at = t0 + 300 };
		int64_t m_old = record(&old, ARCHIVE_NEW);

		memset(&q, 0, sizeof(q));
		CHECK(vigil_parse_time("1970-01-01", &q.until) == 0 && q.until == 0);
		q.has_until = 1;
		CHECK_STR(ids_of(&q), ids(0, m_old, 0, 0));
		CHECK(vigil_parse_time("1950-05-01", &q.since) == 0);
		q.has_since = 1;
		CHECK_STR(ids_of(&q), ids(0, m_old, 0, 0));
		CHECK(vigil_parse_time("1950-05-01T10:00:01Z", &q.since) == 0);
		CHECK_STR(ids_of(&q), "");
		/* since 1970-01-01: everything but the 1950 one, which sorts last */
		memset(&q, 0, sizeof(q));
		{
			char all[640], expected[640];

			snprintf(all, sizeof(all), "%s", ids_of(&q));
			q.has_since = 1;
			snprintf(expected, sizeof(expected), "%s,%lld", ids_of(&q), (long long)m_old);
			CHECK_STR(all, expected);
		}
	}

	/* One copy of each text: the FTS table reads its content from the
	 * versions (a view), it keeps no text of its own. */
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		char path[128];

		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_prepare_v2(db, "SELECT group_concat(name || ':' || type, ' ') FROM"
					 " (SELECT name, type FROM sqlite_master WHERE name LIKE 'material_fts%'"
					 " ORDER BY name)", -1, &st, NULL) == SQLITE_OK);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0),
			  "material_fts:table material_fts_config:table material_fts_data:table "
			  "material_fts_docsize:table material_fts_idx:table material_fts_source:view");
		sqlite3_finalize(st);
		CHECK(sqlite3_prepare_v2(db, "SELECT value FROM index_meta WHERE key = 'fts_stemmer'",
					 -1, &st, NULL) == SQLITE_OK);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0), ARCHIVE_STEMMER_NAME);
		sqlite3_finalize(st);
		CHECK(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) == SQLITE_OK);
		CHECK(sqlite3_step(st) == SQLITE_ROW);
		CHECK_STR((const char *)sqlite3_column_text(st, 0), "wal");
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	archive_store_close(&store);
	CHECK(store == NULL);
	archive_store_close(&store);

	/* Reopening keeps everything; a newer schema is refused. */
	CHECK_OK(archive_store_open(dir, &store, &err));
	CHECK_STR(ids_for_text("Павлодар"), ids(0, m1, 0, 0));
	archive_store_close(&store);
	{
		/* An index of schema 1 (no captures.truncated, nor what schema
		 * 3 added) is upgraded in place and keeps its rows. */
		sqlite3 *db;
		char path[128];
		struct archive_capture old = { 0 };

		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, VIGIL_UNDO_SCHEMA_7 "ALTER TABLE captures DROP COLUMN truncated;"
				   "DROP TABLE story_bands; DROP INDEX materials_by_story;"
				   "ALTER TABLE materials DROP COLUMN story_id;"
				   "DROP INDEX versions_by_final_url;"
				   "DROP TABLE material_events;"
				   "ALTER TABLE versions DROP COLUMN minor;"
				   "ALTER TABLE versions DROP COLUMN final_url;"
				   "ALTER TABLE hosts DROP COLUMN notfound_status;"
				   "ALTER TABLE hosts DROP COLUMN notfound_digest;"
				   "ALTER TABLE hosts DROP COLUMN notfound_text;"
				   "ALTER TABLE hosts DROP COLUMN notfound_at;"
				   "DROP INDEX materials_due;"
				   "ALTER TABLE materials DROP COLUMN check_from;"
				   "ALTER TABLE materials DROP COLUMN check_step;"
				   "ALTER TABLE materials DROP COLUMN next_check_at;"
				   "ALTER TABLE hosts DROP COLUMN backoff_until;"
				   "ALTER TABLE hosts DROP COLUMN error_streak;"
				   "PRAGMA user_version = 1", NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
		/* A read command does not write: it says what upgrades it. */
		CHECK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ, &store, &err) ==
		      VIGIL_ERR_DATABASE);
		CHECK_CONTAINS(err.message, "a crawl or 'vigil init' upgrades it");
		CHECK(store == NULL);
		CHECK_OK(archive_store_open(dir, &store, &err));
		CHECK_OK(archive_capture_get(store, cap1.id, &old, &err));
		CHECK(old.truncated == 0 && old.warc_offset == 1234);
		archive_capture_release(&old);
		old = cap1;
		old.truncated = 1;
		CHECK_OK(archive_capture_add(store, &old, &err));
		CHECK_OK(archive_capture_get(store, old.id, &old, &err));
		CHECK(old.truncated == 1);
		archive_capture_release(&old);
		CHECK_STR(ids_for_text("Павлодар"), ids(0, m1, 0, 0));
		{
			/* Schema 3 is there: versions before it are not minor, and
			 * the history starts empty. */
			struct archive_material_detail md = { 0 };

			CHECK_OK(archive_material_get(store, "https://tengrinews.kz/news/1", 0, &md, &err));
			CHECK(md.version_count == 3 && md.event_count == 0 && md.material.edits == 2);
			archive_material_detail_release(&md);
		}
		archive_store_close(&store);
	}
	{
		sqlite3 *db;
		char path[128];

		snprintf(path, sizeof(path), "%s/data/deeper/index.sqlite", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
		snprintf(path, sizeof(path), "%s/data/deeper", dir);
		CHECK(archive_store_open(path, &store, &err) == VIGIL_ERR_DATABASE);
		CHECK_CONTAINS(err.message, "schema version 99");
		CHECK(store == NULL);
	}

	/* ---- the lock ---- */
	{
		struct archive_lock *lock = NULL, *again = NULL;
		char parent[32];
		pid_t child;
		int status = -1;

		CHECK_OK(archive_lock_acquire(dir, &lock, &err));
		CHECK(lock != NULL);
		snprintf(parent, sizeof(parent), "(pid %ld)", (long)getpid());
		fflush(NULL);
		child = fork();
		if (child == 0) {
			struct vigil_error child_err = { 0 };
			struct archive_lock *mine = NULL;
			enum vigil_code code = archive_lock_acquire(dir, &mine, &child_err);

			_exit(code == VIGIL_ERR_LOCKED && !mine && strstr(child_err.message, parent) &&
			      strstr(child_err.message, "is in use by another vigil") ? 0 : 1);
		}
		CHECK(child > 0 && waitpid(child, &status, 0) == child);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		archive_lock_release(&lock);
		CHECK(lock == NULL);
		archive_lock_release(&lock);
		child = fork();
		if (child == 0) {
			struct archive_lock *mine = NULL;
			enum vigil_code code = archive_lock_acquire(dir, &mine, NULL);

			archive_lock_release(&mine);
			_exit(code == VIGIL_OK ? 0 : 1);
		}
		CHECK(child > 0 && waitpid(child, &status, 0) == child);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK_OK(archive_lock_acquire(dir, &again, &err));
		archive_lock_release(&again);
		CHECK(archive_lock_acquire("/nonexistent/vigil", &again, &err) == VIGIL_ERR_IO);
		CHECK_CONTAINS(err.message, "/nonexistent/vigil/lock");
	}

	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
