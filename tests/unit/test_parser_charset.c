/* test_parser_charset.c: a declared charset that the bytes contradict
 * (parser/charset.c, issue 5): the bytes win, with a warning. */
#include "check.h"
#include "../../parser/parser.h"
#include "../../parser/parser_int.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const article_ru =
	"<html><head>%s<title>Правозащитника из Уральска оштрафовали за пикет</title></head>"
	"<body><div class=\"article\"><h1>Правозащитника из Уральска оштрафовали за пикет</h1>"
	"<p>Суд назначил правозащитнику штраф за одиночный пикет у здания акимата, хотя "
	"закон о мирных собраниях не требует согласования одиночных пикетов.</p>"
	"<p>Адвокат намерен обжаловать решение в областном суде, а наблюдатели "
	"называют дело частью давления на гражданских активистов в регионе.</p>"
	"<p>Организация, в которой работает правозащитник, ведёт мониторинг судов "
	"и мест лишения свободы и уже получала предупреждения от властей.</p>"
	"</div></body></html>";

/* article_ru with head_extra in <head>, in charset (malloc'd). */
static char *page_in(const char *charset, const char *head_extra, size_t *len)
{
	char utf8[4096];
	size_t in_left, out_left;
	char *out, *in = utf8, *pos;
	iconv_t cd;

	snprintf(utf8, sizeof(utf8), article_ru, head_extra);
	in_left = strlen(utf8);
	out_left = in_left * 2 + 1;
	out = malloc(out_left);
	if (!out)
		return NULL;
	if (strcmp(charset, "UTF-8") == 0) {
		memcpy(out, utf8, in_left + 1);
		*len = in_left;
		return out;
	}
	cd = iconv_open(charset, "UTF-8");
	if (cd == (iconv_t)-1) {
		free(out);
		return NULL;
	}
	pos = out;
	if (iconv(cd, &in, &in_left, &pos, &out_left) == (size_t)-1) {
		free(out);
		out = NULL;
	} else {
		*len = (size_t)(pos - out);
	}
	iconv_close(cd);
	return out;
}

static void expect_page(const char *bytes, size_t len, const char *content_type,
			const char *want_charset, const char *want_warning, int line)
{
	struct parse_document doc;
	struct vigil_error err = { 0 };
	int ok;

	if (!bytes) {
		check_failed++;
		fprintf(stderr, "FAIL line %d: no test page (iconv)\n", line);
		return;
	}
	if (parse_extract(bytes, len, content_type, "http://news.example.kz/1", 0, &doc, &err)) {
		check_failed++;
		fprintf(stderr, "FAIL line %d: %s\n", line, err.message);
		return;
	}
	ok = doc.charset && strcmp(doc.charset, want_charset) == 0 && doc.title &&
	     strcmp(doc.title, "Правозащитника из Уральска оштрафовали за пикет") == 0 &&
	     doc.text && strstr(doc.text, "обжаловать решение в областном суде");
	if (want_warning)
		ok = ok && doc.warning_count == 1 && strcmp(doc.warnings[0], want_warning) == 0;
	else
		ok = ok && doc.warning_count == 0;
	if (ok) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL line %d: charset %s, title \"%s\", warning \"%s\"; expected %s, "
			"\"%s\"\n", line, doc.charset ? doc.charset : "(null)",
			doc.title ? doc.title : "(null)",
			doc.warning_count ? doc.warnings[0] : "(none)", want_charset,
			want_warning ? want_warning : "(none)");
	}
	parse_document_release(&doc);
}

#define EXPECT_PAGE(bytes, len, ct, charset, warning) \
	expect_page(bytes, len, ct, charset, warning, __LINE__)

static void test_declared_utf8_but_not(void)
{
	size_t len = 0;
	char *page;

	/* windows-1251 bytes, header says UTF-8 */
	page = page_in("WINDOWS-1251", "", &len);
	EXPECT_PAGE(page, len, "text/html; charset=utf-8", "windows-1251",
		    "charset utf-8 declared in Content-Type does not match the bytes; "
		    "decoded as windows-1251");
	free(page);
	/* windows-1251 bytes, <meta charset=utf-8>, no header charset */
	page = page_in("WINDOWS-1251", "<meta charset=\"utf-8\">", &len);
	EXPECT_PAGE(page, len, "text/html", "windows-1251",
		    "charset utf-8 declared in <meta> does not match the bytes; "
		    "decoded as windows-1251");
	free(page);
	/* both say UTF-8: one warning, naming the header */
	page = page_in("WINDOWS-1251", "<meta http-equiv=\"Content-Type\" "
			"content=\"text/html; charset=UTF-8\">", &len);
	EXPECT_PAGE(page, len, "text/html; charset=UTF-8", "windows-1251",
		    "charset utf-8 declared in Content-Type does not match the bytes; "
		    "decoded as windows-1251");
	free(page);
	/* header UTF-8 (wrong), meta windows-1251 (right): the meta is used */
	page = page_in("WINDOWS-1251", "<meta charset=\"windows-1251\">", &len);
	EXPECT_PAGE(page, len, "text/html; charset=utf-8", "windows-1251",
		    "charset utf-8 declared in Content-Type does not match the bytes; "
		    "decoded as windows-1251");
	free(page);
	/* KOI8-R bytes declared UTF-8: the letter case picks KOI8-R */
	page = page_in("KOI8-R", "<meta charset=\"utf-8\">", &len);
	EXPECT_PAGE(page, len, NULL, "koi8-r",
		    "charset utf-8 declared in <meta> does not match the bytes; decoded as koi8-r");
	free(page);
}

