/*
 * classify.c: tagging a material with the configured taxonomy.
 *
 * Every pattern of every rule is compiled once with PCRE2 (UTF, Unicode
 * properties, caseless; JIT when the platform has it) and the classifier is
 * read-only afterwards, so one classifier serves all pages and threads;
 * match data is created per call.
 *
 * The text matched is title + "\n\n" + text (a NULL title or text counts
 * as ""), with "ё" folded to "е" and invalid UTF-8 bytes replaced by '?'.
 * Both edits keep the byte length, so hit offsets are byte offsets into
 * that combined string. The decision rules (region order, tone threshold)
 * are documented in config/README.md, section "Classification".
 */
#include "parser.h"
#include "../common/utf8.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Hits kept per rule: enough to count mentions, bounded output. */
#define CLASSIFY_HITS_PER_RULE 20
/* Longer texts are refused; extracted articles are far smaller. */
#define CLASSIFY_TEXT_MAX ((size_t)16 * 1024 * 1024)
/* A pattern that backtracks this much on one text is a broken rule. */
#define CLASSIFY_MATCH_LIMIT 5000000
#define CLASSIFY_DEPTH_LIMIT 100000
#define CLASSIFY_SUBJECT_PAD 64
/* Parent chains deeper than this are a configuration loop. */
#define CLASSIFY_PARENT_DEPTH 8
/* Tone: the winning side needs |score| >= TONE_BASE + one point per
 * TONE_BYTES_PER_POINT bytes of text (at most TONE_MAX_THRESHOLD), and in
 * texts of TONE_SHORT_TEXT bytes or more, hits from at least
 * TONE_MIN_RULES different rules: one cue, however often repeated, does
 * not decide the tone of an article; in a short post it may. */
#define TONE_BASE 2
#define TONE_BYTES_PER_POINT 20000
#define TONE_MAX_THRESHOLD 6
#define TONE_SHORT_TEXT 2000
#define TONE_MIN_RULES 2

#define NO_PARENT SIZE_MAX

struct classify_pattern {
	pcre2_code *code;
	size_t rule;      /* index into classifier->rules.items */
	char *where;      /* "FILE:LINE" */
	uint32_t *filter; /* literal prefilter, NULL = always run */
	size_t filter_len;
};

struct parse_classifier {
	struct config_rules rules; /* a private deep copy */
	struct classify_pattern *patterns;
	size_t pattern_count;
	size_t *parent;            /* per rule: parent region rule or NO_PARENT */
	pcre2_match_context *mctx;
};

struct raw_hit {
	size_t start, end;
	size_t rule;
	size_t pattern;
};

const char *parse_tone_name(enum parse_tone tone)
{
	switch (tone) {
	case PARSE_TONE_NEUTRAL: return "neutral";
	case PARSE_TONE_NEGATIVE: return "negative";
	case PARSE_TONE_SUPPORTIVE: return "supportive";
	}
	return "neutral";
}

/* ---- text preparation ---- */

/* ё (D1 91) -> е (D0 B5), Ё (D0 81) -> Е (D0 95): same length, so offsets
 * survive. Invalid bytes become '?' so that PCRE2 can skip its UTF check. */
static void fold_text(char *s, size_t len)
{
	unsigned char *p = (unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = vigil_utf8_sequence_length(p + i, len - i);
		if (n == 0) {
			p[i++] = '?';
			continue;
		}
		if (n == 2 && p[i] == 0xD1 && p[i + 1] == 0x91) {
			p[i] = 0xD0;
			p[i + 1] = 0xB5;
		} else if (n == 2 && p[i] == 0xD0 && p[i + 1] == 0x81) {
			p[i + 1] = 0x95;
		}
		i += n;
	}
}

/* ---- literal prefilter ----
 *
 * Most patterns find nothing in a given text, yet PCRE2 must try them at
 * every Cyrillic letter (caseless UTF-8 Cyrillic shares its first byte), so
 * a full pass costs about as much for a miss as for a hit. Before a pattern
 * runs, the literal words every match must begin with ("обыск" for
 * \bобыск\w*, "зко"/"вко" for (?-i:ЗКО|ВКО)) are looked up in a bitmap of
 * the letter bigrams and trigrams of the lower-cased text; a pattern none of
 * whose literals can be present is skipped. The bitmap can answer "maybe"
 * wrongly, never "no" wrongly, so results are exactly those without it.
 * Patterns whose start is not a plain literal (a character class, \w, a
 * quote) always run. Lower-casing covers ASCII, Russian and Kazakh Cyrillic,
 * where upper and lower case have the same UTF-8 length. */

