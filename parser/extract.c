/*
 * extract.c: the main text of an article page, and parse_extract().
 *
 * The method is Mozilla Readability's (score paragraphs, give the score to
 * their ancestors, take the best container and its matching siblings, then
 * clean it), with additions for the pages vigil reads: related-news blocks
 * found by their heading ("Рекомендуем", "Читайте также", ...), class names
 * of Russian-language CMS templates, byline/date lines and share bars
 * removed from the container, and serialisation into paragraphs.
 *
 * Each attempt works on a copy of the parsed tree because cleaning is
 * destructive. When the result is short, the attempt is repeated with the
 * aggressive steps turned off one by one (as Readability does) and the
 * longest result wins.
 */
#include "parser_int.h"
#include "../common/utf8.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/tree.h>

#define FLAG_STRIP_UNLIKELY 0x1
#define FLAG_WEIGHT_CLASSES 0x2
#define FLAG_CLEAN_CONDITIONALLY 0x4
#define FLAGS_ALL 0x7

#define MIN_ARTICLE_CHARS 500 /* below this, retry with fewer heuristics */
#define TOP_CANDIDATES 5
#define RETRY_KEEPS 0.5 /* share of the earlier attempt's words a longer retry must hold */
#define HINT_MIN_CHARS 500 /* JSON-LD articleBody worth falling back to */
#define KEEP_SHARE 0.75 /* of the best score: candidates cleaning keeps */
#define MATCH_MAX 512         /* class + id string kept for matching */
#define RELATED_OWN_TEXT 300 /* non-link text a related-news block may hold */
#define LINK_BLOCK_CHARS 200
#define LINK_BLOCK_DENSITY 0.7
#define TEXT_MAX ((size_t)16 * 1024 * 1024) /* cap on the extracted text */
#define CANDIDATE_SAMPLE 50000 /* characters read for a candidate's link density */

struct node_info {
	double score;
	double alike_sum;  /* sum of the scores of its candidate children of */
	size_t alike_count;/* the most common kind (tag and class), and their count */
	int keep;       /* a strong candidate: cleaning must not drop its blocks */
	int data_table; /* tables only: -1 not computed, 0 layout, 1 data */
};

struct extractor {
	int flags;
	const char *title;      /* for dropping a heading that repeats it */
	xmlNodePtr title_place; /* parent of that heading, where the article starts */
	int merged;             /* the best block is a run of alike blocks */
	int other_story;        /* another story on the page outscored the article */
	struct node_info *info; /* indexed by node->_private - 1 */
	size_t info_count, info_cap;
	xmlNodePtr *to_score;
	size_t to_score_count, to_score_cap;
	xmlNodePtr *candidates;
	size_t candidate_count, candidate_cap;
	/* Removed nodes, freed only when the attempt ends: walkers and saved
	 * pointers (body, candidates, scoring lists) may still hold them. */
	xmlNodePtr *removed;
	size_t removed_count, removed_cap;
	int oom;
	int byline_done;
	int title_done;
};

/* ------------------------------------------------------------ tree helpers */

static int is_element(xmlNodePtr n)
{
	return n && n->type == XML_ELEMENT_NODE;
}

static int is_text(xmlNodePtr n)
{
	return n && (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE);
}

static int tag_is(xmlNodePtr n, const char *name)
{
	return is_element(n) && n->name[0] == (xmlChar)name[0] &&
	       strcmp((const char *)n->name, name) == 0;
}

static int name_in(xmlNodePtr n, const char *const *list)
{
	if (!is_element(n))
		return 0;
	/* the first byte rules out most names without a call (hot: every
	 * pass asks this of every element) */
	for (; *list; list++)
		if (n->name[0] == (xmlChar)(*list)[0] && strcmp((const char *)n->name, *list) == 0)
			return 1;
	return 0;
}

static int is_heading(xmlNodePtr n)
{
	static const char *const headings[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };

	return name_in(n, headings);
}

static xmlNodePtr first_element(xmlNodePtr n)
{
	for (n = n->children; n; n = n->next)
		if (is_element(n))
			return n;
	return NULL;
}

static xmlNodePtr next_element(xmlNodePtr n)
{
	for (n = n->next; n; n = n->next)
		if (is_element(n))
			return n;
	return NULL;
}

static size_t element_children(xmlNodePtr n)
{
	size_t count = 0;

	for (xmlNodePtr c = n->children; c; c = c->next)
		count += is_element(c);
	return count;
}

/* Next element in document order below root; skip_children skips n's own. */
static xmlNodePtr next_node(xmlNodePtr n, xmlNodePtr root, int skip_children)
{
	xmlNodePtr c;

	if (!skip_children && (c = first_element(n)) != NULL)
		return c;
	while (n && n != root) {
		if ((c = next_element(n)) != NULL)
			return c;
		n = n->parent;
	}
	return NULL;
}

/*
 * No pass frees a node: a removed node is unlinked and kept on ex->removed
 * until the attempt ends, so a pointer that a walker, a scoring list or the
 * body pointer still holds stays valid (it simply leads nowhere: a removed
 * node has no parent and no siblings). Freed by extractor_reset.
 */
static int reserve_removed(struct extractor *ex)
{
	if (ex->removed_count == ex->removed_cap) {
		size_t cap = ex->removed_cap ? ex->removed_cap * 2 : 64;
		xmlNodePtr *grown = realloc(ex->removed, cap * sizeof(*grown));

		if (!grown) {
			ex->oom = 1;
			return 0;
		}
		ex->removed = grown;
		ex->removed_cap = cap;
	}
	return 1;
}

/* Unlink n for good. Out of memory leaves n in place (and sets ex->oom,
 * which discards the attempt). */
static void remove_node(struct extractor *ex, xmlNodePtr n)
{
	if (!reserve_removed(ex))
		return;
	xmlUnlinkNode(n);
	ex->removed[ex->removed_count++] = n;
}

/* Put replacement (new or from elsewhere in the tree) where old is, and
 * remove old. Returns 0 when nothing changed (out of memory). */
static int replace_node(struct extractor *ex, xmlNodePtr old, xmlNodePtr replacement)
{
	if (!reserve_removed(ex))
		return 0;
	xmlReplaceNode(old, replacement);
	ex->removed[ex->removed_count++] = old;
	return 1;
}

/* Make n the last child of parent. Linked by hand: xmlAddChild merges a
 * text node into a preceding one and frees it, which would leave callers
 * holding a freed pointer. */
static void move_into(xmlNodePtr parent, xmlNodePtr n)
{
	xmlUnlinkNode(n);
	n->parent = parent;
	n->prev = parent->last;
	n->next = NULL;
	if (parent->last)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
}

static xmlNodePtr remove_and_next(struct extractor *ex, xmlNodePtr n, xmlNodePtr root)
{
	xmlNodePtr next = next_node(n, root, 1);

	remove_node(ex, n);
	return next;
}

/* 1 when n is above (or is) descendant. */
static int is_ancestor(xmlNodePtr n, xmlNodePtr descendant)
{
	for (; descendant; descendant = descendant->parent)
		if (descendant == n)
			return 1;
	return 0;
}

static int has_ancestor(xmlNodePtr n, const char *name, int max_depth)
{
	int depth = 0;

	for (n = n->parent; is_element(n); n = n->parent) {
		if (max_depth > 0 && depth++ >= max_depth)
			return 0;
		if (tag_is(n, name))
			return 1;
	}
	return 0;
}

static int is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_blank_text(const xmlChar *t)
{
	for (; t && *t; t++) {
		if (is_space_byte(*t))
			continue;
		if (t[0] == 0xC2 && t[1] == 0xA0) { /* no-break space */
			t++;
			continue;
		}
		return 0;
	}
	return 1;
}

/* Whitespace-only text or <br>, which Readability treats alike. */
static int is_whitespace_node(xmlNodePtr n)
{
	return (is_text(n) && is_blank_text(n->content)) || tag_is(n, "br");
}

/* ------------------------------------------------------------ text stats */

struct text_stats {
	double chars;      /* code points, whitespace runs counted once */
	double link_chars; /* of which inside <a>, in-page anchors at 0.3 */
	size_t commas;
	double stop_above; /* stop counting past this many chars */
};

/* stats_text for a weight of 0 or 1, where counting in integers gives the
 * same sums: these statistics are asked of every ancestor of much of the
 * text, so this loop is among the hottest of the extraction. */
static void stats_text_whole(const xmlChar *t, int link, struct text_stats *s, int *in_space)
{
	/* chars stays an integer-valued double: counting on from it is exact */
	size_t chars = 0, commas = 0;
	double limit = s->stop_above - s->chars;
	int space = *in_space;

	for (; *t && (double)chars <= limit; t++) {
		unsigned char c = *t;

		if (c >= 0x21 && c < 0x80 && c != ',') { /* most bytes */
			space = 0;
			chars++;
			continue;
		}
		if ((c & 0xC0) == 0x80)
			continue;
		if (is_space_byte(c) || (t[0] == 0xC2 && t[1] == 0xA0)) {
			chars += !space;
			space = 1;
			continue;
		}
		space = 0;
		chars++;
		if (c == ',' || (t[0] == 0xEF && t[1] == 0xBC && t[2] == 0x8C) || /* ， */
		    (t[0] == 0xD8 && t[1] == 0x8C) ||				 /* ، */
		    (t[0] == 0xE3 && t[1] == 0x80 && t[2] == 0x81))		 /* 、 */
			commas++;
	}
	s->chars += (double)chars;
	if (link)
		s->link_chars += (double)chars;
	s->commas += commas;
	*in_space = space;
}

static void stats_text(const xmlChar *t, double link_weight, struct text_stats *s, int *in_space)
{
	if (link_weight == 0 || link_weight == 1) {
		stats_text_whole(t, link_weight == 1, s, in_space);
		return;
	}
	for (; *t && s->chars <= s->stop_above; t++) {
		if ((*t & 0xC0) == 0x80)
			continue;
		if (is_space_byte(*t) || (t[0] == 0xC2 && t[1] == 0xA0)) {
			if (!*in_space) {
				s->chars += 1;
				s->link_chars += link_weight;
			}
			*in_space = 1;
			continue;
		}
		*in_space = 0;
		s->chars += 1;
		s->link_chars += link_weight;
		if (*t == ',' || (t[0] == 0xEF && t[1] == 0xBC && t[2] == 0x8C) || /* ， */
		    (t[0] == 0xD8 && t[1] == 0x8C) ||				 /* ، */
		    (t[0] == 0xE3 && t[1] == 0x80 && t[2] == 0x81))		 /* 、 */
			s->commas++;
	}
}

static void stats_walk(xmlNodePtr n, double link_weight, struct text_stats *s, int *in_space)
{
	for (xmlNodePtr c = n->children; c && s->chars <= s->stop_above; c = c->next) {
		if (is_text(c) && c->content) {
			stats_text(c->content, link_weight, s, in_space);
		} else if (is_element(c)) {
			double w = link_weight;

			if (w == 0 && tag_is(c, "a")) {
				const char *href = parse_attr(c, "href");

				w = href && href[0] == '#' && href[1] ? 0.3 : 1.0;
			}
			stats_walk(c, w, s, in_space);
		}
	}
}

