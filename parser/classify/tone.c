/*
 * tone.c: the tone of a material toward defenders.
 */
#include "classify_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *parse_tone_name(enum parse_tone tone)
{
	switch (tone) {
	case PARSE_TONE_NEUTRAL: return "neutral";
	case PARSE_TONE_NEGATIVE: return "negative";
	case PARSE_TONE_SUPPORTIVE: return "supportive";
	}
	return "neutral";
}

/* Points are kept in quarters so that halving stays exact. */
#define Q 4

/* 1 when sentence s names a defender (a category hit lies in it). */
static int sentence_has_defender(const struct text_model *m, const struct parse_classifier *c,
				 const struct hit_list *hits, size_t s)
{
	size_t i;

	for (i = classify_first_hit(hits, m->sentences[s].start);
	     i < hits->count && hits->items[i].start < m->sentences[s].end; i++) {
		if (c->rules.items[hits->items[i].rule].kind == CONFIG_RULE_CATEGORY)
			return 1;
	}
	return 0;
}

/* 1 when the title or the lead names a defender: the defenders are the
 * topic of the text, and its later sentences refer to them by pronoun,
 * by role ("рабочие", "the sentences") or by an organisation's name. */
static int defenders_are_topic(const struct text_model *m, const struct parse_classifier *c,
			       const struct hit_list *hits)
{
	size_t i;

	for (i = 0; i < hits->count && hits->items[i].start < m->lead_end; i++) {
		if (c->rules.items[hits->items[i].rule].kind == CONFIG_RULE_CATEGORY)
			return 1;
	}
	return 0;
}

/* The hit is about defenders: the text's title or lead names one, its
 * sentence names one, or it follows such a sentence in the same paragraph
 * (a pronoun's likely referent). Without a text model every hit is. */
static int about_defenders(const struct text_model *m, const struct parse_classifier *c,
			   const struct hit_list *hits, size_t start, int topic)
{
	size_t s;

	if (!m || topic)
		return 1;
	s = text_model_sentence(m, start);
	if (s == SIZE_MAX)
		return 1;
	if (sentence_has_defender(m, c, hits, s))
		return 1;
	return s > 0 && m->sentences[s - 1].paragraph == m->sentences[s].paragraph &&
	       sentence_has_defender(m, c, hits, s - 1);
}

/* 1 when a category hit lies in [from, to) outside every speech quotation
 * (words quoted are not the speaker). */
static int defender_between(const struct text_model *m, const struct parse_classifier *c,
			    const struct hit_list *hits, size_t from, size_t to)
{
	size_t i;

	for (i = classify_first_hit(hits, from); i < hits->count && hits->items[i].start < to; i++) {
		const struct raw_hit *h = &hits->items[i];

		if (c->rules.items[h->rule].kind == CONFIG_RULE_CATEGORY &&
		    text_model_quote(m, h->start, h->end) == SIZE_MAX)
			return 1;
	}
	return 0;
}

/* 1 when the reported words at [start, end) are a defender's: the sentence
 * that reports them (its own, or for a quotation the neighbour in the same
 * paragraph that carries the reporting cue) names a defender before the cue,
 * as its subject ("Адвокат считает ...", "Құқық қорғаушылар ... деп атады"),
 * or within TONE_SPEAKER_WORDS words after it ("— говорит активистка",
 * "по словам адвоката", "said the lawyer"). */