#define FILTER_BITS 17
#define FILTER_WORDS ((1u << FILTER_BITS) / 64)
#define FILTER_SEP UINT32_MAX
/* Literals per pattern; more alternatives than this and the pattern keeps
 * the shorter common prefix literals already found. */
#define LIT_MAX 32
#define LIT_LEN_MAX 64

/* Lower case for the letters literals may contain, ё folded to е. */
static uint32_t lower_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		c += 32;
	else if (c >= 0x410 && c <= 0x42F)
		c += 32;
	else if (c >= 0x400 && c <= 0x40F)
		c += 80;
	else if (c == 0x492 || c == 0x49A || c == 0x4A2 || c == 0x4AE || c == 0x4B0 ||
		 c == 0x4BA || c == 0x4D8 || c == 0x4E8)
		c += 1;
	return c == 0x451 ? 0x435 : c;
}

/* Letters and digits whose case mapping lower_cp() knows completely. */
static int literal_cp(uint32_t c)
{
	c = lower_cp(c);
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0x430 && c <= 0x45F) ||
	       c == 0x493 || c == 0x49B || c == 0x4A3 || c == 0x4AF || c == 0x4B1 ||
	       c == 0x4BB || c == 0x4D9 || c == 0x4E9;
}

/* Decode one UTF-8 character of valid text; returns its length. */
static size_t decode_cp(const unsigned char *p, uint32_t *cp)
{
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] < 0xE0) {
		*cp = ((uint32_t)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
		return 2;
	}
	if (p[0] < 0xF0) {
		*cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) |
		      (p[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(p[0] & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
	      ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	return 4;
}

/* Hash of two or three code points into the bitmap; c = 0 for a bigram
 * (NUL never occurs inside a word). */
static uint32_t gram_hash(uint32_t a, uint32_t b, uint32_t c)
{
	uint64_t x = (uint64_t)a | ((uint64_t)b << 21) | ((uint64_t)c << 42);

	return (uint32_t)((x * 0x9E3779B97F4A7C15ull) >> (64 - FILTER_BITS));
}

static void filter_build(uint64_t *bits, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	uint32_t a = 0, b = 0, c, h;
	size_t i = 0;

	while (i < len) {
		i += decode_cp(p + i, &c);
		c = lower_cp(c);
		if (b) {
			h = gram_hash(b, c, 0);
			bits[h >> 6] |= 1ull << (h & 63);
		}
		if (a) {
			h = gram_hash(a, b, c);
			bits[h >> 6] |= 1ull << (h & 63);
		}
		a = b;
		b = c;
	}
}

/* 1 when the pattern may match: some literal has all its grams present. */
static int filter_pass(const uint64_t *bits, const uint32_t *filter, size_t n)
{
	size_t i;
	int all = 1;

	if (!filter)
		return 1;
	for (i = 0; i < n; i++) {
		if (filter[i] == FILTER_SEP) {
			if (all)
				return 1;
			all = 1;
		} else if (all && !(bits[filter[i] >> 6] & (1ull << (filter[i] & 63)))) {
			all = 0;
		}
	}
	return 0;
}

/* A set of literal prefixes under construction, as code points. */
struct lit {
	uint32_t cp[LIT_LEN_MAX];
	size_t len;
};
struct lit_set {
	struct lit items[LIT_MAX];
	size_t n;
};

static const char *lit_alternation(const char *p, struct lit_set *out, int *complete,
				   int depth);

/* Skip a [...] class; p is at '['. */
static const char *skip_class(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (*p == '\\' && p[1])
			p += 2;
		else if (*p == '[' && p[1] == ':' && strstr(p + 2, ":]"))
			p = strstr(p + 2, ":]") + 2;
		else
			p++;
	}
	return *p ? p + 1 : p;
}

/* Skip to the '|' or ')' that ends the current alternative. */
static const char *skip_alternative(const char *p)
{
	int depth = 0;

	while (*p) {
		if (*p == '\\' && p[1]) {
			p += 2;
		} else if (*p == '[') {
			p = skip_class(p);
		} else if (*p == '(') {
			depth++;
			p++;
		} else if (*p == ')') {
			if (depth == 0)
				return p;
			depth--;
			p++;
		} else if (*p == '|' && depth == 0) {
			return p;
		} else {
			p++;
		}
	}
	return p;
}

/* Skip a whole group; p is at '('. */
static const char *skip_group(const char *p)
{
	p = skip_alternative(p + 1);
	while (*p == '|')
		p = skip_alternative(p + 1);
	return *p == ')' ? p + 1 : p;
}

/* Quantifier at p: 0 none, 1 optional (? * {0), 2 repeated (+ {n}). */
static int quantifier(const char *p)
{
	if (*p == '?' || *p == '*')
		return 1;
	if (*p == '+')
		return 2;
	if (*p == '{' && p[1] >= '0' && p[1] <= '9')
		return p[1] == '0' ? 1 : 2;
	return 0;
}

/* Append the cross product of set and tail to set; 0 when too large. */
static int lit_product(struct lit_set *set, const struct lit_set *tail)
{
	struct lit_set out;
	size_t i, j;

	if (set->n * tail->n > LIT_MAX || tail->n == 0)
		return 0;
	out.n = 0;
	for (i = 0; i < set->n; i++) {
		for (j = 0; j < tail->n; j++) {
			struct lit *l = &out.items[out.n++];

			if (set->items[i].len + tail->items[j].len > LIT_LEN_MAX)
				return 0;
			*l = set->items[i];
			memcpy(l->cp + l->len, tail->items[j].cp, tail->items[j].len * sizeof(uint32_t));
			l->len += tail->items[j].len;
		}
	}
	*set = out;
	return 1;
}

/* The literal prefixes of one alternative (a sequence of atoms). Returns
 * the end of the alternative; *complete when every atom was literal. */
static const char *lit_sequence(const char *p, struct lit_set *set, int *complete, int depth)
{
	set->n = 1;
	set->items[0].len = 0;
	*complete = 1;
	while (*p && *p != '|' && *p != ')') {
		if (*p == '\\' && (p[1] == 'b' || p[1] == 'B' || p[1] == 'A' || p[1] == 'G')) {
			p += 2; /* zero-width */
			continue;
		}
		if (*p == '^') {
			p++;
			continue;
		}
		if (*p == '(' && p[1] == '?' &&
		    (p[2] == '=' || p[2] == '!' || (p[2] == '<' && (p[3] == '=' || p[3] == '!')) ||
		     p[2] == '#')) {
			p = skip_group(p); /* look-around: zero-width */
			continue;
		}
		if (*p == '(' && p[1] == '?' && (p[2] == '-' || p[2] == 'i') &&
		    strchr(p, ')') && !memchr(p, ':', (size_t)(strchr(p, ')') - p))) {
			p = strchr(p, ')') + 1; /* (?-i) option setting */
			continue;
		}
		if (*p == '(') {
			struct lit_set inner;
			int inner_complete, q;
			const char *body = p + 1;

			if (p[1] == '?') {
				if (p[2] == ':' || p[2] == '>')
					body = p + 3;
				else if ((p[2] == '-' || p[2] == 'i') && strchr(p, ':'))
					body = strchr(p, ':') + 1;
				else
					break;
			} else if (p[1] == '*') {
				break;
			}
			if (depth > 8)
				break;
			p = lit_alternation(body, &inner, &inner_complete, depth + 1);
			if (*p != ')')
				break;
			p++;
			q = quantifier(p);
			if (q == 1 || !lit_product(set, &inner))
				break;
			if (q == 2 || !inner_complete)
				break;
			continue;
		}
		{
			uint32_t cp;
			size_t n = decode_cp((const unsigned char *)p, &cp), i;
			int q;

			if (!literal_cp(cp))
				break;
			q = quantifier(p + n);
			if (q == 1)
				break;
			for (i = 0; i < set->n; i++) {
				if (set->items[i].len == LIT_LEN_MAX)
					break;
				set->items[i].cp[set->items[i].len++] = lower_cp(cp);
			}
			if (i < set->n || q == 2) {
				p += n;
				break;
			}
			p += n;
		}
	}
	if (*p && *p != '|' && *p != ')') {
		*complete = 0;
		p = skip_alternative(p);
	}
	return p;
}

/* Alternatives up to the closing ')' (not consumed) or the end. */
static const char *lit_alternation(const char *p, struct lit_set *out, int *complete,
				   int depth)
{
	struct lit_set alt;
	int alt_complete;
	size_t i;

	out->n = 0;
	*complete = 1;
	for (;;) {
		p = lit_sequence(p, &alt, &alt_complete, depth);
		*complete &= alt_complete;
		if (out->n + alt.n > LIT_MAX) {
			/* Too many: no usable literal set. */
			out->n = 0;
			*complete = 0;
			while (*p == '|')
				p = skip_alternative(p + 1);
			return p;
		}
		for (i = 0; i < alt.n; i++)
			out->items[out->n++] = alt.items[i];
		if (*p != '|')
			return p;
		p++;
	}
}

/* The prefilter of a pattern: for each literal its gram hashes, literals
 * separated by FILTER_SEP; NULL (run always) when some alternative has no
 * literal of at least two letters. */
static uint32_t *filter_compile(const char *pattern, size_t *n_out)
{
	struct lit_set *set = malloc(sizeof(*set));
	uint32_t *filter;
	size_t i, j, n = 0;
	int complete;

	*n_out = 0;
	if (!set)
		return NULL;
	lit_alternation(pattern, set, &complete, 0);
	for (i = 0; i < set->n; i++) {
		if (set->items[i].len < 2)
			break;
	}
	if (set->n == 0 || i < set->n) {
		free(set);
		return NULL;
	}
	filter = malloc(set->n * (LIT_LEN_MAX + 1) * sizeof(*filter));
	if (!filter) {
		free(set);
		return NULL;
	}
	for (i = 0; i < set->n; i++) {
		const struct lit *l = &set->items[i];

		if (l->len == 2)
			filter[n++] = gram_hash(l->cp[0], l->cp[1], 0);
		for (j = 2; j < l->len; j++)
			filter[n++] = gram_hash(l->cp[j - 2], l->cp[j - 1], l->cp[j]);
		filter[n++] = FILTER_SEP;
	}
	free(set);
	*n_out = n;
	return filter;
}

/* ---- the classifier ---- */

static char *intern_file(struct config_rules *copy, const char *file, enum vigil_code *code)
{
	size_t i;
	char **grown;

	if (!file)
		return NULL;
	for (i = 0; i < copy->file_count; i++) {
		if (strcmp(copy->files[i], file) == 0)
			return copy->files[i];
	}
	grown = realloc(copy->files, (copy->file_count + 1) * sizeof(*grown));
	if (!grown) {
		*code = VIGIL_ERR_NOMEM;
		return NULL;
	}
	copy->files = grown;
	grown[copy->file_count] = vigil_strdup(file);
	if (!grown[copy->file_count]) {
		*code = VIGIL_ERR_NOMEM;
		return NULL;
	}
	return grown[copy->file_count++];
}

static int dup_field(char **dst, const char *src)
{
	*dst = vigil_strdup(src);
	return !src || *dst;
}

/* The classifier owns its rules so that callers may release theirs and
 * parse_classifier_region() stays valid for the classifier's lifetime. */
static enum vigil_code copy_rules(struct config_rules *copy, const struct config_rules *src)
{
	enum vigil_code code = VIGIL_OK;
	size_t i, j;

	memset(copy, 0, sizeof(*copy));
	if (src->count == 0)
		return VIGIL_OK;
	copy->items = calloc(src->count, sizeof(*copy->items));
	if (!copy->items)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < src->count && !code; i++) {
		const struct config_rule *s = &src->items[i];
		struct config_rule *d = &copy->items[i];

		copy->count = i + 1;
		d->kind = s->kind;
		d->tone = s->tone;
		d->weight = s->weight;
		d->line = s->line;
		if (!dup_field(&d->id, s->id ? s->id : "") || !dup_field(&d->label, s->label) ||
		    !dup_field(&d->group, s->group) || !dup_field(&d->parent, s->parent) ||
		    !dup_field(&d->macro, s->macro))
			return VIGIL_ERR_NOMEM;
		d->file = intern_file(copy, s->file, &code);
		if (code)
			return code;
		if (s->pattern_count == 0)
			continue;
		d->patterns = calloc(s->pattern_count, sizeof(*d->patterns));
		if (!d->patterns)
			return VIGIL_ERR_NOMEM;
		for (j = 0; j < s->pattern_count; j++) {
			struct config_pattern *dp = &d->patterns[j];

			d->pattern_count = j + 1;
			dp->line = s->patterns[j].line;
			if (!dup_field(&dp->text, s->patterns[j].text ? s->patterns[j].text : ""))
				return VIGIL_ERR_NOMEM;
			dp->file = intern_file(copy, s->patterns[j].file, &code);
			if (code)
				return code;
		}
	}
	return code;
}

void parse_classifier_free(struct parse_classifier **classifier)
{
	struct parse_classifier *c;
	size_t i;

	if (!classifier || !*classifier)
		return;
	c = *classifier;
	for (i = 0; i < c->pattern_count; i++) {
		pcre2_code_free(c->patterns[i].code);
		free(c->patterns[i].where);
		free(c->patterns[i].filter);
	}
	free(c->patterns);
	free(c->parent);
	pcre2_match_context_free(c->mctx);
	config_rules_release(&c->rules);
	free(c);
	*classifier = NULL;
}

static char *format_where(const char *file, int line)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	if (vigil_buf_printf(&buf, "%s:%d", file ? file : "(rules)", line)) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

static enum vigil_code compile_pattern(struct parse_classifier *c, size_t rule_index,
				       const struct config_pattern *p, struct vigil_error *err)
{
	struct classify_pattern *cp = &c->patterns[c->pattern_count];
	size_t len = strlen(p->text), erroffset;
	char *folded = vigil_strndup(p->text, len);
	int errcode;

	if (!folded)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	fold_text(folded, len);
	cp->code = pcre2_compile((PCRE2_SPTR)folded, len,
				 PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS, &errcode, &erroffset,
				 NULL);
	/* Only for a pattern that compiled: the literal scan trusts the syntax.
	 * NULL on OOM just means no prefilter. */
	if (cp->code)
		cp->filter = filter_compile(folded, &cp->filter_len);
	free(folded);
	if (!cp->code) {
		PCRE2_UCHAR message[256];

		if (pcre2_get_error_message(errcode, message, sizeof(message)) < 0)
			snprintf((char *)message, sizeof(message), "error %d", errcode);
		return vigil_error_set(err, VIGIL_ERR_REGEX,
				       "%s:%d: pattern error at offset %zu: %s",
				       p->file ? p->file : "(rules)", p->line, erroffset,
				       (const char *)message);
	}
	/* Without JIT support pcre2_match() interprets; same results. */
	(void)pcre2_jit_compile(cp->code, PCRE2_JIT_COMPLETE);
	cp->rule = rule_index;
	cp->where = format_where(p->file, p->line);
	c->pattern_count++;
	if (!cp->where)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	return VIGIL_OK;
}

static size_t find_region(const struct config_rules *rules, const char *id)
{
	size_t i;

	for (i = 0; id && i < rules->count; i++) {
		if (rules->items[i].kind == CONFIG_RULE_REGION && strcmp(rules->items[i].id, id) == 0)
			return i;
	}
	return NO_PARENT;
}

/* Parents must name region rules and must not loop. */
static enum vigil_code link_parents(struct parse_classifier *c, struct vigil_error *err)
{
	const struct config_rules *rules = &c->rules;
	size_t i, at;
	int depth;

	c->parent = malloc((rules->count ? rules->count : 1) * sizeof(*c->parent));
	if (!c->parent)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	for (i = 0; i < rules->count; i++) {
		const struct config_rule *r = &rules->items[i];

		c->parent[i] = NO_PARENT;
		if (r->kind != CONFIG_RULE_REGION || !r->parent)
			continue;
		c->parent[i] = find_region(rules, r->parent);
		if (c->parent[i] == NO_PARENT)
			return vigil_error_set(err, VIGIL_ERR_CONFIG,
					       "%s:%d: [region %s] parent '%s' is not a region id",
					       r->file ? r->file : "(rules)", r->line, r->id,
					       r->parent);
	}
	for (i = 0; i < rules->count; i++) {
		for (at = c->parent[i], depth = 0; at != NO_PARENT; at = c->parent[at]) {
			if (++depth > CLASSIFY_PARENT_DEPTH || at == i)
				return vigil_error_set(err, VIGIL_ERR_CONFIG,
						       "%s:%d: [region %s] parent chain loops or is "
						       "deeper than %d",
						       rules->items[i].file ? rules->items[i].file
									    : "(rules)",
						       rules->items[i].line, rules->items[i].id,
						       CLASSIFY_PARENT_DEPTH);
		}
	}
	return VIGIL_OK;
}

enum vigil_code parse_classifier_new(const struct config_rules *rules,
				     struct parse_classifier **out,
				     struct vigil_error *err)
{
	struct parse_classifier *c;
	enum vigil_code code;
	size_t i, j, total = 0;

	*out = NULL;
	if (!rules)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "classifier: no rules given");
	c = calloc(1, sizeof(*c));
	if (!c)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	code = copy_rules(&c->rules, rules);
	if (code) {
		parse_classifier_free(&c);
		return vigil_error_set(err, code, "classifier: out of memory");
	}
	for (i = 0; i < c->rules.count; i++)
		total += c->rules.items[i].pattern_count;
	c->patterns = calloc(total ? total : 1, sizeof(*c->patterns));
	c->mctx = pcre2_match_context_create(NULL);
	if (!c->patterns || !c->mctx) {
		parse_classifier_free(&c);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	}
	pcre2_set_match_limit(c->mctx, CLASSIFY_MATCH_LIMIT);
	pcre2_set_depth_limit(c->mctx, CLASSIFY_DEPTH_LIMIT);
	code = link_parents(c, err);
	for (i = 0; i < c->rules.count && !code; i++) {
		for (j = 0; j < c->rules.items[i].pattern_count && !code; j++)
			code = compile_pattern(c, i, &c->rules.items[i].patterns[j], err);
	}
	if (code) {
		parse_classifier_free(&c);
		return code;
	}
	*out = c;
	return VIGIL_OK;
}

