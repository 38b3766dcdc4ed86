/* test_parser_classify.c: the classifier with the shipped rules: regions in
 * inflected forms and their traps, categories, threats, tone of the seed
 * texts, hit explanations, and rule errors with FILE:LINE. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdlib.h>

static struct parse_classifier *shipped;

static char *read_fixture(const char *name)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	char path[512], chunk[8192];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/classify/%s", check_fixture_dir(), name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (vigil_buf_append(&buf, chunk, n)) {
			vigil_buf_release(&buf);
			fclose(f);
			return NULL;
		}
	}
	fclose(f);
	return vigil_buf_detach(&buf);
}

static int has(char **list, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(list[i], id) == 0)
			return 1;
	}
	return 0;
}

static char *joined(char **list, size_t n)
{
	static char out[1024];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < n && len < sizeof(out) - 70; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len, "%s%s", i ? " " : "", list[i]);
	return out;
}

/* The regions of text, space separated, must equal expected exactly
 * ("" = none). */
static void expect_regions(const char *text, const char *expected, int line)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };
	const char *got;

	if (parse_classify(shipped, NULL, text, NULL, &out, &err)) {
		check_failed++;
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, line, err.message);
		return;
	}
	got = joined(out.regions, out.region_count);
	if (strcmp(got, expected) == 0) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL %s:%d: \"%s\": regions \"%s\", expected \"%s\"\n", __FILE__,
			line, text, got, expected);
	}
	parse_classification_release(&out);
}

#define REGIONS(text, expected) expect_regions(text, expected, __LINE__)

static void test_regions(void)
{
	/* Russian inflection: a city also counts for its oblast. */
	REGIONS("Активиста задержали в Павлодаре.", "C_PAVLODAR PAV");
	REGIONS("Суд Павлодарской области вынес решение.", "PAV");
	REGIONS("Материалы передали в Павлодарскую обл. для проверки.", "PAV");
	REGIONS("Журналист вернулся из Уральска.", "C_URALSK ZAP");
	REGIONS("В Усть-Каменогорске прошел пикет.", "C_OSKEMEN VOS");
	REGIONS("В Алматы задержали активиста.", "ALA");
	REGIONS("В Алмате прошел митинг.", "ALA");
	REGIONS("Встреча прошла в Нур-Султане.", "AST");
	REGIONS("В Астане прошла конференция.", "AST");
	REGIONS("В ЗКО оштрафовали блогера.", "ZAP");
	REGIONS("Блогера из Караганды вызвали на допрос.", "C_KARAGANDA KAR");
	REGIONS("Акция прошла в области Абай.", "ABA");
	REGIONS("Заседание прошло в Жамбылской области.", "ZHA");
	REGIONS("павлодарские активисты провели пикет.", "PAV");
	REGIONS("В Костанае и Кокшетау прошли обыски.", "C_KOSTANAY KUS C_KOKSHETAU AKM");
	REGIONS("В городе Аксу прошел суд.", "T_AKSU_PAV PAV");
	/* An oblast adds up over its cities; the first place of the lead
	 * breaks the tie (PAV 3 mentions, ALA 1 + 2 as the first place). */
	REGIONS("В Алматы и в Павлодаре, затем снова в Павлодаре и в Экибастузе.",
		"ALA PAV C_PAVLODAR T_EKIBASTUZ");
	/* The place of the event beats the more mentioned background place. */
	REGIONS("Журналист из Павлодара, работавший в Павлодаре и Экибастузе, "
		"переехал.\nВ Уральске его задержала полиция.",
		"C_URALSK ZAP PAV C_PAVLODAR T_EKIBASTUZ");
	REGIONS("Журналист из Павлодара, работавший в Павлодаре и Экибастузе, "
		"переехал. В Уральске его задержала полиция.",
		"C_URALSK ZAP PAV C_PAVLODAR T_EKIBASTUZ");
	/* Kazakh case endings; "Алматы облысы" is the oblast, not the city. */
	REGIONS("Павлодарда белсенді ұсталды.", "C_PAVLODAR PAV");
	REGIONS("Алматы облысында жиналыс өтті.", "ALM");
	REGIONS("Оралдан келген журналист.", "C_URALSK ZAP");
	REGIONS("Өскемендегі тілші.", "C_OSKEMEN VOS");
	/* English. */
	REGIONS("Activists were detained in Almaty Region and in Oral.", "ALM C_URALSK ZAP");

	/* Traps: people, rivers, Russia, the government, common words. */
	REGIONS("Нурсултан Назарбаев выступил с речью.", "");
	REGIONS("Он прилетел из Петропавловска-Камчатского.", "");
	REGIONS("Петропавловск-Камчатский принял гостей.", "");
	REGIONS("Река Урал вышла из берегов.", "");
	REGIONS("Абай Кунанбаев — великий поэт.", "");
	REGIONS("Жамбыл Жабаев и Ұлытау тауы.", "");
	REGIONS("Астана заявила о поддержке резолюции.", "");
	REGIONS("Официальная Астана выразила протест.", "");
	REGIONS("Кунаев был первым секретарем.", "");
	REGIONS("Улица Сатпаева перекрыта.", "");
	REGIONS("На озере Балхаш отдыхают туристы.", "");
	REGIONS("Иссык-Куль привлекает туристов.", "");
	REGIONS("Рудные запасы и рудный двор.", "");
	REGIONS("Сот ақтау үкімін шығарды.", "");
	REGIONS("Air Astana перевезла пассажиров.", "");
}