static int defender_speaks(const struct text_model *m, const struct parse_classifier *c,
			   const struct hit_list *hits, size_t start, size_t end)
{
	size_t s = text_model_sentence(m, start), q = text_model_quote(m, start, end);
	size_t first, last, j;

	if (s == SIZE_MAX)
		return 0;
	first = last = s;
	if (q != SIZE_MAX) {
		if (s > 0 && m->sentences[s - 1].paragraph == m->sentences[s].paragraph)
			first = s - 1;
		if (s + 1 < m->sentence_count &&
		    m->sentences[s + 1].paragraph == m->sentences[s].paragraph)
			last = s + 1;
	}
	for (j = first; j <= last; j++) {
		const struct text_sentence *st = &m->sentences[j];
		size_t w, after_end;

		if (!st->reported)
			continue;
		if (q != SIZE_MAX && st->cue_start >= m->quotes[q].start &&
		    st->cue_start < m->quotes[q].end)
			continue; /* a cue inside the quotation reports someone else */
		if (defender_between(m, c, hits, st->start, st->cue_start))
			return 1;
		w = text_model_word(m, st->cue_end);
		after_end = st->cue_end;
		for (size_t k = 0; k < TONE_SPEAKER_WORDS && w + k < m->word_count &&
				   m->words[w + k].start < st->end; k++)
			after_end = m->words[w + k].end;
		if (defender_between(m, c, hits, st->cue_end, after_end))
			return 1;
	}
	return 0;
}

static void points_text(int q, char out[16])
{
	snprintf(out, 16, "%s%d%s", q < 0 ? "-" : "+", (q < 0 ? -q : q) / Q,
		 (q < 0 ? -q : q) % Q == 0 ? "" : (q < 0 ? -q : q) % Q == 2 ? ".5" :
		 (q < 0 ? -q : q) % Q == 1 ? ".25" : ".75");
}

enum vigil_code classify_decide_tone(const struct parse_classifier *c,
				     const struct hit_list *hits, const struct text_model *m,
				     size_t chars, struct parse_classification *out,
				     struct vigil_buf *why)
{
	size_t i, neg_rules = 0, pos_rules = 0, min_rules, counted_end = 0;
	int score = 0, threshold, decisive_neg = 0, decisive_pos = 0;
	int topic = m && defenders_are_topic(m, c, hits);
	/* per rule: hits seen so far and points given, for the repeat rule */
	int *seen = calloc(c->rules.count ? c->rules.count : 1, sizeof(*seen));
	int *given = calloc(c->rules.count ? c->rules.count : 1, sizeof(*given));
	unsigned char *side = calloc(c->rules.count ? c->rules.count : 1, 1);
	char pts[16], limit[16];

