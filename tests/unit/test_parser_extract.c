/* test_parser_extract.c: charset decoding, HTML reading, main text and
 * metadata extraction (parser/charset.c, html.c, extract.c, extract_meta.c). */
#include "check.h"
#include "../../parser/parser.h"
#include "../../parser/parser_int.h"

#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_fixture(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *data = NULL;
	long size;

	snprintf(path, sizeof(path), "%s/parser/%s", check_fixture_dir(), name);
	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "cannot open fixture %s\n", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
		data = malloc((size_t)size + 1);
		if (data && fread(data, 1, (size_t)size, f) != (size_t)size) {
			free(data);
			data = NULL;
		}
		if (data) {
			data[size] = '\0';
			*len = (size_t)size;
		}
	}
	fclose(f);
	return data;
}

/* UTF-8 text in another charset, through iconv (malloc'd). */
static char *encode(const char *utf8, const char *charset, size_t *len)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	size_t in_left = strlen(utf8), out_left = in_left * 4 + 4;
	char *out = malloc(out_left), *in = (char *)utf8, *pos = out;

	if (cd == (iconv_t)-1 || !out) {
		free(out);
		return NULL;
	}
	if (iconv(cd, &in, &in_left, &pos, &out_left) == (size_t)-1) {
		free(out);
		out = NULL;
	} else {
		*len = (size_t)(pos - out);
	}
	iconv_close(cd);
	return out;
}

static void expect_decode(const char *body, size_t len, const char *content_type,
			  const char *want_text, const char *want_charset, int line)
{
	struct vigil_error err = { 0 };
	char *text = NULL, *charset = NULL;
	size_t text_len = 0;
	enum vigil_code code;

	code = parse_decode_to_utf8(body, len, content_type, &text, &text_len, &charset, &err);
	if (code != VIGIL_OK || !text || strcmp(text, want_text) != 0 || !charset ||
	    strcmp(charset, want_charset) != 0 || text_len != strlen(want_text)) {
		check_failed++;
		fprintf(stderr, "FAIL line %d: decode gave %d \"%s\" as %s, expected \"%s\" as %s\n",
			line, (int)code, text ? text : "(null)", charset ? charset : "(null)",
			want_text, want_charset);
	} else {
		check_passed++;
	}
	free(text);
	free(charset);
}

#define EXPECT_DECODE(body, len, ct, text, cs) expect_decode(body, len, ct, text, cs, __LINE__)

static void test_decode(void)
{
	static const char cp1251_privet[] = "\xCF\xF0\xE8\xE2\xE5\xF2"; /* Привет */
	static const char koi8_privet[] = "\xF0\xD2\xC9\xD7\xC5\xD4";
	const char *long_ru = "Правозащитники Казахстана собрались в Алматы, чтобы обсудить "
			      "положение дел с правами человека и свободой собраний в стране.";
	char meta_page[256];
	struct vigil_error err = { 0 };
	char *text = NULL, *encoded;
	size_t len = 0, text_len;

	/* BOMs */
	EXPECT_DECODE("\xEF\xBB\xBF\xD0\x9F\xD1\x80\xD0\xB8", 9, "text/html; charset=windows-1251",
		      "При", "utf-8");
	EXPECT_DECODE("\xFF\xFEH\0i\0", 6, NULL, "Hi", "utf-16le");
	EXPECT_DECODE("\xFE\xFF\0H\0i", 6, NULL, "Hi", "utf-16be");
	/* valid UTF-8 wins over a wrong header */
	EXPECT_DECODE("Привет", strlen("Привет"), "text/html; charset=windows-1251", "Привет",
		      "utf-8");
	/* header, with quotes and odd case */
	EXPECT_DECODE(cp1251_privet, 6, "text/html; Charset=\"CP1251\"", "Привет", "windows-1251");
	EXPECT_DECODE(koi8_privet, 6, "text/html;charset=koi8-r", "Привет", "koi8-r");
	/* <meta> only */
	snprintf(meta_page, sizeof(meta_page),
		 "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
		 "charset=windows-1251\"></head><body>%s</body></html>", cp1251_privet);
	EXPECT_DECODE(meta_page, strlen(meta_page), NULL,
		      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
		      "charset=windows-1251\"></head><body>Привет</body></html>",
		      "windows-1251");
	snprintf(meta_page, sizeof(meta_page), "<meta charset=koi8-r><p>%s", koi8_privet);
	EXPECT_DECODE(meta_page, strlen(meta_page), NULL, "<meta charset=koi8-r><p>Привет",
		      "koi8-r");
	/* header beats meta */
	snprintf(meta_page, sizeof(meta_page), "<meta charset=koi8-r><p>%s", cp1251_privet);
	EXPECT_DECODE(meta_page, strlen(meta_page), "text/html; charset=windows-1251",
		      "<meta charset=koi8-r><p>Привет", "windows-1251");
	/* nothing declared: windows-1251, or KOI8-R when its letter case fits */
	EXPECT_DECODE(cp1251_privet, 6, NULL, "Привет", "windows-1251");
	EXPECT_DECODE(cp1251_privet, 6, "text/html", "Привет", "windows-1251");
	encoded = encode(long_ru, "KOI8-R", &len);
	CHECK(encoded != NULL);
	if (encoded)
		EXPECT_DECODE(encoded, len, NULL, long_ru, "koi8-r");
	free(encoded);
	encoded = encode(long_ru, "WINDOWS-1251", &len);
	CHECK(encoded != NULL);
	if (encoded)
		EXPECT_DECODE(encoded, len, NULL, long_ru, "windows-1251");
	free(encoded);
	/* invalid bytes become U+FFFD; NULs are dropped; a cut-off tail is
	 * still UTF-8 */
	EXPECT_DECODE("abc\xFF" "def", 7, "text/html; charset=utf-8", "abc\xEF\xBF\xBD" "def",
		      "utf-8");
	EXPECT_DECODE("a\0b", 3, NULL, "ab", "utf-8");
	EXPECT_DECODE("\xD0\x9F\xD1", 3, NULL, "П\xEF\xBF\xBD", "utf-8");
	/* a byte windows-1251 leaves undefined (0x98) */
	EXPECT_DECODE("\x98\xCF", 2, "text/html; charset=windows-1251", "\xEF\xBF\xBDП",
		      "windows-1251");
	/* unknown declared charsets fall through to the next source */
	EXPECT_DECODE(cp1251_privet, 6, "text/html; charset=x-no-such-charset", "Привет",
		      "windows-1251");
	/* empty input is fine */
	EXPECT_DECODE("", 0, NULL, "", "utf-8");
	/* charset_out is optional */
	CHECK_OK(parse_decode_to_utf8(cp1251_privet, 6, NULL, &text, &text_len, NULL, &err));
	CHECK_STR(text, "Привет");
	free(text);
}

