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

/* Hold origin for wait_ms (at most CRAWL_MAX_ORIGIN_DELAY_MS) from now:
 * the politeness delay still running from a request of an earlier pass
 * (hosts.last_fetch_at in the index). */
enum vigil_code crawl_fetcher_hold(struct crawl_fetcher *fetcher, const char *origin, int wait_ms,
				   struct vigil_error *err) VIGIL_WARN_UNUSED;

/* crawl_fetcher_add_limited with validators (either may be NULL): a
 * conditional GET that keeps the crawler's own redirect handling. */
enum vigil_code crawl_fetcher_add_validated(struct crawl_fetcher *fetcher, const char *url,
					    size_t max_body, int follow_redirects,
					    const char *etag, const char *last_modified, void *user,
					    struct vigil_error *err) VIGIL_WARN_UNUSED;

/* Queue a URL whose body is cut at max_body bytes when that is lower than
 * the fetcher's cap (0: the fetcher's cap; robots.txt files are read up to
 * 500 KiB only). With follow_redirects 0 a 3xx answer comes back as it is,
 * with redirect_url set: the crawler follows redirects itself, checking
 * each target against robots.txt first. */
enum vigil_code crawl_fetcher_add_limited(struct crawl_fetcher *fetcher, const char *url,
					  size_t max_body, int follow_redirects, void *user,
					  struct vigil_error *err) VIGIL_WARN_UNUSED;

/*
 * Why the crawler refuses to connect to address (a struct sockaddr_in or
 * sockaddr_in6): "loopback", "private", "link-local", "cloud metadata",
 * "shared (CGNAT)", "multicast", "reserved", "broadcast", "unspecified",
 * "non-IP"; NULL for an address on the public internet. IPv4 addresses
 * inside IPv6 (::ffff:a.b.c.d, 64:ff9b::/96, ::a.b.c.d, 2002::/16) are
 * judged by the IPv4 rules.
 */
struct sockaddr;
const char *crawl_address_refusal(const struct sockaddr *address);

/* Format a message and hand it to a problem callback (crawl_options,
 * crawl_reindex_options): the one reporter of crawl.c, ingest.c and
 * reindex.c. Nothing happens when problem is NULL. */
void crawl_report(void (*problem)(const char *message, void *context), void *context,
		  const char *fmt, ...) VIGIL_PRINTF(3, 4);

/* ---- the state of a pass, shared by crawl.c and ingest.c ---- */

/* Frontier entry kinds; the index stores the number, so never renumber. */
enum crawl_kind {
	CRAWL_KIND_START = 0,   /* the source's start URL */
	CRAWL_KIND_FEED = 1,    /* a child sitemap of a sitemap index */
	CRAWL_KIND_ARTICLE = 2, /* a feed item or a recheck of a known material */
	CRAWL_KIND_PAGE = 3,    /* a page of a site found by following links */
	CRAWL_KIND_CHANNEL_PAGE = 4, /* an older page of a channel, START?before=N;
					its depth counts the posts read before it */
	CRAWL_KIND_CHANNEL_EMBED = 5, /* a post's embed page (PERMALINK?embed=1),
					fetched to confirm that the post is gone */
	CRAWL_KIND_PROBE = 6    /* a random URL that cannot exist: the host's
				   not-found page (see crawl_judge_recheck) */
};

/* The path of a probe URL starts with this; reindex tells probes by it. */
#define CRAWL_PROBE_PREFIX "/vigil-probe-"

enum robots_state { ROBOTS_NEEDED = 0, ROBOTS_FETCHING = 1, ROBOTS_READY = 2 };

struct crawl_robots {
	char *origin;
	enum robots_state state;
	struct parse_robots *rules; /* NULL: allow all (unless disallow_all) */
	int disallow_all;           /* 5xx or transport error this pass */
	int probed;                 /* a not-found probe was queued this pass */
};

struct crawl_source_run;

/* ---- analysis workers (pool.c) ---- */

