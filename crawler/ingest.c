/*
 * ingest.c: what one archived response means for the index (crawl_ingest,
 * see crawler_int.h). Moved out of crawl.c so the crawl pass and
 * `vigil archive reindex` run the very same code: extraction,
 * classification, new / changed / unchanged / deleted.
 *
 * Deletion times are the fetch time of the response that showed the
 * deletion (not the wall clock when it was handled), so that a reindex
 * from the WARC files, which know only the fetch time, finds the same.
 */
#include "crawler_int.h"
#include "../common/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Extracted texts shorter than this (in characters) are listing pages or
 * stubs: archived, but not recorded as materials. */
#define CRAWL_MIN_ARTICLE_CHARS 200
#define CRAWL_TITLE_CHARS 100
/* Sitemap indexes may nest; deeper than this is a loop or a trap. */
#define CRAWL_MAX_FEED_DEPTH 2

/* ---------------- small text helpers ---------------- */

/* First line of text, at most max_chars characters, cut on a character
 * boundary; malloc'd. */
static char *first_line(const char *text, size_t max_chars)
{
	const char *s = text, *end;
	size_t chars = 0;

	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	end = s;
	while (*end && *end != '\n' && *end != '\r') {
		if (((unsigned char)*end & 0xC0) != 0x80) {
			if (chars == max_chars)
				break;
			chars++;
		}
		end++;
	}
	while (end > s && end[-1] == ' ')
		end--;
	return strndup(s, (size_t)(end - s));
}

static int blank(const char *text)
{
	for (const char *s = text; s && *s; s++)
		if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
			return 0;
	return 1;
}

/* The post number of a channel permalink: digits after the last '/'. */
static long long post_number(const char *url)
{
	const char *slash = url ? strrchr(url, '/') : NULL;
	long long n = 0;
	const char *s;

	if (!slash || !slash[1])
		return -1;
	for (s = slash + 1; *s >= '0' && *s <= '9'; s++) {
		if (n > 100000000000000LL)
			return -1;
		n = n * 10 + (*s - '0');
	}
	if (s == slash + 1 || (*s && *s != '?' && *s != '#'))
		return -1;
	return n;
}

/* Links that are surely not pages: not worth a fetch in a site crawl. */
static int binary_link(const char *url)
{
	static const char *const exts[] = {
		".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg", ".ico", ".bmp",
		".pdf", ".zip", ".rar", ".7z", ".gz", ".tar", ".mp3", ".mp4", ".avi",
		".mov", ".webm", ".css", ".js", ".doc", ".docx", ".xls", ".xlsx",
		".ppt", ".pptx", ".exe", ".apk", ".woff", ".woff2", ".ttf"
	};
	const char *end = url + strcspn(url, "?#");
	size_t len = (size_t)(end - url);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t n = strlen(exts[i]);

		if (len > n && strncasecmp(end - n, exts[i], n) == 0)
			return 1;
	}
	return 0;
}

/* ---------------- materials ---------------- */

struct crawl_material {
	const char *url;
	const char *canonical_url;
	const char *title;
	const char *author;
	const char *published;
	const char *lang;
	const char *text;
	int64_t fetched_at;
	int64_t capture_id;
};

static enum archive_tone tone_of(enum parse_tone tone)
{
	switch (tone) {
	case PARSE_TONE_NEUTRAL: return ARCHIVE_TONE_NEUTRAL;
	case PARSE_TONE_NEGATIVE: return ARCHIVE_TONE_NEGATIVE;
	case PARSE_TONE_SUPPORTIVE: return ARCHIVE_TONE_SUPPORTIVE;
	}
	return ARCHIVE_TONE_NEUTRAL;
}

/* Move the material's next recheck (config `recheck`): back to the first
 * step when it is new or changed, else to the step after this check. A
 * channel's posts are rechecked through the channel page, and with
 * `recheck = always` every live material is rechecked on every pass: no
 * schedule then. */
static enum vigil_code schedule_recheck(struct crawl_pass *p, struct crawl_source_run *src,
					const struct crawl_material *m, enum archive_change change)
{
	struct archive_recheck rc = { 0 };
	enum vigil_code code;

	if (src->config->kind == CONFIG_SOURCE_CHANNEL || p->settings->recheck_step_count <= 0)
		return VIGIL_OK;
	code = archive_material_recheck_get(p->opt->store, m->url, &rc, p->err);
	if (code != VIGIL_OK)
		return code;
	if (change != ARCHIVE_UNCHANGED || rc.check_from <= 0)
		rc.check_from = m->fetched_at;
	rc.next_check_at = crawl_recheck_next(p->settings, rc.check_from, m->fetched_at,
					      &rc.check_step);
	return archive_material_recheck_set(p->opt->store, &rc, p->err);
}

