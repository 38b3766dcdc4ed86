/* test_archive_stories.c: story assignment in the index. Syndicated copies
 * (tests/fixtures/stories) recorded by three outlets join the story of the
 * first; a different report about the same trial and an unrelated story
 * stay apart; show's copy list (earliest first), search by story with the
 * number of copies and outlets; an edited version keeps its story and is
 * found by later copies; recording in another order gives the same
 * grouping; the 5 -> 6 migration gives old materials stories of their own. */
#include "check.h"

/* What schema 7 added to materials (the FTS table and index_meta are
 * rebuilt by migration 6 -> 7 whatever they hold). */
#define VIGIL_UNDO_SCHEMA_7 "DROP INDEX materials_by_date;" \
	"ALTER TABLE materials DROP COLUMN sort_date; ALTER TABLE materials DROP COLUMN tone;" \
	"ALTER TABLE materials DROP COLUMN relevant; ALTER TABLE materials DROP COLUMN lang;"
#include "../../archive/archive.h"

#include <ftw.h>
#include <sqlite3.h>
#include <unistd.h>

static struct vigil_error err;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static char *fixture(const char *name)
{
	char path[512];
	FILE *f;
	char *text;
	long size;

	snprintf(path, sizeof(path), "%s/stories/%s", check_fixture_dir(), name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)size + 1);
	if (!text || fread(text, 1, (size_t)size, f) != (size_t)size)
		exit(1);
	fclose(f);
	return text;
}

struct item {
	const char *url, *source, *file, *published;
	int64_t fetched_at;
};

/* Three outlets. trial_a_* are one story (outlet-1 twice: a copy on its own
 * regional page), trial_b_1 another report of the same trial, det_a_1 an
 * unrelated story, empty a page without words. */
static const struct item items[] = {
	{ "https://one.kz/trial", "outlet-1", "trial_a_1.txt", "2024-05-14T10:00:00+05:00", 1715700000 },
	{ "https://two.kz/erzhanov", "outlet-2", "trial_a_2.txt", "2024-05-15", 1715800000 },
	{ "https://three.kz/b", "outlet-3", "trial_b_1.txt", "2024-05-14", 1715800100 },
	{ "https://one.kz/pavlodar/trial", "outlet-1", "trial_a_3.txt", NULL, 1715900000 },
	{ "https://three.kz/det", "outlet-3", "det_a_1.txt", "2024-09-14", 1726300000 },
	{ "https://two.kz/empty", "outlet-2", NULL, NULL, 1726300100 },
};
#define ITEM_COUNT (sizeof(items) / sizeof(items[0]))

static int64_t record(struct archive_store *store, const struct item *it, const char *text)
{
	struct archive_version_input in = { 0 };
	int64_t source_id = 0, id = 0;
	char *owned = NULL;

	CHECK_OK(archive_source_sync(store, it->source, "https://x.kz/", "site", &source_id, &err));
	if (!text)
		text = it->file ? (owned = fixture(it->file)) : "";
	in.source_id = source_id;
	in.url = it->url;
	in.title = it->file ? it->file : "empty";
	in.published = it->published;
	in.text = text;
	in.fetched_at = it->fetched_at;
	CHECK_OK(archive_material_record(store, &in, NULL, &id, &err));
	free(owned);
	return id;
}

static int64_t story_of(struct archive_store *store, const char *url)
{
	struct archive_material_detail d = { 0 };
	int64_t story;

	CHECK_OK(archive_material_get(store, url, 0, &d, &err));
	story = d.material.story_id;
	archive_material_detail_release(&d);
	return story;
}

/* The grouping as text: for each item in order, the index of the first
 * item of its story ("0,0,2,0,4,5"), independent of ids. */
static void grouping(struct archive_store *store, char *out, size_t size)
{
	int64_t stories[ITEM_COUNT];
	size_t o = 0;

	for (size_t i = 0; i < ITEM_COUNT; i++) {
		size_t first = i;

		stories[i] = story_of(store, items[i].url);
		for (size_t j = 0; j < i; j++)
			if (stories[j] == stories[i]) {
				first = j;
				break;
			}
		o += (size_t)snprintf(out + o, size - o, "%s%zu", i ? "," : "", first);
	}
}

static struct archive_store *fresh_store(const char *dir)
{
	struct archive_store *store = NULL;

	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	return store;
}

