/* test_parser_rules_lang.c: the rule language on small rule files: all /
 * none / NEAR, field and quote scope, with = defender, negation (void,
 * flip, ignore, a pattern spelling its own negation), weights and
 * thresholds, `expect` lines run by parse_classifier_test(), and
 * parse_rules_check() listing every broken pattern with FILE:LINE. */
#include "check.h"
#include "../../parser/parser.h"

#include <unistd.h>

static char tmpdir[] = "/tmp/vigil-rules-lang-XXXXXX";

static const char *write_rules(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f)
		return path;
	fputs(text, f);
	fclose(f);
	return path;
}

static struct parse_classifier *load(const char *text, struct config_rules *rules)
{
	struct parse_classifier *c = NULL;
	struct vigil_error err = { 0 };

	memset(rules, 0, sizeof(*rules));
	if (config_rules_load(write_rules("t.rules", text), rules, &err) != VIGIL_OK) {
		fprintf(stderr, "load: %s\n", err.message);
		return NULL;
	}
	if (parse_classifier_new(rules, &c, &err) != VIGIL_OK)
		fprintf(stderr, "classifier: %s\n", err.message);
	return c;
}

/* Number of hits of rule id in text (title NULL). */
static int hits(const struct parse_classifier *c, const char *title, const char *text,
		const char *id)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };
	size_t i;
	int n = 0;

	if (!c || parse_classify(c, title, text, NULL, &out, &err) != VIGIL_OK)
		return -1;
	for (i = 0; i < out.hit_count; i++)
		n += strcmp(out.hits[i].rule_id, id) == 0;
	parse_classification_release(&out);
	return n;
}

static int tone_of(const struct parse_classifier *c, const char *text, int *score)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };
	int tone;

	if (!c || parse_classify(c, NULL, text, NULL, &out, &err) != VIGIL_OK)
		return -1;
	tone = (int)out.tone;
	*score = out.tone_score;
	parse_classification_release(&out);
	return tone;
}

static void test_all_none_near(void)
{
	struct config_rules rules;
	struct parse_classifier *c = load(
		"[category journalist]\npattern = \\bжурналист\\w*\n"
		"[threat police_detention]\ngroup = police\n"
		"pattern = \\bзадержа\\w+\n"
		"all = \\bполици\\w*\n"
		"none = \\bпреступник\\w*\n"
		"with = defender\n"
		"[threat search]\ngroup = police\npattern = \\bобыск\\w*\nnear = 3\n"
		"all = \\bредакци\\w*\n",
		&rules);

	CHECK(c != NULL);
	/* all + with defender: same sentence */
	CHECK(hits(c, NULL, "Полиция задержала журналиста.", "police_detention") == 1);
	CHECK(hits(c, NULL, "Полиция задержала мужчину. Журналист был рядом.",
		   "police_detention") == 0); /* no defender in the sentence */
	CHECK(hits(c, NULL, "Журналиста задержали у дома.", "police_detention") == 0); /* no all */
	CHECK(hits(c, NULL, "Полиция задержала журналиста и преступника.",
		   "police_detention") == 0); /* none */
	/* NEAR/3 words */
	CHECK(hits(c, NULL, "В редакции газеты прошел обыск.", "search") == 1);
	CHECK(hits(c, NULL, "В редакции известной городской газеты вчера прошел обыск.",
		   "search") == 0);
	parse_classifier_free(&c);
	config_rules_release(&rules);
}

static void test_field_quote(void)
{
	struct config_rules rules;
	struct parse_classifier *c = load(
		"[relevance in_title]\npattern = \\bправозащитник\\w*\nfield = title\n"
		"[relevance in_lead]\npattern = \\bправозащитник\\w*\nfield = lead\n"
		"[tone paid_voice]\ntone = negative\nweight = 2\n"
		"pattern = \\bгрантоед\\w*\nquote = outside\n"
		"[tone paid_quoted]\ntone = negative\npattern = \\bгрантоед\\w*\nquote = inside\n",
		&rules);

	CHECK(c != NULL);
	CHECK(hits(c, "Правозащитник задержан", "Текст.", "in_title") == 1);
	CHECK(hits(c, "Правозащитник задержан", "Текст.", "in_lead") == 0);
	CHECK(hits(c, "Задержан", "Правозащитник задержан.\nВторой абзац про правозащитника.",
		   "in_lead") == 1);
	CHECK(hits(c, NULL, "Эти грантоеды снова выступили.", "paid_voice") == 1);
	CHECK(hits(c, NULL, "Эти грантоеды снова выступили.", "paid_quoted") == 0);
	CHECK(hits(c, NULL, "«Эти грантоеды снова выступили против нас», — заявил депутат.",
		   "paid_voice") == 0);
	CHECK(hits(c, NULL, "«Эти грантоеды снова выступили против нас», — заявил депутат.",
		   "paid_quoted") == 1);
	CHECK(hits(c, NULL, "Депутат заявил, что грантоеды снова выступили.", "paid_quoted") == 1);
	parse_classifier_free(&c);
	config_rules_release(&rules);
}