const struct config_rule *parse_classifier_region(const struct parse_classifier *c,
						   const char *region_id)
{
	size_t i;

	if (!c || !region_id)
		return NULL;
	i = find_region(&c->rules, region_id);
	return i == NO_PARENT ? NULL : &c->rules.items[i];
}

/* ---- matching ---- */

struct hit_list {
	struct raw_hit *items;
	size_t count, cap;
};

static int hits_push(struct hit_list *list, size_t start, size_t end, size_t rule,
		     size_t pattern)
{
	if (list->count == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct raw_hit *grown = realloc(list->items, cap * sizeof(*grown));

		if (!grown)
			return 0;
		list->items = grown;
		list->cap = cap;
	}
	list->items[list->count++] = (struct raw_hit){ start, end, rule, pattern };
	return 1;
}

/* Hits of one rule sit at the end of the list (rules are matched in
 * order); a second pattern matching the same words adds nothing. */
static int overlaps_rule(const struct hit_list *list, size_t from, size_t start, size_t end)
{
	size_t i;

	for (i = from; i < list->count; i++) {
		if (start < list->items[i].end && list->items[i].start < end)
			return 1;
	}
	return 0;
}

static enum vigil_code match_all(const struct parse_classifier *c, const char *subject,
				 size_t len, struct hit_list *hits, struct vigil_error *err)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	uint64_t *bits = calloc(FILTER_WORDS, sizeof(*bits));
	size_t p, rule_from = 0, rule_hits = 0, rule = SIZE_MAX;
	enum vigil_code code = VIGIL_OK;

	if (!md || !bits) {
		pcre2_match_data_free(md);
		free(bits);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	}
	filter_build(bits, subject, len);
	for (p = 0; p < c->pattern_count && !code; p++) {
		const struct classify_pattern *cp = &c->patterns[p];
		size_t start = 0;

		if (cp->rule != rule) {
			rule = cp->rule;
			rule_from = hits->count;
			rule_hits = 0;
		}
#ifndef CLASSIFY_NO_PREFILTER
		if (!filter_pass(bits, cp->filter, cp->filter_len))
			continue;
#endif
		while (rule_hits < CLASSIFY_HITS_PER_RULE && start <= len) {
			int rc = pcre2_match(cp->code, (PCRE2_SPTR)subject, len, start,
					     PCRE2_NO_UTF_CHECK, md, c->mctx);
			PCRE2_SIZE *ov;

			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				PCRE2_UCHAR message[256];

				pcre2_get_error_message(rc, message, sizeof(message));
				code = vigil_error_set(err, VIGIL_ERR_REGEX, "%s: %s", cp->where,
						       (const char *)message);
				break;
			}
			ov = pcre2_get_ovector_pointer(md);
			if (ov[1] <= ov[0]) {
				/* Empty matches explain nothing: step one character. */
				start = ov[0] + 1;
				while (start < len && ((unsigned char)subject[start] & 0xC0) == 0x80)
					start++;
				continue;
			}
			if (!overlaps_rule(hits, rule_from, ov[0], ov[1])) {
				if (!hits_push(hits, ov[0], ov[1], rule, p)) {
					code = vigil_error_set(err, VIGIL_ERR_NOMEM,
							       "classifier: out of memory");
					break;
				}
				rule_hits++;
			}
			start = ov[1];
		}
	}
	pcre2_match_data_free(md);
	free(bits);
	return code;
}