int main(void)
{
	char dir[64] = "/tmp/vigil-stories-XXXXXX", sub[128], groups[128], groups2[128];
	struct archive_store *store;
	struct archive_material_detail d = { 0 };
	struct archive_query q = { 0 };
	struct archive_results r = { 0 };
	int64_t ids[ITEM_COUNT];

	if (!mkdtemp(dir))
		return 1;
	snprintf(sub, sizeof(sub), "%s/a", dir);
	store = fresh_store(sub);
	for (size_t i = 0; i < ITEM_COUNT; i++)
		ids[i] = record(store, &items[i], NULL);

	/* Copies join the first one's story; the story id is its id. */
	CHECK(story_of(store, items[0].url) == ids[0]);
	CHECK(story_of(store, items[1].url) == ids[0]);
	CHECK(story_of(store, items[3].url) == ids[0]);
	/* The other report of the same trial, another story, no words: apart. */
	CHECK(story_of(store, items[2].url) == ids[2]);
	CHECK(story_of(store, items[4].url) == ids[4]);
	CHECK(story_of(store, items[5].url) == ids[5]);
	grouping(store, groups, sizeof(groups));
	CHECK_STR(groups, "0,0,2,0,4,5");

	/* show: every copy, earliest first (published, else first seen). */
	CHECK_OK(archive_material_get(store, items[3].url, 0, &d, &err));
	CHECK(d.copy_count == 3);
	if (d.copy_count == 3) {
		CHECK_STR(d.copies[0].url, items[0].url);
		CHECK_STR(d.copies[0].source, "outlet-1");
		CHECK_STR(d.copies[0].published, "2024-05-14T10:00:00+05:00");
		CHECK(d.copies[0].date == 1715662800);
		CHECK_STR(d.copies[1].url, items[1].url);
		CHECK_STR(d.copies[1].source, "outlet-2");
		CHECK_STR(d.copies[2].url, items[3].url);
		CHECK(d.copies[2].published == NULL && d.copies[2].date == items[3].fetched_at);
	}
	archive_material_detail_release(&d);
	CHECK_OK(archive_material_get(store, items[2].url, 0, &d, &err));
	CHECK(d.copy_count == 1 && d.copies[0].id == ids[2]);
	archive_material_detail_release(&d);

	/* search --story: one row per story, the earliest copy, counts of
	 * copies and outlets; plain search has every material. */
	q.text = "Ержанов";
	CHECK_OK(archive_search(store, &q, &r, &err));
	CHECK(r.count == 4);
	CHECK(r.items[0].story_copies == 0);
	archive_results_release(&r);
	q.by_story = 1;
	CHECK_OK(archive_search(store, &q, &r, &err));
	CHECK(r.count == 2);
	for (size_t i = 0; i < r.count; i++) {
		if (r.items[i].id == ids[0]) {
			CHECK(r.items[i].story_copies == 3);
			CHECK(r.items[i].story_outlets == 2);
			CHECK(r.items[i].story_id == ids[0]);
		} else {
			CHECK(r.items[i].id == ids[2]);
			CHECK(r.items[i].story_copies == 1 && r.items[i].story_outlets == 1);
		}
	}
	archive_results_release(&r);
	/* Filters apply to the copies: only outlet-2's copy of the story. */
	q.source = "outlet-2";
	CHECK_OK(archive_search(store, &q, &r, &err));
	CHECK(r.count == 1 && r.items[0].id == ids[1] && r.items[0].story_copies == 1);
	archive_results_release(&r);
	q.source = NULL;
	q.text = NULL;
	q.limit = 2;
	CHECK_OK(archive_search(store, &q, &r, &err));
	CHECK(r.count == 2); /* the limit counts stories */
	archive_results_release(&r);

	/* An edited version keeps its story, and a later copy of the edited
	 * text (its new last paragraphs) is found through the new bands. */
	{
		char *text = fixture("det_a_1.txt"), *edited, *copy;
		const char *added = "\n\nВечером в воскресенье Даурена Сапарова перевели в изолятор"
				    " временного содержания на улице Сейфуллина, где он объявил голодовку в знак"
				    " протеста против ареста. Его супруга передала ему тёплые вещи и лекарства,"
				    " но встретиться с ним ей не позволили. Адвокат подал жалобу в городской суд.";
		struct item edit = items[4], later = { "https://one.kz/hunger", "outlet-1", NULL,
							"2024-09-16", 1726500000 };
		size_t len = strlen(text) + strlen(added) + 1;

		edited = malloc(len);
		snprintf(edited, len, "%s%s", text, added);
		edit.fetched_at += 1000;
		CHECK(record(store, &edit, edited) == ids[4]);
		CHECK(story_of(store, items[4].url) == ids[4]);
		/* Another outlet republishes the edited text with its first
		 * paragraph cut. */
		copy = strdup(strstr(edited, "\n\n") + 2);
		record(store, &later, copy);
		CHECK(story_of(store, later.url) == ids[4]);
		free(text);
		free(edited);
		free(copy);
	}
	archive_store_close(&store);

	/* Recorded in the opposite order: the same grouping. */
	snprintf(sub, sizeof(sub), "%s/b", dir);
	store = fresh_store(sub);
	for (size_t i = ITEM_COUNT; i-- > 0;)
		record(store, &items[i], NULL);
	grouping(store, groups2, sizeof(groups2));
	CHECK_STR(groups2, groups);
	archive_store_close(&store);

	/* An index of schema 5 gets story ids (each material its own) and
	 * the band table. */
	{
		sqlite3 *db;
		sqlite3_stmt *st;
		char path[160];

		snprintf(path, sizeof(path), "%s/index.sqlite", sub);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, VIGIL_UNDO_SCHEMA_7 "DROP TABLE story_bands; DROP INDEX materials_by_story;"
				   "ALTER TABLE materials DROP COLUMN story_id; PRAGMA user_version = 5",
				   NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
		CHECK_OK(archive_store_open(sub, &store, &err));
		for (size_t i = 0; i < ITEM_COUNT; i++) {
			CHECK_OK(archive_material_get(store, items[i].url, 0, &d, &err));
			CHECK(d.material.story_id == d.material.id && d.copy_count == 1);
			archive_material_detail_release(&d);
		}
		archive_store_close(&store);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_prepare_v2(db, "SELECT count(*) FROM story_bands", -1, &st, NULL) == SQLITE_OK);
		CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
