/*
 * parser.h: turning fetched bytes into plain structs. HTML and XML go
 * through libxml2; pattern rules through PCRE2. No network, no database.
 *
 * Input is raw bytes as fetched plus the Content-Type header (may be NULL);
 * the charset is taken from, in order: a BOM, valid UTF-8, the header, the
 * <meta> tag, then windows-1251 as the Cyrillic fallback; a declaration the
 * bytes clearly contradict is set aside (parse_extract says so in warnings). All output text is
 * UTF-8, NUL-terminated, owned by the struct and freed by its *_release
 * (which accepts zeroed or already released structs).
 */
#ifndef VIGIL_PARSER_H
#define VIGIL_PARSER_H

#include "../common/vigil.h"
#include "../common/url.h"
#include "../config/config.h"

/* ---- one HTML page, read once for links and extraction ----
 * Decoding and parsing are most of the cost of reading a page. A page that
 * is both followed and extracted is read once by parse_page_read and then
 * given to parse_page_links and parse_page_extract; each gives exactly what
 * parse_links / parse_extract give for the same bytes (those two are now
 * parse_page_read, the one reader, parse_page_free). Call parse_page_links
 * first: the extraction uses the page's tree up (it removes junk from it),
 * and any reader after it has the tree read again from the page's text,
 * the cost of a second parse. url is the page's URL, the base of its links
 * (may be NULL). The page belongs to the caller, who frees it with
 * parse_page_free; it keeps a copy of what it needs, not body. Errors:
 * those of parse_extract (VIGIL_ERR_PARSE for an empty or tag-less body,
 * VIGIL_ERR_TOO_LARGE, VIGIL_ERR_NOMEM). */
