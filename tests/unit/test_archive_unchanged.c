/* test_archive_unchanged.c: archive_material_touch_unchanged, the index's
 * half of "an unchanged page is not processed again": only an answer that
 * repeats the payload of a live material's latest version, read at the
 * material's own URL, counts as unchanged, and then only last_seen moves. */
#include "check.h"
#include "../../archive/archive.h"

#include <ftw.h>
#include <unistd.h>

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static struct archive_store *store;
static struct vigil_error err;
static int64_t source_id;

/* A capture of url with payload digest, and a version of url from it. */
static void version_from(const char *url, const char *digest, int64_t when, const char *text,
			 const char *final_url, enum archive_change expected)
{
	struct archive_capture cap = { 0 };
	struct archive_version_input in = { 0 };
	enum archive_change change = 99;
	int64_t id = 0;

	cap.source_id = source_id;
	cap.url = (char *)url; /* borrowed for the call */
	cap.fetched_at = when;
	cap.status = 200;
	cap.content_type = "text/html";
	cap.payload_digest = (char *)digest;
	cap.warc_path = "warc/s/x.warc.zst";
	cap.warc_offset = 0;
	cap.warc_length = 100;
	CHECK_OK(archive_capture_add(store, &cap, &err));
	in.source_id = source_id;
	in.url = url;
	in.title = "Заголовок";
	in.text = text;
	in.lang = "ru";
	in.fetched_at = when;
	in.capture_id = cap.id;
	in.final_url = final_url;
	CHECK_OK(archive_material_record(store, &in, &change, &id, &err));
	CHECK(change == expected);
}

static int64_t last_seen(const char *url)
{
	struct archive_material_detail d = { 0 };
	int64_t seen;

	CHECK_OK(archive_material_get(store, url, 0, &d, &err));
	seen = d.material.last_seen;
	archive_material_detail_release(&d);
	return seen;
}

static int touch(const char *url, const char *digest, int64_t when)
{
	int unchanged = -1;

	CHECK_OK(archive_material_touch_unchanged(store, url, digest, when, &unchanged, &err));
	return unchanged;
}

int main(void)
{
	char dir[64];
	int64_t t0 = 1714521600;
	int marked = 0;

	snprintf(dir, sizeof(dir), "/tmp/vigil-unchanged-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	if (!store)
		return 1;
	CHECK_OK(archive_source_sync(store, "s", "https://s.kz/", "site", &source_id, &err));

	version_from("https://s.kz/a", "sha1:AAAA", t0, "первый текст", NULL, ARCHIVE_NEW);
	/* the same payload again: unchanged, last_seen moves, never back */
	CHECK(touch("https://s.kz/a", "sha1:AAAA", t0 + 100) == 1);
	CHECK(last_seen("https://s.kz/a") == t0 + 100);
	CHECK(touch("https://s.kz/a", "sha1:AAAA", t0 + 50) == 1);
	CHECK(last_seen("https://s.kz/a") == t0 + 100);
	/* another payload, or a URL that is no material: nothing written */
	CHECK(touch("https://s.kz/a", "sha1:BBBB", t0 + 200) == 0);
	CHECK(last_seen("https://s.kz/a") == t0 + 100);
	CHECK(touch("https://s.kz/nothing", "sha1:AAAA", t0 + 200) == 0);

	/* only the latest version counts: after an edit, the old payload is
	 * a change back, not an unchanged answer */
	version_from("https://s.kz/a", "sha1:CCCC", t0 + 300, "второй текст", NULL,
		     ARCHIVE_CHANGED);
	CHECK(touch("https://s.kz/a", "sha1:AAAA", t0 + 400) == 0);
	CHECK(touch("https://s.kz/a", "sha1:CCCC", t0 + 400) == 1);

	/* a moved article was last read elsewhere: judged in full */
	version_from("https://s.kz/b", "sha1:DDDD", t0, "текст b", NULL, ARCHIVE_NEW);
	version_from("https://s.kz/b", "sha1:DDDD", t0 + 10, "текст b", "https://s.kz/new-b",
		     ARCHIVE_CHANGED);
	CHECK(touch("https://s.kz/b", "sha1:DDDD", t0 + 20) == 0);

	/* a deleted material coming back is a restoration, not unchanged */
	CHECK_OK(archive_material_mark_deleted(store, "https://s.kz/a", t0 + 500, "404", 0, NULL,
					       &marked, &err));
	CHECK(marked == 1);
	CHECK(touch("https://s.kz/a", "sha1:CCCC", t0 + 600) == 0);
	CHECK(last_seen("https://s.kz/a") == t0 + 400);

	archive_store_close(&store);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	CHECK_DONE();
}