/*
 * Text statistics of n, counting stops once chars passes at_most + 1 (so a
 * capped count still compares right against at_most): callers that only
 * ask "under 200 characters?" must not read a deep subtree's text once per
 * ancestor, which would make deep pages quadratic up to the depth cap.
 */
static struct text_stats node_stats_upto(xmlNodePtr n, double at_most)
{
	struct text_stats s = { 0, 0, 0, at_most + 1 };
	int in_space = 1;

	if (is_text(n) && n->content)
		stats_text(n->content, 0, &s, &in_space);
	else if (is_element(n))
		stats_walk(n, tag_is(n, "a") ? 1.0 : 0, &s, &in_space);
	if (in_space && s.chars > 0)
		s.chars -= 1; /* the trailing space */
	if (s.link_chars > s.chars)
		s.link_chars = s.chars;
	return s;
}

static struct text_stats node_stats(xmlNodePtr n)
{
	return node_stats_upto(n, HUGE_VAL);
}

static double link_density(const struct text_stats *s)
{
	return s->chars > 0 ? s->link_chars / s->chars : 0;
}

static size_t count_tag(xmlNodePtr n, const char *name)
{
	size_t count = 0;

	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (!is_element(c))
			continue;
		count += tag_is(c, name);
		count += count_tag(c, name);
	}
	return count;
}

/* Characters of text inside descendants named name (e.g. headings, lists). */
static double text_in_tags(xmlNodePtr n, const char *const *names)
{
	double sum = 0;

	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (!is_element(c))
			continue;
		if (name_in(c, names))
			sum += node_stats(c).chars;
		else
			sum += text_in_tags(c, names);
	}
	return sum;
}

/* Text of n, at most cap bytes (longer text gives NULL): for short labels. */
static int short_text(xmlNodePtr n, char *out, size_t cap, size_t *used)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is_text(c) && c->content) {
			size_t len = strlen((const char *)c->content);

			if (*used + len >= cap)
				return 0;
			memcpy(out + *used, c->content, len);
			*used += len;
		} else if (is_element(c)) {
			if (tag_is(c, "br") && *used + 1 < cap)
				out[(*used)++] = ' ';
			if (!short_text(c, out, cap, used))
				return 0;
		}
	}
	out[*used] = '\0';
	return 1;
}

/* ------------------------------------------------------------ class names */

/* Lower-cased "class id" of n into out. */
static const char *match_string(xmlNodePtr n, char out[MATCH_MAX])
{
	const char *cls = parse_attr(n, "class"), *id = parse_attr(n, "id");
	size_t o = 0;

	out[0] = '\0';
	for (int k = 0; k < 2; k++) {
		const char *v = k == 0 ? cls : id;

		if (!v)
			continue;
		if (o && o + 1 < MATCH_MAX)
			out[o++] = ' ';
		for (; *v && o + 1 < MATCH_MAX; v++)
			out[o++] = (char)tolower((unsigned char)*v);
	}
	out[o] = '\0';
	return out;
}

static int contains_any(const char *hay, const char *const *needles)
{
	for (; *needles; needles++)
		if (strstr(hay, *needles))
			return 1;
	return 0;
}

/* 1 when one of the words of hay (split at anything not a letter or digit)
 * is in words. */
static int has_word(const char *hay, const char *const *words)
{
	const char *p = hay;

	while (*p) {
		const char *start;
		size_t len;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		start = p;
		while (isalnum((unsigned char)*p))
			p++;
		len = (size_t)(p - start);
		if (!len)
			continue;
		for (const char *const *w = words; *w; w++)
			if (strlen(*w) == len && memcmp(*w, start, len) == 0)
				return 1;
	}
	return 0;
}

static const char *const unlikely_parts[] = {
	"-ad-", "ai2html", "banner", "breadcrumb", "combx", "comment", "community",
	"cover-wrap", "disqus", "extra", "footer", "gdpr", "header", "legends", "menu",
	"related", "remark", "replies", "rss", "shoutbox", "sidebar", "skyscraper", "social",
	"sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
	"yom-remote", "navbar", "navigation", "cookie", "newsletter", "subscribe", "recommend",
	NULL
};
static const char *const maybe_parts[] = {
	"and", "article", "body", "column", "content", "main", "mathjax", "shadow", NULL
};
static const char *const positive_parts[] = {
	"article", "body", "content", "entry", "hentry", "h-entry", "main", "page",
	"pagination", "post", "text", "blog", "story", NULL
};
static const char *const negative_parts[] = {
	"-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr",
	"masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share",
	"shoutbox", "sidebar", "skyscraper", "sponsor", "shopping", "tags", "widget",
	"recommend", "subscribe", "newsletter", "cookie", NULL
};
static const char *const byline_parts[] = {
	"byline", "author", "dateline", "writtenby", "p-author", NULL
};
/* Words that mark a block as page furniture even inside an article-ish
 * container; removed only when the block holds little of its own text. */
static const char *const furniture_words[] = {
	"nav", "menu", "share", "sharing", "social", "related", "recommend", "recommended",
	"cookie", "cookies", "consent", "newsletter", "subscribe", "subscription", "promo",
	"ad", "ads", "advert", "advertisement", "adv", "banner", "sponsored", "breadcrumb",
	"breadcrumbs", "tags", "tag", "comments", "comment", "popular", "trending",
	"readmore", "toolbar", "print", "rating", "donate", "paywall", NULL
};
static const char *const comment_words[] = {
	"comment", "comments", "disqus", "respond", "replies", "commentlist", "discussion",
	NULL
};
static const char *const caption_words[] = {
	"caption", "captions", "credit", "credits", "copyright", "photo-credit", "wp-caption",
	NULL
};
static const char *const dateline_words[] = {
	"date", "time", "timestamp", "dateline", "published", "pubdate", "posted", "meta",
	"byline", "author", "views", NULL
};

static int class_weight(struct extractor *ex, xmlNodePtr n)
{
	const char *cls = parse_attr(n, "class"), *id = parse_attr(n, "id");
	const char *itemprop = parse_attr(n, "itemprop");
	char low[MATCH_MAX];
	int weight = 0;

	if (!(ex->flags & FLAG_WEIGHT_CLASSES))
		return 0;
	for (int k = 0; k < 2; k++) {
		const char *v = k == 0 ? cls : id;
		size_t o = 0;

		if (!v || !*v)
			continue;
		for (; *v && o + 1 < sizeof(low); v++)
			low[o++] = (char)tolower((unsigned char)*v);
		low[o] = '\0';
		if (contains_any(low, negative_parts) || strcmp(low, "hid") == 0)
			weight -= 25;
		if (contains_any(low, positive_parts))
			weight += 25;
	}
	if (itemprop && strstr(itemprop, "articleBody"))
		weight += 25;
	return weight;
}

/* ------------------------------------------------------------ node scores */

static struct node_info *info_of(struct extractor *ex, xmlNodePtr n)
{
	uintptr_t idx = (uintptr_t)n->_private;

	return idx && idx <= ex->info_count ? &ex->info[idx - 1] : NULL;
}

static struct node_info *info_new(struct extractor *ex, xmlNodePtr n)
{
	struct node_info *info = info_of(ex, n);

	if (info)
		return info;
	if (ex->info_count == ex->info_cap) {
		size_t cap = ex->info_cap ? ex->info_cap * 2 : 256;
		struct node_info *grown = realloc(ex->info, cap * sizeof(*grown));

		if (!grown) {
			ex->oom = 1;
			return NULL;
		}
		ex->info = grown;
		ex->info_cap = cap;
	}
	info = &ex->info[ex->info_count++];
	info->score = 0;
	info->keep = 0;
	info->data_table = -1;
	n->_private = (void *)(uintptr_t)ex->info_count;
	return info;
}

static int push_node(struct extractor *ex, xmlNodePtr **list, size_t *count, size_t *cap,
		     xmlNodePtr n)
{
	if (*count == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 128;
		xmlNodePtr *grown = realloc(*list, grown_cap * sizeof(*grown));

		if (!grown) {
			ex->oom = 1;
			return 0;
		}
		*list = grown;
		*cap = grown_cap;
	}
	(*list)[(*count)++] = n;
	return 1;
}

/* A new candidate starts with a score from its tag and class names. */
static struct node_info *candidate_init(struct extractor *ex, xmlNodePtr n)
{
	static const char *const minus3[] = { "address", "ol", "ul", "dl", "dd", "dt", "li",
					      "form", NULL };
	static const char *const plus3[] = { "pre", "td", "blockquote", NULL };
	struct node_info *info = info_of(ex, n);

	if (info)
		return info;
	info = info_new(ex, n);
	if (!info || !push_node(ex, &ex->candidates, &ex->candidate_count, &ex->candidate_cap, n))
		return NULL;
	if (tag_is(n, "div"))
		info->score += 5;
	else if (name_in(n, plus3))
		info->score += 3;
	else if (name_in(n, minus3))
		info->score -= 3;
	else if (is_heading(n) || tag_is(n, "th"))
		info->score -= 5;
	info->score += class_weight(ex, n);
	return info;
}

/* ------------------------------------------------------------ preparation */

static int style_hides(const char *style)
{
	char compact[256];
	size_t o = 0;

	for (; style && *style && o + 1 < sizeof(compact); style++)
		if (!is_space_byte((unsigned char)*style))
			compact[o++] = (char)tolower((unsigned char)*style);
	compact[o] = '\0';
	return strstr(compact, "display:none") || strstr(compact, "visibility:hidden");
}

static int probably_visible(xmlNodePtr n)
{
	const char *aria = parse_attr(n, "aria-hidden"), *cls;

	if (style_hides(parse_attr(n, "style")) || parse_attr(n, "hidden"))
		return 0;
	if (aria && strcmp(aria, "true") == 0) {
		cls = parse_attr(n, "class");
		return cls && strstr(cls, "fallback-image");
	}
	return 1;
}

/* Elements that never carry article text. A junk element that holds
 * keep (libxml2 puts a <body> that follows stray head content inside
 * <head>) is searched instead of removed. */
static void remove_junk(struct extractor *ex, xmlNodePtr n, xmlNodePtr keep)
{
	static const char *const junk[] = {
		"script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
		"canvas", "link", "meta", "button", "input", "select", "textarea", "dialog",
		"audio", "video", "source", "map", "head",
		/* ruby readings: the annotated text stays, the small kana above it
		 * would otherwise be inlined into the sentence ("漢字かんじ") */
		"rt", "rp", NULL
	};
	xmlNodePtr c = n->children;

	while (c) {
		xmlNodePtr next = c->next;

		if ((c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE || name_in(c, junk)) &&
		    !is_ancestor(c, keep))
			remove_node(ex, c);
		else if (is_element(c))
			remove_junk(ex, c, keep);
		c = next;
	}
}

/* Labels that open a block of links to other stories. Compared with the
 * whole (short) text of an element, lower-cased, trailing ':' dropped. */