static void test_html_read(void)
{
	/* UTF-8 bytes that claim windows-1251: libxml2 must not re-decode */
	const char *page = "<html><head><meta charset=\"windows-1251\"><title>Привет, мир</title>"
			   "</head><body><p>Текст</p></body></html>";
	struct vigil_error err = { 0 };
	htmlDocPtr doc = NULL;
	char *charset = NULL;
	xmlNodePtr root;

	CHECK_OK(parse_html_read(page, strlen(page), NULL, "https://example.kz/a", &doc, &charset,
				 &err));
	CHECK_STR(charset, "utf-8");
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	CHECK(root != NULL);
	if (root) {
		char *text = parse_node_text(root);

		CHECK_STR(text, "Привет, мир Текст");
		free(text);
	}
	xmlFreeDoc(doc);
	free(charset);

	doc = NULL;
	CHECK(parse_html_read("", 0, NULL, "https://example.kz/empty", &doc, NULL, &err) ==
	      VIGIL_ERR_PARSE);
	CHECK(doc == NULL);
	CHECK_CONTAINS(err.message, "https://example.kz/empty");
}

static void test_optimism(void)
{
	struct parse_document doc;
	struct vigil_error err = { 0 };
	static const char *const boilerplate[] = {
		"Политика", "Экономика", "Акмолинская область", "Туркестанская область", "СКО",
		"Спецпроекты", "Рекомендуем", "Глава государства посетил Дом шахмат",
		"Backstreet Boys", "Сурдлимпийских", "Загрузить еще", "Публикуем последние новости",
		"Категории портала", "Самая последняя новость", "Яндекс", "Optimism.kz", "1xbet",
		"Freedom Broker", "Нет результатов", "Посмотреть все результаты",
		"Версия слабовидящим", "Среда, 17 сентября", "Tags", "Share", "Tweet",
		"Казахская музыка", "О нас", "Контакты", "Главная", "Анатолий Пак",
		"18.04.2024", "16.09.2025", "возврат к диалогу критически важен", "Мы там, где удобно",
		"Роман Скляр",
	};
	size_t len = 0;
	char *body = read_fixture("optimism_article.html", &len);

	CHECK(body != NULL);
	if (!body)
		return;
	CHECK_OK(parse_extract(body, len, "text/html; charset=UTF-8",
			       "https://optimism.kz/2024/04/18/konsultativno/", 0, &doc, &err));
	CHECK_STR(doc.title, "«Консультативно-совещательный орган «Диалоговая площадка по "
			     "человеческому измерению» при МИД РК: возврат к диалогу критически "
			     "важен");
	CHECK_STR(doc.author, "Анатолий Пак");
	CHECK_STR(doc.published, "2024-04-18T18:51:00");
	CHECK_STR(doc.language, "ru");
	CHECK_STR(doc.canonical_url, "https://optimism.kz/2024/04/18/"
				     "konsultativno-soveshhatelnyj-organ-dialogovaya-ploshhadka/");
	CHECK_STR(doc.site_name, "Optimism.kz");
	CHECK_STR(doc.charset, "utf-8");
	CHECK(doc.description && strncmp(doc.description, "В марте 2012 года",
					 strlen("В марте 2012 года")) == 0);
	/* the article, first to last paragraph, in paragraphs */
	CHECK(doc.text && strncmp(doc.text, "В марте 2012 года, занимая должность", 40) == 0);
	CHECK_CONTAINS(doc.text, "демократии в стране.\n\nЕ.Жовтис в то время планировал");
	CHECK_CONTAINS(doc.text, "«Глухость» и «немота» — это основные причины стагнации");
	CHECK_CONTAINS(doc.text, "(более подробно см.: https://www.zakon.kz/press-relizy/");
	CHECK_CONTAINS(doc.text, "Дискредитация, помноженная на дезинформацию");
	CHECK(doc.text && strlen(doc.text) > 9000);
	{
		const char *tail = "впустую сжигая деньги иностранных налогоплательщиков.";
		size_t tl = strlen(tail), n = doc.text ? strlen(doc.text) : 0;

		CHECK(n >= tl && strcmp(doc.text + n - tl, tail) == 0);
	}
	for (size_t i = 0; i < sizeof(boilerplate) / sizeof(boilerplate[0]); i++) {
		if (doc.text && strstr(doc.text, boilerplate[i])) {
			check_failed++;
			fprintf(stderr, "FAIL %s:%d: text contains boilerplate \"%s\"\n", __FILE__,
				__LINE__, boilerplate[i]);
		} else {
			check_passed++;
		}
	}
	parse_document_release(&doc);
	CHECK(doc.text == NULL && doc.title == NULL);
	parse_document_release(&doc); /* twice is fine */
	free(body);
}

