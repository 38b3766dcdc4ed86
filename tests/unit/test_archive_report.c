/* test_archive_report.c: the figures of archive_report_build on a small
 * index built through the store API: the period (publication date, else
 * first sight; the end exclusive; offsets), relevance, months and
 * quarters, tone with one example per story, the threat x region matrix
 * (rows in taxonomy order with their groups, then labels the taxonomy does
 * not name; columns the top-level regions), categories, macro-regions,
 * outlets, syndicated copies counted once, deleted and edited materials;
 * a period of centuries; and every matrix cell, region, category and
 * tone figure equals the number of materials archive_search returns with
 * the same filters. */
#include "check.h"
#include "../../archive/report.h"

#include <ftw.h>
#include <unistd.h>

static struct vigil_error err;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static const struct archive_region pavlodar[] = {
	{ "C_PAVLODAR", "Павлодар", "North" }, { "PAV", "Павлодарская область", "North" } };
static const struct archive_region pav[] = { { "PAV", "Павлодарская область", "North" } };
static const struct archive_region almaty[] = { { "ALA", "Алматы", "South" } };

static const char *const detention[] = { "police_detention" };
static const char *const detention_court[] = { "police_detention", "court_proceedings" };
static const char *const fine[] = { "fine" };
static const char *const court_old[] = { "court_proceedings", "old_threat" };
static const char *const journalist[] = { "journalist" };
static const char *const lawyer_journalist[] = { "lawyer", "journalist" };

static const char story_text[] =
	"Районный суд Алматы рассмотрел дело журналиста, задержанного полицией после "
	"публикации о строительстве на берегу реки; адвокат заявил, что обвинение не "
	"подкреплено доказательствами и что его подзащитный будет обжаловать решение в "
	"апелляционной инстанции в течение десяти дней после оглашения приговора.";

struct item {
	const char *url, *source, *title, *published, *text;
	int64_t fetched_at;
	int relevant;
	enum archive_tone tone;
	const char *const *threats; size_t threat_count;
	const char *const *categories; size_t category_count;
	const struct archive_region *regions; size_t region_count;
};