static void test_negation_weights(void)
{
	struct config_rules rules;
	struct parse_classifier *c = load(
		"[relevance r]\npattern = \\bактивист\\w*\n"
		"[category defender]\npattern = \\bправозащитник\\w*\n"
		"[tone persecution]\ntone = supportive\nweight = 3\n"
		"pattern = \\bпреследовани\\w+\n"
		"[tone free]\ntone = supportive\npattern = \\bосвобод\\w+\nnegation = flip\n"
		"[threat rally]\ngroup = assembly\npattern = \\bмитинг\\w*\\s+не\\s+согласова\\w*\n"
		"[category activist]\npattern = \\bактивист\\w*\nnegation = ignore\nthreshold = 2\n",
		&rules);
	int score = 0;

	CHECK(c != NULL);
	/* void (the default for tone) */
	CHECK(hits(c, NULL, "Это не является преследованием активиста.", "persecution") == 0);
	CHECK(hits(c, NULL, "Это преследование активиста.", "persecution") == 1);
	CHECK(tone_of(c, "Это преследование правозащитника.", &score) == PARSE_TONE_SUPPORTIVE &&
	      score == 3);
	/* not about a defender named in its sentence: half weight */
	CHECK(tone_of(c, "Это преследование активиста.", &score) == PARSE_TONE_NEUTRAL &&
	      score == 2);
	/* flip: "не освободили" counts against */
	CHECK(tone_of(c, "Правозащитника не освободили.", &score) >= 0 && score == -1);
	/* a pattern that spells the negation is not negated by it */
	CHECK(hits(c, NULL, "Митинг не согласовали.", "rally") == 1);
	/* threshold 2 with weight 1: two mentions needed; ignore: negated ones count */
	CHECK(hits(c, NULL, "Активист выступил.", "activist") == 0);
	CHECK(hits(c, NULL, "Активист выступил. Это не активист.", "activist") == 2);
	parse_classifier_free(&c);
	config_rules_release(&rules);
}

static char reports[4096];
static void collect(void *ctx, const char *message)
{
	(void)ctx;
	strncat(reports, message, sizeof(reports) - strlen(reports) - 2);
	strcat(reports, "\n");
}