/* Classify and record one material. Returns non-OK only for failures that
 * stop the pass; a classifier failure is a page problem (*page_failed). */
static enum vigil_code record_material(struct crawl_pass *p, struct crawl_source_run *src,
				       const struct crawl_material *m, int *page_failed)
{
	struct parse_classification cls = { 0 };
	struct archive_version_input in = { 0 };
	struct archive_region *regions = NULL;
	struct archive_hit *hits = NULL;
	struct vigil_error perr = { 0 };
	enum archive_change change = ARCHIVE_UNCHANGED;
	int64_t material_id = 0;
	enum vigil_code code = VIGIL_OK;
	const struct parse_classifier *c = p->opt->classifier;

	if (c) {
		code = parse_classify(c, m->title, m->text, src->config->region, &cls, &perr);
		if (code == VIGIL_ERR_NOMEM)
			return vigil_error_set(p->err, code, "%s: %s", m->url, perr.message);
		if (code != VIGIL_OK) {
			crawl_pass_problem(p, "%s: %s", m->url, perr.message);
			*page_failed = 1;
			return VIGIL_OK;
		}
	}
	if (cls.region_count && !(regions = calloc(cls.region_count, sizeof(*regions))))
		goto nomem;
	if (cls.hit_count && !(hits = calloc(cls.hit_count, sizeof(*hits))))
		goto nomem;
	for (size_t i = 0; i < cls.region_count; i++) {
		const struct config_rule *rule = parse_classifier_region(c, cls.regions[i]);

		regions[i].id = cls.regions[i];
		regions[i].label = rule ? rule->label : NULL;
		regions[i].macro = rule ? rule->macro : NULL;
	}
	for (size_t i = 0; i < cls.hit_count; i++) {
		const struct parse_rule_hit *h = &cls.hits[i];

		/* archive_hit has non-const members but the input is only
		 * borrowed for the call and never written through. */
		hits[i].kind = (char *)config_rule_kind_name(h->kind);
		hits[i].rule_id = h->rule_id;
		hits[i].label = h->label;
		hits[i].matched = h->matched;
		hits[i].offset = (int64_t)h->offset;
		hits[i].weight = h->weight;
		hits[i].where = h->where;
	}
	in.source_id = src->source_id;
	in.url = m->url;
	in.canonical_url = m->canonical_url;
	in.title = m->title;
	in.author = m->author;
	in.published = m->published;
	in.lang = m->lang ? m->lang : src->config->language;
	in.text = m->text;
	in.fetched_at = m->fetched_at;
	in.capture_id = m->capture_id;
	in.relevant = cls.relevant;
	in.tone = tone_of(cls.tone);
	in.tone_score = cls.tone_score;
	in.categories = (const char *const *)cls.categories;
	in.category_count = cls.category_count;
	in.threats = (const char *const *)cls.threats;
	in.threat_count = cls.threat_count;
	in.regions = regions;
	in.region_count = cls.region_count;
	in.hits = hits;
	in.hit_count = cls.hit_count;
	code = archive_material_record(p->opt->store, &in, &change, &material_id, p->err);
	if (code == VIGIL_OK) {
		switch (change) {
		case ARCHIVE_NEW: p->sum->new_materials++; break;
		case ARCHIVE_CHANGED: /* fall through */
		case ARCHIVE_RESTORED: p->sum->changed++; break;
		case ARCHIVE_UNCHANGED: p->sum->unchanged++; break;
		}
		code = schedule_recheck(p, src, m, change);
	}
	free(regions);
	free(hits);
	parse_classification_release(&cls);
	return code;
nomem:
	free(regions);
	free(hits);
	parse_classification_release(&cls);
	return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", m->url);
}

/* A parser's failure on page r. Its message names the URL it was given
 * (the one after redirects), so the requested URL goes in front only when
 * it is another. Out of memory ends the pass; anything else costs only
 * this page. */
static enum vigil_code parse_failed(struct crawl_pass *p, const struct crawl_fetch_result *r,
				    enum vigil_code code, const char *message, int *page_failed)
{
	const char *requested =
		r->effective_url && strcmp(r->effective_url, r->url) != 0 ? r->url : NULL;

	if (code == VIGIL_ERR_NOMEM)
		return requested ? vigil_error_set(p->err, code, "%s: %s", requested, message)
				 : vigil_error_set(p->err, code, "%s", message);
	if (requested)
		crawl_pass_problem(p, "%s: %s", requested, message);
	else
		crawl_pass_problem(p, "%s", message);
	*page_failed = 1;
	return VIGIL_OK;
}