static void test_cp1251_pages(void)
{
	static const char *const names[] = { "ru_cp1251_meta.html", "ru_cp1251_header.html" };

	for (int i = 0; i < 2; i++) {
		struct parse_document doc;
		struct vigil_error err = { 0 };
		size_t len = 0;
		char *body = read_fixture(names[i], &len);
		/* the header fixture has no <meta>: only the header says cp1251 */
		const char *ct = i == 1 ? "text/html; charset=windows-1251" : "text/html";

		CHECK(body != NULL);
		if (!body)
			continue;
		CHECK(strstr(body, "Казахстан") == NULL); /* really not UTF-8 on disk */
		CHECK_OK(parse_extract(body, len, ct, "http://pravo.example.kz/news/1", 0, &doc, &err));
		CHECK_STR(doc.charset, "windows-1251");
		CHECK_STR(doc.title,
			  "Казахстан понижен в рейтинге из-за ухудшения гражданских свобод");
		CHECK_STR(doc.author, "Пресс-служба CIVICUS");
		CHECK_STR(doc.published, "2022-06-20");
		CHECK_STR(doc.language, "ru");
		CHECK_CONTAINS(doc.text, "протестов «Кровавого января» 2022 года");
		CHECK_CONTAINS(doc.text, "CIVICUS Monitor понизил рейтинг Казахстана");
		CHECK(doc.text && !strstr(doc.text, "Читайте также"));
		CHECK(doc.text && !strstr(doc.text, "итоги года"));
		CHECK(doc.text && !strstr(doc.text, "Все права защищены"));
		CHECK(doc.text && !strstr(doc.text, "О проекте"));
		CHECK(doc.text && !strstr(doc.text, "20 июня 2022"));
		parse_document_release(&doc);

		/* with no header at all, the Cyrillic fallback still decodes it */
		CHECK_OK(parse_extract(body, len, NULL, NULL, 0, &doc, &err));
		CHECK_STR(doc.charset, "windows-1251");
		CHECK_CONTAINS(doc.text, "CIVICUS Monitor понизил рейтинг Казахстана");
		parse_document_release(&doc);
		free(body);
	}
}

static const char *paragraphs_ru =
	"<p>Правозащитница из Уральска рассказала о давлении, которое она испытывает после "
	"публикации доклада о пытках в местах лишения свободы, и о том, как полиция вызывала её "
	"на беседы, а налоговая инспекция проверяла общественное объединение.</p>"
	"<p>По её словам, за последний год организация получила три предписания и штраф, "
	"а деятельность фонда дважды приостанавливали по формальным основаниям, хотя "
	"суд позже признал одно из решений незаконным.</p>"
	"<p>Эксперты, опрошенные редакцией, считают, что подобные проверки стали обычной "
	"практикой в отношении организаций, которые занимаются мониторингом судов, выборов "
	"и условий содержания задержанных.</p>";