/* An item of work, embedded first in the caller's struct. */
struct crawl_work {
	struct crawl_work *next_queued; /* the pool's queue */
	int done;                       /* analysed (read through crawl_pool_done) */
};
struct crawl_pool;
/* Start workers threads that run analyse on each submitted item. */
enum vigil_code crawl_pool_start(int workers, void (*analyse)(struct crawl_work *work),
				 struct crawl_pool **pool, struct vigil_error *err)
	VIGIL_WARN_UNUSED;
void crawl_pool_submit(struct crawl_pool *pool, struct crawl_work *work);
/* 1 when work is analysed; with wait, blocks until it is. */
int crawl_pool_done(struct crawl_pool *pool, struct crawl_work *work, int wait);
/* Finish the queued items, stop and join the workers, free the pool. */
void crawl_pool_stop(struct crawl_pool **pool);

/* Politeness state of one origin in a pass, loaded from the index's hosts
 * row on first use and written back after every answer. */
struct crawl_host {
	char *origin;
	int64_t backoff_until; /* seconds (pass clock); 0 = none */
	int error_streak;
	int reported;          /* the back-off was reported in this pass */
};

/* Back-off after an error streak of this many failed answers (5xx,
 * transport errors); 429 and 503 start a back-off at once. */
#define CRAWL_ERROR_STREAK 5
/* Without Retry-After: 60 s doubled per failure in the streak, at most
 * 6 h; a Retry-After longer than 7 days is cut to 7 days. */
#define CRAWL_BACKOFF_BASE 60
#define CRAWL_BACKOFF_MAX (6 * 3600)
#define CRAWL_RETRY_AFTER_MAX (7 * 86400)

/* Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP date. *until =
 * the time it names (now + seconds), 1 when value could be read, else 0. */
int crawl_retry_after(const char *value, int64_t now, int64_t *until);

/* The recheck schedule (config `recheck`, `recheck_until`): a material
 * whose steps started at from (first sight or last change) and which was
 * just checked at checked_at is due next at from + the first age in the
 * sequence steps[0], ..., steps[n-1], 2 * steps[n-1], 3 * steps[n-1], ...
 * that lies after checked_at and is at most recheck_until; *step gets
 * that age's index. ARCHIVE_RECHECK_NEVER when none is left. */
int64_t crawl_recheck_next(const struct config_settings *settings, int64_t from,
			   int64_t checked_at, int *step);

/* What the fetcher hands back through its user pointer. */
struct crawl_job {
	struct crawl_source_run *src;
	struct archive_frontier_entry entry; /* zeroed for robots.txt */
	struct crawl_robots *robots;         /* set for a robots.txt fetch */
	int hops;                            /* redirects followed so far */
	char *redirect_to;                   /* the next hop, while it waits */
};

struct crawl_source_run {
	const struct config_source *config;
	int64_t source_id;
	char *scope;                 /* normalised URL prefix */
	char *scope_origin;
	struct archive_warc_writer *warc; /* opened on the first new payload */
	struct crawl_job *job;       /* the fetch in flight, or NULL */
	struct crawl_job *redirect;  /* a redirect whose target waits for its
					robots.txt, or NULL */
	int added;                   /* URLs discovered this pass */
	int max_pages;
	int errors;
	int in_flight;               /* answers received, not applied yet */
	int64_t last_entry_id;       /* the last frontier entry handed out */
};

struct crawl_pending;

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
	struct crawl_host **hosts;
	size_t host_count, host_cap;
	/* The open write transaction that groups the index writes of several
	 * answers (each answer's own begin/commit nests in it as a
	 * savepoint): committed after CRAWL_BATCH_PAGES answers or
	 * CRAWL_BATCH_MS (crawl.c), and at the end of the pass. */
	int batch_open;
	int batch_answers;
	int64_t batch_started_ms;
	/* Page answers received and archived, waiting for their analysis
	 * (the pool) and then applied in this order. */
	struct crawl_pool *pool;
	struct crawl_pending *pending_head, *pending_tail;
	int lookahead;               /* answers in flight per source */
	struct vigil_error *err;
};