static int64_t record(struct archive_store *store, const struct item *it)
{
	struct archive_version_input in = { 0 };
	int64_t source_id = 0, id = 0;

	CHECK_OK(archive_source_sync(store, it->source, "https://x.kz/", "site", &source_id, &err));
	in.source_id = source_id;
	in.url = it->url;
	in.title = it->title;
	in.published = it->published;
	in.text = it->text;
	in.fetched_at = it->fetched_at;
	in.relevant = it->relevant;
	in.tone = it->tone;
	in.threats = it->threats;
	in.threat_count = it->threat_count;
	in.categories = it->categories;
	in.category_count = it->category_count;
	in.regions = it->regions;
	in.region_count = it->region_count;
	CHECK_OK(archive_material_record(store, &in, NULL, &id, &err));
	return id;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define T_2024_06_15 1718409600 /* 2024-06-15T00:00:00Z */

static const struct item items[] = {
	{ "https://a.kz/1", "alpha", "Задержан журналист в Павлодаре", "2024-04-10",
	  "Журналиста задержали в Павлодаре после эфира.", 1720000000, 1, ARCHIVE_TONE_NEGATIVE,
	  detention, 1, journalist, 1, pavlodar, 2 },
	{ "https://b.kz/2", "beta", "Суд над журналистом в Алматы", "2024-05-02", story_text,
	  1720000100, 1, ARCHIVE_TONE_SUPPORTIVE, detention_court, 2, lawyer_journalist, 2,
	  almaty, 1 },
	/* no date: counted on its first sight, 15 June */
	{ "https://a.kz/3", "alpha", "Штраф общественному фонду", NULL,
	  "Фонд оштрафовали после проверки.", T_2024_06_15, 1, ARCHIVE_TONE_NEUTRAL, fine, 1,
	  NULL, 0, NULL, 0 },
	/* an hour before the period */
	{ "https://a.kz/4", "alpha", "Март", "2024-03-31T23:00:00Z", "Мартовская заметка о суде.",
	  1720000300, 1, ARCHIVE_TONE_NEUTRAL, detention, 1, NULL, 0, pav, 1 },
	/* not about defenders */
	{ "https://a.kz/5", "alpha", "Не о правозащитниках", "2024-05-10",
	  "Задержан угонщик автомобиля.", 1720000400, 0, ARCHIVE_TONE_NEUTRAL, detention, 1,
	  NULL, 0, pav, 1 },
	/* the end of the period is exclusive */
	{ "https://a.kz/6", "alpha", "Июль", "2024-07-01", "Июльская заметка о митинге.",
	  1720000500, 1, ARCHIVE_TONE_NEUTRAL, detention, 1, NULL, 0, pav, 1 },
	/* 20 May 01:00 at +05:00 is 19 May in UTC; a copy of item 2's story by
	 * a third outlet, with a threat label the taxonomy no longer has */
	{ "https://c.kz/7", "gamma", "Перепечатка: суд над журналистом",
	  "2024-05-20T01:00:00+05:00", story_text, 1720000600, 1, ARCHIVE_TONE_SUPPORTIVE,
	  court_old, 2, NULL, 0, pav, 1 },
};

static const struct archive_report_term threats[] = {
	{ "court_proceedings", "Судебный процесс", "judicial", NULL, NULL },
	{ "police_detention", "Задержание полицией", "police", NULL, NULL },
	{ "fine", "Штраф", "administrative", NULL, NULL },
};
static const struct archive_report_term categories[] = {
	{ "journalist", "Журналисты", NULL, NULL, NULL },
	{ "lawyer", "Адвокаты", NULL, NULL, NULL },
	{ "activist", "Активисты", NULL, NULL, NULL },
};
static const struct archive_report_term regions[] = {
	{ "AST", "Астана", NULL, NULL, "Central" },
	{ "ALA", "Алматы", NULL, NULL, "South" },
	{ "PAV", "Павлодарская область", NULL, NULL, "North" },
	{ "C_PAVLODAR", "Павлодар", NULL, "PAV", "North" },
};

static size_t search_count(struct archive_store *store, const struct archive_report *r,
			   const char *threat, const char *region, const char *category,
			   const char *tone)
{
	struct archive_query q = { 0 };
	struct archive_results results = { 0 };
	size_t count;

	q.relevant_only = 1;
	q.has_since = q.has_until = 1;
	q.since = r->from;
	q.until = r->to;
	q.threat = threat;
	q.region = region;
	q.category = category;
	q.tone = tone;
	q.limit = 1000;
	CHECK_OK(archive_search(store, &q, &results, &err));
	count = results.count;
	archive_results_release(&results);
	return count;
}

static const struct archive_report_count *find(const struct archive_report_count *list,
					       size_t count, const char *id)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(list[i].id, id) == 0)
			return &list[i];
	return NULL;
}