static const char *const related_labels[] = {
	"рекомендуем", "читайте также", "читайте еще", "читайте ещё", "читайте по теме",
	"похожие новости", "похожие материалы", "похожие статьи", "материалы по теме",
	"новости по теме", "по теме", "другие новости", "последние новости", "еще новости",
	"ещё новости", "популярное", "самое читаемое", "самое популярное", "смотрите также",
	"новости партнеров", "новости партнёров", "вам может быть интересно", "лента новостей",
	"главные новости", "сондай-ақ оқыңыз", "ұқсас жаңалықтар", "тақырыпқа қатысты",
	"соңғы жаңалықтар", "related articles", "related stories", "related posts",
	"related news", "related", "read more", "read also", "also read", "see also",
	"you may also like", "you might also like", "recommended", "recommended for you",
	"more stories", "more news", "most popular", "most read", "trending", "trending now",
	"latest news", "more from", "related links", "related content", "more on this story",
	"more on this topic", "you may like", "don't miss",
	/* a few other languages seen on syndicated pages */
	"leia também", "leia mais", "veja também", "você pode gostar", "você também pode gostar",
	"lea también", "te puede interesar", "noticias relacionadas", "lesen sie auch",
	"mehr zum thema", "das könnte sie auch interessieren", "leggi anche",
	"potrebbe interessarti", "articles liés", "à lire aussi", "lire aussi", "baca juga",
	"berita terkait", NULL
};

static int is_related_label(const char *text)
{
	char *low = parse_utf8_lower(text), *norm;
	size_t len;
	int hit = 0;

	if (!low)
		return 0;
	norm = parse_collapse_space(low, (size_t)-1);
	free(low);
	if (!norm)
		return 0;
	len = strlen(norm);
	while (len && (norm[len - 1] == ':' || norm[len - 1] == '.' || norm[len - 1] == ' '))
		norm[--len] = '\0';
	for (const char *const *l = related_labels; *l && !hit; l++)
		hit = strcmp(norm, *l) == 0;
	free(norm);
	return hit;
}

/* Text outside links, excluding the subtree skip. */
static double own_text_outside(xmlNodePtr n, xmlNodePtr skip)
{
	struct text_stats s = node_stats(n), k = { 0, 0, 0, 0 };

	if (skip)
		k = node_stats(skip);
	return (s.chars - s.link_chars) - (k.chars - k.link_chars);
}

/*
 * A related-news block is recognised by its label. The label's ancestors
 * are climbed while they hold little text that is not links (titles and
 * dates of the linked stories), and the highest such ancestor goes. When
 * the label sits directly in the article, only the label and the link
 * lists right after it go. Returns the node after the removed block.
 */
static xmlNodePtr remove_related_block(struct extractor *ex, xmlNodePtr label, xmlNodePtr root)
{
	xmlNodePtr block = label;

	if (label == root || !is_ancestor(root, label))
		return next_node(label, root, 0);
	while (block->parent && block->parent != root && is_element(block->parent) &&
	       !tag_is(block->parent, "body")) {
		xmlNodePtr up = block->parent;

		/* stop below anything that holds prose or the headline */
		if (own_text_outside(up, label) > RELATED_OWN_TEXT || count_tag(up, "h1"))
			break;
		block = up;
	}
	if (block == label) {
		xmlNodePtr sib = next_element(label);

		while (sib) {
			xmlNodePtr next = next_element(sib);
			struct text_stats s = node_stats(sib);

			/* teasers: link lists, or whole <article> cards */
			if (s.chars > 0 && link_density(&s) < 0.5 && !tag_is(sib, "article"))
				break;
			remove_node(ex, sib);
			sib = next;
		}
	}
	return remove_and_next(ex, block, root);
}

static void remove_related(struct extractor *ex, xmlNodePtr root)
{
	static const char *const label_tags[] = { "h1", "h2", "h3", "h4", "h5", "h6", "p",
						  "div", "span", "strong", "b", "header",
						  "section", "li", "a", NULL };
	xmlNodePtr n = root;

	while (n) {
		char text[128];
		size_t used = 0;

		if (name_in(n, label_tags) && short_text(n, text, sizeof(text), &used) &&
		    used && is_related_label(text)) {
			xmlNodePtr label = n;

			/* the label is its link's text: "Related" as a link to a list */
			if (tag_is(label, "a") && is_element(label->parent) && label != root &&
			    label->parent != root)
				label = label->parent;
			n = remove_related_block(ex, label, root);
			continue;
		}
		n = next_node(n, root, 0);
	}
}

/* An e-mail field: <input type=email>, or a text input named or labelled
 * for mail. */
static int is_email_input(xmlNodePtr n)
{
	const char *type = parse_attr(n, "type"), *name = parse_attr(n, "name");
	const char *hint = parse_attr(n, "placeholder");

	if (!tag_is(n, "input"))
		return 0;
	if (type && strcasecmp(type, "email") == 0)
		return 1;
	if (type && *type && strcasecmp(type, "text") != 0)
		return 0;
	return (name && (strcasestr(name, "mail") || strstr(name, "почт"))) ||
	       (hint && (strcasestr(hint, "mail") || strstr(hint, "почт") ||
			 strstr(hint, "пошт")));
}

#define SIGNUP_TEXT 700 /* text a sign-up box holds around its e-mail field */

/*
 * Newsletter sign-ups: the block around an e-mail field, up to the
 * highest ancestor that holds little text and no <h1>. Their pitch is
 * written as prose with many commas and can outscore a short article;
 * class names ("box7") often say nothing. Runs before the junk pass, which
 * drops the input that gives them away.
 */
static void remove_signups(struct extractor *ex, xmlNodePtr root)
{
	xmlNodePtr n = root;

	while (n) {
		xmlNodePtr block = n;

		if (!is_email_input(n)) {
			n = next_node(n, root, 0);
			continue;
		}
		while (block->parent && block->parent != root && is_element(block->parent) &&
		       !tag_is(block->parent, "body") &&
		       !tag_is(block->parent, "article") && !tag_is(block->parent, "main") &&
		       node_stats_upto(block->parent, SIGNUP_TEXT).chars < SIGNUP_TEXT &&
		       !count_tag(block->parent, "h1"))
			block = block->parent;
		n = remove_and_next(ex, block, root);
	}
}

/* Headings that open the end matter of a text: references, notes,
 * sources. What follows them up to the next heading of the same or a
 * higher level is not the article's prose (lists of citations have many
 * commas and could outscore it). */
static const char *const end_matter_labels[] = {
	"references", "bibliography", "footnotes", "notes", "sources", "further reading",
	"external links", "notes and references", "citations", "works cited",
	"литература", "список литературы", "источники", "примечания", "ссылки",
	"пайдаланылған әдебиеттер", "әдебиеттер", "дереккөздер", "ескертпелер",
	"einzelnachweise", "literatur", "quellen", "anmerkungen", "références", "bibliographie",
	"notes et références", "referencias", "bibliografía", "notas", "bibliografia", "note",
	"przypisy", "джерела", "література", "примітки", NULL
};

static int heading_level(xmlNodePtr n)
{
	return is_heading(n) ? n->name[1] - '0' : 0;
}

static void remove_end_matter(struct extractor *ex, xmlNodePtr root)
{
	xmlNodePtr n = root;

	while (n) {
		char text[64];
		size_t used = 0;
		int level = heading_level(n);

		if (level >= 2 && short_text(n, text, sizeof(text), &used) && used) {
			char *low = parse_utf8_lower(text), *norm = NULL;
			int hit = 0;

			if (low)
				norm = parse_collapse_space(low, (size_t)-1);
			free(low);
			if (!norm) {
				ex->oom = 1;
				return;
			}
			for (size_t len = strlen(norm);
			     len && (norm[len - 1] == ':' || norm[len - 1] == '.');)
				norm[--len] = '\0';
			for (const char *const *l = end_matter_labels; *l && !hit; l++)
				hit = strcmp(norm, *l) == 0;
			free(norm);
			if (hit) {
				xmlNodePtr sib = next_element(n);

				while (sib && !(heading_level(sib) &&
						heading_level(sib) <= level)) {
					xmlNodePtr next = next_element(sib);

					remove_node(ex, sib);
					sib = next;
				}
				n = remove_and_next(ex, n, root);
				continue;
			}
		}
		n = next_node(n, root, 0);
	}
}

/* Readability's _replaceBrs: two or more <br> in a row start a paragraph. */
static void replace_brs(struct extractor *ex, xmlNodePtr root)
{
	xmlNodePtr n = root;

	while (n) {
		xmlNodePtr next_n = next_node(n, root, 0);

		if (tag_is(n, "br")) {
			xmlNodePtr next = n->next;
			int replaced = 0;

			while (next && is_whitespace_node(next)) {
				xmlNodePtr after = next->next;

				if (tag_is(next, "br")) {
					replaced = 1;
					remove_node(ex, next);
				}
				next = after;
			}
			if (replaced) {
				xmlNodePtr p = xmlNewDocNode(n->doc, NULL, BAD_CAST "p", NULL);
				xmlNodePtr parent = n->parent;

				if (!p) {
					ex->oom = 1;
					return;
				}
				if (!replace_node(ex, n, p)) {
					xmlFreeNode(p);
					return;
				}
				next = p->next;
				while (next) {
					xmlNodePtr after = next->next;

					if (tag_is(next, "br")) {
						xmlNodePtr e = after;

						while (e && !is_element(e))
							e = e->next;
						if (tag_is(e, "br"))
							break;
					}
					if (is_element(next) && !tag_is(next, "br")) {
						static const char *const inline_ok[] = {
							"a", "abbr", "b", "bdi", "bdo", "cite", "code",
							"data", "del", "dfn", "em", "font", "i", "img",
							"ins", "kbd", "label", "mark", "q", "s", "samp",
							"small", "span", "strike", "strong", "sub", "sup",
							"time", "u", "var", "wbr", NULL
						};
						if (!name_in(next, inline_ok))
							break;
					}
					move_into(p, next);
					next = after;
				}
				while (p->last && is_whitespace_node(p->last) && !ex->oom)
					remove_node(ex, p->last);
				if (tag_is(parent, "p"))
					xmlNodeSetName(parent, BAD_CAST "div");
				next_n = next_node(p, root, 1);
			}
		}
		n = next_n;
	}
}

static int is_phrasing(xmlNodePtr n)
{
	static const char *const phrasing[] = {
		"abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist",
		"dfn", "em", "embed", "i", "img", "input", "kbd", "label", "mark", "math", "meter",
		"noscript", "object", "output", "progress", "q", "ruby", "samp", "script",
		"select", "small", "span", "strong", "sub", "sup", "textarea", "time", "var",
		"wbr", "font", "u", "s", "strike", "tt", "big", NULL
	};

	if (is_text(n))
		return 1;
	if (name_in(n, phrasing))
		return 1;
	if (tag_is(n, "a") || tag_is(n, "del") || tag_is(n, "ins")) {
		for (xmlNodePtr c = n->children; c; c = c->next)
			if ((is_element(c) || is_text(c)) && !is_phrasing(c))
				return 0;
		return 1;
	}
	return 0;
}

