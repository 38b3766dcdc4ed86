/*
 * recheck.c: what a 2xx answer to the recheck of a known material means
 * (crawl_judge_recheck, see crawler_int.h): still the article, the article
 * at a new address, or a page that stands where the article was (the home
 * page, a section, a search or login page, the site's "not found" page).
 *
 * The judgement uses only what the WARC holds (the answer, where its
 * redirects ended) and what the index learnt from earlier answers (the
 * material's last version, the host's not-found page), so a reindex
 * reaches the same verdicts in the same order.
 */
#include "crawler_int.h"
#include "../common/textdiff.h"
#include "../common/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A notice must stand near the top: a real article may quote the words. */
#define NOTICE_WINDOW_CHARS 300
/* "Far shorter": the new text holds less than this share of the old. */
#define SHORTER_RATIO 0.5
/* Same article: shared wording (vigil_text_similarity, three-word
 * shingles). A listing or home page shares a teaser at most; a moved
 * article nearly all. */
#define SAME_TEXT 0.6
#define SAME_TITLE 0.7
/* Matches the host's not-found page. */
#define SAME_NOTFOUND 0.8

/* Path segments of pages that are not articles. */
static const char *const search_segments[] = { "search", "poisk", "find", "izdeu", "searchresults",
					       NULL };
static const char *const login_segments[] = { "login", "signin", "sign-in", "sign_in", "auth",
					      "account", "wp-login.php", "vhod", "register",
					      "user", NULL };

static int segment_in(const char *path, const char *const *names)
{
	const char *s = path;

	while (*s) {
		size_t len;

		while (*s == '/')
			s++;
		len = strcspn(s, "/?#");
		for (size_t i = 0; names[i]; i++) {
			size_t n = strlen(names[i]);

			/* "search", "search.php", "login.html" */
			if (len >= n && strncasecmp(s, names[i], n) == 0 &&
			    (len == n || s[n] == '.'))
				return 1;
		}
		s += len;
		if (*s == '?' || *s == '#')
			break;
	}
	return 0;
}

int crawl_url_is_listing(const char *article_url, const char *target_url)
{
	char *a = vigil_url_path_query(article_url, NULL);
	char *t = vigil_url_path_query(target_url, NULL);
	int listing = 0;

	if (!a || !t) {
		free(a);
		free(t);
		return 0;
	}
	a[strcspn(a, "?")] = '\0';
	if (segment_in(t, search_segments) || segment_in(t, login_segments)) {
		listing = 1;
	} else {
		size_t tlen = strcspn(t, "?");

		/* The root, or a directory above the article: "/", "/news",
		 * "/news/" for "/news/2024/story". A query on it (a search,
		 * a page number) does not make it an article. */
		while (tlen > 1 && t[tlen - 1] == '/')
			tlen--;
		if (tlen == 1 && t[0] == '/')
			listing = 1;
		else if (tlen < strlen(a) && strncmp(a, t, tlen) == 0 && a[tlen] == '/')
			listing = 1;
	}
	free(a);
	free(t);
	return listing;
}

/* The stems of text, space-separated and wrapped in spaces (" a b "), so
 * a phrase matches on whole-stem boundaries; NULL on OOM. */
static char *stem_wrapped(const char *text)
{
	char *stems = archive_stem_text(text ? text : "");
	char *out;

	if (!stems)
		return NULL;
	out = malloc(strlen(stems) + 3);
	if (out)
		sprintf(out, " %s ", stems);
	free(stems);
	return out;
}

/* The first max_chars characters of text; malloc'd. */
static char *head_chars(const char *text, size_t max_chars)
{
	const char *s = text ? text : "";
	size_t chars = 0, i = 0;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			if (chars == max_chars)
				break;
			chars++;
		}
		i++;
	}
	return strndup(s, i);
}

/* The phrase of phrases found (by stems) in title or in the head of text,
 * or NULL. *nomem on OOM. */
