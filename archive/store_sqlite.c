/*
 * store_sqlite.c: the SQLite backend of the index (the schema is described
 * in archive/README.md and created by migrations[] below).
 *
 * One connection per handle, WAL journal so readers (search, show) do not
 * wait for a crawl, synchronous=NORMAL (a power cut may lose the last
 * transactions, never corrupt the file), foreign keys on, 5 s busy timeout.
 * Read-only handles (ARCHIVE_OPEN_READ) set nothing that writes and run
 * with query_only. How a file is judged to be an index: archive_sqlite_open.
 * Statements are prepared on first use and kept for the handle's life.
 * Every operation that writes more than one row runs inside a SAVEPOINT, so
 * it is atomic on its own and nests inside an archive_begin() transaction.
 */
#include "archive_int.h"

#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SCHEMA_VERSION 7
#define SEARCH_DEFAULT_LIMIT 100
#define READ_MMAP_BYTES 4294967296 /* read-only handles map up to 4 GiB of the index */
#define SEARCH_MAX_LIMIT 1000000
#define SNIPPET_BEFORE 60   /* code points of context before the match */
#define SNIPPET_CHARS 160   /* code points in a snippet */
#define QUERY_MAX_WORDS 32
/* Materials compared exactly per new material, the most shared bands first. */
#define STORY_CANDIDATES_MAX 50
#define SQL_NUMBER_(n) #n
#define SQL_NUMBER(n) SQL_NUMBER_(n)

/* migrations[v] takes the schema from version v to v + 1. */
static const char *const migrations[SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE sources ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" url TEXT,"
	" kind TEXT,"
	" last_crawl_start INTEGER NOT NULL DEFAULT 0,"
	" last_crawl_end INTEGER NOT NULL DEFAULT 0,"
	" last_status TEXT,"
	" last_errors INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE frontier ("
	" id INTEGER PRIMARY KEY,"
	" source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,"
	" url TEXT NOT NULL,"
	" depth INTEGER NOT NULL DEFAULT 0,"
	" kind INTEGER NOT NULL DEFAULT 0,"
	" state INTEGER NOT NULL DEFAULT 0,"
	" added_at INTEGER NOT NULL,"
	" UNIQUE (source_id, url));"
	"CREATE INDEX frontier_by_state ON frontier(source_id, state, id);"
	"CREATE TABLE hosts ("
	" origin TEXT PRIMARY KEY,"
	" robots TEXT,"
	" robots_status INTEGER NOT NULL DEFAULT 0,"
	" robots_fetched_at INTEGER NOT NULL DEFAULT 0,"
	" last_fetch_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE captures ("
	" id INTEGER PRIMARY KEY,"
	" source_id INTEGER REFERENCES sources(id),"
	" url TEXT NOT NULL,"
	" fetched_at INTEGER NOT NULL,"
	" status INTEGER NOT NULL,"
	" content_type TEXT,"
	" etag TEXT,"
	" last_modified TEXT,"
	" payload_digest TEXT,"
	" warc_path TEXT,"
	" warc_offset INTEGER NOT NULL DEFAULT 0,"
	" warc_length INTEGER NOT NULL DEFAULT 0,"
	" payload_capture_id INTEGER REFERENCES captures(id));"
	"CREATE INDEX captures_by_url ON captures(url, fetched_at);"
	"CREATE INDEX captures_by_source ON captures(source_id);"
	"CREATE INDEX captures_by_digest ON captures(payload_digest);"
	"CREATE TABLE materials ("
	" id INTEGER PRIMARY KEY,"
	" url TEXT NOT NULL UNIQUE,"
	" source_id INTEGER REFERENCES sources(id),"
	" first_seen INTEGER NOT NULL,"
	" last_seen INTEGER NOT NULL,"
	" deleted INTEGER NOT NULL DEFAULT 0,"
	" deleted_at INTEGER NOT NULL DEFAULT 0,"
	" latest_version_id INTEGER REFERENCES versions(id));"
	"CREATE INDEX materials_by_source ON materials(source_id, deleted);"
	"CREATE TABLE versions ("
	" id INTEGER PRIMARY KEY,"
	" material_id INTEGER NOT NULL REFERENCES materials(id) ON DELETE CASCADE,"
	" number INTEGER NOT NULL,"
	" fetched_at INTEGER NOT NULL,"
	" capture_id INTEGER REFERENCES captures(id),"
	" canonical_url TEXT,"
	" title TEXT,"
	" author TEXT,"
	" published TEXT,"
	" published_at INTEGER,"
	" lang TEXT,"
	" text TEXT,"
	" text_digest TEXT NOT NULL,"
	" relevant INTEGER NOT NULL DEFAULT 0,"
	" tone INTEGER NOT NULL DEFAULT 0,"
	" tone_score INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (material_id, number));"
	"CREATE TABLE version_labels ("
	" version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL CHECK (kind IN ('category', 'threat')),"
	" label TEXT NOT NULL,"
	" label_lower TEXT NOT NULL,"
	" PRIMARY KEY (version_id, kind, label));"
	"CREATE INDEX version_labels_by_label ON version_labels(kind, label_lower);"
	"CREATE TABLE version_regions ("
	" version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
	" rank INTEGER NOT NULL,"
	" region_id TEXT NOT NULL,"
	" label TEXT,"
	" macro TEXT,"
	" id_lower TEXT NOT NULL,"
	" label_lower TEXT,"
	" macro_lower TEXT,"
	" PRIMARY KEY (version_id, rank));"
	"CREATE TABLE hits ("
	" id INTEGER PRIMARY KEY,"
	" version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL,"
	" rule_id TEXT,"
	" label TEXT,"
	" matched TEXT,"
	" match_offset INTEGER NOT NULL DEFAULT 0,"
	" weight INTEGER NOT NULL DEFAULT 0,"
	" rule_where TEXT);"
	"CREATE INDEX hits_by_version ON hits(version_id);"
	"CREATE VIRTUAL TABLE material_fts USING fts5(title, text,"
	" tokenize = 'unicode61 remove_diacritics 0');",
	/* 1 -> 2: captures whose body was cut at max_body (WARC-Truncated). */
	"ALTER TABLE captures ADD COLUMN truncated INTEGER NOT NULL DEFAULT 0;",
	/* 2 -> 3: how and when materials were deleted and restored, minor
	 * edits, moved articles, and each host's "not found" page. */
	"ALTER TABLE versions ADD COLUMN minor INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE versions ADD COLUMN final_url TEXT;"
	"ALTER TABLE hosts ADD COLUMN notfound_status INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE hosts ADD COLUMN notfound_digest TEXT;"
	"ALTER TABLE hosts ADD COLUMN notfound_text TEXT;"
	"ALTER TABLE hosts ADD COLUMN notfound_at INTEGER NOT NULL DEFAULT 0;"
	"CREATE TABLE material_events ("
	" id INTEGER PRIMARY KEY,"
	" material_id INTEGER NOT NULL REFERENCES materials(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL CHECK (kind IN ('deleted', 'restored')),"
	" at INTEGER NOT NULL,"
	" how TEXT,"
	" capture_id INTEGER REFERENCES captures(id),"
	" detail TEXT);"
	"CREATE INDEX material_events_by_material ON material_events(material_id, kind, at);"
	"CREATE INDEX versions_by_final_url ON versions(final_url) WHERE final_url IS NOT NULL;",
	/* 3 -> 4: the recheck schedule of materials (next_check_at NULL: no
	 * more rechecks; 0: due; a material of an older index is due at once
	 * and its steps count from its latest version) and per-host back-off. */
	"ALTER TABLE materials ADD COLUMN check_from INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE materials ADD COLUMN check_step INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE materials ADD COLUMN next_check_at INTEGER DEFAULT 0;"
	"UPDATE materials SET check_from = coalesce((SELECT v.fetched_at FROM versions v"
	" WHERE v.id = materials.latest_version_id), first_seen);"
	"CREATE INDEX materials_due ON materials(source_id, deleted, next_check_at);"
	"ALTER TABLE hosts ADD COLUMN backoff_until INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE hosts ADD COLUMN error_streak INTEGER NOT NULL DEFAULT 0;",
	/* 4 -> 5: what a channel post has beyond a page. */
	"CREATE TABLE IF NOT EXISTS channel_posts ("
	" material_id INTEGER PRIMARY KEY REFERENCES materials(id) ON DELETE CASCADE,"
	" post_key TEXT NOT NULL,"
	" channel TEXT,"
	" views INTEGER,"
	" edited INTEGER NOT NULL DEFAULT 0,"
	" forwarded_from TEXT,"
	" forwarded_url TEXT,"
	" links TEXT,"
	" album TEXT);"
	"CREATE INDEX IF NOT EXISTS channel_posts_by_key ON channel_posts(post_key);",
	/* 5 -> 6: stories, the syndicated copies of one text (README "Stories").
	 * Materials indexed before have no bands, so later copies cannot find
	 * them; each is its own story until a reindex. */
	"ALTER TABLE materials ADD COLUMN story_id INTEGER;"
	"UPDATE materials SET story_id = id;"
	"CREATE INDEX materials_by_story ON materials(story_id);"
	"CREATE TABLE story_bands ("
	" band_key INTEGER NOT NULL,"
	" material_id INTEGER NOT NULL REFERENCES materials(id),"
	" PRIMARY KEY (band_key, material_id)) WITHOUT ROWID;",
	/* 6 -> 7: one copy of each text. material_fts becomes an
	 * external-content table over the latest version's title and text
	 * (the view material_fts_source), tokenized by the "vigil" tokenizer
	 * (fts.c: Snowball stems, hyphen parts), and rebuilt from versions.
	 * index_meta names the stemmer the index was built with. */
	"DROP TABLE material_fts;"
	/* (An index forged back to an older version by the tests may hold these.) */
	"DROP VIEW IF EXISTS material_fts_source; DROP TABLE IF EXISTS index_meta;"
	"CREATE VIEW material_fts_source AS SELECT m.id AS id, v.title AS title, v.text AS text"
	" FROM materials m JOIN versions v ON v.id = m.latest_version_id;"
	"CREATE VIRTUAL TABLE material_fts USING fts5(title, text,"
	" content = 'material_fts_source', content_rowid = 'id',"
	" tokenize = '" ARCHIVE_FTS_TOKENIZER "');"
	"INSERT INTO material_fts (material_fts) VALUES ('rebuild');"
	"CREATE TABLE index_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO index_meta (key, value) VALUES ('fts_stemmer', '" ARCHIVE_STEMMER_NAME "');"
	/* The latest version's search facets on the (narrow) material row, so
	 * search and counts never read the wide version rows (texts inline),
	 * and newest-first pages walk materials_by_date. */
	"ALTER TABLE materials ADD COLUMN sort_date INTEGER;"
	"ALTER TABLE materials ADD COLUMN tone INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE materials ADD COLUMN relevant INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE materials ADD COLUMN lang TEXT;"
	"UPDATE materials SET (sort_date, tone, relevant, lang) = (SELECT"
	" coalesce(v.published_at, materials.first_seen), v.tone, v.relevant, lower(v.lang)"
	" FROM versions v WHERE v.id = materials.latest_version_id);"
	"UPDATE materials SET sort_date = first_seen WHERE sort_date IS NULL;"
	"CREATE INDEX materials_by_date ON materials(sort_date, id);"
};

enum stmt_id {
	ST_SOURCE_UPSERT, ST_SOURCE_ID, ST_SOURCE_ONE, ST_SOURCE_ALL, ST_SOURCE_STARTED,
	ST_SOURCE_FINISHED,
	ST_FRONTIER_ADD, ST_FRONTIER_NEXT, ST_FRONTIER_FINISH, ST_FRONTIER_PENDING,
	ST_FRONTIER_CLEAR, ST_FRONTIER_REQUEUE,
	ST_HOST_GET, ST_HOST_PUT, ST_HOST_POLITENESS,
	ST_CAPTURE_ADD, ST_CAPTURE_LAST, ST_CAPTURE_GET, ST_CAPTURE_ORIGINAL,
	ST_RECHECK_GET, ST_RECHECK_SET, ST_DUE_URLS, ST_ALL_LIVE_URLS, ST_SOURCE_RECHECKS,
	ST_MATERIAL_LOOKUP, ST_MATERIAL_INSERT, ST_MATERIAL_SEEN, ST_MATERIAL_LATEST,
	ST_MATERIAL_TOUCH_UNCHANGED,
	ST_VERSION_INSERT, ST_LABEL_INSERT, ST_REGION_INSERT, ST_HIT_INSERT,
	ST_FTS_DELETE, ST_FTS_INSERT,
	ST_MARK_DELETED, ST_LIVE_URLS, ST_EVENT_INSERT, ST_EVENTS_OF, ST_HOST_NOTFOUND,
	ST_MATERIAL_RESOLVE,
	ST_MATERIAL_ROW, ST_MATERIAL_ID_BY_URL, ST_VERSION_BY_NUMBER, ST_VERSION_LATEST,
	ST_VERSION_LIST, ST_LABELS_OF, ST_REGIONS_OF, ST_HITS_OF,
	ST_STORY_BAND_ADD, ST_STORY_CANDIDATES, ST_STORY_TEXTS, ST_STORY_SET, ST_STORY_COPIES,
	ST_CHANNEL_PUT, ST_CHANNEL_OF, ST_MATERIAL_ID_BY_POST,
	ST_COUNT
};

#define SOURCE_SELECT \
	"SELECT s.id, s.name, s.url, s.kind, s.last_crawl_start, s.last_crawl_end," \
	" s.last_status, s.last_errors," \
	" (SELECT count(*) FROM materials m WHERE m.source_id = s.id)," \
	" (SELECT count(*) FROM materials m JOIN versions v ON v.id = m.latest_version_id" \
	"   WHERE m.source_id = s.id AND v.relevant)," \
	" (SELECT count(*) FROM materials m WHERE m.source_id = s.id AND m.deleted)," \
	" (SELECT count(*) FROM captures c WHERE c.source_id = s.id)" \
	" FROM sources s"
#define CAPTURE_SELECT \
	"SELECT id, source_id, url, fetched_at, status, content_type, etag, last_modified," \
	" payload_digest, warc_path, warc_offset, warc_length, payload_capture_id, truncated" \
	" FROM captures"
