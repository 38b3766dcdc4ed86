/* test_archive_channel.c: what the index keeps of a channel post beyond a
 * page (channel_posts, schema v5): key, views updated in place, the
 * "edited" mark as content, lookup by key, the key in search results. */
#include "check.h"
#include "../../archive/archive.h"

#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

int main(void)
{
	char dir[] = "/tmp/vigil-archive-channel-XXXXXX";
	struct archive_store *store = NULL;
	struct vigil_error err = { 0 };
	struct archive_channel_post facts = { .key = "kzwatch/26", .channel = "Хроника",
					      .views = 2400, .forwarded_from = "Другой канал",
					      .forwarded_url = "https://t.me/other/1",
					      .links = "https://a.kz/1\nhttps://b.kz/2",
					      .album = "26 27" };
	struct archive_version_input in = { 0 };
	struct archive_material_detail d = { 0 };
	struct archive_results res = { 0 };
	struct archive_query q = { 0 };
	enum archive_change change;
	int64_t source_id = 0, id = 0, article_id = 0;

	CHECK(mkdtemp(dir) != NULL);
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	if (!store) {
		fprintf(stderr, "%s\n", err.message);
		CHECK_DONE();
	}
	CHECK_OK(archive_source_sync(store, "tg", "https://t.me/s/kzwatch", "channel", &source_id,
				     &err));
	in.source_id = source_id;
	in.url = "https://t.me/kzwatch/26";
	in.title = "Тараз. Правозащитник сообщил о давлении.";
	in.text = "Тараз. Правозащитник сообщил о давлении.";
	in.fetched_at = 1000;
	in.channel = &facts;
	CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
	CHECK(change == ARCHIVE_NEW);

	/* More views, nothing else: no new version, the count moves. */
	facts.views = 2600;
	in.fetched_at = 2000;
	CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
	CHECK(change == ARCHIVE_UNCHANGED);
	/* No count shown this time: the last one stays. */
	facts.views = -1;
	CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
	CHECK(change == ARCHIVE_UNCHANGED);
	CHECK_OK(archive_material_get(store, "https://t.me/kzwatch/26", 0, &d, &err));
	CHECK(d.material.versions == 1 && d.channel.views == 2600 && d.channel.edited == 0);
	CHECK_STR(d.channel.key, "kzwatch/26");
	CHECK_STR(d.material.post_key, "kzwatch/26");
	CHECK_STR(d.channel.channel, "Хроника");
	CHECK_STR(d.channel.forwarded_from, "Другой канал");
	CHECK_STR(d.channel.forwarded_url, "https://t.me/other/1");
	CHECK_STR(d.channel.links, "https://a.kz/1\nhttps://b.kz/2");
	CHECK_STR(d.channel.album, "26 27");
	archive_material_detail_release(&d);

	/* The same text with Telegram's "edited" mark is a new version. */
	facts.edited = 1;
	facts.album = NULL;
	in.fetched_at = 3000;
	CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
	CHECK(change == ARCHIVE_CHANGED);
	CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
	CHECK(change == ARCHIVE_UNCHANGED);

	/* The key finds the post as its URL does; an article has no key. */
	CHECK_OK(archive_material_get(store, "kzwatch/26", 0, &d, &err));
	CHECK(d.material.id == id && d.material.versions == 2 && d.channel.edited == 1);
	CHECK(d.channel.album == NULL);
	archive_material_detail_release(&d);
	CHECK(archive_material_get(store, "kzwatch/99", 0, &d, &err) == VIGIL_ERR_NOT_FOUND);
	archive_material_detail_release(&d);
	in = (struct archive_version_input){ .source_id = source_id, .url = "https://a.kz/news/1",
					     .title = "Статья", .text = "Текст статьи",
					     .fetched_at = 1000 };
	CHECK_OK(archive_material_record(store, &in, &change, &article_id, &err));
	CHECK_OK(archive_material_get(store, "https://a.kz/news/1", 0, &d, &err));
	CHECK(d.channel.key == NULL && d.material.post_key == NULL);
	archive_material_detail_release(&d);
	q.source = "tg";
	CHECK_OK(archive_search(store, &q, &res, &err));
	CHECK(res.count == 2);
	for (size_t i = 0; i < res.count; i++) {
		if (res.items[i].id == id)
			CHECK_STR(res.items[i].post_key, "kzwatch/26");
		else
			CHECK(res.items[i].post_key == NULL);
	}
	archive_results_release(&res);

	archive_store_close(&store);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