static void test_categories_threats(void)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };

	CHECK_OK(parse_classify(shipped, "Задержан журналист",
				"Журналиста газеты задержали у здания суда. Его адвокат "
				"сообщил, что профсоюзный активист тоже был избит, а на "
				"правозащитную организацию наложен штраф.",
				NULL, &out, &err));
	CHECK(out.relevant == 1);
	CHECK_STR(joined(out.categories, out.category_count),
		  "journalist lawyer trade_union activist_ngo hr_defender");
	CHECK(has(out.threats, out.threat_count, "police_detention"));
	CHECK(has(out.threats, out.threat_count, "assault"));
	CHECK(has(out.threats, out.threat_count, "fine"));
	CHECK(out.threat_count > 0 && strcmp(out.threats[0], "police_detention") == 0);
	parse_classification_release(&out);

	CHECK_OK(parse_classify(shipped, NULL,
				"В офисе фонда провели обыск, налоговая инспекция назначила "
				"внеплановую проверку, деятельность организации приостановлена. "
				"Сайт издания заблокирован, митинг не согласовали. Политзаключенный "
				"объявил голодовку.",
				NULL, &out, &err));
	CHECK(has(out.threats, out.threat_count, "raid"));
	CHECK(has(out.threats, out.threat_count, "inspection"));
	CHECK(has(out.threats, out.threat_count, "ngo_suspension"));
	CHECK(has(out.threats, out.threat_count, "media_closure"));
	CHECK(has(out.threats, out.threat_count, "rally_refused"));
	CHECK(has(out.threats, out.threat_count, "detention_pressure"));
	CHECK(has(out.categories, out.category_count, "political_prisoner"));
	parse_classification_release(&out);

	/* Officials talking to the press are not about journalists; "ё". */
	CHECK_OK(parse_classify(shipped, NULL, "Аким сообщил журналистам о ремонте дорог.", NULL,
				&out, &err));
	CHECK(out.category_count == 0 && out.relevant == 0);
	parse_classification_release(&out);
	CHECK_OK(parse_classify(shipped, NULL, "Осуждённый активист вышел на свободу.", NULL, &out,
				&err));
	CHECK(has(out.categories, out.category_count, "political_prisoner"));
	parse_classification_release(&out);

	/* Relevance without a category. */
	CHECK_OK(parse_classify(shipped, NULL, "Доклад о свободе слова и правах человека.", NULL,
				&out, &err));
	CHECK(out.relevant == 1 && out.category_count == 0);
	parse_classification_release(&out);
}