#define VERSION_SELECT \
	"SELECT id, number, fetched_at, capture_id, canonical_url, title, author, published," \
	" lang, text, text_digest, relevant, tone, tone_score FROM versions"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_SOURCE_UPSERT] = "INSERT INTO sources (name, url, kind) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (name) DO UPDATE SET url = excluded.url, kind = excluded.kind",
	[ST_SOURCE_ID] = "SELECT id FROM sources WHERE name = ?1",
	[ST_SOURCE_ONE] = SOURCE_SELECT " WHERE s.name = ?1",
	[ST_SOURCE_ALL] = SOURCE_SELECT " ORDER BY s.name",
	[ST_SOURCE_STARTED] = "UPDATE sources SET last_crawl_start = ?2 WHERE id = ?1",
	[ST_SOURCE_FINISHED] = "UPDATE sources SET last_crawl_end = ?2, last_status = ?3,"
		" last_errors = ?4 WHERE id = ?1",
	[ST_FRONTIER_ADD] = "INSERT OR IGNORE INTO frontier (source_id, url, depth, kind, state,"
		" added_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)",
	[ST_FRONTIER_NEXT] = "SELECT id, source_id, url, depth, kind FROM frontier"
		" WHERE source_id = ?1 AND state = 0 AND id > ?2 ORDER BY id LIMIT 1",
	[ST_FRONTIER_FINISH] = "UPDATE frontier SET state = ?2 WHERE id = ?1",
	[ST_FRONTIER_PENDING] = "SELECT count(*) FROM frontier WHERE source_id = ?1"
		" AND state IN (0, 3)",
	[ST_FRONTIER_CLEAR] = "DELETE FROM frontier WHERE source_id = ?1 AND state IN (1, 2)",
	[ST_FRONTIER_REQUEUE] = "UPDATE frontier SET state = 0 WHERE source_id = ?1 AND state = 3",
	[ST_HOST_GET] = "SELECT origin, robots, robots_status, robots_fetched_at, last_fetch_at,"
		" notfound_status, notfound_digest, notfound_text, notfound_at,"
		" backoff_until, error_streak FROM hosts WHERE origin = ?1",
	[ST_HOST_NOTFOUND] = "INSERT INTO hosts (origin, notfound_status, notfound_digest,"
		" notfound_text, notfound_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (origin) DO"
		" UPDATE SET notfound_status = excluded.notfound_status,"
		" notfound_digest = excluded.notfound_digest, notfound_text = excluded.notfound_text,"
		" notfound_at = excluded.notfound_at",
	[ST_HOST_POLITENESS] = "INSERT INTO hosts (origin, last_fetch_at, backoff_until,"
		" error_streak) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (origin) DO UPDATE SET"
		" last_fetch_at = max(last_fetch_at, excluded.last_fetch_at),"
		" backoff_until = excluded.backoff_until, error_streak = excluded.error_streak",
	[ST_HOST_PUT] = "INSERT INTO hosts (origin, robots, robots_status, robots_fetched_at,"
		" last_fetch_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (origin) DO UPDATE SET"
		" robots = excluded.robots, robots_status = excluded.robots_status,"
		" robots_fetched_at = excluded.robots_fetched_at,"
		" last_fetch_at = excluded.last_fetch_at",
	[ST_CAPTURE_ADD] = "INSERT INTO captures (source_id, url, fetched_at, status, content_type,"
		" etag, last_modified, payload_digest, warc_path, warc_offset, warc_length,"
		" payload_capture_id, truncated)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	[ST_CAPTURE_LAST] = CAPTURE_SELECT " WHERE url = ?1 AND warc_path IS NOT NULL"
		" ORDER BY fetched_at DESC, id DESC LIMIT 1",
	[ST_CAPTURE_GET] = CAPTURE_SELECT " WHERE id = ?1",
	[ST_CAPTURE_ORIGINAL] = CAPTURE_SELECT " WHERE url = ?1 AND warc_path IS NOT NULL"
		" AND payload_capture_id IS NULL"
		" AND (status = ?2 OR (?2 = 0 AND status BETWEEN 200 AND 299))"
		" ORDER BY fetched_at DESC, id DESC LIMIT 1",
	[ST_RECHECK_GET] = "SELECT id, check_from, check_step, next_check_at, deleted"
		" FROM materials WHERE url = ?1",
	[ST_RECHECK_SET] = "UPDATE materials SET check_from = ?2, check_step = ?3,"
		" next_check_at = ?4 WHERE id = ?1",
	[ST_DUE_URLS] = "SELECT url FROM materials WHERE source_id = ?1 AND deleted = 0"
		" AND next_check_at <= ?2 ORDER BY next_check_at, id",
	[ST_ALL_LIVE_URLS] = "SELECT url FROM materials WHERE source_id = ?1 AND deleted = 0"
		" AND ?2 = ?2 ORDER BY id",
	[ST_SOURCE_RECHECKS] = "SELECT"
		" (SELECT count(*) FROM materials WHERE source_id = ?1 AND deleted = 0"
		"   AND next_check_at <= ?2),"
		" (SELECT min(next_check_at) FROM materials WHERE source_id = ?1 AND deleted = 0"
		"   AND next_check_at > ?2)",
	[ST_MATERIAL_LOOKUP] = "SELECT m.id, m.deleted, v.text_digest,"
		" (SELECT coalesce(max(x.number), 0) FROM versions x WHERE x.material_id = m.id),"
		" v.final_url"
		" FROM materials m LEFT JOIN versions v ON v.id = m.latest_version_id"
		" WHERE m.url = ?1",
	[ST_MATERIAL_INSERT] = "INSERT INTO materials (url, source_id, first_seen, last_seen)"
		" VALUES (?1, ?2, ?3, ?3)",
	[ST_MATERIAL_SEEN] = "UPDATE materials SET last_seen = max(last_seen, ?2), deleted = 0,"
		" deleted_at = 0 WHERE id = ?1",
	[ST_MATERIAL_TOUCH_UNCHANGED] = "UPDATE materials SET last_seen = max(last_seen, ?3)"
		" WHERE url = ?1 AND deleted = 0 AND (SELECT CASE WHEN v.final_url IS NULL"
		" THEN c.payload_digest END FROM versions v JOIN captures c ON c.id = v.capture_id"
		" WHERE v.id = materials.latest_version_id) = ?2",
	[ST_MATERIAL_LATEST] = "UPDATE materials SET latest_version_id = ?2,"
		" last_seen = max(last_seen, ?3), deleted = 0, deleted_at = 0,"
		" (sort_date, tone, relevant, lang) = (SELECT coalesce(v.published_at,"
		" materials.first_seen), v.tone, v.relevant, lower(v.lang) FROM versions v"
		" WHERE v.id = ?2) WHERE id = ?1",
	[ST_VERSION_INSERT] = "INSERT INTO versions (material_id, number, fetched_at, capture_id,"
		" canonical_url, title, author, published, published_at, lang, text, text_digest,"
		" relevant, tone, tone_score, minor, final_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
	[ST_LABEL_INSERT] = "INSERT OR IGNORE INTO version_labels (version_id, kind, label,"
		" label_lower) VALUES (?1, ?2, ?3, ?4)",
	[ST_REGION_INSERT] = "INSERT INTO version_regions (version_id, rank, region_id, label,"
		" macro, id_lower, label_lower, macro_lower) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_HIT_INSERT] = "INSERT INTO hits (version_id, kind, rule_id, label, matched,"
		" match_offset, weight, rule_where) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/* material_fts has external content: a row is removed by giving the
	 * values it was indexed with, i.e. the latest version's before it
	 * changes, and added from the view after. */
	[ST_FTS_DELETE] = "INSERT INTO material_fts (material_fts, rowid, title, text)"
		" SELECT 'delete', id, title, text FROM material_fts_source WHERE id = ?1",
	[ST_FTS_INSERT] = "INSERT INTO material_fts (rowid, title, text)"
		" SELECT id, title, text FROM material_fts_source WHERE id = ?1",
	[ST_MARK_DELETED] = "UPDATE materials SET deleted = 1, deleted_at = ?2"
		" WHERE url = ?1 AND deleted = 0",
	[ST_LIVE_URLS] = "SELECT coalesce(v.final_url, m.url) FROM materials m"
		" LEFT JOIN versions v ON v.id = m.latest_version_id"
		" WHERE m.source_id = ?1 AND m.deleted = 0 ORDER BY m.id",
	[ST_MATERIAL_RESOLVE] = "SELECT url FROM materials WHERE url = ?1 UNION ALL"
		" SELECT m.url FROM versions v JOIN materials m ON m.latest_version_id = v.id"
		" WHERE v.final_url = ?1 LIMIT 1",
	[ST_EVENT_INSERT] = "INSERT INTO material_events (material_id, kind, at, how, capture_id,"
		" detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_EVENTS_OF] = "SELECT kind, at, how, capture_id, detail FROM material_events"
		" WHERE material_id = ?1 ORDER BY at, id",
	[ST_MATERIAL_ROW] = "SELECT m.id, m.url, s.name, m.first_seen, m.last_seen, m.deleted,"
		" m.deleted_at, (SELECT count(*) FROM versions x WHERE x.material_id = m.id),"
		" coalesce(m.story_id, m.id),"
		" (SELECT e.how FROM material_events e WHERE e.material_id = m.id"
		"   AND e.kind = 'deleted' AND m.deleted ORDER BY e.at DESC, e.id DESC LIMIT 1),"
		" (SELECT max(e.at) FROM material_events e WHERE e.material_id = m.id"
		"   AND e.kind = 'restored'),"
		" (SELECT count(*) FROM versions x WHERE x.material_id = m.id AND x.number > 1"
		"   AND NOT x.minor)"
		" FROM materials m LEFT JOIN sources s ON s.id = m.source_id WHERE m.id = ?1",
	[ST_MATERIAL_ID_BY_URL] = "SELECT id FROM materials WHERE url = ?1",
	[ST_VERSION_BY_NUMBER] = VERSION_SELECT " WHERE material_id = ?1 AND number = ?2",
	[ST_VERSION_LATEST] = VERSION_SELECT
		" WHERE id = (SELECT latest_version_id FROM materials WHERE id = ?1)",
	[ST_VERSION_LIST] = "SELECT number, fetched_at, title, text_digest, capture_id, minor,"
		" final_url FROM versions WHERE material_id = ?1 ORDER BY number",
	[ST_LABELS_OF] = "SELECT kind, label FROM version_labels WHERE version_id = ?1"
		" ORDER BY rowid",
	[ST_REGIONS_OF] = "SELECT region_id, label, macro FROM version_regions"
		" WHERE version_id = ?1 ORDER BY rank",
	[ST_HITS_OF] = "SELECT kind, rule_id, label, matched, match_offset, weight, rule_where"
		" FROM hits WHERE version_id = ?1 ORDER BY id",
	[ST_STORY_BAND_ADD] = "INSERT OR IGNORE INTO story_bands (band_key, material_id)"
		" VALUES (?1, ?2)",
	/* Materials sharing a band, most shared bands first (ARCHIVE_STORY_BANDS
	 * parameters). */
	[ST_STORY_CANDIDATES] = "SELECT material_id, count(*) AS shared FROM story_bands"
		" WHERE band_key IN (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
		" ?15, ?16, ?17, ?18, ?19, ?20) AND material_id <> ?21"
		" GROUP BY material_id ORDER BY shared DESC, material_id LIMIT " SQL_NUMBER(STORY_CANDIDATES_MAX),
	[ST_STORY_TEXTS] = "SELECT v.text, coalesce(m.story_id, m.id) FROM versions v"
		" JOIN materials m ON m.id = v.material_id WHERE v.material_id = ?1 ORDER BY v.number",
	[ST_STORY_SET] = "UPDATE materials SET story_id = ?2 WHERE id = ?1",
	/* Earliest first: published date, else first seen (as search orders). */
	[ST_STORY_COPIES] = "SELECT m.id, m.url, s.name, v.published,"
		" coalesce(v.published_at, m.first_seen), m.first_seen, m.deleted"
		" FROM materials m JOIN versions v ON v.id = m.latest_version_id"
		" LEFT JOIN sources s ON s.id = m.source_id WHERE m.story_id = ?1"
		" ORDER BY 5, m.first_seen, m.id",
	/* A view count not shown this time keeps the last one seen. */
	[ST_CHANNEL_PUT] = "INSERT INTO channel_posts (material_id, post_key, channel, views,"
		" edited, forwarded_from, forwarded_url, links, album)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (material_id) DO UPDATE"
		" SET post_key = excluded.post_key, channel = excluded.channel,"
		" views = coalesce(excluded.views, views), edited = excluded.edited,"
		" forwarded_from = excluded.forwarded_from, forwarded_url = excluded.forwarded_url,"
		" links = excluded.links, album = excluded.album",
	[ST_MATERIAL_ID_BY_POST] = "SELECT material_id FROM channel_posts WHERE post_key = ?1"
		" ORDER BY material_id LIMIT 1",
	[ST_CHANNEL_OF] = "SELECT post_key, channel, views, edited, forwarded_from,"
		" forwarded_url, links, album FROM channel_posts WHERE material_id = ?1",
};

struct sqlite_store {
	sqlite3 *db;
	char *path;
	int depth;               /* archive_begin nesting */
	int read_only;           /* opened with SQLITE_OPEN_READONLY */
	sqlite3_stmt *stmts[ST_COUNT];
	struct archive_stemmer *stemmer; /* snippets of search results; made on first use */
};

/* ---------------- plumbing ---------------- */

static enum vigil_code db_error(struct sqlite_store *s, const char *op, struct vigil_error *err)
{
	return vigil_error_set(err, VIGIL_ERR_DATABASE, "index %s: %s: %s", s->path, op,
			       sqlite3_errmsg(s->db));
}

static enum vigil_code oom(struct sqlite_store *s, const char *op, struct vigil_error *err)
{
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "index %s: %s: out of memory", s->path, op);
}

static sqlite3_stmt *get_stmt(struct sqlite_store *s, enum stmt_id id, const char *op,
			      struct vigil_error *err)
{
	if (!s->stmts[id] &&
	    sqlite3_prepare_v3(s->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT, &s->stmts[id],
			       NULL) != SQLITE_OK) {
		db_error(s, op, err);
		return NULL;
	}
	return s->stmts[id];
}

static void finish(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Borrowed text: the statement is reset before the caller's strings go. */
static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(st, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* 0 ids mean "none" in the API and NULL in the schema (foreign keys). */
static void bind_id(sqlite3_stmt *st, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

static char *col_dup(sqlite3_stmt *st, int i, int *nomem)
{
	const unsigned char *text;
	char *copy;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	text = sqlite3_column_text(st, i);
	copy = strdup(text ? (const char *)text : "");
	if (!copy)
		*nomem = 1;
	return copy;
}

/* Run a statement that returns no rows. */
static enum vigil_code run(struct sqlite_store *s, sqlite3_stmt *st, const char *op,
			   struct vigil_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_error(s, op, err);
		finish(st);
		return VIGIL_ERR_DATABASE;
	}
	finish(st);
	return VIGIL_OK;
}

static enum vigil_code exec(struct sqlite_store *s, const char *sql, const char *op,
			    struct vigil_error *err)
{
	char *message = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &message) != SQLITE_OK) {
		vigil_error_set(err, VIGIL_ERR_DATABASE, "index %s: %s: %s", s->path, op,
				message ? message : sqlite3_errmsg(s->db));
		sqlite3_free(message);
		return VIGIL_ERR_DATABASE;
	}
	return VIGIL_OK;
}

