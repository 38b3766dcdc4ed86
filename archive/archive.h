/*
 * archive.h: what vigil keeps. Two parts:
 *
 *  1. WARC files: every HTTP exchange (request and response) as WARC/1.1
 *     records, each record its own zstd frame, appended to files grouped
 *     per source: DATA/warc/SOURCE/SOURCE-YYYYMMDDHHMMSS-PID.warc.zst.
 *     A record is found again by (path, offset, length) of its frame.
 *     Files are append-only; nothing here rewrites or deletes them.
 *
 *  2. The index (struct archive_store): sources, the crawl frontier and
 *     per-host state, captures, materials with every version, their
 *     classification with the rule hits, and full-text search (FTS5 over
 *     Russian/Kazakh-stemmed text). The store is an interface: SQLite is
 *     the embedded default; another backend implements the same ops
 *     (archive_int.h).
 *
 * Conventions: times are seconds since the epoch (int64_t); strings in
 * returned structs are owned by the struct and freed by *_release, which
 * accepts zeroed or already released structs; *_free(T **) sets *T to NULL.
 */
#ifndef VIGIL_ARCHIVE_H
#define VIGIL_ARCHIVE_H

#include "../common/vigil.h"

/* ---------------- data directory ---------------- */

/* Create DATA, DATA/warc and the index DATA/index.sqlite if missing.
 * Idempotent: an existing data directory is left as it is. An index file
 * that exists but is empty or damaged is an error (VIGIL_ERR_CORRUPT), never
 * overwritten (see archive_store_open_mode). */
enum vigil_code archive_data_init(const char *data_dir, struct vigil_error *err)
	VIGIL_WARN_UNUSED;

/* An exclusive lock on DATA/lock (flock), so two crawls never overlap.
 * VIGIL_ERR_LOCKED (with the holder's pid in the message) when taken. */