static int has_block_child(xmlNodePtr n)
{
	static const char *const blocks[] = { "blockquote", "dl", "div", "img", "ol", "p",
					      "pre", "table", "ul", "section", "article",
					      "figure", "h1", "h2", "h3", "h4", "h5", "h6",
					      NULL };

	for (xmlNodePtr c = n->children; c; c = c->next)
		if (is_element(c) && (name_in(c, blocks) || has_block_child(c)))
			return 1;
	return 0;
}

static int single_p_child(xmlNodePtr n)
{
	xmlNodePtr only = NULL;

	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is_text(c) && !is_blank_text(c->content))
			return 0;
		if (is_element(c)) {
			if (only)
				return 0;
			only = c;
		}
	}
	return tag_is(only, "p");
}

/* Wrap runs of inline content of a div in <p> (Readability does so too). */
static void wrap_phrasing(struct extractor *ex, xmlNodePtr div)
{
	xmlNodePtr c = div->children, p = NULL;

	while (c) {
		xmlNodePtr next = c->next;

		if (is_phrasing(c) || (!is_element(c) && !is_text(c))) {
			if (p) {
				move_into(p, c);
			} else if (is_element(c) || is_text(c)) {
				if (!is_whitespace_node(c)) {
					p = xmlNewDocNode(div->doc, NULL, BAD_CAST "p", NULL);
					if (!p) {
						ex->oom = 1;
						return;
					}
					/* c is not removed: it moves into p */
					xmlReplaceNode(c, p);
					move_into(p, c);
				}
			}
		} else if (p) {
			while (p->last && is_whitespace_node(p->last) && !ex->oom)
				remove_node(ex, p->last);
			p = NULL;
		}
		c = next;
	}
}

static int is_byline(xmlNodePtr n, const char *match)
{
	const char *rel = parse_attr(n, "rel"), *itemprop = parse_attr(n, "itemprop");
	struct text_stats s;

	if (!((rel && strcmp(rel, "author") == 0) || (itemprop && strstr(itemprop, "author")) ||
	      contains_any(match, byline_parts)))
		return 0;
	s = node_stats_upto(n, 100);
	return s.chars > 0 && s.chars < 100;
}

static int duplicates_title(struct extractor *ex, xmlNodePtr n)
{
	char *text;
	double sim;

	if (!ex->title || !(tag_is(n, "h1") || tag_is(n, "h2")))
		return 0;
	text = parse_node_text(n);
	sim = text ? parse_text_similarity(ex->title, text) : -1;
	free(text);
	if (sim < 0)
		ex->oom = 1;
	return sim > 0.75;
}

static int has_text_below(xmlNodePtr root);

static int without_content(xmlNodePtr n)
{
	/* not node_stats: asked of every div on the way down, it would read
	 * the same deep text once per ancestor */
	if (has_text_below(n))
		return 0;
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (is_element(c) && !tag_is(c, "br") && !tag_is(c, "hr"))
			return 0;
	return 1;
}

/* Page furniture by role, or by class words when the block has little text
 * of its own: menus, share bars, tag lists, ad slots, date lines. */
static int is_furniture(xmlNodePtr n, const char *match)
{
	static const char *const roles[] = { "menu", "menubar", "complementary", "navigation",
					     "alert", "alertdialog", "dialog", "banner",
					     "contentinfo", "search", NULL };
	const char *role = parse_attr(n, "role");
	struct text_stats s;

	if (role) {
		for (const char *const *r = roles; *r; r++)
			if (strcmp(role, *r) == 0)
				return 1;
	}
	if (!*match)
		return 0;
	if (has_word(match, furniture_words)) {
		s = node_stats(n);
		if (s.chars - s.link_chars < 200 || link_density(&s) > 0.5)
			return 1;
	}
	if (has_word(match, caption_words)) {
		s = node_stats_upto(n, 500);
		if (s.chars < 500)
			return 1;
	}
	if (has_word(match, dateline_words)) {
		s = node_stats_upto(n, 80);
		if (s.chars < 80)
			return 1;
	}
	return 0;
}

static int quotes_post(xmlNodePtr n)
{
	xmlNodePtr c;

	for (c = first_element(n); c; c = next_element(c)) {
		if (tag_is(c, "blockquote"))
			return node_stats_upto(c, 50).chars >= 50;
	}
	return 0;
}

/*
 * Readability's first pass: drop invisible and unlikely nodes, note the
 * elements to score, and turn divs that hold only inline content into
 * paragraphs.
 */
static void collect(struct extractor *ex, xmlNodePtr body)
{
	static const char *const always[] = { "nav", "aside", "footer", "form", "fieldset",
					      "menu", NULL };
	static const char *const to_score[] = { "section", "h2", "h3", "h4", "h5", "h6",
						"p", "td", "pre", NULL };
	static const char *const empty_check[] = { "div", "section", "header", "h1", "h2",
						   "h3", "h4", "h5", "h6", NULL };
	xmlNodePtr n = body;

	while (n && !ex->oom) {
		char match[MATCH_MAX];

		if (n != body) {
			match_string(n, match);
			if (!probably_visible(n)) {
				n = remove_and_next(ex, n, body);
				continue;
			}
			if (!ex->byline_done && is_byline(n, match)) {
				ex->byline_done = 1;
				n = remove_and_next(ex, n, body);
				continue;
			}
			if (!ex->title_done && duplicates_title(ex, n)) {
				ex->title_done = 1;
				ex->title_place = n->parent;
				n = remove_and_next(ex, n, body);
				continue;
			}
			/* Reader comments are never the article, whatever the flags. */
			if (*match && has_word(match, comment_words) &&
			    !contains_any(match, maybe_parts)) {
				n = remove_and_next(ex, n, body);
				continue;
			}
			/* embedded posts (blockquote.twitter-tweet in a "social"
			 * wrapper) are quoted content, not furniture */
			if ((ex->flags & FLAG_STRIP_UNLIKELY) && !tag_is(n, "blockquote") &&
			    !quotes_post(n)) {
				if (name_in(n, always) && !(tag_is(n, "form") &&
							    node_stats_upto(n, 1000).chars > 1000)) {
					n = remove_and_next(ex, n, body);
					continue;
				}
				if (tag_is(n, "header") && node_stats_upto(n, 500).chars < 500) {
					n = remove_and_next(ex, n, body);
					continue;
				}
				if (*match && contains_any(match, unlikely_parts) &&
				    !contains_any(match, maybe_parts) && !has_ancestor(n, "table", 0) &&
				    !has_ancestor(n, "code", 0) && !tag_is(n, "a")) {
					n = remove_and_next(ex, n, body);
					continue;
				}
				if (!tag_is(n, "a") && is_furniture(n, match)) {
					n = remove_and_next(ex, n, body);
					continue;
				}
			}
			if (name_in(n, empty_check) && without_content(n)) {
				n = remove_and_next(ex, n, body);
				continue;
			}
		}
		if (name_in(n, to_score))
			push_node(ex, &ex->to_score, &ex->to_score_count, &ex->to_score_cap, n);
		if (tag_is(n, "div")) {
			wrap_phrasing(ex, n);
			if (single_p_child(n)) {
				struct text_stats s = node_stats(n);

				if (link_density(&s) < 0.25) {
					xmlNodePtr p = first_element(n);

					if (replace_node(ex, n, p)) {
						n = p;
						push_node(ex, &ex->to_score, &ex->to_score_count,
							  &ex->to_score_cap, n);
					}
				}
			} else if (!has_block_child(n)) {
				xmlNodeSetName(n, BAD_CAST "p");
				push_node(ex, &ex->to_score, &ex->to_score_count, &ex->to_score_cap,
					  n);
			}
		}
		n = next_node(n, body, 0);
	}
}

/* ------------------------------------------------------------ scoring */

static int in_data_table(struct extractor *ex, xmlNodePtr n);

static void score_paragraphs(struct extractor *ex, xmlNodePtr body)
{
	for (size_t i = 0; i < ex->to_score_count && !ex->oom; i++) {
		xmlNodePtr el = ex->to_score[i], anc = el->parent;
		struct text_stats s = node_stats(el);
		double score, commas;
		int level = 0;

		if (!is_element(anc) || s.chars < 25)
			continue;
		/* cells of a data table (a line-up, results) are data, however
		 * many commas they have */
		if ((tag_is(el, "td") || has_ancestor(el, "td", 3)) && in_data_table(ex, el))
			continue;
		/* a cell that holds blocks is layout; its paragraphs score */
		if ((tag_is(el, "td") || tag_is(el, "th")) && has_block_child(el))
			continue;
		/* lists of names ("Костанай, Актобе, Атырау, ...": the regions
		 * of a sidebar, a line-up, authors of a reference) have commas
		 * every few characters; prose has one every 40 or more */
		commas = s.commas < s.chars / 40 ? s.commas : s.chars / 40;
		score = 1 + (double)(commas + 1) + (double)((size_t)s.chars / 100 > 3 ? 3 :
							      (size_t)s.chars / 100);
		/* teaser headlines and link lists are text too, but not prose */
		score *= 1 - link_density(&s);
		for (; level < 5 && is_element(anc) && is_element(anc->parent);
		     level++, anc = anc->parent) {
			struct node_info *info = candidate_init(ex, anc);
			double divider = level == 0 ? 1 : level == 1 ? 2 : level * 3;

			if (!info)
				return;
			info->score += score / divider;
			if (anc == body)
				break;
		}
	}
}

static int is_data_table(struct extractor *ex, xmlNodePtr table);

/*
 * 1 when node is a row of a layout table (or that table) whose cells hold
 * text beside the one the climb comes from: old sites built with <table>
 * put the article in one cell and weather, currency rates and the list of
 * every region in the cells beside it. Climbing from the article's cell to
 * the row would take those sidebars in, and the regions they name become
 * false regions for the classifier. Data tables are not layout.
 */
static int layout_row_edge(struct extractor *ex, xmlNodePtr node)
{
	xmlNodePtr table = node, row = NULL;
	size_t cells = 0;

	if (tag_is(node, "tr"))
		row = node;
	while (is_element(table) && !tag_is(table, "table"))
		table = tag_is(table, "tbody") || tag_is(table, "thead") || tag_is(table, "tr") ?
				table->parent : NULL;
	if (!is_element(table) || is_data_table(ex, table))
		return 0;
	for (xmlNodePtr r = row ? row : table; r; r = row ? NULL : next_node(r, table, 0)) {
		if (!tag_is(r, "tr"))
			continue;
		cells = 0;
		for (xmlNodePtr c = first_element(r); c; c = next_element(c))
			if ((tag_is(c, "td") || tag_is(c, "th")) &&
			    node_stats_upto(c, 25).chars >= 25)
				cells++;
		if (cells >= 2)
			return 1;
	}
	return 0;
}