static enum vigil_code savepoint(struct sqlite_store *s, const char *op, struct vigil_error *err)
{
	return exec(s, "SAVEPOINT op", op, err);
}

/* Close the operation's savepoint: keep its work on success, undo it on
 * failure. Returns code (or the error of the release). */
static enum vigil_code savepoint_end(struct sqlite_store *s, enum vigil_code code,
				     const char *op, struct vigil_error *err)
{
	if (code == VIGIL_OK)
		return exec(s, "RELEASE op", op, err);
	sqlite3_exec(s->db, "ROLLBACK TO op; RELEASE op", NULL, NULL, NULL);
	return code;
}

/* ---------------- open, close, transactions ---------------- */

static int user_version(sqlite3 *db)
{
	sqlite3_stmt *st;
	int version = -1;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return version;
}

static enum vigil_code migrate(struct sqlite_store *s, struct vigil_error *err)
{
	char sql[64];
	int version = user_version(s->db);
	enum vigil_code code;

	if (version < 0)
		return db_error(s, "reading schema version", err);
	if (version > SCHEMA_VERSION)
		return vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "index %s has schema version %d; this vigil knows up to %d",
				       s->path, version, SCHEMA_VERSION);
	if (version == SCHEMA_VERSION)
		return VIGIL_OK;
	code = exec(s, "BEGIN IMMEDIATE", "migrating schema", err);
	if (code)
		return code;
	/* Another process may have migrated while we waited for the lock. */
	version = user_version(s->db);
	for (int v = version < 0 ? SCHEMA_VERSION : version; v < SCHEMA_VERSION && !code; v++)
		code = exec(s, migrations[v], "migrating schema", err);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if (!code)
		code = exec(s, sql, "migrating schema", err);
	if (!code)
		code = exec(s, "COMMIT", "migrating schema", err);
	if (code)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return code;
}

static void sqlite_close(void *backend)
{
	struct sqlite_store *s = backend;

	if (!s)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	if (s->db) {
		if (s->depth)
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		if (!s->read_only)
			sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
		sqlite3_close(s->db);
	}
	archive_stemmer_free(s->stemmer);
	free(s->path);
	free(s);
}

static enum vigil_code sqlite_begin(void *backend, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	enum vigil_code code;

	/* IMMEDIATE: take the write lock now rather than fail on upgrade later. */
	code = exec(s, s->depth ? "SAVEPOINT tx" : "BEGIN IMMEDIATE", "begin", err);
	if (!code)
		s->depth++;
	return code;
}

static enum vigil_code sqlite_commit(void *backend, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	enum vigil_code code;

	if (!s->depth)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "index %s: commit without begin", s->path);
	if (sqlite3_get_autocommit(s->db)) {
		/* SQLite ends the transaction itself on some errors (disk full,
		 * I/O); what the caller grouped is gone, so say so. */
		s->depth = 0;
		return vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "index %s: commit: the transaction was rolled back by an "
				       "earlier error", s->path);
	}
	code = exec(s, s->depth > 1 ? "RELEASE tx" : "COMMIT", "commit", err);
	if (!code)
		s->depth--;
	return code;
}

static void sqlite_rollback(void *backend)
{
	struct sqlite_store *s = backend;

	if (!s->depth)
		return;
	if (sqlite3_get_autocommit(s->db)) {
		s->depth = 0;
		return;
	}
	if (s->depth > 1)
		sqlite3_exec(s->db, "ROLLBACK TO tx; RELEASE tx", NULL, NULL, NULL);
	else
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->depth--;
}

/* ---------------- sources ---------------- */

static enum vigil_code sqlite_source_sync(void *backend, const char *name, const char *url,
					  const char *kind, int64_t *source_id,
					  struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_SOURCE_UPSERT, "source_sync", err);
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, name);
	bind_text(st, 2, url);
	bind_text(st, 3, kind);
	code = run(s, st, "source_sync", err);
	if (code)
		return code;
	st = get_stmt(s, ST_SOURCE_ID, "source_sync", err);
	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, name);
	if (sqlite3_step(st) != SQLITE_ROW) {
		db_error(s, "source_sync", err);
		finish(st);
		return VIGIL_ERR_DATABASE;
	}
	*source_id = sqlite3_column_int64(st, 0);
	finish(st);
	return VIGIL_OK;
}

static int read_source(sqlite3_stmt *st, struct archive_source_info *info)
{
	int nomem = 0;

	info->id = sqlite3_column_int64(st, 0);
	info->name = col_dup(st, 1, &nomem);
	info->url = col_dup(st, 2, &nomem);
	info->kind = col_dup(st, 3, &nomem);
	info->last_crawl_start = sqlite3_column_int64(st, 4);
	info->last_crawl_end = sqlite3_column_int64(st, 5);
	info->last_status = col_dup(st, 6, &nomem);
	info->errors = sqlite3_column_int64(st, 7);
	info->materials = sqlite3_column_int64(st, 8);
	info->relevant = sqlite3_column_int64(st, 9);
	info->deleted = sqlite3_column_int64(st, 10);
	info->captures = sqlite3_column_int64(st, 11);
	return nomem;
}

static enum vigil_code sqlite_source_get(void *backend, const char *name,
					 struct archive_source_info *out, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_SOURCE_ONE, "source_get", err);
	enum vigil_code code = VIGIL_OK;
	int rc;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (read_source(st, out))
			code = oom(s, "source_get", err);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: no source named '%s'",
				       s->path, name);
	} else {
		code = db_error(s, "source_get", err);
	}
	finish(st);
	if (code)
		archive_source_info_release(out);
	return code;
}

static enum vigil_code update_source(struct sqlite_store *s, enum stmt_id id, int64_t source_id,
				     int64_t when, const char *status, int64_t errors,
				     const char *op, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, id, op, err);
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, when);
	if (id == ST_SOURCE_FINISHED) {
		bind_text(st, 3, status);
		sqlite3_bind_int64(st, 4, errors);
	}
	code = run(s, st, op, err);
	if (!code && sqlite3_changes(s->db) == 0)
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: %s: no source %lld",
				       s->path, op, (long long)source_id);
	return code;
}

static enum vigil_code sqlite_source_mark_started(void *backend, int64_t source_id, int64_t when,
						  struct vigil_error *err)
{
	return update_source(backend, ST_SOURCE_STARTED, source_id, when, NULL, 0,
			     "source_mark_started", err);
}

static enum vigil_code sqlite_source_mark_finished(void *backend, int64_t source_id,
						   int64_t when, const char *status,
						   int64_t errors, struct vigil_error *err)
{
	return update_source(backend, ST_SOURCE_FINISHED, source_id, when, status, errors,
			     "source_mark_finished", err);
}

static enum vigil_code sqlite_source_list(void *backend, struct archive_source_list *out,
					  struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_SOURCE_ALL, "source_list", err);
	enum vigil_code code = VIGIL_OK;
	size_t cap = 0;
	int rc;

	if (!st)
		return VIGIL_ERR_DATABASE;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct archive_source_info *grown =
				realloc(out->items, grown_cap * sizeof(*grown));

			if (!grown) {
				code = oom(s, "source_list", err);
				break;
			}
			out->items = grown;
			cap = grown_cap;
		}
		memset(&out->items[out->count], 0, sizeof(out->items[0]));
		if (read_source(st, &out->items[out->count++])) {
			code = oom(s, "source_list", err);
			break;
		}
	}
	if (!code && rc != SQLITE_DONE)
		code = db_error(s, "source_list", err);
	finish(st);
	if (code)
		archive_source_list_release(out);
	return code;
}

/* ---------------- frontier ---------------- */

static enum vigil_code sqlite_frontier_add(void *backend, int64_t source_id, const char *url,
					   int depth, int kind, int *added,
					   struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_FRONTIER_ADD, "frontier_add", err);
	enum vigil_code code;

	*added = 0;
	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	bind_text(st, 2, url);
	sqlite3_bind_int(st, 3, depth);
	sqlite3_bind_int(st, 4, kind);
	sqlite3_bind_int64(st, 5, vigil_now());
	code = run(s, st, "frontier_add", err);
	if (!code)
		*added = sqlite3_changes(s->db) > 0;
	return code;
}

static enum vigil_code sqlite_frontier_next(void *backend, int64_t source_id, int64_t after_id,
					    struct archive_frontier_entry *out,
					    struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_FRONTIER_NEXT, "frontier_next", err);
	enum vigil_code code = VIGIL_OK;
	int rc, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, after_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->source_id = sqlite3_column_int64(st, 1);
		out->url = col_dup(st, 2, &nomem);
		out->depth = sqlite3_column_int(st, 3);
		out->kind = sqlite3_column_int(st, 4);
		if (nomem)
			code = oom(s, "frontier_next", err);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND,
				       "index %s: no pending frontier entry for source %lld", s->path,
				       (long long)source_id);
	} else {
		code = db_error(s, "frontier_next", err);
	}
	finish(st);
	if (code)
		archive_frontier_entry_release(out);
	return code;
}

static enum vigil_code sqlite_frontier_finish(void *backend, int64_t entry_id,
					      enum archive_frontier_state state,
					      struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_FRONTIER_FINISH, "frontier_finish", err);
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, entry_id);
	sqlite3_bind_int(st, 2, (int)state);
	code = run(s, st, "frontier_finish", err);
	if (!code && sqlite3_changes(s->db) == 0)
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND,
				       "index %s: no frontier entry %lld", s->path,
				       (long long)entry_id);
	return code;
}

static enum vigil_code sqlite_frontier_pending(void *backend, int64_t source_id, int64_t *count,
					       struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_FRONTIER_PENDING, "frontier_pending", err);
	enum vigil_code code = VIGIL_OK;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		*count = sqlite3_column_int64(st, 0);
	else
		code = db_error(s, "frontier_pending", err);
	finish(st);
	return code;
}

static enum vigil_code sqlite_frontier_requeue(void *backend, int64_t source_id,
					       struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_FRONTIER_REQUEUE, "frontier_requeue", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	return run(s, st, "frontier_requeue", err);
}

static enum vigil_code sqlite_frontier_clear(void *backend, int64_t source_id,
					     struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_FRONTIER_CLEAR, "frontier_clear", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	return run(s, st, "frontier_clear", err);
}

/* ---------------- hosts ---------------- */

static enum vigil_code sqlite_host_get(void *backend, const char *origin,
				       struct archive_host *out, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_HOST_GET, "host_get", err);
	enum vigil_code code = VIGIL_OK;
	int rc, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, origin);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->origin = col_dup(st, 0, &nomem);
		out->robots = col_dup(st, 1, &nomem);
		out->robots_status = sqlite3_column_int(st, 2);
		out->robots_fetched_at = sqlite3_column_int64(st, 3);
		out->last_fetch_at = sqlite3_column_int64(st, 4);
		out->notfound_status = sqlite3_column_int(st, 5);
		out->notfound_digest = col_dup(st, 6, &nomem);
		out->notfound_text = col_dup(st, 7, &nomem);
		out->notfound_at = sqlite3_column_int64(st, 8);
		out->backoff_until = sqlite3_column_int64(st, 9);
		out->error_streak = sqlite3_column_int(st, 10);
		if (nomem)
			code = oom(s, "host_get", err);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: host %s unknown",
				       s->path, origin);
	} else {
		code = db_error(s, "host_get", err);
	}
	finish(st);
	if (code)
		archive_host_release(out);
	return code;
}

static enum vigil_code sqlite_host_put(void *backend, const struct archive_host *host,
				       struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_HOST_PUT, "host_put", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, host->origin);
	bind_text(st, 2, host->robots);
	sqlite3_bind_int(st, 3, host->robots_status);
	sqlite3_bind_int64(st, 4, host->robots_fetched_at);
	sqlite3_bind_int64(st, 5, host->last_fetch_at);
	return run(s, st, "host_put", err);
}

static enum vigil_code sqlite_host_put_notfound(void *backend, const struct archive_host *host,
						struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_HOST_NOTFOUND, "host_put_notfound", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, host->origin);
	sqlite3_bind_int(st, 2, host->notfound_status);
	bind_text(st, 3, host->notfound_digest);
	bind_text(st, 4, host->notfound_text);
	sqlite3_bind_int64(st, 5, host->notfound_at);
	return run(s, st, "host_put_notfound", err);
}

static enum vigil_code sqlite_host_politeness(void *backend, const char *origin,
					      int64_t last_fetch_at, int64_t backoff_until,
					      int error_streak, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_HOST_POLITENESS, "host_politeness", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, origin);
	sqlite3_bind_int64(st, 2, last_fetch_at);
	sqlite3_bind_int64(st, 3, backoff_until);
	sqlite3_bind_int(st, 4, error_streak);
	return run(s, st, "host_politeness", err);
}

/* ---------------- captures ---------------- */

static enum vigil_code sqlite_capture_add(void *backend, struct archive_capture *c,
					  struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_CAPTURE_ADD, "capture_add", err);
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_id(st, 1, c->source_id);
	bind_text(st, 2, c->url);
	sqlite3_bind_int64(st, 3, c->fetched_at > 0 ? c->fetched_at : vigil_now());
	sqlite3_bind_int(st, 4, c->status);
	bind_text(st, 5, c->content_type);
	bind_text(st, 6, c->etag);
	bind_text(st, 7, c->last_modified);
	bind_text(st, 8, c->payload_digest);
	bind_text(st, 9, c->warc_path);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)c->warc_offset);
	sqlite3_bind_int64(st, 11, (sqlite3_int64)c->warc_length);
	bind_id(st, 12, c->payload_capture_id);
	sqlite3_bind_int(st, 13, c->truncated ? 1 : 0);
	code = run(s, st, "capture_add", err);
	if (!code)
		c->id = sqlite3_last_insert_rowid(s->db);
	return code;
}

