/* test_archive_search_plans.c: the two ways archive_search finds a page of
 * newest materials (walking materials_by_date when the words match many,
 * driven by the matches otherwise; store_sqlite.c choose_plan) give the
 * same results, with and without filters that reject most of the walk. */
#include "check.h"
#include "../../archive/archive.h"

#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

#define MATERIALS 1200 /* over the plan's smallest bound, 1000 matches */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

/* The ids of a search, "1,2,3". */
static char *ids(struct archive_store *store, const struct archive_query *q)
{
	struct archive_results r = { 0 };
	struct vigil_error err = { 0 };
	struct vigil_buf out = VIGIL_BUF_INIT;

	if (archive_search(store, q, &r, &err) != VIGIL_OK)
		return strdup(err.message);
	for (size_t i = 0; i < r.count; i++)
		if (vigil_buf_printf(&out, "%s%lld", i ? "," : "", (long long)r.items[i].id))
			break;
	archive_results_release(&r);
	return vigil_buf_detach(&out);
}

/* The first n ids of a list. */
static void first_ids(char *list, int n)
{
	char *p = list;

	for (int i = 0; p && i < n; i++) {
		p = strchr(p, ',');
		if (p && i + 1 < n)
			p++;
	}
	if (p)
		*p = '\0';
}

int main(void)
{
	char dir[] = "/tmp/vigil-plans-XXXXXX";
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	int64_t source;
	int recorded = 0;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	CHECK_OK(archive_source_sync(store, "s", "https://s.kz/", "site", &source, &err));
	CHECK_OK(archive_begin(store, &err));
	for (int i = 0; i < MATERIALS; i++) {
		char url[64], text[160], published[32];
		struct archive_region region = { i % 50 == 0 ? "PAV" : "ALA", NULL, NULL };
		struct archive_version_input in = { 0 };
		enum archive_change change;
		int64_t id;

		snprintf(url, sizeof(url), "https://s.kz/%d", i);
		/* Every material says "суд"; dates out of id order. */
		snprintf(text, sizeof(text), "Суд рассмотрел дело номер %d.", i);
		snprintf(published, sizeof(published), "2024-%02d-%02dT10:00:00Z", 1 + (i * 7) % 12,
			 1 + (i * 13) % 28);
		in.source_id = source;
		in.url = url;
		in.title = "Заседание";
		in.text = text;
		in.published = published;
		in.fetched_at = 1700000000 + i;
		in.regions = &region;
		in.region_count = 1;
		recorded += archive_material_record(store, &in, &change, &id, &err) == VIGIL_OK;
	}
	CHECK(recorded == MATERIALS);
	CHECK_OK(archive_commit(store, &err));
	{
		/* A page of 10 walks the dates (1,200 matches, over the bound of 1,000);
		 * a limit past every match sorts them all. */
		struct archive_query q = { 0 };
		char *page, *all;

		q.text = "суды";
		q.limit = 10;
		page = ids(store, &q);
		q.limit = MATERIALS;
		all = ids(store, &q);
		first_ids(all, 10);
		CHECK_STR(page, all);
		free(page);
		free(all);
		/* A filter that rejects 49 of 50: the walk does not fill the
		 * page and the matches drive instead; same answer. */
		q.region = "PAV";
		q.limit = 40;
		page = ids(store, &q);
		q.limit = MATERIALS;
		all = ids(store, &q);
		first_ids(all, 40);
		CHECK_STR(page, all);
		free(page);
		free(all);
		/* Paging through the walk. */
		q.region = NULL;
		q.limit = 5;
		q.offset = 5;
		page = ids(store, &q);
		q.limit = MATERIALS;
		q.offset = 0;
		all = ids(store, &q);
		first_ids(all, 10);
		CHECK(strlen(all) > strlen(page) && !strcmp(all + strlen(all) - strlen(page), page));
		free(page);
		free(all);
	}
	archive_store_close(&store);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