/* 1 when a and b are elements of the same kind: tag and class. */
static int same_kind(xmlNodePtr a, xmlNodePtr b)
{
	const char *ca = parse_attr(a, "class"), *cb = parse_attr(b, "class");

	return xmlStrEqual(a->name, b->name) &&
	       ((!ca && !cb) || (ca && cb && strcmp(ca, cb) == 0));
}

#define ALIKE_MIN 3        /* blocks of one kind that make a split article */
#define ALIKE_SHARE 1.5    /* their sum over the best single block */
#define ALIKE_KINDS 8      /* kinds of children tried per parent */

/*
 * An article split into sibling blocks of one kind (<div class=row> per
 * paragraph) can lose to a sidebar block although together they outscore
 * it by far. The parent of the best run of alike candidates becomes the
 * article when the run sums to ALIKE_SHARE times the best single score and
 * no block of it dominates. Returns that parent or NULL.
 */
static xmlNodePtr merge_alike(struct extractor *ex, xmlNodePtr body, double best_score)
{
	xmlNodePtr found = NULL;
	double found_sum = 0;

	for (size_t i = 0; i < ex->candidate_count; i++) {
		xmlNodePtr p = ex->candidates[i];
		struct node_info *pi = info_of(ex, p);
		xmlNodePtr kind = NULL;
		double sum = 0, top = 0;
		size_t count = 0;
		int kinds = 0;

		if (p == body || !is_element(p))
			continue;
		/* the most common kind of its candidate children, by their sum;
		 * a few kinds are tried, so that a parent of many children of
		 * many kinds costs linear time */
		for (xmlNodePtr c = first_element(p); c && kinds < ALIKE_KINDS; c = next_element(c)) {
			struct node_info *ci = info_of(ex, c);
			double ksum = 0, ktop = 0;
			size_t kcount = 0;

			if (!ci || ci->score <= 0 || (kind && same_kind(kind, c)))
				continue;
			kinds++;
			for (xmlNodePtr d = c; d; d = next_element(d)) {
				struct node_info *di = info_of(ex, d);

				if (di && di->score > 0 && same_kind(c, d)) {
					ksum += di->score;
					kcount++;
					if (di->score > ktop)
						ktop = di->score;
				}
			}
			if (kcount > count || (kcount == count && ksum > sum)) {
				kind = c;
				sum = ksum;
				count = kcount;
				top = ktop;
			}
		}
		pi->alike_sum = sum;
		pi->alike_count = count;
		if (count >= ALIKE_MIN && sum >= best_score * ALIKE_SHARE && top * 2 < sum &&
		    sum > found_sum) {
			struct text_stats st = node_stats_upto(p, CANDIDATE_SAMPLE);

			if (link_density(&st) < 0.3) {
				found = p;
				found_sum = sum;
			}
		}
	}
	return found;
}

/* Depth of the deepest common ancestor of a and b (0 when none). */
static int common_depth(xmlNodePtr a, xmlNodePtr b)
{
	int depth = 0;

	for (xmlNodePtr x = a; is_element(x); x = x->parent) {
		if (is_ancestor(x, b)) {
			for (xmlNodePtr y = x; is_element(y); y = y->parent)
				depth++;
			return depth;
		}
	}
	return 0;
}

/* The nearest h1-h3 before n in document order, within steps nodes, or
 * NULL. */
static xmlNodePtr heading_before(xmlNodePtr n, int steps)
{
	while (n && steps-- > 0) {
		if (n->prev) {
			n = n->prev;
			while (n->last && is_element(n))
				n = n->last;
		} else {
			n = n->parent;
		}
		if (is_element(n) && (tag_is(n, "h1") || tag_is(n, "h2") || tag_is(n, "h3")))
			return n;
	}
	return NULL;
}

/*
 * Another story on the page (the next article of an endless page, a
 * featured story below) can outscore a short article. When the best block
 * is further from the page's headline than a good other candidate is, and
 * a headline of its own stands between them, the candidate near the
 * headline is the article.
 */
static xmlNodePtr near_title(struct extractor *ex, xmlNodePtr *top, const double *top_score)
{
	xmlNodePtr best = top[0], heading;
	int best_depth;

	if (!ex->title_place || !is_element(ex->title_place) || is_ancestor(best, ex->title_place))
		return best;
	best_depth = common_depth(best, ex->title_place);
	heading = heading_before(best, 2000);
	if (!heading || is_ancestor(heading, ex->title_place))
		return best;
	for (int t = 1; t < TOP_CANDIDATES && top[t]; t++) {
		int depth;

		if (top_score[t] < top_score[0] * 0.4 || is_ancestor(top[t], best) ||
		    is_ancestor(best, top[t]))
			continue;
		depth = common_depth(top[t], ex->title_place);
		if (depth > best_depth) {
			/* the other story's heading must lie outside the article's
			 * region around the headline */
			xmlNodePtr region = top[t];

			while (is_element(region) && !is_ancestor(region, ex->title_place))
				region = region->parent;
			if (is_element(region) && !is_ancestor(region, heading))
				return top[t];
		}
	}
	return best;
}

static xmlNodePtr pick_top(struct extractor *ex, xmlNodePtr body)
{
	xmlNodePtr top[TOP_CANDIDATES] = { NULL };
	double top_score[TOP_CANDIDATES] = { 0 };
	xmlNodePtr best, parent;
	struct node_info *info;
	double last, threshold;

	for (size_t i = 0; i < ex->candidate_count; i++) {
		xmlNodePtr c = ex->candidates[i];
		/* the link density of the first CANDIDATE_SAMPLE characters: a
		 * container's own is no different, and reading all of a deep
		 * page's text once per candidate ancestor is not linear */
		struct text_stats s = node_stats_upto(c, CANDIDATE_SAMPLE);
		double score;

		info = info_of(ex, c);
		info->score *= 1 - link_density(&s);
		score = info->score;
		for (int t = 0; t < TOP_CANDIDATES; t++) {
			if (!top[t] || score > top_score[t]) {
				memmove(top + t + 1, top + t, (TOP_CANDIDATES - t - 1) * sizeof(*top));
				memmove(top_score + t + 1, top_score + t,
					(TOP_CANDIDATES - t - 1) * sizeof(*top_score));
				top[t] = c;
				top_score[t] = score;
				break;
			}
		}
	}
	/* The body wins when the article's paragraphs are its children; when
	 * a block inside it scores nearly as much, the body only won by
	 * adding up the page's other stories and sidebars to that block. */
	if (top[0] == body && top[1] && top_score[1] >= top_score[0] * KEEP_SHARE) {
		memmove(top, top + 1, (TOP_CANDIDATES - 1) * sizeof(*top));
		memmove(top_score, top_score + 1, (TOP_CANDIDATES - 1) * sizeof(*top_score));
		top[TOP_CANDIDATES - 1] = NULL;
	}
	best = top[0];
	for (int t = 0; t < TOP_CANDIDATES && top[t]; t++)
		if (top_score[t] >= top_score[0] * KEEP_SHARE)
			info_of(ex, top[t])->keep = 1;
	if (!best || best == body)
		return NULL;
	{
		xmlNodePtr run = merge_alike(ex, body, top_score[0]);

		if (run && (run == best || !is_ancestor(best, run))) {
			ex->merged = 1;
			info = info_of(ex, run);
			if (info->alike_sum > info->score)
				info->score = info->alike_sum;
			info->keep = 1;
			return run;
		}
	}
	best = near_title(ex, top, top_score);
	ex->other_story = best != top[0];

	/* Several good candidates under one ancestor: the ancestor is the
	 * article (e.g. paragraphs split into many small divs). */
	{
		int lists = 0;
		xmlNodePtr alt[TOP_CANDIDATES];

		for (int t = 1; t < TOP_CANDIDATES && top[t]; t++)
			if (top_score[t] / top_score[0] >= 0.75)
				alt[lists++] = top[t];
		if (lists >= 3) {
			for (parent = best->parent; is_element(parent) && parent != body;
			     parent = parent->parent) {
				int containing = 0;

				for (int a = 0; a < lists; a++) {
					for (xmlNodePtr up = alt[a]->parent; is_element(up);
					     up = up->parent) {
						if (up == parent) {
							containing++;
							break;
						}
					}
				}
				if (containing >= 3) {
					best = parent;
					break;
				}
			}
		}
	}
	info = candidate_init(ex, best);
	if (!info)
		return NULL;
	last = info->score;
	threshold = last / 3;
	for (parent = best->parent; is_element(parent) && parent != body; parent = parent->parent) {
		struct node_info *pi = info_of(ex, parent);

		if (layout_row_edge(ex, parent))
			break;
		if (!pi)
			continue;
		if (pi->score < threshold)
			break;
		if (pi->score > last) {
			best = parent;
			break;
		}
		last = pi->score;
	}
	for (parent = best->parent; is_element(parent) && parent != body &&
	     element_children(parent) == 1 && !layout_row_edge(ex, parent);
	     parent = parent->parent)
		best = parent;
	return candidate_init(ex, best) ? best : NULL;
}

static int ends_sentence(xmlNodePtr n)
{
	char *text = parse_node_text(n);
	const char *dot;
	int yes = 0;

	if (!text)
		return 0;
	for (dot = strchr(text, '.'); dot && !yes; dot = strchr(dot + 1, '.'))
		yes = dot[1] == ' ' || dot[1] == '\0';
	free(text);
	return yes;
}

/* Hang the gathered article in the tree so that xmlFreeDoc frees it; it is
 * built detached so that moving the body into it cannot loop. */
static xmlNodePtr attach(xmlNodePtr body, xmlNodePtr article)
{
	xmlNodePtr root = xmlDocGetRootElement(body->doc);

	if (!root || !xmlAddChild(root, article)) {
		xmlFreeNode(article);
		return NULL;
	}
	return article;
}

/* A block whose text has a comma every few words is a list of names or
 * things (a what's-on box, a region list), not more of the article;
 * scoring caps such commas (score_paragraphs), and a sibling that still
 * scores well with them is no prose either. */
static int list_like(xmlNodePtr n)
{
	struct text_stats s = node_stats_upto(n, CANDIDATE_SAMPLE);

	return s.chars > 0 && (double)s.commas * 40 > s.chars;
}

static int holds_headline(xmlNodePtr n)
{
	return tag_is(n, "h1") || tag_is(n, "h2") || tag_is(n, "h3") || count_tag(n, "h1") ||
	       count_tag(n, "h2") || count_tag(n, "h3");
}

/* Move the top candidate and the siblings that look like more of the same
 * article into a new <div>, which is returned. */