static enum vigil_code read_capture(struct sqlite_store *s, sqlite3_stmt *st,
				    struct archive_capture *out, const char *op, const char *what,
				    struct vigil_error *err)
{
	enum vigil_code code = VIGIL_OK;
	int rc = sqlite3_step(st), nomem = 0;

	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->source_id = sqlite3_column_int64(st, 1);
		out->url = col_dup(st, 2, &nomem);
		out->fetched_at = sqlite3_column_int64(st, 3);
		out->status = sqlite3_column_int(st, 4);
		out->content_type = col_dup(st, 5, &nomem);
		out->etag = col_dup(st, 6, &nomem);
		out->last_modified = col_dup(st, 7, &nomem);
		out->payload_digest = col_dup(st, 8, &nomem);
		out->warc_path = col_dup(st, 9, &nomem);
		out->warc_offset = (uint64_t)sqlite3_column_int64(st, 10);
		out->warc_length = (uint64_t)sqlite3_column_int64(st, 11);
		out->payload_capture_id = sqlite3_column_int64(st, 12);
		out->truncated = sqlite3_column_int(st, 13);
		if (nomem)
			code = oom(s, op, err);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: no capture %s", s->path,
				       what);
	} else {
		code = db_error(s, op, err);
	}
	finish(st);
	if (code)
		archive_capture_release(out);
	return code;
}

static enum vigil_code sqlite_capture_last(void *backend, const char *url,
					   struct archive_capture *out, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_CAPTURE_LAST, "capture_last", err);
	char what[600];

	if (!st)
		return VIGIL_ERR_DATABASE;
	snprintf(what, sizeof(what), "with a stored payload for %.500s", url);
	bind_text(st, 1, url);
	return read_capture(s, st, out, "capture_last", what, err);
}

static enum vigil_code sqlite_capture_original(void *backend, const char *url, int status,
					       struct archive_capture *out,
					       struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_CAPTURE_ORIGINAL, "capture_original", err);
	char what[600];

	if (!st)
		return VIGIL_ERR_DATABASE;
	snprintf(what, sizeof(what), "with a stored response for %.500s", url);
	bind_text(st, 1, url);
	sqlite3_bind_int(st, 2, status);
	return read_capture(s, st, out, "capture_original", what, err);
}

static enum vigil_code sqlite_capture_get(void *backend, int64_t id, struct archive_capture *out,
					  struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_CAPTURE_GET, "capture_get", err);
	char what[32];

	if (!st)
		return VIGIL_ERR_DATABASE;
	snprintf(what, sizeof(what), "%lld", (long long)id);
	sqlite3_bind_int64(st, 1, id);
	return read_capture(s, st, out, "capture_get", what, err);
}

/* ---------------- recording versions ---------------- */

static enum vigil_code insert_label(struct sqlite_store *s, int64_t version_id,
				   const char *kind, const char *label, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_LABEL_INSERT, "material_record", err);
	char *lower;
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	if (!label)
		return VIGIL_OK;
	lower = archive_lower_text(label);
	if (!lower)
		return oom(s, "material_record", err);
	sqlite3_bind_int64(st, 1, version_id);
	bind_text(st, 2, kind);
	bind_text(st, 3, label);
	bind_text(st, 4, lower);
	code = run(s, st, "material_record: labels", err);
	free(lower);
	return code;
}

static enum vigil_code insert_region(struct sqlite_store *s, int64_t version_id, int rank,
				    const struct archive_region *r, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_REGION_INSERT, "material_record", err);
	char *id_lower, *label_lower, *macro_lower;
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	if (!r->id)
		return VIGIL_OK;
	id_lower = archive_lower_text(r->id);
	label_lower = archive_lower_text(r->label);
	macro_lower = archive_lower_text(r->macro);
	if (!id_lower || (r->label && !label_lower) || (r->macro && !macro_lower)) {
		code = oom(s, "material_record", err);
	} else {
		sqlite3_bind_int64(st, 1, version_id);
		sqlite3_bind_int(st, 2, rank);
		bind_text(st, 3, r->id);
		bind_text(st, 4, r->label);
		bind_text(st, 5, r->macro);
		bind_text(st, 6, id_lower);
		bind_text(st, 7, label_lower);
		bind_text(st, 8, macro_lower);
		code = run(s, st, "material_record: regions", err);
	}
	free(id_lower);
	free(label_lower);
	free(macro_lower);
	return code;
}

static enum vigil_code insert_hit(struct sqlite_store *s, int64_t version_id,
				  const struct archive_hit *h, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_HIT_INSERT, "material_record", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, version_id);
	bind_text(st, 2, h->kind ? h->kind : "");
	bind_text(st, 3, h->rule_id);
	bind_text(st, 4, h->label);
	bind_text(st, 5, h->matched);
	sqlite3_bind_int64(st, 6, h->offset);
	sqlite3_bind_int(st, 7, h->weight);
	bind_text(st, 8, h->where);
	return run(s, st, "material_record: hits", err);
}

/* The FTS row of a material indexes its latest version (the view
 * material_fts_source): remove it before latest_version_id changes
 * (unindex_text), add it back after (index_text). */
static enum vigil_code fts_row(struct sqlite_store *s, enum stmt_id which, int64_t material_id,
			       struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, which, "material_record: fts", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	return run(s, st, "material_record: fts", err);
}

static enum vigil_code unindex_text(struct sqlite_store *s, int64_t material_id,
				    struct vigil_error *err)
{
	return fts_row(s, ST_FTS_DELETE, material_id, err);
}

static enum vigil_code index_text(struct sqlite_store *s, int64_t material_id,
				  struct vigil_error *err)
{
	return fts_row(s, ST_FTS_INSERT, material_id, err);
}

static enum vigil_code insert_version(struct sqlite_store *s, int64_t material_id, int number,
				      const struct archive_version_input *in, const char *digest,
				      int64_t fetched, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_VERSION_INSERT, "material_record", err);
	int64_t version_id, published_at = 0;
	/* NULL published_at is "no date": every instant, 1950 too, is a date. */
	int has_published = in->published && vigil_parse_time(in->published, &published_at) == 0;
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	sqlite3_bind_int(st, 2, number);
	sqlite3_bind_int64(st, 3, fetched);
	bind_id(st, 4, in->capture_id);
	bind_text(st, 5, in->canonical_url);
	bind_text(st, 6, in->title);
	bind_text(st, 7, in->author);
	bind_text(st, 8, in->published);
	if (has_published)
		sqlite3_bind_int64(st, 9, published_at);
	else
		sqlite3_bind_null(st, 9);
	bind_text(st, 10, in->lang);
	bind_text(st, 11, in->text ? in->text : "");
	bind_text(st, 12, digest);
	sqlite3_bind_int(st, 13, in->relevant ? 1 : 0);
	sqlite3_bind_int(st, 14, (int)in->tone);
	sqlite3_bind_int(st, 15, in->tone_score);
	sqlite3_bind_int(st, 16, number > 1 && in->minor ? 1 : 0);
	bind_text(st, 17, in->final_url);
	code = run(s, st, "material_record: version", err);
	if (code)
		return code;
	version_id = sqlite3_last_insert_rowid(s->db);
	for (size_t i = 0; i < in->category_count && !code; i++)
		code = insert_label(s, version_id, "category", in->categories[i], err);
	for (size_t i = 0; i < in->threat_count && !code; i++)
		code = insert_label(s, version_id, "threat", in->threats[i], err);
	for (size_t i = 0; i < in->region_count && !code; i++)
		code = insert_region(s, version_id, (int)i, &in->regions[i], err);
	for (size_t i = 0; i < in->hit_count && !code; i++)
		code = insert_hit(s, version_id, &in->hits[i], err);
	if (code)
		return code;
	code = unindex_text(s, material_id, err);
	if (code)
		return code;
	st = get_stmt(s, ST_MATERIAL_LATEST, "material_record", err);
	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	sqlite3_bind_int64(st, 2, version_id);
	sqlite3_bind_int64(st, 3, fetched);
	code = run(s, st, "material_record", err);
	if (!code)
		code = index_text(s, material_id, err);
	return code;
}

/* ---------------- stories (syndicated copies) ---------------- */

_Static_assert(ARCHIVE_STORY_BANDS == 20, "ST_STORY_CANDIDATES binds one parameter per band");

/* The best resemblance between shingles and any version of material id,
 * and that material's story. */
static enum vigil_code story_compare(struct sqlite_store *s, int64_t id,
				     const struct archive_shingles *shingles, double *best,
				     int64_t *story, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_STORY_TEXTS, "material_record: story", err);
	enum vigil_code code = VIGIL_OK;
	int rc;

	*best = 0;
	*story = id;
	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_shingles other = { 0 };
		double sim;

		*story = sqlite3_column_int64(st, 1);
		code = archive_shingles_of((const char *)sqlite3_column_text(st, 0), &other, err);
		if (code)
			break;
		sim = archive_shingles_similarity(shingles, &other);
		archive_shingles_release(&other);
		if (sim > *best)
			*best = sim;
	}
	if (!code && rc != SQLITE_DONE)
		code = db_error(s, "material_record: story", err);
	finish(st);
	return code;
}

/* Index a version's text for story lookups, and when the material is new
 * (join) give it the story of the most similar earlier material at or
 * above ARCHIVE_STORY_THRESHOLD (ties: the lowest material id), else a
 * story of its own (its id). Candidates are the materials sharing a MinHash
 * band with the text; each is compared exactly, over all its versions. A
 * material keeps its story when later versions change its text. */
static enum vigil_code story_record(struct sqlite_store *s, int64_t material_id,
				    const char *text, int join, struct vigil_error *err)
{
	struct archive_shingles shingles = { 0 };
	int64_t keys[ARCHIVE_STORY_BANDS], candidates[STORY_CANDIDATES_MAX];
	int64_t story = material_id, best_id = 0;
	size_t bands, candidate_count = 0;
	double best = 0;
	enum vigil_code code = archive_shingles_of(text, &shingles, err);
	sqlite3_stmt *st;
	int rc;

	if (code)
		return code;
	bands = archive_story_bands(&shingles, keys);
	if (join && bands) {
		st = get_stmt(s, ST_STORY_CANDIDATES, "material_record: story", err);
		if (!st) {
			code = VIGIL_ERR_DATABASE;
			goto done;
		}
		for (size_t i = 0; i < bands; i++)
			sqlite3_bind_int64(st, (int)i + 1, keys[i]);
		sqlite3_bind_int64(st, ARCHIVE_STORY_BANDS + 1, material_id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW && candidate_count < STORY_CANDIDATES_MAX)
			candidates[candidate_count++] = sqlite3_column_int64(st, 0);
		if (rc != SQLITE_DONE && rc != SQLITE_ROW)
			code = db_error(s, "material_record: story", err);
		finish(st);
		for (size_t i = 0; i < candidate_count && !code; i++) {
			double sim;
			int64_t their_story;

			code = story_compare(s, candidates[i], &shingles, &sim, &their_story, err);
			if (!code && sim >= ARCHIVE_STORY_THRESHOLD &&
			    (sim > best || (sim == best && candidates[i] < best_id))) {
				best = sim;
				best_id = candidates[i];
				story = their_story;
			}
		}
	}
	if (!code && join) {
		st = get_stmt(s, ST_STORY_SET, "material_record: story", err);
		if (!st) {
			code = VIGIL_ERR_DATABASE;
			goto done;
		}
		sqlite3_bind_int64(st, 1, material_id);
		sqlite3_bind_int64(st, 2, story);
		code = run(s, st, "material_record: story", err);
	}
	for (size_t i = 0; i < bands && !code; i++) {
		st = get_stmt(s, ST_STORY_BAND_ADD, "material_record: story", err);
		if (!st) {
			code = VIGIL_ERR_DATABASE;
			break;
		}
		sqlite3_bind_int64(st, 1, keys[i]);
		sqlite3_bind_int64(st, 2, material_id);
		code = run(s, st, "material_record: story", err);
	}
done:
	archive_shingles_release(&shingles);
	return code;
}

/* One row of material_events. */
static enum vigil_code insert_event(struct sqlite_store *s, int64_t material_id, const char *kind,
				    int64_t at, const char *how, int64_t capture_id,
				    const char *detail, const char *op, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_EVENT_INSERT, op, err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, at);
	bind_text(st, 4, how);
	bind_id(st, 5, capture_id);
	bind_text(st, 6, detail);
	return run(s, st, op, err);
}

static enum vigil_code record_in_savepoint(struct sqlite_store *s,
					   const struct archive_version_input *in,
					   const char *digest, int64_t fetched,
					   enum archive_change *change, int64_t *material_id,
					   struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_MATERIAL_LOOKUP, "material_record", err);
	char latest[64] = "";
	int64_t id = 0;
	int deleted = 0, max_number = 0, moved = 0, rc;
	enum vigil_code code;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, in->url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *d = sqlite3_column_text(st, 2);

		id = sqlite3_column_int64(st, 0);
		deleted = sqlite3_column_int(st, 1);
		if (d)
			snprintf(latest, sizeof(latest), "%s", (const char *)d);
		max_number = sqlite3_column_int(st, 3);
		/* The same text read at a new address (an article that moved):
		 * a version of its own, minor, so the address is on record. */
		if (in->final_url) {
			const unsigned char *f = sqlite3_column_text(st, 4);

			moved = !f || strcmp((const char *)f, in->final_url) != 0;
		}
	} else if (rc != SQLITE_DONE) {
		code = db_error(s, "material_record", err);
		finish(st);
		return code;
	}
	finish(st);

	if (!id) {
		st = get_stmt(s, ST_MATERIAL_INSERT, "material_record", err);
		if (!st)
			return VIGIL_ERR_DATABASE;
		bind_text(st, 1, in->url);
		bind_id(st, 2, in->source_id);
		sqlite3_bind_int64(st, 3, fetched);
		code = run(s, st, "material_record: material", err);
		if (code)
			return code;
		id = sqlite3_last_insert_rowid(s->db);
		*change = ARCHIVE_NEW;
		code = insert_version(s, id, 1, in, digest, fetched, err);
		if (!code)
			code = story_record(s, id, in->text, 1, err);
	} else if (!strcmp(latest, digest) && !moved) {
		st = get_stmt(s, ST_MATERIAL_SEEN, "material_record", err);
		if (!st)
			return VIGIL_ERR_DATABASE;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, fetched);
		code = run(s, st, "material_record", err);
		*change = deleted ? ARCHIVE_RESTORED : ARCHIVE_UNCHANGED;
	} else {
		struct archive_version_input moved_in = *in;

		if (!strcmp(latest, digest))
			moved_in.minor = 1;
		*change = deleted ? ARCHIVE_RESTORED : ARCHIVE_CHANGED;
		code = insert_version(s, id, max_number + 1, &moved_in, digest, fetched, err);
		if (!code)
			code = story_record(s, id, in->text, 0, err);
	}
	if (!code && *change == ARCHIVE_RESTORED)
		code = insert_event(s, id, "restored", fetched, NULL, in->capture_id, NULL,
				    "material_record: restored", err);
	*material_id = id;
	return code;
}

