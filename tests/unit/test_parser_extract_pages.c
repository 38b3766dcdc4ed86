/* test_parser_extract_pages.c: main text on pages written for one
 * phenomenon each (tests/fixtures/parser/extract/): what must come out
 * and what must not. Every page failed before the change it tests. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *extract_fixture(const char *name, struct parse_document *doc)
{
	char path[1024];
	FILE *f;
	char *data = NULL;
	long size = -1;
	struct vigil_error err = { 0 };

	memset(doc, 0, sizeof(*doc));
	snprintf(path, sizeof(path), "%s/parser/extract/%s", check_fixture_dir(), name);
	f = fopen(path, "rb");
	if (f && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (data = malloc((size_t)size + 1)) && fread(data, 1, (size_t)size, f) == (size_t)size) {
		if (parse_extract(data, (size_t)size, NULL, NULL, 0, doc, &err) != VIGIL_OK) {
			fprintf(stderr, "FAIL: %s: %s\n", name, err.message);
			check_failed++;
		}
	} else {
		fprintf(stderr, "FAIL: cannot read fixture %s\n", path);
		check_failed++;
	}
	if (f)
		fclose(f);
	free(data);
	return doc->text ? doc->text : "";
}

#define HAS(text, part) CHECK_CONTAINS(text, part)
#define LACKS(text, part) CHECK(strstr(text, part) == NULL)

/* libxml2 reads noscript content as markup: an open <div> in it made it
 * ignore </noscript>, an open <style> swallowed the page. */
static void test_noscript(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("noscript.html", &doc);

	HAS(t, "The old fishing harbour reopened on Monday");
	HAS(t, "Engineers rebuilt forty metres");
	HAS(t, "the fish market will open again on Wednesday.");
	LACKS(t, "enable JavaScript");
	parse_document_release(&doc);
}

/* Ruby readings, soft hyphens, decomposed letters. */
static void test_text_details(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("text_details.html", &doc);

	HAS(t, "嵐で壊れた防波堤の修理が終わり、漁港は月曜日に再開した。");
	LACKS(t, "ぼうはてい");
	LACKS(t, "(");
	HAS(t, "Die Hafenverwaltung bestätigte die Wiedereröffnung am Montag.");
	LACKS(t, "\xC2\xAD");
	HAS(t, "Қонай.");              /* precomposed й, not и + U+0306 */
	LACKS(t, "\xCC\x86");
	HAS(t, "Tin tức Việt Nam");      /* ệ precomposed */
	LACKS(t, "\xCC\xA3");
	parse_document_release(&doc);
}

/* A sign-up box whose pitch has more commas than the article. */
static void test_newsletter(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("newsletter.html", &doc);

	HAS(t, "The island ferry will run two extra crossings");
	HAS(t, "A late crossing at ten in the evening");
	LACKS(t, "morning briefing");
	LACKS(t, "Join thousands of readers");
	parse_document_release(&doc);
}

/* A line-up table (a data table) beside a match report. */
static void test_lineup_table(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("lineup_table.html", &doc);

	HAS(t, "Harbour United won the county cup on Saturday");
	HAS(t, "lost their captain to injury.");
	LACKS(t, "Goalkeeper");
	LACKS(t, "Tom Reed");
	parse_document_release(&doc);
}

/* A references list: citations full of commas after a short essay. */
static void test_references(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("references.html", &doc);

	HAS(t, "For three hundred years the river ran past the abbey walls.");
	HAS(t, "paid the abbey rent for it until 1920.");
	LACKS(t, "References");
	LACKS(t, "Journal of Historical Geography");
	parse_document_release(&doc);
}

/* Photo credits, a related list, a paywall note, a contact box. */
static void test_boilerplate(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("boilerplate.html", &doc);

	HAS(t, "The city museum has put the stolen harbour painting back");
	HAS(t, "on the first Sunday of every month this year.");
	LACKS(t, "Photo: John Smith");
	LACKS(t, "Anna Lee");
	LACKS(t, "Museum opens a new wing");
	LACKS(t, "for subscribers");
	LACKS(t, "news@citypaper.example");
	parse_document_release(&doc);
}

/* An old table-layout news page: the article cell only, not the weather,
 * currency, poll and region-list cells beside it. */
static void test_table_layout(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("table_layout_ru.html", &doc);

	HAS(t, "Корреспондента местной газеты вызвали в полицию");
	HAS(t, "намерена обратиться к правозащитникам.");
	LACKS(t, "Погода");
	LACKS(t, "Караганда");
	LACKS(t, "Акмолинская область");
	LACKS(t, "Курсы валют");
	LACKS(t, "Усть-Каменогорск");
	LACKS(t, "Все права защищены");
	CHECK_STR(doc.language, "ru");
	parse_document_release(&doc);
}

/* An article whose paragraphs sit in separate wrappers, next to a
 * sidebar whose single block scores more than any one of them. */
static void test_split_siblings(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("split_siblings.html", &doc);

	HAS(t, "The primary school in the upper valley will get a new roof");
	HAS(t, "Builders will start when term ends in June");
	HAS(t, "the money will go to the school library fund.");
	LACKS(t, "Our town guide");
	LACKS(t, "bus times");
	parse_document_release(&doc);
}

/* A longer next story below the article. */
static void test_other_story(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("other_story.html", &doc);

	HAS(t, "The old stone bridge over the river will close to cars");
	HAS(t, "adds about ten minutes to a trip into town");
	LACKS(t, "approved its budget");
	parse_document_release(&doc);
}

/* A long intro in its own block, the rest split into small ones after an
 * ad slot. */
static void test_cut_short(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("cut_short.html", &doc);

	HAS(t, "The central library will open until nine in the evening");
	HAS(t, "open on Sunday afternoons");
	HAS(t, "at the front desk or online.");
	LACKS(t, "Advertisement");
	parse_document_release(&doc);
}

/* Stories as sections straight in <body>: the body outscored each of
 * them by adding them up, and the next story joined the article. */
static void test_other_story_in_body(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("other_story_it.html", &doc);

	HAS(t, "Il comune di Bologna ha deciso di prolungare");
	HAS(t, "per studiare la sera.");
	LACKS(t, "Modena");
	CHECK_STR(doc.language, "it");
	parse_document_release(&doc);
	t = extract_fixture("other_story_in_body.html", &doc);
	HAS(t, "Night buses will run again on the west side");
	LACKS(t, "market hall");
	parse_document_release(&doc);
}

/* The article's container wins alone; the sidebar beside it scores over
 * the join threshold with one list-like paragraph. */
static void test_split_with_sidebar(void)
{
	struct parse_document doc;
	const char *t = extract_fixture("split_with_sidebar.html", &doc);

	HAS(t, "A new footbridge will link the two sides");
	HAS(t, "a regional fund.");
	LACKS(t, "What's on");
	parse_document_release(&doc);
}

int main(void)
{
	test_noscript();
	test_text_details();
	test_newsletter();
	test_lineup_table();
	test_references();
	test_boilerplate();
	test_table_layout();
	test_split_siblings();
	test_other_story();
	test_cut_short();
	test_other_story_in_body();
	test_split_with_sidebar();
	CHECK_DONE();
}
