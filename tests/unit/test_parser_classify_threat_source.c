/* test_parser_classify_threat_source.c: who a threat comes from, with the
 * shipped rules (config/rules/threat_sources.rules): the source named in
 * the threat's sentence, else in the sentence before it in the same
 * paragraph, else "unknown"; in Russian, Kazakh and English. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdlib.h>

static struct parse_classifier *shipped;

/* The source of threat in text must be expected ("-": the threat itself
 * is missing). */
static void expect_source(const char *text, const char *threat, const char *expected, int line)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };
	const char *got = "-";
	size_t i;

	CHECK_OK(parse_classify(shipped, NULL, text, NULL, &out, &err));
	CHECK(out.threat_source_count == out.threat_count);
	for (i = 0; i < out.threat_source_count; i++) {
		CHECK_STR(out.threat_sources[i].threat, out.threats[i]);
		if (strcmp(out.threat_sources[i].threat, threat) == 0)
			got = out.threat_sources[i].source;
	}
	if (strcmp(got, expected) != 0)
		fprintf(stderr, "line %d: %s in \"%s\": got %s\n", line, threat, text, got);
	CHECK_STR(got, expected);
	parse_classification_release(&out);
}

static void test_same_sentence(void)
{
	expect_source("Полицейские задержали журналиста у здания редакции.", "police_detention",
		      "police", __LINE__);
	expect_source("Сотрудники КНБ провели обыск в квартире активиста.", "raid",
		      "national_security", __LINE__);
	expect_source("Police detained the journalist outside the court building.",
		      "police_detention", "police", __LINE__);
	/* Two sources in the sentence: the one nearer the threat. */
	expect_source("Прокуратура сообщила, что полиция задержала блогера.", "police_detention",
		      "police", __LINE__);
	expect_source("Сот белсендіні айыппұлға жықты, ол қамауға алынды.", "police_detention",
		      "court", __LINE__);
}

static void test_previous_sentence(void)
{
	expect_source("В редакцию пришли сотрудники ДГД. Они начали внеплановую проверку фонда.",
		      "inspection", "tax", __LINE__);
	expect_source("Полицейлер тілшінің үйіне келді. Тілші сол жерде ұсталды.", "police_detention",
		      "police", __LINE__);
	/* The nearest sentence before wins over an earlier one. */
	expect_source("Акимат молчит. Вечером пришли полицейские. Журналиста задержали.",
		      "police_detention", "police", __LINE__);
}

/* Sources are kept beyond the 20 hits per rule the result shows: a late
 * threat still finds the source named beside it (the earlier mentions are
 * paragraphs of their own, out of its reach). */
static void test_many_mentions(void)
{
	struct vigil_buf text = VIGIL_BUF_INIT;
	int i;

	for (i = 0; i < 30; i++)
		CHECK_OK(vigil_buf_printf(&text, "Полиция молчит.\n"));
	CHECK_OK(vigil_buf_printf(&text, "Полицейские задержали журналиста."));
	expect_source(text.data, "police_detention", "police", __LINE__);
	vigil_buf_release(&text);
}

static void test_unknown(void)
{
	/* No source named anywhere. */
	expect_source("Журналиста задержали у здания редакции.", "police_detention", "unknown",
		      __LINE__);
	/* A source in another paragraph does not count. */
	expect_source("Акимат опубликовал отчёт.\n\nЖурналиста задержали у здания редакции.",
		      "police_detention", "unknown", __LINE__);
	/* A source named only after the threat's sentence does not count. */
	expect_source("Журналиста задержали у здания редакции. Полиция комментариев не дала.",
		      "police_detention", "unknown", __LINE__);
	expect_source("Тілші ұсталды.", "police_detention", "unknown", __LINE__);
	expect_source("Unknown people attacked the journalist near his home.", "assault", "unknown",
		      __LINE__);
}

int main(void)
{
	struct config_rules rules = { 0 };
	struct vigil_error err = { 0 };
	char dir[512];

	CHECK_OK(config_shipped_path("rules", dir, sizeof(dir), &err));
	CHECK_OK(config_rules_load_dir(dir, &rules, &err));
	CHECK_OK(parse_classifier_new(&rules, &shipped, &err));
	config_rules_release(&rules);
	if (!shipped) {
		fprintf(stderr, "%s\n", err.message);
		CHECK_DONE();
	}
	test_same_sentence();
	test_previous_sentence();
	test_many_mentions();
	test_unknown();
	parse_classifier_free(&shipped);
	CHECK_DONE();
}
