/*
 * region.c: where the reported event happened, and what else is mentioned.
 *
 * Every region hit scores for its region and for every enclosing region
 * (a city for its oblast):
 *   1 per mention,
 *   +REGION_DATELINE when it is the story's dateline (the first words of the
 *     text, followed by "." "," or a dash: "АЛМАТЫ. 12 марта", "Oral, May 3 —"),
 *   +REGION_TITLE in the title,
 *   +REGION_LEAD for the first place named in the lead,
 *   +REGION_EVENT when its sentence also reports a threat (a court, a
 *     detention, a rally ...: the place of the event, not a background place).
 * The place of the event is the best-scoring region (the more precise one,
 * a city over its oblast, on a tie; the first mentioned on a further tie),
 * or the best of its cities when that city has at least half its score,
 * with its enclosing regions; the others are "also mentioned". A region
 * hint (the source's region) is used only when no region is named.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REGION_DATELINE 4
#define REGION_TITLE 2
#define REGION_LEAD 2
#define REGION_EVENT 4
/* A dateline starts within this many bytes of the body. */
#define DATELINE_REACH 8

struct region_score {
	size_t rule;
	int score;
	size_t first;  /* offset of the first mention */
	size_t seq;    /* order of appearance: a city before its oblast */
	int depth;     /* parents above it: more precise when deeper */
	int dateline, title, lead, event, mentions; /* for the explanation */
};

static int cmp_region(const void *a, const void *b)
{
	const struct region_score *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static struct region_score *region_slot(struct region_score *scores, size_t *n, size_t rule,
					size_t offset, int depth)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (scores[i].rule == rule)
			return &scores[i];
	}
	scores[*n] = (struct region_score){ .rule = rule, .first = offset, .seq = *n,
					    .depth = depth };
	return &scores[(*n)++];
}

static int depth_of(const struct parse_classifier *c, size_t rule)
{
	int d = 0;

	for (rule = c->parent[rule]; rule != NO_PARENT && d < CLASSIFY_PARENT_DEPTH;
	     rule = c->parent[rule])
		d++;
	return d;
}

/* "АЛМАТЫ. 12 марта", "Алматы, 3 мая —", "ORAL —": the hit opens the body
 * and is followed by a full stop, a comma or a dash. */
static int is_dateline(const struct text_model *m, const struct raw_hit *h)
{
	const char *t = m->text;
	size_t body = m->title_end, at;

	while (body < m->len && (t[body] == '\n' || t[body] == ' ' || t[body] == '\r'))
		body++;
	if (h->start < body || h->start - body > DATELINE_REACH)
		return 0;
	for (at = body; at < h->start; at++) {
		if (t[at] != ' ' && t[at] != '(' && t[at] != '*')
			return 0;
	}
	at = h->end;
	while (at < m->len && t[at] == ' ')
		at++;
	return at < m->len && (t[at] == '.' || t[at] == ',' || t[at] == '-' ||
			       (at + 2 < m->len && (unsigned char)t[at] == 0xE2 &&
				(unsigned char)t[at + 1] == 0x80 &&
				((unsigned char)t[at + 2] == 0x94 || (unsigned char)t[at + 2] == 0x93)));
}

/* The first threat hit in the sentence of h, or NULL. */
static const char *event_in_sentence(const struct parse_classifier *c, const struct text_model *m,
				     const struct hit_list *hits, const struct raw_hit *h)
{
	size_t s = text_model_sentence(m, h->start), i;

	if (s == SIZE_MAX)
		return NULL;
	for (i = classify_first_hit(hits, m->sentences[s].start);
	     i < hits->count && hits->items[i].start < m->sentences[s].end; i++) {
		if (c->rules.items[hits->items[i].rule].kind == CONFIG_RULE_THREAT)
			return c->rules.items[hits->items[i].rule].id;
	}
	return NULL;
}

enum vigil_code classify_build_regions(const struct parse_classifier *c,
				       const struct hit_list *hits, const struct text_model *m,
				       const char *region_hint, struct parse_classification *out,
				       struct vigil_buf *why)
{
	size_t nregions = 0, i, n = 0, at, best = SIZE_MAX, o = 0;
	struct region_score *scores;
	int lead_seen = 0;