static int cmp_span(const void *a, const void *b)
{
	const struct raw_hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static int cmp_offset(const void *a, const void *b)
{
	const struct raw_hit *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* A place name inside a longer place name is not a mention of its own:
 * "Алматы" in "Алматы облысы" (the oblast) or a city inside an oblast
 * phrase. Region hits strictly inside another region hit are dropped. */
static void drop_nested_regions(const struct parse_classifier *c, struct hit_list *hits)
{
	size_t i, n = 0, max_start = 0, max_end = 0;
	int have = 0;

	if (hits->count < 2)
		return;
	qsort(hits->items, hits->count, sizeof(*hits->items), cmp_span);
	for (i = 0; i < hits->count; i++) {
		struct raw_hit *h = &hits->items[i];

		if (c->rules.items[h->rule].kind == CONFIG_RULE_REGION) {
			if (have && (max_end > h->end || (max_end == h->end && max_start < h->start)))
				continue;
			if (!have || h->end > max_end) {
				max_end = h->end;
				max_start = h->start;
				have = 1;
			}
		}
		hits->items[n++] = *h;
	}
	hits->count = n;
	qsort(hits->items, hits->count, sizeof(*hits->items), cmp_offset);
}

/* ---- building the result ---- */

void parse_classification_release(struct parse_classification *result)
{
	size_t i;

	if (!result)
		return;
	for (i = 0; i < result->category_count; i++)
		free(result->categories[i]);
	free(result->categories);
	for (i = 0; i < result->threat_count; i++)
		free(result->threats[i]);
	free(result->threats);
	for (i = 0; i < result->region_count; i++)
		free(result->regions[i]);
	free(result->regions);
	for (i = 0; i < result->hit_count; i++) {
		free(result->hits[i].rule_id);
		free(result->hits[i].label);
		free(result->hits[i].matched);
		free(result->hits[i].where);
	}
	free(result->hits);
	memset(result, 0, sizeof(*result));
}

/* Append id to a unique list (arrays sized by the caller). */
static int add_unique(char **list, size_t *count, const char *id)
{
	size_t i;

	for (i = 0; i < *count; i++) {
		if (strcmp(list[i], id) == 0)
			return 1;
	}
	list[*count] = vigil_strdup(id);
	if (!list[*count])
		return 0;
	(*count)++;
	return 1;
}

struct region_count {
	size_t rule;
	size_t count;
	size_t first;  /* offset of the first mention */
	size_t seq;    /* order of appearance: a city before its oblast */
};

static int cmp_region(const void *a, const void *b)
{
	const struct region_count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void region_add(struct region_count *counts, size_t *n, size_t rule, size_t offset)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (counts[i].rule == rule) {
			counts[i].count++;
			return;
		}
	}
	counts[*n] = (struct region_count){ rule, 1, offset, *n };
	(*n)++;
}

/* Regions by mentions, each mention also counting for the enclosing
 * regions, so that a city's oblast adds up over all its cities. */
static enum vigil_code build_regions(const struct parse_classifier *c,
				     const struct hit_list *hits, const char *region_hint,
				     struct parse_classification *out)
{
	size_t nregions = 0, i, n = 0, at;
	struct region_count *counts;

	for (i = 0; i < c->rules.count; i++)
		nregions += c->rules.items[i].kind == CONFIG_RULE_REGION;
	if (nregions == 0)
		return VIGIL_OK;
	counts = calloc(nregions, sizeof(*counts));
	if (!counts)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < hits->count; i++) {
		size_t rule = hits->items[i].rule;

		if (c->rules.items[rule].kind != CONFIG_RULE_REGION)
			continue;
		for (at = rule; at != NO_PARENT; at = c->parent[at])
			region_add(counts, &n, at, hits->items[i].start);
	}
	if (n == 0 && region_hint) {
		for (at = find_region(&c->rules, region_hint); at != NO_PARENT; at = c->parent[at])
			region_add(counts, &n, at, 0);
	}
	qsort(counts, n, sizeof(*counts), cmp_region);
	out->regions = calloc(n ? n : 1, sizeof(*out->regions));
	if (!out->regions) {
		free(counts);
		return VIGIL_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		if (!add_unique(out->regions, &out->region_count, c->rules.items[counts[i].rule].id)) {
			free(counts);
			return VIGIL_ERR_NOMEM;
		}
	}
	free(counts);
	return VIGIL_OK;
}

