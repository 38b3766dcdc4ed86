/* test_parser_language.c: the language of a text (parser/language.c), short
 * and long texts per language, Kazakh against Russian in minimal pairs,
 * Kazakh in the Latin alphabet of 2021, and a declared language that the
 * extracted text overrules. */
#include "check.h"
#include "../../parser/parser.h"
#include "../../parser/parser_int.h"

#include <stdlib.h>
#include <string.h>

struct sample {
	const char *want;
	const char *text;
};

/* Short: one sentence as a headline or a caption. */
static const struct sample short_texts[] = {
	{ "ru", "Суд оштрафовал журналиста за пост в соцсетях" },
	{ "ru", "Я в городе" },
	{ "kk", "Мен қаладамын" },
	{ "kk", "Ол мектепке барды" },
	{ "kk", "Сот журналисті айыппұл төлеуге міндеттеді" },
	{ "kk", "Qazaqstanda jurnalist sottaldy" },
	{ "kk", "Men qaladamyn" },
	{ "uk", "Суд оштрафував журналіста за допис у соцмережах" },
	{ "en", "Court fines a journalist over a social media post" },
	{ "de", "Gericht verurteilt Journalistin wegen eines Beitrags" },
	{ "fr", "Le tribunal condamne une journaliste pour un article" },
	{ "es", "El tribunal multa a una periodista por una publicación" },
	{ "it", "Il tribunale multa una giornalista per un articolo" },
	{ "pl", "Sąd ukarał dziennikarkę grzywną za wpis w sieci" },
	{ "pt", "O tribunal multou uma jornalista por uma publicação" },
	{ "ja", "記者に罰金が科された" },
	{ "zh", "法院对记者处以罚款" },
	{ "ko", "법원이 기자에게 벌금을 부과했다" },
	{ NULL, NULL }
};

/* Long: a paragraph as an article gives it. */
static const struct sample long_texts[] = {
	{ "ru", "Правозащитники из Павлодара сообщили, что в среду к журналисту пришли с "
		"обыском. По их словам, сотрудники полиции изъяли ноутбук и телефон, а сам "
		"журналист был доставлен в отделение для допроса. Его адвокат заявил, что "
		"никаких документов о возбуждении дела он не видел и что защита будет "
		"обжаловать действия следователя в суде." },
	{ "kk", "Павлодарлық құқық қорғаушылардың айтуынша, сәрсенбі күні журналистің үйіне "
		"тінту жүргізілді. Олардың сөзінше, полиция қызметкерлері ноутбук пен "
		"телефонды алып кетті, ал журналистің өзі жауап алу үшін бөлімге жеткізілді. "
		"Оның адвокаты іс қозғалғаны туралы ешқандай құжат көрмегенін және қорғау "
		"тергеушінің әрекетіне сотқа шағымданатынын мәлімдеді." },
	{ "kk", "Pavlodarlyq qūqyq qorğauşylardyñ aituynşa, särsenbı künı jurnalistıñ üiıne "
		"tıntu jürgızıldı. Olardyñ sözınşe, polisiia qyzmetkerlerı noutbuk pen "
		"telefondy alyp kettı, al jurnalistıñ özı jauap alu üşin bölımge jetkızıldı. "
		"Onyñ advokaty ıs qozğalğany turaly eşqandai qūjat körmegenın jäne qorğau "
		"tergeuşınıñ äreketıne sotqa şağymdanatynyn mälımdedı." },
	{ "uk", "Правозахисники з Павлодара повідомили, що в середу до журналіста прийшли з "
		"обшуком. За їхніми словами, співробітники поліції вилучили ноутбук і телефон, "
		"а самого журналіста доставили до відділку на допит. Його адвокат заявив, що "
		"жодних документів про порушення справи він не бачив і що захист оскаржить дії "
		"слідчого в суді." },
	{ "en", "Human rights defenders in Pavlodar said that police searched a journalist's "
		"home on Wednesday. According to them, officers took his laptop and phone, and "
		"the journalist himself was taken to the station for questioning. His lawyer "
		"said he had not seen any papers about a case being opened and that the defence "
		"would appeal against the investigator's actions in court." },
	{ "de", "Menschenrechtler aus Pawlodar teilten mit, dass die Polizei am Mittwoch die "
		"Wohnung eines Journalisten durchsucht hat. Nach ihren Angaben wurden sein "
		"Laptop und sein Telefon beschlagnahmt, und der Journalist selbst wurde zur "
		"Vernehmung auf die Wache gebracht. Sein Anwalt sagte, er habe keine Unterlagen "
		"über ein Verfahren gesehen und die Verteidigung werde gegen die Maßnahmen "
		"des Ermittlers vor Gericht vorgehen." },
	{ "fr", "Des défenseurs des droits humains de Pavlodar ont indiqué que la police a "
		"perquisitionné mercredi le domicile d'un journaliste. Selon eux, les agents ont "
		"saisi son ordinateur et son téléphone, et le journaliste a été conduit au "
		"commissariat pour y être interrogé. Son avocat a déclaré qu'il n'avait vu aucun "
		"document sur l'ouverture d'une procédure et que la défense ferait appel." },
	{ "es", "Defensores de los derechos humanos de Pavlodar informaron de que la policía "
		"registró el miércoles la casa de un periodista. Según ellos, los agentes se "
		"llevaron su portátil y su teléfono, y el propio periodista fue trasladado a la "
		"comisaría para ser interrogado. Su abogado dijo que no había visto ningún "
		"documento sobre la apertura de una causa y que la defensa recurrirá." },
	{ "it", "I difensori dei diritti umani di Pavlodar hanno riferito che mercoledì la "
		"polizia ha perquisito la casa di un giornalista. Secondo loro, gli agenti hanno "
		"sequestrato il suo portatile e il telefono, e il giornalista è stato portato in "
		"commissariato per essere interrogato. Il suo avvocato ha detto che non ha visto "
		"alcun documento sull'apertura di un procedimento e che la difesa farà ricorso." },
	{ "pl", "Obrońcy praw człowieka z Pawłodaru poinformowali, że w środę policja "
		"przeszukała mieszkanie dziennikarza. Według nich funkcjonariusze zabrali jego "
		"laptop i telefon, a sam dziennikarz został przewieziony na komisariat na "
		"przesłuchanie. Jego adwokat powiedział, że nie widział żadnych dokumentów o "
		"wszczęciu sprawy i że obrona zaskarży działania śledczego do sądu." },
	{ NULL, NULL }
};