static enum vigil_code put_channel_post(struct sqlite_store *s, int64_t material_id,
				       const struct archive_channel_post *c,
				       struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_CHANNEL_PUT, "material_record: channel post", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	bind_text(st, 2, c->key ? c->key : "");
	bind_text(st, 3, c->channel);
	if (c->views >= 0)
		sqlite3_bind_int64(st, 4, c->views);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int(st, 5, c->edited ? 1 : 0);
	bind_text(st, 6, c->forwarded_from);
	bind_text(st, 7, c->forwarded_url);
	bind_text(st, 8, c->links);
	bind_text(st, 9, c->album);
	return run(s, st, "material_record: channel post", err);
}

static enum vigil_code sqlite_material_record(void *backend,
					      const struct archive_version_input *in,
					      enum archive_change *change, int64_t *material_id,
					      struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	struct vigil_buf joined = VIGIL_BUF_INIT;
	char digest[38];
	int64_t fetched = in->fetched_at > 0 ? in->fetched_at : vigil_now();
	enum vigil_code code;

	*change = ARCHIVE_UNCHANGED;
	*material_id = 0;
	/* The edited mark is content: a post that gains it is a new version.
	 * Unmarked posts keep the digest every other material has. */
	if (vigil_buf_append_str(&joined, in->title) || vigil_buf_append(&joined, "\n", 1) ||
	    vigil_buf_append_str(&joined, in->text) ||
	    (in->channel && in->channel->edited &&
	     vigil_buf_append_str(&joined, "\n\001edited"))) {
		vigil_buf_release(&joined);
		return oom(s, "material_record", err);
	}
	vigil_sha1_digest(joined.data, joined.len, digest);
	vigil_buf_release(&joined);
	code = savepoint(s, "material_record", err);
	if (code)
		return code;
	code = record_in_savepoint(s, in, digest, fetched, change, material_id, err);
	if (!code && in->channel)
		code = put_channel_post(s, *material_id, in->channel, err);
	code = savepoint_end(s, code, "material_record", err);
	if (code) {
		vigil_error_prefix(err, "%s", in->url);
		*material_id = 0;
	}
	return code;
}

static enum vigil_code mark_deleted_in_savepoint(struct sqlite_store *s, const char *url,
						 int64_t when, const char *how,
						 int64_t capture_id, const char *detail,
						 int *marked, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_MATERIAL_ID_BY_URL, "material_mark_deleted", err);
	int64_t id = 0;
	enum vigil_code code;
	int rc;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	finish(st);
	if (rc == SQLITE_DONE)
		return VIGIL_OK; /* not a material: nothing to mark */
	if (rc != SQLITE_ROW)
		return db_error(s, "material_mark_deleted", err);
	st = get_stmt(s, ST_MARK_DELETED, "material_mark_deleted", err);
	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, url);
	sqlite3_bind_int64(st, 2, when);
	code = run(s, st, "material_mark_deleted", err);
	if (!code)
		*marked = sqlite3_changes(s->db) > 0;
	if (!code && *marked)
		code = insert_event(s, id, "deleted", when, how, capture_id, detail,
				    "material_mark_deleted", err);
	return code;
}

static enum vigil_code sqlite_material_mark_deleted(void *backend, const char *url, int64_t when,
						    const char *how, int64_t capture_id,
						    const char *detail, int *marked,
						    struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	enum vigil_code code;

	*marked = 0;
	if (when <= 0)
		when = vigil_now();
	code = savepoint(s, "material_mark_deleted", err);
	if (code)
		return code;
	code = mark_deleted_in_savepoint(s, url, when, how, capture_id, detail, marked, err);
	code = savepoint_end(s, code, "material_mark_deleted", err);
	if (code)
		*marked = 0;
	return code;
}

static enum vigil_code sqlite_material_touch_unchanged(void *backend, const char *url,
						       const char *payload_digest, int64_t when,
						       int *unchanged, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_MATERIAL_TOUCH_UNCHANGED, "material_touch_unchanged",
				    err);
	enum vigil_code code;

	*unchanged = 0;
	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, url);
	bind_text(st, 2, payload_digest);
	sqlite3_bind_int64(st, 3, when);
	code = run(s, st, "material_touch_unchanged", err);
	if (!code)
		*unchanged = sqlite3_changes(s->db) == 1;
	return code;
}

static enum vigil_code sqlite_material_resolve(void *backend, const char *url,
					       char **material_url, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_MATERIAL_RESOLVE, "material_resolve", err);
	enum vigil_code code = VIGIL_OK;
	int rc, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*material_url = col_dup(st, 0, &nomem);
		if (nomem)
			code = oom(s, "material_resolve", err);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: no material at %s",
				       s->path, url);
	} else {
		code = db_error(s, "material_resolve", err);
	}
	finish(st);
	return code;
}

/* Step st (parameters bound) and collect its first column as strings into
 * a list the caller owns; finishes st whatever happens. */
static enum vigil_code collect_strings(struct sqlite_store *s, sqlite3_stmt *st, const char *op,
				       char ***out, size_t *count, struct vigil_error *err)
{
	enum vigil_code code = VIGIL_OK;
	char **list = NULL;
	size_t n = 0, cap = 0;
	int rc, nomem = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t grown_cap = cap ? cap * 2 : 64;
			char **grown = realloc(list, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			list = grown;
			cap = grown_cap;
		}
		list[n] = col_dup(st, 0, &nomem);
		if (nomem)
			break;
		n++;
	}
	if (nomem)
		code = oom(s, op, err);
	else if (rc != SQLITE_DONE)
		code = db_error(s, op, err);
	finish(st);
	if (code) {
		for (size_t i = 0; i < n; i++)
			free(list[i]);
		free(list);
		return code;
	}
	*out = list;
	*count = n;
	return VIGIL_OK;
}

static enum vigil_code sqlite_material_live_urls(void *backend, int64_t source_id, char ***urls,
						 size_t *count, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_LIVE_URLS, "material_live_urls", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	return collect_strings(s, st, "material_live_urls", urls, count, err);
}

/* ---------------- recheck schedule ---------------- */

static enum vigil_code sqlite_material_recheck_get(void *backend, const char *url,
						   struct archive_recheck *out,
						   struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_RECHECK_GET, "material_recheck_get", err);
	enum vigil_code code = VIGIL_OK;
	int rc;

	if (!st)
		return VIGIL_ERR_DATABASE;
	bind_text(st, 1, url);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->material_id = sqlite3_column_int64(st, 0);
		out->check_from = sqlite3_column_int64(st, 1);
		out->check_step = sqlite3_column_int(st, 2);
		out->next_check_at = sqlite3_column_type(st, 3) == SQLITE_NULL
					     ? ARCHIVE_RECHECK_NEVER
					     : sqlite3_column_int64(st, 3);
		out->deleted = sqlite3_column_int(st, 4);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: no material %.500s",
				       s->path, url);
	} else {
		code = db_error(s, "material_recheck_get", err);
	}
	finish(st);
	return code;
}

static enum vigil_code sqlite_material_recheck_set(void *backend, const struct archive_recheck *in,
						   struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_RECHECK_SET, "material_recheck_set", err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, in->material_id);
	sqlite3_bind_int64(st, 2, in->check_from);
	sqlite3_bind_int(st, 3, in->check_step);
	if (in->next_check_at == ARCHIVE_RECHECK_NEVER)
		sqlite3_bind_null(st, 4);
	else
		sqlite3_bind_int64(st, 4, in->next_check_at);
	return run(s, st, "material_recheck_set", err);
}

static enum vigil_code sqlite_material_due_urls(void *backend, int64_t source_id, int64_t now,
						int all, char ***urls, size_t *count,
						struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, all ? ST_ALL_LIVE_URLS : ST_DUE_URLS, "material_due_urls",
				    err);

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, now);
	return collect_strings(s, st, "material_due_urls", urls, count, err);
}

static enum vigil_code sqlite_source_rechecks(void *backend, int64_t source_id, int64_t now,
					      int64_t *due, int64_t *next_at,
					      struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	sqlite3_stmt *st = get_stmt(s, ST_SOURCE_RECHECKS, "source_rechecks", err);
	enum vigil_code code = VIGIL_OK;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, source_id);
	sqlite3_bind_int64(st, 2, now);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*due = sqlite3_column_int64(st, 0);
		*next_at = sqlite3_column_int64(st, 1); /* NULL reads as 0 */
	} else {
		code = db_error(s, "source_rechecks", err);
	}
	finish(st);
	return code;
}

/* ---------------- reading materials ---------------- */

static enum vigil_code load_labels(struct sqlite_store *s, int64_t version_id,
				   struct archive_material *m, const char *op,
				   struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_LABELS_OF, op, err);
	size_t cap_c = 0, cap_t = 0;
	int rc = SQLITE_DONE, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, version_id);
	while (!nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *kind = sqlite3_column_text(st, 0);
		int threat = kind && !strcmp((const char *)kind, "threat");
		char ***items = threat ? &m->threats : &m->categories;
		size_t *count = threat ? &m->threat_count : &m->category_count;
		size_t *cap = threat ? &cap_t : &cap_c;

		if (*count == *cap) {
			size_t grown_cap = *cap ? *cap * 2 : 4;
			char **grown = realloc(*items, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			*items = grown;
			*cap = grown_cap;
		}
		(*items)[*count] = col_dup(st, 1, &nomem);
		if (!nomem)
			(*count)++;
	}
	finish(st);
	if (nomem)
		return oom(s, op, err);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, op, err);
	return VIGIL_OK;
}

static enum vigil_code load_regions(struct sqlite_store *s, int64_t version_id,
				    struct archive_material *m, const char *op,
				    struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_REGIONS_OF, op, err);
	size_t cap = 0;
	int rc = SQLITE_DONE, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, version_id);
	while (!nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_region *r;

		if (m->region_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 4;
			struct archive_region *grown = realloc(m->regions, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			m->regions = grown;
			cap = grown_cap;
		}
		r = &m->regions[m->region_count++];
		r->id = col_dup(st, 0, &nomem);
		r->label = col_dup(st, 1, &nomem);
		r->macro = col_dup(st, 2, &nomem);
	}
	finish(st);
	if (nomem)
		return oom(s, op, err);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, op, err);
	return VIGIL_OK;
}

static enum vigil_code load_hits(struct sqlite_store *s, int64_t version_id,
				 struct archive_material_detail *d, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_HITS_OF, "material_get", err);
	size_t cap = 0;
	int rc = SQLITE_DONE, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, version_id);
	while (!nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_hit *h;

		if (d->hit_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 8;
			struct archive_hit *grown = realloc(d->hits, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			d->hits = grown;
			cap = grown_cap;
		}
		h = &d->hits[d->hit_count++];
		h->kind = col_dup(st, 0, &nomem);
		h->rule_id = col_dup(st, 1, &nomem);
		h->label = col_dup(st, 2, &nomem);
		h->matched = col_dup(st, 3, &nomem);
		h->offset = sqlite3_column_int64(st, 4);
		h->weight = sqlite3_column_int(st, 5);
		h->where = col_dup(st, 6, &nomem);
	}
	finish(st);
	if (nomem)
		return oom(s, "material_get", err);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, "material_get", err);
	return VIGIL_OK;
}

static enum vigil_code load_versions(struct sqlite_store *s, int64_t material_id,
				     struct archive_material_detail *d, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_VERSION_LIST, "material_get", err);
	size_t cap = 0;
	int rc = SQLITE_DONE, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	while (!nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_version *v;

		if (d->version_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 4;
			struct archive_version *grown = realloc(d->versions, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			d->versions = grown;
			cap = grown_cap;
		}
		v = &d->versions[d->version_count++];
		v->number = sqlite3_column_int(st, 0);
		v->fetched_at = sqlite3_column_int64(st, 1);
		v->title = col_dup(st, 2, &nomem);
		v->text_digest = col_dup(st, 3, &nomem);
		v->capture_id = sqlite3_column_int64(st, 4);
		v->minor = sqlite3_column_int(st, 5);
		v->final_url = col_dup(st, 6, &nomem);
	}
	finish(st);
	if (nomem)
		return oom(s, "material_get", err);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, "material_get", err);
	return VIGIL_OK;
}

static enum vigil_code load_events(struct sqlite_store *s, int64_t material_id,
				   struct archive_material_detail *d, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_EVENTS_OF, "material_get", err);
	size_t cap = 0;
	int rc = SQLITE_DONE, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, material_id);
	while (!nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_event *e;

		if (d->event_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 4;
			struct archive_event *grown = realloc(d->events, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			d->events = grown;
			cap = grown_cap;
		}
		e = &d->events[d->event_count++];
		e->kind = col_dup(st, 0, &nomem);
		e->at = sqlite3_column_int64(st, 1);
		e->how = col_dup(st, 2, &nomem);
		e->capture_id = sqlite3_column_int64(st, 3);
		e->detail = col_dup(st, 4, &nomem);
	}
	finish(st);
	if (nomem)
		return oom(s, "material_get", err);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, "material_get", err);
	return VIGIL_OK;
}

/* A channel post's row: its key into m, the whole row into d (may be NULL).
 * Other materials have none, which is no error. */
static enum vigil_code load_channel_post(struct sqlite_store *s, int64_t id,
					 struct archive_material *m,
					 struct archive_material_detail *d, const char *op,
					 struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_CHANNEL_OF, op, err);
	enum vigil_code code = VIGIL_OK;
	int rc, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->post_key = col_dup(st, 0, &nomem);
		if (d) {
			d->channel.key = col_dup(st, 0, &nomem);
			d->channel.channel = col_dup(st, 1, &nomem);
			d->channel.views = sqlite3_column_type(st, 2) == SQLITE_NULL
						   ? -1 : sqlite3_column_int64(st, 2);
			d->channel.edited = sqlite3_column_int(st, 3);
			d->channel.forwarded_from = col_dup(st, 4, &nomem);
			d->channel.forwarded_url = col_dup(st, 5, &nomem);
			d->channel.links = col_dup(st, 6, &nomem);
			d->channel.album = col_dup(st, 7, &nomem);
		}
	} else if (rc != SQLITE_DONE) {
		code = db_error(s, op, err);
	}
	finish(st);
	if (!code && nomem)
		code = oom(s, op, err);
	return code;
}

/* Fill m with the material's row and the classification of its version
 * `number` (0 = latest). When d is given, the version's text, author,
 * canonical URL and number go there too; text_out (search) receives the
 * version's text. *version_id is the version's row id. */