static xmlNodePtr gather(struct extractor *ex, xmlNodePtr body, xmlNodePtr best)
{
	xmlNodePtr article = xmlNewDocNode(body->doc, NULL, BAD_CAST "div", NULL);
	xmlNodePtr parent, sib;
	double best_score, threshold;
	const char *best_class;

	if (!article) {
		ex->oom = 1;
		return NULL;
	}
	if (!best) {
		/* Nothing scored: the whole body is the article. */
		while (body->children) {
			xmlNodePtr c = body->children;

			move_into(article, c);
		}
		return attach(body, article);
	}
	best_score = info_of(ex, best)->score;
	threshold = best_score * 0.2 > 10 ? best_score * 0.2 : 10;
	best_class = parse_attr(best, "class");
	parent = best->parent;
	for (sib = first_element(parent); sib;) {
		xmlNodePtr next = next_element(sib);
		int append = sib == best;

		/* a run of alike blocks is the whole article already; after
		 * another story was passed over, a block under a headline of
		 * its own is that story or one like it */
		if (!append && !ex->merged && !(ex->other_story && holds_headline(sib))) {
			struct node_info *info = info_of(ex, sib);
			const char *cls = parse_attr(sib, "class");
			double bonus = 0;

			if (best_class && *best_class && cls && strcmp(cls, best_class) == 0)
				bonus = best_score * 0.2;
			if (info && info->score + bonus >= threshold && !list_like(sib)) {
				append = 1;
			} else if (tag_is(sib, "p")) {
				struct text_stats s = node_stats(sib);
				double ld = link_density(&s);

				if (s.chars > 80 && ld < 0.25)
					append = 1;
				else if (s.chars < 80 && s.chars > 0 && ld == 0 && ends_sentence(sib))
					append = 1;
			}
		}
		if (append) {
			move_into(article, sib);
		}
		sib = next;
	}
	return attach(body, article);
}

/* ------------------------------------------------------------ cleaning */

static int is_data_table(struct extractor *ex, xmlNodePtr table)
{
	struct node_info *info = info_new(ex, table);
	const char *role, *datatable, *summary;
	size_t rows = 0, cols = 0;
	int result = 0;

	if (!info)
		return 0;
	if (info->data_table >= 0)
		return info->data_table;
	role = parse_attr(table, "role");
	datatable = parse_attr(table, "datatable");
	summary = parse_attr(table, "summary");
	if (role && strcmp(role, "presentation") == 0) {
		result = 0;
	} else if (datatable && strcmp(datatable, "0") == 0) {
		result = 0;
	} else if (summary && *summary) {
		result = 1;
	} else if (count_tag(table, "caption") || count_tag(table, "thead") ||
		   count_tag(table, "tfoot") || count_tag(table, "th") ||
		   count_tag(table, "colgroup")) {
		result = 1;
	} else if (count_tag(table, "table")) {
		result = 0;
	} else {
		rows = count_tag(table, "tr");
		for (xmlNodePtr n = table; n; n = next_node(n, table, 0)) {
			if (tag_is(n, "tr")) {
				size_t c = count_tag(n, "td");

				if (c > cols)
					cols = c;
			}
		}
		result = rows >= 10 || cols > 4 || rows * cols > 10;
	}
	info->data_table = result;
	return result;
}

static int in_data_table(struct extractor *ex, xmlNodePtr n)
{
	for (n = n->parent; is_element(n); n = n->parent)
		if (tag_is(n, "table") && is_data_table(ex, n))
			return 1;
	return 0;
}

static int holds_keep(struct extractor *ex, xmlNodePtr n)
{
	struct node_info *info = info_of(ex, n);

	if (info && info->keep)
		return 1;
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (is_element(c) && holds_keep(ex, c))
			return 1;
	return 0;
}

/* Readability's _cleanConditionally: drop blocks that look like link lists,
 * image galleries, forms or ad slots rather than prose. */
static int should_drop(struct extractor *ex, xmlNodePtr n)
{
	static const char *const lists[] = { "ul", "ol", NULL };
	static const char *const headings[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };
	struct text_stats s;
	int weight, is_list = tag_is(n, "ul") || tag_is(n, "ol");
	double p, img, li, input, heading_density, ld;
	size_t embeds;

	if (tag_is(n, "table") && is_data_table(ex, n))
		return 0;
	/* a block that holds a strong candidate holds article text */
	if (holds_keep(ex, n))
		return 0;
	if (in_data_table(ex, n) || has_ancestor(n, "code", 0) || quotes_post(n))
		return 0;
	s = node_stats(n);
	if (!is_list && s.chars > 0 && text_in_tags(n, lists) / s.chars > 0.9)
		is_list = 1;
	weight = class_weight(ex, n);
	if (weight < 0)
		return 1;
	if (s.commas >= 10)
		return 0;
	p = (double)count_tag(n, "p");
	img = (double)count_tag(n, "img");
	li = (double)count_tag(n, "li") - 100;
	input = (double)count_tag(n, "input");
	heading_density = s.chars > 0 ? text_in_tags(n, headings) / s.chars : 0;
	embeds = count_tag(n, "object") + count_tag(n, "embed") + count_tag(n, "iframe");
	ld = link_density(&s);
	if (img > 1 && p / img < 0.5 && !has_ancestor(n, "figure", 0))
		return 1;
	if (!is_list && li > p)
		return 1;
	if (input > (double)((size_t)p / 3))
		return 1;
	if (!is_list && heading_density < 0.9 && s.chars < 25 && (img == 0 || img > 2) &&
	    !has_ancestor(n, "figure", 0))
		return 1;
	if (!is_list && weight < 25 && ld > 0.2)
		return 1;
	if (weight >= 25 && ld > 0.5)
		return 1;
	if ((embeds == 1 && s.chars < 75) || embeds > 1)
		return 1;
	return 0;
}

static void clean_conditionally(struct extractor *ex, xmlNodePtr article, const char *tag)
{
	xmlNodePtr *found = NULL;
	size_t count = 0, cap = 0;

	if (!(ex->flags & FLAG_CLEAN_CONDITIONALLY))
		return;
	for (xmlNodePtr n = article; n; n = next_node(n, article, 0))
		if (n != article && tag_is(n, tag) && !push_node(ex, &found, &count, &cap, n))
			break;
	/* Last first: a node's descendants follow it in document order, so
	 * they are judged (and maybe freed) before it and never visited after. */
	while (count > 0) {
		xmlNodePtr n = found[--count];

		if (should_drop(ex, n))
			remove_node(ex, n);
	}
	free(found);
}

static void clean_tags(struct extractor *ex, xmlNodePtr article, const char *tag)
{
	xmlNodePtr n = first_element(article);

	while (n) {
		if (tag_is(n, tag))
			n = remove_and_next(ex, n, article);
		else
			n = next_node(n, article, 0);
	}
}

/* Share bars and similar small blocks below the article's top level. */
static void clean_share(struct extractor *ex, xmlNodePtr article)
{
	xmlNodePtr n = first_element(article);

	while (n) {
		char match[MATCH_MAX];
		static const char *const share[] = { "share", "sharedaddy", "sharing", NULL };

		match_string(n, match);
		if (*match && has_word(match, share) && node_stats_upto(n, 500).chars < 500)
			n = remove_and_next(ex, n, article);
		else
			n = next_node(n, article, 0);
	}
}

static void clean_headers(struct extractor *ex, xmlNodePtr article)
{
	xmlNodePtr n = first_element(article);

	while (n) {
		if ((tag_is(n, "h1") || tag_is(n, "h2")) && class_weight(ex, n) < 0)
			n = remove_and_next(ex, n, article);
		else
			n = next_node(n, article, 0);
	}
}

static int shows_url(xmlNodePtr n)
{
	char text[LINK_BLOCK_CHARS * 4];
	size_t used = 0;
	const char *t = text;

	if (!short_text(n, text, sizeof(text), &used))
		return 0;
	while (*t && is_space_byte((unsigned char)*t))
		t++;
	return strncmp(t, "http://", 7) == 0 || strncmp(t, "https://", 8) == 0 ||
	       strncmp(t, "www.", 4) == 0;
}

/* Short blocks that are nothing but links: share bars, "more" links, link
 * lists that survived as lists. */
static void clean_link_blocks(struct extractor *ex, xmlNodePtr article)
{
	static const char *const blocks[] = { "p", "li", "div", "h2", "h3", "h4", "h5", "h6",
					      "dd", "dt", "center", "section", NULL };
	xmlNodePtr n = first_element(article);

	while (n) {
		if (name_in(n, blocks)) {
			struct text_stats s = node_stats_upto(n, LINK_BLOCK_CHARS);

			/* a bare URL is a source the author cites, not navigation */
			if (s.chars > 0 && s.chars < LINK_BLOCK_CHARS &&
			    link_density(&s) > LINK_BLOCK_DENSITY && !shows_url(n)) {
				n = remove_and_next(ex, n, article);
				continue;
			}
		}
		n = next_node(n, article, 0);
	}
}

static void prepare_article(struct extractor *ex, xmlNodePtr article)
{
	static const char *const drop[] = { "object", "embed", "footer", "link", "aside",
					    "iframe", "input", "textarea", "select", "button",
					    "figcaption", "figure", NULL };

	for (const char *const *t = drop; *t; t++)
		clean_tags(ex, article, *t);
	clean_conditionally(ex, article, "form");
	clean_conditionally(ex, article, "fieldset");
	clean_share(ex, article);
	clean_headers(ex, article);
	clean_conditionally(ex, article, "table");
	clean_conditionally(ex, article, "ul");
	clean_conditionally(ex, article, "div");
	if (ex->flags & FLAG_CLEAN_CONDITIONALLY)
		clean_link_blocks(ex, article);
}

/* ------------------------------------------------------------ text output */

struct emitter {
	struct vigil_buf out;
	int pending;  /* 0 nothing, 1 space, 2 newline, 3 paragraph break */
	int pre;      /* inside <pre>: keep whitespace */
	int failed;
	int oom;      /* failed for memory, not at the size cap */
};

static void emit_break(struct emitter *em, int level)
{
	if (level > em->pending)
		em->pending = level;
}

/* Non-zero when code stops the output. */
static int emit_check(struct emitter *em, enum vigil_code code)
{
	if (code != VIGIL_OK) {
		em->failed = 1;
		em->oom |= code == VIGIL_ERR_NOMEM;
	}
	return code != VIGIL_OK;
}

static void emit_bytes(struct emitter *em, const char *bytes, size_t len)
{
	static const char *const seps[] = { "", " ", "\n", "\n\n" };

	if (em->failed || !len)
		return;
	if (em->out.len && em->pending) {
		if (emit_check(em, vigil_buf_append_str(&em->out, seps[em->pending])))
			return;
	}
	em->pending = 0;
	emit_check(em, vigil_buf_append(&em->out, bytes, len));
}

static void emit_text(struct emitter *em, const xmlChar *t)
{
	const char *p = (const char *)t;

	while (*p) {
		const char *start = p;

		if (is_space_byte((unsigned char)*p) ||
		    ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)) {
			if (em->pre && *p == '\n') {
				emit_break(em, 2);
				p++;
				continue;
			}
			emit_break(em, 1);
			p += *p == ' ' || is_space_byte((unsigned char)*p) ? 1 : 2;
			continue;
		}
		/* soft hyphen: a line-break hint that splits words otherwise */
		if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xAD) {
			p += 2;
			continue;
		}
		/* zero-width space, joiners and BOM are invisible */
		if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] >= 0x8B && (unsigned char)p[2] <= 0x8D)) {
			p += 3;
			continue;
		}
		if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
		    (unsigned char)p[2] == 0xBF) {
			p += 3;
			continue;
		}
		while (*p && !is_space_byte((unsigned char)*p) &&
		       !((unsigned char)p[0] == 0xC2 &&
			 ((unsigned char)p[1] == 0xA0 || (unsigned char)p[1] == 0xAD)) &&
		       !((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
			 (unsigned char)p[2] >= 0x8B && (unsigned char)p[2] <= 0x8D))
			p++;
		emit_bytes(em, start, (size_t)(p - start));
	}
}