static void classify_fixture(const char *name, struct parse_classification *out)
{
	struct vigil_error err = { 0 };
	char *data = read_fixture(name), *nl;

	memset(out, 0, sizeof(*out));
	if (!data) {
		check_failed++;
		return;
	}
	nl = strchr(data, '\n');
	if (nl)
		*nl = '\0';
	CHECK_OK(parse_classify(shipped, data, nl ? nl + 1 : "", NULL, out, &err));
	free(data);
}

static int tone_hits(const struct parse_classification *c, int sign)
{
	size_t i;
	int n = 0;

	for (i = 0; i < c->hit_count; i++)
		n += c->hits[i].kind == CONFIG_RULE_TONE && c->hits[i].weight * sign > 0;
	return n;
}

static void test_tone(void)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };
	struct vigil_buf long_text = VIGIL_BUF_INIT;
	int i;

	classify_fixture("seed_003_opinion.txt", &out);
	CHECK(out.tone == PARSE_TONE_NEGATIVE);
	CHECK(out.tone_score <= -20);
	CHECK(out.relevant == 1);
	parse_classification_release(&out);

	classify_fixture("seed_004_optimism.txt", &out);
	CHECK(out.tone == PARSE_TONE_NEGATIVE);
	CHECK(out.tone_score < -5);
	parse_classification_release(&out);

	classify_fixture("seed_002_civicus.txt", &out);
	CHECK(out.tone == PARSE_TONE_SUPPORTIVE);
	CHECK(out.tone_score >= 10);
	CHECK(tone_hits(&out, -1) == 0);
	CHECK(has(out.regions, out.region_count, "MAN"));
	CHECK(has(out.threats, out.threat_count, "police_detention"));
	CHECK(has(out.threats, out.threat_count, "criminal_case"));
	parse_classification_release(&out);

	classify_fixture("seed_000_interview.txt", &out);
	CHECK(out.tone != PARSE_TONE_NEGATIVE);
	CHECK(out.relevant == 1);
	CHECK(has(out.threats, out.threat_count, "inspection"));
	CHECK(has(out.threats, out.threat_count, "raid"));
	CHECK(has(out.threats, out.threat_count, "fine"));
	CHECK(has(out.threats, out.threat_count, "ngo_suspension"));
	parse_classification_release(&out);

	/* A plain event report: relevant, threats, no stance. */
	classify_fixture("neutral_event.txt", &out);
	CHECK(out.tone == PARSE_TONE_NEUTRAL);
	CHECK(out.tone_score == 0);
	CHECK(out.relevant == 1);
	CHECK_STR(joined(out.regions, out.region_count), "C_URALSK ZAP");
	CHECK(has(out.threats, out.threat_count, "police_detention"));
	CHECK(has(out.threats, out.threat_count, "fine"));
	CHECK(has(out.categories, out.category_count, "journalist"));
	parse_classification_release(&out);

	/* Bad news is not negative tone: a beaten journalist. */
	CHECK_OK(parse_classify(shipped, NULL, "В Шымкенте избили журналиста. Коллеги выразили "
				"солидарность и требуют освободить задержанных и провести "
				"независимое расследование.", NULL, &out, &err));
	CHECK(out.tone == PARSE_TONE_SUPPORTIVE);
	parse_classification_release(&out);

	/* In a short post one strong cue decides... */
	CHECK_OK(parse_classify(shipped, NULL, "Одиозные правозащитники снова выступили.", NULL,
				&out, &err));
	CHECK(out.tone == PARSE_TONE_NEGATIVE && out.tone_score == -3);
	parse_classification_release(&out);
	/* ...in an article an unambiguous formula (weight 3) in the outlet's
	 * own voice about defenders does too, and repeating it adds less... */
	for (i = 0; i < 30; i++)
		CHECK_OK(vigil_buf_append_str(&long_text, "Правозащитник рассказал о работе "
					      "центра и планах на следующий год. "));
	CHECK_OK(vigil_buf_append_str(&long_text, "Одиозные правозащитники снова выступили. "
				      "Одиозные правозащитники провели пресс-конференцию."));
	CHECK_OK(parse_classify(shipped, NULL, long_text.data, NULL, &out, &err));
	CHECK(long_text.len > 2000 && long_text.len < 20000);
	CHECK(out.tone == PARSE_TONE_NEGATIVE && out.tone_score == -5);
	parse_classification_release(&out);
	vigil_buf_reset(&long_text);
	/* ...but a weaker cue (weight 2) repeated does not decide an article,
	 * nor does the strong one when someone else says it. */
	for (i = 0; i < 30; i++)
		CHECK_OK(vigil_buf_append_str(&long_text, "Правозащитник рассказал о работе "
					      "центра и планах на следующий год. "));
	{
		size_t base = long_text.len;

		CHECK_OK(vigil_buf_append_str(&long_text, "Эти правозащитники живут на иностранные "
					      "гранты. Правозащитники живут на иностранные гранты."));
		CHECK_OK(parse_classify(shipped, NULL, long_text.data, NULL, &out, &err));
		CHECK(out.tone == PARSE_TONE_NEUTRAL && out.tone_score == -3);
		parse_classification_release(&out);
		long_text.len = base;
		long_text.data[base] = '\0';
		CHECK_OK(vigil_buf_append_str(&long_text, "Депутат заявил, что одиозные "
					      "правозащитники снова выступили."));
		CHECK_OK(parse_classify(shipped, NULL, long_text.data, NULL, &out, &err));
		CHECK(out.tone == PARSE_TONE_NEUTRAL && out.tone_score == -2);
		parse_classification_release(&out);
	}
	vigil_buf_reset(&long_text);
	/* ...two kinds of cue do. */
	CHECK_OK(parse_classify(shipped, NULL, "Одиозные правозащитники, так называемые "
				"«независимые журналисты» и грантоеды снова выступили.", NULL, &out,
				&err));
	CHECK(out.tone == PARSE_TONE_NEGATIVE);
	parse_classification_release(&out);

	/* In a long text a couple of cues are not enough (53,000 characters:
	 * threshold 4; the defender named in the lead makes both cues about
	 * defenders, so they give their full 3). */
	for (i = 0; i < 800; i++)
		CHECK_OK(vigil_buf_append_str(&long_text, "Правозащитник рассказал о работе "
					      "центра и планах на следующий год. "));
	CHECK_OK(vigil_buf_append_str(&long_text, "Выразим солидарность. Нарушения прав."));
	CHECK_OK(parse_classify(shipped, NULL, long_text.data, NULL, &out, &err));
	CHECK(out.tone_score == 3 && out.tone == PARSE_TONE_NEUTRAL);
	parse_classification_release(&out);
	vigil_buf_release(&long_text);

	/* Tone cues in a text not about defenders: no tone. */
	CHECK_OK(parse_classify(shipped, NULL, "Грантоеды и одиозные блогеры", NULL, &out, &err));
	CHECK(out.tone_score < 0);
	CHECK(out.relevant == 1); /* блогеры: a category */
	parse_classification_release(&out);
	CHECK_OK(parse_classify(shipped, NULL, "Солидарность и требования освободить заложников "
				"звучали на площади, пытки запрещены.", NULL, &out, &err));
	CHECK(out.relevant == 0 && out.tone_score > 0 && out.tone == PARSE_TONE_NEUTRAL);
	parse_classification_release(&out);
}