static enum vigil_code handle_article(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct crawl_fetch_result *r, int64_t capture_id,
				      int *page_failed)
{
	struct parse_document doc = { 0 };
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;

	code = parse_extract(r->body, r->body_len, r->content_type, base, &doc, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	/* reported, not counted: the page was read */
	for (size_t i = 0; i < doc.warning_count; i++)
		crawl_pass_problem(p, "%s: %s", r->url, doc.warnings[i]);
	if (doc.text && vigil_utf8_count_chars(doc.text) >= CRAWL_MIN_ARTICLE_CHARS) {
		struct crawl_material m = {
			.url = r->url,
			.canonical_url = doc.canonical_url,
			.title = doc.title,
			.author = doc.author,
			.published = doc.published,
			.lang = doc.language,
			.text = doc.text,
			.fetched_at = r->fetched_at,
			.capture_id = capture_id,
		};

		code = record_material(p, src, &m, page_failed);
	}
	parse_document_release(&doc);
	return code;
}

/* ---------------- discovery ---------------- */

/* Is url a live material whose recheck is not due yet? A feed or a
 * listing page names its known articles on every pass; fetching them all
 * each time would undo the recheck schedule. (--force fetches them.) */
static enum vigil_code recheck_not_due(struct crawl_pass *p, struct crawl_source_run *src,
				       const char *url, int *not_due)
{
	struct archive_recheck rc = { 0 };
	int64_t now = p->opt->now ? p->opt->now : vigil_now();
	enum vigil_code code;

	*not_due = 0;
	if (p->opt->force || src->config->kind == CONFIG_SOURCE_CHANNEL ||
	    p->settings->recheck_step_count <= 0)
		return VIGIL_OK;
	code = archive_material_recheck_get(p->opt->store, url, &rc, p->err);
	if (code == VIGIL_ERR_NOT_FOUND) {
		vigil_error_clear(p->err);
		return VIGIL_OK;
	}
	if (code != VIGIL_OK)
		return code;
	/* A deleted material seen in a listing again is fetched: it may be
	 * back (restored). */
	*not_due = !rc.deleted &&
		   (rc.next_check_at == ARCHIVE_RECHECK_NEVER || rc.next_check_at > now);
	return VIGIL_OK;
}

/* Add url to the source's frontier if the per-pass budget allows and it is
 * not a known material whose recheck is not due. */
static enum vigil_code discover(struct crawl_pass *p, struct crawl_source_run *src,
				const char *url, int depth, int kind)
{
	int added = 0, not_due = 0;
	enum vigil_code code;

	if (src->added >= src->max_pages)
		return VIGIL_OK;
	code = recheck_not_due(p, src, url, &not_due);
	if (code != VIGIL_OK || not_due)
		return code;
	code = archive_frontier_add(p->opt->store, src->source_id, url, depth, kind, &added,
				    p->err);
	if (code == VIGIL_OK && added)
		src->added++;
	return code;
}

static enum vigil_code handle_links(struct crawl_pass *p, struct crawl_source_run *src,
				    const struct crawl_fetch_result *r,
				    const struct archive_frontier_entry *e, int *page_failed)
{
	struct parse_links links = { 0 };
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;

	code = parse_links(r->body, r->body_len, r->content_type, base, &links, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	for (size_t i = 0; i < links.count && code == VIGIL_OK; i++) {
		const char *url = links.items[i].url;

		int inside = 0;

		if (!url || binary_link(url))
			continue;
		/* A link dropped for lack of memory would be lost for good once
		 * the page is marked done: out of memory stops the pass. */
		code = vigil_url_scope_check(src->scope, url, &inside, p->err);
		if (code == VIGIL_OK && inside)
			code = discover(p, src, url, e->depth + 1, CRAWL_KIND_PAGE);
	}
	parse_links_release(&links);
	return code;
}

static enum vigil_code handle_feed(struct crawl_pass *p, struct crawl_source_run *src,
				   const struct crawl_fetch_result *r,
				   const struct archive_frontier_entry *e, int *page_failed)
{
	struct parse_feed feed = { 0 };
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;
	int index;

	code = parse_feed(r->body, r->body_len, base, &feed, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	/* A sitemap index lists sitemaps, not articles. */
	index = feed.is_index;
	for (size_t i = 0; i < feed.count && code == VIGIL_OK; i++) {
		const char *url = feed.items[i].url;
		struct vigil_error url_err = { 0 };
		char *origin = vigil_url_origin(url, &url_err);

		/* Skipping an item for lack of memory would lose its article
		 * silently; only a URL that is not http(s) is skipped. */
		if (!origin && url_err.code == VIGIL_ERR_NOMEM)
			code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: item %s: out of memory",
					       r->url, url);
		if (!origin)
			continue;
		free(origin);
		if (index && e->depth < CRAWL_MAX_FEED_DEPTH)
			code = discover(p, src, url, e->depth + 1, CRAWL_KIND_FEED);
		else if (!index)
			code = discover(p, src, url, e->depth + 1, CRAWL_KIND_ARTICLE);
	}
	parse_feed_release(&feed);
	return code;
}

static int url_on_page(const struct parse_channel *ch, const char *url)
{
	for (size_t i = 0; i < ch->count; i++)
		if (ch->items[i].url && strcmp(ch->items[i].url, url) == 0)
			return 1;
	return 0;
}

static enum vigil_code handle_channel(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct crawl_fetch_result *r, int64_t capture_id,
				      int *page_failed)
{
	struct parse_channel ch = { 0 };
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;
	long long oldest = -1;
	char **live = NULL;
	size_t live_count = 0;

	code = parse_channel_page(r->body, r->body_len, r->content_type, base, &ch, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	for (size_t i = 0; i < ch.count && code == VIGIL_OK; i++) {
		const struct parse_channel_post *post = &ch.items[i];
		long long n = post_number(post->url);
		struct crawl_material m = { 0 };
		char *title;

		if (n >= 0 && (oldest < 0 || n < oldest))
			oldest = n;
		if (!post->url || blank(post->text))
			continue;
		title = first_line(post->text, CRAWL_TITLE_CHARS);
		if (!title) {
			code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", r->url);
			break;
		}
		m.url = post->url;
		m.title = title;
		m.author = post->author;
		m.published = post->published;
		m.text = post->text;
		m.fetched_at = r->fetched_at;
		m.capture_id = capture_id;
		code = record_material(p, src, &m, page_failed);
		free(title);
	}
	/* A post is deleted when it is missing inside the page's window;
	 * posts older than the oldest one shown merely scrolled off. */
	if (code == VIGIL_OK && oldest >= 0)
		code = archive_material_live_urls(p->opt->store, src->source_id, &live, &live_count,
						  p->err);
	for (size_t i = 0; i < live_count; i++) {
		long long n = post_number(live[i]);
		int marked = 0;

		if (code == VIGIL_OK && n >= oldest && !url_on_page(&ch, live[i])) {
			code = archive_material_mark_deleted(p->opt->store, live[i], r->fetched_at,
							     &marked, p->err);
			if (code == VIGIL_ERR_NOT_FOUND)
				code = VIGIL_OK;
			if (marked)
				p->sum->deleted++;
		}
		free(live[i]);
	}
	free(live);
	parse_channel_release(&ch);
	return code;
}

/* ---------------- one response ---------------- */

enum vigil_code crawl_ingest(struct crawl_pass *p, struct crawl_source_run *src,
			     const struct archive_frontier_entry *e,
			     const struct crawl_fetch_result *r, int64_t capture_id, int *failed)
{
	enum config_source_kind skind = src->config->kind;
	enum vigil_code code = VIGIL_OK;

	if (r->truncated) {
		/* A cut page is not an edit (nor a whole new material): it is
		 * archived, flagged truncated in the WARC and the index, and
		 * no version comes of it. */
		crawl_pass_problem(p, "%s: %s; archived as truncated, not recorded as a version", r->url,
			r->error ? r->error : "body cut at max_body");
		*failed = 1;
		return VIGIL_OK;
	}
	if ((r->status == 404 || r->status == 410) &&
	    (e->kind == CRAWL_KIND_ARTICLE || e->kind == CRAWL_KIND_PAGE)) {
		int marked = 0;

		code = archive_material_mark_deleted(p->opt->store, r->url, r->fetched_at, &marked,
						     p->err);
		if (code == VIGIL_ERR_NOT_FOUND)
			code = VIGIL_OK;
		if (marked)
			p->sum->deleted++;
		return code;
	}
	if (r->status < 200 || r->status >= 300) {
		crawl_pass_problem(p, "%s: HTTP %d", r->url, r->status);
		*failed = 1;
		return VIGIL_OK;
	}
	switch (e->kind) {
	case CRAWL_KIND_START:
		if (skind == CONFIG_SOURCE_FEED || skind == CONFIG_SOURCE_SITEMAP)
			code = handle_feed(p, src, r, e, failed);
		else if (skind == CONFIG_SOURCE_CHANNEL)
			code = handle_channel(p, src, r, capture_id, failed);
		else if (e->depth < src->config->depth)
			code = handle_links(p, src, r, e, failed);
		break;
	case CRAWL_KIND_FEED:
		code = handle_feed(p, src, r, e, failed);
		break;
	case CRAWL_KIND_PAGE:
		if (e->depth < src->config->depth)
			code = handle_links(p, src, r, e, failed);
		if (code == VIGIL_OK)
			code = handle_article(p, src, r, capture_id, failed);
		break;
	case CRAWL_KIND_ARTICLE:
	default:
		code = handle_article(p, src, r, capture_id, failed);
		break;
	}
	return code;
}
