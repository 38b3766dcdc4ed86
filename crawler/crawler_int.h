/*
 * crawler_int.h: helpers shared by the files of crawler/ and nothing else.
 * Not a published API: the CLI and tests of other modules use crawler.h.
 */
#ifndef VIGIL_CRAWLER_INT_H
#define VIGIL_CRAWLER_INT_H

#include "crawler.h"

/* Hard ceiling for a robots.txt Crawl-delay: a hostile or mistyped value
 * must not stall a pass for hours. */
#define CRAWL_MAX_ORIGIN_DELAY_MS 30000

/*
 * The fetcher queues and the robots cache are keyed by origin as
 * vigil_url_origin (common/url.h) gives it, so both sides use it.
 *
 * Set the delay between two requests to origin (as vigil_url_origin gives
 * it), e.g. from a robots.txt Crawl-delay. Values below the fetcher's
 * delay_ms are raised to it and values above CRAWL_MAX_ORIGIN_DELAY_MS are
 * capped. Applies to transfers that start after the call.
 */
enum vigil_code crawl_fetcher_set_delay(struct crawl_fetcher *fetcher, const char *origin,
					int delay_ms, struct vigil_error *err) VIGIL_WARN_UNUSED;

/* ---- the state of a pass, shared by crawl.c and ingest.c ---- */

/* Frontier entry kinds; the index stores the number, so never renumber. */
enum crawl_kind {
	CRAWL_KIND_START = 0,   /* the source's start URL */
	CRAWL_KIND_FEED = 1,    /* a child sitemap of a sitemap index */
	CRAWL_KIND_ARTICLE = 2, /* a feed item or a recheck of a known material */
	CRAWL_KIND_PAGE = 3     /* a page of a site found by following links */
};

enum robots_state { ROBOTS_NEEDED = 0, ROBOTS_FETCHING = 1, ROBOTS_READY = 2 };

struct crawl_robots {
	char *origin;
	enum robots_state state;
	struct parse_robots *rules; /* NULL: allow all (unless disallow_all) */
	int disallow_all;           /* 5xx or transport error this pass */
};

struct crawl_source_run;

/* What the fetcher hands back through its user pointer. */
struct crawl_job {
	struct crawl_source_run *src;
	struct archive_frontier_entry entry; /* zeroed for robots.txt */
	struct crawl_robots *robots;         /* set for a robots.txt fetch */
};

struct crawl_source_run {
	const struct config_source *config;
	int64_t source_id;
	char *scope;                 /* normalised URL prefix */
	char *scope_origin;
	struct archive_warc_writer *warc; /* opened on the first new payload */
	struct crawl_job *job;       /* the fetch in flight, or NULL */
	int added;                   /* URLs discovered this pass */
	int max_pages;
	int errors;
};

struct crawl_pass {
	const struct crawl_options *opt;
	const struct config_settings *settings;
	struct crawl_summary *sum;
	struct crawl_fetcher *fetcher;
	struct crawl_robots **robots;
	size_t robots_count, robots_cap;
	struct crawl_source_run **active; /* each allocated alone: jobs point at them */
	size_t active_count, active_cap;
	size_t next_source;
	struct vigil_error *err;
};

/*
 * The per-capture step, one function for the crawl pass and for
 * `vigil archive reindex` (reindex.c) so both compute the same index from
 * the same response: r (its capture already stored as capture_id) for
 * frontier entry e of source src goes through the parser and into the
 * index: a truncated body is a page problem; a 404/410 on an article or
 * page marks its material deleted at r->fetched_at; other non-2xx statuses
 * are page problems; then by entry and source kind: a feed or sitemap
 * (its items become frontier entries), a channel page (its posts become
 * materials, posts gone from its window are marked deleted), a site page
 * (its links become entries, within src->max_pages) and an article
 * (extracted, classified, recorded as new / changed / unchanged). Counts
 * go to p->sum. *failed = 1 for a page problem (reported through
 * p->opt->problem); the return is non-OK only when the pass cannot go on.
 */
enum vigil_code crawl_ingest(struct crawl_pass *p, struct crawl_source_run *src,
			     const struct archive_frontier_entry *e,
			     const struct crawl_fetch_result *r, int64_t capture_id, int *failed)
	VIGIL_WARN_UNUSED;

#endif