/* Whose voice: a supportive cue in a defender's own reported words counts
 * in full; the same words from an official stay halved. Defenders named in
 * the title are the topic: a later sentence about "him" is about them. */
static void test_tone_voice_and_topic(void)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };

	CHECK_OK(parse_classify(shipped, "Журналисту предъявили обвинение",
				"Журналисту газеты предъявили обвинение. Адвокат считает дело местью за критику.",
				NULL, &out, &err));
	CHECK(out.tone == PARSE_TONE_SUPPORTIVE);
	CHECK(out.explanation && strstr(out.explanation, "a defender's words"));
	parse_classification_release(&out);

	CHECK_OK(parse_classify(shipped, "Журналисту предъявили обвинение",
				"Журналисту газеты предъявили обвинение. Прокурор считает дело местью за критику.",
				NULL, &out, &err));
	CHECK(out.tone == PARSE_TONE_NEUTRAL);
	parse_classification_release(&out);

	/* "призвала освободить его": no defender in the sentence or the one
	 * before it, but the title names one. */
	CHECK_OK(parse_classify(shipped, "Активисту из Актобе продлили арест",
				"Гражданскому активисту продлили арест. Суд отклонил жалобу защиты. "
				"Международная организация призвала власти освободить его.",
				NULL, &out, &err));
	CHECK(out.tone == PARSE_TONE_SUPPORTIVE);
	parse_classification_release(&out);
	CHECK_OK(parse_classify(shipped, "Суд в Актобе",
				"Суд отклонил жалобу. Прошла проверка. Международная организация призвала "
				"власти освободить его. Гражданский активист был на заседании.",
				NULL, &out, &err));
	CHECK(out.tone == PARSE_TONE_NEUTRAL);
	parse_classification_release(&out);

	/* Voice: a defender's own words quoted give them the floor; the same
	 * quotation from a police spokesman does not. */
	CHECK_OK(parse_classify(shipped, "Редактора арестовали на десять суток",
				"Шеф-редактора агентства арестовали на десять суток. «Жду конвой с полудня, "
				"без еды и воды», — написал журналист.", NULL, &out, &err));
	CHECK(out.tone == PARSE_TONE_SUPPORTIVE);
	CHECK(out.explanation && strstr(out.explanation, "a defender's words quoted"));
	parse_classification_release(&out);
	CHECK_OK(parse_classify(shipped, "Редактора арестовали на десять суток",
				"Шеф-редактора агентства арестовали на десять суток. «Задержание прошло "
				"по закону и без нарушений», — сообщил представитель полиции.", NULL, &out,
				&err));
	CHECK(out.tone == PARSE_TONE_NEUTRAL);
	parse_classification_release(&out);
}