static char *page_with(const char *head, const char *before, const char *after)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	if (vigil_buf_printf(&buf, "<html%s><head>%s</head><body>%s<div class=\"article-body\">%s"
				   "%s</div></body></html>",
			     "", head, before, paragraphs_ru, after)) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

static void extract_inline(const char *html, const char *url, struct parse_document *doc)
{
	struct vigil_error err = { 0 };

	memset(doc, 0, sizeof(*doc));
	if (!html || parse_extract(html, strlen(html), NULL, url, 0, doc, &err) != VIGIL_OK) {
		check_failed++;
		fprintf(stderr, "FAIL: parse_extract on inline page: %s\n", err.message);
	}
}

static void test_metadata(void)
{
	struct parse_document doc;
	char *html;

	/* JSON-LD author and date; <title> minus the site */
	html = page_with("<title>Давление на правозащитницу | Уральская неделя</title>"
			 "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
			 "\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"Уральская неделя\"},"
			 "{\"@type\":\"NewsArticle\",\"datePublished\":"
			 "\"2024-04-18T10:15:00+05:00\",\"author\":[{\"@type\":\"Person\",\"name\":"
			 "\"Лукпан Ахмедьяров\"}],\"publisher\":{\"@type\":\"Organization\","
			 "\"name\":\"Уральская неделя\"},\"articleBody\":\"line\nbreak \\u0410\"}]}"
			 "</script>",
			 "", "");
	extract_inline(html, "https://www.uralskweek.kz/2024/04/18/davlenie/", &doc);
	CHECK_STR(doc.title, "Давление на правозащитницу");
	CHECK_STR(doc.author, "Лукпан Ахмедьяров");
	CHECK_STR(doc.published, "2024-04-18T10:15:00+05:00");
	CHECK_STR(doc.site_name, "Уральская неделя");
	CHECK_STR(doc.language, "ru"); /* guessed from the text */
	CHECK(doc.canonical_url == NULL);
	CHECK_CONTAINS(doc.text, "Правозащитница из Уральска");
	CHECK_CONTAINS(doc.text, "незаконным.\n\nЭксперты");
	parse_document_release(&doc);
	free(html);

	/* og:title wins over h1 and <title>; article:published_time; og:url as
	 * canonical, resolved; og:locale */
	html = page_with("<title>Другой заголовок - Сайт</title>"
			 "<meta property=\"og:title\" content=\"  Штраф  для   фонда \">"
			 "<meta property=\"article:published_time\" content=\"2023-11-02T08:00:00Z\">"
			 "<meta property=\"og:url\" content=\"/news/shtraf?id=7\">"
			 "<meta property=\"og:locale\" content=\"kk_KZ\">"
			 "<meta property=\"og:site_name\" content=\"Сайт\">"
			 "<meta name=\"description\" content=\"Кратко\">",
			 "<h1>Заголовок страницы</h1>", "");
	extract_inline(html, "https://example.kz/a/b.html", &doc);
	CHECK_STR(doc.title, "Штраф для фонда");
	CHECK_STR(doc.published, "2023-11-02T08:00:00Z");
	CHECK_STR(doc.canonical_url, "https://example.kz/news/shtraf?id=7");
	/* og:locale says kk, the (Russian) text clearly says otherwise: the
	 * text wins (language.c) */
	CHECK_STR(doc.language, "ru");
	CHECK_STR(doc.description, "Кратко");
	CHECK_STR(doc.site_name, "Сайт");
	parse_document_release(&doc);
	free(html);

	/* h1 in the article; Russian text date with time next to it; rel=author;
	 * html lang; canonical relative without a page URL is dropped */
	html = page_with("<title>Новости | Портал</title><link rel=\"canonical\" href=\"/x\">",
			 "<div class=\"top\">Вторник, 1 января 2030</div><h1>Проверка фонда</h1>"
			 "<div class=\"meta\"><span>18 апреля 2024, 10:15</span> "
			 "<a rel=\"author\" href=\"/a\">Айгуль Садыкова</a></div>",
			 "");
	extract_inline(html, NULL, &doc);
	CHECK_STR(doc.title, "Проверка фонда");
	CHECK_STR(doc.published, "2024-04-18T10:15:00");
	CHECK_STR(doc.author, "Айгуль Садыкова");
	CHECK(doc.canonical_url == NULL);
	CHECK(doc.text && !strstr(doc.text, "Проверка фонда"));
	CHECK(doc.text && !strstr(doc.text, "18 апреля 2024"));
	CHECK(doc.text && !strstr(doc.text, "Айгуль Садыкова"));
	parse_document_release(&doc);
	free(html);

	/* itemprop=datePublished and <time datetime>, meta author with "By" */
	html = page_with("<meta name=\"author\" content=\"By Jane Roe\">",
			 "<span itemprop=\"datePublished\" content=\"2021-03-05\">5 March</span>"
			 "<time datetime=\"2020-01-01T00:00:00Z\">old</time>",
			 "");
	extract_inline(html, "http://e.kz/", &doc);
	CHECK_STR(doc.published, "2021-03-05");
	CHECK_STR(doc.author, "Jane Roe");
	parse_document_release(&doc);
	free(html);

	html = page_with("", "<time datetime=\"2020-01-01T09:30\">1 января</time>"
			     "<p class=\"x\">Текст: 05.10.2018</p>", "");
	extract_inline(html, NULL, &doc);
	CHECK_STR(doc.published, "2020-01-01T09:30:00");
	parse_document_release(&doc);
	free(html);

	/* numeric date in text; html lang loses to a text that clearly is
	 * another language */
	html = page_with("", "<h1>Суд над журналистом</h1><div>05.10.2018 - Публикация</div>", "");
	{
		char *with_lang = malloc(strlen(html) + 32);

		CHECK(with_lang != NULL);
		if (with_lang) {
			sprintf(with_lang, "<html lang=\"en-US\">%s", html + strlen("<html>"));
			extract_inline(with_lang, NULL, &doc);
			CHECK_STR(doc.published, "2018-10-05");
			CHECK_STR(doc.language, "ru");
			parse_document_release(&doc);
			free(with_lang);
		}
	}
	free(html);
}

