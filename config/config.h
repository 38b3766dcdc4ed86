/*
 * config.h: reading and validating vigil's configuration.
 *
 * Two kinds of files, both UTF-8 text in an INI-like format documented in
 * config/README.md:
 *   - a sources file: which sites, feeds, sitemaps and public channel pages
 *     to crawl, and crawl-wide settings;
 *   - rule files: the taxonomy (defender categories, threat types, tone
 *     lexicon, regions) as PCRE2 patterns with ids and labels.
 * Every error names the file and the line. Nothing here compiles regexes or
 * touches the network: the parser and crawler take these plain structs.
 *
 * Ownership: *_load fills a caller-provided struct whose strings it owns;
 * *_release frees them and accepts a zeroed or already released struct.
 */
#ifndef VIGIL_CONFIG_H
#define VIGIL_CONFIG_H

#include "../common/vigil.h"

enum config_source_kind {
	CONFIG_SOURCE_SITE = 0,    /* HTML site: follow links within scope */
	CONFIG_SOURCE_FEED = 1,    /* RSS 2.0 or Atom feed: items are articles */
	CONFIG_SOURCE_SITEMAP = 2, /* sitemap.xml: <loc> entries are articles */
	CONFIG_SOURCE_CHANNEL = 3  /* public channel page (t.me/s/NAME style):
				      each post is a material */
};

struct config_source {
	char *name;        /* unique, [A-Za-z0-9_-]+, used in file names */
	char *url;         /* start URL */
	enum config_source_kind kind;
	char *scope;       /* URL prefix links must start with; default: the
			      start URL's scheme://host[:port]/ */
	char *language;    /* hint: "ru", "kk", "en" or NULL */
	char *region;      /* hint: a region id from the gazetteer or NULL */
	int interval_hours;/* crawl when last crawl is older than this; 24 */
	int depth;         /* link hops from the start URL; feed: 1 */
	int max_pages;     /* pages per pass for this source; 200 */
	int starter;       /* 1: from the starter list of real outlets */
	/* kind = channel: how far back a pass reads the history (`history =
	 * 200` posts or `history = 30d`); exactly one is non-zero. */
	int history_posts; /* 200 when history is not given */
	int history_days;
	int line;          /* line of the [source] header, for messages */
};

/* At most this many `recheck =` steps. */
#define CONFIG_RECHECK_MAX_STEPS 16

struct config_settings {
	char *user_agent;      /* default "vigil/VERSION (+https://...)" */
	int delay_ms;          /* per-host delay between requests; 1000 */
	int timeout_seconds;   /* per request; 30 */
	long max_body_bytes;   /* response size cap; 10 MiB */
	int parallel_hosts;    /* hosts fetched at once; 8 */
	int workers;           /* analysis threads of a crawl; 0 = one per core */
	int obey_robots;       /* 1 */
	int allow_private;     /* `allow_private = yes`: fetch loopback, private,
				  link-local and metadata addresses; 0 */
	char *private_endpoints; /* `allow_private = ADDR[:PORT] ...`: only
				    these private endpoints; NULL */
	int minor_edit;        /* `minor_edit = N`: longest date/counter line, in
				  words, whose changes make a minor edit
				  (vigil_edit_is_minor); 0 = no edit is minor;
				  default 6 */
	char *rules_dir;       /* `rules =`: directory of *.rules, already
				  resolved against the sources file's
				  directory; NULL = the shipped rules,
				  config_shipped_path("rules") */
	/* `recheck = 1h 6h 1d 3d 7d 30d`: a known material is fetched again
	 * when this long has passed since its first sight or last change,
	 * then every last step, until `recheck_until` after that time.
	 * recheck_step_count 0 (`recheck = always`, or a struct built by
	 * hand): every live material on every pass. */
	int64_t recheck_steps[CONFIG_RECHECK_MAX_STEPS]; /* seconds, ascending */
	int recheck_step_count;
	int64_t recheck_until; /* seconds; default 365 days */
};

struct config_sources {
	char *path;            /* the file read */
	struct config_settings settings;
	struct config_source *items;
	size_t count;
};

/* Read a sources file. On error returns non-zero, err says "FILE:LINE: ...",
 * and out is left released. */