static const char *notice_phrase(const struct config_phrases *phrases, const char *title,
				 const char *text, int *nomem)
{
	char *head = head_chars(text, NOTICE_WINDOW_CHARS);
	char *t = stem_wrapped(title), *h = head ? stem_wrapped(head) : NULL;
	const char *found = NULL;

	if (!head || !t || !h)
		*nomem = 1;
	for (size_t i = 0; !*nomem && phrases && i < phrases->count && !found; i++) {
		char *p = stem_wrapped(phrases->items[i]);

		if (!p) {
			*nomem = 1;
			break;
		}
		if (strcmp(p, "  ") != 0 && (strstr(t, p) || strstr(h, p)))
			found = phrases->items[i];
		free(p);
	}
	free(head);
	free(t);
	free(h);
	return found;
}

static size_t chars_of(const char *text)
{
	return vigil_utf8_count_chars(text);
}

enum vigil_code crawl_judge_recheck(const struct crawl_recheck *in, struct crawl_verdict *out,
				    struct vigil_error *err)
{
	size_t old_chars = chars_of(in->last_title) + chars_of(in->last_text);
	size_t new_chars = chars_of(in->title) + chars_of(in->text);
	int shorter = (double)new_chars < SHORTER_RATIO * (double)old_chars;
	int redirected = in->final_url && strcmp(in->final_url, in->url) != 0;
	double text_sim, title_sim;
	const char *phrase;
	int nomem = 0;

	memset(out, 0, sizeof(*out));
	text_sim = vigil_text_similarity(in->last_text, in->text);
	/* Two missing titles are alike to the measure, but say nothing. */
	title_sim = vigil_text_similarity(in->last_title, in->title);
	if (text_sim < 0 || title_sim < 0)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", in->url);

	/* A "not found" notice heading a page much shorter than the article. */
	phrase = shorter ? notice_phrase(in->notfound, in->title, in->text, &nomem) : NULL;
	if (nomem)
		return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", in->url);
	if (phrase) {
		out->verdict = redirected ? CRAWL_RECHECK_REDIRECT : CRAWL_RECHECK_SOFT_404;
		snprintf(out->detail, sizeof(out->detail), "%s%s\"%s\"",
			 redirected ? in->final_url : "", redirected ? ": " : "", phrase);
		return VIGIL_OK;
	}
	/* The host's own not-found page (learnt from a probe of a random URL). */
	if (shorter && in->host && in->host->notfound_status) {
		int same_payload = in->payload_digest && in->host->notfound_digest &&
				   strcmp(in->payload_digest, in->host->notfound_digest) == 0;
		struct vigil_buf now = VIGIL_BUF_INIT;
		double sim = 0;

		if (!same_payload) {
			if (vigil_buf_printf(&now, "%s\n%s", in->title ? in->title : "",
					     in->text ? in->text : ""))
				return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory", in->url);
			sim = vigil_text_similarity(in->host->notfound_text, now.data);
			vigil_buf_release(&now);
			if (sim < 0)
				return vigil_error_set(err, VIGIL_ERR_NOMEM, "%s: out of memory",
						       in->url);
		}
		if (same_payload || sim >= SAME_NOTFOUND) {
			out->verdict = redirected ? CRAWL_RECHECK_REDIRECT : CRAWL_RECHECK_SOFT_404;
			snprintf(out->detail, sizeof(out->detail), "%s%sthe host's not-found page",
				 redirected ? in->final_url : "", redirected ? ": " : "");
			return VIGIL_OK;
		}
	}
	if (!redirected) {
		out->verdict = CRAWL_RECHECK_ARTICLE;
		return VIGIL_OK;
	}
	/* Redirected: the same article at a new address, or another page.
	 * A listing, search or login address needs the article's text to be
	 * there (a home page may carry its title as a teaser); any other
	 * address the title or the text. */
	if (crawl_url_is_listing(in->url, in->final_url)) {
		if (text_sim >= SAME_TEXT)
			out->verdict = CRAWL_RECHECK_MOVED;
		else
			out->verdict = CRAWL_RECHECK_REDIRECT;
	} else if (text_sim >= SAME_TEXT ||
		   (title_sim >= SAME_TITLE && !shorter && chars_of(in->title) > 0)) {
		out->verdict = CRAWL_RECHECK_MOVED;
	} else {
		out->verdict = CRAWL_RECHECK_REDIRECT;
	}
	snprintf(out->detail, sizeof(out->detail), "%s", in->final_url);
	return VIGIL_OK;
}