static enum vigil_code load_material(struct sqlite_store *s, int64_t id, int number,
				     struct archive_material *m,
				     struct archive_material_detail *d, char **text_out,
				     int64_t *version_id, const char *op, struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_MATERIAL_ROW, op, err);
	enum vigil_code code = VIGIL_OK;
	int rc, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		m->url = col_dup(st, 1, &nomem);
		m->source = col_dup(st, 2, &nomem);
		m->first_seen = sqlite3_column_int64(st, 3);
		m->last_seen = sqlite3_column_int64(st, 4);
		m->deleted = sqlite3_column_int(st, 5);
		m->deleted_at = sqlite3_column_int64(st, 6);
		m->versions = sqlite3_column_int(st, 7);
		m->story_id = sqlite3_column_int64(st, 8);
		m->deleted_how = col_dup(st, 9, &nomem);
		m->restored_at = sqlite3_column_int64(st, 10);
		m->edits = sqlite3_column_int(st, 11);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s: no material %lld",
				       s->path, (long long)id);
	} else {
		code = db_error(s, op, err);
	}
	finish(st);
	if (!code && nomem)
		code = oom(s, op, err);
	if (code)
		return code;

	st = get_stmt(s, number ? ST_VERSION_BY_NUMBER : ST_VERSION_LATEST, op, err);
	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, id);
	if (number)
		sqlite3_bind_int(st, 2, number);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*version_id = sqlite3_column_int64(st, 0);
		m->title = col_dup(st, 5, &nomem);
		m->published = col_dup(st, 7, &nomem);
		m->lang = col_dup(st, 8, &nomem);
		m->relevant = sqlite3_column_int(st, 11);
		m->tone = (enum archive_tone)sqlite3_column_int(st, 12);
		m->tone_score = sqlite3_column_int(st, 13);
		if (d) {
			d->shown_version = sqlite3_column_int(st, 1);
			d->canonical_url = col_dup(st, 4, &nomem);
			d->author = col_dup(st, 6, &nomem);
			d->text = col_dup(st, 9, &nomem);
		}
		if (text_out)
			*text_out = col_dup(st, 9, &nomem);
	} else if (rc == SQLITE_DONE) {
		code = vigil_error_set(err, VIGIL_ERR_NOT_FOUND,
				       "index %s: material %lld has no version %d", s->path,
				       (long long)id, number);
	} else {
		code = db_error(s, op, err);
	}
	finish(st);
	if (!code && nomem)
		code = oom(s, op, err);
	if (!code)
		code = load_labels(s, *version_id, m, op, err);
	if (!code)
		code = load_regions(s, *version_id, m, op, err);
	if (!code)
		code = load_channel_post(s, id, m, d, op, err);
	return code;
}

/* Every material of the shown one's story, the earliest first. */
static enum vigil_code load_story_copies(struct sqlite_store *s,
					 struct archive_material_detail *d,
					 struct vigil_error *err)
{
	sqlite3_stmt *st = get_stmt(s, ST_STORY_COPIES, "material_get", err);
	size_t cap = 0;
	int rc = SQLITE_DONE, nomem = 0;

	if (!st)
		return VIGIL_ERR_DATABASE;
	sqlite3_bind_int64(st, 1, d->material.story_id);
	while (!nomem && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_story_copy *c;

		if (d->copy_count == cap) {
			size_t grown_cap = cap ? cap * 2 : 4;
			struct archive_story_copy *grown = realloc(d->copies, grown_cap * sizeof(*grown));

			if (!grown) {
				nomem = 1;
				break;
			}
			d->copies = grown;
			cap = grown_cap;
		}
		c = &d->copies[d->copy_count++];
		c->id = sqlite3_column_int64(st, 0);
		c->url = col_dup(st, 1, &nomem);
		c->source = col_dup(st, 2, &nomem);
		c->published = col_dup(st, 3, &nomem);
		c->date = sqlite3_column_int64(st, 4);
		c->first_seen = sqlite3_column_int64(st, 5);
		c->deleted = sqlite3_column_int(st, 6);
	}
	finish(st);
	if (nomem)
		return oom(s, "material_get", err);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(s, "material_get", err);
	return VIGIL_OK;
}

static enum vigil_code sqlite_material_get(void *backend, const char *key, int version,
					   struct archive_material_detail *out,
					   struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	int64_t id = 0, version_id = 0;
	enum vigil_code code;
	size_t digits = strspn(key, "0123456789");

	if (key[digits] == '\0' && digits < 19) {
		id = strtoll(key, NULL, 10);
	} else {
		sqlite3_stmt *st = get_stmt(s, ST_MATERIAL_ID_BY_URL, "material_get", err);
		int rc;

		if (!st)
			return VIGIL_ERR_DATABASE;
		bind_text(st, 1, key);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		finish(st);
		/* A channel post's key, "NAME/ID", works as well as its URL. */
		if (rc == SQLITE_DONE && !strstr(key, "://")) {
			st = get_stmt(s, ST_MATERIAL_ID_BY_POST, "material_get", err);
			if (!st)
				return VIGIL_ERR_DATABASE;
			bind_text(st, 1, key);
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				id = sqlite3_column_int64(st, 0);
			finish(st);
		}
		if (rc == SQLITE_DONE)
			return vigil_error_set(err, VIGIL_ERR_NOT_FOUND,
					       "index %s: no material with URL %s", s->path, key);
		if (rc != SQLITE_ROW)
			return db_error(s, "material_get", err);
	}
	code = load_material(s, id, version, &out->material, out, NULL, &version_id,
			     "material_get", err);
	if (!code)
		code = load_versions(s, id, out, err);
	if (!code)
		code = load_hits(s, version_id, out, err);
	if (!code)
		code = load_story_copies(s, out, err);
	if (!code)
		code = load_events(s, id, out, err);
	if (code)
		archive_material_detail_release(out);
	return code;
}

/* ---------------- search ---------------- */

/* Append text[a..b) with runs of white space as one space and invalid
 * UTF-8 as '?', so a snippet is one clean line. */
static enum vigil_code append_clean(struct vigil_buf *buf, const char *text, size_t a, size_t b)
{
	const unsigned char *p = (const unsigned char *)text;
	int space = 0;

	while (a < b) {
		uint32_t c;
		size_t n = vigil_utf8_decode(p + a, b - a, &c);
		enum vigil_code code;

		int invalid = !n;

		if (invalid) {
			c = '?';
			n = 1;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
		    c == 0xA0) {
			space = 1;
			a += n;
			continue;
		}
		if (space && buf->len && (code = vigil_buf_append(buf, " ", 1)))
			return code;
		space = 0;
		code = invalid ? vigil_buf_append(buf, "?", 1) : vigil_buf_append(buf, text + a, n);
		if (code)
			return code;
		a += n;
	}
	return VIGIL_OK;
}

static size_t forward_chars(const char *text, size_t len, size_t at, size_t chars)
{
	while (at < len && chars > 0) {
		at++;
		while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
			at++;
		chars--;
	}
	return at;
}

static size_t back_chars(const char *text, size_t at, size_t chars)
{
	while (at > 0 && chars > 0) {
		at--;
		if (((unsigned char)text[at] & 0xC0) != 0x80)
			chars--;
	}
	while (at > 0 && ((unsigned char)text[at] & 0xC0) == 0x80)
		at--;
	return at;
}

/* The stems of a query's words, for snippets: what the FTS index holds. */
struct snippet_stems {
	char stems[QUERY_MAX_WORDS][ARCHIVE_STEM_MAX];
	int prefix[QUERY_MAX_WORDS];
	size_t count;
};

static void snippet_stems_of(struct archive_stemmer *stemmer, const struct archive_parsed_query *q,
			     struct snippet_stems *out)
{
	out->count = 0;
	for (size_t i = 0; stemmer && i < q->word_count; i++) {
		const char *w = q->words[i];
		size_t len = strlen(w), pos = 0, start, end;
		int prefix = len && w[len - 1] == '*';

		while (out->count < QUERY_MAX_WORDS && archive_next_word(w, len, &pos, &start, &end)) {
			archive_stemmer_word(stemmer, w + start, end - start, out->stems[out->count],
					     ARCHIVE_STEM_MAX);
			out->prefix[out->count] = prefix && pos >= len - 1;
			if (out->stems[out->count][0])
				out->count++;
		}
	}
}

static int stem_matches(struct archive_stemmer *stemmer, const struct snippet_stems *stems,
			const char *word, size_t len)
{
	char stem[ARCHIVE_STEM_MAX];

	archive_stemmer_word(stemmer, word, len, stem, sizeof(stem));
	for (size_t i = 0; i < stems->count; i++)
		if (stems->prefix[i] ? !strncmp(stem, stems->stems[i], strlen(stems->stems[i]))
				     : !strcmp(stem, stems->stems[i]))
			return 1;
	return 0;
}

/* Text around the first word whose stem is one of the query's (the
 * beginning of the text when none is), the matched words between q's
 * highlight marks. Stemming stops at the first match, so a snippet costs
 * a few words' stems, not the whole text's (FTS5's snippet() tokenizes
 * all of it: 0.7 ms per result at 1.6 KB). */
static char *make_snippet(struct archive_stemmer *stemmer, const char *text,
			  const struct snippet_stems *stems, const struct archive_query *q)
{
	struct vigil_buf out = VIGIL_BUF_INIT;
	size_t len = strlen(text), pos = 0, start = 0, end, from = 0, to, at;
	int found = 0, marks = q->highlight_open && q->highlight_close;

	while (stems->count && archive_next_word(text, len, &pos, &start, &end))
		if ((found = stem_matches(stemmer, stems, text + start, end - start)))
			break;
	if (found) {
		from = back_chars(text, start, SNIPPET_BEFORE);
		/* Start at a word boundary when one is near. */
		for (size_t i = from, n = 0; from > 0 && i < start && n < 20; i++, n++)
			if (text[i] == ' ' || text[i] == '\n') {
				from = i + 1;
				break;
			}
	}
	to = forward_chars(text, len, from, SNIPPET_CHARS);
	if (from > 0 && vigil_buf_append_str(&out, "\xE2\x80\xA6"))
		goto nomem;
	at = from;
	if (found && marks) {
		pos = start;
		while (archive_next_word(text, to, &pos, &start, &end)) {
			if (!stem_matches(stemmer, stems, text + start, end - start))
				continue;
			if (append_clean(&out, text, at, start) ||
			    vigil_buf_append_str(&out, q->highlight_open) ||
			    append_clean(&out, text, start, end) ||
			    vigil_buf_append_str(&out, q->highlight_close))
				goto nomem;
			at = end;
		}
	}
	if (append_clean(&out, text, at, to) ||
	    (to < len && vigil_buf_append_str(&out, "\xE2\x80\xA6")))
		goto nomem;
	return vigil_buf_detach(&out);
nomem:
	vigil_buf_release(&out);
	return NULL;
}

/* LIKE pattern matching values that start with text (\ escapes). */
static char *like_prefix(const char *text)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	for (const char *p = text; *p; p++) {
		if ((*p == '%' || *p == '_' || *p == '\\') && vigil_buf_append(&buf, "\\", 1))
			goto nomem;
		if (vigil_buf_append(&buf, p, 1))
			goto nomem;
	}
	if (vigil_buf_append(&buf, "%", 1))
		goto nomem;
	return vigil_buf_detach(&buf);
nomem:
	vigil_buf_release(&buf);
	return NULL;
}

/* A region condition on version v: an id, a macro-region or a name
 * prefix, caseless; %s is the parameter's name suffix. */
#define REGION_CONDITION \
	" AND EXISTS (SELECT 1 FROM version_regions r WHERE r.version_id = m.latest_version_id AND" \
	" (r.id_lower = :region%s OR r.macro_lower = :region%s OR" \
	" r.label_lower LIKE :region_like%s ESCAPE '\\'))"

struct search_args {
	struct archive_parsed_query parsed;
	char *region;     /* lowercased */
	char *region_like;
	char **query_regions;      /* region: of the query, lowercased ... */
	char **query_regions_like; /* ... and as LIKE prefixes */
	char *category;
	char *threat;
	char *lang;
	int relevance;    /* order by BM25 (a query with words, not by story) */
	/* Newest first by walking materials_by_date, testing each material
	 * against the FTS matches, instead of sorting all matches: chosen
	 * when the words match many materials (choose_plan). */
	int by_date_index;
	int64_t walk_floor; /* by_date_index: the date of the oldest material walked */
};

static void search_args_release(struct search_args *a)
{
	for (size_t i = 0; i < a->parsed.region_count; i++) {
		if (a->query_regions)
			free(a->query_regions[i]);
		if (a->query_regions_like)
			free(a->query_regions_like[i]);
	}
	free(a->query_regions);
	free(a->query_regions_like);
	archive_parsed_query_release(&a->parsed);
	free(a->region);
	free(a->region_like);
	free(a->category);
	free(a->threat);
	free(a->lang);
}

/* VIGIL_ERR_USAGE for a query that does not parse, NOMEM, or OK. */
static enum vigil_code prepare_search_args(const struct archive_query *q, struct search_args *a,
					   struct vigil_error *err)
{
	size_t n;
	enum vigil_code code;

	memset(a, 0, sizeof(*a));
	if (q->text && (code = archive_query_parse(q->text, &a->parsed, err)))
		return code;
	n = a->parsed.region_count;
	if (n && (!(a->query_regions = calloc(n, sizeof(char *))) ||
		  !(a->query_regions_like = calloc(n, sizeof(char *)))))
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if (!(a->query_regions[i] = archive_lower_text(a->parsed.regions[i])) ||
		    !(a->query_regions_like[i] = like_prefix(a->query_regions[i])))
			goto nomem;
	if (q->region && *q->region) {
		a->region = archive_lower_text(q->region);
		if (!a->region || !(a->region_like = like_prefix(a->region)))
			goto nomem;
	}
	if (q->category && *q->category && !(a->category = archive_lower_text(q->category)))
		goto nomem;
	if (q->threat && *q->threat && !(a->threat = archive_lower_text(q->threat)))
		goto nomem;
	if (q->lang && *q->lang && !(a->lang = archive_lower_text(q->lang)))
		goto nomem;
	a->relevance = q->sort == ARCHIVE_SORT_RELEVANCE && a->parsed.fts &&
		       !a->parsed.fts_excludes && !q->by_story;
	a->by_date_index = 0;
	return VIGIL_OK;
nomem:
	return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory preparing the search");
}

/* FROM and WHERE of the materials q selects (m, their latest version v,
 * their source s; with relevance, material_fts joined for its rank). */
static enum vigil_code build_where(const struct archive_query *q, const struct search_args *a,
				   struct vigil_buf *sql)
{
	/* Which table drives: the FTS matches (CROSS JOIN keeps SQLite from
	 * walking all materials and probing the matches), or with
	 * by_date_index the materials newest first, each probed in the FTS
	 * index by rowid (a seek, not a scan of the matches). */
	int fts_drives = a->parsed.fts && !a->parsed.fts_excludes && !a->by_date_index;
	enum vigil_code code = vigil_buf_append_str(sql, fts_drives
		? " FROM material_fts CROSS JOIN materials m ON m.id = material_fts.rowid"
		  " LEFT JOIN sources s ON s.id = m.source_id"
		  " WHERE material_fts MATCH :fts AND m.latest_version_id IS NOT NULL"
		: a->by_date_index
		? " FROM materials m INDEXED BY materials_by_date"
		  " LEFT JOIN sources s ON s.id = m.source_id WHERE m.latest_version_id IS NOT NULL"
		  " AND m.sort_date >= :walk_floor"
		: " FROM materials m LEFT JOIN sources s ON s.id = m.source_id"
		  " WHERE m.latest_version_id IS NOT NULL");