struct parse_page; /* opaque */
enum vigil_code parse_page_read(const char *body, size_t len, const char *content_type,
				const char *url, struct parse_page **out,
				struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_page_free(struct parse_page **page); /* sets *page to NULL */

/* ---- main text and metadata of one article page ---- */
/* Initialise the parser's libraries (libxml2) once, on the main thread,
 * before parsing on several threads; harmless to call again. */
void parse_init(void);

/* What a page's own metadata says it is. */
enum parse_page_declared {
	PARSE_DECLARED_NOTHING = 0, /* neither og:type nor a JSON-LD article */
	PARSE_DECLARED_ARTICLE = 1, /* og:type "article..." or a JSON-LD object of
				       an article type (Article, NewsArticle,
				       BlogPosting, ReportageNewsArticle...) */
	PARSE_DECLARED_OTHER = 2    /* an og:type that is not an article
				       ("website", "profile"...) and no JSON-LD
				       article */
};

struct parse_document {
	char *title;
	char *author;
	char *published;     /* ISO 8601 ("2024-04-18" or with time and the
				page's own offset), or NULL */
	char *published_source; /* the evidence it came from: "json-ld",
				"meta:article:published_time", "time", "text",
				"url"... (parser/README.md), or NULL */
	char *language;      /* "ru", "kk", "en", ... guessed when not declared */
	char *canonical_url; /* <link rel=canonical> / og:url, absolute, or NULL */
	char *description;   /* meta description / og:description, or NULL */
	char *site_name;     /* og:site_name, or NULL */
	char *charset;       /* the charset the bytes were decoded from */
	char *text;          /* main text, paragraphs separated by "\n\n";
				navigation, menus, footers, related blocks
				removed */
	char **warnings;     /* what went wrong without failing, one line each
				("no main text found (page has no <body>)",
				"charset utf-8 declared in Content-Type does not
				match the bytes; decoded as windows-1251"), */
	size_t warning_count;/* or NULL and 0 */
	enum parse_page_declared declared; /* what the page says it is */
};

/* fetched_at: when the page was fetched (seconds since the epoch), the
 * anchor of relative dates ("вчера в 14:20", "2 hours ago") and the limit
 * past which a date is refused as future; 0 when unknown (neither is
 * done). */
enum vigil_code parse_extract(const char *body, size_t len, const char *content_type,
			      const char *url, int64_t fetched_at, struct parse_document *out,
			      struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code parse_page_extract(struct parse_page *page, int64_t fetched_at,
				   struct parse_document *out,
				   struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_document_release(struct parse_document *doc);

/* ---- links of an HTML page (absolute, fragment removed, deduplicated) ---- */
struct parse_link {
	char *url;
	char *text;
};
struct parse_links {
	struct parse_link *items;
	size_t count;
};
enum vigil_code parse_links(const char *body, size_t len, const char *content_type,
			    const char *base_url, struct parse_links *out,
			    struct vigil_error *err) VIGIL_WARN_UNUSED;
enum vigil_code parse_page_links(struct parse_page *page, struct parse_links *out,
				 struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_links_release(struct parse_links *links);

/* ---- RSS 2.0, Atom and sitemap.xml ---- */
struct parse_feed_item {
	char *url;        /* absolute */
	char *title;      /* or NULL */
	char *published;  /* ISO 8601 or NULL */
	char *summary;    /* plain text or NULL */
};
struct parse_feed {
	char *title;      /* feed title or NULL */
	struct parse_feed_item *items;
	size_t count;
	int is_index;     /* 1 for a <sitemapindex>: the items are child
			     sitemaps to fetch and parse in turn, not articles */
};
/* Accepts RSS 2.0, Atom 1.0 and <urlset>/<sitemapindex> sitemaps. A body that
 * is none of these is VIGIL_ERR_PARSE naming base_url. */
enum vigil_code parse_feed(const char *body, size_t len, const char *base_url,
			   struct parse_feed *out, struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_feed_release(struct parse_feed *feed);

/* ---- public channel page: several posts on one page ----
 * Telegram's public preview (t.me/s/NAME) markup: elements with class
 * "tgme_widget_message" and a data-post="channel/NUMBER" attribute, text
 * in "tgme_widget_message_text", date in <time datetime=...>. */
struct parse_channel_post {
	char *id;         /* "channel/123" */
	char *url;        /* permalink, absolute */
	char *published;  /* ISO 8601 or NULL */
	char *author;     /* or NULL */
	char *text;
	/* Added for channel history (all optional; zero/NULL when absent): */
	long long number;      /* 123 of "channel/123" */
	char *language;        /* guessed from text ("ru", "kk", "en"), or NULL */
	long long views;       /* "2.1K" -> 2100; -1 when the page shows none */
	int edited;            /* 1: the post's meta says "edited" */
	int service;           /* 1: a service message (pinned, photo changed):
				  it holds an id but is not a material */
	char *forwarded_from;  /* name of the forwarded-from channel or user */
	char *forwarded_url;   /* its link (absolute), or NULL */
	char **links;          /* absolute http(s) links of the text, unique, */
	size_t link_count;     /* in order (hashtag searches "?q=" left out) */
	long long *album;      /* numbers of the grouped media ("NAME/N?single"
				  links) of an album, ascending, or NULL */
	size_t album_count;
};
struct parse_channel {
	char *title;
	struct parse_channel_post *items;
	size_t count;
	/* The id range the page covers: posts, album members and service
	 * messages (0 and 0 when it has none). */
	long long min_number, max_number;
	/* The page's own "load older" cursor (data-before of the "more" block,
	 * else ?before= of <link rel=prev>), 0 when it offers none. */
	long long before;
};
enum vigil_code parse_channel_page(const char *body, size_t len, const char *content_type,
				   const char *base_url, struct parse_channel *out,
				   struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_channel_release(struct parse_channel *channel);

/* ---- a single post's embed page (t.me/NAME/ID?embed=1) ---- */
enum parse_embed_state {
	PARSE_EMBED_UNKNOWN = 0, /* neither a post nor an error block: proves nothing */
	PARSE_EMBED_POST = 1,    /* the post is there (post filled in) */
	PARSE_EMBED_ERROR = 2    /* an error block ("Post not found"): error holds its text */
};
struct parse_channel_embed {
	enum parse_embed_state state;
	char *error;                     /* PARSE_EMBED_ERROR: the block's text */
	struct parse_channel_post post;  /* PARSE_EMBED_POST */
};
/* An error block is an element with class "tgme_widget_message_error"
 * (Telegram's "Post not found", "Channel is private"...). A page with both
 * a post and an error block is an error. */
enum vigil_code parse_channel_embed(const char *body, size_t len, const char *content_type,
				    const char *base_url, struct parse_channel_embed *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_channel_embed_release(struct parse_channel_embed *embed);

/* ---- robots.txt (RFC 9309) ---- */
struct parse_robots; /* opaque */
/* Parse robots.txt for user_agent_token (e.g. "vigil"). A NULL/empty body
 * means allow all. */
enum vigil_code parse_robots(const char *body, size_t len, const char *user_agent_token,
			     struct parse_robots **out, struct vigil_error *err) VIGIL_WARN_UNUSED;
/* 1 when url (an http(s) URL, or a path with query) may be fetched. It is
 * compared in vigil_url's normalised form, like the rules. A URL that
 * cannot be normalised (too long, invalid) is not allowed: 0, and err
 * (may be NULL) says why; otherwise err is left alone. */
int parse_robots_allowed(const struct parse_robots *robots, const char *url,
			 struct vigil_error *err);
/* Crawl-delay in milliseconds, or -1 when not given. */
int parse_robots_crawl_delay_ms(const struct parse_robots *robots);
void parse_robots_free(struct parse_robots **robots);

/* ---- classification ----
 * The classifier compiles the configured rules once (PCRE2, JIT where
 * available) and is then read-only: share it between pages. */
struct parse_classifier; /* opaque */

enum parse_tone { PARSE_TONE_NEUTRAL = 0, PARSE_TONE_NEGATIVE = 1, PARSE_TONE_SUPPORTIVE = 2 };

struct parse_rule_hit {
	enum config_rule_kind kind;
	char *rule_id;     /* the rule's id */
	char *label;       /* the rule's label or NULL */
	char *matched;     /* the matched text, UTF-8 */
	size_t offset;     /* byte offset in the classified text */
	int weight;        /* tone rules: signed weight; others 0 */
	char *where;       /* "FILE:LINE" of the pattern that matched */
	/* Scope, when the text model was built (some rule is scoped; the
	 * shipped rules are): */
	const char *field; /* "title", "lead", "body", or NULL */
	int reported;      /* in quoted or reported speech (someone's words) */
	int negated;       /* under a negation (kept: the rule says ignore/flip) */
};

/* Who a threat comes from, when the text says it (config/README.md,
 * "Threat sources"). */
struct parse_threat_source {
	char *threat;          /* the threat rule's id */
	char *source;          /* the source rule's id, or "unknown" */
	char *source_label;    /* the source rule's label, or NULL */
	size_t offset;         /* the threat hit the source was found for */
};

struct parse_classification {
	int relevant;          /* 1 when the text mentions defenders */
	enum parse_tone tone;
	int tone_score;        /* sum of tone weights; <0 negative, >0 supportive */
	char **categories;     /* rule ids, unique, in first-hit order */
	size_t category_count;
	char **threats;
	size_t threat_count;
	char **regions;        /* region ids: the place of the event and its
				  enclosing regions first, then the regions
				  only mentioned, best scored first */
	size_t region_count;
	struct parse_rule_hit *hits; /* every hit, the explanation */
	size_t hit_count;
	size_t region_event_count; /* regions[0, N): the place of the event */
	char *explanation;     /* how tone and region were decided: lines
				  ending in '\n', or NULL */
	struct parse_threat_source *threat_sources; /* one per threat id, in
						       the order of threats */
	size_t threat_source_count;
};

enum vigil_code parse_classifier_new(const struct config_rules *rules,
				     struct parse_classifier **out,
				     struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_classifier_free(struct parse_classifier **classifier);
/* Classify title + text. region_hint (a region id or NULL) is used only when
 * the text names no region. */
enum vigil_code parse_classify(const struct parse_classifier *classifier,
			       const char *title, const char *text,
			       const char *region_hint,
			       struct parse_classification *out,
			       struct vigil_error *err) VIGIL_WARN_UNUSED;
void parse_classification_release(struct parse_classification *result);

/* Callback for rule checks and tests: one message per problem, "FILE:LINE:
 * what" (no newline). */
typedef void (*parse_report_fn)(void *ctx, const char *message);
/* Compile every pattern of rules on its own and report each that fails
 * ("FILE:LINE: pattern error at offset N: PCRE2 message") and each bad region
 * parent. Returns the number of problems (0: parse_classifier_new() will
 * succeed, memory permitting). */
size_t parse_rules_check(const struct config_rules *rules, parse_report_fn report, void *ctx);
/* Run every `expect` example of the classifier's rules: the example is
 * classified as a text without a title ("TITLE\n\nTEXT" gives it one), and its rule must have a hit
 * (`expect match`) or none (`expect no match`). Each failure is reported
 * ("FILE:LINE: [KIND ID] expected a match in \"...\", got none");
 * returns the number of failures, *run the number of examples. */
size_t parse_classifier_test(const struct parse_classifier *classifier, parse_report_fn report,
			     void *ctx, size_t *run);
const char *parse_tone_name(enum parse_tone tone);
/* Look up a region rule's label / macro-region by id (NULL if unknown). */
const struct config_rule *parse_classifier_region(const struct parse_classifier *c,
						   const char *region_id);

#endif
