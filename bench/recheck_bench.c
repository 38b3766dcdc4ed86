/*
 * recheck_bench.c: how often the recheck judge (crawl_judge_recheck) and
 * the minor-edit rule (vigil_edit_is_minor) are wrong on real article pages:
 * the 181 pages of the article-extraction benchmark, each extracted with
 * parse_extract and then put through situations whose right answer is
 * known:
 *   same        the page again, not redirected           -> ARTICLE
 *   moved       the page again at another address       -> MOVED
 *   moved-edit  the page again elsewhere, last paragraph gone -> MOVED
 *   other       redirected to the next page of the set  -> REDIRECT
 *   home        redirected to the root, whose text is the titles of ten
 *               pages of the set including this one      -> REDIRECT
 *   notfound    redirected nowhere, "Page not found" page -> SOFT_404
 *   quoting     the page with "Page not found" quoted in its first line
 *               (full length)                           -> ARTICLE
 *   digit       one digit of the body changed           -> not minor
 *   counter     a "Views: N" line changed               -> minor
 *   space       whitespace doubled in the body          -> minor
 * Prints the error count of each. Usage:
 *   build/recheck-bench DIR_OF_HTML_GZ NOTFOUND_PHRASES
 * (BENCH_VERBOSE=1 names the pages of each wrong answer.)
 */
#include "../crawler/crawler_int.h"
#include "../common/textdiff.h"
#include "../common/utf8.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page {
	char *title, *text;
};

/* The page at path, gunzipped (the benchmark stores NAME.html.gz). */
static char *read_page(const char *path, size_t *len)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;
	char command[4200], chunk[65536];
	FILE *f;
	size_t n;

	snprintf(command, sizeof(command), "gzip -dc '%s'", path);
	f = popen(command, "r");
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (vigil_buf_append(&buf, chunk, n))
			break;
	pclose(f);
	*len = buf.len;
	return vigil_buf_detach(&buf);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum crawl_recheck_kind judge(const struct config_phrases *phrases, const char *final,
				     const struct page *last, const char *title, const char *text)
{
	struct crawl_recheck in = { 0 };
	struct crawl_verdict v;
	struct vigil_error err = { 0 };

	in.url = "https://news.example/section/2024/05/article-123.html";
	in.final_url = final;
	in.title = title;
	in.text = text;
	in.last_title = last->title;
	in.last_text = last->text;
	in.payload_digest = "sha1:X";
	in.notfound = phrases;
	if (crawl_judge_recheck(&in, &v, &err) != VIGIL_OK) {
		fprintf(stderr, "judge: %s\n", err.message);
		exit(1);
	}
	return v.verdict;
}