static void test_language_guess(void)
{
	struct parse_document doc;
	const char *kk = "<html><body><div><p>Қазақстан Республикасының Президенті бүгін "
			 "Ақордада халықаралық құқық қорғау ұйымдарының өкілдерімен кездесті. "
			 "Кездесуде азаматтық қоғамның рөлі мен сөз бостандығы мәселелері "
			 "талқыланды, сондай-ақ өңірлердегі құқық қорғаушылардың жағдайы "
			 "туралы баяндалды.</p></div></body></html>";
	const char *en = "<html><body><div><p>Human rights defenders in Kazakhstan face "
			 "fines, searches and criminal cases, a new report says, and the number "
			 "of such cases grew over the last year in several regions.</p></div>"
			 "</body></html>";

	extract_inline(kk, NULL, &doc);
	CHECK_STR(doc.language, "kk");
	CHECK_CONTAINS(doc.text, "Ақордада");
	parse_document_release(&doc);
	extract_inline(en, NULL, &doc);
	CHECK_STR(doc.language, "en");
	parse_document_release(&doc);
	CHECK_STR(parse_guess_language("Правозащитники Казахстана и Төле би"), "ru");
}

static void test_text_dates(void)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "опубликовано 18.04.2024, 18:51 в разделе", "2024-04-18T18:51:00" },
		{ "18 апреля 2024, 10:15", "2024-04-18T10:15:00" },
		{ "18 апреля 2024 г. в 10:15", "2024-04-18T10:15:00" },
		{ "10:15, 18 апреля 2024", "2024-04-18T10:15:00" },
		{ "1 мая 2023 года", "2023-05-01" },
		{ "2024 жылғы 18 сәуір", "2024-04-18" },
		{ "posted nov. 18, 2019 at 9:24", "2019-11-18T09:24:00" },
		{ "среда, 17 сентября, 2025", NULL }, /* no year after the month */
		{ "31.13.2024", NULL },
		{ "31.02.2024", NULL },
		{ "29.02.2023", NULL },
		{ "30 февраля 2024", NULL },
		{ "29.02.2024", "2024-02-29" },
		{ "31.04.2024 или 1 мая 2024", "2024-05-01" }, /* the first valid date */
		{ "телефон 8 (7172) 12.34.5678", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got;

		CHECK_OK(parse_find_date(cases[i].text, &got));

		if (cases[i].want)
			CHECK_STR(got, cases[i].want);
		else
			CHECK(got == NULL);
		free(got);
	}
	CHECK(parse_guess_language("12345 !!!") == NULL);
}