static enum vigil_code decide_tone(const struct parse_classifier *c,
				   const struct hit_list *hits, size_t len,
				   struct parse_classification *out)
{
	size_t i, neg_rules = 0, pos_rules = 0, min_rules;
	int score = 0, threshold;
	unsigned char *seen = calloc(c->rules.count ? c->rules.count : 1, 1);

	if (!seen)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < hits->count; i++) {
		size_t rule = hits->items[i].rule;
		const struct config_rule *r = &c->rules.items[rule];

		if (r->kind != CONFIG_RULE_TONE)
			continue;
		score += r->tone * r->weight;
		if (seen[rule])
			continue;
		seen[rule] = 1;
		if (r->tone < 0)
			neg_rules++;
		else if (r->tone > 0)
			pos_rules++;
	}
	free(seen);
	out->tone_score = score;
	threshold = TONE_BASE + (int)(len / TONE_BYTES_PER_POINT);
	if (threshold > TONE_MAX_THRESHOLD)
		threshold = TONE_MAX_THRESHOLD;
	out->tone = PARSE_TONE_NEUTRAL;
	/* Tone is the stance toward defenders: none without them. */
	if (!out->relevant)
		return VIGIL_OK;
	min_rules = len < TONE_SHORT_TEXT ? 1 : TONE_MIN_RULES;
	if (score <= -threshold && neg_rules >= min_rules)
		out->tone = PARSE_TONE_NEGATIVE;
	else if (score >= threshold && pos_rules >= min_rules)
		out->tone = PARSE_TONE_SUPPORTIVE;
	return VIGIL_OK;
}