static void emit_node(struct emitter *em, xmlNodePtr n, int list_depth)
{
	static const char *const paragraphs[] = {
		"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol",
		"dl", "table", "section", "article", "main", "figure", "header", "address",
		"center", "details", "summary", "hr", "form", "fieldset", NULL
	};
	static const char *const lines[] = { "li", "tr", "dt", "dd", "caption", "option", NULL };

	for (xmlNodePtr c = n->children; c && !em->failed; c = c->next) {
		if (is_text(c) && c->content) {
			emit_text(em, c->content);
		} else if (is_element(c)) {
			int para = name_in(c, paragraphs), line = name_in(c, lines);
			int lists = list_depth + (tag_is(c, "ul") || tag_is(c, "ol"));

			if (tag_is(c, "br")) {
				emit_break(em, 2);
				continue;
			}
			if (para)
				emit_break(em, list_depth ? 2 : 3);
			else if (line)
				emit_break(em, 2);
			else if (tag_is(c, "td") || tag_is(c, "th"))
				emit_break(em, 1);
			if (tag_is(c, "pre"))
				em->pre++;
			emit_node(em, c, lists);
			if (tag_is(c, "pre"))
				em->pre--;
			if (para)
				emit_break(em, list_depth ? 2 : 3);
			else if (line)
				emit_break(em, 2);
			else if (tag_is(c, "td") || tag_is(c, "th"))
				emit_break(em, 1);
		}
		if (em->out.len > TEXT_MAX)
			break;
	}
}

static char *render_text(xmlNodePtr article)
{
	struct emitter em = { VIGIL_BUF_INIT, 0, 0, 0, 0 };

	em.out.limit = TEXT_MAX + 4096;
	emit_node(&em, article, 0);
	/* Out of memory half way is a failure, not a shorter article: the
	 * crawl would record it as an edit. The size cap only cuts. */
	if (em.oom || (em.failed && em.out.len == 0)) {
		vigil_buf_release(&em.out);
		return NULL;
	}
	return vigil_buf_detach(&em.out);
}

/* ------------------------------------------------------------ polishing */

/* Whole lines that are page furniture wherever they stand. */
static const char *const furniture_lines[] = {
	"advertisement", "advert", "ad", "ads", "sponsored", "sponsored content", "реклама",
	"skip to content", "share", "share this", "share this article", "share this story",
	"tweet", "comments", "tags", "теги", "метки", "loading", "загрузка", "print", "email",
	"facebook", "twitter", "whatsapp", "telegram", "поделиться", "комментарии",
	"читать далее", "read more", "continue reading", "this slideshow requires javascript",
	"story continues below advertisement", "scroll to continue with content",
	"advertisement - scroll to continue", "click to expand", "жарнама", "бөлісу", NULL
};

static const char *const dateline_prefixes[] = {
	"posted", "updated", "published", "last updated", "опубликовано", "обновлено",
	"дата публикации", "дата", "жарияланды", "жарияланған", NULL
};

/* Short lines that start so are photo credits ("Photo: Anna Lee"). */
static const char *const credit_prefixes[] = {
	"photo:", "photo by ", "photos:", "photograph:", "image:", "picture:", "credit:",
	"photo credit", "image credit", "фото:", "фото -", "фото —", "фото ", "фотография:",
	"сурет:", "суреттер:", "сурет ", "foto:", "fotos:", "bild:", "crédit photo",
	"photo :", "fotografía:", "zdjęcie:", "fot.", "getty images", "reuters/", "ap photo",
	NULL
};
/* A paywall note names subscribing and what it would give access to. */
static const char *const paywall_words[] = {
	"subscrib", "подпис", "жазыл", "abonn", "suscri", "abbon", "abonament", "prenumer", NULL
};
static const char *const paywall_access[] = {
	"read", "access", "читать", "доступ", "оқу", "lesen", "lire", "leer", "leggere",
	"czytać", "unlimited", "full article", "полн", "without limits", "premium", NULL
};
/* A contact box asks for tips with an address or a number. */
static const char *const contact_words[] = {
	"write to", "email us", "e-mail us", "contact us", "call us", "tip us", "send us",
	"have a story", "got a tip", "пишите", "напишите", "звоните", "сообщите нам",
	"обращайтесь", "жазыңыз", "хабарласыңыз", "schreiben sie", "écrivez", "escríbanos",
	"scriveteci", "napisz", NULL
};

#define NOTE_LINE_CHARS 240 /* longer lines are prose, whatever they mention */

/* Photo credits, paywall notes and contact boxes: short lines that are
 * about the page, not the story. */
static int is_note_line(const char *low)
{
	size_t len = strlen(low);

	if (len >= NOTE_LINE_CHARS)
		return 0;
	for (const char *const *c = credit_prefixes; *c; c++)
		if (strncmp(low, *c, strlen(*c)) == 0 && len < 120)
			return 1;
	if (contains_any(low, paywall_words) && contains_any(low, paywall_access))
		return 1;
	if (contains_any(low, contact_words) &&
	    (strchr(low, '@') || strstr(low, "+7") || strstr(low, "+1") || strstr(low, "tel") ||
	     strstr(low, "тел")))
		return 1;
	return 0;
}

static char *line_lower(const char *line, size_t len)
{
	char *copy = vigil_strndup(line, len), *low;

	if (!copy)
		return NULL;
	low = parse_utf8_lower(copy);
	free(copy);
	return low;
}

static int is_furniture_line(const char *low)
{
	char trimmed[64];
	size_t len = strlen(low);

	while (len && (low[len - 1] == '.' || low[len - 1] == ':' || low[len - 1] == ' ' ||
		       low[len - 1] == '!'))
		len--;
	if (len == 0 || len >= sizeof(trimmed))
		return len == 0;
	memcpy(trimmed, low, len);
	trimmed[len] = '\0';
	for (const char *const *f = furniture_lines; *f; f++)
		if (strcmp(trimmed, *f) == 0)
			return 1;
	return 0;
}

static size_t word_count(const char *text)
{
	size_t words = 0;
	int in_word = 0;

	for (; *text; text++) {
		if (*text == ' ') {
			in_word = 0;
		} else if (!in_word) {
			in_word = 1;
			words++;
		}
	}
	return words;
}

/* "Posted: Fri 6:45 PM, Feb 16, 2018", "18.04.2024, 18:51", "By A. Writer":
 * 1; otherwise 0; -1 when out of memory. */
static int is_dateline(const char *low)
{
	size_t len = strlen(low), words = word_count(low);
	char *date;

	/* "— Name (@handle) November 18, 2019" closes a quoted post */
	if (len > 160 || words > 14 || strchr(low, '@') || strncmp(low, "—", strlen("—")) == 0)
		return 0;
	if (strncmp(low, "by ", 3) == 0 && words <= 6)
		return 1;
	if (!strpbrk(low, "0123456789"))
		return 0;
	for (const char *const *p = dateline_prefixes; *p; p++)
		if (strncmp(low, *p, strlen(*p)) == 0)
			return 1;
	/* out of memory: -1, which polish_text passes on */
	if (parse_find_date(low, &date))
		return -1;
	free(date);
	return date != NULL;
}

/*
 * Line-level clean-up of the rendered text: furniture lines anywhere, and
 * at the top and bottom the headline, date and byline lines that templates
 * put next to the article rather than in it. Takes text; NULL (text freed)
 * when out of memory.
 */
static char *polish_text(char *text, const char *title)
{
	struct vigil_buf out = VIGIL_BUF_INIT;
	size_t lines = 0, index = 0;
	const char *p;
	int breaks = 0;

	for (p = text; *p; p++)
		if (*p != '\n' && (p == text || p[-1] == '\n'))
			lines++;
	p = text;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char *low;
		int drop = 0, edge;

		if (len == 0) {
			breaks++;
			p++;
			continue;
		}
		edge = index < 3 || index + 3 >= lines;
		low = line_lower(p, len);
		if (!low)
			goto nomem;
		drop = is_furniture_line(low) || is_note_line(low);
		if (!drop && edge)
			drop = is_dateline(low);
		if (drop < 0) {
			free(low);
			goto nomem;
		}
		if (!drop && index < 3 && title && len < 2 * strlen(title) + 16) {
			char *line = vigil_strndup(p, len);
			double forward = line ? parse_text_similarity(title, line) : -1;
			double backward = forward > 0.8 ? parse_text_similarity(line, title) : 0;

			free(line);
			if (forward < 0 || backward < 0) {
				free(low);
				goto nomem;
			}
			drop = forward > 0.8 && backward > 0.8;
		}
		free(low);
		if (!drop) {
			const char *sep = out.len == 0 ? "" : breaks > 1 ? "\n\n" : "\n";

			if (vigil_buf_append_str(&out, sep) || vigil_buf_append(&out, p, len))
				goto nomem;
			breaks = 0;
		}
		index++;
		p += len;
		if (*p == '\n') {
			breaks++;
			p++;
		}
	}
	free(text);
	return vigil_buf_detach(&out);
nomem:
	/* An unpolished text would differ from the stored one: a false edit. */
	vigil_buf_release(&out);
	free(text);
	return NULL;
}

/* ------------------------------------------------------------ attempts */

static void extractor_reset(struct extractor *ex)
{
	/* before xmlFreeDoc: freeing a node looks at its document's dict */
	for (size_t i = 0; i < ex->removed_count; i++)
		xmlFreeNode(ex->removed[i]);
	free(ex->removed);
	ex->removed = NULL;
	ex->removed_count = ex->removed_cap = 0;
	free(ex->info);
	free(ex->to_score);
	free(ex->candidates);
	ex->info = NULL;
	ex->to_score = ex->candidates = NULL;
	ex->info_count = ex->info_cap = 0;
	ex->to_score_count = ex->to_score_cap = 0;
	ex->candidate_count = ex->candidate_cap = 0;
	ex->byline_done = ex->title_done = 0;
	ex->title_place = NULL;
	ex->merged = ex->other_story = 0;
}

static xmlNodePtr find_body(htmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	for (xmlNodePtr n = root; n; n = next_node(n, root, 0))
		if (tag_is(n, "body"))
			return n;
	return root;
}

/* One extraction with the given flags on doc, which it changes and frees
 * (NULL: out of memory). Returns the text (malloc'd) or NULL on OOM. */
