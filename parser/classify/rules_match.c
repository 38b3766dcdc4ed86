/*
 * rules_match.c: running the compiled patterns over one text.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- matching ---- */

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
	list->items[list->count++] =
		(struct raw_hit){ .start = start, .end = end, .rule = rule, .pattern = pattern };
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

/* One match of code at or after *start (anchored at *start when the code
 * is anchored). 1 match in ov, 0 none, <0 error. */
static int match_once(const struct parse_classifier *c, const pcre2_code *code,
		      const char *subject, size_t len, size_t start, pcre2_match_data *md)
{
	/* The JIT's own entry skips pcre2_match()'s checks (the subject is
	 * valid UTF-8 already), which cost as much as a short anchored try. */
	int rc = pcre2_jit_match(code, (PCRE2_SPTR)subject, len, start, 0, md, c->mctx);

	if (rc == PCRE2_ERROR_JIT_BADOPTION) /* not JIT-compiled: interpret */
		rc = pcre2_match(code, (PCRE2_SPTR)subject, len, start, PCRE2_NO_UTF_CHECK, md,
				 c->mctx);

	return rc == PCRE2_ERROR_NOMATCH ? 0 : rc < 0 ? rc : 1;
}

enum vigil_code classify_match_all(const struct parse_classifier *c, const char *subject,
				   const char *lower, size_t len, struct hit_list *hits,
				   struct vigil_error *err)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	struct classify_candidate *cands = NULL;
	size_t ncands = 0, next_cand = 0;
	size_t p, rule_from = 0, rule_hits = 0, rule = SIZE_MAX;
	enum vigil_code code = VIGIL_OK;

	if (!md)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	if (!c->full_scan && classify_find_candidates(c, lower, len, &cands, &ncands)) {
		pcre2_match_data_free(md);
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
	}
	for (p = 0; p < c->pattern_count && !code; p++) {
		const struct classify_pattern *cp = &c->patterns[p];
		int use_literals = cp->literals && !c->full_scan;
		enum config_rule_kind kind = c->rules.items[cp->rule].kind;
		size_t start = 0, cap = kind == CONFIG_RULE_CATEGORY || kind == CONFIG_RULE_SOURCE
					       ? CLASSIFY_HITS_PER_CATEGORY
					       : CLASSIFY_HITS_PER_RULE;

		if (cp->rule != rule) {
			rule = cp->rule;
			rule_from = hits->count;
			rule_hits = 0;
		}
		/* candidates are sorted by pattern: skip to this one's */
		while (next_cand < ncands && cands[next_cand].pattern < p)
			next_cand++;
		while (rule_hits < cap && start <= len) {
			int rc;
			PCRE2_SIZE *ov;

			if (use_literals) {
				/* The next place a literal of the pattern starts, tried
				 * anchored: a match can begin nowhere else. */
				while (next_cand < ncands && cands[next_cand].pattern == p &&
				       cands[next_cand].at < start)
					next_cand++;
				if (next_cand >= ncands || cands[next_cand].pattern != p)
					break;
				rc = match_once(c, cp->anchored, subject, len, cands[next_cand].at, md);
				if (rc == 0) {
					next_cand++;
					continue;
				}
			} else {
				rc = match_once(c, cp->code, subject, len, start, md);
				if (rc == 0)
					break;
			}
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
	free(cands);
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
void classify_drop_nested_regions(const struct parse_classifier *c, struct hit_list *hits)
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