static void test_boilerplate_inside_article(void)
{
	struct parse_document doc;
	char *html = page_with(
		"<title>T</title>",
		"<nav><a href=\"/\">Главная</a> <a href=\"/p\">Политика</a></nav>"
		"<div class=\"cookie-banner\">Мы используем cookie. Продолжая, вы соглашаетесь.</div>",
		"<p><strong>Читайте также:</strong> <a href=\"/n/2\">Суд оштрафовал активиста</a></p>"
		"<h3>Похожие новости</h3><ul><li><a href=\"/n/3\">Акция в Алматы</a></li>"
		"<li><a href=\"/n/4\">Задержан блогер</a></li></ul>"
		"<div class=\"share-buttons\"><a href=\"#\">Facebook</a> <a href=\"#\">Telegram</a></div>"
		"<div class=\"comments\"><p>Комментарий читателя: полностью согласен с автором, "
		"это давно пора было сказать вслух, спасибо редакции за материал.</p></div>");

	extract_inline(html, NULL, &doc);
	CHECK_CONTAINS(doc.text, "Правозащитница из Уральска");
	CHECK_CONTAINS(doc.text, "условий содержания задержанных.");
	CHECK(doc.text && !strstr(doc.text, "Читайте также"));
	CHECK(doc.text && !strstr(doc.text, "Суд оштрафовал активиста"));
	CHECK(doc.text && !strstr(doc.text, "Похожие новости"));
	CHECK(doc.text && !strstr(doc.text, "Задержан блогер"));
	CHECK(doc.text && !strstr(doc.text, "Telegram"));
	CHECK(doc.text && !strstr(doc.text, "cookie"));
	CHECK(doc.text && !strstr(doc.text, "Комментарий читателя"));
	CHECK(doc.text && !strstr(doc.text, "Политика"));
	parse_document_release(&doc);
	free(html);
}

/* A page rendered by script: the only text is JSON-LD articleBody. */
static void test_jsonld_fallback(void)
{
	struct parse_document doc;
	const char *html =
		"<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
		"\"articleBody\":\"Первый абзац статьи о правозащитниках, который достаточно "
		"длинный для проверки резервного пути извлечения текста из разметки JSON-LD, когда "
		"страница почти пуста.\\nВторой абзац, тоже длинный: суд назначил штраф "
		"общественному фонду, а активисты заявили о давлении со стороны властей и обжаловали "
		"решение в апелляционной инстанции.\\n\\nТретий абзац добавляет ещё немного "
		"текста, чтобы превысить порог в пятьсот символов, после которого подсказка "
		"считается полезной. Четвёртое предложение о мониторинге прессы и судов.\"}"
		"</script></head><body><div id=\"app\"><p>Загрузка...</p></div></body></html>";

	extract_inline(html, NULL, &doc);
	CHECK(doc.text && strncmp(doc.text, "Первый абзац статьи", strlen("Первый абзац статьи"))
			  == 0);
	CHECK_CONTAINS(doc.text, "пуста.\n\nВторой абзац");
	CHECK_CONTAINS(doc.text, "инстанции.\n\nТретий абзац");
	CHECK_STR(doc.language, "ru");
	parse_document_release(&doc);
}

/* Pages where libxml2 puts <body> somewhere odd (inside <head>, nested
 * <html>, no body at all) or where a related-news label is a direct child
 * of the body. Issue 5: cleaning freed the subtree holding the body and
 * later passes walked freed memory (seen under ASan). */
