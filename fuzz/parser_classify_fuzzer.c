/*
 * parser_classify_fuzzer.c: parse_classify() with the shipped rules on
 * arbitrary text (the first line is the title), plus the text model on its
 * own. Checks: the literal scan finds exactly the hits of a full scan of
 * every pattern (the speed path may never change a result); hits lie inside
 * the text and are valid UTF-8; the place of the event is a prefix of the
 * regions; the explanation is valid UTF-8; the model's words, sentences,
 * quotations and negation scopes are in bounds and in order, the lead lies
 * after the title. The classifier is built once per process (a fuzz
 * harness's cache, not library state).
 */
#include "fuzz_check.h"

#include "../parser/classify/classify_int.h"

static struct parse_classifier *shipped;

static void check_model(const char *subject, size_t len, size_t title_len)
{
	struct text_model m;
	size_t i;

	if (text_model_build(subject, len, title_len, &m) != VIGIL_OK)
		return;
	FUZZ_CHECK(m.title_end <= len && m.lead_start <= m.lead_end && m.lead_end <= len);
	for (i = 0; i < m.word_count; i++) {
		FUZZ_CHECK(m.words[i].start < m.words[i].end && m.words[i].end <= len);
		FUZZ_CHECK(i == 0 || m.words[i - 1].end <= m.words[i].start);
	}
	for (i = 0; i < m.sentence_count; i++) {
		FUZZ_CHECK(m.sentences[i].start < m.sentences[i].end && m.sentences[i].end <= len);
		FUZZ_CHECK(i == 0 || m.sentences[i - 1].end <= m.sentences[i].start);
		FUZZ_CHECK(m.sentences[i].paragraph < m.paragraph_count);
	}
	for (i = 0; i < m.quote_count; i++)
		FUZZ_CHECK(m.quotes[i].start <= m.quotes[i].end && m.quotes[i].end <= len);
	for (i = 0; i < m.negation_count; i++)
		FUZZ_CHECK(m.negations[i].start <= m.negations[i].cue_start &&
			   m.negations[i].cue_end <= m.negations[i].end && m.negations[i].end <= len);
	text_model_release(&m);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct parse_classification fast, full;
	struct vigil_error err = { 0 };
	char *copy, *title = NULL, *text, *nl, *subject;
	size_t i, len;

	if (!shipped) {
		struct config_rules rules = { 0 };
		char dir[4096];

		FUZZ_CHECK(config_shipped_path("rules", dir, sizeof(dir), &err) == VIGIL_OK);
		FUZZ_CHECK(config_rules_load_dir(dir, &rules, &err) == VIGIL_OK);
		FUZZ_CHECK(parse_classifier_new(&rules, &shipped, &err) == VIGIL_OK);
		config_rules_release(&rules);
	}
	if (size > 65536)
		return 0;
	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	text = copy;
	nl = strchr(copy, '\n');
	if (nl) {
		*nl = '\0';
		title = copy;
		text = nl + 1;
	}
	shipped->full_scan = 0;
	if (parse_classify(shipped, title, text, NULL, &fast, &err) != VIGIL_OK) {
		free(copy);
		return 0;
	}
	shipped->full_scan = 1;
	FUZZ_CHECK(parse_classify(shipped, title, text, NULL, &full, &err) == VIGIL_OK);
	shipped->full_scan = 0;
	len = (title ? strlen(title) : 0) + 2 + strlen(text);
	FUZZ_CHECK(fast.hit_count == full.hit_count && fast.tone == full.tone &&
		   fast.tone_score == full.tone_score && fast.region_count == full.region_count);
	for (i = 0; i < fast.hit_count; i++) {
		const struct parse_rule_hit *a = &fast.hits[i], *b = &full.hits[i];

		FUZZ_CHECK(a->offset == b->offset && strcmp(a->rule_id, b->rule_id) == 0 &&
			   strcmp(a->where, b->where) == 0 && strcmp(a->matched, b->matched) == 0);
		FUZZ_CHECK(a->offset + strlen(a->matched) <= len && fuzz_valid_utf8(a->matched));
	}
	FUZZ_CHECK(fast.region_event_count <= fast.region_count);
	FUZZ_CHECK(fuzz_valid_utf8(fast.explanation));
	parse_classification_release(&fast);
	parse_classification_release(&full);
	/* the model over the subject as the classifier builds it */
	subject = malloc(len + 1);
	if (subject) {
		size_t tl = title ? strlen(title) : 0;

		memcpy(subject, title ? title : "", tl);
		memcpy(subject + tl, "\n\n", 2);
		memcpy(subject + tl + 2, text, strlen(text) + 1);
		classify_fold_text(subject, len);
		check_model(subject, len, tl);
		free(subject);
	}
	free(copy);
	return 0;
}
