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

enum vigil_code classify_decide_tone(const struct parse_classifier *c,
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

		int sign;

		if (r->kind != CONFIG_RULE_TONE)
			continue;
		sign = hits->items[i].flipped ? -r->tone : r->tone;
		score += sign * r->weight;
		if (seen[rule] & (sign < 0 ? 1 : 2))
			continue;
		seen[rule] |= sign < 0 ? 1 : 2;
		if (sign < 0)
			neg_rules++;
		else if (sign > 0)
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

