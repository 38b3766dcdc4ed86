/*
 * classify_int.h: what the files of parser/classify/ share and nothing
 * else uses (the published API is parser/parser.h).
 *
 * Files: classifier.c (building: rule copy, PCRE2 compile, region parents),
 * prefilter.c (literal prefilter), rules_match.c (running the patterns over
 * a text), region.c (the region decision), tone.c (the tone decision),
 * threat_source.c (who a threat comes from), classify.c (parse_classify():
 * text preparation and the result).
 */
#ifndef VIGIL_CLASSIFY_INT_H
#define VIGIL_CLASSIFY_INT_H

#include "../parser.h"
#include "../../common/utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stddef.h>

#include "text_model.h"

/* Hits kept per rule: enough to count mentions, bounded output. */
#define CLASSIFY_HITS_PER_RULE 20
/* Defender mentions scope other rules (with = defender, tone about the
 * defenders named) and sources are looked up for threats, so category and
 * source rules keep many more. */
#define CLASSIFY_HITS_PER_CATEGORY 1000
/* Longer texts are refused; extracted articles are far smaller. */
#define CLASSIFY_TEXT_MAX ((size_t)16 * 1024 * 1024)
/* A pattern that backtracks this much on one text is a broken rule. */
#define CLASSIFY_MATCH_LIMIT 5000000
#define CLASSIFY_DEPTH_LIMIT 100000
#define CLASSIFY_SUBJECT_PAD 64 /* >= LITERAL_PAD */
/* Parent chains deeper than this are a configuration loop. */
#define CLASSIFY_PARENT_DEPTH 8
/* Tone (tone.c; config/README.md "Classification"): the winning side needs
 * |score| >= TONE_BASE_QUARTERS / 4 + one point per TONE_CHARS_PER_POINT characters (at
 * most TONE_MAX_THRESHOLD), and in texts of TONE_SHORT_TEXT characters or
 * more, hits from at least TONE_MIN_RULES different rules, or one decisive
 * hit (a genre signal, or a cue of weight >= TONE_DECISIVE_WEIGHT in the
 * outlet's own voice about defenders). */
/* The values are guarded so that tests/eval/tone_grid.sh can rebuild the
 * classifier with others and measure them (tests/classify-dev/README.md). */
#ifndef TONE_BASE_QUARTERS
#define TONE_BASE_QUARTERS 8 /* 2 points, in quarter points */
#endif
#ifndef TONE_CHARS_PER_POINT
#define TONE_CHARS_PER_POINT 20000
#endif
#define TONE_MAX_THRESHOLD 6
#ifndef TONE_SHORT_TEXT
#define TONE_SHORT_TEXT 2000
#endif
#define TONE_MIN_RULES 2
#define TONE_DECISIVE_WEIGHT 3
/* Words after a reporting cue where its speaker is named ("— говорит
 * активистка", "said the union's lawyer"). */
#define TONE_SPEAKER_WORDS 3
#ifndef TONE_FLOOR_WEIGHT
#define TONE_FLOOR_WEIGHT 2
#endif
#ifndef TONE_FLOOR_REPORTED
#define TONE_FLOOR_REPORTED 0
#endif

#define NO_PARENT SIZE_MAX

struct classify_pattern {
	pcre2_code *code;
	pcre2_code *anchored; /* the same, anchored: tried at literal places */
	size_t rule;      /* index into classifier->rules.items */
	char *where;      /* "FILE:LINE" */
	unsigned char *literals; /* packed (length byte, bytes)..., NULL = none
				    (see LITERAL_LEN_MASK):
				    the pattern scans the whole text */
	size_t literals_len;
};

/* One literal of one pattern in the classifier's literal index. */
struct classify_literal {
	const unsigned char *bytes; /* into the pattern's literals */
	size_t len;
	size_t pattern;
	uint32_t key;
	unsigned table;             /* 0: keyed by two bytes, 1: by four */
	uint64_t head, mask;        /* its first (up to) 8 bytes, for a quick test
				       (up to its first inner space when spaced) */
	int spaced;                 /* has a space before its last byte: each
				       space stands for a run of blanks */
	int word_start;             /* sought only where no word character
				       precedes (a \b before it in the pattern) */
};
/* Bytes of zero padding classify_find_candidates() may read past the
 * lower-cased text. */
#define LITERAL_PAD 8
/* The length byte of a packed literal (classify_literals_compile): the
 * length in its low bits, LITERAL_WORD_START when a \b precedes it. */
#define LITERAL_LEN_MASK 0x7F
#define LITERAL_WORD_START 0x80

/* A place where a pattern's literal starts in the text. */
struct classify_candidate {
	size_t pattern;
	size_t at;
};

#define LITERAL_KEY_BITS 16

/* A rule's all/none patterns: conditions[all_first, none_first) are its
 * `all`, conditions[none_first, none_end) its `none`. */
struct classify_rule_conditions {
	size_t all_first, none_first, none_end;
};

struct parse_classifier {
	struct config_rules rules; /* a private deep copy */
	struct classify_pattern *patterns;
	size_t pattern_count;
	struct classify_pattern *conditions; /* all/none patterns of every rule */
	size_t condition_count;
	struct classify_rule_conditions *rule_conditions; /* per rule */
	int needs_model;           /* some rule is scoped: build the text model */
	struct classify_literal *literal_items; /* every pattern's literals, by key */
	size_t literal_count;
	/* Two tables (prefilter.c): [0] keyed by the first two bytes, [1] by
	 * the first four, hashed. */
	uint32_t *literal_buckets[2]; /* 2^LITERAL_KEY_BITS + 1 offsets into items */
	uint64_t *literal_keys[2];    /* bit per key that has literals: small
					 tables that stay in cache during the scan */
	uint64_t *literal_keys_inner[2]; /* the same for literals sought inside
					    words too (no \b before them) */
	int full_scan;             /* tests: scan every pattern over the text */
	size_t *parent;            /* per rule: parent region rule or NO_PARENT */
	pcre2_match_context *mctx;
};