static void test_misplaced_body(void)
{
	static const struct {
		const char *page;
		const char *want; /* in the text, or NULL */
	} cases[] = {
		{ "<head><t><body", NULL },
		{ "<head><t><body><p>Правозащитник из Уральска рассказал о давлении.</p>",
		  "Правозащитник из Уральска рассказал о давлении." },
		{ "<html><head><title>T</title><x><body><p>Body in head text here.</p></html>",
		  "Body in head text here." },
		{ "<html><head><body><div><p>Body right in head.</p></div></head></html>",
		  "Body right in head." },
		{ "<html><body><p>first part</p><html><body><p>second part</p></body></html>",
		  "second part" },
		{ "<frameset><frame src=a.html></frameset>", NULL },
		{ "<html><frameset><frame src=a.html><noframes><body><p>No frames text.</p>",
		  NULL },
		{ "<html><body><a href=/x>Related</a><p>Story text stays here.</p>",
		  "Story text stays here." },
		{ "<body><a href=/x>Читайте также</a>", NULL },
		{ "<head><t><body><a href=/x>Related</a><p>Story in a body in head.</p>",
		  "Story in a body in head." },
		{ "<head><t><body><div><h2>Рекомендуем</h2><a href=/1>one</a></div>", NULL },
		{ "<noscript><body><p>inside noscript</p>", NULL },
		{ "<head><script><body>x</script><t><body><br><br><div>a<br><br>b</div>", NULL },
		{ "<table><body><head><t><body><p>In a table.</p>", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parse_document doc;
		struct vigil_error err = { 0 };
		enum vigil_code code;

		code = parse_extract(cases[i].page, strlen(cases[i].page), NULL, "http://x.kz/a",
				     0, &doc, &err);
		CHECK(code == VIGIL_OK);
		CHECK(code != VIGIL_OK || doc.text != NULL);
		if (cases[i].want)
			CHECK_CONTAINS(doc.text, cases[i].want);
		parse_document_release(&doc);
	}
	/* the same tags dropped at pseudo-random places of an article page
	 * (meaningful under ASan: every pass must keep to live nodes) */
	{
		static const char *const tags[] = { "<head>", "<body>", "<html>", "</head>",
						     "</body>", "<frameset>", "<t>", "<table>",
						     "<a href=/x>Related</a>", "<h2>Рекомендуем</h2>",
						     "<br><br>", "<div>", "</div>", "<title>" };
		char *base = page_with("<title>T</title>", "<nav>menu</nav>", "<p>End.</p>");
		uint32_t seed = 2024;

		for (int round = 0; base && round < 150; round++) {
			struct vigil_buf page = VIGIL_BUF_INIT;
			size_t base_len = strlen(base), at = 0;
			struct parse_document doc;
			struct vigil_error err = { 0 };
			size_t cuts[4];

			for (int k = 0; k < 4; k++) {
				seed = seed * 1103515245u + 12345u;
				cuts[k] = (seed >> 8) % (base_len + 1);
			}
			for (int k = 1; k < 4; k++) /* ascending */
				for (int j = k; j > 0 && cuts[j] < cuts[j - 1]; j--) {
					size_t t = cuts[j];

					cuts[j] = cuts[j - 1];
					cuts[j - 1] = t;
				}
			for (int k = 0; k < 4; k++) {
				seed = seed * 1103515245u + 12345u;
				if (vigil_buf_append(&page, base + at, cuts[k] - at) ||
				    vigil_buf_append_str(&page, tags[(seed >> 8) % (sizeof(tags) /
										 sizeof(tags[0]))]))
					break;
				at = cuts[k];
			}
			if (!vigil_buf_append_str(&page, base + at)) {
				enum vigil_code code = parse_extract(page.data, page.len, NULL, NULL,
								     0, &doc, &err);

				CHECK(code == VIGIL_OK && doc.text != NULL);
				parse_document_release(&doc);
			}
			vigil_buf_release(&page);
		}
		free(base);
	}
}

static void test_garbage(void)
{
	struct parse_document doc;
	struct vigil_error err = { 0 };
	uint32_t seed = 12345;
	size_t len = 0;
	char *body = read_fixture("optimism_article.html", &len), *big;
	static const char *const odd[] = {
		"<", "<<<>>>", "<html", "</html></body></p>", "<p>&#xFFFFFFFF;&#0;&bogus;</p>",
		"<script>", "<!--", "<![CDATA[", "<table><tr><td><table><tr><td>x",
		"<meta charset=\"\"><meta charset=\"utf-16\">Привет",
		"<script type=\"application/ld+json\">{\"@type\":\"Article\",\"author\":[[[[{",
		"<script type=\"application/ld+json\">{\"a\":\"\\ud800\\u\",\"datePublished\":1}",
		"<time datetime=\"9999-99-99T99:99\">x</time><p>31.02.2024</p>",
	};

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		enum vigil_code code = parse_extract(odd[i], strlen(odd[i]), NULL, "http://x/", 0, &doc,
						     &err);

		CHECK(code == VIGIL_OK || code == VIGIL_ERR_PARSE);
		CHECK(code != VIGIL_OK || doc.text != NULL);
		parse_document_release(&doc);
	}
	/* random bytes */
	for (int round = 0; round < 40; round++) {
		char noise[2048];
		size_t n = 1 + (size_t)round * 50;

		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			noise[i] = (char)(seed >> 16);
			if (round % 3 == 0 && (seed & 0x700) == 0)
				noise[i] = '<';
		}
		if (parse_extract(noise, n, round % 2 ? "text/html; charset=koi8-r" : NULL, NULL,
				  0, &doc, &err) == VIGIL_OK)
			CHECK(doc.text != NULL && doc.charset != NULL);
		else
			check_passed++;
		parse_document_release(&doc);
	}
	/* truncated real page */
	if (body) {
		for (size_t cut = 1; cut < len; cut += 997) {
			if (parse_extract(body, cut, NULL, "https://optimism.kz/", 0, &doc, &err) ==
			    VIGIL_OK)
				CHECK(doc.text != NULL);
			parse_document_release(&doc);
		}
		free(body);
	}
	/* the size limit */
	big = calloc(1, PARSE_MAX_BODY + 1);
	CHECK(big != NULL);
	if (big) {
		CHECK(parse_extract(big, PARSE_MAX_BODY + 1, NULL, "http://big.example/", 0, &doc,
				    &err) == VIGIL_ERR_TOO_LARGE);
		CHECK(doc.text == NULL);
		CHECK_CONTAINS(err.message, "http://big.example/");
		free(big);
	}
	/* a zeroed document releases cleanly */
	memset(&doc, 0, sizeof(doc));
	parse_document_release(&doc);
	parse_document_release(NULL);
}