	if (!code && a->parsed.fts_excludes)
		code = vigil_buf_append_str(sql,
			" AND m.id NOT IN (SELECT rowid FROM material_fts WHERE material_fts MATCH :fts)");
	if (!code && a->region)
		code = vigil_buf_printf(sql, REGION_CONDITION, "", "", "");
	for (size_t i = 0; !code && i < a->parsed.region_count; i++) {
		char suffix[24];

		snprintf(suffix, sizeof(suffix), "_q%zu", i);
		code = vigil_buf_printf(sql, REGION_CONDITION, suffix, suffix, suffix);
	}
	if (!code && q->tone)
		code = vigil_buf_append_str(sql, " AND m.tone = :tone");
	if (!code && a->category)
		code = vigil_buf_append_str(sql, " AND EXISTS (SELECT 1 FROM version_labels l"
			" WHERE l.version_id = m.latest_version_id AND l.kind = 'category'"
			" AND l.label_lower = :category)");
	if (!code && a->threat)
		code = vigil_buf_append_str(sql, " AND EXISTS (SELECT 1 FROM version_labels l"
			" WHERE l.version_id = m.latest_version_id AND l.kind = 'threat'"
			" AND l.label_lower = :threat)");
	if (!code && q->source && *q->source)
		code = vigil_buf_append_str(sql, " AND s.name = :source");
	for (size_t i = 0; !code && i < a->parsed.source_count; i++)
		code = vigil_buf_printf(sql, " AND s.name = :source_q%zu COLLATE NOCASE", i);
	if (!code && a->lang)
		code = vigil_buf_append_str(sql, " AND m.lang = :lang");
	if (!code && q->has_since)
		code = vigil_buf_append_str(sql, " AND m.sort_date >= :since");
	if (!code && q->has_until)
		code = vigil_buf_append_str(sql, " AND m.sort_date < :until");
	if (!code && q->has_captured_since)
		code = vigil_buf_append_str(sql, " AND m.first_seen >= :captured_since");
	if (!code && q->has_captured_until)
		code = vigil_buf_append_str(sql, " AND m.first_seen < :captured_until");
	if (!code && q->deleted_only)
		code = vigil_buf_append_str(sql, " AND m.deleted = 1");
	if (!code && q->edited_only)
		code = vigil_buf_append_str(sql, " AND EXISTS (SELECT 1 FROM versions x"
			" WHERE x.material_id = m.id AND x.number > 1 AND NOT x.minor)");
	if (!code && q->restored_only)
		code = vigil_buf_append_str(sql, " AND EXISTS (SELECT 1 FROM material_events e"
			" WHERE e.material_id = m.id AND e.kind = 'restored')");
	if (!code && q->relevant_only)
		code = vigil_buf_append_str(sql, " AND m.relevant = 1");
	/* Last, so the other filters spare it the rows they reject. */
	if (!code && a->by_date_index)
		code = vigil_buf_append_str(sql, " AND EXISTS (SELECT 1 FROM material_fts"
			" WHERE material_fts MATCH :fts AND material_fts.rowid = m.id)");
	return code;
}

static enum vigil_code build_search(const struct archive_query *q, const struct search_args *a,
				    struct vigil_buf *sql)
{
	enum vigil_code code = vigil_buf_append_str(sql, q->by_story
		? "WITH hits AS (SELECT m.id AS id, coalesce(m.story_id, m.id) AS story,"
		  " m.source_id AS source, m.sort_date AS day, m.first_seen AS seen"
		: "SELECT m.id");

	if (!code)
		code = build_where(q, a, sql);
	/* One row per story: its earliest matching copy, with the number of
	 * matching copies and of their outlets. */
	if (!code && q->by_story)
		code = vigil_buf_append_str(sql, "), ranked AS (SELECT id, story, day, row_number()"
			" OVER (PARTITION BY story ORDER BY day, seen, id) AS rank FROM hits),"
			" counts AS (SELECT story, count(*) AS copies, count(DISTINCT source) AS outlets"
			" FROM hits GROUP BY story)"
			" SELECT r.id, c.copies, c.outlets FROM ranked r JOIN counts c ON c.story = r.story"
			" WHERE r.rank = 1 ORDER BY r.day DESC, r.id DESC LIMIT :limit OFFSET :offset");
	else if (!code && a->relevance)
		code = vigil_buf_append_str(sql, " ORDER BY bm25(material_fts, 3.0, 1.0),"
					    " m.id DESC LIMIT :limit OFFSET :offset");
	else if (!code)
		code = vigil_buf_append_str(sql, " ORDER BY m.sort_date DESC, m.id DESC"
					    " LIMIT :limit OFFSET :offset");
	return code;
}

static void bind_named_text(sqlite3_stmt *st, const char *name, const char *value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i)
		bind_text(st, i, value);
}

static void bind_named_int(sqlite3_stmt *st, const char *name, int64_t value)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i)
		sqlite3_bind_int64(st, i, value);
}

static void bind_search(sqlite3_stmt *st, const struct archive_query *q,
			const struct search_args *a)
{
	char name[40];

	bind_named_text(st, ":fts", a->parsed.fts);
	bind_named_text(st, ":region", a->region);
	bind_named_text(st, ":region_like", a->region_like);
	for (size_t i = 0; i < a->parsed.region_count; i++) {
		snprintf(name, sizeof(name), ":region_q%zu", i);
		bind_named_text(st, name, a->query_regions[i]);
		snprintf(name, sizeof(name), ":region_like_q%zu", i);
		bind_named_text(st, name, a->query_regions_like[i]);
	}
	for (size_t i = 0; i < a->parsed.source_count; i++) {
		snprintf(name, sizeof(name), ":source_q%zu", i);
		bind_named_text(st, name, a->parsed.sources[i]);
	}
	if (q->tone)
		bind_named_int(st, ":tone", archive_tone_parse(q->tone));
	bind_named_text(st, ":category", a->category);
	bind_named_text(st, ":threat", a->threat);
	bind_named_text(st, ":source", q->source);
	bind_named_text(st, ":lang", a->lang);
	bind_named_int(st, ":since", q->since);
	bind_named_int(st, ":until", q->until);
	bind_named_int(st, ":captured_since", q->captured_since);
	bind_named_int(st, ":captured_until", q->captured_until);
}

/* Newest-first pages of a query with words: sorting every match costs in
 * proportion to the matches M; walking materials_by_date until the page is
 * full costs about (offset + limit) * N / M rows. The walk wins past
 * M = sqrt((offset + limit) * N); counting the matches up to that bound
 * is cheap (FTS5 stops after it). */
static enum vigil_code choose_plan(struct sqlite_store *s, const struct archive_query *q,
				   struct search_args *a, int limit, struct vigil_error *err)
{
	sqlite3_stmt *st = NULL;
	int64_t materials = 0, bound, matches = 0;

	if (!a->parsed.fts || a->parsed.fts_excludes || a->relevance || q->by_story)
		return VIGIL_OK;
	if (sqlite3_prepare_v2(s->db, "SELECT max(id) FROM materials", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "search", err);
	if (sqlite3_step(st) == SQLITE_ROW)
		materials = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	bound = 1000;
	while (bound * bound < ((int64_t)limit + q->offset) * materials)
		bound *= 2;
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM (SELECT 1 FROM material_fts"
			       " WHERE material_fts MATCH ?1 LIMIT ?2)", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "search", err);
	bind_text(st, 1, a->parsed.fts);
	sqlite3_bind_int64(st, 2, bound);
	if (sqlite3_step(st) == SQLITE_ROW)
		matches = sqlite3_column_int64(st, 0);
	else
		matches = -1;
	sqlite3_finalize(st);
	if (matches < 0)
		return db_error(s, "search", err);
	a->by_date_index = matches >= bound;
	if (!a->by_date_index)
		return VIGIL_OK;
	/* The walk stops at the 16 * bound newest materials; when they hold
	 * fewer results than the page, sqlite_search runs the query again
	 * driven by the matches (filters that reject most materials). */
	if (sqlite3_prepare_v2(s->db, "SELECT coalesce((SELECT sort_date FROM materials"
			       " INDEXED BY materials_by_date WHERE sort_date IS NOT NULL"
			       " ORDER BY sort_date DESC LIMIT 1 OFFSET ?1), -9223372036854775807)",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "search", err);
	sqlite3_bind_int64(st, 1, 16 * bound);
	if (sqlite3_step(st) == SQLITE_ROW)
		a->walk_floor = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return VIGIL_OK;
}

/* A query's own mistakes keep their message ("query column N: ...");
 * anything else names the query. */
static enum vigil_code search_failed(enum vigil_code code, const struct archive_query *q,
				     struct vigil_error *err)
{
	if (code == VIGIL_ERR_DATABASE && q->text)
		vigil_error_prefix(err, "query '%s'", q->text);
	return code;
}

static enum vigil_code sqlite_search(void *backend, const struct archive_query *q,
				     struct archive_results *out, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	struct search_args a;
	struct vigil_buf sql = VIGIL_BUF_INIT;
	sqlite3_stmt *st = NULL;
	struct snippet_stems stems;
	enum vigil_code code;
	int limit = q->limit > 0 ? q->limit : SEARCH_DEFAULT_LIMIT, rc = SQLITE_DONE;
	size_t cap = 0;

	if (limit > SEARCH_MAX_LIMIT)
		limit = SEARCH_MAX_LIMIT;
	code = prepare_search_args(q, &a, err);
	if (!code && a.parsed.word_count && !s->stemmer)
		code = archive_stemmer_new(&s->stemmer, err);
	if (!code)
		snippet_stems_of(s->stemmer, &a.parsed, &stems);
	if (!code)
		code = choose_plan(s, q, &a, limit, err);
again:
	if (!code && build_search(q, &a, &sql))
		code = oom(s, "search", err);
	if (code)
		goto done;
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		code = db_error(s, "search", err);
		goto done;
	}
	bind_search(st, q, &a);
	bind_named_int(st, ":limit", limit);
	bind_named_int(st, ":offset", q->offset);
	bind_named_int(st, ":walk_floor", a.walk_floor);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), version_id;
		struct archive_material *m;
		char *text = NULL;

		if (out->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct archive_material *grown = realloc(out->items, grown_cap * sizeof(*grown));

			if (!grown) {
				code = oom(s, "search", err);
				break;
			}
			out->items = grown;
			cap = grown_cap;
		}
		m = &out->items[out->count++];
		memset(m, 0, sizeof(*m));
		code = load_material(s, id, 0, m, NULL, &text, &version_id, "search", err);
		if (q->by_story) {
			m->story_copies = sqlite3_column_int(st, 1);
			m->story_outlets = sqlite3_column_int(st, 2);
		}
		if (!code && text && !(m->snippet = make_snippet(s->stemmer, text, &stems, q)))
			code = oom(s, "search", err);
		free(text);
		if (code)
			break;
	}
	if (!code && rc != SQLITE_DONE)
		code = db_error(s, "search", err);
	if (!code && a.by_date_index && out->count < (size_t)limit) {
		/* The newest materials walked did not fill the page: the
		 * filters reject most of them. Let the matches drive. */
		archive_results_release(out);
		cap = 0;
		sqlite3_finalize(st);
		st = NULL;
		vigil_buf_reset(&sql);
		a.by_date_index = 0;
		goto again;
	}
done:
	sqlite3_finalize(st);
	vigil_buf_release(&sql);
	search_args_release(&a);
	if (code) {
		search_failed(code, q, err);
		archive_results_release(out);
	}
	return code;
}

_Static_assert(ARCHIVE_TONE_NEGATIVE == 1 && ARCHIVE_TONE_SUPPORTIVE == 2,
	       "count_key_value names tones by number");

/* The SQL value of count key i over the hits h and its join k<i>
 * (count_key_join: one row per region, threat or category). */
static enum vigil_code count_key_value(struct vigil_buf *sql, enum archive_count_key key, size_t i)
{
	switch (key) {
	case ARCHIVE_KEY_REGION:
		return vigil_buf_printf(sql, "coalesce(k%zu.label, k%zu.region_id)", i, i);
	case ARCHIVE_KEY_MACRO_REGION:
		return vigil_buf_printf(sql, "k%zu.macro", i);
	case ARCHIVE_KEY_THREAT:
	case ARCHIVE_KEY_CATEGORY:
		return vigil_buf_printf(sql, "k%zu.label", i);
	case ARCHIVE_KEY_TONE:
		return vigil_buf_append_str(sql, "CASE h.tone WHEN 1 THEN 'negative'"
					    " WHEN 2 THEN 'supportive' ELSE 'neutral' END");
	case ARCHIVE_KEY_SOURCE:
		return vigil_buf_append_str(sql, "h.source");
	case ARCHIVE_KEY_MONTH:
		return vigil_buf_append_str(sql, "strftime('%Y-%m', h.day, 'unixepoch')");
	case ARCHIVE_KEY_QUARTER:
		return vigil_buf_append_str(sql, "strftime('%Y', h.day, 'unixepoch') || '-Q' ||"
			" ((CAST(strftime('%m', h.day, 'unixepoch') AS INTEGER) + 2) / 3)");
	}
	return vigil_buf_append_str(sql, "NULL");
}

static enum vigil_code count_key_join(struct vigil_buf *sql, enum archive_count_key key, int i)
{
	switch (key) {
	case ARCHIVE_KEY_REGION:
	case ARCHIVE_KEY_MACRO_REGION:
		return vigil_buf_printf(sql, " LEFT JOIN version_regions k%d ON k%d.version_id = h.vid",
					i, i);
	case ARCHIVE_KEY_THREAT:
	case ARCHIVE_KEY_CATEGORY:
		return vigil_buf_printf(sql, " LEFT JOIN version_labels k%d ON k%d.version_id = h.vid"
					" AND k%d.kind = '%s'", i, i, i,
					key == ARCHIVE_KEY_THREAT ? "threat" : "category");
	default:
		return VIGIL_OK;
	}
}

static enum vigil_code build_count(const struct archive_query *q, const struct search_args *a,
				   const enum archive_count_key *keys, size_t key_count,
				   struct vigil_buf *sql)
{
	enum vigil_code code = vigil_buf_append_str(sql,
		"WITH h AS (SELECT m.id AS id, m.latest_version_id AS vid,"
		" coalesce(m.story_id, m.id) AS story, m.tone AS tone, s.name AS source,"
		" m.sort_date AS day");

