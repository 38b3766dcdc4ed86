/*
 * archive_int.h: private to archive/. The store backend interface and the
 * helpers the archive files share.
 *
 * A store backend fills a struct archive_store_ops: one function per store
 * operation of archive.h, each taking the backend's own handle as its first
 * argument. store.c owns the public archive_* functions; it checks arguments
 * that every backend would check the same way and dispatches. SQL and any
 * other backend detail stay in the backend's file (store_sqlite.c; a
 * PostgreSQL backend would be store_pg.c with its own open function).
 *
 * Contract for every op: return VIGIL_OK or fill err with a one-line message
 * naming the index and the operation; leave *out structs released (zeroed)
 * on failure; never print.
 */
#ifndef VIGIL_ARCHIVE_INT_H
#define VIGIL_ARCHIVE_INT_H

#include "archive.h"
#include "../common/utf8.h"

struct archive_store_ops {
	const char *name; /* "sqlite" */
	void (*close)(void *backend);

	enum vigil_code (*begin)(void *backend, struct vigil_error *err);
	enum vigil_code (*commit)(void *backend, struct vigil_error *err);
	void (*rollback)(void *backend);

	enum vigil_code (*source_sync)(void *backend, const char *name, const char *url,
				       const char *kind, int64_t *source_id,
				       struct vigil_error *err);
	enum vigil_code (*source_get)(void *backend, const char *name,
				      struct archive_source_info *out, struct vigil_error *err);
	enum vigil_code (*source_mark_started)(void *backend, int64_t source_id, int64_t when,
					       struct vigil_error *err);
	enum vigil_code (*source_mark_finished)(void *backend, int64_t source_id, int64_t when,
						const char *status, int64_t errors,
						struct vigil_error *err);
	enum vigil_code (*source_list)(void *backend, struct archive_source_list *out,
				       struct vigil_error *err);

	enum vigil_code (*frontier_add)(void *backend, int64_t source_id, const char *url,
					int depth, int kind, int *added, struct vigil_error *err);
	enum vigil_code (*frontier_next)(void *backend, int64_t source_id, int64_t after_id,
					 struct archive_frontier_entry *out,
					 struct vigil_error *err);
	enum vigil_code (*frontier_finish)(void *backend, int64_t entry_id,
					   enum archive_frontier_state state,
					   struct vigil_error *err);
	enum vigil_code (*frontier_pending)(void *backend, int64_t source_id, int64_t *count,
					    struct vigil_error *err);
	enum vigil_code (*frontier_clear)(void *backend, int64_t source_id,
					  struct vigil_error *err);
	enum vigil_code (*frontier_requeue)(void *backend, int64_t source_id,
					    struct vigil_error *err);

	enum vigil_code (*host_get)(void *backend, const char *origin, struct archive_host *out,
				    struct vigil_error *err);
	enum vigil_code (*host_put)(void *backend, const struct archive_host *host,
				    struct vigil_error *err);
	enum vigil_code (*host_put_notfound)(void *backend, const struct archive_host *host,
					     struct vigil_error *err);
	enum vigil_code (*host_politeness)(void *backend, const char *origin,
					   int64_t last_fetch_at, int64_t backoff_until,
					   int error_streak, struct vigil_error *err);

	enum vigil_code (*capture_add)(void *backend, struct archive_capture *capture,
				       struct vigil_error *err);
	enum vigil_code (*capture_last)(void *backend, const char *url,
					struct archive_capture *out, struct vigil_error *err);
	enum vigil_code (*capture_get)(void *backend, int64_t id, struct archive_capture *out,
				       struct vigil_error *err);
	enum vigil_code (*capture_original)(void *backend, const char *url, int status,
					    struct archive_capture *out, struct vigil_error *err);