static void check_samples(const struct sample *samples, const char *kind)
{
	for (const struct sample *s = samples; s->want; s++) {
		const char *got = parse_guess_language(s->text);

		if (!got || strcmp(got, s->want) != 0) {
			check_failed++;
			fprintf(stderr, "FAIL: %s text \"%.60s\": language %s, expected %s\n", kind,
				s->text, got ? got : "(null)", s->want);
		} else {
			check_passed++;
		}
	}
}

static void test_texts(void)
{
	int confident = 0;

	check_samples(short_texts, "short");
	check_samples(long_texts, "long");
	/* Russian that names Kazakh places and people stays Russian */
	CHECK_STR(parse_guess_language("Правозащитники Казахстана и Төле би"), "ru");
	CHECK_STR(parse_guess_language("В Қонаеве и Өскемене прошли пикеты у здания акимата"),
		  "ru");
	/* a long text is a confident verdict; one name is not */
	CHECK_STR(parse_text_language(long_texts[1].text, &confident), "kk");
	CHECK(confident == 1);
	CHECK_STR(parse_text_language("Қонаев", &confident), "kk");
	CHECK(confident == 0);
	CHECK(parse_guess_language("12345 !!! ---") == NULL);
	CHECK(parse_guess_language("") == NULL);
	CHECK(parse_guess_language(NULL) == NULL);
	/* Latin without evidence keeps the old default */
	CHECK_STR(parse_guess_language("Xyz"), "en");
}

/* The extracted text decides over a declared default; a text too short to
 * say leaves the declaration alone. */
static void test_declared(void)
{
	struct vigil_error err = { 0 };
	struct parse_document doc = { 0 };
	char html[4096];

	snprintf(html, sizeof(html), "<html lang=\"ru\"><body><article><p>%s</p></article>"
		 "</body></html>", long_texts[1].text);
	CHECK_OK(parse_extract(html, strlen(html), NULL, NULL, 0, &doc, &err));
	CHECK_STR(doc.language, "kk");
	parse_document_release(&doc);
	snprintf(html, sizeof(html), "<html lang=\"kk\"><body><article><p>Қонаев, 2024</p>"
		 "</article></body></html>");
	CHECK_OK(parse_extract(html, strlen(html), NULL, NULL, 0, &doc, &err));
	CHECK_STR(doc.language, "kk");
	parse_document_release(&doc);
	snprintf(html, sizeof(html), "<html lang=\"de\"><body><p>OK 2024</p></body></html>");
	CHECK_OK(parse_extract(html, strlen(html), NULL, NULL, 0, &doc, &err));
	CHECK_STR(doc.language, "de");
	parse_document_release(&doc);
}

int main(void)
{
	test_texts();
	test_declared();
	CHECK_DONE();
}
