/* test_parser_text_model.c: the classifier's text model: sentences and
 * paragraphs with offsets, title and lead, quotations (« » „ “ “ ” " "),
 * reported speech in Russian, Kazakh and English, negation scopes. */
#include "check.h"
#include "../../parser/classify/classify_int.h"

static struct text_model model;
static const char *subject;

/* Build the model of title + "\n\n" + body (the classifier's subject). */
static char *build(const char *title, const char *body)
{
	static char buf[8192];
	size_t tl = strlen(title);

	snprintf(buf, sizeof(buf), "%s\n\n%s", title, body);
	text_model_release(&model);
	subject = buf;
	CHECK_OK(text_model_build(buf, strlen(buf), tl, &model));
	return buf;
}

static size_t at(const char *needle)
{
	const char *p = strstr(subject, needle);

	if (!p) {
		fprintf(stderr, "no '%s' in the text\n", needle);
		return 0;
	}
	return (size_t)(p - subject);
}

/* The sentence holding needle, as a string. */
static const char *sentence_of(const char *needle)
{
	static char out[1024];
	size_t s = text_model_sentence(&model, at(needle));

	if (s == SIZE_MAX)
		return "";
	snprintf(out, sizeof(out), "%.*s", (int)(model.sentences[s].end - model.sentences[s].start),
		 subject + model.sentences[s].start);
	return out;
}

static int negated(const char *needle)
{
	size_t a = at(needle);

	return text_model_negated(&model, a, a + strlen(needle));
}

static int reported(const char *needle)
{
	size_t a = at(needle);

	return text_model_reported(&model, a, a + strlen(needle));
}

static int quoted(const char *needle)
{
	size_t a = at(needle);

	return text_model_quote(&model, a, a + strlen(needle)) != SIZE_MAX;
}

static void test_sentences(void)
{
	build("Суд над журналистом в Уральске",
	      "В г. Уральске суд продолжил рассмотрение дела. Журналист А. Иванов не признал вину! "
	      "Т.н. эксперты молчат? «Мы требуем освободить его», — заявила мать.\n"
	      "Второй абзац. 12 марта состоится заседание.");
	CHECK(model.paragraph_count == 3);
	CHECK(model.sentence_count == 7);
	CHECK_STR(sentence_of("суд продолжил"), "В г. Уральске суд продолжил рассмотрение дела.");
	CHECK_STR(sentence_of("Иванов"), "Журналист А. Иванов не признал вину!");
	CHECK_STR(sentence_of("эксперты"), "Т.н. эксперты молчат?");
	CHECK_STR(sentence_of("требуем"), "«Мы требуем освободить его», — заявила мать.");
	CHECK_STR(sentence_of("Второй"), "Второй абзац.");
	CHECK_STR(sentence_of("12 марта"), "12 марта состоится заседание.");
	CHECK(model.sentences[text_model_sentence(&model, at("Второй"))].paragraph == 2);
	/* title, lead (first body paragraph, at most 3 sentences), body */
	CHECK(text_model_field(&model, at("Суд над")) == TEXT_FIELD_TITLE);
	CHECK(text_model_field(&model, at("В г. Уральске")) == TEXT_FIELD_LEAD);
	CHECK(text_model_field(&model, at("эксперты")) == TEXT_FIELD_LEAD);
	CHECK(text_model_field(&model, at("требуем")) == TEXT_FIELD_BODY);
	CHECK(text_model_field(&model, at("Второй")) == TEXT_FIELD_BODY);
	/* words */
	CHECK(text_model_word(&model, at("Суд")) == 0);
	CHECK(text_model_word(&model, at("над")) == 1);

	build("Journalist detained", "Mr. Smith was detained on Monday. He said nothing. "
	      "Police refused to comment... The next hearing is in May.");
	CHECK(model.sentence_count == 5);
	CHECK_STR(sentence_of("Smith"), "Mr. Smith was detained on Monday.");
	CHECK_STR(sentence_of("refused"), "Police refused to comment...");

	/* Kazakh, with a dash after the full stop starting a new sentence */
	build("", "Белсенді Өскеменде ұсталды. — Біз оны босатуды талап етеміз.");
	CHECK(model.sentence_count == 2);
	CHECK(text_model_field(&model, at("Белсенді")) == TEXT_FIELD_LEAD);
}