static void test_hits_and_hint(void)
{
	struct parse_classification out;
	struct vigil_error err = { 0 };
	const char *title = "Новости", *text = "Вчера в Павлодаре задержали журналиста.";
	const struct config_rule *region;
	size_t i, offset = strlen(title) + 2 + strlen("Вчера в ");
	int found = 0, capped = 0;
	struct vigil_buf many = VIGIL_BUF_INIT;
	char bad[] = "Журналист \xFF\xFE задержан в Павлодаре";

	CHECK_OK(parse_classify(shipped, title, text, "ALA", &out, &err));
	for (i = 0; i < out.hit_count; i++) {
		const struct parse_rule_hit *h = &out.hits[i];

		if (h->kind == CONFIG_RULE_REGION && strcmp(h->rule_id, "C_PAVLODAR") == 0) {
			found = 1;
			CHECK(h->offset == offset);
			CHECK_STR(h->matched, "Павлодаре");
			CHECK_STR(h->label, "Павлодар");
			CHECK(h->weight == 0);
			CHECK_CONTAINS(h->where, "regions.rules:");
		}
		if (i > 0)
			CHECK(out.hits[i - 1].offset <= h->offset);
	}
	CHECK(found);
	/* The hint is ignored when the text names a region. */
	CHECK_STR(joined(out.regions, out.region_count), "C_PAVLODAR PAV");
	parse_classification_release(&out);
	parse_classification_release(&out); /* twice is fine */

	CHECK_OK(parse_classify(shipped, NULL, "Журналиста задержали.", "C_PAVLODAR", &out, &err));
	CHECK_STR(joined(out.regions, out.region_count), "C_PAVLODAR PAV");
	parse_classification_release(&out);
	CHECK_OK(parse_classify(shipped, NULL, "Журналиста задержали.", "NOWHERE", &out, &err));
	CHECK(out.region_count == 0);
	parse_classification_release(&out);

	/* Hits per rule are capped. */
	for (i = 0; i < 50; i++)
		CHECK_OK(vigil_buf_append_str(&many, "журналист, "));
	CHECK_OK(parse_classify(shipped, NULL, many.data, NULL, &out, &err));
	for (i = 0; i < out.hit_count; i++)
		capped += strcmp(out.hits[i].rule_id, "journalist") == 0;
	CHECK(capped == 20);
	parse_classification_release(&out);
	vigil_buf_release(&many);

	/* Invalid UTF-8 is replaced, offsets kept. */
	CHECK_OK(parse_classify(shipped, NULL, bad, NULL, &out, &err));
	CHECK(has(out.regions, out.region_count, "C_PAVLODAR"));
	CHECK(has(out.categories, out.category_count, "journalist"));
	parse_classification_release(&out);

	CHECK_OK(parse_classify(shipped, NULL, NULL, NULL, &out, &err));
	CHECK(out.hit_count == 0 && out.relevant == 0 && out.tone == PARSE_TONE_NEUTRAL);
	parse_classification_release(&out);

	region = parse_classifier_region(shipped, "C_PAVLODAR");
	CHECK(region != NULL);
	if (region) {
		CHECK_STR(region->label, "Павлодар");
		CHECK_STR(region->parent, "PAV");
		CHECK_STR(region->macro, "North");
	}
	CHECK(parse_classifier_region(shipped, "NOWHERE") == NULL);
	CHECK(parse_classifier_region(shipped, "journalist") == NULL);

	CHECK_STR(parse_tone_name(PARSE_TONE_NEUTRAL), "neutral");
	CHECK_STR(parse_tone_name(PARSE_TONE_NEGATIVE), "negative");
	CHECK_STR(parse_tone_name(PARSE_TONE_SUPPORTIVE), "supportive");
}