	for (i = 0; i < c->rules.count; i++)
		nregions += c->rules.items[i].kind == CONFIG_RULE_REGION;
	if (nregions == 0)
		return VIGIL_OK;
	scores = calloc(nregions, sizeof(*scores));
	out->regions = calloc(nregions, sizeof(*out->regions));
	if (!scores || !out->regions) {
		free(scores);
		return VIGIL_ERR_NOMEM;
	}
	for (i = 0; i < hits->count; i++) {
		const struct raw_hit *h = &hits->items[i];
		int dateline = 0, title = 0, lead = 0, points;
		const char *event = NULL;

		if (c->rules.items[h->rule].kind != CONFIG_RULE_REGION)
			continue;
		if (m) {
			dateline = is_dateline(m, h);
			title = h->field == TEXT_FIELD_TITLE;
			lead = !dateline && !lead_seen && h->field == TEXT_FIELD_LEAD;
			lead_seen |= h->field == TEXT_FIELD_LEAD;
			event = event_in_sentence(c, m, hits, h);
		}
		points = 1 + (dateline ? REGION_DATELINE : 0) + (title ? REGION_TITLE : 0) +
			 (lead ? REGION_LEAD : 0) + (event ? REGION_EVENT : 0);
		for (at = h->rule; at != NO_PARENT; at = c->parent[at]) {
			struct region_score *r = region_slot(scores, &n, at, h->start, depth_of(c, at));

			r->score += points;
			r->mentions++;
			r->dateline |= dateline;
			r->title |= title;
			r->lead |= lead;
			r->event |= event != NULL;
		}
	}
	if (n == 0 && region_hint) {
		for (at = classify_find_region(&c->rules, region_hint); at != NO_PARENT;
		     at = c->parent[at])
			region_slot(scores, &n, at, 0, depth_of(c, at))->score = 1;
		if (n)
			classify_explain(why, "region: none named; the source's region %s is used\n", region_hint);
	}
	qsort(scores, n, sizeof(*scores), cmp_region);
	/* The place of the event: the best score, the most precise on a tie. */
	for (i = 0; i < n; i++) {
		if (scores[i].score != scores[0].score)
			break;
		if (best == SIZE_MAX || scores[i].depth > scores[best].depth)
			best = i;
	}
	/* An oblast adds up its cities' points; when one of its cities holds
	 * at least half of them, the event is placed there (more precise). */
	while (best != SIZE_MAX) {
		size_t child = SIZE_MAX;

		for (i = 0; i < n; i++) {
			if (c->parent[scores[i].rule] == scores[best].rule &&
			    2 * scores[i].score >= scores[best].score &&
			    (child == SIZE_MAX || scores[i].score > scores[child].score))
				child = i;
		}
		if (child == SIZE_MAX)
			break;
		best = child;
	}
	if (best != SIZE_MAX) {
		const struct region_score *b = &scores[best];
		const struct config_rule *r = &c->rules.items[b->rule];

		/* It and its enclosing regions first, then the others in order. */
		for (at = b->rule; at != NO_PARENT; at = c->parent[at]) {
			out->regions[o] = vigil_strdup(c->rules.items[at].id);
			if (!out->regions[o]) {
				free(scores);
				return VIGIL_ERR_NOMEM;
			}
			out->region_count = ++o;
		}
		out->region_event_count = o;
		if (b->mentions)
			classify_explain(why, "region: %s (%s) is the place of the event: score %d from %d "
				"mention%s%s%s%s%s\n", r->id, r->label ? r->label : r->id, b->score,
				b->mentions, b->mentions == 1 ? "" : "s",
				b->dateline ? ", the dateline" : "", b->title ? ", the title" : "",
				b->lead ? ", first place in the lead" : "",
				b->event ? ", a sentence reporting a threat" : "");
	}
	for (i = 0; i < n; i++) {
		size_t k;
		int dup = 0;

		for (k = 0; k < o && !dup; k++)
			dup = strcmp(out->regions[k], c->rules.items[scores[i].rule].id) == 0;
		if (dup)
			continue;
		out->regions[o] = vigil_strdup(c->rules.items[scores[i].rule].id);
		if (!out->regions[o]) {
			free(scores);
			return VIGIL_ERR_NOMEM;
		}
		out->region_count = ++o;
		classify_explain(why, "region: also mentioned: %s (score %d)\n",
			c->rules.items[scores[i].rule].id, scores[i].score);
	}
	free(scores);
	return VIGIL_OK;
}
