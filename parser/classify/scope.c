/*
 * scope.c: the rule language's conditions on each hit (config/README.md,
 * "Rule language"): the field it lies in, whose words it is in, negation,
 * the window around it (its sentence, or NEAR/n words) that must hold every
 * `all` pattern, no `none` pattern and, with `with = defender`, a defender
 * mention; then per-rule thresholds on the summed weights.
 */
#include "classify_int.h"

#include <stdlib.h>
#include <string.h>

struct window {
	size_t start, end;
};

/* The hit's sentence(s), or `near` words either side of it. */
static struct window hit_window(const struct text_model *m, const struct config_rule *r,
				const struct raw_hit *h)
{
	struct window w = { h->start, h->end };

	if (r->near) {
		size_t first = text_model_word(m, h->start);
		size_t last = text_model_word(m, h->end > h->start ? h->end - 1 : h->start);

		first = first > (size_t)r->near ? first - (size_t)r->near : 0;
		last += (size_t)r->near;
		if (last >= m->word_count)
			last = m->word_count ? m->word_count - 1 : 0;
		if (first < m->word_count && m->words[first].start < w.start)
			w.start = m->words[first].start;
		if (last < m->word_count && m->words[last].end > w.end)
			w.end = m->words[last].end;
	} else {
		size_t s = text_model_sentence(m, h->start);
		size_t e = text_model_sentence(m, h->end > h->start ? h->end - 1 : h->start);

		if (s != SIZE_MAX && m->sentences[s].start < w.start)
			w.start = m->sentences[s].start;
		if (e != SIZE_MAX && m->sentences[e].end > w.end)
			w.end = m->sentences[e].end;
	}
	return w;
}

/* 1 when pattern cp matches inside the window; <0 a PCRE2 error. */
static int window_match(const struct parse_classifier *c, const struct classify_pattern *cp,
			const char *subject, struct window w, pcre2_match_data *md)
{
	int rc = pcre2_match(cp->code, (PCRE2_SPTR)subject, w.end, w.start, PCRE2_NO_UTF_CHECK,
			     md, c->mctx);

	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc < 0 ? rc : 1;
}

/* A defender mention (a category hit) inside the window? defenders holds
 * the category hits' starts, sorted. */
static int window_has_defender(const size_t *defenders, size_t n, struct window w)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (defenders[mid] < w.start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && defenders[lo] < w.end;
}

static enum config_negation negation_of(const struct config_rule *r)
{
	if (r->negation != CONFIG_NEGATION_DEFAULT)
		return r->negation;
	return r->kind == CONFIG_RULE_TONE || r->kind == CONFIG_RULE_THREAT
		       ? CONFIG_NEGATION_VOID
		       : CONFIG_NEGATION_IGNORE;
}

/* 1 keep, 0 drop, <0 a PCRE2 error code. */
static int check_hit(const struct parse_classifier *c, const char *subject,
		     const struct text_model *m, const size_t *defenders, size_t ndef,
		     struct raw_hit *h, pcre2_match_data *md, size_t *failed)
{
	const struct config_rule *r = &c->rules.items[h->rule];
	const struct classify_rule_conditions *rc = &c->rule_conditions[h->rule];
	struct window w;
	size_t i;
	int rcode;

	if (!m)
		return 1; /* no rule is scoped */
	h->field = text_model_field(m, h->start);
	h->reported = (unsigned char)text_model_reported(m, h->start, h->end);
	h->negated = (unsigned char)text_model_negated(m, h->start, h->end);
	if (r->fields && !(r->fields & h->field))
		return 0;
	if ((r->quote == CONFIG_QUOTE_INSIDE && !h->reported) ||
	    (r->quote == CONFIG_QUOTE_OUTSIDE && h->reported))
		return 0;
	if (h->negated) {
		enum config_negation neg = negation_of(r);

		if (neg == CONFIG_NEGATION_VOID)
			return 0;
		h->flipped = neg == CONFIG_NEGATION_FLIP;
	}
	if (rc->none_end == rc->all_first && !r->with_defender)
		return 1;
	w = hit_window(m, r, h);
	if (r->with_defender && !window_has_defender(defenders, ndef, w))
		return 0;
	for (i = rc->all_first; i < rc->none_end; i++) {
		rcode = window_match(c, &c->conditions[i], subject, w, md);
		if (rcode < 0) {
			*failed = i;
			return rcode;
		}
		if ((i < rc->none_first) != (rcode == 1))
			return 0; /* an `all` missing or a `none` present */
	}
	return 1;
}

enum vigil_code classify_apply_scope(const struct parse_classifier *c, const char *subject,
				     size_t len, const struct text_model *model,
				     struct hit_list *hits, struct vigil_error *err)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	size_t *defenders = malloc((hits->count ? hits->count : 1) * sizeof(*defenders));
	int *sums = calloc(c->rules.count ? c->rules.count : 1, sizeof(*sums));
	size_t i, n = 0, ndef = 0, failed = 0;
	enum vigil_code code = VIGIL_OK;

	(void)len;
	if (!md || !defenders || !sums) {
		code = vigil_error_set(err, VIGIL_ERR_NOMEM, "classifier: out of memory");
		goto done;
	}
	for (i = 0; i < hits->count; i++) {
		if (c->rules.items[hits->items[i].rule].kind == CONFIG_RULE_CATEGORY)
			defenders[ndef++] = hits->items[i].start;
	}
	for (i = 0; i < hits->count; i++) {
		struct raw_hit *h = &hits->items[i];
		int keep = check_hit(c, subject, model, defenders, ndef, h, md, &failed);

		if (keep < 0) {
			PCRE2_UCHAR message[256];

			pcre2_get_error_message(keep, message, sizeof(message));
			code = vigil_error_set(err, VIGIL_ERR_REGEX, "%s: %s",
					       c->conditions[failed].where, (const char *)message);
			goto done;
		}
		if (keep) {
			sums[h->rule] += c->rules.items[h->rule].weight;
			hits->items[n++] = *h;
		}
	}
	hits->count = n;
	/* Thresholds: a rule whose kept hits weigh too little says nothing. */
	for (i = n = 0; i < hits->count; i++) {
		const struct config_rule *r = &c->rules.items[hits->items[i].rule];

		if (sums[hits->items[i].rule] >= r->threshold)
			hits->items[n++] = hits->items[i];
	}
	hits->count = n;
done:
	pcre2_match_data_free(md);
	free(defenders);
	free(sums);
	return code;
}