static void test_expect_and_check(void)
{
	struct config_rules rules;
	struct parse_classifier *c = load(
		"[category journalist]\npattern = \\bжурналист\\w*\n"
		"expect match \"Журналиста задержали\"\n"
		"expect no match \"Журнал вышел\"\n"
		"expect no match \"Журналист \\\"Правды\\\" приехал\"  # fails on purpose\n"
		"[threat fine]\ngroup = administrative\npattern = \\bоштрафова\\w+\n"
		"[expect]\n"
		"expect threat fine match \"Суд оштрафовал блогера\"\n"
		"expect threat fine match \"Суд оправдал блогера\"\n",
		&rules);
	size_t run = 0, failed;

	CHECK(c != NULL);
	CHECK(rules.count == 2 && rules.items[0].expect_count == 3 &&
	      rules.items[1].expect_count == 2);
	CHECK(rules.items[0].expect_count == 3 &&
	      strcmp(rules.items[0].expects[2].text, "Журналист \"Правды\" приехал") == 0);
	reports[0] = '\0';
	failed = parse_classifier_test(c, collect, NULL, &run);
	CHECK(run == 5);
	CHECK(failed == 2);
	CHECK_CONTAINS(reports, "t.rules:5: [category journalist] expected no match in "
				"\"Журналист \\\"Правды\\\" приехал\", got \"Журналист\" (");
	CHECK_CONTAINS(reports, "t.rules:11: [threat fine] expected a match in \"Суд оправдал "
				"блогера\", got none");
	parse_classifier_free(&c);
	config_rules_release(&rules);

	/* check lists every broken pattern, all and none included */
	{
		struct vigil_error err = { 0 };

		memset(&rules, 0, sizeof(rules));
		CHECK_OK(config_rules_load(write_rules("bad.rules",
				"[category a]\npattern = (unclosed\npattern = ok\n"
				"all = [z-a]\nnone = fine\n[region X]\npattern = x\nparent = NOPE\n"),
				&rules, &err));
		reports[0] = '\0';
		CHECK(parse_rules_check(&rules, collect, NULL) == 2);
		CHECK_CONTAINS(reports, "bad.rules:2: pattern error at offset 9: missing closing "
					"parenthesis");
		CHECK_CONTAINS(reports, "bad.rules:4: pattern error at offset 3: range out of order");
		config_rules_release(&rules);
		memset(&rules, 0, sizeof(rules));
		CHECK_OK(config_rules_load(write_rules("parent.rules",
				"[region X]\npattern = x\nparent = NOPE\n"), &rules, &err));
		reports[0] = '\0';
		CHECK(parse_rules_check(&rules, collect, NULL) == 1);
		CHECK_CONTAINS(reports, "parent.rules:1: [region X] parent 'NOPE' is not a region id");
		config_rules_release(&rules);
	}
}

static void expect_load_error(const char *text, const char *message)
{
	struct config_rules rules = { 0 };
	struct vigil_error err = { 0 };

	CHECK(config_rules_load(write_rules("e.rules", text), &rules, &err) != VIGIL_OK);
	CHECK_CONTAINS(err.message, message);
	CHECK(rules.count == 0);
	config_rules_release(&rules);
}

static void test_syntax_errors(void)
{
	expect_load_error("[category a]\npattern = x\nfield = footer\n",
			  "e.rules:3: field: expected title, lead and/or body, got 'footer'");
	expect_load_error("[category a]\npattern = x\nquote = maybe\n",
			  "e.rules:3: quote: expected inside, outside or any");
	expect_load_error("[category a]\npattern = x\nnear = 0\n",
			  "e.rules:3: near: expected a whole number from 1 to 200");
	expect_load_error("[category a]\npattern = x\nwith = lawyer\n",
			  "e.rules:3: with: expected 'defender'");
	expect_load_error("[category a]\npattern = x\nnegation = sometimes\n",
			  "e.rules:3: negation: expected ignore, void or flip");
	expect_load_error("[category a]\npattern = x\nexpect match unquoted\n",
			  "e.rules:3: expect: expected a quoted example");
	expect_load_error("[category a]\npattern = x\nexpect match \"open\n",
			  "e.rules:3: expect: the example has no closing '\"'");
	expect_load_error("[category a]\npattern = x\nexpect maybe \"x\"\n",
			  "e.rules:3: expect: no rule [maybe ] defined");
	expect_load_error("[expect]\nexpect match \"x\"\n",
			  "e.rules:2: expect in [expect] must name its rule");
	expect_load_error("[expect]\nexpect category nope match \"x\"\n",
			  "e.rules:2: expect: no rule [category nope]");
	expect_load_error("[expect]\npattern = x\n", "e.rules:2: 'pattern' in [expect]");
	expect_load_error("[category a]\npattern = x\nnear = 3\nnear = 4\n",
			  "e.rules:4: duplicate key 'near'");
	expect_load_error("[category a]\npattern = x\nall =\n", "e.rules:3: empty all");
	/* all/none keep " #" as part of the regex, like pattern */
	{
		struct config_rules rules = { 0 };
		struct vigil_error err = { 0 };

		CHECK_OK(config_rules_load(write_rules("hash.rules",
				"[category a]\npattern = x\nall = a #b\nweight = 2 # two\n"),
				&rules, &err));
		CHECK(rules.count == 1 && rules.items[0].all_count == 1 &&
		      strcmp(rules.items[0].all[0].text, "a #b") == 0 && rules.items[0].weight == 2);
		config_rules_release(&rules);
	}
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_all_none_near();
	test_field_quote();
	test_negation_weights();
	test_expect_and_check();
	test_syntax_errors();
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tmpdir);
	}
	CHECK_DONE();
}