static void test_cyrillic_code_pages_swapped(void)
{
	size_t len = 0;
	char *page;

	page = page_in("KOI8-R", "", &len);
	EXPECT_PAGE(page, len, "text/html; charset=windows-1251", "koi8-r",
		    "charset windows-1251 declared in Content-Type does not match the bytes; "
		    "decoded as koi8-r");
	free(page);
	page = page_in("WINDOWS-1251", "<meta charset=\"koi8-r\">", &len);
	EXPECT_PAGE(page, len, NULL, "windows-1251",
		    "charset koi8-r declared in <meta> does not match the bytes; "
		    "decoded as windows-1251");
	free(page);
	/* declarations that fit the bytes: no warning */
	page = page_in("KOI8-R", "", &len);
	EXPECT_PAGE(page, len, "text/html; charset=koi8-r", "koi8-r", NULL);
	free(page);
	page = page_in("WINDOWS-1251", "<meta charset=\"windows-1251\">", &len);
	EXPECT_PAGE(page, len, NULL, "windows-1251", NULL);
	free(page);
}

static void test_utf8_with_stray_bytes(void)
{
	struct vigil_error err = { 0 };
	struct parse_read_notes notes = { 0 };
	char *text = NULL, *charset = NULL, *page, *stray;
	size_t len = 0, text_len = 0;

	/* a genuine UTF-8 page with one invalid byte in the middle */
	page = page_in("UTF-8", "", &len);
	CHECK(page != NULL);
	if (!page)
		return;
	stray = strstr(page, "</title>");
	CHECK(stray != NULL);
	if (stray) {
		memmove(stray + 1, stray, len - (size_t)(stray - page) + 1);
		*stray = '\xFF';
		len++;
		EXPECT_PAGE(page, len, "text/html; charset=utf-8", "utf-8", NULL);
		EXPECT_PAGE(page, len, "text/html", "utf-8", NULL); /* undeclared, same */
		/* declared windows-1251, but the bytes are clearly UTF-8 */
		EXPECT_PAGE(page, len, "text/html; charset=windows-1251", "utf-8",
			    "charset windows-1251 declared in Content-Type does not match the "
			    "bytes; decoded as utf-8");
	}
	free(page);
	/* a stray byte on a page with no other non-ASCII text, and a cut-off
	 * final sequence: still UTF-8 */
	CHECK_OK(parse_decode_checked("abc\xFF" "def", 7, "text/html; charset=utf-8", &text,
				      &text_len, &charset, &notes, &err));
	CHECK_STR(charset, "utf-8");
	CHECK(notes.charset_warning == NULL);
	free(text);
	free(charset);
	CHECK_OK(parse_decode_checked("Привет\xD0", strlen("Привет") + 1,
				      "text/html; charset=utf-8", &text, &text_len, &charset,
				      &notes, &err));
	CHECK_STR(charset, "utf-8");
	CHECK(notes.charset_warning == NULL);
	free(text);
	free(charset);
	/* UTF-8 with a pasted windows-1251 phrase (a few percent of the
	 * non-ASCII text) stays UTF-8 */
	{
		char mixed[4096];
		size_t used = 0;

		for (int i = 0; i < 20; i++)
			used += (size_t)snprintf(mixed + used, sizeof(mixed) - used,
						 "<p>Правозащитники Казахстана.</p>");
		used += (size_t)snprintf(mixed + used, sizeof(mixed) - used,
					 "<p>\xCF\xF0\xE8\xE2\xE5\xF2</p>"); /* Привет */
		CHECK_OK(parse_decode_checked(mixed, used, "text/html; charset=utf-8", &text,
					      &text_len, &charset, &notes, &err));
		CHECK_STR(charset, "utf-8");
		CHECK(notes.charset_warning == NULL);
		CHECK_CONTAINS(text, "Правозащитники Казахстана.");
		free(text);
		free(charset);
	}
	/* a few Cyrillic words in windows-1251 under a UTF-8 header: the bytes
	 * win, and notes is optional */
	CHECK_OK(parse_decode_checked("<p>\xCF\xF0\xE8\xE2\xE5\xF2</p>", 13,
				      "text/html; charset=utf-8", &text, &text_len, &charset, NULL,
				      &err));
	CHECK_STR(text, "<p>Привет</p>");
	CHECK_STR(charset, "windows-1251");
	free(text);
	free(charset);
	parse_read_notes_release(&notes);
}

int main(void)
{
	test_declared_utf8_but_not();
	test_cyrillic_code_pages_swapped();
	test_utf8_with_stray_bytes();
	CHECK_DONE();
}