static enum vigil_code build_result(const struct parse_classifier *c, const char *subject,
				    size_t len, const struct hit_list *hits,
				    const char *region_hint, struct parse_classification *out)
{
	size_t i, ncat = 0, nthr = 0;

	out->hits = calloc(hits->count ? hits->count : 1, sizeof(*out->hits));
	if (!out->hits)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < hits->count; i++) {
		const struct raw_hit *h = &hits->items[i];
		const struct config_rule *r = &c->rules.items[h->rule];
		struct parse_rule_hit *o = &out->hits[i];

		out->hit_count = i + 1;
		o->kind = r->kind;
		o->offset = h->start;
		o->weight = r->kind == CONFIG_RULE_TONE ? r->tone * r->weight : 0;
		o->rule_id = vigil_strdup(r->id);
		o->label = vigil_strdup(r->label);
		o->matched = vigil_strndup(subject + h->start, h->end - h->start);
		o->where = vigil_strdup(c->patterns[h->pattern].where);
		if (!o->rule_id || (r->label && !o->label) || !o->matched || !o->where)
			return VIGIL_ERR_NOMEM;
		ncat += r->kind == CONFIG_RULE_CATEGORY;
		nthr += r->kind == CONFIG_RULE_THREAT;
		if (r->kind == CONFIG_RULE_CATEGORY || r->kind == CONFIG_RULE_RELEVANCE)
			out->relevant = 1;
	}
	out->categories = calloc(ncat ? ncat : 1, sizeof(*out->categories));
	out->threats = calloc(nthr ? nthr : 1, sizeof(*out->threats));
	if (!out->categories || !out->threats)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < hits->count; i++) {
		const struct config_rule *r = &c->rules.items[hits->items[i].rule];

		if (r->kind == CONFIG_RULE_CATEGORY &&
		    !add_unique(out->categories, &out->category_count, r->id))
			return VIGIL_ERR_NOMEM;
		if (r->kind == CONFIG_RULE_THREAT &&
		    !add_unique(out->threats, &out->threat_count, r->id))
			return VIGIL_ERR_NOMEM;
	}
	if (build_regions(c, hits, region_hint, out))
		return VIGIL_ERR_NOMEM;
	return decide_tone(c, hits, len, out);
}