static void test_quotes(void)
{
	build("", "Депутат назвал их «правозащитниками» и добавил: «Эти люди получают гранты "
	      "из-за рубежа и работают на „чужие интересы“ страны». Редакция \"Урал "
	      "Ньюс\" отказалась от комментариев. “We demand his release now,” she said.");
	/* a scare quote is not speech */
	CHECK(!quoted("правозащитниками"));
	CHECK(quoted("получают гранты"));
	CHECK(quoted("чужие интересы"));
	CHECK(!quoted("Ньюс")); /* a name in quotes */
	CHECK(quoted("demand his release"));
	CHECK(!quoted("Редакция"));
	CHECK(model.quote_count == 5);
	CHECK(model.quotes[text_model_quote(&model, at("получают"), at("получают") + 4)].attributed);
	CHECK(model.quotes[text_model_quote(&model, at("demand"), at("demand") + 4)].attributed);

	/* an unattributed speech quotation */
	build("", "«Свободу политическим заключенным и их семьям!» Плакат висел у входа.");
	CHECK(quoted("политическим"));
	CHECK(!model.quotes[text_model_quote(&model, at("Свободу"), at("Свободу") + 6)].attributed);
	/* a quotation left open does not run into the next paragraph */
	build("", "Он сказал «мы не уйдем отсюда\nСледующий абзац без кавычек и без слов.");
	CHECK(!quoted("Следующий"));
}

static void test_reported(void)
{
	build("", "По словам адвоката, журналиста преследуют за публикации. "
	      "Журналиста преследуют за публикации.");
	CHECK(reported("адвоката, журналиста"));
	CHECK(!reported("Журналиста преследуют"));
	build("", "Аким заявил, что активисты работают на иностранные фонды. "
	      "Activists are paid by foreign donors, the official told reporters. "
	      "According to the ministry, the NGO broke the law. "
	      "Белсенділер шетелдік гранттар алады, деді әкім. "
	      "Министрлік бұл туралы мәлімдеді. "
	      "Активисты работают на иностранные фонды.");
	CHECK(reported("активисты работают"));
	CHECK(reported("paid by foreign"));
	CHECK(reported("NGO broke"));
	CHECK(reported("шетелдік гранттар"));
	CHECK(reported("Министрлік"));
	CHECK(!reported("Активисты работают"));
}

static void test_negation(void)
{
	build("", "Это не является политическим преследованием, а журналист нарушил закон. "
	      "Он не только правозащитник, но и блогер. There are no restrictions on the media; "
	      "the court never heard the case. Police didn't detain anyone. "
	      "Бұл саяси қудалау емес. Тілшіге қысым жоқ, бірақ сот жалғасуда. "
	      "Задержан без ордера, но отпущен.");
	CHECK(negated("политическим преследованием"));
	CHECK(!negated("журналист нарушил"));      /* after the comma */
	CHECK(!negated("правозащитник"));          /* "не только" */
	CHECK(negated("restrictions on the media"));
	CHECK(negated("heard the case"));
	CHECK(negated("detain anyone"));
	CHECK(negated("саяси қудалау"));
	CHECK(negated("Тілшіге қысым"));
	CHECK(!negated("сот жалғасуда"));
	CHECK(negated("ордера"));
	build("", "Обыска в редакции не было. Активиста задержали и не было адвоката.");
	CHECK(negated("Обыска в редакции"));
	CHECK(!negated("задержали"));
	CHECK(negated("адвоката"));
	build("", "Журналиста задержали без ордера, но отпущен.");
	CHECK(!negated("отпущен"));
	CHECK(!negated("Журналиста"));
}

static void test_edges(void)
{
	/* empty and title-only texts, a text without any terminator */
	build("", "");
	CHECK(model.sentence_count == 0 && model.word_count == 0);
	CHECK(text_model_sentence(&model, 0) == SIZE_MAX);
	build("Только заголовок", "");
	CHECK(model.sentence_count == 1);
	CHECK(text_model_field(&model, 0) == TEXT_FIELD_TITLE);
	build("", "текст без точки в конце и без заглавных букв");
	CHECK(model.sentence_count == 1);
	/* stray closing marks and lone straight quotes do not crash or pair */
	build("", "» “ \" » текст \"");
	CHECK(model.quote_count <= 1);
}

int main(void)
{
	test_sentences();
	test_quotes();
	test_reported();
	test_negation();
	test_edges();
	text_model_release(&model);
	CHECK_DONE();
}