int main(int argc, char **argv)
{
	struct config_phrases phrases = { 0 };
	struct vigil_error err = { 0 };
	struct page *pages = NULL;
	char **names = NULL;
	size_t count = 0, cap = 0, n = 0;
	int wrong[10] = { 0 };
	static const char *const what[10] = { "same", "moved", "moved-edit", "other", "home",
					      "notfound", "quoting", "digit", "counter", "space" };
	DIR *dir;
	struct dirent *de;

	if (argc != 3 || !(dir = opendir(argv[1]))) {
		fprintf(stderr, "usage: recheck-bench DIR_OF_HTML NOTFOUND_PHRASES\n");
		return 2;
	}
	if (config_phrases_load(argv[2], &phrases, &err) != VIGIL_OK) {
		fprintf(stderr, "%s\n", err.message);
		return 1;
	}
	while ((de = readdir(dir))) {
		if (!strstr(de->d_name, ".html"))
			continue;
		if (count == cap) {
			cap = cap ? cap * 2 : 256;
			names = realloc(names, cap * sizeof(*names));
		}
		names[count++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, count, sizeof(*names), by_name);
	pages = calloc(count, sizeof(*pages));
	for (size_t i = 0; i < count; i++) {
		char path[4096];
		size_t len = 0;
		char *html;
		struct parse_document doc = { 0 };

		snprintf(path, sizeof(path), "%s/%s", argv[1], names[i]);
		html = read_page(path, &len);
		if (html && parse_extract(html, len, "text/html", NULL, 0, &doc, &err) == VIGIL_OK &&
		    doc.text && vigil_utf8_count_chars(doc.text) >= 200) {
			pages[n].title = strdup(doc.title ? doc.title : "");
			pages[n].text = strdup(doc.text);
			n++;
		}
		parse_document_release(&doc);
		free(html);
	}
	for (size_t i = 0; i < n; i++) {
		const struct page *p = &pages[i], *next = &pages[(i + 1) % n];
		struct vigil_buf b = VIGIL_BUF_INIT;
		char *cut, *last_para, *digit;

		wrong[0] += judge(&phrases, NULL, p, p->title, p->text) != CRAWL_RECHECK_ARTICLE;
		wrong[1] += judge(&phrases, "https://news.example/2024/article-123-moved.html", p,
				  p->title, p->text) != CRAWL_RECHECK_MOVED;
		cut = strdup(p->text);
		last_para = strrchr(cut, '\n');
		if (last_para && last_para > cut + strlen(cut) / 2)
			*last_para = '\0';
		wrong[2] += judge(&phrases, "https://news.example/2024/article-123-moved.html", p,
				  p->title, cut) != CRAWL_RECHECK_MOVED;
		free(cut);
		{
			enum crawl_recheck_kind k = judge(&phrases, "https://news.example/2024/another-article.html", p,
				  next->title, next->text);
			if (getenv("BENCH_VERBOSE") && k != CRAWL_RECHECK_REDIRECT)
				fprintf(stderr, "other: verdict %d: %s / %s\n", k, p->title, next->title);
			wrong[3] += k != CRAWL_RECHECK_REDIRECT;
		}
		for (size_t k = 0; k < 10; k++)
			(void)!vigil_buf_printf(&b, "%s\n", pages[(i + k) % n].title);
		wrong[4] += judge(&phrases, "https://news.example/", p, "Home", b.data) !=
			    CRAWL_RECHECK_REDIRECT;
		wrong[5] += judge(&phrases, NULL, p, "Page not found",
				  "Sorry, we could not find that page. Try the search.") !=
			    CRAWL_RECHECK_SOFT_404;
		b.len = 0;
		(void)!vigil_buf_printf(&b, "\"Page not found\", the site said. %s", p->text);
		wrong[6] += judge(&phrases, NULL, p, p->title, b.data) != CRAWL_RECHECK_ARTICLE;
		/* one digit changed in the body, or one letter if it has none */
		cut = strdup(p->text);
		digit = strpbrk(cut + strlen(cut) / 3, "0123456789");
		if (!digit)
			digit = strpbrk(cut + strlen(cut) / 3, "aeiou");
		if (digit) {
			*digit = *digit == '9' ? '8' : *digit == 'u' ? 'a' : (char)(*digit + 1);
			int minor = vigil_edit_is_minor(p->title, p->text, p->title, cut, 6);
			const char *line = digit;

			while (line > cut && line[-1] != '\n')
				line--;
			if (getenv("BENCH_VERBOSE") && minor)
				fprintf(stderr, "digit: minor: %.*s\n", (int)strcspn(line, "\n"), line);
			wrong[7] += minor != 0;
		}
		free(cut);
		b.len = 0;
		(void)!vigil_buf_printf(&b, "%s\nViews: 120", p->text);
		cut = strdup(b.data);
		cut[strlen(cut) - 2] = '9';
		wrong[8] += vigil_edit_is_minor(p->title, b.data, p->title, cut, 6) != 1;
		free(cut);
		b.len = 0;
		for (const char *s = p->text; *s; s++)
			(void)!vigil_buf_append(&b, s, *s == ' ' ? 0 : 1), (void)!(*s == ' ' &&
										   vigil_buf_append(&b, "  ", 2));
		wrong[9] += vigil_edit_is_minor(p->title, p->text, p->title, b.data, 6) != 1;
		vigil_buf_release(&b);
	}
	printf("pages with a text of 200 characters or more: %zu of %zu\n", n, count);
	for (int k = 0; k < 10; k++)
		printf("%-11s wrong %d of %zu\n", what[k], wrong[k], n);
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	for (size_t i = 0; i < n; i++) {
		free(pages[i].title);
		free(pages[i].text);
	}
	free(pages);
	free(names);
	config_phrases_release(&phrases);
	return 0;
}