	enum vigil_code (*material_record)(void *backend,
					   const struct archive_version_input *input,
					   enum archive_change *change, int64_t *material_id,
					   struct vigil_error *err);
	enum vigil_code (*material_mark_deleted)(void *backend, const char *url, int64_t when,
						 const char *how, int64_t capture_id,
						 const char *detail, int *marked,
						 struct vigil_error *err);
	enum vigil_code (*material_resolve)(void *backend, const char *url, char **material_url,
					    struct vigil_error *err);
	enum vigil_code (*material_touch_unchanged)(void *backend, const char *url,
						    const char *payload_digest, int64_t when,
						    int *unchanged, struct vigil_error *err);
	enum vigil_code (*material_live_urls)(void *backend, int64_t source_id, char ***urls,
					      size_t *count, struct vigil_error *err);
	enum vigil_code (*material_recheck_get)(void *backend, const char *url,
						struct archive_recheck *out,
						struct vigil_error *err);
	enum vigil_code (*material_recheck_set)(void *backend, const struct archive_recheck *in,
						struct vigil_error *err);
	enum vigil_code (*material_due_urls)(void *backend, int64_t source_id, int64_t now,
					     int all, char ***urls, size_t *count,
					     struct vigil_error *err);
	enum vigil_code (*source_rechecks)(void *backend, int64_t source_id, int64_t now,
					   int64_t *due, int64_t *next_at, struct vigil_error *err);
	enum vigil_code (*search)(void *backend, const struct archive_query *query,
				  struct archive_results *out, struct vigil_error *err);
	enum vigil_code (*count)(void *backend, const struct archive_query *query,
				 const enum archive_count_key *keys, size_t key_count,
				 struct archive_counts *out, struct vigil_error *err);
	enum vigil_code (*material_get)(void *backend, const char *key, int version,
					struct archive_material_detail *out,
					struct vigil_error *err);
};

struct archive_store {
	const struct archive_store_ops *ops;
	void *backend;
};

/* store_sqlite.c: open the SQLite index at path as flags (ARCHIVE_OPEN_*)
 * say and return its backend handle and ops. */
enum vigil_code archive_sqlite_open(const char *path, int flags,
				    const struct archive_store_ops **ops, void **backend,
				    struct vigil_error *err);

/* store_sqlite_scan.c: visit every capture of the SQLite index at path in id
 * order, the file opened read-only (no schema creation or migration, no
 * write of any kind). The capture's strings are borrowed for the call. The
 * callback returns non-zero to stop. */
typedef int (*archive_capture_visit_fn)(const struct archive_capture *capture, void *context);
enum vigil_code archive_sqlite_scan_captures(const char *path, archive_capture_visit_fn visit,
					     void *context, struct vigil_error *err);

/* data.c: mkdir -p with mode 0755; err names the directory. */
enum vigil_code archive_make_dirs(const char *path, struct vigil_error *err);

/* ---- text helpers (stem.c) ---- */

/* Caseless form used for comparing labels, regions and search words:
 * Latin, Latin-1, Cyrillic (Russian, Kazakh, Ukrainian) lowercased, ё -> е.
 * Invalid UTF-8 bytes become '?'. malloc'd; NULL only on OOM (or NULL in). */
char *archive_lower_text(const char *text);

/* The next word of text[0..len) at or after *pos: sets [*start, *end) to its
 * byte range and *pos past it; returns 0 when there are no more words.
 * A word is a run of letters and digits; invalid UTF-8 separates words. */
int archive_next_word(const char *text, size_t len, size_t *pos, size_t *start,
		      size_t *end);

/* Whether code point c is a mark that sits inside a word without changing
 * it (combining accents, the soft hyphen): stems and shingles drop it. */
int archive_silent_mark(uint32_t c);

/* Stem one word (bytes, not NUL-terminated) into out (NUL-terminated, cut
 * to out_size). Returns the stem's length in bytes. */
#define ARCHIVE_STEM_MAX 256
size_t archive_stem_word(const char *word, size_t len, char *out, size_t out_size);

/* ---- full-text search (fts.c) ---- */

/* The FTS5 tokenizer of material_fts: archive_stemmer_word on every word,
 * hyphenated words as parts plus the joined word. Registered on every
 * connection before the schema is read or migrated. */
#define ARCHIVE_FTS_TOKENIZER "vigil"
struct sqlite3;
enum vigil_code archive_fts_register(struct sqlite3 *db, struct vigil_error *err);

#endif