enum vigil_code config_sources_load(const char *path, struct config_sources *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
void config_sources_release(struct config_sources *sources);
const char *config_source_kind_name(enum config_source_kind kind);

/*
 * Rules. A rule file holds sections:
 *   [category ID]  label = ..., pattern = ... (repeatable)
 *   [threat ID]    label = ..., group = ..., pattern = ...
 *   [tone ID]      tone = negative|supportive, weight = N, pattern = ...
 *   [region ID]    label = ..., parent = ID, macro = ..., pattern = ...
 *   [relevance ID] pattern = ...   (the material mentions defenders)
 *   [source ID]    label, pattern   (who acts: police, court ...; the
 *                                    source of a threat named near it)
 *   [expect]       expect KIND ID match "..." (examples of any rule)
 * Every rule may also have all = / none = patterns, near, field, quote,
 * with, negation, weight, threshold and `expect [no] match "..."` lines.
 * Patterns are PCRE2 syntax, matched caseless with UTF and Unicode
 * properties; "ё" is folded to "е" in both text and patterns.
 */
enum config_rule_kind {
	CONFIG_RULE_CATEGORY = 0,
	CONFIG_RULE_THREAT = 1,
	CONFIG_RULE_TONE = 2,
	CONFIG_RULE_REGION = 3,
	CONFIG_RULE_RELEVANCE = 4,
	CONFIG_RULE_SOURCE = 5 /* who acts: the source of a threat */
};

struct config_pattern {
	char *text;        /* PCRE2 source */
	char *file;        /* points into config_rules.files; do not free */
	int line;
};

/* Where a hit may lie (bits of config_rule.fields; 0 = anywhere). */
#define CONFIG_FIELD_TITLE 1u
#define CONFIG_FIELD_LEAD 2u
#define CONFIG_FIELD_BODY 4u

/* Whose words a hit may be in: someone else's are inside a quotation of
 * four words or more, or in a sentence with a reporting verb. */
enum config_quote_scope {
	CONFIG_QUOTE_ANY = 0,
	CONFIG_QUOTE_INSIDE = 1,  /* only in quoted or reported speech */
	CONFIG_QUOTE_OUTSIDE = 2  /* only in the outlet's own voice */
};

/* What a negated hit ("не является преследованием") does. */
enum config_negation {
	CONFIG_NEGATION_DEFAULT = 0, /* void for tone and threat rules, else ignore */
	CONFIG_NEGATION_IGNORE = 1,  /* counts as if not negated */
	CONFIG_NEGATION_VOID = 2,    /* dropped */
	CONFIG_NEGATION_FLIP = 3     /* counts with the opposite sign (tone) */
};

/* An example a rule must (or must not) match: `expect match "..."`. */
struct config_expect {
	char *text;        /* the example, escapes \" \\ \n resolved */
	int match;         /* 1: the rule must hit it; 0: must not */
	char *file;        /* points into config_rules.files; do not free */
	int line;
};

struct config_rule {
	enum config_rule_kind kind;
	char *id;          /* e.g. "journalist", "police_detention", "PAV" */
	char *label;       /* human label, may be NULL */
	char *group;       /* threat group, or NULL */
	char *parent;      /* region: parent region id, or NULL */
	char *macro;       /* region: macro-region, or NULL */
	int tone;          /* tone rules: -1 negative, +1 supportive */
	int weight;        /* tone rules: default 1 */
	struct config_pattern *patterns;
	size_t pattern_count;
	char *file;        /* points into config_rules.files; do not free */
	int line;
	/* Conditions on each hit of `pattern` (config/README.md, "Rule
	 * language"); the zero values change nothing. */
	struct config_pattern *all;  /* each must match in the hit's window */
	size_t all_count;
	struct config_pattern *none; /* none may match in the window */
	size_t none_count;
	int near;          /* window: N words either side; 0 = the sentence */
	unsigned fields;   /* CONFIG_FIELD_* bits; 0 = anywhere */
	enum config_quote_scope quote;
	int with_defender; /* the window must name a defender (a category hit) */
	enum config_negation negation;
	int threshold;     /* hits' weights must add up to this; 0 or 1 = any hit */
	struct config_expect *expects;
	size_t expect_count;
	int genre;         /* tone rules, `class = genre`: a genre or voice
			      signal of the whole text (appeal, statement,
			      interview, first person, SOS), not a cue word */
};

struct config_rules {
	struct config_rule *items;
	size_t count;
	char **files;      /* every file read, owned */
	size_t file_count;
};

/* Read one rule file and append its rules to rules (which may already hold
 * rules from other files; start from a zeroed struct). Duplicate ids of the
 * same kind are an error naming both places. */
enum vigil_code config_rules_load(const char *path, struct config_rules *rules,
				  struct vigil_error *err) VIGIL_WARN_UNUSED;
/* Read every *.rules file in dir, in name order. */
enum vigil_code config_rules_load_dir(const char *dir, struct config_rules *rules,
				      struct vigil_error *err) VIGIL_WARN_UNUSED;
void config_rules_release(struct config_rules *rules);
const char *config_rule_kind_name(enum config_rule_kind kind);

/*
 * Phrase lists (notfound.phrases beside the rules: the wording of "page
 * not found" notices in each language). Sections [phrases LANG] hold
 * `phrase = TEXT` lines; the phrases of every section are read into one
 * list, in file order. Matching is the caller's business (the crawler
 * compares stemmed words, so case and endings do not matter).
 */
struct config_phrases {
	char **items;
	size_t count;
	char *path;        /* the file read */
};
enum vigil_code config_phrases_load(const char *path, struct config_phrases *out,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;
void config_phrases_release(struct config_phrases *phrases);

/* Where the shipped configuration (sources.conf, rules/) lives, with "/"
 * NAME appended when name is not NULL, into out (size bytes; a path that
 * does not fit is VIGIL_ERR_TOO_LARGE). The directory is $VIGIL_CONFIG_DIR
 * when set and non-empty; else found from the running program's path:
 * PREFIX/share/vigil for PREFIX/bin/vigil (make install), or the source
 * tree's config/ for a program built in that tree (build/vigil,
 * build/tests/NAME); else /etc/vigil. None of them holding a rules/ folder
 * is VIGIL_ERR_NOT_FOUND, the message saying where it looked. */
enum vigil_code config_shipped_path(const char *name, char *out, size_t size,
				    struct vigil_error *err) VIGIL_WARN_UNUSED;

#endif
