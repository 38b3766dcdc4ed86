/*
 * prefilter.c: the literal prefilter that lets most patterns be skipped.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

#define FILTER_SEP UINT32_MAX
/* Literals per pattern; more alternatives than this and the pattern keeps
 * the shorter common prefix literals already found. */
#define LIT_MAX 32
#define LIT_LEN_MAX 64

/* Lower case for the letters literals may contain, ё folded to е. */
uint32_t classify_lower_cp(uint32_t c)
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

/* Letters and digits whose case mapping classify_lower_cp() knows completely. */
static int literal_cp(uint32_t c)
{
	c = classify_lower_cp(c);
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 0x430 && c <= 0x45F) ||
	       c == 0x493 || c == 0x49B || c == 0x4A3 || c == 0x4AF || c == 0x4B1 ||
	       c == 0x4BB || c == 0x4D9 || c == 0x4E9;
}

/* Decode one UTF-8 character of valid text; returns its length. */
size_t classify_decode_cp(const unsigned char *p, uint32_t *cp)
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

void classify_filter_build(uint64_t *bits, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	uint32_t a = 0, b = 0, c, h;
	size_t i = 0;

	while (i < len) {
		i += classify_decode_cp(p + i, &c);
		c = classify_lower_cp(c);
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
int classify_filter_pass(const uint64_t *bits, const uint32_t *filter, size_t n)
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
			size_t n = classify_decode_cp((const unsigned char *)p, &cp), i;
			int q;

			if (!literal_cp(cp))
				break;
			q = quantifier(p + n);
			if (q == 1)
				break;
			for (i = 0; i < set->n; i++) {
				if (set->items[i].len == LIT_LEN_MAX)
					break;
				set->items[i].cp[set->items[i].len++] = classify_lower_cp(cp);
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
uint32_t *classify_filter_compile(const char *pattern, size_t *n_out)
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