/*
 * What the parser makes of one answer, computed without the index (so on
 * a worker thread, crawl_analyse) and used by crawl_ingest_analysed on
 * the main thread. Each part is filled only where the answer needs it;
 * a *_code other than VIGIL_OK records a parser's failure (its message),
 * reported when the answer is applied.
 */
struct crawl_analysis {
	enum vigil_code list_code;  /* of the links or the feed */
	char list_message[VIGIL_ERROR_MAX];
	enum vigil_code doc_code;
	char doc_message[VIGIL_ERROR_MAX];
	int has_links, has_feed, has_doc, has_cls;
	struct parse_links links;   /* a site page's links */
	struct parse_feed feed;     /* a feed or sitemap */
	struct parse_document doc;  /* an article candidate's extraction */
	struct parse_classification cls; /* of doc (title, text, the source's region) */
	enum vigil_code cls_code;   /* the classifier's failure, or VIGIL_OK */
	char cls_message[VIGIL_ERROR_MAX];
};

/* Analyse answer r of entry e of source cfg (options: the classifier):
 * pure CPU work, no index, safe on any thread (the parser's libxml2 is
 * initialised by parse_init first). skip_article: the answer repeats the
 * URL's last stored payload, so the article part is left to the apply
 * step, which mostly finds it unchanged. Fills *a (released with
 * crawl_analysis_release). */
void crawl_analyse(const struct crawl_options *opt, const struct config_source *cfg,
		   const struct archive_frontier_entry *e, const struct crawl_fetch_result *r,
		   int skip_article, struct crawl_analysis *a);
void crawl_analysis_release(struct crawl_analysis *a);

/*
 * The per-capture step, one function for the crawl pass and for
 * `vigil archive reindex` (reindex.c) so both compute the same index from
 * the same response: r (its capture already stored as capture_id) for
 * frontier entry e of source src goes through the parser and into the
 * index: a truncated body is a page problem; a probe's answer teaches the
 * host's not-found page; a 404/410 on an article or page marks its
 * material (archive_material_resolve: also one that moved to that URL)
 * deleted at r->fetched_at; other non-2xx statuses are page problems; a
 * 2xx of a known material is judged first (crawl_judge_recheck) and may be
 * its deletion; then by entry and source kind: a feed or sitemap
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
/* crawl_ingest with the parser's work already done (a, from crawl_analyse
 * on the same answer; NULL: done here). The results are the same. */
enum vigil_code crawl_ingest_analysed(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct archive_frontier_entry *e,
				      const struct crawl_fetch_result *r, int64_t capture_id,
				      const struct crawl_analysis *a, int *failed) VIGIL_WARN_UNUSED;

/* The frontier kind of url, a capture of a channel source whose start URL
 * (normalised) is start_url: START, CHANNEL_EMBED (?embed=1),
 * CHANNEL_PAGE (?before=N), else ARTICLE. For reindex, which has only the
 * URL. */
enum crawl_kind crawl_channel_entry_kind(const char *url, const char *start_url);

/* Is a known channel post due for another look (and so worth reading the
 * channel's history back to it)? Young posts change most: a post first
 * seen under a day before now is due on every pass, under 7 days when last
 * seen 6 h or more before now, under 30 days after a day, older ones after
 * 7 days. */
int crawl_channel_post_due(int64_t now, int64_t first_seen, int64_t last_seen);

/* ---- only articles become materials (article.c) ---- */

/* A fetched page, as crawl_page_is_article sees it. Borrowed pointers. */
struct crawl_page {
	const char *url;          /* where it was read (key form) */
	const char *content_type; /* or NULL */
	const char *body;
	size_t body_len;
	const struct parse_document *doc; /* its extraction, or NULL */
};

/*
 * Is page an article, to be recorded as a material? The rule (also in
 * crawler/README.md): not when its type is not HTML or its body is a
 * feed or sitemap; not when its text is under 200 characters; yes when
 * it declares itself an article (og:type article, JSON-LD Article,
 * NewsArticle...); not when it is the site's home page ("/",
 * "/index.html", any query); not when less than half of its text is
 * prose (crawl_prose_share); not when it declares itself something else
 * (og:type website...) and less than 80 % is prose; else yes. *why (may
 * be NULL) gets the reason when not, else NULL.
 */
