/*
 * crawler.h: one crawl pass over the configured sources.
 *
 * A pass: for each source that is due, seed (or resume) its frontier in the
 * index, fetch with libcurl multi (several hosts at once, at most one
 * request in flight per host, the configured delay between requests to one
 * host, robots.txt obeyed, timeouts and a body size cap, loopback and
 * private addresses refused unless allowed, redirects followed by the
 * crawler so each target is checked against its robots.txt), archive every
 * response as WARC records, and hand article pages to the parser:
 *   - feed / sitemap: the items are articles (depth 1);
 *   - site: links within the source's scope, to the configured depth;
 *   - channel: each post on the page is a material; a post that was there
 *     before and is gone now is marked deleted.
 * Article pages are extracted, classified and recorded as versions; a
 * recheck of a known material that answers 404 or 410, redirects to a page
 * that is not the article, or shows a "not found" page (a soft 404) marks
 * it deleted, with how and the capture that showed it (crawler/README.md,
 * "Deletions"); an article that moved is followed to its new address. A
 * payload identical to the last stored capture of the URL is not written
 * to the WARC again (unless redirects led elsewhere).
 *
 * The crawler never prints: progress goes through an optional callback.
 */
#ifndef VIGIL_CRAWLER_H
#define VIGIL_CRAWLER_H

#include "../common/vigil.h"
#include "../config/config.h"
#include "../parser/parser.h"
#include "../archive/archive.h"

struct crawl_summary {
	int sources;      /* sources crawled in this pass */
	int fetched;      /* HTTP exchanges made (robots.txt included) */
	int new_materials;
	int changed;
	int deleted;
	int unchanged;
	int errors;       /* fetches or pages that failed */
	int skipped_robots;
	int revisits;     /* unchanged answers (304, or the payload stored
			     already) archived as WARC revisit records */
	int deferred;     /* frontier entries left for a later pass: their
			     host was in back-off (429/503, error streak) */
};

/* Progress: called after each fetch with the URL and its HTTP status (0 for
 * a transport error) and the running summary. */
typedef void (*crawl_progress_fn)(const char *url, int status,
				  const struct crawl_summary *so_far, void *context);

/* Called once per failed fetch or page, and once per extraction warning of
 * a page that was read, with a message naming the URL. */
typedef void (*crawl_problem_fn)(const char *message, void *context);

struct crawl_options {
	const char *data_dir;
	const struct config_sources *sources;
	const struct parse_classifier *classifier;
	struct archive_store *store;
	int force;              /* crawl every source, due or not, and recheck
				   every live material, scheduled or not */
	const char *only_source;/* crawl just this source name, or NULL */
	int64_t now;            /* 0 = the clock; tests may fix it: every answer
				   of the pass then counts as fetched at now
				   (captures, WARC-Date, recheck schedules,
				   back-off); politeness delays stay real */
	/* Soft-404 detection: the phrases of "not found" notices (NULL: none),
	 * and whether to learn each host's not-found page by fetching one
	 * random URL of it (at most once a day per host, and only for hosts
	 * whose materials are rechecked). */
	const struct config_phrases *notfound_phrases;
	int probe_notfound;
	/* Threads that parse, extract and classify answers while the main
	 * thread fetches and writes (config `workers`); 0 = one per core.
	 * The index ends up the same whatever the number. */
	int workers;
	crawl_progress_fn progress;
	crawl_problem_fn problem;
	void *context;
};

/* Run one pass. Failures of single pages are counted in summary->errors and
 * reported through problem; the return value is non-OK only when the pass
 * itself cannot go on (index or disk failure). */
enum vigil_code crawl_run(const struct crawl_options *options, struct crawl_summary *summary,
			  struct vigil_error *err) VIGIL_WARN_UNUSED;

/* ---- rebuilding the index from the WARC files (reindex.c) ---- */

struct crawl_reindex_options {
	const char *data_dir;
	const struct config_sources *sources;   /* kind, region, language per source */
	const struct parse_classifier *classifier;
	const struct config_phrases *notfound_phrases; /* as for crawl_run */
	crawl_problem_fn problem;               /* damaged files, pages that fail */
	void *context;
};