	if (!seen || !given || !side) {
		free(seen);
		free(given);
		free(side);
		return VIGIL_ERR_NOMEM;
	}
	for (i = 0; i < hits->count; i++) {
		const struct raw_hit *h = &hits->items[i];
		size_t rule = h->rule;
		const struct config_rule *r = &c->rules.items[rule];
		int sign, q, about, cap, defender_voice = 0;
		const char *how;

		if (r->kind != CONFIG_RULE_TONE)
			continue;
		/* The same words matched by two cue rules count once (hits are
		 * sorted by offset, longer first). */
		if (!r->genre && h->start < counted_end)
			continue;
		sign = h->flipped ? -r->tone : r->tone;
		q = r->weight * Q;
		about = r->genre || about_defenders(m, c, hits, h->start, topic);
		if (r->genre) {
			/* A genre is a property of the whole text: once. */
			if (seen[rule]++)
				continue;
			how = "genre";
		} else {
			/* Someone else's words are the speaker's stance, not the
			 * outlet's; but a supportive cue in a defender's own words
			 * is the outlet giving the defenders the floor (as in an
			 * interview or a statement), so it counts in full. A
			 * negative word a defender quotes is the word used against
			 * them: still halved. */
			if (h->reported && m && sign > 0)
				defender_voice = defender_speaks(m, c, hits, h->start, h->end);
			if (h->reported && !defender_voice)
				q /= 2;
			if (!about)
				q /= 2; /* not about the defenders named */
			if (seen[rule]++)
				q /= 2; /* a repeated cue adds less ... */
			cap = 2 * r->weight * Q; /* ... and at most twice its weight */
			if (given[rule] + q > cap)
				q = cap - given[rule];
			how = defender_voice ? "a defender's words"
			      : h->reported ? (about ? "reported, about defenders" : "reported")
					  : (about ? "own voice, about defenders" : "own voice");
		}
		if (q <= 0)
			continue;
		if (!r->genre && h->end > counted_end)
			counted_end = h->end;
		given[rule] += q;
		score += sign * q;
		if (!(side[rule] & (sign < 0 ? 1 : 2))) {
			side[rule] |= sign < 0 ? 1 : 2;
			if (sign < 0)
				neg_rules++;
			else
				pos_rules++;
		}
		/* A genre signal, or an unambiguous formula (weight >= 3) in the
		 * outlet's own voice about the defenders, may decide alone. */
		if (r->genre || (!h->reported && about && r->weight >= TONE_DECISIVE_WEIGHT)) {
			if (sign < 0)
				decisive_neg = 1;
			else
				decisive_pos = 1;
		}
		points_text(sign * q, pts);
		classify_explain(why, "  tone %s %s at %zu: %s (%s%s)\n", pts, r->id, h->start, how,
			h->flipped ? "negated, flipped" : h->negated ? "negated, kept" : "counted",
			seen[rule] > 1 && !r->genre ? ", repeated" : "");
	}
	free(seen);
	free(given);
	free(side);
	if (m && TONE_FLOOR_WEIGHT > 0) {
		/* Voice: the text gives a defender the floor (their own words
		 * quoted, as in an interview or a first-person account). Once. */
		for (i = 0; i < m->quote_count; i++) {
			const struct text_quote *tq = &m->quotes[i];

			if (!tq->speech || tq->depth != 0 ||
			    !defender_speaks(m, c, hits, tq->start, tq->end))
				continue;
			score += TONE_FLOOR_WEIGHT * Q;
			pos_rules++;
			points_text(TONE_FLOOR_WEIGHT * Q, pts);
			classify_explain(why, "  tone %s voice at %zu: a defender's words quoted\n", pts,
					 tq->start);
			break;
		}
#if TONE_FLOOR_REPORTED
		if (i == m->quote_count) {
			for (i = 0; i < m->sentence_count; i++) {
				const struct text_sentence *st = &m->sentences[i];

				if (!st->reported || text_model_quote(m, st->cue_start, st->cue_end) != SIZE_MAX ||
				    !defender_speaks(m, c, hits, st->cue_start, st->cue_end))
					continue;
				score += TONE_FLOOR_WEIGHT * Q;
				pos_rules++;
				points_text(TONE_FLOOR_WEIGHT * Q, pts);
				classify_explain(why, "  tone %s voice at %zu: a defender's words reported\n", pts,
						 st->start);
				break;
			}
		}
#endif
	}
	out->tone_score = score >= 0 ? (score + Q / 2) / Q : -((-score + Q / 2) / Q);
	/* in quarter points */
	threshold = TONE_BASE_QUARTERS + Q * (int)(chars / TONE_CHARS_PER_POINT);
	if (threshold > TONE_MAX_THRESHOLD * Q)
		threshold = TONE_MAX_THRESHOLD * Q;
	out->tone = PARSE_TONE_NEUTRAL;
	min_rules = chars < TONE_SHORT_TEXT ? 1 : TONE_MIN_RULES;
	points_text(score, pts);
	/* Tone is the stance toward defenders: none without them. */
	if (!out->relevant) {
		classify_explain(why, "tone: neutral: the text does not mention defenders (score %s)\n", pts);
		return VIGIL_OK;
	}
	if (score <= -threshold && (neg_rules >= min_rules || decisive_neg))
		out->tone = PARSE_TONE_NEGATIVE;
	else if (score >= threshold && (pos_rules >= min_rules || decisive_pos))
		out->tone = PARSE_TONE_SUPPORTIVE;
	points_text(threshold, limit);
	classify_explain(why, "tone: %s: score %s against a threshold of %s for %zu characters; "
		"%zu negative and %zu supportive rules (%zu needed%s)\n",
		parse_tone_name(out->tone), pts, limit + 1, chars, neg_rules, pos_rules, min_rules,
		decisive_neg || decisive_pos ? ", or one decisive cue" : "");
	return VIGIL_OK;
}
