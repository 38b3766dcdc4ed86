/*
 * threat_source.c: who a threat comes from (police, akimat, court ...),
 * when the text names it. The vocabulary is the [source ID] rules of
 * config/rules/threat_sources.rules; here is only where a source counts:
 * named in the threat hit's sentence (the nearest to the hit), else in the
 * nearest sentence before it within its paragraph (the last named there),
 * else the source is unknown. A paragraph break starts a new story, so a
 * source never reaches across it.
 */
#include "classify_int.h"

#include <stdlib.h>
#include <string.h>

#define SOURCE_UNKNOWN "unknown"

static size_t distance(size_t a, size_t b)
{
	return a > b ? a - b : b - a;
}

/* Index in hits of the source hit for the threat hit t, or SIZE_MAX. */
static size_t find_source(const struct parse_classifier *c, const struct hit_list *hits,
			  const struct text_model *m, const struct raw_hit *t)
{
	size_t own = text_model_sentence(m, t->start), s = own;

	while (s != SIZE_MAX && s < m->sentence_count) {
		const struct text_sentence *sentence = &m->sentences[s];
		size_t i, best = SIZE_MAX, best_distance = SIZE_MAX;

		for (i = classify_first_hit(hits, sentence->start);
		     i < hits->count && hits->items[i].start < sentence->end; i++) {
			const struct raw_hit *h = &hits->items[i];

			if (c->rules.items[h->rule].kind != CONFIG_RULE_SOURCE ||
			    (h->start > t->start && s != own))
				continue;
			if (distance(h->start, t->start) < best_distance) {
				best = i;
				best_distance = distance(h->start, t->start);
			}
		}
		if (best != SIZE_MAX)
			return best;
		if (s == 0 || m->sentences[s - 1].paragraph != sentence->paragraph)
			break;
		s--;
	}
	return SIZE_MAX;
}

enum vigil_code classify_threat_sources(const struct parse_classifier *c,
					const struct hit_list *hits, const struct text_model *m,
					struct parse_classification *out)
{
	size_t k, i;

	if (!out->threat_count)
		return VIGIL_OK;
	out->threat_sources = calloc(out->threat_count, sizeof(*out->threat_sources));
	if (!out->threat_sources)
		return VIGIL_ERR_NOMEM;
	for (k = 0; k < out->threat_count; k++) {
		struct parse_threat_source *ts = &out->threat_sources[out->threat_source_count++];
		const struct config_rule *source = NULL;
		int seen = 0;

		ts->threat = vigil_strdup(out->threats[k]);
		if (!ts->threat)
			return VIGIL_ERR_NOMEM;
		for (i = 0; i < hits->count && !source; i++) {
			const struct raw_hit *h = &hits->items[i];
			const struct config_rule *r = &c->rules.items[h->rule];
			size_t found;

			if (r->kind != CONFIG_RULE_THREAT || strcmp(r->id, out->threats[k]) != 0)
				continue;
			if (!seen++)
				ts->offset = h->start;
			found = m ? find_source(c, hits, m, h) : SIZE_MAX;
			if (found != SIZE_MAX) {
				source = &c->rules.items[hits->items[found].rule];
				ts->offset = h->start;
			}
		}
		ts->source = vigil_strdup(source ? source->id : SOURCE_UNKNOWN);
		ts->source_label = source && source->label ? vigil_strdup(source->label) : NULL;
		if (!ts->source || (source && source->label && !ts->source_label))
			return VIGIL_ERR_NOMEM;
	}
	return VIGIL_OK;
}