struct crawl_reindex_summary {
	int files;          /* WARC files read */
	int damaged_files;  /* of which had bad frames (their good records are used) */
	int records;        /* response records indexed as captures */
	struct crawl_summary pages; /* new_materials, changed, deleted, unchanged, errors */
	int64_t kept_at;    /* time stamp of the previous index kept aside, 0 if none */
	char kept[64];      /* its file name in the data directory, "" if none */
};

/* Rebuild DATA/index.sqlite from the WARC files alone: every response
 * record, in WARC-Date order across all files, becomes a capture and goes
 * through the same per-capture step as a crawl (crawl_ingest), so
 * materials, versions and deletions come out as the crawl made them; the
 * latest robots.txt per origin refills the robots cache; sources come from
 * the config and the files' warcinfo. The new index is built as
 * DATA/index.sqlite.new and renamed over the old one, which is kept as
 * index.sqlite.damaged-TIMESTAMP (or .old-TIMESTAMP when it was readable)
 * with its -wal and -shm. The caller holds the data-directory lock. What
 * the WARC files cannot give back is listed in archive/README.md. */
enum vigil_code crawl_reindex(const struct crawl_reindex_options *options,
			      struct crawl_reindex_summary *summary, struct vigil_error *err)
	VIGIL_WARN_UNUSED;

/* ---- the fetcher, usable on its own ---- */
struct crawl_fetch_request {
	char *url;
	void *user;            /* caller's pointer, returned with the result */
};

struct crawl_fetch_result {
	char *url;             /* as requested */
	char *effective_url;   /* after redirects */
	int status;            /* HTTP status, 0 on transport error */
	char *error;           /* transport error text, or NULL; names a URL
	                        * only when it is a redirect's target */
	char *content_type;
	char *etag;
	char *last_modified;
	char *ip;
	char *request_head;    /* raw request as sent */
	size_t request_head_len;
	char *response_head;   /* raw status line + headers of the final response */
	size_t response_head_len;
	char *body;            /* NUL-terminated for convenience */
	size_t body_len;
	int truncated;         /* body hit the size cap */
	int64_t fetched_at;
	void *user;
	char *redirect_url;    /* a 3xx not followed (see crawl_fetcher_add_limited):
				  its Location made absolute, or NULL */
};

struct crawl_fetcher; /* opaque: a libcurl multi handle with per-host queues */

struct crawl_fetcher_options {
	const char *user_agent;
	int delay_ms;
	int timeout_seconds;
	long max_body_bytes;
	int parallel_hosts;
	/* Connections to loopback, private, link-local, CGNAT, multicast,
	 * reserved and cloud-metadata addresses (checked on the resolved
	 * address, redirects included) are refused unless allow_private is
	 * set or the address (and port, if given) is listed in
	 * private_endpoints: "ADDRESS[:PORT] ...", IPv6 as [ADDR]:PORT. */
	int allow_private;
	const char *private_endpoints;
};

enum vigil_code crawl_fetcher_new(const struct crawl_fetcher_options *options,
				  struct crawl_fetcher **out, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* Queue a URL; the fetcher copies the url. */
enum vigil_code crawl_fetcher_add(struct crawl_fetcher *fetcher, const char *url, void *user,
				  struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Queue a conditional GET: sends If-None-Match: etag and/or
 * If-Modified-Since: last_modified (either may be NULL; both NULL is a plain
 * GET). A 304 answer comes back as status 304 with an empty body.
 * crawl_run sends the validators of a URL's last stored 2xx answer. */
enum vigil_code crawl_fetcher_add_conditional(struct crawl_fetcher *fetcher, const char *url,
					      const char *etag, const char *last_modified,
					      void *user, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
/* Drive transfers until one finishes; fills *result (release with
 * crawl_fetch_result_release). VIGIL_ERR_NOT_FOUND when nothing is queued. */
enum vigil_code crawl_fetcher_next(struct crawl_fetcher *fetcher,
				   struct crawl_fetch_result *result,
				   struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Number of queued plus running transfers. */
size_t crawl_fetcher_pending(const struct crawl_fetcher *fetcher);
void crawl_fetcher_free(struct crawl_fetcher **fetcher);
void crawl_fetch_result_release(struct crawl_fetch_result *result);

#endif
