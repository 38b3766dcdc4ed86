/* test_parser_dates.c: the publication date parse_extract chooses
 * (parser/dates.c) on the written pages of the dated set
 * (tests/fixtures/dates/pages, labels in tests/fixtures/dates/labels.tsv),
 * one per form and trap, and the evidence it reports. */
#include "check.h"
#include "../../parser/parser.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	long size;

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
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

/* parse_extract on a page of tests/fixtures/dates/pages; 0 on success. */
static int extract_page(const char *name, const char *url, const char *fetched,
			struct parse_document *doc)
{
	char path[1024];
	struct vigil_error err = { 0 };
	int64_t fetched_at = 0;
	size_t len = 0;
	char *body;
	int rc;

	memset(doc, 0, sizeof(*doc));
	snprintf(path, sizeof(path), "%s/dates/pages/%s", check_fixture_dir(), name);
	body = read_file(path, &len);
	if (!body)
		return -1;
	if (fetched && vigil_parse_time(fetched, &fetched_at) != 0)
		fetched_at = 0;
	rc = parse_extract(body, len, NULL, url, fetched_at, doc, &err);
	if (rc)
		fprintf(stderr, "%s: %s\n", name, err.message);
	free(body);
	return rc;
}

/* Every written page of labels.tsv gets its labelled day. */
static void test_labelled_pages(void)
{
	char path[1024], line[4096];
	FILE *f;
	int pages = 0;

	snprintf(path, sizeof(path), "%s/dates/labels.tsv", check_fixture_dir());
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *fields[5], *p = line;
		struct parse_document doc;
		int n = 0;

		if (strncmp(line, "pages/", 6) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		while (n < 5 && p) {
			fields[n++] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (n != 5) {
			CHECK(!"labels.tsv line with 5 fields");
			continue;
		}
		pages++;
		if (extract_page(fields[0] + 6, strcmp(fields[3], "-") ? fields[3] : NULL, fields[4],
				 &doc)) {
			CHECK(!"page extracted");
			continue;
		}
		if (strcmp(fields[1], "none") == 0) {
			if (doc.published)
				fprintf(stderr, "%s: expected no date, got %s\n", fields[0], doc.published);
			CHECK(doc.published == NULL && doc.published_source == NULL);
		} else if (!doc.published || strncmp(doc.published, fields[1], 10) != 0) {
			fprintf(stderr, "%s: expected %s, got %s (%s)\n", fields[0], fields[1],
				doc.published ? doc.published : "none",
				doc.published_source ? doc.published_source : "-");
			CHECK(!"labelled day");
		} else {
			CHECK(doc.published_source != NULL);
		}
		parse_document_release(&doc);
	}
	fclose(f);
	CHECK(pages >= 50);
}

/* The full value and the evidence named for the distinctive pages. */
static void test_values_and_sources(void)
{
	static const struct {
		const char *page, *url, *fetched, *published, *source;
	} cases[] = {
		{ "trap_offset_midnight.html", NULL, "2024-04-20T09:00:00Z",
		  "2024-04-18T00:30:00+06:00", "meta:article:published_time" },
		{ "trap_utc_for_local.html", NULL, "2024-04-20T09:00:00Z",
		  "2024-04-18T00:30:00+06:00", "json-ld+zone" },
		{ "trap_update_meta.html", NULL, "2024-04-20T09:00:00Z",
		  "2024-04-18T10:00:00Z", "meta:article:published_time" },
		{ "trap_update_before_publish.html", NULL, "2024-04-20T09:00:00Z",
		  "2024-04-18T10:15:00", "text" },
		{ "trap_future_meta.html", NULL, "2024-04-20T09:00:00Z", "2024-04-18", "text" },
		{ "trap_jsonld_zero.html", NULL, "2019-11-20T18:00:00Z",
		  "2019-11-19T19:07:00-05:00", "text" },
		{ "ru_yesterday.html", NULL, "2024-04-19T08:00:00Z", "2024-04-18T14:20:00", "text" },
		{ "abbr_published.html", NULL, NULL, "2021-04-05T10:00:00+02:00", "abbr" },
		{ "time_text.html", NULL, NULL, "2021-04-05", "time" },
		{ "microdata.html", NULL, NULL, "2021-04-05T09:00:00+05:00", "microdata" },
		{ "script_call.html", NULL, NULL, "2021-04-05T09:00:00+05:00", "script" },
		{ "meta_dc.html", NULL, NULL, "2021-04-05", "meta:dc.date.issued" },
		{ "url_only.html", "https://news.example.org/2021/04/05/appeal-filed/", NULL,
		  "2021-04-05", "url" },
		{ "image_path.html", "https://news.example.org/photos/court", NULL, "2021-04-05",
		  "image-url" },
		{ "zh_date.html", NULL, NULL, "2021-04-05T10:20:00", "text" },
		{ "trap_time_other_stories.html", NULL, "2024-04-20T09:00:00Z", "2024-04-18", "text" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct parse_document doc;

		if (extract_page(cases[i].page, cases[i].url, cases[i].fetched, &doc)) {
			CHECK(!"page extracted");
			continue;
		}
		CHECK_STR(doc.published, cases[i].published);
		CHECK_STR(doc.published_source, cases[i].source);
		parse_document_release(&doc);
	}
}

/* Without a fetch time (0) nothing is relative and nothing is future. */
static void test_unknown_fetch_time(void)
{
	struct parse_document doc;

	CHECK_OK(extract_page("ru_yesterday.html", NULL, NULL, &doc));
	CHECK(doc.published == NULL);
	parse_document_release(&doc);
	CHECK_OK(extract_page("trap_future_meta.html", NULL, NULL, &doc));
	CHECK_STR(doc.published, "2031-01-01T00:00:00Z");
	parse_document_release(&doc);
	/* the same page fetched before 2031 refuses the meta */
	CHECK_OK(extract_page("trap_future_meta.html", NULL, "2024-04-20T09:00:00Z", &doc));
	CHECK_STR(doc.published, "2024-04-18");
	parse_document_release(&doc);
}

/* Blocks that belong to other stories or to readers give no candidates,
 * even as the only dates on the page. */
static void test_excluded_blocks(void)
{
	static const char *const pages[] = {
		"<html><body><h1>Заголовок новости о суде</h1><p>Текст новости о заседании суда "
		"и наблюдателях в зале.</p><div class=\"comments\">Асем, 19.04.2024 08:12</div>"
		"</body></html>",
		"<html><body><h1>Заголовок новости о суде</h1><p>Текст новости.</p>"
		"<aside><ul><li>19.04.2024 Другая новость</li></ul></aside></body></html>",
		"<html><body><h1>Headline of the story</h1><p>Story text.</p>"
		"<div class=\"related-posts\"><time datetime=\"2024-04-19\">April 19, 2024</time>"
		"</div></body></html>",
		"<html><body><h1>Headline of the story</h1><p>Story text.</p>"
		"<footer>Updated 19.04.2024</footer></body></html>",
	};

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct parse_document doc;
		struct vigil_error err = { 0 };

		CHECK_OK(parse_extract(pages[i], strlen(pages[i]), NULL, NULL, 1713600000, &doc,
				       &err));
		if (doc.published)
			fprintf(stderr, "excluded block %zu gave %s\n", i, doc.published);
		CHECK(doc.published == NULL);
		parse_document_release(&doc);
	}
}

/* A page with more visible text than the date search keeps (4 MiB) is
 * read, not refused as out of memory; its date near the top still counts. */
static void test_huge_page(void)
{
	static const char head[] = "<html><body><h1>Большая страница</h1><p>18.04.2024</p>";
	static const char para[] = "<p>Текст заседания суда и наблюдателей в зале суда.</p>";
	size_t count = 5 * 1024 * 1024 / (sizeof(para) - 1) + 1, len = sizeof(head) - 1;
	char *page = malloc(len + count * (sizeof(para) - 1) + 32);
	struct parse_document doc;
	struct vigil_error err = { 0 };

	CHECK(page != NULL);
	if (!page)
		return;
	memcpy(page, head, len);
	for (size_t i = 0; i < count; i++, len += sizeof(para) - 1)
		memcpy(page + len, para, sizeof(para) - 1);
	memcpy(page + len, "</body></html>", 15);
	len += 14;
	CHECK_OK(parse_extract(page, len, NULL, NULL, 1713600000, &doc, &err));
	CHECK_STR(doc.published, "2024-04-18");
	parse_document_release(&doc);
	free(page);
}

int main(void)
{
	test_labelled_pages();
	test_values_and_sources();
	test_unknown_fetch_time();
	test_excluded_blocks();
	test_huge_page();
	CHECK_DONE();
}
