/*
 * store_sqlite_scan.c: read-only walks over the SQLite index for
 * `vigil archive verify`. Kept apart from store_sqlite.c because verify must
 * never write, migrate or create anything: the file is opened with
 * mode=ro and no pragma that changes it, so a damaged or foreign index
 * stays exactly as it was found (it is evidence).
 */
#include "archive_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAPTURE_COLUMNS \
	"SELECT id, source_id, url, fetched_at, status, content_type, etag, last_modified," \
	" payload_digest, warc_path, warc_offset, warc_length, payload_capture_id" \
	" FROM captures ORDER BY id"

/* Borrowed column text: valid until the next step of the statement. */
static char *column_text(sqlite3_stmt *st, int column)
{
	return sqlite3_column_type(st, column) == SQLITE_NULL
		       ? NULL
		       : (char *)sqlite3_column_text(st, column);
}

/* Open path read-only without creating anything (see the top). */
static enum vigil_code open_read_only(const char *path, sqlite3 **db, struct vigil_error *err)
{
	char uri[4200], wal[4200];
	size_t o = (size_t)snprintf(uri, sizeof(uri), "file:");
	int rc;

	*db = NULL;
	/* A URI so that mode=ro is certain; the path is escaped where it could
	 * be read as URI syntax. */
	for (const char *p = path; *p && o + 4 < sizeof(uri); p++) {
		if (*p == '?' || *p == '#' || *p == '%')
			o += (size_t)snprintf(uri + o, sizeof(uri) - o, "%%%02X", (unsigned char)*p);
		else
			uri[o++] = *p;
	}
	uri[o] = '\0';
	if (o + 32 >= sizeof(uri))
		return vigil_error_set(err, VIGIL_ERR_USAGE, "index path %s is too long", path);
	/* Without a -wal file no connection has the index open in WAL mode and
	 * every change is in the main file; mode=ro would still create -wal
	 * and -shm, so the file is declared immutable instead. With a -wal
	 * file, mode=ro reads through it and creates nothing. */
	snprintf(wal, sizeof(wal), "%s-wal", path);
	strcat(uri, access(wal, F_OK) == 0 ? "?mode=ro" : "?mode=ro&immutable=1");
	rc = sqlite3_open_v2(uri, db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		enum vigil_code code = vigil_error_set(err, VIGIL_ERR_DATABASE,
						       "cannot open index %s read-only: %s", path,
						       *db ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));

		sqlite3_close(*db);
		*db = NULL;
		return code;
	}
	sqlite3_busy_timeout(*db, 5000);
	return VIGIL_OK;
}

enum vigil_code archive_sqlite_scan_captures(const char *path, archive_capture_visit_fn visit,
					     void *context, struct vigil_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	enum vigil_code code;
	int rc;

	if (!path || !visit)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "scanning captures: no index or callback");
	code = open_read_only(path, &db, err);
	if (code)
		return code;
	if (sqlite3_prepare_v2(db, CAPTURE_COLUMNS, -1, &st, NULL) != SQLITE_OK) {
		code = vigil_error_set(err, VIGIL_ERR_DATABASE, "index %s: reading captures: %s",
				       path, sqlite3_errmsg(db));
		goto done;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_capture capture = {
			.id = sqlite3_column_int64(st, 0),
			.source_id = sqlite3_column_int64(st, 1),
			.url = column_text(st, 2),
			.fetched_at = sqlite3_column_int64(st, 3),
			.status = sqlite3_column_int(st, 4),
			.content_type = column_text(st, 5),
			.etag = column_text(st, 6),
			.last_modified = column_text(st, 7),
			.payload_digest = column_text(st, 8),
			.warc_path = column_text(st, 9),
			.warc_offset = (uint64_t)sqlite3_column_int64(st, 10),
			.warc_length = (uint64_t)sqlite3_column_int64(st, 11),
			.payload_capture_id = sqlite3_column_int64(st, 12),
		};

		if (visit(&capture, context))
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		code = vigil_error_set(err, VIGIL_ERR_DATABASE, "index %s: reading captures: %s",
				       path, sqlite3_errmsg(db));
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return code;
}

enum vigil_code archive_store_check(const char *index_path, struct vigil_error *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	enum vigil_code code;
	struct stat info;
	int version = -1;
	const char *verdict = NULL;

	if (!index_path || stat(index_path, &info) != 0)
		return vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s does not exist",
				       index_path ? index_path : "(null)");
	if (info.st_size == 0)
		return vigil_error_set(err, VIGIL_ERR_DATABASE, "index %s is empty (0 bytes)",
				       index_path);
	code = open_read_only(index_path, &db, err);
	if (code)
		return code;
	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		verdict = (const char *)sqlite3_column_text(st, 0);
	if (!verdict || strcmp(verdict, "ok") != 0) {
		code = vigil_error_set(err, VIGIL_ERR_DATABASE, "index %s is damaged: %.200s",
				       index_path, verdict ? verdict : sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	if (version < 1)
		code = vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "index %s is not a vigil index (no schema version)", index_path);
done:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return code;
}