int main(void)
{
	char dir[] = "/tmp/vigil-report-test.XXXXXX";
	struct archive_store *store = NULL;
	struct archive_report_taxonomy tax = { threats, N(threats), categories, N(categories),
					       regions, N(regions) };
	struct archive_report r;
	struct archive_version_input edit = { 0 };
	const struct archive_report_count *c;
	int64_t from, to, id1 = 0, id2 = 0, edited_id = 0;
	int marked = 0;

	if (!mkdtemp(dir))
		return 1;
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	for (size_t i = 0; i < N(items); i++) {
		int64_t id = record(store, &items[i]);

		if (i == 0)
			id1 = id;
		if (i == 1)
			id2 = id;
	}
	/* item 1 edited (same labels), item 3 deleted */
	edit.source_id = 1;
	edit.url = items[0].url;
	edit.title = items[0].title;
	edit.published = items[0].published;
	edit.text = "Журналиста задержали в Павлодаре после эфира; его отпустили вечером.";
	edit.fetched_at = 1720100000;
	edit.relevant = 1;
	edit.tone = ARCHIVE_TONE_NEGATIVE;
	edit.threats = detention;
	edit.threat_count = 1;
	edit.categories = journalist;
	edit.category_count = 1;
	edit.regions = pavlodar;
	edit.region_count = 2;
	CHECK_OK(archive_material_record(store, &edit, NULL, &edited_id, &err));
	CHECK(edited_id == id1);
	CHECK_OK(archive_material_mark_deleted(store, items[2].url, 1720200000, "404", 0, NULL,
					       &marked, &err));
	CHECK(marked == 1);

	CHECK(vigil_parse_time("2024-04-01", &from) == 0);
	CHECK(vigil_parse_time("2024-07-01", &to) == 0);
	CHECK(archive_report_build(store, &tax, to, from, &r, &err) == VIGIL_ERR_USAGE);
	CHECK_OK(archive_report_build(store, &tax, from, to, &r, &err));

	/* items 1, 2, 3 and 7 */
	CHECK(r.materials == 4);
	CHECK(r.outlets == 3);
	CHECK(r.stories == 3);
	CHECK(r.regions_covered == 2); /* ALA, PAV */

	CHECK(r.month_count == 3);
	if (r.month_count == 3) {
		CHECK_STR(r.months[0].key, "2024-04");
		CHECK(r.months[0].count == 1);
		CHECK_STR(r.months[1].key, "2024-05");
		CHECK(r.months[1].count == 2);
		CHECK_STR(r.months[2].key, "2024-06");
		CHECK(r.months[2].count == 1);
		CHECK(r.months[2].to == to);
	}
	CHECK(r.quarter_count == 1);
	if (r.quarter_count == 1) {
		CHECK_STR(r.quarters[0].key, "2024-Q2");
		CHECK(r.quarters[0].count == 4);
	}

	CHECK(r.tones[ARCHIVE_TONE_NEGATIVE].count == 1);
	CHECK(r.tones[ARCHIVE_TONE_NEUTRAL].count == 1);
	CHECK(r.tones[ARCHIVE_TONE_SUPPORTIVE].count == 2);
	/* items 2 and 7 are one story: one example */
	CHECK(r.tones[ARCHIVE_TONE_SUPPORTIVE].example_count == 1);
	CHECK(r.tones[ARCHIVE_TONE_SUPPORTIVE].examples[0].id == id2);
	CHECK_STR(r.tones[ARCHIVE_TONE_NEGATIVE].examples[0].title, "Задержан журналист в Павлодаре");

	/* rows: taxonomy order, then the label it does not name */
	CHECK(r.threat_count == 4);
	if (r.threat_count == 4) {
		CHECK_STR(r.threats[0].id, "court_proceedings");
		CHECK_STR(r.threats[0].group, "judicial");
		CHECK(r.threats[0].count == 2);
		CHECK_STR(r.threats[1].id, "police_detention");
		CHECK(r.threats[1].count == 2);
		CHECK_STR(r.threats[2].id, "fine");
		CHECK(r.threats[2].count == 1); /* no region: in the total, in no cell */
		CHECK_STR(r.threats[3].id, "old_threat");
		CHECK(r.threats[3].group == NULL);
		CHECK(r.threats[3].count == 1);
	}
	/* columns: the regions without a parent */
	CHECK(r.region_count == 3);
	if (r.region_count == 3 && r.threat_count == 4) {
		CHECK_STR(r.regions[0].id, "AST");
		CHECK_STR(r.regions[2].id, "PAV");
		CHECK_STR(r.regions[2].group, "North");
		CHECK(r.regions[0].count == 0);
		CHECK(r.regions[1].count == 1);
		CHECK(r.regions[2].count == 2);
		CHECK(r.matrix[0 * 3 + 1] == 1); /* court x ALA */
		CHECK(r.matrix[0 * 3 + 2] == 1); /* court x PAV (item 7) */
		CHECK(r.matrix[1 * 3 + 2] == 1); /* detention x PAV: item 1; not 4, 5, 6 */
		CHECK(r.matrix[2 * 3 + 0] == 0 && r.matrix[2 * 3 + 1] == 0 && r.matrix[2 * 3 + 2] == 0);
		CHECK(r.matrix[3 * 3 + 2] == 1);
	}
	/* every figure is what search returns with the same filters */
	for (size_t row = 0; row < r.threat_count; row++) {
		CHECK(search_count(store, &r, r.threats[row].id, NULL, NULL, NULL) ==
		      (size_t)r.threats[row].count);
		for (size_t col = 0; col < r.region_count; col++)
			CHECK(search_count(store, &r, r.threats[row].id, r.regions[col].id, NULL, NULL) ==
			      (size_t)r.matrix[row * r.region_count + col]);
	}
	for (size_t col = 0; col < r.region_count; col++)
		CHECK(search_count(store, &r, NULL, r.regions[col].id, NULL, NULL) ==
		      (size_t)r.regions[col].count);
	for (size_t i = 0; i < r.macro_count; i++)
		CHECK(search_count(store, &r, NULL, r.macros[i].id, NULL, NULL) ==
		      (size_t)r.macros[i].count);
	for (size_t i = 0; i < r.category_count; i++)
		CHECK(search_count(store, &r, NULL, NULL, r.categories[i].id, NULL) ==
		      (size_t)r.categories[i].count);
	for (int t = 0; t < 3; t++)
		CHECK(search_count(store, &r, NULL, NULL, NULL, archive_tone_name((enum archive_tone)t)) ==
		      (size_t)r.tones[t].count);

	CHECK(r.category_count == 3);
	CHECK((c = find(r.categories, r.category_count, "journalist")) && c->count == 2);
	CHECK((c = find(r.categories, r.category_count, "lawyer")) && c->count == 1);
	CHECK((c = find(r.categories, r.category_count, "activist")) && c->count == 0);
	CHECK(r.macro_count == 3);
	CHECK((c = find(r.macros, r.macro_count, "North")) && c->count == 2);
	CHECK((c = find(r.macros, r.macro_count, "South")) && c->count == 1);
	CHECK((c = find(r.macros, r.macro_count, "Central")) && c->count == 0);
	CHECK(r.source_count == 3);
	if (r.source_count == 3) {
		CHECK_STR(r.sources[0].id, "alpha");
		CHECK(r.sources[0].count == 2);
	}

	CHECK(r.syndicated_count == 1);
	if (r.syndicated_count == 1) {
		CHECK(r.syndicated[0].first_id == id2);
		CHECK(r.syndicated[0].copies == 2);
		CHECK(r.syndicated[0].outlet_count == 2);
		CHECK_STR(r.syndicated[0].outlets[0], "beta");
		CHECK_STR(r.syndicated[0].outlets[1], "gamma");
	}
	CHECK(r.deleted_count == 1);
	if (r.deleted_count == 1) {
		CHECK_STR(r.deleted[0].url, "https://a.kz/3");
		CHECK(r.deleted[0].deleted_at == 1720200000);
		CHECK_STR(r.deleted[0].deleted_how, "404");
		CHECK(r.deleted[0].date == T_2024_06_15);
	}
	CHECK(r.edited_count == 1);
	if (r.edited_count == 1) {
		CHECK(r.edited[0].id == id1);
		CHECK(r.edited[0].versions == 2);
		CHECK(r.edited[0].edits == 1);
	}
	archive_report_release(&r);

	/* two centuries: 2400 months, each material in its own */
	CHECK(vigil_parse_time("1900-01-01", &from) == 0);
	CHECK(vigil_parse_time("2100-01-01", &to) == 0);
	CHECK_OK(archive_report_build(store, &tax, from, to, &r, &err));
	CHECK(r.month_count == 2400 && r.quarter_count == 800);
	if (r.month_count == 2400) {
		int64_t sum = 0;

		for (size_t i = 0; i < r.month_count; i++)
			sum += r.months[i].count;
		CHECK(sum == r.materials);
		CHECK_STR(r.months[(2024 - 1900) * 12 + 4].key, "2024-05");
		CHECK(r.months[(2024 - 1900) * 12 + 4].count == 2);
		CHECK(r.months[(2024 - 1900) * 12 + 2].count == 1); /* 31 March 23:00 */
		CHECK(r.months[(2024 - 1900) * 12 + 6].count == 1); /* 1 July */
	}
	CHECK(r.materials == 6); /* all relevant ones */
	archive_report_release(&r);

	/* an empty period still has its months, all zero */
	CHECK(vigil_parse_time("2023-11-15", &from) == 0);
	CHECK(vigil_parse_time("2024-01-10", &to) == 0);
	CHECK_OK(archive_report_build(store, &tax, from, to, &r, &err));
	CHECK(r.materials == 0 && r.stories == 0 && r.outlets == 0);
	CHECK(r.month_count == 3 && r.quarter_count == 2);
	if (r.month_count == 3) {
		CHECK_STR(r.months[0].key, "2023-11");
		CHECK(r.months[0].from == from);
		CHECK_STR(r.months[2].key, "2024-01");
	}
	CHECK(r.threat_count == 3);
	archive_report_release(&r);

	archive_store_close(&store);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