/* 1 when one of doc's warnings contains needle. */
static int has_warning(const struct parse_document *doc, const char *needle)
{
	for (size_t i = 0; i < doc->warning_count; i++)
		if (strstr(doc->warnings[i], needle))
			return 1;
	return 0;
}

/* A page of repeat copies of unit between head and tail (malloc'd). */
static char *repeated(const char *head, const char *unit, size_t repeat, const char *tail,
		      size_t *len)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *page = malloc(hl + ul * repeat + tl + 1), *p = page;

	if (!page)
		return NULL;
	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < repeat; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	*len = (size_t)(p - page) + tl;
	return page;
}

/*
 * Issue 5: pathological pages finish and say what happened instead of
 * giving empty text silently. Deep nesting used to stop libxml2 at depth
 * 256 (losing the rest of the page); now the deep part is flattened.
 */
static void test_pathological(void)
{
	struct parse_document doc;
	struct vigil_error err = { 0 };
	size_t len = 0;
	char *page;

	/* 100,000 nested elements between two paragraphs */
	page = repeated("<html><body><p>Before the deep part, a paragraph of text.</p>",
			"<div><span>", 50000,
			"Text at the very bottom.</span></div><p>After the deep part.</p>", &len);
	CHECK(page != NULL);
	if (page) {
		CHECK_OK(parse_extract(page, len, NULL, "http://x.kz/deep", 0, &doc, &err));
		CHECK_CONTAINS(doc.text, "Before the deep part");
		CHECK_CONTAINS(doc.text, "Text at the very bottom.");
		CHECK_CONTAINS(doc.text, "After the deep part.");
		CHECK(has_warning(&doc, "nested deeper than 256 elements"));
		parse_document_release(&doc);
		free(page);
	}
	/* more elements than the tree takes: one tag, repeated */
	page = repeated("<html><body><p>Start.</p>", "<b>x</b>", PARSE_MAX_ELEMENTS + 1000,
			"<p>End of the page.</p>", &len);
	CHECK(page != NULL);
	if (page) {
		CHECK_OK(parse_extract(page, len, NULL, NULL, 0, &doc, &err));
		CHECK_CONTAINS(doc.text, "End of the page.");
		CHECK(has_warning(&doc, "later tags were ignored"));
		parse_document_release(&doc);
		free(page);
	}
	/* a body of empty paragraphs */
	page = repeated("<html><body>", "<p>", 100000, "", &len);
	CHECK(page != NULL);
	if (page) {
		CHECK_OK(parse_extract(page, len, NULL, NULL, 0, &doc, &err));
		CHECK_STR(doc.text, "");
		CHECK(has_warning(&doc, "no main text found (page body has no text)"));
		parse_document_release(&doc);
		free(page);
	}
	/* no body at all, and a frameset */
	extract_inline("<html><head><title>Only a head</title></head></html>", NULL, &doc);
	CHECK_STR(doc.text, "");
	CHECK(has_warning(&doc, "no main text found (page has no <body>)"));
	parse_document_release(&doc);
	extract_inline("<html><frameset><frame src=\"a.html\"></frameset></html>", NULL, &doc);
	CHECK(has_warning(&doc, "page is a frameset"));
	parse_document_release(&doc);
	/* text that is all furniture */
	extract_inline("<html><body><div class=\"comments\">Great article, thanks!</div></body>",
		       NULL, &doc);
	CHECK(has_warning(&doc, "no main text found (everything in the body looked like"));
	parse_document_release(&doc);
	/* binary data */
	{
		uint32_t seed = 77;
		char noise[65536];

		for (size_t i = 0; i < sizeof(noise); i++) {
			seed = seed * 1103515245u + 12345u;
			noise[i] = (char)(seed >> 16);
		}
		CHECK_OK(parse_extract(noise, sizeof(noise), NULL, NULL, 0, &doc, &err));
		CHECK(has_warning(&doc, "page looks like binary data"));
		parse_document_release(&doc);
	}
	/* an ordinary page has no warnings */
	page = page_with("", "", "");
	extract_inline(page, NULL, &doc);
	CHECK(doc.warning_count == 0 && doc.warnings == NULL);
	parse_document_release(&doc);
	free(page);
}

int main(void)
{
	test_decode();
	test_html_read();
	test_optimism();
	test_cp1251_pages();
	test_metadata();
	test_language_guess();
	test_text_dates();
	test_boilerplate_inside_article();
	test_jsonld_fallback();
	test_garbage();
	test_misplaced_body();
	test_pathological();
	CHECK_DONE();
}
