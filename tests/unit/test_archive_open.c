/* test_archive_open.c: how the index is opened (archive_store_open_mode):
 * only CREATE makes an index; an empty, foreign, non-SQLite or damaged file
 * is VIGIL_ERR_CORRUPT for every mode and stays byte for byte as it was;
 * READ never writes; nothing opens over a bad file. */
#include "check.h"
#include "../../archive/archive.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];
static struct vigil_error err;

/* A fresh data directory root/NAME with index.sqlite holding bytes (NULL:
 * no index file). Returns the directory. */
static const char *data_dir_with(const char *name, const void *bytes, size_t len)
{
	static char dir[128];
	char path[160];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/%s", root, name);
	mkdir(dir, 0755);
	if (bytes) {
		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		f = fopen(path, "wb");
		if (f) {
			fwrite(bytes, 1, len, f);
			fclose(f);
		}
	}
	return dir;
}

/* Whole content of DIR/NAME, malloc'd, or NULL when missing. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[200];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	*len = fread(data, 1, (size_t)n, f);
	fclose(f);
	return data;
}

static int exists(const char *dir, const char *name)
{
	char path[200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

/* Every mode refuses dir's index with VIGIL_ERR_CORRUPT and a
 * message containing what; the file is unchanged afterwards. */
static void check_refused(const char *dir, const char *what)
{
	static const int modes[] = { ARCHIVE_OPEN_READ, ARCHIVE_OPEN_WRITE, ARCHIVE_OPEN_CREATE };
	size_t before_len = 0, after_len = 0;
	char *before = slurp(dir, "index.sqlite", &before_len);

	for (size_t i = 0; i < 3; i++) {
		struct archive_store *store = NULL;
		char *after;

		CHECK(archive_store_open_mode(dir, modes[i], &store, &err) == VIGIL_ERR_CORRUPT);
		CHECK(store == NULL);
		CHECK_CONTAINS(err.message, what);
		CHECK_CONTAINS(err.message, "index.sqlite");
		after = slurp(dir, "index.sqlite", &after_len);
		CHECK(before && after && before_len == after_len &&
		      memcmp(before, after, before_len) == 0);
		free(after);
	}
	CHECK(archive_data_init(dir, &err) == VIGIL_ERR_CORRUPT);
	{
		char *after = slurp(dir, "index.sqlite", &after_len);

		CHECK(before && after && before_len == after_len &&
		      memcmp(before, after, before_len) == 0);
		free(after);
	}
	free(before);
}

