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
#include "../common/textdiff.h"
#include "../common/utf8.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A known material's text shorter than this (in characters) is a stub:
 * archived, but not recorded as a version. (New pages must be articles:
 * crawl_page_is_article.) */
#define CRAWL_MIN_ARTICLE_CHARS 200
#define CRAWL_TITLE_CHARS 100
/* Sitemap indexes may nest; deeper than this is a loop or a trap. */
#define CRAWL_MAX_FEED_DEPTH 2
/* What is kept of a host's not-found page: enough words to recognise it. */
#define CRAWL_NOTFOUND_TEXT_BYTES 4096

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
	/* The title is the text's first line: the classifier gets the text
	 * alone, or every hit of that line would count twice. */
	int title_from_text;
	const struct archive_channel_post *channel; /* a channel post, or NULL */
	const char *final_url;  /* a moved article's new address, or NULL */
	int minor;              /* a minor edit of the latest version */
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
 * stop the pass; a classifier failure is a page problem (*page_failed).
 * a: the classification of m's title and text made by crawl_analyse, or
 * NULL (classified here). */
static enum vigil_code record_material(struct crawl_pass *p, struct crawl_source_run *src,
				       const struct crawl_material *m,
				       const struct crawl_analysis *a, int *page_failed)
{
	struct parse_classification own = { 0 }, *cls_ptr = &own;
	struct archive_version_input in = { 0 };
	struct archive_region *regions = NULL;
	struct archive_hit *hits = NULL;
	struct vigil_error perr = { 0 };
	enum archive_change change = ARCHIVE_UNCHANGED;
	int64_t material_id = 0;
	enum vigil_code code = VIGIL_OK;
	const struct parse_classifier *c = p->opt->classifier;

	if (a && a->has_cls) {
		/* borrowed: released with the analysis */
		cls_ptr = (struct parse_classification *)&a->cls;
	} else if (a && c && a->cls_code != VIGIL_OK) {
		code = a->cls_code;
		vigil_error_set(&perr, code, "%s", a->cls_message);
	} else if (c) {
		code = parse_classify(c, m->title_from_text ? NULL : m->title, m->text,
				      src->config->region, &own, &perr);
	}
	if (c) {
		if (code == VIGIL_ERR_NOMEM)
			return vigil_error_set(p->err, code, "%s: %s", m->url, perr.message);
		if (code != VIGIL_OK) {
			crawl_pass_problem(p, "%s: %s", m->url, perr.message);
			*page_failed = 1;
			return VIGIL_OK;
		}
	}
	if (cls_ptr->region_count && !(regions = calloc(cls_ptr->region_count, sizeof(*regions))))
		goto nomem;
	if (cls_ptr->hit_count && !(hits = calloc(cls_ptr->hit_count, sizeof(*hits))))
		goto nomem;
	for (size_t i = 0; i < cls_ptr->region_count; i++) {
		const struct config_rule *rule = parse_classifier_region(c, cls_ptr->regions[i]);

		regions[i].id = cls_ptr->regions[i];
		regions[i].label = rule ? rule->label : NULL;
		regions[i].macro = rule ? rule->macro : NULL;
	}
	for (size_t i = 0; i < cls_ptr->hit_count; i++) {
		const struct parse_rule_hit *h = &cls_ptr->hits[i];

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
	in.final_url = m->final_url;
	in.minor = m->minor;
	in.relevant = cls_ptr->relevant;
	in.tone = tone_of(cls_ptr->tone);
	in.tone_score = cls_ptr->tone_score;
	in.categories = (const char *const *)cls_ptr->categories;
	in.category_count = cls_ptr->category_count;
	in.threats = (const char *const *)cls_ptr->threats;
	in.threat_count = cls_ptr->threat_count;
	in.regions = regions;
	in.region_count = cls_ptr->region_count;
	in.hits = hits;
	in.hit_count = cls_ptr->hit_count;
	in.channel = m->channel;
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
	parse_classification_release(&own);
	return code;
nomem:
	free(regions);
	free(hits);
	parse_classification_release(&own);
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

static const char *deletion_how(enum crawl_recheck_kind verdict)
{
	return verdict == CRAWL_RECHECK_REDIRECT ? "redirect" : "soft-404";
}

/* Where the answer r was read, when that is not the URL asked for: the
 * end of its redirects in key form (curl's effective URL of an answer
 * without redirects may be spelt differently, so key forms are compared).
 * malloc'd, or NULL. */
static char *redirect_target(const struct crawl_fetch_result *r)
{
	char *final = r->effective_url ? vigil_url_normalise(r->effective_url, NULL) : NULL;

	if (final && strcmp(final, r->url) == 0) {
		free(final);
		final = NULL;
	}
	return final;
}

/*
 * A 2xx answer r for material_url, a known material (asked for at its own
 * URL, or at the address it moved to): judged against the latest version
 * (crawl_judge_recheck). A page that stands where the article was is
 * recorded as the material's deletion, with this capture as the evidence,
 * and never becomes a version (*gone = 1). Otherwise *minor tells how to
 * record it (a move is recorded through final_url). final is where
 * redirects ended, or NULL. *known = 1 when material_url is a material.
 */
static enum vigil_code recheck_known(struct crawl_pass *p, const struct crawl_fetch_result *r,
				     const char *material_url, const char *final,
				     int64_t capture_id, const struct parse_document *doc,
				     const char *digest, int *known, int *gone, int *minor)
{
	struct archive_material_detail last = { 0 };
	struct archive_host host = { 0 };
	struct crawl_recheck in = { 0 };
	struct crawl_verdict verdict;
	struct vigil_error lookup_err = { 0 };
	char *origin = NULL;
	int has_host = 0, marked = 0;
	enum vigil_code code;

	*known = *gone = *minor = 0;
	code = archive_material_get(p->opt->store, material_url, 0, &last, &lookup_err);
	if (code == VIGIL_ERR_NOT_FOUND)
		return VIGIL_OK;
	*known = code == VIGIL_OK;
	if (code != VIGIL_OK)
		return vigil_error_set(p->err, code, "%s", lookup_err.message);
	origin = vigil_url_origin(r->url, NULL);
	if (origin) {
		code = archive_host_get(p->opt->store, origin, &host, &lookup_err);
		has_host = code == VIGIL_OK;
		if (code == VIGIL_ERR_NOT_FOUND)
			code = VIGIL_OK;
		else if (code != VIGIL_OK)
			code = vigil_error_set(p->err, code, "%s", lookup_err.message);
	}
	in.url = r->url;
	in.final_url = final;
	in.title = doc->title;
	in.text = doc->text;
	in.last_title = last.material.title;
	in.last_text = last.text;
	in.payload_digest = digest;
	in.host = has_host ? &host : NULL;
	in.notfound = p->opt->notfound_phrases;
	if (code == VIGIL_OK)
		code = crawl_judge_recheck(&in, &verdict, p->err);
	if (code != VIGIL_OK)
		goto out;
	switch (verdict.verdict) {
	case CRAWL_RECHECK_REDIRECT:
	case CRAWL_RECHECK_SOFT_404:
		*gone = 1;
		code = archive_material_mark_deleted(p->opt->store, material_url, r->fetched_at,
						     deletion_how(verdict.verdict), capture_id,
						     verdict.detail, &marked, p->err);
		if (code == VIGIL_OK && marked)
			p->sum->deleted++;
		break;
	case CRAWL_RECHECK_MOVED:
	case CRAWL_RECHECK_ARTICLE:
		*minor = vigil_edit_is_minor(last.material.title, last.text, doc->title, doc->text,
					     p->settings->minor_edit) == 1;
		break;
	}
out:
	free(origin);
	archive_host_release(&host);
	archive_material_detail_release(&last);
	return code;
}

/* An answer r (2xx) that may be an article: of the material material_url
 * (r->url itself, or the material that moved to r->url), or of a page
 * that becomes a material only if it is an article (crawl_page_is_article;
 * a known material is recorded whenever its text is long enough, so a
 * page never stops being one). may_be_known is 0 when the index holds no
 * material for r->url. a: the extraction and classification already made
 * (crawl_analyse), or NULL. */
static enum vigil_code handle_article(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct crawl_fetch_result *r, const char *material_url,
				      int may_be_known, int64_t capture_id,
				      const struct crawl_analysis *a, int *page_failed)
{
	struct parse_document own = { 0 };
	const struct parse_document *d = &own;
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;
	char *final = redirect_target(r);
	char digest[38];
	int gone = 0, minor = 0, unchanged = 0, known = 0, article = 1;

	/* The payload of the latest version again, read where it was read:
	 * the same text, so the same extraction and classification. Only
	 * last_seen and the schedule move (the capture is already stored). */
	vigil_sha1_digest(r->body, r->body_len, digest);
	code = final || strcmp(material_url, r->url) != 0
		       ? VIGIL_OK
		       : archive_material_touch_unchanged(p->opt->store, material_url, digest,
							  r->fetched_at, &unchanged, p->err);
	if (code != VIGIL_OK || unchanged) {
		if (code == VIGIL_OK) {
			struct crawl_material m = { .url = material_url, .fetched_at = r->fetched_at };

			p->sum->unchanged++;
			code = schedule_recheck(p, src, &m, ARCHIVE_UNCHANGED);
		}
		free(final);
		return code;
	}
	/* Feeds, sitemaps, images... reached as pages are no articles: spare
	 * the extraction. */
	if (!may_be_known && !crawl_body_is_html(r->content_type, r->body, r->body_len)) {
		free(final);
		return VIGIL_OK;
	}
	if (a && a->has_doc) {
		d = &a->doc;
	} else if (a && a->doc_code != VIGIL_OK) {
		free(final);
		return parse_failed(p, r, a->doc_code, a->doc_message, page_failed);
	} else {
		code = parse_extract(r->body, r->body_len, r->content_type, base, r->fetched_at,
				     &own, &perr);
		if (code != VIGIL_OK) {
			free(final);
			return parse_failed(p, r, code, perr.message, page_failed);
		}
	}
	/* reported, not counted: the page was read */
	for (size_t i = 0; i < d->warning_count; i++)
		crawl_pass_problem(p, "%s: %s", r->url, d->warnings[i]);
	code = recheck_known(p, r, material_url, final, capture_id, d, digest, &known, &gone,
			     &minor);
	if (code == VIGIL_OK && !gone && !known) {
		struct crawl_page page = { .url = r->url, .content_type = r->content_type,
					   .body = r->body, .body_len = r->body_len, .doc = d };

		article = crawl_page_is_article(&page, NULL);
	}
	if (code == VIGIL_OK && !gone && article && d->text &&
	    vigil_utf8_count_chars(d->text) >= CRAWL_MIN_ARTICLE_CHARS) {
		/* Where the text was read when that is not the material's URL:
		 * the end of redirects, or the address it moved to earlier. */
		const char *read_at = final ? final : strcmp(material_url, r->url) ? r->url : NULL;
		struct crawl_material m = {
			.url = material_url,
			.canonical_url = d->canonical_url,
			.title = d->title,
			.author = d->author,
			.published = d->published,
			.lang = d->language,
			.text = d->text,
			.fetched_at = r->fetched_at,
			.capture_id = capture_id,
			.final_url = read_at,
			.minor = minor,
		};

		code = record_material(p, src, &m, a && a->has_doc ? a : NULL, page_failed);
	}
	free(final);
	parse_document_release(&own);
	return code;
}

/* The answer to a probe of a URL that cannot exist: what this host shows
 * for a missing page, kept in its hosts row (archive_host_put_notfound).
 * A server error teaches nothing and is left alone. */
static enum vigil_code handle_probe(struct crawl_pass *p, const struct crawl_fetch_result *r)
{
	struct parse_document doc = { 0 };
	struct vigil_error perr = { 0 };
	struct archive_host host = { 0 };
	struct vigil_buf text = VIGIL_BUF_INIT;
	char digest[38];
	enum vigil_code code;
	size_t cut;

	if (r->status >= 500 || r->status < 200)
		return VIGIL_OK;
	code = parse_extract(r->body, r->body_len, r->content_type,
			     r->effective_url ? r->effective_url : r->url, r->fetched_at, &doc, &perr);
	if (code == VIGIL_ERR_NOMEM)
		return vigil_error_set(p->err, code, "%s: %s", r->url, perr.message);
	if (vigil_buf_printf(&text, "%s\n%s", doc.title ? doc.title : "", doc.text ? doc.text : "")) {
		parse_document_release(&doc);
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", r->url);
	}
	parse_document_release(&doc);
	cut = text.len < CRAWL_NOTFOUND_TEXT_BYTES ? text.len : CRAWL_NOTFOUND_TEXT_BYTES;
	while (cut > 0 && cut < text.len && ((unsigned char)text.data[cut] & 0xC0) == 0x80)
		cut--;
	text.data[cut] = '\0';
	vigil_sha1_digest(r->body, r->body_len, digest);
	host.origin = vigil_url_origin(r->url, NULL);
	host.notfound_status = r->status;
	host.notfound_digest = digest;
	host.notfound_text = text.data;
	host.notfound_at = r->fetched_at;
	if (!host.origin)
		code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", r->url);
	else
		code = archive_host_put_notfound(p->opt->store, &host, p->err);
	free(host.origin);
	vigil_buf_release(&text);
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
				    const struct archive_frontier_entry *e,
				    const struct crawl_analysis *a, int *page_failed)
{
	struct parse_links own = { 0 };
	const struct parse_links *links = &own;
	struct vigil_error perr = { 0 };
	enum vigil_code code = VIGIL_OK;
	const char *base = r->effective_url ? r->effective_url : r->url;

	if (a && a->has_links)
		links = &a->links;
	else if (a && a->list_code != VIGIL_OK)
		return parse_failed(p, r, a->list_code, a->list_message, page_failed);
	else
		code = parse_links(r->body, r->body_len, r->content_type, base, &own, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	for (size_t i = 0; i < links->count && code == VIGIL_OK; i++) {
		const char *url = links->items[i].url;

		int inside = 0;

		if (!url || binary_link(url))
			continue;
		/* A link dropped for lack of memory would be lost for good once
		 * the page is marked done: out of memory stops the pass. */
		code = vigil_url_scope_check(src->scope, url, &inside, p->err);
		if (code == VIGIL_OK && inside)
			code = discover(p, src, url, e->depth + 1, CRAWL_KIND_PAGE);
	}
	parse_links_release(&own);
	return code;
}

static enum vigil_code handle_feed(struct crawl_pass *p, struct crawl_source_run *src,
				   const struct crawl_fetch_result *r,
				   const struct archive_frontier_entry *e,
				   const struct crawl_analysis *a, int *page_failed)
{
	struct parse_feed own = { 0 };
	const struct parse_feed *feed = &own;
	struct vigil_error perr = { 0 };
	enum vigil_code code = VIGIL_OK;
	const char *base = r->effective_url ? r->effective_url : r->url;
	int index;

	if (a && a->has_feed)
		feed = &a->feed;
	else if (a && a->list_code != VIGIL_OK)
		return parse_failed(p, r, a->list_code, a->list_message, page_failed);
	else
		code = parse_feed(r->body, r->body_len, base, &own, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	/* A sitemap index lists sitemaps, not articles. */
	index = feed->is_index;
	for (size_t i = 0; i < feed->count && code == VIGIL_OK; i++) {
		const char *url = feed->items[i].url;
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
	parse_feed_release(&own);
	return code;
}

/* ---------------- channels ---------------- */

/* history_posts when a source has neither history key (config's default). */
#define CRAWL_DEFAULT_HISTORY_POSTS 200
/* Seconds in the steps of crawl_channel_post_due. */
#define CHANNEL_HOUR 3600
#define CHANNEL_DAY (24 * CHANNEL_HOUR)

int crawl_channel_post_due(int64_t now, int64_t first_seen, int64_t last_seen)
{
	int64_t age = now - first_seen, since = now - last_seen;

	if (age < CHANNEL_DAY)
		return 1;
	if (age < 7 * CHANNEL_DAY)
		return since >= 6 * CHANNEL_HOUR;
	if (age < 30 * CHANNEL_DAY)
		return since >= CHANNEL_DAY;
	return since >= 7 * CHANNEL_DAY;
}

/* Does url end with the query parameter param ("embed=1")? */
static int has_final_parameter(const char *url, const char *param)
{
	size_t len = strlen(url), plen = strlen(param);

	return len > plen + 1 && strcmp(url + len - plen, param) == 0 &&
	       (url[len - plen - 1] == '?' || url[len - plen - 1] == '&');
}

/* N of the "before=N" query parameter of url, or -1. */
static long long before_of(const char *url)
{
	return vigil_url_query_number(url, "before");
}

enum crawl_kind crawl_channel_entry_kind(const char *url, const char *start_url)
{
	if (start_url && !strcmp(url, start_url))
		return CRAWL_KIND_START;
	if (has_final_parameter(url, "embed=1"))
		return CRAWL_KIND_CHANNEL_EMBED;
	if (before_of(url) >= 0)
		return CRAWL_KIND_CHANNEL_PAGE;
	return CRAWL_KIND_ARTICLE;
}

/* Is the permalink url a post of channel name ("ORIGIN/NAME/N")? */
static int post_of_channel(const char *url, const char *name, size_t name_len)
{
	const char *slash = strrchr(url, '/'), *start;

	if (!slash || slash == url)
		return 0;
	start = slash;
	while (start > url && start[-1] != '/')
		start--;
	return (size_t)(slash - start) == name_len && strncasecmp(start, name, name_len) == 0;
}

/* Is number shown on the page, as a post or an album member? */
static int number_on_page(const struct parse_channel *ch, long long number)
{
	for (size_t i = 0; i < ch->count; i++) {
		if (ch->items[i].number == number)
			return 1;
		for (size_t k = 0; k < ch->items[i].album_count; k++)
			if (ch->items[i].album[k] == number)
				return 1;
	}
	return 0;
}

/* "a\nb" of the post's links, "41 42" of its album; NULL when empty or on
 * OOM (*oom set). */
static char *joined_links(const struct parse_channel_post *post, int *oom)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	if (!post->link_count)
		return NULL;
	for (size_t i = 0; i < post->link_count; i++)
		if ((i && vigil_buf_append(&buf, "\n", 1)) ||
		    vigil_buf_append_str(&buf, post->links[i]))
			*oom = 1;
	if (*oom) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

static char *joined_album(const struct parse_channel_post *post, int *oom)
{
	struct vigil_buf buf = VIGIL_BUF_INIT;

	if (!post->album_count)
		return NULL;
	for (size_t i = 0; i < post->album_count; i++)
		if (vigil_buf_printf(&buf, i ? " %lld" : "%lld", post->album[i]))
			*oom = 1;
	if (*oom) {
		vigil_buf_release(&buf);
		return NULL;
	}
	return vigil_buf_detach(&buf);
}

/* Does the album list "41 42 43" hold number? */
static int album_holds(const char *album, long long number)
{
	for (const char *p = album; p && *p;) {
		char *end;
		long long n = strtoll(p, &end, 10);

		if (end == p)
			return 0;
		if (n == number)
			return 1;
		p = end;
	}
	return 0;
}

/* Telegram albums hold at most 10 media. */
#define CHANNEL_ALBUM_MAX 10

/* An album whose first post was deleted comes back under the id of its
 * next member. It is still the same material: the live post among the
 * ids just before this one whose recorded album holds this post's number.
 * *lead is filled (the caller releases it) and *found set when there is
 * one; a post that is a material itself has none. */
static enum vigil_code album_lead(struct crawl_pass *p, const struct parse_channel_post *post,
				  struct archive_material_detail *lead, int *found)
{
	size_t prefix = post->url ? strlen(post->url) : 0;
	struct vigil_error get_err = { 0 };
	enum vigil_code code;

	*found = 0;
	if (!post->album_count || post->number <= 1 || post_number(post->url) != post->number)
		return VIGIL_OK;
	code = archive_material_get(p->opt->store, post->url, 0, lead, &get_err);
	archive_material_detail_release(lead);
	if (code == VIGIL_OK)
		return VIGIL_OK;
	while (prefix && post->url[prefix - 1] != '/')
		prefix--;
	for (long long k = 1; k < CHANNEL_ALBUM_MAX && k < post->number && code != VIGIL_OK; k++) {
		struct vigil_buf url = VIGIL_BUF_INIT;

		if (code != VIGIL_ERR_NOT_FOUND)
			break;
		if (vigil_buf_printf(&url, "%.*s%lld", (int)prefix, post->url, post->number - k))
			return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", post->url);
		code = archive_material_get(p->opt->store, url.data, 0, lead, &get_err);
		vigil_buf_release(&url);
		if (code == VIGIL_OK && !lead->material.deleted &&
		    album_holds(lead->channel.album, post->number)) {
			*found = 1;
			return VIGIL_OK;
		}
		if (code == VIGIL_OK) {
			archive_material_detail_release(lead);
			code = VIGIL_ERR_NOT_FOUND;
		}
	}
	if (code == VIGIL_OK || code == VIGIL_ERR_NOT_FOUND)
		return VIGIL_OK;
	return vigil_error_set(p->err, code, "%s", get_err.message);
}

static enum vigil_code record_post(struct crawl_pass *p, struct crawl_source_run *src,
				   const struct crawl_fetch_result *r, int64_t capture_id,
				   const struct parse_channel *ch,
				   const struct parse_channel_post *post, int *page_failed)
{
	struct archive_channel_post facts = { 0 };
	struct archive_material_detail lead = { 0 };
	struct crawl_material m = { 0 };
	enum vigil_code code;
	int oom = 0, continued = 0;
	char *title = first_line(post->text, CRAWL_TITLE_CHARS);

	code = album_lead(p, post, &lead, &continued);
	if (code != VIGIL_OK)
		goto done;
	facts.key = continued ? lead.channel.key : post->id;
	facts.channel = ch->title;
	facts.views = post->views;
	facts.edited = post->edited;
	facts.forwarded_from = post->forwarded_from;
	facts.forwarded_url = post->forwarded_url;
	facts.links = joined_links(post, &oom);
	facts.album = joined_album(post, &oom);
	if (!title || oom) {
		code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", r->url);
		goto done;
	}
	m.url = continued ? lead.material.url : post->url;
	m.title = title;
	m.title_from_text = 1;
	m.author = post->author;
	m.published = post->published;
	m.lang = post->language;
	m.text = post->text;
	m.fetched_at = r->fetched_at;
	m.capture_id = capture_id;
	m.channel = &facts;
	code = record_material(p, src, &m, NULL, page_failed);
done:
	archive_material_detail_release(&lead);
	free(title);
	free(facts.links);
	free(facts.album);
	return code;
}

/* The oldest post of the page that is a material (not a service message,
 * not an empty photo), or NULL. */
static const struct parse_channel_post *oldest_post(const struct parse_channel *ch)
{
	const struct parse_channel_post *oldest = NULL;

	for (size_t i = 0; i < ch->count; i++) {
		const struct parse_channel_post *post = &ch->items[i];

		if (post->service || !post->url || blank(post->text) || post->number <= 0)
			continue;
		if (!oldest || post->number < oldest->number)
			oldest = post;
	}
	return oldest;
}

/* Has the pass read far enough back? Asked before the page's posts are
 * recorded, so "seen" means seen by an earlier pass. */
static enum vigil_code history_done(struct crawl_pass *p, struct crawl_source_run *src,
				    const struct crawl_fetch_result *r,
				    const struct archive_frontier_entry *e,
				    const struct parse_channel *ch, int *done)
{
	const struct config_source *cfg = src->config;
	const struct parse_channel_post *oldest = oldest_post(ch);
	struct archive_material_detail known = { 0 };
	struct vigil_error get_err = { 0 };
	int64_t now = p->opt->now ? p->opt->now : r->fetched_at, published;
	long long before = e->kind == CRAWL_KIND_CHANNEL_PAGE ? before_of(r->url) : -1;
	/* A source built without the loader (neither key set) gets its default. */
	long long history_posts = cfg->history_posts > 0   ? cfg->history_posts
				  : cfg->history_days > 0 ? LLONG_MAX
							  : CRAWL_DEFAULT_HISTORY_POSTS;
	enum vigil_code code;

	*done = 1;
	if (ch->count == 0 || ch->min_number <= 1 || (before > 0 && ch->min_number >= before))
		return VIGIL_OK; /* the channel's start, or a server that ignores ?before */
	if ((long long)e->depth + (long long)ch->count >= history_posts)
		return VIGIL_OK;
	if (!oldest) {
		*done = 0;
		return VIGIL_OK;
	}
	if (cfg->history_days > 0 && oldest->published &&
	    vigil_parse_time(oldest->published, &published) == 0 &&
	    published < now - (int64_t)cfg->history_days * CHANNEL_DAY)
		return VIGIL_OK;
	code = archive_material_get(p->opt->store, oldest->url, 0, &known, &get_err);
	if (code == VIGIL_ERR_NOT_FOUND) {
		*done = 0;
		return VIGIL_OK;
	}
	if (code != VIGIL_OK)
		return vigil_error_set(p->err, code, "%s", get_err.message);
	*done = !known.material.deleted &&
		!crawl_channel_post_due(now, known.material.first_seen, known.material.last_seen);
	archive_material_detail_release(&known);
	return VIGIL_OK;
}

/* START?before=N (the start URL's query, if any, replaced). */
static enum vigil_code older_page(struct crawl_pass *p, struct crawl_source_run *src,
				  const struct crawl_fetch_result *r, long long before, int posts)
{
	struct vigil_buf url = VIGIL_BUF_INIT;
	enum vigil_code code;

	if (vigil_buf_printf(&url, "%.*s?before=%lld", (int)strcspn(r->url, "?#"), r->url, before))
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", r->url);
	code = discover(p, src, url.data, posts, CRAWL_KIND_CHANNEL_PAGE);
	vigil_buf_release(&url);
	return code;
}

/* May the missing post url (number n) be judged by its embed page? Yes,
 * unless it is an album that lost its first post and lives on under
 * another id (its recorded album lacks n): then only when every member
 * lies inside the window [low, high] and none is on the page. */
static enum vigil_code album_gone(struct crawl_pass *p, const char *url, long long n,
				  const struct parse_channel *ch, long long low, long long high,
				  int *judge)
{
	struct archive_material_detail d = { 0 };
	struct vigil_error get_err = { 0 };
	enum vigil_code code = archive_material_get(p->opt->store, url, 0, &d, &get_err);

	*judge = 1;
	if (code == VIGIL_ERR_NOT_FOUND)
		return VIGIL_OK;
	if (code != VIGIL_OK)
		return vigil_error_set(p->err, code, "%s", get_err.message);
	if (d.channel.album && !album_holds(d.channel.album, n)) {
		for (const char *s = d.channel.album; *s && *judge;) {
			char *end;
			long long member = strtoll(s, &end, 10);

			if (end == s)
				break;
			if (member < low || member > high || number_on_page(ch, member))
				*judge = 0;
			s = end;
		}
	}
	archive_material_detail_release(&d);
	return VIGIL_OK;
}

/* Live posts of this channel inside the window [low, high] the page covers
 * but not on it get an embed check: only an error block there is a
 * deletion. Posts below the window merely scrolled off; ids never seen as
 * posts (album members, service messages, gaps) are not materials. */
static enum vigil_code check_missing(struct crawl_pass *p, struct crawl_source_run *src,
				     const struct archive_frontier_entry *e,
				     const struct parse_channel *ch, long long low, long long high)
{
	const char *name = ch->count ? ch->items[0].id : NULL;
	size_t name_len = name ? strcspn(name, "/") : 0;
	char **live = NULL;
	size_t live_count = 0;
	enum vigil_code code;

	if (!name || low <= 0 || high < low)
		return VIGIL_OK;
	code = archive_material_live_urls(p->opt->store, src->source_id, &live, &live_count,
					  p->err);
	for (size_t i = 0; i < live_count; i++) {
		long long n = post_number(live[i]);
		int judge = 0;

		if (code == VIGIL_OK && n >= low && n <= high && !number_on_page(ch, n) &&
		    post_of_channel(live[i], name, name_len) && !strchr(live[i], '?'))
			code = album_gone(p, live[i], n, ch, low, high, &judge);
		if (code == VIGIL_OK && judge) {
			struct vigil_buf url = VIGIL_BUF_INIT;

			if (vigil_buf_printf(&url, "%s?embed=1", live[i]))
				code = vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory",
						       live[i]);
			else
				code = discover(p, src, url.data, e->depth,
						CRAWL_KIND_CHANNEL_EMBED);
			vigil_buf_release(&url);
		}
		free(live[i]);
	}
	free(live);
	return code;
}

/* A channel page, the start page or an older one (?before=N): its posts
 * become materials, posts missing inside its window get an embed check,
 * and the next older page is queued until the history is read. */
static enum vigil_code handle_channel(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct crawl_fetch_result *r,
				      const struct archive_frontier_entry *e, int64_t capture_id,
				      int *page_failed)
{
	struct parse_channel ch = { 0 };
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;
	long long before = e->kind == CRAWL_KIND_CHANNEL_PAGE ? before_of(r->url) : -1;
	int done = 1;

	code = parse_channel_page(r->body, r->body_len, r->content_type, base, &ch, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	code = history_done(p, src, r, e, &ch, &done);
	for (size_t i = 0; i < ch.count && code == VIGIL_OK; i++) {
		const struct parse_channel_post *post = &ch.items[i];

		if (post->service || !post->url || blank(post->text))
			continue;
		code = record_post(p, src, r, capture_id, &ch, post, page_failed);
	}
	/* The window of the start page is what it shows; an older page covers
	 * everything below its cursor down to its oldest id. */
	if (code == VIGIL_OK)
		code = check_missing(p, src, e, &ch, ch.min_number,
				     before > 0 ? before - 1 : ch.max_number);
	if (code == VIGIL_OK && !done)
		code = older_page(p, src, r, ch.min_number, e->depth + (int)ch.count);
	parse_channel_release(&ch);
	return code;
}

/* A post's embed page: an error block ("Post not found") confirms that the
 * post the channel no longer shows is deleted, at this fetch's time. */
static enum vigil_code handle_channel_embed(struct crawl_pass *p,
					    const struct crawl_fetch_result *r,
					    int64_t capture_id, int *page_failed)
{
	struct parse_channel_embed embed = { 0 };
	struct vigil_error perr = { 0 };
	enum vigil_code code;
	const char *base = r->effective_url ? r->effective_url : r->url;
	size_t len = strlen(r->url);
	char *material;
	int marked = 0;

	if (!has_final_parameter(r->url, "embed=1"))
		return VIGIL_OK;
	code = parse_channel_embed(r->body, r->body_len, r->content_type, base, &embed, &perr);
	if (code != VIGIL_OK)
		return parse_failed(p, r, code, perr.message, page_failed);
	if (embed.state == PARSE_EMBED_UNKNOWN)
		crawl_pass_problem(p, "%s: neither the post nor an error block; the post is not "
			"taken as deleted", r->url);
	if (embed.state != PARSE_EMBED_ERROR) {
		parse_channel_embed_release(&embed);
		return VIGIL_OK;
	}
	parse_channel_embed_release(&embed);
	material = strndup(r->url, len - strlen("?embed=1"));
	if (!material)
		return vigil_error_set(p->err, VIGIL_ERR_NOMEM, "%s: out of memory", r->url);
	code = archive_material_mark_deleted(p->opt->store, material, r->fetched_at, "channel",
					     capture_id, NULL, &marked, p->err);
	if (code == VIGIL_ERR_NOT_FOUND)
		code = VIGIL_OK;
	if (marked)
		p->sum->deleted++;
	free(material);
	return code;
}

/* ---------------- analysis: the parser's work, without the index ---------------- */

void crawl_analysis_release(struct crawl_analysis *a)
{
	if (!a)
		return;
	parse_links_release(&a->links);
	parse_feed_release(&a->feed);
	parse_document_release(&a->doc);
	parse_classification_release(&a->cls);
	memset(a, 0, sizeof(*a));
}

/* The answer's page, read once for links and extraction (parse_page_read
 * is the only decode and libxml2 parse); *page stays NULL when reading
 * failed, and the caller frees it. Links must be taken before extraction,
 * which reshapes the tree (parser.h). */
static enum vigil_code analysis_page(const struct crawl_fetch_result *r, struct parse_page **page,
				     struct vigil_error *err)
{
	const char *base = r->effective_url ? r->effective_url : r->url;

	if (*page)
		return VIGIL_OK;
	return parse_page_read(r->body, r->body_len, r->content_type, base, page, err);
}

static void analyse_list(const struct crawl_fetch_result *r, int feed, struct parse_page **page,
			 struct crawl_analysis *a)
{
	struct vigil_error perr = { 0 };
	const char *base = r->effective_url ? r->effective_url : r->url;

	if (feed)
		a->list_code = parse_feed(r->body, r->body_len, base, &a->feed, &perr);
	else if (r->body_len == 0)
		a->list_code = VIGIL_OK; /* an empty page has no links */
	else if ((a->list_code = analysis_page(r, page, &perr)) == VIGIL_OK)
		a->list_code = parse_page_links(*page, &a->links, &perr);
	if (a->list_code == VIGIL_OK)
		*(feed ? &a->has_feed : &a->has_links) = 1;
	else
		snprintf(a->list_message, sizeof(a->list_message), "%s", perr.message);
}

/* What handle_article parses and classifies, when it will: an HTML page
 * (a page that is no HTML is left alone there, or extracted when it is a
 * known material: then the apply step does it). */
static void analyse_article(const struct crawl_options *opt, const struct config_source *cfg,
			    const struct crawl_fetch_result *r, struct parse_page **page,
			    struct crawl_analysis *a)
{
	struct vigil_error perr = { 0 };

	if (!crawl_body_is_html(r->content_type, r->body, r->body_len))
		return;
	a->doc_code = analysis_page(r, page, &perr);
	if (a->doc_code == VIGIL_OK)
		a->doc_code = parse_page_extract(*page, r->fetched_at, &a->doc, &perr);
	if (a->doc_code != VIGIL_OK) {
		snprintf(a->doc_message, sizeof(a->doc_message), "%s", perr.message);
		return;
	}
	a->has_doc = 1;
	if (!opt->classifier || !a->doc.text ||
	    vigil_utf8_count_chars(a->doc.text) < CRAWL_MIN_ARTICLE_CHARS)
		return;
	a->cls_code = parse_classify(opt->classifier, a->doc.title, a->doc.text, cfg->region,
				     &a->cls, &perr);
	if (a->cls_code == VIGIL_OK)
		a->has_cls = 1;
	else
		snprintf(a->cls_message, sizeof(a->cls_message), "%s", perr.message);
}

/* Mirrors the dispatch of crawl_ingest_analysed; what is not analysed
 * here (probes, channels, embeds) is parsed there. */
void crawl_analyse(const struct crawl_options *opt, const struct config_source *cfg,
		   const struct archive_frontier_entry *e, const struct crawl_fetch_result *r,
		   int skip_article, struct crawl_analysis *a)
{
	int feed = crawl_body_is_feed(r->content_type, r->body, r->body_len);
	struct parse_page *page = NULL;

	memset(a, 0, sizeof(*a));
	if (r->truncated || r->status < 200 || r->status >= 300)
		return;
	switch (e->kind) {
	case CRAWL_KIND_START:
		if (cfg->kind == CONFIG_SOURCE_FEED || cfg->kind == CONFIG_SOURCE_SITEMAP)
			analyse_list(r, 1, &page, a);
		else if (cfg->kind != CONFIG_SOURCE_CHANNEL && e->depth < cfg->depth)
			analyse_list(r, 0, &page, a);
		break;
	case CRAWL_KIND_FEED:
		analyse_list(r, 1, &page, a);
		break;
	case CRAWL_KIND_PAGE:
		if (e->depth < cfg->depth)
			analyse_list(r, feed, &page, a);
		if (!skip_article)
			analyse_article(opt, cfg, r, &page, a);
		break;
	case CRAWL_KIND_ARTICLE:
		if (!skip_article)
			analyse_article(opt, cfg, r, &page, a);
		break;
	default:
		break;
	}
	parse_page_free(&page);
}

/* ---------------- one response ---------------- */

enum vigil_code crawl_ingest(struct crawl_pass *p, struct crawl_source_run *src,
			     const struct archive_frontier_entry *e,
			     const struct crawl_fetch_result *r, int64_t capture_id, int *failed)
{
	return crawl_ingest_analysed(p, src, e, r, capture_id, NULL, failed);
}

enum vigil_code crawl_ingest_analysed(struct crawl_pass *p, struct crawl_source_run *src,
				      const struct archive_frontier_entry *e,
				      const struct crawl_fetch_result *r, int64_t capture_id,
				      const struct crawl_analysis *a, int *failed)
{
	enum config_source_kind skind = src->config->kind;
	enum vigil_code code = VIGIL_OK;
	char *material_url = NULL;

	if (r->truncated) {
		/* A cut page is not an edit (nor a whole new material): it is
		 * archived, flagged truncated in the WARC and the index, and
		 * no version comes of it. */
		crawl_pass_problem(p, "%s: %s; archived as truncated, not recorded as a version", r->url,
			r->error ? r->error : "body cut at max_body");
		*failed = 1;
		return VIGIL_OK;
	}
	if (e->kind == CRAWL_KIND_PROBE)
		return handle_probe(p, r);
	if (e->kind == CRAWL_KIND_ARTICLE || e->kind == CRAWL_KIND_PAGE) {
		/* The material this URL stands for: its own, or one that moved
		 * here (a recheck asks at the new address). */
		struct vigil_error lookup_err = { 0 };

		code = archive_material_resolve(p->opt->store, r->url, &material_url, &lookup_err);
		if (code == VIGIL_ERR_NOT_FOUND)
			code = VIGIL_OK;
		else if (code != VIGIL_OK)
			return vigil_error_set(p->err, code, "%s", lookup_err.message);
	}
	if ((r->status == 404 || r->status == 410) &&
	    (e->kind == CRAWL_KIND_ARTICLE || e->kind == CRAWL_KIND_PAGE)) {
		int marked = 0;

		if (material_url)
			code = archive_material_mark_deleted(p->opt->store, material_url, r->fetched_at,
							     r->status == 404 ? "404" : "410",
							     capture_id, NULL, &marked, p->err);
		if (marked)
			p->sum->deleted++;
		free(material_url);
		return code;
	}
	if (r->status < 200 || r->status >= 300) {
		crawl_pass_problem(p, "%s: HTTP %d", r->url, r->status);
		*failed = 1;
		free(material_url);
		return VIGIL_OK;
	}
	switch (e->kind) {
	case CRAWL_KIND_START:
		if (skind == CONFIG_SOURCE_FEED || skind == CONFIG_SOURCE_SITEMAP)
			code = handle_feed(p, src, r, e, a, failed);
		else if (skind == CONFIG_SOURCE_CHANNEL)
			code = handle_channel(p, src, r, e, capture_id, failed);
		else if (e->depth < src->config->depth)
			code = handle_links(p, src, r, e, a, failed);
		break;
	case CRAWL_KIND_FEED:
		code = handle_feed(p, src, r, e, a, failed);
		break;
	case CRAWL_KIND_PAGE:
		/* A feed or sitemap linked from the site: its items are links */
		if (e->depth < src->config->depth)
			code = crawl_body_is_feed(r->content_type, r->body, r->body_len)
				       ? handle_feed(p, src, r, e, a, failed)
				       : handle_links(p, src, r, e, a, failed);
		if (code == VIGIL_OK)
			code = handle_article(p, src, r, material_url ? material_url : r->url,
					      material_url != NULL, capture_id, a, failed);
		break;
	case CRAWL_KIND_CHANNEL_PAGE:
		if (skind == CONFIG_SOURCE_CHANNEL)
			code = handle_channel(p, src, r, e, capture_id, failed);
		break;
	case CRAWL_KIND_CHANNEL_EMBED:
		if (skind == CONFIG_SOURCE_CHANNEL)
			code = handle_channel_embed(p, r, capture_id, failed);
		break;
	case CRAWL_KIND_ARTICLE:
	default:
		code = handle_article(p, src, r, material_url ? material_url : r->url,
				      material_url != NULL, capture_id, a, failed);
		break;
	}
	free(material_url);
	return code;
}