int crawl_page_is_article(const struct crawl_page *page, const char **why);

/* 1 when the answer is a feed or sitemap (an RSS, Atom or XML type, or
 * with no such type a body that opens with <?xml, <rss, <feed, <urlset,
 * <sitemapindex) rather than an HTML page. */
int crawl_body_is_feed(const char *content_type, const char *body, size_t len);
/* 1 when the answer may be an HTML page: an HTML type (or none, text/plain,
 * application/octet-stream, which the parser reads as HTML) and not a
 * feed by crawl_body_is_feed. */
int crawl_body_is_html(const char *content_type, const char *body, size_t len);

/* The share of text's characters in lines of prose: lines of at least 80
 * characters with a sentence end in them. A list of headlines, dates and
 * teasers' first words scores low, an article's paragraphs high. */
double crawl_prose_share(const char *text);

/* ---- rechecks of known materials (recheck.c) ---- */

/* 1 when target_url, where a redirect from article_url ended, is a page
 * that is not an article: the root, a directory above the article's path
 * ("/news/" for "/news/2024/story"; a query on it does not matter), or a
 * path with a search or login segment ("search", "poisk", "login",
 * "signin", "auth", "account", "wp-login.php", "user", ...). */
int crawl_url_is_listing(const char *article_url, const char *target_url);

enum crawl_recheck_kind {
	CRAWL_RECHECK_ARTICLE = 0, /* still the article: record it (edit or not) */
	CRAWL_RECHECK_MOVED = 1,   /* redirected to the same article elsewhere */
	CRAWL_RECHECK_REDIRECT = 2,/* redirected to a page that is not the article */
	CRAWL_RECHECK_SOFT_404 = 3 /* a "not found" page answered with 2xx */
};

/* A 2xx answer to the recheck of a known material. Borrowed pointers. */
struct crawl_recheck {
	const char *url;          /* the material's URL (what was asked for) */
	const char *final_url;    /* where redirects ended, or NULL */
	const char *title, *text; /* extracted from the answer (NULL: none) */
	const char *last_title, *last_text; /* the material's latest version */
	const char *payload_digest;         /* of the answer, "sha1:..." */
	const struct archive_host *host;    /* the final host's not-found page, or NULL */
	const struct config_phrases *notfound; /* notice phrases, or NULL */
};

struct crawl_verdict {
	enum crawl_recheck_kind verdict;
	char detail[512];         /* the redirect target, the notice phrase... */
};

/*
 * Judge a recheck (the rules are in crawler/README.md, "Deletions"):
 *   - soft 404: the text is under half the last version's and either a
 *     notice phrase (by stems) is in the title or the first 300
 *     characters, or the page is the host's not-found page (same payload
 *     digest, or vigil_text_similarity >= 0.8 with the probe's text); when
 *     redirects led there it is a REDIRECT;
 *   - not redirected: ARTICLE;
 *   - redirected to a listing URL (crawl_url_is_listing): MOVED when the
 *     texts are >= 60 % alike (vigil_text_similarity), else REDIRECT;
 *   - redirected elsewhere: MOVED when the texts are >= 60 % alike, or the
 *     titles >= 70 % and the text is not far shorter; else REDIRECT.
 * Only VIGIL_ERR_NOMEM fails.
 */
enum vigil_code crawl_judge_recheck(const struct crawl_recheck *in, struct crawl_verdict *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;

/* crawl_report through the pass's options. */
#define crawl_pass_problem(p, ...) crawl_report((p)->opt->problem, (p)->opt->context, __VA_ARGS__)

/*
 * Value of header name (matched case-insensitively) in the raw response
 * head[0..len), the last occurrence, blanks around it trimmed; malloc'd, or
 * NULL when absent, empty, or holding a control byte other than tab (a
 * bare CR could smuggle a header into the conditional request that sends
 * the value back). The head comes from the network: fuzz/
 * crawler_head_fuzzer.c drives this function directly.
 */
char *crawl_head_value(const char *head, size_t len, const char *name);

#endif