struct archive_lock;
enum vigil_code archive_lock_acquire(const char *data_dir, struct archive_lock **out,
				     struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_lock_release(struct archive_lock **lock);

/* ---------------- WARC ---------------- */

struct archive_http_exchange {
	const char *url;
	const char *ip;              /* peer address or NULL */
	int64_t fetched_at;
	const char *request;         /* raw request head: "GET / HTTP/1.1\r\n..." */
	size_t request_len;
	const char *response_head;   /* raw status line + headers, ending \r\n\r\n */
	size_t response_head_len;
	const char *body;            /* decoded (not transfer-encoded) payload */
	size_t body_len;
	/* The URL that was asked for when redirects ended at url (else NULL):
	 * written as Vigil-Requested-URI, so a reindex finds the material
	 * under the URL the crawl recorded it. */
	const char *requested_url;
	int truncated;               /* body cut at the size cap: WARC-Truncated: length */
};

struct archive_warc_location {
	char *path;        /* relative to the data directory */
	uint64_t offset;   /* of the zstd frame holding the response record */
	uint64_t length;   /* compressed length of that frame */
	char record_id[64];/* "<urn:uuid:...>" */
	char payload_digest[38];
};

struct archive_warc_writer;

/* Open a new WARC file for source_name under data_dir and write its warcinfo
 * record. */
enum vigil_code archive_warc_open(const char *data_dir, const char *source_name,
				  const char *software, struct archive_warc_writer **out,
				  struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Append a request record and a response record (two frames) and flush.
 * loc (caller releases with archive_warc_location_release) receives the
 * response record's place. On a write error (disk full) the file is
 * truncated back to its last complete frame: earlier records stay intact. */
enum vigil_code archive_warc_write_exchange(struct archive_warc_writer *writer,
					    const struct archive_http_exchange *exchange,
					    struct archive_warc_location *loc,
					    struct vigil_error *err) VIGIL_WARN_UNUSED;
/* An unchanged answer (a 304, or a payload identical to one already stored)
 * as a WARC/1.1 revisit record, profile identical-payload-digest: the
 * request record, then a revisit record whose block is the HTTP head of
 * this answer only, with WARC-Refers-To (the record id), -Target-URI and
 * -Date of the response that holds the payload, and that response's
 * payload digest. url, ip, fetched_at, request, response_head and
 * requested_url are read from exchange; its body is not written. */
struct archive_http_revisit {
	const struct archive_http_exchange *exchange;
	const char *refers_to;        /* "<urn:uuid:...>" of the stored response */
	const char *refers_to_uri;    /* its WARC-Target-URI, as written there */
	const char *refers_to_date;   /* its WARC-Date, as written there */
	const char *payload_digest;   /* its WARC-Payload-Digest */
};
#define ARCHIVE_REVISIT_PROFILE \
	"http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
/* As archive_warc_write_exchange; loc names the revisit record. */
enum vigil_code archive_warc_write_revisit(struct archive_warc_writer *writer,
					   const struct archive_http_revisit *revisit,
					   struct archive_warc_location *loc,
					   struct vigil_error *err) VIGIL_WARN_UNUSED;
/* fsync and close; returns an error if the final sync fails. */
enum vigil_code archive_warc_close(struct archive_warc_writer **writer,
				   struct vigil_error *err);
void archive_warc_location_release(struct archive_warc_location *loc);

struct archive_warc_record {
	char *type;          /* "response", "request", "warcinfo", ... */
	char *target_uri;
	char *date;          /* WARC-Date */
	char *record_id;
	char *payload_digest;/* or NULL */
	char *header;        /* the WARC header block as read */
	char *block;         /* the content block */
	size_t block_len;
	/* For response and revisit records: the HTTP part split out (pointers
	 * into block; a revisit's payload is empty, its payload_digest is the
	 * digest of the payload of the record it refers to). */
	int http_status;
	const char *http_head;
	size_t http_head_len;
	const char *payload;
	size_t payload_len;
};

/* Read the record in the frame at (path, offset, length); path relative to
 * data_dir. Records larger than max_bytes (0: 64 MiB) are VIGIL_ERR_TOO_LARGE. */
enum vigil_code archive_warc_read(const char *data_dir, const char *path, uint64_t offset,
				  uint64_t length, size_t max_bytes,
				  struct archive_warc_record *out,
				  struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Walk every record of a .warc.zst file (for verify / reindex / export).
 * The callback returns 0 to go on, non-zero to stop. */
typedef int (*archive_warc_visit_fn)(const struct archive_warc_record *record,
				     uint64_t offset, uint64_t length, void *context);
enum vigil_code archive_warc_each(const char *file_path, archive_warc_visit_fn visit,
				  void *context, struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_warc_record_release(struct archive_warc_record *record);
/* The value of header field name of the record's WARC header (the first
 * one, caseless name), malloc'd; NULL when absent or on OOM. */
char *archive_warc_field(const struct archive_warc_record *record, const char *name);

/* ---------------- verify (verify.c) ---------------- */

/* Every *.warc.zst file below DATA/warc, as paths relative to data_dir
 * ("warc/SOURCE/FILE.warc.zst"), sorted; the caller frees each and the
 * array. No DATA/warc is no files. */
enum vigil_code archive_warc_list(const char *data_dir, char ***paths, size_t *count,
				  struct vigil_error *err) VIGIL_WARN_UNUSED;


struct archive_verify_result {
	size_t files;          /* WARC files walked */
	size_t records;        /* records that decoded, parsed and matched their digests */
	size_t captures;       /* index captures checked */
	size_t problems;       /* 0 when everything is good */
	/* Where the first problem is: a path relative to the data directory
	 * when it lies inside it ("warc/demo/x.warc.zst", "index.sqlite"),
	 * and the offset of the bad frame, or -1 when no offset applies. */
	char first_file[1024];
	int64_t first_offset;
};

/* Check the archive of data_dir without writing anything: every zstd frame
 * of every WARC file decodes, every record parses, block and payload
 * digests match; every capture of the index (opened read-only) lands on a
 * whole response record of its file whose target URI and payload digest
 * are the capture's, and every capture stored without its payload points
 * at a capture with the same digest. files (NULL or count 0: every
 * .warc.zst file under DATA/warc and the whole index) limits the walk to those
 * files and to the captures pointing into them; a path is taken as given,
 * else relative to data_dir. Returns VIGIL_OK when all is good; else the
 * code of the first problem with err = "FILE: offset N: what is wrong"
 * (and the problem count in out). out is filled in both cases. */
enum vigil_code archive_verify(const char *data_dir, const char *const *files, size_t file_count,
			       struct archive_verify_result *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;

/* ---------------- the index ---------------- */

struct archive_store; /* opaque; see archive_int.h for the backend ops */

/*
 * How archive_store_open_mode treats DATA/index.sqlite. Only
 * archive_data_init (vigil init) creates an index; everything else opens an
 * existing one. Whatever the flags, a file that exists but is empty (0
 * bytes), is not a SQLite database, is a SQLite database without vigil's
 * schema, or fails PRAGMA quick_check is VIGIL_ERR_CORRUPT ("index PATH is
 * empty ..."), and is left untouched: only `vigil archive reindex` replaces it, by
 * building a new index aside (archive_store_create) and renaming it in.
 * A missing file is VIGIL_ERR_NOT_FOUND unless ARCHIVE_OPEN_CREATE is given.
 */
enum archive_open_flags {
	/* 0: read-only (SQLITE_OPEN_READONLY, query_only): never writes the
	 * file, never creates it; an older schema is an error, not migrated. */
	ARCHIVE_OPEN_READ = 0,
	ARCHIVE_OPEN_WRITE = 1,   /* read-write; an older schema is migrated */
	ARCHIVE_OPEN_CREATE = 2,  /* implies WRITE: create the index when the file is
				     missing (or is an empty SQLite database) */
	/* With READ, for interactive queries (search): instead of
	 * quick_check, which reads every page (over a second at 400 MB),
	 * read the first row of every table. Damage elsewhere shows up as
	 * VIGIL_ERR_CORRUPT when a query reaches it. */
	ARCHIVE_OPEN_LIGHT_CHECK = 4,
};

enum vigil_code archive_store_open_mode(const char *data_dir, int flags,
					struct archive_store **out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* archive_store_open_mode(data_dir, ARCHIVE_OPEN_WRITE, ...): an existing
 * index, read-write. */
enum vigil_code archive_store_open(const char *data_dir, struct archive_store **out,
				   struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Create a fresh, empty index (current schema) at exactly index_path, for
 * `vigil archive reindex`, which builds DATA/index.sqlite.new and renames
 * it into place. An existing file there is VIGIL_ERR_USAGE: this never
 * opens, and so never migrates or mixes into, an index that exists. */
enum vigil_code archive_store_create(const char *index_path, struct archive_store **out,
				     struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Whether the index file at index_path is a readable vigil index: opened
 * read-only (nothing is written or created), SQLite's quick_check passes
 * and it has a schema version. VIGIL_OK, or
 * VIGIL_ERR_DATABASE / VIGIL_ERR_NOT_FOUND with what is wrong. */
enum vigil_code archive_store_check(const char *index_path, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_store_close(struct archive_store **store);

/* Transactions group the writes of one page so a crash leaves either all
 * or nothing of it. */
enum vigil_code archive_begin(struct archive_store *store, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
enum vigil_code archive_commit(struct archive_store *store, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_rollback(struct archive_store *store);

/* ---- sources ---- */
struct archive_source_info {
	int64_t id;
	char *name;
	char *url;
	char *kind;
	int64_t last_crawl_start;  /* 0 = never */
	int64_t last_crawl_end;
	char *last_status;         /* "ok", "errors: N", "failed: ...", or NULL */
	int64_t materials;         /* materials of this source */
	int64_t relevant;          /* of which mention defenders */
	int64_t deleted;
	int64_t captures;
	int64_t errors;            /* failed fetches in the last pass */
};
struct archive_source_list {
	struct archive_source_info *items;
	size_t count;
};

/* Insert or update (by name) a configured source; returns its id. */
enum vigil_code archive_source_sync(struct archive_store *store, const char *name,
				    const char *url, const char *kind, int64_t *source_id,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code archive_source_get(struct archive_store *store, const char *name,
				   struct archive_source_info *out,
				   struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code archive_source_mark_started(struct archive_store *store, int64_t source_id,
					    int64_t when, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
enum vigil_code archive_source_mark_finished(struct archive_store *store, int64_t source_id,
					     int64_t when, const char *status, int64_t errors,
					     struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code archive_source_list(struct archive_store *store,
				    struct archive_source_list *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_source_info_release(struct archive_source_info *info);
void archive_source_list_release(struct archive_source_list *list);

/* ---- frontier (lives in the index so a killed crawl resumes) ---- */
/* DEFERRED: not fetched in this pass because its host is in back-off; it
 * counts as pending for the next pass (archive_frontier_requeue). */
enum archive_frontier_state { ARCHIVE_FRONTIER_PENDING = 0, ARCHIVE_FRONTIER_DONE = 1,
			      ARCHIVE_FRONTIER_FAILED = 2, ARCHIVE_FRONTIER_DEFERRED = 3 };
struct archive_frontier_entry {
	int64_t id;
	int64_t source_id;
	char *url;
	int depth;
	int kind;          /* caller's meaning: start page, feed, article... */
};
/* Add url unless it is already in this source's frontier. *added = 1 if new. */
enum vigil_code archive_frontier_add(struct archive_store *store, int64_t source_id,
				     const char *url, int depth, int kind, int *added,
				     struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Oldest pending entry of the source; VIGIL_ERR_NOT_FOUND when none. */
enum vigil_code archive_frontier_next(struct archive_store *store, int64_t source_id,
				      struct archive_frontier_entry *out,
				      struct vigil_error *err) VIGIL_WARN_UNUSED;
/* The same among the entries with an id above after_id (entries are
 * numbered in the order they were added): the crawler hands out the next
 * entry while earlier ones are still being processed. */
enum vigil_code archive_frontier_next_after(struct archive_store *store, int64_t source_id,
					    int64_t after_id, struct archive_frontier_entry *out,
					    struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code archive_frontier_finish(struct archive_store *store, int64_t entry_id,
					enum archive_frontier_state state,
					struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Count pending and deferred entries (a pass left unfinished by a crash,
 * or one whose host was in back-off, has some). */
enum vigil_code archive_frontier_pending(struct archive_store *store, int64_t source_id,
					 int64_t *count, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* Forget the finished pass: drop the source's done and failed entries
 * (deferred ones stay for the next pass). */
enum vigil_code archive_frontier_clear(struct archive_store *store, int64_t source_id,
				       struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Make the source's deferred entries pending again (start of a pass). */
enum vigil_code archive_frontier_requeue(struct archive_store *store, int64_t source_id,
					 struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_frontier_entry_release(struct archive_frontier_entry *entry);

/* ---- per-host state (politeness, robots cache) ---- */
struct archive_host {
	char *origin;          /* scheme://host[:port] */
	char *robots;          /* robots.txt body, "" when none, NULL = unknown */
	int64_t robots_fetched_at;
	int robots_status;     /* HTTP status of robots.txt, 0 = not fetched */
	int64_t last_fetch_at; /* milliseconds since the epoch */
	/* What the host answers for a page that does not exist, learnt from
	 * one probe of a random URL per host and pass (schema v3): the
	 * status, the payload digest and the extracted text (title, newline,
	 * main text; at most 4 KiB), so a rechecked article that now shows
	 * the same page is known as a soft 404. Status 0: never probed. */
	int notfound_status;
	char *notfound_digest;
	char *notfound_text;
	int64_t notfound_at;   /* fetch time of the probe */
	/* Politeness across passes (schema v4; archive_host_put leaves them
	 * alone, archive_host_politeness writes them): */
	int64_t backoff_until; /* seconds; nothing of the origin is fetched
				  before (429/503 Retry-After, error streaks) */
	int error_streak;      /* failed answers in a row (5xx, 429, transport) */
};
enum vigil_code archive_host_get(struct archive_store *store, const char *origin,
				 struct archive_host *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED; /* VIGIL_ERR_NOT_FOUND when unknown */
enum vigil_code archive_host_put(struct archive_store *store, const struct archive_host *host,
				 struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Store only the notfound_* fields of host (creating the row if needed);
 * archive_host_put leaves them as they are. */
enum vigil_code archive_host_put_notfound(struct archive_store *store,
					  const struct archive_host *host,
					  struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Insert or update only the politeness columns of origin: last_fetch_at
 * (ms), backoff_until (s), error_streak; robots stays as it is. */
enum vigil_code archive_host_politeness(struct archive_store *store, const char *origin,
					int64_t last_fetch_at, int64_t backoff_until,
					int error_streak, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_host_release(struct archive_host *host);

/* ---- captures (one per fetch that got an HTTP answer) ---- */
struct archive_capture {
	int64_t id;            /* set by archive_capture_add */
	int64_t source_id;
	char *url;
	int64_t fetched_at;
	int status;            /* HTTP status */
	char *content_type;
	char *etag;            /* for conditional GET, or NULL */
	char *last_modified;
	char *payload_digest;  /* "sha1:..." */
	char *warc_path;       /* the response record; for an unchanged answer
				  the revisit record (payload_capture_id set);
				  NULL in indexes written before revisit
				  records, when the payload was not stored again */
	uint64_t warc_offset;
	uint64_t warc_length;
	int64_t payload_capture_id; /* an unchanged answer (a 304 or an identical
				       payload): the capture whose response record
				       holds the payload; else 0 */
	int truncated;         /* the body was cut at max_body (schema v2) */
};
enum vigil_code archive_capture_add(struct archive_store *store, struct archive_capture *capture,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
/* The newest capture of url with a WARC record (response or revisit);
 * VIGIL_ERR_NOT_FOUND if none. */
enum vigil_code archive_capture_last(struct archive_store *store, const char *url,
				     struct archive_capture *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* The newest capture of url whose own response record holds its payload
 * (not a revisit) with HTTP status status, or any 2xx when
 * status is 0: what an answer is compared with, and where the validators
 * of a conditional GET come from. VIGIL_ERR_NOT_FOUND if none. */
enum vigil_code archive_capture_original(struct archive_store *store, const char *url,
					 int status, struct archive_capture *out,
					 struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code archive_capture_get(struct archive_store *store, int64_t id,
				    struct archive_capture *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_capture_release(struct archive_capture *capture);

/* ---- materials and versions ---- */
enum archive_tone { ARCHIVE_TONE_NEUTRAL = 0, ARCHIVE_TONE_NEGATIVE = 1,
		    ARCHIVE_TONE_SUPPORTIVE = 2 };

struct archive_hit {
	char *kind;        /* "category", "threat", "tone", "region", "relevance", "source" */
	char *rule_id;
	char *label;
	char *matched;
	int64_t offset;
	int weight;
	char *where;       /* "FILE:LINE" of the pattern */
};

struct archive_region {
	char *id;          /* gazetteer id, e.g. "PAV" */
	char *label;       /* e.g. "Павлодарская область" */
	char *macro;       /* e.g. "North", or NULL */
};

/* What a channel post has beyond a page (schema v5, table channel_posts):
 * one row per material, holding the values last recorded. */
struct archive_channel_post {
	char *key;             /* "NAME/ID", the post's key */
	char *channel;         /* the channel's title, or NULL */
	int64_t views;         /* the view count last seen; -1 unknown */
	int edited;            /* the latest version bears Telegram's "edited" mark */
	char *forwarded_from;  /* or NULL */
	char *forwarded_url;   /* or NULL */
	char *links;           /* the text's links, one per line, or NULL */
	char *album;           /* album member numbers, "41 42 43", or NULL */
};

/* One extracted, classified version of a material, as the crawler hands it
 * over. All pointers are borrowed for the call. */
struct archive_version_input {
	int64_t source_id;
	const char *url;           /* the material's identity */
	const char *canonical_url;
	const char *title;
	const char *author;
	const char *published;     /* ISO 8601 or NULL */
	const char *lang;
	const char *text;          /* main text */
	int64_t fetched_at;
	int64_t capture_id;        /* the capture it came from, or 0 */
	/* The URL the text was read from when redirects led from url to
	 * another address of the same article (a moved article), else NULL.
	 * Stored on the version (schema v3); the material keeps url. */
	const char *final_url;
	/* The caller's judgement (vigil_edit_is_minor) that this text differs
	 * from the latest version only in a minor way; stored on the new
	 * version when there is one (schema v3), ignored otherwise. */
	int minor;
	int relevant;
	enum archive_tone tone;
	int tone_score;
	const char *const *categories; size_t category_count;
	const char *const *threats;    size_t threat_count;
	const struct archive_region *regions; size_t region_count;
	const struct archive_hit *hits; size_t hit_count;
	/* A channel post's own facts, or NULL. Its edited mark counts as
	 * content (a post that gains it is a new version); its views do not:
	 * they are updated in place on every record. */
	const struct archive_channel_post *channel;
};

enum archive_change {
	ARCHIVE_UNCHANGED = 0, /* same text as the latest version: last_seen bumped */
	ARCHIVE_NEW = 1,       /* first version of a new material */
	ARCHIVE_CHANGED = 2,   /* a new version of a known material */
	ARCHIVE_RESTORED = 3   /* was marked deleted, is back (new version if text differs) */
};

/* Record a version: compares the text digest with the latest version. */
enum vigil_code archive_material_record(struct archive_store *store,
					const struct archive_version_input *input,
					enum archive_change *change, int64_t *material_id,
					struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Mark the material with this url deleted at when, and record the event
 * (schema v3, table material_events): how it was seen ("404", "410",
 * "redirect", "soft-404", "channel"; NULL is stored as NULL), the capture
 * that showed it (0: none) and a detail (e.g. the redirect target; may be
 * NULL). *marked = 1 if it was live before; a material already deleted
 * gets no second event. Versions are kept; the classification is not
 * touched. A url that is no material's is VIGIL_OK with *marked = 0. */
enum vigil_code archive_material_mark_deleted(struct archive_store *store, const char *url,
					      int64_t when, const char *how, int64_t capture_id,
					      const char *detail, int *marked,
					      struct vigil_error *err) VIGIL_WARN_UNUSED;
/* An answer at url whose payload digest ("sha1:...") is payload_digest,
 * fetched at when: if url is a live material whose latest version was
 * read at url itself (not at an address it moved to) from a capture with
 * that payload digest, the answer repeats that version: only its
 * last_seen moves to when, and *unchanged = 1 (the caller skips
 * extraction and classification). Otherwise nothing is written and
 * *unchanged = 0. */
enum vigil_code archive_material_touch_unchanged(struct archive_store *store, const char *url,
						 const char *payload_digest, int64_t when,
						 int *unchanged, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* The URL of the material that url stands for: the material with that
 * url, else the one whose latest version was read at url (final_url: the
 * article moved there). *material_url is malloc'd; VIGIL_ERR_NOT_FOUND
 * when neither. */
enum vigil_code archive_material_resolve(struct archive_store *store, const char *url,
					 char **material_url, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* The addresses of the source's live (not deleted) materials, to recheck:
 * the latest version's final_url when the article moved, else the
 * material's url. The caller frees each and the array. Also used to
 * notice posts gone from a channel page. */
enum vigil_code archive_material_live_urls(struct archive_store *store, int64_t source_id,
					   char ***urls, size_t *count,
					   struct vigil_error *err) VIGIL_WARN_UNUSED;

/* ---- recheck schedule (schema v4) ---- */
#define ARCHIVE_RECHECK_NEVER (-1) /* next_check_at: no more rechecks */
struct archive_recheck {
	int64_t material_id;
	int64_t check_from;    /* when the steps started: first sight or the last change */
	int check_step;        /* the step next_check_at belongs to (0 = first) */
	int64_t next_check_at; /* 0 = due now; ARCHIVE_RECHECK_NEVER */
	int deleted;           /* read only: the material is marked deleted */
};
/* The schedule of the material with this url; VIGIL_ERR_NOT_FOUND if none. */
enum vigil_code archive_material_recheck_get(struct archive_store *store, const char *url,
					     struct archive_recheck *out,
					     struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Store in->check_from, check_step and next_check_at for in->material_id. */
enum vigil_code archive_material_recheck_set(struct archive_store *store,
					     const struct archive_recheck *in,
					     struct vigil_error *err) VIGIL_WARN_UNUSED;
/* URLs of the source's live materials due at now (next_check_at <= now), or
 * of all its live materials when all is set, oldest first. */
enum vigil_code archive_material_due_urls(struct archive_store *store, int64_t source_id,
					  int64_t now, int all, char ***urls, size_t *count,
					  struct vigil_error *err) VIGIL_WARN_UNUSED;
/* How many live materials of the source are due at now, and the earliest
 * next_check_at after now (0 when none is scheduled). */
enum vigil_code archive_source_rechecks(struct archive_store *store, int64_t source_id,
					int64_t now, int64_t *due, int64_t *next_at,
					struct vigil_error *err) VIGIL_WARN_UNUSED;

struct archive_material {
	int64_t id;
	char *url;
	char *source;
	char *title;
	char *published;
	int64_t first_seen;
	int64_t last_seen;
	char *lang;
	int relevant;
	enum archive_tone tone;
	int tone_score;
	char **categories; size_t category_count;
	char **threats;    size_t threat_count;
	struct archive_region *regions; size_t region_count;
	int deleted;
	int64_t deleted_at;
	char *deleted_how;     /* how the current deletion was seen, or NULL */
	int64_t restored_at;   /* the last time it came back after a deletion; 0 never */
	int edits;             /* versions after the first that are not minor */
	int versions;
	char *snippet;     /* search results: text around the match, or NULL */
	/* Syndicated copies of one text share a story (README "Stories"); its
	 * id is the id of the material that started it. */
	int64_t story_id;
	int story_copies;  /* search by_story: matching copies in the story ... */
	int story_outlets; /* ... and their distinct sources; else 0 */
	char *post_key;    /* a channel post: "NAME/ID"; else NULL */
};

struct archive_query {
	const char *text;      /* words; each is stemmed, all must match; NULL = any */
	const char *region;    /* id, label or macro-region, caseless */
	const char *tone;      /* "negative" | "neutral" | "supportive" */
	const char *category;
	const char *threat;
	const char *source;
	int has_since, has_until; /* whether since / until apply */
	int64_t since;         /* published (or first_seen) >= since */
	int64_t until;         /* < until */
	int deleted_only;
	int edited_only;       /* at least one substantive (not minor) edit */
	int restored_only;     /* came back at least once after a deletion */
	int relevant_only;
	/* One result per story: its earliest matching copy (published, else
	 * first seen), with story_copies and story_outlets counted over the
	 * matching materials; the limit counts stories. */
	int by_story;
	int limit;             /* 0 = 100 */
	int offset;            /* results skipped before the first returned (paging) */
	const char *lang;      /* the version's language code ("ru", "kk"), caseless */
	int has_captured_since, has_captured_until;
	int64_t captured_since; /* first captured (first_seen) >= captured_since */
	int64_t captured_until; /* < captured_until */
	/* ARCHIVE_SORT_DATE (default): newest published first;
	 * ARCHIVE_SORT_RELEVANCE: BM25 (title words weigh 3 times text
	 * words), for a query with words; --story results stay by date. */
	enum archive_sort { ARCHIVE_SORT_DATE = 0, ARCHIVE_SORT_RELEVANCE = 1 } sort;
	/* Put around the matched words in snippets (e.g. terminal colours);
	 * NULL = nothing. */
	const char *highlight_open, *highlight_close;
};

struct archive_results {
	struct archive_material *items;
	size_t count;
};

/*
 * The query language of archive_query.text (Lucene / Media Cloud style):
 *   word          the word's stem (Snowball; ё/е, case and hyphens folded)
 *   word*         stems that start with the word's
 *   "a b c"       a phrase; "a b"~5: the words within 5 words of each other
 *   a b, a AND b  both; a OR b: either; NOT a, -a: without a
 *   a NEAR/5 b    within 5 words (NEAR alone: 10); NEAR(a b c, 5) too
 *   ( )           grouping
 *   title:word, title:"a b", title:(a OR b)   in the title only
 *   source:NAME, source:"A name"   the outlet (like archive_query.source)
 *   region:X      a region id, name prefix or macro-region (like .region);
 *                 source: and region: only narrow the whole query (not
 *                 inside OR, NOT or parentheses)
 * The words reach FTS5 only as quoted strings, so no input is an FTS5
 * operator. A query that does not parse gives VIGIL_ERR_USAGE with
 * "query column N: what" (N counted in characters from 1).
 */
struct archive_parsed_query {
	char *fts;          /* FTS5 expression over material_fts, or NULL */
	int fts_excludes;   /* the query was NOT fts alone: matches are excluded */
	char **sources;     /* source: values (all must hold) */
	size_t source_count;
	char **regions;     /* region: values */
	size_t region_count;
	char **words;       /* the words searched for (not those a NOT excludes), */
	size_t word_count;  /* one string per term, "*" after a prefix: for snippets */
};
enum vigil_code archive_query_parse(const char *text, struct archive_parsed_query *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_parsed_query_release(struct archive_parsed_query *query);

enum vigil_code archive_search(struct archive_store *store, const struct archive_query *query,
			       struct archive_results *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_results_release(struct archive_results *results);

/* Counting what a query selects (limit, offset and sort do not apply;
 * with by_story stories are counted, not materials). With no key, one row
 * with the count; with one or two keys, a row per value (pair) found. A
 * material with several regions, threats or categories counts once under
 * each; one with none under "(none)". Rows are in key order (months and
 * quarters in time order). */
enum archive_count_key {
	ARCHIVE_KEY_REGION, ARCHIVE_KEY_MACRO_REGION, ARCHIVE_KEY_TONE, ARCHIVE_KEY_THREAT,
	ARCHIVE_KEY_CATEGORY, ARCHIVE_KEY_SOURCE, ARCHIVE_KEY_MONTH, ARCHIVE_KEY_QUARTER
};
/* "macro-region" -> ARCHIVE_KEY_MACRO_REGION; -1 when unknown. */
int archive_count_key_parse(const char *name);
const char *archive_count_key_name(enum archive_count_key key);
struct archive_count_row {
	char *values[2];      /* the keys' values (NULL past key_count) */
	int64_t count;
};
struct archive_counts {
	struct archive_count_row *rows;
	size_t count;
};
enum vigil_code archive_search_count(struct archive_store *store, const struct archive_query *query,
				     const enum archive_count_key *keys, size_t key_count,
				     struct archive_counts *out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_counts_release(struct archive_counts *counts);

struct archive_version {
	int number;            /* 1 = first */
	int64_t fetched_at;
	char *title;
	char *text_digest;
	int64_t capture_id;
	int minor;             /* a minor edit of the version before (schema v3) */
	char *final_url;       /* read at this other URL (a moved article), or NULL */
};

/* A deletion or a restoration of a material (table material_events). */
struct archive_event {
	char *kind;            /* "deleted" or "restored" */
	int64_t at;            /* fetch time of the capture that showed it */
	char *how;             /* deleted: "404", "410", "redirect", "soft-404", "channel" */
	int64_t capture_id;    /* that capture, or 0 */
	char *detail;          /* e.g. the redirect target, or NULL */
};

/* One material of a story, as show lists them. */
struct archive_story_copy {
	int64_t id;
	char *url;
	char *source;          /* outlet (source name) */
	char *published;       /* as the page gave it, or NULL */
	int64_t date;          /* published, else first seen: the order of the list */
	int64_t first_seen;
	int deleted;
};

struct archive_material_detail {
	struct archive_material material; /* classification of the chosen version */
	struct archive_version *versions; size_t version_count;
	int shown_version;                /* the version whose text is below */
	char *text;
	char *author;
	char *canonical_url;
	struct archive_hit *hits; size_t hit_count; /* of the shown version */
	/* Every material of its story, this one included, earliest first:
	 * copies[0] is the first seen copy. */
	struct archive_story_copy *copies; size_t copy_count;
	struct archive_channel_post channel; /* a channel post (channel.key set),
						else zeroed */
	struct archive_event *events; size_t event_count; /* oldest first */
};

/* key: a material id ("42") or its URL. version: 0 = latest. */
enum vigil_code archive_material_get(struct archive_store *store, const char *key, int version,
				     struct archive_material_detail *out,
				     struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_material_release(struct archive_material *material);
void archive_material_detail_release(struct archive_material_detail *detail);

const char *archive_tone_name(enum archive_tone tone);
/* "negative" -> ARCHIVE_TONE_NEGATIVE; -1 when unknown. */
int archive_tone_parse(const char *name);

/* Light stemmer for Russian and Kazakh words, used for the FTS index and
 * queries alike: lowercases, folds ё to е, strips common endings. Returns a
 * malloc'd string of space-separated stems. */
char *archive_stem_text(const char *text);

/* The stemmer of full-text search (index and queries): each word is
 * lowercased, ё folded to е, then stemmed by its script: Snowball russian
 * for Cyrillic, the Kazakh endings above for words with a Kazakh-only
 * letter, Snowball english for ASCII words; words with digits and other
 * scripts are only folded. One stemmer is not safe for two threads at once.
 * ARCHIVE_STEMMER_NAME is stored in the index; when it differs from the
 * one an index was built with, opening the index for writing rebuilds the
 * full-text table. Change it whenever any stem may come out differently. */
#define ARCHIVE_STEMMER_NAME "vigil-fts/1 snowball-2.2 russian english; kazakh endings/1; hyphen parts+joined"
struct archive_stemmer;
enum vigil_code archive_stemmer_new(struct archive_stemmer **out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void archive_stemmer_free(struct archive_stemmer *stemmer);
/* Stem word (len bytes) into out, NUL-terminated and cut to out_size at a
 * character boundary; returns the stem's length in bytes. */
size_t archive_stemmer_word(struct archive_stemmer *stemmer, const char *word, size_t len,
			    char *out, size_t out_size);

/* ---------------- near-duplicate texts (similarity.c) ---------------- */

/* Syndicated copies of one story (the same text republished by several
 * outlets with small edits) are grouped by the resemblance of their main
 * texts: the Jaccard index of their sets of word shingles (ARCHIVE_SHINGLE_WORDS
 * consecutive words, after folding case and ё, without punctuation). The
 * threshold and the band layout were chosen on tests/fixtures/stories
 * (figures in archive/README.md, "Stories"). */
#define ARCHIVE_SHINGLE_WORDS 4
#define ARCHIVE_STORY_THRESHOLD 0.5
#define ARCHIVE_STORY_BANDS 20 /* MinHash bands stored per version ... */
#define ARCHIVE_STORY_ROWS 3   /* ... of this many minima each */

struct archive_shingles {
	uint64_t *hashes;  /* sorted, distinct */
	size_t count;      /* 0: a text without words */
};

/* The shingle set of text (NULL or empty: none). Only fails on OOM. */
enum vigil_code archive_shingles_of(const char *text, struct archive_shingles *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
void archive_shingles_release(struct archive_shingles *shingles);
/* |a & b| / |a | b|, 0 when either is empty. */
double archive_shingles_similarity(const struct archive_shingles *a,
				   const struct archive_shingles *b);
/* The ARCHIVE_STORY_BANDS band keys (non-negative, 31 bits) of the set's
 * MinHash signature; returns how many were written (0 for an empty set). */
size_t archive_story_bands(const struct archive_shingles *shingles,
			   int64_t keys[ARCHIVE_STORY_BANDS]);

#endif
