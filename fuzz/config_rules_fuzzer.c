/*
 * config_rules_fuzzer.c: config_rules_load() on arbitrary bytes as a rule
 * file (through a memory file), then the classifier built from the rules
 * (PCRE2 compile, JIT, literal prefilter) classifying a fixed short text.
 * Checks: every rule has an id, a known kind, patterns with text and a
 * FILE:LINE place; loading the same file again fails on the duplicate ids
 * and leaves the rules of the first load untouched; hits lie inside the
 * classified text and name their rule; releases are idempotent. The rule
 * language too: all/none/near/field/quote/with/negation/threshold values
 * in range, `expect` examples non-empty UTF-8 of the same file, and
 * parse_rules_check() / parse_classifier_test() report sane messages. The
 * same bytes are also read as a phrase list (config_phrases_load, the
 * format of notfound.phrases): it fails naming the file, or every phrase is
 * non-empty valid UTF-8.
 */
#include "fuzz_check.h"

#include "../parser/parser.h"

static const char title[] = "Журналиста задержали в Алматы";
static const char text[] =
	"Полиция задержала журналиста и правозащитника в Алматы и Шымкенте. "
	"Активистке угрожали; суд оштрафовал блогера. Journalist detained in Astana. "
	"Қорғаушы тұтқындалды, Ақтөбе облысы.\n"
	"«Эти грантоеды не правозащитники», — заявил депутат. Обыска не было. "
	"Бұл саяси қудалау емес. \"Police didn't detain anyone,\" he said.";

static void check_rules(const struct config_rules *rules)
{
	for (size_t i = 0; i < rules->count; i++) {
		const struct config_rule *r = &rules->items[i];

		FUZZ_CHECK(r->id && r->id[0] && r->file && r->line > 0);
		FUZZ_CHECK(strcmp(config_rule_kind_name(r->kind), "unknown") != 0);
		FUZZ_CHECK(r->kind != CONFIG_RULE_TONE || r->tone == -1 || r->tone == 1);
		FUZZ_CHECK(fuzz_valid_utf8(r->id) && fuzz_valid_utf8(r->label) &&
			   fuzz_valid_utf8(r->group) && fuzz_valid_utf8(r->parent) &&
			   fuzz_valid_utf8(r->macro));
		for (size_t k = 0; k < r->pattern_count; k++)
			FUZZ_CHECK(r->patterns[k].text && r->patterns[k].file &&
				   r->patterns[k].line >= r->line &&
				   fuzz_valid_utf8(r->patterns[k].text));
		for (size_t k = 0; k < r->all_count; k++)
			FUZZ_CHECK(r->all[k].text && r->all[k].line >= r->line);
		for (size_t k = 0; k < r->none_count; k++)
			FUZZ_CHECK(r->none[k].text && r->none[k].line >= r->line);
		/* examples may sit in a later [expect] block of the same file */
		for (size_t k = 0; k < r->expect_count; k++)
			FUZZ_CHECK(r->expects[k].text && r->expects[k].text[0] &&
				   r->expects[k].line > r->line && r->expects[k].file == r->file &&
				   (r->expects[k].match == 0 || r->expects[k].match == 1) &&
				   fuzz_valid_utf8(r->expects[k].text));
		FUZZ_CHECK(r->near >= 0 && r->near <= 200 && r->threshold >= 0 &&
			   r->fields <= 7 && r->weight >= 1 && r->weight <= 100);
	}
}

/* parse_classifier_test() and parse_rules_check() report through this;
 * messages must name a place. */
static void count_report(void *ctx, const char *message)
{
	(void)ctx;
	FUZZ_CHECK(message && message[0] && fuzz_valid_utf8(message));
}

static void classify(const struct config_rules *rules)
{
	struct parse_classifier *classifier = NULL;
	struct parse_classification result;
	struct vigil_error err = { 0 };
	size_t length = strlen(title) + 2 + strlen(text);

	if (parse_classifier_new(rules, &classifier, &err) != VIGIL_OK) {
		FUZZ_CHECK(!classifier && err.message[0]);
		return;
	}
	if (parse_classify(classifier, title, text, NULL, &result, &err) == VIGIL_OK) {
		FUZZ_CHECK(result.relevant == 0 || result.relevant == 1);
		FUZZ_CHECK(result.tone <= PARSE_TONE_SUPPORTIVE);
		for (size_t i = 0; i < result.hit_count; i++) {
			const struct parse_rule_hit *hit = &result.hits[i];

			FUZZ_CHECK(hit->rule_id && hit->matched && hit->where);
			FUZZ_CHECK(hit->offset + strlen(hit->matched) <= length);
			FUZZ_CHECK(fuzz_valid_utf8(hit->matched));
		}
		for (size_t i = 0; i < result.region_count; i++)
			FUZZ_CHECK(parse_classifier_region(classifier, result.regions[i]));
		parse_classification_release(&result);
		parse_classification_release(&result);
	}
	{
		size_t run = 0, failed = parse_classifier_test(classifier, count_report, &run, &run);

		FUZZ_CHECK(failed <= run);
	}
	parse_classifier_free(&classifier);
	FUZZ_CHECK(!classifier);
	parse_classifier_free(&classifier);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct config_rules rules = { 0 };
	struct vigil_error err = { 0 };
	char path[64];
	size_t count, files;
	int fd = fuzz_memory_file(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	{
		struct config_phrases phrases = { 0 };

		if (config_phrases_load(path, &phrases, &err) != VIGIL_OK) {
			FUZZ_CHECK(strstr(err.message, path) == err.message && !phrases.count);
		} else {
			for (size_t i = 0; i < phrases.count; i++)
				FUZZ_CHECK(phrases.items[i][0] && fuzz_valid_utf8(phrases.items[i]));
		}
		config_phrases_release(&phrases);
		FUZZ_CHECK(!phrases.items && !phrases.count);
	}
	if (config_rules_load(path, &rules, &err) != VIGIL_OK) {
		FUZZ_CHECK(strstr(err.message, path) == err.message);
		FUZZ_CHECK(!rules.count);
		config_rules_release(&rules);
		close(fd);
		return 0;
	}
	check_rules(&rules);
	count = rules.count;
	files = rules.file_count;
	if (count > 0) {
		FUZZ_CHECK(config_rules_load(path, &rules, &err) != VIGIL_OK);
		FUZZ_CHECK(rules.count == count && rules.file_count == files);
		check_rules(&rules);
	}
	close(fd);
	(void)parse_rules_check(&rules, count_report, NULL);
	classify(&rules);
	config_rules_release(&rules);
	FUZZ_CHECK(!rules.items && !rules.count && !rules.files);
	config_rules_release(&rules);
	return 0;
}
