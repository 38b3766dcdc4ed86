/*
 * classify.c: parse_classify(), tagging a material with the configured
 * taxonomy.
 *
 * The text matched is title + "\n\n" + text (a NULL title or text counts
 * as ""), with "ё" folded to "е" and invalid UTF-8 bytes replaced by '?'.
 * Both edits keep the byte length, so hit offsets are byte offsets into
 * that combined string. The decision rules (region order, tone threshold)
 * are documented in config/README.md, section "Classification".
 */
#include "classify_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building the result ---- */

size_t classify_first_hit(const struct hit_list *hits, size_t offset)
{
	size_t lo = 0, hi = hits->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (hits->items[mid].start < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void classify_explain(struct vigil_buf *why, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!why)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* Best effort: an explanation cut short by OOM is still true. */
	if (vigil_buf_append_str(why, line) != VIGIL_OK)
		return;
}

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
	free(result->explanation);
	for (i = 0; i < result->threat_source_count; i++) {
		free(result->threat_sources[i].threat);
		free(result->threat_sources[i].source);
		free(result->threat_sources[i].source_label);
	}
	free(result->threat_sources);
	memset(result, 0, sizeof(*result));
}

/* Append id to a unique list (arrays sized by the caller). */
int classify_add_unique(char **list, size_t *count, const char *id)
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

static enum vigil_code build_result(const struct parse_classifier *c, const char *subject,
				    size_t len, size_t chars, const struct hit_list *hits,
				    const struct text_model *model, const char *region_hint,
				    struct parse_classification *out)
{
	struct vigil_buf why = VIGIL_BUF_INIT;
	enum vigil_code code;
	size_t i, ncat = 0, nthr = 0, *shown;

	out->hits = calloc(hits->count ? hits->count : 1, sizeof(*out->hits));
	shown = calloc(c->rules.count ? c->rules.count : 1, sizeof(*shown));
	if (!out->hits || !shown) {
		free(shown);
		return VIGIL_ERR_NOMEM;
	}
	for (i = 0; i < hits->count; i++) {
		const struct raw_hit *h = &hits->items[i];
		const struct config_rule *r = &c->rules.items[h->rule];
		struct parse_rule_hit *o = &out->hits[out->hit_count];

		/* Category rules keep more hits for scoping (defender mentions)
		 * than the explanation needs. */
		if (shown[h->rule]++ >= CLASSIFY_HITS_PER_RULE)
			continue;
		out->hit_count++;
		o->kind = r->kind;
		o->offset = h->start;
		o->weight = r->kind == CONFIG_RULE_TONE ? r->tone * r->weight * (h->flipped ? -1 : 1)
							: 0;
		o->field = h->field == TEXT_FIELD_TITLE  ? "title"
			   : h->field == TEXT_FIELD_LEAD ? "lead"
			   : h->field == TEXT_FIELD_BODY ? "body"
							 : NULL;
		o->reported = h->reported;
		o->negated = h->negated;
		o->rule_id = vigil_strdup(r->id);
		o->label = vigil_strdup(r->label);
		o->matched = vigil_strndup(subject + h->start, h->end - h->start);
		o->where = vigil_strdup(c->patterns[h->pattern].where);
		if (!o->rule_id || (r->label && !o->label) || !o->matched || !o->where) {
			free(shown);
			return VIGIL_ERR_NOMEM;
		}
		ncat += r->kind == CONFIG_RULE_CATEGORY;
		nthr += r->kind == CONFIG_RULE_THREAT;
		if (r->kind == CONFIG_RULE_CATEGORY || r->kind == CONFIG_RULE_RELEVANCE)
			out->relevant = 1;
	}
	free(shown);
	out->categories = calloc(ncat ? ncat : 1, sizeof(*out->categories));
	out->threats = calloc(nthr ? nthr : 1, sizeof(*out->threats));
	if (!out->categories || !out->threats)
		return VIGIL_ERR_NOMEM;
	for (i = 0; i < hits->count; i++) {
		const struct config_rule *r = &c->rules.items[hits->items[i].rule];

		if (r->kind == CONFIG_RULE_CATEGORY &&
		    !classify_add_unique(out->categories, &out->category_count, r->id))
			return VIGIL_ERR_NOMEM;
		if (r->kind == CONFIG_RULE_THREAT &&
		    !classify_add_unique(out->threats, &out->threat_count, r->id))
			return VIGIL_ERR_NOMEM;
	}
	code = classify_threat_sources(c, hits, model, out);
	if (!code)
		code = classify_build_regions(c, hits, model, region_hint, out, &why);
	if (!code)
		code = classify_decide_tone(c, hits, model, chars, out, &why);
	if (!code && why.len)
		out->explanation = vigil_buf_detach(&why);
	vigil_buf_release(&why);
	(void)len;
	return code;
}

enum vigil_code parse_classify(const struct parse_classifier *classifier,
			       const char *title, const char *text,
			       const char *region_hint,
			       struct parse_classification *out,
			       struct vigil_error *err)
{
	size_t title_len = title ? strlen(title) : 0, text_len = text ? strlen(text) : 0, len, chars;
	struct hit_list hits = { NULL, 0, 0 };
	struct text_model model;
	enum vigil_code code;
	char *subject, *lower;

	memset(out, 0, sizeof(*out));
	memset(&model, 0, sizeof(model));
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
	/* One block: the subject, then its lower-cased copy for the literal
	 * scan and the text model. */
	subject = malloc(2 * (len + 1 + CLASSIFY_SUBJECT_PAD));
	if (!subject)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "classify: out of memory");
	lower = subject + len + 1 + CLASSIFY_SUBJECT_PAD;
	if (title_len)
		memcpy(subject, title, title_len);
	memcpy(subject + title_len, "\n\n", 2);
	if (text_len)
		memcpy(subject + title_len + 2, text, text_len);
	memset(subject + len, 0, 1 + CLASSIFY_SUBJECT_PAD);
	chars = classify_prepare_text(subject, len, lower);
	memset(lower + len, 0, 1 + CLASSIFY_SUBJECT_PAD);

	code = classify_match_all(classifier, subject, lower, len, &hits, err);
	if (!code && classifier->needs_model) {
		code = text_model_build_lower(subject, lower, len, title_len, &model);
		if (code)
			vigil_error_set(err, code, "classify: out of memory");
	}
	if (!code) {
		classify_drop_nested_regions(classifier, &hits);
		code = classify_apply_scope(classifier, subject, len,
					    classifier->needs_model ? &model : NULL, &hits, err);
	}
	if (!code) {
		code = build_result(classifier, subject, len, chars, &hits,
				    classifier->needs_model ? &model : NULL, region_hint, out);
		if (code)
			vigil_error_set(err, code, "classify: out of memory");
	}
	if (code)
		parse_classification_release(out);
	text_model_release(&model);
	free(hits.items);
	free(subject);
	return code;
}