enum vigil_code parse_classify(const struct parse_classifier *classifier,
			       const char *title, const char *text,
			       const char *region_hint,
			       struct parse_classification *out,
			       struct vigil_error *err)
{
	size_t title_len = title ? strlen(title) : 0, text_len = text ? strlen(text) : 0, len;
	struct hit_list hits = { NULL, 0, 0 };
	enum vigil_code code;
	char *subject;

	memset(out, 0, sizeof(*out));
	if (!classifier)
		return vigil_error_set(err, VIGIL_ERR_USAGE, "classify: no classifier");
	if (title_len > CLASSIFY_TEXT_MAX || text_len > CLASSIFY_TEXT_MAX - title_len - 2)
		return vigil_error_set(err, VIGIL_ERR_TOO_LARGE,
				       "classify: text of %zu bytes is over the %zu-byte limit",
				       title_len + text_len, CLASSIFY_TEXT_MAX);
	len = title_len + 2 + text_len;
	/* PCRE2's JIT reads the subject 16 bytes at a time and may look past
	 * its end (within the page); the zeroed tail keeps those reads inside
	 * the allocation. */
	subject = malloc(len + 1 + CLASSIFY_SUBJECT_PAD);
	if (!subject)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classify: out of memory");
	if (title_len)
		memcpy(subject, title, title_len);
	memcpy(subject + title_len, "\n\n", 2);
	if (text_len)
		memcpy(subject + title_len + 2, text, text_len);
	memset(subject + len, 0, 1 + CLASSIFY_SUBJECT_PAD);
	fold_text(subject, len);

	code = match_all(classifier, subject, len, &hits, err);
	if (!code) {
		drop_nested_regions(classifier, &hits);
		code = build_result(classifier, subject, len, &hits, region_hint, out);
		if (code)
			vigil_error_set(err, code, "classify: out of memory");
	}
	if (code)
		parse_classification_release(out);
	free(hits.items);
	free(subject);
	return code;
}