struct raw_hit {
	size_t start, end;
	size_t rule;
	size_t pattern;
	/* Filled by classify_apply_scope() when the text model is built. */
	unsigned field;     /* TEXT_FIELD_* */
	unsigned char reported, negated, flipped;
};

/* ---- prefilter.c ---- */
/* Lower case for the letters literals may contain, ё folded to е
 * (inline: the scans call it for every letter). */
static inline uint32_t classify_lower_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		c += 32;
	else if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		c += 32;
	else if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
		 (c >= 0x14A && c <= 0x177))
		c |= 1;
	else if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		c += c & 1;
	else if (c >= 0x410 && c <= 0x42F)
		c += 32;
	else if (c >= 0x400 && c <= 0x40F)
		c += 80;
	else if (c == 0x492 || c == 0x49A || c == 0x4A2 || c == 0x4AE || c == 0x4B0 ||
		 c == 0x4BA || c == 0x4D8 || c == 0x4E8)
		c += 1;
	return c == 0x451 ? 0x435 : c;
}

/* Decode one UTF-8 character of valid text; returns its length. */
size_t classify_decode_cp(const unsigned char *p, uint32_t *cp);
/* The literals every match of the pattern starts with (see prefilter.c);
 * NULL when there are none (or on OOM: the pattern then scans). */
unsigned char *classify_literals_compile(const char *pattern, size_t *n_out);
/* Index the literals of all patterns (after they are compiled). */
enum vigil_code classify_literal_index_build(struct parse_classifier *c);
/* classify_fold_text() on text and classify_lower_text() of the result
 * into lower, in one pass; returns the number of characters. */
size_t classify_prepare_text(char *text, size_t len, char *lower);
/* text lower-cased into out (len bytes, same offsets), white space as ' '. */
void classify_lower_text(const char *text, size_t len, char *out);
/* Where the patterns' literals start in lower (from classify_lower_text):
 * sorted by pattern, then offset; *out malloc'd (NULL when none). */
enum vigil_code classify_find_candidates(const struct parse_classifier *c, const char *lower,
					 size_t len, struct classify_candidate **out,
					 size_t *count);

/* ---- classifier.c ---- */
/* ё -> е and invalid bytes -> '?', length kept. */
void classify_fold_text(char *s, size_t len);
/* Index of the region rule with this id, or NO_PARENT. */
size_t classify_find_region(const struct config_rules *rules, const char *id);

/* ---- rules_match.c ---- */
struct hit_list {
	struct raw_hit *items;
	size_t count, cap;
};
/* lower: subject from classify_lower_text(), with LITERAL_PAD zero bytes
 * after it. */
enum vigil_code classify_match_all(const struct parse_classifier *c, const char *subject,
				   const char *lower, size_t len, struct hit_list *hits,
				   struct vigil_error *err);
void classify_drop_nested_regions(const struct parse_classifier *c, struct hit_list *hits);

/* ---- scope.c ---- */
/* Drop the hits whose rule's conditions fail (field, quote, negation,
 * all/none/with in the window) and then the hits of rules below their
 * threshold; fills each kept hit's field/reported/negated/flipped.
 * model is NULL when no rule is scoped (thresholds still apply). */
enum vigil_code classify_apply_scope(const struct parse_classifier *c, const char *subject,
				     size_t len, const struct text_model *model,
				     struct hit_list *hits, struct vigil_error *err);

/* ---- classify.c ---- */
/* Index of the first hit starting at or after offset (hits sorted by
 * start), hits->count when none. */
size_t classify_first_hit(const struct hit_list *hits, size_t offset);
/* Append one formatted line (at most 511 bytes) to why; NULL why: nothing. */
void classify_explain(struct vigil_buf *why, const char *fmt, ...) VIGIL_PRINTF(2, 3);
/* Append id to a unique list (arrays sized by the caller); 0 on OOM. */
int classify_add_unique(char **list, size_t *count, const char *id);

/* ---- region.c ---- */
/* m may be NULL (no scoring beyond mentions); why may be NULL. */
enum vigil_code classify_build_regions(const struct parse_classifier *c,
				       const struct hit_list *hits, const struct text_model *m,
				       const char *region_hint, struct parse_classification *out,
				       struct vigil_buf *why);

/* ---- tone.c ---- */
/* why (may be NULL) gets one line per counted hit and the decision. */
enum vigil_code classify_decide_tone(const struct parse_classifier *c,
				     const struct hit_list *hits, const struct text_model *m,
				     size_t chars, struct parse_classification *out,
				     struct vigil_buf *why);

/* ---- threat_source.c ---- */
/* out->threat_sources: one per out->threats entry, the source named in the
 * sentence of one of its hits, else in the nearest sentence before it in
 * the same paragraph, else "unknown". m may be NULL (all unknown). */
enum vigil_code classify_threat_sources(const struct parse_classifier *c,
					const struct hit_list *hits, const struct text_model *m,
					struct parse_classification *out);

#endif