	if (!code)
		code = build_where(q, a, sql);
	if (!code)
		code = vigil_buf_append_str(sql, ") SELECT ");
	/* A material with several regions (labels) has a row for each: the
	 * DISTINCT count keeps it once per value. */
	for (size_t i = 0; !code && i < key_count; i++)
		if (!(code = count_key_value(sql, keys[i], i)))
			code = vigil_buf_printf(sql, " AS key%zu, ", i);
	if (!code)
		code = vigil_buf_append_str(sql, q->by_story ? "count(DISTINCT h.story) FROM h"
							     : "count(DISTINCT h.id) FROM h");
	for (size_t i = 0; !code && i < key_count; i++)
		code = count_key_join(sql, keys[i], (int)i);
	if (!code && key_count)
		code = vigil_buf_append_str(sql, key_count == 2 ? " GROUP BY 1, 2 ORDER BY 1, 2"
								: " GROUP BY 1 ORDER BY 1");
	return code;
}

static enum vigil_code sqlite_count(void *backend, const struct archive_query *q,
				    const enum archive_count_key *keys, size_t key_count,
				    struct archive_counts *out, struct vigil_error *err)
{
	struct sqlite_store *s = backend;
	struct search_args a;
	struct vigil_buf sql = VIGIL_BUF_INIT;
	sqlite3_stmt *st = NULL;
	enum vigil_code code;
	size_t cap = 0;
	int rc = SQLITE_DONE;

	code = prepare_search_args(q, &a, err);
	if (!code && build_count(q, &a, keys, key_count, &sql))
		code = oom(s, "count", err);
	if (code)
		goto done;
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK) {
		code = db_error(s, "count", err);
		goto done;
	}
	bind_search(st, q, &a);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct archive_count_row *row;

		if (out->count == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct archive_count_row *grown = realloc(out->rows, grown_cap * sizeof(*grown));

			if (!grown) {
				code = oom(s, "count", err);
				break;
			}
			out->rows = grown;
			cap = grown_cap;
		}
		row = &out->rows[out->count++];
		memset(row, 0, sizeof(*row));
		for (size_t i = 0; i < key_count; i++) {
			const char *value = (const char *)sqlite3_column_text(st, (int)i);

			if (!(row->values[i] = strdup(value ? value : "(none)"))) {
				code = oom(s, "count", err);
				break;
			}
		}
		row->count = sqlite3_column_int64(st, (int)key_count);
		if (code)
			break;
	}
	if (!code && rc != SQLITE_DONE)
		code = db_error(s, "count", err);
done:
	sqlite3_finalize(st);
	vigil_buf_release(&sql);
	search_args_release(&a);
	if (code) {
		search_failed(code, q, err);
		archive_counts_release(out);
	}
	return code;
}

/* ---------------- open ---------------- */

static const struct archive_store_ops sqlite_ops = {
	.name = "sqlite",
	.close = sqlite_close,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.source_sync = sqlite_source_sync,
	.source_get = sqlite_source_get,
	.source_mark_started = sqlite_source_mark_started,
	.source_mark_finished = sqlite_source_mark_finished,
	.source_list = sqlite_source_list,
	.frontier_add = sqlite_frontier_add,
	.frontier_next = sqlite_frontier_next,
	.frontier_finish = sqlite_frontier_finish,
	.frontier_pending = sqlite_frontier_pending,
	.frontier_clear = sqlite_frontier_clear,
	.frontier_requeue = sqlite_frontier_requeue,
	.host_get = sqlite_host_get,
	.host_put = sqlite_host_put,
	.host_put_notfound = sqlite_host_put_notfound,
	.host_politeness = sqlite_host_politeness,
	.capture_add = sqlite_capture_add,
	.capture_last = sqlite_capture_last,
	.capture_get = sqlite_capture_get,
	.capture_original = sqlite_capture_original,
	.material_record = sqlite_material_record,
	.material_mark_deleted = sqlite_material_mark_deleted,
	.material_resolve = sqlite_material_resolve,
	.material_touch_unchanged = sqlite_material_touch_unchanged,
	.material_live_urls = sqlite_material_live_urls,
	.material_recheck_get = sqlite_material_recheck_get,
	.material_recheck_set = sqlite_material_recheck_set,
	.material_due_urls = sqlite_material_due_urls,
	.source_rechecks = sqlite_source_rechecks,
	.search = sqlite_search,
	.count = sqlite_count,
	.material_get = sqlite_material_get,
};

/* The tables a vigil index of SCHEMA_VERSION has; a file without them is
 * not one, whatever its user_version says. */
static const char *const required_tables[] = {
	"sources", "frontier", "hosts", "captures", "materials", "versions",
	"version_labels", "version_regions", "hits", "material_fts", "story_bands",
	"channel_posts", "material_events", "index_meta", NULL
};

/* SQLite's answer for a file that is not a database, or a damaged one. */
static int is_damage(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT;
}

static enum vigil_code not_an_index(const char *path, const char *why, struct vigil_error *err)
{
	return vigil_error_set(err, VIGIL_ERR_CORRUPT, "index %s %s", path, why);
}

/* The error of the last SQLite call on s: damage becomes VIGIL_ERR_CORRUPT
 * ("is not a SQLite database" / "is damaged"), anything else a database
 * error for op. */
static enum vigil_code open_error(struct sqlite_store *s, const char *op, struct vigil_error *err)
{
	int rc = sqlite3_extended_errcode(s->db);

	if ((rc & 0xff) == SQLITE_NOTADB)
		return not_an_index(s->path, "is not a SQLite database (nor a vigil index)", err);
	if ((rc & 0xff) == SQLITE_CORRUPT)
		return vigil_error_set(err, VIGIL_ERR_CORRUPT, "index %s is damaged: %s", s->path,
				       sqlite3_errmsg(s->db));
	return db_error(s, op, err);
}

/* 1 when the file has a table of that name, 0 when not, -1 on error. */
static int has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st;
	int found = -1;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW: found = 1; break;
	case SQLITE_DONE: found = 0; break;
	}
	sqlite3_finalize(st);
	return found;
}

/* Number of schema objects (tables, indexes, ...) in the file; -1 on error. */
static int schema_object_count(sqlite3 *db)
{
	sqlite3_stmt *st;
	int count = -1;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		count = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return count;
}

/* Every table of the schema is there. */
static enum vigil_code check_tables(struct sqlite_store *s, struct vigil_error *err)
{
	for (int i = 0; required_tables[i]; i++) {
		int found = has_table(s->db, required_tables[i]);

		if (found < 0)
			return open_error(s, "reading the schema", err);
		if (!found)
			return vigil_error_set(err, VIGIL_ERR_CORRUPT,
					       "index %s has schema version %d but no table '%s'; "
					       "it is not a complete vigil index", s->path,
					       SCHEMA_VERSION, required_tables[i]);
	}
	return VIGIL_OK;
}

/* PRAGMA quick_check says "ok" (it reads every page: cost measured in
 * archive/README.md). */
static enum vigil_code check_integrity(struct sqlite_store *s, struct vigil_error *err)
{
	sqlite3_stmt *st;
	enum vigil_code code = VIGIL_OK;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK)
		return open_error(s, "checking the file", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *verdict = (const char *)sqlite3_column_text(st, 0);

		if (!verdict || strcmp(verdict, "ok") != 0)
			code = vigil_error_set(err, VIGIL_ERR_CORRUPT,
					       "index %s fails its integrity check: %s", s->path,
					       verdict ? verdict : "no answer");
	} else {
		code = is_damage(rc) ? vigil_error_set(err, VIGIL_ERR_CORRUPT,
						       "index %s fails its integrity check: %s",
						       s->path, sqlite3_errmsg(s->db))
				     : db_error(s, "checking the file", err);
	}
	sqlite3_finalize(st);
	return code;
}

/* The light check of ARCHIVE_OPEN_LIGHT_CHECK: the first row of every
 * table (the FTS index's own data table for material_fts) can be read. */
static enum vigil_code probe_tables(struct sqlite_store *s, struct vigil_error *err)
{
	for (size_t i = 0; required_tables[i]; i++) {
		char sql[128];
		sqlite3_stmt *st;
		int rc;

		snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\" LIMIT 1",
			 strcmp(required_tables[i], "material_fts") ? required_tables[i]
								    : "material_fts_data");
		if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
			return open_error(s, "checking the file", err);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return is_damage(rc) ? vigil_error_set(err, VIGIL_ERR_CORRUPT,
							       "index %s fails its integrity check: %s",
							       s->path, sqlite3_errmsg(s->db))
					     : db_error(s, "checking the file", err);
	}
	return VIGIL_OK;
}

/* Rebuild material_fts when the index was built with another stemmer
 * than this vigil's (ARCHIVE_STEMMER_NAME): its stems would not meet the
 * query's. Runs on every open for writing (init, crawl, reindex). */
static enum vigil_code restem_if_needed(struct sqlite_store *s, struct vigil_error *err)
{
	sqlite3_stmt *st = NULL;
	int same = 0;
	enum vigil_code code;

	if (sqlite3_prepare_v2(s->db, "SELECT value = ?1 FROM index_meta WHERE key = 'fts_stemmer'",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "reading the stemmer's name", err);
	bind_text(st, 1, ARCHIVE_STEMMER_NAME);
	if (sqlite3_step(st) == SQLITE_ROW)
		same = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (same)
		return VIGIL_OK;
	code = exec(s, "BEGIN IMMEDIATE;"
		    "INSERT INTO material_fts (material_fts) VALUES ('rebuild');"
		    "INSERT OR REPLACE INTO index_meta (key, value) VALUES ('fts_stemmer', '"
		    ARCHIVE_STEMMER_NAME "');"
		    "COMMIT", "rebuilding the full-text index for a new stemmer", err);
	if (code)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return code;
}

/* Open path as flags say, creating the file only when create is set (the
 * caller has seen that it does not exist, or is replacing it), and make
 * sure it is a whole vigil index of this schema version. Everything is
 * checked before the first write (even switching to WAL writes the
 * header), so a file that is not an index is never touched. */
static enum vigil_code open_checked(struct sqlite_store *s, int flags, int create,
				    struct vigil_error *err)
{
	int write = (flags & ARCHIVE_OPEN_WRITE) != 0, rc, version;
	int open_flags = write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
	enum vigil_code code;

	if (create)
		open_flags |= SQLITE_OPEN_CREATE;
	s->read_only = !write;
	rc = sqlite3_open_v2(s->path, &s->db, open_flags, NULL);
	if (rc != SQLITE_OK)
		return vigil_error_set(err, VIGIL_ERR_DATABASE, "cannot open index %s: %s", s->path,
				       s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if ((code = archive_fts_register(s->db, err)))
		return code;
	/* query_only guards a read-only handle against any write. */
	if (exec(s, write ? "PRAGMA foreign_keys = ON"
			  : "PRAGMA query_only = ON; PRAGMA foreign_keys = ON", "opening", err))
		return open_error(s, "opening", err);
	version = user_version(s->db);
	if (version < 0)
		return open_error(s, "reading schema version", err);
	if (version > SCHEMA_VERSION)
		return vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "index %s has schema version %d; this vigil knows up to %d",
				       s->path, version, SCHEMA_VERSION);
	if (version == 0) {
		/* No vigil schema. A file holding nothing at all (an interrupted
		 * init) may become one when creating; anything else is some
		 * other database, never to be written into. */
		int objects = schema_object_count(s->db);

		if (objects < 0)
			return open_error(s, "reading the schema", err);
		if (!create && !(objects == 0 && (flags & ARCHIVE_OPEN_CREATE)))
			return not_an_index(s->path, objects ? "is a SQLite database without vigil's "
							       "schema (not a vigil index)"
							     : "is an empty SQLite database, not a "
							       "vigil index", err);
	}
	if (version == SCHEMA_VERSION && (code = check_tables(s, err)))
		return code;
	/* Readers map the file: a search touches pages all over a large
	 * index, and mapped pages cost no copy into SQLite's small cache. */
	if (!write)
		sqlite3_exec(s->db, "PRAGMA mmap_size = " SQL_NUMBER(READ_MMAP_BYTES), NULL, NULL, NULL);
	if (!create && (code = (flags & ARCHIVE_OPEN_LIGHT_CHECK) && !write
				       ? probe_tables(s, err) : check_integrity(s, err)))
		return code;
	if (version < SCHEMA_VERSION && !write)
		return vigil_error_set(err, VIGIL_ERR_DATABASE,
				       "index %s has schema version %d, older than this vigil's %d;"
				       " a crawl or 'vigil init' upgrades it", s->path, version,
				       SCHEMA_VERSION);
	/* temp_store: statement journals and sorts stay in memory, never in
	 * /var/tmp outside the data directory. A checkpoint every 4,000 WAL
	 * pages (16 MB) rather than SQLite's 1,000 writes a page changed by
	 * several batches once; the WAL file is cut back to 16 MB after it. */
	if (write && (code = exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
				  " PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 4000;"
				  " PRAGMA journal_size_limit = 16777216",
				  "opening", err)))
		return code;
	if (version < SCHEMA_VERSION) {
		code = migrate(s, err);
		if (!code)
			code = check_tables(s, err);
	}
	if (!code && write)
		code = restem_if_needed(s, err);
	return code;
}


enum vigil_code archive_sqlite_open(const char *path, int flags,
				    const struct archive_store_ops **ops, void **backend,
				    struct vigil_error *err)
{
	struct sqlite_store *s;
	struct stat st;
	enum vigil_code code;
	int exists;

	*backend = NULL;
	if (flags & ARCHIVE_OPEN_CREATE)
		flags |= ARCHIVE_OPEN_WRITE;
	exists = stat(path, &st) == 0;
	if (!exists && errno != ENOENT)
		return vigil_error_set(err, VIGIL_ERR_IO, "cannot open index %s: %s", path,
				       strerror(errno));
	if (!exists && !(flags & ARCHIVE_OPEN_CREATE))
		return vigil_error_set(err, VIGIL_ERR_NOT_FOUND, "index %s does not exist", path);
	if (exists && !S_ISREG(st.st_mode))
		return vigil_error_set(err, VIGIL_ERR_IO, "index %s is not a regular file", path);
	if (exists && st.st_size == 0) {
		/* SQLite would take an empty file for a new database. (vigil's
		 * files are never 0 bytes: switching to WAL writes the header.) */
		return not_an_index(path, "is empty (0 bytes), not a vigil index", err);
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "out of memory opening %s", path);
	}
	code = open_checked(s, flags, !exists, err);
	if (code) {
		sqlite_close(s);
		return code;
	}
	*ops = &sqlite_ops;
	*backend = s;
	return VIGIL_OK;
}