static char *attempt(htmlDocPtr doc, const char *title, int flags, int *oom)
{
	struct extractor ex;
	xmlNodePtr body, best, article;
	char *text = NULL;

	memset(&ex, 0, sizeof(ex));
	ex.flags = flags;
	ex.title = title;
	if (!doc) {
		*oom = 1;
		return NULL;
	}
	body = find_body(doc);
	if (body) {
		remove_signups(&ex, body);
		remove_junk(&ex, xmlDocGetRootElement(doc), body);
		/* every later pass stays below body; check that it is still in
		 * the document rather than trust the pointer */
		if (!is_ancestor(xmlDocGetRootElement(doc), body))
			body = find_body(doc);
	}
	if (body && !ex.oom) {
		remove_related(&ex, body);
		remove_end_matter(&ex, body);
		replace_brs(&ex, body);
		collect(&ex, body);
		score_paragraphs(&ex, body);
		best = ex.oom ? NULL : pick_top(&ex, body);
		article = ex.oom ? NULL : gather(&ex, body, best);
		if (article) {
			prepare_article(&ex, article);
			text = render_text(article);
			if (text)
				text = polish_text(text, title);
		}
	}
	if (ex.oom || (body && !text))
		*oom = 1;
	extractor_reset(&ex);
	xmlFreeDoc(doc);
	return text ? text : (*oom ? NULL : vigil_strdup(""));
}

/* The attempts take trees of their own (parser_int.h, struct parse_page,
 * says why the first one takes page's). */
static char *extract_text(struct parse_page *page, const char *title, int *oom)
{
	static const int tries[] = {
		FLAGS_ALL,
		FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY,
		FLAG_CLEAN_CONDITIONALLY,
		0,
	};
	char *best = NULL;
	size_t best_chars = 0;

	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		htmlDocPtr doc, pristine;
		char *text;
		size_t chars;

		if (i == 0) {
			doc = page->doc;
			page->doc = NULL;
		} else {
			pristine = parse_page_tree(page);
			doc = pristine ? xmlCopyDoc(pristine, 1) : NULL;
		}
		text = attempt(doc, title, tries[i], oom);
		if (!text)
			break;
		chars = vigil_utf8_count_chars(text);
		/* a retry may find more of the article, not another block: a
		 * longer text that leaves out most of the earlier one is the
		 * other story or the sidebar the earlier rules had removed */
		if (best && chars > best_chars && best_chars > 0) {
			double kept = parse_text_similarity(text, best);

			if (kept < 0) {
				free(text);
				free(best);
				*oom = 1;
				return NULL;
			}
			if (kept < RETRY_KEEPS)
				chars = 0;
		}
		if (!best || chars > best_chars) {
			free(best);
			best = text;
			best_chars = chars;
		} else {
			free(text);
		}
		if (best_chars >= MIN_ARTICLE_CHARS)
			break;
	}
	return best;
}

/* JSON-LD text with its line breaks as paragraph breaks. */
static char *hint_paragraphs(const char *hint)
{
	struct vigil_buf out = VIGIL_BUF_INIT;

	while (*hint) {
		size_t len = strcspn(hint, "\n");
		char *line = parse_collapse_space(hint, len);

		if (!line || (*line && ((out.len && vigil_buf_append_str(&out, "\n\n")) ||
					vigil_buf_append_str(&out, line)))) {
			free(line);
			vigil_buf_release(&out);
			return NULL;
		}
		free(line);
		hint += len;
		if (*hint)
			hint++;
	}
	return vigil_buf_detach(&out);
}

/* Replace *text by its NFC form (common/utf8.c). 0, or -1 out of memory;
 * text that is not UTF-8 (cannot happen after decoding) stays as it is. */
static int normalize_nfc(char **text)
{
	char *nfc;

	if (!*text)
		return 0;
	if (vigil_utf8_nfc(*text, &nfc) != 0)
		return vigil_utf8_valid(*text, strlen(*text)) ? -1 : 0;
	free(*text);
	*text = nfc;
	return 0;
}

/* ------------------------------------------------------------ public API */

void parse_document_release(struct parse_document *doc)
{
	if (!doc)
		return;
	free(doc->title);
	free(doc->author);
	free(doc->published);
	free(doc->published_source);
	free(doc->language);
	free(doc->canonical_url);
	free(doc->description);
	free(doc->site_name);
	free(doc->charset);
	free(doc->text);
	for (size_t i = 0; i < doc->warning_count; i++)
		free(doc->warnings[i]);
	free(doc->warnings);
	memset(doc, 0, sizeof(*doc));
}

static enum vigil_code add_warning(struct parse_document *doc, const char *fmt, ...)
	VIGIL_PRINTF(2, 3);

static enum vigil_code add_warning(struct parse_document *doc, const char *fmt, ...)
{
	char message[512];
	char **grown, *copy;
	va_list args;

	va_start(args, fmt);
	vsnprintf(message, sizeof(message), fmt, args);
	va_end(args);
	grown = realloc(doc->warnings, (doc->warning_count + 1) * sizeof(*grown));
	if (!grown)
		return VIGIL_ERR_NOMEM;
	doc->warnings = grown;
	if (!(copy = vigil_strdup(message)))
		return VIGIL_ERR_NOMEM;
	doc->warnings[doc->warning_count++] = copy;
	return VIGIL_OK;
}

static int has_text_below(xmlNodePtr root)
{
	static const char *const skip[] = { "script", "style", "noscript", "template", "head",
					     NULL };
	xmlNodePtr n = root;

	while (n) {
		xmlNodePtr next;

		if (is_text(n) && !is_blank_text(n->content))
			return 1;
		if (n->children && (n == root || (is_element(n) && !name_in(n, skip))))
			next = n->children;
		else
			next = NULL;
		while (!next && n && n != root) {
			next = n->next;
			if (!next)
				n = n->parent;
		}
		n = next;
	}
	return 0;
}

/* Why the main text came out empty, for the warning. */
static const char *why_no_text(htmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), body = NULL;

	for (xmlNodePtr n = root; n; n = next_node(n, root, 0)) {
		if (tag_is(n, "frameset"))
			return "page is a frameset; its frames are separate pages";
		if (!body && tag_is(n, "body"))
			body = n;
	}
	if (!body)
		return "page has no <body>";
	if (!has_text_below(body))
		return "page body has no text";
	return "everything in the body looked like navigation or page furniture";
}

/* Warnings about the page as read: charset, depth, binary bytes. */
static enum vigil_code note_reading(struct parse_document *out, const struct parse_page *page)
{
	const struct parse_read_notes *notes = &page->notes;
	enum vigil_code code = VIGIL_OK;
	unsigned controls = page->body_len
				    ? (unsigned)(page->control_bytes * 100 / page->body_len)
				    : 0;

	if (notes->charset_warning)
		code = add_warning(out, "%s", notes->charset_warning);
	if (!code && notes->flattened)
		code = add_warning(out, "page nested deeper than %d elements; %zu elements below "
				   "that depth were flattened into their ancestor (text kept)",
				   PARSE_MAX_DEPTH, notes->flattened);
	if (!code && notes->dropped)
		code = add_warning(out, "page has more than %d elements; %zu later tags were "
				   "ignored (their text kept)", PARSE_MAX_ELEMENTS, notes->dropped);
	if (!code && page->body_len >= 64 && controls >= 5)
		code = add_warning(out, "page looks like binary data, not HTML (%u%% control "
				   "bytes)", controls);
	return code;
}

enum vigil_code parse_extract(const char *body, size_t len, const char *content_type,
			      const char *url, int64_t fetched_at, struct parse_document *out,
			      struct vigil_error *err)
{
	struct parse_page *page = NULL;
	enum vigil_code code;

	memset(out, 0, sizeof(*out));
	code = parse_page_read(body, len, content_type, url, &page, err);
	if (code)
		return code;
	code = parse_page_extract(page, fetched_at, out, err);
	parse_page_free(&page);
	return code;
}

/* Metadata reads the page's tree; the text's extraction then uses it up
 * (struct parse_page in parser_int.h). */
enum vigil_code parse_page_extract(struct parse_page *page, int64_t fetched_at,
				   struct parse_document *out, struct vigil_error *err)
{
	htmlDocPtr doc = parse_page_tree(page);
	const char *url = page->url;
	char *hint = NULL;
	const char *where = url ? url : "(page)";
	enum vigil_code code = VIGIL_OK;
	int oom = 0;

	memset(out, 0, sizeof(*out));
	if (!doc)
		code = VIGIL_ERR_NOMEM;
	if (!code && page->charset && !(out->charset = vigil_strdup(page->charset)))
		code = VIGIL_ERR_NOMEM;
	if (!code)
		code = note_reading(out, page);
	if (!code)
		code = parse_meta_collect(doc, url, fetched_at, out, &hint);
	if (!code && (normalize_nfc(&out->title) || normalize_nfc(&out->author) ||
		      normalize_nfc(&out->description)))
		code = VIGIL_ERR_NOMEM;
	if (!code && !has_text_below(find_body(doc))) {
		/* nothing to find: spare the four attempts on a page of empty tags */
		if (!(out->text = vigil_strdup("")))
			code = VIGIL_ERR_NOMEM;
	} else if (!code) {
		doc = NULL; /* extract_text uses it up */
		out->text = extract_text(page, out->title, &oom);
		if (!out->text || oom)
			code = VIGIL_ERR_NOMEM;
	}
	/* JSON-LD articleBody is only a safety net: publishers often truncate
	 * it or leave markup in it, but it beats an extraction that missed
	 * most of the article. */
	if (!code && hint && vigil_utf8_count_chars(hint) >= HINT_MIN_CHARS &&
	    vigil_utf8_count_chars(out->text) * 2 < vigil_utf8_count_chars(hint)) {
		char *flat = hint_paragraphs(hint);

		if (flat && !strchr(flat, '<')) {
			free(out->text);
			out->text = flat;
		} else {
			free(flat);
		}
	}
	if (!code && normalize_nfc(&out->text))
		code = VIGIL_ERR_NOMEM;
	if (!code && !*out->text) {
		/* after four attempts: the tree they read again is there */
		doc = parse_page_tree(page);
		code = doc ? add_warning(out, "no main text found (%s)", why_no_text(doc))
			   : VIGIL_ERR_NOMEM;
	}
	if (!code && strlen(out->text) > TEXT_MAX)
		code = add_warning(out, "main text cut at %zu MiB", TEXT_MAX >> 20);
	/* The text's language when it says so clearly: sites often declare
	 * their default (lang="ru" over a Kazakh article) */
	if (!code) {
		int confident = 0;
		const char *guess = parse_text_language(out->text, &confident);

		if (!guess && out->title)
			guess = parse_guess_language(out->title);
		if (guess && (confident || !out->language) &&
		    (!out->language || strcmp(out->language, guess) != 0)) {
			free(out->language);
			if (!(out->language = vigil_strdup(guess)))
				code = VIGIL_ERR_NOMEM;
		}
	}
	free(hint);
	if (code) {
		parse_document_release(out);
		return vigil_error_set(err, code, "%s: extracting text: %s", where,
				       vigil_strerror(code));
	}
	return VIGIL_OK;
}