static void test_rule_errors(void)
{
	struct config_rules rules = { 0 };
	struct parse_classifier *c = (struct parse_classifier *)&rules;
	struct vigil_error err = { 0 };
	struct parse_classification out;
	char path[512], where[600];

	snprintf(path, sizeof(path), "%s/classify/bad_pattern.rules", check_fixture_dir());
	CHECK_OK(config_rules_load(path, &rules, &err));
	CHECK(parse_classifier_new(&rules, &c, &err) == VIGIL_ERR_REGEX);
	CHECK(c == NULL);
	snprintf(where, sizeof(where), "%s:6: pattern error at offset 20: ", path);
	CHECK_CONTAINS(err.message, where);
	CHECK_CONTAINS(err.message, "missing closing parenthesis");
	config_rules_release(&rules);

	snprintf(path, sizeof(path), "%s/classify/bad_parent.rules", check_fixture_dir());
	CHECK_OK(config_rules_load(path, &rules, &err));
	CHECK(parse_classifier_new(&rules, &c, &err) == VIGIL_ERR_CONFIG);
	snprintf(where, sizeof(where), "%s:1: [region CITY] parent 'NOWHERE' is not a region id",
		 path);
	CHECK_STR(err.message, where);
	config_rules_release(&rules);

	/* The classifier keeps its own copy of the rules. */
	snprintf(path, sizeof(path), "%s/config/rules", check_fixture_dir());
	CHECK_OK(config_rules_load_dir(path, &rules, &err));
	CHECK_OK(parse_classifier_new(&rules, &c, &err));
	config_rules_release(&rules);
	CHECK_OK(parse_classify(c, "Павлодар", "Журналиста задержали.", NULL, &out, &err));
	CHECK_STR(joined(out.regions, out.region_count), "C_PAVLODAR PAV");
	CHECK_STR(joined(out.categories, out.category_count), "journalist");
	CHECK(out.hit_count == 3);
	CHECK(out.hit_count == 3 && strstr(out.hits[0].where, "b_second.rules:10"));
	parse_classification_release(&out);
	parse_classifier_free(&c);
	CHECK(c == NULL);
	parse_classifier_free(&c);
	parse_classifier_free(NULL);
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
	test_regions();
	test_categories_threats();
	test_tone();
	test_tone_voice_and_topic();
	test_hits_and_hint();
	test_rule_errors();
	parse_classifier_free(&shipped);
	CHECK_DONE();
}