int main(void)
{
	struct archive_store *store = NULL;
	unsigned char noise[8192];
	const char *dir;
	int64_t id = 0;

	snprintf(root, sizeof(root), "/tmp/vigil-open-XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	srand(7);
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (unsigned char)rand();

	/* Missing: NOT_FOUND unless creating; reading creates nothing. */
	dir = data_dir_with("missing", NULL, 0);
	CHECK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ, &store, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(archive_store_open_mode(dir, ARCHIVE_OPEN_WRITE, &store, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK(archive_store_open(dir, &store, &err) == VIGIL_ERR_NOT_FOUND);
	CHECK_CONTAINS(err.message, "does not exist");
	CHECK(!exists(dir, "index.sqlite"));
	CHECK_OK(archive_store_open_mode(dir, ARCHIVE_OPEN_CREATE, &store, &err));
	archive_store_close(&store);
	CHECK(exists(dir, "index.sqlite"));

	/* A read-only handle cannot write, and leaves the file as it was. */
	dir = data_dir_with("valid", NULL, 0);
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	CHECK_OK(archive_source_sync(store, "kept", "http://k.example/", "site", &id, &err));
	archive_store_close(&store);
	{
		size_t a_len = 0, b_len = 0;
		char *a = slurp(dir, "index.sqlite", &a_len), *b;
		struct archive_source_list list = { 0 };

		CHECK_OK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ, &store, &err));
		CHECK(archive_source_sync(store, "new", "http://n.example/", "site", &id, &err) ==
		      VIGIL_ERR_DATABASE);
		CHECK_OK(archive_source_list(store, &list, &err));
		CHECK(list.count == 1);
		archive_source_list_release(&list);
		archive_store_close(&store);
		b = slurp(dir, "index.sqlite", &b_len);
		CHECK(a && b && a_len == b_len && memcmp(a, b, a_len) == 0);
		free(a);
		free(b);
	}
	/* 0 bytes: SQLite would take it for a new database. */
	dir = data_dir_with("empty", "", 0);
	check_refused(dir, "is empty (0 bytes)");

	/* Random bytes. */
	dir = data_dir_with("noise", noise, sizeof(noise));
	check_refused(dir, "not a SQLite database");

	/* Some other SQLite database. */
	dir = data_dir_with("foreign", NULL, 0);
	{
		sqlite3 *db;
		char path[200];

		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, "CREATE TABLE notes (x); INSERT INTO notes VALUES (1)", NULL,
				   NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
	}
	check_refused(dir, "without vigil's schema");

	/* vigil's user_version but a table missing. */
	dir = data_dir_with("partial", NULL, 0);
	CHECK_OK(archive_data_init(dir, &err));
	{
		sqlite3 *db;
		char path[200];

		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, "DROP TABLE hosts", NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
	}
	check_refused(dir, "no table 'hosts'");

	/* A damaged page: the header is fine, quick_check is not. */
	dir = data_dir_with("damaged", NULL, 0);
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open(dir, &store, &err));
	for (int i = 0; i < 300; i++) {
		char name[32];

		snprintf(name, sizeof(name), "source-%03d", i);
		CHECK_OK(archive_source_sync(store, name, "http://x.example/", "site", &id, &err));
	}
	archive_store_close(&store);
	{
		char path[200];
		size_t len = 0;
		char *data = slurp(dir, "index.sqlite", &len);
		FILE *f;

		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		/* Scribble over every page but the first (the schema), keeping
		 * each page's first bytes so the file still looks like SQLite. */
		for (size_t page = 4096; data && page + 4096 <= len; page += 4096)
			memset(data + page + 200, 0xA5, 3000);
		f = fopen(path, "wb");
		if (f && data) {
			fwrite(data, 1, len, f);
			fclose(f);
		}
		free(data);
	}
	check_refused(dir, "index");
	CHECK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ, &store, &err) == VIGIL_ERR_CORRUPT);
	fprintf(stderr, "damaged page: %s\n", err.message);
	/* search's light check (first row of every table) sees it too. */
	CHECK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ | ARCHIVE_OPEN_LIGHT_CHECK, &store, &err) ==
	      VIGIL_ERR_CORRUPT);
	CHECK(store == NULL);

	/* An empty SQLite database (init interrupted before its schema): a new
	 * index for CREATE, not an index for anything else. */
	dir = data_dir_with("bare", NULL, 0);
	{
		sqlite3 *db;
		char path[200];

		snprintf(path, sizeof(path), "%s/index.sqlite", dir);
		CHECK(sqlite3_open(path, &db) == SQLITE_OK);
		CHECK(sqlite3_exec(db, "PRAGMA journal_mode = WAL; CREATE TABLE t (x); DROP TABLE t",
				   NULL, NULL, NULL) == SQLITE_OK);
		sqlite3_close(db);
	}
	CHECK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ, &store, &err) == VIGIL_ERR_CORRUPT);
	CHECK(archive_store_open(dir, &store, &err) == VIGIL_ERR_CORRUPT);
	CHECK_OK(archive_data_init(dir, &err));
	CHECK_OK(archive_store_open_mode(dir, ARCHIVE_OPEN_READ, &store, &err));
	archive_store_close(&store);

	if (!check_failed) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", root);
	}
	CHECK_DONE();
}
